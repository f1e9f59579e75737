#!/usr/bin/env bash
# Runs one example program of docs/guides/ against ma-fake-server and checks its output.
#
#   run_example.sh <ma-fake-server> <example> <case> <make_test_certs.sh>
#
# Each case starts its own server on an ephemeral port (port file) with the flags that
# case needs, runs the example with a clean environment (only the variables the case
# sets, plus the sanitizer options), and checks the exit status and what it printed.
set -uo pipefail

SERVER=$1
EXAMPLE=$2
CASE=$3
MAKE_CERTS=$4

TOKEN="example-token-0123456789abcdef"
PROJECT="0a1b2c3d4e5f60718293a4b5c6d7e8f9"
RC=0
FAILED=0
# WORK (removed on exit), fake_server_start, fake_server_stop; SERVER_PID, PORT, ENDPOINT
source "$(dirname "${BASH_SOURCE[0]}")/../tests/support/fake_server.sh"

fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- stdout:" >&2
    cat "$WORK/out" >&2 2>/dev/null
    echo "--- stderr:" >&2
    cat "$WORK/err" >&2 2>/dev/null
    FAILED=1
}

# start_server [ma-fake-server flags...]: --project-id, --seed and --realistic (every job in workspace
# "0", the default one, so the totals are the --jobs given) are always given.
start_server() {
    fake_server_start --project-id "$PROJECT" --seed 7 --realistic "$@"
}

# run VAR=value... -- args...: the example with exactly these variables set.
run() {
    local vars=(PATH="$PATH")
    for keep in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS; do
        [[ -n "${!keep:-}" ]] && vars+=("$keep=${!keep}")
    done
    while [[ $1 != -- ]]; do vars+=("$1"); shift; done
    shift
    # MA_EXAMPLE_WRAPPER: e.g. valgrind and its flags (ctest's example_*_valgrind).
    # shellcheck disable=SC2086
    env -i "${vars[@]}" ${MA_EXAMPLE_WRAPPER:-} "$EXAMPLE" "$@" >"$WORK/out" 2>"$WORK/err"
    RC=$?
}

expect_rc() { [[ $RC -eq $1 ]] || fail "exit status $RC, expected $1"; }
expect_line() { grep -qxE -- "$1" "$WORK/out" || fail "no output line matching: $1"; }
expect_err() { grep -qE -- "$1" "$WORK/err" || fail "stderr does not match: $1"; }
expect_no() { ! grep -qF -- "$1" "$WORK/out" "$WORK/err" || fail "output contains '$1'"; }
expect_count() { # regex count
    local n
    n=$(grep -cE -- "$1" "$WORK/out")
    [[ $n -eq $2 ]] || fail "$n lines match '$1', expected $2"
}

TOKEN_ENV=()
token_env() { TOKEN_ENV=(MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN"); }

case "$CASE" in
getting_started)
    start_server --token "$TOKEN" --jobs 37
    token_env
    run "${TOKEN_ENV[@]}" --
    expect_rc 0
    expect_count $'^-?[0-9]+\t(JOBSTAT_[A-Z_]+|MOUNT_FAILED)\t' 5
    expect_line "5 of 37 job\(s\)"
    run "${TOKEN_ENV[@]}" MODELARTS_TOKEN=wrong-token --
    expect_rc 1
    expect_err "getting_started: MA_ERR_UNAUTHORIZED"
    run MODELARTS_ENDPOINT="$ENDPOINT" --
    expect_rc 2
    ;;
auth_token)
    start_server --token "$TOKEN" --jobs 37
    run MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" --
    expect_rc 0
    expect_line "method: token"
    expect_line "listed 10 of 37 job\(s\)"
    ;;
auth_aksk | auth_aksk_temporary)
    AK="EXAMPLEAK0123456789"
    SK="example-secret-key-0123456789abcdef"
    ST="example-security-token-0123456789"
    vars=(MODELARTS_ENDPOINT="$ENDPOINT" HUAWEICLOUD_SDK_PROJECT_ID="$PROJECT" HUAWEICLOUD_SDK_AK="$AK"
          HUAWEICLOUD_SDK_SK="$SK")
    if [[ $CASE == auth_aksk ]]; then
        start_server --ak "$AK" --sk "$SK" --jobs 37
        method=aksk
    else
        start_server --ak "$AK" --sk "$SK" --security-token "$ST" --jobs 37
        method=aksk-temporary
    fi
    vars[0]=MODELARTS_ENDPOINT="$ENDPOINT"
    [[ $CASE == auth_aksk_temporary ]] && vars+=(HUAWEICLOUD_SDK_SECURITY_TOKEN="$ST")
    run "${vars[@]}" --
    expect_rc 0
    expect_line "method: $method"
    expect_line "listed 10 of 37 job\(s\)"
    # A wrong secret key is rejected once, never retried, and never printed.
    run "${vars[@]}" HUAWEICLOUD_SDK_SK="wrong-$SK" --
    expect_rc 1
    expect_err "MA_ERR_UNAUTHORIZED \(HTTP 401\)"
    expect_no "$SK"
    ;;
auth_password)
    start_server --iam-user alice --iam-password 'pa55 w0rd!' --iam-domain example-domain --project-name eu-de \
        --jobs 37
    vars=(MODELARTS_ENDPOINT="$ENDPOINT" OS_AUTH_URL="$ENDPOINT/v3" OS_USERNAME=alice OS_PASSWORD='pa55 w0rd!'
          OS_USER_DOMAIN_NAME=example-domain OS_PROJECT_NAME=eu-de)
    run "${vars[@]}" --
    expect_rc 0
    expect_line "method: password"
    expect_line "project id: \(from IAM on the first call\)"
    expect_line "listed 10 of 37 job\(s\)"
    run "${vars[@]}" OS_PASSWORD=wrong-password --
    expect_rc 1
    expect_err "MA_ERR_UNAUTHORIZED \(HTTP 401\)"
    # A half-set method stops before anything is sent, naming the missing variable.
    run "${vars[@]}" OS_USER_DOMAIN_NAME= --
    expect_rc 1
    expect_err "MA_ERR_INVALID_ARG.*OS_USER_DOMAIN_NAME"
    ;;
auth_explicit)
    start_server --token "$TOKEN" --jobs 37
    # The environment's token is wrong, the program's own wins.
    run MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN=stale-token -- \
        --explicit-token "$TOKEN"
    expect_rc 0
    expect_line "method: caller"
    expect_line "listed 10 of 37 job\(s\)"
    ;;
paging)
    start_server --token "$TOKEN" --jobs 1234
    token_env
    run "${TOKEN_ENV[@]}" -- 100
    expect_rc 0
    expect_line "page 2: 100 jobs of 1234"
    expect_line "walk, 1 in flight: 1234 jobs in 13 pages \(job_total_count 1234\)"
    expect_line "walk, 8 in flight: 1234 jobs in 13 pages \(job_total_count 1234\)"
    expect_line "parallel order matches sequential: yes"
    expect_line "list-all, max_jobs 250: 250 jobs"
    run "${TOKEN_ENV[@]}" -- 1001
    expect_rc 2
    ;;
errors_retries)
    start_server --token "$TOKEN" --jobs 37 --latency-ms 300
    # Port 1 (tcpmux) is not served on a build machine: connections are refused.
    run MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" -- "$ENDPOINT" "http://127.0.0.1:1"
    expect_rc 0
    expect_line "ok: MA_OK .*retries=0 later=no message=-.*"
    expect_line "wrong_token: MA_ERR_UNAUTHORIZED http=401 retries=0 later=no message=.* request_id=.+"
    expect_line "unreachable: MA_ERR_TRANSPORT http=0 retries=2 later=yes message=.*\(attempt 3 of 3\).*"
    expect_line "deadline: MA_ERR_TIMEOUT http=0 retries=0 later=yes message=.*total_timeout_ms.*"
    expect_line "cancelled: MA_ERR_CANCELLED http=0 retries=0 later=no message=.+"
    expect_no "$TOKEN"
    ;;
threads)
    start_server --token "$TOKEN" --jobs 500
    token_env
    run "${TOKEN_ENV[@]}" -- 4
    expect_rc 0
    expect_count "^thread [0-3]: MA_OK, 500 jobs walked, shared page starts with job -?[0-9]+$" 4
    expect_line "all threads agree: yes"
    ;;
tls)
    bash "$MAKE_CERTS" "$WORK/certs"
    start_server --token "$TOKEN" --jobs 37 --cert-file "$WORK/certs/good.pem" --key-file "$WORK/certs/good.key"
    run MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" -- "https://localhost:$PORT" "$WORK/certs/ca.pem"
    expect_rc 0
    expect_line "system_store: MA_ERR_TLS: .+"
    expect_line "ca_file: MA_OK"
    expect_line "missing_ca_file: MA_ERR_INVALID_ARG: ca_file cannot be read"
    expect_line "plain_http: MA_ERR_INVALID_ARG: .*allow_insecure_http.*"
    ;;
logging)
    start_server --token "$TOKEN" --jobs 37
    token_env
    run "${TOKEN_ENV[@]}" -- debug
    expect_rc 0
    expect_line "\[debug\] > GET $ENDPOINT/v1/$PROJECT/training-jobs \(attempt 1 of 1\)"
    expect_line "\[debug\] > X-Auth-Token: \*\*\*"
    expect_line "\[info\] < GET $ENDPOINT/v1/$PROJECT/training-jobs: HTTP 200 .*"
    expect_count "^\[error\] " 1
    expect_line "listed 10 job\(s\)"
    expect_line "second call: MA_ERR_[A-Z_]+"
    expect_no "$TOKEN"
    run "${TOKEN_ENV[@]}" -- warn
    expect_rc 0
    expect_count "^\[(debug|info)\] " 0
    expect_count "^\[error\] " 1
    ;;
event_libuv | event_libevent | event_epoll)
    # 1234 jobs by pages of 100 (13 pages, 4 in flight), each answered after 20 ms: the program's
    # 10 ms timer on the same loop ticks meanwhile.
    start_server --token "$TOKEN" --jobs 1234 --latency-ms 20
    token_env
    run "${TOKEN_ENV[@]}" -- 100
    expect_rc 0
    expect_count '^-?[0-9]+ +-?[0-9]+ +(JOBSTAT_[A-Z_]+|MOUNT_FAILED) ' 1234
    expect_line "listed 1234 job\(s\)"
    expect_err "^ticks: [1-9][0-9]*$"
    # The same jobs, in the same order and the same lines, as list_jobs prints from two big pages.
    job_line='^-?[0-9]+ +-?[0-9]+ +[A-Z]'
    grep -E "$job_line" "$WORK/out" >"$WORK/event-jobs"
    LIST_JOBS="$(dirname "$EXAMPLE")/list_jobs"
    for page in 1 2; do
        env -i "${TOKEN_ENV[@]}" "$LIST_JOBS" --per-page 1000 --page "$page" >"$WORK/page$page" ||
            fail "list_jobs --page $page failed"
    done
    cat "$WORK/page1" "$WORK/page2" | grep -E "$job_line" >"$WORK/blocking-jobs"
    cmp -s "$WORK/event-jobs" "$WORK/blocking-jobs" || fail "the jobs differ from list_jobs' (order or lines)"
    run "${TOKEN_ENV[@]}" MODELARTS_TOKEN=wrong-token -- 100
    expect_rc 1
    expect_err "MA_ERR_UNAUTHORIZED"
    ;;
event_daemon)
    start_server --token "$TOKEN" --jobs 500
    token_env
    # Three rounds 100 ms apart, then it stops by itself.
    run "${TOKEN_ENV[@]}" -- 100 3
    expect_rc 0
    expect_count "^round [1-3]: [1-9][0-9]* failed job\(s\)$" 3
    n=$(sed -n 's/^round 1: \([0-9]*\) failed.*/\1/p' "$WORK/out")
    expect_count "^  -?[0-9]+ " $((3 * ${n:-0}))
    # Every job listed failed.
    expect_count "^  -?[0-9]+ JOBSTAT_FAILED " $((3 * ${n:-0}))
    # SIGTERM stops it cleanly after its first round, long before the second is due.
    vars=(PATH="$PATH" "${TOKEN_ENV[@]}")
    for keep in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS TSAN_OPTIONS; do
        [[ -n "${!keep:-}" ]] && vars+=("$keep=${!keep}")
    done
    # shellcheck disable=SC2086
    env -i "${vars[@]}" ${MA_EXAMPLE_WRAPPER:-} "$EXAMPLE" 60000 >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    for _ in $(seq 1 600); do
        grep -q '^round 1:' "$WORK/out" && break
        sleep 0.05
    done
    kill -TERM "$pid"
    wait "$pid"
    RC=$?
    expect_rc 0
    expect_line "round 1: [1-9][0-9]* failed job\(s\)"
    expect_err "event_daemon: signal 15, stopping"
    expect_count "^round " 1
    run "${TOKEN_ENV[@]}" -- 0
    expect_rc 2
    ;;
*)
    echo "unknown case $CASE" >&2
    exit 2
    ;;
esac
exit $FAILED
