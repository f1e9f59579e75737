/*
 * logging: the library's log, delivered to a callback of the program's own.
 *
 *   logging LEVEL        LEVEL: debug, info, warn or error
 *
 * Endpoint, project id and credentials come from the environment. Lists one page and
 * one page that does not exist (a project id the server does not know gives a failure to
 * log), printing every message at LEVEL or above as "[LEVEL] message". Credentials never
 * appear: X-Auth-Token and the other secret headers show as ***.
 * Exit status: 0 ok, 1 the first call failed, 2 bad usage.
 */
#include <stdio.h>
#include <string.h>

#include <modelarts/modelarts.h>

static const char *const level_names[] = {"debug", "info", "warn", "error"};

/* Called on the thread that makes the call, once per message, without a trailing newline. */
static void print_log(ma_log_level level, const char *message, void *user_data)
{
    FILE *out = user_data;
    fprintf(out, "[%s] %s\n", level_names[level - MA_LOG_DEBUG], message);
}

static int parse_level(const char *text, int32_t *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(text, level_names[i]) == 0) {
            *out = MA_LOG_DEBUG + i;
            return 0;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    int32_t level = MA_LOG_INFO;
    if (argc != 2 || parse_level(argv[1], &level) != 0) {
        fprintf(stderr, "usage: logging debug|info|warn|error\n");
        return 2;
    }
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_error_clear(&err);
    ma_env_settings *env = NULL;
    ma_client *client = NULL, *wrong = NULL;
    ma_job_list *jobs = NULL;
    int rc = 1;
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    if (ma_client_options_from_env(&opts, NULL, &env, &err) != MA_OK)
        goto done;
    opts.log = print_log;
    opts.log_user_data = stdout;
    opts.log_level = level; /* the least severity delivered */
    static const ma_retry_policy no_retries = {MA_RETRY_POLICY_VERSION, 1, 0, 0};
    opts.retry = &no_retries;
    if (ma_client_new(&client, &opts, &err) != MA_OK)
        goto done;
    if (ma_list_training_jobs(client, NULL, &jobs, &err) != MA_OK)
        goto done;
    printf("listed %zu job(s)\n", ma_job_list_count(jobs));
    rc = 0;

    /* A call that fails for good is logged at MA_LOG_ERROR with its (redacted) message. */
    opts.project_id = "no-such-project";
    if (ma_client_new(&wrong, &opts, &err) == MA_OK) {
        ma_job_list *none = NULL;
        ma_status st = ma_list_training_jobs(wrong, NULL, &none, &err);
        printf("second call: %s\n", ma_status_name(st));
        ma_job_list_free(none);
    }
done:
    if (rc != 0)
        fprintf(stderr, "logging: %s: %s\n", ma_status_name(err.status), err.message);
    ma_job_list_free(jobs);
    ma_client_free(wrong);
    ma_client_free(client);
    ma_env_settings_free(env);
    ma_global_cleanup();
    return rc;
}
