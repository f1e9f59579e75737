/*
 * SDK-HMAC-SHA256. The canonical request reuses the request renderer and its
 * percent-encoder, so the signed path and query are exactly the sent bytes;
 * only the ordering of the query (the gateway sorts) and the trailing slash
 * of the URI exist for signing alone.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth/signer.h"
#include "util/alloc.h"
#include "util/text.h"

static const char hex_digits[] = "0123456789abcdef";

static void hex_encode(const unsigned char *in, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex_digits[in[i] >> 4];
        out[2 * i + 1] = hex_digits[in[i] & 0x0F];
    }
    out[2 * len] = '\0';
}

int ma__format_sdk_date(int64_t epoch_ms, char out[MA__SDK_DATE_SIZE])
{
    /* Floor division, so a negative instant still rounds towards the past. */
    int64_t secs = epoch_ms / 1000 - (epoch_ms % 1000 < 0 ? 1 : 0);
    time_t t = (time_t)secs;
    struct tm tm;
    out[0] = '\0';
    if ((int64_t)t != secs || !gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
        return -1;
    if (strftime(out, MA__SDK_DATE_SIZE, "%Y%m%dT%H%M%SZ", &tm) != MA__SDK_DATE_SIZE - 1) {
        out[0] = '\0';
        return -1;
    }
    return 0;
}

int ma__sha256_hex(const void *data, size_t len, char out[MA__SHA256_HEX_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    out[0] = '\0';
    if (EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 || md_len != 32)
        return -1;
    hex_encode(md, md_len, out);
    return 0;
}

int ma__hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len, char out[MA__SHA256_HEX_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    int rc = -1;
    out[0] = '\0';
    if (key_len > (size_t)INT32_MAX)
        return -1;
    if (HMAC(EVP_sha256(), key, (int)key_len, data, len, md, &md_len) && md_len == 32) {
        hex_encode(md, md_len, out);
        rc = 0;
    }
    OPENSSL_cleanse(md, sizeof md);
    return rc;
}

/* ---- canonical query ---- */

/*
 * Sorted on the raw (decoded) bytes, names then values, as the Huawei Cloud
 * signers do; only then encoded. Sorting the encoded form would differ when a
 * reserved character meets an unreserved one (':' sorts after '5', "%3A" before).
 */
static int cmp_param(const void *pa, const void *pb)
{
    const ma__param *a = *(const ma__param *const *)pa, *b = *(const ma__param *const *)pb;
    int c = strcmp(a->name, b->name);
    return c != 0 ? c : strcmp(a->value, b->value);
}

static ma_status append_canonical_query(const ma_allocator *a, const ma__http_request *req, ma__buf *out)
{
    size_t n = req->query.count;
    if (n == 0)
        return MA_OK;
    int overflow = 0;
    size_t bytes = ma__size_mul(n, sizeof(const ma__param *), &overflow);
    const ma__param **sorted = overflow ? NULL : ma__malloc(a, bytes);
    if (!sorted)
        return MA_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        sorted[i] = &req->query.items[i];
    qsort(sorted, n, sizeof *sorted, cmp_param);
    ma_status st = MA_OK;
    for (size_t i = 0; i < n; i++) {
        const ma__param *p = sorted[i];
        /* The '=' stays for an empty value: the gateway signs "key=", not "key". */
        if ((i > 0 && ma__buf_append_char(out, '&') != 0) || ma__pct_encode(out, p->name, strlen(p->name)) != 0 ||
            ma__buf_append_char(out, '=') != 0 || ma__pct_encode(out, p->value, strlen(p->value)) != 0) {
            st = MA_ERR_NOMEM;
            break;
        }
    }
    ma__free(a, sorted);
    return st;
}

/* ---- canonical headers ---- */

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

typedef struct canon_header {
    const char *name; /* lower-cased copy */
    size_t name_len;
    const char *value; /* trimmed view of the caller's value */
    size_t value_len;
} canon_header;

static int is_header_name_byte(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != ':';
}

/* Values are signed as sent; bytes that cannot be sent as one header line cannot be signed either. */
static int is_header_value_byte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/*
 * Lower-cases the names into @p names (one NUL-separated block), trims the
 * values and sorts. Fails on an empty, malformed or repeated name.
 */
static ma_status canonicalise_headers(const ma__sign_header *h, size_t n, ma__buf *names, canon_header *out)
{
    size_t offs[MA__SIGN_HEADERS_MAX];
    for (size_t i = 0; i < n; i++) {
        if (!h[i].name || !h[i].value)
            return MA_ERR_INVALID_ARG;
        size_t len = strlen(h[i].name);
        if (len == 0)
            return MA_ERR_INVALID_ARG;
        offs[i] = names->len;
        for (size_t k = 0; k < len; k++) {
            unsigned char c = (unsigned char)h[i].name[k];
            if (!is_header_name_byte(c))
                return MA_ERR_INVALID_ARG;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c - 'A' + 'a');
            if (ma__buf_append_char(names, (char)c) != 0)
                return MA_ERR_NOMEM;
        }
        if (ma__buf_append_char(names, '\0') != 0)
            return MA_ERR_NOMEM;
        out[i].name_len = len;

        const char *v = h[i].value;
        size_t vlen = strlen(v);
        for (size_t k = 0; k < vlen; k++)
            if (!is_header_value_byte((unsigned char)v[k]))
                return MA_ERR_INVALID_ARG;
        while (vlen > 0 && (*v == ' ' || *v == '\t')) {
            v++;
            vlen--;
        }
        while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
            vlen--;
        out[i].value = v;
        out[i].value_len = vlen;
    }
    for (size_t i = 0; i < n; i++)
        out[i].name = names->data + offs[i];
    /* Insertion sort: a handful of headers, and no qsort context needed. */
    for (size_t i = 1; i < n; i++) {
        canon_header cur = out[i];
        size_t j = i;
        while (j > 0 && cmp_bytes(out[j - 1].name, out[j - 1].name_len, cur.name, cur.name_len) > 0) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = cur;
    }
    for (size_t i = 1; i < n; i++)
        if (cmp_bytes(out[i - 1].name, out[i - 1].name_len, out[i].name, out[i].name_len) == 0)
            return MA_ERR_INVALID_ARG;
    return MA_OK;
}

static int append_signed_header_list(ma__buf *out, const canon_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((i > 0 && ma__buf_append_char(out, ';') != 0) || ma__buf_append(out, h[i].name, h[i].name_len) != 0)
            return -1;
    return 0;
}

/*
 * Everything of the canonical request after the query line (headers, signed
 * header list, body hash), plus the signed header list on its own in @p list.
 * Header values may be secret (x-security-token), so the space is reserved in
 * one go: no realloc leaves a copy behind, and the caller can wipe it all.
 */
static ma_status append_header_part(const ma_allocator *a, const ma__sign_header *signed_headers, size_t n,
                                    const char *body_sha256_hex, ma__buf *out, ma__buf *list)
{
    if (n == 0 || n > MA__SIGN_HEADERS_MAX || !signed_headers)
        return MA_ERR_INVALID_ARG;
    canon_header h[MA__SIGN_HEADERS_MAX];
    ma__buf names;
    ma__buf_init(&names, a);
    ma_status st = canonicalise_headers(signed_headers, n, &names, h);
    if (st != MA_OK)
        goto cleanup;
    st = MA_ERR_NOMEM;
    /* Bounded: at most MA__SIGN_HEADERS_MAX strings, each already in memory. */
    size_t need = 2 + strlen(body_sha256_hex);
    for (size_t i = 0; i < n; i++)
        need += 2 * h[i].name_len + h[i].value_len + 3;
    if (ma__buf_reserve(out, need) != 0)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (ma__buf_append(out, h[i].name, h[i].name_len) != 0 || ma__buf_append_char(out, ':') != 0 ||
            ma__buf_append(out, h[i].value, h[i].value_len) != 0 || ma__buf_append_char(out, '\n') != 0)
            goto cleanup;
    /* Each header line ends in '\n' and the parts are joined with '\n': hence the blank line. */
    if (ma__buf_append_char(out, '\n') != 0 || append_signed_header_list(out, h, n) != 0 ||
        ma__buf_append_char(out, '\n') != 0 || ma__buf_append_str(out, body_sha256_hex) != 0)
        goto cleanup;
    if (list && append_signed_header_list(list, h, n) != 0)
        goto cleanup;
    st = MA_OK;
cleanup:
    ma__buf_free(&names);
    return st;
}

static void buf_truncate(ma__buf *b, size_t len)
{
    if (b->data) {
        b->len = len;
        b->data[len] = '\0';
    }
}

static ma_status build_canonical_request(const ma_allocator *a, const ma__http_request *req,
                                         const ma__sign_header *signed_headers, size_t n, const char *body_sha256_hex,
                                         ma__buf *out, ma__buf *list)
{
    if (!a || !req || !req->method || !req->method[0] || !out)
        return MA_ERR_INVALID_ARG;
    char body_hash[MA__SHA256_HEX_SIZE];
    if (!body_sha256_hex) {
        if (ma__sha256_hex(req->body.data ? req->body.data : "", req->body.len, body_hash) != 0)
            return MA_ERR_NOMEM; /* libcrypto fails only when its own allocations do */
        body_sha256_hex = body_hash;
    }
    size_t start = out->len;
    size_t list_start = list ? list->len : 0;
    ma_status st = MA_ERR_NOMEM;
    if (ma__buf_append_str(out, req->method) != 0 || ma__buf_append_char(out, '\n') != 0)
        goto fail;
    size_t path_start = out->len;
    if (ma__request_render_path(req, out) != 0)
        goto fail;
    /* The sent path never ends in '/'; the canonical URI always does. */
    if ((out->len == path_start || out->data[out->len - 1] != '/') && ma__buf_append_char(out, '/') != 0)
        goto fail;
    if (ma__buf_append_char(out, '\n') != 0)
        goto fail;
    if ((st = append_canonical_query(a, req, out)) != MA_OK)
        goto fail;
    st = MA_ERR_NOMEM;
    if (ma__buf_append_char(out, '\n') != 0)
        goto fail;
    if ((st = append_header_part(a, signed_headers, n, body_sha256_hex, out, list)) != MA_OK)
        goto fail;
    return MA_OK;
fail:
    /* What was appended may hold a secret header value. */
    if (out->data)
        ma__secure_zero(out->data + start, out->len - start);
    buf_truncate(out, start);
    if (list)
        buf_truncate(list, list_start);
    return st;
}

ma_status ma__sign_canonical_request(const ma_allocator *a, const ma__http_request *req,
                                     const ma__sign_header *signed_headers, size_t n, const char *body_sha256_hex,
                                     ma__buf *out)
{
    return build_canonical_request(a, req, signed_headers, n, body_sha256_hex, out, NULL);
}

ma_status ma__sign_string_to_sign(const char *sdk_date, const char *canonical_request, size_t len, ma__buf *out)
{
    if (!sdk_date || !canonical_request || !out)
        return MA_ERR_INVALID_ARG;
    char hash[MA__SHA256_HEX_SIZE];
    if (ma__sha256_hex(canonical_request, len, hash) != 0)
        return MA_ERR_NOMEM;
    size_t start = out->len;
    if (ma__buf_append_str(out, MA__SIGN_ALGORITHM "\n") != 0 || ma__buf_append_str(out, sdk_date) != 0 ||
        ma__buf_append_char(out, '\n') != 0 || ma__buf_append_str(out, hash) != 0) {
        buf_truncate(out, start);
        return MA_ERR_NOMEM;
    }
    return MA_OK;
}

ma_status ma__sign_request(const ma_allocator *a, const ma__http_request *req, const ma__sign_input *in,
                           ma__buf *authorization, char signature_hex[MA__SHA256_HEX_SIZE])
{
    if (!in || !in->access_key || !in->access_key[0] || !in->secret_key || !in->secret_key_len || !in->sdk_date ||
        !authorization)
        return MA_ERR_INVALID_ARG;
    char signature[MA__SHA256_HEX_SIZE];
    signature[0] = '\0';
    ma__buf canonical, string_to_sign, list;
    ma__buf_init(&canonical, a);
    ma__buf_init(&string_to_sign, a);
    ma__buf_init(&list, a);
    size_t start = authorization->len;
    ma_status st =
        build_canonical_request(a, req, in->headers, in->header_count, in->body_sha256_hex, &canonical, &list);
    if (st != MA_OK)
        goto cleanup;
    if ((st = ma__sign_string_to_sign(in->sdk_date, canonical.data, canonical.len, &string_to_sign)) != MA_OK)
        goto cleanup;
    if (ma__hmac_sha256_hex(in->secret_key, in->secret_key_len, string_to_sign.data, string_to_sign.len, signature) !=
        0) {
        st = MA_ERR_NOMEM;
        goto cleanup;
    }
    /* Reserved in one go so that no realloc leaves a copy of the value behind unwiped. */
    static const char access[] = MA__SIGN_ALGORITHM " Access=", signed_list[] = ", SignedHeaders=",
                      sig_label[] = ", Signature=";
    st = MA_ERR_NOMEM;
    size_t need =
        sizeof access + strlen(in->access_key) + sizeof signed_list + list.len + sizeof sig_label + MA__SHA256_HEX_SIZE;
    if (ma__buf_reserve(authorization, need) != 0)
        goto cleanup;
    if (ma__buf_append_str(authorization, access) != 0 || ma__buf_append_str(authorization, in->access_key) != 0 ||
        ma__buf_append_str(authorization, signed_list) != 0 ||
        ma__buf_append(authorization, list.data, list.len) != 0 || ma__buf_append_str(authorization, sig_label) != 0 ||
        ma__buf_append_str(authorization, signature) != 0) {
        /* A partial value may already hold the signature: wipe what was appended. */
        if (authorization->data)
            ma__secure_zero(authorization->data + start, authorization->len - start);
        buf_truncate(authorization, start);
        goto cleanup;
    }
    if (signature_hex)
        memcpy(signature_hex, signature, sizeof signature);
    st = MA_OK;
cleanup:
    OPENSSL_cleanse(signature, sizeof signature);
    ma__buf_free_secure(&canonical); /* holds the signed header values, maybe x-security-token */
    ma__buf_free(&string_to_sign);
    ma__buf_free(&list);
    return st;
}
