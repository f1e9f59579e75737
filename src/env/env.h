/* The environment settings object, visible to the library and its tests. */
#ifndef MA_ENV_ENV_H
#define MA_ENV_ENV_H

#include "modelarts/ma_config.h"
#include "modelarts/ma_env.h"

/* Most warnings kept (further ones are dropped). */
#define MA__ENV_MAX_WARNINGS 4

struct ma_env_settings {
    ma_allocator alloc;
    ma_env_method method;
    ma_credentials *credentials;        /* NULL when the caller's were kept */
    char *endpoint;                     /* NULL when the caller's was kept */
    char *project_id;                   /* NULL when the caller's was kept or it is to be discovered */
    char *region;                       /* the region used, or NULL */
    char *source[MA_CONFIG_ITEM_COUNT]; /* where each item came from (ma_env_settings_source) */
    char *warnings[MA__ENV_MAX_WARNINGS];
    size_t warning_count;
};

/* True when any credential variable is set (MODELARTS_TOKEN, either AK/SK naming, OS_USERNAME, OS_PASSWORD). */
int ma__env_credentials_started(ma_env_lookup_fn lookup, void *user_data);

/* Copies an OS_AUTH_URL-style URL without trailing slashes and a final "/v3"; NULL when out of memory. */
char *ma__env_iam_endpoint_of(const ma_allocator *a, const char *url);

/* Replaces the source of @p item with a copy of @p text. MA_OK or MA_ERR_NOMEM. */
ma_status ma__env_settings_set_source(ma_env_settings *s, ma_config_item item, const char *text, ma_error *err);

/* Adds a warning (a copy of @p text); MA_OK or MA_ERR_NOMEM. */
ma_status ma__env_settings_add_warning(ma_env_settings *s, const char *text, ma_error *err);

#endif
