/*
 * errors_retries: what a failed call tells its caller, and the knobs around it.
 *
 *   errors_retries ENDPOINT UNREACHABLE_ENDPOINT
 *
 * ENDPOINT is a service that answers slowly (the fake server with --latency-ms 300 in CI),
 * UNREACHABLE_ENDPOINT one that refuses connections. MODELARTS_PROJECT_ID and MODELARTS_TOKEN
 * come from the environment. Each case prints one line:
 *
 *   <case>: <status name> http=<n> retries=<n> later=<yes|no> message=<text>
 *
 * Exit status: 0 when every case ran, 1 when a client could not be set up, 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>

#include <modelarts/modelarts.h>

/* The log callback counts retries: the engine logs one MA_LOG_WARN line before each. */
static void count_retries(ma_log_level level, const char *message, void *user_data)
{
    (void)message;
    if (level == MA_LOG_WARN)
        (*(int *)user_data)++;
}

/* A cancel hook that stops at once; a real one would read a flag set by a signal handler or UI. */
static int stop_now(void *user_data)
{
    (void)user_data;
    return 1;
}

/*
 * Whether trying the same call again later, after the library's own retries, can help.
 * Authentication, arguments and protocol errors will not fix themselves.
 */
static int worth_trying_later(ma_status st)
{
    switch (st) {
    case MA_ERR_TRANSPORT:
    case MA_ERR_TIMEOUT:
    case MA_ERR_RATE_LIMITED:
    case MA_ERR_SERVER:
        return 1;
    default:
        return 0;
    }
}

typedef struct example_case {
    const char *name;
    const char *endpoint;
    const char *token;
    long total_timeout_ms;
    ma_cancel_fn cancel;
} example_case;

static int run_case(const example_case *c, const char *project_id)
{
    ma_error err;
    ma_error_clear(&err);
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_list *jobs = NULL;
    int retries = 0;
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    opts.endpoint = c->endpoint;
    opts.project_id = project_id;
    /* Retry policy: 3 attempts in all, short waits so the example stays quick. */
    ma_retry_policy retry = MA_RETRY_POLICY_INIT;
    retry.max_attempts = 3;
    retry.base_delay_ms = 10;
    retry.max_delay_ms = 50;
    opts.retry = &retry;                         /* read during ma_client_new() only */
    opts.total_timeout_ms = c->total_timeout_ms; /* 0: no deadline beyond timeout_ms per attempt */
    opts.cancel = c->cancel;
    opts.log = count_retries;
    opts.log_user_data = &retries;
    opts.log_level = MA_LOG_WARN;
    if (ma_credentials_new_token(&cred, c->token, NULL, &err) != MA_OK) {
        fprintf(stderr, "%s: credentials: %s\n", c->name, err.message);
        return 1;
    }
    opts.credentials = cred;
    if (ma_client_new(&client, &opts, &err) != MA_OK) {
        fprintf(stderr, "%s: client: %s\n", c->name, err.message);
        ma_credentials_free(cred);
        return 1;
    }
    ma_status st = ma_list_training_jobs(client, NULL, &jobs, &err);
    /* err.status is always the returned status; every field is filled even when no response came. */
    printf("%s: %s http=%d retries=%d later=%s message=%s", c->name, ma_status_name(st), err.http_status, retries,
           worth_trying_later(st) ? "yes" : "no", st == MA_OK ? "-" : err.message);
    if (err.service_code[0])
        printf(" service_code=%s", err.service_code);
    if (err.request_id[0])
        printf(" request_id=%s", err.request_id);
    if (err.retry_after_ms >= 0)
        printf(" retry_after_ms=%lld", (long long)err.retry_after_ms);
    putchar('\n');
    ma_job_list_free(jobs);
    ma_client_free(client);
    ma_credentials_free(cred);
    return 0;
}

int main(int argc, char **argv)
{
    const char *project_id = getenv("MODELARTS_PROJECT_ID");
    const char *token = getenv("MODELARTS_TOKEN");
    if (argc != 3 || !project_id || !token) {
        fprintf(stderr, "usage: errors_retries ENDPOINT UNREACHABLE_ENDPOINT (with MODELARTS_PROJECT_ID, "
                        "MODELARTS_TOKEN)\n");
        return 2;
    }
    const example_case cases[] = {
        {"ok", argv[1], token, 0, NULL},
        /* 401 is never retried: repeating rejected credentials can lock them. */
        {"wrong_token", argv[1], "not-the-right-token", 0, NULL},
        /* Connection refused is retried, then reported with "(attempt 3 of 3)". */
        {"unreachable", argv[2], token, 0, NULL},
        /* The whole call, retries and waits included, must end within 100 ms. */
        {"deadline", argv[1], token, 100, NULL},
        {"cancelled", argv[1], token, 0, stop_now},
    };
    if (ma_global_init() != MA_OK)
        return 1;
    int rc = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] && rc == 0; i++)
        rc = run_case(&cases[i], project_id);
    ma_global_cleanup();
    return rc;
}
