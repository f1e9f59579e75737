/*
 * Endpoint parsing. A hand-written parser rather than libcurl's, so that each
 * mistake gets a message that says what is wrong, and so that the parts a
 * signer needs (host as sent, path prefix) come out exactly as rendered.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "util/alloc.h"
#include "util/error.h"

/* Endpoint URLs longer than this are certainly a mistake. */
#define ENDPOINT_MAX_BYTES 2048

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* RFC 3986 reg-name characters, minus the percent-encoding a host name never needs. */
static int is_host_char(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* pchar without '%' (checked separately) plus '/'. */
static int is_path_char(char c)
{
    return is_alpha(c) || is_digit(c) || strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

static int equals_ci(const char *s, const char *lower_word, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower_word[i])
            return 0;
    return 1;
}

static char *dup_lower(const ma_allocator *a, const char *s, size_t len)
{
    char *out = ma__strndup(a, s, len);
    if (out)
        for (size_t i = 0; i < len; i++)
            out[i] = lower(out[i]);
    return out;
}

/*
 * Loopback by address, not by look: "127.0.0.1.5" or "127.1" are names that
 * libcurl hands to the resolver, which may answer anything. Only a dotted quad
 * in 127.0.0.0/8, the IPv6 address ::1 (any spelling) and "localhost" count.
 * An IPv4-mapped "[::ffff:127.0.0.1]" does not: whether it reaches loopback is
 * up to the system's dual-stack setup. @p host is lower case, IPv6 in brackets.
 */
static int host_is_loopback(const char *host, size_t len)
{
    if (strcmp(host, "localhost") == 0)
        return 1;
    if (host[0] == '[') {
        char inner[64];
        struct in6_addr a6;
        if (len < 2 || len - 2 >= sizeof inner)
            return 0;
        memcpy(inner, host + 1, len - 2);
        inner[len - 2] = '\0';
        return inet_pton(AF_INET6, inner, &a6) == 1 && memcmp(&a6, &in6addr_loopback, sizeof a6) == 0;
    }
    struct in_addr a4;
    return inet_pton(AF_INET, host, &a4) == 1 && ((const unsigned char *)&a4.s_addr)[0] == 127;
}

static ma_status check_ipv6(const char *h, size_t len, ma_error *err)
{
    /* h includes the brackets. */
    for (size_t i = 1; i + 1 < len; i++) {
        if (h[i] == '%')
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host: IPv6 zone ids are not supported");
        if (!is_hex(h[i]) && h[i] != ':' && h[i] != '.')
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host: '%c' is not allowed in an IPv6 address",
                                 h[i]);
    }
    if (len < 4 || !memchr(h, ':', len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host: malformed IPv6 address");
    return MA_OK;
}

/* Splits "host[:port]"; *port is 0 for the scheme's default. */
static ma_status parse_authority(const char *s, size_t len, int default_port, size_t *host_len, int *port,
                                 ma_error *err)
{
    if (len == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint has an empty host (nothing between \"//\" and \"/\")");
    if (memchr(s, '@', len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint must not contain user information");
    size_t h = 0;
    if (s[0] == '[') {
        const char *close = memchr(s, ']', len);
        if (!close)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host: '[' without a closing ']'");
        h = (size_t)(close - s) + 1;
        ma_status st = check_ipv6(s, h, err);
        if (st != MA_OK)
            return st;
    } else {
        while (h < len && s[h] != ':') {
            if (!is_host_char(s[h]))
                return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host: character 0x%02x is not allowed",
                                     (unsigned char)s[h]);
            h++;
        }
        if (h == 0)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint has an empty host");
        for (size_t i = 0; i + 1 < h; i++)
            if (s[i] == '.' && s[i + 1] == '.')
                return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host has an empty label (\"..\")");
        if (s[0] == '.')
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint host must not start with '.'");
    }
    *host_len = h;
    *port = 0;
    if (h == len)
        return MA_OK;
    if (s[h] != ':')
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint: unexpected '%c' after the host", s[h]);
    size_t digits = len - h - 1;
    if (digits == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint has ':' but no port number");
    long value = 0;
    for (size_t i = h + 1; i < len; i++) {
        if (!is_digit(s[i]))
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint port must be a number");
        value = value * 10 + (s[i] - '0');
        if (value > 65535)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint port must be 1-65535");
    }
    if (value == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint port 0 cannot be connected to (use 1-65535)");
    *port = value == default_port ? 0 : (int)value;
    return MA_OK;
}

static ma_status check_prefix(const char *p, size_t len, ma_error *err)
{
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '%') {
            if (i + 2 >= len || !is_hex(p[i + 1]) || !is_hex(p[i + 2]))
                return ma__error_set(err, MA_ERR_INVALID_ARG,
                                     "endpoint path has a '%%' not followed by two hex digits");
            i += 2;
        } else if (!is_path_char(p[i])) {
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint path: character 0x%02x is not allowed",
                                 (unsigned char)p[i]);
        }
    }
    /* "." and ".." segments would be collapsed by some peers, making signed and sent paths differ. */
    for (size_t i = 0; i < len; i++) {
        if (p[i] != '/')
            continue;
        size_t j = i + 1;
        while (j < len && p[j] != '/')
            j++;
        size_t seg = j - i - 1;
        if ((seg == 1 && p[i + 1] == '.') || (seg == 2 && p[i + 1] == '.' && p[i + 2] == '.'))
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint path must not contain '.' or '..' segments");
    }
    return MA_OK;
}

static ma_status check_characters(const char *url, size_t len, ma_error *err)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "endpoint contains whitespace at byte %zu (check for stray spaces or newlines)", i);
        if (c < 0x20 || c >= 0x7f)
            return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint contains a non-ASCII or control byte at %zu", i);
    }
    if (memchr(url, '?', len) || memchr(url, '#', len))
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint must not contain a query or fragment");
    return MA_OK;
}

static ma_status parse_scheme(const char *url, size_t *after, int *is_http, ma_error *err)
{
    const char *sep = strstr(url, "://");
    if (!sep)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "endpoint has no scheme: write it as https://host (or http://127.0.0.1:port)");
    size_t n = (size_t)(sep - url);
    if (n == 5 && equals_ci(url, "https", 5))
        *is_http = 0;
    else if (n == 4 && equals_ci(url, "http", 4))
        *is_http = 1;
    else
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint scheme must be https (or http for a local server)");
    *after = n + 3;
    return MA_OK;
}

void ma__endpoint_free(const ma_allocator *alloc, ma__endpoint *ep)
{
    ma__free(alloc, ep->scheme);
    ma__free(alloc, ep->host);
    ma__free(alloc, ep->prefix);
    ma__free(alloc, ep->host_header);
    memset(ep, 0, sizeof *ep);
}

static ma_status fill_parts(const ma_allocator *a, const char *host, size_t host_len, int port, const char *prefix,
                            size_t prefix_len, int is_http, ma__endpoint *out, ma_error *err)
{
    char port_text[8] = "";
    if (port)
        snprintf(port_text, sizeof port_text, ":%d", port);
    size_t port_len = strlen(port_text);
    out->scheme = ma__strdup(a, is_http ? "http" : "https");
    out->host = dup_lower(a, host, host_len);
    out->prefix = ma__strndup(a, prefix, prefix_len);
    out->host_header = ma__malloc(a, host_len + port_len + 1);
    if (!out->scheme || !out->host || !out->prefix || !out->host_header) {
        ma__endpoint_free(a, out);
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying the endpoint");
    }
    memcpy(out->host_header, out->host, host_len);
    memcpy(out->host_header + host_len, port_text, port_len + 1);
    out->port = port;
    out->is_loopback = host_is_loopback(out->host, host_len);
    return MA_OK;
}

ma_status ma__endpoint_parse(const ma_allocator *alloc, const char *url, ma__endpoint *out, ma_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = strnlen(url, ENDPOINT_MAX_BYTES + 1);
    if (len > ENDPOINT_MAX_BYTES)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "endpoint is longer than %d bytes", ENDPOINT_MAX_BYTES);
    ma_status st = check_characters(url, len, err);
    size_t at = 0;
    int is_http = 0;
    if (st != MA_OK || (st = parse_scheme(url, &at, &is_http, err)) != MA_OK)
        return st;
    const char *authority = url + at;
    const char *slash = strchr(authority, '/');
    size_t auth_len = slash ? (size_t)(slash - authority) : strlen(authority);
    size_t host_len = 0;
    int port = 0;
    if ((st = parse_authority(authority, auth_len, is_http ? 80 : 443, &host_len, &port, err)) != MA_OK)
        return st;
    const char *prefix = authority + auth_len;
    size_t prefix_len = strlen(prefix);
    while (prefix_len > 0 && prefix[prefix_len - 1] == '/')
        prefix_len--;
    if ((st = check_prefix(prefix, prefix_len, err)) != MA_OK)
        return st;
    return fill_parts(alloc, authority, host_len, port, prefix, prefix_len, is_http, out, err);
}
