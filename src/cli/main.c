/* ma-jobs: lists ModelArts training jobs using the public libmodelarts API. */
#include "cli.h"
#include "progress.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char *from_env(const char *flag_value, const char *env_name)
{
    if (flag_value != NULL) {
        return flag_value;
    }
    const char *v = getenv(env_name);
    return (v != NULL && v[0] != '\0') ? v : NULL;
}

static void usage_error(const char *msg)
{
    fprintf(stderr, "ma-jobs: %s\n", msg);
    cli_print_usage_hint(stderr);
}

/* Applies the query flags through the library's setters, which own the ranges. */
static ma_status build_query(const cli_options *o, ma_job_query *q, ma_error *err)
{
    ma_status st = MA_OK;
    if (st == MA_OK && o->has_status) {
        st = ma_job_query_set_status(q, (ma_job_status)o->status, err);
    }
    if (st == MA_OK && o->has_per_page) {
        st = ma_job_query_set_per_page(q, o->per_page, err);
    }
    if (st == MA_OK && o->has_page) {
        st = ma_job_query_set_page(q, o->page, err);
    }
    if (st == MA_OK && o->has_sort_by) {
        st = ma_job_query_set_sort_by(q, o->sort_by, err);
    }
    if (st == MA_OK && o->has_order) {
        st = ma_job_query_set_order(q, o->order, err);
    }
    if (st == MA_OK && o->search != NULL) {
        st = ma_job_query_set_search_content(q, o->search, err);
    }
    if (st == MA_OK && o->workspace_id != NULL) {
        st = ma_job_query_set_workspace_id(q, o->workspace_id, err);
    }
    return st;
}

static ma_status fetch(const cli_options *o, ma_client *client, const ma_job_query *q, ma_job_list **jobs,
                       ma_error *err)
{
    if (!o->all) {
        return ma_list_training_jobs(client, q, jobs, err);
    }
    cli_progress bar;
    cli_progress_init(&bar, stderr);
    cli_progress_install_sigint();
    ma_walk_options wo;
    ma_status st = ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION);
    if (st != MA_OK) {
        return st;
    }
    if (o->has_parallel) {
        wo.concurrency = o->parallel;
    }
    if (o->has_limit) {
        wo.max_jobs = o->limit;
    }
    wo.progress = cli_progress_update;
    wo.progress_user_data = &bar;
    st = ma_list_all_training_jobs(client, q, &wo, jobs, err);
    cli_progress_finish(&bar);
    return st;
}

static int write_output(const cli_options *o, const ma_job_list *jobs)
{
    int rc = 0;
    /* errno from the first failed write names the cause (EPIPE, ENOSPC, ...). */
    errno = 0;
    switch (o->format) {
    case CLI_FORMAT_TABLE:
        rc = cli_write_table(stdout, jobs);
        break;
    case CLI_FORMAT_JSON:
        rc = cli_write_json(stdout, jobs);
        break;
    case CLI_FORMAT_JSONL:
        rc = cli_write_jsonl(stdout, jobs);
        break;
    case CLI_FORMAT_CSV:
        rc = cli_write_csv(stdout, jobs);
        break;
    }
    int saved = errno;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (saved == 0) {
            saved = errno;
        }
        fprintf(stderr, "ma-jobs: writing the output failed: %s\n", saved != 0 ? strerror(saved) : "I/O error");
        return CLI_EXIT_FAILURE;
    }
    if (rc != 0) {
        fputs("ma-jobs: formatting the output failed (out of memory, or text that is not UTF-8)\n", stderr);
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    /* A closed pipe becomes EPIPE on write, reported below, instead of killing us. */
    signal(SIGPIPE, SIG_IGN);

    cli_options o;
    char msg[512];
    if (cli_parse_args(argc, argv, &o, msg, sizeof msg) != 0) {
        usage_error(msg);
        return CLI_EXIT_USAGE;
    }
    if (o.help || o.version) {
        if (o.help) {
            cli_print_help(stdout);
        } else {
            cli_print_version(stdout);
        }
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "ma-jobs: writing the output failed: %s\n", strerror(errno));
            return CLI_EXIT_FAILURE;
        }
        return CLI_EXIT_OK;
    }
    const char *endpoint = from_env(o.endpoint, "MODELARTS_ENDPOINT");
    const char *project_id = from_env(o.project_id, "MODELARTS_PROJECT_ID");
    const char *token = from_env(NULL, "MODELARTS_TOKEN");
    if (endpoint == NULL || project_id == NULL || token == NULL) {
        snprintf(msg, sizeof msg, "missing %s: %s",
                 endpoint == NULL     ? "endpoint"
                 : project_id == NULL ? "project id"
                                      : "token",
                 endpoint == NULL     ? "use --endpoint or set MODELARTS_ENDPOINT"
                 : project_id == NULL ? "use --project-id or set MODELARTS_PROJECT_ID"
                                      : "set MODELARTS_TOKEN (it is never taken as an argument)");
        usage_error(msg);
        return CLI_EXIT_USAGE;
    }

    int code = CLI_EXIT_FAILURE;
    ma_error err;
    ma_error_clear(&err);
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_query *query = NULL;
    ma_job_list *jobs = NULL;
    const char *what = "setting up";
    ma_status st = ma_global_init();
    if (st != MA_OK) {
        err.status = st;
        goto fail;
    }
    if ((st = ma_credentials_new_token(&cred, token, NULL, &err)) != MA_OK) {
        what = "token";
        goto fail;
    }
    ma_client_options co;
    if ((st = ma_client_options_init(&co, MA_CLIENT_OPTIONS_VERSION)) != MA_OK) {
        goto fail;
    }
    co.endpoint = endpoint;
    co.project_id = project_id;
    co.credentials = cred;
    co.user_agent_suffix = "ma-jobs/" MA_VERSION_STRING;
    if (o.has_timeout) {
        co.timeout_ms = o.timeout_ms;
    }
    if ((st = ma_client_new(&client, &co, &err)) != MA_OK) {
        what = "client";
        goto fail;
    }
    if ((st = ma_job_query_new(&query, NULL, &err)) != MA_OK || (st = build_query(&o, query, &err)) != MA_OK) {
        what = "query";
        goto fail;
    }
    if ((st = fetch(&o, client, query, &jobs, &err)) != MA_OK) {
        what = "listing training jobs";
        goto fail;
    }
    code = write_output(&o, jobs);
    goto cleanup;
fail:
    cli_report_error(stderr, what, &err);
    code = cli_exit_code(st);
    if (code == CLI_EXIT_USAGE) {
        cli_print_usage_hint(stderr);
    }
cleanup:
    ma_job_list_free(jobs);
    ma_job_query_free(query);
    ma_client_free(client);
    ma_credentials_free(cred);
    if (st != MA_ERR_NOT_INITIALIZED || client != NULL) {
        ma_global_cleanup();
    }
    return code;
}
