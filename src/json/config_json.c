/* clouds.json / secure.json reader: jansson parses, the config tree keeps a copy in our allocations. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "util/config_tree.h"
#include "util/alloc.h"
#include "util/error.h"
#include "json/load.h"

static ma_status convert(const ma_allocator *a, const char *what, json_t *j, ma__cfg_node *node, unsigned depth,
                         ma_error *err)
{
    if (depth > MA__CONFIG_MAX_DEPTH)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: nested deeper than %d levels", what, MA__CONFIG_MAX_DEPTH);
    char number[64];
    const char *text = NULL;
    size_t len = 0;
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        node->kind = MA__CFG_MAP;
        const char *key;
        json_t *value;
        json_object_foreach(j, key, value)
        {
            ma__cfg_node *member = ma__cfg_map_add(a, node);
            if (!member || !(member->key = ma__strdup(a, key)))
                return ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory", what);
            ma_status st = convert(a, what, value, member, depth + 1, err);
            if (st != MA_OK)
                return st;
        }
        return MA_OK;
    }
    case JSON_STRING:
        text = json_string_value(j);
        len = json_string_length(j);
        break;
    case JSON_INTEGER:
        snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        text = number;
        len = strlen(number);
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        text = json_is_true(j) ? "true" : "false";
        len = strlen(text);
        break;
    default:
        /* null, arrays and reals: nothing this library reads. */
        return MA_OK;
    }
    node->kind = MA__CFG_STRING;
    node->value_len = len;
    if (!(node->value = ma__strndup(a, text, len)))
        return ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory", what);
    return MA_OK;
}

ma_status ma__cfg_parse_json(const ma_allocator *a, const char *what, const char *text, size_t len, ma__cfg_node **out,
                             ma_error *err)
{
    *out = NULL;
    json_error_t jerr;
    int out_of_memory = 0;
    json_t *doc = ma__json_load(text, len, &jerr, &out_of_memory);
    if (out_of_memory)
        return ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory parsing JSON", what);
    if (!doc)
        /* jerr.text can quote the file near the error, which may be a password: only the position is shown. */
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: malformed JSON at line %d, column %d", what, jerr.line,
                             jerr.column);
    ma_status st = MA_OK;
    ma__cfg_node *root = NULL;
    if (!json_is_object(doc))
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: the top level is not an object (expected \"clouds\")", what);
    else if (!(root = ma__calloc(a, 1, sizeof *root)))
        st = ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory", what);
    else
        st = convert(a, what, doc, root, 1, err);
    json_decref(doc);
    if (st != MA_OK) {
        ma__cfg_tree_free(a, root);
        return st;
    }
    *out = root;
    return MA_OK;
}
