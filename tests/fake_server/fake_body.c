/*
 * JSON bodies of the fake service: the list page and the two error shapes.
 */
#include "fake_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

typedef struct sort_ctx {
    fake_sort_key key;
    int descending;
} sort_ctx;

/* Stable merge sort of job pointers; fake_job_compare is a total order anyway. */
static void merge_sort(const fake_job **a, const fake_job **tmp, size_t n, const sort_ctx *c)
{
    if (n < 2) {
        return;
    }
    size_t mid = n / 2;
    merge_sort(a, tmp, mid, c);
    merge_sort(a + mid, tmp, n - mid, c);
    size_t i = 0;
    size_t j = mid;
    size_t k = 0;
    while (i < mid && j < n) {
        if (fake_job_compare(a[j], a[i], c->key, c->descending) < 0) {
            tmp[k++] = a[j++];
        } else {
            tmp[k++] = a[i++];
        }
    }
    while (i < mid) {
        tmp[k++] = a[i++];
    }
    while (j < n) {
        tmp[k++] = a[j++];
    }
    memcpy(a, tmp, n * sizeof *a);
}

static char *dump(json_t *root, size_t *len)
{
    if (root == NULL) {
        return NULL;
    }
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (s != NULL && len != NULL) {
        *len = strlen(s);
    }
    return s;
}

/* Sets @p key of @p obj to @p value (consumed); returns 0 or -1. */
static int put(json_t *obj, const char *key, json_t *value)
{
    if (value == NULL) {
        return -1;
    }
    return json_object_set_new(obj, key, value);
}

static json_t *job_to_json(const fake_job *j)
{
    json_t *o = json_object();
    if (o == NULL) {
        return NULL;
    }
    if (put(o, "job_id", json_integer((json_int_t)j->job_id)) != 0 ||
        put(o, "job_name", json_string(j->job_name)) != 0 ||
        put(o, "version_id", json_integer((json_int_t)j->version_id)) != 0 ||
        put(o, "status", json_integer((json_int_t)j->status)) != 0 ||
        put(o, "create_time", json_integer((json_int_t)j->create_time)) != 0 ||
        put(o, "duration", json_integer((json_int_t)j->duration)) != 0 ||
        put(o, "job_desc", json_string(j->job_desc)) != 0 ||
        put(o, "version_count", json_integer((json_int_t)j->version_count)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int job_selected(const fake_job *j, const fake_query *q)
{
    if (strcmp(j->workspace_id, q->workspace_id) != 0) {
        return 0;
    }
    if (q->has_status && j->status != q->status) {
        return 0;
    }
    return fake_name_matches(j->job_name, q->search);
}

static json_t *page_to_json(const fake_job **sel, size_t n, const fake_query *q)
{
    json_t *arr = json_array();
    if (arr == NULL) {
        return NULL;
    }
    size_t start = ((size_t)q->page - 1) * q->per_page;
    size_t end = start + q->per_page;
    if (end > n) {
        end = n;
    }
    for (size_t i = start; i < end; i++) {
        if (json_array_append_new(arr, job_to_json(sel[i])) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

size_t fake_select(const fake_dataset *ds, const fake_query *q, const fake_job **sel)
{
    size_t n = 0;
    for (size_t i = 0; i < ds->count; i++) {
        if (job_selected(&ds->jobs[i], q)) {
            sel[n++] = &ds->jobs[i];
        }
    }
    const fake_job **tmp = malloc((n > 0 ? n : 1) * sizeof *tmp);
    if (tmp == NULL) {
        return (size_t)-1;
    }
    sort_ctx c = {q->sort_key, q->descending};
    merge_sort(sel, tmp, n, &c);
    free(tmp);
    return n;
}

char *fake_body_page(const fake_job *const *sel, size_t n, size_t total, const fake_query *q, int64_t quotas,
                     size_t job_count, size_t *len)
{
    int64_t limit = quotas - (int64_t)job_count;
    if (limit < 0) {
        limit = 0;
    }
    json_t *root = json_object();
    if (root == NULL || put(root, "is_success", json_true()) != 0 ||
        put(root, "job_total_count", json_integer((json_int_t)total)) != 0 ||
        put(root, "job_count_limit", json_integer((json_int_t)limit)) != 0 ||
        put(root, "quotas", json_integer((json_int_t)quotas)) != 0 ||
        put(root, "jobs", page_to_json((const fake_job **)(uintptr_t)sel, n, q)) != 0) {
        json_decref(root);
        return NULL;
    }
    return dump(root, len);
}

char *fake_body_list(const fake_dataset *ds, const fake_query *q, int64_t quotas, size_t *len)
{
    const fake_job **sel = malloc((ds->count > 0 ? ds->count : 1) * sizeof *sel);
    if (sel == NULL) {
        return NULL;
    }
    size_t n = fake_select(ds, q, sel);
    char *out = n == (size_t)-1 ? NULL : fake_body_page(sel, n, n, q, quotas, ds->count, len);
    free(sel);
    return out;
}

char *fake_body_modelarts_error(const char *code, const char *message, size_t *len)
{
    json_t *root = json_object();
    if (root == NULL || put(root, "is_success", json_false()) != 0 ||
        put(root, "error_message", json_string(message)) != 0 || put(root, "error_code", json_string(code)) != 0) {
        json_decref(root);
        return NULL;
    }
    return dump(root, len);
}

char *fake_body_gateway_error(const char *code, const char *message, const char *request_id, size_t *len)
{
    json_t *root = json_object();
    if (root == NULL || put(root, "error_msg", json_string(message)) != 0 ||
        put(root, "error_code", json_string(code)) != 0 || put(root, "request_id", json_string(request_id)) != 0) {
        json_decref(root);
        return NULL;
    }
    return dump(root, len);
}
