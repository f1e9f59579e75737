/* ma-jobs: lists ModelArts training jobs using the public libmodelarts API. */
#include "cli.h"

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

/* Reports a failed write (EPIPE, ENOSPC, ...); errno from the first failed write names the cause. */
static int check_output(int saved_errno)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (saved_errno == 0) {
            saved_errno = errno;
        }
        fprintf(stderr, "ma-jobs: writing the output failed: %s\n",
                saved_errno != 0 ? strerror(saved_errno) : "I/O error");
        return CLI_EXIT_FAILURE;
    }
    return CLI_EXIT_OK;
}

static void log_to_stderr(ma_log_level level, const char *message, void *user_data)
{
    (void)user_data;
    static const char *const names[] = {"debug", "info", "warn", "error"};
    fprintf(stderr, "ma-jobs: [%s] %s\n", level >= MA_LOG_DEBUG && level <= MA_LOG_ERROR ? names[level] : "log",
            message);
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
        return check_output(0);
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
    const char *what = "setting up";
    ma_status st = ma_global_init();
    int initialised = st == MA_OK;
    if (!initialised) {
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
        /* The whole command's budget; no single attempt may take longer either. */
        co.timeout_ms = o.timeout_ms;
        co.total_timeout_ms = o.timeout_ms;
    }
    if (o.has_retries) {
        co.retry.max_attempts = o.retries + 1;
    }
    co.ca_file = o.cacert;
    if (o.insecure) {
        co.verify_tls = 0;
        fputs("ma-jobs: warning: --insecure: the server's TLS certificate is not verified\n", stderr);
    }
    if (o.verbose) {
        co.log = log_to_stderr;
        co.log_level = MA_LOG_DEBUG;
    }
    if ((st = ma_client_new(&client, &co, &err)) != MA_OK) {
        what = "client";
        goto fail;
    }
    if ((st = ma_job_query_new(&query, NULL, &err)) != MA_OK || (st = build_query(&o, query, &err)) != MA_OK) {
        what = "query";
        goto fail;
    }
    errno = 0;
    cli_fetch_result r = cli_fetch(&o, client, query, stdout, &err);
    int saved_errno = errno;
    /* A write error outranks the walk's status: the walk may have been stopped because of it. */
    code = check_output(saved_errno);
    if (code != CLI_EXIT_OK) {
        goto cleanup;
    }
    if (r.format_failed) {
        fputs("ma-jobs: formatting the output failed (out of memory, or text that is not UTF-8)\n", stderr);
        code = CLI_EXIT_FAILURE;
        goto cleanup;
    }
    if ((st = r.status) != MA_OK) {
        what = "listing training jobs";
        goto fail;
    }
    code = CLI_EXIT_OK;
    goto cleanup;
fail:
    cli_report_error(stderr, what, &err);
    code = cli_exit_code(st);
    if (code == CLI_EXIT_USAGE) {
        cli_print_usage_hint(stderr);
    }
cleanup:
    ma_job_query_free(query);
    ma_client_free(client);
    ma_credentials_free(cred);
    if (initialised) {
        ma_global_cleanup();
    }
    return code;
}
