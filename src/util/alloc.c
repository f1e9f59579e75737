#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static void *default_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return malloc(size);
}

static void *default_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return realloc(ptr, size);
}

static void default_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

static const ma_allocator default_allocator = {default_alloc, default_realloc, default_free, NULL};

const ma_allocator *ma_default_allocator(void)
{
    return &default_allocator;
}

const ma_allocator *ma__allocator_or_default(const ma_allocator *allocator)
{
    return allocator ? allocator : &default_allocator;
}

void *ma__malloc(const ma_allocator *a, size_t size)
{
    /* A zero-byte request is rounded up so that NULL always means failure. */
    return a->alloc(a->ctx, size ? size : 1);
}

void *ma__calloc(const ma_allocator *a, size_t count, size_t size)
{
    int overflow = 0;
    size_t total = ma__size_mul(count, size, &overflow);
    if (overflow)
        return NULL;
    void *p = ma__malloc(a, total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *ma__realloc(const ma_allocator *a, void *ptr, size_t size)
{
    return a->realloc(a->ctx, ptr, size ? size : 1);
}

void ma__free(const ma_allocator *a, void *ptr)
{
    if (ptr)
        a->free(a->ctx, ptr);
}

char *ma__strndup(const ma_allocator *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = ma__malloc(a, len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *ma__strdup(const ma_allocator *a, const char *s)
{
    return ma__strndup(a, s, strlen(s));
}

void ma__secure_zero(void *ptr, size_t len)
{
    volatile unsigned char *p = ptr;
    while (len--)
        *p++ = 0;
}

void ma__free_secret(const ma_allocator *a, char *secret)
{
    if (!secret)
        return;
    ma__secure_zero(secret, strlen(secret));
    ma__free(a, secret);
}

size_t ma__size_mul(size_t a, size_t b, int *overflow)
{
    if (a != 0 && b > SIZE_MAX / a) {
        *overflow = 1;
        return 0;
    }
    return a * b;
}

size_t ma__size_add(size_t a, size_t b, int *overflow)
{
    if (b > SIZE_MAX - a) {
        *overflow = 1;
        return 0;
    }
    return a + b;
}
