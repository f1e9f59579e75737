#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "util/alloc.h"
#include "util/error.h"
#include "json/iam.h"
#include "json/load.h"
#include "util/text.h"

/* jansson copies strings into its own (global) heap; wipe the password copy before it goes back. */
static void wipe_json_string(json_t *s)
{
    if (s && json_is_string(s))
        ma__secure_zero((void *)(uintptr_t)json_string_value(s), json_string_length(s));
}

ma_status ma__iam_login_body(const ma__iam_login_fields *f, ma__buf *out, ma_error *err)
{
    json_t *password = json_string(f->password);
    /* jansson refuses a string that is not UTF-8 and one it has no memory for alike. */
    if (!password && ma__utf8_validate(f->password, strlen(f->password), NULL))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM login body");
    if (!password)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the password is not valid UTF-8");
    json_t *scope = f->project_id ? json_pack("{s:{s:s}}", "project", "id", f->project_id)
                                  : json_pack("{s:{s:s}}", "project", "name", f->project_name);
    /* "O" takes a new reference, so the password value stays reachable for wiping. */
    json_t *doc = scope ? json_pack("{s:{s:{s:[s],s:{s:{s:s,s:O,s:{s:s}}}},s:O}}", "auth", "identity", "methods",
                                    "password", "password", "user", "name", f->user_name, "password", password,
                                    "domain", "name", f->domain_name, "scope", scope)
                        : NULL;
    ma_status st = MA_OK;
    size_t need = doc ? json_dumpb(doc, NULL, 0, JSON_COMPACT) : 0;
    if (!doc || need == 0)
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM login body");
    else if (ma__buf_reserve(out, need) != 0)
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory building the IAM login body");
    else if (json_dumpb(doc, out->data + out->len, need, JSON_COMPACT) != need)
        st = ma__error_set(err, MA_ERR_NOMEM, "out of memory writing the IAM login body");
    else {
        out->len += need;
        out->data[out->len] = '\0';
    }
    wipe_json_string(password);
    json_decref(doc);
    json_decref(scope);
    json_decref(password);
    return st;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ma__iso8601_utc_to_ms(const char *t, int64_t *out_ms)
{
    int y, mo, d, h, mi, s;
    if (strlen(t) < 20 || digits(t, 4, &y) || t[4] != '-' || digits(t + 5, 2, &mo) || t[7] != '-' ||
        digits(t + 8, 2, &d) || t[10] != 'T' || digits(t + 11, 2, &h) || t[13] != ':' || digits(t + 14, 2, &mi) ||
        t[16] != ':' || digits(t + 17, 2, &s))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    const char *p = t + 19;
    int ms = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        while (*p >= '0' && *p <= '9') {
            if (n < 3)
                ms = ms * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            ms *= 10;
    }
    if (p[0] != 'Z' || p[1] != '\0')
        return -1;
    int64_t days = days_from_civil(y, mo, d);
    *out_ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)s * 1000 + ms;
    return 0;
}

static void copy_id(const json_t *v, char *dst, size_t size)
{
    dst[0] = '\0';
    if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < size)
        memcpy(dst, json_string_value(v), json_string_length(v) + 1);
}

ma_status ma__iam_token_body_parse(const char *body, size_t len, int64_t *expires_at_ms, char *project_id,
                                   size_t project_id_size, ma_error *err)
{
    project_id[0] = '\0';
    json_error_t jerr;
    int out_of_memory;
    json_t *doc = ma__json_load(body ? body : "", len, &jerr, &out_of_memory);
    if (out_of_memory)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory reading the IAM login response");
    if (!doc)
        return ma__error_set(err, MA_ERR_PROTOCOL, "the IAM login response is not JSON (line %d: %s)", jerr.line,
                             jerr.text);
    const json_t *token = json_object_get(doc, "token");
    const json_t *expires = json_object_get(token, "expires_at");
    ma_status st = MA_OK;
    if (!json_is_string(expires) || ma__iso8601_utc_to_ms(json_string_value(expires), expires_at_ms) != 0)
        st = ma__error_set(err, MA_ERR_PROTOCOL, "the IAM login response has no readable token.expires_at");
    else
        copy_id(json_object_get(json_object_get(token, "project"), "id"), project_id, project_id_size);
    json_decref(doc);
    return st;
}

ma_status ma__iam_projects_parse(const char *body, size_t len, const char *name, size_t *matches, char *id,
                                 size_t id_size, ma_error *err)
{
    *matches = 0;
    id[0] = '\0';
    json_error_t jerr;
    int out_of_memory;
    json_t *doc = ma__json_load(body ? body : "", len, &jerr, &out_of_memory);
    if (out_of_memory)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory reading the IAM project list");
    const json_t *projects = json_object_get(doc, "projects");
    if (!json_is_array(projects)) {
        json_decref(doc);
        return ma__error_set(err, MA_ERR_PROTOCOL, "the IAM project list has no \"projects\" array");
    }
    for (size_t i = 0; i < json_array_size(projects); i++) {
        const json_t *p = json_array_get(projects, i);
        const json_t *n = json_object_get(p, "name");
        if (!json_is_string(n) || strcmp(json_string_value(n), name) != 0)
            continue;
        if (++*matches == 1)
            copy_id(json_object_get(p, "id"), id, id_size);
    }
    json_decref(doc);
    return MA_OK;
}
