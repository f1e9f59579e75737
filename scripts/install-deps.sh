#!/usr/bin/env bash
# Installs the Debian packages needed to build, test and run the demo; only what is missing.
set -euo pipefail

packages=(gcc g++ make cmake pkg-config libcurl4-openssl-dev libssl-dev libjansson-dev libcmocka-dev
          libmicrohttpd-dev libyaml-dev libinih-dev zlib1g-dev openssl python3-requests valgrind clang libclang-rt-14-dev clang-format ca-certificates
          dpkg-dev groff-base doxygen jq)
# A static link (`pkg-config --static`) also names libcurl's private dependencies, so their
# development files must be there too (scripts/consumer-test.sh links that way).
packages+=(libnghttp2-dev libidn2-dev librtmp-dev libssh2-1-dev libpsl-dev libkrb5-dev libldap-dev libzstd-dev
           libbrotli-dev)

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
