/* Finding clouds.yaml and secure.yaml, merging them and selecting a cloud. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/clouds.h"
#include "config/config_file.h"
#include "util/alloc.h"
#include "util/error.h"

void ma__note_add(char *note, size_t size, const char *fmt, ...)
{
    size_t used = strnlen(note, size);
    if (used + 1 >= size)
        return;
    if (used > 0) {
        int n = snprintf(note + used, size - used, "; ");
        used += n > 0 ? (size_t)n : 0;
        if (used + 1 >= size)
            return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note + used, size - used, fmt, ap);
    va_end(ap);
}

static const char *get(ma_env_lookup_fn lookup, void *ud, const char *name)
{
    const char *v = lookup(name, ud);
    return v && v[0] ? v : NULL;
}

static char *join(const ma_allocator *a, const char *dir, const char *sub, const char *file)
{
    size_t n = strlen(dir) + strlen(sub) + strlen(file) + 3;
    char *p = ma__malloc(a, n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, sub, file);
    return p;
}

void ma__candidates_free(const ma_allocator *a, ma__candidates *c)
{
    for (size_t i = 0; i < c->count; i++)
        ma__free(a, c->paths[i]);
    memset(c, 0, sizeof *c);
}

ma_status ma__clouds_candidates(const ma_allocator *a, ma_env_lookup_fn lookup, void *ud, const char *stem,
                                const char *override_var, ma__candidates *out, ma_error *err)
{
    memset(out, 0, sizeof *out);
    const char *override = get(lookup, ud, override_var);
    const char *xdg = get(lookup, ud, "XDG_CONFIG_HOME");
    const char *home = get(lookup, ud, "HOME");
    static const char *const exts[] = {".yaml", ".yml", ".json"};
    if (override && !(out->paths[out->count++] = ma__strdup(a, override)))
        goto nomem;
    /* ./, the user's config directory (skipped when there is no home), /etc/openstack/. */
    for (int d = 0; d < 3; d++) {
        const char *dir = d == 0 ? "." : d == 1 ? (xdg ? xdg : home) : "/etc";
        const char *sub = d == 0 ? "/" : d == 1 ? (xdg ? "/openstack/" : "/.config/openstack/") : "/openstack/";
        if (!dir)
            continue;
        for (int e = 0; e < 3; e++) {
            char file[32];
            snprintf(file, sizeof file, "%s%s", stem, exts[e]);
            if (!(out->paths[out->count++] = join(a, dir, sub, file)))
                goto nomem;
        }
    }
    return MA_OK;
nomem:
    ma__candidates_free(a, out);
    return ma__error_set(err, MA_ERR_NOMEM, "out of memory listing the clouds.yaml locations");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The first existing file of @p c, read and parsed; *path NULL when none exists. */
static ma_status load_first(const ma_allocator *a, const ma__candidates *c, char **path, ma__cfg_node **tree,
                            int *exposed, ma_error *err)
{
    *path = NULL;
    *tree = NULL;
    *exposed = 0;
    for (size_t i = 0; i < c->count; i++) {
        ma__config_file f;
        int exists = 0;
        ma_status st = ma__config_file_read(a, c->paths[i], &f, &exists, err);
        if (st != MA_OK)
            return st;
        if (!exists)
            continue;
        if (ends_with(c->paths[i], ".json"))
            st = ma__cfg_parse_json(a, c->paths[i], f.data, f.len, tree, err);
        else
            st = ma__cfg_parse_yaml(a, c->paths[i], f.data, f.len, tree, err);
        *exposed = f.exposed;
        ma__config_file_free(a, &f);
        if (st != MA_OK)
            return st;
        if (!(*path = ma__strdup(a, c->paths[i]))) {
            ma__cfg_tree_free(a, *tree);
            *tree = NULL;
            return ma__error_set(err, MA_ERR_NOMEM, "out of memory");
        }
        return MA_OK;
    }
    return MA_OK;
}

void ma__cloud_clear(const ma_allocator *a, ma__cloud *c)
{
    ma__free(a, c->clouds_path);
    ma__free(a, c->secure_path);
    ma__free(a, c->name);
    ma__free(a, c->label);
    ma__cfg_tree_free(a, c->clouds_tree);
    ma__cfg_tree_free(a, c->secure_tree);
    memset(c, 0, sizeof *c);
}

const char *ma__cloud_get(const ma__cloud *c, int in_auth, const char *key)
{
    const ma__cfg_node *sources[2] = {c->secure_cloud, c->main_cloud};
    for (int i = 0; i < 2; i++) {
        const ma__cfg_node *n = sources[i];
        if (in_auth)
            n = ma__cfg_get(n, "auth");
        const char *v = ma__cfg_string(n, key);
        if (v)
            return v;
    }
    return NULL;
}

/* "a, b, c" of the cloud names in @p clouds, truncated to fit. */
static void list_names(const ma__cfg_node *clouds, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < clouds->count && used + 1 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", clouds->children[i].key);
        used += n > 0 ? (size_t)n : 0;
    }
}

ma_status ma__clouds_load(const ma_allocator *a, ma_env_lookup_fn lookup, void *ud, const char *os_cloud,
                          const char *os_cloud_from, ma__cloud *out, char *note, size_t note_size, ma_error *err)
{
    memset(out, 0, sizeof *out);
    ma__candidates cands;
    ma_status st = ma__clouds_candidates(a, lookup, ud, "clouds", "OS_CLIENT_CONFIG_FILE", &cands, err);
    if (st != MA_OK)
        return st;
    st = load_first(a, &cands, &out->clouds_path, &out->clouds_tree, &out->clouds_exposed, err);
    ma__candidates_free(a, &cands);
    if (st != MA_OK)
        goto fail;
    if (!out->clouds_path) {
        if (os_cloud) {
            st = ma__error_set(err, MA_ERR_INVALID_ARG,
                               "%s=%s, but no clouds.yaml, clouds.yml or clouds.json was found (OS_CLIENT_CONFIG_FILE, "
                               "./, ~/.config/openstack/, /etc/openstack/)",
                               os_cloud_from, os_cloud);
            goto fail;
        }
        ma__note_add(note, note_size,
                     "clouds.yaml: none found (OS_CLIENT_CONFIG_FILE, ./, ~/.config/openstack/, "
                     "/etc/openstack/)");
        return MA_OK;
    }
    const ma__cfg_node *clouds = ma__cfg_get(out->clouds_tree, "clouds");
    if (!clouds || clouds->kind != MA__CFG_MAP) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: has no \"clouds\" mapping", out->clouds_path);
        goto fail;
    }
    const char *name = os_cloud;
    if (!name) {
        if (clouds->count != 1) {
            char names[200];
            list_names(clouds, names, sizeof names);
            ma__note_add(note, note_size, "%s: %zu clouds (%s) and OS_CLOUD is not set", out->clouds_path,
                         clouds->count, clouds->count ? names : "none");
            return MA_OK;
        }
        name = clouds->children[0].key;
    }
    out->main_cloud = ma__cfg_get(clouds, name);
    if (!out->main_cloud) {
        char names[200];
        list_names(clouds, names, sizeof names);
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: no cloud named \"%s\" (from %s); the file has: %s",
                           out->clouds_path, name, os_cloud_from, clouds->count ? names : "no clouds");
        goto fail;
    }
    if (out->main_cloud->kind != MA__CFG_MAP) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: cloud \"%s\" is not a mapping", out->clouds_path, name);
        goto fail;
    }
    if (!(out->name = ma__strdup(a, name)))
        goto nomem;
    if ((st = ma__clouds_candidates(a, lookup, ud, "secure", "OS_CLIENT_SECURE_FILE", &cands, err)) != MA_OK)
        goto fail;
    st = load_first(a, &cands, &out->secure_path, &out->secure_tree, &out->secure_exposed, err);
    ma__candidates_free(a, &cands);
    if (st != MA_OK)
        goto fail;
    if (out->secure_tree) {
        const ma__cfg_node *sc = ma__cfg_get(ma__cfg_get(out->secure_tree, "clouds"), name);
        out->secure_cloud = sc && sc->kind == MA__CFG_MAP ? sc : NULL;
    }
    size_t n = strlen(out->clouds_path) + strlen(name) + 16;
    if (!(out->label = ma__malloc(a, n)))
        goto nomem;
    snprintf(out->label, n, "%s (cloud %s)", out->clouds_path, name);
    out->found = 1;
    return MA_OK;
nomem:
    st = ma__error_set(err, MA_ERR_NOMEM, "out of memory reading clouds.yaml");
fail:
    ma__cloud_clear(a, out);
    return st;
}
