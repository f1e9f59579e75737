/**
 * @file modelarts.h
 * @brief Umbrella header of the ModelArts C SDK: include this one.
 *
 * Quick use:
 * @code
 * ma_global_init();
 * ma_credentials *cred; ma_credentials_new_token(&cred, token, NULL, &err);
 * ma_client_options o; ma_client_options_init(&o, MA_CLIENT_OPTIONS_VERSION);
 * o.endpoint = "https://modelarts.eu-de.otc.t-systems.com"; o.project_id = pid; o.credentials = cred;
 * ma_client *c; ma_client_new(&c, &o, &err);
 * ma_job_list *jobs; ma_list_training_jobs(c, NULL, &jobs, &err);
 * @endcode
 *
 * Threading: a client or query is used by one thread at a time; separate
 * clients may run concurrently; a returned ma_job_list is immutable and may be
 * read from any thread. ma_global_init() and ma_global_cleanup() must not race
 * other calls.
 *
 * The public API is what the headers in `include/modelarts/` declare with an `ma_` or `MA_`
 * prefix. Names that start with `ma__` or `MA__`, and every header under `src/`, are private:
 * they may change or go in any release without notice, and the shared library does not
 * export them.
 */
#ifndef MODELARTS_MODELARTS_H
#define MODELARTS_MODELARTS_H

#include "ma_alloc.h"
#include "ma_client.h"
#include "ma_credentials.h"
#include "ma_config.h"
#include "ma_env.h"
#include "ma_error.h"
#include "ma_event.h"
#include "ma_export.h"
#include "ma_global.h"
#include "ma_job_query.h"
#include "ma_job_status.h"
#include "ma_jobs.h"
#include "ma_region.h"
#include "ma_time.h"
#include "ma_walk.h"
#include <modelarts/ma_version.h>

#endif
