#!/usr/bin/env bash
# ABI gate: compares a built libmodelarts.so with the committed baseline abi/libmodelarts.abi.
#
#   scripts/check-abi.sh [--baseline FILE] LIBRARY            check
#   scripts/check-abi.sh [--baseline FILE] --update LIBRARY   rewrite the baseline from LIBRARY
#
# LIBRARY must carry debug information (the `ci` preset builds RelWithDebInfo); this script builds
# nothing. Only types declared in include/modelarts/ count (abidiff --headers-dir2), so internal
# structs may change freely. Verdict:
#  - added functions or variables: compatible, listed and passed;
#  - anything else abidiff reports (a removed function, a changed public struct, parameter or
#    return type, a changed enumerator value): incompatible, fails;
#  - unless the SONAME differs from the baseline's: a break that comes with a new SONAME passes,
#    and the script says to regenerate the baseline (--update) and commit it.
# A reviewed change that abidiff reports but that is known safe can be suppressed in
# abi/suppressions.abignore, each entry with a comment saying why.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
baseline=$root/abi/libmodelarts.abi
suppressions=$root/abi/suppressions.abignore
headers=$root/include/modelarts
update=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --update) update=1; shift ;;
        --baseline) baseline=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        -*) echo "check-abi: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
[[ $# -eq 1 ]] || { echo "usage: $0 [--baseline FILE] [--update] LIBRARY" >&2; exit 2; }
lib=$1
[[ -f "$lib" ]] || { echo "check-abi: no library at $lib (build the ci preset first)" >&2; exit 2; }
for tool in abidw abidiff readelf; do
    command -v "$tool" >/dev/null || { echo "check-abi: $tool not found (scripts/install-deps.sh installs abigail-tools)" >&2; exit 2; }
done
sections=$(readelf -S "$lib")
[[ "$sections" == *.debug_info* ]] ||
    { echo "check-abi: $lib has no debug information (use a RelWithDebInfo or Debug build)" >&2; exit 2; }

lib_soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')

if [[ $update -eq 1 ]]; then
    mkdir -p "$(dirname "$baseline")"
    tmp=$(mktemp)
    abidw --headers-dir "$headers" --drop-private-types --no-corpus-path "$lib" --out-file "$tmp"
    # Paths relative to the source tree, so the file does not depend on where it was checked out.
    root_re=$(printf '%s' "$root/" | sed 's/[][\.*^$|]/\\&/g')
    sed "s|='$root_re|='|g" "$tmp" > "$baseline"
    rm -f "$tmp"
    echo "check-abi: wrote $baseline (SONAME $lib_soname); commit it"
    exit 0
fi

[[ -f "$baseline" ]] || { echo "check-abi: no baseline $baseline; create it with $0 --update $lib" >&2; exit 2; }
base_soname=$(sed -n "1s/.*soname='\([^']*\)'.*/\1/p" "$baseline")

args=(--drop-private-types --headers-dir2 "$headers")
[[ -f "$suppressions" ]] && args+=(--suppressions "$suppressions")

# The full report (additions included) for the log; the verdict comes from a second run
# that leaves additions out, since abidiff's exit status does not tell them apart from a
# changed type (both are "ABI change", bit 4; only removals set bit 8).
set +e
report=$(abidiff "${args[@]}" "$baseline" "$lib" 2>&1)
abidiff "${args[@]}" --no-added-syms "$baseline" "$lib" >/dev/null 2>&1
verdict=$?
set -e
[[ -n "$report" ]] && printf '%s\n' "$report"

if (( verdict & 3 )); then
    echo "check-abi: abidiff failed (exit $verdict)" >&2
    exit 1
fi
if [[ "$base_soname" != "$lib_soname" ]]; then
    echo "check-abi: SONAME changed from $base_soname to $lib_soname, so ABI changes are allowed."
    echo "check-abi: regenerate the baseline in the same commit: $0 --update $lib"
    exit 0
fi
if (( verdict != 0 )); then
    echo "check-abi: incompatible ABI change against $baseline (SONAME $base_soname) — see the report above." >&2
    echo "check-abi: keep the ABI, or bump the SONAME (project VERSION) and regenerate: $0 --update $lib" >&2
    exit 1
fi
echo "check-abi: ABI compatible with the baseline (SONAME $lib_soname)"
