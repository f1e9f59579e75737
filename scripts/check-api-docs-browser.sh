#!/usr/bin/env bash
# Renders the API reference in a real browser (headless Chromium, Debian package `chromium`)
# and checks that pages show content, not an empty frame: the main page with its table of the
# five calls, and the page of ma_job_iter_new with its description.
#
#   cmake --build build/dev --target api_docs
#   bash scripts/check-api-docs-browser.sh build/dev/docs/api/html
#
# Not part of ctest: Chromium is large and not among the CI's packages.
set -euo pipefail
html=$(realpath "${1:?usage: check-api-docs-browser.sh <api/html directory>}")
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n "$browser" ]] || { echo "no chromium (apt-get install chromium)" >&2; exit 77; }
fail=0
# render PAGE: the DOM after scripts ran (the tree view and search are built by JavaScript).
render() {
    "$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$html/$1" 2>/dev/null
}
main=$(render index.html)
for want in "The five calls to know" "ma_job_iter_new" "Getting started" 'id="MSearchBox"' 'id="nav-tree"'; do
    grep -qF -- "$want" <<<"$main" || { echo "index.html lacks '$want'"; fail=1; }
done
page=$(grep -l 'ma_job_iter_new' "$html"/group__ma__walk.html >/dev/null && echo group__ma__walk.html)
walk=$(render "$page")
for want in "Starts a walk" "ma_job_iter_next" "MA_ERR_INVALID_ARG"; do
    grep -qF -- "$want" <<<"$walk" || { echo "$page lacks '$want'"; fail=1; }
done
[[ $fail -eq 0 ]] && echo "api docs render in $browser: index and $page show their content"
exit $fail
