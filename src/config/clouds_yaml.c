/*
 * clouds.yaml / secure.yaml reader: libyaml's event parser builds the config
 * tree directly, with the caller's allocator. Aliases are not expanded (a
 * small file cannot grow into a huge tree), and only the first document counts.
 */
#include <string.h>

#include <yaml.h>

#include "util/config_tree.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct yctx {
    yaml_parser_t parser;
    const ma_allocator *a;
    const char *what;
    ma_error *err;
} yctx;

static ma_status syntax_error(yctx *c)
{
    if (c->parser.error == YAML_MEMORY_ERROR)
        return ma__error_set(c->err, MA_ERR_NOMEM, "%s: out of memory parsing YAML", c->what);
    /* libyaml's problem texts are fixed strings, never file content, so no secret can show. */
    return ma__error_set(c->err, MA_ERR_INVALID_ARG, "%s: malformed YAML at line %zu, column %zu: %s", c->what,
                         (size_t)c->parser.problem_mark.line + 1, (size_t)c->parser.problem_mark.column + 1,
                         c->parser.problem ? c->parser.problem : "syntax error");
}

static ma_status next_event(yctx *c, yaml_event_t *ev)
{
    return yaml_parser_parse(&c->parser, ev) ? MA_OK : syntax_error(c);
}

static int is_null_scalar(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return 0;
    const char *v = (const char *)ev->data.scalar.value;
    return strcmp(v, "") == 0 || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
           strcmp(v, "NULL") == 0;
}

/* Builds @p node from @p ev (which this deletes) and the events that follow it. */
static ma_status parse_value(yctx *c, yaml_event_t *ev, ma__cfg_node *node, unsigned depth)
{
    ma_status st = MA_OK;
    if (depth > MA__CONFIG_MAX_DEPTH) {
        st = ma__error_set(c->err, MA_ERR_INVALID_ARG, "%s: nested deeper than %d levels at line %zu", c->what,
                           MA__CONFIG_MAX_DEPTH, (size_t)ev->start_mark.line + 1);
        yaml_event_delete(ev);
        return st;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (!is_null_scalar(ev)) {
            node->kind = MA__CFG_STRING;
            node->value_len = ev->data.scalar.length;
            node->value = ma__strndup(c->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
            if (!node->value)
                st = ma__error_set(c->err, MA_ERR_NOMEM, "%s: out of memory", c->what);
            /* libyaml's own copy of the scalar is wiped too: it may be a password. */
        }
        if (ev->data.scalar.value)
            ma__secure_zero(ev->data.scalar.value, ev->data.scalar.length);
        yaml_event_delete(ev);
        return st;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
        yaml_event_delete(ev);
        node->kind = is_map ? MA__CFG_MAP : MA__CFG_OTHER;
        for (;;) {
            yaml_event_t item;
            if ((st = next_event(c, &item)) != MA_OK)
                return st;
            if (item.type == end) {
                yaml_event_delete(&item);
                return MA_OK;
            }
            if (!is_map) {
                /* List items are parsed (to find the end and check the syntax) and dropped. */
                ma__cfg_node ignored;
                memset(&ignored, 0, sizeof ignored);
                st = parse_value(c, &item, &ignored, depth + 1);
                ma__cfg_node_clear(c->a, &ignored);
                if (st != MA_OK)
                    return st;
                continue;
            }
            if (item.type != YAML_SCALAR_EVENT) {
                st = ma__error_set(c->err, MA_ERR_INVALID_ARG, "%s: a mapping key at line %zu is not a plain string",
                                   c->what, (size_t)item.start_mark.line + 1);
                yaml_event_delete(&item);
                return st;
            }
            ma__cfg_node *member = ma__cfg_map_add(c->a, node);
            if (!member ||
                !(member->key = ma__strndup(c->a, (const char *)item.data.scalar.value, item.data.scalar.length))) {
                yaml_event_delete(&item);
                return ma__error_set(c->err, MA_ERR_NOMEM, "%s: out of memory", c->what);
            }
            yaml_event_delete(&item);
            yaml_event_t value;
            if ((st = next_event(c, &value)) != MA_OK || (st = parse_value(c, &value, member, depth + 1)) != MA_OK)
                return st;
        }
    }
    default:
        /* An alias: not expanded, so it reads as "no value". */
        yaml_event_delete(ev);
        return MA_OK;
    }
}

ma_status ma__cfg_parse_yaml(const ma_allocator *a, const char *what, const char *text, size_t len, ma__cfg_node **out,
                             ma_error *err)
{
    *out = NULL;
    yctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.what = what;
    c.err = err;
    if (!yaml_parser_initialize(&c.parser))
        return ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory starting the YAML parser", what);
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
    ma__cfg_node *root = ma__calloc(a, 1, sizeof *root);
    ma_status st = root ? MA_OK : ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory", what);
    if (root)
        root->kind = MA__CFG_MAP;
    yaml_event_t ev;
    int in_document = 0, done = 0;
    while (st == MA_OK && !done) {
        if ((st = next_event(&c, &ev)) != MA_OK)
            break;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            yaml_event_delete(&ev);
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (in_document++) {
                st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: holds more than one YAML document (line %zu)", what,
                                   (size_t)ev.start_mark.line + 1);
            }
            yaml_event_delete(&ev);
            break;
        case YAML_MAPPING_START_EVENT:
            root->kind = MA__CFG_MAP;
            st = parse_value(&c, &ev, root, 1);
            break;
        case YAML_SCALAR_EVENT:
            if (is_null_scalar(&ev)) {
                /* A document with nothing in it (only comments): no clouds. */
                yaml_event_delete(&ev);
                break;
            }
            /* fall through */
        case YAML_SEQUENCE_START_EVENT:
        case YAML_ALIAS_EVENT:
            st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: the top level is not a mapping (expected \"clouds:\")",
                               what);
            yaml_event_delete(&ev);
            break;
        default:
            yaml_event_delete(&ev);
            break;
        }
    }
    yaml_parser_delete(&c.parser);
    if (st != MA_OK) {
        ma__cfg_tree_free(a, root);
        return st;
    }
    *out = root;
    return MA_OK;
}
