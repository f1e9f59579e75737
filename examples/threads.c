/*
 * threads: several threads, one client each, one shared result.
 *
 *   threads N_THREADS
 *
 * The rules: ma_global_init() before any thread starts and ma_global_cleanup() after they
 * end; a client is used by one thread at a time (here each thread owns one); a returned
 * ma_job_list is immutable and may be read from any number of threads at once.
 *
 * Endpoint, project id and credentials come from the environment. Each thread walks every
 * job with its own client and also reads the page the main thread fetched. Prints one line
 * per thread and "all threads agree: yes". Exit status: 0 ok, 1 a call failed, 2 bad usage,
 * 3 the threads disagreed.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <modelarts/modelarts.h>

#define MAX_THREADS 16

typedef struct worker {
    ma_client *client;         /* this thread's own */
    const ma_job_list *shared; /* read by every thread, freed by main after the joins */
    ma_status status;          /* results, read by main after pthread_join */
    size_t jobs_walked;
    int64_t first_shared_job_id;
    ma_error err;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    ma_job_iter *it = NULL;
    const ma_job *job = NULL;
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = 2;
    /* The walk runs on this thread only; its client is not touched by anyone else meanwhile. */
    w->status = ma_job_iter_new(&it, w->client, NULL, &wo, &w->err);
    while (w->status == MA_OK && (w->status = ma_job_iter_next(it, &job, &w->err)) == MA_OK && job)
        w->jobs_walked++;
    ma_job_iter_free(it);
    const ma_job *first = ma_job_list_at(w->shared, 0);
    w->first_shared_job_id = first ? first->job_id : -1;
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc == 2 ? atoi(argv[1]) : 0;
    if (n < 1 || n > MAX_THREADS) {
        fprintf(stderr, "usage: threads N_THREADS (1..%d)\n", MAX_THREADS);
        return 2;
    }
    /* Process-wide set-up happens before the first thread exists. */
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_error_clear(&err);
    ma_env_settings *env = NULL;
    ma_job_list *shared = NULL;
    worker workers[MAX_THREADS] = {{0}};
    pthread_t tids[MAX_THREADS];
    int started = 0, rc = 1;
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    if (ma_client_options_from_env(&opts, NULL, &env, &err) != MA_OK)
        goto done;
    /* One client per thread; each copies the options and credentials, so env may go after. */
    for (int i = 0; i < n; i++)
        if (ma_client_new(&workers[i].client, &opts, &err) != MA_OK)
            goto done;
    if (ma_list_training_jobs(workers[0].client, NULL, &shared, &err) != MA_OK)
        goto done;
    for (; started < n; started++) {
        workers[started].shared = shared;
        if (pthread_create(&tids[started], NULL, work, &workers[started]) != 0) {
            fprintf(stderr, "threads: pthread_create failed\n");
            goto done;
        }
    }
    rc = 0;
done:
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    for (int i = 0; i < started; i++) {
        const worker *w = &workers[i];
        printf("thread %d: %s, %zu jobs walked, shared page starts with job %lld\n", i, ma_status_name(w->status),
               w->jobs_walked, (long long)w->first_shared_job_id);
        if (w->status != MA_OK) {
            fprintf(stderr, "threads: thread %d: %s\n", i, w->err.message);
            rc = 1;
        } else if (rc == 0 && (w->jobs_walked != workers[0].jobs_walked ||
                               w->first_shared_job_id != workers[0].first_shared_job_id)) {
            rc = 3;
        }
    }
    if (rc == 0)
        printf("all threads agree: yes\n");
    if (err.status != MA_OK)
        fprintf(stderr, "threads: %s: %s\n", ma_status_name(err.status), err.message);
    ma_job_list_free(shared);
    for (int i = 0; i < n; i++)
        ma_client_free(workers[i].client);
    ma_env_settings_free(env);
    ma_global_cleanup(); /* after every thread has been joined */
    return rc;
}
