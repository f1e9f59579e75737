/* Reading the temporary keys the ECS/CCE metadata service hands an instance with an agency. */
#ifndef MA_JSON_METADATA_H
#define MA_JSON_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "modelarts/ma_alloc.h"
#include "modelarts/ma_error.h"

typedef struct ma__metadata_keys {
    char *access;         /* the AK */
    char *secret;         /* secret */
    char *security_token; /* secret */
    int64_t expires_at_ms;
} ma__metadata_keys;

/*
 * {"credential":{"access":..,"secret":..,"securitytoken":..,"expires_at":"2026-12-06T12:00:00.000000Z"}}
 * into @p out (copies on @p a). MA_OK, MA_ERR_PROTOCOL (naming the missing
 * field, never a value) or MA_ERR_NOMEM; nothing kept on failure.
 */
ma_status ma__metadata_keys_parse(const ma_allocator *a, const char *body, size_t len, ma__metadata_keys *out,
                                  ma_error *err);
void ma__metadata_keys_clear(const ma_allocator *a, ma__metadata_keys *k);

#endif
