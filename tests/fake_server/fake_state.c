/*
 * Thread-safe queue of scripted replies, request log and counters.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_state.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIELD_CAP_BODY sizeof(((fake_request *)0)->body)

/* One logged request; each string is already cut to its fake_request field. */
typedef struct log_entry {
    char *method;
    char *uri;
    char *auth_token;
    char *user_agent;
    char *content_type;
    char *authorization;
    char *headers;
    char *body; /* FIELD_CAP_BODY bytes once a body arrived */
    size_t body_len;
} log_entry;

struct fake_state {
    pthread_mutex_t mu;
    pthread_cond_t wake;
    int stopping;
    fake_script *head;
    fake_script *tail;
    log_entry *log;
    size_t log_len;
    size_t log_cap;
    size_t connections;
    size_t open;
    size_t peak;
    uint64_t serial;
};

fake_state *fake_state_new(void)
{
    fake_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        return NULL;
    }
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0) {
        free(st);
        return NULL;
    }
    int ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&st->wake, &ca) == 0;
    pthread_condattr_destroy(&ca);
    if (!ok) {
        free(st);
        return NULL;
    }
    if (pthread_mutex_init(&st->mu, NULL) != 0) {
        pthread_cond_destroy(&st->wake);
        free(st);
        return NULL;
    }
    return st;
}

static void log_entry_clear(log_entry *e)
{
    free(e->method);
    free(e->uri);
    free(e->auth_token);
    free(e->user_agent);
    free(e->content_type);
    free(e->authorization);
    free(e->headers);
    free(e->body);
}

void fake_state_free(fake_state *st)
{
    if (st == NULL) {
        return;
    }
    fake_script *s = st->head;
    while (s != NULL) {
        fake_script *next = s->next;
        fake_script_free(s);
        s = next;
    }
    for (size_t i = 0; i < st->log_len; i++) {
        log_entry_clear(&st->log[i]);
    }
    free(st->log);
    pthread_cond_destroy(&st->wake);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

fake_script *fake_script_new(const fake_response *resp)
{
    fake_script *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return NULL;
    }
    const char *headers = resp->headers != NULL ? resp->headers : "";
    size_t hlen = strlen(headers);
    size_t blen = resp->body != NULL ? resp->body_len : 0;
    s->headers = malloc(hlen + 1);
    s->body = blen < SIZE_MAX ? malloc(blen + 1) : NULL;
    if (s->headers == NULL || s->body == NULL) {
        fake_script_free(s);
        return NULL;
    }
    memcpy(s->headers, headers, hlen + 1);
    if (blen > 0) {
        memcpy(s->body, resp->body, blen);
    }
    s->body[blen] = '\0';
    s->body_len = blen;
    s->status = resp->status;
    s->delay_ms = resp->delay_ms;
    s->abort_after = resp->abort_after;
    s->chunked = resp->chunked;
    return s;
}

void fake_script_free(fake_script *s)
{
    if (s == NULL) {
        return;
    }
    free(s->headers);
    free(s->body);
    free(s->match);
    free(s);
}

void fake_state_push(fake_state *st, fake_script *s)
{
    s->next = NULL;
    pthread_mutex_lock(&st->mu);
    if (st->tail != NULL) {
        st->tail->next = s;
    } else {
        st->head = s;
    }
    st->tail = s;
    pthread_mutex_unlock(&st->mu);
}

fake_script *fake_state_pop(fake_state *st, const char *uri)
{
    pthread_mutex_lock(&st->mu);
    fake_script *prev = NULL, *s = st->head;
    while (s != NULL && s->match != NULL && (uri == NULL || strstr(uri, s->match) == NULL)) {
        prev = s;
        s = s->next;
    }
    if (s != NULL) {
        if (prev != NULL) {
            prev->next = s->next;
        } else {
            st->head = s->next;
        }
        if (st->tail == s) {
            st->tail = prev;
        }
        s->next = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    return s;
}

/* Copies at most @p cap - 1 bytes of @p src ("" for NULL). */
static char *dup_cut(const char *src, size_t cap)
{
    if (src == NULL) {
        src = "";
    }
    size_t n = strlen(src);
    if (n > cap - 1) {
        n = cap - 1;
    }
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, src, n);
        d[n] = '\0';
    }
    return d;
}

#define FIELD_CAP(f) sizeof(((fake_request *)0)->f)

int fake_state_log(fake_state *st, const char *method, const char *uri, const char *auth_token, const char *user_agent,
                   const char *content_type, const char *authorization, const char *headers, size_t *index)
{
    log_entry e;
    memset(&e, 0, sizeof e);
    e.method = dup_cut(method, FIELD_CAP(method));
    e.uri = dup_cut(uri, FIELD_CAP(uri));
    e.auth_token = dup_cut(auth_token, FIELD_CAP(auth_token));
    e.user_agent = dup_cut(user_agent, FIELD_CAP(user_agent));
    e.content_type = dup_cut(content_type, FIELD_CAP(content_type));
    e.authorization = dup_cut(authorization, FIELD_CAP(authorization));
    e.headers = dup_cut(headers, FIELD_CAP(headers));
    if (e.method == NULL || e.uri == NULL || e.auth_token == NULL || e.user_agent == NULL || e.content_type == NULL ||
        e.authorization == NULL || e.headers == NULL) {
        log_entry_clear(&e);
        return -1;
    }
    int rc = 0;
    pthread_mutex_lock(&st->mu);
    if (st->log_len == st->log_cap) {
        size_t cap = st->log_cap ? st->log_cap * 2 : 64;
        log_entry *nl = cap < SIZE_MAX / sizeof *nl ? realloc(st->log, cap * sizeof *nl) : NULL;
        if (nl == NULL) {
            rc = -1;
        } else {
            st->log = nl;
            st->log_cap = cap;
        }
    }
    if (rc == 0) {
        if (index != NULL) {
            *index = st->log_len;
        }
        st->log[st->log_len++] = e;
    }
    pthread_mutex_unlock(&st->mu);
    if (rc != 0) {
        log_entry_clear(&e);
    }
    return rc;
}

size_t fake_state_log_count(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    size_t n = st->log_len;
    pthread_mutex_unlock(&st->mu);
    return n;
}

static void copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n > cap - 1) {
        n = cap - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int fake_state_log_at(fake_state *st, size_t index, fake_request *out)
{
    int rc = -1;
    pthread_mutex_lock(&st->mu);
    if (index < st->log_len) {
        const log_entry *e = &st->log[index];
        copy_field(out->method, sizeof out->method, e->method);
        copy_field(out->uri, sizeof out->uri, e->uri);
        copy_field(out->auth_token, sizeof out->auth_token, e->auth_token);
        copy_field(out->user_agent, sizeof out->user_agent, e->user_agent);
        copy_field(out->content_type, sizeof out->content_type, e->content_type);
        copy_field(out->authorization, sizeof out->authorization, e->authorization);
        copy_field(out->headers, sizeof out->headers, e->headers);
        size_t kept = e->body == NULL ? 0 : e->body_len < sizeof out->body - 1 ? e->body_len : sizeof out->body - 1;
        if (kept > 0) {
            memcpy(out->body, e->body, kept);
        }
        out->body[kept] = '\0';
        out->body_len = e->body_len;
        rc = 0;
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

void fake_state_log_body(fake_state *st, size_t index, const char *data, size_t len)
{
    pthread_mutex_lock(&st->mu);
    if (index < st->log_len) {
        log_entry *e = &st->log[index];
        if (e->body == NULL) {
            e->body = calloc(1, FIELD_CAP_BODY);
        }
        if (e->body != NULL) {
            size_t room = e->body_len < FIELD_CAP_BODY - 1 ? FIELD_CAP_BODY - 1 - e->body_len : 0;
            memcpy(e->body + e->body_len, data, len < room ? len : room);
        }
        e->body_len += len;
    }
    pthread_mutex_unlock(&st->mu);
}

void fake_state_connection_opened(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    st->connections++;
    st->open++;
    if (st->open > st->peak) {
        st->peak = st->open;
    }
    pthread_mutex_unlock(&st->mu);
}

void fake_state_connection_closed(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    if (st->open > 0) {
        st->open--;
    }
    pthread_mutex_unlock(&st->mu);
}

size_t fake_state_open_connections(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    size_t n = st->open;
    pthread_mutex_unlock(&st->mu);
    return n;
}

size_t fake_state_peak_connections(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    size_t n = st->peak;
    pthread_mutex_unlock(&st->mu);
    return n;
}

void fake_state_reset_peak(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    st->peak = st->open;
    pthread_mutex_unlock(&st->mu);
}

size_t fake_state_connection_count(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    size_t n = st->connections;
    pthread_mutex_unlock(&st->mu);
    return n;
}

uint64_t fake_state_next_serial(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    uint64_t n = st->serial++;
    pthread_mutex_unlock(&st->mu);
    return n;
}

void fake_state_sleep(fake_state *st, unsigned int ms)
{
    if (ms == 0) {
        return;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(ms / 1000u);
    deadline.tv_nsec += (long)(ms % 1000u) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&st->mu);
    while (!st->stopping) {
        int rc = pthread_cond_timedwait(&st->wake, &st->mu, &deadline);
        if (rc == ETIMEDOUT) {
            break;
        }
    }
    pthread_mutex_unlock(&st->mu);
}

void fake_state_stop(fake_state *st)
{
    pthread_mutex_lock(&st->mu);
    st->stopping = 1;
    pthread_cond_broadcast(&st->wake);
    pthread_mutex_unlock(&st->mu);
}
