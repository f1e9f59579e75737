/*
 * Reference decoder for list pages: jansson builds the whole tree (duplicate
 * keys rejected, nesting limited like the streaming decoder), then the fields
 * are checked in a fixed order. The differential test holds the streaming
 * decoder to it.
 */
#ifndef MA_TEST_REF_DECODER_H
#define MA_TEST_REF_DECODER_H

#include <stddef.h>

#include "modelarts/modelarts.h"

/*
 * Decodes @p len bytes as the body of a 2xx answer. On MA_OK *out is a new
 * list on @p alloc. MA_ERR_SERVICE means the body said "is_success": false.
 * Syntax errors give MA_ERR_PROTOCOL with a message starting
 * "response body is not valid JSON".
 */
ma_status ref_decode_page(const ma_allocator *alloc, int http_status, const char *body, size_t len, ma_job_list **out,
                          ma_error *err);

/* Depth of the deepest container in @p body (0 for a scalar), or -1 when it is not JSON. */
int ref_json_depth(const char *body, size_t len);

#endif
