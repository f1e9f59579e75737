/*
 * Blocks are plain malloc blocks, without a header: the fake server frees
 * what json_dumps() returned with free(), and libmicrohttpd frees response
 * bodies the same way, so every block must stay valid for libc's free().
 * Blocks allocated on the test thread are instead remembered in a set of
 * addresses; any thread may free them (the set has a lock), and the set's
 * size is the leak count.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>

#include "torture_alloc.h"

#define BUCKETS 4096

typedef struct tracked {
    void *ptr;
    struct tracked *next;
} tracked;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static tracked *buckets[BUCKETS];
static size_t live;

static pthread_t test_thread;
static int installed;
/* Touched on the test thread only. */
static int counting;
static size_t attempts;
static size_t fail_at;
static size_t trap_at;

static int on_test_thread(void)
{
    return installed && pthread_equal(pthread_self(), test_thread);
}

static int should_fail(void)
{
    /* The thread first: the other threads never read what only the test thread writes. */
    if (!on_test_thread() || !counting)
        return 0;
    attempts++;
    if (fail_at == 0 || attempts != fail_at)
        return 0;
    /* TORTURE_ALLOC_TRAP=<n> under a debugger: stop where allocation n fails, to see who made it. */
    if (trap_at == fail_at)
        raise(SIGTRAP);
    return 1;
}

static size_t bucket_of(const void *ptr)
{
    return (size_t)(((uintptr_t)ptr >> 4) * UINT64_C(0x9E3779B97F4A7C15) >> 52) % BUCKETS;
}

/* With the lock held. */
static void remember(void *ptr)
{
    tracked *t = malloc(sizeof *t);
    if (!t) {
        fprintf(stderr, "torture_alloc: out of memory tracking a block\n");
        abort();
    }
    size_t b = bucket_of(ptr);
    t->ptr = ptr;
    t->next = buckets[b];
    buckets[b] = t;
    live++;
}

/* With the lock held; whether @p ptr was remembered. */
static int forget(void *ptr)
{
    for (tracked **p = &buckets[bucket_of(ptr)]; *p; p = &(*p)->next) {
        if ((*p)->ptr == ptr) {
            tracked *t = *p;
            *p = t->next;
            free(t);
            live--;
            return 1;
        }
    }
    return 0;
}

static void *t_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = malloc(size ? size : 1);
    if (p && on_test_thread()) {
        pthread_mutex_lock(&lock);
        remember(p);
        pthread_mutex_unlock(&lock);
    }
    return p;
}

static void t_free(void *ptr)
{
    if (!ptr)
        return;
    /* Freed under the lock, so the address cannot be handed out and remembered again before it is forgotten. */
    pthread_mutex_lock(&lock);
    forget(ptr);
    free(ptr);
    pthread_mutex_unlock(&lock);
}

static void *t_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    pthread_mutex_lock(&lock);
    int was_tracked = ptr && forget(ptr);
    void *p = realloc(ptr, size ? size : 1);
    if (p ? was_tracked || (!ptr && on_test_thread()) : was_tracked)
        remember(p ? p : ptr);
    pthread_mutex_unlock(&lock);
    return p;
}

static void *t_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = t_malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

static char *t_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *p = t_malloc(len);
    if (p)
        memcpy(p, s, len);
    return p;
}

static void *sdk_alloc(void *ctx, size_t size)
{
    (void)ctx;
    return t_malloc(size);
}

static void *sdk_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return t_realloc(ptr, size);
}

static void sdk_free(void *ctx, void *ptr)
{
    (void)ctx;
    t_free(ptr);
}

static const ma_allocator allocator = {sdk_alloc, sdk_realloc, sdk_free, NULL};

const ma_allocator *torture_allocator(void)
{
    return &allocator;
}

int torture_alloc_install(void)
{
    test_thread = pthread_self();
    const char *trap = getenv("TORTURE_ALLOC_TRAP");
    trap_at = trap ? strtoul(trap, NULL, 10) : 0;
    installed = 1;
    json_set_alloc_funcs(t_malloc, t_free);
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, t_malloc, t_free, t_realloc, t_strdup, t_calloc) == CURLE_OK ? 0
                                                                                                                  : -1;
}

void torture_alloc_uninstall(void)
{
    curl_global_cleanup();
}

void torture_alloc_fail_at(size_t n)
{
    attempts = 0;
    fail_at = n;
    counting = 1;
}

void torture_alloc_disarm(void)
{
    counting = 0;
}

size_t torture_alloc_attempts(void)
{
    return attempts;
}

int torture_alloc_failure_reached(void)
{
    return fail_at != 0 && attempts >= fail_at;
}

size_t torture_alloc_live(void)
{
    pthread_mutex_lock(&lock);
    size_t n = live;
    pthread_mutex_unlock(&lock);
    return n;
}
