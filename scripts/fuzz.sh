#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS] [HARNESS...]
#
# Builds the libFuzzer harnesses of tests/fuzz with clang in build/fuzz and
# runs each (default: all) for SECONDS (default 60) on a copy of its
# committed corpus, one after the other. Prints per harness the executions,
# the time and whether it crashed; exits 1 when one did (the input is kept in
# build/fuzz/run/<harness>/artifacts/). FUZZ_MERGE=1 merges the inputs that
# add coverage into tests/fuzz/corpus/<harness>/ (libFuzzer -merge=1).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly all=(page_decoder headers request_render signer cli_output)
seconds=${1:-60}
[[ $# -gt 0 ]] && shift
harnesses=("$@")
[[ ${#harnesses[@]} -eq 0 ]] && harnesses=("${all[@]}")
readonly build=build/fuzz

targets=()
for h in "${harnesses[@]}"; do
    [[ -d tests/fuzz/corpus/$h ]] || { echo "unknown harness: $h (known: ${all[*]})" >&2; exit 2; }
    targets+=("fuzz_$h")
done

cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMA_BUILD_FUZZERS=ON \
    -DMA_BUILD_TESTS=ON -DMA_BUILD_EXAMPLES=OFF -DMA_BUILD_TOOLS=OFF >"$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; exit 2; }
cmake --build "$build" -j2 --target "${targets[@]}" >/dev/null

failed=0
for h in "${harnesses[@]}"; do
    work=$build/run/$h
    rm -rf "$work"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp tests/fuzz/corpus/"$h"/* "$work/corpus/"
    start=$(date +%s)
    dict=()
    [[ -f tests/fuzz/$h.dict ]] && dict=(-dict="tests/fuzz/$h.dict")
    rc=0
    ASAN_OPTIONS=detect_leaks=1 "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 \
        -max_len=8192 -timeout=10 -rss_limit_mb=1024 -artifact_prefix="$work/artifacts/" "${dict[@]}" "$work/corpus" \
        >"$work/log" 2>&1 || rc=$?
    elapsed=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
    artifacts=$(find "$work/artifacts" -type f | wc -l)
    if [[ $rc -ne 0 || $artifacts -gt 0 ]]; then
        verdict="CRASHED (exit $rc; see $work/log and $work/artifacts/)"
        failed=1
    else
        verdict="no crash"
    fi
    echo "$h: ${execs:-?} executions in ${elapsed} s, corpus $(find "$work/corpus" -type f | wc -l) inputs, $verdict"
    if [[ ${FUZZ_MERGE:-0} == 1 && $rc -eq 0 ]]; then
        "$build/tests/fuzz/fuzz_$h" -merge=1 -max_len=8192 tests/fuzz/corpus/"$h" "$work/corpus" >"$work/merge.log" 2>&1
        echo "$h: merged, committed corpus now $(find tests/fuzz/corpus/"$h" -type f | wc -l) inputs"
    fi
done
exit $failed
