#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "engine/runtime.h"
#include "util/error.h"
#include "model/job_list.h"
#include "jobs/query.h"
#include "walk/status_merge.h"

int ma__query_has_status_set(const ma_job_query *query)
{
    return query && (query->set & MA__Q_STATUS_SET);
}

ma_status ma__status_merge_init(ma__status_merge *m, ma_client *client, const ma_job_query *query,
                                const ma_walk_options *options, ma_error *err)
{
    memset(m, 0, sizeof *m);
    m->alloc = ma__runtime_of(client)->alloc;
    m->total_count = m->count_limit = m->quotas = -1;
    ma__seen_ids_init(&m->seen, &m->alloc);
    const ma_walk_options defaults = MA_WALK_OPTIONS_INIT;
    m->options = defaults;
    if (options) {
        /* Validated by every source's ma__walk_init; only the caller's version's fields are read. */
        memcpy(&m->options, options, options->version >= 2 ? sizeof *options : offsetof(ma_walk_options, timeout_ms));
        m->options.version = MA_WALK_OPTIONS_VERSION;
    }
    unsigned int concurrency = m->options.concurrency ? m->options.concurrency : MA_WALK_DEFAULT_CONCURRENCY;
    uint32_t set = query->status_set;
    size_t n = 0;
    for (uint32_t s = set; s; s &= s - 1)
        n++;
    m->sources = ma__calloc(&m->alloc, n, sizeof *m->sources);
    if (!m->sources)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory allocating %zu status walks", n);
    /* The query's sort, explicit on every request, so the service and the merge agree on it. */
    m->key = query->sort_key;
    m->descending = query->order == MA_ORDER_DESC;
    ma_job_query sub = *query;
    sub.set = (sub.set & ~(unsigned int)MA__Q_STATUS_SET) | MA__Q_STATUS | MA__Q_SORT_BY | MA__Q_ORDER;
    sub.status_set = 0;
    ma_walk_options so = m->options;
    /* The concurrency is shared: each status gets its part, at least one page in flight. */
    so.concurrency = (unsigned int)(concurrency / n) ? (unsigned int)(concurrency / n) : 1u;
    so.max_jobs = 0;
    so.progress = NULL;
    so.progress_user_data = NULL;
    so.drop_duplicate_job_ids = 0;
    for (int32_t s = 0; s <= (int32_t)MA_JOB_STATUS_MAX; s++) {
        if (!(set & (UINT32_C(1) << s)))
            continue;
        ma__merge_source *src = &m->sources[m->count++];
        src->status = s;
        sub.status = (ma_job_status)s;
        ma_status st = ma__walk_init(&src->walk, client, &sub, &so, err);
        if (st != MA_OK)
            return st;
    }
    return MA_OK;
}

void ma__status_merge_free(ma__status_merge *m)
{
    for (size_t i = 0; i < m->count; i++) {
        ma_job_list_free(m->sources[i].page);
        ma__walk_free(&m->sources[i].walk);
    }
    ma__free(&m->alloc, m->sources);
    m->sources = NULL;
    m->count = 0;
    ma__seen_ids_free(&m->seen);
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_str(const char *a, const char *b)
{
    int c = strcmp(a ? a : "", b ? b : "");
    return (c > 0) - (c < 0);
}

/* The service's order: the sort key, then job_id, both reversed when descending. Absent values count as 0 or "". */
static int compare_jobs(const ma__status_merge *m, const ma_job *a, const ma_job *b)
{
    int c;
    switch (m->key) {
    case MA_SORT_BY_JOB_DESC:
        c = cmp_str(a->job_desc, b->job_desc);
        break;
    case MA_SORT_BY_STATUS:
        c = cmp_i64(a->status, b->status);
        break;
    case MA_SORT_BY_DURATION:
        c = cmp_i64(a->duration_ms, b->duration_ms);
        break;
    case MA_SORT_BY_VERSION_COUNT:
        c = cmp_i64(a->version_count, b->version_count);
        break;
    case MA_SORT_BY_CREATE_TIME:
        c = cmp_i64(a->create_time_ms, b->create_time_ms);
        break;
    case MA_SORT_BY_JOB_NAME:
    default:
        c = cmp_str(a->job_name, b->job_name);
        break;
    }
    if (c == 0)
        c = cmp_i64(a->job_id, b->job_id);
    return m->descending ? -c : c;
}

static ma_status fail(ma__status_merge *m, ma_status st, const ma__merge_source *src, const ma_error *detail,
                      ma_error *err)
{
    m->status = st;
    if (detail)
        m->err = *detail;
    m->err.status = st;
    if (src) {
        m->failed_page = src->walk.failed_page;
        char text[sizeof m->err.message];
        snprintf(text, sizeof text, "status %d: %.480s", (int)src->status, m->err.message);
        memcpy(m->err.message, text, sizeof text);
    }
    m->err.failed_page = m->failed_page;
    for (size_t i = 0; i < m->count; i++)
        ma__walk_abandon(&m->sources[i].walk);
    if (err)
        *err = m->err;
    return st;
}

/* Calls the caller's progress callback with the sum of the sources. */
static ma_status report_progress(ma__status_merge *m, ma_error *err)
{
    if (!m->options.progress)
        return MA_OK;
    int64_t done = 0, total = 0;
    for (size_t i = 0; i < m->count; i++) {
        const ma__walk *w = &m->sources[i].walk;
        done += w->pages_done;
        int64_t planned = w->last_page > 0 ? (int64_t)w->last_page - w->start_page + 1 : 0;
        if (w->total_count < 0)
            total = -1;
        else if (total >= 0)
            total += w->ended || planned < w->pages_done ? w->pages_done : planned;
    }
    ma_walk_progress p = {done, total, m->jobs_so_far};
    if (m->options.progress(&p, m->options.progress_user_data) != 0) {
        ma_error detail;
        ma_error_clear(&detail);
        ma__error_set(&detail, MA_ERR_CANCELLED, "cancelled by the progress callback after %lld pages",
                      (long long)done);
        return fail(m, MA_ERR_CANCELLED, NULL, &detail, err);
    }
    return MA_OK;
}

/* Makes sure @p src has a job to offer, or is done. */
static ma_status refill(ma__status_merge *m, ma__merge_source *src, ma_error *err)
{
    while (!src->done && (!src->page || src->index >= src->page->count)) {
        ma_job_list_free(src->page);
        src->page = NULL;
        src->index = 0;
        ma_error detail;
        ma_error_clear(&detail);
        ma_status st = ma__walk_next_page(&src->walk, &src->page, &detail);
        if (st != MA_OK)
            return fail(m, st, src, &detail, err);
        if (!src->page) {
            src->done = 1;
            break;
        }
        if ((st = report_progress(m, err)) != MA_OK)
            return st;
    }
    return MA_OK;
}

ma_status ma__status_merge_next(ma__status_merge *m, const ma_job **job, ma_error *err)
{
    *job = NULL;
    if (m->status != MA_OK) {
        if (err)
            *err = m->err;
        return m->status;
    }
    ma_status st;
    if (!m->started) {
        m->started = 1;
        /* Every status's first page goes out before any is waited for. */
        for (size_t i = 0; i < m->count; i++) {
            ma_error detail;
            ma_error_clear(&detail);
            if ((st = ma__walk_top_up(&m->sources[i].walk, &detail)) != MA_OK)
                return fail(m, st, &m->sources[i], &detail, err);
        }
    }
    for (;;) {
        if (m->options.max_jobs != 0 && (size_t)m->jobs_so_far >= m->options.max_jobs)
            return MA_OK;
        ma__merge_source *best = NULL;
        for (size_t i = 0; i < m->count; i++) {
            ma__merge_source *src = &m->sources[i];
            if ((st = refill(m, src, err)) != MA_OK)
                return st;
            if (src->done)
                continue;
            if (!best || compare_jobs(m, &src->page->jobs[src->index], &best->page->jobs[best->index]) < 0)
                best = src;
        }
        if (m->total_count < 0) {
            int64_t total = 0;
            for (size_t i = 0; i < m->count; i++)
                total += m->sources[i].walk.total_count > 0 ? m->sources[i].walk.total_count : 0;
            m->total_count = total;
            m->count_limit = m->sources[0].walk.count_limit;
            m->quotas = m->sources[0].walk.quotas;
        }
        if (!best)
            return MA_OK;
        const ma_job *next = &best->page->jobs[best->index++];
        if (m->options.drop_duplicate_job_ids) {
            int fresh = ma__seen_ids_add(&m->seen, next->job_id);
            if (fresh < 0) {
                ma_error detail;
                ma_error_clear(&detail);
                ma__error_set(&detail, MA_ERR_NOMEM, "out of memory remembering job ids");
                return fail(m, MA_ERR_NOMEM, NULL, &detail, err);
            }
            if (!fresh)
                continue;
        }
        m->jobs_so_far++;
        *job = next;
        return MA_OK;
    }
}
