#!/usr/bin/env bash
# The whole test suite: installs what is missing, then
#  1. the `ci` workflow: warnings as errors, unit tests, end-to-end tests over
#     loopback HTTP against the fake ModelArts server, and the unit and
#     end-to-end tests again under valgrind (ctest label `valgrind`);
#  2. the ABI gate (scripts/check-abi.sh): the ci build's libmodelarts.so
#     against the committed baseline abi/libmodelarts.abi;
#  3. static analysis of src/ (scripts/static-analysis.sh): gcc -fanalyzer and
#     cppcheck over the ci build's compile_commands.json, zero findings;
#  4. the `asan` workflow: the same tests built with AddressSanitizer and
#     UndefinedBehaviorSanitizer;
#  5. the `tsan` workflow: the same tests built with ThreadSanitizer (about
#     30 s of tests on 2 cores; tests/e2e/test_e2e_threads.c drives 8 threads);
#  6. coverage (scripts/coverage.sh): the `coverage` workflow (gcc --coverage),
#     then line and branch coverage of src/ by gcovr, failing below the floor;
#  7. the `i386` workflow: a 32-bit build, unit and end-to-end tests;
#  8. big-endian (scripts/test-s390x.sh): the byte-interpreting parts built for
#     s390x and run under qemu-user;
#  9. the consumer checks (scripts/consumer-test.sh): install, pkg-config and
#     find_package consumers, headers alone, exports, Debian packages;
# 10. a smoke run of the walk benchmark (bench/walk/run.sh --smoke).
# Each step's wall time is printed at the end (and on failure, up to the failed step).
set -euo pipefail
cd "$(dirname "$0")/.."

step_times=()
current=""
started=$SECONDS
report_times() {
    local rc=$?
    [[ -n $current ]] && step_times+=("$(printf '%-14s FAILED after %4d s' "$current" $((SECONDS - step_start)))")
    echo "== step times"
    printf '  %s\n' "${step_times[@]}"
    printf '  %-14s %4d s\n' total $((SECONDS - started))
    exit $rc
}
trap report_times EXIT
step() {
    current=$1
    shift
    echo "== $current"
    step_start=$SECONDS
    "$@"
    step_times+=("$(printf '%-14s %4d s' "$current" $((SECONDS - step_start)))")
    current=""
}

step install-deps bash scripts/install-deps.sh
step ci cmake --workflow --preset ci --fresh
step abi bash scripts/check-abi.sh build/ci/src/libmodelarts.so
step analysis bash scripts/static-analysis.sh build/ci
step asan cmake --workflow --preset asan --fresh
step tsan cmake --workflow --preset tsan --fresh
step coverage bash scripts/coverage.sh
# Three tests are left out of the i386 test preset until their 32-bit findings are fixed:
# test_retry (expects a 64-bit `long` in ma_retry_policy: LONG_MAX delays), fuzz_replay_headers
# (an HTTP-date Retry-After far from 1970 gives 0 with a 32-bit time_t, corpus input 01aafd95...)
# and test_e2e_walk (a parallel walk sent more requests than the bound under qemu-i386).
step i386 cmake --workflow --preset i386 --fresh
step s390x bash scripts/test-s390x.sh
step consumer bash scripts/consumer-test.sh build/ci/tests/fake_server/ma-fake-server --deb
# A smoke run of the walk benchmark (figures are printed, not judged).
step bench-smoke bash bench/walk/run.sh --smoke
