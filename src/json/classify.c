/*
 * Response classification. Two error body shapes reach a client:
 *   ModelArts:   {"is_success": false, "error_code": "ModelArts.0105", "error_message": "..."}
 *   API gateway: {"error_code": "APIG.0301", "error_msg": "...", "request_id": "..."}
 * and a 200 may still carry is_success=false, so the HTTP status alone never decides success.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "util/error.h"
#include "json/classify.h"
#include "json/load.h"
#include "json/throttle_code.h"

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

static int has_detail(const ma__service_error *e)
{
    return e->code[0] || e->message[0] || e->says_failure;
}

static ma_status report_service_error(ma_error *err, ma_status st, const ma__service_error *e, int http_status)
{
    if (err) {
        if (e->code[0])
            ma__copy_text(err->service_code, sizeof err->service_code, e->code, strlen(e->code));
        if (e->request_id[0] && !err->request_id[0])
            ma__copy_text(err->request_id, sizeof err->request_id, e->request_id, strlen(e->request_id));
    }
    if (!e->message[0])
        return ma__error_set(err, st, "HTTP %d: the service reported a failure without a message", http_status);
    if (err) {
        err->status = st;
        ma__copy_text(err->message, sizeof err->message, e->message, strlen(e->message));
    }
    return st;
}

static ma_status report_bare_http(ma_error *err, ma_status st, const ma__http_response *resp, size_t body_bytes)
{
    const char *type = ma__headers_get(&resp->headers, "Content-Type");
    if (body_bytes == 0)
        return ma__error_set(err, st, "HTTP %d with an empty body", resp->status);
    char type_text[64];
    ma__copy_text(type_text, sizeof type_text, type ? type : "no content type", type ? strlen(type) : 15);
    return ma__error_set(err, st, "HTTP %d with a body that is not a service error (%s, %zu bytes)", resp->status,
                         type_text, body_bytes);
}

/* Redirects are never followed (the credentials would go along); the caller learns where it pointed. */
static ma_status report_redirect(ma_error *err, const ma__http_response *resp)
{
    const char *location = ma__headers_get(&resp->headers, "Location");
    if (!location || !location[0])
        return ma__error_set(err, MA_ERR_HTTP, "HTTP %d redirect without a Location, not followed", resp->status);
    /* Without its query and fragment: a redirect URL may carry a one-time credential there. */
    size_t len = strcspn(location, "?#");
    char text[256];
    ma__copy_text(text, sizeof text, location, len);
    return ma__error_set(err, MA_ERR_HTTP,
                         "HTTP %d redirect to %s%s, not followed (redirects are never followed; check the endpoint)",
                         resp->status, text, location[len] ? " (query left out)" : "");
}

ma_status ma__classify_response(const ma__http_response *resp, const ma__service_error *svc, int64_t now_epoch_ms,
                                ma_error *err)
{
    if (err)
        err->http_status = resp->status;
    ma__error_take_headers(err, &resp->headers, now_epoch_ms);
    /* Whether the body reports a failure is unknown, so neither success nor the service's error is. */
    if (svc->out_of_memory)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory reading the HTTP %d response body", resp->status);
    ma_status st;
    if (resp->status >= 200 && resp->status <= 299) {
        if (!svc->says_failure)
            return MA_OK;
        st = report_service_error(err, MA_ERR_SERVICE, svc, resp->status);
    } else if (resp->status >= 300 && resp->status <= 399) {
        return report_redirect(err, resp);
    } else {
        st = ma__status_for_http(resp->status, has_detail(svc));
        st = has_detail(svc) ? report_service_error(err, st, svc, resp->status)
                             : report_bare_http(err, st, resp, svc->body_bytes);
    }
    ma__throttle_mark(err);
    return st;
}

/* Copies a non-empty string member, or (for Keystone-style codes) an integer one. */
static void take_member(const json_t *obj, const char *name, int allow_integer, char *dst, size_t size)
{
    const json_t *v = json_object_get(obj, name);
    if (json_is_string(v) && json_string_length(v) > 0) {
        ma__copy_text(dst, size, json_string_value(v), json_string_length(v));
    } else if (allow_integer && json_is_integer(v)) {
        char text[32];
        int n = snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        ma__copy_text(dst, size, text, n > 0 ? (size_t)n : 0);
    }
}

void ma__service_error_from_json(const char *body, size_t len, ma__service_error *svc)
{
    memset(svc, 0, sizeof *svc);
    svc->body_bytes = len;
    json_error_t jerr;
    json_t *doc = len > 0 ? ma__json_load(body, len, &jerr, &svc->out_of_memory) : NULL;
    if (!doc)
        return;
    svc->is_json = 1;
    if (json_is_object(doc)) {
        take_member(doc, "error_code", 0, svc->code, sizeof svc->code);
        take_member(doc, "error_message", 0, svc->message, sizeof svc->message);
        if (!svc->message[0])
            take_member(doc, "error_msg", 0, svc->message, sizeof svc->message);
        take_member(doc, "request_id", 0, svc->request_id, sizeof svc->request_id);
        svc->says_failure = json_is_false(json_object_get(doc, "is_success"));
        const json_t *nested = json_object_get(doc, "error");
        if (json_is_object(nested)) {
            if (!svc->code[0])
                take_member(nested, "code", 1, svc->code, sizeof svc->code);
            if (!svc->message[0])
                take_member(nested, "message", 0, svc->message, sizeof svc->message);
        }
    }
    json_decref(doc);
}
