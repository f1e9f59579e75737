/* GET /v1/{project_id}/training-jobs: one page. */
#include "engine/runtime.h"
#include "util/error.h"
#include "jobs/list_call.h"

ma_status ma_list_training_jobs(ma_client *client, const ma_job_query *query, ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_training_jobs: client is NULL");
    if (ma__runtime_of(client)->events)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: the client runs on an event loop; use %s_start()",
                             "ma_list_training_jobs", "ma_list_training_jobs");
    ma__list_call lc;
    ma_status st = ma__list_call_init(&lc, client, query, err);
    if (st != MA_OK)
        return st;
    if ((st = ma__execute_one(client, &lc.call, err)) == MA_OK)
        *out = ma__list_call_take(&lc);
    ma__list_call_free(&lc);
    return st;
}
