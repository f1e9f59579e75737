#include <pthread.h>

#include <curl/curl.h>

#include "http/curl_observer.h"
#include "http/global.h"
#include "modelarts/ma_global.h"

ma__curl_global_init_fn ma__curl_global_init_hook;

/* A mutex, not just an atomic count: curl_global_init must finish before a second caller proceeds. */
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long global_refs;

ma_status ma_global_init(void)
{
    ma_status st = MA_OK;
    pthread_mutex_lock(&global_lock);
    CURLcode rc = CURLE_OK;
    if (global_refs == 0)
        rc = ma__curl_global_init_hook ? (CURLcode)ma__curl_global_init_hook(CURL_GLOBAL_DEFAULT)
                                       : curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc == CURLE_OK)
        global_refs++;
    else
        st = rc == CURLE_OUT_OF_MEMORY ? MA_ERR_NOMEM : MA_ERR_TRANSPORT;
    pthread_mutex_unlock(&global_lock);
    return st;
}

void ma_global_cleanup(void)
{
    pthread_mutex_lock(&global_lock);
    if (global_refs > 0 && --global_refs == 0)
        curl_global_cleanup();
    pthread_mutex_unlock(&global_lock);
}

int ma__global_is_initialized(void)
{
    pthread_mutex_lock(&global_lock);
    int initialized = global_refs > 0;
    pthread_mutex_unlock(&global_lock);
    return initialized;
}
