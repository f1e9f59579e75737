/*
 * The parsed form of a clouds.yaml / clouds.json / secure.yaml file: maps of
 * scalars (kept as text), other values (lists, aliases, nulls) kept only as
 * placeholders. Values may be secrets, so they are wiped when freed.
 */
#ifndef MA_UTIL_CONFIG_TREE_H
#define MA_UTIL_CONFIG_TREE_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"
#include "modelarts/ma_error.h"

/* Deepest nesting a config file may have; deeper files are refused (no stack exhaustion). */
#define MA__CONFIG_MAX_DEPTH 32

/* Largest config file read, in bytes: far above any real one, well below a memory problem. */
#define MA__CONFIG_FILE_MAX_BYTES (1024 * 1024)

typedef enum ma__cfg_kind { MA__CFG_OTHER = 0, MA__CFG_STRING = 1, MA__CFG_MAP = 2 } ma__cfg_kind;

typedef struct ma__cfg_node ma__cfg_node;
struct ma__cfg_node {
    ma__cfg_kind kind;
    char *key;   /* the key when this node is a map member, else NULL */
    char *value; /* STRING: the scalar's text (secret, wiped on free) */
    size_t value_len;
    ma__cfg_node *children; /* MAP: its members, in file order */
    size_t count;
    size_t cap;
};

/* Appends an empty member to @p map; NULL when out of memory. */
ma__cfg_node *ma__cfg_map_add(const ma_allocator *a, ma__cfg_node *map);

/* Frees the node's contents (not the node itself); wipes every value. */
void ma__cfg_node_clear(const ma_allocator *a, ma__cfg_node *node);

/* Frees a heap node and its contents; NULL is a no-op. */
void ma__cfg_tree_free(const ma_allocator *a, ma__cfg_node *root);

/* The member @p key of @p map (the last one when a key repeats), or NULL when @p map is not a map or lacks it. */
const ma__cfg_node *ma__cfg_get(const ma__cfg_node *map, const char *key);

/* The text of the string member @p key of @p map; NULL when absent, empty or not a scalar. */
const char *ma__cfg_string(const ma__cfg_node *map, const char *key);

/*
 * Parsers from a whole file in memory to a tree (heap root, a map). @p what
 * names the file in messages. MA_ERR_INVALID_ARG for a malformed file, too deep
 * or with a non-scalar key; MA_ERR_NOMEM.
 */
ma_status ma__cfg_parse_yaml(const ma_allocator *a, const char *what, const char *text, size_t len, ma__cfg_node **out,
                             ma_error *err);
ma_status ma__cfg_parse_json(const ma_allocator *a, const char *what, const char *text, size_t len, ma__cfg_node **out,
                             ma_error *err);

#endif
