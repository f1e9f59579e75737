/*
 * The AK/SK signer's canonical request. Input: header-count byte (0..17),
 * segment-count byte, parameter-count byte, flags (bit 0: pass a body hash),
 * then NUL-separated strings: method, segments, parameter name/value pairs,
 * header name/value pairs, access key, secret key; the rest is the body.
 *
 * Checked: the same accept/reject decision as the rules in auth/signer.h,
 * read independently; on accept every line of the canonical request as those
 * rules build it; the same result whatever order headers and parameters come
 * in and on a second call; a failure leaves the output as it was; and the
 * Authorization value is the HMAC of the string to sign.
 */
#include <string.h>

#include "auth/signer.h"
#include "fuzz.h"
#include "http/request.h"
#include "modelarts/modelarts.h"

#define SDK_DATE   "20260101T000000Z"
#define KEPT_BYTES "kept:"

typedef struct sign_case {
    ma__http_request req;
    ma__sign_header headers[MA__SIGN_HEADERS_MAX + 1];
    size_t nheaders;
    char *strings[64];
    size_t nstrings;
} sign_case;

static char *keep(sign_case *c, fuzz_input *in)
{
    char *s = fuzz_string(in, NULL);
    c->strings[c->nstrings++] = s;
    return s;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* strcmp of the lower-cased names. */
static int name_cmp(const char *a, const char *b)
{
    for (; *a && lower(*a) == lower(*b); a++, b++)
        ;
    return (unsigned char)lower(*a) - (unsigned char)lower(*b);
}

/* The rules of auth/signer.h, from scratch: 1 when the headers can be signed. */
static int signable(const sign_case *c)
{
    if (!c->req.method[0] || c->nheaders == 0 || c->nheaders > MA__SIGN_HEADERS_MAX)
        return 0;
    for (size_t i = 0; i < c->nheaders; i++) {
        const char *name = c->headers[i].name, *value = c->headers[i].value;
        if (!name[0])
            return 0;
        for (const char *p = name; *p; p++)
            if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == ':')
                return 0;
        for (const char *p = value; *p; p++)
            if (*p != '\t' && ((unsigned char)*p < 0x20 || *p == 0x7f))
                return 0;
        for (size_t k = 0; k < i; k++)
            if (name_cmp(c->headers[k].name, name) == 0)
                return 0;
    }
    return 1;
}

/* Header indices sorted by lower-cased name. */
static void sorted_headers(const sign_case *c, size_t *order)
{
    for (size_t i = 0; i < c->nheaders; i++) {
        size_t j = i;
        while (j > 0 && name_cmp(c->headers[order[j - 1]].name, c->headers[i].name) > 0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

static void append_lower(ma__buf *b, const char *s)
{
    for (; *s; s++)
        if (ma__buf_append_char(b, lower(*s)))
            abort();
}

static void append_trimmed(ma__buf *b, const char *v)
{
    size_t n = strlen(v);
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (ma__buf_append(b, v, n))
        abort();
}

/* The canonical query by the renderer over a copy of the parameters in (name, value) order. */
static void append_sorted_query(ma__buf *b, const ma__http_request *req)
{
    ma__http_request sorted;
    ma__request_init(&sorted, ma_default_allocator(), "GET", NULL);
    size_t n = req->query.count, order[16];
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        const ma__param *p = &req->query.items[i];
        while (j > 0) {
            const ma__param *q = &req->query.items[order[j - 1]];
            int cmp = strcmp(q->name, p->name);
            if (cmp < 0 || (cmp == 0 && strcmp(q->value, p->value) <= 0))
                break;
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t i = 0; i < n; i++) {
        const ma__param *p = &req->query.items[order[i]];
        if (ma__request_add_param(&sorted, p->name, p->value, strlen(p->value)))
            abort();
    }
    if (ma__request_render_query(&sorted, b))
        abort();
    ma__request_free(&sorted);
}

static void expected_canonical(const sign_case *c, const char *body_hash, ma__buf *want)
{
    if (ma__buf_append_str(want, c->req.method) || ma__buf_append_char(want, '\n'))
        abort();
    size_t path_start = want->len;
    if (ma__request_render_path(&c->req, want))
        abort();
    if ((want->len == path_start || want->data[want->len - 1] != '/') && ma__buf_append_char(want, '/'))
        abort();
    if (ma__buf_append_char(want, '\n'))
        abort();
    append_sorted_query(want, &c->req);
    if (ma__buf_append_char(want, '\n'))
        abort();
    size_t order[MA__SIGN_HEADERS_MAX];
    sorted_headers(c, order);
    for (size_t i = 0; i < c->nheaders; i++) {
        append_lower(want, c->headers[order[i]].name);
        if (ma__buf_append_char(want, ':'))
            abort();
        append_trimmed(want, c->headers[order[i]].value);
        if (ma__buf_append_char(want, '\n'))
            abort();
    }
    if (ma__buf_append_char(want, '\n'))
        abort();
    for (size_t i = 0; i < c->nheaders; i++) {
        if (i > 0 && ma__buf_append_char(want, ';'))
            abort();
        append_lower(want, c->headers[order[i]].name);
    }
    if (ma__buf_append_char(want, '\n') || ma__buf_append_str(want, body_hash))
        abort();
}

static ma_status canonical(const sign_case *c, const ma__sign_header *headers, const char *hash, ma__buf *out)
{
    if (ma__buf_append_str(out, KEPT_BYTES))
        abort();
    return ma__sign_canonical_request(ma_default_allocator(), &c->req, headers, c->nheaders, hash, out);
}

/* The same request with its headers and parameters in reverse order. */
static ma_status canonical_reversed(sign_case *c, const char *hash, ma__buf *out)
{
    ma__sign_header rev[MA__SIGN_HEADERS_MAX + 1];
    for (size_t i = 0; i < c->nheaders; i++)
        rev[i] = c->headers[c->nheaders - 1 - i];
    ma__param *items = c->req.query.items;
    for (size_t i = 0, j = c->req.query.count; i + 1 < j; i++, j--) {
        ma__param t = items[i];
        items[i] = items[j - 1];
        items[j - 1] = t;
    }
    return canonical(c, rev, hash, out);
}

static void check_authorization(const sign_case *c, const char *ak, const char *sk, const char *hash,
                                const char *canonical_text, size_t canonical_len)
{
    ma__sign_input in = {ak, sk, strlen(sk), SDK_DATE, c->headers, c->nheaders, hash};
    ma__buf auth;
    ma__buf_init(&auth, ma_default_allocator());
    char sig[MA__SHA256_HEX_SIZE];
    ma_status st = ma__sign_request(ma_default_allocator(), &c->req, &in, &auth, sig);
    if (!ak[0] || !sk[0]) {
        FUZZ_CHECK(st == MA_ERR_INVALID_ARG && auth.len == 0, "empty key signed: %s", ma_status_name(st));
        ma__buf_free_secure(&auth);
        return;
    }
    FUZZ_CHECK(st == MA_OK, "sign_request %s", ma_status_name(st));
    ma__buf sts;
    ma__buf_init(&sts, ma_default_allocator());
    char want_sig[MA__SHA256_HEX_SIZE];
    FUZZ_CHECK(ma__sign_string_to_sign(SDK_DATE, canonical_text, canonical_len, &sts) == MA_OK &&
                   ma__hmac_sha256_hex(sk, strlen(sk), sts.data, sts.len, want_sig) == 0,
               "string to sign");
    FUZZ_CHECK(strcmp(sig, want_sig) == 0, "signature %s, expected %s", sig, want_sig);
    const char *list = strrchr(canonical_text, '\n');
    const char *list_start = list;
    while (list_start > canonical_text && list_start[-1] != '\n')
        list_start--;
    char want[4096];
    snprintf(want, sizeof want, "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%.*s, Signature=%s", ak,
             (int)(list - list_start), list_start, want_sig);
    FUZZ_CHECK(strlen(want) >= sizeof want - 1 || strcmp(auth.data, want) == 0, "authorization \"%s\"", auth.data);
    ma__buf_free(&sts);
    ma__buf_free_secure(&auth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    sign_case c;
    memset(&c, 0, sizeof c);
    c.nheaders = fuzz_byte(&in) % (MA__SIGN_HEADERS_MAX + 2);
    size_t nseg = fuzz_byte(&in) % (MA__PATH_SEGMENTS_MAX + 1);
    size_t nparam = fuzz_byte(&in) % 8;
    int give_hash = fuzz_byte(&in) & 1;
    ma__endpoint ep = {"https", "example.com", 0, "", "example.com", 0};

    const char *method = keep(&c, &in);
    ma__request_init(&c.req, ma_default_allocator(), method, &ep);
    for (size_t i = 0; i < nseg; i++)
        ma__request_add_segment(&c.req, keep(&c, &in));
    for (size_t i = 0; i < nparam; i++) {
        const char *name = keep(&c, &in), *value = keep(&c, &in);
        if (ma__request_add_param(&c.req, name, value, strlen(value)))
            abort();
    }
    for (size_t i = 0; i < c.nheaders; i++) {
        c.headers[i].name = keep(&c, &in);
        c.headers[i].value = keep(&c, &in);
    }
    const char *ak = keep(&c, &in), *sk = keep(&c, &in);
    if (ma__buf_append(&c.req.body, in.data, in.size))
        abort();

    char body_hash[MA__SHA256_HEX_SIZE];
    FUZZ_CHECK(ma__sha256_hex(c.req.body.data ? c.req.body.data : "", c.req.body.len, body_hash) == 0, "sha256");
    const char *hash = give_hash ? "0123456789abcdef" : NULL;

    ma__buf first, again, reversed;
    ma__buf_init(&first, ma_default_allocator());
    ma__buf_init(&again, ma_default_allocator());
    ma__buf_init(&reversed, ma_default_allocator());
    ma_status st = canonical(&c, c.headers, hash, &first);
    int ok = signable(&c);
    FUZZ_CHECK(st == (ok ? MA_OK : MA_ERR_INVALID_ARG), "canonical request %s, expected %s", ma_status_name(st),
               ok ? "OK" : "INVALID_ARG");
    FUZZ_CHECK(strncmp(first.data, KEPT_BYTES, strlen(KEPT_BYTES)) == 0, "bytes before the output changed");
    if (!ok) {
        FUZZ_CHECK(first.len == strlen(KEPT_BYTES), "a failure left %zu bytes", first.len - strlen(KEPT_BYTES));
    } else {
        ma__buf want;
        ma__buf_init(&want, ma_default_allocator());
        expected_canonical(&c, hash ? hash : body_hash, &want);
        const char *got = first.data + strlen(KEPT_BYTES);
        FUZZ_CHECK(strcmp(got, want.data) == 0, "canonical request\n%s\nexpected\n%s", got, want.data);
        FUZZ_CHECK(canonical(&c, c.headers, hash, &again) == MA_OK && strcmp(again.data, first.data) == 0,
                   "second call differs");
        FUZZ_CHECK(canonical_reversed(&c, hash, &reversed) == MA_OK && strcmp(reversed.data, first.data) == 0,
                   "order of headers or parameters changes the canonical request");
        check_authorization(&c, ak, sk, hash, got, first.len - strlen(KEPT_BYTES));
        ma__buf_free(&want);
    }
    ma__buf_free(&first);
    ma__buf_free(&again);
    ma__buf_free(&reversed);
    ma__request_free(&c.req);
    for (size_t i = 0; i < c.nstrings; i++)
        free(c.strings[i]);
    return 0;
}
