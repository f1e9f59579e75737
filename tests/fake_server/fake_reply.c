/*
 * Queuing a finished body with its headers: shared by the list API's own
 * answers and the faulted ones.
 */
#include "fake_internal.h"

#include <stdlib.h>

enum MHD_Result fake_send_body(struct MHD_Connection *connection, unsigned int status, char *body, size_t len,
                               const char *content_type, const char *request_id, const char *extra_name,
                               const char *extra_value)
{
    if (body == NULL) {
        return MHD_NO;
    }
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(body);
        return MHD_NO;
    }
    enum MHD_Result ret = MHD_NO;
    if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type) == MHD_YES &&
        (request_id == NULL || MHD_add_response_header(resp, "X-Request-Id", request_id) == MHD_YES) &&
        (extra_name == NULL || MHD_add_response_header(resp, extra_name, extra_value) == MHD_YES)) {
        ret = MHD_queue_response(connection, status, resp);
    }
    MHD_destroy_response(resp);
    return ret;
}
