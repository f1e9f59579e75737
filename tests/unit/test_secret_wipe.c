/* Secrets never go back to the allocator unwiped: secret buffers, credentials, the token authenticator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "auth/auth.h"
#include "util/alloc.h"
#include "util/error.h"
#include "modelarts/modelarts.h"
#include "secret_alloc.h"
#include "test_alloc.h"
#include "unit_fixture.h"
#include "util/buf.h"

#define MARKER "s3cr3t-MARKER-9f2c"
/* A token as a client would get it, with the marker in the middle. */
#define TOKEN "MIIDxTCCAq2g-" MARKER "-AwIBAgIQAqxcJmoLQJuPC3nyrkYld"

static int setup(void **state)
{
    (void)state;
    secret_alloc_reset();
    secret_alloc_add_marker(MARKER);
    return 0;
}

static void assert_no_marker_returned(const char *what, size_t min_returned)
{
    if (secret_alloc_failures() != 0)
        fail_msg("%s: %zu freed block(s) still held the secret; first: %s", what, secret_alloc_failures(),
                 secret_alloc_first_failure());
    if (secret_alloc_blocks_returned() < min_returned)
        fail_msg("%s: only %zu block(s) went back, expected at least %zu", what, secret_alloc_blocks_returned(),
                 min_returned);
    assert_int_equal(secret_alloc_live_blocks(), 0);
}

/* Appends the marker, then grows the buffer from 256 bytes to 256 KiB, then clears and refills it. */
static void grow_with_marker(ma__buf *b)
{
    char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    assert_int_equal(ma__buf_append_str(b, "X-Auth-Token: "), 0);
    assert_int_equal(ma__buf_append_str(b, TOKEN), 0);
    for (int i = 0; i < 256; i++) {
        assert_int_equal(ma__buf_append(b, chunk, sizeof chunk), 0);
        if (i % 64 == 0)
            assert_int_equal(ma__buf_append_str(b, MARKER), 0);
    }
    assert_non_null(strstr(b->data, MARKER));
    assert_true(b->cap >= 256 * 1000);
    ma__buf_clear(b);
    assert_int_equal(b->len, 0);
    assert_string_equal(b->data, "");
    assert_int_equal(ma__buf_append_str(b, TOKEN), 0);
}

static void ma__buf_secret_growth_clear_and_free_leave_no_secret_behind(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, secret_allocator());
    grow_with_marker(&b);
    assert_string_equal(b.data, TOKEN);
    ma__buf_free(&b);
    assert_null(b.data);
    /* 256 B, then 2 KiB doubled up to 256 KiB: nine blocks, each handed back. */
    assert_no_marker_returned("secret ma__buf", 9);

    /* Still a secret buffer after free, so it may be used again. */
    assert_int_equal(ma__buf_append_str(&b, TOKEN), 0);
    ma__buf_free_secure(&b);
    assert_no_marker_returned("secret ma__buf reused", 10);
}

static void ma__buf_secret_clear_wipes_the_whole_block(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, secret_allocator());
    assert_int_equal(ma__buf_append_str(&b, TOKEN), 0);
    assert_int_equal(ma__buf_append_str(&b, TOKEN), 0);
    ma__buf_clear(&b);
    for (size_t i = 0; i < b.cap; i++)
        if (b.data[i] != '\0')
            fail_msg("byte %zu of %zu survived the clear", i, b.cap);
    ma__buf_free(&b);
    assert_no_marker_returned("cleared secret ma__buf", 1);
}

static void ma__buf_secret_detach_hands_over_the_only_copy(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, secret_allocator());
    grow_with_marker(&b);
    char *s = ma__buf_detach(&b);
    assert_string_equal(s, TOKEN);
    ma__free_secret(secret_allocator(), s);
    assert_no_marker_returned("detached secret ma__buf", 9);
}

/* The inspector itself: an ordinary buffer leaves its old blocks behind, and that is caught. */
static void ma__buf_plain_growth_is_caught_by_the_inspector(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init(&b, secret_allocator());
    grow_with_marker(&b);
    ma__buf_free(&b);
    assert_true(secret_alloc_failures() >= 8);
    assert_non_null(strstr(secret_alloc_first_failure(), "moving realloc"));
    assert_int_equal(secret_alloc_live_blocks(), 0);
}

static void ma__buf_secret_allocation_failure_keeps_the_secret(void **state)
{
    (void)state;
    ma__buf b;
    ma__buf_init_secret(&b, test_allocator());
    assert_int_equal(ma__buf_append_str(&b, TOKEN), 0);
    char big[600];
    memset(big, 'y', sizeof big);
    assert_int_equal(UNIT_ALLOCS_FAILING(ma__buf_append(&b, big, sizeof big)), -1);
    assert_string_equal(b.data, TOKEN);
    assert_int_equal(b.len, strlen(TOKEN));
    assert_int_equal(ma__buf_append(&b, big, sizeof big), 0);
    assert_memory_equal(b.data, TOKEN, strlen(TOKEN));
    assert_int_equal(b.len, strlen(TOKEN) + sizeof big);
    ma__buf_free(&b);
}

static void ma_credentials_free_leaves_no_token_behind(void **state)
{
    (void)state;
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_token(&cred, TOKEN, secret_allocator(), &err), MA_OK);
    ma_credentials_free(cred);
    assert_no_marker_returned("ma_credentials_free", 2);
}

static void token_authenticator_destroy_leaves_no_token_behind(void **state)
{
    (void)state;
    ma_credentials *cred = NULL;
    ma_error err;
    assert_int_equal(ma_credentials_new_token(&cred, TOKEN, secret_allocator(), &err), MA_OK);
    ma__auth *auth = NULL;
    assert_int_equal(ma__auth_new(secret_allocator(), cred, NULL, &auth, &err), MA_OK);
    assert_non_null(auth);
    ma_credentials_free(cred);
    /* The authenticator still masks its token after the credentials are gone. */
    char text[] = "token " TOKEN " rejected";
    auth->vtable->redact(auth, text);
    assert_null(strstr(text, MARKER));
    auth->vtable->destroy(auth);
    assert_no_marker_returned("token authenticator", 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ma__buf_secret_growth_clear_and_free_leave_no_secret_behind, setup),
        cmocka_unit_test_setup(ma__buf_secret_clear_wipes_the_whole_block, setup),
        cmocka_unit_test_setup(ma__buf_secret_detach_hands_over_the_only_copy, setup),
        cmocka_unit_test_setup(ma__buf_plain_growth_is_caught_by_the_inspector, setup),
        cmocka_unit_test_setup(ma__buf_secret_allocation_failure_keeps_the_secret, setup),
        cmocka_unit_test_setup(ma_credentials_free_leaves_no_token_behind, setup),
        cmocka_unit_test_setup(token_authenticator_destroy_leaves_no_token_behind, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
