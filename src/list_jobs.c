/* GET /v1/{project_id}/training-jobs: one page, decoded as it streams in. */
#include "engine/execute.h"
#include "internal/client.h"
#include "internal/error.h"
#include "internal/query.h"
#include "json/page_decoder.h"

/* A list call's state: the streaming decoder and the page it produced. */
typedef struct list_call {
    ma__page_decoder *decoder;
    ma_job_list *list;
} list_call;

static void list_begin_attempt(ma__call *call)
{
    list_call *lc = call->user;
    ma_job_list_free(lc->list);
    lc->list = NULL;
}

static void list_write_body(ma__call *call, const char *data, size_t len)
{
    list_call *lc = call->user;
    /* The status line is in before the first byte, and it decides what the body must be. */
    if (!call->body_started)
        ma__page_decoder_begin(lc->decoder, call->resp.status);
    ma__page_decoder_feed(lc->decoder, data, len);
}

static void list_end_body(ma__call *call, ma__service_error *svc)
{
    list_call *lc = call->user;
    if (!call->body_started)
        ma__page_decoder_begin(lc->decoder, call->resp.status);
    ma__page_decoder_end(lc->decoder, svc);
}

static ma_status list_decode(ma__call *call, ma_error *err)
{
    list_call *lc = call->user;
    return ma__page_decoder_take_list(lc->decoder, &lc->list, err);
}

static const ma__call_ops list_ops = {list_begin_attempt, list_write_body, list_end_body, list_decode};

static int add_fixed_headers(ma__http_request *req)
{
    static const char accept[] = "Accept", content_type[] = "Content-Type", json[] = "application/json";
    /* The API reference marks Content-Type as mandatory even on GET. */
    return ma__headers_add(&req->headers, accept, sizeof accept - 1, json, sizeof json - 1, 0) ||
           ma__headers_add(&req->headers, content_type, sizeof content_type - 1, json, sizeof json - 1, 0);
}

static int build_list_request(ma_client *client, const ma_job_query *query, ma__http_request *req)
{
    if (ma__request_add_segment(req, "v1") != 0 || ma__request_add_segment(req, client->project_id) != 0 ||
        ma__request_add_segment(req, "training-jobs") != 0)
        return -1;
    return ma__query_add_params(query, client->sort_param_name, req) || add_fixed_headers(req);
}

ma_status ma_list_training_jobs(ma_client *client, const ma_job_query *query, ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: client is NULL");

    list_call lc = {ma__page_decoder_new(&client->alloc), NULL};
    if (!lc.decoder)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory creating the response decoder");
    ma__call call;
    ma__call_init(&call, client, "GET", &list_ops, &lc);
    ma_status st;
    if (build_list_request(client, query, &call.req) != 0)
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the request");
    else
        st = ma__execute_one(client, &call, err);
    if (st == MA_OK) {
        *out = lc.list;
        lc.list = NULL;
    }
    ma_job_list_free(lc.list);
    ma__call_free(&call);
    ma__page_decoder_free(lc.decoder);
    return st;
}
