#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "util/alloc.h"

void ma__headers_init(ma__header_list *list, const ma_allocator *alloc)
{
    list->items = NULL;
    list->count = 0;
    list->cap = 0;
    list->alloc = alloc;
}

int ma__headers_add(ma__header_list *list, const char *name, size_t name_len, const char *value, size_t value_len,
                    int secret)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof *list->items, &overflow);
        if (overflow)
            return -1;
        ma__header *items = ma__realloc(list->alloc, list->items, bytes);
        if (!items)
            return -1;
        list->items = items;
        list->cap = cap;
    }
    char *n = ma__strndup(list->alloc, name, name_len);
    char *v = n ? ma__strndup(list->alloc, value, value_len) : NULL;
    if (!v) {
        ma__free(list->alloc, n);
        return -1;
    }
    list->items[list->count].name = n;
    list->items[list->count].value = v;
    list->items[list->count].secret = secret;
    list->count++;
    return 0;
}

const char *ma__headers_get(const ma__header_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcasecmp(list->items[i].name, name) == 0)
            return list->items[i].value;
    return NULL;
}

void ma__headers_clear(ma__header_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        ma__header *h = &list->items[i];
        if (h->secret)
            ma__free_secret(list->alloc, h->value);
        else
            ma__free(list->alloc, h->value);
        ma__free(list->alloc, h->name);
    }
    list->count = 0;
}

void ma__headers_free(ma__header_list *list)
{
    ma__headers_clear(list);
    ma__free(list->alloc, list->items);
    list->items = NULL;
    list->cap = 0;
}

void ma__http_response_init(ma__http_response *resp, const ma_allocator *alloc)
{
    resp->status = 0;
    resp->http_version = NULL;
    ma__headers_init(&resp->headers, alloc);
    ma__buf_init(&resp->body, alloc);
}

void ma__http_response_free(ma__http_response *resp)
{
    ma__headers_free(&resp->headers);
    ma__buf_free(&resp->body);
    resp->status = 0;
    resp->http_version = NULL;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "HTTP/1.1 200 OK", "HTTP/2 404": the three digits after the first space (100-999), or 0. */
static int parse_status(const char *data, size_t len)
{
    const char *sp = memchr(data, ' ', len);
    if (!sp)
        return 0;
    size_t rest = len - (size_t)(sp + 1 - data);
    const char *d = sp + 1;
    if (rest < 3 || d[0] < '1' || d[0] > '9' || !is_digit(d[1]) || !is_digit(d[2]) ||
        (rest > 3 && !is_space(d[3]) && d[3]))
        return 0;
    return (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
}

ma__header_line_kind ma__header_line_parse(const char *data, size_t len, ma__header_line *out)
{
    out->name = NULL;
    out->name_len = 0;
    out->value = NULL;
    out->value_len = 0;
    out->status = 0;
    /* A status line (also a 1xx interim reply or a proxy CONNECT) starts a fresh header block. */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        out->status = parse_status(data, len);
        return MA__HEADER_LINE_STATUS;
    }
    size_t trimmed = len;
    while (trimmed > 0 && (data[trimmed - 1] == '\r' || data[trimmed - 1] == '\n'))
        trimmed--;
    if (trimmed == 0)
        return MA__HEADER_LINE_END;
    /* Obsolete line folding, or no name before the colon: nothing to keep. */
    if (is_space(data[0]))
        return MA__HEADER_LINE_OTHER;
    const char *colon = memchr(data, ':', trimmed);
    if (!colon || colon == data)
        return MA__HEADER_LINE_OTHER;
    for (const char *p = data; p < colon; p++)
        if (is_space(*p))
            return MA__HEADER_LINE_OTHER; /* RFC 9112: no white space in or after a field name */
    const char *value = colon + 1;
    const char *end = data + trimmed;
    while (value < end && is_space(*value))
        value++;
    while (end > value && is_space(end[-1]))
        end--;
    out->name = data;
    out->name_len = (size_t)(colon - data);
    out->value = value;
    out->value_len = (size_t)(end - value);
    return MA__HEADER_LINE_FIELD;
}
