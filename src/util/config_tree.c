/* The config tree: building, lookup and wiping free. */
#include <string.h>

#include "util/config_tree.h"
#include "util/alloc.h"

ma__cfg_node *ma__cfg_map_add(const ma_allocator *a, ma__cfg_node *map)
{
    if (map->count == map->cap) {
        size_t cap = map->cap ? map->cap * 2 : 4;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof *map->children, &overflow);
        if (overflow)
            return NULL;
        ma__cfg_node *grown = ma__realloc(a, map->children, bytes);
        if (!grown)
            return NULL;
        map->children = grown;
        map->cap = cap;
    }
    ma__cfg_node *n = &map->children[map->count++];
    memset(n, 0, sizeof *n);
    return n;
}

void ma__cfg_node_clear(const ma_allocator *a, ma__cfg_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->count; i++)
        ma__cfg_node_clear(a, &node->children[i]);
    ma__free(a, node->children);
    ma__free(a, node->key);
    if (node->value) {
        ma__secure_zero(node->value, node->value_len);
        ma__free(a, node->value);
    }
    memset(node, 0, sizeof *node);
}

void ma__cfg_tree_free(const ma_allocator *a, ma__cfg_node *root)
{
    if (!root)
        return;
    ma__cfg_node_clear(a, root);
    ma__free(a, root);
}

const ma__cfg_node *ma__cfg_get(const ma__cfg_node *map, const char *key)
{
    if (!map || map->kind != MA__CFG_MAP)
        return NULL;
    for (size_t i = map->count; i > 0; i--)
        if (map->children[i - 1].key && strcmp(map->children[i - 1].key, key) == 0)
            return &map->children[i - 1];
    return NULL;
}

const char *ma__cfg_string(const ma__cfg_node *map, const char *key)
{
    const ma__cfg_node *n = ma__cfg_get(map, key);
    return n && n->kind == MA__CFG_STRING && n->value && n->value[0] ? n->value : NULL;
}
