/*
 * event_daemon: a libuv daemon that lists the failed training jobs (JOBSTAT_FAILED) every 30 s
 * and prints them, until SIGINT or SIGTERM stops it cleanly.
 *
 *   event_daemon [INTERVAL_MS [ROUNDS]]
 *
 * INTERVAL_MS (default 30000) is the time between rounds; ROUNDS (default 0, no limit) stops it
 * after that many. Endpoint, project id and credentials come from the environment
 * (ma_client_options_from_env). Each round prints "round N: K failed job(s)" and one line per
 * job; a failed round is reported on stderr and the next one runs as planned. On a signal the
 * round in flight is cancelled and the loop winds down. Exit status: 0 after a clean stop,
 * 1 when it could not start, 2 bad usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <uv.h>

#include <modelarts/modelarts.h>
#include <modelarts/adapters/ma_libuv.h>

typedef struct daemon_state {
    ma_client *client;
    ma_job_query *failed;  /* the query of every round */
    ma_request *in_flight; /* the round running, NULL between rounds */
    uv_timer_t every;
    uv_signal_t sigint, sigterm;
    unsigned long round, rounds; /* rounds: 0 = until a signal */
} daemon_state;

static void stop(daemon_state *d)
{
    /* Once the timer and the signal watchers are closed, only the round in flight (if any) keeps uv_run() going. */
    uv_close((uv_handle_t *)&d->every, NULL);
    uv_close((uv_handle_t *)&d->sigint, NULL);
    uv_close((uv_handle_t *)&d->sigterm, NULL);
}

static void on_list(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err, void *user_data)
{
    (void)request;
    daemon_state *d = user_data;
    d->in_flight = NULL;
    if (status == MA_OK) {
        printf("round %lu: %zu failed job(s)\n", d->round, ma_job_list_count(list));
        for (size_t i = 0; i < ma_job_list_count(list); i++) {
            const ma_job *job = ma_job_list_at(list, i);
            printf("  %lld %s %s\n", (long long)job->job_id, ma_job_status_name(job->status), job->job_name);
        }
        fflush(stdout);
    } else if (status != MA_ERR_CANCELLED) {
        fprintf(stderr, "event_daemon: round %lu: %s: %s\n", d->round, ma_status_name(status), err->message);
    }
    ma_job_list_free(list);
    if (d->rounds && d->round == d->rounds && !uv_is_closing((uv_handle_t *)&d->every))
        stop(d);
}

static void on_timer(uv_timer_t *timer)
{
    daemon_state *d = timer->data;
    if (d->in_flight)
        return; /* the last round is still running: skip this one */
    d->round++;
    ma_error err;
    ma_status st = ma_list_all_training_jobs_start(d->client, d->failed, NULL, on_list, d, &d->in_flight, &err);
    if (st != MA_OK)
        fprintf(stderr, "event_daemon: round %lu: %s: %s\n", d->round, ma_status_name(st), err.message);
    /* The last round: on_list() stops the daemon when it ends, or here if it did not start. */
    if (d->rounds && d->round == d->rounds) {
        uv_timer_stop(timer);
        if (!d->in_flight)
            stop(d);
    }
}

static void on_signal(uv_signal_t *handle, int signum)
{
    daemon_state *d = handle->data;
    fprintf(stderr, "event_daemon: signal %d, stopping\n", signum);
    /* The completion runs (MA_ERR_CANCELLED) before ma_request_cancel() returns. */
    ma_request_cancel(d->in_flight);
    if (!uv_is_closing((uv_handle_t *)&d->every))
        stop(d);
}

static int parse_count(const char *text, unsigned long *out)
{
    char *end = NULL;
    unsigned long v = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    daemon_state d = {0};
    unsigned long interval_ms = 30000;
    if (argc > 3 || (argc > 1 && (parse_count(argv[1], &interval_ms) != 0 || interval_ms == 0)) ||
        (argc > 2 && parse_count(argv[2], &d.rounds) != 0)) {
        fprintf(stderr, "usage: event_daemon [INTERVAL_MS [ROUNDS]]\n");
        return 2;
    }
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_error_clear(&err);
    ma_env_settings *env = NULL;
    ma_libuv *adapter = NULL;
    int rc = 1;
    uv_loop_t loop;
    uv_loop_init(&loop);
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    if (ma_client_options_from_env(&opts, NULL, &env, &err) != MA_OK ||
        ma_client_new(&d.client, &opts, &err) != MA_OK || ma_libuv_attach(&adapter, d.client, &loop, &err) != MA_OK ||
        ma_job_query_new(&d.failed, NULL, &err) != MA_OK ||
        ma_job_query_set_status(d.failed, MA_JOB_STATUS_FAILED, &err) != MA_OK) {
        fprintf(stderr, "event_daemon: %s: %s\n", ma_status_name(err.status), err.message);
        goto done;
    }
    uv_timer_init(&loop, &d.every);
    uv_signal_init(&loop, &d.sigint);
    uv_signal_init(&loop, &d.sigterm);
    d.every.data = d.sigint.data = d.sigterm.data = &d;
    uv_signal_start(&d.sigint, on_signal, SIGINT);
    uv_signal_start(&d.sigterm, on_signal, SIGTERM);
    uv_timer_start(&d.every, on_timer, 0, interval_ms); /* the first round at once */
    uv_run(&loop, UV_RUN_DEFAULT);
    rc = 0;
done:
    ma_job_query_free(d.failed);
    ma_client_free(d.client);
    ma_env_settings_free(env);
    ma_libuv_free(adapter);        /* after the client, whose sockets it watched */
    uv_run(&loop, UV_RUN_DEFAULT); /* finishes closing the adapter's handles */
    uv_loop_close(&loop);
    ma_global_cleanup();
    return rc;
}
