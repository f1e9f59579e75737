/*
 * Command-line parsing for ma-jobs with getopt_long: long options (also
 * abbreviated, and as --flag=value), short options, "--" to end them.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef enum flag_id {
    F_ENDPOINT = 256, /* above every short option character */
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
    F_INTERVAL,
    F_MAX_FAILURES,
    F_MAX_WIDTH,
    F_NO_HEADER,
    F_STRING_IDS,
    F_COLUMNS
} flag_id;

/*
 * Every option. To add one: a flag_id, a row here (short letter or 0), and a
 * case in set_value() or set_switch(); getopt_long's tables are built from this.
 */
typedef struct flag_def {
    const char *name;
    flag_id id;
    int takes_value;
    char short_name; /* 0: long form only */
} flag_def;

static const flag_def FLAGS[] = {
    {"endpoint", F_ENDPOINT, 1, 'e'},
    {"project-id", F_PROJECT_ID, 1, 0},
    {"region", F_REGION, 1, 'r'},
    {"os-cloud", F_OS_CLOUD, 1, 0},
    {"credentials", F_CREDENTIALS, 1, 0},
    {"cloud", F_CLOUD, 1, 0},
    {"status", F_STATUS, 1, 's'},
    {"per-page", F_PER_PAGE, 1, 0},
    {"page", F_PAGE, 1, 0},
    {"sort-by", F_SORT_BY, 1, 'S'},
    {"order", F_ORDER, 1, 0},
    {"search", F_SEARCH, 1, 'q'},
    {"workspace-id", F_WORKSPACE_ID, 1, 'w'},
    {"all", F_ALL, 0, 'a'},
    {"limit", F_LIMIT, 1, 'n'},
    {"parallel", F_PARALLEL, 1, 'p'},
    {"format", F_FORMAT, 1, 'f'},
    {"timeout-ms", F_TIMEOUT_MS, 1, 0},
    {"retries", F_RETRIES, 1, 0},
    {"verbose", F_VERBOSE, 0, 'v'},
    {"cacert", F_CACERT, 1, 0},
    {"insecure", F_INSECURE, 0, 0},
    {"version", F_VERSION, 0, 'V'},
    {"help", F_HELP, 0, 'h'},
    {"job-id", F_JOB_ID, 1, 0},
    {"name", F_NAME, 1, 0},
    {"timeout", F_WAIT_TIMEOUT, 1, 0},
    {"interval", F_INTERVAL, 1, 0},
    {"max-failures", F_MAX_FAILURES, 1, 0},
    {"max-width", F_MAX_WIDTH, 1, 0},
    {"no-header", F_NO_HEADER, 0, 0},
    {"string-ids", F_STRING_IDS, 0, 0},
    {"columns", F_COLUMNS, 1, 'c'},
};

#define FLAG_COUNT (sizeof FLAGS / sizeof FLAGS[0])

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

/* A job id is an int64, more than a `long` holds where that is 32 bits (i386). */
static int parse_job_id(const char *text, int64_t *out)
{
    if (*text == '\0') {
        return -1;
    }
    for (const char *q = text; *q != '\0'; q++) {
        if (*q < '0' || *q > '9') {
            return -1;
        }
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0) {
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

/* Keeps how the user spelled a flag the library checks, so its message can name it. */
static void remember(cli_options *o, int which, const char *label)
{
    snprintf(o->spelled[which], sizeof o->spelled[which], "%s", label);
}

/* Adds @p status to the set unless it is there already. */
static int add_status(cli_options *o, int status)
{
    for (int i = 0; i < o->status_count; i++) {
        if (o->statuses[i] == status) {
            return 0;
        }
    }
    if (o->status_count >= CLI_MAX_STATUSES) {
        return -1;
    }
    o->statuses[o->status_count++] = status;
    return 0;
}

/* The classes --status takes, in lower case only (upper case names a status: "failed" vs "FAILED"). */
static int class_of_word(const char *word, int *classes)
{
    static const struct {
        const char *name;
        int classes; /* bit per ma_job_status_class */
    } WORDS[] = {
        {"active", 1 << MA_JOB_CLASS_ACTIVE},
        {"completed", 1 << MA_JOB_CLASS_COMPLETED},
        {"failed", 1 << MA_JOB_CLASS_FAILED},
        {"cancelled", 1 << MA_JOB_CLASS_CANCELLED},
        {"terminal", (1 << MA_JOB_CLASS_COMPLETED) | (1 << MA_JOB_CLASS_FAILED) | (1 << MA_JOB_CLASS_CANCELLED)},
    };
    for (size_t i = 0; i < sizeof WORDS / sizeof WORDS[0]; i++) {
        if (strcmp(word, WORDS[i].name) == 0) {
            *classes = WORDS[i].classes;
            return 1;
        }
    }
    return 0;
}

/* "FAILED,LOST", "failed", "8": adds each status (a class adds all of its statuses) to the set. */
static int parse_status_list(cli_options *o, const char *label, const char *v, char *msg, size_t msg_size)
{
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        char word[64];
        int ok = len > 0 && len < sizeof word;
        int rc = 0;
        if (ok) {
            memcpy(word, p, len);
            word[len] = '\0';
            int classes = 0;
            int status = 0;
            if (class_of_word(word, &classes)) {
                for (int s = 0; s <= (int)MA_JOB_STATUS_MAX && rc == 0; s++) {
                    if (classes & (1 << ma_job_status_class_of(s))) {
                        rc = add_status(o, s);
                    }
                }
            } else if (cli_parse_status(word, &status) == 0) {
                rc = add_status(o, status);
            } else {
                ok = 0;
            }
        }
        if (!ok) {
            snprintf(msg, msg_size,
                     "%s: '%.*s' is neither a status (a number 0..%d or a name such as RUNNING) nor a class "
                     "(active, completed, failed, cancelled, terminal)",
                     label, (int)(len > 64 ? 64 : len), p, (int)MA_JOB_STATUS_MAX);
            return -1;
        }
        if (rc != 0) {
            snprintf(msg, msg_size, "%s: more than %d statuses", label, CLI_MAX_STATUSES);
            return -1;
        }
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    o->has_status = 1;
    remember(o, CLI_SPELLED_STATUS, label);
    return 0;
}

/* Applies one option's value; @p label is the flag as the user typed it, for messages. */
static int set_value(cli_options *o, const flag_def *f, const char *label, const char *v, char *msg, size_t msg_size)
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
        remember(o, CLI_SPELLED_REGION, label);
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
            snprintf(msg, msg_size, "%s: '%s' is not otc or huaweicloud", label, v);
            return -1;
        }
        o->has_cloud = 1;
        return 0;
    case F_SEARCH:
        o->search = v;
        remember(o, CLI_SPELLED_SEARCH, label);
        return 0;
    case F_WORKSPACE_ID:
        o->workspace_id = v;
        remember(o, CLI_SPELLED_WORKSPACE_ID, label);
        return 0;
    case F_STATUS:
        return parse_status_list(o, label, v, msg, msg_size);
    case F_PER_PAGE:
    case F_PAGE:
        /* Only the syntax is checked here; the library's setter owns the range. */
        if (parse_long(v, INT_MIN, INT_MAX, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not an integer", label, v);
            return -1;
        }
        if (f->id == F_PER_PAGE) {
            o->has_per_page = 1;
            o->per_page = (int)n;
            remember(o, CLI_SPELLED_PER_PAGE, label);
        } else {
            o->has_page = 1;
            o->page = (int)n;
            remember(o, CLI_SPELLED_PAGE, label);
        }
        return 0;
    case F_SORT_BY:
        if (cli_parse_sort_key(v, &o->sort_by) != 0) {
            snprintf(msg, msg_size,
                     "%s: '%s' is not one of job_name, job_desc, status, duration, version_count, create_time", label,
                     v);
            return -1;
        }
        o->has_sort_by = 1;
        return 0;
    case F_ORDER:
        if (cli_parse_order(v, &o->order) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not asc or desc", label, v);
            return -1;
        }
        o->has_order = 1;
        return 0;
    case F_LIMIT:
        if (parse_long(v, 1, LONG_MAX, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not a positive integer", label, v);
            return -1;
        }
        o->has_limit = 1;
        o->limit = (size_t)n;
        return 0;
    case F_PARALLEL:
        if (parse_long(v, 1, MA_WALK_MAX_CONCURRENCY, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not an integer in 1..%d", label, v, MA_WALK_MAX_CONCURRENCY);
            return -1;
        }
        o->has_parallel = 1;
        o->parallel = (unsigned int)n;
        return 0;
    case F_FORMAT:
        if (cli_parse_format(v, &o->format) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not table, json, jsonl or csv", label, v);
            return -1;
        }
        o->has_format = 1;
        return 0;
    case F_TIMEOUT_MS:
        if (parse_long(v, 0, LONG_MAX, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not a non-negative integer (0 = no timeout)", label, v);
            return -1;
        }
        o->has_timeout = 1;
        o->timeout_ms = n;
        return 0;
    case F_RETRIES:
        if (parse_long(v, 0, MA_RETRY_MAX_ATTEMPTS_LIMIT - 1, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not an integer in 0..%d", label, v, MA_RETRY_MAX_ATTEMPTS_LIMIT - 1);
            return -1;
        }
        o->has_retries = 1;
        o->retries = (int)n;
        return 0;
    case F_CACERT:
        if (v[0] == '\0') {
            snprintf(msg, msg_size, "%s needs a file name", label);
            return -1;
        }
        o->cacert = v;
        return 0;
    case F_JOB_ID:
        if (parse_job_id(v, &o->job_id) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not a job id (a non-negative integer)", label, v);
            return -1;
        }
        o->has_job_id = 1;
        return 0;
    case F_NAME:
        if (v[0] == '\0') {
            snprintf(msg, msg_size, "%s needs a job name", label);
            return -1;
        }
        o->name = v;
        return 0;
    case F_WAIT_TIMEOUT:
    case F_INTERVAL:
        if (cli_parse_duration(v, f->id == F_WAIT_TIMEOUT ? &o->wait_timeout_ms : &o->interval_ms) != 0 ||
            (f->id == F_INTERVAL && o->interval_ms == 0)) {
            snprintf(msg, msg_size, "%s: '%s' is not a duration such as 500ms, 2s, 5m or 1h (at most 30 days%s)", label,
                     v, f->id == F_INTERVAL ? ", above 0" : "");
            return -1;
        }
        *(f->id == F_WAIT_TIMEOUT ? &o->has_wait_timeout : &o->has_interval) = 1;
        return 0;
    case F_MAX_FAILURES:
        if (parse_long(v, 0, CLI_WAIT_MAX_FAILURES_LIMIT, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not a number of failed polls 0..%d (0 = give up on the first)", label,
                     v, CLI_WAIT_MAX_FAILURES_LIMIT);
            return -1;
        }
        o->has_max_failures = 1;
        o->max_failures = (int)n;
        return 0;
    case F_MAX_WIDTH:
        if (parse_long(v, 0, 100000, &n) != 0) {
            snprintf(msg, msg_size, "%s: '%s' is not a number of columns 0..100000 (0 = no limit)", label, v);
            return -1;
        }
        o->has_max_width = 1;
        o->max_width = (size_t)n;
        return 0;
    case F_COLUMNS: {
        char bad[80];
        int count = cli_parse_columns(v, o->columns, bad, sizeof bad);
        if (count < 0) {
            snprintf(msg, msg_size,
                     "%s: '%s' is not a column (job_id, version_id, job_name, job_desc, status, status_name, "
                     "create_time, create_time_ms, duration_ms, version_count; at most %d)",
                     label, bad, CLI_MAX_COLUMNS);
            return -1;
        }
        o->column_count = count;
        return 0;
    }
    case F_NO_HEADER:
    case F_STRING_IDS:
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
    } else if (id == F_NO_HEADER) {
        o->no_header = 1;
    } else if (id == F_STRING_IDS) {
        o->ids_as_strings = 1;
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
static int check_command(cli_options *o, char *msg, size_t msg_size)
{
    /* The list's own flags apply to neither config nor wait; wait's own not to config either. */
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
    const given_flag wait_only[] = {
        {o->has_job_id, "--job-id"},
        {o->name != NULL, "--name"},
        {o->has_wait_timeout, "--timeout"},
        {o->has_interval, "--interval"},
        {o->has_max_failures, "--max-failures"},
    };
    if (o->command == CLI_COMMAND_CONFIG) {
        const char *stray = first_given(list_only, sizeof list_only / sizeof list_only[0]);
        if (stray == NULL) {
            stray = first_given(wait_only, sizeof wait_only / sizeof wait_only[0]);
        }
        if (stray == NULL && o->workspace_id != NULL) {
            stray = "--workspace-id";
        }
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
    const char *stray = first_given(wait_only, sizeof wait_only / sizeof wait_only[0]);
    if (stray != NULL) {
        snprintf(msg, msg_size, "%s only applies to 'ma-jobs wait'", stray);
        return -1;
    }
    /* Every page unless --page asks for one; --all with --page walks from that page on. */
    o->walk = o->all || !o->has_page;
    if (!o->walk && o->has_parallel) {
        snprintf(msg, msg_size, "--parallel does not apply to one page (--page without --all)");
        return -1;
    }
    if (!o->walk && o->status_count > 1) {
        snprintf(msg, msg_size,
                 "several statuses are merged from a walk over every page; --page (without --all) asks for one");
        return -1;
    }
    return 0;
}

/* Optimal string alignment distance (adjacent swaps count once), capped at 9. */
static int edit_distance(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b);
    if (na > 40 || nb > 40) {
        return 9;
    }
    int d[41][41];
    for (size_t i = 0; i <= na; i++) {
        d[i][0] = (int)i;
    }
    for (size_t j = 0; j <= nb; j++) {
        d[0][j] = (int)j;
    }
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) {
                best = d[i][j - 1] + 1;
            }
            if (d[i - 1][j - 1] + cost < best) {
                best = d[i - 1][j - 1] + cost;
            }
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best) {
                best = d[i - 2][j - 2] + 1;
            }
            d[i][j] = best;
        }
    }
    return d[na][nb] > 9 ? 9 : d[na][nb];
}

/* Explains a long option getopt_long refused: secret, ambiguous, no value wanted, or unknown (with a guess). */
static void explain_long(const char *typed, char *msg, size_t msg_size)
{
    const char *name = typed + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    int shown = (int)(len > 64 ? 64 : len);
    const char *variable = NULL;
    if (is_secret_flag(name, len, &variable)) {
        snprintf(msg, msg_size,
                 "--%.*s is refused: secrets on the command line are visible to other users (ps); "
                 "%s%s%scredentials come only from the environment (MODELARTS_TOKEN, HUAWEICLOUD_SDK_AK/SK, "
                 "OS_USERNAME/OS_PASSWORD) or files (clouds.yaml, ~/.huaweicloud/credentials; see --help)",
                 shown, name, variable != NULL ? "set " : "", variable != NULL ? variable : "",
                 variable != NULL ? " instead; " : "");
        return;
    }
    const flag_def *match = NULL;
    size_t matches = 0;
    char list[256] = "";
    for (size_t k = 0; k < FLAG_COUNT; k++) {
        if (len > 0 && strncmp(FLAGS[k].name, name, len) == 0) {
            if (strlen(FLAGS[k].name) == len) {
                match = &FLAGS[k];
                matches = 1;
                break;
            }
            match = &FLAGS[k];
            matches++;
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s--%s", used > 0 ? ", " : "", FLAGS[k].name);
        }
    }
    if (matches == 1 && eq != NULL && !match->takes_value) {
        snprintf(msg, msg_size, "--%s takes no value", match->name);
        return;
    }
    if (matches > 1) {
        snprintf(msg, msg_size, "option '--%.*s' is ambiguous; it could be %s", shown, name, list);
        return;
    }
    const flag_def *best = NULL;
    int best_d = 3;
    for (size_t k = 0; k < FLAG_COUNT; k++) {
        int dist = edit_distance(name, len, FLAGS[k].name);
        if (dist < best_d) {
            best_d = dist;
            best = &FLAGS[k];
        }
    }
    if (best != NULL && (best_d == 1 || len > 4)) {
        snprintf(msg, msg_size, "unknown option '--%.*s'; did you mean '--%s'?", shown, name, best->name);
    } else {
        snprintf(msg, msg_size, "unknown option '--%.*s'", shown, name);
    }
}

/* The flag as typed, e.g. "--per-page", "-n", or "--per (--per-page)" for an abbreviation. */
static void label_of(const char *typed, const flag_def *f, int is_long, char *buf, size_t size)
{
    if (!is_long) {
        snprintf(buf, size, "-%c", f->short_name);
        return;
    }
    const char *eq = strchr(typed, '=');
    size_t len = eq != NULL ? (size_t)(eq - typed) : strlen(typed);
    if (len == strlen(f->name) + 2) {
        snprintf(buf, size, "--%s", f->name);
    } else {
        snprintf(buf, size, "%.*s (--%s)", (int)(len > 24 ? 24 : len), typed, f->name);
    }
}

static const flag_def *flag_by_id(int id)
{
    for (size_t k = 0; k < FLAG_COUNT; k++) {
        if ((int)FLAGS[k].id == id || (FLAGS[k].short_name != 0 && FLAGS[k].short_name == id)) {
            return &FLAGS[k];
        }
    }
    return NULL;
}

/* A word that is not an option: the subcommand, or a mistake. */
static int positional(cli_options *opts, const char *arg, char *msg, size_t msg_size)
{
    if (strcmp(arg, "wait") == 0 && opts->command == CLI_COMMAND_LIST) {
        opts->command = CLI_COMMAND_WAIT;
        return 0;
    }
    if (strcmp(arg, "config") == 0 && opts->command == CLI_COMMAND_LIST) {
        opts->command = CLI_COMMAND_CONFIG;
        return 0;
    }
    snprintf(msg, msg_size, "unexpected argument '%s'", arg);
    return -1;
}

int cli_parse_args(int argc, char **argv, cli_options *opts, char *msg, size_t msg_size)
{
    memset(opts, 0, sizeof *opts);
    opts->format = CLI_FORMAT_TABLE;
    msg[0] = '\0';

    struct option longopts[FLAG_COUNT + 1];
    char shortopts[3 + 2 * FLAG_COUNT + 1];
    size_t ns = 0;
    /* '+': stop at the first word (the subcommand is handled here); ':': report a missing value as ':'. */
    shortopts[ns++] = '+';
    shortopts[ns++] = ':';
    for (size_t k = 0; k < FLAG_COUNT; k++) {
        longopts[k].name = FLAGS[k].name;
        longopts[k].has_arg = FLAGS[k].takes_value ? required_argument : no_argument;
        longopts[k].flag = NULL;
        longopts[k].val = (int)FLAGS[k].id;
        if (FLAGS[k].short_name != 0) {
            shortopts[ns++] = FLAGS[k].short_name;
            if (FLAGS[k].takes_value) {
                shortopts[ns++] = ':';
            }
        }
    }
    shortopts[ns] = '\0';
    memset(&longopts[FLAG_COUNT], 0, sizeof longopts[0]); /* the terminating all-zero entry */

    opterr = 0;
    optind = 0; /* glibc: start afresh, also on a second call */
    int rc = 0;
    while (rc == 0) {
        int start = optind == 0 ? 1 : optind;
        int li = -1;
        int c = getopt_long(argc, argv, shortopts, longopts, &li);
        if (c == -1) {
            if (optind >= argc) {
                break;
            }
            if (strcmp(argv[optind - 1], "--") == 0 && optind - 1 >= start) {
                /* After "--" every word is an argument. */
                for (int i = optind; i < argc && rc == 0; i++) {
                    rc = positional(opts, argv[i], msg, msg_size);
                }
                break;
            }
            rc = positional(opts, argv[optind], msg, msg_size);
            optind++;
            continue;
        }
        const char *typed = start < argc ? argv[start] : "";
        int is_long = strncmp(typed, "--", 2) == 0;
        if (c == '?') {
            if (is_long) {
                explain_long(typed, msg, msg_size);
            } else if (optopt != 0) {
                snprintf(msg, msg_size, "unknown option '-%c'", optopt);
            } else {
                snprintf(msg, msg_size, "unknown option '%.64s'", typed);
            }
            rc = -1;
            break;
        }
        const flag_def *f = flag_by_id(c == ':' ? optopt : c);
        if (f == NULL) {
            snprintf(msg, msg_size, "unknown option '%.64s'", typed);
            rc = -1;
            break;
        }
        char label[64];
        label_of(typed, f, is_long, label, sizeof label);
        if (c == ':') {
            snprintf(msg, msg_size, "%s needs a value", label);
            rc = -1;
            break;
        }
        if (f->takes_value) {
            rc = set_value(opts, f, label, optarg, msg, msg_size);
        } else {
            set_switch(opts, f->id);
        }
    }
    optind = 0;
    if (rc != 0) {
        return -1;
    }
    return opts->help || opts->version ? 0 : check_command(opts, msg, msg_size);
}
