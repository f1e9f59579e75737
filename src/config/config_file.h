/* Reading config files (bounded, regular files only) and the INI profile file. */
#ifndef MA_CONFIG_CONFIG_FILE_H
#define MA_CONFIG_CONFIG_FILE_H

#include <stddef.h>

#include "modelarts/ma_alloc.h"
#include "modelarts/ma_error.h"

typedef struct ma__config_file {
    char *data; /* NUL-terminated contents; may hold secrets, wiped on free */
    size_t len;
    int exposed; /* readable by group or others */
    unsigned int mode;
} ma__config_file;

/*
 * Reads @p path whole. A missing file (or a missing directory on the way) is
 * MA_OK with *exists = 0. A file that is not a regular file, cannot be read or
 * is larger than MA__CONFIG_FILE_MAX_BYTES is MA_ERR_INVALID_ARG naming it;
 * MA_ERR_NOMEM. Never blocks on a FIFO.
 */
ma_status ma__config_file_read(const ma_allocator *a, const char *path, ma__config_file *out, int *exists,
                               ma_error *err);
void ma__config_file_free(const ma_allocator *a, ma__config_file *f);

/* What the [basic] section of a Huawei Cloud profile file holds; every field NULL when absent. */
typedef struct ma__profile {
    int has_basic;
    char *ak, *sk, *security_token, *project_id, *iam_endpoint; /* sk and security_token are secrets */
} ma__profile;

/*
 * Parses a profile file's text (NUL-terminated, @p len bytes) with inih. A
 * syntax error is MA_ERR_INVALID_ARG naming @p what and the line; MA_ERR_NOMEM.
 */
ma_status ma__profile_parse(const ma_allocator *a, const char *what, const char *text, size_t len, ma__profile *out,
                            ma_error *err);
void ma__profile_clear(const ma_allocator *a, ma__profile *p);

#endif
