/*
 * Fetching: one page, or every page through the iterator. jsonl and csv
 * stream row by row; table and json gather the rows first, and print what
 * was gathered also when the walk ends early (Ctrl-C, a failed page).
 */
#include "cli.h"
#include "progress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

typedef int (*row_writer)(FILE *, const cli_rows *);

/* --max-width, else COLUMNS, else the terminal's width when @p out is one; 0 (no limit) for a pipe or file. */
static size_t table_width(const cli_options *o, FILE *out)
{
    if (o->has_max_width) {
        return o->max_width;
    }
    const char *columns = getenv("COLUMNS");
    if (columns != NULL && columns[0] >= '1' && columns[0] <= '9') {
        char *end = NULL;
        long n = strtol(columns, &end, 10);
        if (*end == '\0' && n > 0 && n <= 100000) {
            return (size_t)n;
        }
    }
    struct winsize ws;
    if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
        return ws.ws_col;
    }
    return 0;
}

static row_writer writer_for(cli_format format)
{
    switch (format) {
    case CLI_FORMAT_JSON:
        return cli_write_json_rows;
    case CLI_FORMAT_JSONL:
        return cli_write_jsonl_rows;
    case CLI_FORMAT_CSV:
        return cli_write_csv_rows;
    case CLI_FORMAT_TABLE:
        break;
    }
    return cli_write_table_rows;
}

/* Jobs copied out of the iterator (whose jobs live only until its next call). */
typedef struct gathered {
    ma_job *jobs;
    size_t count;
    size_t cap;
} gathered;

static char *copy_text(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) {
        memcpy(d, s, n);
    }
    return d;
}

static int gather(gathered *g, const ma_job *job)
{
    if (g->count == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 256;
        ma_job *jobs = realloc(g->jobs, cap * sizeof *jobs);
        if (jobs == NULL) {
            return -1;
        }
        g->jobs = jobs;
        g->cap = cap;
    }
    ma_job *copy = &g->jobs[g->count];
    *copy = *job;
    copy->job_name = copy_text(job->job_name);
    copy->job_desc = copy_text(job->job_desc);
    if ((job->job_name != NULL && copy->job_name == NULL) || (job->job_desc != NULL && copy->job_desc == NULL)) {
        free((void *)(uintptr_t)copy->job_name);
        free((void *)(uintptr_t)copy->job_desc);
        return -1;
    }
    g->count++;
    return 0;
}

static void gathered_free(gathered *g)
{
    for (size_t i = 0; i < g->count; i++) {
        free((void *)(uintptr_t)g->jobs[i].job_name);
        free((void *)(uintptr_t)g->jobs[i].job_desc);
    }
    free(g->jobs);
}

static int write_gathered(cli_format format, FILE *out, const gathered *g, const ma_job_iter *it, const cli_view *view)
{
    const ma_job **at = malloc((g->count > 0 ? g->count : 1) * sizeof *at);
    if (at == NULL) {
        return -1;
    }
    for (size_t i = 0; i < g->count; i++) {
        at[i] = &g->jobs[i];
    }
    int64_t total = ma_job_iter_total_count(it);
    cli_rows rows = {view,
                     at,
                     g->count,
                     total >= 0 ? total : (int64_t)g->count,
                     ma_job_iter_count_limit(it),
                     ma_job_iter_quotas(it)};
    int rc = writer_for(format)(out, &rows);
    free(at);
    return rc;
}

static cli_fetch_result walk(const cli_options *o, ma_client *client, const ma_job_query *q, const ma_walk_options *wo,
                             const cli_view *view, FILE *out, ma_error *err)
{
    cli_fetch_result r = {MA_OK, 0, 0, -1};
    int streaming = o->format == CLI_FORMAT_JSONL || o->format == CLI_FORMAT_CSV;
    gathered g = {NULL, 0, 0};
    ma_job_iter *it = NULL;
    r.status = ma_job_iter_new(&it, client, q, wo, err);
    if (r.status != MA_OK) {
        return r;
    }
    if (o->format == CLI_FORMAT_CSV && !o->no_header) {
        cli_csv_header(out, view);
    }
    for (;;) {
        const ma_job *job = NULL;
        r.status = ma_job_iter_next(it, &job, err);
        if (r.status != MA_OK || job == NULL) {
            break;
        }
        int rc = streaming ? (o->format == CLI_FORMAT_CSV ? cli_csv_row(out, job, view) : cli_jsonl_row(out, job, view))
                           : gather(&g, job);
        if (rc != 0) {
            r.format_failed = 1;
            break;
        }
        r.shown++;
        if (ferror(out)) {
            break; /* the caller reports the write error */
        }
    }
    r.total = ma_job_iter_total_count(it);
    /* A walk that failed or was stopped prints the jobs it had, if any. */
    if (!streaming && !r.format_failed && (r.status == MA_OK || g.count > 0) &&
        write_gathered(o->format, out, &g, it, view) != 0) {
        r.format_failed = 1;
    }
    gathered_free(&g);
    ma_job_iter_free(it);
    return r;
}

cli_fetch_result cli_fetch(const cli_options *o, ma_client *client, const ma_job_query *q, FILE *out, ma_error *err)
{
    cli_fetch_result r = {MA_OK, 0, 0, -1};
    cli_view view = {o->column_count > 0 ? o->columns : NULL, o->column_count, 0, o->no_header, o->ids_as_strings};
    if (o->format == CLI_FORMAT_TABLE) {
        view.max_width = table_width(o, out);
    }
    if (!o->walk) {
        ma_job_list *jobs = NULL;
        r.status = ma_list_training_jobs(client, q, &jobs, err);
        if (r.status == MA_OK) {
            size_t limit = o->has_limit ? o->limit : SIZE_MAX;
            r.format_failed = cli_write_list(writer_for(o->format), out, jobs, limit, &view) != 0;
            r.shown = ma_job_list_count(jobs) < limit ? ma_job_list_count(jobs) : limit;
            r.total = ma_job_list_total_count(jobs);
        }
        ma_job_list_free(jobs);
        return r;
    }

    ma_walk_options wo;
    r.status = ma_walk_options_init(&wo, MA_WALK_OPTIONS_VERSION);
    if (r.status != MA_OK) {
        return r;
    }
    int streaming = o->format == CLI_FORMAT_JSONL || o->format == CLI_FORMAT_CSV;
    cli_progress bar;
    cli_progress_init(&bar, stderr);
    if (streaming && isatty(fileno(out))) {
        bar.enabled = 0; /* rows and the bar would share one terminal */
    }
    if (o->has_timeout) {
        wo.timeout_ms = o->timeout_ms; /* --timeout-ms bounds the whole walk, not each page */
    }
    if (o->has_parallel) {
        wo.concurrency = o->parallel;
    }
    if (o->has_limit) {
        wo.max_jobs = o->limit;
    }
    wo.progress = cli_progress_update;
    wo.progress_user_data = &bar;
    r = walk(o, client, q, &wo, &view, out, err);
    cli_progress_finish(&bar);
    return r;
}
