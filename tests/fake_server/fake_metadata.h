/*
 * The fake ECS metadata service: session tokens and temporary keys that
 * expire. Key generation n is AK "MDAK<n>", SK "mdsk-secret-<n>", security
 * token "mdst-<n>"; every key request issues the next generation, valid for
 * metadata_key_lifetime_ms, and the list API accepts a generation only until
 * it expires.
 */
#ifndef MA_FAKE_METADATA_H
#define MA_FAKE_METADATA_H

#include <stddef.h>

#include "fake_server.h"

typedef struct fake_metadata fake_metadata;

/** NULL when @p opts do not enable it (metadata_key_lifetime_ms 0) or memory ran out (*failed set). */
fake_metadata *fake_metadata_new(const fake_server_options *opts, int *failed);
void fake_metadata_free(fake_metadata *md);

/** Whether @p target is a metadata path. */
int fake_metadata_handles(const char *target);

/** One answer; *body is malloc'd (NULL when out of memory). */
void fake_metadata_answer(fake_metadata *md, const char *method, const char *target, const char *session,
                          unsigned int *status, char **body, size_t *body_len);

/**
 * 1 when @p ak is a key the service issued and it has not expired; then its SK
 * and security token are written to @p sk and @p st.
 */
int fake_metadata_live_key(fake_metadata *md, const char *ak, char *sk, size_t sk_size, char *st, size_t st_size);

/** Counts a list request refused because its metadata key was unknown, expired or badly signed. */
void fake_metadata_note_rejection(fake_metadata *md);
unsigned int fake_metadata_rejections(fake_metadata *md);

/** Key requests answered with keys so far. */
unsigned int fake_metadata_key_count(fake_metadata *md);

#endif
