/*
 * ma-jobs wait: finds one job through the list API and polls it until its
 * status says it ended, printing every change. The poll interval grows, and
 * a rate-limited poll waits at least as long as the service asks.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_INTERVAL_MS 5000
#define INTERVAL_CAP_MS     60000
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
static int report_status(waiter *w, const wait_job *job)
{
    if (w->seen && w->previous == job->status) {
        return 0;
    }
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

/* The end of a wait whose job reached @p outcome; the message says how it ended. */
static int finish(waiter *w, cli_job_outcome outcome, int32_t status)
{
    char name[48];
    cli_status_label(status, name, sizeof name);
    const char *description = ma_job_status_description(status);
    if (outcome == CLI_JOB_FAILED) {
        fprintf(w->err_out, "ma-jobs: wait: %s failed: %s (%s)\n", w->label.data, name, description);
    } else if (outcome == CLI_JOB_CANCELLED) {
        fprintf(w->err_out, "ma-jobs: wait: %s was cancelled or stopped: %s (%s)\n", w->label.data, name, description);
    } else if (outcome == CLI_JOB_RUNNING) {
        char limit[32];
        print_duration(limit, sizeof limit, w->o->wait_timeout_ms);
        fprintf(w->err_out, "ma-jobs: wait: --timeout %s expired; %s is still %s (%s)\n", limit, w->label.data, name,
                description);
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
        char name[48];
        cli_status_label(w->previous, name, sizeof name);
        fprintf(w->err_out, "ma-jobs: wait: interrupted (%s); %s was %s\n", sig, w->label.data, name);
    } else {
        fprintf(w->err_out, "ma-jobs: wait: interrupted (%s) before the job was found\n", sig);
    }
    return cli_stop_exit_code();
}

/* One look at the job. Returns -1 to go on polling, else the exit code. */
static int look(waiter *w, ma_client *client, wait_job *job, int64_t *retry_after_ms)
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
    int code = -1;
    if (cli_stop_signal() != 0) {
        code = interrupted(w);
    } else if (st == MA_ERR_RATE_LIMITED) {
        *retry_after_ms = err.retry_after_ms > 0 ? err.retry_after_ms : 0;
        fprintf(w->err_out, "ma-jobs: wait: rate limited (HTTP %d); backing off\n", err.http_status);
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
        if (code == -1 && report_status(w, job) != 0) {
            fprintf(w->err_out, "ma-jobs: writing the output failed: %s\n", strerror(errno));
            code = CLI_EXIT_FAILURE;
        }
        cli_job_outcome outcome = cli_job_outcome_of(job->status);
        if (code == -1 && outcome != CLI_JOB_RUNNING) {
            code = finish(w, outcome, job->status);
        }
    }
    scan_result_free(&r);
    return code;
}

int cli_wait(const cli_options *o, ma_client *client, FILE *out, FILE *err_out)
{
    waiter w = {o, out, err_out, 0, 0, {NULL, 0, 0}};
    wait_job job = {0, NULL, 0};
    int64_t interval = o->has_interval ? o->interval_ms : DEFAULT_INTERVAL_MS;
    int64_t cap = interval > INTERVAL_CAP_MS ? interval : INTERVAL_CAP_MS;
    int64_t deadline = o->has_wait_timeout ? monotonic_ms() + o->wait_timeout_ms : -1;
    int code;
    for (;;) {
        int64_t retry_after = -1;
        if ((code = look(&w, client, &job, &retry_after)) != -1) {
            break;
        }
        int64_t now = monotonic_ms();
        if (deadline >= 0 && now >= deadline) {
            code = w.seen ? finish(&w, CLI_JOB_RUNNING, job.status) : CLI_EXIT_WAIT_TIMEOUT;
            if (!w.seen) {
                fputs("ma-jobs: wait: --timeout expired before the job could be found\n", err_out);
            }
            break;
        }
        int64_t pause = interval;
        if (retry_after >= 0) {
            /* Rate limited: at least what the service asked for, and slower from now on. */
            pause = retry_after > interval ? retry_after : interval;
            interval *= 2;
        } else {
            interval += interval / 2;
        }
        if (interval > cap) {
            interval = cap;
        }
        if (deadline >= 0 && now + pause > deadline) {
            pause = deadline - now; /* one more look when the timeout expires */
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
