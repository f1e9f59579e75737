/* Turning an HTTP response into a job list or a precise error. The only code that includes jansson. */
#ifndef MA_JSON_DECODE_H
#define MA_JSON_DECODE_H

#include <stdint.h>

#include "http/http.h"
#include "json/classify.h"
#include "modelarts/ma_jobs.h"

/*
 * Decodes a complete response of GET /v1/{project_id}/training-jobs. Fills
 * err's HTTP status, request id and Retry-After in every case; on success
 * *out is a new list made with @p alloc.
 */
ma_status ma__decode_list_response(const ma_allocator *alloc, const ma__http_response *resp, int64_t now_epoch_ms,
                                   ma_job_list **out, ma_error *err);

/* Status for a non-2xx HTTP code; @p has_service_body tells whether the body carried a service error. */

#endif
