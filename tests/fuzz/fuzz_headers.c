/*
 * Response header parsing: raw header lines as libcurl delivers them, then
 * what a failure takes from them (X-Request-Id, Retry-After). Input: six
 * bytes of "now" (ms), a form byte and two delta bytes for a Retry-After date
 * round trip, then the header block (lines end in '\n').
 *
 * Checked: every parsed field lies inside its line and is trimmed; the
 * request id is a sanitised, terminated copy; Retry-After is -1 or within
 * [0, 24 h], equals the delay for digit-only values, and a date formatted in
 * each of the three RFC 9110 forms parses back to the right delay.
 */
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "http/http.h"
#include "modelarts/modelarts.h"

#define MAX_RETRY_MS  (24LL * 60 * 60 * 1000)
#define MAX_EPOCH_MS  253402300800000LL /* 10000-01-01: the last year four digits can write */
#define HEADER_TAKEN  "X-Request-Id"
#define HEADER_RETRY  "Retry-After"
#define SECONDS_A_DAY 86400LL

static const char *const short_days[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const long_days[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void check_line(const char *line, size_t len, const ma__header_line *h, ma__header_line_kind kind)
{
    const char *end = line + len;
    if (kind == MA__HEADER_LINE_STATUS) {
        FUZZ_CHECK(h->status == 0 || (h->status >= 100 && h->status <= 999), "status %d", h->status);
        FUZZ_CHECK(len >= 5 && memcmp(line, "HTTP/", 5) == 0, "status line without HTTP/");
        return;
    }
    if (kind != MA__HEADER_LINE_FIELD)
        return;
    FUZZ_CHECK(h->name == line && h->name_len > 0 && h->name_len < len, "name outside the line");
    FUZZ_CHECK(line[h->name_len] == ':', "name not followed by ':'");
    for (size_t i = 0; i < h->name_len; i++)
        FUZZ_CHECK(!is_ws(h->name[i]) && h->name[i] != ':', "white space or ':' in the name");
    FUZZ_CHECK(h->value > line + h->name_len && h->value + h->value_len <= end, "value outside the line");
    FUZZ_CHECK(h->value_len == 0 || (!is_ws(h->value[0]) && !is_ws(h->value[h->value_len - 1])), "value not trimmed");
}

/* The digit-only form by its own reading: seconds, saturating, times 1000, capped at a day. */
static long long digits_reference(const char *v)
{
    long long seconds = 0;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -2; /* not this form */
        seconds = seconds > MAX_RETRY_MS ? seconds : seconds * 10 + (*v - '0');
    }
    return seconds * 1000 > MAX_RETRY_MS ? MAX_RETRY_MS : seconds * 1000;
}

static void check_taken(const ma__header_list *headers, long long now_ms)
{
    ma_error err;
    ma_error_clear(&err);
    ma__error_take_headers(&err, headers, now_ms);
    const char *id = ma__headers_get(headers, HEADER_TAKEN);
    size_t id_len = strnlen(err.request_id, sizeof err.request_id);
    FUZZ_CHECK(id_len < sizeof err.request_id, "request id not terminated");
    for (size_t i = 0; i < id_len; i++)
        FUZZ_CHECK((unsigned char)err.request_id[i] >= 0x20 && err.request_id[i] != 0x7f, "control byte in id");
    if (id && strlen(id) < sizeof err.request_id && !strchr(id, '\x7f')) {
        int plain = 1;
        for (const char *p = id; *p; p++)
            plain = plain && (unsigned char)*p >= 0x20;
        FUZZ_CHECK(!plain || strcmp(err.request_id, id) == 0, "request id \"%s\" taken as \"%s\"", id, err.request_id);
    }
    if (!id)
        FUZZ_CHECK(err.request_id[0] == '\0', "request id without the header");
    const char *retry = ma__headers_get(headers, HEADER_RETRY);
    long long ms = err.retry_after_ms;
    FUZZ_CHECK(ms == -1 || (ms >= 0 && ms <= MAX_RETRY_MS), "retry after %lld", ms);
    if (!retry) {
        FUZZ_CHECK(ms == -1, "retry after %lld without the header", ms);
        return;
    }
    long long want = retry[0] ? digits_reference(retry) : -1;
    if (want != -2)
        FUZZ_CHECK(ms == want, "Retry-After \"%s\": %lld, expected %lld", retry, ms, want);
    FUZZ_CHECK(ma__parse_retry_after(retry, now_ms) == ms, "parse differs from what was taken");
}

/* Formats @p when (seconds) in RFC 9110 form @p form (0 IMF-fixdate, 1 rfc850, 2 asctime). */
static void format_http_date(long long when, int form, char *buf, size_t size)
{
    time_t t = (time_t)when;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        abort();
    int year = tm.tm_year + 1900;
    if (form == 0)
        snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", short_days[tm.tm_wday], tm.tm_mday,
                 months[tm.tm_mon], year, tm.tm_hour, tm.tm_min, tm.tm_sec);
    else if (form == 1)
        snprintf(buf, size, "%s, %02d-%s-%02d %02d:%02d:%02d GMT", long_days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                 year % 100, tm.tm_hour, tm.tm_min, tm.tm_sec);
    else
        snprintf(buf, size, "%s %s %2d %02d:%02d:%02d %04d", short_days[tm.tm_wday], months[tm.tm_mon], tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec, year);
}

/* A date near "now" written in one of the three forms parses back to its distance from now. */
static void check_date_round_trip(long long now_ms, int form, int delta_units)
{
    long long when = now_ms / 1000 + (long long)delta_units * 7; /* about +-2.6 days */
    if (when < 0 || when * 1000 >= MAX_EPOCH_MS)
        return;
    char text[64];
    format_http_date(when, form, text, sizeof text);
    long long want = when * 1000 - now_ms;
    want = want < 0 ? 0 : want > MAX_RETRY_MS ? MAX_RETRY_MS : want;
    long long got = ma__parse_retry_after(text, now_ms);
    FUZZ_CHECK(got == want, "\"%s\" at now=%lld ms: %lld, expected %lld", text, now_ms, got, want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    long long now_ms = (long long)(fuzz_number(&in, 6) % (uint64_t)MAX_EPOCH_MS);
    int form = fuzz_byte(&in) % 3;
    int delta_units = (int)(int16_t)(uint16_t)fuzz_number(&in, 2);
    check_date_round_trip(now_ms, form, delta_units);

    ma__header_list headers;
    ma__headers_init(&headers, ma_default_allocator());
    const char *p = (const char *)in.data, *end = p + in.size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        ma__header_line h;
        ma__header_line_kind kind = ma__header_line_parse(p, len, &h);
        check_line(p, len, &h, kind);
        if (kind == MA__HEADER_LINE_STATUS)
            ma__headers_clear(&headers);
        else if (kind == MA__HEADER_LINE_FIELD &&
                 ma__headers_add(&headers, h.name, h.name_len, h.value, h.value_len, 0) != 0)
            abort();
        p += len;
    }
    check_taken(&headers, now_ms);
    ma__headers_free(&headers);
    return 0;
}
