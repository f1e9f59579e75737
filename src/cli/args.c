/* Command-line parsing for ma-jobs: "--flag value" and "--flag=value". */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef enum flag_id {
    F_ENDPOINT,
    F_PROJECT_ID,
    F_REGION,
    F_OS_CLOUD,
    F_CREDENTIALS,
    F_CLOUD,
    F_STATUS,
    F_PER_PAGE,
    F_PAGE,
    F_SORT_BY,
    F_ORDER,
    F_SEARCH,
    F_WORKSPACE_ID,
    F_ALL,
    F_LIMIT,
    F_PARALLEL,
    F_FORMAT,
    F_TIMEOUT_MS,
    F_RETRIES,
    F_VERBOSE,
    F_CACERT,
    F_INSECURE,
    F_VERSION,
    F_HELP,
    F_JOB_ID,
    F_NAME,
    F_WAIT_TIMEOUT,
    F_INTERVAL
} flag_id;

typedef struct flag_def {
    const char *name;
    flag_id id;
    int takes_value;
} flag_def;

static const flag_def FLAGS[] = {
    {"endpoint", F_ENDPOINT, 1},
    {"project-id", F_PROJECT_ID, 1},
    {"region", F_REGION, 1},
    {"os-cloud", F_OS_CLOUD, 1},
    {"credentials", F_CREDENTIALS, 1},
    {"cloud", F_CLOUD, 1},
    {"status", F_STATUS, 1},
    {"per-page", F_PER_PAGE, 1},
    {"page", F_PAGE, 1},
    {"sort-by", F_SORT_BY, 1},
    {"order", F_ORDER, 1},
    {"search", F_SEARCH, 1},
    {"workspace-id", F_WORKSPACE_ID, 1},
    {"all", F_ALL, 0},
    {"limit", F_LIMIT, 1},
    {"parallel", F_PARALLEL, 1},
    {"format", F_FORMAT, 1},
    {"timeout-ms", F_TIMEOUT_MS, 1},
    {"retries", F_RETRIES, 1},
    {"verbose", F_VERBOSE, 0},
    {"cacert", F_CACERT, 1},
    {"insecure", F_INSECURE, 0},
    {"version", F_VERSION, 0},
    {"help", F_HELP, 0},
    {"job-id", F_JOB_ID, 1},
    {"name", F_NAME, 1},
    {"timeout", F_WAIT_TIMEOUT, 1},
    {"interval", F_INTERVAL, 1},
};

/* Flag names that would carry a secret; refused whatever their value. */
static const char *const SECRET_EXACT[] = {
    "sk", "ak", "ak-sk", "aksk", "api-key", "apikey", "access-key", "access-key-id", "secret-access-key", "auth"};
static const char *const SECRET_PARTS[] = {"token", "password", "passwd", "secret"};

/* The environment variable that carries what a refused flag would have; NULL: no single one. */
static const char *secret_variable(const char *lower)
{
    if (strstr(lower, "security-token") != NULL) {
        return "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    }
    if (strstr(lower, "token") != NULL) {
        return "MODELARTS_TOKEN";
    }
    if (strstr(lower, "password") != NULL || strstr(lower, "passwd") != NULL) {
        return "OS_PASSWORD";
    }
    if (strcmp(lower, "sk") == 0 || strstr(lower, "secret") != NULL) {
        return "HUAWEICLOUD_SDK_SK";
    }
    if (strcmp(lower, "ak") == 0 || strcmp(lower, "access-key") == 0 || strcmp(lower, "access-key-id") == 0) {
        return "HUAWEICLOUD_SDK_AK";
    }
    return NULL;
}

/* Returns 1 and the variable to use instead (NULL: none in particular) when @p name would carry a secret. */
static int is_secret_flag(const char *name, size_t len, const char **variable)
{
    char lower[64];
    if (len >= sizeof lower) {
        len = sizeof lower - 1;
    }
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (c == '_' ? '-' : c);
    }
    lower[len] = '\0';
    for (size_t i = 0; i < sizeof SECRET_EXACT / sizeof SECRET_EXACT[0]; i++) {
        if (strcmp(lower, SECRET_EXACT[i]) == 0) {
            *variable = secret_variable(lower);
            return 1;
        }
    }
    for (size_t i = 0; i < sizeof SECRET_PARTS / sizeof SECRET_PARTS[0]; i++) {
        if (strstr(lower, SECRET_PARTS[i]) != NULL) {
            *variable = secret_variable(lower);
            return 1;
        }
    }
    return 0;
}

/* Decimal integer of digits only (an optional leading '-'), within [min, max]. */
static int parse_long(const char *text, long min, long max, long *out)
{
    const char *p = text;
    if (*p == '-') {
        p++;
    }
    if (*p == '\0') {
        return -1;
    }
    for (const char *q = p; *q != '\0'; q++) {
        if (*q < '0' || *q > '9') {
            return -1;
        }
    }
    errno = 0;
    char *end = NULL;
    long v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

static int set_value(cli_options *o, const flag_def *f, const char *v, char *msg, size_t msg_size)
{
    long n = 0;
    switch (f->id) {
    case F_ENDPOINT:
        o->endpoint = v;
        return 0;
    case F_PROJECT_ID:
        o->project_id = v;
        return 0;
    case F_REGION:
        /* Checked against the known regions once the cloud is known (main.c). */
        o->region = v;
        return 0;
    case F_OS_CLOUD:
        if (v[0] == '\0') {
            snprintf(msg, msg_size, "--os-cloud needs a cloud name (from clouds.yaml)");
            return -1;
        }
        o->os_cloud = v;
        return 0;
    case F_CREDENTIALS:
        /* Only the name of a source: a secret as its value is refused like any other. */
        if (strcmp(v, "metadata") != 0) {
            snprintf(msg, msg_size, "--credentials: the only value is 'metadata' (the instance's agency credentials)");
            return -1;
        }
        o->metadata = 1;
        return 0;
    case F_CLOUD:
        if (strcmp(v, "otc") == 0) {
            o->cloud = MA_CLOUD_OTC;
        } else if (strcmp(v, "huaweicloud") == 0) {
            o->cloud = MA_CLOUD_HUAWEICLOUD;
        } else {
            snprintf(msg, msg_size, "--cloud: '%s' is not otc or huaweicloud", v);
            return -1;
        }
        o->has_cloud = 1;
        return 0;
    case F_SEARCH:
        o->search = v;
        return 0;
    case F_WORKSPACE_ID:
        o->workspace_id = v;
        return 0;
    case F_STATUS:
        if (cli_parse_status(v, &o->status) != 0) {
            snprintf(msg, msg_size, "--status: '%s' is neither a number 0..%d nor a status name such as RUNNING", v,
                     (int)MA_JOB_STATUS_MAX);
            return -1;
        }
        o->has_status = 1;
        return 0;
    case F_PER_PAGE:
    case F_PAGE:
        /* Only the syntax is checked here; the library's setter owns the range. */
        if (parse_long(v, INT_MIN, INT_MAX, &n) != 0) {
            snprintf(msg, msg_size, "--%s: '%s' is not an integer", f->name, v);
            return -1;
        }
        if (f->id == F_PER_PAGE) {
            o->has_per_page = 1;
            o->per_page = (int)n;
        } else {
            o->has_page = 1;
            o->page = (int)n;
        }
        return 0;
    case F_SORT_BY:
        if (cli_parse_sort_key(v, &o->sort_by) != 0) {
            snprintf(msg, msg_size,
                     "--sort-by: '%s' is not one of job_name, job_desc, status, duration, version_count, create_time",
                     v);
            return -1;
        }
        o->has_sort_by = 1;
        return 0;
    case F_ORDER:
        if (cli_parse_order(v, &o->order) != 0) {
            snprintf(msg, msg_size, "--order: '%s' is not asc or desc", v);
            return -1;
        }
        o->has_order = 1;
        return 0;
    case F_LIMIT:
        if (parse_long(v, 1, LONG_MAX, &n) != 0) {
            snprintf(msg, msg_size, "--limit: '%s' is not a positive integer", v);
            return -1;
        }
        o->has_limit = 1;
        o->limit = (size_t)n;
        return 0;
    case F_PARALLEL:
        if (parse_long(v, 1, MA_WALK_MAX_CONCURRENCY, &n) != 0) {
            snprintf(msg, msg_size, "--parallel: '%s' is not an integer in 1..%d", v, MA_WALK_MAX_CONCURRENCY);
            return -1;
        }
        o->has_parallel = 1;
        o->parallel = (unsigned int)n;
        return 0;
    case F_FORMAT:
        if (cli_parse_format(v, &o->format) != 0) {
            snprintf(msg, msg_size, "--format: '%s' is not table, json, jsonl or csv", v);
            return -1;
        }
        return 0;
    case F_TIMEOUT_MS:
        if (parse_long(v, 0, LONG_MAX, &n) != 0) {
            snprintf(msg, msg_size, "--timeout-ms: '%s' is not a non-negative integer (0 = no timeout)", v);
            return -1;
        }
        o->has_timeout = 1;
        o->timeout_ms = n;
        return 0;
    case F_RETRIES:
        if (parse_long(v, 0, MA_RETRY_MAX_ATTEMPTS_LIMIT - 1, &n) != 0) {
            snprintf(msg, msg_size, "--retries: '%s' is not an integer in 0..%d", v, MA_RETRY_MAX_ATTEMPTS_LIMIT - 1);
            return -1;
        }
        o->has_retries = 1;
        o->retries = (int)n;
        return 0;
    case F_CACERT:
        if (v[0] == '\0') {
            snprintf(msg, msg_size, "--cacert needs a file name");
            return -1;
        }
        o->cacert = v;
        return 0;
    case F_JOB_ID:
        if (parse_long(v, 0, LONG_MAX, &n) != 0) {
            snprintf(msg, msg_size, "--job-id: '%s' is not a job id (a non-negative integer)", v);
            return -1;
        }
        o->has_job_id = 1;
        o->job_id = (int64_t)n;
        return 0;
    case F_NAME:
        if (v[0] == '\0') {
            snprintf(msg, msg_size, "--name needs a job name");
            return -1;
        }
        o->name = v;
        return 0;
    case F_WAIT_TIMEOUT:
    case F_INTERVAL:
        if (cli_parse_duration(v, f->id == F_WAIT_TIMEOUT ? &o->wait_timeout_ms : &o->interval_ms) != 0 ||
            (f->id == F_INTERVAL && o->interval_ms == 0)) {
            snprintf(msg, msg_size, "--%s: '%s' is not a duration such as 500ms, 2s, 5m or 1h (at most 30 days%s)",
                     f->name, v, f->id == F_INTERVAL ? ", above 0" : "");
            return -1;
        }
        *(f->id == F_WAIT_TIMEOUT ? &o->has_wait_timeout : &o->has_interval) = 1;
        return 0;
    case F_VERBOSE:
    case F_INSECURE:
    case F_ALL:
    case F_VERSION:
    case F_HELP:
        break;
    }
    return 0;
}

static void set_switch(cli_options *o, flag_id id)
{
    if (id == F_ALL) {
        o->all = 1;
    } else if (id == F_VERSION) {
        o->version = 1;
    } else if (id == F_HELP) {
        o->help = 1;
    } else if (id == F_VERBOSE) {
        o->verbose = 1;
    } else if (id == F_INSECURE) {
        o->insecure = 1;
    }
}

/* A flag and whether it was given. */
typedef struct given_flag {
    int given;
    const char *name;
} given_flag;

/* The first given flag of @p flags, or NULL. */
static const char *first_given(const given_flag *flags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (flags[i].given) {
            return flags[i].name;
        }
    }
    return NULL;
}

/* The flags of the other command that were given, checked once all are parsed. */
static int check_command(const cli_options *o, char *msg, size_t msg_size)
{
    if (o->command == CLI_COMMAND_CONFIG) {
        const given_flag not_config[] = {
            {o->has_status, "--status"},
            {o->has_per_page, "--per-page"},
            {o->has_page, "--page"},
            {o->has_sort_by, "--sort-by"},
            {o->has_order, "--order"},
            {o->search != NULL, "--search"},
            {o->all, "--all"},
            {o->has_limit, "--limit"},
            {o->has_parallel, "--parallel"},
            {o->has_job_id, "--job-id"},
            {o->name != NULL, "--name"},
            {o->has_wait_timeout, "--timeout"},
            {o->has_interval, "--interval"},
            {o->workspace_id != NULL, "--workspace-id"},
        };
        const char *stray = first_given(not_config, sizeof not_config / sizeof not_config[0]);
        if (stray != NULL) {
            snprintf(msg, msg_size, "%s does not apply to config", stray);
            return -1;
        }
        if (o->format != CLI_FORMAT_TABLE && o->format != CLI_FORMAT_JSON) {
            snprintf(msg, msg_size, "config writes a table (the default) or --format json");
            return -1;
        }
        return 0;
    }
    if (o->command == CLI_COMMAND_WAIT) {
        const given_flag list_only[] = {
            {o->has_status, "--status"},
            {o->has_per_page, "--per-page"},
            {o->has_page, "--page"},
            {o->has_sort_by, "--sort-by"},
            {o->has_order, "--order"},
            {o->search != NULL, "--search"},
            {o->all, "--all"},
            {o->has_limit, "--limit"},
            {o->has_parallel, "--parallel"},
        };
        const char *stray = first_given(list_only, sizeof list_only / sizeof list_only[0]);
        if (stray != NULL) {
            snprintf(msg, msg_size, "%s does not apply to wait", stray);
            return -1;
        }
        if (o->has_job_id == (o->name != NULL)) {
            snprintf(msg, msg_size, "wait needs either --job-id or --name%s", o->has_job_id ? ", not both" : "");
            return -1;
        }
        if (o->format != CLI_FORMAT_TABLE && o->format != CLI_FORMAT_JSONL) {
            snprintf(msg, msg_size, "wait writes text lines (the default) or --format jsonl");
            return -1;
        }
        return 0;
    }
    const given_flag wait_only[] = {
        {o->has_job_id, "--job-id"},
        {o->name != NULL, "--name"},
        {o->has_wait_timeout, "--timeout"},
        {o->has_interval, "--interval"},
    };
    const char *stray = first_given(wait_only, sizeof wait_only / sizeof wait_only[0]);
    if (stray != NULL) {
        snprintf(msg, msg_size, "%s only applies to 'ma-jobs wait'", stray);
        return -1;
    }
    if (!o->all && (o->has_limit || o->has_parallel)) {
        snprintf(msg, msg_size, "--%s only applies with --all", o->has_limit ? "limit" : "parallel");
        return -1;
    }
    return 0;
}

int cli_parse_args(int argc, char **argv, cli_options *opts, char *msg, size_t msg_size)
{
    memset(opts, 0, sizeof *opts);
    opts->format = CLI_FORMAT_TABLE;
    msg[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "wait") == 0 && opts->command == CLI_COMMAND_LIST) {
            opts->command = CLI_COMMAND_WAIT;
            continue;
        }
        if (strcmp(arg, "config") == 0 && opts->command == CLI_COMMAND_LIST) {
            opts->command = CLI_COMMAND_CONFIG;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            snprintf(msg, msg_size, "unexpected argument '%s' (options start with --)", arg);
            return -1;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t name_len = eq != NULL ? (size_t)(eq - name) : strlen(name);
        const char *variable = NULL;
        if (is_secret_flag(name, name_len, &variable)) {
            snprintf(msg, msg_size,
                     "--%.*s is refused: secrets on the command line are visible to other users (ps); "
                     "%s%s%scredentials come only from the environment (MODELARTS_TOKEN, HUAWEICLOUD_SDK_AK/SK, "
                     "OS_USERNAME/OS_PASSWORD) or files (clouds.yaml, ~/.huaweicloud/credentials; see --help)",
                     (int)(name_len > 64 ? 64 : name_len), name, variable != NULL ? "set " : "",
                     variable != NULL ? variable : "", variable != NULL ? " instead; " : "");
            return -1;
        }
        const flag_def *f = NULL;
        for (size_t k = 0; k < sizeof FLAGS / sizeof FLAGS[0]; k++) {
            if (strlen(FLAGS[k].name) == name_len && strncmp(FLAGS[k].name, name, name_len) == 0) {
                f = &FLAGS[k];
                break;
            }
        }
        if (f == NULL) {
            snprintf(msg, msg_size, "unknown option '--%.*s'", (int)(name_len > 64 ? 64 : name_len), name);
            return -1;
        }
        if (!f->takes_value) {
            if (eq != NULL) {
                snprintf(msg, msg_size, "--%s takes no value", f->name);
                return -1;
            }
            set_switch(opts, f->id);
            continue;
        }
        const char *value = NULL;
        if (eq != NULL) {
            value = eq + 1;
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            snprintf(msg, msg_size, "--%s needs a value", f->name);
            return -1;
        }
        if (set_value(opts, f, value, msg, msg_size) != 0) {
            return -1;
        }
    }
    return opts->help || opts->version ? 0 : check_command(opts, msg, msg_size);
}
