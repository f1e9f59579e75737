#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "http/http.h"
#include "internal/alloc.h"
#include "internal/error.h"

/* Endpoint URLs longer than this are certainly a mistake. */
#define ENDPOINT_MAX_BYTES 2048

/* Present even when empty: "https://:@host" would still make libcurl send an Authorization header. */
static int part_set(CURLU *u, CURLUPart part)
{
    char *value = NULL;
    CURLUcode rc = curl_url_get(u, part, &value, 0);
    curl_free(value);
    return rc == CURLUE_OK;
}

static int has_part(CURLU *u, CURLUPart part)
{
    char *value = NULL;
    CURLUcode rc = curl_url_get(u, part, &value, 0);
    int present = rc == CURLUE_OK && value && value[0];
    curl_free(value);
    return present;
}

ma_status ma__endpoint_normalize(const ma_allocator *alloc, const char *endpoint, char **normalized, int *is_http,
                                 ma_error *err)
{
    *normalized = NULL;
    if (strnlen(endpoint, ENDPOINT_MAX_BYTES + 1) > ENDPOINT_MAX_BYTES)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint is longer than %d bytes", ENDPOINT_MAX_BYTES);
    CURLU *u = curl_url();
    if (!u)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory parsing the endpoint");
    ma_status st = MA_OK;
    char *scheme = NULL, *full = NULL;
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, endpoint, 0);
    if (rc != CURLUE_OK) {
        st = ma__error_set(err, rc == CURLUE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_INVALID_ARG,
                           "endpoint is not a valid absolute URL (%s)", curl_url_strerror(rc));
        goto done;
    }
    if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0)) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint scheme must be https (or http for a local server)");
        goto done;
    }
    if (!has_part(u, CURLUPART_HOST)) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint has no host");
        goto done;
    }
    /* Credentials in a URL would end up in logs and error messages. */
    if (part_set(u, CURLUPART_USER) || part_set(u, CURLUPART_PASSWORD)) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint must not contain user information");
        goto done;
    }
    if (has_part(u, CURLUPART_QUERY) || has_part(u, CURLUPART_FRAGMENT) || strchr(endpoint, '?') ||
        strchr(endpoint, '#')) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint must not contain a query or fragment");
        goto done;
    }
    rc = curl_url_get(u, CURLUPART_URL, &full, 0);
    if (rc != CURLUE_OK) {
        st = ma__error_set(err, rc == CURLUE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_INVALID_ARG,
                           "endpoint cannot be normalised (%s)", curl_url_strerror(rc));
        goto done;
    }
    size_t len = strlen(full);
    while (len > 0 && full[len - 1] == '/')
        len--;
    *normalized = ma__strndup(alloc, full, len);
    if (!*normalized) {
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the endpoint");
        goto done;
    }
    *is_http = strcasecmp(scheme, "http") == 0;
done:
    curl_free(scheme);
    curl_free(full);
    curl_url_cleanup(u);
    return st;
}
