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
} ma__buf;

void ma__buf_init(ma__buf *b, const ma_allocator *alloc);
/* Returns 0, or -1 when memory ran out (the buffer is unchanged). */
int ma__buf_reserve(ma__buf *b, size_t extra);
int ma__buf_append(ma__buf *b, const void *data, size_t len);
int ma__buf_append_str(ma__buf *b, const char *s);
int ma__buf_append_char(ma__buf *b, char c);
/* Empties the buffer, keeping its memory. */
void ma__buf_clear(ma__buf *b);
/* Wipes the contents (for secrets) and frees. */
void ma__buf_free_secure(ma__buf *b);
void ma__buf_free(ma__buf *b);
/* Hands the data to the caller (NUL-terminated, never NULL on success); the buffer is left empty. */
char *ma__buf_detach(ma__buf *b);

#endif
