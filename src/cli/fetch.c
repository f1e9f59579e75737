/* Fetching: one page, a gathered walk (table, json) or a streamed walk (jsonl, csv). */
#include "cli.h"
#include "progress.h"

#include <unistd.h>

static int write_list(cli_format format, FILE *out, const ma_job_list *jobs)
{
    switch (format) {
    case CLI_FORMAT_TABLE:
        return cli_write_table(out, jobs);
    case CLI_FORMAT_JSON:
        return cli_write_json(out, jobs);
    case CLI_FORMAT_JSONL:
        return cli_write_jsonl(out, jobs);
    case CLI_FORMAT_CSV:
        return cli_write_csv(out, jobs);
    }
    return 0;
}

/* Streams rows as pages arrive, so `ma-jobs --all --format jsonl | head` stops the walk early. */
static cli_fetch_result stream(const cli_options *o, ma_client *client, const ma_job_query *q,
                               const ma_walk_options *wo, FILE *out, ma_error *err)
{
    cli_fetch_result r = {MA_OK, 0};
    ma_job_iter *it = NULL;
    r.status = ma_job_iter_new(&it, client, q, wo, err);
    if (r.status != MA_OK) {
        return r;
    }
    if (o->format == CLI_FORMAT_CSV) {
        cli_csv_header(out);
    }
    for (;;) {
        const ma_job *job = NULL;
        r.status = ma_job_iter_next(it, &job, err);
        if (r.status != MA_OK || job == NULL) {
            break;
        }
        int rc = o->format == CLI_FORMAT_CSV ? cli_csv_row(out, job) : cli_jsonl_row(out, job);
        if (rc != 0) {
            r.format_failed = 1;
            break;
        }
        if (ferror(out)) {
            break; /* the caller reports the write error */
        }
    }
    ma_job_iter_free(it);
    return r;
}

cli_fetch_result cli_fetch(const cli_options *o, ma_client *client, const ma_job_query *q, FILE *out, ma_error *err)
{
    cli_fetch_result r = {MA_OK, 0};
    ma_job_list *jobs = NULL;
    if (!o->walk) {
        r.status = ma_list_training_jobs(client, q, &jobs, err);
        if (r.status == MA_OK) {
            r.format_failed = write_list(o->format, out, jobs) != 0;
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
    if (streaming) {
        r = stream(o, client, q, &wo, out, err);
        cli_progress_finish(&bar);
        return r;
    }
    r.status = ma_list_all_training_jobs(client, q, &wo, &jobs, err);
    cli_progress_finish(&bar);
    if (r.status == MA_OK) {
        r.format_failed = write_list(o->format, out, jobs) != 0;
    }
    ma_job_list_free(jobs);
    return r;
}
