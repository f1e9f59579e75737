/*
 * Success body -> ma_job_list in one allocation. A cheap first pass sizes the
 * string pool; the second checks every field while copying, and frees the
 * list on the first protocol error, so a half-built list never escapes.
 */
#include <limits.h>
#include <string.h>

#include "internal/alloc.h"
#include "internal/error.h"
#include "internal/job_list.h"
#include "json/decode_job_list.h"
#include "json/json_field.h"

typedef struct job_fields {
    int64_t job_id, version_id, status, create_time, duration, version_count;
    const char *name, *desc;
    size_t name_len, desc_len;
} job_fields;

static field_path job_path(size_t index, const char *name)
{
    field_path p = {"jobs", index, name};
    return p;
}

/* Reads one job; optional fields default to 0 / "". */
static ma_status read_job(const json_t *job, size_t index, job_fields *f, ma_error *err)
{
    if (!json_is_object(job))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu]' must be an object, got %s", index,
                             ma__json_type_name(job));
    int present;
    ma_status st;
    memset(f, 0, sizeof *f);
    f->name = f->desc = "";
    if ((st = ma__json_get_int64(job, job_path(index, "job_id"), FIELD_REQUIRED, &f->job_id, &present, err)) ||
        (st = ma__json_get_string(job, job_path(index, "job_name"), FIELD_REQUIRED, &f->name, &f->name_len, &present,
                                  err)) ||
        (st = ma__json_get_int64(job, job_path(index, "version_id"), FIELD_REQUIRED, &f->version_id, &present, err)) ||
        (st = ma__json_get_int64(job, job_path(index, "status"), FIELD_REQUIRED, &f->status, &present, err)) ||
        (st =
             ma__json_get_int64(job, job_path(index, "create_time"), FIELD_REQUIRED, &f->create_time, &present, err)) ||
        (st = ma__json_get_int64(job, job_path(index, "duration"), FIELD_OPTIONAL, &f->duration, &present, err)) ||
        (st = ma__json_get_string(job, job_path(index, "job_desc"), FIELD_OPTIONAL, &f->desc, &f->desc_len, &present,
                                  err)) ||
        (st = ma__json_get_int64(job, job_path(index, "version_count"), FIELD_OPTIONAL, &f->version_count, &present,
                                 err)))
        return st;
    if (f->status < INT_MIN || f->status > INT_MAX)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu].status' is out of range: %lld", index,
                             (long long)f->status);
    return MA_OK;
}

static ma_status read_totals(const json_t *doc, int64_t *total, int64_t *limit, int64_t *quotas, ma_error *err)
{
    int present;
    ma_status st;
    field_path p_total = {NULL, 0, "job_total_count"}, p_limit = {NULL, 0, "job_count_limit"},
               p_quotas = {NULL, 0, "quotas"};
    if ((st = ma__json_get_int64(doc, p_total, FIELD_REQUIRED, total, &present, err)))
        return st;
    if ((st = ma__json_get_int64(doc, p_limit, FIELD_OPTIONAL, limit, &present, err)))
        return st;
    if (!present)
        *limit = -1;
    if ((st = ma__json_get_int64(doc, p_quotas, FIELD_OPTIONAL, quotas, &present, err)))
        return st;
    if (!present)
        *quotas = -1;
    return MA_OK;
}

/* Pool bytes one job needs: its name and description, each with a NUL. Non-strings count as empty. */
static size_t string_bytes(const json_t *job)
{
    const json_t *name = json_object_get(job, "job_name"), *desc = json_object_get(job, "job_desc");
    return (json_is_string(name) ? json_string_length(name) : 0) +
           (json_is_string(desc) ? json_string_length(desc) : 0) + 2;
}

static char *copy_into_pool(char **pool, const char *s, size_t len)
{
    char *dst = *pool;
    memcpy(dst, s, len);
    dst[len] = '\0';
    *pool += len + 1;
    return dst;
}

ma_status ma__decode_job_list(const ma_allocator *alloc, const json_t *doc, ma_job_list **out, ma_error *err)
{
    int64_t total, limit, quotas;
    ma_status st = read_totals(doc, &total, &limit, &quotas, err);
    if (st != MA_OK)
        return st;
    const json_t *jobs = json_object_get(doc, "jobs");
    if (!jobs)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' is required but missing");
    if (!json_is_array(jobs))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' must be an array, got %s",
                             ma__json_type_name(jobs));

    /* Sizing pass: only the two strings are looked at; full checks happen while copying. */
    size_t count = json_array_size(jobs), pool_bytes = 0;
    int overflow = 0;
    for (size_t i = 0; i < count; i++)
        pool_bytes = ma__size_add(pool_bytes, string_bytes(json_array_get(jobs, i)), &overflow);
    char *pool = NULL;
    ma_job_list *list = overflow ? NULL : ma__job_list_alloc(alloc, count, pool_bytes, &pool);
    if (!list)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory storing %zu jobs", count);
    list->total_count = total;
    list->count_limit = limit;
    list->quotas = quotas;
    job_fields f;
    for (size_t i = 0; i < count; i++) {
        if ((st = read_job(json_array_get(jobs, i), i, &f, err)) != MA_OK) {
            ma_job_list_free(list);
            return st;
        }
        ma_job *job = &list->jobs[i];
        job->job_id = f.job_id;
        job->version_id = f.version_id;
        job->status = (int32_t)f.status;
        job->create_time_ms = f.create_time;
        job->duration_ms = f.duration;
        job->version_count = f.version_count;
        job->job_name = copy_into_pool(&pool, f.name, f.name_len);
        job->job_desc = copy_into_pool(&pool, f.desc, f.desc_len);
    }
    *out = list;
    return MA_OK;
}
