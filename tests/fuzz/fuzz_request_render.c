/*
 * Request rendering: an endpoint URL, path segments and query parameters
 * from the input, plus a job query built through the public setters.
 * Input: segment-count byte, parameter-count byte, query bytes (status,
 * per_page, page, sort key, order, sort name, which setters), then
 * NUL-separated strings: endpoint URL, segments, name/value pairs, search
 * text, workspace id.
 *
 * Checked: an endpoint that parses renders and parses back to itself; every
 * rendered segment, name and value holds only unreserved bytes or %XX and
 * decodes to the raw one; the URL is the parts joined; a query's parameters
 * come out in the API order with the values that were set.
 */
#include <string.h>

#include "fuzz.h"
#include "http/request.h"
#include "jobs/query.h"
#include "modelarts/modelarts.h"

#define FALLBACK_ENDPOINT "https://modelarts.example.com:8443/base/path"

typedef struct raw_string {
    char *s;
    size_t len;
} raw_string;

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1; /* lower-case hex is not what the encoder writes */
}

static int is_unreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

/* Checks that [p, p+n) is a canonical encoding of @p raw. */
static void check_encoded(const char *p, size_t n, const char *raw, size_t raw_len)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++, out++) {
        unsigned char want = out < raw_len ? (unsigned char)raw[out] : 0;
        FUZZ_CHECK(out < raw_len, "encoding of \"%s\" longer than the raw bytes", raw);
        if (p[i] == '%') {
            FUZZ_CHECK(i + 2 < n, "truncated escape in \"%.*s\"", (int)n, p);
            int hi = hex_value(p[i + 1]), lo = hex_value(p[i + 2]);
            FUZZ_CHECK(hi >= 0 && lo >= 0, "bad escape in \"%.*s\"", (int)n, p);
            unsigned char c = (unsigned char)(hi * 16 + lo);
            FUZZ_CHECK(c == want && !is_unreserved((char)c), "escape %%%c%c for byte 0x%02x", p[i + 1], p[i + 2], want);
            i += 2;
        } else {
            FUZZ_CHECK(is_unreserved(p[i]) && (unsigned char)p[i] == want, "byte '%c' left as is", p[i]);
        }
    }
    FUZZ_CHECK(out == raw_len, "encoding of \"%s\" shorter than the raw bytes", raw);
}

static void check_path(const ma__http_request *req, const char *path)
{
    const char *prefix = req->endpoint->prefix;
    size_t plen = strlen(prefix);
    FUZZ_CHECK(strncmp(path, prefix, plen) == 0, "path \"%s\" without prefix \"%s\"", path, prefix);
    const char *p = path + plen;
    if (req->segment_count == 0 && plen == 0) {
        FUZZ_CHECK(strcmp(path, "/") == 0, "root path \"%s\"", path);
        return;
    }
    for (size_t i = 0; i < req->segment_count; i++) {
        FUZZ_CHECK(*p == '/', "segment %zu does not start with '/'", i);
        p++;
        size_t n = strcspn(p, "/");
        check_encoded(p, n, req->segments[i], strlen(req->segments[i]));
        p += n;
    }
    FUZZ_CHECK(*p == '\0', "bytes after the last segment: \"%s\"", p);
}

static void check_query(const ma__http_request *req, const char *query)
{
    if (req->query.count == 0) {
        FUZZ_CHECK(query[0] == '\0', "query \"%s\" without parameters", query);
        return;
    }
    const char *p = query;
    for (size_t i = 0; i < req->query.count; i++) {
        const ma__param *param = &req->query.items[i];
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        FUZZ_CHECK(eq != NULL, "parameter %zu without '='", i);
        check_encoded(p, (size_t)(eq - p), param->name, strlen(param->name));
        check_encoded(eq + 1, n - (size_t)(eq + 1 - p), param->value, strlen(param->value));
        p += n;
        FUZZ_CHECK(*p == (i + 1 < req->query.count ? '&' : '\0'), "parameter %zu not followed by '&'", i);
        if (*p)
            p++;
    }
}

static void check_render(const ma__http_request *req)
{
    ma__buf path, query, url, want;
    ma__buf_init(&path, ma_default_allocator());
    ma__buf_init(&query, ma_default_allocator());
    ma__buf_init(&url, ma_default_allocator());
    ma__buf_init(&want, ma_default_allocator());
    FUZZ_CHECK(ma__request_render_path(req, &path) == 0 && ma__request_render_query(req, &query) == 0 &&
                   ma__request_render_url(req, &url) == 0,
               "render failed");
    check_path(req, path.data);
    check_query(req, query.data);
    const ma__endpoint *ep = req->endpoint;
    char port[16] = "";
    if (ep->port > 0)
        snprintf(port, sizeof port, ":%d", ep->port);
    if (ma__buf_append_str(&want, ep->scheme) || ma__buf_append_str(&want, "://") ||
        ma__buf_append_str(&want, ep->host) || ma__buf_append_str(&want, port) || ma__buf_append_str(&want, path.data))
        abort();
    if (req->query.count > 0 && (ma__buf_append_char(&want, '?') || ma__buf_append_str(&want, query.data)))
        abort();
    FUZZ_CHECK(strcmp(url.data, want.data) == 0, "url \"%s\", parts give \"%s\"", url.data, want.data);
    ma__buf_free(&path);
    ma__buf_free(&query);
    ma__buf_free(&url);
    ma__buf_free(&want);
}

/* An endpoint that parsed renders (scheme, host, port, prefix) and parses back to the same parts. */
static void check_endpoint_round_trip(const ma__endpoint *ep)
{
    FUZZ_CHECK(strcmp(ep->scheme, "https") == 0 || strcmp(ep->scheme, "http") == 0, "scheme \"%s\"", ep->scheme);
    FUZZ_CHECK(ep->host[0] != '\0', "empty host");
    size_t plen = strlen(ep->prefix);
    FUZZ_CHECK(plen == 0 || (ep->prefix[0] == '/' && ep->prefix[plen - 1] != '/'), "prefix \"%s\"", ep->prefix);
    char text[4200];
    char port[16] = "";
    if (ep->port > 0)
        snprintf(port, sizeof port, ":%d", ep->port);
    snprintf(text, sizeof text, "%s://%s%s%s", ep->scheme, ep->host, port, ep->prefix);
    ma__endpoint again;
    ma_error err;
    ma_status st = ma__endpoint_parse(ma_default_allocator(), text, &again, &err);
    FUZZ_CHECK(st == MA_OK, "\"%s\" does not parse again: %s", text, err.message);
    FUZZ_CHECK(strcmp(again.scheme, ep->scheme) == 0 && strcmp(again.host, ep->host) == 0 && again.port == ep->port &&
                   strcmp(again.prefix, ep->prefix) == 0 && strcmp(again.host_header, ep->host_header) == 0 &&
                   again.is_loopback == ep->is_loopback,
               "\"%s\" parses to other parts", text);
    ma__endpoint_free(ma_default_allocator(), &again);
}

typedef struct query_bytes {
    int status, per_page, page, sort_key, order;
    unsigned setters;
    ma_sort_param_name sort_name;
} query_bytes;

/* Builds a query through the setters; the expected "name=value" list goes to @p want. */
static ma_job_query *build_query(const query_bytes *qb, const char *search, const char *workspace,
                                 ma__http_request *want)
{
    ma_job_query *q = NULL;
    ma_error err;
    if (ma_job_query_new(&q, NULL, &err) != MA_OK)
        abort();
    char num[16];
    if ((qb->setters & 1) && ma_job_query_set_status(q, (ma_job_status)qb->status, &err) == MA_OK) {
        snprintf(num, sizeof num, "%d", qb->status);
        ma__request_add_param(want, "status", num, strlen(num));
    }
    if ((qb->setters & 2) && ma_job_query_set_per_page(q, qb->per_page, &err) == MA_OK) {
        snprintf(num, sizeof num, "%d", qb->per_page);
        ma__request_add_param(want, "per_page", num, strlen(num));
    }
    if ((qb->setters & 4) && ma_job_query_set_page(q, qb->page, &err) == MA_OK) {
        snprintf(num, sizeof num, "%d", qb->page);
        ma__request_add_param(want, "page", num, strlen(num));
    }
    if ((qb->setters & 8) && ma_job_query_set_sort_by(q, (ma_sort_key)qb->sort_key, &err) == MA_OK) {
        const char *v = ma__sort_key_wire((ma_sort_key)qb->sort_key);
        ma__request_add_param(want, qb->sort_name == MA_SORT_PARAM_SORT_BY ? "sort_by" : "sortBy", v, strlen(v));
    }
    if ((qb->setters & 16) && ma_job_query_set_order(q, (ma_sort_order)qb->order, &err) == MA_OK) {
        const char *v = ma__sort_order_wire((ma_sort_order)qb->order);
        ma__request_add_param(want, "order", v, strlen(v));
    }
    if ((qb->setters & 32) && ma_job_query_set_search_content(q, search, &err) == MA_OK)
        ma__request_add_param(want, "search_content", search, strlen(search));
    if ((qb->setters & 64) && ma_job_query_set_workspace_id(q, workspace, &err) == MA_OK)
        ma__request_add_param(want, "workspace_id", workspace, strlen(workspace));
    return q;
}

static void check_query_params(const ma__endpoint *ep, const query_bytes *qb, const char *search, const char *workspace)
{
    ma__http_request got, want;
    ma__request_init(&got, ma_default_allocator(), "GET", ep);
    ma__request_init(&want, ma_default_allocator(), "GET", ep);
    ma_job_query *q = build_query(qb, search, workspace, &want);
    FUZZ_CHECK(ma__query_add_params(q, (int32_t)qb->sort_name, &got, NULL) == MA_OK, "query params failed");
    FUZZ_CHECK(got.query.count == want.query.count, "%zu parameters, expected %zu", got.query.count, want.query.count);
    for (size_t i = 0; i < got.query.count; i++)
        FUZZ_CHECK(strcmp(got.query.items[i].name, want.query.items[i].name) == 0 &&
                       strcmp(got.query.items[i].value, want.query.items[i].value) == 0,
                   "parameter %zu: %s=%s, expected %s=%s", i, got.query.items[i].name, got.query.items[i].value,
                   want.query.items[i].name, want.query.items[i].value);
    check_render(&got);
    ma_job_query_free(q);
    ma__request_free(&got);
    ma__request_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    size_t nseg = fuzz_byte(&in) % (MA__PATH_SEGMENTS_MAX + 1);
    size_t nparam = fuzz_byte(&in) % 8;
    query_bytes qb;
    qb.status = (int8_t)fuzz_byte(&in);
    qb.per_page = (int16_t)(uint16_t)fuzz_number(&in, 2);
    qb.page = (int)(int32_t)(uint32_t)fuzz_number(&in, 3) - 8;
    qb.sort_key = fuzz_byte(&in) % 8;
    qb.order = fuzz_byte(&in) % 3;
    uint8_t flags = fuzz_byte(&in);
    qb.setters = flags & 0x7fu;
    qb.sort_name = (flags & 0x80u) ? MA_SORT_PARAM_SORT_BY : MA_SORT_PARAM_SORTBY;

    char *url = fuzz_string(&in, NULL);
    ma__endpoint ep, fallback;
    ma_error err;
    int parsed = ma__endpoint_parse(ma_default_allocator(), url, &ep, &err) == MA_OK;
    if (parsed)
        check_endpoint_round_trip(&ep);
    FUZZ_CHECK(ma__endpoint_parse(ma_default_allocator(), FALLBACK_ENDPOINT, &fallback, &err) == MA_OK, "fallback");
    const ma__endpoint *use = parsed ? &ep : &fallback;

    ma__http_request req;
    ma__request_init(&req, ma_default_allocator(), "GET", use);
    raw_string strings[MA__PATH_SEGMENTS_MAX + 16];
    size_t nstrings = 0;
    for (size_t i = 0; i < nseg; i++) {
        strings[nstrings].s = fuzz_string(&in, &strings[nstrings].len);
        FUZZ_CHECK(ma__request_add_segment(&req, strings[nstrings].s) == 0, "segment %zu refused", i);
        nstrings++;
    }
    FUZZ_CHECK(nseg < MA__PATH_SEGMENTS_MAX || ma__request_add_segment(&req, "x") == -1, "segment over the limit");
    for (size_t i = 0; i < nparam; i++) {
        char *name = fuzz_string(&in, NULL);
        size_t vlen;
        char *value = fuzz_string(&in, &vlen);
        FUZZ_CHECK(ma__request_add_param(&req, name, value, vlen) == 0, "param refused");
        strings[nstrings].s = name;
        strings[nstrings++].len = 0;
        strings[nstrings].s = value;
        strings[nstrings++].len = vlen;
    }
    check_render(&req);

    char *search = fuzz_string(&in, NULL);
    char *workspace = fuzz_string(&in, NULL);
    check_query_params(use, &qb, search, workspace);

    ma__request_free(&req);
    for (size_t i = 0; i < nstrings; i++)
        free(strings[i].s);
    free(search);
    free(workspace);
    free(url);
    if (parsed)
        ma__endpoint_free(ma_default_allocator(), &ep);
    ma__endpoint_free(ma_default_allocator(), &fallback);
    return 0;
}
