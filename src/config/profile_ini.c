/*
 * The Huawei Cloud profile file (~/.huaweicloud/credentials), parsed by inih.
 *
 * Debian's inih reads lines of at most 199 bytes, and a security token is
 * several KiB. The reader below therefore hands inih a long line as
 * "key=<marker>" and keeps the value's place in the text; the handler takes the
 * value from there. Sections, comments and syntax stay inih's business.
 */
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "config/config_file.h"
#include "util/alloc.h"
#include "util/error.h"

#define LONG_MARKER   '\x01'
#define MAX_LONG_VALS 16

typedef struct long_value {
    const char *start;
    size_t len;
} long_value;

typedef struct ini_ctx {
    const ma_allocator *a;
    const char *p, *end;
    long_value longs[MAX_LONG_VALS];
    size_t nlong;
    int line;
    int too_long_line; /* the first line that could not be handed over, or 0 */
    int nomem;
    ma__profile *out;
} ini_ctx;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *read_line(char *str, int num, void *stream)
{
    ini_ctx *c = stream;
    if (c->p >= c->end || num < 32)
        return NULL;
    c->line++;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    size_t len = nl ? (size_t)(nl - c->p) + 1 : (size_t)(c->end - c->p);
    const char *line = c->p;
    c->p += len;
    if (len < (size_t)num) {
        memcpy(str, line, len);
        str[len] = '\0';
        return str;
    }
    const char *eq = NULL;
    for (const char *q = line; q < line + len; q++)
        if (*q == '=' || *q == ':') {
            eq = q;
            break;
        }
    size_t klen = eq ? (size_t)(eq - line) : 0;
    if (!eq || klen + 8 >= (size_t)num || c->nlong == MAX_LONG_VALS) {
        /* A line inih reports as an error, so the parse fails at this line. */
        if (!c->too_long_line)
            c->too_long_line = c->line;
        snprintf(str, (size_t)num, "!\n");
        return str;
    }
    const char *v = eq + 1, *vend = line + len;
    while (v < vend && is_space(*v))
        v++;
    while (vend > v && is_space(vend[-1]))
        vend--;
    c->longs[c->nlong].start = v;
    c->longs[c->nlong].len = (size_t)(vend - v);
    memcpy(str, line, klen);
    snprintf(str + klen, (size_t)num - klen, "=%c%zu\n", LONG_MARKER, c->nlong);
    c->nlong++;
    return str;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    ini_ctx *c = user;
    if (strcmp(section, "basic") != 0)
        return 1;
    c->out->has_basic = 1;
    char **slot = strcmp(name, "ak") == 0               ? &c->out->ak
                  : strcmp(name, "sk") == 0             ? &c->out->sk
                  : strcmp(name, "security_token") == 0 ? &c->out->security_token
                  : strcmp(name, "project_id") == 0     ? &c->out->project_id
                  : strcmp(name, "iam_endpoint") == 0   ? &c->out->iam_endpoint
                                                        : NULL;
    if (!slot)
        return 1;
    const char *v = value;
    size_t len = strlen(value);
    if (value[0] == LONG_MARKER) {
        size_t i = 0;
        if (sscanf(value + 1, "%zu", &i) != 1 || i >= c->nlong)
            return 0;
        v = c->longs[i].start;
        len = c->longs[i].len;
    }
    ma__free_secret(c->a, *slot);
    *slot = len ? ma__strndup(c->a, v, len) : NULL;
    if (len && !*slot) {
        c->nomem = 1;
        return 0;
    }
    return 1;
}

void ma__profile_clear(const ma_allocator *a, ma__profile *p)
{
    ma__free(a, p->ak);
    ma__free_secret(a, p->sk);
    ma__free_secret(a, p->security_token);
    ma__free(a, p->project_id);
    ma__free(a, p->iam_endpoint);
    memset(p, 0, sizeof *p);
}

ma_status ma__profile_parse(const ma_allocator *a, const char *what, const char *text, size_t len, ma__profile *out,
                            ma_error *err)
{
    memset(out, 0, sizeof *out);
    ini_ctx c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.p = text;
    c.end = text + len;
    c.out = out;
    if (memchr(text, '\0', len)) {
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: holds a NUL byte (not a text file)", what);
    }
    int r = ini_parse_stream(read_line, &c, on_value, &c);
    ma_status st = MA_OK;
    if (c.nomem)
        st = ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory", what);
    else if (c.too_long_line && (r == 0 || r >= c.too_long_line))
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: line %d is too long to be a key = value line", what,
                           c.too_long_line);
    else if (r > 0)
        st = ma__error_set(err, MA_ERR_INVALID_ARG,
                           "%s: not an INI file: line %d is neither a [section] nor a key = value line", what, r);
    else if (r < 0)
        st = ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory parsing it", what);
    if (st != MA_OK)
        ma__profile_clear(a, out);
    return st;
}
