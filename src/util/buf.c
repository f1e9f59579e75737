#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"

void ma__buf_init(ma__buf *b, const ma_allocator *alloc)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->alloc = alloc;
    b->secret = 0;
}

void ma__buf_init_secret(ma__buf *b, const ma_allocator *alloc)
{
    ma__buf_init(b, alloc);
    b->secret = 1;
}

/* Moves a secret into a block of @p cap bytes, wiping the old one before it goes back to the allocator. */
static char *grow_secret(ma__buf *b, size_t cap)
{
    char *p = ma__malloc(b->alloc, cap);
    if (!p)
        return NULL;
    if (b->len)
        memcpy(p, b->data, b->len);
    p[b->len] = '\0';
    if (b->data) {
        ma__secure_zero(b->data, b->cap);
        ma__free(b->alloc, b->data);
    }
    return p;
}

int ma__buf_reserve(ma__buf *b, size_t extra)
{
    int overflow = 0;
    size_t need = ma__size_add(ma__size_add(b->len, extra, &overflow), 1, &overflow);
    if (overflow)
        return -1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) {
        if (cap > (size_t)-1 / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = b->secret ? grow_secret(b, cap) : ma__realloc(b->alloc, b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0'; /* a buffer that has memory is always a valid string */
    return 0;
}

int ma__buf_append(ma__buf *b, const void *data, size_t len)
{
    if (ma__buf_reserve(b, len) != 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int ma__buf_append_str(ma__buf *b, const char *s)
{
    return ma__buf_append(b, s, strlen(s));
}

int ma__buf_append_char(ma__buf *b, char c)
{
    return ma__buf_append(b, &c, 1);
}

void ma__buf_clear(ma__buf *b)
{
    b->len = 0;
    if (b->data && b->secret)
        ma__secure_zero(b->data, b->cap);
    if (b->data)
        b->data[0] = '\0';
}

void ma__buf_free_secure(ma__buf *b)
{
    if (b->data)
        ma__secure_zero(b->data, b->cap);
    ma__buf_free(b);
}

void ma__buf_free(ma__buf *b)
{
    if (b->data && b->secret)
        ma__secure_zero(b->data, b->cap);
    ma__free(b->alloc, b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

char *ma__buf_detach(ma__buf *b)
{
    if (!b->data && ma__buf_reserve(b, 0) != 0)
        return NULL;
    b->data[b->len] = '\0';
    char *out = b->data;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return out;
}
