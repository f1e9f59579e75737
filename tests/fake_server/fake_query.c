/*
 * Request-target parsing and query validation of the list API.
 *
 * The raw target is parsed here rather than through libmicrohttpd's argument
 * table because the library turns '+' into a space before any unescape
 * callback runs; RFC 3986 percent-encoding is decoded here and '+' stays '+'.
 */
#include "fake_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ROUTE_PREFIX[] = "/v1/";
static const char ROUTE_SUFFIX[] = "/training-jobs";

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int fake_percent_decode(const char *src, size_t len, char **out, size_t *out_len)
{
    char *buf = malloc(len + 1);
    if (buf == NULL) {
        return -2;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] != '%') {
            buf[o++] = src[i];
            continue;
        }
        if (len - i < 3) {
            free(buf);
            return -1;
        }
        int hi = hex_value(src[i + 1]);
        int lo = hex_value(src[i + 2]);
        if (hi < 0 || lo < 0) {
            free(buf);
            return -1;
        }
        buf[o++] = (char)(unsigned char)(hi * 16 + lo);
        i += 2;
    }
    buf[o] = '\0';
    *out = buf;
    if (out_len != NULL) {
        *out_len = o;
    }
    return 0;
}

int fake_route_match(const char *target, char **project_id, const char **query)
{
    *project_id = NULL;
    *query = NULL;
    if (target == NULL) {
        return 0;
    }
    const char *q = strchr(target, '?');
    size_t path_len = q != NULL ? (size_t)(q - target) : strlen(target);
    size_t pre = sizeof ROUTE_PREFIX - 1;
    size_t suf = sizeof ROUTE_SUFFIX - 1;
    if (path_len <= pre + suf || strncmp(target, ROUTE_PREFIX, pre) != 0 ||
        memcmp(target + path_len - suf, ROUTE_SUFFIX, suf) != 0) {
        return 0;
    }
    const char *seg = target + pre;
    size_t seg_len = path_len - pre - suf;
    if (memchr(seg, '/', seg_len) != NULL) {
        return 0;
    }
    char *decoded = NULL;
    size_t decoded_len = 0;
    int rc = fake_percent_decode(seg, seg_len, &decoded, &decoded_len);
    if (rc == -2) {
        return -2;
    }
    if (rc != 0) {
        return 0;
    }
    if (decoded_len == 0 || strlen(decoded) != decoded_len) {
        free(decoded);
        return 0;
    }
    *project_id = decoded;
    *query = q != NULL ? q + 1 : NULL;
    return 1;
}

/*
 * Validates strict UTF-8 (no overlong forms, no surrogates, at most
 * U+10FFFF, no NUL) and counts code points. Returns 0 or -1.
 */
static int utf8_count(const unsigned char *s, size_t len, size_t *count)
{
    size_t n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t extra;
        uint32_t cp;
        uint32_t min;
        if (c == 0) {
            return -1;
        } else if (c < 0x80) {
            i++;
            n++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1Fu;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0Fu;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07u;
            min = 0x10000;
        } else {
            return -1;
        }
        if (len - i <= extra) {
            return -1;
        }
        for (size_t k = 1; k <= extra; k++) {
            unsigned char cc = s[i + k];
            if ((cc & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return -1;
        }
        i += extra + 1;
        n++;
    }
    *count = n;
    return 0;
}

static const char *const SORT_KEYS[] = {
    "job_name", "job_desc", "status", "duration", "version_count", "create_time",
};

enum param_id { P_STATUS, P_PER_PAGE, P_PAGE, P_SORT_BY, P_SORT_BY_ALIAS, P_ORDER, P_SEARCH, P_WORKSPACE, P_COUNT };

static const char *const PARAM_NAMES[P_COUNT] = {
    "status", "per_page", "page", "sortBy", "sort_by", "order", "search_content", "workspace_id",
};

#define STR_(x)   #x
#define STR(x)    STR_(x)
#define SORT_RULE "one of job_name, job_desc, status, duration, version_count, create_time"

/* What each parameter accepts, quoted in every error message about it. */
static const char *const PARAM_RULES[P_COUNT] = {
    "a decimal integer in the range [0, " STR(FAKE_STATUS_MAX) "]",
    "a decimal integer in the range [" STR(FAKE_PER_PAGE_MIN) ", " STR(FAKE_PER_PAGE_MAX) "]",
    "a decimal integer in the range [" STR(FAKE_PAGE_MIN) ", " STR(FAKE_PAGE_MAX) "]",
    SORT_RULE,
    SORT_RULE,
    "asc or desc",
    "valid UTF-8 text of 0 to " STR(FAKE_SEARCH_MAX_CHARS) " characters",
    "the id of an existing workspace, without NUL characters",
};

/* Message "<name> <problem>: it must be <rule>." */
static void set_error(fake_query_error *err, const char *code, int id, const char *problem)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s %s: it must be %s.", PARAM_NAMES[id], problem, PARAM_RULES[id]);
}

/*
 * Parses a decimal integer of digits only within [min, max].
 * Returns 0, -1 when it is not a decimal integer, -2 when out of range.
 */
static int parse_uint(const char *s, size_t len, unsigned long min, unsigned long max, unsigned long *out)
{
    if (len == 0) {
        return -1;
    }
    unsigned long v = 0;
    int overflow = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        if (!overflow) {
            v = v * 10 + (unsigned long)(s[i] - '0');
            if (v > max) {
                overflow = 1;
            }
        }
    }
    if (overflow || v < min) {
        return -2;
    }
    *out = v;
    return 0;
}

static int check_int(int id, const char *val, size_t len, unsigned long min, unsigned long max, unsigned long *out,
                     fake_query_error *err)
{
    int rc = parse_uint(val, len, min, max, out);
    if (rc == -1) {
        set_error(err, FAKE_CODE_PARAM_INVALID, id, "is invalid");
    } else if (rc == -2) {
        set_error(err, FAKE_CODE_PARAM_RANGE, id, "is out of range");
    }
    return rc == 0 ? 0 : -1;
}

static char *dup_bytes(const char *s, size_t len)
{
    char *d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

/* Looks up a decoded parameter name; -1 when it is unknown. */
static int param_lookup(const char *name, size_t len)
{
    for (int i = 0; i < P_COUNT; i++) {
        if (strlen(PARAM_NAMES[i]) == len && memcmp(PARAM_NAMES[i], name, len) == 0) {
            return i;
        }
    }
    return -1;
}

static int apply_param(int id, const char *val, size_t len, fake_query *q, fake_query_error *err)
{
    unsigned long v = 0;
    switch (id) {
    case P_STATUS:
        if (check_int(id, val, len, 0, FAKE_STATUS_MAX, &v, err) != 0) {
            return -1;
        }
        q->has_status = 1;
        q->status = (int)v;
        return 0;
    case P_PER_PAGE:
        if (check_int(id, val, len, FAKE_PER_PAGE_MIN, FAKE_PER_PAGE_MAX, &v, err) != 0) {
            return -1;
        }
        q->per_page = (unsigned int)v;
        return 0;
    case P_PAGE:
        if (check_int(id, val, len, FAKE_PAGE_MIN, FAKE_PAGE_MAX, &v, err) != 0) {
            return -1;
        }
        q->page = (unsigned int)v;
        return 0;
    case P_SORT_BY:
    case P_SORT_BY_ALIAS:
        for (size_t k = 0; k < sizeof SORT_KEYS / sizeof SORT_KEYS[0]; k++) {
            if (strlen(SORT_KEYS[k]) == len && memcmp(SORT_KEYS[k], val, len) == 0) {
                q->sort_key = (fake_sort_key)k;
                return 0;
            }
        }
        set_error(err, FAKE_CODE_SORT_KEY, id, "is invalid");
        return -1;
    case P_ORDER:
        if (len == 3 && memcmp(val, "asc", 3) == 0) {
            q->descending = 0;
            return 0;
        }
        if (len == 4 && memcmp(val, "desc", 4) == 0) {
            q->descending = 1;
            return 0;
        }
        set_error(err, FAKE_CODE_PARAM_INVALID, id, "is invalid");
        return -1;
    case P_SEARCH: {
        size_t chars = 0;
        if (utf8_count((const unsigned char *)val, len, &chars) != 0) {
            set_error(err, FAKE_CODE_PARAM_INVALID, id, "is not valid UTF-8");
            return -1;
        }
        if (chars > FAKE_SEARCH_MAX_CHARS) {
            set_error(err, FAKE_CODE_PARAM_RANGE, id, "is too long");
            return -1;
        }
        char *d = dup_bytes(val, len);
        if (d == NULL) {
            return -2;
        }
        free(q->search);
        q->search = d;
        return 0;
    }
    case P_WORKSPACE: {
        if (memchr(val, '\0', len) != NULL) {
            set_error(err, FAKE_CODE_PARAM_INVALID, id, "is invalid");
            return -1;
        }
        char *d = dup_bytes(val, len);
        if (d == NULL) {
            return -2;
        }
        free(q->workspace_id);
        q->workspace_id = d;
        return 0;
    }
    default:
        return 0;
    }
}

/* Handles one "name=value" piece. Returns 0, -1 (err set) or -2 (OOM). */
static int parse_piece(const char *piece, size_t len, int seen[P_COUNT], fake_query *q, fake_query_error *err)
{
    const char *eq = memchr(piece, '=', len);
    size_t name_len = eq != NULL ? (size_t)(eq - piece) : len;
    const char *raw_val = eq != NULL ? eq + 1 : piece + len;
    size_t raw_val_len = eq != NULL ? len - name_len - 1 : 0;

    char *name = NULL;
    size_t dn = 0;
    int rc = fake_percent_decode(piece, name_len, &name, &dn);
    if (rc == -2) {
        return -2;
    }
    if (rc != 0) {
        return 0; /* a name that cannot be decoded is no known parameter */
    }
    int id = param_lookup(name, dn);
    free(name);
    if (id < 0) {
        return 0;
    }
    if (seen[id]) {
        set_error(err, FAKE_CODE_PARAM_INVALID, id, "is given more than once");
        return -1;
    }
    seen[id] = 1;
    if ((id == P_SORT_BY && seen[P_SORT_BY_ALIAS]) || (id == P_SORT_BY_ALIAS && seen[P_SORT_BY])) {
        err->code = FAKE_CODE_PARAM_INVALID;
        snprintf(err->message, sizeof err->message,
                 "sortBy and sort_by must not both be given: give one of them, as %s.", SORT_RULE);
        return -1;
    }
    char *val = NULL;
    size_t vn = 0;
    rc = fake_percent_decode(raw_val, raw_val_len, &val, &vn);
    if (rc == -2) {
        return -2;
    }
    if (rc != 0) {
        set_error(err, FAKE_CODE_PARAM_INVALID, id, "has malformed percent-encoding");
        return -1;
    }
    rc = apply_param(id, val, vn, q, err);
    free(val);
    return rc;
}

int fake_query_parse(const char *query, fake_query *q, fake_query_error *err)
{
    memset(q, 0, sizeof *q);
    q->per_page = FAKE_PER_PAGE_DEFAULT;
    q->page = FAKE_PAGE_MIN;
    q->sort_key = FAKE_SORT_JOB_NAME;
    err->code = NULL;
    err->message[0] = '\0';

    int seen[P_COUNT] = {0};
    int rc = 0;
    const char *p = query != NULL ? query : "";
    while (rc == 0 && *p != '\0') {
        const char *amp = strchr(p, '&');
        size_t len = amp != NULL ? (size_t)(amp - p) : strlen(p);
        if (len > 0) {
            rc = parse_piece(p, len, seen, q, err);
        }
        p += len;
        if (*p == '&') {
            p++;
        }
    }
    if (rc == 0 && q->search == NULL) {
        q->search = dup_bytes("", 0);
        if (q->search == NULL) {
            rc = -2;
        }
    }
    if (rc == 0 && q->workspace_id == NULL) {
        q->workspace_id = dup_bytes(FAKE_DEFAULT_WORKSPACE, sizeof FAKE_DEFAULT_WORKSPACE - 1);
        if (q->workspace_id == NULL) {
            rc = -2;
        }
    }
    if (rc != 0) {
        fake_query_free(q);
    }
    return rc;
}

void fake_query_free(fake_query *q)
{
    if (q == NULL) {
        return;
    }
    free(q->search);
    free(q->workspace_id);
    q->search = NULL;
    q->workspace_id = NULL;
}
