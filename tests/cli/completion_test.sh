#!/usr/bin/env bash
# The bash completion offers every flag of --help and the values of --status, --format, --sort-by,
# --order and --columns.   completion_test.sh <ma-jobs> <completion script>
set -uo pipefail
MA_JOBS=$1
# shellcheck source=/dev/null
source "$2"
FAILED=0
fail() { echo "FAIL: $*" >&2; FAILED=1; }

# complete WORDS...: runs the completion with the cursor on the last word; prints COMPREPLY a line each.
complete_words() {
    COMP_WORDS=(ma-jobs "$@")
    COMP_CWORD=$#
    COMP_LINE="ma-jobs $*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _ma_jobs
    printf '%s\n' "${COMPREPLY[@]}"
}
expect() { # expect WORD -- COMP_WORDS...
    local want=$1
    shift 2
    complete_words "$@" | grep -xF -- "$want" >/dev/null || fail "'$*' does not offer '$want'"
}

for flag in $("$MA_JOBS" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    case $flag in
    # Refused secret flags and the abbreviation example are no options to offer.
    --token | --password | --sk | --security-token | --stat | --option) continue ;;
    esac
    expect "$flag" -- "${flag:0:4}"
done
expect RUNNING -- --status RUN
expect failed -- -s fa
expect FAILED,LOST -- --status FAILED,LO
expect jsonl -- --format js
expect create_time -- -S cre
expect desc -- --order d
expect job_id,job_name -- -c job_id,job_n
expect wait -- wa
[[ -z $(complete_words wait wa) ]] || fail "'wait' offered twice"
[[ -z $(complete_words --limit "") ]] || fail "--limit's value completed with something"
exit $FAILED
