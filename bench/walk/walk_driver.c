/*
 * The walk benchmark: starts the fake server (pages cached) as its own
 * process, then runs each client mode as a child, interleaved, and reports
 * medians of client CPU (user+sys), wall time, peak RSS and minor page
 * faults, with ratios to the wire floor (libcurl moving the same bytes into a
 * counting sink), to the floor (libcurl + json_loadb) and to a Python
 * requests loop, all measured in the same run.
 *
 *   walk_driver --server PATH --client PATH [--jobs N] [--per-page N] [--runs N]
 *               [--latency-ms 0,25] [--python python3] [--smoke]
 */
#define _DEFAULT_SOURCE /* wait4 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN    "bench-token"
#define PROJECT  "bench-project"
#define MAX_RUNS 31

typedef struct mode {
    const char *label;
    const char *client_mode; /* NULL: the Python loop */
    unsigned concurrency;
    double cpu[MAX_RUNS], wall[MAX_RUNS], rss[MAX_RUNS];
    size_t held_per_job;
    size_t jobs;
    int floor_only;          /* the process floor: libraries loaded, one request, nothing kept */
    double faults[MAX_RUNS]; /* minor page faults of the run */
} mode;

typedef struct config {
    const char *server, *client, *python, *script;
    long jobs;
    int per_page, runs;
    long latencies[4];
    int latency_count;
} config;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static pid_t start_server(const config *c, long jobs, long latency, char *endpoint, size_t size)
{
    char port_file[] = "/tmp/ma-bench-port-XXXXXX";
    int fd = mkstemp(port_file);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(port_file);
    char jobs_s[32], latency_s[32];
    snprintf(jobs_s, sizeof jobs_s, "%ld", jobs);
    snprintf(latency_s, sizeof latency_s, "%ld", latency);
    pid_t pid = fork();
    if (pid == 0) {
        execl(c->server, c->server, "--port", "0", "--port-file", port_file, "--token", TOKEN, "--project-id", PROJECT,
              "--jobs", jobs_s, "--latency-ms", latency_s, "--realistic", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 600; i++) {
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
    return -1;
}

/* Runs one client child; fills cpu seconds, wall seconds, peak RSS in MiB and what it printed. */
static int run_child(const config *c, const mode *m, const char *endpoint, double *cpu, double *wall, double *rss,
                     double *faults, char *out, size_t out_size)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    char per_page[16], conc[16];
    snprintf(per_page, sizeof per_page, "%d", c->per_page);
    snprintf(conc, sizeof conc, "%u", m->concurrency);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        setenv("MODELARTS_TOKEN", TOKEN, 1);
        if (m->client_mode)
            execl(c->client, c->client, m->client_mode, endpoint, PROJECT, per_page, conc, (char *)NULL);
        else
            execlp(c->python, c->python, c->script, endpoint, PROJECT, per_page, m->floor_only ? "floor" : (char *)NULL,
                   (char *)NULL);
        _exit(127);
    }
    close(pipefd[1]);
    size_t len = 0;
    ssize_t n;
    while ((n = read(pipefd[0], out + len, out_size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(pipefd[0]);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    *wall = now_s() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
    *rss = (double)ru.ru_maxrss / 1024.0;
    *faults = (double)ru.ru_minflt;
    return 0;
}

static int bench_latency(const config *c, long latency, mode *modes, size_t count)
{
    char endpoint[128];
    pid_t server = start_server(c, c->jobs, latency, endpoint, sizeof endpoint);
    if (server < 0) {
        fprintf(stderr, "walk_driver: the fake server did not start\n");
        return -1;
    }
    int rc = 0;
    for (int r = 0; r < c->runs && rc == 0; r++)
        for (size_t i = 0; i < count; i++) {
            char out[512];
            if (run_child(c, &modes[i], endpoint, &modes[i].cpu[r], &modes[i].wall[r], &modes[i].rss[r],
                          &modes[i].faults[r], out, sizeof out) != 0) {
                fprintf(stderr, "walk_driver: %s failed\n", modes[i].label);
                rc = -1;
                break;
            }
            size_t jobs = 0, held = 0;
            const char *j = strstr(out, "jobs="), *h = strstr(out, "held_bytes=");
            if (j)
                jobs = strtoul(j + 5, NULL, 10);
            if (h)
                held = strtoul(h + 11, NULL, 10);
            /* Every mode must see the same jobs as the floor. */
            if (jobs == 0 || (i > 0 && jobs != modes[0].jobs)) {
                fprintf(stderr, "walk_driver: %s listed %zu jobs, the floor %zu\n", modes[i].label, jobs,
                        modes[0].jobs);
                rc = -1;
                break;
            }
            modes[i].jobs = jobs;
            modes[i].held_per_job = jobs ? held / jobs : 0;
        }
    kill(server, SIGTERM);
    struct rusage server_ru;
    memset(&server_ru, 0, sizeof server_ru);
    wait4(server, NULL, 0, &server_ru);
    if (rc != 0)
        return rc;
    double server_cpu = (double)server_ru.ru_utime.tv_sec + (double)server_ru.ru_utime.tv_usec / 1e6 +
                        (double)server_ru.ru_stime.tv_sec + (double)server_ru.ru_stime.tv_usec / 1e6;
    size_t pages = (modes[0].jobs + (size_t)c->per_page - 1) / (size_t)c->per_page;

    double floor_cpu = median(modes[0].cpu, c->runs), py_cpu = median(modes[1].cpu, c->runs);
    double wire_cpu = median(modes[count - 1].cpu, c->runs); /* the wire floor is the last mode */
    double py_rss = median(modes[1].rss, c->runs), seq_wall = median(modes[3].wall, c->runs);
    printf("\n%zu jobs, %d per page, %ld ms injected latency, median of %d interleaved runs\n", modes[0].jobs,
           c->per_page, latency, c->runs);
    printf("%-22s %9s %9s %9s %9s %9s %9s %9s %10s %11s\n", "mode", "cpu ms", "wall ms", "rss MiB", "cpu/wire",
           "cpu/floor", "cpu/py", "rss/py", "faults/job", "speed-up");
    for (size_t i = 0; i < count; i++) {
        double cpu = median(modes[i].cpu, c->runs), wall = median(modes[i].wall, c->runs);
        double rss = median(modes[i].rss, c->runs);
        double faults = median(modes[i].faults, c->runs) / (double)modes[i].jobs;
        printf("%-22s %9.1f %9.1f %9.1f %9.2f %9.2f %9.2f %9.2f %10.3f %10.2fx", modes[i].label, cpu * 1e3, wall * 1e3,
               rss, cpu / wire_cpu, cpu / floor_cpu, cpu / py_cpu, rss / py_rss, faults, seq_wall / wall);
        if (modes[i].held_per_job)
            printf("  (list holds %zu B/job)", modes[i].held_per_job);
        printf("\n");
    }
    /* Every mode fetched every page once per run; the data set is built once at start-up. */
    printf("fake server: %.3f ms CPU per page served (%zu pages x %zu modes x %d runs, start-up included)\n",
           server_cpu * 1e3 / (double)(pages * count * (size_t)c->runs), pages, count, c->runs);
    return 0;
}

/*
 * Peak RSS of a process that only loads its libraries and sends one request:
 * what no client on those libraries can go below.
 */
static int process_floors(const config *c, double *curl_mib, double *python_mib)
{
    char endpoint[128];
    pid_t server = start_server(c, 1, 0, endpoint, sizeof endpoint);
    if (server < 0)
        return -1;
    mode m[] = {{"sdk floor", "process-floor", 1, {0}, {0}, {0}, 0, 0, 1},
                {"python floor", NULL, 1, {0}, {0}, {0}, 0, 0, 1}};
    int rc = 0;
    for (int r = 0; r < c->runs && rc == 0; r++)
        for (size_t i = 0; i < 2 && rc == 0; i++) {
            char out[512];
            rc = run_child(c, &m[i], endpoint, &m[i].cpu[r], &m[i].wall[r], &m[i].rss[r], &m[i].faults[r], out,
                           sizeof out);
        }
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    *curl_mib = median(m[0].rss, c->runs);
    *python_mib = median(m[1].rss, c->runs);
    return rc;
}

/* Median peak RSS of the iterator walking @p jobs jobs (no latency). */
static int iterator_rss(const config *c, long jobs, double *rss_mib)
{
    char endpoint[128];
    pid_t server = start_server(c, jobs, 0, endpoint, sizeof endpoint);
    if (server < 0)
        return -1;
    mode m = {"iterator", "iter", 1, {0}, {0}, {0}, 0, 0};
    int rc = 0;
    for (int r = 0; r < c->runs && rc == 0; r++) {
        char out[512];
        rc = run_child(c, &m, endpoint, &m.cpu[r], &m.wall[r], &m.rss[r], &m.faults[r], out, sizeof out);
    }
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    *rss_mib = median(m.rss, c->runs);
    return rc;
}

static int parse_latencies(config *c, const char *s)
{
    c->latency_count = 0;
    for (char *end; *s && c->latency_count < 4; s = *end ? end + 1 : end) {
        c->latencies[c->latency_count++] = strtol(s, &end, 10);
        if (end == s)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    config c = {NULL, NULL, "python3", NULL, 100000, 1000, 5, {0, 25}, 2};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--smoke") == 0) {
            c.jobs = 3000;
            c.runs = 1;
            c.latency_count = 1;
            c.latencies[0] = 0;
            continue;
        }
        if (!v) {
            fprintf(stderr, "walk_driver: %s needs a value\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--server") == 0)
            c.server = v;
        else if (strcmp(a, "--client") == 0)
            c.client = v;
        else if (strcmp(a, "--python") == 0)
            c.python = v;
        else if (strcmp(a, "--script") == 0)
            c.script = v;
        else if (strcmp(a, "--jobs") == 0)
            c.jobs = atol(v);
        else if (strcmp(a, "--per-page") == 0)
            c.per_page = atoi(v);
        else if (strcmp(a, "--runs") == 0)
            c.runs = atoi(v);
        else if (strcmp(a, "--latency-ms") == 0 && parse_latencies(&c, v) == 0)
            continue;
        else {
            fprintf(stderr, "walk_driver: unknown option %s\n", a);
            return 2;
        }
    }
    if (!c.server || !c.client || !c.script || c.runs < 1 || c.runs > MAX_RUNS || c.jobs < 1 || c.per_page < 1) {
        fprintf(stderr, "usage: walk_driver --server ma-fake-server --client walk_client --script python_loop.py "
                        "[--jobs N] [--per-page N] [--runs N] [--latency-ms 0,25] [--smoke]\n");
        return 2;
    }
    mode modes[] = {
        {"(a) floor curl+jansson", "floor", 1, {0}, {0}, {0}, 0, 0},
        {"(b) python requests", NULL, 1, {0}, {0}, {0}, 0, 0},
        {"(c) sdk list-all", "list-all", 1, {0}, {0}, {0}, 0, 0},
        {"(d) sdk iterator", "iter", 1, {0}, {0}, {0}, 0, 0},
        {"(e) sdk parallel 4", "parallel", 4, {0}, {0}, {0}, 0, 0},
        {"(e) sdk parallel 8", "parallel", 8, {0}, {0}, {0}, 0, 0},
        {"(w) wire curl->count", "wire", 1, {0}, {0}, {0}, 0, 0}, /* last: the ratios' reference */
    };
    for (int i = 0; i < c.latency_count; i++)
        if (bench_latency(&c, c.latencies[i], modes, sizeof modes / sizeof modes[0]) != 0)
            return 1;
    /* The iterator's memory must not grow with the number of jobs. */
    double small = 0, large = 0;
    if (iterator_rss(&c, c.jobs / 10, &small) != 0 || iterator_rss(&c, c.jobs, &large) != 0)
        return 1;
    printf("\niterator peak RSS: %.1f MiB for %ld jobs, %.1f MiB for %ld jobs (ratio %.3f)\n", small, c.jobs / 10,
           large, c.jobs, large / small);
    /* What the libraries alone cost, so the RSS ratios can be read against it. */
    double curl_floor = 0, py_floor = 0, py_full = 0;
    if (process_floors(&c, &curl_floor, &py_floor) != 0)
        return 1;
    py_full = median(modes[1].rss, c.runs);
    printf("process floors (libraries loaded, one request, nothing kept): sdk (libcurl, jansson, libcrypto) %.1f MiB, "
           "python+requests %.1f MiB\n",
           curl_floor, py_floor);
    printf("  lowest rss/python any client on these libraries can reach: %.2f\n", curl_floor / py_full);
    printf("  above its floor: iterator %.1f MiB, python %.1f MiB (ratio %.3f)\n", large - curl_floor,
           py_full - py_floor, (large - curl_floor) / (py_full - py_floor));
    return 0;
}
