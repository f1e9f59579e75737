/* The growable job list: push, string arena, and appending pages without copying strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "model/job_list.h"
#include "modelarts/modelarts.h"
#include "test_alloc.h"
#include "unit_fixture.h"

/* A list of @p count jobs whose names are "<prefix>-<i>" and whose descriptions are 3000 bytes. */
static ma_job_list *make_list(const char *prefix, size_t count, int64_t first_id)
{
    ma_job_list *list = ma__job_list_new(test_allocator());
    assert_non_null(list);
    char desc[3000];
    memset(desc, 'd', sizeof desc);
    for (size_t i = 0; i < count; i++) {
        char name[64];
        int n = snprintf(name, sizeof name, "%s-%zu", prefix, i);
        ma_job *job = ma__job_list_push(list);
        assert_non_null(job);
        job->job_id = first_id + (int64_t)i;
        MA__JOB_SET_STATUS(job, i % 23);
        job->job_name = ma__job_list_store_string(list, name, (size_t)n);
        job->job_desc = ma__job_list_store_string(list, desc, i % 2 ? sizeof desc : 0);
        assert_non_null(job->job_name);
        assert_non_null(job->job_desc);
    }
    return list;
}

static void job_list_push_and_store_strings_survive_growth(void **state)
{
    (void)state;
    ma_job_list *list = make_list("a", 500, 1);
    const char *first_name = ma_job_list_at(list, 0)->job_name;
    assert_int_equal(ma_job_list_count(list), 500);
    assert_string_equal(first_name, "a-0");
    for (size_t i = 0; i < 500; i++) {
        char name[64];
        snprintf(name, sizeof name, "a-%zu", i);
        assert_string_equal(ma_job_list_at(list, i)->job_name, name);
        assert_int_equal(strlen(ma_job_list_at(list, i)->job_desc), i % 2 ? 3000 : 0);
        assert_int_equal(ma_job_list_at(list, i)->job_id, (int64_t)i + 1);
    }
    assert_null(ma_job_list_at(list, 500));
    assert_int_equal(ma_job_list_count_limit(list), -1);
    assert_int_equal(ma_job_list_quotas(list), -1);
    ma_job_list_free(list);
}

static void job_list_append_moves_jobs_and_keeps_string_pointers(void **state)
{
    (void)state;
    ma_job_list *dst = make_list("a", 30, 1);
    ma_job_list *src = make_list("b", 70, 100);
    const char *b5 = ma_job_list_at(src, 5)->job_name;
    assert_int_equal(ma__job_list_append(dst, src), MA_OK);
    assert_int_equal(ma_job_list_count(dst), 100);
    assert_int_equal(ma_job_list_count(src), 0);
    assert_ptr_equal(ma_job_list_at(dst, 35)->job_name, b5); /* not copied */
    assert_string_equal(ma_job_list_at(dst, 35)->job_name, "b-5");
    /* Both keep working: dst stores more strings, src may be refilled and appended again. */
    assert_non_null(ma__job_list_store_string(dst, "more", 4));
    ma_job *job = ma__job_list_push(src);
    assert_non_null(job);
    job->job_name = ma__job_list_store_string(src, "c", 1);
    job->job_desc = "";
    assert_int_equal(ma__job_list_append(dst, src), MA_OK);
    assert_string_equal(ma_job_list_at(dst, 100)->job_name, "c");
    ma_job_list_free(src);
    /* Appending an empty list into an empty list is a no-op. */
    ma_job_list *e1 = ma__job_list_new(test_allocator()), *e2 = ma__job_list_new(test_allocator());
    assert_int_equal(ma__job_list_append(e1, e2), MA_OK);
    assert_int_equal(ma_job_list_count(e1), 0);
    ma_job_list_free(e1);
    ma_job_list_free(e2);
    for (size_t i = 0; i < 30; i++)
        assert_int_equal(ma_job_list_at(dst, i)->job_id, (int64_t)i + 1);
    for (size_t i = 0; i < 70; i++)
        assert_int_equal(ma_job_list_at(dst, 30 + i)->job_id, (int64_t)i + 100);
    ma_job_list_free(dst);
}

static void job_list_append_out_of_memory_leaves_both_lists_intact(void **state)
{
    (void)state;
    ma_job_list *dst = make_list("a", 16, 1); /* full: the first append must grow it */
    ma_job_list *src = make_list("b", 3, 100);
    test_alloc_fail_at(1);
    ma_status st = ma__job_list_append(dst, src);
    test_alloc_reset();
    assert_int_equal(st, MA_ERR_NOMEM);
    assert_int_equal(ma_job_list_count(dst), 16);
    assert_int_equal(ma_job_list_count(src), 3);
    assert_string_equal(ma_job_list_at(src, 2)->job_name, "b-2");
    ma_job_list_free(dst);
    ma_job_list_free(src);
}

/* list-all appends page after page: the gathered jobs must not be reallocated for each one. */
static void job_list_append_page_after_page_grows_geometrically(void **state)
{
    (void)state;
    enum { PAGES = 200 };
    ma_job_list *pages[PAGES];
    for (size_t i = 0; i < PAGES; i++)
        pages[i] = make_list("p", 1, (int64_t)i);
    ma_job_list *all = ma__job_list_new(test_allocator());
    assert_non_null(all);
    test_alloc_reset();
    for (size_t i = 0; i < PAGES; i++)
        assert_int_equal(ma__job_list_append(all, pages[i]), MA_OK);
    /* The first page's array is taken over (16 places), then 32, 64, 128, 256. */
    size_t reallocs = test_alloc_attempts();
    if (reallocs > 4)
        fail_msg("%zu allocations for %d appended pages", reallocs, PAGES);
    assert_int_equal(ma_job_list_count(all), PAGES);
    for (size_t i = 0; i < PAGES; i++) {
        assert_int_equal(ma_job_list_at(all, i)->job_id, (int64_t)i);
        assert_string_equal(ma_job_list_at(all, i)->job_name, "p-0");
        ma_job_list_free(pages[i]);
    }
    ma_job_list_free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(job_list_push_and_store_strings_survive_growth),
        cmocka_unit_test(job_list_append_moves_jobs_and_keeps_string_pointers),
        cmocka_unit_test(job_list_append_out_of_memory_leaves_both_lists_intact),
        cmocka_unit_test(job_list_append_page_after_page_grows_geometrically),
    };
    return cmocka_run_group_tests(tests, unit_global_setup, unit_global_teardown);
}
