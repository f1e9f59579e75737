/* --format csv: RFC 4180 (header row, CRLF line ends, quoting only where needed). */
#include "cli.h"

#include <inttypes.h>

static const cli_column ALL_COLUMNS[] = {
    CLI_COL_JOB_ID,      CLI_COL_VERSION_ID,  CLI_COL_JOB_NAME,       CLI_COL_JOB_DESC,    CLI_COL_STATUS,
    CLI_COL_STATUS_NAME, CLI_COL_CREATE_TIME, CLI_COL_CREATE_TIME_MS, CLI_COL_DURATION_MS, CLI_COL_VERSION_COUNT};

/* The view's columns, or every column. */
static const cli_column *columns_of(const cli_view *view, int *n)
{
    if (view != NULL && view->columns != NULL && view->column_count > 0) {
        *n = view->column_count;
        return view->columns;
    }
    *n = (int)(sizeof ALL_COLUMNS / sizeof ALL_COLUMNS[0]);
    return ALL_COLUMNS;
}

static int append_field(cli_str *line, const ma_job *job, cli_column column)
{
    /* The longest snprintf writes the date or an int64: well under 64 bytes. */
    char buf[64];
    buf[0] = '\0';
    switch (column) {
    case CLI_COL_JOB_ID:
        snprintf(buf, sizeof buf, "%" PRId64, job->job_id);
        break;
    case CLI_COL_VERSION_ID:
        snprintf(buf, sizeof buf, "%" PRId64, job->version_id);
        break;
    case CLI_COL_JOB_NAME:
        return cli_csv_field(line, job->job_name);
    case CLI_COL_JOB_DESC:
        return cli_csv_field(line, job->job_desc);
    case CLI_COL_STATUS:
        snprintf(buf, sizeof buf, "%d", (int)job->status);
        break;
    case CLI_COL_STATUS_NAME:
        return cli_csv_field(line, ma_job_status_name(job->status));
    case CLI_COL_CREATE_TIME:
        cli_format_iso8601(job->create_time_ms, buf, sizeof buf);
        break;
    case CLI_COL_CREATE_TIME_MS:
        snprintf(buf, sizeof buf, "%" PRId64, job->create_time_ms);
        break;
    case CLI_COL_DURATION_MS:
        /* An optional field the service did not send is an empty cell, not 0. */
        if (job->present & MA_JOB_HAS_DURATION) {
            snprintf(buf, sizeof buf, "%" PRId64, job->duration_ms);
        }
        break;
    case CLI_COL_VERSION_COUNT:
        if (job->present & MA_JOB_HAS_VERSION_COUNT) {
            snprintf(buf, sizeof buf, "%" PRId64, job->version_count);
        }
        break;
    case CLI_COL_COUNT:
        break;
    }
    return cli_str_puts(line, buf);
}

int cli_csv_row(FILE *out, const ma_job *job, const cli_view *view)
{
    int n = 0;
    const cli_column *cols = columns_of(view, &n);
    cli_str line = {0};
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = (i > 0 ? cli_str_puts(&line, ",") : 0) || append_field(&line, job, cols[i]) ? -1 : 0;
    }
    if (rc == 0) {
        rc = cli_str_puts(&line, "\r\n");
    }
    if (rc == 0) {
        fwrite(line.data, 1, line.len, out);
    }
    cli_str_free(&line);
    return rc;
}

void cli_csv_header(FILE *out, const cli_view *view)
{
    int n = 0;
    const cli_column *cols = columns_of(view, &n);
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s%s", i > 0 ? "," : "", cli_column_name(cols[i]));
    }
    fputs("\r\n", out);
}

int cli_write_csv_rows(FILE *out, const cli_rows *rows)
{
    if (rows->view == NULL || !rows->view->no_header) {
        cli_csv_header(out, rows->view);
    }
    for (size_t i = 0; i < rows->count && !ferror(out); i++) {
        if (cli_csv_row(out, rows->jobs[i], rows->view) != 0) {
            return -1;
        }
    }
    return 0; /* a write error is left in ferror(out) for the caller */
}
