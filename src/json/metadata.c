/* The ECS metadata service's /openstack/latest/securitykey body, read with jansson. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "util/alloc.h"
#include "util/error.h"
#include "json/iam.h"
#include "json/load.h"
#include "json/metadata.h"

void ma__metadata_keys_clear(const ma_allocator *a, ma__metadata_keys *k)
{
    ma__free(a, k->access);
    ma__free_secret(a, k->secret);
    ma__free_secret(a, k->security_token);
    memset(k, 0, sizeof *k);
}

/* jansson's copies of the secrets are wiped before they are released. */
static void wipe_string(json_t *s)
{
    if (json_is_string(s))
        ma__secure_zero((void *)(uintptr_t)json_string_value(s), json_string_length(s));
}

ma_status ma__metadata_keys_parse(const ma_allocator *a, const char *body, size_t len, ma__metadata_keys *out,
                                  ma_error *err)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    int out_of_memory = 0;
    json_t *doc = ma__json_load(body ? body : "", len, &jerr, &out_of_memory);
    if (out_of_memory)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory reading the metadata service's answer");
    if (!doc)
        return ma__error_set(err, MA_ERR_PROTOCOL, "the metadata service's securitykey answer is not JSON");
    json_t *cred = json_object_get(doc, "credential");
    json_t *access = json_object_get(cred, "access"), *secret = json_object_get(cred, "secret");
    json_t *token = json_object_get(cred, "securitytoken"), *expires = json_object_get(cred, "expires_at");
    ma_status st = MA_OK;
    const char *missing = !json_is_object(cred)                                    ? "credential"
                          : !json_is_string(access) || !json_string_length(access) ? "credential.access"
                          : !json_is_string(secret) || !json_string_length(secret) ? "credential.secret"
                          : !json_is_string(token) || !json_string_length(token)   ? "credential.securitytoken"
                          : !json_is_string(expires)                               ? "credential.expires_at"
                          : ma__iso8601_utc_to_ms(json_string_value(expires), &out->expires_at_ms) != 0
                              ? "a readable credential.expires_at"
                              : NULL;
    if (missing) {
        st = ma__error_set(err, MA_ERR_PROTOCOL, "the metadata service's securitykey answer has no %s", missing);
    } else if (!(out->access = ma__strndup(a, json_string_value(access), json_string_length(access))) ||
               !(out->secret = ma__strndup(a, json_string_value(secret), json_string_length(secret))) ||
               !(out->security_token = ma__strndup(a, json_string_value(token), json_string_length(token)))) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory keeping the metadata credentials");
    } else if (strlen(out->access) != json_string_length(access) || strlen(out->secret) != json_string_length(secret) ||
               strlen(out->security_token) != json_string_length(token)) {
        st = ma__error_set(err, MA_ERR_PROTOCOL, "the metadata service's credentials hold a NUL byte");
    }
    wipe_string(secret);
    wipe_string(token);
    json_decref(doc);
    if (st != MA_OK)
        ma__metadata_keys_clear(a, out);
    return st;
}
