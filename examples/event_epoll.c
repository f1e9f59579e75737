/*
 * event_epoll: lists every training job from the epoll loop of modelarts/adapters/ma_epoll.h,
 * while a timer of the program's own, run by the same loop, keeps ticking every 10 ms.
 *
 *   MODELARTS_ENDPOINT    e.g. https://modelarts.eu-de.otc.t-systems.com
 *   MODELARTS_PROJECT_ID  the project id
 *   MODELARTS_TOKEN       a project-scoped IAM token
 *
 * Optional argument: the page size (default 100). Prints one job per line (as list_jobs does),
 * then "listed N job(s)"; the tick count goes to stderr. Exit status: 0 ok, 1 a call failed.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, for ma_epoll.h */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <modelarts/modelarts.h>
#include <modelarts/adapters/ma_epoll.h>

#include "job_line.h"

static int report(const char *what, ma_status st, const ma_error *err)
{
    return job_line_report("event_epoll", what, st, err);
}

typedef struct listing {
    unsigned long ticks;
    size_t jobs;
    int finished;
    ma_status status;
    ma_error err;
} listing;

/* Runs on the loop thread, from inside the adapter's callbacks: it only prints and counts. */
static int on_job(ma_request *request, const ma_job *job, void *user_data)
{
    (void)request;
    listing *l = user_data;
    job_line_print(job);
    l->jobs++;
    return 0;
}

static void on_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    (void)request;
    listing *l = user_data;
    l->finished = 1;
    l->status = status;
    l->err = *err;
}

int main(int argc, char **argv)
{
    const char *endpoint = getenv("MODELARTS_ENDPOINT");
    const char *project_id = getenv("MODELARTS_PROJECT_ID");
    const char *token = getenv("MODELARTS_TOKEN");
    if (!endpoint || !project_id || !token) {
        fprintf(stderr, "event_epoll: set MODELARTS_ENDPOINT, MODELARTS_PROJECT_ID and MODELARTS_TOKEN\n");
        return 2;
    }
    char *end = NULL;
    long per_page = argc > 1 ? strtol(argv[1], &end, 10) : 100;
    if (argc > 1 && (*end != '\0' || per_page < 1 || per_page > 1000)) {
        fprintf(stderr, "event_epoll: the page size is 1..1000\n");
        return 2;
    }
    ma_error err;
    ma_error_clear(&err);
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_query *query = NULL;
    ma_epoll_loop *loop = NULL;
    listing l = {0};
    int rc = 1;
    ma_status st = ma_global_init();
    if (st != MA_OK)
        return report("init", st, &err);
    ma_client_options opts;
    if ((st = ma_client_options_init(&opts, MA_CLIENT_OPTIONS_VERSION)) != MA_OK ||
        (st = ma_credentials_new_token(&cred, token, NULL, &err)) != MA_OK) {
        report("credentials", st, &err);
        goto done;
    }
    opts.endpoint = endpoint;
    opts.project_id = project_id;
    opts.credentials = cred;
    opts.user_agent_suffix = "event_epoll-example";
    if ((st = ma_client_new(&client, &opts, &err)) != MA_OK) {
        report("client", st, &err);
        goto done;
    }
    /* Before the client's first request: from now on its requests run on this loop. */
    if ((st = ma_epoll_attach(&loop, client, &err)) != MA_OK) {
        report("attach", st, &err);
        goto done;
    }
    if ((st = ma_job_query_new(&query, NULL, &err)) != MA_OK ||
        (st = ma_job_query_set_per_page(query, (int)per_page, &err)) != MA_OK) {
        report("query", st, &err);
        goto done;
    }
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 4;
    if ((st = ma_walk_training_jobs_start(client, query, &wo, on_job, on_done, &l, NULL, &err)) != MA_OK) {
        report("walk", st, &err);
        goto done;
    }
    /* ma_epoll_run() would do without the ticker; with it, each turn waits at most until the next tick. */
    int64_t next_tick = ma_epoll_now_ms() + 10;
    while (ma_event_pending(client) > 0) {
        int64_t wait_ms = next_tick - ma_epoll_now_ms();
        if ((st = ma_epoll_run_once(loop, wait_ms > 0 ? (int)wait_ms : 0)) != MA_OK) {
            report("epoll_wait", st, &err);
            goto done;
        }
        if (ma_epoll_now_ms() >= next_tick) {
            l.ticks++;
            next_tick += 10;
        }
    }
    if (!l.finished) {
        fprintf(stderr, "event_epoll: the loop stopped before the walk ended\n");
        goto done;
    }
    if (l.status != MA_OK) {
        report("walk", l.status, &l.err);
        goto done;
    }
    printf("listed %zu job(s)\n", l.jobs);
    rc = 0;
done:
    fprintf(stderr, "ticks: %lu\n", l.ticks);
    ma_job_query_free(query);
    ma_client_free(client);
    ma_credentials_free(cred);
    /* The loop outlives the client. */
    ma_epoll_free(loop);
    ma_global_cleanup();
    return rc;
}
