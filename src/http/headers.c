#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "internal/alloc.h"

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
    ma__headers_init(&resp->headers, alloc);
    ma__buf_init(&resp->body, alloc);
}

void ma__http_response_free(ma__http_response *resp)
{
    ma__headers_free(&resp->headers);
    ma__buf_free(&resp->body);
    resp->status = 0;
}
