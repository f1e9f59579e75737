/*
 * A throw-away self-signed certificate for HTTPS tests, made at test time
 * with the openssl command-line tool (SAN DNS:localhost, IP:127.0.0.1).
 * Nothing is committed; the files live in a temporary directory.
 */
#ifndef MA_TEST_TLS_CERT_H
#define MA_TEST_TLS_CERT_H

typedef struct tls_cert {
    char dir[64];
    char cert_path[128]; /* PEM certificate: pass as ca_file */
    char *cert_pem;      /* malloc'd contents of cert_path */
    char *key_pem;       /* malloc'd private key */
} tls_cert;

/* Returns 0, or -1 (the reason is printed). */
int tls_cert_make(tls_cert *out);
/* Frees the strings and removes the files. */
void tls_cert_free(tls_cert *c);

#endif
