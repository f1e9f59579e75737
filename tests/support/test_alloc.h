/* Allocators for tests: cmocka-checked (leaks fail the test) with fail-at-N injection. */
#ifndef MA_TEST_ALLOC_H
#define MA_TEST_ALLOC_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

/* Allocations go through cmocka's test_malloc/test_realloc/test_free. */
const ma_allocator *test_allocator(void);
/* Makes the @p n-th allocation from now (1-based) and every later one fail; 0 disables. */
void test_alloc_fail_from(size_t n);
/* Allocations attempted since the last reset. */
size_t test_alloc_attempts(void);
void test_alloc_reset(void);

#endif
