/* Growable byte buffer, always NUL-terminated, on an ma_allocator. */
#ifndef MA_UTIL_BUF_H
#define MA_UTIL_BUF_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

typedef struct ma__buf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
    const ma_allocator *alloc;
    int secret; /* set by ma__buf_init_secret */
} ma__buf;

void ma__buf_init(ma__buf *b, const ma_allocator *alloc);
/*
 * A buffer for secrets (tokens, signatures, passwords): no byte of it is ever
 * handed back to the allocator unwiped. Growth allocates a new block, copies,
 * wipes and frees the old one (realloc would leave the old block as it was);
 * clear and free wipe the whole block. Detached data is the caller's to wipe.
 */
void ma__buf_init_secret(ma__buf *b, const ma_allocator *alloc);
/* Returns 0, or -1 when memory ran out (the buffer is unchanged). */
int ma__buf_reserve(ma__buf *b, size_t extra);
int ma__buf_append(ma__buf *b, const void *data, size_t len);
int ma__buf_append_str(ma__buf *b, const char *s);
int ma__buf_append_char(ma__buf *b, char c);
/* Empties the buffer, keeping its memory (wiped first in secret mode). */
void ma__buf_clear(ma__buf *b);
/* Wipes the contents and frees, whatever the mode. */
void ma__buf_free_secure(ma__buf *b);
/* Frees (wiping first in secret mode); the buffer stays in its mode and may be used again. */
void ma__buf_free(ma__buf *b);
/* Hands the data to the caller (NUL-terminated, never NULL on success); the buffer is left empty. */
char *ma__buf_detach(ma__buf *b);

#endif
