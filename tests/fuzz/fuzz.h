/*
 * What every harness shares: the libFuzzer entry point (the replay driver
 * calls it too) and a reader that takes the input apart into the numbers and
 * NUL-separated strings a harness builds its case from.
 */
#ifndef MA_FUZZ_FUZZ_H
#define MA_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A harness found a broken invariant: say which, then abort so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                        \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                            \
            fputc('\n', stderr);                                                     \
            abort();                                                                 \
        }                                                                            \
    } while (0)

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
} fuzz_input;

/* The next byte, 0 once the input is used up. */
static inline uint8_t fuzz_byte(fuzz_input *in)
{
    if (in->size == 0)
        return 0;
    uint8_t b = *in->data++;
    in->size--;
    return b;
}

/* The next @p n bytes (at most 8) as a big-endian number; missing bytes are 0. */
static inline uint64_t fuzz_number(fuzz_input *in, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | fuzz_byte(in);
    return v;
}

/*
 * The bytes up to the next NUL (which is consumed) or the end of the input.
 * Returns a NUL-terminated copy the caller frees, and its length in *len.
 */
static inline char *fuzz_string(fuzz_input *in, size_t *len)
{
    size_t n = 0;
    while (n < in->size && in->data[n] != 0)
        n++;
    char *s = malloc(n + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < n; i++)
        s[i] = (char)in->data[i];
    s[n] = '\0';
    in->data += n;
    in->size -= n;
    if (in->size > 0) {
        in->data++;
        in->size--;
    }
    if (len)
        *len = n;
    return s;
}

#endif
