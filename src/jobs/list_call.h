/*
 * One list request through the execute loop, its body streamed into the page
 * decoder. ma_list_training_jobs() runs one; a parallel walk runs a window.
 */
#ifndef MA_JOBS_LIST_CALL_H
#define MA_JOBS_LIST_CALL_H

#include "engine/execute.h"
#include "json/page_decoder.h"
#include "modelarts/ma_job_query.h"
#include "modelarts/ma_jobs.h"

typedef struct ma__list_call {
    ma__call call;
    ma__page_decoder *decoder;
    ma_job_list *list; /* the decoded page once the call succeeded */
} ma__list_call;

/*
 * Builds GET /v1/{project_id}/training-jobs for @p query (NULL for none). MA_OK or MA_ERR_NOMEM; a client
 * without a project id first resolves it (ma__runtime_resolve_project_id()) and may fail as that does. On
 * failure nothing is left to free.
 */
ma_status ma__list_call_init(ma__list_call *lc, ma_client *client, const ma_job_query *query, ma_error *err);
void ma__list_call_free(ma__list_call *lc);
/* Hands the decoded page to the caller (NULL unless the call succeeded). */
ma_job_list *ma__list_call_take(ma__list_call *lc);

#endif
