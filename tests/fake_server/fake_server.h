/*
 * Fake ModelArts training-job service on libmicrohttpd, for tests, examples
 * and benchmarks. It listens on real loopback sockets and implements
 * GET /v1/{project_id}/training-jobs with the service's documented semantics
 * over a deterministic data set, plus scripted responses for edge cases.
 *
 * One exception to the contract: a request whose target and headers exceed the
 * per-connection memory (128 KiB) gets libmicrohttpd's own plain 414/431 reply,
 * without X-Request-Id; the client's validated inputs stay far below that.
 */
#ifndef MA_FAKE_SERVER_H
#define MA_FAKE_SERVER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One job of the fake data set. Strings are owned by the data set. */
typedef struct fake_job {
    int64_t job_id;
    int64_t version_id;
    int status;          /* 0..22 */
    int64_t create_time; /* epoch milliseconds */
    int64_t duration;    /* milliseconds */
    int64_t version_count;
    const char *job_name; /* UTF-8 */
    const char *job_desc; /* UTF-8, may be "" or 4 KiB long */
    const char *workspace_id;
} fake_job;

/** A deterministic data set: the same seed and count give the same jobs. */
typedef struct fake_dataset {
    fake_job *jobs;
    size_t count;
} fake_dataset;

/** Builds a data set of @p count jobs from @p seed. Returns 0 or -1 (OOM). */
int fake_dataset_generate(uint64_t seed, size_t count, fake_dataset *out);
/**
 * A data set that looks like a team's training jobs (model and data set
 * names, plausible statuses, durations and versions), all in workspace "0":
 * for demos and benchmarks. The awkward values stay in fake_dataset_generate().
 */
int fake_dataset_generate_realistic(uint64_t seed, size_t count, fake_dataset *out);
void fake_dataset_free(fake_dataset *ds);

/** Sort keys accepted by the fake, matching the API page. */
typedef enum fake_sort_key {
    FAKE_SORT_JOB_NAME = 0,
    FAKE_SORT_JOB_DESC,
    FAKE_SORT_STATUS,
    FAKE_SORT_DURATION,
    FAKE_SORT_VERSION_COUNT,
    FAKE_SORT_CREATE_TIME
} fake_sort_key;

/**
 * The fake's total order: by key (strings bytewise, numbers numerically),
 * ties broken by job_id ascending; @p descending reverses the whole order.
 * Returns <0, 0, >0 like strcmp.
 */
int fake_job_compare(const fake_job *a, const fake_job *b, fake_sort_key key, int descending);

/** True when @p job_name contains @p needle, ASCII letters compared case-insensitively. */
int fake_name_matches(const char *job_name, const char *needle);

/**
 * Faults the server applies by rule to list-API requests (GET or not, any
 * credentials), unlike a scripted fake_response, which answers one request.
 * Kinds that change the normal answer (latency, drip, gzip, wrong types,
 * truncation, huge) start from the page the request would have got.
 */
typedef enum fake_fault_kind {
    FAKE_FAULT_NONE = 0,
    FAKE_FAULT_LATENCY,      /* wait latency_ms, then the normal answer */
    FAKE_FAULT_STATUS,       /* `status` with {"error_code": FAKE_FAULT_ERROR_CODE, "error_msg": ..} and X-Request-Id */
    FAKE_FAULT_GATEWAY_HTML, /* 502 text/html page of a gateway, no request id */
    FAKE_FAULT_MALFORMED,    /* 200 application/json that is not JSON */
    FAKE_FAULT_TRUNCATED,    /* the normal answer's Content-Length, half the body, then the connection closes */
    FAKE_FAULT_CLOSE,        /* the connection closes without any response */
    FAKE_FAULT_HUGE,         /* 200, valid JSON: the normal page plus huge_bytes of string padding, chunked */
    FAKE_FAULT_DRIP,         /* the normal answer, drip_bytes at a time with drip_ms before each */
    FAKE_FAULT_NOT_SUCCESS,  /* 200 {"is_success": false, "error_code": FAKE_FAULT_ERROR_CODE, ..} */
    FAKE_FAULT_JOB_ID_STRING, /* the normal page with every job_id as a JSON string */
    FAKE_FAULT_JOBS_OBJECT,   /* the normal page with "jobs" an object instead of an array */
    FAKE_FAULT_GZIP,          /* the normal answer with Content-Encoding: gzip, whatever Accept-Encoding says */
    FAKE_FAULT_GZIP_CORRUPT,  /* Content-Encoding: gzip over the normal answer left as it is: not gzip */
    FAKE_FAULT_TOKEN_EXPIRED, /* revokes every IAM token issued so far, answers 401 APIG.0307 */
    /* The normal page (still valid), but jobs[4k] without duration, jobs[4k+1] with version_count null, jobs[4k+2]
       without job_desc. */
    FAKE_FAULT_OPTIONAL_ABSENT,
    /* `status` (default 503), its headers and Content-Length, then a TCP reset before any body byte */
    FAKE_FAULT_RESET_AFTER_HEADERS,
    /* `status` (default 503) and its headers, then no byte for stall_ms or until the client goes */
    FAKE_FAULT_STALL_AFTER_HEADERS,
    /*
     * API Gateway's throttling: a token bucket per client (X-Auth-Token, else the AK of a signed request, else the
     * peer address) of throttle_limit tokens refilled continuously over throttle_window_ms. A request that finds a
     * token gets the normal answer; one that finds none gets 429 {"error_code": FAKE_FAULT_THROTTLE_CODE,
     * "error_msg": "The throttling threshold has been reached: policy user over ratelimit,limit:N,time:1 minute"}
     * with X-Request-Id, and Retry-After only with throttle_retry_after.
     */
    FAKE_FAULT_THROTTLE,
    /*
     * `status` (default 503) {"error_code": FAKE_FAULT_OUTAGE_CODE, ..} for outage_ms from the moment the faults
     * were set (0: until they change), the normal answer afterwards.
     */
    FAKE_FAULT_OUTAGE
} fake_fault_kind;

/** error_code of FAKE_FAULT_STATUS and FAKE_FAULT_NOT_SUCCESS bodies unless fake_faults.error_code says otherwise. */
#define FAKE_FAULT_ERROR_CODE "ModelArts.9009"
/** error_code of FAKE_FAULT_THROTTLE replies (API Gateway's; "APIGW.0308" also occurs, see error_code). */
#define FAKE_FAULT_THROTTLE_CODE "APIG.0308"
/** error_code and error_msg of FAKE_FAULT_OUTAGE replies (ModelArts' "system busy"). */
#define FAKE_FAULT_OUTAGE_CODE    "ModelArts.6101"
#define FAKE_FAULT_OUTAGE_MESSAGE "The system is busy now. Please try again later."

/**
 * A standing fault: which list requests get it and what it is. Requests are
 * counted from 1 since the faults were set, only those whose target contains
 * `match`; a counted request is faulted when the rules set (first, every)
 * all hold. Zero fields take the defaults given. For THROTTLE and OUTAGE those
 * rules pick the requests the fault applies to: a picked request takes a token
 * from its bucket, or gets the outage answer while the outage lasts.
 */
typedef struct fake_faults {
    fake_fault_kind kind;       /* default FAKE_FAULT_NONE */
    const char *match;          /* count only targets containing this (e.g. "&page=2"); NULL = every list request */
    unsigned int skip;          /* the first `skip` counted requests pass; first and every count from the next */
    unsigned int first;         /* > 0: only counted requests 1..first */
    unsigned int every;         /* > 0: only counted requests 1, 1 + every, 1 + 2 * every, ... */
    unsigned int status;        /* FAKE_FAULT_STATUS: the HTTP status (default 503) */
    unsigned int retry_after_s; /* FAKE_FAULT_STATUS: > 0 sends Retry-After with these seconds */
    unsigned int latency_ms;    /* FAKE_FAULT_LATENCY (default 1000 there); with any other kind, a wait before it */
    unsigned int drip_ms;       /* FAKE_FAULT_DRIP: pause before each piece (default 100) */
    size_t drip_bytes;          /* FAKE_FAULT_DRIP: piece size (default 1) */
    size_t huge_bytes;          /* FAKE_FAULT_HUGE: padding (default 40 MiB, above the SDK's 32 MiB default limit) */
    unsigned int stall_ms;      /* FAKE_FAULT_STALL_AFTER_HEADERS: longest silence (default 30000) */
    /*
     * error_code and error_msg of the JSON error bodies of STATUS, NOT_SUCCESS, THROTTLE, OUTAGE and the status
     * line of RESET/STALL_AFTER_HEADERS, e.g. 429 "APIGW.0308", 503 "ModelArts.6101", 400 "ModelArts.4206" or
     * 500 "ModelArts.2799"; NULL = the kind's own. Copied when the faults are set; a reply uses at most 63 and
     * 511 bytes of them.
     */
    const char *error_code;
    const char *error_msg;
    unsigned int throttle_limit;     /* FAKE_FAULT_THROTTLE: tokens per client (default 10, at most 1000000) */
    unsigned int throttle_window_ms; /* FAKE_FAULT_THROTTLE: refill time of a whole bucket (default 60000, at most
                                        3600000); APIG's windows are 1000 and 60000 */
    int throttle_retry_after;        /* FAKE_FAULT_THROTTLE: 1 sends Retry-After, seconds until the next token
                                        rounded up, at least 1 (APIG sends none) */
    unsigned int outage_ms;          /* FAKE_FAULT_OUTAGE: how long it lasts; 0 = until the faults change */
} fake_faults;

void fake_faults_init(fake_faults *faults);

typedef struct fake_server_options {
    uint16_t port;           /* 0 = ephemeral (default) */
    uint64_t seed;           /* default 42 */
    size_t job_count;        /* default 240 */
    const char *token;       /* expected X-Auth-Token; NULL = no check (default NULL) */
    const char *project_id;  /* expected project id; NULL = any (default NULL) */
    int64_t quotas;          /* default 10000 */
    const char *cert_pem;    /* PEM certificate (chain); with key_pem, the server speaks HTTPS (default NULL) */
    const char *key_pem;     /* PEM private key of cert_pem (default NULL) */
    unsigned int latency_ms; /* delay before answering every request, scripted or not (default 0) */
    int realistic;           /* 1: fake_dataset_generate_realistic() (default 0: the awkward data set) */
    const char *ak;          /* with sk: require SDK-HMAC-SHA256 signatures instead of a token (default NULL) */
    const char *sk;
    const char *security_token; /* with sk: also require this signed X-Security-Token (default NULL) */
    /*
     * Fake IAM, on when iam_user is set: POST /v3/auth/tokens (password method, project scope by
     * name or id) issues tokens the list API accepts besides `token`; GET /v3/projects?name= lists
     * the one project. Defaults NULL/0.
     */
    const char *iam_user;
    const char *iam_password;
    const char *iam_domain;
    const char *iam_project_name;  /* NULL = "eu-de" */
    const char *iam_project_id;    /* NULL = project_id, else a fixed id */
    int64_t iam_token_lifetime_s;  /* 0 = 24 hours */
    int iam_token_without_project; /* 1: the token body has no "project", so a client must look the id up */
    int iam_echo_token;            /* 1: the 401 for a stale IAM token quotes that token in error_msg */
    /*
     * Advancing jobs (fake_progress.h), off by default: a few jobs named "wait-..." whose status
     * moves one step each advance_every times they were listed, or each advance_pace_ms.
     */
    int advancing_jobs;           /* 1: add them to the data set */
    unsigned int advance_every;   /* listings of a job per step; 0 = 1 */
    unsigned int advance_pace_ms; /* > 0: one step per this many ms since the start instead */
    fake_faults faults;           /* standing faults from the start (default none); see fake_server_set_faults() */
    /*
     * 1: job_total_count counts every job of the data set, whatever the workspace, status or
     * search filter (the API documents it only as "Total number of created jobs"), so a filtered
     * walk reaches its last jobs before the total says so. Default 0. Ignored by advancing_jobs.
     */
    int total_unfiltered;
    /*
     * Fake ECS metadata service (fake_metadata.h), on when metadata_key_lifetime_ms > 0: the list
     * API then accepts its live keys (signed, with X-Security-Token) besides ak/sk.
     */
    int64_t metadata_key_lifetime_ms;
    int metadata_no_session; /* 1: PUT /meta-data/latest/api/token answers 404 */
    int metadata_no_agency;  /* 1: the key request answers 401 "Please configure Cloud Service Agency first" */
    int metadata_garbage;    /* 1: the key request answers 200 with HTML */
} fake_server_options;

void fake_server_options_init(fake_server_options *opts);

typedef struct fake_server fake_server;

/** Starts the server on 127.0.0.1 in its own threads. Returns 0 or -1. */
/** Key requests the fake metadata service answered with keys (0 when it is off). */
unsigned int fake_server_metadata_key_count(fake_server *srv);
/** List requests the fake refused because their metadata key was unknown, expired or badly signed. */
unsigned int fake_server_metadata_rejections(fake_server *srv);

int fake_server_start(const fake_server_options *opts, fake_server **out);
/** Stops the server and frees it. NULL is a no-op. */
void fake_server_stop(fake_server *srv);

uint16_t fake_server_port(const fake_server *srv);
/** "http://127.0.0.1:<port>" ("https://..." with TLS), owned by the server. */
const char *fake_server_url(const fake_server *srv);
/** The same with the host name "localhost", for host-name verification. */
const char *fake_server_url_localhost(const fake_server *srv);
/** Changes the delay before answering every later request. */
void fake_server_set_latency(fake_server *srv, unsigned int latency_ms);
const fake_dataset *fake_server_dataset(const fake_server *srv);

/** One scripted reply, sent exactly as given instead of the normal semantics. */
typedef struct fake_response {
    unsigned int status;
    const char *headers; /* "Name: value" lines separated by "\n"; NULL = none */
    const char *body;    /* may contain NUL bytes; NULL = empty */
    size_t body_len;
    unsigned int delay_ms; /* sleep before answering (per connection thread) */
    long abort_after;      /* >= 0: announce body_len bytes, send this many, then drop the connection; -1 = off */
    int chunked;           /* send the body with Transfer-Encoding: chunked (no Content-Length) */
    int gzip;              /* gzip the body and send it with Content-Encoding: gzip */
} fake_response;

/** Queues a scripted reply; the next request takes the oldest one. Returns 0 or -1. */
int fake_server_push(fake_server *srv, const fake_response *resp);
/**
 * Queues a scripted reply for the first request whose raw target contains
 * @p target_contains (e.g. "&page=3"), leaving other requests to the normal
 * semantics or to other scripts. Returns 0 or -1.
 */
int fake_server_push_for(fake_server *srv, const char *target_contains, const fake_response *resp);
/** Convenience: status + headers + NUL-terminated body, no delay, no abort. */
int fake_server_push_simple(fake_server *srv, unsigned int status, const char *headers, const char *body);

/** Revokes every IAM token issued so far: the list API answers 401 APIG.0307 for them; new logins work. */
void fake_server_iam_revoke_tokens(fake_server *srv);
/** While @p reject is set the list API answers 401 APIG.0307 to every IAM token, also fresh ones. */
void fake_server_iam_reject_tokens(fake_server *srv, int reject);

/** Replaces the standing faults (NULL = none) and restarts their request count. Returns 0 or -1 (OOM). */
int fake_server_set_faults(fake_server *srv, const fake_faults *faults);
/** Faulted replies sent since the faults were last set. */
size_t fake_server_faults_injected(const fake_server *srv);
/** X-Request-Id of the last faulted reply that carried one ("" if none) into @p out of @p size bytes. */
void fake_server_last_fault_request_id(const fake_server *srv, char *out, size_t size);
/** List-API requests received since the faults were last set, whatever their answer. */
size_t fake_server_list_requests(const fake_server *srv);
/** Of those, the ones FAKE_FAULT_THROTTLE answered with 429 because their bucket was empty. */
size_t fake_server_throttled_count(const fake_server *srv);

/** What the server saw of one request. */
typedef struct fake_request {
    char method[16];
    char uri[8192];        /* raw request target, path and query as sent */
    char auth_token[8192]; /* X-Auth-Token value, "" if absent */
    char user_agent[512];
    char content_type[256];
    char authorization[1024];
    char headers[8192]; /* every request header as "Name: value\n", in the order received */
    char body[8192];    /* the request body (cut to fit), NUL-terminated */
    size_t body_len;    /* bytes received, even beyond what body holds */
} fake_request;

size_t fake_server_request_count(const fake_server *srv);
/** Copies request @p index (0 = first seen). Returns 0, or -1 if out of range. */
int fake_server_request_at(const fake_server *srv, size_t index, fake_request *out);
/** Number of TCP connections accepted so far (keep-alive check). */
size_t fake_server_connection_count(const fake_server *srv);
/** Connections open right now, and the most that were open at once. */
size_t fake_server_open_connections(const fake_server *srv);
size_t fake_server_peak_connections(const fake_server *srv);
/** Forgets the peak: it restarts from the connections open now. */
void fake_server_reset_peak(fake_server *srv);

#ifdef __cplusplus
}
#endif
#endif
