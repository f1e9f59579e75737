/*
 * list_jobs: prints one page of training jobs.
 *
 *   MODELARTS_ENDPOINT    e.g. https://modelarts.eu-de.otc.t-systems.com
 *   MODELARTS_PROJECT_ID  the project id
 *   MODELARTS_TOKEN       a project-scoped IAM token
 *
 * Optional arguments: --status N --page N --per-page N --sort KEY --desc
 *                     --search TEXT --workspace ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <modelarts/modelarts.h>

#include "job_line.h"

static int report(const char *what, ma_status st, const ma_error *err)
{
    return job_line_report("list_jobs", what, st, err);
}

static const char *const sort_keys[] = {"job_name", "job_desc", "status", "duration", "version_count", "create_time"};

static int parse_int(const char *text, int *out)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < -2147483647L || v > 2147483647L)
        return -1;
    *out = (int)v;
    return 0;
}

/* Applies one "--flag value" pair; returns the status of the setter or MA_ERR_INVALID_ARG. */
static ma_status apply_flag(ma_job_query *q, const char *flag, const char *value, ma_error *err)
{
    int n = 0;
    if (strcmp(flag, "--search") == 0)
        return ma_job_query_set_search_content(q, value, err);
    if (strcmp(flag, "--workspace") == 0)
        return ma_job_query_set_workspace_id(q, value, err);
    if (strcmp(flag, "--sort") == 0) {
        for (int k = 0; k < 6; k++)
            if (strcmp(value, sort_keys[k]) == 0)
                return ma_job_query_set_sort_by(q, (ma_sort_key)k, err);
        snprintf(err->message, sizeof err->message, "unknown sort key '%s'", value);
        return MA_ERR_INVALID_ARG;
    }
    if (parse_int(value, &n) != 0) {
        snprintf(err->message, sizeof err->message, "%s needs an integer", flag);
        return MA_ERR_INVALID_ARG;
    }
    if (strcmp(flag, "--status") == 0)
        return ma_job_query_set_status(q, (ma_job_status)n, err);
    if (strcmp(flag, "--page") == 0)
        return ma_job_query_set_page(q, n, err);
    if (strcmp(flag, "--per-page") == 0)
        return ma_job_query_set_per_page(q, n, err);
    snprintf(err->message, sizeof err->message, "unknown option %s", flag);
    return MA_ERR_INVALID_ARG;
}

static ma_status parse_args(int argc, char **argv, ma_job_query *q, ma_error *err)
{
    for (int i = 1; i < argc; i++) {
        ma_status st;
        if (strcmp(argv[i], "--desc") == 0)
            st = ma_job_query_set_order(q, MA_ORDER_DESC, err);
        else if (i + 1 < argc) {
            st = apply_flag(q, argv[i], argv[i + 1], err);
            i++;
        } else {
            snprintf(err->message, sizeof err->message, "%s needs a value", argv[i]);
            st = MA_ERR_INVALID_ARG;
        }
        if (st != MA_OK)
            return st;
    }
    return MA_OK;
}

static void print_list(const ma_job_list *list)
{
    printf("%-20s %-10s %-32s %-21s %10s %4s  %s\n", "JOB_ID", "VERSION", "STATUS", "CREATED (UTC)", "DURATION_S",
           "VERS", "NAME");
    for (size_t i = 0; i < ma_job_list_count(list); i++)
        job_line_print(ma_job_list_at(list, i));
    printf("%zu job(s) on this page; job_total_count %lld; quota %lld, %lld more can be created\n",
           ma_job_list_count(list), (long long)ma_job_list_total_count(list), (long long)ma_job_list_quotas(list),
           (long long)ma_job_list_count_limit(list));
}

int main(int argc, char **argv)
{
    const char *endpoint = getenv("MODELARTS_ENDPOINT");
    const char *project_id = getenv("MODELARTS_PROJECT_ID");
    const char *token = getenv("MODELARTS_TOKEN");
    if (!endpoint || !project_id || !token) {
        fprintf(stderr, "list_jobs: set MODELARTS_ENDPOINT, MODELARTS_PROJECT_ID and MODELARTS_TOKEN\n");
        return 2;
    }
    ma_error err;
    ma_error_clear(&err);
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_query *query = NULL;
    ma_job_list *list = NULL;
    int rc = 1;
    ma_status st = ma_global_init();
    if (st != MA_OK)
        return report("init", st, &err);
    ma_client_options opts;
    if ((st = ma_client_options_init(&opts, MA_CLIENT_OPTIONS_VERSION)) != MA_OK) {
        report("options", st, &err);
        goto done;
    }
    if ((st = ma_credentials_new_token(&cred, token, NULL, &err)) != MA_OK) {
        report("credentials", st, &err);
        goto done;
    }
    opts.endpoint = endpoint;
    opts.project_id = project_id;
    opts.credentials = cred;
    opts.user_agent_suffix = "list_jobs-example";
    if ((st = ma_client_new(&client, &opts, &err)) != MA_OK) {
        report("client", st, &err);
        goto done;
    }
    if ((st = ma_job_query_new(&query, NULL, &err)) != MA_OK || (st = parse_args(argc, argv, query, &err)) != MA_OK) {
        report("arguments", st, &err);
        rc = 2;
        goto done;
    }
    if ((st = ma_list_training_jobs(client, query, &list, &err)) != MA_OK) {
        report("list", st, &err);
        goto done;
    }
    print_list(list);
    rc = 0;
done:
    ma_job_list_free(list);
    ma_job_query_free(query);
    ma_client_free(client);
    ma_credentials_free(cred);
    ma_global_cleanup();
    return rc;
}
