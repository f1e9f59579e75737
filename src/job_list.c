#include <stdalign.h>

#include "internal/alloc.h"
#include "internal/job_list.h"

static size_t jobs_offset(void)
{
    size_t align = alignof(ma_job);
    return (sizeof(ma_job_list) + align - 1) / align * align;
}

ma_job_list *ma__job_list_alloc(const ma_allocator *alloc, size_t count, size_t string_bytes, char **pool)
{
    int overflow = 0;
    size_t jobs_bytes = ma__size_mul(count, sizeof(ma_job), &overflow);
    size_t total = ma__size_add(ma__size_add(jobs_offset(), jobs_bytes, &overflow), string_bytes, &overflow);
    if (overflow)
        return NULL;
    char *block = ma__malloc(alloc, total);
    if (!block)
        return NULL;
    ma_job_list *list = (ma_job_list *)(void *)block;
    list->alloc = *alloc;
    list->total_count = 0;
    list->count_limit = -1;
    list->quotas = -1;
    list->count = count;
    list->jobs = (ma_job *)(void *)(block + jobs_offset());
    *pool = block + jobs_offset() + jobs_bytes;
    return list;
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
    ma__free(&a, list);
}
