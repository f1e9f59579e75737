/* The classification step: what a response means, separate from decoding its payload. */
#ifndef MA_JSON_CLASSIFY_H
#define MA_JSON_CLASSIFY_H

#include <stdint.h>

#include "http/http.h"
#include "json/service_error.h"

/*
 * Fills err's HTTP status, request id (header, else body), Retry-After, and
 * for failures the service code and a message (the service's own when it
 * sent one). Returns MA_OK for a success response (2xx, and the body does not
 * say "is_success": false), else the status the failure maps to.
 */
ma_status ma__classify_response(const ma__http_response *resp, const ma__service_error *svc, int64_t now_epoch_ms,
                                ma_error *err);

/* Status for a non-2xx HTTP code; @p has_service_body tells whether the body carried a service error. */
ma_status ma__status_for_http(int http_status, int has_service_body);

/* Reads the error fields of a complete non-page body with jansson (IAM responses); svc is always filled. */
void ma__service_error_from_json(const char *body, size_t len, ma__service_error *svc);

#endif
