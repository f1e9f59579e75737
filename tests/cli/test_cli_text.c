/* Unit tests for the pure text helpers of ma-jobs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static void escaped(const char *in, const char *want, size_t want_width)
{
    cli_str s = {0};
    size_t width = 0;
    assert_int_equal(cli_escape_display(&s, in, &width), 0);
    assert_string_equal(s.data, want);
    assert_int_equal(width, want_width);
    cli_str_free(&s);
}

static void codepoint_width_covers_ascii_wide_and_combining(void **state)
{
    (void)state;
    assert_int_equal(cli_codepoint_width('a'), 1);
    assert_int_equal(cli_codepoint_width(0x00DF), 1);  /* ß */
    assert_int_equal(cli_codepoint_width(0x4E2D), 2);  /* 中 */
    assert_int_equal(cli_codepoint_width(0xAC00), 2);  /* 가 */
    assert_int_equal(cli_codepoint_width(0x3042), 2);  /* あ */
    assert_int_equal(cli_codepoint_width(0xFF21), 2);  /* fullwidth A */
    assert_int_equal(cli_codepoint_width(0x1F600), 2); /* 😀 */
    assert_int_equal(cli_codepoint_width(0x1F680), 2); /* 🚀 */
    assert_int_equal(cli_codepoint_width(0x20000), 2); /* CJK extension B */
    assert_int_equal(cli_codepoint_width(0x0301), 0);  /* combining acute */
    assert_int_equal(cli_codepoint_width(0x200B), 0);  /* zero width space */
    assert_int_equal(cli_codepoint_width(0xFE0F), 0);  /* variation selector 16 */
    assert_int_equal(cli_codepoint_width(0x2713), 1);  /* ✓ is narrow */
}

static void escape_display_measures_cells_not_bytes(void **state)
{
    (void)state;
    escaped("", "", 0);
    escaped("plain", "plain", 5);
    escaped("训练", "训练", 4);
    escaped("e\xcc\x81", "e\xcc\x81", 1); /* e + combining acute */
    escaped("\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!", 3);
}

static void escape_display_escapes_controls_and_bad_bytes(void **state)
{
    (void)state;
    escaped("a\nb", "a\\nb", 4);
    escaped("\t\r", "\\t\\r", 4);
    escaped("\x1b[31m", "\\x1b[31m", 8);
    escaped("\x7f", "\\x7f", 4);
    escaped("\xc2\x85", "\\x85", 4);                /* C1 control NEL */
    escaped("back\\slash", "back\\\\slash", 11);    /* so an escape stays unambiguous */
    escaped("\xff", "\\xff", 4);                    /* not UTF-8 */
    escaped("\xc0\xaf", "\\xc0\\xaf", 8);           /* overlong */
    escaped("\xed\xa0\x80", "\\xed\\xa0\\x80", 12); /* surrogate */
    escaped("\xe4\xb8", "\\xe4\\xb8", 8);           /* truncated */
}

static void iso8601(int64_t ms, const char *want)
{
    char buf[64];
    cli_format_iso8601(ms, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void iso8601_formats_utc_with_milliseconds(void **state)
{
    (void)state;
    iso8601(1524189990635, "2018-04-20T02:06:30.635Z"); /* the API's sample */
    iso8601(0, "1970-01-01T00:00:00.000Z");
    iso8601(-1, "1969-12-31T23:59:59.999Z");
    iso8601(951782400000, "2000-02-29T00:00:00.000Z");
    iso8601(4102444799999, "2099-12-31T23:59:59.999Z");
    iso8601(253402300799999, "9999-12-31T23:59:59.999Z");
}

static void duration(int64_t ms, const char *want)
{
    char buf[64];
    cli_format_duration(ms, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void duration_formats_hours_minutes_seconds(void **state)
{
    (void)state;
    duration(0, "0:00:00");
    duration(999, "0:00:00");
    duration(532003, "0:08:52"); /* the API's sample */
    duration(3600000, "1:00:00");
    duration(5 * 86400000LL - 1, "119:59:59");
    duration(-61000, "-0:01:01");
    duration(INT64_MIN, "-2562047788015:12:55");
}

static void csv(const char *in, const char *want)
{
    cli_str s = {0};
    assert_int_equal(cli_csv_field(&s, in), 0);
    assert_string_equal(s.data, want);
    cli_str_free(&s);
}

static void csv_field_quotes_only_when_needed(void **state)
{
    (void)state;
    csv("plain", "plain");
    csv("", "");
    csv("a,b", "\"a,b\"");
    csv("say \"hi\"", "\"say \"\"hi\"\"\"");
    csv("line\nbreak", "\"line\nbreak\"");
    csv("cr\r", "\"cr\r\"");
    csv("tab\tand 'quote' \\", "tab\tand 'quote' \\");
    csv("\"", "\"\"\"\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codepoint_width_covers_ascii_wide_and_combining),
        cmocka_unit_test(escape_display_measures_cells_not_bytes),
        cmocka_unit_test(escape_display_escapes_controls_and_bad_bytes),
        cmocka_unit_test(iso8601_formats_utc_with_milliseconds),
        cmocka_unit_test(duration_formats_hours_minutes_seconds),
        cmocka_unit_test(csv_field_quotes_only_when_needed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
