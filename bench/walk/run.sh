#!/usr/bin/env bash
# The walk benchmark in one command: builds an optimised tree with the
# benchmarks, installs python3-requests if missing, and runs the driver.
#   bash bench/walk/run.sh            # 100,000 jobs, 0 and 25 ms latency, 5 runs
#   bash bench/walk/run.sh --smoke    # a few thousand jobs, one run (CI)
# Extra arguments go to walk_driver (--jobs, --runs, --latency-ms, --per-page).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/install-deps.sh   # includes python3-requests for the Python peer
build=build/bench-walk
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMA_BUILD_BENCH=ON -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=ON >/dev/null
cmake --build "$build" -j2 --target walk_client walk_driver ma-fake-server >/dev/null
exec "$build/bench/walk/walk_driver" --server "$build/tests/fake_server/ma-fake-server" \
    --client "$build/bench/walk/walk_client" --script bench/walk/python_loop.py --python /usr/bin/python3 "$@"
