/*
 * SDK-HMAC-SHA256 request signing (the AK/SK scheme of the ModelArts API
 * gateway) as pure functions over the structured request. The canonical URI
 * and query are built from the same renderer and percent-encoder that produce
 * the bytes on the wire, so what is signed is what is sent.
 *
 * Every function here returns MA_OK, MA_ERR_NOMEM (an allocation failed, ours
 * or one inside libcrypto, whose allocations do not go through the
 * ma_allocator: nothing is leaked and @p out holds no partial secret) or MA_ERR_INVALID_ARG
 * (a missing input, an empty or duplicate header name, a value that cannot be
 * signed). They never touch an ma_error: the caller words the message.
 */
#ifndef MA_AUTH_SIGNER_H
#define MA_AUTH_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "http/request.h"
#include "modelarts/ma_alloc.h"
#include "modelarts/ma_error.h"
#include "util/buf.h"

#define MA__SIGN_ALGORITHM "SDK-HMAC-SHA256"
/* Lower-case hex of a SHA-256 digest plus the NUL. */
#define MA__SHA256_HEX_SIZE 65
/* "YYYYMMDDTHHMMSSZ" plus the NUL. */
#define MA__SDK_DATE_SIZE 17
/* Most headers one signature covers. */
#define MA__SIGN_HEADERS_MAX 16

/* One header to sign: any case, value untrimmed (the signer lower-cases and trims). Both borrowed. */
typedef struct ma__sign_header {
    const char *name;
    const char *value;
} ma__sign_header;

/* What a signature needs besides the request. All borrowed. */
typedef struct ma__sign_input {
    const char *access_key;
    const char *secret_key; /* the HMAC key, used as-is */
    size_t secret_key_len;
    const char *sdk_date;           /* the X-Sdk-Date value, which must also be among the headers */
    const ma__sign_header *headers; /* the headers to sign, as sent */
    size_t header_count;            /* 1..MA__SIGN_HEADERS_MAX */
    const char *body_sha256_hex;    /* NULL: hash req->body */
} ma__sign_input;

/* "YYYYMMDDTHHMMSSZ" in UTC. Returns 0, or -1 when the year is outside 0..9999. */
int ma__format_sdk_date(int64_t epoch_ms, char out[MA__SDK_DATE_SIZE]);

/* Lower-case hex SHA-256 of @p len bytes. Returns 0 or -1 (libcrypto failure). */
int ma__sha256_hex(const void *data, size_t len, char out[MA__SHA256_HEX_SIZE]);

/* Lower-case hex HMAC-SHA256 of @p data under @p key. Returns 0 or -1. Wipes its digest copy. */
int ma__hmac_sha256_hex(const void *key, size_t key_len, const void *data, size_t len, char out[MA__SHA256_HEX_SIZE]);

/*
 * Appends the canonical request to @p out (no trailing newline):
 *   method "\n" canonical URI "\n" canonical query "\n" canonical headers "\n" signed headers "\n" body hash
 * - canonical URI: ma__request_render_path() plus a '/' when it does not end in one (for signing only);
 * - canonical query: the parameters sorted by raw name in byte order (case kept), equal names by raw
 *   value, then each "name=value" with both encoded by ma__pct_encode() (also "name=" when empty),
 *   joined with '&'; "" when there are none;
 * - canonical headers: "name:value\n" per header, names lower-cased, values trimmed of spaces and tabs,
 *   sorted by name; signed headers: the sorted names joined with ';'.
 * @p body_sha256_hex NULL hashes req->body. On failure @p out is left as it was (what had been
 * appended is wiped). The header values, x-security-token among them, are in @p out: wipe it
 * (ma__buf_free_secure()) when a signed value is secret.
 */
ma_status ma__sign_canonical_request(const ma_allocator *a, const ma__http_request *req,
                                     const ma__sign_header *signed_headers, size_t n, const char *body_sha256_hex,
                                     ma__buf *out);

/* Appends "SDK-HMAC-SHA256\n" date "\n" hex(SHA256(canonical request)). */
ma_status ma__sign_string_to_sign(const char *sdk_date, const char *canonical_request, size_t len, ma__buf *out);

/*
 * Signs @p req and appends the Authorization value
 *   "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>, Signature=<hex>"
 * to @p authorization (secret: free it with ma__buf_free_secure()). @p signature_hex, if not NULL,
 * receives the signature. Intermediate buffers are freed; the one holding the HMAC digest is wiped.
 */
ma_status ma__sign_request(const ma_allocator *a, const ma__http_request *req, const ma__sign_input *in,
                           ma__buf *authorization, char signature_hex[MA__SHA256_HEX_SIZE]);

#endif
