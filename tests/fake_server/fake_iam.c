#define _POSIX_C_SOURCE 200809L

#include "fake_iam.h"
#include "fake_internal.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#define MAX_TOKENS 256

typedef struct issued_token {
    char value[64];
    int64_t expires_ms;
    int revoked;
} issued_token;

struct fake_iam {
    char *user, *password, *domain, *project_name, *project_id;
    int64_t lifetime_s;
    int without_project;
    pthread_mutex_t lock;
    issued_token tokens[MAX_TOKENS];
    size_t count;
    uint64_t serial;
    int reject_tokens;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *dup_or(const char *s, const char *fallback, int *failed)
{
    char *d = strdup(s ? s : fallback);
    if (!d)
        *failed = 1;
    return d;
}

fake_iam *fake_iam_new(const fake_server_options *opts, int *failed)
{
    if (!opts->iam_user)
        return NULL;
    fake_iam *iam = calloc(1, sizeof *iam);
    if (!iam) {
        *failed = 1;
        return NULL;
    }
    iam->user = dup_or(opts->iam_user, "", failed);
    iam->password = dup_or(opts->iam_password, "", failed);
    iam->domain = dup_or(opts->iam_domain, "", failed);
    iam->project_name = dup_or(opts->iam_project_name, "eu-de", failed);
    iam->project_id = dup_or(opts->iam_project_id ? opts->iam_project_id : opts->project_id,
                             "0123456789abcdef0123456789abcdef", failed);
    iam->lifetime_s = opts->iam_token_lifetime_s > 0 ? opts->iam_token_lifetime_s : 86400;
    iam->without_project = opts->iam_token_without_project;
    pthread_mutex_init(&iam->lock, NULL);
    return iam;
}

void fake_iam_free(fake_iam *iam)
{
    if (!iam)
        return;
    pthread_mutex_destroy(&iam->lock);
    free(iam->user);
    free(iam->password);
    free(iam->domain);
    free(iam->project_name);
    free(iam->project_id);
    free(iam);
}

int fake_iam_handles(const char *target)
{
    return strncmp(target, "/v3/", 4) == 0;
}

fake_iam_token_state fake_iam_check_token(fake_iam *iam, const char *token)
{
    if (!iam || !token)
        return FAKE_IAM_TOKEN_UNKNOWN;
    fake_iam_token_state st = FAKE_IAM_TOKEN_UNKNOWN;
    int64_t now = now_ms();
    pthread_mutex_lock(&iam->lock);
    for (size_t i = 0; i < iam->count; i++)
        if (strcmp(iam->tokens[i].value, token) == 0) {
            int stale = iam->reject_tokens || iam->tokens[i].revoked || now >= iam->tokens[i].expires_ms;
            st = stale ? FAKE_IAM_TOKEN_STALE : FAKE_IAM_TOKEN_VALID;
            break;
        }
    pthread_mutex_unlock(&iam->lock);
    return st;
}

void fake_iam_revoke_all(fake_iam *iam)
{
    pthread_mutex_lock(&iam->lock);
    for (size_t i = 0; i < iam->count; i++)
        iam->tokens[i].revoked = 1;
    pthread_mutex_unlock(&iam->lock);
}

void fake_iam_set_reject_tokens(fake_iam *iam, int reject)
{
    pthread_mutex_lock(&iam->lock);
    iam->reject_tokens = reject;
    pthread_mutex_unlock(&iam->lock);
}

static void keystone_error(fake_iam_reply *out, unsigned int status, const char *title, const char *message)
{
    out->status = status;
    json_t *doc = json_pack("{s:{s:i,s:s,s:s}}", "error", "code", (int)status, "message", message, "title", title);
    out->body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    out->body_len = out->body ? strlen(out->body) : 0;
    json_decref(doc);
}

static void format_time(int64_t ms, char *buf, size_t size)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%.19s.%03d000Z", base, (int)(ms % 1000));
}

static const char *get_str(const json_t *obj, const char *path)
{
    /* path: "a.b.c" */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = obj;
    for (char *save = NULL, *part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save))
        v = json_object_get(v, part);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static void answer_login(fake_iam *iam, const char *content_type, const char *body, size_t body_len,
                         fake_iam_reply *out)
{
    if (!content_type || strncmp(content_type, "application/json", 16) != 0) {
        keystone_error(out, 400, "Bad Request", "The request body must be JSON (Content-Type application/json).");
        return;
    }
    json_error_t jerr;
    json_t *doc = json_loadb(body ? body : "", body_len, 0, &jerr);
    const json_t *identity = json_object_get(json_object_get(doc, "auth"), "identity");
    const json_t *methods = json_object_get(identity, "methods");
    const json_t *user = json_object_get(json_object_get(identity, "password"), "user");
    const json_t *project = json_object_get(json_object_get(json_object_get(doc, "auth"), "scope"), "project");
    const char *name = get_str(user, "name"), *password = get_str(user, "password"),
               *domain = get_str(user, "domain.name");
    const char *scope_name = get_str(project, "name"), *scope_id = get_str(project, "id");
    if (!doc || !json_is_array(methods) || json_array_size(methods) != 1 ||
        !json_is_string(json_array_get(methods, 0)) ||
        strcmp(json_string_value(json_array_get(methods, 0)), "password") != 0 || !name || !password || !domain ||
        !project || (!scope_name && !scope_id)) {
        keystone_error(out, 400, "Bad Request",
                       "The request is malformed: a password login scoped to a project "
                       "is expected.");
    } else if (strcmp(name, iam->user) != 0 || strcmp(password, iam->password) != 0 ||
               strcmp(domain, iam->domain) != 0) {
        keystone_error(out, 401, "Unauthorized", "The username or password is wrong.");
    } else if ((scope_id && strcmp(scope_id, iam->project_id) != 0) ||
               (!scope_id && strcmp(scope_name, iam->project_name) != 0)) {
        keystone_error(out, 401, "Unauthorized", "The project in the scope does not exist.");
    } else {
        int64_t now = now_ms(), expires = now + iam->lifetime_s * 1000;
        pthread_mutex_lock(&iam->lock);
        uint64_t serial = ++iam->serial;
        snprintf(out->subject_token, sizeof out->subject_token, "MIIfake-iam-token-%04" PRIu64 "-%016" PRIx64, serial,
                 (uint64_t)now * UINT64_C(0x9E3779B97F4A7C15));
        issued_token *t = &iam->tokens[iam->count < MAX_TOKENS ? iam->count++ : MAX_TOKENS - 1];
        memcpy(t->value, out->subject_token, sizeof t->value);
        t->expires_ms = expires;
        t->revoked = 0;
        pthread_mutex_unlock(&iam->lock);
        char issued_at[40], expires_at[40];
        format_time(now, issued_at, sizeof issued_at);
        format_time(expires, expires_at, sizeof expires_at);
        json_t *token = json_pack("{s:s,s:s,s:[s],s:{s:s,s:s,s:{s:s}}}", "expires_at", expires_at, "issued_at",
                                  issued_at, "methods", "password", "user", "name", iam->user, "id", "fakeuserid0001",
                                  "domain", "name", iam->domain);
        if (token && !iam->without_project)
            json_object_set_new(token, "project",
                                json_pack("{s:s,s:s,s:{s:s}}", "id", iam->project_id, "name", iam->project_name,
                                          "domain", "name", iam->domain));
        json_t *reply = token ? json_pack("{s:o}", "token", token) : NULL;
        out->status = 201;
        out->body = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
        out->body_len = out->body ? strlen(out->body) : 0;
        json_decref(reply);
    }
    json_decref(doc);
}

static void answer_projects(fake_iam *iam, const char *target, const char *auth_token, fake_iam_reply *out)
{
    if (fake_iam_check_token(iam, auth_token) != FAKE_IAM_TOKEN_VALID) {
        keystone_error(out, 401, "Unauthorized", "The request you have made requires authentication.");
        return;
    }
    const char *q = strchr(target, '?');
    char *name = NULL;
    size_t name_len = 0;
    if (q && strncmp(q + 1, "name=", 5) == 0) {
        const char *v = q + 6;
        size_t len = strcspn(v, "&");
        if (fake_percent_decode(v, len, &name, &name_len) != 0)
            name = NULL;
    }
    json_t *list = json_array();
    if (list && (!name || strcmp(name, iam->project_name) == 0))
        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:b}", "id", iam->project_id, "name", iam->project_name,
                                              "domain_id", "fakedomainid0001", "enabled", 1));
    json_t *reply = list ? json_pack("{s:o,s:{s:s}}", "projects", list, "links", "self", "/v3/projects") : NULL;
    out->status = 200;
    out->body = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
    out->body_len = out->body ? strlen(out->body) : 0;
    json_decref(reply);
    free(name);
}

void fake_iam_answer(fake_iam *iam, const char *method, const char *target, const char *content_type,
                     const char *auth_token, const char *body, size_t body_len, fake_iam_reply *out)
{
    memset(out, 0, sizeof *out);
    size_t path_len = strcspn(target, "?");
    if (path_len == strlen("/v3/auth/tokens") && strncmp(target, "/v3/auth/tokens", path_len) == 0) {
        if (strcmp(method, "POST") == 0)
            answer_login(iam, content_type, body, body_len, out);
        else
            keystone_error(out, 405, "Method Not Allowed", "Only POST is served on /v3/auth/tokens.");
    } else if (path_len == strlen("/v3/projects") && strncmp(target, "/v3/projects", path_len) == 0 &&
               strcmp(method, "GET") == 0) {
        answer_projects(iam, target, auth_token, out);
    } else {
        keystone_error(out, 404, "Not Found", "The resource could not be found.");
    }
}
