/* Text helpers: growable string, display width, escaping, times, CSV fields. */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void cli_str_free(cli_str *s)
{
    free(s->data);
    s->data = NULL;
    s->len = s->cap = 0;
}

int cli_str_append(cli_str *s, const char *bytes, size_t n)
{
    if (n >= SIZE_MAX / 2 - s->len) {
        return -1;
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap != 0 ? s->cap : 64;
        while (cap < s->len + n + 1) {
            cap *= 2;
        }
        char *p = realloc(s->data, cap);
        if (p == NULL) {
            return -1;
        }
        s->data = p;
        s->cap = cap;
    }
    if (n > 0) {
        memcpy(s->data + s->len, bytes, n);
    }
    s->len += n;
    s->data[s->len] = '\0';
    return 0;
}

int cli_str_puts(cli_str *s, const char *text)
{
    return cli_str_append(s, text, strlen(text));
}

typedef struct cp_range {
    uint32_t first;
    uint32_t last;
} cp_range;

/* Combining marks and zero-width characters that matter for job names. */
static const cp_range ZERO_WIDTH[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A},   {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},   {0x1AB0, 0x1AFF},   {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064},   {0x20D0, 0x20FF},   {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0x1F3FB, 0x1F3FF}, {0xE0100, 0xE01EF},
};

/* East Asian Wide and Fullwidth blocks, and the emoji blocks terminals draw two columns wide. */
static const cp_range WIDE[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
    {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
    {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF},
    {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA},
    {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0}, {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440},
    {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
    {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC},
    {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945}, {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
    {0x30000, 0x3FFFD},
};

static int in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].first) {
            hi = mid;
        } else if (cp > r[mid].last) {
            lo = mid + 1;
        } else {
            return 1;
        }
    }
    return 0;
}

int cli_codepoint_width(uint32_t cp)
{
    if (in_ranges(cp, ZERO_WIDTH, sizeof ZERO_WIDTH / sizeof ZERO_WIDTH[0])) {
        return 0;
    }
    if (in_ranges(cp, WIDE, sizeof WIDE / sizeof WIDE[0])) {
        return 2;
    }
    return 1;
}

/* Decodes one UTF-8 sequence; returns its length, or 0 when the bytes are not well-formed UTF-8. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t v;
    uint32_t min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1Fu;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0Fu;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07u;
        min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u) {
            return 0;
        }
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return 0;
    }
    *cp = v;
    return n;
}

static int append_escape(cli_str *out, const char *esc, size_t *width)
{
    *width += strlen(esc);
    return cli_str_puts(out, esc);
}

int cli_escape_display(cli_str *out, const char *text, size_t *width)
{
    const unsigned char *s = (const unsigned char *)text;
    /* Make sure the result is a string even for "". */
    if (cli_str_append(out, "", 0) != 0) {
        return -1;
    }
    while (*s != '\0') {
        uint32_t cp = 0;
        size_t n = utf8_decode(s, &cp);
        char esc[8];
        int rc = 0;
        if (n == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned int)*s);
            rc = append_escape(out, esc, width);
            n = 1;
        } else if (cp == '\n') {
            rc = append_escape(out, "\\n", width);
        } else if (cp == '\t') {
            rc = append_escape(out, "\\t", width);
        } else if (cp == '\r') {
            rc = append_escape(out, "\\r", width);
        } else if (cp == '\\') {
            rc = append_escape(out, "\\\\", width);
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned int)cp);
            rc = append_escape(out, esc, width);
        } else {
            *width += (size_t)cli_codepoint_width(cp);
            rc = cli_str_append(out, (const char *)s, n);
        }
        if (rc != 0) {
            return -1;
        }
        s += n;
    }
    return 0;
}

void cli_format_iso8601(int64_t ms, char *buf, size_t size)
{
    if (ma_time_format_iso8601(ms, buf, size) != MA_OK && size > 0)
        buf[0] = '\0';
}

void cli_format_duration(int64_t ms, char *buf, size_t size)
{
    /* Work in unsigned so INT64_MIN has a magnitude. */
    uint64_t mag = ms < 0 ? (uint64_t)0 - (uint64_t)ms : (uint64_t)ms;
    uint64_t secs = mag / 1000;
    snprintf(buf, size, "%s%" PRIu64 ":%02" PRIu64 ":%02" PRIu64, ms < 0 ? "-" : "", secs / 3600, secs / 60 % 60,
             secs % 60);
}

int cli_csv_field(cli_str *out, const char *field)
{
    if (strpbrk(field, ",\"\r\n") == NULL) {
        return cli_str_append(out, field, strlen(field));
    }
    if (cli_str_append(out, "\"", 1) != 0) {
        return -1;
    }
    for (const char *p = field; *p != '\0'; p++) {
        if (cli_str_append(out, p, 1) != 0 || (*p == '"' && cli_str_append(out, "\"", 1) != 0)) {
            return -1;
        }
    }
    return cli_str_append(out, "\"", 1);
}

size_t cli_display_prefix(const char *text, size_t max_width, size_t *width)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t used = 0;
    size_t i = 0;
    while (s[i] != '\0') {
        uint32_t cp = 0;
        size_t n = utf8_decode(s + i, &cp);
        if (n == 0) {
            n = 1; /* not expected in escaped text; counted as one cell */
            cp = '?';
        }
        size_t w = (size_t)cli_codepoint_width(cp);
        if (used + w > max_width) {
            break;
        }
        used += w;
        i += n;
    }
    *width = used;
    return i;
}
