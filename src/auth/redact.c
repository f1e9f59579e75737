#include <string.h>

#include "auth/auth.h"

/* A shorter cut-off piece is too likely to be ordinary text. */
#define PARTIAL_MIN 8

void ma__redact_secret(char *text, const char *secret, size_t secret_len)
{
    if (!secret_len)
        return;
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        size_t m = 0;
        while (m < secret_len && i + m < len && text[i + m] == secret[m])
            m++;
        const char *after = text + i + m;
        int whole = m == secret_len;
        int cut_off = m >= PARTIAL_MIN && (*after == '\0' || strcmp(after, "...") == 0);
        if (whole || cut_off) {
            memset(text + i, '*', m);
            i += m - 1;
        }
    }
}

void ma__auth_redact_error(const ma__auth *auth, ma_error *err)
{
    if (!auth || !err)
        return;
    auth->vtable->redact(auth, err->message);
    auth->vtable->redact(auth, err->service_code);
    auth->vtable->redact(auth, err->request_id);
}
