/*
 * The fake gateway's AK/SK check: it recomputes SDK-HMAC-SHA256 from the
 * request exactly as it arrived (raw target, received headers), on its own
 * canonicalisation, independent of the client's signer.
 */
#define _POSIX_C_SOURCE 200809L
#include "fake_aksk.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fake_internal.h"

typedef struct text {
    char *s;
    size_t len, cap;
} text;

static int put(text *t, const char *p, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->len + n + 1) {
            cap *= 2;
        }
        char *q = realloc(t->s, cap);
        if (q == NULL) {
            return -1;
        }
        t->s = q;
        t->cap = cap;
    }
    memcpy(t->s + t->len, p, n);
    t->len += n;
    t->s[t->len] = '\0';
    return 0;
}

static int puts_(text *t, const char *s)
{
    return put(t, s, strlen(s));
}

/* RFC 3986: unreserved bytes stay, everything else is %XX upper case. */
static int put_encoded(text *t, const char *p, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            if (put(t, (const char *)&p[i], 1) != 0) {
                return -1;
            }
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            if (put(t, e, 3) != 0) {
                return -1;
            }
        }
    }
    return 0;
}

/* Decodes then re-encodes @p n bytes of a raw URL piece. */
static int put_canonical(text *t, const char *p, size_t n)
{
    char *d = NULL;
    size_t dlen = 0;
    if (fake_percent_decode(p, n, &d, &dlen) != 0) {
        return -1;
    }
    int rc = put_encoded(t, d, dlen);
    free(d);
    return rc;
}

typedef struct pair {
    char *key, *value;
    size_t key_len, value_len;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
    int c = memcmp(x->key, y->key, n);
    if (c == 0 && x->key_len != y->key_len) {
        c = x->key_len < y->key_len ? -1 : 1;
    }
    if (c != 0) {
        return c;
    }
    n = x->value_len < y->value_len ? x->value_len : y->value_len;
    c = memcmp(x->value, y->value, n);
    if (c == 0 && x->value_len != y->value_len) {
        c = x->value_len < y->value_len ? -1 : 1;
    }
    return c;
}

/* Pairs decoded, sorted by key then value, re-encoded, "k=v" joined with '&'. */
static int put_canonical_query(text *t, const char *q)
{
    if (q == NULL || *q == '\0') {
        return 0;
    }
    size_t count = 1;
    for (const char *p = q; *p; p++) {
        count += *p == '&';
    }
    pair *pairs = calloc(count, sizeof *pairs);
    if (pairs == NULL) {
        return -1;
    }
    size_t n = 0;
    int rc = 0;
    for (const char *p = q; rc == 0 && *p;) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        size_t klen = eq ? (size_t)(eq - p) : len;
        pair *x = &pairs[n++];
        if (fake_percent_decode(p, klen, &x->key, &x->key_len) != 0 ||
            fake_percent_decode(eq ? eq + 1 : "", eq ? len - klen - 1 : 0, &x->value, &x->value_len) != 0) {
            rc = -1;
        }
        p = end ? end + 1 : p + len;
    }
    if (rc == 0) {
        qsort(pairs, n, sizeof *pairs, cmp_pair);
        for (size_t i = 0; i < n && rc == 0; i++) {
            rc = (i > 0 && puts_(t, "&") != 0) || put_encoded(t, pairs[i].key, pairs[i].key_len) != 0 ||
                         puts_(t, "=") != 0 || put_encoded(t, pairs[i].value, pairs[i].value_len) != 0
                     ? -1
                     : 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(pairs[i].key);
        free(pairs[i].value);
    }
    free(pairs);
    return rc;
}

static void hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char d[32];
    unsigned int len = 0;
    EVP_Digest(p, n, d, &len, EVP_sha256(), NULL);
    hex(d, 32, out);
}

/* Reads "Access=..., SignedHeaders=..., Signature=..." into the three buffers. */
static int parse_authorization(const char *v, char *access, char *headers, char *signature, size_t size)
{
    static const char prefix[] = "SDK-HMAC-SHA256 Access=";
    if (v == NULL || strncmp(v, prefix, sizeof prefix - 1) != 0) {
        return -1;
    }
    const char *a = v + sizeof prefix - 1;
    const char *h = strstr(a, ", SignedHeaders=");
    const char *s = h ? strstr(h, ", Signature=") : NULL;
    if (h == NULL || s == NULL) {
        return -1;
    }
    size_t alen = (size_t)(h - a), hlen = (size_t)(s - h) - 16, slen = strlen(s + 12);
    if (alen >= size || hlen >= size || slen >= size) {
        return -1;
    }
    memcpy(access, a, alen);
    access[alen] = '\0';
    memcpy(headers, h + 16, hlen);
    headers[hlen] = '\0';
    memcpy(signature, s + 12, slen + 1);
    return 0;
}

static void trimmed(const char *v, const char **start, size_t *len)
{
    while (*v == ' ' || *v == '\t') {
        v++;
    }
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) {
        n--;
    }
    *start = v;
    *len = n;
}

int fake_aksk_verify(struct MHD_Connection *connection, const char *method, const char *target, const char *ak,
                     const char *sk, char *why, size_t why_size)
{
    char access[256], signed_headers[512], signature[128];
    const char *auth = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
    const char *date = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "X-Sdk-Date");
    if (parse_authorization(auth, access, signed_headers, signature, sizeof access) != 0 || date == NULL) {
        snprintf(why, why_size, "no SDK-HMAC-SHA256 Authorization or X-Sdk-Date header");
        return 0;
    }
    if (strcmp(access, ak) != 0) {
        snprintf(why, why_size, "unknown access key");
        return 0;
    }
    if (strstr(signed_headers, "x-sdk-date") == NULL) {
        snprintf(why, why_size, "x-sdk-date is not signed");
        return 0;
    }
    text cr = {NULL, 0, 0};
    const char *q = strchr(target, '?');
    size_t path_len = q ? (size_t)(q - target) : strlen(target);
    int rc = puts_(&cr, method) || puts_(&cr, "\n");
    /* Canonical URI: each segment decoded and re-encoded, with a trailing '/'. */
    for (size_t i = 0; rc == 0 && i < path_len;) {
        size_t j = i + 1;
        while (j < path_len && target[j] != '/') {
            j++;
        }
        rc = puts_(&cr, "/") || put_canonical(&cr, target + i + 1, j - i - 1);
        i = j;
    }
    if (rc == 0 && (cr.len == 0 || cr.s[cr.len - 1] != '/')) {
        rc = puts_(&cr, "/");
    }
    rc = rc || puts_(&cr, "\n") || put_canonical_query(&cr, q ? q + 1 : NULL) || puts_(&cr, "\n");
    /* Canonical headers, in the order of the signed list. */
    for (char *name = signed_headers, *next; rc == 0 && name && *name; name = next) {
        next = strchr(name, ';');
        if (next) {
            *next++ = '\0';
        }
        const char *value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
        if (value == NULL) {
            snprintf(why, why_size, "signed header %s was not sent", name);
            free(cr.s);
            return 0;
        }
        const char *v;
        size_t vlen;
        trimmed(value, &v, &vlen);
        rc = puts_(&cr, name) || puts_(&cr, ":") || put(&cr, v, vlen) || puts_(&cr, "\n");
        if (next) {
            next[-1] = ';';
        }
    }
    char body_hash[65];
    sha256_hex("", 0, body_hash);
    rc = rc || puts_(&cr, "\n") || puts_(&cr, signed_headers) || puts_(&cr, "\n") || puts_(&cr, body_hash);
    if (rc != 0) {
        free(cr.s);
        snprintf(why, why_size, "out of memory or a malformed request target");
        return 0;
    }
    char cr_hash[65];
    sha256_hex(cr.s, cr.len, cr_hash);
    free(cr.s);
    char sts[256];
    snprintf(sts, sizeof sts, "SDK-HMAC-SHA256\n%s\n%s", date, cr_hash);
    unsigned char mac[32];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), sk, (int)strlen(sk), (const unsigned char *)sts, strlen(sts), mac, &mac_len);
    char expected[65];
    hex(mac, 32, expected);
    if (strcmp(expected, signature) != 0) {
        snprintf(why, why_size, "signature mismatch");
        return 0;
    }
    return 1;
}
