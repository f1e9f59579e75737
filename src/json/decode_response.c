/* The one-shot path: a complete response through the streaming decoder and the classification step. */
#include "util/error.h"
#include "json/classify.h"
#include "json/decode.h"
#include "json/page_decoder.h"

ma_status ma__decode_list_response(const ma_allocator *alloc, const ma__http_response *resp, int64_t now_epoch_ms,
                                   ma_job_list **out, ma_error *err)
{
    ma__page_decoder *d = ma__page_decoder_new(alloc);
    if (!d) {
        if (err)
            err->http_status = resp->status;
        ma__error_take_headers(err, &resp->headers, now_epoch_ms);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory decoding the response body");
    }
    ma__service_error svc;
    ma__page_decoder_begin(d, resp->status);
    ma__page_decoder_feed(d, resp->body.data, resp->body.len);
    ma__page_decoder_end(d, &svc);
    ma_status st = ma__classify_response(resp, &svc, now_epoch_ms, err);
    if (st == MA_OK)
        st = ma__page_decoder_take_list(d, out, err);
    ma__page_decoder_free(d);
    return st;
}
