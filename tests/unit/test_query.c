#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "capture_transport.h"
#include "jobs/query.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"

#define TOKEN "MIIPAgYJKoZIhvcNAQcCoIIO8zCCDu8CAQExDTALBglghkgBZQMEAgEwgg"

/* ---- helpers ---------------------------------------------------------------------------------------- */

static ma_job_query *new_query(void)
{
    ma_job_query *q = NULL;
    ma_error err;
    assert_int_equal(ma_job_query_new(&q, test_allocator(), &err), MA_OK);
    assert_non_null(q);
    assert_int_equal(err.status, MA_OK);
    return q;
}

/* Renders the parameters of @p q, as the request renderer sends them, into @p dst ("?a=b&..." or ""). */
static void render_with(const ma_job_query *q, ma_sort_param_name name, char *dst, size_t dst_size)
{
    ma__endpoint ep = {"https", "example.test", 0, "", "example.test", 0};
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep);
    assert_int_equal(ma__query_add_params(q, (int32_t)name, &req, NULL), MA_OK);
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    if (req.query.count > 0)
        assert_int_equal(ma__buf_append_char(&b, '?'), 0);
    assert_int_equal(ma__request_render_query(&req, &b), 0);
    ma__request_free(&req);
    const char *s = b.data ? b.data : "";
    assert_int_equal(strlen(s), b.len);
    if (b.len >= dst_size)
        fail_msg("%zu rendered bytes do not fit %zu: \"%.80s...\"", b.len, dst_size, s);
    memcpy(dst, s, b.len + 1);
    ma__buf_free(&b);
}

static void render(const ma_job_query *q, char *dst, size_t dst_size)
{
    render_with(q, MA_SORT_PARAM_SORTBY, dst, dst_size);
}

static void assert_params(const ma_job_query *q, const char *expected)
{
    char got[4096];
    render(q, got, sizeof got);
    unit_assert_text("rendered parameters", got, expected);
}

/* A rejected setter call: MA_ERR_INVALID_ARG, err filled and its message naming both needles. */
static void assert_invalid_arg(const char *what, ma_status st, const ma_error *err, const char *needle1,
                               const char *needle2)
{
    if (st != MA_ERR_INVALID_ARG)
        fail_msg("%s: expected MA_ERR_INVALID_ARG, got %s", what, ma_status_name(st));
    UNIT_CHECK(what, err->status == MA_ERR_INVALID_ARG);
    UNIT_CHECK(what, memchr(err->message, '\0', sizeof err->message) != NULL);
    if (needle1 && !strstr(err->message, needle1))
        fail_msg("%s: message \"%s\" lacks \"%s\"", what, err->message, needle1);
    if (needle2 && !strstr(err->message, needle2))
        fail_msg("%s: message \"%s\" lacks \"%s\"", what, err->message, needle2);
}

typedef ma_status (*int_setter)(ma_job_query *q, int value, ma_error *err);

static ma_status set_per_page(ma_job_query *q, int v, ma_error *err)
{
    return ma_job_query_set_per_page(q, v, err);
}
static ma_status set_page(ma_job_query *q, int v, ma_error *err)
{
    return ma_job_query_set_page(q, v, err);
}
static ma_status set_status(ma_job_query *q, int v, ma_error *err)
{
    return ma_job_query_set_status(q, (ma_job_status)v, err);
}
static ma_status set_sort_by(ma_job_query *q, int v, ma_error *err)
{
    return ma_job_query_set_sort_by(q, (ma_sort_key)v, err);
}
static ma_status set_order(ma_job_query *q, int v, ma_error *err)
{
    return ma_job_query_set_order(q, (ma_sort_order)v, err);
}

typedef struct int_setter_case {
    int_setter set;
    const char *param; /* wire name in the URL */
    int lo, hi;
    const char *msg_name;
    const char *msg_range;
    int bad[6];
    size_t bad_count;
} int_setter_case;

static const int_setter_case int_cases[] = {
    {set_per_page, "per_page", 1, 1000, "per_page", "[1, 1000]", {0, 1001, -1, INT_MAX, INT_MIN}, 5},
    {set_page, "page", 1, 65535, "page", "[1, 65535]", {0, 65536, -1, INT_MAX, INT_MIN}, 5},
    {set_status, "status", 0, 22, "status", "[0, 22]", {-1, 23, 1000, INT_MIN, INT_MAX}, 5},
    {set_sort_by, "sortBy", 0, 5, "sortBy", "0..5", {6, -1, 100}, 3},
    {set_order, "order", 0, 1, "order", "0..1", {2, -1, 100}, 3},
};

static const char *const sort_wire[] = {"job_name", "job_desc", "status", "duration", "version_count", "create_time"};
static const char *const order_wire[] = {"asc", "desc"};

/* Expected "?name=value" for a valid value of one of the integer setters. */
static void expected_param(const int_setter_case *c, int v, char *dst, size_t n)
{
    if (c->set == set_sort_by)
        snprintf(dst, n, "?sortBy=%s", sort_wire[v]);
    else if (c->set == set_order)
        snprintf(dst, n, "?order=%s", order_wire[v]);
    else
        snprintf(dst, n, "?%s=%d", c->param, v);
}

/* Values for every parameter of a query. */
typedef struct query_values {
    ma_job_status status;
    int per_page;
    int page;
    ma_sort_key sort_by;
    ma_sort_order order;
    const char *search_content;
    const char *workspace_id; /* NULL: left unset */
} query_values;

/* The query of the API page's example request. */
static const query_values documented = {MA_JOB_STATUS_WAITING, 10, 1, MA_SORT_BY_JOB_NAME, MA_ORDER_ASC, "job", NULL};
#define DOCUMENTED_PARAMS "?status=7&per_page=10&page=1&sortBy=job_name&order=asc&search_content=job"
#define DOCUMENTED_URL    "https://example.test/v1/proj/training-jobs" DOCUMENTED_PARAMS

typedef ma_status (*text_setter)(ma_job_query *q, const char *text, ma_error *err);

/* Sets every value of @p v with err == NULL, in declaration order or backwards; each must be accepted. */
static void set_values(ma_job_query *q, const query_values *v, int backwards)
{
    const struct {
        const char *name;
        int_setter set_int;
        int int_value;
        text_setter set_text;
        const char *text_value;
    } steps[] = {
        {"status", set_status, (int)v->status, NULL, NULL},
        {"per_page", set_per_page, v->per_page, NULL, NULL},
        {"page", set_page, v->page, NULL, NULL},
        {"sort_by", set_sort_by, (int)v->sort_by, NULL, NULL},
        {"order", set_order, (int)v->order, NULL, NULL},
        {"search_content", NULL, 0, ma_job_query_set_search_content, v->search_content},
        {"workspace_id", NULL, 0, ma_job_query_set_workspace_id, v->workspace_id},
    };
    const size_t count = ARRAY_LEN(steps);
    for (size_t k = 0; k < count; k++) {
        size_t i = backwards ? count - 1 - k : k;
        if (!steps[i].set_int && !steps[i].text_value)
            continue;
        ma_status st = steps[i].set_int ? steps[i].set_int(q, steps[i].int_value, NULL)
                                        : steps[i].set_text(q, steps[i].text_value, NULL);
        if (st != MA_OK)
            fail_msg("setting %s: %s", steps[i].name, ma_status_name(st));
    }
}

/*
 * @p bad must be rejected by @p set (naming both needles) on a fresh query, which stays empty,
 * and on one where the parameter holds @p prev, which keeps it.
 */
static void expect_text_rejected(const char *what, text_setter set, const char *param, const char *prev,
                                 const char *bad, const char *needle1, const char *needle2)
{
    ma_job_query *q = new_query();
    ma_error err;
    unit_prefill_error(&err);
    assert_invalid_arg(what, set(q, bad, &err), &err, needle1, needle2);
    assert_params(q, "");

    char kept[256];
    snprintf(kept, sizeof kept, "?%s=%s", param, prev);
    if (set(q, prev, NULL) != MA_OK)
        fail_msg("%s: \"%s\" was not accepted", what, prev);
    unit_prefill_error(&err);
    assert_invalid_arg(what, set(q, bad, &err), &err, needle1, needle2);
    assert_params(q, kept);
    ma_job_query_free(q);
}

/* ---- creation, reset, free ---------------------------------------------------------------------------- */

static void ma_job_query_new_fresh_query_renders_no_parameters(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    assert_params(q, "");
    ma_job_query_free(q);
}

static void ma_job_query_new_null_out_returns_invalid_arg(void **state)
{
    (void)state;
    ma_error err;
    unit_prefill_error(&err);
    assert_invalid_arg("NULL out", ma_job_query_new(NULL, test_allocator(), &err), &err, "out", NULL);
    assert_int_equal(ma_job_query_new(NULL, NULL, NULL), MA_ERR_INVALID_ARG);
}

static void ma_job_query_new_default_allocator_works(void **state)
{
    (void)state;
    ma_job_query *q = NULL;
    assert_int_equal(ma_job_query_new(&q, NULL, NULL), MA_OK);
    assert_non_null(q);
    assert_int_equal(ma_job_query_set_page(q, 4, NULL), MA_OK);
    assert_params(q, "?page=4");
    ma_job_query_free(q);
}

static void ma_job_query_new_allocation_fails_returns_nomem(void **state)
{
    (void)state;
    ma_job_query *q = unit_sentinel();
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma_job_query_new(&q, test_allocator(), &err)), MA_ERR_NOMEM);
    assert_null(q);
    assert_int_equal(err.status, MA_ERR_NOMEM);
    assert_true(strlen(err.message) > 0);
}

static void ma_job_query_free_null_is_noop(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
    ma_job_query_free(NULL);
    ma_job_query_reset(NULL);
    /* Neither call crashed nor touched an unrelated query. */
    assert_params(q, "?page=2");
    ma_job_query_free(q);
}

static void ma_job_query_reset_after_setting_everything_renders_nothing(void **state)
{
    (void)state;
    static const query_values everything = {MA_JOB_STATUS_RUNNING, 50,  3,   MA_SORT_BY_DURATION,
                                            MA_ORDER_DESC,         "x", "ws"};
    ma_job_query *q = new_query();
    set_values(q, &everything, 0);
    assert_params(q, "?status=8&per_page=50&page=3&sortBy=duration&order=desc&search_content=x&workspace_id=ws");

    ma_job_query_reset(q);
    assert_params(q, "");

    /* Only what is set after the reset comes back, not the old values. */
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
    assert_params(q, "?page=2");
    ma_job_query_free(q);
}

static void ma_job_query_setter_called_twice_last_value_wins(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_page(q, 9, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_search_content(q, "first", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_search_content(q, "2nd", NULL), MA_OK);
    assert_params(q, "?page=9&search_content=2nd");
    ma_job_query_free(q);
}

/* ---- integer setters: ranges ------------------------------------------------------------------------- */

/* @p v must be accepted by the setter of @p c and render as its "?name=value"; with @p with_err, err is cleared. */
static void expect_int_accepted(const int_setter_case *c, int v, int with_err)
{
    char what[64], expected[64];
    snprintf(what, sizeof what, "%s %d", c->param, v);
    ma_job_query *q = new_query();
    ma_error err;
    unit_prefill_error(&err);
    ma_status st = c->set(q, v, with_err ? &err : NULL);
    if (st != MA_OK)
        fail_msg("%s: %s (%s)", what, ma_status_name(st), with_err ? err.message : "no err");
    if (with_err)
        unit_assert_error_cleared(what, &err, 0);
    expected_param(c, v, expected, sizeof expected);
    assert_params(q, expected);
    ma_job_query_free(q);
}

static void ma_job_query_int_setters_range_ends_accepted(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(int_cases); i++) {
        expect_int_accepted(&int_cases[i], int_cases[i].lo, 1);
        expect_int_accepted(&int_cases[i], int_cases[i].hi, 1);
    }
}

static void ma_job_query_int_setters_every_in_range_value_accepted(void **state)
{
    (void)state;
    /* Small ranges are checked in full; the large ones at their ends above. */
    for (size_t i = 2; i < ARRAY_LEN(int_cases); i++)
        for (int v = int_cases[i].lo; v <= int_cases[i].hi; v++)
            expect_int_accepted(&int_cases[i], v, 0);
}

static void ma_job_query_int_setters_out_of_range_rejected_and_query_unchanged(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(int_cases); i++) {
        const int_setter_case *c = &int_cases[i];
        for (size_t b = 0; b < c->bad_count; b++) {
            char what[64];
            snprintf(what, sizeof what, "%s %d", c->param, c->bad[b]);
            /* A query where the parameter was never set keeps it absent. */
            ma_job_query *q = new_query();
            ma_error err;
            unit_prefill_error(&err);
            assert_invalid_arg(what, c->set(q, c->bad[b], &err), &err, c->msg_name, c->msg_range);
            assert_params(q, "");

            /* A query where it was set keeps the previous value. */
            char before[64];
            assert_int_equal(c->set(q, c->hi, NULL), MA_OK);
            expected_param(c, c->hi, before, sizeof before);
            unit_prefill_error(&err);
            assert_invalid_arg(what, c->set(q, c->bad[b], &err), &err, c->msg_name, c->msg_range);
            assert_params(q, before);

            /* Without an error struct the status is the same. */
            UNIT_CHECK(what, c->set(q, c->bad[b], NULL) == MA_ERR_INVALID_ARG);
            assert_params(q, before);
            ma_job_query_free(q);
        }
    }
}

static void ma_job_query_int_setters_null_query_returns_invalid_arg(void **state)
{
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(int_cases); i++) {
        ma_error err;
        unit_prefill_error(&err);
        assert_invalid_arg(int_cases[i].param, int_cases[i].set(NULL, int_cases[i].lo, &err), &err, "query", NULL);
        UNIT_CHECK(int_cases[i].param, int_cases[i].set(NULL, int_cases[i].lo, NULL) == MA_ERR_INVALID_ARG);
    }
}

static void ma_job_query_setters_null_err_valid_values_applied(void **state)
{
    (void)state;
    static const query_values values = {MA_JOB_STATUS_FAILED, 20, 5, MA_SORT_BY_CREATE_TIME, MA_ORDER_DESC, "s", "w"};
    static const char rendered[] =
        "?status=11&per_page=20&page=5&sortBy=create_time&order=desc&search_content=s&workspace_id=w";
    ma_job_query *q = new_query();
    set_values(q, &values, 0);
    assert_params(q, rendered);

    /* Invalid values with err == NULL: rejected, nothing changes. */
    static const struct {
        text_setter set;
        const char *value;
    } invalid[] = {
        {ma_job_query_set_search_content, "\xC0\xAF"},
        {ma_job_query_set_search_content, NULL},
        {ma_job_query_set_workspace_id, ""},
        {ma_job_query_set_workspace_id, NULL},
    };
    for (size_t i = 0; i < ARRAY_LEN(invalid); i++)
        if (invalid[i].set(q, invalid[i].value, NULL) != MA_ERR_INVALID_ARG)
            fail_msg("invalid value %zu was not rejected", i);
    assert_params(q, rendered);
    ma_job_query_free(q);
}

/* ---- search_content ----------------------------------------------------------------------------------- */

static void ma_job_query_set_search_content_null_args_return_invalid_arg(void **state)
{
    (void)state;
    ma_error err;
    unit_prefill_error(&err);
    assert_invalid_arg("NULL query", ma_job_query_set_search_content(NULL, "x", &err), &err, "query", NULL);
    assert_int_equal(ma_job_query_set_search_content(NULL, NULL, NULL), MA_ERR_INVALID_ARG);

    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_search_content(q, "keep", NULL), MA_OK);
    unit_prefill_error(&err);
    assert_invalid_arg("NULL text", ma_job_query_set_search_content(q, NULL, &err), &err, "search_content", NULL);
    assert_params(q, "?search_content=keep");
    ma_job_query_free(q);
}

static const char *const width_units[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E"};
static const char *const width_units_encoded[] = {"a", "%C3%A9", "%E2%82%AC", "%F0%9D%84%9E"};

static void ma_job_query_set_search_content_64_chars_accepted(void **state)
{
    (void)state;
    for (size_t u = 0; u < ARRAY_LEN(width_units); u++) {
        char text[MA_SEARCH_CONTENT_MAX_CHARS * 4 + 1];
        char expected[16 + MA_SEARCH_CONTENT_MAX_CHARS * 12 + 1];
        size_t len = unit_repeat(text, sizeof text, width_units[u], MA_SEARCH_CONTENT_MAX_CHARS);
        assert_int_equal(len, strlen(width_units[u]) * 64);
        strcpy(expected, "?search_content=");
        unit_repeat(expected + strlen(expected), sizeof expected - strlen(expected), width_units_encoded[u],
                    MA_SEARCH_CONTENT_MAX_CHARS);

        ma_job_query *q = new_query();
        ma_error err;
        unit_prefill_error(&err);
        ma_status st = ma_job_query_set_search_content(q, text, &err);
        if (st != MA_OK)
            fail_msg("64 characters of %zu bytes each: %s (%s)", strlen(width_units[u]), ma_status_name(st),
                     err.message);
        assert_int_equal(err.status, MA_OK);
        assert_params(q, expected);
        ma_job_query_free(q);
    }
}

static void ma_job_query_set_search_content_mixed_widths_counted_as_characters(void **state)
{
    (void)state;
    /* 63 ASCII + one 4-byte character = 64 characters in 67 bytes: accepted. */
    char text[80];
    unit_repeat(text, sizeof text, "z", 63);
    strcat(text, "\xF0\x9D\x84\x9E");
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_search_content(q, text, NULL), MA_OK);
    char expected[128];
    strcpy(expected, "?search_content=");
    unit_repeat(expected + 16, sizeof expected - 16, "z", 63);
    strcat(expected, "%F0%9D%84%9E");
    assert_params(q, expected);

    /* One more ASCII character makes 65: rejected. */
    char longer[80];
    unit_repeat(longer, sizeof longer, "z", 64);
    strcat(longer, "\xC3\xA9");
    ma_error err;
    assert_invalid_arg("64 + 1 characters", ma_job_query_set_search_content(q, longer, &err), &err, "search_content",
                       "64");
    assert_params(q, expected);
    ma_job_query_free(q);
}

static void ma_job_query_set_search_content_65_chars_rejected(void **state)
{
    (void)state;
    for (size_t u = 0; u < ARRAY_LEN(width_units); u++) {
        char text[65 * 4 + 1], what[64];
        unit_repeat(text, sizeof text, width_units[u], 65);
        snprintf(what, sizeof what, "65 characters of %zu bytes", strlen(width_units[u]));
        expect_text_rejected(what, ma_job_query_set_search_content, "search_content", "prev", text, "search_content",
                             "64");
    }
}

static void ma_job_query_set_search_content_very_long_text_rejected(void **state)
{
    (void)state;
    char text[4096];
    unit_repeat(text, sizeof text, "b", sizeof text - 1);
    expect_text_rejected("4095 characters", ma_job_query_set_search_content, "search_content", "prev", text,
                         "search_content", NULL);
}

static void ma_job_query_set_search_content_empty_sent_as_empty_value(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(ma_job_query_set_search_content(q, "", &err), MA_OK);
    assert_int_equal(err.status, MA_OK);
    assert_params(q, "?search_content=");

    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
    assert_params(q, "?page=2&search_content=");
    ma_job_query_free(q);
}

static const char *const invalid_utf8[] = {
    "\x80",             /* lone continuation byte */
    "ab\xBF",           /* continuation byte after ASCII */
    "\xC0\xAF",         /* overlong '/' */
    "\xC1\xBF",         /* overlong, C1 lead */
    "\xE0\x80\xAF",     /* overlong 3-byte */
    "\xF0\x80\x80\xAF", /* overlong 4-byte */
    "\xED\xA0\x80",     /* surrogate U+D800 */
    "\xED\xBF\xBF",     /* surrogate U+DFFF */
    "\xE2\x82",         /* truncated 3-byte sequence */
    "x\xF0\x9D\x84",    /* truncated 4-byte sequence */
    "\xC3",             /* truncated 2-byte sequence */
    "\xC3(",            /* lead byte followed by ASCII */
    "\xF4\x90\x80\x80", /* U+110000, above U+10FFFF */
    "\xF5\x80\x80\x80", /* F5 lead */
    "\xFF",             /* never valid */
    "\xFE\xFE",         /* never valid */
};

/* Every entry of invalid_utf8 must be rejected by @p set naming both needles. */
static void expect_invalid_utf8_rejected(text_setter set, const char *param, const char *needle1, const char *needle2)
{
    for (size_t i = 0; i < ARRAY_LEN(invalid_utf8); i++) {
        char what[64];
        snprintf(what, sizeof what, "%s invalid_utf8[%zu]", param, i);
        expect_text_rejected(what, set, param, "keep", invalid_utf8[i], needle1, needle2);
    }
}

static void ma_job_query_set_search_content_invalid_utf8_rejected(void **state)
{
    (void)state;
    expect_invalid_utf8_rejected(ma_job_query_set_search_content, "search_content", "UTF-8", NULL);
}

/* ---- workspace_id ------------------------------------------------------------------------------------- */

static void ma_job_query_set_workspace_id_null_args_return_invalid_arg(void **state)
{
    (void)state;
    ma_error err;
    unit_prefill_error(&err);
    assert_invalid_arg("NULL query", ma_job_query_set_workspace_id(NULL, "w", &err), &err, "query", NULL);
    ma_job_query *q = new_query();
    unit_prefill_error(&err);
    assert_invalid_arg("NULL id", ma_job_query_set_workspace_id(q, NULL, &err), &err, "workspace_id", NULL);
    assert_params(q, "");
    ma_job_query_free(q);
}

static void ma_job_query_set_workspace_id_empty_rejected(void **state)
{
    (void)state;
    expect_text_rejected("empty workspace_id", ma_job_query_set_workspace_id, "workspace_id", "0", "", "workspace_id",
                         NULL);
}

static void ma_job_query_set_workspace_id_128_bytes_accepted(void **state)
{
    (void)state;
    char id[MA_WORKSPACE_ID_MAX_BYTES + 1];
    char expected[32 + MA_WORKSPACE_ID_MAX_BYTES * 3];
    unit_repeat(id, sizeof id, "w", MA_WORKSPACE_ID_MAX_BYTES);
    snprintf(expected, sizeof expected, "?workspace_id=%s", id);
    ma_job_query *q = new_query();
    ma_error err;
    unit_prefill_error(&err);
    assert_int_equal(ma_job_query_set_workspace_id(q, id, &err), MA_OK);
    assert_int_equal(err.status, MA_OK);
    assert_params(q, expected);

    /* The limit is in bytes: 64 two-byte characters fill it exactly. */
    unit_repeat(id, sizeof id, "\xC3\xA4", MA_WORKSPACE_ID_MAX_BYTES / 2);
    strcpy(expected, "?workspace_id=");
    unit_repeat(expected + 14, sizeof expected - 14, "%C3%A4", MA_WORKSPACE_ID_MAX_BYTES / 2);
    assert_int_equal(ma_job_query_set_workspace_id(q, id, NULL), MA_OK);
    assert_params(q, expected);
    ma_job_query_free(q);
}

static void ma_job_query_set_workspace_id_129_bytes_rejected(void **state)
{
    (void)state;
    char id[MA_WORKSPACE_ID_MAX_BYTES + 2];
    unit_repeat(id, sizeof id, "w", MA_WORKSPACE_ID_MAX_BYTES + 1);
    expect_text_rejected("129 bytes", ma_job_query_set_workspace_id, "workspace_id", "prev", id, "workspace_id", "128");

    /* 65 two-byte characters: 130 bytes, rejected too. */
    char wide[140];
    unit_repeat(wide, sizeof wide, "\xC3\xA4", 65);
    expect_text_rejected("130 bytes", ma_job_query_set_workspace_id, "workspace_id", "prev", wide, "workspace_id",
                         "128");
}

static void ma_job_query_set_workspace_id_control_chars_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {"\x01", "a\tb", "a\nb", "ws\r", "a\x1f", "a\177b", "\x1b[31m"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char what[48];
        snprintf(what, sizeof what, "control character case %zu", i);
        expect_text_rejected(what, ma_job_query_set_workspace_id, "workspace_id", "prev", bad[i], "workspace_id",
                             "control");
    }
}

static void ma_job_query_set_workspace_id_invalid_utf8_rejected(void **state)
{
    (void)state;
    expect_invalid_utf8_rejected(ma_job_query_set_workspace_id, "workspace_id", "workspace_id", "UTF-8");
}

/* ---- rendering with ma__query_add_params ----------------------------------------------------------- */

static void ma__query_add_params_null_query_appends_nothing(void **state)
{
    (void)state;
    ma__endpoint ep = {"https", "h.test", 0, "", "h.test", 0};
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep);
    assert_int_equal(ma__request_add_segment(&req, "v1"), 0);
    assert_int_equal(ma__query_add_params(NULL, MA_SORT_PARAM_SORTBY, &req, NULL), MA_OK);
    assert_int_equal(ma__query_add_params(NULL, MA_SORT_PARAM_SORT_BY, &req, NULL), MA_OK);
    assert_int_equal(req.query.count, 0);
    ma__buf b;
    ma__buf_init(&b, test_allocator());
    assert_int_equal(ma__request_render_url(&req, &b), 0);
    assert_string_equal(b.data, "https://h.test/v1");
    ma__buf_free(&b);
    ma__request_free(&req);
}

static void ma__query_add_params_empty_query_appends_nothing(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    char out[64];
    render(q, out, sizeof out);
    assert_string_equal(out, "");
    ma_job_query_free(q);
}

static void ma__query_add_params_documented_sample_exact(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    /* Set in reverse order: the rendering order is fixed, not the call order. */
    set_values(q, &documented, 1);
    assert_params(q, DOCUMENTED_PARAMS);

    assert_int_equal(ma_job_query_set_workspace_id(q, "ws-1", NULL), MA_OK);
    assert_params(q, DOCUMENTED_PARAMS "&workspace_id=ws-1");
    ma_job_query_free(q);
}

static void ma__query_add_params_unset_parameters_absent(void **state)
{
    (void)state;
    static const char *const absent[] = {"status", "per_page", "sortBy", "sort_by", "order", "search_content"};
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_page(q, 3, NULL), MA_OK);
    assert_int_equal(ma_job_query_set_workspace_id(q, "ws", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_status(q, (ma_job_status)99, NULL), MA_ERR_INVALID_ARG);
    char got[256];
    render(q, got, sizeof got);
    assert_string_equal(got, "?page=3&workspace_id=ws");
    render_with(q, MA_SORT_PARAM_SORT_BY, got, sizeof got);
    assert_string_equal(got, "?page=3&workspace_id=ws");
    for (size_t i = 0; i < ARRAY_LEN(absent); i++)
        if (strstr(got, absent[i]))
            fail_msg("unset parameter %s rendered in \"%s\"", absent[i], got);
    ma_job_query_free(q);
}

static void ma__query_add_params_every_sort_key_and_order_wire_name(void **state)
{
    (void)state;
    for (int key = 0; key <= 5; key++) {
        for (int order = 0; order <= 1; order++) {
            ma_job_query *q = new_query();
            assert_int_equal(ma_job_query_set_sort_by(q, (ma_sort_key)key, NULL), MA_OK);
            assert_int_equal(ma_job_query_set_order(q, (ma_sort_order)order, NULL), MA_OK);
            char expected[96], got[96];
            snprintf(expected, sizeof expected, "?sortBy=%s&order=%s", sort_wire[key], order_wire[order]);
            render_with(q, MA_SORT_PARAM_SORTBY, got, sizeof got);
            unit_assert_text("sortBy", got, expected);
            snprintf(expected, sizeof expected, "?sort_by=%s&order=%s", sort_wire[key], order_wire[order]);
            render_with(q, MA_SORT_PARAM_SORT_BY, got, sizeof got);
            unit_assert_text("sort_by", got, expected);
            unit_assert_text("sort key wire name", ma__sort_key_wire((ma_sort_key)key), sort_wire[key]);
            unit_assert_text("order wire name", ma__sort_order_wire((ma_sort_order)order), order_wire[order]);
            ma_job_query_free(q);
        }
    }
    assert_null(ma__sort_key_wire((ma_sort_key)6));
    assert_null(ma__sort_key_wire((ma_sort_key)-1));
    assert_null(ma__sort_order_wire((ma_sort_order)2));
}

static void ma__query_add_params_sort_by_name_only_changes_sort_param(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    set_values(q, &documented, 0);
    char got[256];
    render_with(q, MA_SORT_PARAM_SORT_BY, got, sizeof got);
    assert_string_equal(got, "?status=7&per_page=10&page=1&sort_by=job_name&order=asc&search_content=job");
    assert_null(strstr(got, "sortBy"));
    ma_job_query_free(q);
}

typedef struct encode_case {
    const char *raw;
    const char *encoded;
} encode_case;

static const encode_case encode_cases[] = {
    {"ABCXYZabcxyz0189-._~", "ABCXYZabcxyz0189-._~"},
    {"a b", "a%20b"},
    {"a+b", "a%2Bb"},
    {"&", "%26"},
    {"%", "%25"},
    {"/", "%2F"},
    {"#", "%23"},
    {"?", "%3F"},
    {"=", "%3D"},
    {"\"", "%22"},
    {"\\", "%5C"},
    {"x&y=1#z?w", "x%26y%3D1%23z%3Fw"},
    {"\xC3\xA4", "%C3%A4"},
    {"caf\xC3\xA9 \xE2\x82\xAC", "caf%C3%A9%20%E2%82%AC"},
    {"!*'();:@$,[]", "%21%2A%27%28%29%3B%3A%40%24%2C%5B%5D"},
    {"<>{}|^`", "%3C%3E%7B%7D%7C%5E%60"},
};

/* Each entry of encode_cases set through @p set renders as "?<param>=<encoded>", with no '+' or space. */
static void expect_percent_encoded(text_setter set, const char *param)
{
    for (size_t i = 0; i < ARRAY_LEN(encode_cases); i++) {
        ma_job_query *q = new_query();
        if (set(q, encode_cases[i].raw, NULL) != MA_OK)
            fail_msg("%s \"%s\" was rejected", param, encode_cases[i].raw);
        char expected[256], got[256];
        snprintf(expected, sizeof expected, "?%s=%s", param, encode_cases[i].encoded);
        render(q, got, sizeof got);
        unit_assert_text(encode_cases[i].raw, got, expected);
        if (strchr(got, '+') || strchr(got, ' '))
            fail_msg("\"%s\" rendered with '+' or a space: \"%s\"", encode_cases[i].raw, got);
        ma_job_query_free(q);
    }
}

static void ma__query_add_params_search_content_percent_encoded(void **state)
{
    (void)state;
    expect_percent_encoded(ma_job_query_set_search_content, "search_content");
}

static void ma__query_add_params_workspace_id_percent_encoded(void **state)
{
    (void)state;
    expect_percent_encoded(ma_job_query_set_workspace_id, "workspace_id");
}

static void ma__query_add_params_hex_is_upper_case(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_search_content(q, "\xEF\xBF\xBD:", NULL), MA_OK);
    char got[128];
    render(q, got, sizeof got);
    assert_string_equal(got, "?search_content=%EF%BF%BD%3A");
    for (const char *p = strchr(got, '%'); p; p = strchr(p + 1, '%')) {
        assert_true((p[1] >= '0' && p[1] <= '9') || (p[1] >= 'A' && p[1] <= 'F'));
        assert_true((p[2] >= '0' && p[2] <= '9') || (p[2] >= 'A' && p[2] <= 'F'));
    }
    ma_job_query_free(q);
}

static void ma__query_add_params_allocation_fails_returns_nomem(void **state)
{
    (void)state;
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_search_content(q, "text", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
    ma__endpoint ep = {"https", "h.test", 0, "", "h.test", 0};
    ma__http_request req;
    ma__request_init(&req, test_allocator(), "GET", &ep);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__query_add_params(q, MA_SORT_PARAM_SORTBY, &req, NULL)), MA_ERR_NOMEM);
    assert_int_equal(req.query.count, 0);
    ma__request_free(&req);
    ma_job_query_free(q);
}

/* The setters never store such values; a query corrupted in memory must fail cleanly, not crash in strlen. */
static void ma__query_add_params_sort_key_or_order_without_wire_name_returns_invalid_arg(void **state)
{
    (void)state;
    static const struct {
        unsigned int flag;
        const char *needle;
    } cases[] = {{MA__Q_SORT_BY, "sort key 99"}, {MA__Q_ORDER, "sort order 99"}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        ma_job_query *q = new_query();
        assert_int_equal(ma_job_query_set_page(q, 2, NULL), MA_OK);
        q->set |= cases[i].flag;
        if (cases[i].flag == MA__Q_SORT_BY)
            q->sort_key = (ma_sort_key)99;
        else
            q->order = (ma_sort_order)99;
        ma__endpoint ep = {"https", "h.test", 0, "", "h.test", 0};
        ma__http_request req;
        ma__request_init(&req, test_allocator(), "GET", &ep);
        ma_error err;
        assert_int_equal(ma__query_add_params(q, MA_SORT_PARAM_SORTBY, &req, &err), MA_ERR_INVALID_ARG);
        assert_int_equal(err.status, MA_ERR_INVALID_ARG);
        if (!strstr(err.message, cases[i].needle))
            fail_msg("message \"%s\" lacks \"%s\"", err.message, cases[i].needle);
        assert_int_equal(req.query.count, 0);
        assert_int_equal(ma__query_add_params(q, MA_SORT_PARAM_SORTBY, &req, NULL), MA_ERR_INVALID_ARG);
        ma__request_free(&req);
        ma_job_query_free(q);
    }
}

/* ---- rendering through a client ---------------------------------------------------------------------- */

static void open_client(unit_fixture *f, const char *endpoint, const char *project_id, ma_sort_param_name sort_name)
{
    const unit_client_spec spec = {TOKEN, endpoint, project_id, sort_name};
    unit_fixture_open(f, &spec);
    capture_transport_reply(f->transport, 200, UNIT_JSON_ONLY, UNIT_SAMPLE_BODY);
}

static void open_default_client(unit_fixture *f)
{
    open_client(f, "https://example.test", "proj", MA_SORT_PARAM_SORTBY);
}

/* Sends one list request and returns the URL the transport saw. */
static const char *send_list(unit_fixture *f, const ma_job_query *q)
{
    ma_job_list *list = NULL;
    ma_error err;
    ma_status st = unit_list(f, "list", q, &list, &err);
    if (st != MA_OK)
        fail_msg("ma_list_training_jobs: %s (%s)", ma_status_name(st), err.message);
    assert_string_equal(f->transport->method, "GET");
    assert_int_equal(ma_job_list_count(list), 1);
    ma_job_list_free(list);
    return f->transport->url;
}

/* Nothing is sent for a query whose sort key has no wire name. */
static void ma_list_training_jobs_sort_key_without_wire_name_returns_invalid_arg(void **state)
{
    (void)state;
    unit_fixture f;
    open_default_client(&f);
    ma_job_query *q = new_query();
    q->set |= MA__Q_SORT_BY;
    q->sort_key = (ma_sort_key)-1;
    ma_job_list *list = unit_sentinel();
    ma_error err;
    assert_int_equal(ma_list_training_jobs(f.client, q, &list, &err), MA_ERR_INVALID_ARG);
    assert_null(list);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "sort key -1"));
    assert_int_equal(f.transport->calls, 0);
    ma_job_query_free(q);
    unit_fixture_close(&f);
}

static void ma_list_training_jobs_null_query_sends_no_question_mark(void **state)
{
    (void)state;
    unit_fixture f;
    open_default_client(&f);
    const char *url = send_list(&f, NULL);
    assert_string_equal(url, "https://example.test/v1/proj/training-jobs");
    assert_null(strchr(url, '?'));
    unit_fixture_close(&f);
}

static void ma_list_training_jobs_empty_query_sends_no_question_mark(void **state)
{
    (void)state;
    unit_fixture f;
    open_default_client(&f);
    ma_job_query *q = new_query();
    assert_string_equal(send_list(&f, q), "https://example.test/v1/proj/training-jobs");
    /* A rejected value does not make a parameter appear. */
    assert_int_equal(ma_job_query_set_per_page(q, 0, NULL), MA_ERR_INVALID_ARG);
    assert_string_equal(send_list(&f, q), "https://example.test/v1/proj/training-jobs");
    ma_job_query_free(q);
    unit_fixture_close(&f);
}

static void ma_list_training_jobs_documented_sample_exact_url(void **state)
{
    (void)state;
    unit_fixture f;
    open_default_client(&f);
    ma_job_query *q = new_query();
    set_values(q, &documented, 0);
    assert_string_equal(send_list(&f, q), DOCUMENTED_URL);
    /* The same query sent again gives the same URL (nothing accumulates). */
    assert_string_equal(send_list(&f, q), DOCUMENTED_URL);
    ma_job_query_free(q);
    unit_fixture_close(&f);
}

static void ma_list_training_jobs_sort_param_name_option_selects_sort_by(void **state)
{
    (void)state;
    for (int key = 0; key <= 5; key++) {
        unit_fixture a, b;
        open_client(&a, "https://example.test", "proj", MA_SORT_PARAM_SORTBY);
        open_client(&b, "https://example.test", "proj", MA_SORT_PARAM_SORT_BY);
        ma_job_query *q = new_query();
        assert_int_equal(ma_job_query_set_sort_by(q, (ma_sort_key)key, NULL), MA_OK);
        assert_int_equal(ma_job_query_set_order(q, MA_ORDER_DESC, NULL), MA_OK);
        char expected[160];
        snprintf(expected, sizeof expected, "https://example.test/v1/proj/training-jobs?sortBy=%s&order=desc",
                 sort_wire[key]);
        unit_assert_text("MA_SORT_PARAM_SORTBY", send_list(&a, q), expected);
        snprintf(expected, sizeof expected, "https://example.test/v1/proj/training-jobs?sort_by=%s&order=desc",
                 sort_wire[key]);
        unit_assert_text("MA_SORT_PARAM_SORT_BY", send_list(&b, q), expected);
        ma_job_query_free(q);
        unit_fixture_close(&a);
        unit_fixture_close(&b);
    }
}

static void ma_list_training_jobs_search_content_and_workspace_percent_encoded(void **state)
{
    (void)state;
    unit_fixture f;
    open_default_client(&f);
    ma_job_query *q = new_query();
    assert_int_equal(ma_job_query_set_search_content(q, "a b+c&d%e/f#g?h=i\"j\\k\xC3\xA4~", NULL), MA_OK);
    assert_int_equal(ma_job_query_set_workspace_id(q, "w s/\xC3\xA4", NULL), MA_OK);
    assert_string_equal(send_list(&f, q), "https://example.test/v1/proj/training-jobs"
                                          "?search_content=a%20b%2Bc%26d%25e%2Ff%23g%3Fh%3Di%22j%5Ck%C3%A4~"
                                          "&workspace_id=w%20s%2F%C3%A4");
    ma_job_query_free(q);
    unit_fixture_close(&f);
}

/* A client per case: @p cases[i].raw is the endpoint or project id, .encoded the URL it must send to. */
static void expect_list_urls(const encode_case *cases, size_t count, int raw_is_endpoint)
{
    for (size_t i = 0; i < count; i++) {
        unit_fixture f;
        char expected[128];
        if (raw_is_endpoint) {
            open_client(&f, cases[i].raw, "p", MA_SORT_PARAM_SORTBY);
            snprintf(expected, sizeof expected, "%s", cases[i].encoded);
        } else {
            open_client(&f, "https://example.test", cases[i].raw, MA_SORT_PARAM_SORTBY);
            snprintf(expected, sizeof expected, "https://example.test/v1/%s/training-jobs", cases[i].encoded);
        }
        unit_assert_text(cases[i].raw, send_list(&f, NULL), expected);
        unit_fixture_close(&f);
    }
}

static void ma_list_training_jobs_project_id_percent_encoded_in_path(void **state)
{
    (void)state;
    static const encode_case projects[] = {
        {"a b/c", "a%20b%2Fc"}, {"0f1e2d3c4b5a", "0f1e2d3c4b5a"}, {"p?q#r", "p%3Fq%23r"},
        {"a..b", "a..b"},       {"\xC3\xA4%", "%C3%A4%25"},
    };
    expect_list_urls(projects, ARRAY_LEN(projects), 0);
}

static void ma_list_training_jobs_endpoint_trailing_slashes_dropped_prefix_kept(void **state)
{
    (void)state;
    static const encode_case endpoints[] = {
        {"https://h.test/prefix/", "https://h.test/prefix/v1/p/training-jobs"},
        {"https://h.test/prefix", "https://h.test/prefix/v1/p/training-jobs"},
        {"https://h.test/a/b///", "https://h.test/a/b/v1/p/training-jobs"},
        {"https://h.test/", "https://h.test/v1/p/training-jobs"},
        {"https://h.test", "https://h.test/v1/p/training-jobs"},
        {"https://h.test:8443/", "https://h.test:8443/v1/p/training-jobs"},
        {"https://H.Test:443", "https://h.test/v1/p/training-jobs"},
        {"HTTPS://h.test/Pre%2Ffix", "https://h.test/Pre%2Ffix/v1/p/training-jobs"},
        {"http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/p/training-jobs"},
    };
    expect_list_urls(endpoints, ARRAY_LEN(endpoints), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ma_job_query_new_fresh_query_renders_no_parameters),
        cmocka_unit_test(ma_job_query_new_null_out_returns_invalid_arg),
        cmocka_unit_test(ma_job_query_new_default_allocator_works),
        cmocka_unit_test(ma_job_query_new_allocation_fails_returns_nomem),
        cmocka_unit_test(ma_job_query_free_null_is_noop),
        cmocka_unit_test(ma_job_query_reset_after_setting_everything_renders_nothing),
        cmocka_unit_test(ma_job_query_setter_called_twice_last_value_wins),
        cmocka_unit_test(ma_job_query_int_setters_range_ends_accepted),
        cmocka_unit_test(ma_job_query_int_setters_every_in_range_value_accepted),
        cmocka_unit_test(ma_job_query_int_setters_out_of_range_rejected_and_query_unchanged),
        cmocka_unit_test(ma_job_query_int_setters_null_query_returns_invalid_arg),
        cmocka_unit_test(ma_job_query_setters_null_err_valid_values_applied),
        cmocka_unit_test(ma_job_query_set_search_content_null_args_return_invalid_arg),
        cmocka_unit_test(ma_job_query_set_search_content_64_chars_accepted),
        cmocka_unit_test(ma_job_query_set_search_content_mixed_widths_counted_as_characters),
        cmocka_unit_test(ma_job_query_set_search_content_65_chars_rejected),
        cmocka_unit_test(ma_job_query_set_search_content_very_long_text_rejected),
        cmocka_unit_test(ma_job_query_set_search_content_empty_sent_as_empty_value),
        cmocka_unit_test(ma_job_query_set_search_content_invalid_utf8_rejected),
        cmocka_unit_test(ma_job_query_set_workspace_id_null_args_return_invalid_arg),
        cmocka_unit_test(ma_job_query_set_workspace_id_empty_rejected),
        cmocka_unit_test(ma_job_query_set_workspace_id_128_bytes_accepted),
        cmocka_unit_test(ma_job_query_set_workspace_id_129_bytes_rejected),
        cmocka_unit_test(ma_job_query_set_workspace_id_control_chars_rejected),
        cmocka_unit_test(ma_job_query_set_workspace_id_invalid_utf8_rejected),
        cmocka_unit_test(ma__query_add_params_null_query_appends_nothing),
        cmocka_unit_test(ma__query_add_params_empty_query_appends_nothing),
        cmocka_unit_test(ma__query_add_params_documented_sample_exact),
        cmocka_unit_test(ma__query_add_params_unset_parameters_absent),
        cmocka_unit_test(ma__query_add_params_every_sort_key_and_order_wire_name),
        cmocka_unit_test(ma__query_add_params_sort_by_name_only_changes_sort_param),
        cmocka_unit_test(ma__query_add_params_search_content_percent_encoded),
        cmocka_unit_test(ma__query_add_params_workspace_id_percent_encoded),
        cmocka_unit_test(ma__query_add_params_hex_is_upper_case),
        cmocka_unit_test(ma__query_add_params_allocation_fails_returns_nomem),
        cmocka_unit_test(ma__query_add_params_sort_key_or_order_without_wire_name_returns_invalid_arg),
        cmocka_unit_test(ma_list_training_jobs_sort_key_without_wire_name_returns_invalid_arg),
        cmocka_unit_test(ma_list_training_jobs_null_query_sends_no_question_mark),
        cmocka_unit_test(ma_list_training_jobs_empty_query_sends_no_question_mark),
        cmocka_unit_test(ma_list_training_jobs_documented_sample_exact_url),
        cmocka_unit_test(ma_list_training_jobs_sort_param_name_option_selects_sort_by),
        cmocka_unit_test(ma_list_training_jobs_search_content_and_workspace_percent_encoded),
        cmocka_unit_test(ma_list_training_jobs_project_id_percent_encoded_in_path),
        cmocka_unit_test(ma_list_training_jobs_endpoint_trailing_slashes_dropped_prefix_kept),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
