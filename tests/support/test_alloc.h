/* Allocators for tests: cmocka-checked (leaks fail the test) with fail-at-N injection. */
#ifndef MA_TEST_ALLOC_H
#define MA_TEST_ALLOC_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

/* Allocations go through cmocka's test_malloc/test_realloc/test_free. */
const ma_allocator *test_allocator(void);
/*
 * Makes exactly the @p n-th allocation from now (1-based, alloc and realloc
 * alike) fail; the ones before and after it succeed, as in curl's torture
 * tests. 0 disables. Restarts the attempt count.
 */
void test_alloc_fail_at(size_t n);
/* Makes every allocation from now on fail, until test_alloc_reset(). Restarts the attempt count. */
void test_alloc_fail_all(void);
/* Allocations attempted since the last fail_at, fail_all or reset. */
size_t test_alloc_attempts(void);
/* Whether the allocation chosen by test_alloc_fail_at() was attempted (and so failed). */
int test_alloc_failure_reached(void);
/* Allocations work again; the attempt count restarts. */
void test_alloc_reset(void);

#endif
