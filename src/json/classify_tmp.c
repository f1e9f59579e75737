/* Integration stand-in for the classification step. */
#include <string.h>

#include <jansson.h>

#include "internal/error.h"
#include "json/classify.h"
#include "json/decode.h"

static void copy_member(char *dst, size_t size, const json_t *obj, const char *name)
{
    const json_t *v = json_object_get(obj, name);
    if (json_is_string(v) && json_string_length(v) > 0 && !dst[0])
        ma__copy_text(dst, size, json_string_value(v), json_string_length(v));
}

void ma__service_error_from_json(const char *body, size_t len, ma__service_error *svc)
{
    memset(svc, 0, sizeof *svc);
    svc->body_bytes = len;
    if (!body || !len)
        return;
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, 0, &jerr);
    if (!doc)
        return;
    svc->is_json = 1;
    if (json_is_object(doc)) {
        copy_member(svc->code, sizeof svc->code, doc, "error_code");
        copy_member(svc->message, sizeof svc->message, doc, "error_message");
        copy_member(svc->message, sizeof svc->message, doc, "error_msg");
        copy_member(svc->request_id, sizeof svc->request_id, doc, "request_id");
        svc->says_failure = json_is_false(json_object_get(doc, "is_success"));
        const json_t *nested = json_object_get(doc, "error");
        if (json_is_object(nested)) {
            copy_member(svc->code, sizeof svc->code, nested, "code");
            copy_member(svc->message, sizeof svc->message, nested, "message");
        }
    }
    json_decref(doc);
}

ma_status ma__classify_response(const ma__http_response *resp, const ma__service_error *svc, int64_t now_epoch_ms,
                                ma_error *err)
{
    if (err)
        err->http_status = resp->status;
    ma__error_take_headers(err, &resp->headers, now_epoch_ms);
    int ok = resp->status >= 200 && resp->status <= 299;
    if (ok && !svc->says_failure)
        return MA_OK;
    int detail = svc->code[0] || svc->message[0] || svc->says_failure;
    ma_status st = ok ? MA_ERR_SERVICE : ma__status_for_http(resp->status, detail);
    if (err) {
        if (svc->code[0])
            memcpy(err->service_code, svc->code, sizeof err->service_code);
        if (svc->request_id[0] && !err->request_id[0])
            memcpy(err->request_id, svc->request_id, sizeof err->request_id);
    }
    if (svc->message[0])
        return ma__error_set(err, st, "%s", svc->message);
    if (detail)
        return ma__error_set(err, st, "HTTP %d: the service reported a failure without a message", resp->status);
    return ma__error_set(err, st, "HTTP %d with a body that is not a service error (%zu bytes)", resp->status,
                         svc->body_bytes);
}
