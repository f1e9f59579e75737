# shellcheck shell=bash
# Cases of `ma-jobs wait`, sourced by cli_test.sh (its helpers and variables apply).
#
# The server's advancing jobs move one status step each time they are listed,
# so a wait with a tiny --interval sees every step, in the same order on every
# machine: wait-completes INIT, WAITING, RUNNING, COMPLETED; wait-fails
# WAITING, RUNNING, FAILED; wait-image-fails INIT, IMAGE_CREATING,
# IMAGE_FAILED; wait-stopped RUNNING, KILLING, KILLED; wait-cancelled WAITING,
# CANCELED; wait-forever WAITING, RUNNING for good; two jobs named wait-twin;
# wait-vanishes WAITING, RUNNING, then deleted.

# A --timeout, so that a wait that would never end fails the case quickly instead of hanging it.
FAST=(--interval 10ms --timeout 20s)
ISO_TIME='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'

# changes: stdout without the leading timestamps (expect_changes checks they are there).
changes() {
    sed -E "s/^$ISO_TIME //" "$WORK/out"
}

# expect_changes LINE...: stdout is exactly these change lines, each after a UTC time.
expect_changes() {
    ! grep -vqE "^$ISO_TIME " "$WORK/out" || fail "a change line does not start with a UTC time"
    local want
    want=$(printf '%s\n' "$@")
    [[ "$(changes)" == "$want" ]] || { fail "change lines differ"; diff <(echo "$want") <(changes) >&2; }
}

case_wait_completed() {
    start_server --advancing-jobs
    run wait --name wait-completes "${FAST[@]}"
    expect_rc 0
    expect_no_err
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT" \
        "job 7100000001 (wait-completes): JOBSTAT_INIT -> JOBSTAT_WAITING" \
        "job 7100000001 (wait-completes): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED"
    # The times are now-ish and in order.
    python3 - "$WORK/out" <<'PY' || fail "change times are not ascending UTC times of today"
import datetime, sys
times = [datetime.datetime.strptime(l.split(" ")[0], "%Y-%m-%dT%H:%M:%S.%fZ") for l in open(sys.argv[1])]
now = datetime.datetime.utcnow()
assert times == sorted(times), times
assert all(abs((now - t).total_seconds()) < 600 for t in times), (now, times)
PY
    stop_server
    # By id (found by walking every page of 61 jobs), the global flags before the command word.
    start_server --advancing-jobs
    run --per-page 3 wait --job-id 7100000001 "${FAST[@]}"
    expect_rc 2
    expect_err "--per-page does not apply to wait"
    run --retries 1 wait --job-id=7100000001 --interval=10ms --timeout=10s
    expect_rc 0
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT" \
        "job 7100000001 (wait-completes): JOBSTAT_INIT -> JOBSTAT_WAITING" \
        "job 7100000001 (wait-completes): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED"
    # A job that has already ended: one line, at once; --timeout 0 looks once.
    run wait --name wait-completes --timeout 0
    expect_rc 0
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_COMPLETED"
}

case_wait_failed() {
    start_server --advancing-jobs
    run wait --name wait-fails "${FAST[@]}"
    expect_rc 10
    expect_changes "job 7100000002 (wait-fails): JOBSTAT_WAITING" \
        "job 7100000002 (wait-fails): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000002 (wait-fails): JOBSTAT_RUNNING -> JOBSTAT_FAILED"
    expect_err "ma-jobs: wait: job 7100000002 (wait-fails) failed: JOBSTAT_FAILED (run failed)"
    # Another of the failed statuses.
    run wait --job-id 7100000003 "${FAST[@]}"
    expect_rc 10
    expect_changes "job 7100000003 (wait-image-fails): JOBSTAT_INIT" \
        "job 7100000003 (wait-image-fails): JOBSTAT_INIT -> JOBSTAT_IMAGE_CREATING" \
        "job 7100000003 (wait-image-fails): JOBSTAT_IMAGE_CREATING -> JOBSTAT_IMAGE_FAILED"
    expect_err "failed: JOBSTAT_IMAGE_FAILED (image creation failed)"
}

case_wait_cancelled() {
    start_server --advancing-jobs
    run wait --name wait-stopped "${FAST[@]}"
    expect_rc 11
    expect_changes "job 7100000004 (wait-stopped): JOBSTAT_RUNNING" \
        "job 7100000004 (wait-stopped): JOBSTAT_RUNNING -> JOBSTAT_KILLING" \
        "job 7100000004 (wait-stopped): JOBSTAT_KILLING -> JOBSTAT_KILLED"
    expect_err "was cancelled or stopped: JOBSTAT_KILLED"
    run wait --name wait-cancelled "${FAST[@]}"
    expect_rc 11
    expect_changes "job 7100000005 (wait-cancelled): JOBSTAT_WAITING" \
        "job 7100000005 (wait-cancelled): JOBSTAT_WAITING -> JOBSTAT_CANCELED"
    expect_err "was cancelled or stopped: JOBSTAT_CANCELED (cancelled)"
}

case_wait_timeout() {
    start_server --advancing-jobs
    local t0=$SECONDS
    # 3 s: time for the two looks that see both statuses even under valgrind on a loaded machine.
    run wait --name wait-forever --interval 20ms --timeout 3s
    expect_rc 12
    [[ $((SECONDS - t0)) -lt 20 ]] || fail "the timeout took $((SECONDS - t0)) s"
    # Printed once each: an unchanged status makes no line.
    expect_changes "job 7100000006 (wait-forever): JOBSTAT_WAITING" \
        "job 7100000006 (wait-forever): JOBSTAT_WAITING -> JOBSTAT_RUNNING"
    expect_err "ma-jobs: wait: --timeout 3s expired; job 7100000006 (wait-forever) is still JOBSTAT_RUNNING"
    # --timeout 0: one look.
    run wait --name wait-forever --timeout 0 --interval 1h
    expect_rc 12
    expect_changes "job 7100000006 (wait-forever): JOBSTAT_RUNNING"
    expect_err "--timeout 0s expired"
}

# The pause grows: in 1.2 s from 100 ms by half each time there are about 7
# looks (0, 0.1, 0.25, 0.48, 0.81, 1.2 s), not 13.
case_wait_interval_grows() {
    start_server --advancing-jobs
    run wait --name wait-forever --interval 100ms --timeout 1200ms --verbose
    expect_rc 12
    local looks
    looks=$(grep -c '\[debug\] > GET' "$WORK/err")
    [[ $looks -ge 3 && $looks -le 8 ]] || fail "$looks looks in 1.2 s from a 100 ms interval growing by half"
}

case_wait_not_found() {
    start_server --advancing-jobs
    # The search finds every wait-* job; none is named exactly "wait".
    run wait --name wait "${FAST[@]}"
    expect_rc 13
    expect_no_out
    expect_err "ma-jobs: wait: no job named 'wait'"
    run wait --name WAIT-COMPLETES "${FAST[@]}"
    expect_rc 13
    run wait --job-id 123 "${FAST[@]}"
    expect_rc 13
    expect_err "no job with id 123"
    run wait --name wait-completes --workspace-id ws-beta "${FAST[@]}"
    expect_rc 13
    expect_err "in this workspace"
    # Deleted while it is waited for (a fresh server: the searches above listed it too).
    stop_server
    start_server --advancing-jobs
    run wait --name wait-vanishes "${FAST[@]}"
    expect_rc 13
    expect_changes "job 7100000009 (wait-vanishes): JOBSTAT_WAITING" \
        "job 7100000009 (wait-vanishes): JOBSTAT_WAITING -> JOBSTAT_RUNNING"
    expect_err "ma-jobs: wait: job 7100000009 (wait-vanishes) is no longer in the job list"
}

case_wait_ambiguous() {
    start_server --advancing-jobs
    run wait --name wait-twin "${FAST[@]}"
    expect_rc 2
    expect_no_out
    expect_err "ma-jobs: wait: the name 'wait-twin' is ambiguous: 2 jobs have it; give one with --job-id:"
    expect_err "  job 7100000007: JOBSTAT_RUNNING, created 2025-12-03T00:06:00.000Z"
    expect_err "  job 7100000008: JOBSTAT_RUNNING, created 2025-12-03T00:07:00.000Z"
    # Either one by id is fine.
    run wait --job-id 7100000008 --timeout 0
    expect_rc 12
    expect_changes "job 7100000008 (wait-twin): JOBSTAT_RUNNING"
}

case_wait_usage() {
    local args
    for args in "wait" "wait --job-id 1 --name x" "wait --name x --timeout 5x" "wait --name x --timeout -1" \
        "wait --name x --timeout 1.5s" "wait --name x --timeout 31d" "wait --name x --timeout 744h" \
        "wait --name x --interval 0" "wait --name x --interval 0ms" "wait --name x --interval ms" \
        "wait --name x --interval" "wait --name x --status RUNNING" "wait --name x --all" \
        "wait --name x --search y" "wait --name x --format csv" "wait --name x --format json" \
        "wait --job-id abc" "wait --name=" "--job-id 1" "--name x" "--timeout 5s" "--interval 1s" \
        "wait wait --name x"; do
        # shellcheck disable=SC2086
        run $args
        expect_rc 2
        expect_err "Try 'ma-jobs --help'"
        expect_no_out
    done
    run wait --name x --timeout 5x
    expect_err "--timeout: '5x' is not a duration such as 500ms, 2s, 5m or 1h"
    run wait --name x --interval 0
    expect_err "above 0"
    run --name x
    expect_err "--name only applies to 'ma-jobs wait'"
    run wait --job-id 1 --name x
    expect_err "wait needs either --job-id or --name, not both"
    # The largest durations are accepted (checked without a server: a usage error would come first;
    # --max-failures 0 ends the wait at the refused connection instead of polling again in 30m).
    run wait --name x --timeout 720h --interval 30m --endpoint http://127.0.0.1:1 --retries 0 --max-failures 0
    expect_rc 5
    expect_err "MA_ERR_TRANSPORT"
    expect_err_not "poll 1 failed"
    # --max-failures: a count 0..10000, of wait only.
    for args in "wait --name x --max-failures -1" "wait --name x --max-failures 10001" "wait --name x --max-failures x" \
        "wait --name x --max-failures 1.5" "wait --name x --max-failures" "--max-failures 3" "config --max-failures 3"; do
        # shellcheck disable=SC2086
        run $args
        expect_rc 2
        expect_err "Try 'ma-jobs --help'"
        expect_no_out
    done
    run wait --name x --max-failures 10001
    expect_err "--max-failures: '10001' is not a number of failed polls 0..10000 (0 = give up on the first)"
    run --max-failures 3
    expect_err "--max-failures only applies to 'ma-jobs wait'"
    run wait --name x --max-failures 10000 --endpoint http://127.0.0.1:1 --timeout 0
    expect_rc 12
    expect_err "--timeout 0s expired after a failed poll"
    expect_err "MA_ERR_TRANSPORT"
    run wait --help
    expect_rc 0
    expect_out "ma-jobs wait (--job-id ID | --name NAME)"
}

case_wait_jsonl() {
    start_server --advancing-jobs
    run wait --name wait-completes --format jsonl "${FAST[@]}"
    expect_rc 0
    expect_no_err
    python3 - "$WORK/out" <<'PY' || fail "the jsonl change lines"
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
assert [r["status"] for r in rows] == [1, 7, 8, 10], rows
assert [r["previous_status"] for r in rows] == [None, 1, 7, 8], rows
assert [r["status_name"] for r in rows] == ["JOBSTAT_INIT", "JOBSTAT_WAITING", "JOBSTAT_RUNNING",
                                            "JOBSTAT_COMPLETED"], rows
assert [r["previous_status_name"] for r in rows] == [None, "JOBSTAT_INIT", "JOBSTAT_WAITING",
                                                     "JOBSTAT_RUNNING"], rows
assert [r["outcome"] for r in rows] == ["running", "running", "running", "completed"], rows
assert all(r["job_id"] == 7100000001 and r["job_name"] == "wait-completes" for r in rows), rows
assert all(r["time"].endswith("Z") and len(r["time"]) == 24 for r in rows), rows
assert all(set(r) == {"time", "job_id", "job_name", "previous_status", "previous_status_name", "status",
                      "status_name", "outcome"} for r in rows), rows
PY
    run wait --name wait-fails --format jsonl "${FAST[@]}"
    expect_rc 10
    python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; assert [r["outcome"] for r in rows] == ["running", "running", "failed"], rows' "$WORK/out" ||
        fail "jsonl outcome of a failed job"
    run wait --name wait-cancelled --format jsonl "${FAST[@]}"
    expect_rc 11
    python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; assert rows[-1]["outcome"] == "cancelled" and rows[-1]["status"] == 13, rows' "$WORK/out" ||
        fail "jsonl outcome of a cancelled job"
}

# wait_in_background SIGNAL ARGS...: starts a wait, sends SIGNAL once it printed its first line.
wait_in_background() {
    local sig=$1
    shift
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" wait "$@" >"$WORK/out" 2>"$WORK/err" &
    local pid=$! i
    for i in $(seq 1 200); do
        [[ -s "$WORK/out" ]] && break
        sleep 0.05
    done
    sleep 0.2
    kill -0 "$pid" 2>/dev/null || fail "the wait ended before it could be interrupted"
    local t0=$SECONDS
    kill "-$sig" "$pid"
    wait "$pid"
    RC=$?
    [[ $((SECONDS - t0)) -le 3 ]] || fail "the wait took $((SECONDS - t0)) s to stop after SIG$sig"
}

case_wait_interrupt() {
    start_server --advancing-jobs
    # In a long pause between looks.
    wait_in_background INT --name wait-forever --interval 1h --timeout 8s
    expect_rc 130
    expect_changes "job 7100000006 (wait-forever): JOBSTAT_WAITING"
    [[ $(tail -c 1 "$WORK/out" | od -An -c | tr -d ' ') == '\n' ]] || fail "the output does not end with a whole line"
    expect_err "ma-jobs: wait: interrupted (SIGINT); job 7100000006 (wait-forever) was JOBSTAT_WAITING"
    wait_in_background TERM --name wait-forever --interval 1h --timeout 8s
    expect_rc 143
    expect_err "interrupted (SIGTERM)"
    stop_server
    # In the middle of a slow request (5 s): the cancel hook ends it within about a second.
    start_server --advancing-jobs --latency-ms 5000
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" wait --name wait-forever --interval 10ms --timeout 20s --verbose \
        >"$WORK/out" 2>"$WORK/err" &
    local pid=$! i t0 t1
    for i in $(seq 1 200); do
        grep -qF '[debug] > GET' "$WORK/err" && break
        sleep 0.05
    done
    sleep 0.3
    t0=$(date +%s%N)
    kill -INT "$pid"
    wait "$pid"
    RC=$?
    t1=$(date +%s%N)
    expect_rc 130
    expect_err "interrupted (SIGINT) before the job was found"
    expect_no_out
    [[ $(((t1 - t0) / 1000000)) -lt 3000 ]] || fail "the request in flight went on for $(((t1 - t0) / 1000000)) ms"
}

# A standing fault: the second list request gets 429 with Retry-After: 1.
RATE_LIMIT_SECOND=(--fault status --fault-status 429 --fault-retry-after 1 --fault-skip 1 --fault-first 1)

case_wait_rate_limited() {
    # The wait itself (one attempt per poll) backs off for at least Retry-After, then goes on.
    start_server --advancing-jobs "${RATE_LIMIT_SECOND[@]}"
    local t0 t1
    t0=$(date +%s%N)
    run wait --name wait-completes "${FAST[@]}"
    t1=$(date +%s%N)
    expect_rc 0
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT" \
        "job 7100000001 (wait-completes): JOBSTAT_INIT -> JOBSTAT_WAITING" \
        "job 7100000001 (wait-completes): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED"
    expect_err "ma-jobs: wait: poll 2 failed (throttled: HTTP 429 ModelArts.9009, Retry-After 1s); 4 more failures allowed, next poll in 1s"
    [[ $(wc -l <"$WORK/err") -eq 1 ]] || fail "expected one line on stderr"
    [[ $(((t1 - t0) / 1000000)) -ge 1000 ]] || fail "Retry-After: 1 was not waited for ($(((t1 - t0) / 1000000)) ms)"
    stop_server
    # With --retries the library retries within the poll (waiting for Retry-After), and the wait sees no failure.
    start_server --advancing-jobs "${RATE_LIMIT_SECOND[@]}"
    t0=$(date +%s%N)
    run wait --name wait-completes --retries 1 "${FAST[@]}"
    t1=$(date +%s%N)
    expect_rc 0
    expect_no_err
    [[ $(changes | tail -1) == "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED" ]] ||
        fail "the wait did not go on to the end after the 429"
    [[ $(changes | wc -l) -eq 4 ]] || fail "expected 4 change lines"
    [[ $(((t1 - t0) / 1000000)) -ge 1000 ]] || fail "the retry did not wait for Retry-After: 1"
}

# failure_lines: the progress lines of failed polls on stderr.
failure_lines() {
    grep -cE '^ma-jobs: wait: poll [0-9]+ failed \(' "$WORK/err"
}

# Three throttled polls (429 without Retry-After) in a row: each is a line, and the wait goes on to the end.
case_wait_throttled() {
    start_server --advancing-jobs --fault status --fault-status 429 --fault-first 3
    run wait --name wait-completes "${FAST[@]}" --verbose
    expect_rc 0
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT" \
        "job 7100000001 (wait-completes): JOBSTAT_INIT -> JOBSTAT_WAITING" \
        "job 7100000001 (wait-completes): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED"
    [[ $(failure_lines) -eq 3 ]] || fail "expected 3 failure lines, got $(failure_lines)"
    local n left
    for n in 1 2 3; do
        left=$((5 - n))
        grep -qE "^ma-jobs: wait: poll $n failed \(throttled: HTTP 429 ModelArts\.9009\); $left more failures? allowed, next poll in [0-9]+ms\$" \
            "$WORK/err" || fail "no failure line for poll $n"
    done
    # One attempt per poll: 3 throttled and 4 that saw a status, no retry inside a poll.
    [[ $(grep -c '\[debug\] > GET' "$WORK/err") -eq 7 ]] ||
        fail "expected 7 requests (one per poll), got $(grep -c '\[debug\] > GET' "$WORK/err")"
    expect_err_not "retrying in"
    # Throttled polls back off from the interval: the pauses grow (10-20 ms, 20-40 ms, then 40-80 ms at least).
    python3 - "$WORK/err" <<'PY' || fail "the pauses after throttled polls do not double"
import re, sys
pauses = [int(m) for m in re.findall(r"failed \(throttled.*next poll in (\d+)ms", open(sys.argv[1]).read())]
assert len(pauses) == 3, pauses
assert 10 <= pauses[0] <= 20 and 20 <= pauses[1] <= 40 and 40 <= pauses[2] <= 80, pauses
PY
}

# A Retry-After beyond --timeout: no poll before it, so the wait ends at once with the timeout's code.
case_wait_retry_after_past_timeout() {
    start_server --advancing-jobs --fault status --fault-status 429 --fault-retry-after 30 --fault-skip 1 --fault-first 1
    local t0 t1
    t0=$(date +%s%N)
    run wait --name wait-fails --interval 10ms --timeout 10s --verbose
    t1=$(date +%s%N)
    expect_rc 12
    expect_changes "job 7100000002 (wait-fails): JOBSTAT_WAITING"
    expect_err "MA_ERR_RATE_LIMITED"
    grep -qE '^ma-jobs: wait: --timeout 10s expires before the service allows the next poll \(in 3[0-9]s\); job 7100000002 \(wait-fails\) was JOBSTAT_WAITING when last seen, [0-9]+(ms|s) ago$' \
        "$WORK/err" || fail "the wait does not say that the service's time is past the timeout"
    [[ $(grep -c '\[debug\] > GET' "$WORK/err") -eq 2 ]] || fail "a poll came before the Retry-After"
    [[ $(((t1 - t0) / 1000000)) -lt 8000 ]] || fail "the wait went on for $(((t1 - t0) / 1000000)) ms to no purpose"
}

# A connection closed without an answer, twice: a network failure that may heal.
case_wait_closed() {
    start_server --advancing-jobs --fault close --fault-first 2
    run wait --name wait-fails "${FAST[@]}"
    expect_rc 10
    expect_changes "job 7100000002 (wait-fails): JOBSTAT_WAITING" \
        "job 7100000002 (wait-fails): JOBSTAT_WAITING -> JOBSTAT_RUNNING" \
        "job 7100000002 (wait-fails): JOBSTAT_RUNNING -> JOBSTAT_FAILED"
    [[ $(failure_lines) -eq 2 ]] || fail "expected 2 failure lines, got $(failure_lines)"
    expect_err "poll 1 failed (MA_ERR_TRANSPORT: the server closed the connection without answering"
    expect_err "poll 2 failed (MA_ERR_TRANSPORT: "
    expect_err "3 more failures allowed"
    # The message leaves out the request line, the same for every poll.
    expect_err_not "poll 1 failed (MA_ERR_TRANSPORT: page 1: GET"
    expect_err "ma-jobs: wait: job 7100000002 (wait-fails) failed: JOBSTAT_FAILED (run failed), after JOBSTAT_RUNNING for "
}

# --max-failures N: N failed polls in a row are survived, the next one ends the wait with its exit code.
case_wait_max_failures() {
    # Six HTTP 503 in a row with --max-failures 5: the sixth ends it.
    start_server --advancing-jobs --fault status --fault-first 6
    run wait --name wait-completes "${FAST[@]}" --max-failures 5
    expect_rc 4
    expect_no_out
    [[ $(failure_lines) -eq 5 ]] || fail "expected 5 failure lines, got $(failure_lines)"
    expect_err "poll 1 failed (MA_ERR_SERVER: HTTP 503 ModelArts.9009); 4 more failures allowed, next poll in "
    expect_err "poll 4 failed (MA_ERR_SERVER: HTTP 503 ModelArts.9009); 1 more failure allowed, next poll in "
    expect_err "poll 5 failed (MA_ERR_SERVER: HTTP 503 ModelArts.9009); no more failures allowed, next poll in "
    expect_err_not "poll 6 failed"
    expect_err "ma-jobs: wait: listing training jobs: MA_ERR_SERVER: "
    expect_err "ma-jobs: wait: giving up after 6 failed polls in a row (--max-failures 5)"
    [[ $(tail -1 "$WORK/err") == "ma-jobs: wait: giving up after 6 failed polls in a row (--max-failures 5)" ]] ||
        fail "the last line does not say why the wait ended"
    stop_server
    # Five in a row with --max-failures 5 (the default) are survived.
    start_server --advancing-jobs --fault status --fault-first 5
    run wait --name wait-completes "${FAST[@]}"
    expect_rc 0
    [[ $(failure_lines) -eq 5 ]] || fail "expected 5 failure lines, got $(failure_lines)"
    [[ $(changes | tail -1) == "job 7100000001 (wait-completes): JOBSTAT_RUNNING -> JOBSTAT_COMPLETED" ]] ||
        fail "the wait did not go on to the end"
    stop_server
    # A poll that succeeds starts the count again: requests 2 and 5 fail, never two in a row, so
    # --max-failures 1 is enough (counted without the reset, the second failure would end the wait).
    start_server --advancing-jobs --fault status --fault-every 3 --fault-skip 1
    run wait --name wait-completes "${FAST[@]}" --max-failures 1
    expect_rc 0
    [[ $(failure_lines) -ge 2 ]] || fail "expected failures between successes, got $(failure_lines)"
    expect_err_not "giving up"
    stop_server
    # --max-failures 0: the first failure ends the wait, with no progress line.
    start_server --advancing-jobs --fault status --fault-first 1
    run wait --name wait-completes "${FAST[@]}" --max-failures 0
    expect_rc 4
    expect_no_out
    [[ $(failure_lines) -eq 0 ]] || fail "a failure line with --max-failures 0"
    expect_err "MA_ERR_SERVER"
    # ... also after the job was seen: the last line says what it was.
    stop_server
    start_server --advancing-jobs --fault status --fault-skip 2 --fault-first 1
    run wait --name wait-completes "${FAST[@]}" --max-failures 0
    expect_rc 4
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT" \
        "job 7100000001 (wait-completes): JOBSTAT_INIT -> JOBSTAT_WAITING"
    grep -qE '^ma-jobs: wait: giving up after 1 failed poll in a row \(--max-failures 0\); job 7100000001 \(wait-completes\) was JOBSTAT_WAITING when last seen, [0-9]+(ms|s) ago$' \
        "$WORK/err" || fail "the last line does not name the status last seen"
}

# Failures that waiting cannot heal end the wait at once, whatever --max-failures says.
case_wait_final_failures() {
    # 401 on the first poll only: had the wait polled again, it would have succeeded.
    start_server --advancing-jobs --fault status --fault-status 401 --fault-first 1
    run wait --name wait-completes "${FAST[@]}" --verbose
    expect_rc 3
    expect_no_out
    [[ $(failure_lines) -eq 0 ]] || fail "a 401 was polled again"
    expect_err "MA_ERR_UNAUTHORIZED"
    [[ $(grep -c '\[debug\] > GET' "$WORK/err") -eq 1 ]] || fail "a 401 was sent again"
    stop_server
    # 403 after the job was seen.
    start_server --advancing-jobs --fault status --fault-status 403 --fault-skip 1 --fault-first 1
    run wait --name wait-completes "${FAST[@]}"
    expect_rc 3
    expect_changes "job 7100000001 (wait-completes): JOBSTAT_INIT"
    [[ $(failure_lines) -eq 0 ]] || fail "a 403 was polled again"
    stop_server
    start_server --advancing-jobs
    # A wrong endpoint (404), a refused request (400 with a service error body).
    run wait --name wait-completes "${FAST[@]}" --endpoint "$ENDPOINT/no/such/prefix"
    expect_rc 4
    expect_err "MA_ERR_NOT_FOUND"
    [[ $(failure_lines) -eq 0 ]] || fail "a 404 was polled again"
    run wait --name wait-completes "${FAST[@]}" --workspace-id no-such-workspace
    expect_rc 4
    expect_err "MA_ERR_SERVICE"
    [[ $(failure_lines) -eq 0 ]] || fail "a 400 was polled again"
    stop_server
    # A whole answer that is not JSON.
    start_server --advancing-jobs --fault malformed --fault-first 1
    run wait --name wait-completes "${FAST[@]}"
    expect_rc 4
    expect_err "MA_ERR_PROTOCOL"
    [[ $(failure_lines) -eq 0 ]] || fail "a malformed answer was polled again"
    stop_server
    # A cut-off one is a network failure, which may heal.
    start_server --advancing-jobs --fault truncated --fault-first 1
    run wait --name wait-completes "${FAST[@]}"
    expect_rc 0
    [[ $(failure_lines) -eq 1 ]] || fail "a cut-off answer ended the wait"
    expect_err "poll 1 failed (MA_ERR_TRANSPORT: "
}

# The line that ends a wait says how long the job has been in its status.
case_wait_time_in_status() {
    start_server --advancing-jobs
    # WAITING at the first poll, RUNNING from the second on: RUNNING's time is known, not "at least".
    run wait --name wait-forever --interval 10ms --timeout 1500ms
    expect_rc 12
    grep -qE '^ma-jobs: wait: --timeout 1500ms expired; job 7100000006 \(wait-forever\) is still JOBSTAT_RUNNING \(running\), in that status for [0-9]+s$' \
        "$WORK/err" || fail "the timeout line does not say how long the job has been RUNNING"
    # RUNNING at the first poll and for good: "at least".
    run wait --job-id 7100000008 --interval 10ms --timeout 1500ms
    expect_rc 12
    grep -qE '^ma-jobs: wait: --timeout 1500ms expired; job 7100000008 \(wait-twin\) is still JOBSTAT_RUNNING \(running\), in that status for at least [0-9]+s$' \
        "$WORK/err" || fail "the timeout line does not say 'at least' for the status of the first poll"
    # How long the status before the end lasted: INIT (the first poll's), IMAGE_CREATING from the second
    # poll (300 ms in) to the third (450 ms later), then IMAGE_FAILED. A fresh server: the walk by id
    # above listed, and so advanced, every job.
    stop_server
    start_server --advancing-jobs
    run wait --name wait-image-fails --interval 300ms --timeout 20s
    expect_rc 10
    grep -qE '^ma-jobs: wait: job 7100000003 \(wait-image-fails\) failed: JOBSTAT_IMAGE_FAILED \(image creation failed\), after JOBSTAT_IMAGE_CREATING for [0-9]+(ms|s)$' \
        "$WORK/err" || fail "the failed line does not say how long the status before lasted"
    local lasted
    lasted=$(grep -oE 'for [0-9]+(ms|s)$' "$WORK/err")
    [[ $lasted =~ ^for\ [0-9]+s$ || ${lasted//[^0-9]/} -ge 440 ]] || fail "IMAGE_CREATING lasted $lasted, under the pause"
    stop_server
    # Interrupted in a pause: the status the wait last saw, and for how long (at least the 1.2 s slept).
    start_server --advancing-jobs
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" wait --job-id 7100000008 --interval 1h --timeout 20s >"$WORK/out" 2>"$WORK/err" &
    local pid=$! i
    for i in $(seq 1 200); do
        [[ -s "$WORK/out" ]] && break
        sleep 0.05
    done
    sleep 1.2
    kill -INT "$pid"
    wait "$pid"
    RC=$?
    expect_rc 130
    grep -qE '^ma-jobs: wait: interrupted \(SIGINT\); job 7100000008 \(wait-twin\) was JOBSTAT_RUNNING, in that status for at least [0-9]+s$' \
        "$WORK/err" || fail "the interrupted line does not say how long the job has been RUNNING"
}

# Paced by time instead of by listing: looks may miss a step, but what they see comes in order, to the end.
case_wait_paced() {
    start_server --advancing-jobs --pace-ms 100
    run wait --name wait-completes --interval 20ms --timeout 20s
    expect_rc 0
    changes | python3 -c '
import sys
order = ["JOBSTAT_INIT", "JOBSTAT_WAITING", "JOBSTAT_RUNNING", "JOBSTAT_COMPLETED"]
seen = [line.split()[-1] for line in sys.stdin]
assert seen[-1] == "JOBSTAT_COMPLETED", seen
assert [order.index(s) for s in seen] == sorted(set(order.index(s) for s in seen)), seen
' || fail "paced job: statuses out of order or not to the end"
}
