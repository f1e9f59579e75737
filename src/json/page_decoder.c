/*
 * Single-pass, schema-directed JSON decoder for list pages. A byte-level state
 * machine that survives any chunk boundary; the schema (which object is the
 * page, which array holds jobs, which members are error fields) decides where
 * each scalar goes. Everything else is validated and dropped.
 *
 * Agreement with jansson (the reference, tests/support/ref_decoder.c): the top
 * level must be an object or array, \u0000 is rejected, integers must fit
 * int64, a real that overflows a double is rejected, strings are strict UTF-8.
 * On top of that, success bodies reject duplicate keys in every object, and
 * nesting is limited to MA__PAGE_MAX_DEPTH.
 *
 * Errors in the schema (a missing field, a wrong type) do not stop parsing:
 * the message finally reported follows the field precedence of the old
 * tree-based decoder, whatever order the members arrived in.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"
#include "model/job_list.h"
#include "json/page_decoder.h"

enum {
    MAX_DEPTH = MA__PAGE_MAX_DEPTH,
    MAX_DIGITS = 800, /* significant digits kept to decide whether a real overflows */
    REASON_SIZE = 192,
    KEY_MATCH_SIZE = 32 /* longer than every key the schema knows */
};

typedef enum state {
    S_VALUE,         /* a value must start */
    S_FIRST_ELEMENT, /* after '[': a value or ']' */
    S_FIRST_KEY,     /* after '{': a key or '}' */
    S_KEY,           /* after ',' in an object */
    S_COLON,
    S_AFTER_VALUE, /* ',' or the closing bracket */
    S_DONE,        /* only whitespace may follow */
    S_STRING,
    S_NUMBER,
    S_LITERAL,
    S_FAILED /* syntax error or out of memory: bytes are only counted */
} state;

typedef enum role { R_OTHER, R_TOP, R_JOBS, R_JOB, R_ERROR } role;

/* Where a value goes. Job fields are listed in the order the old decoder checked them. */
typedef enum slot {
    SL_NONE,
    SL_TOP,
    SL_IS_SUCCESS,
    SL_TOTAL,
    SL_LIMIT,
    SL_QUOTAS,
    SL_JOBS,
    SL_ERROR_CODE,
    SL_ERROR_MESSAGE,
    SL_ERROR_MSG,
    SL_REQUEST_ID,
    SL_ERROR,
    SL_NESTED_CODE,
    SL_NESTED_MESSAGE,
    SL_JOB,
    SL_JOB_ID,
    SL_JOB_NAME,
    SL_VERSION_ID,
    SL_STATUS,
    SL_CREATE_TIME,
    SL_DURATION,
    SL_JOB_DESC,
    SL_VERSION_COUNT
} slot;

#define JOB_RANK(s)       ((int)(s) - (int)SL_JOB_ID) /* 0..7 */
#define RANK_STATUS_RANGE 8

typedef enum kind { K_OBJECT, K_ARRAY, K_STRING, K_INTEGER, K_REAL, K_TRUE, K_FALSE, K_NULL } kind;

static const char *const kind_names[] = {
    "object", "array", "string", "integer", "number with a fraction or exponent", "boolean", "boolean", "null",
};

typedef enum capture_id { C_CODE, C_MESSAGE, C_MSG, C_REQUEST_ID, C_NESTED_CODE, C_NESTED_MESSAGE, C_COUNT } capture_id;

static const size_t capture_sizes[C_COUNT] = {
    MA_ERROR_CODE_SIZE,       MA_ERROR_MESSAGE_SIZE, MA_ERROR_MESSAGE_SIZE,
    MA_ERROR_REQUEST_ID_SIZE, MA_ERROR_CODE_SIZE,    MA_ERROR_MESSAGE_SIZE,
};

typedef struct capture {
    char buf[MA_ERROR_MESSAGE_SIZE];
    size_t len; /* bytes kept, at most capture_sizes[] (one more than fits, so the copy marks the cut) */
    int is_string;
} capture;

typedef struct frame {
    unsigned char is_object;
    unsigned char role;
    uint32_t seen;      /* known keys met in this object */
    size_t count;       /* elements so far (arrays) */
    size_t keys_start;  /* first entry of this object in the key set */
    size_t bytes_start; /* first byte of this object in the key bytes */
} frame;

/* A key of an open object; entries form a stack, innermost object last. */
typedef struct key_entry {
    uint32_t hash; /* of the bytes and the nesting depth */
    uint32_t len;
    size_t off;  /* in key_bytes */
    size_t slot; /* in key_table */
} key_entry;

/* Growable scratch bytes on the decoder's allocator. */
typedef struct scratch {
    char *data;
    size_t len;
    size_t cap;
} scratch;

typedef enum target { T_SKIP, T_KEY, T_JOB_STRING, T_CAPTURE } target;

/* A top-level integer field. */
typedef struct top_int {
    int state; /* 0 absent, 1 read, 2 wrong type */
    int64_t value;
    const char *got;
} top_int;

struct ma__page_decoder {
    ma_allocator alloc;
    int http_status;
    int strict; /* 2xx: decode the page, reject duplicate keys */
    state st;
    int oom;
    int syntax;
    char reason[REASON_SIZE];
    size_t body_bytes;
    size_t line, line_start; /* for messages: 1-based line, byte offset where it starts */

    /* container stack */
    frame frames[MAX_DEPTH];
    size_t depth;
    slot key_slot; /* slot of the value after the current key */
    slot value_slot;

    /* string in progress */
    target tgt;
    int is_key;
    capture_id cap;
    int esc;                        /* 0 none, 1 after '\\', 2..5 reading hex digits of \u */
    uint32_t ucp;                   /* \u code point being read */
    uint32_t high;                  /* pending high surrogate, 0 if none */
    int want_low;                   /* 0 none, 1 need '\\', 2 need 'u' */
    int utf8_need;                  /* continuation bytes still expected */
    unsigned char utf8_lo, utf8_hi; /* allowed range of the next continuation byte */
    scratch str;                    /* key or job string split across chunks or escaped */
    char short_key[KEY_MATCH_SIZE]; /* lenient bodies: enough of a split key to match the schema */
    size_t short_key_len;

    /* number in progress */
    int num_state;
    int num_neg, num_real, num_overflow;
    uint64_t num_mag;
    char digits[MAX_DIGITS + 32];
    size_t ndigits;
    long num_adj, num_exp;
    int exp_neg, sticky;

    /* literal in progress */
    const char *lit;
    size_t lit_pos;
    kind lit_kind;

    /*
     * Duplicate-key detection for keys the schema does not know: the keys of
     * every open object, plus a hash set over them (open addressing, linear
     * probing; a slot holds 1 + the entry's index, 0 when empty).
     */
    key_entry *keys;
    size_t nkeys, keys_cap;
    scratch key_bytes;
    uint32_t *key_table;
    size_t table_cap;  /* 0 or a power of two, at least twice nkeys */
    size_t key_probes; /* see ma__page_decoder_key_probes() */

    /* what the body said */
    int top_kind;   /* -1 until the first value */
    int is_success; /* 0 absent, 1 true, 2 false, 3 wrong type */
    top_int total, limit, quotas;
    int jobs_state; /* 0 absent, 1 array, 2 wrong type */
    const char *jobs_got;
    capture caps[C_COUNT];

    /* the page */
    ma_job_list *list;
    int job_open; /* a job object is being filled (list->jobs[list->count - 1]) */
    size_t job_index;
    uint32_t job_seen; /* job fields present (not null) */
    int job_bad_rank;  /* best error of the current job, -1 none */
    const char *job_bad_got;
    int64_t job_status;
    /* first failing job: index, rank (-1: not an object), and what was wrong */
    int job_err;
    size_t job_err_index;
    int job_err_rank;
    int job_err_missing;
    const char *job_err_got;
    int64_t job_err_status;
};

static const char empty_string[] = "";

static const char *const job_field_names[] = {
    "job_id", "job_name", "version_id", "status", "create_time", "duration", "job_desc", "version_count",
};
#define JOB_REQUIRED_MASK 0x1Fu /* job_id, job_name, version_id, status, create_time */

/* ---------------------------------------------------------------------------------------------- */
/* Errors                                                                                          */

MA__PRINTF(3, 4)
static void fail_syntax(ma__page_decoder *d, size_t offset, const char *fmt, ...)
{
    if (d->st == S_FAILED)
        return;
    char what[REASON_SIZE - 48];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (n < 0)
        what[0] = '\0';
    snprintf(d->reason, sizeof d->reason, "%s (line %zu, column %zu)", what, d->line, offset - d->line_start + 1);
    d->syntax = 1;
    d->st = S_FAILED;
}

static void fail_oom(ma__page_decoder *d)
{
    d->oom = 1;
    d->st = S_FAILED;
}

/* ---------------------------------------------------------------------------------------------- */
/* Scratch buffers                                                                                 */

static int scratch_grow(ma__page_decoder *d, scratch *s, size_t n)
{
    size_t cap = s->cap ? s->cap : 64;
    while (cap - s->len < n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *data = ma__realloc(&d->alloc, s->data, cap);
    if (!data)
        return -1;
    s->data = data;
    s->cap = cap;
    return 0;
}

static inline int scratch_append(ma__page_decoder *d, scratch *s, const char *p, size_t n)
{
    if (n == 0) /* the buffer may not exist yet */
        return 0;
    if (s->cap - s->len < n && scratch_grow(d, s, n) != 0)
        return -1;
    memcpy(s->data + s->len, p, n);
    s->len += n;
    return 0;
}

static void scratch_free(ma__page_decoder *d, scratch *s)
{
    ma__free(&d->alloc, s->data);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------------------------------------- */
/* Key set                                                                                         */

/* FNV-1a over the bytes, the depth folded in, then mixed so that the low bits index the table. */
static uint32_t hash_key(const char *p, size_t n, size_t depth)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    h ^= (uint32_t)depth * 0x9E3779B9u;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

static size_t table_find_free(const ma__page_decoder *d, uint32_t hash)
{
    size_t mask = d->table_cap - 1, i = hash & mask;
    while (d->key_table[i] != 0)
        i = (i + 1) & mask;
    return i;
}

/*
 * Doubles the table and puts the entries back in the order they were added,
 * which leaves it exactly as if they had been added to the larger table: the
 * last-in, first-out removal in forget_keys() relies on that.
 */
static int table_grow(ma__page_decoder *d)
{
    size_t cap = d->table_cap ? d->table_cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof *d->key_table)
        return -1;
    uint32_t *table = ma__calloc(&d->alloc, cap, sizeof *table);
    if (!table)
        return -1;
    ma__free(&d->alloc, d->key_table);
    d->key_table = table;
    d->table_cap = cap;
    for (size_t i = 0; i < d->nkeys; i++) {
        key_entry *e = &d->keys[i];
        e->slot = table_find_free(d, e->hash);
        table[e->slot] = (uint32_t)(i + 1);
    }
    return 0;
}

/*
 * Drops the entries from @p first on, newest first. With linear probing,
 * emptying the slots in the reverse order of insertion restores the table
 * exactly, so no tombstones are needed.
 */
static void forget_keys(ma__page_decoder *d, size_t first)
{
    while (d->nkeys > first)
        d->key_table[d->keys[--d->nkeys].slot] = 0;
}

/* Remembers a key of the innermost object; returns 1 when it is a duplicate, -1 when out of memory. */
static int remember_key(ma__page_decoder *d, const char *k, size_t n)
{
    const frame *f = &d->frames[d->depth - 1];
    uint32_t h = hash_key(k, n, d->depth);
    if (d->table_cap) {
        size_t mask = d->table_cap - 1;
        for (size_t i = h & mask; d->key_table[i] != 0; i = (i + 1) & mask) {
            size_t index = d->key_table[i] - 1u;
            const key_entry *e = &d->keys[index];
            d->key_probes++;
            /* Entries below keys_start belong to enclosing objects. */
            if (index >= f->keys_start && e->hash == h && e->len == n &&
                (n == 0 /* no bytes stored: key_bytes may be NULL */ || memcmp(d->key_bytes.data + e->off, k, n) == 0))
                return 1;
        }
    }
    if (n > UINT32_MAX || d->nkeys >= UINT32_MAX - 1u)
        return -1;
    if (d->nkeys == d->keys_cap) {
        size_t cap = d->keys_cap ? d->keys_cap * 2 : 32;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof(key_entry), &overflow);
        key_entry *keys = overflow ? NULL : ma__realloc(&d->alloc, d->keys, bytes);
        if (!keys)
            return -1;
        d->keys = keys;
        d->keys_cap = cap;
    }
    /* At most half full, so probe runs stay short. */
    if ((d->nkeys + 1) * 2 > d->table_cap && table_grow(d) != 0)
        return -1;
    key_entry *e = &d->keys[d->nkeys];
    e->off = d->key_bytes.len;
    if (n && scratch_append(d, &d->key_bytes, k, n) != 0)
        return -1;
    e->hash = h;
    e->len = (uint32_t)n;
    e->slot = table_find_free(d, h);
    d->key_table[e->slot] = (uint32_t)(d->nkeys + 1);
    d->nkeys++;
    return 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Life cycle                                                                                      */

ma__page_decoder *ma__page_decoder_new(const ma_allocator *alloc)
{
    alloc = ma__allocator_or_default(alloc);
    ma__page_decoder *d = ma__malloc(alloc, sizeof *d);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    d->alloc = *alloc;
    ma__page_decoder_begin(d, 200);
    return d;
}

void ma__page_decoder_free(ma__page_decoder *d)
{
    if (!d)
        return;
    ma_job_list_free(d->list);
    scratch_free(d, &d->str);
    scratch_free(d, &d->key_bytes);
    ma__free(&d->alloc, d->keys);
    ma__free(&d->alloc, d->key_table);
    ma_allocator a = d->alloc;
    ma__free(&a, d);
}

void ma__page_decoder_begin(ma__page_decoder *d, int http_status)
{
    ma_job_list_free(d->list);
    d->list = NULL;
    d->http_status = http_status;
    d->strict = http_status >= 200 && http_status <= 299;
    d->st = S_VALUE;
    d->oom = d->syntax = 0;
    d->reason[0] = '\0';
    d->body_bytes = 0;
    d->line = 1;
    d->line_start = 0;
    d->depth = 0;
    d->key_slot = d->value_slot = SL_NONE;
    d->str.len = 0;
    d->key_bytes.len = 0;
    forget_keys(d, 0); /* a body that stopped inside an object leaves keys behind */
    d->top_kind = -1;
    d->is_success = 0;
    memset(&d->total, 0, sizeof d->total);
    memset(&d->limit, 0, sizeof d->limit);
    memset(&d->quotas, 0, sizeof d->quotas);
    d->jobs_state = 0;
    d->jobs_got = NULL;
    for (size_t i = 0; i < C_COUNT; i++) {
        d->caps[i].len = 0;
        d->caps[i].is_string = 0;
    }
    d->job_open = 0;
    d->job_err = 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* Schema                                                                                          */

static slot top_key_slot(const char *k, size_t n)
{
    switch (n) {
    case 4:
        if (memcmp(k, "jobs", 4) == 0)
            return SL_JOBS;
        break;
    case 5:
        if (memcmp(k, "error", 5) == 0)
            return SL_ERROR;
        break;
    case 6:
        if (memcmp(k, "quotas", 6) == 0)
            return SL_QUOTAS;
        break;
    case 9:
        if (memcmp(k, "error_msg", 9) == 0)
            return SL_ERROR_MSG;
        break;
    case 10:
        if (memcmp(k, "is_success", 10) == 0)
            return SL_IS_SUCCESS;
        if (memcmp(k, "error_code", 10) == 0)
            return SL_ERROR_CODE;
        if (memcmp(k, "request_id", 10) == 0)
            return SL_REQUEST_ID;
        break;
    case 13:
        if (memcmp(k, "error_message", 13) == 0)
            return SL_ERROR_MESSAGE;
        break;
    case 15:
        if (memcmp(k, "job_total_count", 15) == 0)
            return SL_TOTAL;
        if (memcmp(k, "job_count_limit", 15) == 0)
            return SL_LIMIT;
        break;
    default:
        break;
    }
    return SL_NONE;
}

static slot job_key_slot(const char *k, size_t n)
{
    switch (n) {
    case 6:
        if (memcmp(k, "job_id", 6) == 0)
            return SL_JOB_ID;
        if (memcmp(k, "status", 6) == 0)
            return SL_STATUS;
        break;
    case 8:
        if (memcmp(k, "job_name", 8) == 0)
            return SL_JOB_NAME;
        if (memcmp(k, "job_desc", 8) == 0)
            return SL_JOB_DESC;
        if (memcmp(k, "duration", 8) == 0)
            return SL_DURATION;
        break;
    case 10:
        if (memcmp(k, "version_id", 10) == 0)
            return SL_VERSION_ID;
        break;
    case 11:
        if (memcmp(k, "create_time", 11) == 0)
            return SL_CREATE_TIME;
        break;
    case 13:
        if (memcmp(k, "version_count", 13) == 0)
            return SL_VERSION_COUNT;
        break;
    default:
        break;
    }
    return SL_NONE;
}

static slot error_key_slot(const char *k, size_t n)
{
    if (n == 4 && memcmp(k, "code", 4) == 0)
        return SL_NESTED_CODE;
    if (n == 7 && memcmp(k, "message", 7) == 0)
        return SL_NESTED_MESSAGE;
    return SL_NONE;
}

static int capture_of(slot s, capture_id *c)
{
    switch (s) {
    case SL_ERROR_CODE:
        *c = C_CODE;
        return 1;
    case SL_ERROR_MESSAGE:
        *c = C_MESSAGE;
        return 1;
    case SL_ERROR_MSG:
        *c = C_MSG;
        return 1;
    case SL_REQUEST_ID:
        *c = C_REQUEST_ID;
        return 1;
    case SL_NESTED_CODE:
        *c = C_NESTED_CODE;
        return 1;
    case SL_NESTED_MESSAGE:
        *c = C_NESTED_MESSAGE;
        return 1;
    default:
        return 0;
    }
}

static void on_key(ma__page_decoder *d, const char *k, size_t n, size_t offset)
{
    frame *f = &d->frames[d->depth - 1];
    slot s = SL_NONE;
    if (f->role == R_TOP)
        s = top_key_slot(k, n);
    else if (f->role == R_JOB)
        s = job_key_slot(k, n);
    else if (f->role == R_ERROR)
        s = error_key_slot(k, n);
    if (s != SL_NONE) {
        uint32_t bit = 1u << ((unsigned)s & 31u);
        if (d->strict && (f->seen & bit)) {
            char shown[48];
            ma__copy_text(shown, sizeof shown, k, n);
            fail_syntax(d, offset, "duplicate object key '%s'", shown);
            return;
        }
        f->seen |= bit;
        capture_id c;
        if (capture_of(s, &c)) { /* a repeated key replaces the value (lenient bodies) */
            d->caps[c].len = 0;
            d->caps[c].is_string = 0;
        } else if (s == SL_ERROR) {
            d->caps[C_NESTED_CODE].len = d->caps[C_NESTED_MESSAGE].len = 0;
            d->caps[C_NESTED_CODE].is_string = d->caps[C_NESTED_MESSAGE].is_string = 0;
        }
    } else if (d->strict) {
        int r = remember_key(d, k, n);
        if (r < 0) {
            fail_oom(d);
            return;
        }
        if (r > 0) {
            char shown[48];
            ma__copy_text(shown, sizeof shown, k, n);
            fail_syntax(d, offset, "duplicate object key '%s'", shown);
            return;
        }
    }
    d->key_slot = s;
    d->st = S_COLON;
}

static void job_problem(ma__page_decoder *d, int rank, const char *got)
{
    if (d->job_bad_rank < 0 || rank < d->job_bad_rank) {
        d->job_bad_rank = rank;
        d->job_bad_got = got;
    }
}

static ma_job *current_job(ma__page_decoder *d)
{
    return &d->list->jobs[d->list->count - 1];
}

/* A value of a known slot that is not a container and not a string. */
static void on_scalar(ma__page_decoder *d, slot s, kind k, int64_t v)
{
    const char *got = kind_names[k];
    top_int *ti = NULL;
    switch (s) {
    case SL_IS_SUCCESS:
        d->is_success = k == K_TRUE ? 1 : k == K_FALSE ? 2 : 3;
        return;
    case SL_TOTAL:
        ti = &d->total;
        break;
    case SL_LIMIT:
        ti = &d->limit;
        break;
    case SL_QUOTAS:
        ti = &d->quotas;
        break;
    case SL_JOBS:
        d->jobs_state = 2;
        d->jobs_got = got;
        return;
    case SL_JOB:
        if (!d->job_err && d->strict) {
            d->job_err = 1;
            d->job_err_index = d->frames[d->depth - 1].count;
            d->job_err_rank = -1;
            d->job_err_got = got;
        }
        return;
    default:
        break;
    }
    if (ti) {
        if (k == K_NULL && s != SL_TOTAL) {
            ti->state = 0;
        } else if (k == K_INTEGER) {
            ti->state = 1;
            ti->value = v;
        } else {
            ti->state = 2;
            ti->got = got;
        }
        return;
    }
    if (s < SL_JOB_ID || !d->job_open)
        return;
    int rank = JOB_RANK(s);
    int optional = s == SL_DURATION || s == SL_JOB_DESC || s == SL_VERSION_COUNT;
    if (k == K_NULL && optional)
        return;
    d->job_seen |= 1u << rank;
    if (s == SL_JOB_NAME || s == SL_JOB_DESC || k != K_INTEGER) {
        job_problem(d, rank, got);
        return;
    }
    ma_job *job = current_job(d);
    switch (s) {
    case SL_JOB_ID:
        job->job_id = v;
        break;
    case SL_VERSION_ID:
        job->version_id = v;
        break;
    case SL_STATUS:
        d->job_status = v;
        if (v < INT32_MIN || v > INT32_MAX)
            job_problem(d, RANK_STATUS_RANGE, NULL);
        else
            MA__JOB_SET_STATUS(job, v);
        break;
    case SL_CREATE_TIME:
        job->create_time_ms = v;
        break;
    case SL_DURATION:
        job->duration_ms = v;
        job->present |= MA_JOB_HAS_DURATION;
        break;
    case SL_VERSION_COUNT:
        job->version_count = v;
        job->present |= MA_JOB_HAS_VERSION_COUNT;
        break;
    default:
        break;
    }
}

/* A complete string value for slot @p s (job strings already stored by the caller). */
static void on_string_value(ma__page_decoder *d, slot s)
{
    capture_id c;
    if (capture_of(s, &c)) {
        d->caps[c].is_string = 1;
        return;
    }
    if (s == SL_JOB_NAME || s == SL_JOB_DESC) {
        if (d->job_open)
            d->job_seen |= 1u << JOB_RANK(s);
        return;
    }
    if (s != SL_NONE && s != SL_ERROR && s != SL_TOP)
        on_scalar(d, s, K_STRING, 0);
}

static void store_job_string(ma__page_decoder *d, slot s, const char *p, size_t n)
{
    const char *copy = ma__job_list_store_string(d->list, p, n);
    if (!copy) {
        fail_oom(d);
        return;
    }
    ma_job *job = current_job(d);
    if (s == SL_JOB_NAME) {
        job->job_name = copy;
    } else {
        job->job_desc = copy;
        job->present |= MA_JOB_HAS_DESC;
    }
}

static void open_container(ma__page_decoder *d, int is_object, size_t offset)
{
    if (d->depth == MAX_DEPTH) {
        fail_syntax(d, offset, "nesting deeper than %d levels", MAX_DEPTH);
        return;
    }
    slot s = d->value_slot;
    role r = R_OTHER;
    if (s == SL_TOP) {
        r = is_object ? R_TOP : R_OTHER;
        d->top_kind = is_object ? K_OBJECT : K_ARRAY;
    } else if (s == SL_JOBS && !is_object) {
        d->jobs_state = 1;
        r = d->strict ? R_JOBS : R_OTHER;
    } else if (s == SL_ERROR && is_object) {
        r = R_ERROR;
    } else if (s == SL_JOB && is_object) {
        r = R_JOB;
        d->job_index = d->frames[d->depth - 1].count;
        d->job_seen = 0;
        d->job_bad_rank = -1;
        d->job_open = 0;
        if (!d->job_err) {
            if (!d->list && !(d->list = ma__job_list_new(&d->alloc))) {
                fail_oom(d);
                return;
            }
            if (!ma__job_list_push(d->list)) {
                fail_oom(d);
                return;
            }
            d->job_open = 1;
        }
    } else if (s != SL_NONE && s != SL_ERROR) {
        on_scalar(d, s, is_object ? K_OBJECT : K_ARRAY, 0);
    }
    frame *f = &d->frames[d->depth++];
    f->is_object = (unsigned char)is_object;
    f->role = (unsigned char)r;
    f->seen = 0;
    f->count = 0;
    f->keys_start = d->nkeys;
    f->bytes_start = d->key_bytes.len;
    d->st = is_object ? S_FIRST_KEY : S_FIRST_ELEMENT;
}

static void close_job(ma__page_decoder *d)
{
    if (!d->job_open)
        return;
    d->job_open = 0;
    uint32_t missing = JOB_REQUIRED_MASK & ~d->job_seen;
    int rank = d->job_bad_rank, is_missing = 0;
    for (int i = 0; i < 5; i++) {
        if ((missing & (1u << i)) && (rank < 0 || i < rank)) {
            rank = i;
            is_missing = 1;
            break;
        }
    }
    if (rank < 0) {
        ma_job *job = current_job(d);
        if (!job->job_name)
            job->job_name = empty_string;
        if (!job->job_desc)
            job->job_desc = empty_string;
        return;
    }
    ma__job_list_pop(d->list);
    d->job_err = 1;
    d->job_err_index = d->job_index;
    d->job_err_rank = rank;
    d->job_err_missing = is_missing;
    d->job_err_got = is_missing ? NULL : d->job_bad_got;
    d->job_err_status = d->job_status;
}

static void close_container(ma__page_decoder *d)
{
    frame *f = &d->frames[--d->depth];
    if (f->role == R_JOB)
        close_job(d);
    forget_keys(d, f->keys_start);
    d->key_bytes.len = f->bytes_start;
    d->st = d->depth == 0 ? S_DONE : S_AFTER_VALUE;
}

/* ---------------------------------------------------------------------------------------------- */
/* Strings                                                                                         */

/* 1 for bytes that may be copied as they are: printable ASCII other than '"' and '\\'. */
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void emit(ma__page_decoder *d, const char *p, size_t n)
{
    switch (d->tgt) {
    case T_SKIP:
        break;
    case T_KEY:
        if (!d->strict) { /* no duplicate check, so a prefix is all that matters: never allocates */
            size_t room = KEY_MATCH_SIZE - (d->short_key_len < KEY_MATCH_SIZE ? d->short_key_len : KEY_MATCH_SIZE);
            memcpy(d->short_key + (KEY_MATCH_SIZE - room), p, n < room ? n : room);
            d->short_key_len += n;
            break;
        }
        /* fall through */
    case T_JOB_STRING:
        if (scratch_append(d, &d->str, p, n) != 0)
            fail_oom(d);
        break;
    case T_CAPTURE: {
        capture *c = &d->caps[d->cap];
        size_t room = capture_sizes[d->cap] - c->len;
        if (n > room)
            n = room;
        memcpy(c->buf + c->len, p, n);
        c->len += n;
        break;
    }
    }
}

static void emit_code_point(ma__page_decoder *d, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    emit(d, u, n);
}

static void start_string(ma__page_decoder *d, int is_key)
{
    d->is_key = is_key;
    d->esc = 0;
    d->high = 0;
    d->want_low = 0;
    d->utf8_need = 0;
    d->str.len = 0;
    d->short_key_len = 0;
    if (is_key) {
        d->tgt = T_KEY;
    } else if ((d->value_slot == SL_JOB_NAME || d->value_slot == SL_JOB_DESC) && d->job_open) {
        d->tgt = T_JOB_STRING;
    } else if (capture_of(d->value_slot, &d->cap)) {
        d->tgt = T_CAPTURE;
    } else {
        d->tgt = T_SKIP;
    }
    d->st = S_STRING;
}

static void finish_string(ma__page_decoder *d, const char *p, size_t n, size_t offset)
{
    if (d->is_key) {
        on_key(d, p, n, offset);
        return;
    }
    if (d->tgt == T_JOB_STRING) {
        store_job_string(d, d->value_slot, p, n);
        if (d->st == S_FAILED)
            return;
    }
    on_string_value(d, d->value_slot);
    d->st = S_AFTER_VALUE;
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One byte of an escape sequence (d->esc != 0 or a low surrogate is wanted). */
static void escape_byte(ma__page_decoder *d, unsigned char c, size_t offset)
{
    if (d->want_low == 1) {
        if (c != '\\') {
            fail_syntax(d, offset, "invalid Unicode '\\u%04X' (lone high surrogate)", (unsigned)d->high);
            return;
        }
        d->want_low = 2;
        return;
    }
    if (d->want_low == 2) {
        if (c != 'u') {
            fail_syntax(d, offset, "invalid Unicode '\\u%04X' (lone high surrogate)", (unsigned)d->high);
            return;
        }
        d->want_low = 0;
        d->esc = 2;
        d->ucp = 0;
        return;
    }
    if (d->esc == 1) {
        char out;
        switch (c) {
        case '"':
            out = '"';
            break;
        case '\\':
            out = '\\';
            break;
        case '/':
            out = '/';
            break;
        case 'b':
            out = '\b';
            break;
        case 'f':
            out = '\f';
            break;
        case 'n':
            out = '\n';
            break;
        case 'r':
            out = '\r';
            break;
        case 't':
            out = '\t';
            break;
        case 'u':
            d->esc = 2;
            d->ucp = 0;
            return;
        default:
            fail_syntax(d, offset, "invalid escape '\\%c'", (c >= 0x20 && c < 0x7f) ? c : '?');
            return;
        }
        d->esc = 0;
        emit(d, &out, 1);
        return;
    }
    int h = hex_value(c);
    if (h < 0) {
        fail_syntax(d, offset, "invalid \\u escape");
        return;
    }
    d->ucp = (d->ucp << 4) | (uint32_t)h;
    if (++d->esc < 6)
        return;
    d->esc = 0;
    uint32_t cp = d->ucp;
    if (d->high) {
        if (cp < 0xDC00 || cp > 0xDFFF) {
            fail_syntax(d, offset, "invalid Unicode '\\u%04X\\u%04X'", (unsigned)d->high, (unsigned)cp);
            return;
        }
        cp = 0x10000 + ((d->high - 0xD800) << 10) + (cp - 0xDC00);
        d->high = 0;
    } else if (cp >= 0xD800 && cp <= 0xDBFF) {
        d->high = cp;
        d->want_low = 1;
        return;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        fail_syntax(d, offset, "invalid Unicode '\\u%04X' (lone low surrogate)", (unsigned)cp);
        return;
    } else if (cp == 0) {
        fail_syntax(d, offset, "\\u0000 is not allowed");
        return;
    }
    emit_code_point(d, cp);
}

/* Starts or continues a UTF-8 sequence; returns 0 when the byte is invalid. */
static int utf8_byte(ma__page_decoder *d, unsigned char c)
{
    if (d->utf8_need) {
        if (c < d->utf8_lo || c > d->utf8_hi)
            return 0;
        d->utf8_lo = 0x80;
        d->utf8_hi = 0xBF;
        d->utf8_need--;
        return 1;
    }
    d->utf8_lo = 0x80;
    d->utf8_hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        d->utf8_need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        d->utf8_need = 2;
        if (c == 0xE0)
            d->utf8_lo = 0xA0;
        else if (c == 0xED)
            d->utf8_hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        d->utf8_need = 3;
        if (c == 0xF0)
            d->utf8_lo = 0x90;
        else if (c == 0xF4)
            d->utf8_hi = 0x8F;
    } else {
        return 0;
    }
    return 1;
}

/*
 * End of the run from @p p of bytes that need no decoding: printable ASCII
 * other than '"' and '\\', and complete, valid UTF-8 sequences.
 */
static const char *scan_run(const char *p, const char *end)
{
    const unsigned char *q = (const unsigned char *)p, *e = (const unsigned char *)end;
    for (;;) {
        while (q < e && plain[*q])
            q++;
        if (q == e || *q < 0xC2 || *q > 0xF4)
            break;
        unsigned char c = *q;
        if (c <= 0xDF) {
            if (e - q < 2 || (q[1] & 0xC0) != 0x80)
                break;
            q += 2;
        } else if (c <= 0xEF) {
            unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
            if (e - q < 3 || q[1] < lo || q[1] > hi || (q[2] & 0xC0) != 0x80)
                break;
            q += 3;
        } else {
            unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
            if (e - q < 4 || q[1] < lo || q[1] > hi || (q[2] & 0xC0) != 0x80 || (q[3] & 0xC0) != 0x80)
                break;
            q += 4;
        }
    }
    return (const char *)q;
}

/*
 * Consumes string bytes from p; returns where it stopped (after the closing
 * quote, or at @p end). @p base_off is the body offset of @p p.
 */
static const char *string_bytes(ma__page_decoder *d, const char *p, const char *end, size_t base_off)
{
    const char *start = p;
    /* Fast path: the rest of the string is plain ASCII in this chunk, with nothing pending. */
    if (!d->esc && !d->want_low && !d->utf8_need && d->str.len == 0 && d->short_key_len == 0 && d->tgt != T_CAPTURE) {
        const char *q = scan_run(p, end);
        if (q < end && *q == '"') {
            finish_string(d, p, (size_t)(q - p), base_off + (size_t)(q - start));
            return q + 1;
        }
        if (d->tgt != T_SKIP)
            emit(d, p, (size_t)(q - p));
        p = q;
    }
    while (p < end && d->st == S_STRING) {
        unsigned char c = (unsigned char)*p;
        if (d->esc || d->want_low) {
            escape_byte(d, c, base_off + (size_t)(p - start));
            p++;
            continue;
        }
        if (d->utf8_need) {
            if (!utf8_byte(d, c)) {
                fail_syntax(d, base_off + (size_t)(p - start), "invalid UTF-8 byte 0x%02x", c);
                break;
            }
            emit(d, p, 1);
            p++;
            continue;
        }
        const char *q = scan_run(p, end);
        if (q > p) {
            emit(d, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (c == '"') {
            p++;
            if (d->tgt == T_KEY && !d->strict)
                finish_string(d, d->short_key,
                              d->short_key_len < KEY_MATCH_SIZE ? d->short_key_len : KEY_MATCH_SIZE + 1,
                              base_off + (size_t)(p - start) - 1);
            else if (d->tgt == T_KEY || d->tgt == T_JOB_STRING)
                finish_string(d, d->str.data ? d->str.data : "", d->str.len, base_off + (size_t)(p - start) - 1);
            else
                finish_string(d, NULL, 0, base_off + (size_t)(p - start) - 1);
            return p;
        }
        if (c == '\\') {
            d->esc = 1;
            p++;
            continue;
        }
        if (c < 0x20) {
            fail_syntax(d, base_off + (size_t)(p - start), "control character 0x%02x in a string", c);
            break;
        }
        if (c == 0x7f) {
            emit(d, p, 1);
            p++;
            continue;
        }
        if (!utf8_byte(d, c)) {
            fail_syntax(d, base_off + (size_t)(p - start), "invalid UTF-8 byte 0x%02x", c);
            break;
        }
        emit(d, p, 1);
        p++;
    }
    return p;
}

/* ---------------------------------------------------------------------------------------------- */
/* Numbers                                                                                         */

enum { N_SIGN, N_ZERO, N_INT, N_FRAC0, N_FRAC, N_EXP0, N_EXPSIGN, N_EXP };

static void start_number(ma__page_decoder *d)
{
    d->num_state = N_SIGN;
    d->num_neg = d->num_real = d->num_overflow = 0;
    d->num_mag = 0;
    d->ndigits = 0;
    d->num_adj = d->num_exp = 0;
    d->exp_neg = d->sticky = 0;
    d->st = S_NUMBER;
}

static void keep_digit(ma__page_decoder *d, unsigned char c, int in_fraction)
{
    if (d->ndigits == 0 && c == '0') {
        if (in_fraction)
            d->num_adj--;
        return;
    }
    if (d->ndigits < MAX_DIGITS) {
        d->digits[d->ndigits++] = (char)c;
        if (in_fraction)
            d->num_adj--;
    } else {
        if (!in_fraction)
            d->num_adj++;
        if (c != '0')
            d->sticky = 1;
    }
}

/* jansson (strtod) rejects a real whose magnitude overflows a double. */
static int real_overflows(ma__page_decoder *d)
{
    if (d->ndigits == 0)
        return 0;
    long e = d->exp_neg ? -d->num_exp : d->num_exp;
    long magnitude = (long)d->ndigits + d->num_adj + e - 1;
    if (magnitude < 308)
        return 0;
    if (magnitude > 308)
        return 1;
    /* Close to DBL_MAX: let strtod decide. No decimal point, so the locale does not matter. */
    char text[MAX_DIGITS + 32];
    memcpy(text, d->digits, d->ndigits);
    size_t n = d->ndigits;
    long exp10 = d->num_adj + e;
    if (d->sticky) {
        text[n++] = '1';
        exp10--;
    }
    snprintf(text + n, sizeof text - n, "e%ld", exp10);
    errno = 0;
    double v = strtod(text, NULL);
    return v == HUGE_VAL && errno == ERANGE;
}

static void finish_number(ma__page_decoder *d, size_t offset)
{
    if (d->num_real) {
        if (real_overflows(d)) {
            fail_syntax(d, offset, "real number overflow");
            return;
        }
        if (d->value_slot != SL_NONE)
            on_scalar(d, d->value_slot, K_REAL, 0);
    } else {
        uint64_t limit = d->num_neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
        if (d->num_overflow || d->num_mag > limit) {
            slot s = d->value_slot;
            if (s >= SL_JOB_ID)
                fail_syntax(d, offset, "integer too big for int64 in 'jobs[%zu].%s'", d->job_index,
                            job_field_names[JOB_RANK(s)]);
            else if (s >= SL_TOTAL && s <= SL_QUOTAS)
                fail_syntax(d, offset, "integer too big for int64 in '%s'",
                            s == SL_TOTAL   ? "job_total_count"
                            : s == SL_LIMIT ? "job_count_limit"
                                            : "quotas");
            else
                fail_syntax(d, offset, "integer too big for int64");
            return;
        }
        int64_t v = d->num_neg ? (int64_t)(0u - d->num_mag) : (int64_t)d->num_mag;
        if (d->num_neg && d->num_mag == (uint64_t)INT64_MAX + 1u)
            v = INT64_MIN;
        if (d->value_slot != SL_NONE)
            on_scalar(d, d->value_slot, K_INTEGER, v);
    }
    d->st = S_AFTER_VALUE;
}

/* Consumes number bytes; returns the first byte that is not part of the number (or end). */
static const char *number_bytes(ma__page_decoder *d, const char *p, const char *end, size_t base_off)
{
    const char *start = p;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        int digit = c >= '0' && c <= '9';
        switch (d->num_state) {
        case N_SIGN:
            if (!digit) {
                fail_syntax(d, base_off + (size_t)(p - start), "invalid number");
                return p;
            }
            d->num_state = c == '0' ? N_ZERO : N_INT;
            d->num_mag = (uint64_t)(c - '0');
            keep_digit(d, c, 0);
            p++;
            continue;
        case N_ZERO:
        case N_INT:
            if (digit) {
                if (d->num_state == N_ZERO) {
                    fail_syntax(d, base_off + (size_t)(p - start), "invalid number (leading zero)");
                    return p;
                }
                unsigned dv = (unsigned)(c - '0');
                if (d->num_mag > (UINT64_MAX - dv) / 10)
                    d->num_overflow = 1;
                else
                    d->num_mag = d->num_mag * 10 + dv;
                keep_digit(d, c, 0);
                p++;
                continue;
            }
            if (c == '.') {
                d->num_real = 1;
                d->num_state = N_FRAC0;
                p++;
                continue;
            }
            if (c == 'e' || c == 'E') {
                d->num_real = 1;
                d->num_state = N_EXP0;
                p++;
                continue;
            }
            finish_number(d, base_off + (size_t)(p - start));
            return p;
        case N_FRAC0:
        case N_FRAC:
            if (digit) {
                keep_digit(d, c, 1);
                d->num_state = N_FRAC;
                p++;
                continue;
            }
            if (d->num_state == N_FRAC0) {
                fail_syntax(d, base_off + (size_t)(p - start), "invalid number (digit expected after '.')");
                return p;
            }
            if (c == 'e' || c == 'E') {
                d->num_state = N_EXP0;
                p++;
                continue;
            }
            finish_number(d, base_off + (size_t)(p - start));
            return p;
        case N_EXP0:
            if (c == '+' || c == '-') {
                d->exp_neg = c == '-';
                d->num_state = N_EXPSIGN;
                p++;
                continue;
            }
            /* fall through */
        case N_EXPSIGN:
        case N_EXP:
            if (digit) {
                if (d->num_exp < 100000000L)
                    d->num_exp = d->num_exp * 10 + (c - '0');
                d->num_state = N_EXP;
                p++;
                continue;
            }
            if (d->num_state != N_EXP) {
                fail_syntax(d, base_off + (size_t)(p - start), "invalid number (digit expected in exponent)");
                return p;
            }
            finish_number(d, base_off + (size_t)(p - start));
            return p;
        default:
            return p;
        }
    }
    return p;
}

/* ---------------------------------------------------------------------------------------------- */
/* Driver                                                                                          */

static void start_value(ma__page_decoder *d)
{
    if (d->depth == 0) {
        d->value_slot = SL_TOP;
        return;
    }
    frame *f = &d->frames[d->depth - 1];
    if (f->is_object)
        d->value_slot = d->key_slot;
    else
        d->value_slot = f->role == R_JOBS ? SL_JOB : SL_NONE;
}

static void end_array_element(ma__page_decoder *d)
{
    frame *f = &d->frames[d->depth - 1];
    if (!f->is_object)
        f->count++;
}

void ma__page_decoder_feed(ma__page_decoder *d, const char *data, size_t len)
{
    size_t base = d->body_bytes;
    d->body_bytes += len;
    if (d->st == S_FAILED || len == 0)
        return;
    const char *p = data, *end = data + len;
#define OFF ((size_t)(p - data) + base)
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        switch (d->st) {
        case S_STRING:
            p = string_bytes(d, p, end, OFF);
            if (d->st == S_AFTER_VALUE && d->depth > 0)
                end_array_element(d);
            continue;
        case S_NUMBER:
            p = number_bytes(d, p, end, OFF);
            if (d->st == S_AFTER_VALUE)
                end_array_element(d);
            continue;
        case S_LITERAL:
            if (c != (unsigned char)d->lit[d->lit_pos]) {
                fail_syntax(d, OFF, "invalid literal");
                continue;
            }
            p++;
            if (d->lit[++d->lit_pos] == '\0') {
                d->st = S_AFTER_VALUE;
                if (d->value_slot != SL_NONE)
                    on_scalar(d, d->value_slot, d->lit_kind, 0);
                end_array_element(d);
            }
            continue;
        case S_FAILED:
            return;
        default:
            break;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (c == '\n') {
                d->line++;
                d->line_start = OFF + 1;
            }
            p++;
            continue;
        }
        switch (d->st) {
        case S_FIRST_ELEMENT:
            if (c == ']') {
                p++;
                close_container(d);
                if (d->st == S_AFTER_VALUE)
                    end_array_element(d);
                continue;
            }
            /* fall through */
        case S_VALUE:
            start_value(d);
            if (d->depth == 0 && c != '{' && c != '[') {
                fail_syntax(d, OFF, "'[' or '{' expected");
                continue;
            }
            switch (c) {
            case '{':
            case '[':
                p++;
                open_container(d, c == '{', OFF - 1);
                continue;
            case '"':
                p++;
                start_string(d, 0);
                continue;
            case 't':
                d->lit = "true";
                d->lit_kind = K_TRUE;
                break;
            case 'f':
                d->lit = "false";
                d->lit_kind = K_FALSE;
                break;
            case 'n':
                d->lit = "null";
                d->lit_kind = K_NULL;
                break;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    start_number(d);
                    if (c == '-') {
                        d->num_neg = 1;
                        p++;
                    }
                    continue;
                }
                fail_syntax(d, OFF, "unexpected character '%c'", (c >= 0x20 && c < 0x7f) ? c : '?');
                continue;
            }
            d->lit_pos = 0;
            d->st = S_LITERAL;
            continue;
        case S_FIRST_KEY:
            if (c == '}') {
                p++;
                close_container(d);
                if (d->st == S_AFTER_VALUE)
                    end_array_element(d);
                continue;
            }
            /* fall through */
        case S_KEY:
            if (c != '"') {
                fail_syntax(d, OFF, "string or '}' expected");
                continue;
            }
            p++;
            start_string(d, 1);
            continue;
        case S_COLON:
            if (c != ':') {
                fail_syntax(d, OFF, "':' expected");
                continue;
            }
            p++;
            d->st = S_VALUE;
            continue;
        case S_AFTER_VALUE: {
            frame *f = &d->frames[d->depth - 1];
            if (c == ',') {
                p++;
                d->st = f->is_object ? S_KEY : S_VALUE;
                continue;
            }
            if (c == (f->is_object ? '}' : ']')) {
                p++;
                close_container(d);
                if (d->st == S_AFTER_VALUE)
                    end_array_element(d);
                continue;
            }
            fail_syntax(d, OFF, f->is_object ? "',' or '}' expected" : "',' or ']' expected");
            continue;
        }
        case S_DONE:
            fail_syntax(d, OFF, "end of file expected (trailing data)");
            continue;
        default:
            return;
        }
    }
#undef OFF
}

static void fill_capture(const capture *c, char *dst, size_t size)
{
    if (c->is_string && c->len > 0)
        ma__copy_text(dst, size, c->buf, c->len);
}

void ma__page_decoder_end(ma__page_decoder *d, ma__service_error *svc)
{
    if (d->st != S_FAILED && d->st != S_DONE) {
        if (d->body_bytes > 0)
            fail_syntax(d, d->body_bytes,
                        d->depth == 0 && d->st == S_VALUE ? "'[' or '{' expected near end of file"
                                                          : "unexpected end of input");
        else
            d->st = S_FAILED;
    }
    memset(svc, 0, sizeof *svc);
    svc->body_bytes = d->body_bytes;
    if (d->st != S_DONE)
        return;
    svc->is_json = 1;
    if (d->top_kind != K_OBJECT)
        return;
    svc->says_failure = d->is_success == 2;
    fill_capture(&d->caps[C_CODE], svc->code, sizeof svc->code);
    fill_capture(&d->caps[C_MESSAGE], svc->message, sizeof svc->message);
    if (!svc->message[0])
        fill_capture(&d->caps[C_MSG], svc->message, sizeof svc->message);
    fill_capture(&d->caps[C_REQUEST_ID], svc->request_id, sizeof svc->request_id);
    if (!svc->code[0])
        fill_capture(&d->caps[C_NESTED_CODE], svc->code, sizeof svc->code);
    if (!svc->message[0])
        fill_capture(&d->caps[C_NESTED_MESSAGE], svc->message, sizeof svc->message);
}

size_t ma__page_decoder_key_probes(const ma__page_decoder *d)
{
    return d->key_probes;
}

static ma_status top_int_error(const top_int *t, const char *name, int required, ma_error *err)
{
    if (t->state == 0 && required)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field '%s' is required but missing", name);
    if (t->state == 2)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field '%s' must be an integer, got %s", name, t->got);
    return MA_OK;
}

static ma_status job_error(const ma__page_decoder *d, ma_error *err)
{
    size_t i = d->job_err_index;
    if (d->job_err_rank < 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu]' must be an object, got %s", i,
                             d->job_err_got);
    if (d->job_err_rank == RANK_STATUS_RANGE)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu].status' is out of range: %lld", i,
                             (long long)d->job_err_status);
    const char *name = job_field_names[d->job_err_rank];
    if (d->job_err_missing)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu].%s' is required but missing", i, name);
    const char *expected = (d->job_err_rank == 1 || d->job_err_rank == 6) ? "a string" : "an integer";
    return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu].%s' must be %s, got %s", i, name, expected,
                         d->job_err_got);
}

ma_status ma__page_decoder_take_list(ma__page_decoder *d, ma_job_list **out, ma_error *err)
{
    *out = NULL;
    ma_status st;
    if (d->oom)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory decoding the response body");
    if (d->body_bytes == 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "HTTP %d with an empty body; expected a JSON object",
                             d->http_status);
    if (d->syntax)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body is not valid JSON: %s", d->reason);
    if (d->st != S_DONE)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body is not valid JSON");
    if (d->top_kind != K_OBJECT)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body must be a JSON object");
    if (d->is_success == 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' is required but missing");
    if (d->is_success == 3)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' must be a boolean");
    if (d->is_success == 2)
        return ma__error_set(err, MA_ERR_SERVICE, "the service reported a failure");
    if ((st = top_int_error(&d->total, "job_total_count", 1, err)) ||
        (st = top_int_error(&d->limit, "job_count_limit", 0, err)) ||
        (st = top_int_error(&d->quotas, "quotas", 0, err)))
        return st;
    if (d->jobs_state == 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' is required but missing");
    if (d->jobs_state == 2)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' must be an array, got %s", d->jobs_got);
    if (d->job_err)
        return job_error(d, err);
    ma_job_list *list = d->list;
    if (!list && !(list = ma__job_list_new(&d->alloc)))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory storing the job list");
    d->list = NULL;
    list->total_count = d->total.value;
    list->count_limit = d->limit.state == 1 ? d->limit.value : -1;
    list->quotas = d->quotas.state == 1 ? d->quotas.value : -1;
    *out = list;
    return MA_OK;
}
