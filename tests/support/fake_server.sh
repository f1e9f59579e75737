# Shell helpers for tests that run ma-fake-server as a process; sourced by tests/cli/cli_test.sh
# and examples/run_example.sh after they set SERVER (the ma-fake-server binary). Sourcing makes
# WORK, a scratch directory, and an EXIT trap that stops the server and removes WORK.
#
#   fake_server_start [flags...]  starts it on an ephemeral port (port file) with these flags and
#                                 waits until it listens; sets SERVER_PID, PORT and ENDPOINT
#                                 (http://127.0.0.1:PORT). Exits the script if it cannot start.
#   fake_server_stop              stops it; does nothing when none runs (safe in an EXIT trap).
SERVER_PID=""
PORT=""
ENDPOINT=""
WORK=$(mktemp -d)

fake_server_start() {
    rm -f "$WORK/port"
    "$SERVER" --port 0 --port-file "$WORK/port" "$@" >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 200); do
        [[ -s "$WORK/port" ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.05
    done
    [[ -s "$WORK/port" ]] || { echo "fake server did not start" >&2; exit 1; }
    PORT=$(cat "$WORK/port")
    ENDPOINT="http://127.0.0.1:$PORT"
}

fake_server_stop() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    SERVER_PID=""
}

fake_server_cleanup() {
    fake_server_stop
    rm -rf "$WORK"
}
trap fake_server_cleanup EXIT
