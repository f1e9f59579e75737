/*
 * Private pieces shared by the fake server's source files: request-target
 * parsing, query validation and JSON body building.
 */
#ifndef MA_FAKE_INTERNAL_H
#define MA_FAKE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "fake_server.h"

/* Limits of the list API. */
#define FAKE_STATUS_MAX        22
#define FAKE_PER_PAGE_MIN      1
#define FAKE_PER_PAGE_MAX      1000
#define FAKE_PER_PAGE_DEFAULT  10
#define FAKE_PAGE_MIN          1
#define FAKE_PAGE_MAX          65535
#define FAKE_SEARCH_MAX_CHARS  64
#define FAKE_DEFAULT_WORKSPACE "0"

/* Error codes used in ModelArts-shaped bodies. */
#define FAKE_CODE_PARAM_INVALID    "ModelArts.0101"
#define FAKE_CODE_NO_WORKSPACE     "ModelArts.0102"
#define FAKE_CODE_PROJECT_MISMATCH "ModelArts.0210"
#define FAKE_CODE_SORT_KEY         "ModelArts.2790"
#define FAKE_CODE_METHOD           "ModelArts.2803"
#define FAKE_CODE_PARAM_RANGE      "ModelArts.2816"
#define FAKE_CODE_INTERNAL         "ModelArts.0001"

/* Error codes used in API-gateway-shaped bodies. */
#define FAKE_CODE_GW_NO_API      "APIG.0101"
#define FAKE_CODE_GW_TOKEN       "APIG.0301"
#define FAKE_CODE_GW_TOKEN_STALE "APIG.0307"

/** Validated query of one list request. */
typedef struct fake_query {
    int has_status;
    int status;
    unsigned int per_page;
    unsigned int page;
    fake_sort_key sort_key;
    int descending;
    char *search;       /* decoded, never NULL after a successful parse */
    char *workspace_id; /* decoded, never NULL after a successful parse */
} fake_query;

/** Why a query was rejected: always answered with HTTP 400. */
typedef struct fake_query_error {
    const char *code;
    char message[256];
} fake_query_error;

/**
 * Decodes RFC 3986 percent-encoding of @p len bytes at @p src into a new
 * NUL-terminated buffer. '+' is kept literally. Returns 0, -1 on a
 * malformed escape, -2 when out of memory. *out_len gets the decoded length
 * (the result may hold NUL bytes when "%00" was sent).
 */
int fake_percent_decode(const char *src, size_t len, char **out, size_t *out_len);

/**
 * Matches a raw request target against "/v1/{project_id}/training-jobs".
 * Returns 1 on a match (with *project_id a decoded, malloc'd string and
 * *query pointing after '?' in @p target, or NULL), 0 when it is another
 * path, -2 when out of memory.
 */
int fake_route_match(const char *target, char **project_id, const char **query);

/** Validates a raw query string (may be NULL). Returns 0, -1 (see @p err) or -2 (OOM). */
int fake_query_parse(const char *query, fake_query *q, fake_query_error *err);
void fake_query_free(fake_query *q);

/** True when some job of @p ds is in @p workspace_id; the default workspace always exists. */
int fake_dataset_has_workspace(const fake_dataset *ds, const char *workspace_id);

/**
 * Fills @p sel (room for every job of @p ds) with the jobs matching @p q, in
 * the query's order. Returns how many, or (size_t)-1 when out of memory.
 */
size_t fake_select(const fake_dataset *ds, const fake_query *q, const fake_job **sel);
/**
 * The 200 body of @p q's page over the selection @p sel of @p n jobs, with job_total_count
 * @p total (n, or more for a total that ignores the filter). malloc'd, or NULL (OOM).
 */
char *fake_body_page(const fake_job *const *sel, size_t n, size_t total, const fake_query *q, int64_t quotas,
                     size_t job_count, size_t *len);

/**
 * Selections and rendered pages kept across requests, so that serving a page
 * of a walk costs a copy instead of a filter, a sort and a JSON render.
 * Thread-safe: connections are served by several threads.
 */
typedef struct fake_cache fake_cache;
/** @p total_unfiltered: pages say job_total_count = every job of @p ds, whatever the filter. */
fake_cache *fake_cache_new(const fake_dataset *ds, int64_t quotas, int total_unfiltered);
void fake_cache_free(fake_cache *cache);
/** As fake_body_list(), served from the cache. */
char *fake_cache_list_body(fake_cache *cache, const fake_query *q, size_t *len);

/** Builds the 200 list body. Returns a malloc'd string (length in *len) or NULL (OOM). */
char *fake_body_list(const fake_dataset *ds, const fake_query *q, int64_t quotas, size_t *len);
/**
 * Queues @p body (malloc'd, taken even on failure) with Content-Type, X-Request-Id (unless NULL)
 * and one more header (unless @p extra_name is NULL). MHD_NO when out of memory.
 */
enum MHD_Result fake_send_body(struct MHD_Connection *connection, unsigned int status, char *body, size_t len,
                               const char *content_type, const char *request_id, const char *extra_name,
                               const char *extra_value);
/** The gzip member (RFC 1952) of @p len bytes; malloc'd, length in *out_len. NULL when out of memory. */
char *fake_gzip(const char *data, size_t len, size_t *out_len);
/** {"is_success":false,"error_message":..,"error_code":..} */
char *fake_body_modelarts_error(const char *code, const char *message, size_t *len);
/** {"error_msg":..,"error_code":..,"request_id":..} */
char *fake_body_gateway_error(const char *code, const char *message, const char *request_id, size_t *len);

#endif
