/* The IAM bodies on their own: the login body written, token and project-list responses read, ISO 8601 times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "json/iam.h"
#include "modelarts/modelarts.h"
#include "secret_alloc.h"
#include "test_alloc.h"

static void iso8601_with_microseconds_read_to_the_millisecond(void **state)
{
    (void)state;
    int64_t ms = 0;
    assert_int_equal(ma__iso8601_utc_to_ms("2015-11-09T01:42:57.527363Z", &ms), 0);
    assert_int_equal(ms, INT64_C(1447033377527));
    assert_int_equal(ma__iso8601_utc_to_ms("2000-02-29T23:59:59Z", &ms), 0);
    assert_int_equal(ms, INT64_C(951868799000));
    assert_int_equal(ma__iso8601_utc_to_ms("2100-03-01T00:00:00.5Z", &ms), 0);
    assert_int_equal(ms, INT64_C(4107542400500));
}

static void iso8601_without_z_or_malformed_rejected(void **state)
{
    (void)state;
    int64_t ms = 0;
    static const char *const bad[] = {"2015-11-09T01:42:57.527363",   "2015-11-09T01:42:57+01:00",
                                      "2015-11-09 01:42:57Z",         "2015-13-09T01:42:57Z",
                                      "2015-11-09T01:42:57.Z",        "2015-11-09T24:00:00Z",
                                      "2015-11-09T01:42:57.527363ZZ", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (ma__iso8601_utc_to_ms(bad[i], &ms) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
}

static void login_body_scoped_by_name_is_the_keystone_shape(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, test_allocator());
    ma__iam_login_fields f = {"alice", "p\"w\\", "acme", "eu-de", NULL};
    assert_int_equal(ma__iam_login_body(&f, &b, NULL), MA_OK);
    assert_string_equal(b.data, "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":"
                                "\"alice\",\"password\":\"p\\\"w\\\\\",\"domain\":{\"name\":\"acme\"}}}},\"scope\":{"
                                "\"project\":{\"name\":\"eu-de\"}}}}");
    ma__buf_free(&b);
}

static void login_body_scoped_by_id_when_an_id_is_given(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, test_allocator());
    ma__iam_login_fields f = {"alice", "pw", "acme", "eu-de", "0123abcd"};
    assert_int_equal(ma__iam_login_body(&f, &b, NULL), MA_OK);
    assert_non_null(strstr(b.data, "\"scope\":{\"project\":{\"id\":\"0123abcd\"}}"));
    assert_null(strstr(b.data, "eu-de"));
    ma__buf_free(&b);
}

static void login_body_out_of_memory_is_nomem(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, test_allocator());
    ma__iam_login_fields f = {"alice", "pw", "acme", "eu-de", NULL};
    ma_error err;
    test_alloc_fail_at(1);
    assert_int_equal(ma__iam_login_body(&f, &b, &err), MA_ERR_NOMEM);
    test_alloc_reset();
    ma__buf_free(&b);
}

static void login_body_password_not_utf8_is_invalid_arg_without_the_password(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, test_allocator());
    ma__iam_login_fields f = {"alice",
                              "sec\xff"
                              "ret",
                              "acme", "eu-de", NULL};
    ma_error err;
    assert_int_equal(ma__iam_login_body(&f, &b, &err), MA_ERR_INVALID_ARG);
    assert_null(strstr(err.message, "sec"));
    assert_int_equal(b.len, 0);
    ma__buf_free(&b);
}

static void token_body_expires_at_and_project_id_read(void **state)
{
    (void)state;
    static const char body[] = "{\"token\":{\"expires_at\":\"2015-11-09T01:42:57.527363Z\",\"issued_at\":\"2015-11-08T"
                               "01:42:57.527363Z\",\"project\":{\"id\":\"a4a5d4098fb4474fa22cd05f897d6b99\",\"name\":"
                               "\"eu-de\"}}}";
    int64_t expires = 0;
    char id[64];
    assert_int_equal(ma__iam_token_body_parse(body, sizeof body - 1, &expires, id, sizeof id, NULL), MA_OK);
    assert_int_equal(expires, INT64_C(1447033377527));
    assert_string_equal(id, "a4a5d4098fb4474fa22cd05f897d6b99");
}

static void token_body_without_project_gives_an_empty_id(void **state)
{
    (void)state;
    static const char body[] = "{\"token\":{\"expires_at\":\"2015-11-09T01:42:57Z\",\"domain\":{\"id\":\"d\"}}}";
    int64_t expires = 0;
    char id[64] = "stale";
    assert_int_equal(ma__iam_token_body_parse(body, sizeof body - 1, &expires, id, sizeof id, NULL), MA_OK);
    assert_string_equal(id, "");
}

static void token_body_without_expires_at_or_not_json_is_protocol(void **state)
{
    (void)state;
    static const char no_expiry[] = "{\"token\":{\"project\":{\"id\":\"p\"}}}";
    static const char not_json[] = "<html>";
    int64_t expires = 0;
    char id[64];
    ma_error err;
    assert_int_equal(ma__iam_token_body_parse(no_expiry, sizeof no_expiry - 1, &expires, id, sizeof id, &err),
                     MA_ERR_PROTOCOL);
    assert_non_null(strstr(err.message, "expires_at"));
    assert_int_equal(ma__iam_token_body_parse(not_json, sizeof not_json - 1, &expires, id, sizeof id, &err),
                     MA_ERR_PROTOCOL);
    assert_int_equal(ma__iam_token_body_parse(NULL, 0, &expires, id, sizeof id, &err), MA_ERR_PROTOCOL);
}

static void projects_body_counts_exact_name_matches(void **state)
{
    (void)state;
    static const char body[] =
        "{\"projects\":[{\"id\":\"x1\",\"name\":\"eu-de_sub\"},{\"id\":\"x2\",\"name\":\"eu-de\"},"
        "{\"id\":\"x3\",\"name\":\"EU-DE\"}],\"links\":{}}";
    size_t matches = 0;
    char id[64];
    assert_int_equal(ma__iam_projects_parse(body, sizeof body - 1, "eu-de", &matches, id, sizeof id, NULL), MA_OK);
    assert_int_equal(matches, 1);
    assert_string_equal(id, "x2");
    assert_int_equal(ma__iam_projects_parse(body, sizeof body - 1, "eu-nl", &matches, id, sizeof id, NULL), MA_OK);
    assert_int_equal(matches, 0);
    static const char bad[] = "{\"projects\":{}}";
    assert_int_equal(ma__iam_projects_parse(bad, sizeof bad - 1, "eu-de", &matches, id, sizeof id, NULL),
                     MA_ERR_PROTOCOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso8601_with_microseconds_read_to_the_millisecond),
        cmocka_unit_test(iso8601_without_z_or_malformed_rejected),
        cmocka_unit_test(login_body_scoped_by_name_is_the_keystone_shape),
        cmocka_unit_test(login_body_scoped_by_id_when_an_id_is_given),
        cmocka_unit_test(login_body_out_of_memory_is_nomem),
        cmocka_unit_test(login_body_password_not_utf8_is_invalid_arg_without_the_password),
        cmocka_unit_test(token_body_expires_at_and_project_id_read),
        cmocka_unit_test(token_body_without_project_gives_an_empty_id),
        cmocka_unit_test(token_body_without_expires_at_or_not_json_is_protocol),
        cmocka_unit_test(projects_body_counts_exact_name_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
