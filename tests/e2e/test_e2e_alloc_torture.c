/*
 * Allocation failures across complete calls, over real loopback HTTP: the
 * 1st, then the 2nd, ... then the N-th allocation of the call fails, for
 * every N until a run reaches no failure. A call here is everything a program
 * does for one result: credentials, client, query, the request(s), reading
 * the result, freeing it. The allocations of the SDK, of jansson and of
 * libcurl are counted and failed alike (all three go through torture_alloc).
 *
 * Every run must end in MA_ERR_NOMEM, or in what a clean run gives (MA_OK
 * with complete and correct results; for the rejected login, IAM's 401 with
 * its code and message) when the failure hit something optional (libcurl's
 * DNS cache entry for a numeric host is one). The client a failed run
 * leaves behind must then serve the same call correctly, and once it and
 * everything else is freed, no block allocated by the run may be left.
 *
 * The client is created inside the tortured call, so its creation is swept
 * too, and freed only after the follow-up call: libcurl keeps connections
 * and its DNS cache in the client (its multi handle) until ma_client_free(),
 * which is legitimate memory of a live client, not a leak. Leaks are
 * therefore counted once the client is gone. libcurl allocates on other
 * threads only for its threaded resolver, which a numeric host (127.0.0.1)
 * never starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "e2e.h"
#include "torture_alloc.h"

#define JOB_COUNT      30 /* 24 of them in the default workspace: pages of 10, 10 and 4 */
#define PER_PAGE       10
#define WORKSPACE      "0"
#define MAX_JOBS       64
#define AK             "QTWAOYTTINDUT2QVKYUC"
#define SK             "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
#define SECURITY_TOK   "sts-token-for-the-torture-test"
#define IAM_USER       "alice"
#define IAM_PASSWORD   "pw-torture-3e9b"
#define IAM_REJECTION  "The username or password is wrong."
#define IAM_DOMAIN     "acme-domain"
#define IAM_PROJECT    "eu-de"
#define SWEEP_LIMIT    100000
#define WALK_IN_FLIGHT 3

/* CRED_WRONG_PASSWORD: IAM rejects the login, so every call ends in its 401 and message. */
typedef enum credential_kind {
    CRED_TOKEN,
    CRED_AKSK,
    CRED_PASSWORD,
    CRED_WRONG_PASSWORD,
    CRED_METADATA
} credential_kind;
typedef enum call_shape { ONE_PAGE, LIST_ALL, PARALLEL_WALK } call_shape;

typedef struct torture_env {
    fake_server *token_server;
    fake_server *aksk_server;
    fake_server *iam_server;
    fake_server *metadata_server;
} torture_env;

typedef struct call_kind {
    const char *name;
    credential_kind credentials;
    call_shape shape;
} call_kind;

/* What a call handed out, recorded without allocating (the allocator may be failing). */
typedef struct outcome {
    int64_t ids[MAX_JOBS];
    size_t count;
    int mismatch; /* a job whose fields differ from the data set's */
} outcome;

static fake_server *server_for(const torture_env *env, credential_kind kind)
{
    if (kind == CRED_PASSWORD || kind == CRED_WRONG_PASSWORD)
        return env->iam_server;
    if (kind == CRED_METADATA)
        return env->metadata_server;
    return kind == CRED_AKSK ? env->aksk_server : env->token_server;
}

static ma_status new_credentials(const torture_env *env, credential_kind kind, ma_credentials **out, ma_error *err)
{
    const ma_allocator *a = torture_allocator();
    if (kind == CRED_AKSK)
        return ma_credentials_new_aksk(out, AK, SK, SECURITY_TOK, a, err);
    if (kind == CRED_METADATA)
        return ma_credentials_new_metadata(out, fake_server_url(env->metadata_server), a, err);
    if (kind == CRED_PASSWORD || kind == CRED_WRONG_PASSWORD) {
        ma_password_login login = MA_PASSWORD_LOGIN_INIT;
        login.iam_endpoint = fake_server_url(env->iam_server);
        login.user_name = IAM_USER;
        login.password = kind == CRED_PASSWORD ? IAM_PASSWORD : "wrong-" IAM_PASSWORD;
        login.domain_name = IAM_DOMAIN;
        login.project_name = IAM_PROJECT;
        return ma_credentials_new_password(out, &login, a, err);
    }
    return ma_credentials_new_token(out, E2E_TOKEN, a, err);
}

/* Credentials, then the client; the credentials are freed at once (the client keeps a copy). */
static ma_status new_client(const torture_env *env, credential_kind kind, ma_client **out, ma_error *err)
{
    ma_credentials *creds = NULL;
    ma_status st = new_credentials(env, kind, &creds, err);
    if (st != MA_OK)
        return st;
    e2e_env target = {server_for(env, kind), creds, NULL};
    ma_client_options opts;
    e2e_options(&target, &opts);
    opts.allocator = torture_allocator();
    if (kind == CRED_PASSWORD || kind == CRED_WRONG_PASSWORD)
        opts.project_id = NULL; /* discovered from the login, one more path to sweep */
    st = ma_client_new(out, &opts, err);
    ma_credentials_free(creds);
    return st;
}

static const fake_job *job_by_id(const fake_dataset *ds, int64_t id)
{
    for (size_t i = 0; i < ds->count; i++)
        if (ds->jobs[i].job_id == id)
            return &ds->jobs[i];
    return NULL;
}

static void record(outcome *o, const fake_dataset *ds, const ma_job *job)
{
    const fake_job *want = job_by_id(ds, job->job_id);
    if (!want || job->version_id != want->version_id || job->status != want->status ||
        job->create_time_ms != want->create_time || job->duration_ms != want->duration ||
        job->version_count != want->version_count || strcmp(job->job_name, want->job_name) != 0 ||
        strcmp(job->job_desc, want->job_desc) != 0)
        o->mismatch = 1;
    if (o->count < MAX_JOBS)
        o->ids[o->count] = job->job_id;
    o->count++;
}

static ma_status record_list(outcome *o, const fake_dataset *ds, ma_job_list *list)
{
    for (size_t i = 0; i < ma_job_list_count(list); i++)
        record(o, ds, ma_job_list_at(list, i));
    ma_job_list_free(list);
    return MA_OK;
}

static ma_status walk(ma_client *client, const ma_job_query *q, outcome *o, const fake_dataset *ds, ma_error *err)
{
    ma_walk_options wo = MA_WALK_OPTIONS_INIT;
    wo.concurrency = WALK_IN_FLIGHT;
    ma_job_iter *it = NULL;
    ma_status st = ma_job_iter_new(&it, client, q, &wo, err);
    const ma_job *job = NULL;
    while (st == MA_OK && (st = ma_job_iter_next(it, &job, err)) == MA_OK && job)
        record(o, ds, job);
    ma_job_iter_free(it);
    return st;
}

/* The query, the request(s), reading and freeing the result. */
static ma_status run_call(const call_kind *k, ma_client *client, const fake_dataset *ds, outcome *o, ma_error *err)
{
    memset(o, 0, sizeof *o);
    ma_job_query *q = NULL;
    ma_status st = ma_job_query_new(&q, torture_allocator(), err);
    if (st == MA_OK)
        st = ma_job_query_set_per_page(q, PER_PAGE, err);
    if (st == MA_OK)
        st = ma_job_query_set_sort_by(q, MA_SORT_BY_CREATE_TIME, err);
    if (st == MA_OK)
        st = ma_job_query_set_order(q, MA_ORDER_DESC, err);
    ma_job_list *list = NULL;
    if (st == MA_OK && k->shape == ONE_PAGE && (st = ma_list_training_jobs(client, q, &list, err)) == MA_OK)
        st = record_list(o, ds, list);
    if (st == MA_OK && k->shape == LIST_ALL) {
        ma_walk_options wo = MA_WALK_OPTIONS_INIT;
        wo.concurrency = 1;
        if ((st = ma_list_all_training_jobs(client, q, &wo, &list, err)) == MA_OK)
            st = record_list(o, ds, list);
    }
    if (st == MA_OK && k->shape == PARALLEL_WALK)
        st = walk(client, q, o, ds, err);
    ma_job_query_free(q);
    return st;
}

/* Newest first, ties by job_id descending: the fake's order for create_time desc. */
static int newest_first(const void *pa, const void *pb)
{
    const fake_job *a = *(const fake_job *const *)pa, *b = *(const fake_job *const *)pb;
    if (a->create_time != b->create_time)
        return a->create_time < b->create_time ? 1 : -1;
    return (a->job_id < b->job_id) - (a->job_id > b->job_id);
}

static void assert_complete(const call_kind *k, const fake_dataset *ds, const outcome *o, size_t n)
{
    const fake_job *want[MAX_JOBS];
    size_t count = 0;
    for (size_t i = 0; i < ds->count; i++)
        if (strcmp(ds->jobs[i].workspace_id, WORKSPACE) == 0 && count < MAX_JOBS)
            want[count++] = &ds->jobs[i];
    qsort(want, count, sizeof want[0], newest_first);
    if (k->shape == ONE_PAGE && count > PER_PAGE)
        count = PER_PAGE;
    if (o->mismatch || o->count != count)
        fail_msg("%s, allocation %zu failing: MA_OK with %zu jobs (%s), expected %zu", k->name, n, o->count,
                 o->mismatch ? "some differ from the data set" : "fields right", count);
    for (size_t i = 0; i < count; i++)
        if (o->ids[i] != want[i]->job_id)
            fail_msg("%s, allocation %zu failing: job %zu is %lld, expected %lld", k->name, n, i, (long long)o->ids[i],
                     (long long)want[i]->job_id);
}

/* What every run that does not run out of memory must give: the jobs, or IAM's rejection with its detail. */
static void assert_result(const call_kind *k, ma_status st, const ma_error *err, const fake_dataset *ds,
                          const outcome *o, size_t n)
{
    if (k->credentials == CRED_WRONG_PASSWORD) {
        if (st != MA_ERR_UNAUTHORIZED || strcmp(err->service_code, "401") != 0 || !strstr(err->message, IAM_REJECTION))
            fail_msg("%s, allocation %zu failing: %s (service code \"%s\"): %s", k->name, n, ma_status_name(st),
                     err->service_code, err->message);
        return;
    }
    if (st != MA_OK)
        fail_msg("%s, allocation %zu failing: %s: %s", k->name, n, ma_status_name(st), err->message);
    assert_complete(k, ds, o, n);
}

/*
 * One run with allocation @p n failing (0: none); returns whether that allocation was reached.
 * *survived counts the runs that reached it and still gave the result of a clean run.
 */
static int run_once(const torture_env *env, const call_kind *k, size_t n, size_t *attempts, size_t *survived)
{
    const fake_dataset *ds = fake_server_dataset(server_for(env, k->credentials));
    size_t baseline = torture_alloc_live();
    ma_client *client = NULL;
    outcome o;
    ma_error err;
    torture_alloc_fail_at(n);
    ma_status st = new_client(env, k->credentials, &client, &err);
    if (st == MA_OK)
        st = run_call(k, client, ds, &o, &err);
    torture_alloc_disarm();
    int reached = torture_alloc_failure_reached();
    *attempts = torture_alloc_attempts();

    if (st != MA_ERR_NOMEM) {
        assert_result(k, st, &err, ds, &o, n);
        *survived += (size_t)reached;
    } else if (!reached) {
        fail_msg("%s: MA_ERR_NOMEM with no allocation failing: %s", k->name, err.message);
    }
    if (st == MA_ERR_NOMEM && err.status != MA_ERR_NOMEM)
        fail_msg("%s, allocation %zu failing: the error carries %s", k->name, n, ma_status_name(err.status));

    /* The client a failure left behind (or a new one, if its creation failed) serves the call again. */
    if (reached) {
        if (!client && (st = new_client(env, k->credentials, &client, &err)) != MA_OK)
            fail_msg("%s, after allocation %zu failed: ma_client_new: %s: %s", k->name, n, ma_status_name(st),
                     err.message);
        st = run_call(k, client, ds, &o, &err);
        assert_result(k, st, &err, ds, &o, n);
    }
    ma_client_free(client);
    size_t left = torture_alloc_live();
    if (left != baseline)
        fail_msg("%s, allocation %zu failing: %zu block(s) leaked", k->name, n, left - baseline);
    return reached;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void sweep(void **state, const call_kind *k)
{
    const torture_env *env = *state;
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    size_t clean = 0, survived = 0;
    assert_false(run_once(env, k, 0, &clean, &survived));
    assert_true(clean > 0);
    size_t n = 1, attempts = 0;
    while (n < SWEEP_LIMIT && run_once(env, k, n, &attempts, &survived))
        n++;
    /*
     * One exchange at a time is deterministic: every allocation of a clean run
     * is one failure point. Pages in parallel are not: which response is read
     * first, and in how many pieces, moves a few allocations either way.
     */
    size_t slack = k->shape == PARALLEL_WALK ? clean / 20 : 0;
    if (n - 1 + slack < clean || n - 1 > clean + slack)
        fail_msg("%s: %zu allocation points failed in turn, but a clean run makes %zu allocations", k->name, n - 1,
                 clean);
    printf("%s: %zu allocation points swept (a clean run: %zu), %zu of them optional, in %.2f s\n", k->name, n - 1,
           clean, survived, seconds_since(&start));
}

static void single_page_list(void **state)
{
    static const call_kind k = {"single-page list", CRED_TOKEN, ONE_PAGE};
    sweep(state, &k);
}

static void list_all(void **state)
{
    static const call_kind k = {"list-all", CRED_TOKEN, LIST_ALL};
    sweep(state, &k);
}

static void parallel_walk(void **state)
{
    static const call_kind k = {"parallel walk", CRED_TOKEN, PARALLEL_WALK};
    sweep(state, &k);
}

static void aksk_signed_list(void **state)
{
    static const call_kind k = {"AK/SK-signed list", CRED_AKSK, ONE_PAGE};
    sweep(state, &k);
}

static void password_login_list(void **state)
{
    static const call_kind k = {"password login and list", CRED_PASSWORD, ONE_PAGE};
    sweep(state, &k);
}

static void rejected_password_login(void **state)
{
    static const call_kind k = {"rejected password login", CRED_WRONG_PASSWORD, ONE_PAGE};
    sweep(state, &k);
}

static void metadata_keys_and_list(void **state)
{
    static const call_kind k = {"metadata session, keys and signed list", CRED_METADATA, ONE_PAGE};
    sweep(state, &k);
}

static int start_server(fake_server_options *so, fake_server **out)
{
    so->project_id = E2E_PROJECT;
    so->job_count = JOB_COUNT;
    return fake_server_start(so, out);
}

static int setup(void **state)
{
    static torture_env env;
    if (ma_global_init() != MA_OK)
        return -1;
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    if (start_server(&so, &env.token_server) != 0)
        return -1;
    fake_server_options_init(&so);
    so.ak = AK;
    so.sk = SK;
    so.security_token = SECURITY_TOK;
    if (start_server(&so, &env.aksk_server) != 0)
        return -1;
    fake_server_options_init(&so);
    so.iam_user = IAM_USER;
    so.iam_password = IAM_PASSWORD;
    so.iam_domain = IAM_DOMAIN;
    so.iam_project_name = IAM_PROJECT;
    so.iam_project_id = E2E_PROJECT;
    so.iam_token_without_project = 1; /* the project id then takes a second IAM request */
    if (start_server(&so, &env.iam_server) != 0)
        return -1;
    fake_server_options_init(&so);
    so.metadata_key_lifetime_ms = 3600 * 1000; /* keys for the whole sweep */
    if (start_server(&so, &env.metadata_server) != 0)
        return -1;
    *state = &env;
    return 0;
}

static int teardown(void **state)
{
    torture_env *env = *state;
    if (env) {
        fake_server_stop(env->token_server);
        fake_server_stop(env->aksk_server);
        fake_server_stop(env->iam_server);
        fake_server_stop(env->metadata_server);
    }
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    /* Before anything allocates through jansson or libcurl, and before ma_global_init(). */
    if (torture_alloc_install() != 0) {
        fprintf(stderr, "curl_global_init_mem failed\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_page_list),       cmocka_unit_test(list_all),
        cmocka_unit_test(parallel_walk),          cmocka_unit_test(aksk_signed_list),
        cmocka_unit_test(password_login_list),    cmocka_unit_test(rejected_password_login),
        cmocka_unit_test(metadata_keys_and_list),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    torture_alloc_uninstall();
    return failed;
}
