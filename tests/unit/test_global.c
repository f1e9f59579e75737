/* ma_global_init()'s verdict when libcurl's global initialisation fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>

#include "http/curl_observer.h"
#include "http/global.h"
#include "modelarts/modelarts.h"

static CURLcode next_result;
static int init_calls;

static int fake_curl_global_init(long flags)
{
    (void)flags;
    init_calls++;
    return (int)next_result;
}

static int install(void **state)
{
    (void)state;
    ma__curl_global_init_hook = fake_curl_global_init;
    init_calls = 0;
    return 0;
}

static int uninstall(void **state)
{
    (void)state;
    ma__curl_global_init_hook = NULL;
    return 0;
}

static void ma_global_init_curl_out_of_memory_returns_nomem(void **state)
{
    (void)state;
    next_result = CURLE_OUT_OF_MEMORY;
    assert_int_equal(ma_global_init(), MA_ERR_NOMEM);
    assert_int_equal(init_calls, 1);
    assert_false(ma__global_is_initialized());
    /* Nothing was counted: the next call tries again. */
    assert_int_equal(ma_global_init(), MA_ERR_NOMEM);
    assert_int_equal(init_calls, 2);
    assert_false(ma__global_is_initialized());
}

static void ma_global_init_other_curl_failure_returns_transport(void **state)
{
    (void)state;
    next_result = CURLE_FAILED_INIT;
    assert_int_equal(ma_global_init(), MA_ERR_TRANSPORT);
    assert_false(ma__global_is_initialized());
}

static void ma_global_init_after_failure_succeeds_and_counts_once(void **state)
{
    (void)state;
    next_result = CURLE_OUT_OF_MEMORY;
    assert_int_equal(ma_global_init(), MA_ERR_NOMEM);
    next_result = CURLE_OK;
    assert_int_equal(ma_global_init(), MA_OK);
    assert_true(ma__global_is_initialized());
    /* The failed call took no reference: one cleanup undoes it all. */
    ma__curl_global_init_hook = NULL;
    ma_global_cleanup();
    assert_false(ma__global_is_initialized());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ma_global_init_curl_out_of_memory_returns_nomem, install, uninstall),
        cmocka_unit_test_setup_teardown(ma_global_init_other_curl_failure_returns_transport, install, uninstall),
        cmocka_unit_test_setup_teardown(ma_global_init_after_failure_succeeds_and_counts_once, install, uninstall),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
