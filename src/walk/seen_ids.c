#include <string.h>

#include "util/alloc.h"
#include "walk/seen_ids.h"

void ma__seen_ids_init(ma__seen_ids *s, const ma_allocator *alloc)
{
    memset(s, 0, sizeof *s);
    s->alloc = alloc;
}

void ma__seen_ids_free(ma__seen_ids *s)
{
    ma__free(s->alloc, s->slots);
    ma__free(s->alloc, s->used);
    s->slots = NULL;
    s->used = NULL;
    s->cap = s->count = 0;
}

/* splitmix64's finaliser: ids are often sequential, so spread them. */
static size_t hash_id(int64_t id)
{
    uint64_t x = (uint64_t)id;
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return (size_t)x;
}

static size_t find(const ma__seen_ids *s, int64_t id)
{
    size_t mask = s->cap - 1, i = hash_id(id) & mask;
    while (s->used[i] && s->slots[i] != id)
        i = (i + 1) & mask;
    return i;
}

static int grow(ma__seen_ids *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    int overflow = 0;
    size_t bytes = ma__size_mul(cap, sizeof *s->slots, &overflow);
    if (overflow)
        return -1;
    ma__seen_ids bigger = {ma__malloc(s->alloc, bytes), ma__calloc(s->alloc, cap, 1), cap, 0, s->alloc};
    if (!bigger.slots || !bigger.used) {
        ma__seen_ids_free(&bigger);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->used[i])
            continue;
        size_t j = find(&bigger, s->slots[i]);
        bigger.used[j] = 1;
        bigger.slots[j] = s->slots[i];
        bigger.count++;
    }
    ma__seen_ids_free(s);
    *s = bigger;
    return 0;
}

int ma__seen_ids_add(ma__seen_ids *s, int64_t id)
{
    /* Keep the load under one half so probes stay short. */
    if ((s->count + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    size_t i = find(s, id);
    if (s->used[i])
        return 0;
    s->used[i] = 1;
    s->slots[i] = id;
    s->count++;
    return 1;
}
