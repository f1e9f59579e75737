#!/usr/bin/env bash
# libcurl stays inside src/http/ and jansson inside src/json/; public headers include neither.
# libcrypto stays inside src/auth/. Nothing in the library sets jansson's or libcurl's global allocators.
# src/cli/ (the ma-jobs tool, an application of the library) may use both directly.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=0
while IFS= read -r f; do
    echo "libcurl included outside src/http/: $f" >&2; bad=1
done < <(grep -rlE '#include <curl/' src include | grep -vE '^src/(http|cli)/' || true)
while IFS= read -r f; do
    echo "jansson included outside src/json/: $f" >&2; bad=1
done < <(grep -rlE '#include <jansson\.h>' src include | grep -vE '^src/(json|cli)/' || true)
while IFS= read -r f; do
    echo "libcrypto included outside src/auth/: $f" >&2; bad=1
done < <(grep -rlE '#include <openssl/' src include | grep -v '^src/auth/' || true)
# Process-global allocator hooks (jansson's, libcurl's) belong to the program: the library never takes them over.
while IFS= read -r f; do
    echo "process-global allocator hook taken in the library: $f" >&2; bad=1
done < <(grep -rlE 'json_set_alloc_funcs|curl_global_init_mem' src include | grep -v '^src/cli/' || true)
[[ $bad -eq 0 ]] && echo "layering ok"
exit $bad
