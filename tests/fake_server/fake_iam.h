/*
 * The fake IAM (Keystone v3) of the fake server: password logins issue
 * tokens the list API accepts, and tests can revoke them.
 */
#ifndef MA_FAKE_IAM_H
#define MA_FAKE_IAM_H

#include <stddef.h>

#include "fake_server.h"

typedef struct fake_iam fake_iam;

/** NULL when @p opts do not enable IAM (no iam_user) or memory ran out (*failed set). */
fake_iam *fake_iam_new(const fake_server_options *opts, int *failed);
void fake_iam_free(fake_iam *iam);

/** Whether @p target is one of the IAM paths ("/v3/..."). */
int fake_iam_handles(const char *target);

typedef enum fake_iam_token_state {
    FAKE_IAM_TOKEN_UNKNOWN = 0, /* never issued */
    FAKE_IAM_TOKEN_VALID = 1,
    FAKE_IAM_TOKEN_STALE = 2 /* issued, but expired or revoked */
} fake_iam_token_state;

fake_iam_token_state fake_iam_check_token(fake_iam *iam, const char *token);

/** One IAM answer. body is malloc'd (NULL when out of memory). */
typedef struct fake_iam_reply {
    unsigned int status;
    char *body;
    size_t body_len;
    char subject_token[64]; /* X-Subject-Token, "" for none */
} fake_iam_reply;

void fake_iam_answer(fake_iam *iam, const char *method, const char *target, const char *content_type,
                     const char *auth_token, const char *body, size_t body_len, fake_iam_reply *out);

void fake_iam_revoke_all(fake_iam *iam);
void fake_iam_set_reject_tokens(fake_iam *iam, int reject);

#endif
