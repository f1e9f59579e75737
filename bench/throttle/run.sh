#!/usr/bin/env bash
# The throttling benchmark in one command: builds an optimised tree with the
# benchmarks and runs both scenarios against the in-process fake server.
#   bash bench/throttle/run.sh              # walk (adaptive on/off) and outage (budget on/off)
#   bash bench/throttle/run.sh walk         # only the walk; `outage` only the outage
# Extra arguments go to bench_throttle (--calls N, --attempts N, --outage-code CODE).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build/bench-throttle
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMA_BUILD_BENCH=ON -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j2 --target bench_throttle >/dev/null
exec "$build/bench/throttle/bench_throttle" "$@"
