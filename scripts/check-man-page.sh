#!/usr/bin/env bash
# Checks that docs/ma-jobs.1 documents every --flag and environment variable
# that `ma-jobs --help` prints, every exit code in src/cli/cli.h, and (when
# groff is installed) that it renders without warnings.
# Usage: check-man-page.sh MA_JOBS_BINARY SOURCE_DIR
set -u
bin=$1
src=$2
man=$src/docs/ma-jobs.1
fail=0
[ -r "$man" ] || { echo "missing $man"; exit 1; }
help=$("$bin" --help) || { echo "ma-jobs --help failed"; exit 1; }
# roff writes a hyphen in a flag as \-; compare against the unescaped text.
text=$(sed 's/\\-/-/g' "$man")
flags=$(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
[ -n "$flags" ] || { echo "no flags found in --help"; exit 1; }
for f in $flags; do
    if ! printf '%s\n' "$text" | grep -qE -- "(^|[^a-z0-9-])$f([^a-z0-9-]|\$)"; then
        echo "flag $f from --help is missing from docs/ma-jobs.1"
        fail=1
    fi
done
vars=$(printf '%s\n' "$help" | grep -oE '\b(MODELARTS|HUAWEICLOUD|OS)_[A-Z_]+' | sort -u)
[ -n "$vars" ] || { echo "no environment variables found in --help"; exit 1; }
env_section=$(printf '%s\n' "$text" | sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p')
for v in $vars; do
    if ! printf '%s\n' "$env_section" | grep -qw -- "$v"; then
        echo "variable $v from --help is missing from ENVIRONMENT in docs/ma-jobs.1"
        fail=1
    fi
done
codes=$(grep -oE 'CLI_EXIT_[A-Z_]+ *= *[0-9]+' "$src/src/cli/cli.h" | grep -oE '[0-9]+$' | sort -un)
[ -n "$codes" ] || { echo "no exit codes found in src/cli/cli.h"; exit 1; }
exit_section=$(printf '%s\n' "$text" | sed -n '/^\.SH EXIT STATUS/,/^\.SH /p')
for c in $codes; do
    if ! printf '%s\n' "$exit_section" | grep -qxE "\.B $c"; then
        echo "exit code $c from src/cli/cli.h is missing from EXIT STATUS in docs/ma-jobs.1"
        fail=1
    fi
done
if command -v groff >/dev/null 2>&1; then
    warn=$(groff -man -Tutf8 -ww -z "$man" 2>&1)
    if [ -n "$warn" ]; then
        echo "groff warnings:"
        printf '%s\n' "$warn"
        fail=1
    fi
else
    echo "groff not installed: rendering not checked"
fi
[ $fail -eq 0 ] && echo "docs/ma-jobs.1 lists every flag, variable and exit code"
exit $fail
