/* The environment settings object, visible to the library and its tests. */
#ifndef MA_ENV_ENV_H
#define MA_ENV_ENV_H

#include "modelarts/ma_env.h"

struct ma_env_settings {
    ma_allocator alloc;
    ma_env_method method;
    ma_credentials *credentials; /* NULL when the caller's were kept */
    char *endpoint;              /* NULL when the caller's was kept */
    char *project_id;            /* NULL when the caller's was kept or it is to be discovered */
};

#endif
