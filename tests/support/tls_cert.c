#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tls_cert.h"

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = p;
        }
        size_t n = fread(data + len, 1, 4096, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    data[len] = '\0';
    return data;
}

int tls_cert_make(tls_cert *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->dir, sizeof out->dir, "/tmp/ma-tls-XXXXXX");
    if (!mkdtemp(out->dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(out->cert_path, sizeof out->cert_path, "%s/cert.pem", out->dir);
    char key_path[128];
    snprintf(key_path, sizeof key_path, "%s/key.pem", out->dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
             "-subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 "
             "-keyout %s -out %s >/dev/null 2>&1",
             key_path, out->cert_path);
    if (system(cmd) != 0) {
        fprintf(stderr, "tls_cert_make: '%s' failed (is the openssl tool installed?)\n", cmd);
        tls_cert_free(out);
        return -1;
    }
    out->cert_pem = read_all(out->cert_path);
    out->key_pem = read_all(key_path);
    if (!out->cert_pem || !out->key_pem) {
        fprintf(stderr, "tls_cert_make: cannot read the generated files\n");
        tls_cert_free(out);
        return -1;
    }
    return 0;
}

void tls_cert_free(tls_cert *c)
{
    free(c->cert_pem);
    free(c->key_pem);
    c->cert_pem = NULL;
    c->key_pem = NULL;
    if (c->dir[0]) {
        char path[160];
        snprintf(path, sizeof path, "%s/key.pem", c->dir);
        unlink(path);
        unlink(c->cert_path);
        rmdir(c->dir);
        c->dir[0] = '\0';
    }
}
