#!/usr/bin/env bash
# The whole test suite: installs what is missing, then
#  1. the `ci` workflow: warnings as errors, unit tests, end-to-end tests over
#     loopback HTTP against the fake ModelArts server, and the unit and
#     end-to-end tests again under valgrind (ctest label `valgrind`);
#  2. the `asan` workflow: the same tests built with AddressSanitizer and
#     UndefinedBehaviorSanitizer;
#  3. the `tsan` workflow: the same tests built with ThreadSanitizer (about
#     30 s of tests on 2 cores; tests/e2e/test_e2e_threads.c drives 8 threads);
#  4. the consumer checks (scripts/consumer-test.sh): install, pkg-config and
#     find_package consumers, headers alone, exports, Debian packages;
#  5. a smoke run of the walk benchmark (bench/walk/run.sh --smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --workflow --preset ci --fresh
cmake --workflow --preset asan --fresh
cmake --workflow --preset tsan --fresh
bash scripts/consumer-test.sh build/ci/tests/fake_server/ma-fake-server --deb
# 5. a smoke run of the walk benchmark (figures are printed, not judged)
bash bench/walk/run.sh --smoke
