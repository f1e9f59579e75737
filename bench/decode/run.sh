#!/usr/bin/env bash
# Decoder benchmark: wall time and peak heap natively, then instructions per
# job for each decoder under callgrind (only the decode function is counted);
# then the same for a body with 160,000 unknown keys (the duplicate-key check).
#   bench/decode/run.sh [build-dir]     (default build/bench, configured here)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build/bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMA_BUILD_TESTS=ON -DMA_BUILD_EXAMPLES=OFF -DMA_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target bench_decode >/dev/null
bin="$build/bench/decode/bench_decode"
"$bin" 200 both
iters=5
jobs=1000
for mode in stream jansson; do
    fn=bench_${mode}_once
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="$fn" "$bin" "$iters" "$mode" >/dev/null 2>&1
    ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
    rm -f "$out"
    echo "$mode: $ir instructions for $iters pages = $((ir / iters / jobs)) instructions/job"
    eval "ir_$mode=$ir"
done
awk -v s="$ir_stream" -v j="$ir_jansson" 'BEGIN { printf "instruction ratio (jansson / stream): %.2fx\n", j / s }'

# One object with 160,000 unknown keys: each key goes through the duplicate check.
wide=$(mktemp)
trap 'rm -f "$wide"' EXIT
python3 tests/data/json/wide_object.py 160000 >"$wide"
"$bin" 3 wide "$wide"
for mode in stream jansson; do
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="bench_${mode}_once" "$bin" 1 wide "$wide" \
        >/dev/null 2>&1
    ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1; exit}')
    rm -f "$out"
    echo "$mode, 160,000 keys: $((ir / 2)) instructions per decode"
    eval "wide_$mode=$ir"
done
awk -v s="$wide_stream" -v j="$wide_jansson" 'BEGIN { printf "instruction ratio, 160,000 keys (stream / jansson): %.2fx\n", s / j }'
