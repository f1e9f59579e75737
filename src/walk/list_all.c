/* Every matching job in one list. */
#include <string.h>

#include "internal/alloc.h"
#include "internal/client.h"
#include "internal/error.h"
#include "internal/job_list.h"
#include "walk/walk.h"

/* Pages gathered so far, joined once at the end. */
typedef struct page_stack {
    ma_job_list **pages;
    size_t count, cap;
    const ma_allocator *alloc;
} page_stack;

static int push_page(page_stack *s, ma_job_list *page)
{
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        int overflow = 0;
        size_t bytes = ma__size_mul(cap, sizeof *s->pages, &overflow);
        ma_job_list **p = overflow ? NULL : ma__realloc(s->alloc, s->pages, bytes);
        if (!p)
            return -1;
        s->pages = p;
        s->cap = cap;
    }
    s->pages[s->count++] = page;
    return 0;
}

static void free_pages(page_stack *s)
{
    for (size_t i = 0; i < s->count; i++)
        ma_job_list_free(s->pages[i]);
    ma__free(s->alloc, s->pages);
}

static char *copy_string(char **pool, const char *s)
{
    size_t len = strlen(s);
    char *dst = *pool;
    memcpy(dst, s, len + 1);
    *pool += len + 1;
    return dst;
}

static ma_status join_pages(const ma__walk *w, const page_stack *s, ma_job_list **out, ma_error *err)
{
    size_t jobs = 0, bytes = 0;
    int overflow = 0;
    for (size_t i = 0; i < s->count; i++)
        for (size_t j = 0; j < s->pages[i]->count; j++) {
            const ma_job *job = &s->pages[i]->jobs[j];
            bytes = ma__size_add(bytes, strlen(job->job_name) + strlen(job->job_desc) + 2, &overflow);
            jobs++;
        }
    char *pool = NULL;
    ma_job_list *list = overflow ? NULL : ma__job_list_alloc(&w->alloc, jobs, bytes, &pool);
    if (!list)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory joining %zu jobs", jobs);
    list->total_count = w->total_count < 0 ? 0 : w->total_count;
    list->count_limit = w->count_limit;
    list->quotas = w->quotas;
    size_t k = 0;
    for (size_t i = 0; i < s->count; i++)
        for (size_t j = 0; j < s->pages[i]->count; j++) {
            list->jobs[k] = s->pages[i]->jobs[j];
            list->jobs[k].job_name = copy_string(&pool, s->pages[i]->jobs[j].job_name);
            list->jobs[k].job_desc = copy_string(&pool, s->pages[i]->jobs[j].job_desc);
            k++;
        }
    *out = list;
    return MA_OK;
}

ma_status ma_list_all_training_jobs(ma_client *client, const ma_job_query *query, const ma_walk_options *options,
                                    ma_job_list **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: out is NULL");
    *out = NULL;
    if (!client)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_list_all_training_jobs: client is NULL");
    ma__walk w;
    ma_status st = ma__walk_init(&w, client, query, options, err);
    page_stack s = {NULL, 0, 0, &client->alloc};
    while (st == MA_OK) {
        ma_job_list *page = NULL;
        if ((st = ma__walk_next_page(&w, &page, err)) != MA_OK || !page)
            break;
        if (push_page(&s, page) != 0) {
            ma_job_list_free(page);
            st = ma__error_set(err, MA_ERR_NOMEM, "out of memory gathering pages");
        }
    }
    if (st == MA_OK)
        st = join_pages(&w, &s, out, err);
    free_pages(&s);
    ma__walk_free(&w);
    return st;
}
