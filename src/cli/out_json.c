/* --format json (the API's response shape) and --format jsonl (one job per line). */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>

/* Takes ownership of @p value; returns -1 if it is NULL or cannot be added. */
static int put(json_t *obj, const char *key, json_t *value)
{
    return value == NULL ? -1 : json_object_set_new(obj, key, value);
}

/* The API's own field order. Optional fields the service did not send stay out rather than turning into 0 or "". */
/* An id as a JSON integer, or as a string for tools that read numbers as doubles (jq 1.6). */
static json_t *id_json(int64_t id, const cli_view *view)
{
    if (view != NULL && view->ids_as_strings) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)id);
        return json_string(buf);
    }
    return json_integer((json_int_t)id);
}

/* One --columns field; times as in csv (create_time in ISO 8601, create_time_ms the number). */
static int put_column(json_t *o, const ma_job *job, cli_column column, const cli_view *view)
{
    char buf[64];
    switch (column) {
    case CLI_COL_JOB_ID:
        return put(o, "job_id", id_json(job->job_id, view));
    case CLI_COL_VERSION_ID:
        return put(o, "version_id", id_json(job->version_id, view));
    case CLI_COL_JOB_NAME:
        return put(o, "job_name", json_string(job->job_name));
    case CLI_COL_JOB_DESC:
        return (job->present & MA_JOB_HAS_DESC) ? put(o, "job_desc", json_string(job->job_desc)) : 0;
    case CLI_COL_STATUS:
        return put(o, "status", json_integer((json_int_t)job->status));
    case CLI_COL_STATUS_NAME:
        return put(o, "status_name", json_string(ma_job_status_name(job->status)));
    case CLI_COL_CREATE_TIME:
        cli_format_iso8601(job->create_time_ms, buf, sizeof buf);
        return put(o, "create_time", json_string(buf));
    case CLI_COL_CREATE_TIME_MS:
        return put(o, "create_time_ms", json_integer((json_int_t)job->create_time_ms));
    case CLI_COL_DURATION_MS:
        return (job->present & MA_JOB_HAS_DURATION) ? put(o, "duration_ms", json_integer((json_int_t)job->duration_ms))
                                                    : 0;
    case CLI_COL_VERSION_COUNT:
        return (job->present & MA_JOB_HAS_VERSION_COUNT)
                   ? put(o, "version_count", json_integer((json_int_t)job->version_count))
                   : 0;
    case CLI_COL_COUNT:
        break;
    }
    return 0;
}

static json_t *job_to_json(const ma_job *job, const cli_view *view)
{
    if (view != NULL && view->columns != NULL && view->column_count > 0) {
        json_t *o = json_object();
        for (int i = 0; o != NULL && i < view->column_count; i++) {
            if (put_column(o, job, view->columns[i], view) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
        return o;
    }
    json_t *o = json_object();
    if (o == NULL || put(o, "job_id", id_json(job->job_id, view)) != 0 ||
        put(o, "job_name", json_string(job->job_name)) != 0 ||
        put(o, "version_id", id_json(job->version_id, view)) != 0 ||
        put(o, "status", json_integer((json_int_t)job->status)) != 0 ||
        put(o, "create_time", json_integer((json_int_t)job->create_time_ms)) != 0 ||
        ((job->present & MA_JOB_HAS_DURATION) && put(o, "duration", json_integer((json_int_t)job->duration_ms)) != 0) ||
        ((job->present & MA_JOB_HAS_DESC) && put(o, "job_desc", json_string(job->job_desc)) != 0) ||
        ((job->present & MA_JOB_HAS_VERSION_COUNT) &&
         put(o, "version_count", json_integer((json_int_t)job->version_count)) != 0)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int cli_write_json_rows(FILE *out, const cli_rows *rows)
{
    int rc = -1;
    json_t *root = json_object();
    json_t *arr = json_array();
    if (root == NULL || arr == NULL) {
        json_decref(arr);
        goto cleanup;
    }
    if (put(root, "is_success", json_true()) != 0 ||
        put(root, "job_total_count", json_integer((json_int_t)rows->total_count)) != 0) {
        json_decref(arr);
        goto cleanup;
    }
    if (rows->count_limit >= 0 && put(root, "job_count_limit", json_integer((json_int_t)rows->count_limit)) != 0) {
        json_decref(arr);
        goto cleanup;
    }
    if (rows->quotas >= 0 && put(root, "quotas", json_integer((json_int_t)rows->quotas)) != 0) {
        json_decref(arr);
        goto cleanup;
    }
    if (json_object_set_new(root, "jobs", arr) != 0) {
        goto cleanup;
    }
    for (size_t i = 0; i < rows->count; i++) {
        if (json_array_append_new(arr, job_to_json(rows->jobs[i], rows->view)) != 0) {
            goto cleanup;
        }
    }
    if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
        goto cleanup; /* a write error also shows in ferror(out) */
    }
    fputc('\n', out);
    rc = 0;
cleanup:
    json_decref(root);
    return rc;
}

int cli_jsonl_row(FILE *out, const ma_job *job, const cli_view *view)
{
    json_t *o = job_to_json(job, view);
    char *line = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    if (line == NULL) {
        return -1;
    }
    fputs(line, out);
    fputc('\n', out);
    free(line);
    return 0;
}

int cli_write_jsonl_rows(FILE *out, const cli_rows *rows)
{
    for (size_t i = 0; i < rows->count && !ferror(out); i++) {
        if (cli_jsonl_row(out, rows->jobs[i], rows->view) != 0) {
            return -1;
        }
    }
    return 0; /* a write error is left in ferror(out) for the caller */
}
