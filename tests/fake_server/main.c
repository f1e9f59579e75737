/*
 * ma-fake-server: runs the fake ModelArts training-job service until
 * SIGINT or SIGTERM.
 */
#define _POSIX_C_SOURCE 200809L

#include "fake_fault.h"
#include "fake_server.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop = 0;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *out)
{
    fputs("usage: ma-fake-server [--port N] [--seed N] [--jobs N] [--token T]\n"
          "                      [--project-id P] [--port-file PATH] [--latency-ms N]\n"
          "                      [--ak A --sk S [--security-token T]]\n"
          "                      [--iam-user U --iam-password P --iam-domain D]\n"
          "                      [--project-name N] [--realistic] [--fault KIND ...] [--help]\n"
          "                      [--advancing-jobs [--advance-every N | --pace-ms N]]\n"
          "\n"
          "Serves GET /v1/{project_id}/training-jobs on 127.0.0.1 from a fake data set.\n"
          "  --port N          TCP port, 0 = pick a free one (default 0)\n"
          "  --seed N          data set seed (default 42)\n"
          "  --jobs N          number of jobs in the data set (default 240)\n"
          "  --token T         require X-Auth-Token: T (default: no check)\n"
          "  --project-id P    require this project id in the path (default: any)\n"
          "  --port-file PATH  write the bound port to PATH once listening\n"
          "  --latency-ms N    wait N ms before answering each request (default 0)\n"
          "  --cert-file F     with --key-file: speak HTTPS with this PEM certificate\n"
          "  --key-file F      PEM private key of --cert-file\n"
          "  --ak A, --sk S    require SDK-HMAC-SHA256 signatures with this AK/SK\n"
          "  --security-token T  with --sk: also require this signed X-Security-Token\n"
          "  --iam-user U      fake IAM on: password login of user U issues tokens\n"
          "  --iam-password P  the user's password (with --iam-user)\n"
          "  --iam-domain D    the user's domain (with --iam-user)\n"
          "  --project-name N  IAM project name (default eu-de)\n"
          "  --iam-project-id I  IAM project id (default: --project-id)\n"
          "  --token-lifetime-s N  lifetime of issued IAM tokens (default 86400)\n"
          "  --realistic       a data set that looks like real training jobs (demo, benchmarks)\n"
          "                    instead of the awkward one the tests use\n"
          "  --advancing-jobs  add jobs named wait-* whose status advances (running to\n"
          "                    completed, failed, stopped or cancelled; one never ends;\n"
          "                    one is deleted; two share the name wait-twin)\n"
          "  --advance-every N one step per N listings of a job (default 1)\n"
          "  --pace-ms N       one step per N ms since the start instead\n"
          "  --help            show this text\n",
          out);
    fputs(FAKE_FAULT_FLAGS_HELP, out);
    fputs("Runs until SIGINT or SIGTERM.\n", out);
}

/* Parses a decimal unsigned number of digits only, at most @p max. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (s == NULL || *s == '\0') {
        return -1;
    }
    uint64_t v = 0;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9') {
            return -1;
        }
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (max - d) / 10) {
            return -1;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int write_port_file(const char *path, uint16_t port)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 32);
    if (tmp == NULL) {
        return -1;
    }
    snprintf(tmp, len + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        free(tmp);
        return -1;
    }
    int ok = fprintf(f, "%u\n", (unsigned int)port) > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

typedef struct cli {
    fake_server_options opts;
    const char *port_file;
    int help;
    char *cert_pem; /* read from --cert-file / --key-file */
    char *key_pem;
} cli;

/* The whole file, NUL-terminated, or NULL (message printed). */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    long len = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)len + 1)) != NULL && fread(data, 1, (size_t)len, f) == (size_t)len) {
        data[len] = '\0';
    } else {
        fprintf(stderr, "ma-fake-server: cannot read %s\n", path);
        free(data);
        data = NULL;
    }
    if (f)
        fclose(f);
    return data;
}

/* Returns 0 or -1 (message already printed). */
/* Flags whose value is stored as given in a string field of the options. */
static const struct {
    const char *flag;
    size_t offset;
} STRING_FLAGS[] = {
    {"--token", offsetof(fake_server_options, token)},
    {"--project-id", offsetof(fake_server_options, project_id)},
    {"--ak", offsetof(fake_server_options, ak)},
    {"--sk", offsetof(fake_server_options, sk)},
    {"--security-token", offsetof(fake_server_options, security_token)},
    {"--iam-user", offsetof(fake_server_options, iam_user)},
    {"--iam-password", offsetof(fake_server_options, iam_password)},
    {"--iam-domain", offsetof(fake_server_options, iam_domain)},
    {"--project-name", offsetof(fake_server_options, iam_project_name)},
    {"--iam-project-id", offsetof(fake_server_options, iam_project_id)},
};

static const char **string_flag(fake_server_options *opts, const char *flag)
{
    for (size_t k = 0; k < sizeof STRING_FLAGS / sizeof STRING_FLAGS[0]; k++) {
        if (strcmp(flag, STRING_FLAGS[k].flag) == 0)
            return (const char **)(void *)((char *)opts + STRING_FLAGS[k].offset);
    }
    return NULL;
}

/* The advancing-jobs flags that take a number; NULL when @p flag is none of them. */
static unsigned int *progress_flag(fake_server_options *opts, const char *flag)
{
    if (strcmp(flag, "--advance-every") == 0)
        return &opts->advance_every;
    if (strcmp(flag, "--pace-ms") == 0)
        return &opts->advance_pace_ms;
    return NULL;
}

static int parse_args(int argc, char **argv, cli *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            c->help = 1;
            continue;
        }
        if (strcmp(a, "--realistic") == 0) {
            c->opts.realistic = 1;
            continue;
        }
        if (strcmp(a, "--advancing-jobs") == 0) {
            c->opts.advancing_jobs = 1;
            continue;
        }
        int fault = fake_faults_flag(&c->opts.faults, a, i + 1 < argc ? argv[i + 1] : NULL);
        if (fault != 1) {
            if (fault < 0) {
                fprintf(stderr, "ma-fake-server: %s needs a valid value (see --help)\n", a);
                return -1;
            }
            i += fault == 0; /* 2: a switch, no value taken */
            continue;
        }
        static const char *const WITH_VALUE[] = {"--port",
                                                 "--seed",
                                                 "--jobs",
                                                 "--port-file",
                                                 "--latency-ms",
                                                 "--cert-file",
                                                 "--key-file",
                                                 "--token-lifetime-s",
                                                 "--metadata-key-lifetime-ms"};
        const char **field = string_flag(&c->opts, a);
        unsigned int *number = progress_flag(&c->opts, a);
        int known = field != NULL || number != NULL;
        for (size_t k = 0; k < sizeof WITH_VALUE / sizeof WITH_VALUE[0]; k++) {
            if (strcmp(a, WITH_VALUE[k]) == 0) {
                known = 1;
            }
        }
        if (!known) {
            fprintf(stderr, "ma-fake-server: unknown argument '%s'\n", a);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "ma-fake-server: %s needs a value\n", a);
            return -1;
        }
        const char *v = argv[++i];
        uint64_t n = 0;
        if (field != NULL) {
            *field = v;
        } else if (number != NULL) {
            if (parse_u64(v, 1000000u, &n) != 0) {
                fprintf(stderr, "ma-fake-server: %s must be an integer in [0, 1000000]\n", a);
                return -1;
            }
            *number = (unsigned int)n;
        } else if (strcmp(a, "--port") == 0) {
            if (parse_u64(v, UINT16_MAX, &n) != 0) {
                fprintf(stderr, "ma-fake-server: --port must be an integer in [0, 65535]\n");
                return -1;
            }
            c->opts.port = (uint16_t)n;
        } else if (strcmp(a, "--seed") == 0) {
            if (parse_u64(v, UINT64_MAX, &n) != 0) {
                fprintf(stderr, "ma-fake-server: --seed must be an unsigned 64-bit integer\n");
                return -1;
            }
            c->opts.seed = n;
        } else if (strcmp(a, "--jobs") == 0) {
            if (parse_u64(v, 1000000u, &n) != 0) {
                fprintf(stderr, "ma-fake-server: --jobs must be an integer in [0, 1000000]\n");
                return -1;
            }
            c->opts.job_count = (size_t)n;
        } else if (strcmp(a, "--latency-ms") == 0) {
            if (parse_u64(v, 600000u, &n) != 0) {
                fprintf(stderr, "ma-fake-server: --latency-ms must be an integer in [0, 600000]\n");
                return -1;
            }
            c->opts.latency_ms = (unsigned int)n;
        } else if (strcmp(a, "--metadata-key-lifetime-ms") == 0) {
            if (parse_u64(v, 10u * 365 * 24 * 3600 * 1000ull, &n) != 0 || n == 0) {
                fprintf(stderr, "ma-fake-server: --metadata-key-lifetime-ms must be a positive integer\n");
                return -1;
            }
            c->opts.metadata_key_lifetime_ms = (int64_t)n;
        } else if (strcmp(a, "--token-lifetime-s") == 0) {
            if (parse_u64(v, 10u * 365 * 24 * 3600, &n) != 0 || n == 0) {
                fprintf(stderr, "ma-fake-server: --token-lifetime-s must be an integer in [1, 315360000]\n");
                return -1;
            }
            c->opts.iam_token_lifetime_s = (int64_t)n;
        } else if (strcmp(a, "--cert-file") == 0 || strcmp(a, "--key-file") == 0) {
            char **dst = a[2] == 'c' ? &c->cert_pem : &c->key_pem;
            free(*dst);
            if (!(*dst = read_pem(v)))
                return -1;
            if (a[2] == 'c')
                c->opts.cert_pem = *dst;
            else
                c->opts.key_pem = *dst;
        } else {
            c->port_file = v;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    fake_server_options_init(&c.opts);
    if (parse_args(argc, argv, &c) != 0 || (c.cert_pem != NULL) != (c.key_pem != NULL) ||
        (c.opts.ak != NULL) != (c.opts.sk != NULL) || (c.opts.security_token != NULL && c.opts.sk == NULL)) {
        usage(stderr);
        free(c.cert_pem);
        free(c.key_pem);
        return 2;
    }
    if (c.help) {
        usage(stdout);
        return 0;
    }

    /* Block the stop signals before any thread exists, so that only the
     * main thread takes them, inside sigsuspend. */
    sigset_t stop_set;
    sigset_t old_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stop_set, &old_set) != 0) {
        perror("ma-fake-server: sigprocmask");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, NULL);

    fake_server *srv = NULL;
    if (fake_server_start(&c.opts, &srv) != 0) {
        fprintf(stderr, "ma-fake-server: cannot start the server on 127.0.0.1:%u\n", (unsigned int)c.opts.port);
        return 1;
    }
    if (c.port_file != NULL && write_port_file(c.port_file, fake_server_port(srv)) != 0) {
        fprintf(stderr, "ma-fake-server: cannot write port file %s: %s\n", c.port_file, strerror(errno));
        fake_server_stop(srv);
        return 1;
    }
    printf("ma-fake-server listening on %s\n", fake_server_url(srv));
    fflush(stdout);

    sigset_t wait_set = old_set;
    sigdelset(&wait_set, SIGINT);
    sigdelset(&wait_set, SIGTERM);
    while (!g_stop) {
        sigsuspend(&wait_set);
    }
    fake_server_stop(srv);
    free(c.cert_pem);
    free(c.key_pem);
    return 0;
}
