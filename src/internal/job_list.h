/* Layout of a page of jobs: one allocation holding the header, the ma_job array and every string. */
#ifndef MA_INTERNAL_JOB_LIST_H
#define MA_INTERNAL_JOB_LIST_H

#include <stddef.h>

#include "modelarts/ma_jobs.h"

struct ma_job_list {
    ma_allocator alloc;
    int64_t total_count;
    int64_t count_limit; /* -1 when absent */
    int64_t quotas;      /* -1 when absent */
    size_t count;
    ma_job *jobs;
};

/*
 * Allocates a list with room for @p count jobs and @p string_bytes of string
 * storage (returned in *pool). Returns NULL when the sizes overflow or memory
 * runs out.
 */
ma_job_list *ma__job_list_alloc(const ma_allocator *alloc, size_t count, size_t string_bytes, char **pool);

#endif
