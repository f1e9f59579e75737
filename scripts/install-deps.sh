#!/usr/bin/env bash
# Installs the Debian packages needed to build, test and run the demo; only what is missing.
#   install-deps.sh          everything scripts/test.sh needs
#   install-deps.sh --demo   only what scripts/demo.sh needs (the dev build, the fake server, ma-jobs)
set -euo pipefail

packages=(gcc g++ make cmake pkg-config libcurl4-openssl-dev libssl-dev libjansson-dev libcmocka-dev
          libmicrohttpd-dev libyaml-dev libinih-dev zlib1g-dev openssl python3-requests valgrind clang libclang-rt-14-dev clang-format ca-certificates
          dpkg-dev groff-base doxygen jq nginx-light)
if [[ ${1:-} == --demo ]]; then
    packages=(gcc make cmake pkg-config python3 libcurl4-openssl-dev libssl-dev libjansson-dev libcmocka-dev
              libmicrohttpd-dev libyaml-dev libinih-dev zlib1g-dev)
    architectures=()
else
# A static link (`pkg-config --static`) also names libcurl's private dependencies, so their
# development files must be there too (scripts/consumer-test.sh links that way).
packages+=(libnghttp2-dev libidn2-dev librtmp-dev libssh2-1-dev libpsl-dev libkrb5-dev libldap-dev libzstd-dev
           libbrotli-dev)

# The gates in scripts/test.sh: ABI check, coverage, static analysis, the s390x cross build
# run under qemu-user, and the i686 cross compiler for the i386 preset. (gcc-multilib would do
# for i386 too, but it conflicts with every gcc cross compiler, s390x's included.)
packages+=(abigail-tools gcovr cppcheck qemu-user gcc-s390x-linux-gnu libc6-dev-s390x-cross gcc-i686-linux-gnu
           g++-i686-linux-gnu)
# The i386 preset links and runs the tests against the i386 builds of the libraries (multiarch).
packages+=(libcurl4-openssl-dev:i386 libjansson-dev:i386 libssl-dev:i386 libcmocka-dev:i386 libmicrohttpd-dev:i386
           libyaml-dev:i386 libinih-dev:i386 zlib1g-dev:i386)
# Foreign architectures apt must know: i386 for the packages above; s390x only so that
# scripts/test-s390x.sh can `apt-get download` jansson and libcrypto for s390x (unpacked, never installed).
architectures=(i386 s390x)
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
need_root() {
    [[ ${#sudo[@]} -eq 0 ]] || command -v sudo >/dev/null || { echo "need root (or sudo) to $1" >&2; exit 1; }
}

update=0
for a in "${architectures[@]}"; do
    if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
        need_root "add the $a architecture"
        "${sudo[@]}" dpkg --add-architecture "$a"
        update=1
    fi
done

# One query for all; a bare name matches every architecture's package once another is installed
# (libssl-dev and libssl-dev:i386), so look for the native or `all` one.
native=$(dpkg --print-architecture)
installed=$(dpkg-query -W -f='${Package} ${Architecture} ${Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
    if [[ $p == *:* ]]; then
        want=("${p%%:*} ${p#*:} install ok installed")
    else
        want=("$p $native install ok installed" "$p all install ok installed")
    fi
    found=0
    for w in "${want[@]}"; do
        grep -qxF "$w" <<< "$installed" && found=1
    done
    [[ $found -eq 1 ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 && $update -eq 0 ]] && exit 0

export DEBIAN_FRONTEND=noninteractive
# Others may hold the dpkg lock on a shared machine: wait for it rather than fail.
apt=(apt-get -qq -o DPkg::Lock::Timeout=600)
need_root "install: ${missing[*]}"
"${sudo[@]}" "${apt[@]}" update
[[ ${#missing[@]} -eq 0 ]] && exit 0
echo "installing: ${missing[*]}" >&2
"${sudo[@]}" "${apt[@]}" install -y --no-install-recommends "${missing[@]}" > /dev/null
