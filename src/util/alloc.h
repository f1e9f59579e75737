/* Allocation helpers: every library allocation goes through an object's ma_allocator. */
#ifndef MA_UTIL_ALLOC_H
#define MA_UTIL_ALLOC_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

/* Resolves NULL to the default allocator. */
const ma_allocator *ma__allocator_or_default(const ma_allocator *allocator);

void *ma__malloc(const ma_allocator *a, size_t size);
void *ma__calloc(const ma_allocator *a, size_t count, size_t size);
void *ma__realloc(const ma_allocator *a, void *ptr, size_t size);
void ma__free(const ma_allocator *a, void *ptr);

/* Copies @p len bytes of @p s plus a NUL. */
char *ma__strndup(const ma_allocator *a, const char *s, size_t len);
char *ma__strdup(const ma_allocator *a, const char *s);

/* Zeroes memory in a way the compiler may not elide (secrets). */
void ma__secure_zero(void *ptr, size_t len);
/* Wipes then frees a NUL-terminated secret string. */
void ma__free_secret(const ma_allocator *a, char *secret);

/* a * b, or 0 with *overflow set when it does not fit in size_t. */
size_t ma__size_mul(size_t a, size_t b, int *overflow);
size_t ma__size_add(size_t a, size_t b, int *overflow);

#endif
