/*
 * Advancing jobs of the fake service (see fake_progress.h). The pace is
 * counted in listings by default, so a test sees the same sequence of
 * statuses however fast or slow the machine is.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STEPS_MAX           4
#define ADVANCING_CREATED   INT64_C(1764720000000) /* 2025-12-03T00:00:00Z */
#define ADVANCING_WORKSPACE FAKE_DEFAULT_WORKSPACE

/* One advancing job: the statuses it goes through, the last one for good. */
typedef struct advancing_script {
    int64_t job_id;
    const char *job_name;
    int steps[STEPS_MAX];
    size_t step_count;
} advancing_script;

/* Status values as in the service's status table. */
enum { INIT = 1, IMAGE_CREATING = 2, IMAGE_FAILED = 3, WAITING = 7, RUNNING = 8, KILLING = 9 };
enum { COMPLETED = 10, FAILED = 11, KILLED = 12, CANCELED = 13 };
/* Not a status: the step at which a job is deleted and leaves every list. */
enum { DELETED = -1 };
/* Where a deleted job goes: a workspace no client names, so no list shows it. */
#define DELETED_WORKSPACE "deleted-jobs"

static const advancing_script SCRIPTS[] = {
    {INT64_C(7100000001), "wait-completes", {INIT, WAITING, RUNNING, COMPLETED}, 4},
    {INT64_C(7100000002), "wait-fails", {WAITING, RUNNING, FAILED}, 3},
    {INT64_C(7100000003), "wait-image-fails", {INIT, IMAGE_CREATING, IMAGE_FAILED}, 3},
    {INT64_C(7100000004), "wait-stopped", {RUNNING, KILLING, KILLED}, 3},
    {INT64_C(7100000005), "wait-cancelled", {WAITING, CANCELED}, 2},
    {INT64_C(7100000006), "wait-forever", {WAITING, RUNNING}, 2},
    /* The same name twice: waiting by this name is ambiguous. */
    {INT64_C(7100000007), "wait-twin", {RUNNING}, 1},
    {INT64_C(7100000008), "wait-twin", {RUNNING}, 1},
    {INT64_C(7100000009), "wait-vanishes", {WAITING, RUNNING, DELETED}, 3},
};
#define SCRIPT_COUNT (sizeof SCRIPTS / sizeof SCRIPTS[0])

struct fake_progress {
    pthread_mutex_t lock;
    fake_dataset all; /* the data set's jobs, then the advancing ones (owned array, borrowed strings) */
    size_t first;     /* index of the first advancing job in all.jobs */
    unsigned int listings[SCRIPT_COUNT];
    unsigned int every;
    unsigned int pace_ms;
    struct timespec started;
    const fake_job **sel;
};

fake_progress *fake_progress_new(const fake_server_options *opts, const fake_dataset *ds)
{
    fake_progress *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return NULL;
    }
    size_t n = ds->count + SCRIPT_COUNT;
    p->all.jobs = malloc(n * sizeof *p->all.jobs);
    p->sel = malloc(n * sizeof *p->sel);
    if (p->all.jobs == NULL || p->sel == NULL || pthread_mutex_init(&p->lock, NULL) != 0) {
        free(p->all.jobs);
        free((void *)p->sel);
        free(p);
        return NULL;
    }
    if (ds->count > 0) {
        memcpy(p->all.jobs, ds->jobs, ds->count * sizeof *p->all.jobs);
    }
    p->first = ds->count;
    p->all.count = n;
    for (size_t i = 0; i < SCRIPT_COUNT; i++) {
        fake_job *j = &p->all.jobs[p->first + i];
        memset(j, 0, sizeof *j);
        j->job_id = SCRIPTS[i].job_id;
        j->version_id = SCRIPTS[i].job_id + 1000;
        j->status = SCRIPTS[i].steps[0];
        j->create_time = ADVANCING_CREATED + (int64_t)i * 60000;
        j->version_count = 1;
        j->job_name = SCRIPTS[i].job_name;
        j->job_desc = "a job whose status advances";
        j->workspace_id = ADVANCING_WORKSPACE;
    }
    p->every = opts->advance_every > 0 ? opts->advance_every : 1;
    p->pace_ms = opts->advance_pace_ms;
    clock_gettime(CLOCK_MONOTONIC, &p->started);
    return p;
}

void fake_progress_free(fake_progress *p)
{
    if (p == NULL) {
        return;
    }
    pthread_mutex_destroy(&p->lock);
    free(p->all.jobs);
    free((void *)p->sel);
    free(p);
}

static int64_t elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* Puts every advancing job at the step its listings (or the time since start) have reached. */
static void advance(fake_progress *p)
{
    int64_t by_time = p->pace_ms > 0 ? elapsed_ms(&p->started) / p->pace_ms : 0;
    for (size_t i = 0; i < SCRIPT_COUNT; i++) {
        int64_t step = p->pace_ms > 0 ? by_time : (int64_t)(p->listings[i] / p->every);
        if (step >= (int64_t)SCRIPTS[i].step_count) {
            step = (int64_t)SCRIPTS[i].step_count - 1;
        }
        fake_job *j = &p->all.jobs[p->first + i];
        if (SCRIPTS[i].steps[step] == DELETED) {
            j->workspace_id = DELETED_WORKSPACE;
        } else {
            j->status = SCRIPTS[i].steps[step];
        }
    }
}

/* Counts a listing for each advancing job on the page just rendered. */
static void count_listings(fake_progress *p, size_t n, const fake_query *q)
{
    size_t start = ((size_t)q->page - 1) * q->per_page;
    for (size_t i = start; i < n && i < start + q->per_page; i++) {
        const fake_job *j = p->sel[i];
        if (j >= &p->all.jobs[p->first]) {
            p->listings[j - &p->all.jobs[p->first]]++;
        }
    }
}

enum MHD_Result fake_progress_answer(fake_progress *p, struct MHD_Connection *connection, const fake_query *q,
                                     int64_t quotas, const char *request_id)
{
    size_t len = 0;
    char *body = NULL;
    pthread_mutex_lock(&p->lock);
    advance(p);
    size_t n = fake_select(&p->all, q, p->sel);
    if (n != (size_t)-1) {
        body = fake_body_page(p->sel, n, n, q, quotas, p->all.count, &len);
        count_listings(p, n, q);
    }
    pthread_mutex_unlock(&p->lock);
    if (body == NULL) {
        body =
            fake_body_modelarts_error(FAKE_CODE_INTERNAL, "Internal error of the fake service (out of memory).", &len);
        return fake_send_body(connection, MHD_HTTP_INTERNAL_SERVER_ERROR, body, len, "application/json", request_id,
                              NULL, NULL);
    }
    return fake_send_body(connection, MHD_HTTP_OK, body, len, "application/json", request_id, NULL, NULL);
}
