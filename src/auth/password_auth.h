/*
 * IAM password login as an authenticator: it logs in through the engine
 * (POST {iam}/v3/auth/tokens, skip_auth), caches the token until shortly
 * before it expires and renews it once when a call comes back 401.
 *
 * Project id discovery: a client created without a project id (allowed only
 * with password credentials that name a project) gets it from
 * ma__runtime_resolve_project_id() (engine/project.c), which list_call.c calls before it builds
 * the first path: the credentials' project id, else the token's
 * token.project.id, else GET {iam}/v3/projects?name=..., once, then cached in
 * ma__runtime_of(client)->project_id.
 */
#ifndef MA_AUTH_PASSWORD_AUTH_H
#define MA_AUTH_PASSWORD_AUTH_H

#include "auth/auth.h"

/* Copied ma_password_login fields, on the credentials' allocator; NULL for absent ones. */
typedef struct ma__password_login_copy {
    char *iam_endpoint;
    char *user_name;
    char *password; /* secret */
    char *domain_name;
    char *project_name;
    char *project_id;
} ma__password_login_copy;

/* Wipes the password, frees every field and @p login itself. NULL is a no-op. */
void ma__password_login_copy_free(const ma_allocator *alloc, ma__password_login_copy *login);

/* Whether a client built from @p credentials may start without a project id (it can discover it). */
int ma__credentials_can_discover_project(const ma_credentials *credentials);

/* The client's authenticator for @p login (copied onto @p alloc). */
ma_status ma__password_auth_new(const ma_allocator *alloc, const ma__password_login_copy *login, ma__auth **out,
                                ma_error *err);

#endif
