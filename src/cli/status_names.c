/* Names accepted for --status, --sort-by, --order and --format. */
#include "cli.h"

#include <string.h>

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int equal_nocase(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) {
            return 0;
        }
    }
    return *a == *b;
}

static const char *strip_prefix(const char *name)
{
    static const char prefix[] = "JOBSTAT_";
    size_t n = sizeof prefix - 1;
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '\0' || lower((unsigned char)name[i]) != lower((unsigned char)prefix[i])) {
            return name;
        }
    }
    return name + n;
}

int cli_parse_status(const char *text, int *out)
{
    if (text[0] >= '0' && text[0] <= '9') {
        int v = 0;
        for (const char *p = text; *p != '\0'; p++) {
            if (*p < '0' || *p > '9' || v > 100000) {
                return -1;
            }
            v = v * 10 + (*p - '0');
        }
        *out = v;
        return 0;
    }
    const char *want = strip_prefix(text);
    if (*want == '\0') {
        return -1;
    }
    for (int s = 0; s <= (int)MA_JOB_STATUS_MAX; s++) {
        if (equal_nocase(want, strip_prefix(ma_job_status_name(s)))) {
            *out = s;
            return 0;
        }
    }
    return -1;
}

int cli_parse_sort_key(const char *text, ma_sort_key *out)
{
    static const struct {
        const char *name;
        ma_sort_key key;
    } keys[] = {
        {"job_name", MA_SORT_BY_JOB_NAME},
        {"job_desc", MA_SORT_BY_JOB_DESC},
        {"status", MA_SORT_BY_STATUS},
        {"duration", MA_SORT_BY_DURATION},
        {"version_count", MA_SORT_BY_VERSION_COUNT},
        {"create_time", MA_SORT_BY_CREATE_TIME},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(text, keys[i].name) == 0) {
            *out = keys[i].key;
            return 0;
        }
    }
    return -1;
}

int cli_parse_order(const char *text, ma_sort_order *out)
{
    if (strcmp(text, "asc") == 0) {
        *out = MA_ORDER_ASC;
    } else if (strcmp(text, "desc") == 0) {
        *out = MA_ORDER_DESC;
    } else {
        return -1;
    }
    return 0;
}

int cli_parse_format(const char *text, cli_format *out)
{
    if (strcmp(text, "table") == 0) {
        *out = CLI_FORMAT_TABLE;
    } else if (strcmp(text, "json") == 0) {
        *out = CLI_FORMAT_JSON;
    } else if (strcmp(text, "jsonl") == 0) {
        *out = CLI_FORMAT_JSONL;
    } else if (strcmp(text, "csv") == 0) {
        *out = CLI_FORMAT_CSV;
    } else {
        return -1;
    }
    return 0;
}

void cli_status_label(int32_t status, char *buf, size_t size)
{
    const char *name = ma_job_status_name(status);
    if (status >= 0 && status <= (int32_t)MA_JOB_STATUS_MAX) {
        snprintf(buf, size, "%s", name);
    } else {
        snprintf(buf, size, "%s(%d)", name, (int)status);
    }
}

void cli_status_short_label(int32_t status, char *buf, size_t size)
{
    cli_status_label(status, buf, size);
    const char *rest = strip_prefix(buf);
    if (rest != buf) {
        memmove(buf, rest, strlen(rest) + 1);
    }
}
