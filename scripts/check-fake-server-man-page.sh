#!/usr/bin/env bash
# Checks that docs/ma-fake-server.1 documents every --flag and every --fault kind that
# `ma-fake-server --help` prints, and (when groff is installed) renders without warnings.
# Usage: check-fake-server-man-page.sh MA_FAKE_SERVER_BINARY SOURCE_DIR
set -u
bin=$1
man=$2/docs/ma-fake-server.1
fail=0
[ -r "$man" ] || { echo "missing $man"; exit 1; }
help=$("$bin" --help 2>&1)
text=$(sed 's/\\-/-/g' "$man")
for f in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    printf '%s\n' "$text" | grep -qE -- "(^|[^a-z0-9-])$f([^a-z0-9-]|\$)" || { echo "flag $f is missing from $man"; fail=1; }
done
kinds=$(printf '%s\n' "$help" | sed -n '/^  --fault KIND/,/^  --fault-match/p' | sed '1s/.*on list requests://;$d' |
    tr ',' '\n' | tr -d ' ')
[ -n "$kinds" ] || { echo "no fault kinds found in --help"; exit 1; }
for k in $kinds; do
    printf '%s\n' "$text" | grep -qF -- "\\fB$k\\fP" || { echo "fault $k is missing from $man"; fail=1; }
done
if command -v groff >/dev/null; then
    warnings=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
    [ -z "$warnings" ] || { echo "groff warnings:"; echo "$warnings"; fail=1; }
fi
exit $fail
