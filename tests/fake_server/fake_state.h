/*
 * Shared mutable state of a running fake server: the scripted-reply queue,
 * the request log and counters, all behind one mutex.
 */
#ifndef MA_FAKE_STATE_H
#define MA_FAKE_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "fake_server.h"

/** An owned copy of a queued fake_response. */
typedef struct fake_script {
    struct fake_script *next;
    unsigned int status;
    char *headers; /* NUL-terminated, "" when none */
    char *body;    /* body_len bytes plus a NUL */
    size_t body_len;
    unsigned int delay_ms;
    long abort_after;
    int chunked;
    char *match; /* answer only a request whose target contains this; NULL = any */
} fake_script;

typedef struct fake_state fake_state;

fake_state *fake_state_new(void);
void fake_state_free(fake_state *st);

/** Copies @p resp into a new script; NULL when out of memory. */
fake_script *fake_script_new(const fake_response *resp);
void fake_script_free(fake_script *s);

/** Appends to the queue (takes ownership). */
void fake_state_push(fake_state *st, fake_script *s);
/** Removes and returns the oldest script meant for request target @p uri, or NULL when there is none. */
fake_script *fake_state_pop(fake_state *st, const char *uri);

/** Appends one request to the log (strings may be NULL). Returns 0 or -1 (OOM). */
int fake_state_log(fake_state *st, const char *method, const char *uri, const char *auth_token, const char *user_agent,
                   const char *content_type, const char *authorization, const char *headers, size_t *index);
/** Appends request body bytes to logged request @p index. */
void fake_state_log_body(fake_state *st, size_t index, const char *data, size_t len);
size_t fake_state_log_count(fake_state *st);
int fake_state_log_at(fake_state *st, size_t index, fake_request *out);

void fake_state_connection_opened(fake_state *st);
void fake_state_connection_closed(fake_state *st);
size_t fake_state_connection_count(fake_state *st);
size_t fake_state_open_connections(fake_state *st);
size_t fake_state_peak_connections(fake_state *st);
void fake_state_reset_peak(fake_state *st);

/** Returns 0, 1, 2, ... : a fresh number for each request id. */
uint64_t fake_state_next_serial(fake_state *st);

/** Sleeps up to @p ms milliseconds, waking early once fake_state_stop was called. */
void fake_state_sleep(fake_state *st, unsigned int ms);
/** Wakes every sleeper for good; later sleeps return at once. */
void fake_state_stop(fake_state *st);

#endif
