/*
 * ma_client_options_from_config: the source order of ma_config.h. The
 * environment step is ma_client_options_from_env_lookup() itself; a file
 * source builds the credentials and lets the same code pick the project id
 * and endpoint, with the file's values behind the environment's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/clouds.h"
#include "config/config_file.h"
#include "env/env.h"
#include "util/alloc.h"
#include "util/error.h"

#define NOTE_SIZE 400

/* A variable the file answers when the environment does not, and how to name that answer. */
typedef struct chain_entry {
    const char *name;
    const char *value;
    const char *label; /* e.g. "region_name" */
    int from_file;     /* the environment lacked it */
} chain_entry;

typedef struct chain {
    ma_env_lookup_fn lookup;
    void *ud;
    chain_entry e[4];
    size_t n;
} chain;

static const char *getenv_lookup(const char *name, void *ud)
{
    (void)ud;
    return getenv(name);
}

static const char *get(ma_env_lookup_fn lookup, void *ud, const char *name)
{
    const char *v = lookup(name, ud);
    return v && v[0] ? v : NULL;
}

static const char *chain_lookup(const char *name, void *ud)
{
    chain *c = ud;
    const char *v = get(c->lookup, c->ud, name);
    if (v)
        return v;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].name, name) == 0 && c->e[i].value) {
            c->e[i].from_file = 1;
            return c->e[i].value;
        }
    return NULL;
}

static void chain_add(chain *c, const char *name, const char *value, const char *label)
{
    if (c->n < sizeof c->e / sizeof c->e[0] && value) {
        c->e[c->n].name = name;
        c->e[c->n].value = value;
        c->e[c->n].label = label;
        c->e[c->n].from_file = 0;
        c->n++;
    }
}

/* Puts "@p label: " in front of the message in @p err. */
static ma_status prefixed(ma_error *err, ma_status st, const char *label)
{
    if (!err || st == MA_ERR_NOMEM)
        return st;
    char inner[MA_ERROR_MESSAGE_SIZE];
    memcpy(inner, err->message, sizeof inner);
    inner[sizeof inner - 1] = '\0';
    return ma__error_set(err, st, "%s: %s", label, inner);
}

static ma_status warn_if_exposed(ma_env_settings *s, const char *path, int exposed, ma_error *err)
{
    if (!path || !exposed)
        return MA_OK;
    char text[MA_ERROR_MESSAGE_SIZE];
    snprintf(text, sizeof text, "%s holds secrets and is readable by group or others; run: chmod 600 %s", path, path);
    return ma__env_settings_add_warning(s, text, err);
}

typedef struct file_source {
    ma_credentials *credentials; /* taken over by the settings */
    ma_env_method method;
    const char *label;       /* "PATH (cloud NAME)" or "PATH [basic]" */
    const char *cred_keys;   /* e.g. "ak/sk" */
    const char *project_key; /* where the file keeps a project id */
    ma_cloud cloud;          /* the cloud a profile names, else unspecified */
    const char *exposed_path[2];
    int exposed[2];
} file_source;

/* Finishes a file source: project id, endpoint and region through the environment code. Frees the credentials. */
static ma_status finish(ma_client_options *options, const ma_config_options *co, chain *ch, file_source *fs,
                        ma_env_settings **out, ma_error *err)
{
    ma_client_options tmp = *options;
    tmp.credentials = fs->credentials;
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.region = co->region;
    eo.cloud = co->cloud != MA_CLOUD_UNSPECIFIED ? co->cloud : fs->cloud;
    ma_env_settings *s = NULL;
    ma_status st = ma_client_options_from_env_lookup(&tmp, &eo, chain_lookup, ch, &s, err);
    if (st != MA_OK) {
        ma_credentials_free(fs->credentials);
        /* "OS_REGION_NAME: ..." about a value the file gave names the file's key instead. */
        for (size_t i = 0; err && st != MA_ERR_NOMEM && i < ch->n; i++) {
            size_t n = strlen(ch->e[i].name);
            if (ch->e[i].from_file && strncmp(err->message, ch->e[i].name, n) == 0 && err->message[n] == ':') {
                char inner[MA_ERROR_MESSAGE_SIZE];
                snprintf(inner, sizeof inner, "%s", err->message + n);
                ma__error_set(err, st, "%s%s", ch->e[i].label, inner);
                break;
            }
        }
        return prefixed(err, st, fs->label);
    }
    s->credentials = fs->credentials;
    s->method = fs->method;
    if (!tmp.project_id && fs->method != MA_ENV_METHOD_PASSWORD)
        st = ma__error_set(err, MA_ERR_INVALID_ARG,
                           "%s: no project id: set %s there, or MODELARTS_PROJECT_ID; only password login can look it "
                           "up",
                           fs->label, fs->project_key);
    char text[MA_ERROR_MESSAGE_SIZE];
    if (st == MA_OK) {
        snprintf(text, sizeof text, "%s %s", fs->label, fs->cred_keys);
        st = ma__env_settings_set_source(s, MA_CONFIG_ITEM_CREDENTIALS, text, err);
    }
    /* A value the file gave is named by the file and key, not by the variable it stood in for. */
    for (int item = 0; st == MA_OK && item < MA_CONFIG_ITEM_COUNT; item++) {
        if (item == MA_CONFIG_ITEM_CREDENTIALS || !s->source[item])
            continue;
        for (size_t i = 0; i < ch->n && st == MA_OK; i++)
            if (ch->e[i].from_file && strcmp(s->source[item], ch->e[i].name) == 0) {
                snprintf(text, sizeof text, "%s %s", fs->label, ch->e[i].label);
                st = ma__env_settings_set_source(s, (ma_config_item)item, text, err);
            }
    }
    for (int i = 0; i < 2 && st == MA_OK; i++)
        st = warn_if_exposed(s, fs->exposed_path[i], fs->exposed[i], err);
    if (st != MA_OK) {
        ma_env_settings_free(s);
        return st;
    }
    *options = tmp;
    *out = s;
    return MA_OK;
}

/* ---- clouds.yaml ----------------------------------------------------------------------------- */

static const char *first_of(const ma__cloud *c, int in_auth, const char *k1, const char *k2, const char **key)
{
    const char *v = ma__cloud_get(c, in_auth, k1);
    *key = k1;
    if (!v && k2) {
        v = ma__cloud_get(c, in_auth, k2);
        *key = v ? k2 : k1;
    }
    return v;
}

static ma_status cloud_credentials(const ma_allocator *a, const ma__cloud *c, const char *region, file_source *fs,
                                   const char *otc_auth_url, ma_error *err)
{
    const char *ak_key, *sk_key, *st_key;
    const char *ak = first_of(c, 0, "ak", "access_key", &ak_key);
    const char *sk = first_of(c, 0, "sk", "secret_key", &sk_key);
    const char *token = first_of(c, 0, "security_token", "token", &st_key);
    ma_status st;
    if (ak || sk || token) {
        if (!ak || !sk)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "%s: %s is set but %s is missing: AK/SK credentials need both (ak or access_key, sk "
                                 "or secret_key)",
                                 c->label,
                                 ak   ? ak_key
                                 : sk ? sk_key
                                      : st_key,
                                 !ak ? "ak (or access_key)" : "sk (or secret_key)");
        fs->method = token ? MA_ENV_METHOD_AKSK_TEMPORARY : MA_ENV_METHOD_AKSK;
        fs->cred_keys = token ? "ak/sk/security_token" : "ak/sk";
        st = ma_credentials_new_aksk(&fs->credentials, ak, sk, token, a, err);
        return prefixed(err, st, c->label);
    }
    const char *user = ma__cloud_get(c, 1, "username");
    const char *password = ma__cloud_get(c, 1, "password");
    const char *auth_url = ma__cloud_get(c, 1, "auth_url");
    const char *domain = ma__cloud_get(c, 1, "user_domain_name");
    if (!user && !password)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "%s: no credentials: set ak and sk, or auth.username and auth.password (secure.yaml may "
                             "hold the secrets)",
                             c->label);
    if (!auth_url && otc_auth_url[0])
        auth_url = otc_auth_url;
    const char *missing = !user       ? "auth.username"
                          : !password ? "auth.password"
                          : !auth_url ? "auth.auth_url (or profile: otc)"
                          : !domain   ? (ma__cloud_get(c, 1, "user_domain_id")
                                             ? "auth.user_domain_name (auth.user_domain_id alone is not supported)"
                                             : "auth.user_domain_name")
                                      : NULL;
    if (missing)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "%s: %s is missing: password login needs auth.auth_url, auth.username, auth.password and "
                             "auth.user_domain_name",
                             c->label, missing);
    ma_password_login login = MA_PASSWORD_LOGIN_INIT;
    login.user_name = user;
    login.password = password;
    login.domain_name = domain;
    login.project_id = ma__cloud_get(c, 1, "project_id");
    login.project_name = ma__cloud_get(c, 1, "project_name");
    if (!login.project_id && !login.project_name)
        login.project_name = region;
    if (!login.project_id && !login.project_name)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "%s: no project: set auth.project_name, auth.project_id or region_name", c->label);
    char *iam = ma__env_iam_endpoint_of(a, auth_url);
    if (!iam)
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory copying auth.auth_url");
    login.iam_endpoint = iam;
    fs->method = MA_ENV_METHOD_PASSWORD;
    fs->cred_keys = "auth.username/auth.password";
    st = ma_credentials_new_password(&fs->credentials, &login, a, err);
    ma__free(a, iam);
    return prefixed(err, st, c->label);
}

/* MA_OK with *done = 0 when clouds.yaml gives nothing (the reason added to @p note). */
static ma_status try_clouds(ma_client_options *options, const ma_config_options *co, const ma_allocator *a,
                            ma_env_settings **out, int *done, char *note, ma_error *err)
{
    *done = 0;
    const char *os_cloud = co->os_cloud;
    const char *os_cloud_from = "os_cloud option";
    if (!os_cloud) {
        os_cloud = get(co->lookup, co->user_data, "OS_CLOUD");
        os_cloud_from = "OS_CLOUD";
    }
    ma__cloud c;
    ma_status st = ma__clouds_load(a, co->lookup, co->user_data, os_cloud, os_cloud_from, &c, note, NOTE_SIZE, err);
    if (st != MA_OK)
        return st;
    if (!c.found) {
        ma__cloud_clear(a, &c);
        return MA_OK;
    }
    file_source fs;
    memset(&fs, 0, sizeof fs);
    fs.label = c.label;
    fs.project_key = "auth.project_id";
    const char *profile = ma__cloud_get(&c, 0, "profile");
    if (!profile)
        profile = ma__cloud_get(&c, 0, "cloud");
    const char *region = co->region ? co->region : get(co->lookup, co->user_data, "OS_REGION_NAME");
    if (!region)
        region = ma__cloud_get(&c, 0, "region_name");
    char otc_auth_url[256] = "";
    if (profile && strcmp(profile, "otc") == 0) {
        fs.cloud = MA_CLOUD_OTC;
        /* The vendor profile's auth_url; its one listed region is eu-de. */
        snprintf(otc_auth_url, sizeof otc_auth_url, "https://iam.%s.otc.t-systems.com/v3", region ? region : "eu-de");
        if (!region)
            region = "eu-de";
    } else if (profile && !ma__cloud_get(&c, 1, "auth_url")) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG,
                           "%s: profile \"%s\" is not known here (only \"otc\"); set auth.auth_url instead", c.label,
                           profile);
        goto done;
    }
    if ((st = cloud_credentials(a, &c, region, &fs, otc_auth_url, err)) != MA_OK)
        goto done;
    chain ch;
    memset(&ch, 0, sizeof ch);
    ch.lookup = co->lookup;
    ch.ud = co->user_data;
    chain_add(&ch, "OS_PROJECT_ID", ma__cloud_get(&c, 1, "project_id"), "auth.project_id");
    chain_add(&ch, "OS_REGION_NAME", region, ma__cloud_get(&c, 0, "region_name") ? "region_name" : "profile otc");
    chain_add(&ch, "OS_AUTH_URL", ma__cloud_get(&c, 1, "auth_url"), "auth.auth_url");
    /* The clouds file warns only when it holds a secret itself. */
    const char *secret_keys[] = {"sk", "secret_key", "security_token", "token"};
    int clouds_has_secret = ma__cfg_string(ma__cfg_get(c.main_cloud, "auth"), "password") != NULL;
    for (size_t i = 0; i < 4; i++)
        clouds_has_secret |= ma__cfg_string(c.main_cloud, secret_keys[i]) != NULL;
    fs.exposed_path[0] = c.clouds_path;
    fs.exposed[0] = c.clouds_exposed && clouds_has_secret;
    fs.exposed_path[1] = c.secure_path;
    fs.exposed[1] = c.secure_exposed;
    st = finish(options, co, &ch, &fs, out, err);
    *done = st == MA_OK;
done:
    ma__cloud_clear(a, &c);
    return st;
}

/* ---- the Huawei Cloud profile file ------------------------------------------------------------ */

static ma_status try_profile(ma_client_options *options, const ma_config_options *co, const ma_allocator *a,
                             ma_env_settings **out, int *done, char *note, ma_error *err)
{
    *done = 0;
    const char *named = get(co->lookup, co->user_data, "HUAWEICLOUD_SDK_CREDENTIALS_FILE");
    const char *home = get(co->lookup, co->user_data, "HOME");
    char path[4096];
    if (named)
        snprintf(path, sizeof path, "%s", named);
    else if (home)
        snprintf(path, sizeof path, "%s/.huaweicloud/credentials", home);
    else {
        ma__note_add(note, NOTE_SIZE, "profile file: HOME and HUAWEICLOUD_SDK_CREDENTIALS_FILE are not set");
        return MA_OK;
    }
    ma__config_file f;
    int exists = 0;
    ma_status st = ma__config_file_read(a, path, &f, &exists, err);
    if (st != MA_OK)
        return st;
    if (!exists) {
        if (named)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "HUAWEICLOUD_SDK_CREDENTIALS_FILE names %s, which does not exist", path);
        ma__note_add(note, NOTE_SIZE, "%s: not found", path);
        return MA_OK;
    }
    ma__profile p;
    st = ma__profile_parse(a, path, f.data, f.len, &p, err);
    int exposed = f.exposed;
    ma__config_file_free(a, &f);
    if (st != MA_OK)
        return st;
    char label[4200];
    snprintf(label, sizeof label, "%s [basic]", path);
    if (!p.ak && !p.sk && !p.security_token) {
        ma__note_add(note, NOTE_SIZE, "%s: %s", path, p.has_basic ? "[basic] has no ak and sk" : "no [basic] section");
        ma__profile_clear(a, &p);
        return MA_OK;
    }
    if (!p.ak || !p.sk) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: %s is set but %s is missing: AK/SK credentials need both",
                           label,
                           p.ak   ? "ak"
                           : p.sk ? "sk"
                                  : "security_token",
                           !p.ak ? "ak" : "sk");
        ma__profile_clear(a, &p);
        return st;
    }
    file_source fs;
    memset(&fs, 0, sizeof fs);
    fs.label = label;
    fs.project_key = "project_id";
    fs.method = p.security_token ? MA_ENV_METHOD_AKSK_TEMPORARY : MA_ENV_METHOD_AKSK;
    fs.cred_keys = p.security_token ? "ak/sk/security_token" : "ak/sk";
    fs.exposed_path[0] = path;
    fs.exposed[0] = exposed;
    st = ma_credentials_new_aksk(&fs.credentials, p.ak, p.sk, p.security_token, a, err);
    if (st != MA_OK) {
        ma__profile_clear(a, &p);
        return prefixed(err, st, label);
    }
    chain ch;
    memset(&ch, 0, sizeof ch);
    ch.lookup = co->lookup;
    ch.ud = co->user_data;
    chain_add(&ch, "HUAWEICLOUD_SDK_PROJECT_ID", p.project_id, "project_id");
    chain_add(&ch, "OS_AUTH_URL", p.iam_endpoint, "iam_endpoint");
    st = finish(options, co, &ch, &fs, out, err);
    ma__profile_clear(a, &p);
    *done = st == MA_OK;
    return st;
}

/* Metadata credentials, asked for: project id and endpoint from the caller and the environment. */
static ma_status use_metadata(ma_client_options *options, const ma_config_options *co, const ma_allocator *a,
                              const char *asked_by, ma_env_settings **out, ma_error *err)
{
    const char *url =
        co->metadata_endpoint ? co->metadata_endpoint : get(co->lookup, co->user_data, "MODELARTS_METADATA_ENDPOINT");
    file_source fs;
    memset(&fs, 0, sizeof fs);
    char label[300];
    snprintf(label, sizeof label, "metadata service %.200s (%s)", url ? url : "http://169.254.169.254", asked_by);
    fs.label = label;
    fs.cred_keys = "agency credentials";
    fs.project_key = "MODELARTS_PROJECT_ID";
    fs.method = MA_ENV_METHOD_METADATA;
    ma_status st = ma_credentials_new_metadata(&fs.credentials, url, a, err);
    if (st != MA_OK)
        return prefixed(err, st, co->metadata_endpoint ? "metadata_endpoint" : "MODELARTS_METADATA_ENDPOINT");
    chain ch;
    memset(&ch, 0, sizeof ch);
    ch.lookup = co->lookup;
    ch.ud = co->user_data;
    return finish(options, co, &ch, &fs, out, err);
}

ma_status ma_client_options_from_config(ma_client_options *options, const ma_config_options *config_options,
                                        ma_env_settings **out, ma_error *err)
{
    ma_error_clear(err);
    if (!out)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_options_from_config: out is NULL");
    *out = NULL;
    if (!options)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_client_options_from_config: options is NULL");
    if (options->version == 0 || options->version > MA_CLIENT_OPTIONS_VERSION)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "options version %u is not supported (use ma_client_options_init)", options->version);
    ma_config_options co = MA_CONFIG_OPTIONS_INIT;
    if (config_options) {
        if (config_options->version == 0 || config_options->version > MA_CONFIG_OPTIONS_VERSION)
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "ma_config_options version %u is not supported (use MA_CONFIG_OPTIONS_INIT)",
                                 config_options->version);
        co = *config_options;
    }
    if (!co.lookup) {
        co.lookup = getenv_lookup;
        co.user_data = NULL;
    }
    ma_env_options eo = MA_ENV_OPTIONS_INIT;
    eo.region = co.region;
    eo.cloud = co.cloud;
    const char *asked = get(co.lookup, co.user_data, "MODELARTS_CREDENTIALS");
    if (asked && strcmp(asked, "metadata") != 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "MODELARTS_CREDENTIALS=%.64s: the only value known is \"metadata\" (the instance's agency "
                             "credentials)",
                             asked);
    if (!options->credentials && (co.use_metadata || asked))
        return use_metadata(options, &co, ma__allocator_or_default(options->allocator),
                            co.use_metadata ? "use_metadata option" : "MODELARTS_CREDENTIALS=metadata", out, err);
    /* 1 and 2: the caller's credentials, then the environment's (complete or an error naming what is missing). */
    if (options->credentials || ma__env_credentials_started(co.lookup, co.user_data))
        return ma_client_options_from_env_lookup(options, &eo, co.lookup, co.user_data, out, err);
    const ma_allocator *a = ma__allocator_or_default(options->allocator);
    char note[NOTE_SIZE] = "";
    ma__note_add(note, sizeof note,
                 "environment: none of MODELARTS_TOKEN, HUAWEICLOUD_SDK_AK/SK, OS_ACCESS_KEY/OS_SECRET_KEY, "
                 "OS_USERNAME/OS_PASSWORD is set");
    int done = 0;
    ma_status st = try_clouds(options, &co, a, out, &done, note, err);
    if (st != MA_OK || done)
        return st;
    st = try_profile(options, &co, a, out, &done, note, err);
    if (st != MA_OK || done)
        return st;
    return ma__error_set(err, MA_ERR_INVALID_ARG, "no credentials found; looked at: %s", note);
}
