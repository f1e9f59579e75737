/*
 * The streaming page decoder against the jansson reference, on any body, in a
 * chunk split the input chooses. Input: shape byte (job list, ModelArts
 * error, gateway error; bit 2: a previous attempt fed part of the body
 * first), status byte, two split-seed bytes, then the body.
 *
 * Checked: the same accept/reject decision and on accept the same values for
 * every field (2xx bodies, tests/support/ref_decoder.c), and the same error
 * fields as ma__service_error_from_json() for every status. Differences that
 * are by design are normalised in ref_service_error().
 */
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "json/service_error.h"
#include "json/classify.h"
#include "json/page_decoder.h"
#include "modelarts/modelarts.h"
#include "ref_decoder.h"

#define SYNTAX_PREFIX "response body is not valid JSON"

/* Statuses each body shape arrives with. */
static const int job_list_statuses[] = {200, 201, 206, 299};
static const int modelarts_error_statuses[] = {200, 400, 404, 500};
static const int gateway_error_statuses[] = {401, 403, 429, 502};

typedef struct decoded {
    ma_status st;
    ma_error err;
    ma_job_list *list;
    ma__service_error svc;
} decoded;

/* Chunk sizes from an LCG; the high seed byte bounds them (1..256). */
static size_t next_chunk(uint64_t *state, size_t max)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return (size_t)(*state >> 33) % max + 1;
}

static void feed_split(ma__page_decoder *d, const char *body, size_t len, unsigned seed)
{
    uint64_t state = seed & 0xffu;
    size_t max = (seed >> 8) + 1, off = 0;
    while (off < len) {
        size_t n = seed == 0 ? len : next_chunk(&state, max);
        if (n > len - off)
            n = len - off;
        ma__page_decoder_feed(d, body + off, n);
        off += n;
    }
}

static void stream_decode(int status, const char *body, size_t len, unsigned seed, int retried, decoded *out)
{
    ma__page_decoder *d = ma__page_decoder_new(ma_default_allocator());
    FUZZ_CHECK(d != NULL, "out of memory");
    if (retried) { /* what a failed attempt left behind must not leak into the next one */
        ma__page_decoder_begin(d, 200);
        ma__page_decoder_feed(d, body, len / 2);
    }
    ma__page_decoder_begin(d, status);
    feed_split(d, body, len, seed);
    ma__page_decoder_end(d, &out->svc);
    out->list = NULL;
    ma_error_clear(&out->err);
    out->st = ma__page_decoder_take_list(d, &out->list, &out->err);
    ma__page_decoder_free(d);
}

/* The top-level "error_code" holds a non-empty string. */
static int has_top_code(const json_t *doc)
{
    const json_t *code = json_object_get(doc, "error_code");
    return json_is_string(code) && json_string_length(code) > 0;
}

/*
 * jansson 2.14 skips a NUL byte right after a number or literal, so it reads
 * {"a": 1\0} as {"a": 1}. No JSON text holds a raw NUL and the streaming
 * decoder rejects every one: for such bodies the reference's answer is "not JSON".
 */
static int has_nul(const char *body, size_t len)
{
    return memchr(body, '\0', len) != NULL;
}

/*
 * The reference's error fields, less what the streaming decoder leaves out
 * on purpose: bodies nested deeper than MA__PAGE_MAX_DEPTH (jansson goes to
 * 2048), success bodies with a duplicate key (rejected there like in the
 * page), and the integer "error": {"code": 1} of Keystone, which only IAM
 * answers use and which goes through the jansson reader itself. And the NUL
 * bytes of has_nul().
 */
static void ref_service_error(int status, const char *body, size_t len, ma__service_error *svc)
{
    ma__service_error_from_json(body, len, svc);
    if (!svc->is_json)
        return;
    int strict = status >= 200 && status <= 299;
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, strict ? JSON_REJECT_DUPLICATES : 0, &jerr);
    if (!doc || ref_json_depth(body, len) > MA__PAGE_MAX_DEPTH || has_nul(body, len)) {
        memset(svc, 0, sizeof *svc);
        svc->body_bytes = len;
    } else if (json_is_object(doc) && !has_top_code(doc)) {
        const json_t *nested = json_object_get(doc, "error");
        if (json_is_object(nested) && json_is_integer(json_object_get(nested, "code")))
            svc->code[0] = '\0';
    }
    json_decref(doc);
}

static void check_service_error(const ma__service_error *got, const ma__service_error *want)
{
    FUZZ_CHECK(got->body_bytes == want->body_bytes, "body bytes %zu, reference %zu", got->body_bytes, want->body_bytes);
    FUZZ_CHECK(got->is_json == want->is_json, "is_json %d, reference %d", got->is_json, want->is_json);
    FUZZ_CHECK(got->says_failure == want->says_failure, "says_failure %d, reference %d", got->says_failure,
               want->says_failure);
    FUZZ_CHECK(strcmp(got->code, want->code) == 0, "code \"%s\", reference \"%s\"", got->code, want->code);
    FUZZ_CHECK(strcmp(got->message, want->message) == 0, "message \"%s\", reference \"%s\"", got->message,
               want->message);
    FUZZ_CHECK(strcmp(got->request_id, want->request_id) == 0, "request id \"%s\", reference \"%s\"", got->request_id,
               want->request_id);
}

static int is_syntax(const ma_error *err)
{
    return strncmp(err->message, SYNTAX_PREFIX, strlen(SYNTAX_PREFIX)) == 0;
}

static void check_same_lists(const ma_job_list *a, const ma_job_list *b)
{
    FUZZ_CHECK(ma_job_list_count(a) == ma_job_list_count(b), "%zu jobs, reference %zu", ma_job_list_count(a),
               ma_job_list_count(b));
    FUZZ_CHECK(ma_job_list_total_count(a) == ma_job_list_total_count(b), "job_total_count");
    FUZZ_CHECK(ma_job_list_count_limit(a) == ma_job_list_count_limit(b), "job_count_limit");
    FUZZ_CHECK(ma_job_list_quotas(a) == ma_job_list_quotas(b), "quotas");
    for (size_t i = 0; i < ma_job_list_count(a); i++) {
        const ma_job *x = ma_job_list_at(a, i), *y = ma_job_list_at(b, i);
        FUZZ_CHECK(x->job_id == y->job_id, "jobs[%zu].job_id", i);
        FUZZ_CHECK(x->version_id == y->version_id, "jobs[%zu].version_id", i);
        FUZZ_CHECK(x->status == y->status, "jobs[%zu].status", i);
        FUZZ_CHECK(x->create_time_ms == y->create_time_ms, "jobs[%zu].create_time", i);
        FUZZ_CHECK(x->duration_ms == y->duration_ms, "jobs[%zu].duration", i);
        FUZZ_CHECK(x->version_count == y->version_count, "jobs[%zu].version_count", i);
        FUZZ_CHECK(x->job_name && strcmp(x->job_name, y->job_name) == 0, "jobs[%zu].job_name", i);
        FUZZ_CHECK(x->job_desc && strcmp(x->job_desc, y->job_desc) == 0, "jobs[%zu].job_desc", i);
        FUZZ_CHECK(x->present == y->present, "jobs[%zu].present", i);
    }
}

/* The page decision of a 2xx body: status, kind of message, and the list. */
static void check_page(int status, const char *body, size_t len, const decoded *got)
{
    ma_job_list *ref_list = NULL;
    ma_error ref_err;
    ma_error_clear(&ref_err);
    ma_status ref_st = ref_decode_page(ma_default_allocator(), status, body, len, &ref_list, &ref_err);
    if (has_nul(body, len) && !(ref_st == MA_ERR_PROTOCOL && is_syntax(&ref_err))) {
        ma_job_list_free(ref_list);
        ref_list = NULL;
        ref_st = MA_ERR_PROTOCOL;
        snprintf(ref_err.message, sizeof ref_err.message, "%s: a NUL byte", SYNTAX_PREFIX);
    }
    FUZZ_CHECK(got->st == ref_st, "streaming %s \"%s\", reference %s \"%s\"", ma_status_name(got->st), got->err.message,
               ma_status_name(ref_st), ref_err.message);
    if (ref_st == MA_ERR_PROTOCOL && len > 0) {
        /* Syntax messages word the position differently; schema messages must match exactly. */
        FUZZ_CHECK(is_syntax(&got->err) == is_syntax(&ref_err) &&
                       (is_syntax(&ref_err) || strcmp(got->err.message, ref_err.message) == 0),
                   "streaming \"%s\", reference \"%s\"", got->err.message, ref_err.message);
    }
    FUZZ_CHECK(!got->svc.says_failure || got->st == MA_ERR_SERVICE, "says failure but %s", ma_status_name(got->st));
    if (ref_st == MA_OK)
        check_same_lists(got->list, ref_list);
    ma_job_list_free(ref_list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    uint8_t shape = fuzz_byte(&in);
    uint8_t status_pick = fuzz_byte(&in);
    unsigned seed = (unsigned)fuzz_number(&in, 2);
    const int *statuses = (shape & 3) == 0   ? job_list_statuses
                          : (shape & 3) == 1 ? modelarts_error_statuses
                                             : gateway_error_statuses;
    int status = statuses[status_pick % 4];
    const char *body = (const char *)in.data;
    size_t len = in.size;

    decoded whole, split;
    stream_decode(status, body, len, 0, 0, &whole);
    stream_decode(status, body, len, seed, (shape & 4) != 0, &split);

    ma__service_error want;
    ref_service_error(status, body, len, &want);
    check_service_error(&whole.svc, &want);
    check_service_error(&split.svc, &want);
    if (status >= 200 && status <= 299) {
        check_page(status, body, len, &whole);
        check_page(status, body, len, &split);
    }
    ma_job_list_free(whole.list);
    ma_job_list_free(split.list);
    return 0;
}
