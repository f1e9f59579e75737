/*
 * An in-memory transport for unit tests: records what the client would send
 * and answers with a scripted response, without any socket. End-to-end tests
 * use the fake server over real loopback HTTP instead.
 */
#ifndef MA_TEST_CAPTURE_TRANSPORT_H
#define MA_TEST_CAPTURE_TRANSPORT_H

#include "http/http.h"
#include "http/transport.h"
#include "modelarts/modelarts.h"

typedef struct capture_transport {
    ma__transport base;
    /* scripted reply */
    int status;
    char *reply_headers; /* "Name: value\n" lines */
    char *reply_body;
    size_t reply_body_len;
    ma_status fail_status; /* MA_OK = reply normally */
    int fail_transport_code;
    int fail_retryable; /* the scripted failure is one the transport calls safe to repeat */
    /* what the client sent last */
    int calls;
    char method[16];
    char url[8192];
    char headers[16384]; /* "Name: value\n" lines, in order */
} capture_transport;

/* Installs a new capture transport into @p client (the client owns it) and returns it. */
capture_transport *capture_transport_install(ma_client *client);
/* Next replies: status, headers ("A: b\nC: d"), body (NUL-terminated or with explicit length). */
void capture_transport_reply(capture_transport *t, int status, const char *headers, const char *body);
void capture_transport_reply_bytes(capture_transport *t, int status, const char *headers, const char *body, size_t len);
/* Next sends fail before any response with this status and transport code. */
void capture_transport_fail(capture_transport *t, ma_status status, int transport_code);

/* Adds "Name: value" lines separated by '\n' to @p list. Returns how many lines had no ':' (skipped), or -1
 * when out of memory. */
int capture_headers_parse(ma__header_list *list, const char *lines);

#endif
