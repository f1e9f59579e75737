/*
 * ma-jobs wait: finds one job through the list API and polls it until its
 * status says it ended, printing every change. The poll interval grows. A
 * failed poll that may heal (throttling, server errors, network failures) is
 * reported and the wait goes on, up to --max-failures in a row; the pause
 * after it follows wait_policy.c. The wait is the retry loop of its polls:
 * main.c gives the client one attempt per request for a wait, so polls never
 * spend the client's retry budget, and a throttled poll is simply the next
 * poll later instead of retries on top of the wait's own schedule.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_MS 5000
#define INTERVAL_CAP_MS     CLI_WAIT_PAUSE_CAP_MS
#define CANDIDATES_SHOWN    20
#define PER_PAGE            100

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* What one look at the list found. */
typedef struct wait_job {
    int64_t id;
    char *name;
    int32_t status;
} wait_job;

typedef struct scan_result {
    size_t matches;
    wait_job job;          /* the first match */
    cli_str candidates;    /* with a name: a line per match, for the ambiguity message */
    size_t candidates_cut; /* matches left out of candidates */
} scan_result;

static void scan_result_free(scan_result *r)
{
    free(r->job.name);
    cli_str_free(&r->candidates);
    memset(r, 0, sizeof *r);
}

/* Appends @p text escaped for a terminal; returns 0 or -1 (out of memory, or not UTF-8). */
static int append_display(cli_str *s, const char *text)
{
    size_t width = 0;
    return cli_escape_display(s, text != NULL ? text : "", &width);
}

static int add_candidate(scan_result *r, const ma_job *job)
{
    if (r->matches > CANDIDATES_SHOWN) {
        r->candidates_cut++;
        return 0;
    }
    char status[48], created[40], line[160];
    cli_status_label(job->status, status, sizeof status);
    cli_format_iso8601(job->create_time_ms, created, sizeof created);
    snprintf(line, sizeof line, "  job %lld: %s, created %s\n", (long long)job->job_id, status, created);
    return cli_str_puts(&r->candidates, line);
}

/*
 * Walks every page of @p q and collects the jobs that match: by id when
 * @p by_id, else by exact name. Returns the walk's status, or MA_ERR_NOMEM.
 */
static ma_status scan(ma_client *client, const ma_job_query *q, const cli_options *o, int by_id, int64_t id,
                      const char *name, scan_result *r, ma_error *err)
{
    memset(r, 0, sizeof *r);
    ma_walk_options wo;
    ma_status st = ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION);
    if (st != MA_OK) {
        return st;
    }
    wo.concurrency = 1; /* polite: a wait may poll for hours */
    if (o->has_timeout) {
        wo.timeout_ms = o->timeout_ms;
    }
    ma_job_iter *it = NULL;
    if ((st = ma_job_iter_new(&it, client, q, &wo, err)) != MA_OK) {
        return st;
    }
    for (;;) {
        const ma_job *job = NULL;
        if ((st = ma_job_iter_next(it, &job, err)) != MA_OK || job == NULL) {
            break;
        }
        int match = by_id ? job->job_id == id : job->job_name != NULL && strcmp(job->job_name, name) == 0;
        if (!match) {
            continue;
        }
        r->matches++;
        if (r->matches == 1) {
            r->job.id = job->job_id;
            r->job.status = job->status;
            r->job.name = strdup(job->job_name != NULL ? job->job_name : "");
            if (r->job.name == NULL) {
                st = MA_ERR_NOMEM;
                break;
            }
        }
        if (!by_id && add_candidate(r, job) != 0) {
            st = MA_ERR_NOMEM;
            break;
        }
        if (by_id) {
            break; /* ids are unique */
        }
    }
    ma_job_iter_free(it);
    return st;
}

/* The query of one look: the workspace, and the name as search text when there is one. */
static ma_status build_query(const cli_options *o, const char *name, ma_job_query **out, ma_error *err)
{
    ma_status st = ma_job_query_new(out, NULL, err);
    if (st == MA_OK) {
        st = ma_job_query_set_per_page(*out, PER_PAGE, err);
    }
    if (st == MA_OK && o->workspace_id != NULL) {
        st = ma_job_query_set_workspace_id(*out, o->workspace_id, err);
    }
    if (st == MA_OK && name != NULL) {
        st = ma_job_query_set_search_content(*out, name, err);
    }
    return st;
}

/* State of one wait, for the messages. */
typedef struct waiter {
    const cli_options *o;
    FILE *out;
    FILE *err_out;
    int seen;         /* a status was printed */
    int32_t previous; /* the status last printed */
    cli_str label;    /* "job N (name)", escaped */
    /* Time in status, on the monotonic clock, from the first poll that saw the status. */
    int64_t since_ms;     /* when the first poll that saw `previous` ended */
    int first_status;     /* `previous` is what the first poll saw: it began earlier, unknown when */
    int64_t last_seen_ms; /* when the last poll that succeeded ended */
    int had_before;       /* a status before `previous` was seen */
    int32_t before;       /* that status */
    int64_t before_ms;    /* how long it lasted, from its first poll to the first poll of `previous` */
    int before_first;     /* it was what the first poll saw (so it lasted at least before_ms) */
} waiter;

static int set_label(waiter *w, const wait_job *job)
{
    char id[32];
    snprintf(id, sizeof id, "job %lld (", (long long)job->id);
    w->label.len = 0;
    if (cli_str_puts(&w->label, id) != 0 || append_display(&w->label, job->name) != 0 ||
        cli_str_puts(&w->label, ")") != 0) {
        return -1;
    }
    return 0;
}

static int print_text_change(waiter *w, const char *when, int32_t status)
{
    char now[48], before[48];
    cli_status_label(status, now, sizeof now);
    if (w->seen) {
        cli_status_label(w->previous, before, sizeof before);
        return fprintf(w->out, "%s %s: %s -> %s\n", when, w->label.data, before, now) < 0 ? -1 : 0;
    }
    return fprintf(w->out, "%s %s: %s\n", when, w->label.data, now) < 0 ? -1 : 0;
}

static json_t *status_name_json(int32_t status)
{
    char name[48];
    cli_status_label(status, name, sizeof name);
    return json_string(name);
}

static int print_jsonl_change(waiter *w, const char *when, const wait_job *job)
{
    json_t *o = json_object();
    int rc = -1;
    if (o != NULL && json_object_set_new(o, "time", json_string(when)) == 0 &&
        json_object_set_new(o, "job_id", json_integer((json_int_t)job->id)) == 0 &&
        json_object_set_new(o, "job_name", json_string(job->name)) == 0 &&
        json_object_set_new(o, "previous_status", w->seen ? json_integer(w->previous) : json_null()) == 0 &&
        json_object_set_new(o, "previous_status_name", w->seen ? status_name_json(w->previous) : json_null()) == 0 &&
        json_object_set_new(o, "status", json_integer(job->status)) == 0 &&
        json_object_set_new(o, "status_name", status_name_json(job->status)) == 0 &&
        json_object_set_new(o, "outcome", json_string(cli_job_outcome_name(cli_job_outcome_of(job->status)))) == 0) {
        char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
        if (line != NULL) {
            rc = fprintf(w->out, "%s\n", line) < 0 ? -1 : 0;
            free(line);
        }
    }
    json_decref(o);
    return rc;
}

/* Prints the status of @p job when it differs from the last one printed. Returns 0 or -1 (write or memory). */
static int report_status(waiter *w, const wait_job *job, int64_t now)
{
    w->last_seen_ms = now;
    if (w->seen && w->previous == job->status) {
        return 0;
    }
    if (w->seen) {
        w->had_before = 1;
        w->before = w->previous;
        w->before_ms = now - w->since_ms;
        w->before_first = w->first_status;
    }
    w->first_status = !w->seen;
    w->since_ms = now;
    char when[40];
    cli_format_iso8601(wall_ms(), when, sizeof when);
    int rc =
        w->o->format == CLI_FORMAT_JSONL ? print_jsonl_change(w, when, job) : print_text_change(w, when, job->status);
    /* Each line as it happens, also into a pipe. */
    if (rc != 0 || fflush(w->out) != 0) {
        return -1;
    }
    w->seen = 1;
    w->previous = job->status;
    return 0;
}

static void print_duration(char *buf, size_t size, int64_t ms)
{
    if (ms % 1000 != 0) {
        snprintf(buf, size, "%lldms", (long long)ms);
    } else {
        snprintf(buf, size, "%llds", (long long)(ms / 1000));
    }
}

/*
 * " for 14m 3s", or " for at least 14m 3s" for a status that began before the
 * wait saw it; "" for "at least" less than a second, which says nothing.
 */
static void for_how_long(char *buf, size_t size, int64_t ms, int at_least)
{
    buf[0] = '\0';
    if (at_least && ms < 1000) {
        return;
    }
    char span[48];
    cli_format_elapsed(ms, span, sizeof span);
    snprintf(buf, size, " for %s%s", at_least ? "at least " : "", span);
}

/* ", in that status for 14m 3s": how long the current status has lasted until now; may be "". */
static void in_status_now(const waiter *w, char *buf, size_t size)
{
    char span[64];
    for_how_long(span, sizeof span, monotonic_ms() - w->since_ms, w->first_status);
    snprintf(buf, size, "%s%s", span[0] != '\0' ? ", in that status" : "", span);
}

/* The end of a wait whose job reached @p outcome; the message says how it ended. */
static int finish(waiter *w, cli_job_outcome outcome, int32_t status)
{
    char name[48];
    cli_status_label(status, name, sizeof name);
    const char *description = ma_job_status_description(status);
    /* A job that ended while waited for: how long the status before the end lasted. */
    char after[128] = "";
    if (outcome != CLI_JOB_RUNNING && w->had_before) {
        char before[48], span[64];
        cli_status_label(w->before, before, sizeof before);
        for_how_long(span, sizeof span, w->before_ms, w->before_first);
        snprintf(after, sizeof after, ", after %s%s", before, span);
    }
    if (outcome == CLI_JOB_FAILED) {
        fprintf(w->err_out, "ma-jobs: wait: %s failed: %s (%s)%s\n", w->label.data, name, description, after);
    } else if (outcome == CLI_JOB_CANCELLED) {
        fprintf(w->err_out, "ma-jobs: wait: %s was cancelled or stopped: %s (%s)%s\n", w->label.data, name, description,
                after);
    } else if (outcome == CLI_JOB_RUNNING) {
        char limit[32], lasted[96];
        print_duration(limit, sizeof limit, w->o->wait_timeout_ms);
        in_status_now(w, lasted, sizeof lasted);
        fprintf(w->err_out, "ma-jobs: wait: --timeout %s expired; %s is still %s (%s)%s\n", limit, w->label.data, name,
                description, lasted);
    }
    return cli_job_outcome_exit_code(outcome);
}

static int not_found(waiter *w, int seen_before)
{
    if (seen_before) {
        fprintf(w->err_out, "ma-jobs: wait: %s is no longer in the job list\n", w->label.data);
        return CLI_EXIT_JOB_NOT_FOUND;
    }
    cli_str what = {NULL, 0, 0};
    int ok = 0;
    if (w->o->name != NULL) {
        ok = cli_str_puts(&what, "no job named '") == 0 && append_display(&what, w->o->name) == 0 &&
             cli_str_puts(&what, "'") == 0;
    } else {
        char id[48];
        snprintf(id, sizeof id, "no job with id %lld", (long long)w->o->job_id);
        ok = cli_str_puts(&what, id) == 0;
    }
    fprintf(w->err_out, "ma-jobs: wait: %s%s\n", ok ? what.data : "no such job",
            w->o->workspace_id != NULL ? " in this workspace" : "");
    cli_str_free(&what);
    return CLI_EXIT_JOB_NOT_FOUND;
}

static int ambiguous(waiter *w, scan_result *r)
{
    cli_str name = {NULL, 0, 0};
    int ok = append_display(&name, w->o->name) == 0;
    fprintf(w->err_out, "ma-jobs: wait: the name '%s' is ambiguous: %zu jobs have it; give one with --job-id:\n%s",
            ok ? name.data : "?", r->matches, r->candidates.data != NULL ? r->candidates.data : "");
    if (r->candidates_cut > 0) {
        fprintf(w->err_out, "  ... and %zu more\n", r->candidates_cut);
    }
    cli_str_free(&name);
    return CLI_EXIT_USAGE;
}

static int interrupted(waiter *w)
{
    const char *sig = cli_stop_signal() == SIGTERM ? "SIGTERM" : "SIGINT";
    if (w->seen) {
        char name[48], lasted[96];
        cli_status_label(w->previous, name, sizeof name);
        in_status_now(w, lasted, sizeof lasted);
        fprintf(w->err_out, "ma-jobs: wait: interrupted (%s); %s was %s%s\n", sig, w->label.data, name, lasted);
    } else {
        fprintf(w->err_out, "ma-jobs: wait: interrupted (%s) before the job was found\n", sig);
    }
    return cli_stop_exit_code();
}

/* look(): go on polling after a poll that succeeded, or after one that failed but may heal. */
#define LOOK_AGAIN  (-1)
#define LOOK_FAILED (-2)

/*
 * One look at the job. Returns LOOK_AGAIN, LOOK_FAILED with the failure in
 * @p failure, or the exit code (a failure that waiting cannot heal included).
 */
static int look(waiter *w, ma_client *client, wait_job *job, ma_error *failure)
{
    const cli_options *o = w->o;
    int found_before = job->name != NULL;
    /* Once the job is known, the search by its name keeps each look to a page or so. */
    const char *search = found_before ? job->name : o->name;
    ma_error err;
    ma_error_clear(&err);
    ma_job_query *q = NULL;
    ma_status st = build_query(o, search, &q, &err);
    if (st == MA_ERR_INVALID_ARG && found_before) {
        /* A name the search cannot take (too long): look through every job. */
        ma_job_query_free(q);
        q = NULL;
        st = build_query(o, NULL, &q, &err);
    }
    scan_result r;
    memset(&r, 0, sizeof r);
    if (st == MA_OK) {
        int by_id = found_before || o->has_job_id;
        st = scan(client, q, o, by_id, found_before ? job->id : o->job_id, o->name, &r, &err);
    }
    ma_job_query_free(q);
    int code = LOOK_AGAIN;
    if (cli_stop_signal() != 0) {
        code = interrupted(w);
    } else if (st != MA_OK && !cli_wait_failure_is_final(&err)) {
        *failure = err;
        code = LOOK_FAILED;
    } else if (st != MA_OK) {
        cli_report_error(w->err_out, "wait: listing training jobs", &err);
        code = cli_exit_code(st);
    } else if (r.matches == 0) {
        code = not_found(w, found_before);
    } else if (r.matches > 1) {
        code = ambiguous(w, &r);
    } else {
        if (!found_before) {
            job->id = r.job.id;
            job->name = r.job.name;
            r.job.name = NULL;
            if (set_label(w, job) != 0) {
                fputs("ma-jobs: wait: out of memory\n", w->err_out);
                code = CLI_EXIT_FAILURE;
            }
        }
        job->status = r.job.status;
        if (code == LOOK_AGAIN && report_status(w, job, monotonic_ms()) != 0) {
            fprintf(w->err_out, "ma-jobs: writing the output failed: %s\n", strerror(errno));
            code = CLI_EXIT_FAILURE;
        }
        cli_job_outcome outcome = cli_job_outcome_of(job->status);
        if (code == LOOK_AGAIN && outcome != CLI_JOB_RUNNING) {
            code = finish(w, outcome, job->status);
        }
    }
    scan_result_free(&r);
    return code;
}

/* A number in [0, 1) for the back-off's jitter (xorshift64; no need for more). */
static double next_jitter(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return (double)(x >> 11) / 9007199254740992.0; /* 2^53 */
}

/* "; job N (name) was JOBSTAT_RUNNING when last seen, 3s ago", or "" before the job was found. */
static void last_seen(const waiter *w, char *buf, size_t size)
{
    buf[0] = '\0';
    if (w->seen) {
        char name[48], ago[48];
        cli_status_label(w->previous, name, sizeof name);
        cli_format_elapsed(monotonic_ms() - w->last_seen_ms, ago, sizeof ago);
        snprintf(buf, size, "; %s was %s when last seen, %s ago", w->label.data, name, ago);
    }
}

/* How a wait that ends on a failed poll ends. */
typedef enum give_up_reason {
    GIVE_UP_FAILURES,   /* one failure more than --max-failures allows */
    GIVE_UP_TIMEOUT,    /* --timeout expired */
    GIVE_UP_NOT_IN_TIME /* --timeout expires before the next poll the service allows */
} give_up_reason;

/* The wait ends on a failed poll; returns the exit code. */
static int give_up(waiter *w, const ma_error *failure, int failures, give_up_reason why, int64_t pause)
{
    char seen[512];
    cli_report_error(w->err_out, "wait: listing training jobs", failure);
    last_seen(w, seen, sizeof seen);
    if (why != GIVE_UP_FAILURES) {
        char limit[32], next[48];
        print_duration(limit, sizeof limit, w->o->wait_timeout_ms);
        cli_format_elapsed(pause, next, sizeof next);
        if (why == GIVE_UP_TIMEOUT) {
            fprintf(w->err_out, "ma-jobs: wait: --timeout %s expired after a failed poll%s\n", limit, seen);
        } else {
            fprintf(w->err_out,
                    "ma-jobs: wait: --timeout %s expires before the service allows the next poll (in %s)%s\n", limit,
                    next, seen);
        }
        return CLI_EXIT_WAIT_TIMEOUT;
    }
    if (failures > 1 || seen[0] != '\0') {
        fprintf(w->err_out, "ma-jobs: wait: giving up after %d failed poll%s in a row (--max-failures %d)%s\n",
                failures, failures == 1 ? "" : "s", failures - 1, seen);
    }
    return cli_exit_code(failure->status);
}

int cli_wait(const cli_options *o, ma_client *client, FILE *out, FILE *err_out)
{
    waiter w;
    memset(&w, 0, sizeof w);
    w.o = o;
    w.out = out;
    w.err_out = err_out;
    wait_job job = {0, NULL, 0};
    int64_t interval = o->has_interval ? o->interval_ms : DEFAULT_INTERVAL_MS;
    int64_t cap = interval > INTERVAL_CAP_MS ? interval : INTERVAL_CAP_MS;
    int64_t deadline = o->has_wait_timeout ? monotonic_ms() + o->wait_timeout_ms : -1;
    int max_failures = o->has_max_failures ? o->max_failures : CLI_WAIT_DEFAULT_MAX_FAILURES;
    uint64_t seed = (((uint64_t)monotonic_ms() * 2654435761u) ^ ((uint64_t)getpid() << 32)) | 1;
    int failures = 0;            /* failed polls in a row */
    int64_t streak_interval = 0; /* the interval when they began: the back-off doubles from it */
    int code;
    for (long poll = 1;; poll++) {
        ma_error failure;
        ma_error_clear(&failure);
        code = look(&w, client, &job, &failure);
        if (code != LOOK_AGAIN && code != LOOK_FAILED) {
            break;
        }
        failures = code == LOOK_FAILED ? failures + 1 : 0;
        int64_t now = monotonic_ms();
        if (failures > max_failures) {
            code = give_up(&w, &failure, failures, GIVE_UP_FAILURES, 0);
            break;
        }
        if (deadline >= 0 && now >= deadline) {
            if (failures > 0) {
                code = give_up(&w, &failure, failures, GIVE_UP_TIMEOUT, 0);
            } else if (w.seen) {
                code = finish(&w, CLI_JOB_RUNNING, job.status);
            } else {
                fputs("ma-jobs: wait: --timeout expired before the job could be found\n", err_out);
                code = CLI_EXIT_WAIT_TIMEOUT;
            }
            break;
        }
        int64_t pause = interval;
        if (failures > 0) {
            if (failures == 1) {
                streak_interval = interval;
            }
            pause = cli_wait_failure_pause(&failure, streak_interval, failures, next_jitter(&seed));
            if (failure.throttled) {
                interval *= 2; /* told to slow down: slower from now on too */
            }
        } else {
            interval += interval / 2;
        }
        if (interval > cap) {
            interval = cap;
        }
        if (deadline >= 0 && now + pause > deadline) {
            if (failures > 0 && cli_wait_pause_is_stated(&failure)) {
                /* No poll before the service's time: the timeout would come first, so end now. */
                code = give_up(&w, &failure, failures, GIVE_UP_NOT_IN_TIME, pause);
                break;
            }
            pause = deadline - now; /* one more look when the timeout expires */
        }
        if (failures > 0) {
            char what[768], next[48];
            cli_wait_describe_failure(&failure, what, sizeof what);
            cli_format_elapsed(pause, next, sizeof next);
            int left = max_failures - failures;
            if (left > 0) {
                fprintf(err_out, "ma-jobs: wait: poll %ld failed (%s); %d more failure%s allowed, next poll in %s\n",
                        poll, what, left, left == 1 ? "" : "s", next);
            } else {
                fprintf(err_out, "ma-jobs: wait: poll %ld failed (%s); no more failures allowed, next poll in %s\n",
                        poll, what, next);
            }
        }
        cli_stop_sleep(pause);
        if (cli_stop_signal() != 0) {
            code = interrupted(&w);
            break;
        }
    }
    free(job.name);
    cli_str_free(&w.label);
    return code;
}
