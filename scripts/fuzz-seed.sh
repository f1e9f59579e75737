#!/usr/bin/env bash
# Writes the seed inputs of tests/fuzz/corpus/<harness>/seed-* (committed):
# every body of tests/data/json/ for the page decoder, behind the prefix bytes
# that pick its shape, status and chunk split, and a few hand-made cases for
# the other harnesses. Inputs the fuzzer found (crash-*, found-*) are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly corpus=tests/fuzz/corpus
readonly data=tests/data/json

# seed <harness> <name>: stdin becomes the seed file.
seed() {
    mkdir -p "$corpus/$1"
    cat >"$corpus/$1/seed-$2"
}

for h in page_decoder headers request_render signer cli_output; do
    rm -f "$corpus/$h"/seed-*
done

# page_decoder: shape byte (0 job list, 1 ModelArts error, 2 gateway error; +4 after a
# failed attempt), status index, two chunk-split seed bytes, then the body.
n=0
for kind in valid invalid; do
    for dir in "$data/$kind"/*/; do
        name=$(basename "$dir")
        n=$((n + 1))
        # The body as a 2xx page, in chunks of up to 8 bytes (seed 0x07xx).
        { printf '\x00\x00\x07'; printf "\\x$(printf %02x $((n % 256)))"; cat "$dir/input.json"; } |
            seed page_decoder "$kind-$name-page"
        # And as an error body: ModelArts statuses for odd cases, gateway ones for even.
        shape=$((1 + n % 2 + 4 * (n % 3 == 0)))
        { printf "\\x$(printf %02x $shape)\\x$(printf %02x $((n % 4)))\\x00\\x01"; cat "$dir/input.json"; } |
            seed page_decoder "$kind-$name-error"
    done
done

# headers: six bytes of now (ms), form byte, two delta bytes, then the header block.
now='\x00\x01\x8c\x2f\x4e\x80' # 2023-11-22
printf "$now"'\x00\x01\x00HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\nX-Request-Id: 5f0c-aa\r\n\r\n' |
    seed headers delay-seconds
printf "$now"'\x01\xff\x00HTTP/1.1 503 Service Unavailable\r\nretry-after: Wed, 22 Nov 2023 10:00:00 GMT\r\n\r\n' |
    seed headers imf-fixdate
printf "$now"'\x02\x00\x10HTTP/1.1 503 x\r\nRetry-After: Wednesday, 22-Nov-23 10:00:00 GMT\r\nX-Request-Id:  r\t1 \r\n' |
    seed headers rfc850
printf "$now"'\x00\x80\x00HTTP/1.0 100 Continue\r\n\r\nHTTP/2 429\r\nRetry-After: Wed Nov 22 10:00:00 2023\r\n' |
    seed headers asctime
printf "$now"'\x01\x00\x00HTTP/1.1 200 OK\r\n folded\r\nbad name: x\r\n:empty\r\nRetry-After: 99999999999999999999\r\n' |
    seed headers malformed

# request_render: segment count, parameter count, status, per_page (2), page (3), sort key,
# order, setters (bit 7: sort_by), then NUL-separated endpoint, segments, name/value pairs,
# search text, workspace id.
printf '\x03\x02\x01\x00\x0a\x00\x00\x02\x05\x01\xff%s\x00v1\x00proj ect/1\x00training-jobs\x00a b\x00~x=y&z\x00\xc3\xa9\x00\x00se arch\xe2\x82\xac\x00ws-1\x00' \
    'https://Modelarts.EU-West-101.example.com:443/api/%7Ebase/' | seed request_render typical
printf '\x08\x01\x0b\x03\xe8\xff\xff\xff\x07\x02\x7f%s\x00\x00.\x00..\x00%%\x00/\x00?\x00#\x00\xff\x00k\x00\x00\x00' \
    'http://[::1]:8080' | seed request_render edge
# Job names of the test bodies as search text.
for name in utf8_raw escapes_all sample; do
    { printf '\x01\x00\x00\x00\x01\x00\x00\x01\x00\x00\x20https://h.example.com\x00v1\x00'; cat "$data/valid/$name/input.json"; } |
        seed request_render "json-$name"
done

# signer: header count, segment count, parameter count, flags (bit 0: body hash given), then
# NUL-separated method, segments, name/value pairs, header name/value pairs, AK, SK; then the body.
printf '\x03\x03\x02\x00GET\x00v1\x00p1\x00training-jobs\x00per_page\x0010\x00a\x00\x00Host\x00h.example.com\x00X-Sdk-Date\x0020260101T000000Z\x00Content-Type\x00 application/json \x00AK1\x00SK1\x00' |
    seed signer typical
printf '\x02\x00\x01\x01POST\x00k\x00v\x00x-A\x00\t1\x00X-a\x002\x00AK\x00SK\x00{}' | seed signer duplicate-header
for name in sample escapes_all; do
    { printf '\x01\x01\x00\x00PUT\x00seg\x00Host\x00h\x00AK\x00SK\x00'; cat "$data/valid/$name/input.json"; } | seed signer "json-$name"
done

# cli_output: job count, flags (1 limit, 2 quotas), total (8), [limit (4)], [quotas (4)], then per job
# job_id, version_id (8), status (4), create_time, duration, version_count (8), name, desc.
job='\x00\x00\x00\x00\x00\x00\x30\x39\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x08\x00\x00\x01\x62\xe1\xa8\x2b\x7b\x00\x00\x00\x00\x00\x36\xee\x80\x00\x00\x00\x00\x00\x00\x00\x02'
printf '\x02\x03\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x03\xe8\x00\x00\x00\x05'"$job"'job,"one"\x00line\r\nbreak\x00'"$job"'\xe4\xb8\xad\xe6\x96\x87\tname\x00\xff\x80 bad utf-8\x00' |
    seed cli_output typical
printf '\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\x00\x7f\xff\xff\xff\xff\xff\xff\xff\x80\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\x00\x80\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\x00\x00' |
    seed cli_output extremes

echo "seeds written: $(find "$corpus" -name 'seed-*' | wc -l) files, $(du -sk --apparent-size "$corpus" | cut -f1) KB"
