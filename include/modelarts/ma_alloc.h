/**
 * @file ma_alloc.h
 * @brief Pluggable memory allocator.
 * @defgroup ma_alloc Allocator
 * @{
 */
#ifndef MODELARTS_MA_ALLOC_H
#define MODELARTS_MA_ALLOC_H

#include <stddef.h>

#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Allocation functions an object uses for its whole life.
 *
 * Every object copies the allocator it was created with, so a result may
 * outlive the client that produced it. The three functions must behave like
 * malloc, realloc and free (free(NULL) is a no-op; a failing alloc or realloc
 * returns NULL and leaves the old block intact) and must be thread-safe if
 * objects are used from several threads. The library never installs
 * process-global hooks: libcurl and jansson keep their own allocators.
 * @since 0.1
 */
typedef struct ma_allocator {
    /** Returns @p size bytes, or NULL. */
    void *(*alloc)(void *ctx, size_t size);
    /** Resizes @p ptr (NULL behaves like alloc), or returns NULL. */
    void *(*realloc)(void *ctx, void *ptr, size_t size);
    /** Releases @p ptr; NULL is a no-op. */
    void (*free)(void *ctx, void *ptr);
    /** Passed unchanged to the three functions. */
    void *ctx;
} ma_allocator;

/**
 * @brief The allocator used when NULL is passed: malloc, realloc and free.
 * @return A pointer to a static allocator; never NULL.
 * @since 0.1
 */
MA_API const ma_allocator *ma_default_allocator(void);

MA_END_DECLS

/** @} */
#endif
