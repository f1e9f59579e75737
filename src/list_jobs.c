#include <string.h>

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

/* Interim, until the execute loop lands: the client's normalised endpoint split into request parts. */
static int endpoint_from_client(const ma_client *client, char *copy, ma__endpoint *ep)
{
    char *sep = strstr(copy, "://");
    if (!sep)
        return -1;
    *sep = '\0';
    char *host = sep + 3;
    char *slash = strchr(host, '/');
    static char empty[] = "";
    ep->scheme = copy;
    ep->prefix = empty;
    if (slash) {
        /* The prefix needs its leading '/', so it moves one byte right in the copy. */
        size_t plen = strlen(slash);
        memmove(slash + 1, slash, plen + 1);
        *slash = '\0';
        ep->prefix = slash + 1;
    }
    ep->host = host;
    ep->port = 0; /* kept in host */
    ep->host_header = host;
    ep->is_loopback = 0;
    (void)client;
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes in place what ma__query_append_params encoded (upper-case %XX only). */
static size_t pct_decode(char *s, size_t len)
{
    size_t out = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
            s[out++] = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            s[out++] = s[i];
        }
    }
    return out;
}

/* Interim: the query's rendered "?a=b&c=d" turned back into raw parameters for the renderer. */
static int add_query_params(ma__http_request *req, char *rendered)
{
    char *p = rendered[0] == '?' ? rendered + 1 : rendered;
    while (*p) {
        char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        char *eq = memchr(p, '=', len);
        if (!eq)
            return -1;
        *eq = '\0';
        char *value = eq + 1;
        size_t value_len = pct_decode(value, len - (size_t)(value - p));
        if (ma__request_add_param(req, p, value, value_len) != 0)
            return -1;
        if (!amp)
            break;
        p = amp + 1;
    }
    return 0;
}

ma_status ma_list_training_jobs(ma_client *client, const ma_job_query *query, ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: client is NULL");

    char empty_query[1] = "";
    ma__buf params, ep_copy;
    ma__buf_init(&params, &client->alloc);
    ma__buf_init(&ep_copy, &client->alloc);
    ma__endpoint ep;
    memset(&ep, 0, sizeof ep);
    ma__http_request req;
    ma__request_init(&req, &client->alloc, "GET", &ep);
    ma__http_response resp;
    ma__http_response_init(&resp, &client->alloc);
    ma_status st;
    /* Room for the prefix to move one byte (endpoint_from_client). */
    if (ma__buf_append_str(&ep_copy, client->endpoint) != 0 || ma__buf_append_char(&ep_copy, '\0') != 0 ||
        ma__query_append_params(query, client->sort_param_name, &params) != 0 || add_fixed_headers(&req) != 0 ||
        add_query_params(&req, params.data ? params.data : empty_query) != 0) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the request");
        goto done;
    }
    if (endpoint_from_client(client, ep_copy.data, &ep) != 0) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "the endpoint has no scheme");
        goto done;
    }
    ma__request_add_segment(&req, "v1");
    ma__request_add_segment(&req, client->project_id);
    ma__request_add_segment(&req, "training-jobs");
    ma__auth_context actx = {&client->clock};
    if ((st = client->auth->vtable->apply(client->auth, &actx, &req, err)) != MA_OK)
        goto done;
    ma__exchange x;
    memset(&x, 0, sizeof x);
    x.req = &req;
    x.resp = &resp;
    st = ma__transport_send(client->transport, &x);
    if (st != MA_OK && err) {
        *err = x.err;
        err->status = st;
    }
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
    ma__request_free(&req);
    ma__http_response_free(&resp);
    ma__buf_free(&params);
    ma__buf_free(&ep_copy);
    if (err)
        err->status = st;
    return st;
}
