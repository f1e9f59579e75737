#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "model/job_list.h"

enum { FIRST_CHUNK_BYTES = 2048, MAX_CHUNK_BYTES = 64 * 1024, FIRST_JOB_CAP = 16 };

struct ma__string_chunk {
    ma__string_chunk *next;
    size_t size; /* usable bytes after the header */
};

static size_t chunk_header_bytes(void)
{
    size_t align = alignof(max_align_t);
    return (sizeof(ma__string_chunk) + align - 1) / align * align;
}

static char *chunk_data(ma__string_chunk *c)
{
    return (char *)c + chunk_header_bytes();
}

ma_job_list *ma__job_list_new(const ma_allocator *alloc)
{
    ma_job_list *list = ma__malloc(alloc, sizeof *list);
    if (!list)
        return NULL;
    memset(list, 0, sizeof *list);
    list->alloc = *alloc;
    list->count_limit = -1;
    list->quotas = -1;
    return list;
}

ma_job *ma__job_list_push(ma_job_list *list)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : FIRST_JOB_CAP;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof(ma_job), &overflow);
        if (overflow)
            return NULL;
        ma_job *jobs = ma__realloc(&list->alloc, list->jobs, bytes);
        if (!jobs)
            return NULL;
        list->jobs = jobs;
        list->cap = cap;
    }
    ma_job *job = &list->jobs[list->count++];
    memset(job, 0, sizeof *job);
    return job;
}

void ma__job_list_pop(ma_job_list *list)
{
    if (list->count > 0)
        list->count--;
}

const char *ma__job_list_store_string(ma_job_list *list, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    size_t need = len + 1;
    ma__string_chunk *c = list->chunks;
    if (!c || c->size - list->chunk_used < need) {
        /* Chunks grow with the list, so a big page needs few of them. */
        size_t size = c ? c->size * 2 : FIRST_CHUNK_BYTES;
        if (size > MAX_CHUNK_BYTES)
            size = MAX_CHUNK_BYTES;
        if (size < need)
            size = need;
        int overflow = 0;
        size_t bytes = ma__size_add(chunk_header_bytes(), size, &overflow);
        if (overflow)
            return NULL;
        ma__string_chunk *fresh = ma__malloc(&list->alloc, bytes);
        if (!fresh)
            return NULL;
        fresh->size = size;
        fresh->next = c;
        list->chunks = fresh;
        list->chunk_used = 0;
        c = fresh;
    }
    char *dst = chunk_data(c) + list->chunk_used;
    if (len)
        memcpy(dst, s, len);
    dst[len] = '\0';
    list->chunk_used += need;
    return dst;
}

ma_status ma__job_list_append(ma_job_list *dst, ma_job_list *src)
{
    if (src->count > 0 && dst->count == 0 && src->cap >= dst->cap) {
        /* An empty list takes the page's array as it is; src gets the unused one. */
        ma_job *jobs = dst->jobs;
        size_t cap = dst->cap;
        dst->jobs = src->jobs;
        dst->cap = src->cap;
        dst->count = src->count;
        src->jobs = jobs;
        src->cap = cap;
        src->count = 0;
    } else if (src->count > 0) {
        int overflow = 0;
        size_t count = ma__size_add(dst->count, src->count, &overflow);
        if (overflow)
            return MA_ERR_NOMEM;
        if (count > dst->cap) {
            /* Doubling, so a list gathered page by page is reallocated a logarithmic number of times. */
            size_t cap = dst->cap <= SIZE_MAX / 2 && dst->cap * 2 > count ? dst->cap * 2 : count;
            size_t bytes = ma__size_mul(cap, sizeof(ma_job), &overflow);
            if (overflow)
                return MA_ERR_NOMEM;
            ma_job *jobs = ma__realloc(&dst->alloc, dst->jobs, bytes);
            if (!jobs)
                return MA_ERR_NOMEM;
            dst->jobs = jobs;
            dst->cap = cap;
        }
        memcpy(dst->jobs + dst->count, src->jobs, src->count * sizeof(ma_job));
        dst->count = count;
        src->count = 0;
    }
    if (src->chunks) {
        /* src's chunks go behind dst's current one, which keeps filling. */
        ma__string_chunk *last = src->chunks;
        while (last->next)
            last = last->next;
        if (dst->chunks) {
            last->next = dst->chunks->next;
            dst->chunks->next = src->chunks;
        } else {
            dst->chunks = src->chunks;
            dst->chunk_used = src->chunk_used;
        }
        src->chunks = NULL;
        src->chunk_used = 0;
    }
    return MA_OK;
}

size_t ma_job_list_count(const ma_job_list *list)
{
    return list ? list->count : 0;
}

const ma_job *ma_job_list_at(const ma_job_list *list, size_t index)
{
    if (!list || index >= list->count)
        return NULL;
    return &list->jobs[index];
}

int64_t ma_job_list_total_count(const ma_job_list *list)
{
    return list ? list->total_count : 0;
}

int64_t ma_job_list_count_limit(const ma_job_list *list)
{
    return list ? list->count_limit : -1;
}

int64_t ma_job_list_quotas(const ma_job_list *list)
{
    return list ? list->quotas : -1;
}

void ma_job_list_free(ma_job_list *list)
{
    if (!list)
        return;
    ma_allocator a = list->alloc;
    ma__string_chunk *c = list->chunks;
    while (c) {
        ma__string_chunk *next = c->next;
        ma__free(&a, c);
        c = next;
    }
    ma__free(&a, list->jobs);
    ma__free(&a, list);
}
