/*
 * The tree-based decoder the library used before the streaming one, kept as
 * the reference: json_loadb, then every field read in order with a message
 * that names it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "util/error.h"
#include "model/job_list.h"
#include "json/page_decoder.h"
#include "ref_decoder.h"

typedef enum field_need { FIELD_REQUIRED, FIELD_OPTIONAL } field_need;

typedef struct field_path {
    const char *parent; /* NULL at top level, else "jobs" */
    size_t index;
    const char *name;
} field_path;

static const char *type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number with a fraction or exponent";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

static ma_status fail(ma_error *err, field_path path, const char *what)
{
    if (path.parent)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field '%s[%zu].%s' %s", path.parent, path.index, path.name,
                             what);
    return ma__error_set(err, MA_ERR_PROTOCOL, "response field '%s' %s", path.name, what);
}

static ma_status wrong_type(ma_error *err, field_path path, const char *expected, const json_t *got)
{
    char what[128];
    snprintf(what, sizeof what, "must be %s, got %s", expected, type_name(got));
    return fail(err, path, what);
}

static ma_status lookup(const json_t *obj, field_path path, field_need need, const json_t **member, ma_error *err)
{
    *member = json_object_get(obj, path.name);
    if (*member && json_is_null(*member) && need == FIELD_OPTIONAL)
        *member = NULL;
    if (!*member && need == FIELD_REQUIRED)
        return fail(err, path, "is required but missing");
    return MA_OK;
}

static ma_status get_int64(const json_t *obj, field_path path, field_need need, int64_t *value, int *present,
                           ma_error *err)
{
    const json_t *m;
    ma_status st = lookup(obj, path, need, &m, err);
    *present = 0;
    if (st != MA_OK || !m)
        return st;
    if (!json_is_integer(m))
        return wrong_type(err, path, "an integer", m);
    *value = (int64_t)json_integer_value(m);
    *present = 1;
    return MA_OK;
}

static ma_status get_string(const json_t *obj, field_path path, field_need need, const char **value, size_t *len,
                            int *present, ma_error *err)
{
    const json_t *m;
    ma_status st = lookup(obj, path, need, &m, err);
    *present = 0;
    if (st != MA_OK || !m)
        return st;
    if (!json_is_string(m))
        return wrong_type(err, path, "a string", m);
    *value = json_string_value(m);
    *len = json_string_length(m);
    *present = 1;
    return MA_OK;
}

typedef struct job_fields {
    int64_t job_id, version_id, status, create_time, duration, version_count;
    const char *name, *desc;
    size_t name_len, desc_len;
    uint32_t present; /* MA_JOB_HAS_* */
} job_fields;

static field_path job_path(size_t index, const char *name)
{
    field_path p = {"jobs", index, name};
    return p;
}

static ma_status read_job(const json_t *job, size_t index, job_fields *f, ma_error *err)
{
    if (!json_is_object(job))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs[%zu]' must be an object, got %s", index,
                             type_name(job));
    int present;
    ma_status st;
    memset(f, 0, sizeof *f);
    f->name = f->desc = "";
    if ((st = get_int64(job, job_path(index, "job_id"), FIELD_REQUIRED, &f->job_id, &present, err)) ||
        (st = get_string(job, job_path(index, "job_name"), FIELD_REQUIRED, &f->name, &f->name_len, &present, err)) ||
        (st = get_int64(job, job_path(index, "version_id"), FIELD_REQUIRED, &f->version_id, &present, err)) ||
        (st = get_int64(job, job_path(index, "status"), FIELD_REQUIRED, &f->status, &present, err)) ||
        (st = get_int64(job, job_path(index, "create_time"), FIELD_REQUIRED, &f->create_time, &present, err)) ||
        (st = get_int64(job, job_path(index, "duration"), FIELD_OPTIONAL, &f->duration, &present, err)))
        return st;
    f->present |= present ? MA_JOB_HAS_DURATION : 0u;
    if ((st = get_string(job, job_path(index, "job_desc"), FIELD_OPTIONAL, &f->desc, &f->desc_len, &present, err)))
        return st;
    f->present |= present ? MA_JOB_HAS_DESC : 0u;
    if ((st = get_int64(job, job_path(index, "version_count"), FIELD_OPTIONAL, &f->version_count, &present, err)))
        return st;
    f->present |= present ? MA_JOB_HAS_VERSION_COUNT : 0u;
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
    if ((st = get_int64(doc, p_total, FIELD_REQUIRED, total, &present, err)))
        return st;
    if ((st = get_int64(doc, p_limit, FIELD_OPTIONAL, limit, &present, err)))
        return st;
    if (!present)
        *limit = -1;
    if ((st = get_int64(doc, p_quotas, FIELD_OPTIONAL, quotas, &present, err)))
        return st;
    if (!present)
        *quotas = -1;
    return MA_OK;
}

static ma_status decode_job_list(const ma_allocator *alloc, const json_t *doc, ma_job_list **out, ma_error *err)
{
    int64_t total, limit, quotas;
    ma_status st = read_totals(doc, &total, &limit, &quotas, err);
    if (st != MA_OK)
        return st;
    const json_t *jobs = json_object_get(doc, "jobs");
    if (!jobs)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' is required but missing");
    if (!json_is_array(jobs))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'jobs' must be an array, got %s", type_name(jobs));
    ma_job_list *list = ma__job_list_new(alloc);
    if (!list)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
    list->total_count = total;
    list->count_limit = limit;
    list->quotas = quotas;
    job_fields f;
    for (size_t i = 0; i < json_array_size(jobs); i++) {
        if ((st = read_job(json_array_get(jobs, i), i, &f, err)) != MA_OK) {
            ma_job_list_free(list);
            return st;
        }
        ma_job *job = ma__job_list_push(list);
        const char *name = job ? ma__job_list_store_string(list, f.name, f.name_len) : NULL;
        const char *desc = name ? ma__job_list_store_string(list, f.desc, f.desc_len) : NULL;
        if (!desc) {
            ma_job_list_free(list);
            return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
        }
        job = &list->jobs[list->count - 1];
        job->job_id = f.job_id;
        job->version_id = f.version_id;
        MA__JOB_SET_STATUS(job, f.status);
        job->create_time_ms = f.create_time;
        job->duration_ms = f.duration;
        job->version_count = f.version_count;
        job->job_name = name;
        job->job_desc = desc;
        job->present = f.present;
    }
    *out = list;
    return MA_OK;
}

static int depth_of(json_t *v)
{
    int deepest = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member)
        {
            int d = depth_of(member);
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            int d = depth_of(json_array_get(v, i));
            deepest = d > deepest ? d : deepest;
        }
        return deepest + 1;
    }
    return 0;
}

int ref_json_depth(const char *body, size_t len)
{
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
    if (!doc)
        return -1;
    int d = depth_of(doc);
    json_decref(doc);
    return d;
}

ma_status ref_decode_page(const ma_allocator *alloc, int http_status, const char *body, size_t len, ma_job_list **out,
                          ma_error *err)
{
    *out = NULL;
    if (len == 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "HTTP %d with an empty body; expected a JSON object", http_status);
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        char reason[sizeof jerr.text];
        ma__copy_text(reason, sizeof reason, jerr.text, strnlen(jerr.text, sizeof jerr.text));
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body is not valid JSON: %s (line %d, column %d)", reason,
                             jerr.line, jerr.column);
    }
    ma_status st;
    if (depth_of(doc) > MA__PAGE_MAX_DEPTH) {
        st = ma__error_set(err, MA_ERR_PROTOCOL, "response body is not valid JSON: nesting deeper than %d levels",
                           MA__PAGE_MAX_DEPTH);
    } else if (!json_is_object(doc)) {
        st = ma__error_set(err, MA_ERR_PROTOCOL, "response body must be a JSON object");
    } else {
        const json_t *ok = json_object_get(doc, "is_success");
        if (!ok)
            st = ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' is required but missing");
        else if (!json_is_boolean(ok))
            st = ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' must be a boolean");
        else if (json_is_false(ok))
            st = ma__error_set(err, MA_ERR_SERVICE, "the service reported a failure");
        else
            st = decode_job_list(alloc, doc, out, err);
    }
    json_decref(doc);
    return st;
}
