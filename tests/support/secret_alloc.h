/*
 * An inspecting allocator for secret-wipe tests. Every block carries a size
 * header; when a block goes back (free, or realloc, which here always moves
 * the data to a new block) the allocator searches the whole old block for the
 * registered marker strings and records a failure for each block that still
 * holds one. Blocks come from cmocka's test_malloc, so leaks are reported too.
 * Put a marker inside the secret under test, run the code, free everything and
 * check secret_alloc_failures() is 0.
 */
#ifndef MA_TEST_SECRET_ALLOC_H
#define MA_TEST_SECRET_ALLOC_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"

#define SECRET_ALLOC_MAX_MARKERS 8

const ma_allocator *secret_allocator(void);
/* Forgets markers, failures and counts. */
void secret_alloc_reset(void);
/* Blocks returned from now on must not contain @p marker (not copied: keep it alive; at most SECRET_ALLOC_MAX_MARKERS).
 */
void secret_alloc_add_marker(const char *marker);
/* Blocks returned (freed, or left behind by a realloc) that still held a marker, since the last reset. */
size_t secret_alloc_failures(void);
/* Description of the first such block ("" when none): size and which marker. */
const char *secret_alloc_first_failure(void);
/* Blocks returned since the last reset, so a test can tell that its code really freed or moved something. */
size_t secret_alloc_blocks_returned(void);
/* Blocks currently allocated through this allocator. */
size_t secret_alloc_live_blocks(void);

#endif
