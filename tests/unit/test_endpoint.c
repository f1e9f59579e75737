/* The endpoint parser: which hosts count as loopback, and which characters a host may have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/request.h"
#include "test_alloc.h"

static void expect_loopback(const char *url, int loopback)
{
    ma__endpoint ep;
    ma_error err;
    ma_status st = ma__endpoint_parse(test_allocator(), url, &ep, &err);
    if (st != MA_OK)
        fail_msg("\"%s\" rejected: %s", url, err.message);
    if (ep.is_loopback != loopback)
        fail_msg("\"%s\" (host \"%s\"): is_loopback %d, expected %d", url, ep.host, ep.is_loopback, loopback);
    ma__endpoint_free(test_allocator(), &ep);
}

static void expect_rejected(const char *url, const char *needle)
{
    ma__endpoint ep;
    ma_error err;
    ma_status st = ma__endpoint_parse(test_allocator(), url, &ep, &err);
    if (st != MA_ERR_INVALID_ARG) {
        if (st == MA_OK)
            ma__endpoint_free(test_allocator(), &ep);
        fail_msg("\"%s\": expected MA_ERR_INVALID_ARG, got %s", url, ma_status_name(st));
    }
    if (!strstr(err.message, needle))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", url, err.message, needle);
}

static void endpoint_loopback_addresses_are_loopback(void **state)
{
    (void)state;
    static const char *const urls[] = {
        "http://127.0.0.1:8080", "http://127.255.255.254/p", "http://127.3.2.1",         "http://localhost:1",
        "http://LOCALHOST",      "http://[::1]:9",           "http://[0:0:0:0:0:0:0:1]", "http://[0000::0001]/x",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
        expect_loopback(urls[i], 1);
}

/*
 * Names that only look like loopback: libcurl resolves them through DNS (or
 * inet_aton's shorthand, which not every resolver shares), so plain http to
 * them would be plain http to wherever they resolve. The IPv4-mapped form is
 * left out too: it reaches loopback only on a dual-stack socket.
 */
static void endpoint_loopback_look_alikes_are_not_loopback(void **state)
{
    (void)state;
    static const char *const urls[] = {
        "http://127.0.0.1.5",    "http://127.1",       "http://0x7f.0.0.1",     "http://127.0.0.1.nip.io",
        "http://127.0.0.1.",     "http://127.0.0.256", "http://2130706433",     "http://0177.0.0.1",
        "http://127.0.0",        "http://localhost.",  "http://localhost.evil", "http://[::ffff:127.0.0.1]",
        "http://[::2]",          "http://[::]",        "http://128.0.0.1",      "http://10.0.0.1",
        "http://127-0-0-1.test", "http://[::1:0]",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
        expect_loopback(urls[i], 0);
}

/* RFC 3986 allows sub-delims and percent-encoding in a reg-name; a host name never needs them. */
static void endpoint_host_with_punctuation_rejected(void **state)
{
    (void)state;
    static const char *const hosts[] = {"ho!st", "ho%st",  "ho$st",   "ho&st", "ho'st",  "ho(st",  "ho)st",
                                        "ho*st", "ho+st",  "ho,st",   "ho;st", "ho=st",  "ho\"st", "ho<st",
                                        "ho>st", "ho\\st", "ho^st",   "ho`st", "ho{st",  "ho|st",  "ho}st",
                                        "ho[st", "ho]st",  "%41host", "host!", "h%2eost"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        char url[64];
        snprintf(url, sizeof url, "https://%s/p", hosts[i]);
        expect_rejected(url, "endpoint host: character 0x");
    }
    expect_rejected("https://ho!st", "0x21");
    expect_rejected("https://ho%st:8443", "0x25");
}

static void endpoint_path_with_characters_outside_pchar_rejected(void **state)
{
    (void)state;
    static const char *const paths[] = {"/a\"b", "/a<b", "/a>b", "/a\\b", "/a^b", "/a`b",
                                        "/a{b",  "/a|b", "/a}b", "/a[b",  "/a]b"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char url[64];
        snprintf(url, sizeof url, "https://host.test%s", paths[i]);
        expect_rejected(url, "endpoint path: character 0x");
    }
}

/* Everything a host name may have, with and without a port. */
static void endpoint_host_letters_digits_and_marks_accepted(void **state)
{
    (void)state;
    static const char *const urls[] = {"https://Az09-._~.test", "https://a.b-c.d_e.f~g:8443/x",
                                       "https://XN--BCHER-KVA.EXAMPLE"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++)
        expect_loopback(urls[i], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(endpoint_loopback_addresses_are_loopback),
        cmocka_unit_test(endpoint_loopback_look_alikes_are_not_loopback),
        cmocka_unit_test(endpoint_host_with_punctuation_rejected),
        cmocka_unit_test(endpoint_path_with_characters_outside_pchar_rejected),
        cmocka_unit_test(endpoint_host_letters_digits_and_marks_accepted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
