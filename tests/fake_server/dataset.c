/*
 * Deterministic fake data set.
 *
 * The same (seed, count) always gives the same jobs. Job i (0-based) is:
 *
 *   workspace_id  i % 10 in {3, 7} -> "7d3f0b1c9a2e4f60b5d8c1e2a3b4c5d6",
 *                 i % 10 == 5      -> "ws-beta", otherwise "0" (70 %).
 *   status        the k-th job of workspace "0" gets k % 23 for k < 46, so
 *                 every status 0..22 appears in workspace "0" once count
 *                 >= 33 (60 jobs put 42 there); later jobs and the other
 *                 workspaces draw 0..22 at random.
 *   job_id        unique. i == 1 -> 2^53 + 1 (9007199254740993), i == 2 ->
 *                 INT64_MAX - 1, i % 29 == 7 -> 2^53 + 1 + 2 i (odd, above
 *                 2^53, so a double cannot hold it), otherwise
 *                 100000 + 1000 i + r with r < 1000.
 *   version_id    i % 9 == 2 -> 2^53 + 3 + 2 i, otherwise 200000 + r.
 *   job_name      i % 19 == 4 -> one of "TrainJob", "trainjob", "TRAINJOB"
 *                 (case variants that also collide exactly); i % 13 == 6 ->
 *                 "duplicate-name"; otherwise a template (taken in order for
 *                 the first jobs, then at random) around the number i. The
 *                 templates hold CJK text, accents, emoji, & % + / # ? = ; ,
 *                 spaces (leading and trailing), double quotes, backslashes,
 *                 apostrophes, '<' '>', a tab, a newline, a literal "%2B" and
 *                 mixed-case spellings of "TrainJob".
 *   job_desc      i % 7 == 0 -> "", i % 11 == 3 -> exactly 4096 bytes of
 *                 valid UTF-8 mixing CJK and the same special characters,
 *                 otherwise a short text with special characters.
 *   create_time   epoch ms in [2018-01-01, 2027-01-01); i % 8 == 5 copies
 *                 job i-1 (ties).
 *   duration      ms in [0, 5 days); i % 12 == 1 -> 0; i % 9 == 4 copies
 *                 job i-1 (ties).
 *   version_count 1..50; i % 7 == 2 -> 1 (ties).
 *
 * All jobs and their strings live in one allocation that starts at jobs[0];
 * workspace ids point to static strings.
 */
#include "fake_server.h"
#include "fake_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWO_POW_53      INT64_C(9007199254740992)
#define DESC_LONG_BYTES 4096u
#define MS_PER_DAY      INT64_C(86400000)
#define TIME_2018       INT64_C(1514764800000)
#define TIME_2027       INT64_C(1798761600000)

static const char WS_DEFAULT[] = "0";
static const char WS_HEX[] = "7d3f0b1c9a2e4f60b5d8c1e2a3b4c5d6";
static const char WS_BETA[] = "ws-beta";

typedef struct name_template {
    const char *prefix;
    const char *suffix;
} name_template;

static const name_template NAME_TEMPLATES[] = {
    {"训练作业-", ""},
    {"Ünïcödé job ", ""},
    {"rocket 🚀 ", " launch"},
    {"a&b=c ", ""},
    {"100% done ", ""},
    {"x+y ", " plus"},
    {"path/to/job#", "?q=1&r=2"},
    {"say \"hi\" \\ ", ""},
    {"it's job ", ""},
    {"tab\there ", ""},
    {"line\nbreak ", ""},
    {"TrainJob-", ""},
    {"trainjob-", ""},
    {"TRAINJOB-", ""},
    {"tRaInJoB-", ""},
    {"job-", ""},
    {"%2B literal ", ""},
    {" spaced  out ", " "},
    {"ResNet50 训练 ", " ✓"},
    {"semi;colon,comma ", ""},
    {"Straße-ß ", ""},
    {"ÀÉÎ-àéî ", ""},
    {"mixed 😀 emoji 🎉 ", ""},
    {"<tag> & 'quote' ", ""},
    {"C:\\path\\job ", ""},
    {"a b+c%20d ", "=e"},
};
#define NAME_TEMPLATE_COUNT (sizeof NAME_TEMPLATES / sizeof NAME_TEMPLATES[0])

static const char *const CASE_VARIANTS[] = {"TrainJob", "trainjob", "TRAINJOB"};

static const char *const DESC_PIECES[] = {
    "plain description",
    "训练作业的描述 & notes",
    "50% off + tax = \"price\"",
    "path/with#hash?and=query&x=y",
    "back\\slash and 'single' quotes",
    "tab\tand\nnewline",
    "emoji 🚀🔥 and Ünïcödé",
    "<b>html</b> &amp; entities",
};
#define DESC_PIECE_COUNT (sizeof DESC_PIECES / sizeof DESC_PIECES[0])

/* Pattern repeated in the 4096-byte descriptions. */
static const char LONG_DESC_PATTERN[] = "训练 desc & %+/#?=\"\\' \t✓ ";

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static uint64_t rand_below(uint64_t *state, uint64_t bound)
{
    return splitmix64(state) % bound;
}

/* Growable byte pool; strings are addressed by offset until the end. */
typedef struct pool {
    char *buf;
    size_t len;
    size_t cap;
} pool;

static int pool_reserve(pool *p, size_t extra)
{
    if (extra > SIZE_MAX - p->len) {
        return -1;
    }
    size_t need = p->len + extra;
    if (need <= p->cap) {
        return 0;
    }
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *nb = realloc(p->buf, cap);
    if (nb == NULL) {
        return -1;
    }
    p->buf = nb;
    p->cap = cap;
    return 0;
}

static int pool_append(pool *p, const char *s, size_t n)
{
    if (pool_reserve(p, n) != 0) {
        return -1;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    return 0;
}

/* Appends the NUL terminator of the string being built. */
static int pool_end(pool *p)
{
    return pool_append(p, "", 1);
}

/* Length in bytes of the UTF-8 sequence starting with @p lead (input is valid UTF-8). */
static size_t utf8_seq_len(unsigned char lead)
{
    if (lead < 0x80) {
        return 1;
    }
    if ((lead & 0xE0) == 0xC0) {
        return 2;
    }
    if ((lead & 0xF0) == 0xE0) {
        return 3;
    }
    return 4;
}

/* Appends a description of exactly DESC_LONG_BYTES bytes (without the NUL). */
static int append_long_desc(pool *p, size_t index)
{
    char head[64];
    int n = snprintf(head, sizeof head, "[long description of job %zu] ", index);
    if (n < 0) {
        return -1;
    }
    size_t used = (size_t)n;
    if (pool_append(p, head, used) != 0) {
        return -1;
    }
    const char *pat = LONG_DESC_PATTERN;
    size_t pat_len = sizeof LONG_DESC_PATTERN - 1;
    size_t pos = 0;
    for (;;) {
        size_t seq = utf8_seq_len((unsigned char)pat[pos]);
        if (used + seq > DESC_LONG_BYTES) {
            break;
        }
        if (pool_append(p, pat + pos, seq) != 0) {
            return -1;
        }
        used += seq;
        pos = (pos + seq) % pat_len;
    }
    while (used < DESC_LONG_BYTES) {
        if (pool_append(p, "x", 1) != 0) {
            return -1;
        }
        used++;
    }
    return 0;
}

static int append_name(pool *p, size_t i, uint64_t *rng, size_t *dup_counter)
{
    const char *fixed = NULL;
    if (i % 19 == 4) {
        fixed = CASE_VARIANTS[(*dup_counter)++ % 3];
    } else if (i % 13 == 6) {
        fixed = "duplicate-name";
    }
    if (fixed != NULL) {
        return pool_append(p, fixed, strlen(fixed));
    }
    size_t t = i < NAME_TEMPLATE_COUNT ? i : (size_t)rand_below(rng, NAME_TEMPLATE_COUNT);
    const name_template *tp = &NAME_TEMPLATES[t];
    char num[32];
    int n = snprintf(num, sizeof num, "%zu", i);
    if (n < 0) {
        return -1;
    }
    if (pool_append(p, tp->prefix, strlen(tp->prefix)) != 0 || pool_append(p, num, (size_t)n) != 0 ||
        pool_append(p, tp->suffix, strlen(tp->suffix)) != 0) {
        return -1;
    }
    return 0;
}

static int append_desc(pool *p, size_t i, uint64_t *rng)
{
    if (i % 7 == 0) {
        return 0;
    }
    if (i % 11 == 3) {
        return append_long_desc(p, i);
    }
    const char *piece = DESC_PIECES[rand_below(rng, DESC_PIECE_COUNT)];
    char head[48];
    int n = snprintf(head, sizeof head, "Job %zu: ", i);
    if (n < 0) {
        return -1;
    }
    if (pool_append(p, head, (size_t)n) != 0 || pool_append(p, piece, strlen(piece)) != 0) {
        return -1;
    }
    return 0;
}

static const char *pick_workspace(size_t i)
{
    switch (i % 10) {
    case 3:
    case 7:
        return WS_HEX;
    case 5:
        return WS_BETA;
    default:
        return WS_DEFAULT;
    }
}

static int64_t pick_job_id(size_t i, uint64_t *rng)
{
    if (i == 1) {
        return TWO_POW_53 + 1;
    }
    if (i == 2) {
        return INT64_MAX - 1;
    }
    if (i % 29 == 7) {
        return TWO_POW_53 + 1 + 2 * (int64_t)i;
    }
    return 100000 + 1000 * (int64_t)i + (int64_t)rand_below(rng, 1000);
}

static void fill_numbers(fake_job *jobs, size_t i, uint64_t *rng, size_t *ws0_seen)
{
    fake_job *j = &jobs[i];
    j->job_id = pick_job_id(i, rng);
    j->version_id = (i % 9 == 2) ? TWO_POW_53 + 3 + 2 * (int64_t)i : 200000 + (int64_t)rand_below(rng, 1000000);
    j->workspace_id = pick_workspace(i);
    if (j->workspace_id == WS_DEFAULT && *ws0_seen < 2 * (FAKE_STATUS_MAX + 1)) {
        j->status = (int)(*ws0_seen % (FAKE_STATUS_MAX + 1));
        (*ws0_seen)++;
    } else {
        j->status = (int)rand_below(rng, FAKE_STATUS_MAX + 1);
    }
    if (i > 0 && i % 8 == 5) {
        j->create_time = jobs[i - 1].create_time;
    } else {
        j->create_time = TIME_2018 + (int64_t)rand_below(rng, (uint64_t)(TIME_2027 - TIME_2018));
    }
    if (i % 12 == 1) {
        j->duration = 0;
    } else if (i > 0 && i % 9 == 4) {
        j->duration = jobs[i - 1].duration;
    } else {
        j->duration = (int64_t)rand_below(rng, (uint64_t)(5 * MS_PER_DAY));
    }
    j->version_count = (i % 7 == 2) ? 1 : 1 + (int64_t)rand_below(rng, 50);
}

int fake_dataset_generate(uint64_t seed, size_t count, fake_dataset *out)
{
    if (out == NULL) {
        return -1;
    }
    out->jobs = NULL;
    out->count = 0;
    if (count == 0) {
        return 0;
    }
    if (count > SIZE_MAX / sizeof(fake_job) / 2) {
        return -1;
    }
    fake_job *tmp = calloc(count, sizeof *tmp);
    size_t *name_off = calloc(count, sizeof *name_off);
    size_t *desc_off = calloc(count, sizeof *desc_off);
    pool p = {NULL, 0, 0};
    int rc = -1;
    if (tmp == NULL || name_off == NULL || desc_off == NULL) {
        goto done;
    }
    uint64_t rng = seed;
    size_t ws0_seen = 0;
    size_t dup_counter = 0;
    for (size_t i = 0; i < count; i++) {
        fill_numbers(tmp, i, &rng, &ws0_seen);
        name_off[i] = p.len;
        if (append_name(&p, i, &rng, &dup_counter) != 0 || pool_end(&p) != 0) {
            goto done;
        }
        desc_off[i] = p.len;
        if (append_desc(&p, i, &rng) != 0 || pool_end(&p) != 0) {
            goto done;
        }
    }
    size_t jobs_bytes = count * sizeof(fake_job);
    if (p.len > SIZE_MAX - jobs_bytes) {
        goto done;
    }
    void *block = malloc(jobs_bytes + p.len);
    if (block == NULL) {
        goto done;
    }
    fake_job *jobs = block;
    char *strings = (char *)block + jobs_bytes;
    memcpy(strings, p.buf, p.len);
    for (size_t i = 0; i < count; i++) {
        jobs[i] = tmp[i];
        jobs[i].job_name = strings + name_off[i];
        jobs[i].job_desc = strings + desc_off[i];
    }
    out->jobs = jobs;
    out->count = count;
    rc = 0;
done:
    free(p.buf);
    free(desc_off);
    free(name_off);
    free(tmp);
    return rc;
}

void fake_dataset_free(fake_dataset *ds)
{
    if (ds == NULL) {
        return;
    }
    free(ds->jobs);
    ds->jobs = NULL;
    ds->count = 0;
}

int fake_dataset_has_workspace(const fake_dataset *ds, const char *workspace_id)
{
    if (strcmp(workspace_id, FAKE_DEFAULT_WORKSPACE) == 0) {
        return 1;
    }
    for (size_t i = 0; i < ds->count; i++) {
        if (strcmp(ds->jobs[i].workspace_id, workspace_id) == 0) {
            return 1;
        }
    }
    return 0;
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int sign_of(int v)
{
    return (v > 0) - (v < 0);
}

int fake_job_compare(const fake_job *a, const fake_job *b, fake_sort_key key, int descending)
{
    int c;
    switch (key) {
    case FAKE_SORT_JOB_DESC:
        c = sign_of(strcmp(a->job_desc, b->job_desc));
        break;
    case FAKE_SORT_STATUS:
        c = cmp_i64(a->status, b->status);
        break;
    case FAKE_SORT_DURATION:
        c = cmp_i64(a->duration, b->duration);
        break;
    case FAKE_SORT_VERSION_COUNT:
        c = cmp_i64(a->version_count, b->version_count);
        break;
    case FAKE_SORT_CREATE_TIME:
        c = cmp_i64(a->create_time, b->create_time);
        break;
    case FAKE_SORT_JOB_NAME:
    default:
        c = sign_of(strcmp(a->job_name, b->job_name));
        break;
    }
    if (c == 0) {
        c = cmp_i64(a->job_id, b->job_id);
    }
    return descending ? -c : c;
}

static unsigned char ascii_lower(unsigned char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch - 'A' + 'a') : ch;
}

int fake_name_matches(const char *job_name, const char *needle)
{
    if (needle == NULL || needle[0] == '\0') {
        return 1;
    }
    if (job_name == NULL) {
        return 0;
    }
    for (const char *start = job_name; *start != '\0'; start++) {
        size_t k = 0;
        while (needle[k] != '\0' && start[k] != '\0' &&
               ascii_lower((unsigned char)start[k]) == ascii_lower((unsigned char)needle[k])) {
            k++;
        }
        if (needle[k] == '\0') {
            return 1;
        }
        if (start[k] == '\0') {
            return 0;
        }
    }
    return 0;
}
