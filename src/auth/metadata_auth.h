/*
 * ECS/CCE agency credentials as an authenticator (metadata_auth.c): keys
 * fetched from the metadata service before the first call and again before
 * they expire (40 minutes ahead, or at half their life when they live
 * shorter), also in the middle of a walk; refetched once on a 401.
 */
#ifndef MA_AUTH_METADATA_AUTH_H
#define MA_AUTH_METADATA_AUTH_H

#include "auth/auth.h"

/* Default base URL of the metadata service. */
#define MA__METADATA_DEFAULT_ENDPOINT "http://169.254.169.254"

ma_status ma__metadata_auth_new(const ma_allocator *alloc, const char *endpoint, const char *project_id, ma__auth **out,
                                ma_error *err);

#endif
