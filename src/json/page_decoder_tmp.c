/* Integration stand-in: buffers the body and decodes it with the jansson decoder. */
#include <string.h>

#include <jansson.h>

#include "internal/alloc.h"
#include "internal/error.h"
#include "json/classify.h"
#include "json/decode.h"
#include "json/decode_job_list.h"
#include "json/page_decoder.h"

struct ma__page_decoder {
    ma_allocator alloc;
    ma__buf body;
    int status;
};

ma__page_decoder *ma__page_decoder_new(const ma_allocator *alloc)
{
    ma__page_decoder *d = ma__calloc(alloc, 1, sizeof *d);
    if (!d)
        return NULL;
    d->alloc = *alloc;
    ma__buf_init(&d->body, &d->alloc);
    return d;
}

void ma__page_decoder_free(ma__page_decoder *d)
{
    if (!d)
        return;
    ma_allocator a = d->alloc;
    ma__buf_free(&d->body);
    ma__free(&a, d);
}

void ma__page_decoder_begin(ma__page_decoder *d, int http_status)
{
    ma__buf_clear(&d->body);
    d->status = http_status;
}

void ma__page_decoder_feed(ma__page_decoder *d, const char *data, size_t len)
{
    (void)ma__buf_append(&d->body, data, len);
}

void ma__page_decoder_end(ma__page_decoder *d, ma__service_error *svc)
{
    ma__service_error_from_json(d->body.data, d->body.len, svc);
}

ma_status ma__page_decoder_take_list(ma__page_decoder *d, ma_job_list **out, ma_error *err)
{
    ma__http_response resp;
    ma__http_response_init(&resp, &d->alloc);
    resp.status = d->status;
    resp.body = d->body;
    ma_status st = ma__decode_list_response(&d->alloc, &resp, 0, out, err);
    ma__headers_free(&resp.headers);
    return st;
}
