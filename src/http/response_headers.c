/* What the response headers tell about a failure, whether or not a body arrived. */
#include <string.h>

#include "http/http.h"
#include "util/error.h"

void ma__error_take_headers(ma_error *err, const ma__header_list *headers, long long now_epoch_ms)
{
    if (!err)
        return;
    const char *request_id = ma__headers_get(headers, "X-Request-Id");
    if (request_id)
        ma__copy_text(err->request_id, sizeof err->request_id, request_id, strlen(request_id));
    const char *retry_after = ma__headers_get(headers, "Retry-After");
    if (retry_after)
        err->retry_after_ms = ma__parse_retry_after(retry_after, now_epoch_ms);
}
