/*
 * getting_started: the smallest complete program. It lists the five most recently
 * created training jobs of a project.
 *
 *   MODELARTS_ENDPOINT    e.g. https://modelarts.eu-de.otc.t-systems.com
 *   MODELARTS_PROJECT_ID  the project id
 *   MODELARTS_TOKEN       a project-scoped IAM token
 *
 * Exit status: 0 on success, 1 when a call fails, 2 when a variable is missing.
 */
#include <stdio.h>
#include <stdlib.h>

#include <modelarts/modelarts.h>

int main(void)
{
    const char *endpoint = getenv("MODELARTS_ENDPOINT");
    const char *project_id = getenv("MODELARTS_PROJECT_ID");
    const char *token = getenv("MODELARTS_TOKEN");
    if (!endpoint || !project_id || !token) {
        fprintf(stderr, "getting_started: set MODELARTS_ENDPOINT, MODELARTS_PROJECT_ID and MODELARTS_TOKEN\n");
        return 2;
    }

    /* 1. Once per process, before any client exists. */
    if (ma_global_init() != MA_OK) {
        fprintf(stderr, "getting_started: ma_global_init failed\n");
        return 1;
    }

    ma_error err;
    ma_error_clear(&err);
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_query *query = NULL;
    ma_job_list *jobs = NULL;

    /* 2. Credentials and a client. The client copies both the options and the credentials. */
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    if (ma_credentials_new_token(&cred, token, NULL, &err) != MA_OK)
        goto done;
    opts.endpoint = endpoint;
    opts.project_id = project_id;
    opts.credentials = cred;
    if (ma_client_new(&client, &opts, &err) != MA_OK)
        goto done;

    /* 3. A query: newest first, five per page. Every setter checks its range before anything is sent. */
    if (ma_job_query_new(&query, NULL, &err) != MA_OK ||
        ma_job_query_set_sort_by(query, MA_SORT_BY_CREATE_TIME, &err) != MA_OK ||
        ma_job_query_set_order(query, MA_ORDER_DESC, &err) != MA_OK ||
        ma_job_query_set_per_page(query, 5, &err) != MA_OK)
        goto done;

    /* 4. One request. The list owns every job and string it hands out. */
    if (ma_list_training_jobs(client, query, &jobs, &err) != MA_OK)
        goto done;
    for (size_t i = 0; i < ma_job_list_count(jobs); i++) {
        const ma_job *job = ma_job_list_at(jobs, i);
        printf("%lld\t%s\t%s\n", (long long)job->job_id, ma_job_status_name(job->status), job->job_name);
    }
    printf("%zu of %lld job(s)\n", ma_job_list_count(jobs), (long long)ma_job_list_total_count(jobs));

done:
    if (err.status != MA_OK)
        fprintf(stderr, "getting_started: %s: %s\n", ma_status_name(err.status), err.message);
    /* 5. Every free function accepts NULL, so one cleanup path serves every exit. */
    ma_job_list_free(jobs);
    ma_job_query_free(query);
    ma_client_free(client);
    ma_credentials_free(cred);
    ma_global_cleanup();
    return err.status == MA_OK ? 0 : 1;
}
