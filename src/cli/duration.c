/* Durations for ma-jobs wait: "500ms", "2s", "5m", "1h"; a plain number is seconds. */
#include "cli.h"

#include <string.h>

int cli_parse_duration(const char *text, int64_t *ms)
{
    static const struct {
        const char *suffix;
        int64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60 * 1000}, {"h", 60 * 60 * 1000}, {"", 1000}};
    const char *p = text;
    int64_t n = 0;
    if (*p < '0' || *p > '9') {
        return -1;
    }
    for (; *p >= '0' && *p <= '9'; p++) {
        n = n * 10 + (*p - '0');
        if (n > CLI_DURATION_MAX_MS) {
            return -1;
        }
    }
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(p, units[i].suffix) == 0) {
            if (n > CLI_DURATION_MAX_MS / units[i].ms) {
                return -1;
            }
            *ms = n * units[i].ms;
            return 0;
        }
    }
    return -1;
}
