/*
 * Retry-After = HTTP-date / delay-seconds (RFC 9110 section 10.2.3). The
 * header layer has already stripped the surrounding whitespace, so the value
 * must be one of these forms exactly:
 *   delay-seconds  1*DIGIT
 *   IMF-fixdate    Sun, 06 Nov 1994 08:49:37 GMT
 *   rfc850-date    Sunday, 06-Nov-94 08:49:37 GMT   (obsolete)
 *   asctime-date   Sun Nov  6 08:49:37 1994         (obsolete)
 * Names are case-sensitive, as the grammar says; a weekday that does not
 * match the date, an impossible date or time, another zone or any trailing
 * byte makes the value unreadable.
 */
#include <stddef.h>
#include <string.h>

#include "http/http.h"

/* A day is far beyond any sensible back-off; larger values are clamped, not rejected. */
#define RETRY_AFTER_MAX_MS (24LL * 60 * 60 * 1000)

static const char *const short_days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const long_days[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

typedef struct http_date {
    int weekday;          /* 0 = Sunday */
    int year, month, day; /* month 1-12 */
    int hour, minute, second;
} http_date;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Exactly @p n digits at *p; advances past them. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!is_digit((*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int read_literal(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return -1;
    *p += n;
    return 0;
}

/* Index of the name in @p names that *p starts with and that is followed by @p next, or -1. */
static int read_name(const char **p, const char *const *names, int count, char next)
{
    for (int i = 0; i < count; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(*p, names[i], n) == 0 && (*p)[n] == next) {
            *p += n;
            return i;
        }
    }
    return -1;
}

static int read_time_of_day(const char **p, http_date *d)
{
    if (read_digits(p, 2, &d->hour) || read_literal(p, ":") || read_digits(p, 2, &d->minute) || read_literal(p, ":") ||
        read_digits(p, 2, &d->second))
        return -1;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to the given proleptic Gregorian date (year >= 0). */
static long long days_since_epoch(int y, int m, int d)
{
    y -= m <= 2;
    long long era = y / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int year_of_epoch_ms(long long epoch_ms)
{
    long long days = epoch_ms / 86400000LL - (epoch_ms % 86400000LL < 0);
    int y = 1970 + (int)(days / 366);
    while (days_since_epoch(y + 1, 1, 1) <= days)
        y++;
    while (days_since_epoch(y, 1, 1) > days)
        y--;
    return y;
}

static int parse_imf_fixdate(const char *p, http_date *d)
{
    if ((d->weekday = read_name(&p, short_days, 7, ',')) < 0 || read_literal(&p, ", ") || read_digits(&p, 2, &d->day) ||
        read_literal(&p, " ") || (d->month = read_name(&p, months, 12, ' ') + 1) == 0 || read_literal(&p, " ") ||
        read_digits(&p, 4, &d->year) || read_literal(&p, " ") || read_time_of_day(&p, d) || read_literal(&p, " GMT") ||
        *p != '\0')
        return -1;
    return 0;
}

static int parse_rfc850_date(const char *p, long long now_epoch_ms, http_date *d)
{
    int yy = 0;
    if ((d->weekday = read_name(&p, long_days, 7, ',')) < 0 || read_literal(&p, ", ") || read_digits(&p, 2, &d->day) ||
        read_literal(&p, "-") || (d->month = read_name(&p, months, 12, '-') + 1) == 0 || read_literal(&p, "-") ||
        read_digits(&p, 2, &yy) || read_literal(&p, " ") || read_time_of_day(&p, d) || read_literal(&p, " GMT") ||
        *p != '\0')
        return -1;
    /*
     * RFC 9110 section 5.6.7: a two-digit year more than 50 years ahead is in
     * the past century; so the latest year with those digits up to 50 years
     * ahead ("00" read in 2099 is 2100).
     */
    int now_year = year_of_epoch_ms(now_epoch_ms);
    d->year = now_year - now_year % 100 + yy;
    if (d->year > now_year + 50)
        d->year -= 100;
    else if (d->year <= now_year - 50)
        d->year += 100;
    return d->year < 0 ? -1 : 0;
}

static int parse_asctime_date(const char *p, http_date *d)
{
    if ((d->weekday = read_name(&p, short_days, 7, ' ')) < 0 || read_literal(&p, " ") ||
        (d->month = read_name(&p, months, 12, ' ') + 1) == 0 || read_literal(&p, " "))
        return -1;
    /* date3 = month SP ( 2DIGIT / ( SP DIGIT ) ) */
    if (*p == ' ') {
        p++;
        if (read_digits(&p, 1, &d->day))
            return -1;
    } else if (read_digits(&p, 2, &d->day)) {
        return -1;
    }
    if (read_literal(&p, " ") || read_time_of_day(&p, d) || read_literal(&p, " ") || read_digits(&p, 4, &d->year) ||
        *p != '\0')
        return -1;
    return 0;
}

/* Seconds since the epoch of a parsed date, or -1 when a field is out of range or the weekday is wrong. */
static int date_to_epoch_seconds(const http_date *d, long long *out)
{
    /* second 60 is a leap second (RFC 5322 section 3.3). */
    if (d->day < 1 || d->day > days_in_month(d->year, d->month) || d->hour > 23 || d->minute > 59 || d->second > 60)
        return -1;
    long long days = days_since_epoch(d->year, d->month, d->day);
    long long weekday = (days % 7 + 7 + 4) % 7; /* 1970-01-01 was a Thursday */
    if (weekday != d->weekday)
        return -1;
    *out = ((days * 24 + d->hour) * 60 + d->minute) * 60 + d->second;
    return 0;
}

static long long clamp_ms(long long ms)
{
    if (ms < 0)
        return 0;
    return ms > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : ms;
}

long long ma__parse_retry_after(const char *value, long long now_epoch_ms)
{
    if (!value || !*value)
        return -1;
    if (is_digit(*value)) {
        long long seconds = 0;
        const char *p = value;
        for (; is_digit(*p); p++) {
            if (seconds <= RETRY_AFTER_MAX_MS / 1000)
                seconds = seconds * 10 + (*p - '0');
        }
        if (*p != '\0')
            return -1;
        return clamp_ms(seconds * 1000);
    }
    http_date d;
    memset(&d, 0, sizeof d);
    if (parse_imf_fixdate(value, &d) != 0 && parse_rfc850_date(value, now_epoch_ms, &d) != 0 &&
        parse_asctime_date(value, &d) != 0)
        return -1;
    long long when = 0;
    if (date_to_epoch_seconds(&d, &when) != 0)
        return -1;
    return clamp_ms(when * 1000 - now_epoch_ms);
}
