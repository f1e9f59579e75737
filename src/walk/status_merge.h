/*
 * A walk over a set of statuses: one server-filtered walk per status, merged
 * into one stream in the query's sort order (ties by job_id in the same
 * direction, as the service breaks them), for the iterator and list-all.
 */
#ifndef MA_WALK_STATUS_MERGE_H
#define MA_WALK_STATUS_MERGE_H

#include "walk/walk.h"

typedef struct ma__merge_source {
    ma__walk walk;
    ma_job_list *page; /* the page being merged; NULL when the next one is needed */
    size_t index;
    int done;
    int32_t status;
} ma__merge_source;

typedef struct ma__status_merge {
    ma_allocator alloc;
    ma__merge_source *sources;
    size_t count;
    ma_sort_key key;
    int descending;
    ma_walk_options options; /* the caller's: max_jobs, progress and duplicates apply to the merged stream */
    int started;
    int64_t jobs_so_far;
    ma_status status; /* sticky failure */
    ma_error err;
    int failed_page;
    int64_t total_count, count_limit, quotas; /* sum of the sources' totals; -1 until every first page is in */
    ma__seen_ids seen;
} ma__status_merge;

/* Whether @p query needs a merged walk (it holds several statuses). */
int ma__query_has_status_set(const ma_job_query *query);

ma_status ma__status_merge_init(ma__status_merge *m, ma_client *client, const ma_job_query *query,
                                const ma_walk_options *options, ma_error *err);
void ma__status_merge_free(ma__status_merge *m);

/* The next job of the merged stream (borrowed until the next call), or *job NULL at the end. Failures are sticky. */
ma_status ma__status_merge_next(ma__status_merge *m, const ma_job **job, ma_error *err);

#endif
