/*
 * Streaming decoder for GET /v1/{project_id}/training-jobs bodies: fed the
 * bytes as libcurl delivers them, it writes jobs straight into an
 * ma_job_list under the client's allocator (no tree, no second pass), and
 * reads both error body shapes. jansson is the reference it is tested against.
 */
#ifndef MA_JSON_PAGE_DECODER_H
#define MA_JSON_PAGE_DECODER_H

#include <stddef.h>

#include "json/service_error.h"
#include "modelarts/ma_jobs.h"

typedef struct ma__page_decoder ma__page_decoder;

/* Deepest nesting of objects and arrays accepted (the page itself is level 1). */
#define MA__PAGE_MAX_DEPTH 64

/* NULL when out of memory. */
ma__page_decoder *ma__page_decoder_new(const ma_allocator *alloc);
void ma__page_decoder_free(ma__page_decoder *d);

/*
 * Starts a body (also on a new attempt, dropping anything decoded before).
 * A 2xx body is decoded as a job page; any other only for its error fields.
 */
void ma__page_decoder_begin(ma__page_decoder *d, int http_status);
/* Never fails: errors (syntax, type, out of memory) are remembered and the rest is only counted. */
void ma__page_decoder_feed(ma__page_decoder *d, const char *data, size_t len);
/* End of body: completes parsing and reports what the error fields said. */
void ma__page_decoder_end(ma__page_decoder *d, ma__service_error *svc);
/*
 * The decoding step, after classification found a success response: the page,
 * or MA_ERR_PROTOCOL naming the field, or MA_ERR_NOMEM. On MA_OK the caller owns *out.
 */
ma_status ma__page_decoder_take_list(ma__page_decoder *d, ma_job_list **out, ma_error *err);

/*
 * Stored keys the duplicate-key check compared against (hash-set slots it
 * visited) since the decoder was created. Tests use it to see that the check
 * grows linearly with the number of keys, which a timing assertion on a
 * loaded machine could not show.
 */
size_t ma__page_decoder_key_probes(const ma__page_decoder *d);

#endif
