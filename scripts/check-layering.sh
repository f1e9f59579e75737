#!/usr/bin/env bash
# libcurl stays inside src/http/, jansson inside src/json/ and libcrypto inside src/auth/; public headers include none.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
    echo "libcurl included outside src/http/: $f" >&2; bad=1
done < <(grep -rlE '#include <curl/' src include | grep -v '^src/http/' || true)
while IFS= read -r f; do
    echo "jansson included outside src/json/: $f" >&2; bad=1
done < <(grep -rlE '#include <jansson\.h>' src include | grep -v '^src/json/' || true)
while IFS= read -r f; do
    echo "libcrypto included outside src/auth/: $f" >&2; bad=1
done < <(grep -rlE '#include <openssl/' src include | grep -v '^src/auth/' || true)
[[ $bad -eq 0 ]] && echo "layering ok"
exit $bad
