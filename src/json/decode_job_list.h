#ifndef MA_JSON_DECODE_JOB_LIST_H
#define MA_JSON_DECODE_JOB_LIST_H

#include <jansson.h>

#include "modelarts/ma_jobs.h"

/* Builds a list from a success document (is_success already checked). */
ma_status ma__decode_job_list(const ma_allocator *alloc, const json_t *doc, ma_job_list **out, ma_error *err);

#endif
