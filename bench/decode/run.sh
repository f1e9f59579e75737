#!/usr/bin/env bash
# Decoder benchmark: wall time and peak heap natively, then instructions per
# job for each decoder under callgrind (only the decode function is counted);
# then the wire floor (the page over loopback through libcurl into a counting
# sink, against the same transfer into the decoder); then a body with 160,000
# unknown keys (the duplicate-key check).
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
    ir=$(callgrind_annotate --auto=no "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !seen++ {gsub(",", "", $1); print $1}')
    rm -f "$out"
    echo "$mode: $ir instructions for $iters pages = $((ir / iters / jobs)) instructions/job"
    eval "ir_$mode=$ir"
done
awk -v s="$ir_stream" -v j="$ir_jansson" 'BEGIN { printf "instruction ratio (jansson / stream): %.2fx\n", j / s }'

# The wire floor: the page over loopback from the in-process fake server, one libcurl handle, into a
# counting sink and into the decoder. Client-thread CPU natively; instructions of the client thread
# (callgrind, one file per thread; the server's threads never enter the counted functions).
"$bin" 50 wire
bytes=$("$bin" 1 stream | sed -n 's/^page: [0-9]* jobs, \([0-9]*\) bytes.*/\1/p')
for fn in bench_wire_once bench_wire_decode_once; do
    out=$(mktemp)
    valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$out" --toggle-collect="$fn" "$bin" "$iters" wire \
        >/dev/null 2>&1
    ir=$(callgrind_annotate --auto=no "$out-01" 2>/dev/null | awk '/PROGRAM TOTALS/ && !seen++ {gsub(",", "", $1); print $1}')
    rm -f "$out" "$out"-*
    # The program fetches once more than asked before it starts timing.
    echo "$fn: $((ir / (iters + 1) / jobs)) instructions/job, $(awk -v i="$ir" -v n="$((iters + 1))" -v b="$bytes" 'BEGIN { printf "%.2f", i / n / b }') instructions/byte"
done

# One object with 160,000 unknown keys: each key goes through the duplicate check.
wide=$(mktemp)
trap 'rm -f "$wide"' EXIT
python3 tests/data/json/wide_object.py 160000 >"$wide"
"$bin" 3 wide "$wide"
for mode in stream jansson; do
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="bench_${mode}_once" "$bin" 1 wide "$wide" \
        >/dev/null 2>&1
    ir=$(callgrind_annotate --auto=no "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ && !seen++ {gsub(",", "", $1); print $1}')
    rm -f "$out"
    echo "$mode, 160,000 keys: $((ir / 2)) instructions per decode"
    eval "wide_$mode=$ir"
done
awk -v s="$wide_stream" -v j="$wide_jansson" 'BEGIN { printf "instruction ratio, 160,000 keys (stream / jansson): %.2fx\n", s / j }'
