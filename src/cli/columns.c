/* The column names --columns takes: those of the csv header. */
#include "cli.h"

#include <string.h>

static const char *const NAMES[CLI_COL_COUNT] = {"job_id",      "version_id",   "job_name",    "job_desc",
                                                 "status",      "status_name",  "create_time", "create_time_ms",
                                                 "duration_ms", "version_count"};

const char *cli_column_name(cli_column column)
{
    return column < CLI_COL_COUNT ? NAMES[column] : "?";
}

int cli_parse_columns(const char *text, cli_column *columns, char *bad, size_t bad_size)
{
    int n = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        int found = -1;
        for (int c = 0; c < CLI_COL_COUNT; c++) {
            if (strlen(NAMES[c]) == len && strncmp(NAMES[c], p, len) == 0) {
                found = c;
            }
        }
        if (found < 0 || n >= CLI_MAX_COLUMNS) {
            snprintf(bad, bad_size, "%.*s", (int)(len > 64 ? 64 : len), p);
            return -1;
        }
        columns[n++] = (cli_column)found;
        if (comma == NULL) {
            return n;
        }
        p = comma + 1;
    }
}
