#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "util/error.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"
#include "util/text.h"

/* ---- helpers ---------------------------------------------------------------------------------------- */

static void free_detached(char *p)
{
    const ma_allocator *a = test_allocator();
    a->free(a->ctx, p);
}

static int is_unreserved_byte(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (long long)era * 146097 + doe - 719468;
}

static long long epoch_ms_utc(int y, int mo, int d, int h, int mi, int s)
{
    return ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

/* ---- ma__utf8_validate -------------------------------------------------------------------------------- */

typedef struct utf8_case {
    const char *s;
    size_t len;
    size_t chars;
} utf8_case;

#define U8(lit, n)              \
    {                           \
        lit, sizeof(lit) - 1, n \
    }

static void ma__utf8_validate_valid_sequences_counts_code_points(void **state)
{
    (void)state;
    static const utf8_case valid[] = {
        U8("", 0),
        U8("a", 1),
        U8("abc", 3),
        U8("\x7F", 1),             /* U+007F, last 1-byte */
        U8("\xC2\x80", 1),         /* U+0080, first 2-byte */
        U8("\xC3\xA9", 1),         /* é */
        U8("\xDF\xBF", 1),         /* U+07FF, last 2-byte */
        U8("\xE0\xA0\x80", 1),     /* U+0800, first 3-byte */
        U8("\xE2\x82\xAC", 1),     /* € */
        U8("\xED\x9F\xBF", 1),     /* U+D7FF, just below the surrogates */
        U8("\xEE\x80\x80", 1),     /* U+E000, just above the surrogates */
        U8("\xEF\xBF\xBF", 1),     /* U+FFFF */
        U8("\xF0\x90\x80\x80", 1), /* U+10000, first 4-byte */
        U8("\xF0\x9D\x84\x9E", 1), /* 𝄞 */
        U8("\xF4\x8F\xBF\xBF", 1), /* U+10FFFF, the last code point */
        U8("a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E", 4),
        U8("\xC3\xA4\xC3\xB6\xC3\xBC", 3),
        U8("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 3),
    };
    for (size_t i = 0; i < ARRAY_LEN(valid); i++) {
        size_t chars = 12345;
        assert_int_equal(ma__utf8_validate(valid[i].s, valid[i].len, &chars), 1);
        assert_int_equal(chars, valid[i].chars);
        assert_int_equal(ma__utf8_validate(valid[i].s, valid[i].len, NULL), 1);
    }
}

static void ma__utf8_validate_invalid_sequences_rejected(void **state)
{
    (void)state;
    static const utf8_case invalid[] = {
        U8("\x80", 0), /* lone continuation bytes */
        U8("\xBF", 0),
        U8("a\x80"
           "b",
           0),
        U8("\xC3\xA9\xA9", 0), /* one continuation too many */
        U8("\xC0\xAF", 0),     /* overlong 2-byte forms */
        U8("\xC0\x80", 0),
        U8("\xC1\xBF", 0),
        U8("\xE0\x80\xAF", 0), /* overlong 3-byte forms */
        U8("\xE0\x9F\xBF", 0),
        U8("\xF0\x80\x80\xAF", 0), /* overlong 4-byte forms */
        U8("\xF0\x8F\xBF\xBF", 0),
        U8("\xED\xA0\x80", 0), /* surrogates */
        U8("\xED\xAF\xBF", 0),
        U8("\xED\xB0\x80", 0),
        U8("\xED\xBF\xBF", 0),
        U8("\xED\xA0\xBD\xED\xB8\x80", 0), /* CESU-8 pair */
        U8("\xC3", 0),                     /* truncated sequences */
        U8("\xE2\x82", 0),
        U8("\xE2", 0),
        U8("\xF0\x9D\x84", 0),
        U8("abc\xF0\x9D", 0),
        U8("\xC3(", 0), /* missing continuation */
        U8("\xE2(\xA1", 0),
        U8("\xE2\x82(", 0),
        U8("\xF0(\x84\x9E", 0),
        U8("\xF0\x9D\x84(", 0),
        U8("\xF4\x90\x80\x80", 0), /* above U+10FFFF */
        U8("\xF4\xBF\xBF\xBF", 0),
        U8("\xF5\x80\x80\x80", 0), /* leads that never occur */
        U8("\xF7\xBF\xBF\xBF", 0),
        U8("\xF8\x88\x80\x80\x80", 0),
        U8("\xFC\x84\x80\x80\x80\x80", 0),
        U8("\xFE", 0),
        U8("\xFF", 0),
    };
    for (size_t i = 0; i < ARRAY_LEN(invalid); i++) {
        size_t chars = 0;
        if (ma__utf8_validate(invalid[i].s, invalid[i].len, &chars) != 0)
            fail_msg("case %zu accepted", i);
        assert_int_equal(ma__utf8_validate(invalid[i].s, invalid[i].len, NULL), 0);
    }
}

static void ma__utf8_validate_every_single_byte_valid_only_below_0x80(void **state)
{
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        char c = (char)b;
        size_t chars = 0;
        int ok = ma__utf8_validate(&c, 1, &chars);
        assert_int_equal(ok, b < 0x80);
        if (ok)
            assert_int_equal(chars, 1);
    }
}

static void ma__utf8_validate_length_not_nul_decides_extent(void **state)
{
    (void)state;
    size_t chars = 0;
    /* Embedded NUL bytes are data, counted as characters. */
    assert_int_equal(ma__utf8_validate("a\0b", 3, &chars), 1);
    assert_int_equal(chars, 3);
    assert_int_equal(ma__utf8_validate("\0\0", 2, &chars), 1);
    assert_int_equal(chars, 2);
    /* A NUL in the middle of a sequence is not a continuation byte. */
    assert_int_equal(ma__utf8_validate("\xC3\0", 2, &chars), 0);
    /* Bytes past len are ignored, whatever they are. */
    assert_int_equal(ma__utf8_validate("abc\xFF", 3, &chars), 1);
    assert_int_equal(chars, 3);
    assert_int_equal(ma__utf8_validate("\xFF", 0, &chars), 1);
    assert_int_equal(chars, 0);
    /* A len that cuts a sequence makes it truncated. */
    assert_int_equal(ma__utf8_validate("\xC3\xA9", 1, &chars), 0);
    assert_int_equal(ma__utf8_validate("\xE2\x82\xAC", 2, &chars), 0);
    assert_int_equal(ma__utf8_validate("x\xF0\x9D\x84\x9E", 4, &chars), 0);
    assert_int_equal(ma__utf8_validate("x\xF0\x9D\x84\x9E", 5, &chars), 1);
    assert_int_equal(chars, 2);
}

static void ma__utf8_validate_long_text_counts_every_character(void **state)
{
    (void)state;
    char text[1000 * 4];
    size_t len = 0;
    static const char *const units[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};
    for (size_t i = 0; i < 1000; i++) {
        const char *u = units[i % 4];
        memcpy(text + len, u, strlen(u));
        len += strlen(u);
    }
    size_t chars = 0;
    assert_int_equal(ma__utf8_validate(text, len, &chars), 1);
    assert_int_equal(chars, 1000);
    text[len - 1] = 'x'; /* break the last 4-byte sequence */
    assert_int_equal(ma__utf8_validate(text, len, &chars), 0);
}

/* ---- ma__no_control_bytes ----------------------------------------------------------------------------- */

static void ma__no_control_bytes_every_byte_classified(void **state)
{
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        char s[3] = {'a', (char)b, 'z'};
        int expected = !(b < 0x20 || b == 0x7F);
        assert_int_equal(ma__no_control_bytes(s, 3), expected);
    }
}

static void ma__no_control_bytes_length_bounds_the_scan(void **state)
{
    (void)state;
    assert_int_equal(ma__no_control_bytes("", 0), 1);
    assert_int_equal(ma__no_control_bytes("\x01", 0), 1);
    assert_int_equal(ma__no_control_bytes("ab\x01", 2), 1);
    assert_int_equal(ma__no_control_bytes("ab\x01", 3), 0);
    assert_int_equal(ma__no_control_bytes("ab\0cd", 5), 0);
    assert_int_equal(ma__no_control_bytes("\xC3\xA9 ok~", 6), 1);
}

/* ---- ma__pct_encode ----------------------------------------------------------------------------------- */

static void ma__pct_encode_every_byte_unreserved_kept_others_upper_hex(void **state)
{
    (void)state;
    for (unsigned b = 0; b < 256; b++) {
        ma__buf out;
        ma__buf_init(&out, test_allocator());
        char in = (char)b;
        assert_int_equal(ma__pct_encode(&out, &in, 1), 0);
        char expected[4];
        if (is_unreserved_byte(b))
            snprintf(expected, sizeof expected, "%c", (int)b);
        else
            snprintf(expected, sizeof expected, "%%%02X", b);
        assert_int_equal(out.len, strlen(expected));
        assert_memory_equal(out.data, expected, out.len);
        assert_int_equal(out.data[out.len], '\0');
        ma__buf_free(&out);
    }
}

static void ma__pct_encode_all_bytes_at_once_output_length_matches(void **state)
{
    (void)state;
    char in[256];
    char expected[256 * 3 + 1];
    size_t exp_len = 0, kept = 0;
    for (unsigned b = 0; b < 256; b++) {
        in[b] = (char)b;
        if (is_unreserved_byte(b)) {
            expected[exp_len++] = (char)b;
            kept++;
        } else {
            snprintf(expected + exp_len, 4, "%%%02X", b);
            exp_len += 3;
        }
    }
    assert_int_equal(kept, 66); /* 26 + 26 + 10 + "-._~" */
    assert_int_equal(exp_len, kept + 3 * (256 - kept));

    ma__buf out;
    ma__buf_init(&out, test_allocator());
    assert_int_equal(ma__buf_append_str(&out, "p="), 0);
    assert_int_equal(ma__pct_encode(&out, in, sizeof in), 0);
    assert_int_equal(out.len, 2 + exp_len);
    assert_memory_equal(out.data, "p=", 2);
    assert_memory_equal(out.data + 2, expected, exp_len);
    assert_int_equal(out.data[out.len], '\0');
    assert_int_equal(strlen(out.data), out.len);
    ma__buf_free(&out);
}

static void ma__pct_encode_empty_input_leaves_empty_string(void **state)
{
    (void)state;
    ma__buf out;
    ma__buf_init(&out, test_allocator());
    assert_int_equal(ma__pct_encode(&out, "", 0), 0);
    assert_int_equal(out.len, 0);
    assert_non_null(out.data);
    assert_string_equal(out.data, "");
    ma__buf_free(&out);
}

static void ma__pct_encode_allocation_fails_returns_minus_one_buffer_intact(void **state)
{
    (void)state;
    ma__buf out;
    ma__buf_init(&out, test_allocator());
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__pct_encode(&out, "a b", 3)), -1);
    assert_null(out.data);
    assert_int_equal(out.len, 0);

    assert_int_equal(ma__buf_append_str(&out, "keep"), 0);
    char big[400];
    memset(big, ' ', sizeof big);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__pct_encode(&out, big, sizeof big)), -1);
    assert_int_equal(out.len, 4);
    assert_string_equal(out.data, "keep");
    ma__buf_free(&out);
}

/* ---- ma__buf ------------------------------------------------------------------------------------------ */

static void ma__buf_many_appends_grow_and_keep_content(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    const size_t rounds = 5000;
    size_t caps_seen = 0, last_cap = 0;
    for (size_t i = 0; i < rounds; i++) {
        char chunk[16];
        int n = snprintf(chunk, sizeof chunk, "%zu,", i);
        assert_true(n > 0);
        if (i % 3 == 0)
            assert_int_equal(ma__buf_append_str(&b, chunk), 0);
        else if (i % 3 == 1)
            assert_int_equal(ma__buf_append(&b, chunk, (size_t)n), 0);
        else
            for (int k = 0; k < n; k++)
                assert_int_equal(ma__buf_append_char(&b, chunk[k]), 0);
        assert_true(b.cap > b.len);
        assert_int_equal(b.data[b.len], '\0');
        if (b.cap != last_cap) {
            caps_seen++;
            last_cap = b.cap;
        }
    }
    assert_true(caps_seen > 3);

    /* Rebuild the expected text independently and compare. */
    size_t pos = 0;
    for (size_t i = 0; i < rounds; i++) {
        char chunk[16];
        int n = snprintf(chunk, sizeof chunk, "%zu,", i);
        assert_true(pos + (size_t)n <= b.len);
        assert_memory_equal(b.data + pos, chunk, (size_t)n);
        pos += (size_t)n;
    }
    assert_int_equal(pos, b.len);
    assert_int_equal(strlen(b.data), b.len);
    ma__buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
}

static void ma__buf_append_binary_keeps_embedded_nul(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_int_equal(ma__buf_append(&b, "a\0b", 3), 0);
    assert_int_equal(ma__buf_append(&b, "", 0), 0);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b\0", 4);
    ma__buf_free(&b);
}

static void ma__buf_detach_hands_over_data_and_empties_buffer(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_int_equal(ma__buf_append_str(&b, "hello"), 0);
    assert_int_equal(ma__buf_append_char(&b, '!'), 0);
    char *s = ma__buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "hello!");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);

    /* The buffer is reusable after detaching. */
    assert_int_equal(ma__buf_append_str(&b, "again"), 0);
    assert_string_equal(b.data, "again");
    assert_true(b.data != s);
    ma__buf_free(&b);
    free_detached(s);
}

static void ma__buf_detach_unused_buffer_returns_empty_string(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    char *s = ma__buf_detach(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_null(b.data);
    free_detached(s);

    assert_null(UNIT_ALLOCS_FAILING_PTR(ma__buf_detach(&b)));
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void ma__buf_clear_keeps_memory_and_empties_text(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    ma__buf_clear(&b); /* never allocated: still fine */
    assert_null(b.data);
    assert_int_equal(b.len, 0);

    assert_int_equal(ma__buf_append_str(&b, "some text"), 0);
    char *data = b.data;
    size_t cap = b.cap;
    ma__buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");

    /* Appending after a clear needs no allocation. */
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_append_str(&b, "new")), 0);
    assert_string_equal(b.data, "new");
    ma__buf_free(&b);
}

static void ma__buf_allocation_fails_returns_minus_one_buffer_intact(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());

    /* First allocation fails. */
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_append_str(&b, "x")), -1);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_append_char(&b, 'x')), -1);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_reserve(&b, 10)), -1);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);

    /* Growth fails: content, length and capacity stay as they were. */
    assert_int_equal(ma__buf_append_str(&b, "prefix"), 0);
    char *data = b.data;
    size_t cap = b.cap;
    char big[4096];
    memset(big, 'q', sizeof big);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_append(&b, big, sizeof big)), -1);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_reserve(&b, cap)), -1);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_int_equal(b.len, 6);
    assert_string_equal(b.data, "prefix");

    /* Once memory is back the same append works. */
    assert_int_equal(ma__buf_append(&b, big, sizeof big), 0);
    assert_int_equal(b.len, 6 + sizeof big);
    assert_memory_equal(b.data + 6, big, sizeof big);
    ma__buf_free(&b);
}

static void ma__buf_reserve_overflowing_size_fails_without_allocating(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_int_equal(ma__buf_append_str(&b, "abc"), 0);
    test_alloc_reset();
    assert_int_equal(ma__buf_reserve(&b, SIZE_MAX), -1);
    assert_int_equal(ma__buf_reserve(&b, SIZE_MAX - 3), -1);
    assert_int_equal(test_alloc_attempts(), 0);
    assert_string_equal(b.data, "abc");
    ma__buf_free_secure(&b);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
}

/* ---- ma__parse_retry_after ---------------------------------------------------------------------------- */

#define DAY_MS (24LL * 60 * 60 * 1000)

static void ma__parse_retry_after_delta_seconds_converted_to_ms(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        long long ms;
    } cases[] = {
        {"0", 0}, {"1", 1000}, {"120", 120000}, {"007", 7000}, {"3600", 3600000}, {"86400", DAY_MS},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        assert_int_equal(ma__parse_retry_after(cases[i].value, 0), cases[i].ms);
        /* now does not matter for a delta. */
        assert_int_equal(ma__parse_retry_after(cases[i].value, 1445412480000LL), cases[i].ms);
    }
}

static void ma__parse_retry_after_huge_delta_clamped_to_one_day(void **state)
{
    (void)state;
    static const char *const huge[] = {"86401", "1000000", "2147483648", "9223372036854775807",
                                       "99999999999999999999999999999999999999"};
    for (size_t i = 0; i < ARRAY_LEN(huge); i++)
        assert_int_equal(ma__parse_retry_after(huge[i], 0), DAY_MS);
}

static void ma__parse_retry_after_garbage_returns_minus_one(void **state)
{
    (void)state;
    static const char *const bad[] = {"-1", "abc", "12abc", "", "1.5", "+5", "0x10", "120s", "Wed, 99 Foo"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        if (ma__parse_retry_after(bad[i], 1445412480000LL) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
    }
    assert_int_equal(ma__parse_retry_after(NULL, 0), -1);
}

static void ma__parse_retry_after_http_date_relative_to_now(void **state)
{
    (void)state;
    const long long when = epoch_ms_utc(2015, 10, 21, 7, 28, 0);
    static const char *const forms[] = {
        "Wed, 21 Oct 2015 07:28:00 GMT",     /* IMF-fixdate */
        "Wednesday, 21-Oct-15 07:28:00 GMT", /* obsolete RFC 850 */
        "Wed Oct 21 07:28:00 2015",          /* obsolete asctime */
    };
    for (size_t i = 0; i < ARRAY_LEN(forms); i++) {
        assert_int_equal(ma__parse_retry_after(forms[i], when - 30000), 30000);
        assert_int_equal(ma__parse_retry_after(forms[i], when - 1), 1);
        assert_int_equal(ma__parse_retry_after(forms[i], when), 0);
    }
}

static void ma__parse_retry_after_past_date_returns_zero(void **state)
{
    (void)state;
    const long long when = epoch_ms_utc(2015, 10, 21, 7, 28, 0);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when + 1), 0);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when + DAY_MS * 365), 0);
    assert_int_equal(ma__parse_retry_after("Thu, 01 Jan 1970 00:00:01 GMT", epoch_ms_utc(2024, 2, 29, 12, 0, 0)), 0);
}

static void ma__parse_retry_after_far_future_date_clamped_to_one_day(void **state)
{
    (void)state;
    const long long when = epoch_ms_utc(2015, 10, 21, 7, 28, 0);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when - DAY_MS - 1), DAY_MS);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when - DAY_MS), DAY_MS);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", when - DAY_MS + 1000), DAY_MS - 1000);
    assert_int_equal(ma__parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 0), DAY_MS);
}

typedef struct retry_date_case {
    const char *value;
    long long when_ms; /* the instant the value names */
} retry_date_case;

static void ma__parse_retry_after_every_http_date_form_read_exactly(void **state)
{
    (void)state;
    const retry_date_case cases[] = {
        /* RFC 9110 section 5.6.7's own examples. */
        {"Sun, 06 Nov 1994 08:49:37 GMT", epoch_ms_utc(1994, 11, 6, 8, 49, 37)},
        {"Sunday, 06-Nov-94 08:49:37 GMT", epoch_ms_utc(1994, 11, 6, 8, 49, 37)},
        {"Sun Nov  6 08:49:37 1994", epoch_ms_utc(1994, 11, 6, 8, 49, 37)},
        /* asctime's day may also be two digits. */
        {"Sun Nov 06 08:49:37 1994", epoch_ms_utc(1994, 11, 6, 8, 49, 37)},
        {"Wed Oct 21 07:28:00 2015", epoch_ms_utc(2015, 10, 21, 7, 28, 0)},
        /* Leap day, leap second, first and last instants of a day. */
        {"Thu, 29 Feb 2024 12:00:00 GMT", epoch_ms_utc(2024, 2, 29, 12, 0, 0)},
        {"Sat, 31 Dec 2016 23:59:60 GMT", epoch_ms_utc(2016, 12, 31, 23, 59, 60)},
        {"Sat, 01 Jan 2000 00:00:00 GMT", epoch_ms_utc(2000, 1, 1, 0, 0, 0)},
        {"Fri, 31 Dec 1999 23:59:59 GMT", epoch_ms_utc(1999, 12, 31, 23, 59, 59)},
        {"Friday, 31-Dec-99 23:59:59 GMT", epoch_ms_utc(1999, 12, 31, 23, 59, 59)},
        {"Wed, 02 Dec 2026 13:00:00 GMT", epoch_ms_utc(2026, 12, 2, 13, 0, 0)},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        const retry_date_case *c = &cases[i];
        long long got = ma__parse_retry_after(c->value, c->when_ms - 5000);
        if (got != 5000)
            fail_msg("\"%s\": %lld ms, expected 5000", c->value, got);
        if (ma__parse_retry_after(c->value, c->when_ms) != 0 || ma__parse_retry_after(c->value, c->when_ms + 1) != 0)
            fail_msg("\"%s\": not 0 once the instant has come", c->value);
    }
}

static void ma__parse_retry_after_rfc850_two_digit_year_within_fifty_years(void **state)
{
    (void)state;
    const long long now = epoch_ms_utc(2026, 12, 2, 13, 0, 0);
    static const struct {
        const char *value;
        long long expected;
    } cases[] = {
        /* 76 is 2076: not more than 50 years ahead (2076-01-01 was a Wednesday, 1976-01-01 a Thursday). */
        {"Wednesday, 01-Jan-76 00:00:00 GMT", DAY_MS},
        {"Thursday, 01-Jan-76 00:00:00 GMT", -1},
        /* 77 would be more than 50 years ahead, so it is 1977 (a Saturday; 2077-01-01 is a Friday). */
        {"Saturday, 01-Jan-77 00:00:00 GMT", 0},
        {"Friday, 01-Jan-77 00:00:00 GMT", -1},
        {"Friday, 31-Dec-99 23:59:59 GMT", 0},
        {"Wednesday, 02-Dec-26 13:00:30 GMT", 30000},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        long long got = ma__parse_retry_after(cases[i].value, now);
        if (got != cases[i].expected)
            fail_msg("\"%s\": %lld, expected %lld", cases[i].value, got, cases[i].expected);
    }
}

/* Near the end of a century the next one is within fifty years: "00" read in 2099 is 2100, not 2000. */
static void ma__parse_retry_after_rfc850_year_rolls_into_next_century(void **state)
{
    (void)state;
    const long long now = epoch_ms_utc(2099, 12, 31, 23, 0, 0);
    /* 2100-01-01 is a Friday, 2000-01-01 was a Saturday. */
    assert_int_equal(ma__parse_retry_after("Friday, 01-Jan-00 00:00:00 GMT", now), 3600000);
    assert_int_equal(ma__parse_retry_after("Saturday, 01-Jan-00 00:00:00 GMT", now), -1);
    /* 49 is 2149, exactly 50 years ahead; 50 is 2050, in the past. */
    assert_int_equal(ma__parse_retry_after("Wednesday, 01-Jan-49 00:00:00 GMT", now), DAY_MS);
    assert_int_equal(ma__parse_retry_after("Saturday, 01-Jan-50 00:00:00 GMT", now), 0);
}

static void ma__parse_retry_after_anything_else_returns_minus_one(void **state)
{
    (void)state;
    static const char *const bad[] = {
        /* delay-seconds is digits only */
        " 120",
        "120 ",
        "\t120",
        "+120",
        "-0",
        "1e3",
        "12 0",
        "120\r",
        "\xc2\xb9",
        /* another zone, or zone spelt otherwise */
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 UT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sun, 06 Nov 1994 08:49:37 EST",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 06 Nov 1994 08:49:37 Z",
        "Sun, 06 Nov 1994 08:49:37",
        "Sunday, 06-Nov-94 08:49:37 PST",
        "Sun Nov  6 08:49:37 1994 GMT",
        /* trailing or leading bytes */
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        "Sun, 06 Nov 1994 08:49:37 GMTx",
        "Sun, 06 Nov 1994 08:49:37 GMT, 10",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994 ",
        "Sun Nov  6 08:49:37 19945",
        "Sunday, 06-Nov-94 08:49:37 GMT\n",
        /* day names: unknown, wrong case, wrong form for the format, or not the date's weekday */
        "Snu, 06 Nov 1994 08:49:37 GMT",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "SUN, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sund, 06 Nov 1994 08:49:37 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT",
        "Monday, 06-Nov-94 08:49:37 GMT",
        "Mon Nov  6 08:49:37 1994",
        "Sunday Nov  6 08:49:37 1994",
        "06 Nov 1994 08:49:37 GMT",
        /* months */
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 November 1994 08:49:37 GMT",
        "Sun, 06 Nvo 1994 08:49:37 GMT",
        "Sun, 06 11 1994 08:49:37 GMT",
        /* out-of-range fields */
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Thu, 31 Nov 1994 08:49:37 GMT",
        "Wed, 29 Feb 2023 12:00:00 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:37 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 99 Nov 1994 08:49:37 GMT",
        "Sun Nov 31 08:49:37 1994",
        "Sun Nov  0 08:49:37 1994",
        /* wrong digit counts and separators */
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun 06 Nov 1994 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08.49.37 1994",
        "Sun, 06 Nov 1994 08:49:37.5 GMT",
        "Sun, 0x Nov 1994 08:49:37 GMT",
        /* nothing readable at all */
        "",
        "GMT",
        "Sun",
        "Sun,",
        "now",
        "Wed, 99 Foo",
    };
    const long long now = epoch_ms_utc(1994, 11, 6, 8, 0, 0);
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        long long got = ma__parse_retry_after(bad[i], now);
        if (got != -1)
            fail_msg("\"%s\" was accepted as %lld ms", bad[i], got);
    }
}

/* ---- ma__copy_text ------------------------------------------------------------------------------------ */

static void ma__copy_text_short_text_copied_exactly(void **state)
{
    (void)state;
    char dst[32];
    memset(dst, 'Z', sizeof dst);
    ma__copy_text(dst, sizeof dst, "hello \xC3\xA9\xE2\x82\xAC", 11);
    assert_string_equal(dst, "hello \xC3\xA9\xE2\x82\xAC");

    /* Exactly filling the buffer: no ellipsis. */
    char small[6];
    ma__copy_text(small, sizeof small, "abcde", 5);
    assert_string_equal(small, "abcde");

    /* Only src_len bytes are read, NUL or not. */
    ma__copy_text(dst, sizeof dst, "abcdef", 3);
    assert_string_equal(dst, "abc");
    ma__copy_text(dst, sizeof dst, "", 0);
    assert_string_equal(dst, "");
}

static void ma__copy_text_control_bytes_become_question_marks(void **state)
{
    (void)state;
    char dst[64];
    const char src[] = "a\x01"
                       "b\nc\rd\te\x1f"
                       "f\x7fg\0h\x1b[0m";
    ma__copy_text(dst, sizeof dst, src, sizeof src - 1);
    assert_string_equal(dst, "a?b?c?d?e?f?g?h?[0m");

    for (unsigned b = 0; b < 256; b++) {
        char in[3] = {'<', (char)b, '>'};
        ma__copy_text(dst, sizeof dst, in, 3);
        assert_int_equal(strlen(dst), 3);
        char expected = (b < 0x20 || b == 0x7F) ? '?' : (char)b;
        assert_int_equal(dst[1], expected);
    }
}

static void ma__copy_text_long_text_truncated_with_ellipsis(void **state)
{
    (void)state;
    char src[101];
    unit_fill_letters(src, sizeof src - 1, 'a');
    for (size_t size = 4; size < 40; size++) {
        char dst[40];
        memset(dst, 'Z', sizeof dst);
        ma__copy_text(dst, size, src, sizeof src - 1);
        size_t len = strlen(dst);
        assert_int_equal(len, size - 1);
        assert_memory_equal(dst, src, len - 3);
        assert_string_equal(dst + len - 3, "...");
        assert_int_equal(dst[size - 1], '\0');
        assert_int_equal(dst[size], 'Z'); /* nothing written past the buffer */
    }
}

static void ma__copy_text_truncation_never_splits_utf8_sequence(void **state)
{
    (void)state;
    static const char *const units[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};
    for (size_t u = 0; u < ARRAY_LEN(units); u++) {
        const size_t ulen = strlen(units[u]);
        char src[201];
        const size_t src_len = unit_repeat(src, sizeof src, units[u], (sizeof src - 1) / ulen);
        for (size_t size = 4; size < 64; size++) {
            char dst[64 + 1];
            memset(dst, 'Z', sizeof dst);
            ma__copy_text(dst, size, src, src_len);
            size_t len = strlen(dst);
            assert_true(len < size);
            assert_true(len >= 3);
            assert_string_equal(dst + len - 3, "...");
            size_t prefix = len - 3;
            /* Whole characters only, and as many as fit. */
            assert_int_equal(prefix % ulen, 0);
            assert_memory_equal(dst, src, prefix);
            assert_true(prefix + ulen > size - 4);
            assert_int_equal(ma__utf8_validate(dst, len, NULL), 1);
        }
    }
}

static void ma__copy_text_tiny_buffers_stay_terminated(void **state)
{
    (void)state;
    char dst[4] = {'Z', 'Z', 'Z', 'Z'};
    ma__copy_text(dst, 0, "abc", 3);
    assert_int_equal(dst[0], 'Z');
    ma__copy_text(dst, 1, "abc", 3);
    assert_int_equal(dst[0], '\0');
    assert_int_equal(dst[1], 'Z');
    ma__copy_text(dst, 3, "abcdef", 6);
    assert_int_equal(strlen(dst), 2);
    assert_int_equal(dst[3], 'Z');
    ma__copy_text(dst, 4, "abcdef", 6);
    assert_string_equal(dst, "...");
}

/* ---- ma__error_set / ma_error_clear ------------------------------------------------------------------- */

static void ma__error_set_formats_message_and_returns_status(void **state)
{
    (void)state;
    ma_error err;
    ma_error_clear(&err);
    assert_int_equal(ma__error_set(&err, MA_ERR_PROTOCOL, "field '%s' at %d", "jobs", 3), MA_ERR_PROTOCOL);
    assert_int_equal(err.status, MA_ERR_PROTOCOL);
    assert_string_equal(err.message, "field 'jobs' at 3");
    assert_int_equal(ma__error_set(NULL, MA_ERR_TIMEOUT, "x %d", 1), MA_ERR_TIMEOUT);
}

static void ma__error_set_long_message_truncated_with_ellipsis(void **state)
{
    (void)state;
    char text[2000];
    unit_fill_letters(text, sizeof text - 1, 'A');
    ma_error err;
    memset(&err, 'Z', sizeof err);
    assert_int_equal(ma__error_set(&err, MA_ERR_SERVER, "%s", text), MA_ERR_SERVER);
    size_t len = strnlen(err.message, sizeof err.message);
    assert_int_equal(len, MA_ERROR_MESSAGE_SIZE - 1);
    assert_memory_equal(err.message, text, len - 3);
    assert_string_equal(err.message + len - 3, "...");
}

static void ma__error_set_truncation_never_splits_utf8_sequence(void **state)
{
    (void)state;
    static const char *const units[] = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};
    for (size_t u = 0; u < ARRAY_LEN(units); u++) {
        const size_t ulen = strlen(units[u]);
        for (size_t lead = 0; lead < 4; lead++) {
            char text[1200];
            memset(text, 'x', lead);
            unit_repeat(text + lead, sizeof text - lead, units[u], (sizeof text - 1 - lead) / ulen);
            ma_error err;
            memset(&err, 'Z', sizeof err);
            ma__error_set(&err, MA_ERR_SERVICE, "%s", text);
            size_t len = strnlen(err.message, sizeof err.message);
            assert_true(len < sizeof err.message);
            assert_string_equal(err.message + len - 3, "...");
            size_t prefix = len - 3;
            assert_true(prefix >= lead);
            assert_int_equal((prefix - lead) % ulen, 0);
            assert_memory_equal(err.message, text, prefix);
            assert_int_equal(ma__utf8_validate(err.message, len, NULL), 1);
        }
    }
}

static void ma_error_clear_resets_every_field(void **state)
{
    (void)state;
    ma_error err;
    memset(&err, 'x', sizeof err);
    err.status = MA_ERR_RATE_LIMITED;
    err.http_status = 429;
    err.transport_code = 7;
    err.retry_after_ms = 5000;
    ma_error_clear(&err);
    unit_assert_error_cleared("ma_error_clear", &err, 0);
    ma_error_clear(NULL);
}

/* ---- status names ------------------------------------------------------------------------------------- */

static void ma_status_name_every_status_named_after_its_enumerator(void **state)
{
    (void)state;
    for (size_t i = 0; i < unit_status_count; i++) {
        const unit_status_entry *c = &unit_statuses[i];
        /* Values are ABI: 0 for success, then -1, -2, ... in declaration order. */
        if ((int)c->status != -(int)i || c->value != -(int)i)
            fail_msg("%s is %d, expected %d", c->name, (int)c->status, -(int)i);
        unit_assert_text(c->name, ma_status_name(c->status), c->name);
    }
    assert_string_equal(ma_status_name(MA_ERR_TIMEOUT), "MA_ERR_TIMEOUT");
}

static void ma_status_str_every_status_has_its_own_text(void **state)
{
    (void)state;
    for (size_t i = 0; i < unit_status_count; i++) {
        const char *name = unit_statuses[i].name;
        const char *text = ma_status_str(unit_statuses[i].status);
        UNIT_CHECK(name, text != NULL);
        UNIT_CHECK(name, strlen(text) > 0);
        UNIT_CHECK(name, strcmp(text, "unknown status") != 0);
        for (size_t k = 0; k < i; k++)
            if (strcmp(text, ma_status_str(unit_statuses[k].status)) == 0)
                fail_msg("%s and %s share the text \"%s\"", name, unit_statuses[k].name, text);
    }
}

static void ma_status_str_unknown_value_never_null(void **state)
{
    (void)state;
    static const int unknown[] = {1, 2, -16, -100, 1000, INT_MIN, INT_MAX};
    for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
        const char *s = ma_status_str((ma_status)unknown[i]);
        const char *n = ma_status_name((ma_status)unknown[i]);
        assert_non_null(s);
        assert_non_null(n);
        assert_string_equal(s, "unknown status");
        assert_string_equal(n, "MA_STATUS_UNKNOWN");
    }
}

/* ---- job status names --------------------------------------------------------------------------------- */

static const struct {
    const char *name;
    const char *description;
} job_statuses[] = {
    {"JOBSTAT_UNKNOWN", "unknown status"},
    {"JOBSTAT_INIT", "initialising"},
    {"JOBSTAT_IMAGE_CREATING", "image being created"},
    {"JOBSTAT_IMAGE_FAILED", "image creation failed"},
    {"JOBSTAT_SUBMIT_TRYING", "being submitted"},
    {"JOBSTAT_SUBMIT_FAILED", "submission failed"},
    {"JOBSTAT_DELETE_FAILED", "deletion failed"},
    {"JOBSTAT_WAITING", "queued"},
    {"JOBSTAT_RUNNING", "running"},
    {"JOBSTAT_KILLING", "being cancelled"},
    {"JOBSTAT_COMPLETED", "completed"},
    {"JOBSTAT_FAILED", "run failed"},
    {"JOBSTAT_KILLED", "cancelled successfully"},
    {"JOBSTAT_CANCELED", "cancelled"},
    {"JOBSTAT_LOST", "lost"},
    {"JOBSTAT_SCALING", "being scaled"},
    {"JOBSTAT_SUBMIT_MODEL_FAILED", "model submission failed"},
    {"JOBSTAT_DEPLOY_SERVICE_FAILED", "service deployment failed"},
    {"JOBSTAT_CHECK_INIT", "review being initialised"},
    {"JOBSTAT_CHECK_RUNNING", "being reviewed"},
    {"JOBSTAT_CHECK_RUNNING_COMPLETED", "review completed"},
    {"JOBSTAT_CHECK_FAILED", "review failed"},
    {"MOUNT_FAILED", "failed to mount"},
};

static void ma_job_status_name_every_documented_status_named(void **state)
{
    (void)state;
    assert_int_equal(ARRAY_LEN(job_statuses), MA_JOB_STATUS_MAX + 1);
    for (int s = 0; s <= MA_JOB_STATUS_MAX; s++) {
        assert_string_equal(ma_job_status_name(s), job_statuses[s].name);
        assert_string_equal(ma_job_status_description(s), job_statuses[s].description);
    }
    assert_string_equal(ma_job_status_name(MA_JOB_STATUS_RUNNING), "JOBSTAT_RUNNING");
    assert_string_equal(ma_job_status_name(MA_JOB_STATUS_MOUNT_FAILED), "MOUNT_FAILED");
    assert_string_equal(ma_job_status_description(MA_JOB_STATUS_RUNNING), "running");
}

/* ma_job::status holds whatever integer the service sent, so it is a fixed-width signed int, not the enum. */
_Static_assert(_Generic(((const ma_job *)NULL)->status, int32_t : 1, default : 0), "ma_job::status is int32_t");

static void ma_job_status_field_holds_any_int32_and_compares_with_constants(void **state)
{
    (void)state;
    static const int32_t values[] = {INT32_MIN, -5, -1, 0, 10, 22, 23, INT32_MAX};
    for (size_t i = 0; i < ARRAY_LEN(values); i++) {
        ma_job job;
        memset(&job, 0, sizeof job);
        job.status = values[i];
        assert_int_equal(job.status, values[i]);
        assert_true((job.status < 0) == (values[i] < 0));
    }
    ma_job job;
    memset(&job, 0, sizeof job);
    job.status = MA_JOB_STATUS_COMPLETED;
    assert_true(job.status == MA_JOB_STATUS_COMPLETED);
    assert_string_equal(ma_job_status_name(job.status), "JOBSTAT_COMPLETED");
    job.status = -5;
    assert_string_equal(ma_job_status_name(job.status), "UNRECOGNIZED");
}

/* The service's status table read as classes; written out here, apart from the library's switch. */
static void ma_job_status_classes_follow_the_status_table(void **state)
{
    (void)state;
    static const int32_t want[MA_JOB_STATUS_MAX + 1] = {
        MA_JOB_CLASS_ACTIVE,    /* UNKNOWN */
        MA_JOB_CLASS_ACTIVE,    /* INIT */
        MA_JOB_CLASS_ACTIVE,    /* IMAGE_CREATING */
        MA_JOB_CLASS_FAILED,    /* IMAGE_FAILED */
        MA_JOB_CLASS_ACTIVE,    /* SUBMIT_TRYING */
        MA_JOB_CLASS_FAILED,    /* SUBMIT_FAILED */
        MA_JOB_CLASS_FAILED,    /* DELETE_FAILED */
        MA_JOB_CLASS_ACTIVE,    /* WAITING */
        MA_JOB_CLASS_ACTIVE,    /* RUNNING */
        MA_JOB_CLASS_ACTIVE,    /* KILLING */
        MA_JOB_CLASS_COMPLETED, /* COMPLETED */
        MA_JOB_CLASS_FAILED,    /* FAILED */
        MA_JOB_CLASS_CANCELLED, /* KILLED */
        MA_JOB_CLASS_CANCELLED, /* CANCELED */
        MA_JOB_CLASS_FAILED,    /* LOST */
        MA_JOB_CLASS_ACTIVE,    /* SCALING */
        MA_JOB_CLASS_FAILED,    /* SUBMIT_MODEL_FAILED */
        MA_JOB_CLASS_FAILED,    /* DEPLOY_SERVICE_FAILED */
        MA_JOB_CLASS_ACTIVE,    /* CHECK_INIT */
        MA_JOB_CLASS_ACTIVE,    /* CHECK_RUNNING */
        MA_JOB_CLASS_COMPLETED, /* CHECK_RUNNING_COMPLETED */
        MA_JOB_CLASS_FAILED,    /* CHECK_FAILED */
        MA_JOB_CLASS_FAILED,    /* MOUNT_FAILED */
    };
    int failed = 0;
    for (int32_t s = 0; s <= MA_JOB_STATUS_MAX; s++) {
        if (ma_job_status_class_of(s) != want[s])
            fail_msg("%s: class %s, want %s", ma_job_status_name(s),
                     ma_job_status_class_name(ma_job_status_class_of(s)), ma_job_status_class_name(want[s]));
        assert_int_equal(ma_job_status_is_failed(s), want[s] == MA_JOB_CLASS_FAILED);
        assert_int_equal(ma_job_status_is_active(s), want[s] == MA_JOB_CLASS_ACTIVE);
        assert_int_equal(ma_job_status_is_terminal(s), want[s] != MA_JOB_CLASS_ACTIVE);
        failed += ma_job_status_is_failed(s);
    }
    assert_int_equal(failed, 9); /* the eight "..._FAILED" statuses and LOST */
    /* Nothing says an unnamed status has ended: it stays active. */
    static const int32_t unnamed[] = {-1, MA_JOB_STATUS_MAX + 1, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < ARRAY_LEN(unnamed); i++) {
        assert_int_equal(ma_job_status_class_of(unnamed[i]), MA_JOB_CLASS_ACTIVE);
        assert_false(ma_job_status_is_terminal(unnamed[i]));
        assert_false(ma_job_status_is_failed(unnamed[i]));
    }
    assert_string_equal(ma_job_status_class_name(MA_JOB_CLASS_ACTIVE), "active");
    assert_string_equal(ma_job_status_class_name(MA_JOB_CLASS_COMPLETED), "completed");
    assert_string_equal(ma_job_status_class_name(MA_JOB_CLASS_FAILED), "failed");
    assert_string_equal(ma_job_status_class_name(MA_JOB_CLASS_CANCELLED), "cancelled");
    assert_string_equal(ma_job_status_class_name(0), "unrecognized class");
    /* int32_t in, no cast: ma_job::status goes straight in. */
    ma_job job;
    memset(&job, 0, sizeof job);
    job.status = MA_JOB_STATUS_LOST;
    assert_string_equal(ma_job_status_name(job.status), "JOBSTAT_LOST");
    assert_true(ma_job_status_is_failed(job.status));
}

static void iso8601_is(int64_t ms, const char *want)
{
    char buf[MA_TIME_ISO8601_SIZE];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(ma_time_format_iso8601(ms, buf, sizeof buf), MA_OK);
    assert_string_equal(buf, want);
    /* Exactly long enough is enough; one byte less is refused and nothing is written. */
    size_t need = strlen(want) + 1;
    char exact[MA_TIME_ISO8601_SIZE];
    assert_int_equal(ma_time_format_iso8601(ms, exact, need), MA_OK);
    assert_string_equal(exact, want);
    memset(exact, 'x', sizeof exact);
    assert_int_equal(ma_time_format_iso8601(ms, exact, need - 1), MA_ERR_INVALID_ARG);
    assert_int_equal(exact[0], 'x');
}

static void ma_time_format_iso8601_utc_with_milliseconds(void **state)
{
    (void)state;
    iso8601_is(1524189990635, "2018-04-20T02:06:30.635Z"); /* the API page's sample */
    iso8601_is(0, "1970-01-01T00:00:00.000Z");
    iso8601_is(-1, "1969-12-31T23:59:59.999Z");
    iso8601_is(951782400000, "2000-02-29T00:00:00.000Z");
    iso8601_is(253402300799999, "9999-12-31T23:59:59.999Z");
    iso8601_is(253402300800000, "10000-01-01T00:00:00.000Z");
    iso8601_is(INT64_MAX, "292278994-08-17T07:12:55.807Z");
    iso8601_is(INT64_MIN, "-292275055-05-16T16:47:04.192Z");
    assert_int_equal(ma_time_format_iso8601(0, NULL, 64), MA_ERR_INVALID_ARG);
    char none[1] = {'x'};
    assert_int_equal(ma_time_format_iso8601(0, none, 0), MA_ERR_INVALID_ARG);
    assert_int_equal(none[0], 'x');
}

static void ma_job_status_name_unrecognized_value_never_null(void **state)
{
    (void)state;
    static const int unknown[] = {-1, 23, 24, 1000, -1000, INT_MIN, INT_MAX};
    for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
        const char *name = ma_job_status_name(unknown[i]);
        const char *desc = ma_job_status_description(unknown[i]);
        assert_non_null(name);
        assert_non_null(desc);
        assert_string_equal(name, "UNRECOGNIZED");
        assert_string_equal(desc, "unrecognized status");
    }
}

/* ---- version ------------------------------------------------------------------------------------------ */

static void ma_version_matches_header_version(void **state)
{
    (void)state;
    const char *v = ma_version();
    assert_non_null(v);
    assert_string_equal(v, MA_VERSION_STRING);
    char built[32];
    snprintf(built, sizeof built, "%d.%d.%d", MA_VERSION_MAJOR, MA_VERSION_MINOR, MA_VERSION_PATCH);
    assert_string_equal(v, built);
    assert_true(MA_VERSION_AT_LEAST(MA_VERSION_MAJOR, MA_VERSION_MINOR, MA_VERSION_PATCH));
    assert_false(MA_VERSION_AT_LEAST(MA_VERSION_MAJOR, MA_VERSION_MINOR, MA_VERSION_PATCH + 1));
    /* A user guarding on the newest documented feature (@since 0.4) must be let through. */
    assert_true(MA_VERSION_AT_LEAST(0, 4, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ma__utf8_validate_valid_sequences_counts_code_points),
        cmocka_unit_test(ma__utf8_validate_invalid_sequences_rejected),
        cmocka_unit_test(ma__utf8_validate_every_single_byte_valid_only_below_0x80),
        cmocka_unit_test(ma__utf8_validate_length_not_nul_decides_extent),
        cmocka_unit_test(ma__utf8_validate_long_text_counts_every_character),
        cmocka_unit_test(ma__no_control_bytes_every_byte_classified),
        cmocka_unit_test(ma__no_control_bytes_length_bounds_the_scan),
        cmocka_unit_test(ma__pct_encode_every_byte_unreserved_kept_others_upper_hex),
        cmocka_unit_test(ma__pct_encode_all_bytes_at_once_output_length_matches),
        cmocka_unit_test(ma__pct_encode_empty_input_leaves_empty_string),
        cmocka_unit_test(ma__pct_encode_allocation_fails_returns_minus_one_buffer_intact),
        cmocka_unit_test(ma__buf_many_appends_grow_and_keep_content),
        cmocka_unit_test(ma__buf_append_binary_keeps_embedded_nul),
        cmocka_unit_test(ma__buf_detach_hands_over_data_and_empties_buffer),
        cmocka_unit_test(ma__buf_detach_unused_buffer_returns_empty_string),
        cmocka_unit_test(ma__buf_clear_keeps_memory_and_empties_text),
        cmocka_unit_test(ma__buf_allocation_fails_returns_minus_one_buffer_intact),
        cmocka_unit_test(ma__buf_reserve_overflowing_size_fails_without_allocating),
        cmocka_unit_test(ma__parse_retry_after_delta_seconds_converted_to_ms),
        cmocka_unit_test(ma__parse_retry_after_huge_delta_clamped_to_one_day),
        cmocka_unit_test(ma__parse_retry_after_garbage_returns_minus_one),
        cmocka_unit_test(ma__parse_retry_after_http_date_relative_to_now),
        cmocka_unit_test(ma__parse_retry_after_past_date_returns_zero),
        cmocka_unit_test(ma__parse_retry_after_far_future_date_clamped_to_one_day),
        cmocka_unit_test(ma__parse_retry_after_every_http_date_form_read_exactly),
        cmocka_unit_test(ma__parse_retry_after_rfc850_two_digit_year_within_fifty_years),
        cmocka_unit_test(ma__parse_retry_after_rfc850_year_rolls_into_next_century),
        cmocka_unit_test(ma__parse_retry_after_anything_else_returns_minus_one),
        cmocka_unit_test(ma__copy_text_short_text_copied_exactly),
        cmocka_unit_test(ma__copy_text_control_bytes_become_question_marks),
        cmocka_unit_test(ma__copy_text_long_text_truncated_with_ellipsis),
        cmocka_unit_test(ma__copy_text_truncation_never_splits_utf8_sequence),
        cmocka_unit_test(ma__copy_text_tiny_buffers_stay_terminated),
        cmocka_unit_test(ma__error_set_formats_message_and_returns_status),
        cmocka_unit_test(ma__error_set_long_message_truncated_with_ellipsis),
        cmocka_unit_test(ma__error_set_truncation_never_splits_utf8_sequence),
        cmocka_unit_test(ma_error_clear_resets_every_field),
        cmocka_unit_test(ma_status_name_every_status_named_after_its_enumerator),
        cmocka_unit_test(ma_status_str_every_status_has_its_own_text),
        cmocka_unit_test(ma_status_str_unknown_value_never_null),
        cmocka_unit_test(ma_job_status_name_every_documented_status_named),
        cmocka_unit_test(ma_job_status_name_unrecognized_value_never_null),
        cmocka_unit_test(ma_job_status_classes_follow_the_status_table),
        cmocka_unit_test(ma_time_format_iso8601_utc_with_milliseconds),
        cmocka_unit_test(ma_job_status_field_holds_any_int32_and_compares_with_constants),
        cmocka_unit_test(ma_version_matches_header_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
