/* Strict, typed access to JSON object members, with errors that name the field. */
#ifndef MA_JSON_JSON_FIELD_H
#define MA_JSON_JSON_FIELD_H

#include <stdint.h>

#include <jansson.h>

#include "modelarts/ma_error.h"

typedef enum field_need { FIELD_REQUIRED, FIELD_OPTIONAL } field_need;

/* "jobs[3].job_id" style path of the field being read, for messages. */
typedef struct field_path {
    const char *parent; /* NULL at top level, else "jobs" */
    size_t index;
    const char *name;
} field_path;

/*
 * Each getter returns MA_OK and sets *present (1 found, 0 absent or null for
 * an optional field), or MA_ERR_PROTOCOL naming the field when it is missing
 * but required, or has the wrong JSON type.
 */
ma_status ma__json_get_int64(const json_t *obj, field_path path, field_need need, int64_t *value, int *present,
                             ma_error *err);
ma_status ma__json_get_string(const json_t *obj, field_path path, field_need need, const char **value, size_t *len,
                              int *present, ma_error *err);
ma_status ma__json_get_bool(const json_t *obj, field_path path, field_need need, int *value, int *present,
                            ma_error *err);

/* Name of a JSON value's type for messages ("string", "real", ...). */
const char *ma__json_type_name(const json_t *value);

#endif
