/* Redaction of echoed secrets: real echoes are masked, other text is never touched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/auth.h"
#include "engine/log.h"
#include "modelarts/modelarts.h"
#include "unit_fixture.h"

/* A token shaped like an IAM token, long enough to be masked wherever it occurs. */
#define LONG_TOKEN "MIIDxTCCAq2gAwIBAgIQAqxcJmoLQJuPC3nyrkYldzANBgkqhkiG9w0BAQUFADBs"

typedef struct redact_case {
    const char *secret;
    const char *text;
    const char *expected;
} redact_case;

static void check_cases(const redact_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const redact_case *c = &cases[i];
        char text[512];
        snprintf(text, sizeof text, "%s", c->text);
        ma__redact_secret(text, c->secret, strlen(c->secret));
        char what[160];
        snprintf(what, sizeof what, "case %zu: secret \"%.20s\" in \"%.60s\"", i, c->secret, c->text);
        unit_assert_text(what, text, c->expected);
    }
}

static void ma__redact_secret_short_secret_inside_words_leaves_text_intact(void **state)
{
    (void)state;
    static const redact_case cases[] = {
        {"a", "Incorrect IAM authentication information", "Incorrect IAM authentication information"},
        {"1", "APIG.0301", "APIG.0301"},
        {"1", "APIG.0301: request 1a2b failed after 10s", "APIG.0301: request 1a2b failed after 10s"},
        {"0301", "APIG.0301", "APIG.0301"},
        {"abc", "abcd xabc x-abc abc_d a/abc abc+", "abcd xabc x-abc abc_d a/abc abc+"},
        {"t", "token", "token"},
        {"ab", "aab abb", "aab abb"},
        {"a", "", ""},
    };
    check_cases(cases, ARRAY_LEN(cases));
}

static void ma__redact_secret_short_secret_as_whole_word_masked(void **state)
{
    (void)state;
    static const redact_case cases[] = {
        {"a", "a", "*"},
        {"a", "token a is not valid", "token * is not valid"},
        {"1", "token 1.", "token *."},
        {"abc", "token abc...", "token ***..."},
        {"abc", "'abc' \"abc\" (abc) [abc] {abc}", "'***' \"***\" (***) [***] {***}"},
        {"abc", "token=abc, token:abc;abc", "token=***, token:***;***"},
        {"abc", "abc abcd abc", "*** abcd ***"},
        {"Tok-1", "X-Auth-Token: Tok-1\n", "X-Auth-Token: *****\n"},
    };
    check_cases(cases, ARRAY_LEN(cases));
}

static void ma__redact_secret_long_secret_masked_wherever_it_occurs(void **state)
{
    (void)state;
    static const redact_case cases[] = {
        {LONG_TOKEN, "token " LONG_TOKEN " is not valid",
         "token ****************************************************************"
         " is not valid"},
        {LONG_TOKEN, "x" LONG_TOKEN "y", "x****************************************************************y"},
        {LONG_TOKEN, LONG_TOKEN LONG_TOKEN,
         "****************************************************************"
         "****************************************************************"},
        {"abcdefgh", "xxabcdefghxx abcdefg", "xx********xx abcdefg"},
    };
    check_cases(cases, ARRAY_LEN(cases));
}

static void ma__redact_secret_cut_off_start_masked_only_at_the_end(void **state)
{
    (void)state;
    static const redact_case cases[] = {
        /* 12 bytes of the token end the text, or come before a final "...". */
        {LONG_TOKEN, "token MIIDxTCCAq2g", "token ************"},
        {LONG_TOKEN, "token MIIDxTCCAq2g...", "token ************..."},
        {LONG_TOKEN, "xxxMIIDxTCC", "xxx********"},
        /* Shorter than 8 bytes, or not at the end: ordinary text. */
        {LONG_TOKEN, "token MIIDxTC", "token MIIDxTC"},
        {LONG_TOKEN, "token MIIDxTCCAq2g is cut", "token MIIDxTCCAq2g is cut"},
        {LONG_TOKEN, "token MIIDxTCCAq2g... more", "token MIIDxTCCAq2g... more"},
        /* A short secret has no cut-off form. */
        {"abcdefg", "token abcdef", "token abcdef"},
        {"abcdefg", "token abc...", "token abc..."},
    };
    check_cases(cases, ARRAY_LEN(cases));
}

static void ma__redact_secret_empty_secret_changes_nothing(void **state)
{
    (void)state;
    char text[] = "nothing to hide";
    ma__redact_secret(text, "", 0);
    assert_string_equal(text, "nothing to hide");
}

/* The whole path: a client on a one-byte token reports the gateway's words unchanged. */
static void ma_list_training_jobs_short_token_error_detail_intact(void **state)
{
    (void)state;
    static const char *const tokens[] = {"a", "1", "0", "I"};
    for (size_t i = 0; i < ARRAY_LEN(tokens); i++) {
        unit_client_spec spec = {tokens[i], NULL, NULL, MA_SORT_PARAM_SORTBY};
        unit_fixture f;
        unit_fixture_open(&f, &spec);
        ma_error err;
        ma_status st = unit_list_reply(&f, 401, "X-Request-Id: r-0301\nContent-Type: application/json",
                                       "{\"error_msg\":\"Incorrect IAM authentication information\","
                                       "\"error_code\":\"APIG.0301\"}",
                                       &err);
        assert_int_equal(st, MA_ERR_UNAUTHORIZED);
        unit_assert_text(tokens[i], err.service_code, "APIG.0301");
        unit_assert_text(tokens[i], err.request_id, "r-0301");
        if (strstr(err.message, "Incorrect IAM authentication information") == NULL)
            fail_msg("token \"%s\": message \"%s\" was altered", tokens[i], err.message);
        unit_fixture_close(&f);
    }
}

static void ma_list_training_jobs_echoed_token_still_masked(void **state)
{
    (void)state;
    unit_client_spec spec = {LONG_TOKEN, NULL, NULL, MA_SORT_PARAM_SORTBY};
    unit_fixture f;
    unit_fixture_open(&f, &spec);
    ma_error err;
    ma_status st = unit_list_reply(&f, 401, UNIT_JSON_ONLY,
                                   "{\"error_msg\":\"token " LONG_TOKEN " is not valid\","
                                   "\"error_code\":\"APIG.0301\",\"request_id\":\"" LONG_TOKEN "\"}",
                                   &err);
    assert_int_equal(st, MA_ERR_UNAUTHORIZED);
    assert_null(strstr(err.message, "MIIDxTCC"));
    assert_null(strstr(err.request_id, "MIIDxTCC"));
    assert_non_null(strstr(err.message, "token ****"));
    assert_non_null(strstr(err.message, "* is not valid"));
    unit_fixture_close(&f);

    spec.token = "a";
    unit_fixture_open(&f, &spec);
    st = unit_list_reply(&f, 401, UNIT_JSON_ONLY,
                         "{\"error_msg\":\"token 'a' is not valid\",\"error_code\":\"APIG.0301\"}", &err);
    assert_int_equal(st, MA_ERR_UNAUTHORIZED);
    assert_null(strstr(err.message, "'a'"));
    assert_non_null(strstr(err.message, "token '*' is not valid"));
    unit_fixture_close(&f);
}

static void keep_line(ma_log_level level, const char *message, void *user_data)
{
    (void)level;
    snprintf(user_data, MA__LOG_LINE_MAX, "%s", message);
}

/* Every line goes through the client's redaction on its way to the log callback. */
static void ma__log_line_quoting_the_token_reaches_the_callback_masked(void **state)
{
    (void)state;
    ma_credentials *creds = unit_credentials(LONG_TOKEN);
    ma_client_options o;
    unit_options(&o, creds, NULL, NULL);
    static char line[MA__LOG_LINE_MAX];
    line[0] = '\0';
    o.log = keep_line;
    o.log_user_data = line;
    o.log_level = MA_LOG_DEBUG;
    ma_client *client = unit_client_new("log", &o);
    ma__log(client, MA_LOG_ERROR, "GET /x failed: token %s is not valid", LONG_TOKEN);
    assert_null(strstr(line, "MIIDxTCC"));
    assert_non_null(strstr(line, "GET /x failed: token ****"));
    assert_non_null(strstr(line, "* is not valid"));
    ma_client_free(client);
    ma_credentials_free(creds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ma__redact_secret_short_secret_inside_words_leaves_text_intact),
        cmocka_unit_test(ma__redact_secret_short_secret_as_whole_word_masked),
        cmocka_unit_test(ma__redact_secret_long_secret_masked_wherever_it_occurs),
        cmocka_unit_test(ma__redact_secret_cut_off_start_masked_only_at_the_end),
        cmocka_unit_test(ma__redact_secret_empty_secret_changes_nothing),
        cmocka_unit_test(ma_list_training_jobs_short_token_error_detail_intact),
        cmocka_unit_test(ma_list_training_jobs_echoed_token_still_masked),
        cmocka_unit_test(ma__log_line_quoting_the_token_reaches_the_callback_masked),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
