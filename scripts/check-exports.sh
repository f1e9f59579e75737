#!/usr/bin/env bash
# Fails when the shared library exports a symbol outside the ma_ namespace.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}')
count=$(printf '%s\n' "$symbols" | grep -c '^ma_' || true)
stray=$(printf '%s\n' "$symbols" | grep -v '^ma_' || true)
if [[ -n "$stray" ]]; then
    echo "exported symbols without the ma_ prefix:" >&2
    printf '%s\n' "$stray" >&2
    exit 1
fi
[[ "$count" -gt 0 ]] || { echo "no ma_ symbols exported from $lib" >&2; exit 1; }
echo "$count exported symbols, all prefixed ma_"
