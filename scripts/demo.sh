#!/usr/bin/env bash
# Demo: builds the library and the ma-jobs tool, starts the bundled fake ModelArts
# server (a realistic data set of 2000 jobs) on a free loopback port and lists its running jobs with
#   ma-jobs --status RUNNING
# Arguments replace that default (several --status values add up, so they are not appended), e.g.:
#   bash scripts/demo.sh --format csv
#   bash scripts/demo.sh --status failed --sort-by create_time --order desc --limit 5
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --demo
cmake --preset dev >/dev/null
cmake --build --preset dev --target ma-fake-server ma-jobs >/dev/null

build=build/dev
workdir=$(mktemp -d)
token="demo-token-$$"
project="0123456789abcdef0123456789abcdef"
"$build/tests/fake_server/ma-fake-server" --port 0 --port-file "$workdir/port" \
    --token "$token" --project-id "$project" --realistic --jobs 2000 >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$workdir"' EXIT

for _ in $(seq 1 100); do
    [[ -s "$workdir/port" ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$workdir/server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -s "$workdir/port" ]] || { echo "fake server did not start" >&2; exit 1; }
port=$(cat "$workdir/port")

echo "fake ModelArts server on http://127.0.0.1:$port (project $project)" >&2  # stdout is only ma-jobs output, so it can be piped (e.g. into jq)
[[ $# -gt 0 ]] || set -- --status RUNNING
MODELARTS_ENDPOINT="http://127.0.0.1:$port" MODELARTS_PROJECT_ID="$project" MODELARTS_TOKEN="$token" \
    "$build/src/cli/ma-jobs" "$@"
