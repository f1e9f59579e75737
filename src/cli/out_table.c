/* --format table: aligned columns, measured in terminal cells rather than bytes. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { COL_ID, COL_NAME, COL_STATUS, COL_CREATED, COL_DURATION, COL_VERSIONS, NCOLS };

static const char *const HEADERS[NCOLS] = {"JOB ID", "NAME", "STATUS", "CREATED", "DURATION", "VERSIONS"};
static const int RIGHT_ALIGNED[NCOLS] = {1, 0, 0, 0, 1, 1};

typedef struct cell {
    size_t offset; /* into the row text buffer */
    size_t width;  /* display cells */
} cell;

/* Appends plain ASCII (as every non-name cell is) and records its cell. */
static int add_ascii(cli_str *text, cell *c, const char *value)
{
    c->offset = text->len;
    c->width = strlen(value);
    return cli_str_append(text, value, c->width + 1); /* keep the NUL as separator */
}

static int add_name(cli_str *text, cell *c, const char *name)
{
    cli_str tmp = {0};
    c->width = 0;
    int rc = cli_escape_display(&tmp, name, &c->width);
    c->offset = text->len;
    if (rc == 0) {
        rc = cli_str_append(text, tmp.data, tmp.len + 1);
    }
    cli_str_free(&tmp);
    return rc;
}

static int fill_row(cli_str *text, cell *row, const ma_job *job)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRId64, job->job_id);
    if (add_ascii(text, &row[COL_ID], buf) != 0 || add_name(text, &row[COL_NAME], job->job_name) != 0) {
        return -1;
    }
    cli_status_label(job->status, buf, sizeof buf);
    if (add_ascii(text, &row[COL_STATUS], buf) != 0) {
        return -1;
    }
    cli_format_iso8601(job->create_time_ms, buf, sizeof buf);
    if (add_ascii(text, &row[COL_CREATED], buf) != 0) {
        return -1;
    }
    /* Optional fields the service did not send are empty cells, not 0. */
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_DURATION) {
        cli_format_duration(job->duration_ms, buf, sizeof buf);
    }
    if (add_ascii(text, &row[COL_DURATION], buf) != 0) {
        return -1;
    }
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_VERSION_COUNT) {
        snprintf(buf, sizeof buf, "%" PRId64, job->version_count);
    }
    return add_ascii(text, &row[COL_VERSIONS], buf);
}

static void pad(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(' ', out);
    }
}

static void print_row(FILE *out, const cli_str *text, const cell *row, const size_t *widths)
{
    for (int c = 0; c < NCOLS; c++) {
        size_t fill = widths[c] - row[c].width;
        if (c > 0) {
            fputs("  ", out);
        }
        if (RIGHT_ALIGNED[c]) {
            pad(out, fill);
        }
        fputs(text->data + row[c].offset, out);
        if (!RIGHT_ALIGNED[c] && c + 1 < NCOLS) {
            pad(out, fill);
        }
    }
    fputc('\n', out);
}

int cli_write_table_rows(FILE *out, const cli_rows *rows)
{
    size_t n = rows->count;
    int rc = -1;
    cli_str text = {0};
    /* Row 0 is the header. */
    cell *cells = calloc(n + 1, sizeof(cell) * NCOLS);
    if (cells == NULL) {
        goto cleanup;
    }
    for (int c = 0; c < NCOLS; c++) {
        if (add_ascii(&text, &cells[c], HEADERS[c]) != 0) {
            goto cleanup;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (fill_row(&text, &cells[(i + 1) * NCOLS], rows->jobs[i]) != 0) {
            goto cleanup;
        }
    }
    size_t widths[NCOLS] = {0};
    for (size_t r = 0; r <= n; r++) {
        for (int c = 0; c < NCOLS; c++) {
            if (cells[r * NCOLS + (size_t)c].width > widths[c]) {
                widths[c] = cells[r * NCOLS + (size_t)c].width;
            }
        }
    }
    for (size_t r = 0; r <= n; r++) {
        print_row(out, &text, &cells[r * NCOLS], widths);
    }
    rc = 0;
cleanup:
    free(cells);
    cli_str_free(&text);
    return rc;
}
