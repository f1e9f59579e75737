/*
 * Response classification. Two error body shapes reach a client:
 *   ModelArts:   {"is_success": false, "error_code": "ModelArts.0105", "error_message": "..."}
 *   API gateway: {"error_code": "APIG.0301", "error_msg": "...", "request_id": "..."}
 * and a 200 may still carry is_success=false, so the HTTP status alone never decides success.
 */
#include <string.h>

#include <jansson.h>

#include "internal/error.h"
#include "json/decode.h"
#include "json/decode_job_list.h"

/* What an error body told us; pointers borrow from the parsed document. */
typedef struct service_error {
    const char *code;
    const char *message;
    const char *request_id;
    int says_failure; /* is_success is false */
} service_error;

static const char *string_member(const json_t *obj, const char *name)
{
    const json_t *v = json_object_get(obj, name);
    return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static void read_service_error(const json_t *doc, service_error *e)
{
    memset(e, 0, sizeof *e);
    if (!json_is_object(doc))
        return;
    e->code = string_member(doc, "error_code");
    e->message = string_member(doc, "error_message");
    if (!e->message)
        e->message = string_member(doc, "error_msg");
    e->request_id = string_member(doc, "request_id");
    e->says_failure = json_is_false(json_object_get(doc, "is_success"));
    /* Some gateways nest the detail one level down: {"error": {"code": ..., "message": ...}}. */
    const json_t *nested = json_object_get(doc, "error");
    if (json_is_object(nested)) {
        if (!e->code)
            e->code = string_member(nested, "code");
        if (!e->message)
            e->message = string_member(nested, "message");
    }
}

static int has_detail(const service_error *e)
{
    return e->code || e->message || e->says_failure;
}

ma_status ma__status_for_http(int http_status, int has_service_body)
{
    if (http_status == 401 || http_status == 403)
        return MA_ERR_UNAUTHORIZED;
    if (http_status == 404)
        return MA_ERR_NOT_FOUND;
    if (http_status == 408)
        return MA_ERR_TIMEOUT;
    if (http_status == 429)
        return MA_ERR_RATE_LIMITED;
    if (http_status >= 500 && http_status <= 599)
        return MA_ERR_SERVER;
    if (http_status >= 400 && http_status <= 499 && has_service_body)
        return MA_ERR_SERVICE;
    return MA_ERR_HTTP;
}

static ma_status report_service_error(ma_error *err, ma_status st, const service_error *e, int http_status)
{
    if (err) {
        if (e->code)
            ma__copy_text(err->service_code, sizeof err->service_code, e->code, strlen(e->code));
        if (e->request_id && !err->request_id[0])
            ma__copy_text(err->request_id, sizeof err->request_id, e->request_id, strlen(e->request_id));
    }
    if (!e->message)
        return ma__error_set(err, st, "HTTP %d: the service reported a failure without a message", http_status);
    if (err) {
        err->status = st;
        ma__copy_text(err->message, sizeof err->message, e->message, strlen(e->message));
    }
    return st;
}

static ma_status report_bare_http(ma_error *err, ma_status st, const ma__http_response *resp)
{
    const char *type = ma__headers_get(&resp->headers, "Content-Type");
    if (resp->body.len == 0)
        return ma__error_set(err, st, "HTTP %d with an empty body", resp->status);
    char type_text[64];
    ma__copy_text(type_text, sizeof type_text, type ? type : "no content type", type ? strlen(type) : 15);
    return ma__error_set(err, st, "HTTP %d with a body that is not a service error (%s, %zu bytes)", resp->status,
                         type_text, resp->body.len);
}

static ma_status decode_success(const ma_allocator *alloc, const ma__http_response *resp, const json_t *doc,
                                const json_error_t *jerr, ma_job_list **out, ma_error *err)
{
    if (resp->body.len == 0)
        return ma__error_set(err, MA_ERR_PROTOCOL, "HTTP %d with an empty body; expected a JSON object", resp->status);
    if (!doc) {
        /* jansson quotes the offending token, which may be any byte the server sent. */
        char reason[sizeof jerr->text];
        ma__copy_text(reason, sizeof reason, jerr->text, strnlen(jerr->text, sizeof jerr->text));
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body is not valid JSON: %s (line %d, column %d)", reason,
                             jerr->line, jerr->column);
    }
    if (!json_is_object(doc))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response body must be a JSON object");
    const json_t *ok = json_object_get(doc, "is_success");
    if (!ok)
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' is required but missing");
    if (!json_is_boolean(ok))
        return ma__error_set(err, MA_ERR_PROTOCOL, "response field 'is_success' must be a boolean");
    if (json_is_false(ok)) {
        service_error e;
        read_service_error(doc, &e);
        return report_service_error(err, MA_ERR_SERVICE, &e, resp->status);
    }
    return ma__decode_job_list(alloc, doc, out, err);
}

ma_status ma__decode_list_response(const ma_allocator *alloc, const ma__http_response *resp, int64_t now_epoch_ms,
                                   ma_job_list **out, ma_error *err)
{
    if (err)
        err->http_status = resp->status;
    ma__error_take_headers(err, &resp->headers, now_epoch_ms);

    json_error_t jerr;
    json_t *doc = NULL;
    if (resp->body.len > 0)
        doc = json_loadb(resp->body.data, resp->body.len, 0, &jerr);
    ma_status st;
    if (resp->status >= 200 && resp->status <= 299) {
        st = decode_success(alloc, resp, doc, &jerr, out, err);
    } else {
        service_error e;
        read_service_error(doc, &e);
        st = ma__status_for_http(resp->status, has_detail(&e));
        st = has_detail(&e) ? report_service_error(err, st, &e, resp->status) : report_bare_http(err, st, resp);
    }
    json_decref(doc);
    return st;
}
