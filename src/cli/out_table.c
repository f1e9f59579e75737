/*
 * --format table: aligned columns, measured in terminal cells rather than
 * bytes, fitted to a width: the optional columns on the right go first, then
 * long names (and, on a very narrow terminal, statuses) are cut with an ellipsis.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS      CLI_COL_COUNT
#define COL_NAME   CLI_COL_JOB_NAME
#define COL_STATUS CLI_COL_STATUS

/* Indexed by cli_column. */
static const char *const HEADERS[NCOLS] = {"JOB ID",      "VERSION ID", "NAME",       "DESCRIPTION", "STATUS",
                                           "STATUS NAME", "CREATED",    "CREATED MS", "DURATION",    "VERSIONS"};
static const int RIGHT_ALIGNED[NCOLS] = {1, 1, 0, 0, 0, 0, 0, 1, 1, 1};
/* What the table shows without --columns. */
static const cli_column DEFAULT_COLUMNS[] = {CLI_COL_JOB_ID,      CLI_COL_JOB_NAME,    CLI_COL_STATUS,
                                             CLI_COL_CREATE_TIME, CLI_COL_DURATION_MS, CLI_COL_VERSION_COUNT};

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
    if (add_ascii(text, &row[CLI_COL_JOB_ID], buf) != 0) {
        return -1;
    }
    snprintf(buf, sizeof buf, "%" PRId64, job->version_id);
    if (add_ascii(text, &row[CLI_COL_VERSION_ID], buf) != 0 || add_name(text, &row[COL_NAME], job->job_name) != 0 ||
        add_name(text, &row[CLI_COL_JOB_DESC], (job->present & MA_JOB_HAS_DESC) ? job->job_desc : "") != 0) {
        return -1;
    }
    cli_status_short_label(job->status, buf, sizeof buf);
    if (add_ascii(text, &row[COL_STATUS], buf) != 0) {
        return -1;
    }
    cli_status_label(job->status, buf, sizeof buf);
    if (add_ascii(text, &row[CLI_COL_STATUS_NAME], buf) != 0) {
        return -1;
    }
    cli_format_iso8601(job->create_time_ms, buf, sizeof buf);
    if (add_ascii(text, &row[CLI_COL_CREATE_TIME], buf) != 0) {
        return -1;
    }
    snprintf(buf, sizeof buf, "%" PRId64, job->create_time_ms);
    if (add_ascii(text, &row[CLI_COL_CREATE_TIME_MS], buf) != 0) {
        return -1;
    }
    /* Optional fields the service did not send are empty cells, not 0. */
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_DURATION) {
        cli_format_duration(job->duration_ms, buf, sizeof buf);
    }
    if (add_ascii(text, &row[CLI_COL_DURATION_MS], buf) != 0) {
        return -1;
    }
    buf[0] = '\0';
    if (job->present & MA_JOB_HAS_VERSION_COUNT) {
        snprintf(buf, sizeof buf, "%" PRId64, job->version_count);
    }
    return add_ascii(text, &row[CLI_COL_VERSION_COUNT], buf);
}

static void pad(FILE *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fputc(' ', out);
    }
}

static void print_row(FILE *out, const cli_str *text, const cell *row, const size_t *widths, const cli_column *order,
                      const int *shown, int n)
{
    int last = n - 1;
    while (last > 0 && !shown[last]) {
        last--;
    }
    int first = 1;
    for (int i = 0; i <= last; i++) {
        if (!shown[i]) {
            continue;
        }
        cli_column c = order[i];
        size_t fill = widths[i] - row[c].width;
        if (!first) {
            fputs("  ", out);
        }
        first = 0;
        if (RIGHT_ALIGNED[c]) {
            pad(out, fill);
        }
        fputs(text->data + row[c].offset, out);
        if (!RIGHT_ALIGNED[c] && i < last) {
            pad(out, fill);
        }
    }
    fputc('\n', out);
}

/* Cuts a cell wider than @p width to width - 1 cells plus an ellipsis (a new copy at the end of @p text). */
static int cut_cell(cli_str *text, cell *c, size_t width)
{
    if (c->width <= width) {
        return 0;
    }
    size_t kept = 0;
    /* The offset may move when text grows: copy the prefix first. */
    size_t n = cli_display_prefix(text->data + c->offset, width > 0 ? width - 1 : 0, &kept);
    char *prefix = malloc(n + 1);
    if (prefix == NULL) {
        return -1;
    }
    memcpy(prefix, text->data + c->offset, n);
    prefix[n] = '\0';
    c->offset = text->len;
    int rc = cli_str_append(text, prefix, n);
    free(prefix);
    if (rc != 0 || cli_str_append(text, "\xe2\x80\xa6", 4) != 0) { /* U+2026 and the NUL */
        return -1;
    }
    c->width = kept + 1;
    return 0;
}

static size_t line_width(const size_t *widths, const int *shown, int n)
{
    size_t total = 0;
    int cols = 0;
    for (int i = 0; i < n; i++) {
        if (shown[i]) {
            total += widths[i];
            cols++;
        }
    }
    return total + (cols > 1 ? 2 * (size_t)(cols - 1) : 0);
}

/* Narrows the columns showing @p col to no fewer than @p floor cells by up to @p excess; returns the cells saved. */
static size_t narrow(size_t *widths, const cli_column *order, const int *shown, int n, cli_column col, size_t floor,
                     size_t excess)
{
    size_t saved = 0;
    for (int i = 0; i < n && saved < excess; i++) {
        if (order[i] != col || !shown[i]) {
            continue;
        }
        size_t can = widths[i] > floor ? widths[i] - floor : 0;
        size_t take = can < excess - saved ? can : excess - saved;
        widths[i] -= take;
        saved += take;
    }
    return saved;
}

/* Below this many name cells the optional columns make way for the name. */
#define NAME_COMFORT 16
/* Names are cut to this before statuses are cut at all; statuses to this before names go further. */
#define NAME_FLOOR   10
#define STATUS_FLOOR 12

static size_t name_width(const size_t *widths, const cli_column *order, int n)
{
    for (int i = 0; i < n; i++) {
        if (order[i] == COL_NAME) {
            return widths[i];
        }
    }
    return 0;
}

/* Fits the line in @p max_width: optional columns (only of the default set) go first, then text is cut. */
static void fit(size_t *widths, const cli_column *order, int *shown, int n, int optional_columns, size_t max_width)
{
    for (int i = n - 1; optional_columns && i >= 3; i--) {
        size_t total = line_width(widths, shown, n);
        if (total <= max_width) {
            return;
        }
        size_t name = name_width(widths, order, n);
        size_t name_room = name > NAME_COMFORT ? name - NAME_COMFORT : 0;
        if (total - name_room <= max_width) {
            break;
        }
        shown[i] = 0;
    }
    const struct {
        cli_column col;
        size_t floor;
    } steps[] = {
        {CLI_COL_JOB_DESC, sizeof "DESCRIPTION" - 1}, {COL_NAME, NAME_FLOOR},        {COL_STATUS, STATUS_FLOOR},
        {CLI_COL_STATUS_NAME, STATUS_FLOOR},          {COL_NAME, sizeof "NAME" - 1}, {COL_STATUS, sizeof "STATUS" - 1}};
    size_t total = line_width(widths, shown, n);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && total > max_width; i++) {
        total -= narrow(widths, order, shown, n, steps[i].col, steps[i].floor, total - max_width);
    }
}

int cli_write_table_rows(FILE *out, const cli_rows *rows)
{
    size_t n = rows->count;
    int rc = -1;
    cli_str text = {0};
    const cli_view *view = rows->view;
    const cli_column *order = DEFAULT_COLUMNS;
    int ncols = (int)(sizeof DEFAULT_COLUMNS / sizeof DEFAULT_COLUMNS[0]);
    int optional_columns = 1;
    if (view != NULL && view->columns != NULL && view->column_count > 0) {
        order = view->columns;
        ncols = view->column_count;
        optional_columns = 0;
    }
    /* Row 0 is the header; every row holds every column, the order picks. */
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
    size_t widths[CLI_MAX_COLUMNS] = {0};
    int shown[CLI_MAX_COLUMNS];
    for (int i = 0; i < ncols; i++) {
        shown[i] = 1;
    }
    int header = view == NULL || !view->no_header;
    for (size_t r = header ? 0 : 1; r <= n; r++) {
        for (int i = 0; i < ncols; i++) {
            if (cells[r * NCOLS + (size_t)order[i]].width > widths[i]) {
                widths[i] = cells[r * NCOLS + (size_t)order[i]].width;
            }
        }
    }
    if (view != NULL && view->max_width > 0) {
        fit(widths, order, shown, ncols, optional_columns, view->max_width);
        /* A column shown twice is cut to the narrower width. */
        for (size_t r = 0; r <= n; r++) {
            for (int i = 0; i < ncols; i++) {
                if (shown[i] && cut_cell(&text, &cells[r * NCOLS + (size_t)order[i]], widths[i]) != 0) {
                    goto cleanup;
                }
            }
        }
    }
    for (size_t r = header ? 0 : 1; r <= n; r++) {
        print_row(out, &text, &cells[r * NCOLS], widths, order, shown, ncols);
    }
    rc = 0;
cleanup:
    free(cells);
    cli_str_free(&text);
    return rc;
}
