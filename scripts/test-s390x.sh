#!/usr/bin/env bash
# Big-endian check: builds tests/s390x (page decoder with tests/data/json and its corpus, request
# renderer, headers and Retry-After, AK/SK signer) with gcc-s390x-linux-gnu and runs it under
# qemu-s390x through ctest. See tests/s390x/CMakeLists.txt for what is left out and why.
#
#   scripts/test-s390x.sh
#
# jansson and libcrypto for s390x are Debian packages unpacked (not installed) into
# build/s390x-deps; scripts/install-deps.sh adds the s390x architecture that apt needs to fetch them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/s390x
deps=$root/build/s390x-deps
packages=(libjansson-dev:s390x libjansson4:s390x libssl-dev:s390x)

for tool in s390x-linux-gnu-gcc qemu-s390x; do
    command -v "$tool" >/dev/null || { echo "test-s390x: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done

if [[ ! -f $deps/.complete ]]; then
    rm -rf "$deps"
    mkdir -p "$deps/debs"
    # apt-get download writes to the current directory; as root it warns that the _apt user
    # cannot write there, which is harmless.
    (cd "$deps/debs" && apt-get download -qq "${packages[@]}" 2> >(grep -v 'unsandboxed as root' >&2))
    for deb in "$deps"/debs/*.deb; do
        dpkg-deb -x "$deb" "$deps"
    done
    touch "$deps/.complete"
fi

cmake -S "$root/tests/s390x" -B "$build" --fresh -DCMAKE_TOOLCHAIN_FILE="$root/cmake/s390x-linux-gnu.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_COMPILE_WARNING_AS_ERROR=ON -DMA_S390X_DEPS="$deps" > "$build.configure.log" 2>&1 ||
    { cat "$build.configure.log" >&2; exit 1; }
cmake --build "$build" -j "$(nproc)"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --no-tests=error
