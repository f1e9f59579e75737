/*
 * Layout of a list of jobs: a growable ma_job array (realloc'd, nothing points
 * into it) plus a chain of string chunks that never move, so the job_name and
 * job_desc pointers stay valid while the list grows or absorbs other pages.
 */
#ifndef MA_MODEL_JOB_LIST_H
#define MA_MODEL_JOB_LIST_H

#include <stddef.h>

#include "modelarts/ma_jobs.h"

typedef struct ma__string_chunk ma__string_chunk;

/*
 * Stores an already range-checked status value, whether ma_job.status is the
 * ma_job_status enum or a plain int32_t (explicit casts keep -Wsign-conversion quiet).
 */
#define MA__JOB_SET_STATUS(job, value) \
    ((job)->status = _Generic((job)->status, int32_t : (int32_t)(value), default : (ma_job_status)(value)))

struct ma_job_list {
    ma_allocator alloc;
    int64_t total_count;
    int64_t count_limit; /* -1 when absent */
    int64_t quotas;      /* -1 when absent */
    size_t count;
    size_t cap;
    ma_job *jobs;
    ma__string_chunk *chunks; /* newest first; the first one is being filled */
    size_t chunk_used;        /* bytes used in the first chunk */
};

/* An empty list (totals 0, -1, -1) on @p alloc, or NULL when out of memory. */
ma_job_list *ma__job_list_new(const ma_allocator *alloc);

/* Appends a zeroed job and returns it (valid until the next push), or NULL when out of memory. */
ma_job *ma__job_list_push(ma_job_list *list);

/* Removes the last job (its strings stay in the arena until the list is freed). */
void ma__job_list_pop(ma_job_list *list);

/*
 * Copies @p len bytes of @p s plus a NUL into the list's string arena. The
 * copy never moves. Returns NULL when out of memory.
 */
const char *ma__job_list_store_string(ma_job_list *list, const char *s, size_t len);

/*
 * Moves every job and string chunk of @p src to the end of @p dst without
 * copying strings; @p src is left empty but usable. Totals of @p dst are kept.
 * An empty @p dst takes @p src's job array as it is; otherwise the jobs are
 * copied behind dst's, whose array grows by doubling, so appending page after
 * page reallocates it a logarithmic number of times, not once per page.
 * Returns MA_OK or MA_ERR_NOMEM (then both lists are unchanged). Both lists
 * must use the same allocator.
 */
ma_status ma__job_list_append(ma_job_list *dst, ma_job_list *src);

#endif
