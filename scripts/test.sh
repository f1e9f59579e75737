#!/usr/bin/env bash
# The whole test suite: installs what is missing, configures with warnings as
# errors, builds, and runs every test (unit, end-to-end over loopback HTTP
# against the fake ModelArts server, and the end-to-end tests under valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --workflow --preset ci --fresh
