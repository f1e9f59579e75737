#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "engine/log.h"
#include "engine/runtime.h"

/* Headers whose value is a credential whatever flag they were added with. */
static const char *const secret_headers[] = {"Authorization", "X-Auth-Token", "X-Security-Token", "X-Subject-Token"};

int ma__log_enabled(const ma_client *client, ma_log_level level)
{
    return ma__runtime_of_const(client)->log && (int32_t)level >= ma__runtime_of_const(client)->log_level;
}

void ma__log(ma_client *client, ma_log_level level, const char *fmt, ...)
{
    if (!ma__log_enabled(client, level))
        return;
    char line[MA__LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        memcpy(line + sizeof line - 4, "...", 4);
    /* Server text quoted in a line may echo a credential. */
    if (ma__runtime_of(client)->auth && ma__runtime_of(client)->auth->vtable->redact)
        ma__runtime_of(client)->auth->vtable->redact(ma__runtime_of(client)->auth, line);
    ma__runtime_of(client)->log(level, line, ma__runtime_of(client)->log_user_data);
}

void ma__log_request_line(ma_client *client, const ma__call *call, char *out, size_t size)
{
    ma__buf url;
    ma__buf_init(&url, &ma__runtime_of(client)->alloc);
    if (ma__request_render_url(&call->req, &url) == 0)
        snprintf(out, size, "%s %s", call->req.method, url.data);
    else
        snprintf(out, size, "%s (URL not rendered: out of memory)", call->req.method);
    ma__buf_free(&url);
}

static int is_secret(const ma__header *h)
{
    if (h->secret)
        return 1;
    for (size_t i = 0; i < sizeof secret_headers / sizeof secret_headers[0]; i++)
        if (strcasecmp(h->name, secret_headers[i]) == 0)
            return 1;
    return 0;
}

void ma__log_request(ma_client *client, const ma__call *call, int max_attempts)
{
    if (!ma__log_enabled(client, MA_LOG_DEBUG))
        return;
    char line[MA__LOG_LINE_MAX];
    ma__log_request_line(client, call, line, sizeof line);
    ma__log(client, MA_LOG_DEBUG, "> %s (attempt %d of %d)", line, call->attempts, max_attempts);
    const ma__header_list *parts[2] = {&call->req.headers, &call->req.attempt_headers};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < parts[p]->count; i++) {
            const ma__header *h = &parts[p]->items[i];
            ma__log(client, MA_LOG_DEBUG, "> %s: %s", h->name, is_secret(h) ? "***" : h->value);
        }
    if (call->req.body.len > 0)
        ma__log(client, MA_LOG_DEBUG, "> (body of %zu bytes not logged)", call->req.body.len);
}
