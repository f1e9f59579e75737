/* --format csv: RFC 4180 (header row, CRLF line ends, quoting only where needed). */
#include "cli.h"

#include <inttypes.h>

static const char HEADER[] =
    "job_id,version_id,job_name,job_desc,status,status_name,create_time,create_time_ms,duration_ms,version_count\r\n";

static int append_row(cli_str *line, const ma_job *job)
{
    /* The longest snprintf writes the date and an int64: well under 128 bytes even with INT64_MIN. */
    char buf[128];
    char iso[40];
    cli_format_iso8601(job->create_time_ms, iso, sizeof iso);
    snprintf(buf, sizeof buf, "%" PRId64 ",%" PRId64 ",", job->job_id, job->version_id);
    if (cli_str_puts(line, buf) != 0 || cli_csv_field(line, job->job_name) != 0 || cli_str_puts(line, ",") != 0 ||
        cli_csv_field(line, job->job_desc) != 0) {
        return -1;
    }
    snprintf(buf, sizeof buf, ",%d,", (int)job->status);
    if (cli_str_puts(line, buf) != 0 || cli_csv_field(line, ma_job_status_name(job->status)) != 0) {
        return -1;
    }
    snprintf(buf, sizeof buf, ",%s,%" PRId64 ",", iso, job->create_time_ms);
    if (cli_str_puts(line, buf) != 0) {
        return -1;
    }
    /* An optional field the service did not send is an empty cell, not 0. */
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_DURATION) {
        snprintf(buf, sizeof buf, "%" PRId64, job->duration_ms);
    }
    if (cli_str_puts(line, buf) != 0 || cli_str_puts(line, ",") != 0) {
        return -1;
    }
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_VERSION_COUNT) {
        snprintf(buf, sizeof buf, "%" PRId64, job->version_count);
    }
    if (cli_str_puts(line, buf) != 0) {
        return -1;
    }
    return cli_str_puts(line, "\r\n");
}

void cli_csv_header(FILE *out)
{
    fputs(HEADER, out);
}

int cli_csv_row(FILE *out, const ma_job *job)
{
    cli_str line = {0};
    int rc = append_row(&line, job);
    if (rc == 0) {
        fwrite(line.data, 1, line.len, out);
    }
    cli_str_free(&line);
    return rc;
}

int cli_write_csv_rows(FILE *out, const cli_rows *rows)
{
    if (rows->view == NULL || !rows->view->no_header) {
        cli_csv_header(out);
    }
    for (size_t i = 0; i < rows->count && !ferror(out); i++) {
        if (cli_csv_row(out, rows->jobs[i]) != 0) {
            return -1;
        }
    }
    return 0; /* a write error is left in ferror(out) for the caller */
}
