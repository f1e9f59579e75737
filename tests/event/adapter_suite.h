/*
 * The tests every event-loop adapter passes, against the in-process fake server: each adapter's
 * test file describes its loop with an event_loop_ops and runs event_suite_run().
 */
#ifndef MA_TEST_ADAPTER_SUITE_H
#define MA_TEST_ADAPTER_SUITE_H

#include <stddef.h>

#include "e2e.h"

/* Jobs of the suite's server (all in the default workspace) and its page size: 101 pages. */
#define SUITE_JOBS     1010
#define SUITE_PER_PAGE 10

typedef struct event_loop_ops {
    const char *name;
    /* A new loop with @p client attached to it (cmocka failure if it cannot). */
    void *(*attach)(ma_client *client);
    /* Runs the loop until *done is non-zero; fails the test if the loop has nothing left to wait for. */
    void (*run_until)(void *loop, const int *done);
    /* Runs non-blocking turns for up to @p max_ms; returns 1 once the loop has nothing left to do, else 0. */
    int (*settle)(void *loop, int max_ms);
    /* After ma_client_free(): frees the adapter and the loop; returns what the loop still holds (0 = nothing). */
    int (*free)(void *loop);
} event_loop_ops;

typedef struct suite_env {
    fake_server *server;
    ma_credentials *credentials;
    const event_loop_ops *ops;
    const fake_job **order; /* the data set sorted as suite_query() asks: newest first */
} suite_env;

/* A client on the suite's server using the test allocator (leaks fail the test). */
ma_client *suite_client(const suite_env *env);
/* Creation time, newest first, SUITE_PER_PAGE per page. */
ma_job_query *suite_query(void);

/* Runs the common tests, then @p extra (which get a suite_env as their state). */
int event_suite_run(const event_loop_ops *ops, const struct CMUnitTest *extra, size_t extra_count);

#endif
