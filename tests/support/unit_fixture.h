/*
 * Fixtures shared by the unit tests: library set-up for cmocka groups, clients
 * wired to a capture transport, canned responses, error-state checks and an
 * allocation-failure driver. Every check that can fail names the case it was
 * given, so a failure inside a table-driven loop says which row broke.
 */
#ifndef MA_TEST_UNIT_FIXTURE_H
#define MA_TEST_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "capture_transport.h"
#include "http/http.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"

/* The documented sample answer of GET /v1/{project_id}/training-jobs: one completed job. */
#define UNIT_SAMPLE_BODY                                                                               \
    "{\"is_success\": true, \"quotas\": 5, \"job_total_count\": 1, \"job_count_limit\": 3, \"jobs\": " \
    "[{\"job_id\": 10, \"job_name\": \"testModelArtsJob\", \"version_id\": 10, \"status\": 10, "       \
    "\"create_time\": 1524189990635, \"duration\": 532003, \"job_desc\": \"This is ModelArts job\", "  \
    "\"version_count\": 5}]}"

#define UNIT_JSON_HEADERS "X-Request-Id: abc\nContent-Type: application/json"
#define UNIT_JSON_ONLY    "Content-Type: application/json"

#define UNIT_ENDPOINT "https://example.test"
#define UNIT_PROJECT  "p"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Fails the running test with the case name and the condition text when @p cond is false. */
#define UNIT_CHECK(what, cond)                          \
    do {                                                \
        if (!(cond))                                    \
            fail_msg("%s: expected %s", (what), #cond); \
    } while (0)

/* cmocka group set-up and tear-down around ma_global_init / ma_global_cleanup. */
int unit_global_setup(void **state);
int unit_global_teardown(void **state);

/* Fills @p err with junk so that a test sees which fields a call really wrote. */
void unit_prefill_error(ma_error *err);
/* The state ma_error_clear leaves, except http_status, which must be @p http_status. */
void unit_assert_error_cleared(const char *what, const ma_error *err, int http_status);
/* Every field of the list decoded from UNIT_SAMPLE_BODY. */
void unit_assert_sample_list(const char *what, const ma_job_list *list);
/* What the list accessors return for a NULL list; freeing NULL is a no-op. */
void unit_assert_null_list_defaults(void);

/* Fails the test naming @p what unless @p got and @p expected hold the same text. */
void unit_assert_text(const char *what, const char *got, const char *expected);

/* Credentials for @p token on the test allocator. */
ma_credentials *unit_credentials(const char *token);
/* Valid options on the test allocator; NULL @p endpoint / @p project_id give UNIT_ENDPOINT / UNIT_PROJECT. */
void unit_options(ma_client_options *o, const ma_credentials *creds, const char *endpoint, const char *project_id);
/* ma_client_new that must succeed and leave err cleared; @p what names the case on failure. */
ma_client *unit_client_new(const char *what, const ma_client_options *o);

typedef struct unit_client_spec {
    const char *token;
    const char *endpoint;   /* NULL = UNIT_ENDPOINT */
    const char *project_id; /* NULL = UNIT_PROJECT */
    ma_sort_param_name sort_param_name;
} unit_client_spec;

/* A client on the test allocator whose requests go to a capture transport. */
typedef struct unit_fixture {
    ma_credentials *creds;
    ma_client *client;
    capture_transport *transport;
} unit_fixture;

void unit_fixture_open(unit_fixture *f, const unit_client_spec *spec);
/* Frees the client and the credentials (either may already be NULL). */
void unit_fixture_close(unit_fixture *f);

/*
 * Per-test cmocka set-up and tear-down: the initial state is the unit_client_spec to open
 * (UNIT_FIXTURE_TEST passes it), replaced by a heap unit_fixture for the test. A test under
 * them must not free the fixture's client or credentials itself.
 */
int unit_fixture_setup(void **state);
int unit_fixture_teardown(void **state);

#define UNIT_FIXTURE_TEST_WITH(test, setup, spec) \
    cmocka_unit_test_prestate_setup_teardown(test, setup, unit_fixture_teardown, spec)
#define UNIT_FIXTURE_TEST(test, spec) UNIT_FIXTURE_TEST_WITH(test, unit_fixture_setup, spec)

/* A non-NULL pointer that is no object: preset *out with it to see that a call resets it. */
void *unit_sentinel(void);

/*
 * One ma_list_training_jobs call: exactly one request must go out, *out must be
 * NULL on failure and set on success, and err (when given) must carry the
 * returned status; a failure names @p what. The list is left to the caller.
 */
ma_status unit_list(unit_fixture *f, const char *what, const ma_job_query *q, ma_job_list **out, ma_error *err);
/* Scripts the reply, lists with no query and frees whatever list came back. */
ma_status unit_list_reply(unit_fixture *f, int status, const char *headers, const char *body, ma_error *err);

/* True when the last request carried exactly the header line @p line ("Name: value"). */
int unit_has_header_line(const capture_transport *t, const char *line);
/* Number of header lines of the last request that start with @p prefix. */
size_t unit_count_header_lines(const capture_transport *t, const char *prefix);

/* A response as a transport hands it over: status, "Name: value" lines, @p len body bytes. */
void unit_response_init(ma__http_response *resp, int status, const char *headers, const char *body, size_t len);
/* Builds that response and runs ma__decode_list_response at @p now_ms on it; err is cleared first, *out set to NULL. */
ma_status unit_decode(int status, const char *headers, const char *body, size_t len, int64_t now_ms, ma_job_list **out,
                      ma_error *err);

/*
 * Evaluates @p expr with every allocation failing and lets allocations work again before its
 * value (an int, or a pointer for the _PTR form) is used, so a failing check cannot leave them off.
 */
#define UNIT_ALLOCS_FAILING(expr)     (test_alloc_fail_all(), unit_allocs_restored((int)(expr)))
#define UNIT_ALLOCS_FAILING_PTR(expr) (test_alloc_fail_all(), unit_allocs_restored_ptr(expr))
int unit_allocs_restored(int value);
void *unit_allocs_restored_ptr(void *value);

/*
 * Allocation torture, as curl runs it: for n = 1, 2, ... up to @p max_n, runs
 * @p op with only the n-th allocation failing, until a run finishes without
 * reaching allocation n; that run must succeed. Every run must return MA_OK
 * (the failure was absorbed) or MA_ERR_NOMEM with err filled in, and a run
 * must not report MA_ERR_NOMEM unless its allocation actually failed. @p after
 * runs once allocations work again, after every run, to check and free what
 * op made. After each failed run, @p op runs once more with nothing failing
 * and must succeed (then @p after sees that run too), so whatever op works
 * on stays usable. Leaks are caught by cmocka's checks at the end of the
 * test. Returns how many runs failed; fails the test when allocation
 * @p max_n is still reached.
 */
typedef struct unit_alloc_case {
    const char *what;
    size_t max_n;
    ma_status (*op)(void *ctx, ma_error *err);
    void (*after)(void *ctx, size_t n, ma_status st, const ma_error *err);
    void *ctx;
} unit_alloc_case;

size_t unit_alloc_torture(const unit_alloc_case *c);

/* Writes @p count copies of @p unit and a NUL into @p dst; returns the length written. */
size_t unit_repeat(char *dst, size_t size, const char *unit, size_t count);
/* Writes @p len letters cycling from @p first through the alphabet, and a NUL. */
void unit_fill_letters(char *dst, size_t len, char first);

/* Every ma_status with its ABI value and its name. */
typedef struct unit_status_entry {
    ma_status status;
    int value;
    const char *name;
} unit_status_entry;

extern const unit_status_entry unit_statuses[];
extern const size_t unit_status_count;

#endif
