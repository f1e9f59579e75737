#!/usr/bin/env bash
# Fails when the shared library exports a symbol outside the public ma_ namespace.
# Public names are ma_ followed by a letter or digit; ma__ names are internal
# and must stay hidden, so they are rejected like any other stray symbol.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only "$lib" | awk 'NF >= 3 {print $3}')
public='^ma_[^_]'
count=$(printf '%s\n' "$symbols" | grep -c "$public" || true)
stray=$(printf '%s\n' "$symbols" | grep -v "$public" | grep -v '^$' || true)
if [[ -n "$stray" ]]; then
    echo "exported symbols outside the public ma_ namespace (internal ma__ names must stay hidden):" >&2
    printf '%s\n' "$stray" >&2
    exit 1
fi
[[ "$count" -gt 0 ]] || { echo "no ma_ symbols exported from $lib" >&2; exit 1; }
echo "$count exported symbols, all public ma_ names"
