#!/usr/bin/env bash
# Static analysis of src/ (library and ma-jobs), zero findings allowed:
#
#   scripts/static-analysis.sh BUILD_DIR [--scan-build]
#
#  1. gcc -fanalyzer: every src/ file compiled again with the exact command from
#     BUILD_DIR/compile_commands.json, plus -fanalyzer -Werror, output thrown away;
#  2. cppcheck over the same files, with their defines and include paths;
#  3. with --scan-build: clang's analyzer (scan-build --status-bugs) over a library and
#     ma-jobs build of its own in BUILD_DIR-scan-build.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -ge 1 ]] || { echo "usage: $0 BUILD_DIR [--scan-build]" >&2; exit 2; }
build=$(cd "$1" && pwd)
scan=0
[[ ${2:-} == --scan-build ]] && scan=1
db=$build/compile_commands.json
[[ -f $db ]] || { echo "static-analysis: no $db (configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON)" >&2; exit 2; }
jobs=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One command per src/ file (a file compiled into several targets is analysed once), each
# turned into an analyzer run writing to /dev/null. NUL-separated for xargs.
python3 - "$db" "$root/src/" "$work" <<'EOF'
import json, os, shlex, sys
db, src, work = sys.argv[1:]
seen = {}
for e in json.load(open(db)):
    f = os.path.normpath(os.path.join(e["directory"], e["file"]))
    if not f.startswith(src) or f in seen:
        continue
    args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    out = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a == "-o":
            skip = True
            continue
        out.append(a)
    seen[f] = (e["directory"], out + ["-o", "/dev/null", "-fanalyzer", "-Werror"])
with open(os.path.join(work, "analyzer.cmds"), "wb") as cmds, \
     open(os.path.join(work, "cppcheck.files"), "w") as files:
    for f, (d, args) in sorted(seen.items()):
        cmds.write(("cd " + shlex.quote(d) + " && " + shlex.join(args)).encode() + b"\0")
        files.write(f + "\n")
EOF
count=$(wc -l < "$work/cppcheck.files")
[[ $count -gt 0 ]] || { echo "static-analysis: no src/ file in $db" >&2; exit 2; }

echo "== gcc -fanalyzer over $count files"
if ! xargs -0 -P "$jobs" -n 1 bash -c < "$work/analyzer.cmds" > "$work/analyzer.log" 2>&1; then
    cat "$work/analyzer.log" >&2
    echo "static-analysis: gcc -fanalyzer has findings" >&2
    exit 1
fi
echo "gcc -fanalyzer: 0 findings"

# cppcheck: the warning, performance and portability checks. `style` is left out: its four
# findings today are matters of taste (a defensive re-check after a clamp, a variable whose
# scope could shrink, a status initialised before every path sets it, a condition known true at
# the first of several checks), not defects. missingIncludeSystem: system headers are not given
# to it on purpose (it would parse libc). Inline suppressions (`// cppcheck-suppress id` on the
# line before, with a comment giving the reason) are honoured; none exist today.
echo "== cppcheck over $count files"
cppcheck --quiet --std=c11 --language=c --enable=warning,performance,portability --inline-suppr \
    --error-exitcode=1 --suppress=missingIncludeSystem -j "$jobs" \
    -DMA_BUILDING -D_POSIX_C_SOURCE=200809L -I "$root/include" -I "$build/include" -I "$root/src" \
    --file-list="$work/cppcheck.files"
echo "cppcheck: 0 findings"

if [[ $scan -eq 1 ]]; then
    echo "== scan-build (clang static analyzer)"
    sb=$build-scan-build
    scan-build --status-bugs -o "$work/scan" cmake -S "$root" -B "$sb" -DCMAKE_BUILD_TYPE=Debug \
        -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF > "$work/scan-configure.log" 2>&1 ||
        { cat "$work/scan-configure.log" >&2; exit 1; }
    cmake --build "$sb" --target clean > /dev/null
    scan-build --status-bugs -o "$work/scan" cmake --build "$sb" -j "$jobs" --target modelarts ma-jobs \
        > "$work/scan-build.log" 2>&1 || { cat "$work/scan-build.log" >&2; echo "static-analysis: scan-build has findings" >&2; exit 1; }
    echo "scan-build: 0 findings"
fi
