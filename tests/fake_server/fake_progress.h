/*
 * Advancing jobs: a few jobs with fixed names and ids whose status moves one
 * step along a script each time they have been listed a number of times (or
 * each pace interval), so that a client waiting for a job can be tested end to
 * end. While they are on, list requests are answered here instead of from the
 * page cache, which would keep stale statuses.
 */
#ifndef MA_FAKE_PROGRESS_H
#define MA_FAKE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "fake_internal.h"

typedef struct fake_progress fake_progress;

/**
 * The data set @p ds followed by the advancing jobs (the strings stay owned
 * by @p ds, which must outlive the result). Returns NULL when out of memory.
 */
fake_progress *fake_progress_new(const fake_server_options *opts, const fake_dataset *ds);
void fake_progress_free(fake_progress *p);

/** Answers one validated list request: a page with the statuses as they are now. */
enum MHD_Result fake_progress_answer(fake_progress *p, struct MHD_Connection *connection, const fake_query *q,
                                     int64_t quotas, const char *request_id);

#endif
