/* The set of job ids a walk has handed out, for dropping repeats. */
#ifndef MA_WALK_SEEN_IDS_H
#define MA_WALK_SEEN_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "modelarts/ma_alloc.h"

typedef struct ma__seen_ids {
    int64_t *slots; /* open addressing; `used` marks which hold an id */
    unsigned char *used;
    size_t cap; /* power of two, or 0 */
    size_t count;
    const ma_allocator *alloc;
} ma__seen_ids;

void ma__seen_ids_init(ma__seen_ids *s, const ma_allocator *alloc);
void ma__seen_ids_free(ma__seen_ids *s);
/* 1 when @p id is new (now remembered), 0 when seen before, -1 when out of memory. */
int ma__seen_ids_add(ma__seen_ids *s, int64_t id);

#endif
