#include "jobs/list_call.h"

#include "engine/runtime.h"
#include "util/error.h"
#include "jobs/query.h"

static void list_begin_attempt(ma__call *call)
{
    ma__list_call *lc = call->user;
    ma_job_list_free(lc->list);
    lc->list = NULL;
}

static void list_write_body(ma__call *call, const char *data, size_t len)
{
    ma__list_call *lc = call->user;
    /* The status line is in before the first byte, and it decides what the body must be. */
    if (!call->body_started)
        ma__page_decoder_begin(lc->decoder, call->resp.status);
    ma__page_decoder_feed(lc->decoder, data, len);
}

static void list_end_body(ma__call *call, ma__service_error *svc)
{
    ma__list_call *lc = call->user;
    if (!call->body_started)
        ma__page_decoder_begin(lc->decoder, call->resp.status);
    ma__page_decoder_end(lc->decoder, svc);
}

static ma_status list_decode(ma__call *call, ma_error *err)
{
    ma__list_call *lc = call->user;
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

ma_status ma__list_call_init(ma__list_call *lc, ma_client *client, const ma_job_query *query, ma_error *err)
{
    lc->list = NULL;
    lc->decoder = NULL;
    /* A client created without a project id learns it on its first call (password credentials); nothing to free. */
    ma_status st = ma__runtime_resolve_project_id(client, err);
    if (st != MA_OK)
        return st;
    lc->decoder = ma__page_decoder_new(&ma__runtime_of(client)->alloc);
    ma__call_init(&lc->call, client, "GET", &list_ops, lc);
    ma__http_request *req = &lc->call.req;
    if (!lc->decoder || ma__request_add_segment(req, "v1") != 0 ||
        ma__request_add_segment(req, ma__runtime_of(client)->project_id) != 0 ||
        ma__request_add_segment(req, "training-jobs") != 0 || add_fixed_headers(req) != 0) {
        ma__list_call_free(lc);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the request");
    }
    if ((st = ma__query_add_params(query, ma__runtime_of(client)->sort_param_name, req, err)) != MA_OK)
        ma__list_call_free(lc);
    return st;
}

void ma__list_call_free(ma__list_call *lc)
{
    ma_job_list_free(lc->list);
    lc->list = NULL;
    ma__call_free(&lc->call);
    ma__page_decoder_free(lc->decoder);
    lc->decoder = NULL;
}

ma_job_list *ma__list_call_take(ma__list_call *lc)
{
    ma_job_list *list = lc->list;
    lc->list = NULL;
    return list;
}
