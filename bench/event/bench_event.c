/*
 * The event-loop benchmark: one thread driving clients through ma_event.h
 * with a plain epoll loop, against 64 (or 8) threads each blocking in the
 * list API with a client of its own, the documented way to be concurrent
 * without a loop.
 *
 * The driver starts ma-fake-server as its own process (with a latency per
 * request, so that concurrency matters), then runs every variant as a fresh
 * child (this program, exec'd again with --child), so that the CPU time and
 * peak RSS each child reports with getrusage(RUSAGE_SELF) are the client's
 * alone and per variant. Every child checks its results (every request
 * succeeded, every page and walk held the jobs it should) and exits non-zero
 * otherwise; the driver checks the counts again.
 *
 *   bench_event --server PATH [--jobs N] [--latency-ms N] [--rounds N] [--runs N] [--smoke]
 *   bench_event --child MODE ENDPOINT JOBS ROUNDS      (run by the driver)
 */
#define _GNU_SOURCE /* pthread_barrier_t, /proc/self/exe via readlink */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "modelarts/modelarts.h"

#define TOKEN            "bench-token"
#define PROJECT          "bench-project"
#define PAGE_REQUESTS    64  /* concurrent single-page requests per round */
#define PAGE_SIZE        100 /* jobs per single-page request */
#define WALKS            8   /* concurrent walks of the whole data set */
#define WALK_CONCURRENCY 4   /* pages in flight per walk */
#define WALK_PAGE_SIZE   500
#define MAX_LOOP_CLIENTS 4
#define CLIENT_TRANSFERS 16 /* a client's transfers at once (MA__TRANSPORT_MAX_CONCURRENCY; one slot more) */
#define MAX_RUNS         15

/* ---- what a child did ---------------------------------------------------------------------------------- */

typedef struct tally {
    size_t requests; /* requests or walks that succeeded with the right job count */
    size_t failures;
    size_t jobs;
} tally;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first failure's text: the burst probes print it instead of failing. */
static char g_first_error[256];
static int g_quiet;
static pthread_mutex_t g_error_lock = PTHREAD_MUTEX_INITIALIZER; /* the threads variants report too */

static void report_failure(const char *what, ma_status st, const ma_error *err, size_t got, size_t want)
{
    pthread_mutex_lock(&g_error_lock);
    if (!g_first_error[0]) {
        snprintf(g_first_error, sizeof g_first_error, "%s: %s%s%.180s (%zu jobs, %zu expected)", what,
                 ma_status_name(st), err && err->message[0] ? ": " : "", err ? err->message : "", got, want);
        if (!g_quiet)
            fprintf(stderr, "bench_event: %s\n", g_first_error);
    }
    pthread_mutex_unlock(&g_error_lock);
}

static ma_credentials *g_cred;

static ma_client *new_client(const char *endpoint)
{
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.project_id = PROJECT; /* a loop client must not look it up: that would block */
    o.credentials = g_cred;
    ma_client *client = NULL;
    ma_error err;
    if (ma_client_new(&client, &o, &err) != MA_OK) {
        fprintf(stderr, "bench_event: ma_client_new: %s\n", err.message);
        return NULL;
    }
    return client;
}

/* Page k of a round: spread over the data set's full pages, so every answer holds PAGE_SIZE jobs. */
static ma_job_query *page_query(size_t k, long jobs)
{
    long pages = jobs / PAGE_SIZE;
    ma_job_query *q = NULL;
    if (ma_job_query_new(&q, NULL, NULL) != MA_OK || ma_job_query_set_per_page(q, PAGE_SIZE, NULL) != MA_OK ||
        ma_job_query_set_page(q, (int)((long)k % pages) + 1, NULL) != MA_OK) {
        ma_job_query_free(q);
        return NULL;
    }
    return q;
}

static ma_job_query *walk_query(void)
{
    ma_job_query *q = NULL;
    if (ma_job_query_new(&q, NULL, NULL) != MA_OK || ma_job_query_set_per_page(q, WALK_PAGE_SIZE, NULL) != MA_OK) {
        ma_job_query_free(q);
        return NULL;
    }
    return q;
}

/* ---- the epoll loop ------------------------------------------------------------------------------------ */

/* One watched descriptor; freed only after the batch of events that may still name it. */
typedef struct watched {
    int fd;
    ma_client *client;
    int dead;
    struct watched *next_dead;
} watched;

typedef struct loop loop;

typedef struct loop_client {
    loop *owner;
    ma_client *client;
    int64_t timer_at; /* monotonic ms; -1 none */
} loop_client;

struct loop {
    int epfd;
    loop_client clients[MAX_LOOP_CLIENTS];
    size_t count;
    watched *graveyard;
};

static int loop_watch(int fd, int events, void *loop_data, void **fd_data)
{
    loop_client *lc = loop_data;
    watched *w = *fd_data;
    if (events == 0) {
        if (w) {
            /* The descriptor may already be closed: a failed removal is harmless then. */
            (void)epoll_ctl(lc->owner->epfd, EPOLL_CTL_DEL, fd, NULL);
            w->dead = 1;
            w->next_dead = lc->owner->graveyard;
            lc->owner->graveyard = w;
            *fd_data = NULL;
        }
        return 0;
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = ((events & MA_EVENT_READ) ? EPOLLIN : 0u) | ((events & MA_EVENT_WRITE) ? EPOLLOUT : 0u);
    if (w) {
        ev.data.ptr = w;
        return epoll_ctl(lc->owner->epfd, EPOLL_CTL_MOD, fd, &ev) == 0 ? 0 : -1;
    }
    w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->fd = fd;
    w->client = lc->client;
    ev.data.ptr = w;
    if (epoll_ctl(lc->owner->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        free(w);
        return -1;
    }
    *fd_data = w;
    return 0;
}

static int loop_timer(int64_t timeout_ms, void *loop_data)
{
    loop_client *lc = loop_data;
    lc->timer_at = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    return 0;
}

static int loop_open(loop *lp, const char *endpoint, size_t clients)
{
    memset(lp, 0, sizeof *lp);
    lp->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (lp->epfd < 0)
        return -1;
    for (size_t i = 0; i < clients; i++) {
        loop_client *lc = &lp->clients[i];
        lc->owner = lp;
        lc->timer_at = -1;
        lc->client = new_client(endpoint);
        if (!lc->client)
            return -1;
        lp->count++;
        ma_event_hooks hooks = {MA_EVENT_HOOKS_VERSION, loop_watch, loop_timer, lc};
        ma_error err;
        if (ma_client_set_event_hooks(lc->client, &hooks, &err) != MA_OK) {
            fprintf(stderr, "bench_event: ma_client_set_event_hooks: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

static void bury(loop *lp)
{
    while (lp->graveyard) {
        watched *w = lp->graveyard;
        lp->graveyard = w->next_dead;
        free(w);
    }
}

static void loop_close(loop *lp)
{
    for (size_t i = 0; i < lp->count; i++)
        ma_client_free(lp->clients[i].client);
    bury(lp);
    if (lp->epfd >= 0)
        close(lp->epfd);
}

static size_t loop_pending(const loop *lp)
{
    size_t n = 0;
    for (size_t i = 0; i < lp->count; i++)
        n += ma_event_pending(lp->clients[i].client);
    return n;
}

/* Turns the loop until no client has a request left; -1 after two minutes. */
static int loop_run(loop *lp)
{
    int64_t give_up = now_ms() + 120000;
    struct epoll_event evs[64];
    while (loop_pending(lp) > 0) {
        int64_t now = now_ms();
        if (now > give_up)
            return -1;
        int64_t wait = 1000;
        for (size_t i = 0; i < lp->count; i++)
            if (lp->clients[i].timer_at >= 0 && lp->clients[i].timer_at - now < wait)
                wait = lp->clients[i].timer_at > now ? lp->clients[i].timer_at - now : 0;
        int n = epoll_wait(lp->epfd, evs, 64, (int)wait);
        if (n < 0 && errno != EINTR)
            return -1;
        for (int i = 0; i < n; i++) {
            watched *w = evs[i].data.ptr;
            if (w->dead) /* unwatched by an earlier event of this batch */
                continue;
            uint32_t e = evs[i].events;
            int events = ((e & EPOLLIN) ? MA_EVENT_READ : 0) | ((e & EPOLLOUT) ? MA_EVENT_WRITE : 0) |
                         ((e & (EPOLLERR | EPOLLHUP)) ? MA_EVENT_ERROR : 0);
            (void)ma_event_socket_ready(w->client, w->fd, events);
        }
        now = now_ms();
        for (size_t i = 0; i < lp->count; i++)
            if (lp->clients[i].timer_at >= 0 && lp->clients[i].timer_at <= now) {
                lp->clients[i].timer_at = -1;
                (void)ma_event_timer_expired(lp->clients[i].client);
            }
        bury(lp);
    }
    return 0;
}

/* ---- scenario 1: 64 concurrent single pages, R rounds ------------------------------------------------- */

static void on_page(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err, void *user_data)
{
    tally *t = user_data;
    (void)request;
    size_t got = ma_job_list_count(list);
    if (status == MA_OK && got == PAGE_SIZE) {
        t->requests++;
        t->jobs += got;
    } else {
        if (t->failures++ == 0)
            report_failure("page", status, err, got, PAGE_SIZE);
    }
    ma_job_list_free(list);
}

typedef struct walk_state {
    size_t count;
    long expected;
    tally *t;
    struct batch_client *bc; /* on a loop: the client it runs on */
} walk_state;

/*
 * Requests on one loop, at most cap per client at once, the next started from
 * a completion. A client has a pool of CLIENT_TRANSFERS transfers, and a
 * single page started while every one is taken fails at once
 * (MA_ERR_TRANSPORT, "no free transfer slot") instead of waiting; a walk's
 * pages do wait, so walks are all started at once.
 */
typedef struct batch batch;

struct batch_client {
    batch *owner;
    ma_client *client;
    size_t in_flight;
};
typedef struct batch_client batch_client;

struct batch {
    long jobs;
    size_t next, total, offset, cap;
    int start_failed;
    tally *t;
    batch_client clients[MAX_LOOP_CLIENTS];
    walk_state *walks;
    const ma_job_query *walk_q;
    ma_walk_options walk_opts;
};

static void on_batch_page(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                          void *user_data);

static void page_top_up(batch_client *bc)
{
    batch *b = bc->owner;
    while (bc->in_flight < b->cap && b->next < b->total && !b->start_failed) {
        ma_job_query *q = page_query(b->offset + b->next, b->jobs);
        ma_error err;
        if (!q || ma_list_training_jobs_start(bc->client, q, on_batch_page, bc, NULL, &err) != MA_OK)
            b->start_failed = 1;
        else
            bc->in_flight++;
        b->next++;
        ma_job_query_free(q);
    }
}

static void on_batch_page(ma_request *request, ma_status status, ma_job_list *list, const ma_error *err,
                          void *user_data)
{
    batch_client *bc = user_data;
    on_page(request, status, list, err, bc->owner->t);
    bc->in_flight--;
    page_top_up(bc);
}

static void batch_init(batch *b, loop *lp, long jobs, size_t total, size_t cap, tally *t)
{
    memset(b, 0, sizeof *b);
    b->jobs = jobs;
    b->total = total;
    b->cap = cap;
    b->t = t;
    for (size_t i = 0; i < lp->count; i++) {
        b->clients[i].owner = b;
        b->clients[i].client = lp->clients[i].client;
    }
}

static int pages_loop(const char *endpoint, long jobs, int rounds, size_t clients, size_t cap, tally *t, double *work_s)
{
    loop lp;
    batch b;
    int rc = loop_open(&lp, endpoint, clients);
    double t0 = now_s();
    for (int r = 0; r < rounds && rc == 0; r++) {
        batch_init(&b, &lp, jobs, PAGE_REQUESTS, cap, t);
        b.offset = (size_t)r;
        for (size_t i = 0; i < clients; i++)
            page_top_up(&b.clients[i]);
        rc = loop_run(&lp);
        if (b.start_failed)
            rc = -1;
    }
    *work_s = now_s() - t0;
    loop_close(&lp);
    return rc;
}

typedef struct page_thread {
    pthread_t thread;
    const char *endpoint;
    long jobs;
    int rounds;
    size_t index;
    pthread_barrier_t *barrier;
    tally t;
} page_thread;

static void *page_thread_main(void *arg)
{
    page_thread *pt = arg;
    ma_client *client = new_client(pt->endpoint);
    /* Every round starts together, as the loop's 64 starts do. */
    for (int r = 0; r < pt->rounds; r++) {
        pthread_barrier_wait(pt->barrier);
        ma_job_query *q = page_query(pt->index + (size_t)r, pt->jobs);
        ma_job_list *list = NULL;
        ma_error err;
        memset(&err, 0, sizeof err);
        ma_status st = client && q ? ma_list_training_jobs(client, q, &list, &err) : MA_ERR_INVALID_ARG;
        on_page(NULL, st, list, &err, &pt->t);
        ma_job_query_free(q);
        pthread_barrier_wait(pt->barrier);
    }
    ma_client_free(client);
    return NULL;
}

static int pages_threads(const char *endpoint, long jobs, int rounds, tally *t, double *work_s)
{
    static page_thread threads[PAGE_REQUESTS];
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, PAGE_REQUESTS + 1);
    for (size_t i = 0; i < PAGE_REQUESTS; i++) {
        page_thread *pt = &threads[i];
        memset(pt, 0, sizeof *pt);
        pt->endpoint = endpoint;
        pt->jobs = jobs;
        pt->rounds = rounds;
        pt->index = i;
        pt->barrier = &barrier;
        if (pthread_create(&pt->thread, NULL, page_thread_main, pt) != 0)
            return -1; /* the child then exits, which ends the threads waiting at the barrier */
    }
    double t0 = now_s();
    for (int r = 0; r < rounds; r++) {
        pthread_barrier_wait(&barrier);
        if (r == 0)
            t0 = now_s(); /* clients made and threads ready, as for the loop */
        pthread_barrier_wait(&barrier);
    }
    *work_s = now_s() - t0;
    for (size_t i = 0; i < PAGE_REQUESTS; i++) {
        pthread_join(threads[i].thread, NULL);
        t->requests += threads[i].t.requests;
        t->failures += threads[i].t.failures;
        t->jobs += threads[i].t.jobs;
    }
    pthread_barrier_destroy(&barrier);
    return 0;
}

/* ---- scenario 2: 8 concurrent walks of the whole data set ---------------------------------------------- */

static int on_walk_job(ma_request *request, const ma_job *job, void *user_data)
{
    walk_state *w = user_data;
    (void)request;
    (void)job;
    w->count++;
    return 0;
}

static void finish_walk(walk_state *w, ma_status status, const ma_error *err)
{
    if (status == MA_OK && (long)w->count == w->expected) {
        w->t->requests++;
        w->t->jobs += w->count;
    } else if (w->t->failures++ == 0) {
        report_failure("walk", status, err, w->count, (size_t)w->expected);
    }
}

static void on_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    (void)request;
    finish_walk(user_data, status, err);
}

static ma_walk_options walk_options(void)
{
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = WALK_CONCURRENCY;
    return wo;
}

static void on_batch_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data);

static void walk_top_up(batch_client *bc)
{
    batch *b = bc->owner;
    while (bc->in_flight < b->cap && b->next < b->total && !b->start_failed) {
        walk_state *w = &b->walks[b->next++];
        w->bc = bc;
        ma_error err;
        if (ma_walk_training_jobs_start(bc->client, b->walk_q, &b->walk_opts, on_walk_job, on_batch_walk_done, w, NULL,
                                        &err) != MA_OK)
            b->start_failed = 1;
        else
            bc->in_flight++;
    }
}

static void on_batch_walk_done(ma_request *request, ma_status status, const ma_error *err, void *user_data)
{
    walk_state *w = user_data;
    on_walk_done(request, status, err, w);
    w->bc->in_flight--;
    walk_top_up(w->bc);
}

static int walks_loop(const char *endpoint, long jobs, size_t clients, size_t cap, tally *t, double *work_s)
{
    loop lp;
    batch b;
    walk_state walks[WALKS];
    memset(walks, 0, sizeof walks);
    int rc = loop_open(&lp, endpoint, clients);
    ma_job_query *q = walk_query();
    for (size_t k = 0; k < WALKS; k++) {
        walks[k].expected = jobs;
        walks[k].t = t;
    }
    double t0 = now_s();
    if (rc == 0 && q) {
        batch_init(&b, &lp, jobs, WALKS, cap, t);
        b.walks = walks;
        b.walk_q = q;
        b.walk_opts = walk_options();
        for (size_t i = 0; i < clients; i++)
            walk_top_up(&b.clients[i]);
        rc = loop_run(&lp);
        if (b.start_failed)
            rc = -1;
    } else {
        rc = -1;
    }
    *work_s = now_s() - t0;
    ma_job_query_free(q);
    loop_close(&lp);
    return rc;
}

typedef struct walk_thread {
    pthread_t thread;
    const char *endpoint;
    pthread_barrier_t *barrier;
    walk_state w;
    tally t;
} walk_thread;

static void *walk_thread_main(void *arg)
{
    walk_thread *wt = arg;
    ma_client *client = new_client(wt->endpoint);
    ma_job_query *q = walk_query();
    ma_walk_options wo = walk_options();
    ma_job_iter *it = NULL;
    ma_error err;
    memset(&err, 0, sizeof err);
    pthread_barrier_wait(wt->barrier);
    ma_status st = client && q ? ma_job_iter_new(&it, client, q, &wo, &err) : MA_ERR_INVALID_ARG;
    const ma_job *job = NULL;
    while (st == MA_OK && (st = ma_job_iter_next(it, &job, &err)) == MA_OK && job)
        on_walk_job(NULL, job, &wt->w);
    finish_walk(&wt->w, st, &err);
    pthread_barrier_wait(wt->barrier);
    ma_job_iter_free(it);
    ma_job_query_free(q);
    ma_client_free(client);
    return NULL;
}

static int walks_threads(const char *endpoint, long jobs, tally *t, double *work_s)
{
    static walk_thread threads[WALKS];
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, WALKS + 1);
    for (size_t i = 0; i < WALKS; i++) {
        walk_thread *wt = &threads[i];
        memset(wt, 0, sizeof *wt);
        wt->endpoint = endpoint;
        wt->barrier = &barrier;
        wt->w.expected = jobs;
        wt->w.t = &wt->t;
        if (pthread_create(&wt->thread, NULL, walk_thread_main, wt) != 0)
            return -1;
    }
    pthread_barrier_wait(&barrier);
    double t0 = now_s();
    pthread_barrier_wait(&barrier);
    *work_s = now_s() - t0;
    for (size_t i = 0; i < WALKS; i++) {
        pthread_join(threads[i].thread, NULL);
        t->requests += threads[i].t.requests;
        t->failures += threads[i].t.failures;
        t->jobs += threads[i].t.jobs;
    }
    pthread_barrier_destroy(&barrier);
    return 0;
}

static int process_floor(const char *endpoint, double *work_s)
{
    double t0 = now_s();
    ma_client *client = new_client(endpoint);
    ma_client_free(client);
    *work_s = now_s() - t0;
    return client ? 0 : -1;
}

/* ---- a child: one variant, its own figures ------------------------------------------------------------- */

static int run_child(const char *mode, const char *endpoint, long jobs, int rounds)
{
    tally t = {0, 0, 0};
    double work_s = 0;
    int rc = -1;
    size_t want_requests = 0;
    long want_jobs_each = 0;
    if (ma_global_init() != MA_OK || ma_credentials_new_token(&g_cred, TOKEN, NULL, NULL) != MA_OK)
        return 1;
    if (strncmp(mode, "page-", 5) == 0) {
        want_requests = (size_t)PAGE_REQUESTS * (size_t)rounds;
        want_jobs_each = PAGE_SIZE;
    } else {
        want_requests = WALKS;
        want_jobs_each = jobs;
    }
    /* A burst starts every request at once on one client, over its pool: a probe, never a failure. */
    int burst = strstr(mode, "burst") != NULL;
    g_quiet = burst;
    if (strcmp(mode, "page-loop1") == 0)
        rc = pages_loop(endpoint, jobs, rounds, 1, CLIENT_TRANSFERS, &t, &work_s);
    else if (strcmp(mode, "page-loop4") == 0)
        rc = pages_loop(endpoint, jobs, rounds, 4, CLIENT_TRANSFERS, &t, &work_s);
    else if (strcmp(mode, "page-burst1") == 0)
        rc = pages_loop(endpoint, jobs, 1, 1, PAGE_REQUESTS, &t, &work_s);
    else if (strcmp(mode, "floor") == 0) /* libraries loaded, one client made and freed, no request */
        rc = process_floor(endpoint, &work_s);
    else if (strcmp(mode, "page-threads") == 0)
        rc = pages_threads(endpoint, jobs, rounds, &t, &work_s);
    else if (strcmp(mode, "walk-loop1") == 0) /* every walk at once: a walk's pages wait for free transfers */
        rc = walks_loop(endpoint, jobs, 1, WALKS, &t, &work_s);
    else if (strcmp(mode, "walk-loop4") == 0)
        rc = walks_loop(endpoint, jobs, 4, WALKS / 4, &t, &work_s); /* two walks per client */
    else if (strcmp(mode, "walk-threads") == 0)
        rc = walks_threads(endpoint, jobs, &t, &work_s);
    else
        fprintf(stderr, "bench_event: unknown mode %s\n", mode);
    ma_credentials_free(g_cred);
    ma_global_cleanup();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    printf("requests=%zu failures=%zu jobs=%zu work_ms=%.3f cpu_ms=%.3f rss_kib=%ld first_error=%s\n", t.requests,
           t.failures, t.jobs, work_s * 1e3, cpu * 1e3, ru.ru_maxrss, g_first_error[0] ? g_first_error : "none");
    if (burst && strncmp(mode, "page-", 5) == 0)
        want_requests = PAGE_REQUESTS;
    if (strcmp(mode, "floor") == 0)
        want_requests = 0;
    int valid =
        rc == 0 && t.failures == 0 && t.requests == want_requests && t.jobs == want_requests * (size_t)want_jobs_each;
    if (burst) /* every request must have ended, one way or the other */
        valid = rc == 0 && t.requests + t.failures == want_requests && t.jobs == t.requests * (size_t)want_jobs_each;
    if (!valid)
        fprintf(stderr, "bench_event: %s: %zu of %zu requests right, %zu failed, %zu jobs\n", mode, t.requests,
                want_requests, t.failures, t.jobs);
    return valid ? 0 : 1;
}

/* ---- the driver ---------------------------------------------------------------------------------------- */

typedef struct variant {
    const char *mode;
    const char *label;
    double work[MAX_RUNS], process[MAX_RUNS], cpu[MAX_RUNS], rss[MAX_RUNS];
} variant;

typedef struct config {
    const char *server;
    char self[4096];
    long jobs, latency_ms;
    int rounds, runs;
} config;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
    double s[MAX_RUNS];
    memcpy(s, v, sizeof(double) * (size_t)n);
    qsort(s, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static pid_t start_server(const config *c, char *endpoint, size_t size)
{
    char port_file[] = "/tmp/ma-bench-event-port-XXXXXX";
    int fd = mkstemp(port_file);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(port_file);
    char jobs_s[32], latency_s[32];
    snprintf(jobs_s, sizeof jobs_s, "%ld", c->jobs);
    snprintf(latency_s, sizeof latency_s, "%ld", c->latency_ms);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *quiet = freopen("/dev/null", "w", stdout); /* its banner; the port comes from the file */
        (void)quiet;
        execl(c->server, c->server, "--port", "0", "--port-file", port_file, "--token", TOKEN, "--project-id", PROJECT,
              "--jobs", jobs_s, "--latency-ms", latency_s, "--realistic", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 1200; i++) {
        FILE *f = fopen(port_file, "r");
        int port = 0;
        if (f && fscanf(f, "%d", &port) == 1 && port > 0) {
            fclose(f);
            unlink(port_file);
            snprintf(endpoint, size, "http://127.0.0.1:%d", port);
            return pid;
        }
        if (f)
            fclose(f);
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Runs @p mode in a fresh process; fills what it printed and the seconds from fork to exit. */
static int spawn_child(const config *c, const char *mode, const char *endpoint, char *out, size_t size,
                       double *process_s)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    char jobs_s[32], rounds_s[32];
    snprintf(jobs_s, sizeof jobs_s, "%ld", c->jobs);
    snprintf(rounds_s, sizeof rounds_s, "%d", c->rounds);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        execl(c->self, c->self, "--child", mode, endpoint, jobs_s, rounds_s, (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(pipefd[0]);
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_event: %s failed: %s", mode, out);
        return -1;
    }
    *process_s = now_s() - t0;
    return 0;
}

/* Runs one variant in a fresh process and reads back what it measured. */
static int run_variant(const config *c, variant *v, int run, const char *endpoint)
{
    char out[1024];
    if (spawn_child(c, v->mode, endpoint, out, sizeof out, &v->process[run]) != 0)
        return -1;
    size_t requests = 0, failures = 0, jobs = 0;
    double work_ms = 0, cpu_ms = 0;
    long rss_kib = 0;
    if (sscanf(out, "requests=%zu failures=%zu jobs=%zu work_ms=%lf cpu_ms=%lf rss_kib=%ld", &requests, &failures,
               &jobs, &work_ms, &cpu_ms, &rss_kib) != 6) {
        fprintf(stderr, "bench_event: %s printed: %s", v->label, out);
        return -1;
    }
    /* The child checked itself; the driver checks the counts once more. */
    int pages = strncmp(v->mode, "page-", 5) == 0;
    size_t want_requests = pages ? (size_t)PAGE_REQUESTS * (size_t)c->rounds : WALKS;
    if (strcmp(v->mode, "floor") == 0)
        want_requests = 0;
    size_t want_jobs = want_requests * (pages ? (size_t)PAGE_SIZE : (size_t)c->jobs);
    if (failures != 0 || requests != want_requests || jobs != want_jobs) {
        fprintf(stderr, "bench_event: %s: %zu requests (%zu wanted), %zu jobs (%zu wanted), %zu failures\n", v->label,
                requests, want_requests, jobs, want_jobs, failures);
        return -1;
    }
    v->work[run] = work_ms / 1e3;
    v->cpu[run] = cpu_ms / 1e3;
    v->rss[run] = (double)rss_kib / 1024.0;
    return 0;
}

static void print_scenario(const char *title, variant *v, size_t count, int runs)
{
    const variant *threads = &v[count - 1]; /* the blocking threads run last: the ratios' reference */
    double tw = median(threads->work, runs), tc = median(threads->cpu, runs), tr = median(threads->rss, runs);
    printf("\n%s\n", title);
    printf("%-34s %9s %10s %9s %9s %11s %10s %10s\n", "variant", "work ms", "process ms", "cpu ms", "rss MiB",
           "wall/thr", "cpu/thr", "rss/thr");
    for (size_t i = 0; i < count; i++) {
        double w = median(v[i].work, runs), p = median(v[i].process, runs), c = median(v[i].cpu, runs);
        double r = median(v[i].rss, runs);
        printf("%-34s %9.1f %10.1f %9.1f %9.1f %10.2fx %9.2fx %9.2fx\n", v[i].label, w * 1e3, p * 1e3, c * 1e3, r,
               w / tw, c / tc, r / tr);
    }
}

static int drive(const config *c)
{
    char endpoint[128];
    pid_t server = start_server(c, endpoint, sizeof endpoint);
    if (server < 0) {
        fprintf(stderr, "bench_event: the fake server did not start\n");
        return 1;
    }
    variant pages[] = {
        {"page-loop1", "(a) 1 thread, epoll, 1 client", {0}, {0}, {0}, {0}},
        {"page-loop4", "(c) 1 thread, epoll, 4 clients", {0}, {0}, {0}, {0}},
        {"page-threads", "(b) 64 threads, blocking, 64 clients", {0}, {0}, {0}, {0}},
    };
    variant walks[] = {
        {"walk-loop1", "(a) 1 thread, epoll, 1 client", {0}, {0}, {0}, {0}},
        {"walk-loop4", "(c) 1 thread, epoll, 4 clients", {0}, {0}, {0}, {0}},
        {"walk-threads", "(b) 8 threads, blocking, 8 clients", {0}, {0}, {0}, {0}},
    };
    /* What one client does with more single pages at once than its pool holds. */
    char probe[1024];
    double probe_s = 0;
    int rc = spawn_child(c, "page-burst1", endpoint, probe, sizeof probe, &probe_s);
    variant floor = {"floor", "process floor", {0}, {0}, {0}, {0}};
    /* Interleaved, so a change in the machine's load falls on every variant alike. */
    for (int r = 0; r < c->runs && rc == 0; r++) {
        for (size_t i = 0; i < 3 && rc == 0; i++)
            rc = run_variant(c, &pages[i], r, endpoint);
        for (size_t i = 0; i < 3 && rc == 0; i++)
            rc = run_variant(c, &walks[i], r, endpoint);
        if (rc == 0)
            rc = run_variant(c, &floor, r, endpoint);
    }
    kill(server, SIGTERM);
    struct rusage server_ru;
    memset(&server_ru, 0, sizeof server_ru);
    wait4(server, NULL, 0, &server_ru);
    if (rc != 0)
        return 1;
    printf("fake server: own process, %ld jobs, %ld ms latency per request; median of %d interleaved runs\n", c->jobs,
           c->latency_ms, c->runs);
    printf("work ms: the requests only (clients made, threads started); process ms: fork to exit;\n"
           "cpu ms and rss: getrusage(RUSAGE_SELF) of the client process; x/thr: this variant over the threads'\n");
    printf("\nOne client, %d single pages started at once (its pool: %d transfers and a spare slot):\n  %s",
           PAGE_REQUESTS, CLIENT_TRANSFERS, probe);
    printf("So in 1. (a) the loop keeps at most %d pages in flight on its one client and starts the next from a\n"
           "completion callback. The walks in 2. (a) and (c) all start at once: their pages wait for free transfers.\n",
           CLIENT_TRANSFERS);
    char title[256];
    snprintf(title, sizeof title, "1. %d concurrent single-page requests (%d jobs each), %d rounds", PAGE_REQUESTS,
             PAGE_SIZE, c->rounds);
    print_scenario(title, pages, 3, c->runs);
    snprintf(title, sizeof title, "2. %d concurrent walks of all %ld jobs (%d per page, concurrency %d each)", WALKS,
             c->jobs, WALK_PAGE_SIZE, WALK_CONCURRENCY);
    print_scenario(title, walks, 3, c->runs);
    double server_cpu = (double)server_ru.ru_utime.tv_sec + (double)server_ru.ru_utime.tv_usec / 1e6 +
                        (double)server_ru.ru_stime.tv_sec + (double)server_ru.ru_stime.tv_usec / 1e6;
    printf("\nprocess floor (libraries loaded, one client made and freed, no request): cpu %.1f ms, rss %.1f MiB\n",
           median(floor.cpu, c->runs) * 1e3, median(floor.rss, c->runs));
    printf("fake server CPU over the whole run (not in any figure above): %.1f ms\n", server_cpu * 1e3);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--child") == 0)
        return run_child(argv[2], argv[3], atol(argv[4]), atoi(argv[5]));
    config c;
    memset(&c, 0, sizeof c);
    c.jobs = 20000;
    c.latency_ms = 20;
    c.rounds = 20;
    c.runs = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--smoke") == 0) {
            c.jobs = 2000;
            c.rounds = 2;
            c.runs = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "bench_event: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--server") == 0)
            c.server = v;
        else if (strcmp(a, "--jobs") == 0)
            c.jobs = atol(v);
        else if (strcmp(a, "--latency-ms") == 0)
            c.latency_ms = atol(v);
        else if (strcmp(a, "--rounds") == 0)
            c.rounds = atoi(v);
        else if (strcmp(a, "--runs") == 0)
            c.runs = atoi(v);
        else {
            fprintf(stderr, "bench_event: unknown option %s\n", a);
            return 2;
        }
    }
    ssize_t n = readlink("/proc/self/exe", c.self, sizeof c.self - 1);
    if (!c.server || n <= 0 || c.jobs < PAGE_SIZE || c.latency_ms < 0 || c.rounds < 1 || c.runs < 1 ||
        c.runs > MAX_RUNS) {
        fprintf(stderr,
                "usage: bench_event --server ma-fake-server [--jobs N>=%d] [--latency-ms N] [--rounds N] "
                "[--runs 1..%d] [--smoke]\n",
                PAGE_SIZE, MAX_RUNS);
        return 2;
    }
    c.self[n] = '\0';
    return drive(&c);
}
