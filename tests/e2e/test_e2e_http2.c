/*
 * HTTP/2 through a real TLS front: nginx terminates TLS, speaks HTTP/2 to the
 * client and proxies to the fake server over HTTP/1.1 keep-alive. What the
 * client did is read from nginx's access log ($connection, $server_protocol,
 * $ssl_session_reused): a parallel walk multiplexes every page on one
 * connection and the next call reuses it; exchanges started together wait
 * for that one connection; and a new connection of the same client resumes
 * its TLS session (on nginx's HTTP/1.1 server, see write_config()). nginx is
 * a test dependency (scripts/install-deps.sh installs it); without it the
 * tests fail rather than skip.
 */
#define _POSIX_C_SOURCE 200809L /* kill(), mkdtemp(), nanosleep() */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "e2e.h"
#include "fake_clock.h"
#include "transport_kit.h"

/* 160 jobs in pages of 10: page 1, then 15 more pages with 8 in flight. */
#define JOBS        160
#define PER_PAGE    10
#define PAGES       (JOBS / PER_PAGE)
#define CONCURRENCY 8

/* Generous: nginx starts in milliseconds, but a loaded machine or valgrind may be slow. */
#define WAIT_MS 20000

#define MAX_LOG_LINES 64

/* One request as nginx logged it. */
typedef struct access_line {
    unsigned long connection;
    char protocol[16];
    char reused[4]; /* "r" when the TLS session was resumed, "." when not */
} access_line;

typedef struct front {
    char dir[64];
    char nginx[256];
    fake_server *server;
    pid_t pid;
    uint16_t h2_port; /* HTTP/2 (ALPN) and HTTP/1.1, connections kept */
    uint16_t h1_port; /* HTTP/1.1 only, each connection closed after one request */
    char h2_url[64];
    char h1_url[64];
    char ca_path[128];
    char access_log[128];
} front;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* nginx on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH); 0 or -1. */
static int find_nginx(char *out, size_t size)
{
    const char *path = getenv("PATH");
    char dirs[2048];
    snprintf(dirs, sizeof dirs, "%s:/usr/sbin:/usr/local/sbin:/sbin", path ? path : "");
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        snprintf(out, size, "%s/nginx", d);
        if (access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

static uint16_t free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static int accepts(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(port);
    int ok = connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    close(fd);
    return ok;
}

/* @p name in @p f's directory, to stderr: why nginx did not start. */
static void print_file(const front *f, const char *name)
{
    char path[160];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    FILE *in = fopen(path, "r");
    if (!in)
        return;
    char line[512];
    fprintf(stderr, "--- %s\n", path);
    while (fgets(line, sizeof line, in))
        fputs(line, stderr);
    fclose(in);
}

/*
 * The front's config: one process in the foreground, every file nginx writes
 * (pid, logs, temp directories) in the test's directory, so it runs the same
 * as root (no worker to switch users) and as anyone else. Two servers: one
 * offering HTTP/2, and one for HTTP/1.1 that closes each connection after
 * its request with a TLS close_notify, which keeps the session resumable
 * (after HTTP/2's GOAWAY nginx closes without one, and OpenSSL then drops
 * the session on the client's side).
 */
static void write_config(const front *f)
{
    char path[160];
    snprintf(path, sizeof path, "%s/nginx.conf", f->dir);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    const char *d = f->dir;
    fprintf(out, "daemon off;\nmaster_process off;\npid %s/nginx.pid;\nerror_log %s/error.log info;\n", d, d);
    fprintf(out, "events { worker_connections 64; }\nhttp {\n");
    fprintf(out, "    log_format h2 '$connection $server_protocol $ssl_session_reused \"$request\"';\n");
    fprintf(out, "    access_log %s/access.log h2;\n", d);
    static const char *const temp[] = {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"};
    for (size_t i = 0; i < sizeof temp / sizeof temp[0]; i++)
        fprintf(out, "    %s_temp_path %s/%s;\n", temp[i], d, temp[i]);
    fprintf(out, "    ssl_certificate %s/good.pem;\n    ssl_certificate_key %s/good.key;\n", d, d);
    fprintf(out, "    ssl_protocols TLSv1.2 TLSv1.3;\n");
    fprintf(out, "    upstream fake { server 127.0.0.1:%u; keepalive 16; }\n", (unsigned)fake_server_port(f->server));
    static const char *const proxy = "        location / {\n"
                                     "            proxy_pass http://fake;\n"
                                     "            proxy_http_version 1.1;\n"
                                     "            proxy_set_header Connection \"\";\n"
                                     "        }\n";
    fprintf(out, "    server {\n        listen 127.0.0.1:%u ssl http2;\n%s    }\n", (unsigned)f->h2_port, proxy);
    fprintf(out, "    server {\n        listen 127.0.0.1:%u ssl;\n        keepalive_requests 1;\n%s    }\n",
            (unsigned)f->h1_port, proxy);
    fprintf(out, "}\n");
    assert_int_equal(fclose(out), 0);
}

static void start_nginx(front *f)
{
    char conf[160];
    char error_log[160];
    char out_path[160];
    snprintf(conf, sizeof conf, "%s/nginx.conf", f->dir);
    snprintf(error_log, sizeof error_log, "%s/error.log", f->dir);
    snprintf(out_path, sizeof out_path, "%s/nginx.out", f->dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* A test that dies (a sanitizer abort) takes its nginx with it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(f->nginx, "nginx", "-p", f->dir, "-e", error_log, "-c", conf, (char *)NULL);
        _exit(127);
    }
    f->pid = pid;
    for (long waited = 0; !accepts(f->h2_port) || !accepts(f->h1_port); waited += 10) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            f->pid = 0;
            print_file(f, "nginx.out");
            print_file(f, "error.log");
            fail_msg("nginx exited before it listened (wait status %d)", status);
        }
        if (waited > WAIT_MS)
            fail_msg("nginx did not listen on 127.0.0.1:%u and %u within %d ms", (unsigned)f->h2_port,
                     (unsigned)f->h1_port, WAIT_MS);
        sleep_ms(10);
    }
}

static void stop_nginx(front *f)
{
    if (f->pid <= 0)
        return;
    kill(f->pid, SIGTERM);
    for (long waited = 0; waitpid(f->pid, NULL, WNOHANG) == 0; waited += 10) {
        if (waited > WAIT_MS) {
            kill(f->pid, SIGKILL);
            waitpid(f->pid, NULL, 0);
            break;
        }
        sleep_ms(10);
    }
    f->pid = 0;
}

static void remove_dir(front *f)
{
    if (!f->dir[0])
        return;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    f->dir[0] = '\0';
}

/*
 * Fake server, test certificates and nginx in front. Called by the test, not
 * its set-up: cmocka skips the tear-down after a failed set-up, and the
 * tear-down must stop whatever of this was started.
 */
static void front_start(front *f)
{
    if (find_nginx(f->nginx, sizeof f->nginx) != 0)
        fail_msg("nginx not found on PATH or in /usr/sbin: run scripts/install-deps.sh (it installs nginx-light)");
    snprintf(f->dir, sizeof f->dir, "/tmp/ma-h2-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char cmd[256];
    snprintf(cmd, sizeof cmd, "bash '%s' '%s'", MA_TEST_CERT_SCRIPT, f->dir);
    if (system(cmd) != 0)
        fail_msg("'%s' failed (is the openssl tool installed?)", cmd);
    snprintf(f->ca_path, sizeof f->ca_path, "%s/ca.pem", f->dir);
    snprintf(f->access_log, sizeof f->access_log, "%s/access.log", f->dir);
    fake_server_options so;
    fake_server_options_init(&so);
    so.token = E2E_TOKEN;
    so.project_id = E2E_PROJECT;
    so.job_count = JOBS;
    so.realistic = 1; /* every job in the default workspace, so a walk lists them all */
    assert_int_equal(fake_server_start(&so, &f->server), 0);
    f->h2_port = free_port();
    do
        f->h1_port = free_port();
    while (f->h1_port == f->h2_port);
    snprintf(f->h2_url, sizeof f->h2_url, "https://localhost:%u", (unsigned)f->h2_port);
    snprintf(f->h1_url, sizeof f->h1_url, "https://localhost:%u", (unsigned)f->h1_port);
    write_config(f);
    start_nginx(f);
}

static int setup(void **state)
{
    *state = calloc(1, sizeof(front));
    return *state ? 0 : -1;
}

/* Stops nginx and the fake server and removes the files, also after a failure. */
static int teardown(void **state)
{
    front *f = *state;
    stop_nginx(f);
    if (f->server)
        fake_server_stop(f->server);
    remove_dir(f);
    free(f);
    *state = NULL;
    return 0;
}

static ma_client *client_new(const front *f, const char *url, ma_credentials *cred, log_capture *log)
{
    ma_client_options o = MA_CLIENT_OPTIONS_INIT;
    o.endpoint = url;
    o.project_id = E2E_PROJECT;
    o.credentials = cred;
    o.ca_file = f->ca_path;
    if (log) {
        o.log = log_capture_fn;
        o.log_user_data = log;
        o.log_level = MA_LOG_DEBUG;
    }
    return e2e_client_new(&o);
}

/*
 * The access log once it has @p want lines: nginx writes a line after the
 * response has gone out, so the last one may come a moment after the client
 * has it.
 */
static size_t read_access_log(const front *f, access_line *lines, size_t want)
{
    size_t n = 0;
    for (long waited = 0;; waited += 10) {
        FILE *in = fopen(f->access_log, "r");
        n = 0;
        if (in) {
            char text[1024];
            while (n < MAX_LOG_LINES && fgets(text, sizeof text, in)) {
                access_line *l = &lines[n];
                if (sscanf(text, "%lu %15s %3s", &l->connection, l->protocol, l->reused) != 3)
                    fail_msg("unreadable access log line: %s", text);
                n++;
            }
            fclose(in);
        }
        if (n >= want || waited > WAIT_MS)
            return n;
        sleep_ms(10);
    }
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Outcome lines of successful attempts that name @p protocol; prints the log when it is not @p want. */
static void expect_outcomes_over(const log_capture *log, const char *protocol, size_t want)
{
    char needle[64];
    snprintf(needle, sizeof needle, " over %s (attempt ", protocol);
    size_t n = 0;
    for (size_t i = 0; i < log->count; i++)
        if (strstr(log->lines[i], "HTTP 200 MA_OK in ") && strstr(log->lines[i], needle))
            n++;
    if (n != want) {
        for (size_t i = 0; i < log->count; i++)
            fprintf(stderr, "log: %s\n", log->lines[i]);
        fail_msg("%zu outcome lines say %s, want %zu", n, protocol, want);
    }
}

static void list_once(ma_client *client)
{
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = ma_list_training_jobs(client, NULL, &list, &err);
    if (st != MA_OK)
        fail_msg("list: %s: %s", ma_status_name(st), err.message);
    ma_job_list_free(list);
}

/*
 * A walk with 8 pages in flight sends them all as streams of one HTTP/2
 * connection, and the client's next call reuses it.
 */
static void a_parallel_walk_multiplexes_every_page_on_one_connection(void **state)
{
    front *f = *state;
    front_start(f);
    log_capture *log = calloc(1, sizeof *log);
    assert_non_null(log);
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_token(&cred, E2E_TOKEN, NULL, NULL), MA_OK);
    ma_client *client = client_new(f, f->h2_url, cred, log);
    ma_walk_options wo;
    assert_int_equal(ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION), MA_OK);
    wo.concurrency = CONCURRENCY;
    ma_job_query *q = e2e_query(PER_PAGE, 0, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC);
    ma_job_iter *it = NULL;
    ma_error err;
    assert_int_equal(ma_job_iter_new(&it, client, q, &wo, &err), MA_OK);
    int64_t ids[JOBS];
    size_t n = 0;
    const ma_job *job = NULL;
    ma_status st;
    while ((st = ma_job_iter_next(it, &job, &err)) == MA_OK && job) {
        if (n == JOBS)
            fail_msg("more than %d jobs", JOBS);
        ids[n++] = job->job_id;
    }
    if (st != MA_OK)
        fail_msg("walk: %s: %s", ma_status_name(st), err.message);
    ma_job_iter_free(it);
    ma_job_query_free(q);

    /* Every job of the data set, each once. */
    assert_int_equal(n, JOBS);
    const fake_dataset *ds = fake_server_dataset(f->server);
    assert_int_equal(ds->count, JOBS);
    int64_t want[JOBS];
    for (size_t i = 0; i < JOBS; i++)
        want[i] = ds->jobs[i].job_id;
    qsort(ids, JOBS, sizeof ids[0], compare_ids);
    qsort(want, JOBS, sizeof want[0], compare_ids);
    for (size_t i = 0; i < JOBS; i++)
        if (ids[i] != want[i])
            fail_msg("job ids differ from the data set's at %zu: %lld, want %lld", i, (long long)ids[i],
                     (long long)want[i]);

    list_once(client);

    /* Every page and the call after the walk went over HTTP/2, all on the first connection. */
    access_line lines[MAX_LOG_LINES];
    size_t logged = read_access_log(f, lines, PAGES + 1);
    if (logged != PAGES + 1)
        fail_msg("nginx logged %zu requests, want %d (a page each, then the list call)", logged, PAGES + 1);
    for (size_t i = 0; i < logged; i++) {
        if (strcmp(lines[i].protocol, "HTTP/2.0") != 0)
            fail_msg("request %zu went over %s, not HTTP/2.0", i + 1, lines[i].protocol);
        if (lines[i].connection != lines[0].connection)
            fail_msg("request %zu came on connection %lu, the first on %lu: the client opened more than one", i + 1,
                     lines[i].connection, lines[0].connection);
    }
    expect_outcomes_over(log, "HTTP/2", PAGES + 1);
    ma_client_free(client);
    ma_credentials_free(cred);
    free(log);
}

/*
 * A batch that starts all its exchanges at once, before any connection
 * exists: they wait for the first connection's handshake to learn that it
 * multiplexes (CURLOPT_PIPEWAIT), rather than each opening its own.
 */
static void exchanges_started_together_wait_for_one_connection(void **state)
{
    front *f = *state;
    front_start(f);
    kit_endpoint ep;
    kit_endpoint_init(&ep, "https", "localhost", f->h2_port);
    ma__curl_settings s = kit_settings();
    s.ca_file = f->ca_path;
    ma__transport *t = kit_transport_new(&s);
    kit_exchange xs[CONCURRENCY];
    for (size_t i = 0; i < CONCURRENCY; i++) {
        kit_exchange_init(&xs[i], "GET", &ep.ep);
        kit_list_path(&xs[i], E2E_PROJECT);
        kit_header(&xs[i], "X-Auth-Token", E2E_TOKEN, 1);
    }
    kit_batch b = {xs, CONCURRENCY, 0, 0, {0}, 0};
    ma__exchange_source src = kit_batch_source(&b);
    ma_error err;
    assert_int_equal(t->vtable->run(t, &src, CONCURRENCY, &err), MA_OK);
    assert_int_equal(b.reported, CONCURRENCY);
    for (size_t i = 0; i < CONCURRENCY; i++) {
        if (xs[i].x.status != MA_OK)
            fail_msg("exchange %zu: %s: %s", i, ma_status_name(xs[i].x.status), xs[i].x.err.message);
        assert_int_equal(xs[i].resp.status, 200);
        assert_non_null(xs[i].resp.http_version);
        assert_string_equal(xs[i].resp.http_version, "HTTP/2");
    }
    access_line lines[MAX_LOG_LINES];
    size_t logged = read_access_log(f, lines, CONCURRENCY);
    if (logged != CONCURRENCY)
        fail_msg("nginx logged %zu requests, want %d", logged, CONCURRENCY);
    for (size_t i = 0; i < logged; i++)
        if (lines[i].connection != lines[0].connection || strcmp(lines[i].protocol, "HTTP/2.0") != 0)
            fail_msg("request %zu: %s on connection %lu, the first on %lu", i + 1, lines[i].protocol,
                     lines[i].connection, lines[0].connection);
    for (size_t i = 0; i < CONCURRENCY; i++)
        kit_exchange_free(&xs[i]);
    t->vtable->destroy(t);
}

/*
 * The client's easy handles share TLS sessions: its second call, on a new
 * connection (nginx closed the first), resumes the first call's session. A
 * second client shares nothing with the first, so its handshake is a full one.
 */
static void a_new_connection_of_the_client_resumes_its_tls_session(void **state)
{
    front *f = *state;
    front_start(f);
    log_capture *log = calloc(1, sizeof *log);
    assert_non_null(log);
    ma_credentials *cred = NULL;
    assert_int_equal(ma_credentials_new_token(&cred, E2E_TOKEN, NULL, NULL), MA_OK);
    ma_client *client = client_new(f, f->h1_url, cred, log);
    list_once(client);
    list_once(client);
    ma_client *other = client_new(f, f->h1_url, cred, NULL);
    list_once(other);
    access_line lines[MAX_LOG_LINES];
    size_t logged = read_access_log(f, lines, 3);
    if (logged != 3)
        fail_msg("nginx logged %zu requests, want 3", logged);
    for (size_t i = 0; i < 3; i++)
        if (strcmp(lines[i].protocol, "HTTP/1.1") != 0)
            fail_msg("request %zu went over %s, not HTTP/1.1", i + 1, lines[i].protocol);
    /* One request per connection, as configured: three handshakes. */
    if (lines[0].connection == lines[1].connection || lines[1].connection == lines[2].connection ||
        lines[0].connection == lines[2].connection)
        fail_msg("connections %lu, %lu, %lu: nginx should have closed each after one request", lines[0].connection,
                 lines[1].connection, lines[2].connection);
    assert_string_equal(lines[0].reused, ".");
    if (strcmp(lines[1].reused, "r") != 0)
        fail_msg("the client's second connection did not resume its TLS session ($ssl_session_reused '%s')",
                 lines[1].reused);
    assert_string_equal(lines[2].reused, ".");
    expect_outcomes_over(log, "HTTP/1.1", 2);
    ma_client_free(other);
    ma_client_free(client);
    ma_credentials_free(cred);
    free(log);
}

static int group_setup(void **state)
{
    (void)state;
    return ma_global_init() == MA_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    ma_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_parallel_walk_multiplexes_every_page_on_one_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(exchanges_started_together_wait_for_one_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(a_new_connection_of_the_client_resumes_its_tls_session, setup, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
