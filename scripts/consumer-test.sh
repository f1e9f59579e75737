#!/usr/bin/env bash
# Consumer tests: modelarts as a user gets it.
#
#   scripts/consumer-test.sh <ma-fake-server> [--deb]
#
#  1. configures a plain build (no build type, tests and examples off) with pkg-config
#     seeing only libcurl, jansson, libcrypto, libyaml and inih, and checks it is an optimised build;
#  2. builds what the demo builds (target ma-installable) and installs into a temporary
#     prefix; checks the installed files, the SONAME and the exported symbols, and
#     compiles every installed header alone as C99 and as C++;
#  3. builds tests/consumer/consumer.c out of tree with `pkg-config modelarts`,
#     `pkg-config --static modelarts`, `pkg-config [--static] modelarts-static` and
#     find_package(modelarts CONFIG) for both targets, and runs each against ma-fake-server;
#  4. with --deb: `cpack -G DEB`, checks the packages' contents and dependencies, installs
#     them (root or sudo), builds and runs the consumer against /usr, then removes them.
set -euo pipefail

SERVER=$(realpath "$1")
DEB=0
[[ ${2:-} == --deb ]] && DEB=1
SRC=$(cd "$(dirname "$0")/.." && pwd)
CC=${CC:-cc}
CXX=${CXX:-c++}
WORK=$(mktemp -d)
SERVER_PID=""
DEB_INSTALLED=()
SUDO=()
[[ $(id -u) -eq 0 ]] || SUDO=(sudo)

cleanup() {
    if [[ ${#DEB_INSTALLED[@]} -gt 0 ]]; then
        "${SUDO[@]}" dpkg --purge "${DEB_INSTALLED[@]}" >/dev/null || echo "could not remove ${DEB_INSTALLED[*]}" >&2
    fi
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

die() {
    echo "consumer-test: FAIL: $*" >&2
    exit 1
}
step() { echo "consumer-test: $*"; }

VERSION=$(sed -n 's/^project(modelarts VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
MAJOR=${VERSION%%.*}
MINOR=${VERSION#*.}; MINOR=${MINOR%%.*}
# The SONAME (and the runtime package's name) carries major.minor while the major version is 0.
if [[ $MAJOR == 0 ]]; then SOVER=$MAJOR.$MINOR; else SOVER=$MAJOR; fi
[[ -n "$VERSION" ]] || die "no project version in CMakeLists.txt"

# 1. A library-and-tools build needs only libcurl, jansson, libcrypto, libyaml and inih.
mkdir "$WORK/pc"
for m in libcurl jansson libcrypto yaml-0.1 inih; do
    ln -s "$(pkg-config --variable=pcfiledir "$m")/$m.pc" "$WORK/pc/$m.pc"
done
BUILD=$WORK/build
PKG_CONFIG_LIBDIR=$WORK/pc cmake -S "$SRC" -B "$WORK/build-lib" -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF \
    -DMA_BUILD_TOOLS=OFF >"$WORK/configure-lib.log" 2>&1 ||
    { cat "$WORK/configure-lib.log" >&2; die "the library alone needs more than libcurl, jansson, libcrypto, libyaml and inih"; }
PKG_CONFIG_LIBDIR=$WORK/pc cmake -S "$SRC" -B "$BUILD" -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF \
    >"$WORK/configure.log" 2>&1 ||
    { cat "$WORK/configure.log" >&2; die "library and ma-jobs need more than libcurl, jansson and libcrypto"; }
grep -qx 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD/CMakeCache.txt" || die "a build without a build type is not Release"
grep -q -- '-O[23s]' "$BUILD/src/CMakeFiles/modelarts_objects.dir/flags.make" || die "the default build is not optimised"
step "plain configure: Release, needs only libcurl, jansson, libcrypto, libyaml, inih"

# 2. Build only what the demo builds, then install.
cmake --build "$BUILD" --target ma-installable -j2 >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build"; }
PREFIX=$WORK/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1 ||
    { cat "$WORK/install.log" >&2; die "cmake --install after building ma-installable"; }
LIBDIR=$PREFIX/lib
expected=(bin/ma-jobs lib/libmodelarts.a lib/libmodelarts.so "lib/libmodelarts.so.$SOVER"
          lib/pkgconfig/modelarts.pc lib/pkgconfig/modelarts-static.pc lib/cmake/modelarts/modelartsConfig.cmake
          lib/cmake/modelarts/modelartsConfigVersion.cmake lib/cmake/modelarts/modelartsTargets.cmake
          include/modelarts/ma_version.h)
for h in "$SRC"/include/modelarts/*.h; do expected+=("include/modelarts/$(basename "$h")"); done
for h in "$SRC"/include/modelarts/adapters/*.h; do expected+=("include/modelarts/adapters/$(basename "$h")"); done
[[ -f "$SRC/docs/ma-jobs.1" ]] && expected+=(share/man/man1/ma-jobs.1)
expected+=(share/bash-completion/completions/ma-jobs)
for f in "${expected[@]}"; do [[ -e "$PREFIX/$f" ]] || die "not installed: $f"; done
soname=$(readelf -d "$LIBDIR/libmodelarts.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ "$soname" == "libmodelarts.so.$SOVER" ]] || die "SONAME is '$soname', expected libmodelarts.so.$SOVER"
bash "$SRC/scripts/check-exports.sh" "$LIBDIR/libmodelarts.so" >/dev/null
step "installed ${#expected[@]} files; SONAME $soname; only ma_ symbols exported"

# Every installed header alone, as C99 and as C++, from the installed tree only.
for h in "$PREFIX"/include/modelarts/*.h; do
    name=$(basename "$h")
    printf '#include <modelarts/%s>\n#include <modelarts/%s>\nint main(void) { return 0; }\n' "$name" "$name" \
        >"$WORK/hdr.c"
    "$CC" -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$PREFIX/include" "$WORK/hdr.c" ||
        die "installed $name does not compile alone as C99"
    "$CXX" -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$PREFIX/include" "$WORK/hdr.c" ||
        die "installed $name does not compile alone as C++11"
done
step "every installed header compiles alone as C99 and as C++11"

# The event-loop adapters need their loop's headers (and POSIX declarations): each alone, the
# same two ways, where its loop's development files are installed.
for h in "$PREFIX"/include/modelarts/adapters/*.h; do
    name=$(basename "$h" .h)
    case $name in
    ma_libuv) pc=libuv ;;
    ma_libevent) pc=libevent ;;
    *) pc="" ;;
    esac
    flags=(-D_POSIX_C_SOURCE=200809L -I"$PREFIX/include")
    if [[ -n $pc ]]; then
        pkg-config --exists "$pc" || { echo "  (no $pc: $name.h not compiled)"; continue; }
        read -ra more <<< "$(pkg-config --cflags "$pc")"
        flags+=("${more[@]}")
    fi
    printf '#include <modelarts/adapters/%s.h>\nint main(void) { return 0; }\n' "$name" >"$WORK/adapter.c"
    "$CC" -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only "${flags[@]}" "$WORK/adapter.c" ||
        die "installed adapters/$name.h does not compile alone as C99"
    "$CXX" -x c++ -std=c++11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only "${flags[@]}" "$WORK/adapter.c" ||
        die "installed adapters/$name.h does not compile alone as C++11"
done
step "the installed event-loop adapters compile alone"

# 3. The consumer, built four ways against the prefix, run against the fake server.
TOKEN="consumer-token-$$"
PROJECT=0123456789abcdef0123456789abcdef
"$SERVER" --port 0 --port-file "$WORK/port" --token "$TOKEN" --project-id "$PROJECT" --seed 7 --jobs 60 \
    >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
    [[ -s "$WORK/port" ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "fake server exited"; }
    sleep 0.05
done
[[ -s "$WORK/port" ]] || die "fake server did not start"
export MODELARTS_ENDPOINT="http://127.0.0.1:$(cat "$WORK/port")" MODELARTS_PROJECT_ID=$PROJECT MODELARTS_TOKEN=$TOKEN
# Seed 7: 42 of the 60 jobs are in the default workspace "0"; the default page holds 10.
EXPECTED_OUT="10 of 42 jobs, library $VERSION"

# The installed ma-jobs runs from the prefix without LD_LIBRARY_PATH (RPATH $ORIGIN/../lib),
# and uses the library installed beside it.
(unset LD_LIBRARY_PATH; env -u LD_LIBRARY_PATH "$PREFIX/bin/ma-jobs" --format jsonl --limit 3 >"$WORK/prefix-jobs.jsonl") ||
    die "the installed ma-jobs does not run without LD_LIBRARY_PATH"
[[ $(wc -l <"$WORK/prefix-jobs.jsonl") -eq 3 ]] || die "the installed ma-jobs printed no 3 jobs"
readelf -d "$PREFIX/bin/ma-jobs" | grep -qE '(RUNPATH|RPATH).*\$ORIGIN/\.\./lib' || die "ma-jobs has no RPATH relative to itself"
loaded=$(env -u LD_LIBRARY_PATH ldd "$PREFIX/bin/ma-jobs" | sed -n "s/.*libmodelarts.so.$SOVER => \([^ ]*\) .*/\1/p")
[[ -n "$loaded" && $(realpath "$loaded") == $(realpath "$LIBDIR/libmodelarts.so.$SOVER") ]] ||
    die "the installed ma-jobs loads '$loaded', not the library installed beside it"
step "installed ma-jobs runs from $PREFIX without LD_LIBRARY_PATH"

# The fake server as users get it: its own component, installed into the same prefix from a build
# with MA_INSTALL_FAKE_SERVER, run from there without LD_LIBRARY_PATH, and the installed ma-jobs
# against it.
cmake -S "$SRC" -B "$WORK/build-fake" -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF -DMA_BUILD_TOOLS=OFF \
    -DMA_INSTALL_FAKE_SERVER=ON >"$WORK/configure-fake.log" 2>&1 ||
    { cat "$WORK/configure-fake.log" >&2; die "configure with MA_INSTALL_FAKE_SERVER"; }
cmake --build "$WORK/build-fake" --target ma-fake-server -j2 >"$WORK/build-fake.log" 2>&1 ||
    { cat "$WORK/build-fake.log" >&2; die "build ma-fake-server"; }
cmake --install "$WORK/build-fake" --prefix "$PREFIX" --component fake-server >/dev/null ||
    die "cmake --install --component fake-server"
[[ -x "$PREFIX/bin/ma-fake-server" && -f "$PREFIX/share/man/man1/ma-fake-server.1" ]] ||
    die "the fake-server component lacks ma-fake-server or its man page"
env -u LD_LIBRARY_PATH "$PREFIX/bin/ma-fake-server" --port 0 --port-file "$WORK/port2" --token t2 --project-id p2 \
    --seed 7 --jobs 60 >"$WORK/server2.log" 2>&1 &
SERVER2_PID=$!
for _ in $(seq 1 200); do
    [[ -s "$WORK/port2" ]] && break
    sleep 0.05
done
[[ -s "$WORK/port2" ]] || { kill "$SERVER2_PID" 2>/dev/null; die "the installed ma-fake-server did not start"; }
env -u LD_LIBRARY_PATH MODELARTS_ENDPOINT="http://127.0.0.1:$(cat "$WORK/port2")" MODELARTS_PROJECT_ID=p2 \
    MODELARTS_TOKEN=t2 "$PREFIX/bin/ma-jobs" --format jsonl >"$WORK/prefix-all.jsonl" ||
    { kill "$SERVER2_PID" 2>/dev/null; die "the installed ma-jobs failed against the installed ma-fake-server"; }
kill "$SERVER2_PID" 2>/dev/null
wait "$SERVER2_PID" 2>/dev/null
[[ $(wc -l <"$WORK/prefix-all.jsonl") -eq 42 ]] || die "installed ma-jobs listed $(wc -l <"$WORK/prefix-all.jsonl") jobs, expected 42"
step "installed ma-fake-server (component fake-server) ran from $PREFIX; the installed ma-jobs listed its 42 jobs"

# check_consumer <binary> shared|static <what>: runs it, checks its output and how it links libmodelarts.
check_consumer() {
    local out needed
    out=$("$1") || die "$3: the consumer failed"
    [[ "$out" == "$EXPECTED_OUT" ]] || die "$3: printed '$out', expected '$EXPECTED_OUT'"
    needed=$(readelf -d "$1" | grep '(NEEDED)' || true)
    if [[ $2 == shared ]]; then
        grep -q "\[libmodelarts.so.$SOVER\]" <<<"$needed" || die "$3: not linked against libmodelarts.so.$SOVER"
    else
        ! grep -q 'libmodelarts' <<<"$needed" || die "$3: linked against the shared library, expected the static one"
    fi
    step "$3: $2 libmodelarts, ran against the fake server"
}

CONSUMER=$SRC/tests/consumer/consumer.c
# pkg_build <out> <pkg-config args...>
pkg_build() {
    local out=$1
    shift
    # shellcheck disable=SC2046
    "$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror "$CONSUMER" -o "$out" -Wl,-rpath,"$LIBDIR" \
        $(PKG_CONFIG_PATH="$LIBDIR/pkgconfig" pkg-config "$@") || die "link with pkg-config $*"
}
pkg_build "$WORK/c-pc" --cflags --libs modelarts
check_consumer "$WORK/c-pc" shared "pkg-config modelarts"
pkg_build "$WORK/c-pc-static-deps" --static --cflags --libs modelarts
check_consumer "$WORK/c-pc-static-deps" shared "pkg-config --static modelarts"
pkg_build "$WORK/c-pcs" --cflags --libs modelarts-static
check_consumer "$WORK/c-pcs" static "pkg-config modelarts-static"
pkg_build "$WORK/c-pcs-static" --static --cflags --libs modelarts-static
check_consumer "$WORK/c-pcs-static" static "pkg-config --static modelarts-static"

# cmake_consumer <prefix-path or ""> <build dir>
cmake_consumer() {
    cmake -S "$SRC/tests/consumer" -B "$2" -DCMAKE_PREFIX_PATH="$1" -DMA_EXPECT_VERSION="$MAJOR.$MINOR" \
        >"$2.log" 2>&1 && cmake --build "$2" -j2 >>"$2.log" 2>&1 ||
        { cat "$2.log" >&2; die "find_package(modelarts CONFIG) consumer build"; }
}
cmake_consumer "$PREFIX" "$WORK/c-cmake"
check_consumer "$WORK/c-cmake/consumer_shared" shared "find_package: modelarts::modelarts"
check_consumer "$WORK/c-cmake/consumer_static" static "find_package: modelarts::modelarts_static"

[[ $DEB -eq 1 ]] || exit 0

# 4. Debian packages.
(cd "$BUILD" && cpack -G DEB >"$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log" >&2; die "cpack -G DEB"; }
arch=$(dpkg --print-architecture)
RUNTIME_DEB=$BUILD/libmodelarts${SOVER}_${VERSION}_$arch.deb
DEV_DEB=$BUILD/libmodelarts-dev_${VERSION}_$arch.deb
TOOLS_DEB=$BUILD/modelarts-tools_${VERSION}_$arch.deb
for d in "$RUNTIME_DEB" "$DEV_DEB" "$TOOLS_DEB"; do [[ -f $d ]] || die "cpack made no $(basename "$d")"; done
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
contents "$RUNTIME_DEB" | grep -q "/libmodelarts.so.$SOVER$" || die "runtime package lacks libmodelarts.so.$SOVER"
! contents "$RUNTIME_DEB" | grep -E '\.(a|h|pc)$|/bin/|/libmodelarts\.so$' || die "runtime package holds development files"
for f in /include/modelarts/modelarts.h /include/modelarts/ma_version.h /include/modelarts/adapters/ma_libuv.h \
    /libmodelarts.a /libmodelarts.so /pkgconfig/modelarts.pc /cmake/modelarts/modelartsConfig.cmake; do
    contents "$DEV_DEB" | grep -q "$f$" || die "-dev package lacks $f"
done
contents "$TOOLS_DEB" | grep -q '/usr/bin/ma-jobs$' || die "tools package lacks ma-jobs"
contents "$TOOLS_DEB" | grep -q '/usr/share/bash-completion/completions/ma-jobs$' ||
    die "tools package lacks the bash completion"

# Each NEEDED library of a package's binaries must come from a package it depends on.
# check_depends <deb> <elf path inside the package...>
check_depends() {
    local deb=$1 depends elf lib owner
    shift
    depends=$(dpkg-deb -f "$deb" Depends)
    dpkg-deb -x "$deb" "$WORK/x"
    for elf in "$@"; do
        [[ -f "$WORK/x$elf" ]] || die "$(basename "$deb") has no $elf"
        for lib in $(readelf -d "$WORK/x$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            if [[ $lib == "libmodelarts.so.$SOVER" ]]; then
                owner=libmodelarts$SOVER
            else
                owner=$(dpkg -S "*/$lib" 2>/dev/null | head -1 | cut -d: -f1) || true
            fi
            [[ -n "$owner" ]] || die "$(basename "$deb"): no package provides $lib"
            grep -Eq "(^|, )$owner( |,|$)" <<<"$depends" ||
                die "$(basename "$deb"): $elf needs $lib from $owner, not in Depends: $depends"
        done
    done
}
runtime_lib=$(contents "$RUNTIME_DEB" | grep "/libmodelarts.so.$VERSION$")
check_depends "$RUNTIME_DEB" "$runtime_lib"
check_depends "$TOOLS_DEB" /usr/bin/ma-jobs
step "packages: $(basename "$RUNTIME_DEB"), $(basename "$DEV_DEB"), $(basename "$TOOLS_DEB"); Depends cover NEEDED"

# Installing into /usr is serialised between concurrent runs and never removes or downloads anything.
exec 9>/tmp/modelarts-consumer-deb.lock
flock -w 600 9 || die "another run holds /tmp/modelarts-consumer-deb.lock"
for p in "libmodelarts$SOVER" libmodelarts-dev modelarts-tools; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        die "$p is already installed; remove it first (dpkg --purge $p)"
    fi
done
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 --no-install-recommends
     --no-remove)
# A dry run first: the packages' dependencies are already installed, so nothing else may change.
"${APT[@]}" install -s "$RUNTIME_DEB" "$DEV_DEB" "$TOOLS_DEB" >"$WORK/apt-plan.log" 2>&1 ||
    { cat "$WORK/apt-plan.log" >&2; die "apt-get cannot install the packages"; }
others=$(awk '$1 == "Inst" || $1 == "Remv" {print $2}' "$WORK/apt-plan.log" |
    grep -vxE "libmodelarts$SOVER|libmodelarts-dev|modelarts-tools" || true)
[[ -z "$others" ]] || die "installing the packages would also change: $others (run scripts/install-deps.sh)"
DEB_INSTALLED=(modelarts-tools libmodelarts-dev "libmodelarts$SOVER")
"${APT[@]}" install -y -qq "$RUNTIME_DEB" "$DEV_DEB" "$TOOLS_DEB" >"$WORK/apt.log" 2>&1 ||
    { cat "$WORK/apt.log" >&2; die "apt-get install of the packages"; }
"$CC" -std=c11 -Wall -Wextra -Wpedantic -Werror "$CONSUMER" -o "$WORK/c-deb" $(pkg-config --cflags --libs modelarts) ||
    die "build against the -dev package with pkg-config"
check_consumer "$WORK/c-deb" shared "-dev package, pkg-config modelarts"
cmake_consumer "" "$WORK/c-deb-cmake"
check_consumer "$WORK/c-deb-cmake/consumer_shared" shared "-dev package, find_package: modelarts::modelarts"
check_consumer "$WORK/c-deb-cmake/consumer_static" static "-dev package, find_package: modelarts::modelarts_static"
/usr/bin/ma-jobs --format jsonl --limit 3 >"$WORK/jobs.jsonl" || die "the packaged ma-jobs failed"
[[ $(wc -l <"$WORK/jobs.jsonl") -eq 3 ]] || die "the packaged ma-jobs printed $(wc -l <"$WORK/jobs.jsonl") lines, expected 3"
step "packaged ma-jobs listed 3 jobs"
"${SUDO[@]}" dpkg --purge "${DEB_INSTALLED[@]}" >/dev/null
DEB_INSTALLED=()
[[ ! -e /usr/include/modelarts/modelarts.h ]] || die "removing the packages left /usr/include/modelarts"
step "packages installed, used and removed"

# The ma-fake-server package, from the build with MA_INSTALL_FAKE_SERVER: its binary and man page,
# dependencies from dpkg-shlibdeps; installed, run on its own, removed.
(cd "$WORK/build-fake" && cpack -G DEB -D CPACK_COMPONENTS_ALL=fake-server >"$WORK/cpack-fake.log" 2>&1) ||
    { cat "$WORK/cpack-fake.log" >&2; die "cpack -G DEB of the fake-server component"; }
FAKE_DEB=$(ls "$WORK"/build-fake/ma-fake-server_*.deb 2>/dev/null | head -1)
[[ -n "$FAKE_DEB" ]] || die "cpack made no ma-fake-server package"
contents "$FAKE_DEB" | grep -q '/usr/bin/ma-fake-server$' || die "the ma-fake-server package lacks its binary"
contents "$FAKE_DEB" | grep -q '/usr/share/man/man1/ma-fake-server.1' || die "the ma-fake-server package lacks its man page"
dpkg-deb -f "$FAKE_DEB" Depends | grep -q libmicrohttpd || die "the ma-fake-server package does not depend on libmicrohttpd"
DEB_INSTALLED=(ma-fake-server)
"${APT[@]}" install -y -qq "$FAKE_DEB" >"$WORK/apt-fake.log" 2>&1 ||
    { cat "$WORK/apt-fake.log" >&2; die "apt-get install of the ma-fake-server package"; }
/usr/bin/ma-fake-server --help >/dev/null 2>&1 || die "the packaged ma-fake-server does not run"
"${SUDO[@]}" dpkg --purge ma-fake-server >/dev/null
DEB_INSTALLED=()
step "package ma-fake-server: binary, man page, libmicrohttpd dependency; installed, ran, removed"

# The libmodelarts-doc package, from a build with MA_INSTALL_API_DOCS: the API reference's HTML
# (index, search, a function's group page), for every architecture; installed, looked at, removed.
cmake -S "$SRC" -B "$WORK/build-doc" -DMA_BUILD_TESTS=OFF -DMA_BUILD_EXAMPLES=OFF -DMA_BUILD_TOOLS=OFF \
    -DMA_INSTALL_API_DOCS=ON >"$WORK/configure-doc.log" 2>&1 ||
    { cat "$WORK/configure-doc.log" >&2; die "configure with MA_INSTALL_API_DOCS"; }
cmake --build "$WORK/build-doc" --target api_docs >"$WORK/build-doc.log" 2>&1 ||
    { cat "$WORK/build-doc.log" >&2; die "build the API reference"; }
(cd "$WORK/build-doc" && cpack -G DEB -D CPACK_COMPONENTS_ALL=doc >"$WORK/cpack-doc.log" 2>&1) ||
    { cat "$WORK/cpack-doc.log" >&2; die "cpack -G DEB of the doc component"; }
DOC_DEB=$(ls "$WORK"/build-doc/libmodelarts-doc_*_all.deb 2>/dev/null | head -1)
[[ -n "$DOC_DEB" ]] || die "cpack made no libmodelarts-doc package for all architectures"
# The listing is read whole first: grep -q ending a pipe early would fail it under pipefail.
doc_files=$(contents "$DOC_DEB")
for page in index.html search/search.js group__ma__walk.html; do
    grep -qx "/usr/share/doc/modelarts/html/$page" <<<"$doc_files" || die "the libmodelarts-doc package lacks $page"
done
DEB_INSTALLED=(libmodelarts-doc)
"${APT[@]}" install -y -qq "$DOC_DEB" >"$WORK/apt-doc.log" 2>&1 ||
    { cat "$WORK/apt-doc.log" >&2; die "apt-get install of the libmodelarts-doc package"; }
grep -q "ma_list_training_jobs" /usr/share/doc/modelarts/html/index.html ||
    die "the installed API reference's index does not mention ma_list_training_jobs"
"${SUDO[@]}" dpkg --purge libmodelarts-doc >/dev/null
DEB_INSTALLED=()
step "package libmodelarts-doc: the API reference's HTML; installed, read, removed"
