/*
 * clouds.yaml / secure.yaml as openstacksdk finds them: the first clouds file
 * found wins, secure.yaml is merged over it, OS_CLOUD (or an explicit name)
 * picks the cloud, a file with one cloud needs no pick.
 */
#ifndef MA_CONFIG_CLOUDS_H
#define MA_CONFIG_CLOUDS_H

#include <stddef.h>

#include "util/config_tree.h"
#include "util/error.h"
#include "modelarts/ma_env.h"

/* The places searched for one kind of file, in order; each path allocated. */
#define MA__CLOUDS_MAX_CANDIDATES 10
typedef struct ma__candidates {
    char *paths[MA__CLOUDS_MAX_CANDIDATES];
    size_t count;
} ma__candidates;

/*
 * The candidates for @p stem ("clouds" or "secure"): the file named by
 * @p override_var (when set), then ./, $XDG_CONFIG_HOME/openstack/ (default
 * ~/.config/openstack/) and /etc/openstack/, each with .yaml, .yml and .json.
 */
ma_status ma__clouds_candidates(const ma_allocator *a, ma_env_lookup_fn lookup, void *ud, const char *stem,
                                const char *override_var, ma__candidates *out, ma_error *err);
void ma__candidates_free(const ma_allocator *a, ma__candidates *c);

/* The selected cloud, with secure.yaml's entries over the clouds file's. */
typedef struct ma__cloud {
    int found;         /* 0: no cloud selected; why is in the note */
    char *clouds_path; /* the clouds file read, or NULL when none exists */
    char *secure_path; /* the secure file merged, or NULL */
    char *name;        /* the selected cloud */
    char *label;       /* "PATH (cloud NAME)", for messages and sources */
    int clouds_exposed, secure_exposed;
    ma__cfg_node *clouds_tree, *secure_tree;
    const ma__cfg_node *main_cloud, *secure_cloud; /* borrowed from the trees; secure_cloud may be NULL */
} ma__cloud;

/*
 * Finds, reads and parses the files and selects the cloud named @p os_cloud
 * (NULL: the only one). @p os_cloud_from names where the name came from
 * ("OS_CLOUD", "--os-cloud"). MA_OK with found = 0 and a reason appended to
 * @p note when no file exists or several clouds and no name; MA_ERR_INVALID_ARG
 * naming the file for a bad file, an unknown cloud name or a name without any
 * file; MA_ERR_NOMEM.
 */
ma_status ma__clouds_load(const ma_allocator *a, ma_env_lookup_fn lookup, void *ud, const char *os_cloud,
                          const char *os_cloud_from, ma__cloud *out, char *note, size_t note_size, ma_error *err);
void ma__cloud_clear(const ma_allocator *a, ma__cloud *c);

/* A string of the selected cloud at @p key, or at auth.@p key when @p in_auth: secure file first. */
const char *ma__cloud_get(const ma__cloud *c, int in_auth, const char *key);

/* Appends "; " (unless @p note is empty) and the formatted text to @p note, truncating. */
void ma__note_add(char *note, size_t size, const char *fmt, ...) MA__PRINTF(3, 4);

#endif
