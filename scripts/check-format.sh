#!/usr/bin/env bash
# Fails when a tracked C source or header differs from .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find src include tests examples -name '*.[ch]')
[[ ${#files[@]} -gt 0 ]] || { echo "no sources found" >&2; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files formatted as .clang-format says"
