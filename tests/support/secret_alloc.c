#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "secret_alloc.h"

/* The header keeps the user block aligned for any type. */
typedef union block_header {
    size_t size;
    max_align_t align;
} block_header;

static const char *markers[SECRET_ALLOC_MAX_MARKERS];
static size_t marker_count;
static size_t failures;
static size_t returned;
static size_t live;
static char first_failure[160];

static int contains(const unsigned char *data, size_t size, const char *marker)
{
    size_t n = strlen(marker);
    if (n == 0 || n > size)
        return 0;
    for (size_t i = 0; i + n <= size; i++)
        if (data[i] == (unsigned char)marker[0] && memcmp(data + i, marker, n) == 0)
            return 1;
    return 0;
}

/* Checks a block that is going back to the system, then frees it. */
static void give_back(block_header *h, const char *how)
{
    const unsigned char *data = (const unsigned char *)(h + 1);
    returned++;
    live--;
    for (size_t i = 0; i < marker_count; i++) {
        if (contains(data, h->size, markers[i])) {
            if (failures++ == 0)
                snprintf(first_failure, sizeof first_failure, "%s of a %zu-byte block still holding \"%s\"", how,
                         h->size, markers[i]);
            break;
        }
    }
    test_free(h);
}

static void *s_alloc(void *ctx, size_t size)
{
    (void)ctx;
    if (size > SIZE_MAX - sizeof(block_header))
        return NULL;
    block_header *h = test_malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    live++;
    return h + 1;
}

static void *s_realloc(void *ctx, void *ptr, size_t size)
{
    if (!ptr)
        return s_alloc(ctx, size);
    block_header *old = (block_header *)ptr - 1;
    void *p = s_alloc(ctx, size);
    if (!p)
        return NULL;
    memcpy(p, ptr, old->size < size ? old->size : size);
    /* Always moving is the worst case a real realloc may choose: the old block is left as it was. */
    give_back(old, "moving realloc");
    return p;
}

static void s_free(void *ctx, void *ptr)
{
    (void)ctx;
    if (ptr)
        give_back((block_header *)ptr - 1, "free");
}

static const ma_allocator allocator = {s_alloc, s_realloc, s_free, NULL};

const ma_allocator *secret_allocator(void)
{
    return &allocator;
}

void secret_alloc_reset(void)
{
    marker_count = 0;
    failures = 0;
    returned = 0;
    first_failure[0] = '\0';
}

void secret_alloc_add_marker(const char *marker)
{
    if (marker_count == SECRET_ALLOC_MAX_MARKERS)
        fail_msg("more than %d secret markers", SECRET_ALLOC_MAX_MARKERS);
    markers[marker_count++] = marker;
}

size_t secret_alloc_failures(void)
{
    return failures;
}

const char *secret_alloc_first_failure(void)
{
    return first_failure;
}

size_t secret_alloc_blocks_returned(void)
{
    return returned;
}

size_t secret_alloc_live_blocks(void)
{
    return live;
}
