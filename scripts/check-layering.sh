#!/usr/bin/env bash
# libcurl stays inside src/http/ and jansson inside src/json/; public headers include neither.
# libcrypto stays inside src/auth/. Nothing in the library sets jansson's or libcurl's global allocators.
# src/cli/ (the ma-jobs tool, an application of the library) may use both directly.
# Then the layer order of src/ (below).
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
# Layers of src/, bottom up: a file may include headers of its own layer and of layers below it,
# never of a layer above (the map is README-style in docs/design.md).
#   util   runtime basics (buffers, text, allocator, clock, errors)   public headers only
#   model  the job model (job list, status table, time)               util
#   http   the libcurl transport, requests, endpoint, headers         util
#   json   the page decoder, error bodies, IAM bodies                 util model http
#   engine runtime, execute loop, retry, log, auth slot, redaction    util model http json
#   auth   credentials and the slot's implementations                 ... engine
#   jobs   the query, the list call, ma_list_training_jobs            ... engine (not auth)
#   walk   iterator, list-all, parallel prefetch                      ... jobs
#   env, config  options from the environment and files               ... walk
#   event  requests on a caller's event loop (page, walk, list-all)   ... walk (not auth)
#   (facade) client.c, version.c                                      everything
#   cli    the tool: public headers and its own files only
declare -A rank=([util]=0 [model]=1 [http]=2 [json]=3 [engine]=4 [auth]=5 [jobs]=6 [walk]=7 [env]=8 [config]=8 [event]=8)
# Pairs allowed across the rank order: none. Pairs forbidden although lower: jobs and walk do not use auth.
declare -A forbidden=([jobs:auth]=1 [walk:auth]=1 [event:auth]=1 [http:model]=1)
while IFS= read -r f; do
    layer=${f#src/}; layer=${layer%%/*}
    [[ $f == src/*/* ]] || layer=facade
    while IFS= read -r inc; do
        target=${inc%%/*}
        if [[ $layer == cli ]]; then
            [[ $inc == modelarts/* || $inc != */* ]] || { echo "src/cli includes a library header: $f -> $inc" >&2; bad=1; }
            continue
        fi
        [[ $inc == modelarts/* || $inc != */* && $layer == facade ]] && continue
        if [[ $inc != */* ]]; then
            echo "include without its layer's folder: $f -> $inc" >&2; bad=1; continue
        fi
        [[ $layer == facade ]] && continue
        if [[ -z ${rank[$target]+x} ]]; then
            echo "include of an unknown layer: $f -> $inc" >&2; bad=1; continue
        fi
        if ((rank[$target] > rank[$layer])) || [[ -n ${forbidden[$layer:$target]+x} ]]; then
            echo "include runs up the layers ($layer -> $target): $f -> $inc" >&2; bad=1
        fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done < <(find src -name '*.[ch]' | sort)
# No drawer of private headers: each sits beside its .c.
[[ ! -d src/internal ]] || { echo "src/internal/ is back: put each header beside its .c" >&2; bad=1; }
[[ $bad -eq 0 ]] && echo "layering ok"
exit $bad
