#define _POSIX_C_SOURCE 200809L

/* The fake ECS metadata service (see fake_metadata.h). */
#include "fake_metadata.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_GENERATIONS 4096
#define MAX_SESSIONS    64

struct fake_metadata {
    pthread_mutex_t lock;
    int64_t lifetime_ms;
    int no_session;
    int no_agency;
    int garbage;
    unsigned int generations;
    int64_t expires_ms[MAX_GENERATIONS];
    unsigned int sessions;
    unsigned int rejections;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

fake_metadata *fake_metadata_new(const fake_server_options *opts, int *failed)
{
    if (opts->metadata_key_lifetime_ms <= 0)
        return NULL;
    fake_metadata *md = calloc(1, sizeof *md);
    if (md == NULL) {
        *failed = 1;
        return NULL;
    }
    pthread_mutex_init(&md->lock, NULL);
    md->lifetime_ms = opts->metadata_key_lifetime_ms;
    md->no_session = opts->metadata_no_session;
    md->no_agency = opts->metadata_no_agency;
    md->garbage = opts->metadata_garbage;
    return md;
}

void fake_metadata_free(fake_metadata *md)
{
    if (md == NULL)
        return;
    pthread_mutex_destroy(&md->lock);
    free(md);
}

int fake_metadata_handles(const char *target)
{
    return strncmp(target, "/meta-data/", 11) == 0 || strncmp(target, "/openstack/", 11) == 0;
}

static char *text(const char *s, size_t *len)
{
    *len = strlen(s);
    return strdup(s);
}

void fake_metadata_answer(fake_metadata *md, const char *method, const char *target, const char *session,
                          unsigned int *status, char **body, size_t *body_len)
{
    pthread_mutex_lock(&md->lock);
    if (strcmp(target, "/meta-data/latest/api/token") == 0) {
        if (md->no_session) {
            *status = 404;
            *body = text("{\"error\": \"not found\"}", body_len);
        } else if (strcmp(method, "PUT") != 0) {
            *status = 405;
            *body = text("{\"error\": \"method not allowed\"}", body_len);
        } else {
            char token[64];
            snprintf(token, sizeof token, "session-%u", ++md->sessions);
            *status = 200;
            *body = text(token, body_len);
        }
    } else if (strcmp(target, "/openstack/latest/securitykey") == 0) {
        unsigned int n = 0;
        if (!md->no_session &&
            (session == NULL || sscanf(session, "session-%u", &n) != 1 || n == 0 || n > md->sessions)) {
            *status = 401;
            *body = text("{\"error\": \"the session token is missing or invalid\"}", body_len);
        } else if (md->no_agency) {
            *status = 401;
            *body = text("{\"error\": \"Please configure Cloud Service Agency first\"}", body_len);
        } else if (md->garbage) {
            *status = 200;
            *body = text("<html>not the metadata you are looking for</html>", body_len);
        } else if (md->generations == MAX_GENERATIONS) {
            *status = 500;
            *body = text("{\"error\": \"out of generations\"}", body_len);
        } else {
            unsigned int g = ++md->generations;
            int64_t expires = now_ms() + md->lifetime_ms;
            md->expires_ms[g - 1] = expires;
            time_t secs = (time_t)(expires / 1000);
            struct tm tm;
            gmtime_r(&secs, &tm);
            char when[64], json[512];
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
            snprintf(json, sizeof json,
                     "{\"credential\": {\"access\": \"MDAK%u\", \"secret\": \"mdsk-secret-%u\", \"securitytoken\": "
                     "\"mdst-%u\", \"expires_at\": \"%s.%06dZ\"}}",
                     g, g, g, when, (int)(expires % 1000) * 1000);
            *status = 200;
            *body = text(json, body_len);
        }
    } else {
        *status = 404;
        *body = text("{\"error\": \"no such metadata\"}", body_len);
    }
    pthread_mutex_unlock(&md->lock);
}

int fake_metadata_live_key(fake_metadata *md, const char *ak, char *sk, size_t sk_size, char *st, size_t st_size)
{
    unsigned int g = 0;
    char rest;
    if (ak == NULL || sscanf(ak, "MDAK%u%c", &g, &rest) != 1 || g == 0)
        return 0;
    pthread_mutex_lock(&md->lock);
    int live = g <= md->generations && now_ms() < md->expires_ms[g - 1];
    pthread_mutex_unlock(&md->lock);
    if (live) {
        snprintf(sk, sk_size, "mdsk-secret-%u", g);
        snprintf(st, st_size, "mdst-%u", g);
    }
    return live;
}

unsigned int fake_metadata_key_count(fake_metadata *md)
{
    pthread_mutex_lock(&md->lock);
    unsigned int n = md->generations;
    pthread_mutex_unlock(&md->lock);
    return n;
}

void fake_metadata_note_rejection(fake_metadata *md)
{
    pthread_mutex_lock(&md->lock);
    md->rejections++;
    pthread_mutex_unlock(&md->lock);
}

unsigned int fake_metadata_rejections(fake_metadata *md)
{
    pthread_mutex_lock(&md->lock);
    unsigned int n = md->rejections;
    pthread_mutex_unlock(&md->lock);
    return n;
}
