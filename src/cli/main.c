/* ma-jobs: lists ModelArts training jobs, or waits for one to end, using the public libmodelarts API. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage_error(const char *msg)
{
    fprintf(stderr, "ma-jobs: %s\n", msg);
    cli_print_usage_hint(stderr);
}

/* Applies the query flags through the library's setters, which own the ranges; *flag names a refused one. */
static ma_status build_query(const cli_options *o, ma_job_query *q, const char **flag, ma_error *err)
{
    ma_status st = MA_OK;
    if (st == MA_OK && o->status_count == 1) {
        *flag = o->spelled[CLI_SPELLED_STATUS];
        st = ma_job_query_set_status(q, (ma_job_status)o->statuses[0], err);
    } else if (st == MA_OK && o->status_count > 1) {
        int32_t set[CLI_MAX_STATUSES];
        for (int i = 0; i < o->status_count; i++) {
            set[i] = (int32_t)o->statuses[i];
        }
        *flag = o->spelled[CLI_SPELLED_STATUS];
        st = ma_job_query_set_statuses(q, set, (size_t)o->status_count, err);
    }
    if (st == MA_OK && o->has_per_page) {
        *flag = o->spelled[CLI_SPELLED_PER_PAGE];
        st = ma_job_query_set_per_page(q, o->per_page, err);
    }
    if (st == MA_OK && o->has_page) {
        *flag = o->spelled[CLI_SPELLED_PAGE];
        st = ma_job_query_set_page(q, o->page, err);
    }
    if (st == MA_OK && o->has_sort_by) {
        *flag = "--sort-by";
        st = ma_job_query_set_sort_by(q, o->sort_by, err);
    }
    if (st == MA_OK && o->has_order) {
        *flag = "--order";
        st = ma_job_query_set_order(q, o->order, err);
    }
    if (st == MA_OK && o->search != NULL) {
        *flag = o->spelled[CLI_SPELLED_SEARCH];
        st = ma_job_query_set_search_content(q, o->search, err);
    }
    if (st == MA_OK && o->workspace_id != NULL) {
        *flag = o->spelled[CLI_SPELLED_WORKSPACE_ID];
        st = ma_job_query_set_workspace_id(q, o->workspace_id, err);
    }
    return st;
}

/*
 * Reports a failed write (ENOSPC, ...); errno from the first failed write names
 * the cause. A closed pipe ends the tool as SIGPIPE ends `seq | head -1`:
 * silently, with the status a shell expects (128 + SIGPIPE). SIGPIPE itself
 * stays ignored while requests run, since a TLS socket write may raise it.
 */
static int check_output(int saved_errno)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (saved_errno == 0) {
            saved_errno = errno;
        }
        if (saved_errno == EPIPE) {
            signal(SIGPIPE, SIG_DFL);
            raise(SIGPIPE);
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
    fprintf(stderr, "ma-jobs: [%s] %s\n",
            level >= MA_LOG_DEBUG && level <= MA_LOG_ERROR ? names[level - MA_LOG_DEBUG] : "log", message);
}

int main(int argc, char **argv)
{
    /* A closed pipe becomes EPIPE on write, handled in check_output(). */
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
    int code = CLI_EXIT_FAILURE;
    ma_error err;
    ma_error_clear(&err);
    ma_env_settings *env = NULL;
    ma_client *client = NULL;
    ma_job_query *query = NULL;
    const char *what = "setting up";
    ma_status st = ma_global_init();
    int initialised = st == MA_OK;
    if (!initialised) {
        err.status = st;
        goto fail;
    }
    ma_client_options co;
    if ((st = ma_client_options_init(&co, MA_CLIENT_OPTIONS_VERSION)) != MA_OK) {
        goto fail;
    }
    /* Flags first: the environment helper keeps every field already set. */
    co.endpoint = o.endpoint;
    co.project_id = o.project_id;
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.region = o.region;
    /* Without --cloud the region name tells the cloud (the clouds share no region name). */
    eo.cloud = o.has_cloud ? o.cloud : MA_CLOUD_UNSPECIFIED;
    if (o.region != NULL) {
        /* Checked even when --endpoint wins: the region also names the password login's project. */
        char endpoint[MA_REGION_ENDPOINT_SIZE];
        if ((st = ma_region_endpoint(eo.cloud, o.region, MA_SERVICE_MODELARTS, endpoint, sizeof endpoint, &err)) !=
            MA_OK) {
            what = o.spelled[CLI_SPELLED_REGION];
            goto fail;
        }
    }
    ma_config_options cfg = MA_CONFIG_OPTIONS_INIT;
    cfg.region = eo.region;
    cfg.cloud = eo.cloud;
    cfg.os_cloud = o.os_cloud;
    cfg.use_metadata = o.metadata;
    if ((st = ma_client_options_from_config(&co, &cfg, &env, &err)) != MA_OK) {
        what = "configuration (flags, environment and files, see --help)";
        goto fail;
    }
    for (size_t i = 0; i < ma_env_settings_warning_count(env); i++) {
        fprintf(stderr, "ma-jobs: warning: %s\n", ma_env_settings_warning(env, i));
    }
    if (o.command == CLI_COMMAND_CONFIG) {
        errno = 0;
        int failed = cli_print_config(stdout, &co, env, o.format == CLI_FORMAT_JSON);
        code = check_output(errno);
        if (code == CLI_EXIT_OK && failed) {
            fputs("ma-jobs: formatting the output failed (out of memory)\n", stderr);
            code = CLI_EXIT_FAILURE;
        }
        goto cleanup;
    }
    co.user_agent_suffix = "ma-jobs/" MA_VERSION_STRING;
    if (o.has_timeout) {
        /* The whole command's budget; no single attempt may take longer either. */
        co.timeout_ms = o.timeout_ms;
        co.total_timeout_ms = o.timeout_ms;
    }
    ma_retry_policy retry = MA_RETRY_POLICY_INIT;
    if (o.has_retries) {
        retry.max_attempts = o.retries + 1;
        co.retry = &retry;
    } else if (o.command == CLI_COMMAND_WAIT) {
        /* One attempt per poll: the wait is the retry loop (wait.c), so polls never drain the retry budget. */
        retry.max_attempts = 1;
        co.retry = &retry;
    }
    co.ca_file = o.cacert;
    if (o.insecure) {
        co.insecure_skip_tls_verify = 1;
        fputs("ma-jobs: warning: --insecure: the server's TLS certificate is not verified\n", stderr);
    }
    if (o.verbose) {
        co.log = log_to_stderr;
        co.log_level = MA_LOG_DEBUG;
    }
    if (o.command == CLI_COMMAND_WAIT || o.walk) {
        /* The long commands stop cleanly on Ctrl-C or SIGTERM, also in the middle of a request. */
        cli_stop_install();
        co.cancel = cli_stop_cancel_hook;
    }
    if ((st = ma_client_new(&client, &co, &err)) != MA_OK) {
        what = "client";
        goto fail;
    }
    if (o.command == CLI_COMMAND_WAIT) {
        code = cli_wait(&o, client, stdout, stderr);
        goto cleanup;
    }
    if ((st = ma_job_query_new(&query, NULL, &err)) != MA_OK) {
        what = "query";
        goto fail;
    }
    const char *flag = NULL;
    if ((st = build_query(&o, query, &flag, &err)) != MA_OK) {
        if (st == MA_ERR_INVALID_ARG && flag != NULL) {
            cli_report_flag_error(stderr, flag, &err);
            cli_print_usage_hint(stderr);
            code = CLI_EXIT_USAGE;
            goto cleanup;
        }
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
    if (r.status == MA_ERR_CANCELLED && cli_stop_signal() != 0) {
        /* What was fetched has been printed; a signal is not an error to explain. */
        fputs("ma-jobs: interrupted\n", stderr);
        code = cli_stop_exit_code();
        goto cleanup;
    }
    if (r.status == MA_OK && r.total >= 0 && (int64_t)r.shown < r.total && isatty(fileno(stderr))) {
        fprintf(stderr, "ma-jobs: %zu of %lld jobs shown (%s)\n", r.shown, (long long)r.total,
                o.has_limit ? "--limit" : "--page; leave it out for every job");
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
    if (st == MA_ERR_TIMEOUT && o.has_timeout) {
        /* The library names its own option; the user set the flag. */
        fprintf(stderr, "ma-jobs: the deadline was --timeout-ms %ld\n", o.timeout_ms);
    }
    code = cli_exit_code(st);
    if (code == CLI_EXIT_USAGE) {
        cli_print_usage_hint(stderr);
    }
cleanup:
    ma_job_query_free(query);
    ma_client_free(client);
    ma_env_settings_free(env);
    if (initialised) {
        ma_global_cleanup();
    }
    return code;
}
