#!/usr/bin/env bash
# End-to-end tests of the ma-jobs binary against ma-fake-server over loopback.
#
#   cli_test.sh <ma-jobs> <ma-fake-server> <golden-dir> <case>
#
# Each case starts its own server on an ephemeral port (port file), runs the
# real binary and checks the exit code, stderr and stdout (golden files: the
# data set is deterministic for a seed). MA_CLI_UPDATE_GOLDEN=1 rewrites the
# golden files instead of comparing. MA_CLI_WRAPPER (e.g. "valgrind -q
# --error-exitcode=99") runs ma-jobs under a wrapper.
set -uo pipefail

MA_JOBS=$1
SERVER=$2
GOLDEN=$3
CASE=$4

TOKEN="cli-test-token-0123456789"
# The table fits COLUMNS when it is set; the cases set it where they mean to.
unset COLUMNS
PROJECT="0123456789abcdef0123456789abcdef"
SEED=7
RC=0
FAILED=0
# WORK (removed on exit), fake_server_start, fake_server_stop; SERVER_PID, ENDPOINT
source "$(dirname "${BASH_SOURCE[0]}")/../support/fake_server.sh"

fail() {
    echo "FAIL [$CASE]: $*" >&2
    echo "--- stderr of the last run:" >&2
    cat "$WORK/err" >&2 2>/dev/null
    FAILED=1
}

# start_server [--jobs N]
# start_server [--jobs N] [more ma-fake-server flags...]
start_server() {
    local jobs=60
    if [[ $# -ge 2 && $1 == --jobs ]]; then
        jobs=$2
        shift 2
    fi
    fake_server_start --token "$TOKEN" --project-id "$PROJECT" --seed "$SEED" --jobs "$jobs" "$@"
}

stop_server() {
    fake_server_stop
}

# run [args...]: ma-jobs with the test environment; stdout -> $WORK/out, stderr -> $WORK/err, status -> RC.
run() {
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" "$@" >"$WORK/out" 2>"$WORK/err"
    RC=$?
}

# run_env VAR=value... -- args...: like run but with a custom environment (env -i base).
run_env() {
    local vars=()
    while [[ $1 != -- ]]; do vars+=("$1"); shift; done
    shift
    env -i PATH="$PATH" "${vars[@]}" ${MA_CLI_WRAPPER:-} "$MA_JOBS" "$@" >"$WORK/out" 2>"$WORK/err"
    RC=$?
}

expect_rc() { [[ $RC -eq $1 ]] || fail "exit code $RC, expected $1"; }
expect_err() { grep -qF -- "$1" "$WORK/err" || fail "stderr lacks '$1'"; }
expect_err_not() { ! grep -qF -- "$1" "$WORK/err" || fail "stderr contains '$1'"; }
expect_out() { grep -qF -- "$1" "$WORK/out" || fail "stdout lacks '$1'"; }
expect_no_err() { [[ ! -s "$WORK/err" ]] || fail "stderr not empty"; }
expect_no_out() { [[ ! -s "$WORK/out" ]] || fail "stdout not empty"; }

# golden NAME: compares stdout with $GOLDEN/NAME.
golden() {
    if [[ -n "${MA_CLI_UPDATE_GOLDEN:-}" ]]; then
        cp "$WORK/out" "$GOLDEN/$1"
        return
    fi
    cmp -s "$WORK/out" "$GOLDEN/$1" || { fail "stdout differs from golden/$1"; diff "$GOLDEN/$1" "$WORK/out" | head -20 >&2; }
}

# same_as FILE: stdout equals a saved earlier stdout.
save() { cp "$WORK/out" "$WORK/$1"; }
same_as() { cmp -s "$WORK/out" "$WORK/$1" || fail "stdout differs from the run saved as $1"; }
# same_lines_as FILE: stdout, one JSON value a line, equals FILE (both compacted by jq).
same_lines_as() { jq -c . "$WORK/out" | cmp -s - "$WORK/$1" || fail "stdout lines differ from $1"; }

case_help() {
    run --help
    expect_rc 0
    expect_no_err
    golden help.txt
    awk 'length($0) > 80 { exit 1 }' "$WORK/out" || fail "--help has lines wider than 80 columns"
    for flag in --endpoint --project-id --status --per-page --page --sort-by --order --search --workspace-id \
        --all --limit --parallel --format --timeout-ms --retries --cacert --insecure --verbose --version --help MODELARTS_ENDPOINT MODELARTS_PROJECT_ID \
        MODELARTS_TOKEN --region --cloud HUAWEICLOUD_SDK_AK HUAWEICLOUD_SDK_SK HUAWEICLOUD_SDK_SECURITY_TOKEN \
        HUAWEICLOUD_SDK_PROJECT_ID OS_AUTH_URL OS_USERNAME OS_PASSWORD OS_USER_DOMAIN_NAME OS_PROJECT_NAME \
        OS_PROJECT_ID OS_REGION_NAME "Precedence:" "Exit status" "Examples"; do
        expect_out "$flag"
    done
    for code in 0 1 2 3 4 5; do
        grep -qE "^  $code  " "$WORK/out" || fail "--help does not document exit code $code"
    done
    for code in 130 141 143; do
        grep -qE "(^  | )$code " "$WORK/out" || fail "--help does not document exit code $code"
    done
    for short in -h -V -a -s -f -n -p -e -r -v -S -q -w; do
        grep -qE -- "^  $short, --" "$WORK/out" || fail "--help does not document $short"
    done
    for code in 10 11 12 13; do
        grep -qE "^  $code " "$WORK/out" || fail "--help does not document the wait exit code $code"
    done
    for flag in "ma-jobs wait" --job-id --name --timeout --interval; do
        expect_out "$flag"
    done
    # --help needs no configuration at all.
    run_env -- --help
    expect_rc 0
}

case_version() {
    run_env -- --version
    expect_rc 0
    expect_no_err
    grep -qE '^ma-jobs [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/out" || fail "no tool version"
    grep -qE '^libmodelarts [0-9]+\.[0-9]+\.[0-9]+ ' "$WORK/out" || fail "no library version"
    grep -qE '^libcurl [0-9]+\.[0-9]+' "$WORK/out" || fail "no libcurl version"
    grep -qE '^jansson [0-9]+\.[0-9]+' "$WORK/out" || fail "no jansson version"
}

case_table() {
    start_server
    run --page 1 --per-page 12
    expect_rc 0
    expect_no_err
    golden table_page1.txt
    # Every data row puts STATUS at the same display column as the header
    # (checked in cells, not bytes, with Python's East Asian width tables).
    python3 - "$WORK/out" <<'PY' || fail "table columns not aligned"
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
col = lines[0].index("STATUS")
for line in lines[1:]:
    starts = [m.start() + 2 for m in re.finditer(r"(?=  [A-Z][A-Z_]+(\(-?\d+\))?  )", line)]
    if not any(width(line[:i]) == col for i in starts):
        sys.exit("misaligned: " + line)
PY
}

case_table_all() {
    start_server
    run --all --per-page 7
    expect_rc 0
    expect_no_err
    golden table_all.txt
    expect_out "9007199254740993"
    expect_out "9223372036854775806"
    expect_out '\n'
}

case_json() {
    start_server
    run --page 1 --per-page 5 --format json
    expect_rc 0
    golden json_page1.json
    jq -e '.is_success == true and .job_total_count == 42 and (.jobs | length) == 5' "$WORK/out" >/dev/null ||
        fail "jq does not read the json"
    run --all --format json
    expect_rc 0
    golden json_all.json
    # Exact int64: compare the text, not a double.
    expect_out '"job_id": 9007199254740993'
    expect_out '"job_id": 9223372036854775806'
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["jobs"]) == 42, len(d["jobs"]); assert any(j["job_id"] == 2**53 + 1 for j in d["jobs"])' "$WORK/out" ||
        fail "python does not read the json"
}

case_jsonl() {
    start_server
    run --all --per-page 9 --format jsonl
    expect_rc 0
    golden all.jsonl
    [[ $(wc -l <"$WORK/out") -eq 42 ]] || fail "expected 42 lines"
    jq -e -s 'length == 42 and all(.[]; has("job_id") and has("version_count"))' "$WORK/out" >/dev/null ||
        fail "jq does not read every line"
}

# Optional fields the service left out or sent as null are left out of json and
# jsonl, and are empty cells in csv and the table; a real 0 is still printed.
case_optional_absent() {
    start_server --fault optional-absent
    run --page 1 --per-page 8 --format json
    expect_rc 0
    expect_no_err
    jq -e '(.jobs | length) == 8
        and (.jobs[0] | has("duration") | not) and (.jobs[0] | has("version_count") and has("job_desc"))
        and (.jobs[1] | has("version_count") | not) and (.jobs[1] | has("duration") and has("job_desc"))
        and (.jobs[2] | has("job_desc") | not) and (.jobs[2] | has("duration") and has("version_count"))
        and (.jobs[3] | has("duration") and has("version_count") and has("job_desc"))
        and (.jobs[4] | has("duration") | not)' "$WORK/out" >/dev/null ||
        fail "json output has fields the service did not send, or lacks some it did"
    save page.json
    run --page 1 --per-page 8 --format jsonl
    expect_rc 0
    jq -e -s --slurpfile page "$WORK/page.json" '. == $page[0].jobs' "$WORK/out" >/dev/null ||
        fail "jsonl lines differ from the json page"
    run --page 1 --per-page 8 --format csv
    expect_rc 0
    python3 - "$WORK/out" <<'PY' || fail "csv cells of absent fields are not empty"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))[1:]
assert len(rows) == 8, len(rows)
assert rows[0][8] == "" and rows[0][9] != "", rows[0]
assert rows[1][9] == "" and rows[1][8] != "", rows[1]
assert rows[2][3] == "" and rows[2][8] != "" and rows[2][9] != "", rows[2]
assert rows[3][8] != "" and rows[3][9] != "", rows[3]
PY
    run --page 1 --per-page 8
    expect_rc 0
    # After the creation time: DURATION and VERSIONS, either one blank when absent.
    python3 - "$WORK/out" <<'PY' || fail "table cells of absent fields are not blank"
import re, sys
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()[1:]
assert len(rows) == 8, len(rows)
tails = [re.split(r"\d{4}-\d\d-\d\dT[\d:.]+Z", r)[1].split() for r in rows]
assert len(tails[0]) == 1 and ":" not in tails[0][0], rows[0]
assert len(tails[1]) == 1 and ":" in tails[1][0], rows[1]
assert len(tails[2]) == 2 and len(tails[3]) == 2, rows[2:4]
PY
}

case_csv() {
    start_server
    run --all --format csv
    expect_rc 0
    golden all.csv
    head -1 "$WORK/out" | grep -q $'^job_id,version_id,job_name,job_desc,status,status_name,create_time,create_time_ms,duration_ms,version_count\r$' ||
        fail "bad header"
    python3 - "$WORK/out" <<'PY' || fail "python's csv module does not read 42 rows of 10 fields"
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f, strict=True))
assert len(rows) == 43, len(rows)
assert all(len(r) == 10 for r in rows), [r for r in rows if len(r) != 10][:1]
assert all(any(c in r[2] + r[3] for r in rows[1:]) for c in '",\n')
assert any(r[0] == '9007199254740993' for r in rows)
PY
}

case_status() {
    start_server
    run --all --status RUNNING --format jsonl
    expect_rc 0
    save running
    [[ -s "$WORK/out" ]] || fail "no RUNNING jobs"
    jq -e -s 'all(.[]; .status == 8)' "$WORK/out" >/dev/null || fail "a job is not RUNNING"
    for spelling in running JOBSTAT_RUNNING jobstat_Running 8; do
        run --all --status "$spelling" --format jsonl
        expect_rc 0
        same_as running
    done
    run --all --status=MOUNT_FAILED --format jsonl
    expect_rc 0
    jq -e -s 'length > 0 and all(.[]; .status == 22)' "$WORK/out" >/dev/null || fail "MOUNT_FAILED"
    # The library's range check, worded for the flag as typed.
    run --status 23
    expect_rc 2
    expect_err "ma-jobs: --status must be a job status in [0, 22], got 23"
    expect_err_not "MA_ERR_INVALID_ARG"
    expect_err "Try 'ma-jobs --help'"
    run -s 23
    expect_rc 2
    expect_err "ma-jobs: -s must be a job status"
    run --status SLEEPING
    expect_rc 2
    expect_err "--status: 'SLEEPING' is neither a status"
}

case_query_flags() {
    start_server
    run --per-page 4 --page 2 --sort-by create_time --order desc --format csv
    expect_rc 0
    golden page2_create_time_desc.csv
    run --per-page=4 --page=2 --sort-by=create_time --order=desc --format=csv
    expect_rc 0
    golden page2_create_time_desc.csv
    for key in job_name job_desc status duration version_count create_time; do
        run --sort-by "$key" --order asc --per-page 3 --format jsonl
        expect_rc 0
    done
    run --all --search trainjob --format jsonl
    expect_rc 0
    golden search_trainjob.jsonl
    jq -e -s 'length > 0 and all(.[]; .job_name | ascii_downcase | contains("trainjob"))' "$WORK/out" >/dev/null ||
        fail "--search"
    run --all --workspace-id ws-beta --format jsonl
    expect_rc 0
    [[ $(wc -l <"$WORK/out") -eq 6 ]] || fail "--workspace-id ws-beta: expected 6 jobs"
    run --timeout-ms 5000 --per-page 1
    expect_rc 0
    run --per-page 0
    expect_rc 2
    expect_err "ma-jobs: --per-page must be in [1, 1000], got 0"
    expect_err_not "per_page"
    run --per 0
    expect_rc 2
    expect_err "ma-jobs: --per (--per-page) must be in [1, 1000], got 0"
    run --page 65536
    expect_rc 2
    expect_err "ma-jobs: --page must be in [1, 65535], got 65536"
    run --search "$(printf 'x%.0s' $(seq 1 65))"
    expect_rc 2
    expect_err "ma-jobs: --search"
    expect_err_not "MA_ERR_INVALID_ARG"
}

case_env_and_flags() {
    start_server
    run_env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" -- --per-page 3
    expect_rc 0
    save env
    # Flags win over the environment.
    run_env MODELARTS_ENDPOINT=http://127.0.0.1:1 MODELARTS_PROJECT_ID=wrong MODELARTS_TOKEN="$TOKEN" -- \
        --endpoint "$ENDPOINT" --project-id "$PROJECT" --per-page 3
    expect_rc 0
    same_as env
    run_env MODELARTS_TOKEN="$TOKEN" -- --endpoint="$ENDPOINT" --project-id="$PROJECT" --per-page=3
    expect_rc 0
    same_as env
    # Missing configuration is a usage error naming what is missing.
    run_env MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" --
    expect_rc 2
    expect_err "no endpoint"
    expect_err "MODELARTS_ENDPOINT"
    run_env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_TOKEN="$TOKEN" --
    expect_rc 2
    expect_err "no project id"
    expect_err "MODELARTS_PROJECT_ID"
    run_env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" --
    expect_rc 2
    expect_err "MODELARTS_TOKEN"
    run_env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN= --
    expect_rc 2
    expect_err "no credentials"
    run --endpoint "ftp://127.0.0.1/"
    expect_rc 2
    expect_err "MA_ERR_INVALID_ARG"
}

case_bad_flags() {
    for args in "--bogus" "--per-page" "--per-page ten" "--all=1" "positional" "--format xml" "--order up" \
        "--sort-by name" "--limit 5" "--all --limit 0" "--all --parallel 0" "--all --parallel 17" \
        "--timeout-ms -5" "-x" "--"; do
        # shellcheck disable=SC2086
        run $args
        expect_rc 2
        expect_err "Try 'ma-jobs --help'"
        expect_no_out
    done
}

# no_secret VALUE...: none of the values appears in stdout or stderr of the last run.
no_secret() {
    local v
    for v in "$@"; do
        ! grep -qF -- "$v" "$WORK/out" "$WORK/err" || fail "a secret appears in the output"
    done
}

case_auth_methods() {
    local AK=cli-ak-0001 SK=cli-sk-secret-0002 ST=cli-security-token-0003 PW=cli-password-0004
    # Token.
    start_server
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --endpoint "$ENDPOINT" --per-page 3
    expect_rc 0
    save ref
    expect_out "JOB ID"
    no_secret "$TOKEN"
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --endpoint "$ENDPOINT" --all --format jsonl
    expect_rc 0
    save ref_all
    stop_server
    # AK/SK, project id from HUAWEICLOUD_SDK_PROJECT_ID.
    start_server --ak "$AK" --sk "$SK"
    run_env HUAWEICLOUD_SDK_AK="$AK" HUAWEICLOUD_SDK_SK="$SK" HUAWEICLOUD_SDK_PROJECT_ID="$PROJECT" -- \
        --endpoint "$ENDPOINT" --per-page 3
    expect_rc 0
    same_as ref
    no_secret "$SK"
    run_env HUAWEICLOUD_SDK_AK="$AK" HUAWEICLOUD_SDK_SK=wrong-sk HUAWEICLOUD_SDK_PROJECT_ID="$PROJECT" -- \
        --endpoint "$ENDPOINT" --per-page 3
    expect_rc 3
    stop_server
    # Temporary AK/SK: the server requires the signed security token.
    start_server --ak "$AK" --sk "$SK" --security-token "$ST"
    run_env HUAWEICLOUD_SDK_AK="$AK" HUAWEICLOUD_SDK_SK="$SK" HUAWEICLOUD_SDK_SECURITY_TOKEN="$ST" \
        MODELARTS_PROJECT_ID="$PROJECT" -- --endpoint "$ENDPOINT" --per-page 3
    expect_rc 0
    same_as ref
    no_secret "$SK" "$ST"
    run_env HUAWEICLOUD_SDK_AK="$AK" HUAWEICLOUD_SDK_SK="$SK" MODELARTS_PROJECT_ID="$PROJECT" -- \
        --endpoint "$ENDPOINT" --per-page 3
    expect_rc 3
    no_secret "$SK"
    stop_server
    # Password login through OS_* variables, project id looked up from the project name.
    start_server --iam-user alice --iam-password "$PW" --iam-domain dom --project-name eu-de
    run_env OS_AUTH_URL="$ENDPOINT/v3" OS_USERNAME=alice OS_PASSWORD="$PW" OS_USER_DOMAIN_NAME=dom \
        OS_PROJECT_NAME=eu-de -- --endpoint "$ENDPOINT" --per-page 3
    expect_rc 0
    same_as ref
    no_secret "$PW"
    run_env OS_AUTH_URL="$ENDPOINT" OS_USERNAME=alice OS_PASSWORD="$PW" OS_USER_DOMAIN_NAME=dom \
        OS_PROJECT_NAME=eu-de -- --all --endpoint "$ENDPOINT" --format jsonl
    expect_rc 0
    same_as ref_all
    no_secret "$PW"
    run_env OS_AUTH_URL="$ENDPOINT" OS_USERNAME=alice OS_PASSWORD=wrong-password OS_USER_DOMAIN_NAME=dom \
        OS_PROJECT_NAME=eu-de -- --endpoint "$ENDPOINT"
    expect_rc 3
    no_secret wrong-password
}

case_half_set_env() {
    local SK=cli-sk-secret-0002 PW=cli-password-0004
    run_env HUAWEICLOUD_SDK_AK=ak MODELARTS_PROJECT_ID="$PROJECT" -- --endpoint http://127.0.0.1:1
    expect_rc 2
    expect_err "HUAWEICLOUD_SDK_SK is not set"
    run_env HUAWEICLOUD_SDK_SK="$SK" MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- \
        --endpoint http://127.0.0.1:1
    expect_rc 2
    expect_err "HUAWEICLOUD_SDK_AK is not set"
    no_secret "$SK" "$TOKEN"
    run_env OS_AUTH_URL=http://127.0.0.1:1 OS_USERNAME=alice OS_USER_DOMAIN_NAME=dom OS_PROJECT_NAME=eu-de -- \
        --endpoint http://127.0.0.1:1
    expect_rc 2
    expect_err "OS_PASSWORD is not set"
    run_env OS_PASSWORD="$PW" OS_USERNAME=alice OS_USER_DOMAIN_NAME=dom -- --endpoint http://127.0.0.1:1
    expect_rc 2
    expect_err "OS_AUTH_URL is not set"
    no_secret "$PW"
}

case_region_cloud() {
    local proxy=https_proxy=http://127.0.0.1:1
    # The region's standard endpoint, seen in the request log (the proxy refuses at once).
    run_env "$proxy" MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region eu-de --verbose --retries 0
    expect_rc 5
    expect_err "> GET https://modelarts.eu-de.otc.t-systems.com/v1/$PROJECT/training-jobs"
    run_env "$proxy" MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_ENDPOINT=http://127.0.0.1:1 -- \
        --region cn-north-4 --cloud huaweicloud --verbose --retries 0
    expect_rc 5
    expect_err "> GET https://modelarts.cn-north-4.myhuaweicloud.com/v1/"
    no_secret "$TOKEN"
    # Without --cloud the region name tells the cloud.
    run_env "$proxy" MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region cn-north-4 --verbose \
        --retries 0
    expect_rc 5
    expect_err "> GET https://modelarts.cn-north-4.myhuaweicloud.com/v1/"
    # Bad region or cloud: usage error listing the known regions.
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region eu-nl
    expect_rc 2
    expect_err "eu-nl"
    expect_err "Open Telekom Cloud (eu-de) or Huawei Cloud"
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region cn-north-4 --cloud otc
    expect_rc 2
    expect_err "regions: eu-de"
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region Not_A_Region
    expect_rc 2
    expect_err "not a region name"
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region eu-de --cloud aws
    expect_rc 2
    expect_err "--cloud: 'aws' is not otc or huaweicloud"
    # An explicit --endpoint wins over --region.
    start_server
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- --region eu-de --endpoint "$ENDPOINT" \
        --per-page 3
    expect_rc 0
    expect_out "JOB ID"
}

# golden_paths NAME: like golden, with the case's temporary directory written as WORK.
golden_paths() {
    sed "s|$WORK|WORK|g" "$WORK/out" >"$WORK/out.paths" && mv "$WORK/out.paths" "$WORK/out"
    golden "$1"
}

case_config() {
    # Where each setting came from; the token itself never shown.
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" OS_REGION_NAME=eu-de -- config
    expect_rc 0
    expect_no_err
    golden config_env.txt
    no_secret "$TOKEN"
    run_env MODELARTS_TOKEN="$TOKEN" MODELARTS_PROJECT_ID="$PROJECT" -- config --endpoint http://127.0.0.1:1 \
        --format json
    expect_rc 0
    golden config_env.json
    no_secret "$TOKEN"
    # Nothing anywhere: every source looked at is named.
    mkdir -p "$WORK/empty"
    run_env HOME="$WORK/empty" -- config
    expect_rc 2
    expect_err "no credentials found; looked at: environment: none of MODELARTS_TOKEN, HUAWEICLOUD_SDK_AK/SK"
    expect_err "OS_USERNAME/OS_PASSWORD is set; clouds.yaml: none found"
    expect_err "$WORK/empty/.huaweicloud/credentials: not found"
    run_env HOME="$WORK/empty" MODELARTS_TOKEN="$TOKEN" -- config --status RUNNING
    expect_rc 2
    expect_err "--status does not apply to config"
    run_env HOME="$WORK/empty" MODELARTS_TOKEN="$TOKEN" -- config --format csv
    expect_rc 2
    expect_err "config writes a table (the default) or --format json"
}

case_config_files() {
    local AK=cli-ak-0001 SK=cli-sk-secret-0002 PW=cli-password-0004
    local H="$WORK/home"
    mkdir -p "$H/.config/openstack" "$H/.huaweicloud"
    cat >"$H/.config/openstack/clouds.yaml" <<EOF2
clouds:
  otc:
    profile: otc
    region_name: eu-de
    auth:
      username: alice
      password: $PW
      user_domain_name: OTC00000000001000000xxx
      project_name: eu-de
  keys:
    region_name: eu-de
    profile: otc
    ak: $AK
    sk: $SK
    auth:
      project_id: $PROJECT
EOF2
    chmod 644 "$H/.config/openstack/clouds.yaml"
    # Two clouds: --os-cloud picks one (and wins over OS_CLOUD); the readable file is warned about.
    run_env HOME="$H" OS_CLOUD=keys -- config --os-cloud otc
    expect_rc 0
    golden_paths config_clouds.txt
    expect_err "ma-jobs: warning: $H/.config/openstack/clouds.yaml holds secrets and is readable by group or others"
    no_secret "$PW" "$SK"
    chmod 600 "$H/.config/openstack/clouds.yaml"
    run_env HOME="$H" OS_CLOUD=keys -- config --format json
    expect_rc 0
    expect_no_err
    golden_paths config_clouds.json
    no_secret "$PW" "$SK"
    # Without a pick, the note says why the file was not usable; the profile file is next.
    printf '[basic]\nak = %s\nsk = %s\nproject_id = %s\n' "$AK" "$SK" "$PROJECT" >"$H/.huaweicloud/credentials"
    chmod 600 "$H/.huaweicloud/credentials"
    run_env HOME="$H" MODELARTS_ENDPOINT=http://127.0.0.1:1 -- config
    expect_rc 0
    expect_out "$H/.huaweicloud/credentials [basic] ak/sk"
    rm "$H/.huaweicloud/credentials"
    run_env HOME="$H" -- config
    expect_rc 2
    expect_err "$H/.config/openstack/clouds.yaml: 2 clouds (otc, keys) and OS_CLOUD is not set"
    run_env HOME="$H" -- config --os-cloud nope
    expect_rc 2
    expect_err "no cloud named \"nope\" (from os_cloud option); the file has: otc, keys"
    # A malformed file names itself and the line.
    printf 'clouds:\n  otc: [\n' >"$H/.config/openstack/clouds.yaml"
    run_env HOME="$H" -- config
    expect_rc 2
    expect_err "$H/.config/openstack/clouds.yaml: malformed YAML at line"
    # Listing jobs with the cloud's AK/SK, signed and checked by the server.
    start_server --ak "$AK" --sk "$SK"
    printf 'clouds:\n  keys:\n    ak: %s\n    sk: %s\n    auth: {project_id: %s}\n' "$AK" "$SK" "$PROJECT" \
        >"$H/.config/openstack/clouds.yaml"
    run_env HOME="$H" MODELARTS_ENDPOINT="$ENDPOINT" -- --per-page 3
    expect_rc 0
    expect_out "JOB ID"
    no_secret "$SK"
    stop_server
}

case_metadata() {
    # Keys of 1.5 s and 100 ms a page: --all over 20+ pages needs new keys on the way.
    start_server --jobs 100 --latency-ms 100 --metadata-key-lifetime-ms 1500
    run_env MODELARTS_CREDENTIALS=metadata MODELARTS_METADATA_ENDPOINT="$ENDPOINT" MODELARTS_ENDPOINT="$ENDPOINT" \
        MODELARTS_PROJECT_ID="$PROJECT" -- --all --per-page 3 --parallel 1 --format jsonl
    expect_rc 0
    local lines
    lines=$(wc -l <"$WORK/out")
    [[ $lines -ge 60 ]] || fail "only $lines jobs: fewer than 20 pages"
    no_secret mdsk-secret mdst-
    # The same through the flag; config names the source.
    run_env MODELARTS_METADATA_ENDPOINT="$ENDPOINT" MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" \
        -- config --credentials metadata
    expect_rc 0
    expect_out "metadata service $ENDPOINT (use_metadata option) agency credentials"
    stop_server
    # ma-jobs wait across key refreshes (keys of 0.8 s, a look every 0.3 s).
    start_server --advancing-jobs --metadata-key-lifetime-ms 800
    run_env MODELARTS_METADATA_ENDPOINT="$ENDPOINT" MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" \
        -- --credentials metadata wait --name wait-completes --interval 300ms --timeout 30s
    expect_rc 0
    expect_out "JOBSTAT_RUNNING -> JOBSTAT_COMPLETED"
    stop_server
    # Only the one value; never a fall-through to the metadata service.
    run_env MODELARTS_CREDENTIALS=imds MODELARTS_ENDPOINT=http://127.0.0.1:1 -- config
    expect_rc 2
    expect_err "MODELARTS_CREDENTIALS=imds: the only value known is \"metadata\""
    run_env MODELARTS_ENDPOINT=http://127.0.0.1:1 -- --credentials something
    expect_rc 2
    expect_err "--credentials: the only value is 'metadata'"
}

case_secret_flags() {
    local pair
    for pair in --sk:HUAWEICLOUD_SDK_SK --password:OS_PASSWORD --security-token:HUAWEICLOUD_SDK_SECURITY_TOKEN \
        --token:MODELARTS_TOKEN --ak:HUAWEICLOUD_SDK_AK; do
        run "${pair%%:*}" "hunter2-value"
        expect_rc 2
        expect_err "set ${pair#*:} instead"
        expect_err_not "hunter2"
    done
    for flag in --token --password --sk --ak-sk --secret-key --security-token --auth-token --x-auth-token \
        --api-key --TOKEN; do
        run "$flag" "hunter2-value"
        expect_rc 2
        expect_err "refused"
        expect_err "MODELARTS_TOKEN"
        expect_err_not "hunter2"
        expect_no_out
        run "$flag=hunter2-value"
        expect_rc 2
        expect_err_not "hunter2"
    done
}

case_exit_auth() {
    start_server
    run_env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN=wrong-token-abcdef --
    expect_rc 3
    expect_no_out
    expect_err "MA_ERR_UNAUTHORIZED"
    expect_err "HTTP 401"
    expect_err "service code APIG."
    expect_err "request id "
    # The fake rejects a project id that does not match the token with 403.
    run --project-id ffffffffffffffffffffffffffffffff
    expect_rc 3
    expect_err "HTTP 403"
    expect_err "ModelArts."
}

case_exit_service() {
    start_server
    run --workspace-id no-such-workspace
    expect_rc 4
    expect_no_out
    expect_err "MA_ERR_SERVICE"
    expect_err "HTTP 400"
    expect_err "service code ModelArts."
    expect_err "request id "
    run --endpoint "$ENDPOINT/no/such/prefix"
    expect_rc 4
    expect_err "MA_ERR_NOT_FOUND"
    expect_err "HTTP 404"
    run --all --workspace-id no-such-workspace
    expect_rc 4
}

case_exit_network() {
    start_server
    local closed=$ENDPOINT
    stop_server
    run --endpoint "$closed"
    expect_rc 5
    expect_no_out
    expect_err "MA_ERR_TRANSPORT"
    run --all --endpoint "$closed"
    expect_rc 5
}

# interrupt FORMAT: starts a long walk, sends SIGINT after half a second.
# --retries N: N more attempts after a failed one; the error names the attempt.
case_retries() {
    start_server
    stop_server # a closed port: connection refused every time
    run --retries 2 --verbose
    expect_rc 5
    expect_err "connection refused"
    expect_err "(attempt 3 of 3)"
    expect_err "[warn]"
    expect_err "retrying in"
    [[ $(grep -c '\[debug\] > GET' "$WORK/err") -eq 3 ]] || fail "expected 3 attempts"
    run --retries 0 --verbose
    expect_rc 5
    expect_err_not "attempt 2"
    expect_err_not "retrying"
    [[ $(grep -c '\[debug\] > GET' "$WORK/err") -eq 1 ]] || fail "expected 1 attempt"
}

# --timeout-ms is the deadline of the whole command, retries included.
case_timeout_total() {
    start_server --latency-ms 3000
    run --page 1 --timeout-ms 300 --retries 5
    expect_rc 5
    expect_err "MA_ERR_TIMEOUT"
    expect_err "the deadline (total_timeout_ms) expired"
    expect_err "the deadline was --timeout-ms 300"
    run --all --timeout-ms 300 --retries 5
    expect_rc 5
    expect_err "page 1: "
    expect_err "MA_ERR_TIMEOUT"
    expect_err "the deadline was --timeout-ms 300"
}

# --verbose: the library's log on stderr, credentials masked; stdout unchanged.
case_verbose() {
    start_server
    run --per-page 3
    save plain
    run --per-page 3 --verbose
    expect_rc 0
    same_as plain
    expect_err "[debug] > GET $ENDPOINT/v1/$PROJECT/training-jobs?per_page=3"
    expect_err "[debug] > X-Auth-Token: ***"
    expect_err "[info] < GET"
    expect_err "HTTP 200 MA_OK in"
    expect_err "request id "
    expect_err_not "$TOKEN"
    run --per-page 3
    expect_no_err
}

# --cacert FILE trusts a CA; --insecure (with a warning) trusts anything; neither: the system store.
case_tls() {
    bash "$(dirname "$0")/../support/make_test_certs.sh" "$WORK/certs" || { fail "cannot make certificates"; return; }
    local c="$WORK/certs"
    start_server --cert-file "$c/good.pem" --key-file "$c/good.key"
    ENDPOINT="https://localhost:$(cat "$WORK/port")"
    run --per-page 2
    expect_rc 5
    expect_err "MA_ERR_TLS"
    run --per-page 2 --cacert "$c/ca.pem"
    expect_rc 0
    expect_no_err
    expect_out "JOB ID"
    run --per-page 2 --cacert "$c/missing.pem"
    expect_rc 2
    expect_err "ca_file cannot be read"
    stop_server
    for bad in wrong expired; do
        start_server --cert-file "$c/$bad.pem" --key-file "$c/$bad.key"
        ENDPOINT="https://localhost:$(cat "$WORK/port")"
        run --per-page 2 --cacert "$c/ca.pem"
        expect_rc 5
        expect_err "MA_ERR_TLS"
        expect_err "TLS certificate was not accepted"
        run --per-page 2 --insecure
        expect_rc 0
        expect_err "warning: --insecure"
        expect_out "JOB ID"
        stop_server
    done
}

# interrupt FORMAT [SIGNAL]: a walk of --all, sent SIGNAL (default INT) after half a second.
interrupt() {
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" --all --per-page 1 --parallel 1 --format "$1" >"$WORK/out" 2>"$WORK/err" &
    local pid=$!
    sleep 0.5
    kill -0 "$pid" 2>/dev/null || fail "the walk ended before it could be interrupted"
    local t0=$SECONDS
    kill "-${2:-INT}" "$pid"
    wait "$pid"
    RC=$?
    [[ $((SECONDS - t0)) -le 3 ]] || fail "the walk took $((SECONDS - t0)) s to stop after SIG${2:-INT}"
}

case_exit_cancelled() {
    # Each answer waits 5 ms, so the walk of 2800 pages is still running when interrupted.
    start_server --jobs 4000 --latency-ms 5
    # Every format prints what was fetched, says "interrupted" and exits 130 (128 + SIGINT).
    local f n
    for f in json table csv jsonl; do
        interrupt "$f"
        expect_rc 130
        expect_err "ma-jobs: interrupted"
        expect_err_not "MA_ERR_CANCELLED"
        [[ -s "$WORK/out" ]] || fail "--format $f printed nothing of what it had fetched"
        case $f in
        json)
            n=$(jq '.jobs | length' "$WORK/out") || fail "the interrupted json is not a whole document"
            [[ $n -gt 0 && $n -lt 2800 ]] || fail "interrupted json has $n jobs"
            ;;
        table)
            head -1 "$WORK/out" | grep -q '^ *JOB ID' || fail "the interrupted table has no header"
            n=$(($(wc -l <"$WORK/out") - 1))
            [[ $n -gt 0 && $n -lt 2800 ]] || fail "interrupted table has $n rows"
            ;;
        csv)
            python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); assert 1 < len(r) < 2801 and all(len(x) == 10 for x in r)' "$WORK/out" ||
                fail "the interrupted csv is not whole rows"
            ;;
        jsonl)
            n=$(wc -l <"$WORK/out")
            [[ $n -lt 2800 ]] || fail "cancelled walk wrote all $n jobs"
            jq -e -s "length == $n" "$WORK/out" >/dev/null || fail "cancelled jsonl has a partial line"
            ;;
        esac
    done
    stop_server
    # SIGTERM too (143), and in the middle of a slow page (10 s): the cancel hook ends the request.
    start_server --jobs 40 --latency-ms 10000
    interrupt jsonl TERM
    expect_rc 143
    expect_err "ma-jobs: interrupted"
    expect_no_out
    interrupt table TERM
    expect_rc 143
    expect_no_out
}

case_all_limit_parallel() {
    start_server
    run --all --format jsonl
    expect_rc 0
    expect_no_err # stderr is no terminal: no progress bar
    save all
    for p in 1 2 8 16; do
        run --all --parallel "$p" --per-page 5 --format jsonl
        expect_rc 0
        same_as all
    done
    run --all --limit 10 --per-page 3 --format jsonl
    expect_rc 0
    [[ $(wc -l <"$WORK/out") -eq 10 ]] || fail "--limit 10 gave $(wc -l <"$WORK/out") lines"
    head -10 "$WORK/all" | cmp -s - "$WORK/out" || fail "--limit is not a prefix of the whole walk"
    run --all --limit 1000 --format jsonl
    expect_rc 0
    same_as all
    run --all --page 7 --per-page 5 --format jsonl
    expect_rc 0
    tail -12 "$WORK/all" | cmp -s - "$WORK/out" || fail "--all --page 7 is not the tail from page 7"
    run --all --status 8 --per-page 2 --format json
    expect_rc 0
    jq -e '(.jobs | length) == .job_total_count' "$WORK/out" >/dev/null || fail "json totals"
}

case_progress_tty() {
    start_server
    # script(1) gives ma-jobs a terminal; the bar goes to it and stdout stays clean jsonl.
    MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        script -qec "'$MA_JOBS' --all --per-page 10 --format jsonl >'$WORK/out'" "$WORK/tty" >/dev/null 2>&1
    RC=$?
    expect_rc 0
    grep -q 'page 5/5, 42 jobs' "$WORK/tty" || fail "no progress bar on the terminal"
    [[ $(wc -l <"$WORK/out") -eq 42 ]] || fail "stdout polluted"
}

case_write_errors() {
    start_server
    run --all --format jsonl
    expect_rc 0
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" --all --format csv >/dev/full 2>"$WORK/err"
    RC=$?
    expect_rc 1
    expect_err "writing the output failed: No space left on device"
    stop_server
    start_server --jobs 3000
    # A closed pipe ends the tool as it ends `seq | head -1`: quietly, killed by SIGPIPE (128 + 13).
    local f
    for f in jsonl csv table json; do
        env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
            ${MA_CLI_WRAPPER:-} "$MA_JOBS" --format "$f" 2>"$WORK/err" | head -1 >/dev/null
        RC=${PIPESTATUS[0]}
        expect_rc 141
        expect_no_err
    done
    # A streamed walk (one job a page) also stops at the closed pipe.
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        ${MA_CLI_WRAPPER:-} "$MA_JOBS" --per-page 1 --parallel 1 --format csv 2>"$WORK/err" | head -1 >/dev/null
    RC=${PIPESTATUS[0]}
    expect_rc 141
    expect_no_err
    ${MA_CLI_WRAPPER:-} "$MA_JOBS" --help >/dev/full 2>"$WORK/err"
    RC=$?
    expect_rc 1
}

# Short options, abbreviations, suggestions, "--" and messages naming the flag as typed.
case_getopt() {
    start_server
    run --status RUNNING --format csv --limit 5 --sort-by create_time
    expect_rc 0
    save long
    for args in "-s RUNNING -f csv -n 5 -S create_time" "-sRUNNING -fcsv -n5 -Screate_time" \
        "--stat RUNNING --form csv --lim 5 --sort create_time" "--status=RUNNING --for=csv --li=5 --so=create_time"; do
        # shellcheck disable=SC2086
        run $args
        expect_rc 0
        expect_no_err
        same_as long
    done
    run -h
    expect_rc 0
    golden help.txt
    run_env -- -V
    expect_rc 0
    grep -qE '^ma-jobs [0-9]+\.[0-9]+\.[0-9]+$' "$WORK/out" || fail "-V prints no version"
    run --stauts RUNNING
    expect_rc 2
    expect_err "ma-jobs: unknown option '--stauts'; did you mean '--status'?"
    expect_err "Try 'ma-jobs --help'"
    expect_no_out
    run --s RUNNING
    expect_rc 2
    expect_err "option '--s' is ambiguous; it could be --status, --sort-by, --search"
    run --lim=0
    expect_rc 2
    expect_err "ma-jobs: --lim (--limit): '0' is not a positive integer"
    run -n
    expect_rc 2
    expect_err "ma-jobs: -n needs a value"
    run --per 0
    expect_rc 2
    expect_err "ma-jobs: --per (--per-page) must be in [1, 1000], got 0"
    run -- --all
    expect_rc 2
    expect_err "unexpected argument '--all'"
    # "--" ends the options, so a name that looks like one can still be waited for.
    run --search -weird -f jsonl
    expect_rc 0
    run wait --name x --timeout 1s --interval 100ms -- extra
    expect_rc 2
    expect_err "unexpected argument 'extra'"
}

# Several statuses: the merged stream equals the server's sorted listing filtered to them.
case_multi_status() {
    start_server --jobs 300
    run --sort-by create_time --order desc --format jsonl
    expect_rc 0
    save everything
    jq -c 'select(.status == 11 or .status == 14)' "$WORK/everything" >"$WORK/want"
    [[ $(wc -l <"$WORK/want") -gt 10 ]] || fail "too few FAILED and LOST jobs in the data set"
    for args in "--status FAILED,LOST" "--status FAILED --status LOST" "-s LOST,FAILED,LOST" "-s 11 -s 14"; do
        # shellcheck disable=SC2086
        run $args --sort-by create_time --order desc --per-page 7 --format jsonl
        expect_rc 0
        expect_no_err
        same_lines_as want
    done
    # Classes.
    jq -c 'select(.status as $s | [3,5,6,11,14,16,17,21,22] | index($s))' "$WORK/everything" >"$WORK/failed"
    run --status failed --sort-by create_time --order desc --format jsonl
    expect_rc 0
    same_lines_as failed
    jq -c 'select(.status as $s | [10,20,12,13,3,5,6,11,14,16,17,21,22] | index($s))' "$WORK/everything" >"$WORK/terminal"
    run --status terminal --sort-by create_time --order desc --format jsonl
    expect_rc 0
    same_lines_as terminal
    for class in active completed cancelled; do
        run --status "$class" --format jsonl
        expect_rc 0
        [[ -s "$WORK/out" ]] || fail "no $class jobs"
    done
    # Every sort key and order, in a gathered format too.
    for key in job_name job_desc status duration version_count create_time; do
        for order in asc desc; do
            run --sort-by "$key" --order "$order" --format json
            jq '[.jobs[] | select(.status == 8 or .status == 22)]' "$WORK/out" >"$WORK/want_json"
            run --status RUNNING,MOUNT_FAILED --sort-by "$key" --order "$order" --per-page 9 --parallel 3 --format json
            expect_rc 0
            jq '.jobs' "$WORK/out" | cmp -s - "$WORK/want_json" || fail "--sort-by $key --order $order: not the sorted union"
        done
    done
    run --status FAILED,LOST --page 2
    expect_rc 2
    expect_err "several statuses"
    run --status FAILED,BOGUS
    expect_rc 2
    expect_err "--status: 'BOGUS' is neither a status"
}

# Every matching job unless --page asks for one; --limit in both modes; a notice on a terminal when cut.
case_default_all() {
    start_server
    run --all --format jsonl
    save all
    [[ $(wc -l <"$WORK/all") -eq 42 ]] || fail "--all did not list 42 jobs"
    run --format jsonl
    expect_rc 0
    expect_no_err
    same_as all
    run
    expect_rc 0
    golden table_all.txt
    [[ $(wc -l <"$WORK/out") -eq 43 ]] || fail "the default table is not every job"
    run --limit 3 --format jsonl
    expect_rc 0
    expect_no_err # stderr is no terminal: no notice
    head -3 "$WORK/all" | cmp -s - "$WORK/out" || fail "--limit 3 is not the first 3 jobs"
    run --page 2 --per-page 5 --format jsonl
    expect_rc 0
    sed -n 6,10p "$WORK/all" | cmp -s - "$WORK/out" || fail "--page 2 is not jobs 6-10"
    run --page 2 --per-page 5 --limit 2 --format jsonl
    expect_rc 0
    sed -n 6,7p "$WORK/all" | cmp -s - "$WORK/out" || fail "--page 2 --limit 2 is not jobs 6-7"
    run --page 2 --per-page 5 --limit 2 --format json
    expect_rc 0
    jq -e '(.jobs | length) == 2 and .job_total_count == 42' "$WORK/out" >/dev/null || fail "json of a cut page"
    # On a terminal, stderr says how many there were in all.
    MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        script -qec "'$MA_JOBS' --limit 3 --format jsonl >'$WORK/out'" "$WORK/tty" >/dev/null 2>&1
    grep -q 'ma-jobs: 3 of 42 jobs shown (--limit)' "$WORK/tty" || fail "no --limit notice on the terminal"
    MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        script -qec "'$MA_JOBS' --page 1 --per-page 10 --format csv >'$WORK/out'" "$WORK/tty" >/dev/null 2>&1
    grep -q 'ma-jobs: 10 of 42 jobs shown (--page' "$WORK/tty" || fail "no --page notice on the terminal"
    MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        script -qec "'$MA_JOBS' --format csv >'$WORK/out'" "$WORK/tty" >/dev/null 2>&1
    ! grep -q 'jobs shown' "$WORK/tty" || fail "a notice although nothing was cut"
}

# max_cells FILE: the widest line of FILE in terminal cells.
max_cells() {
    python3 - "$1" <<'PY'
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(max((width(l) for l in open(sys.argv[1], encoding="utf-8").read().splitlines()), default=0))
PY
}

# The table fits COLUMNS, the terminal or --max-width; long names are cut with an ellipsis.
case_width() {
    start_server
    run --page 1 --per-page 12
    save natural
    local natural
    natural=$(max_cells "$WORK/natural")
    for w in 32 80 200; do
        COLUMNS=$w run --page 1 --per-page 12
        expect_rc 0
        expect_no_err
        golden "table_w$w.txt"
        [[ $(max_cells "$WORK/out") -le $w ]] || fail "COLUMNS=$w: a line is $(max_cells "$WORK/out") cells wide"
        [[ $(wc -l <"$WORK/out") -eq 13 ]] || fail "COLUMNS=$w: rows lost"
        run --max-width "$w" --page 1 --per-page 12
        golden "table_w$w.txt"
    done
    grep -q '…' "$GOLDEN/table_w32.txt" || fail "no ellipsis at 32 columns"
    ! grep -q 'VERSIONS' "$GOLDEN/table_w80.txt" || fail "80 columns kept every optional column"
    [[ $natural -lt 200 ]] && { cmp -s "$GOLDEN/table_w200.txt" "$WORK/natural" || fail "200 columns cut a table that fits"; }
    # --max-width wins over COLUMNS; 0 means no limit.
    COLUMNS=32 run --max-width 0 --page 1 --per-page 12
    same_as natural
    COLUMNS=32 run --max-width 80 --page 1 --per-page 12
    golden table_w80.txt
    # A terminal's own width (ioctl) when COLUMNS is not set.
    MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        script -qec "stty cols 32 rows 50; '$MA_JOBS' --page 1 --per-page 12 2>/dev/null" "$WORK/tty" >/dev/null 2>&1
    tr -d '\r' <"$WORK/tty" | grep -v '^Script \(started\|done\)' | sed '/^$/d' >"$WORK/out"
    golden table_w32.txt
    # A long name never widens every row.
    run --max-width 60
    expect_rc 0
    [[ $(max_cells "$WORK/out") -le 60 ]] || fail "--max-width 60 over the whole walk is $(max_cells "$WORK/out") wide"
    # COLUMNS that is not a number is ignored.
    COLUMNS=wide run --page 1 --per-page 12
    same_as natural
}

# --no-header, --string-ids, and the README's jq recipe stays exact above 2^53.
case_script_output() {
    start_server
    run --page 1 --per-page 5 --format csv
    tail -n +2 "$WORK/out" >"$WORK/rows"
    run --page 1 --per-page 5 --format csv --no-header
    expect_rc 0
    same_as rows
    run --no-header --format csv --per-page 7
    python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1], newline=""))); assert len(r) == 42 and r[0][0] != "job_id", len(r)' "$WORK/out" ||
        fail "csv --no-header over a walk"
    run --page 1 --per-page 5 --no-header
    expect_rc 0
    [[ $(wc -l <"$WORK/out") -eq 5 ]] || fail "table --no-header has $(wc -l <"$WORK/out") lines"
    ! grep -q 'JOB ID' "$WORK/out" || fail "table --no-header has a header"
    run --format json --string-ids
    expect_rc 0
    jq -e 'all(.jobs[]; (.job_id | type) == "string" and (.version_id | type) == "string")' "$WORK/out" >/dev/null ||
        fail "--string-ids left a number"
    expect_out '"job_id": "9007199254740993"'
    expect_out '"job_id": "9223372036854775806"'
    # The README recipe, word for word.
    env MODELARTS_ENDPOINT="$ENDPOINT" MODELARTS_PROJECT_ID="$PROJECT" MODELARTS_TOKEN="$TOKEN" \
        "$MA_JOBS" --string-ids --format jsonl | jq -r '.job_id' >"$WORK/ids"
    grep -qx 9007199254740993 "$WORK/ids" || fail "the jq recipe lost 2^53 + 1"
    grep -qx 9223372036854775806 "$WORK/ids" || fail "the jq recipe lost 2^63 - 2"
    run --format jsonl --string-ids
    jq -e -s 'length == 42 and all(.[]; (.job_id | type) == "string")' "$WORK/out" >/dev/null ||
        fail "jsonl --string-ids"
}

# -c/--columns chooses and orders the columns of table, csv and jsonl.
case_columns() {
    start_server
    run --page 1 --per-page 6 -c status,job_id,job_name,create_time_ms
    expect_rc 0
    golden columns_table.txt
    head -1 "$WORK/out" | grep -qE '^STATUS +JOB ID +NAME +CREATED MS$' || fail "table header not in --columns order"
    run --page 1 --per-page 6 --format csv --columns job_name,job_id,create_time
    expect_rc 0
    golden columns.csv
    head -1 "$WORK/out" | grep -q $'^job_name,job_id,create_time\r$' || fail "csv header not in --columns order"
    run --page 1 --per-page 6 --format jsonl --col job_id,create_time,status_name,duration_ms
    expect_rc 0
    golden columns.jsonl
    jq -e -s 'all(.[]; keys_unsorted == ["job_id", "create_time", "status_name", "duration_ms"]
        and (.create_time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$")))' "$WORK/out" >/dev/null ||
        fail "jsonl --columns keys or ISO 8601 time"
    # Every column in JSON, in the order asked; fields the service did not send stay out.
    run --page 1 --per-page 8 --format json --string-ids \
        -c version_count,duration_ms,create_time_ms,create_time,status_name,status,job_desc,job_name,version_id,job_id
    expect_rc 0
    jq -e '(.jobs | length) == 8 and all(.jobs[];
        (keys_unsorted - ["job_desc", "duration_ms", "version_count"]) ==
            ["create_time_ms", "create_time", "status_name", "status", "job_name", "version_id", "job_id"]
        and (.job_id | type) == "string" and (.version_id | type) == "string"
        and (.status | type) == "number" and (.status_name | type) == "string")' "$WORK/out" >/dev/null ||
        fail "json with every --columns field"
    # The same columns with --no-header and a width: no column is dropped, text is cut instead.
    run --page 1 --per-page 6 -c job_id,job_name,job_desc --max-width 40 --no-header
    expect_rc 0
    [[ $(max_cells "$WORK/out") -le 40 ]] || fail "--columns with --max-width 40"
    [[ $(wc -l <"$WORK/out") -eq 6 ]] || fail "rows lost"
    run -c job_id,bogus
    expect_rc 2
    expect_err "-c: 'bogus' is not a column"
}

# shellcheck source=wait_cases.sh
source "$(dirname "$0")/wait_cases.sh"

if ! declare -F "case_$CASE" >/dev/null; then
    echo "unknown case $CASE" >&2
    exit 2
fi
"case_$CASE"
exit $FAILED
