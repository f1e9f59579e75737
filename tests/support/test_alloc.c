#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_alloc.h"

static size_t attempts;
static size_t fail_from;

static int should_fail(void)
{
    attempts++;
    return fail_from != 0 && attempts >= fail_from;
}

static void *t_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return should_fail() ? NULL : test_malloc(size);
}

static void *t_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return should_fail() ? NULL : test_realloc(ptr, size);
}

static void t_free(void *ctx, void *ptr)
{
    (void)ctx;
    test_free(ptr);
}

static const ma_allocator allocator = {t_alloc, t_realloc, t_free, NULL};

const ma_allocator *test_allocator(void)
{
    return &allocator;
}

void test_alloc_fail_from(size_t n)
{
    attempts = 0;
    fail_from = n;
}

size_t test_alloc_attempts(void)
{
    return attempts;
}

void test_alloc_reset(void)
{
    attempts = 0;
    fail_from = 0;
}
