#include <stdio.h>

#include "internal/error.h"
#include "json/json_field.h"

const char *ma__json_type_name(const json_t *value)
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
    snprintf(what, sizeof what, "must be %s, got %s", expected, ma__json_type_name(got));
    return fail(err, path, what);
}

/* Finds the member; an optional member that is absent or null counts as absent. */
static ma_status lookup(const json_t *obj, field_path path, field_need need, const json_t **member, ma_error *err)
{
    *member = json_object_get(obj, path.name);
    if (*member && json_is_null(*member) && need == FIELD_OPTIONAL)
        *member = NULL;
    if (!*member && need == FIELD_REQUIRED)
        return fail(err, path, "is required but missing");
    return MA_OK;
}

ma_status ma__json_get_int64(const json_t *obj, field_path path, field_need need, int64_t *value, int *present,
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

ma_status ma__json_get_string(const json_t *obj, field_path path, field_need need, const char **value, size_t *len,
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

ma_status ma__json_get_bool(const json_t *obj, field_path path, field_need need, int *value, int *present,
                            ma_error *err)
{
    const json_t *m;
    ma_status st = lookup(obj, path, need, &m, err);
    *present = 0;
    if (st != MA_OK || !m)
        return st;
    if (!json_is_boolean(m))
        return wrong_type(err, path, "a boolean", m);
    *value = json_is_true(m);
    *present = 1;
    return MA_OK;
}
