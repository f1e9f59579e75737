/*
 * Fail-at-N allocator for whole-call torture tests, shared by the SDK (as an
 * ma_allocator), jansson and libcurl. Only the thread that called
 * torture_alloc_install() is counted, failed and tracked for leaks: the fake
 * server runs in other threads of the same process and allocates too.
 */
#ifndef MA_TEST_TORTURE_ALLOC_H
#define MA_TEST_TORTURE_ALLOC_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

/*
 * Routes jansson's and libcurl's allocations through this allocator and calls
 * curl_global_init_mem(). Only a test program may take over these process-global
 * hooks; call it first in main(), before anything allocates through jansson or
 * libcurl, and before ma_global_init(). Returns 0, or -1 if libcurl refused.
 */
int torture_alloc_install(void);
/* Undoes the curl_global_init_mem() reference of torture_alloc_install(). */
void torture_alloc_uninstall(void);

/* The same allocator for ma_client_options::allocator and friends. */
const ma_allocator *torture_allocator(void);

/* From now on the @p n-th allocation (1-based, alloc and realloc alike) fails; 0 counts without failing. */
void torture_alloc_fail_at(size_t n);
/* Stops counting and failing; attempts and failure_reached keep describing the last run. */
void torture_alloc_disarm(void);
/* Allocations attempted on the test thread since the last torture_alloc_fail_at(). */
size_t torture_alloc_attempts(void);
/* Whether the allocation chosen by torture_alloc_fail_at() was attempted (and so failed). */
int torture_alloc_failure_reached(void);
/* Blocks allocated on the test thread and not yet freed (SDK, jansson and libcurl together). */
size_t torture_alloc_live(void);

#endif
