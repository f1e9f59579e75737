/*
 * The fake server's page cache: one sorted, filtered selection per distinct
 * filter and order, and each rendered page body of it. Bounded: when the
 * rendered bytes pass CACHE_BYTES_MAX, everything is dropped and rebuilt.
 */
#define _POSIX_C_SOURCE 200809L
#include "fake_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SELECTIONS_MAX  32
#define CACHE_BYTES_MAX ((size_t)512 * 1024 * 1024)

typedef struct cached_page {
    unsigned int page, per_page;
    char *body;
    size_t len;
} cached_page;

typedef struct selection {
    fake_sort_key sort_key;
    int descending;
    int has_status;
    int status;
    char *search;
    char *workspace_id;
    const fake_job **jobs;
    size_t count;
    cached_page *pages;
    size_t page_count, page_cap;
} selection;

struct fake_cache {
    pthread_mutex_t lock;
    const fake_dataset *ds;
    int64_t quotas;
    int total_unfiltered;
    selection sel[SELECTIONS_MAX];
    size_t sel_count;
    size_t next_victim;
    size_t bytes;
};

fake_cache *fake_cache_new(const fake_dataset *ds, int64_t quotas, int total_unfiltered)
{
    fake_cache *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->ds = ds;
    c->quotas = quotas;
    c->total_unfiltered = total_unfiltered;
    return c;
}

static void selection_clear(selection *s)
{
    for (size_t i = 0; i < s->page_count; i++) {
        free(s->pages[i].body);
    }
    free(s->pages);
    free((void *)s->jobs);
    free(s->search);
    free(s->workspace_id);
    memset(s, 0, sizeof *s);
}

static void drop_all(fake_cache *c)
{
    for (size_t i = 0; i < c->sel_count; i++) {
        selection_clear(&c->sel[i]);
    }
    c->sel_count = 0;
    c->bytes = 0;
}

void fake_cache_free(fake_cache *c)
{
    if (c == NULL) {
        return;
    }
    drop_all(c);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int same_filter(const selection *s, const fake_query *q)
{
    return s->sort_key == q->sort_key && s->descending == q->descending && s->has_status == q->has_status &&
           (!q->has_status || s->status == q->status) && strcmp(s->search, q->search) == 0 &&
           strcmp(s->workspace_id, q->workspace_id) == 0;
}

static selection *find_or_build(fake_cache *c, const fake_query *q)
{
    for (size_t i = 0; i < c->sel_count; i++) {
        if (same_filter(&c->sel[i], q)) {
            return &c->sel[i];
        }
    }
    size_t slot = c->sel_count < SELECTIONS_MAX ? c->sel_count++ : c->next_victim++ % SELECTIONS_MAX;
    selection *s = &c->sel[slot];
    selection_clear(s);
    s->jobs = malloc((c->ds->count > 0 ? c->ds->count : 1) * sizeof *s->jobs);
    s->search = strdup(q->search);
    s->workspace_id = strdup(q->workspace_id);
    size_t n = s->jobs ? fake_select(c->ds, q, s->jobs) : (size_t)-1;
    if (s->search == NULL || s->workspace_id == NULL || n == (size_t)-1) {
        selection_clear(s);
        if (slot + 1 == c->sel_count) {
            c->sel_count--;
        }
        return NULL;
    }
    s->count = n;
    s->sort_key = q->sort_key;
    s->descending = q->descending;
    s->has_status = q->has_status;
    s->status = q->status;
    return s;
}

static char *copy_body(const cached_page *p, size_t *len)
{
    char *out = malloc(p->len + 1);
    if (out != NULL) {
        memcpy(out, p->body, p->len + 1);
        *len = p->len;
    }
    return out;
}

char *fake_cache_list_body(fake_cache *c, const fake_query *q, size_t *len)
{
    char *out = NULL;
    pthread_mutex_lock(&c->lock);
    if (c->bytes > CACHE_BYTES_MAX) {
        drop_all(c);
    }
    selection *s = find_or_build(c, q);
    if (s == NULL) {
        goto done;
    }
    for (size_t i = 0; i < s->page_count; i++) {
        if (s->pages[i].page == q->page && s->pages[i].per_page == q->per_page) {
            out = copy_body(&s->pages[i], len);
            goto done;
        }
    }
    if (s->page_count == s->page_cap) {
        size_t cap = s->page_cap ? s->page_cap * 2 : 16;
        cached_page *p = realloc(s->pages, cap * sizeof *p);
        if (p == NULL) {
            goto done;
        }
        s->pages = p;
        s->page_cap = cap;
    }
    cached_page *p = &s->pages[s->page_count];
    size_t total = c->total_unfiltered ? c->ds->count : s->count;
    p->body = fake_body_page(s->jobs, s->count, total, q, c->quotas, c->ds->count, &p->len);
    if (p->body == NULL) {
        goto done;
    }
    p->page = q->page;
    p->per_page = q->per_page;
    s->page_count++;
    c->bytes += p->len;
    out = copy_body(p, len);
done:
    pthread_mutex_unlock(&c->lock);
    return out;
}
