/*
 * IAM (Keystone v3) bodies for the password login: the login request written
 * with jansson, and the token and project-list responses read with it. The
 * secrets never pass through here: the token travels in a response header.
 */
#ifndef MA_JSON_IAM_H
#define MA_JSON_IAM_H

#include <stddef.h>
#include <stdint.h>

#include "modelarts/ma_error.h"
#include "util/buf.h"

/* What goes into the login body. project_id, when set, scopes the token instead of project_name. */
typedef struct ma__iam_login_fields {
    const char *user_name;
    const char *password;
    const char *domain_name;
    const char *project_name; /* may be NULL */
    const char *project_id;   /* may be NULL */
} ma__iam_login_fields;

/*
 * Appends the password-method, project-scoped login body to @p out (which
 * should be a secret buffer). jansson's own copy of the password is wiped
 * before it is released. MA_OK, MA_ERR_NOMEM or MA_ERR_INVALID_ARG (not UTF-8).
 */
ma_status ma__iam_login_body(const ma__iam_login_fields *f, ma__buf *out, ma_error *err);

/*
 * Reads token.expires_at (as milliseconds since the epoch) and token.project.id
 * (copied into @p project_id, "" when absent or unusable) from a login response.
 * MA_OK, or MA_ERR_PROTOCOL when the body or expires_at cannot be read.
 */
ma_status ma__iam_token_body_parse(const char *body, size_t len, int64_t *expires_at_ms, char *project_id,
                                   size_t project_id_size, ma_error *err);

/*
 * Counts the projects named exactly @p name in a GET /v3/projects body and
 * copies the id of the first into @p id. MA_OK or MA_ERR_PROTOCOL.
 */
ma_status ma__iam_projects_parse(const char *body, size_t len, const char *name, size_t *matches, char *id,
                                 size_t id_size, ma_error *err);

/* "2015-11-09T01:42:57.527363Z" (fraction optional, 'Z' required) to epoch ms; 0 or -1 (malformed). */
int ma__iso8601_utc_to_ms(const char *text, int64_t *out_ms);

#endif
