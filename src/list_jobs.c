#include "internal/client.h"
#include "internal/error.h"
#include "internal/query.h"
#include "json/decode.h"

static int add_fixed_headers(ma__http_request *req)
{
    static const char accept[] = "Accept", content_type[] = "Content-Type", json[] = "application/json";
    /* The API reference marks Content-Type as mandatory even on GET. */
    return ma__headers_add(&req->headers, accept, sizeof accept - 1, json, sizeof json - 1, 0) ||
           ma__headers_add(&req->headers, content_type, sizeof content_type - 1, json, sizeof json - 1, 0);
}

ma_status ma_list_training_jobs(ma_client *client, const ma_job_query *query, ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: client is NULL");

    ma__buf url;
    ma__buf_init(&url, &client->alloc);
    ma__http_request req = {"GET", NULL, {NULL, 0, 0, &client->alloc}};
    ma__http_response resp;
    ma__http_response_init(&resp, &client->alloc);
    ma_status st;
    if (ma__buf_append_str(&url, client->jobs_url) != 0 ||
        ma__query_append_params(query, client->sort_param_name, &url) != 0 || add_fixed_headers(&req) != 0) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the request");
        goto done;
    }
    req.url = url.data;
    ma__auth_context actx = {&client->clock};
    if ((st = client->auth->vtable->apply(client->auth, &actx, &req, err)) != MA_OK)
        goto done;
    st = client->transport->vtable->send(client->transport, &req, &resp, err);
    int64_t now = client->clock.epoch_ms(client->clock.ctx);
    if (st == MA_OK) {
        st = ma__decode_list_response(&client->alloc, &resp, now, out, err);
    } else {
        /* A failed exchange may still have received headers worth reporting (request id). */
        if (err)
            err->http_status = resp.status;
        ma__error_take_headers(err, &resp.headers, now);
    }
done:
    if (st != MA_OK)
        ma__auth_redact_error(client->auth, err);
    ma__headers_free(&req.headers);
    ma__http_response_free(&resp);
    ma__buf_free(&url);
    if (err)
        err->status = st;
    return st;
}
