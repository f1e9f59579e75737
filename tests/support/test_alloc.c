#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "test_alloc.h"

static size_t attempts;
static size_t fail_at;
static int fail_all;

static int should_fail(void)
{
    attempts++;
    return fail_all || (fail_at != 0 && attempts == fail_at);
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

void test_alloc_fail_at(size_t n)
{
    attempts = 0;
    fail_at = n;
    fail_all = 0;
}

void test_alloc_fail_all(void)
{
    attempts = 0;
    fail_at = 0;
    fail_all = 1;
}

size_t test_alloc_attempts(void)
{
    return attempts;
}

int test_alloc_failure_reached(void)
{
    return fail_at != 0 && attempts >= fail_at;
}

void test_alloc_reset(void)
{
    attempts = 0;
    fail_at = 0;
    fail_all = 0;
}
