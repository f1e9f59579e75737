#include <string.h>

#include "engine/auth_slot.h"

/*
 * Secrets of at least this many bytes are masked wherever their bytes occur:
 * such a run of exactly the secret's bytes is the secret, whatever surrounds
 * it (servers glue echoes to other text). A cut-off start of a secret is
 * masked from this length on, too; a shorter piece is too likely to be
 * ordinary text.
 */
#define REDACT_LONG_MIN 8

/* Bytes that can continue a word, so that a match next to one is only part of a longer word. */
static int is_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~' || c == '+' || c == '/';
}

static int starts_word(const char *text, size_t i)
{
    return i == 0 || !is_word_byte(text[i - 1]);
}

/* Dots right after a match end a sentence ("token a." or "token a...") rather than continue the word. */
static int ends_word(const char *after)
{
    while (*after == '.')
        after++;
    return *after == '\0' || !is_word_byte(*after);
}

void ma__redact_secret(char *text, const char *secret, size_t secret_len)
{
    if (!secret_len)
        return;
    int is_long = secret_len >= REDACT_LONG_MIN;
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        size_t m = 0;
        while (m < secret_len && i + m < len && text[i + m] == secret[m])
            m++;
        if (m == 0)
            continue;
        const char *after = text + i + m;
        int mask;
        if (m == secret_len)
            mask = is_long || (starts_word(text, i) && ends_word(after));
        else
            mask = is_long && m >= REDACT_LONG_MIN && (*after == '\0' || strcmp(after, "...") == 0);
        if (mask) {
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
