/* The endpoint parser: which hosts count as loopback. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(endpoint_loopback_addresses_are_loopback),
        cmocka_unit_test(endpoint_loopback_look_alikes_are_not_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
