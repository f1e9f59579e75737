/* Durations for ma-jobs wait: "500ms", "2s", "5m", "1h" read (a plain number is seconds), and written for people. */
#include "cli.h"

#include <stdio.h>
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

void cli_format_elapsed(int64_t ms, char *buf, size_t size)
{
    if (ms < 1000) {
        snprintf(buf, size, "%lldms", (long long)(ms > 0 ? ms : 0));
        return;
    }
    int64_t s = ms / 1000;
    long long d = (long long)(s / 86400), h = (long long)(s / 3600 % 24), m = (long long)(s / 60 % 60),
              sec = (long long)(s % 60);
    /* From the largest unit that is not zero down to seconds, so the units never skip. */
    if (d > 0) {
        snprintf(buf, size, "%lldd %lldh %lldm %llds", d, h, m, sec);
    } else if (h > 0) {
        snprintf(buf, size, "%lldh %lldm %llds", h, m, sec);
    } else if (m > 0) {
        snprintf(buf, size, "%lldm %llds", m, sec);
    } else {
        snprintf(buf, size, "%llds", sec);
    }
}
