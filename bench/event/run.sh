#!/usr/bin/env bash
# The event-loop benchmark in one command: builds an optimised tree with the
# benchmarks and runs the driver, which starts ma-fake-server as its own process.
#   bash bench/event/run.sh            # 20,000 jobs, 20 ms latency, 20 rounds, 3 runs
#   bash bench/event/run.sh --smoke    # tiny versions, a few seconds
# Extra arguments go to bench_event (--jobs, --latency-ms, --rounds, --runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build/bench-event
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMA_BUILD_BENCH=ON -DMA_BUILD_TESTS=ON >/dev/null
cmake --build "$build" -j2 --target bench_event ma-fake-server >/dev/null
exec "$build/bench/event/bench_event" --server "$build/tests/fake_server/ma-fake-server" "$@"
