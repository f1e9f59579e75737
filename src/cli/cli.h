/*
 * Internal interfaces of the ma-jobs command-line tool. The tool uses only the
 * public modelarts headers; nothing here is installed.
 */
#ifndef MA_CLI_H
#define MA_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <modelarts/modelarts.h>

/* Exit codes; documented in --help. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FAILURE = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_AUTH = 3,
    CLI_EXIT_SERVICE = 4,
    CLI_EXIT_NETWORK = 5,
    CLI_EXIT_CANCELLED = 6,
    /* ma-jobs wait: how the job ended. Completed is CLI_EXIT_OK. */
    CLI_EXIT_JOB_FAILED = 10,
    CLI_EXIT_JOB_CANCELLED = 11, /* cancelled or stopped */
    CLI_EXIT_WAIT_TIMEOUT = 12,  /* still running when --timeout expired */
    CLI_EXIT_JOB_NOT_FOUND = 13
};

typedef enum cli_command { CLI_COMMAND_LIST, CLI_COMMAND_WAIT, CLI_COMMAND_CONFIG } cli_command;

typedef enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_JSONL, CLI_FORMAT_CSV } cli_format;

typedef struct cli_options {
    const char *endpoint;   /* NULL: not given */
    const char *project_id; /* NULL: not given */
    const char *region;     /* NULL: not given */
    const char *os_cloud;   /* NULL: not given (OS_CLOUD then) */
    int metadata;           /* --credentials metadata */
    int has_cloud;
    ma_cloud cloud;
    int has_status;
    int status;
    int has_per_page;
    int per_page;
    int has_page;
    int page;
    int has_sort_by;
    ma_sort_key sort_by;
    int has_order;
    ma_sort_order order;
    const char *search;       /* NULL: not given */
    const char *workspace_id; /* NULL: not given */
    int all;
    int has_limit;
    size_t limit;
    int has_parallel;
    unsigned int parallel;
    cli_format format;
    int has_timeout;
    long timeout_ms; /* the whole command: every request, retry and wait */
    int has_retries;
    int retries;        /* retries after the first attempt */
    int verbose;        /* the library's log on stderr */
    const char *cacert; /* NULL: the system store */
    int insecure;       /* TLS verification off */
    int help;
    int version;
    /* ma-jobs wait */
    cli_command command;
    int has_job_id;
    int64_t job_id;
    const char *name; /* NULL: not given */
    int has_wait_timeout;
    int64_t wait_timeout_ms;
    int has_interval;
    int64_t interval_ms;
} cli_options;

/* --- args.c ------------------------------------------------------------ */

/*
 * Parses argv[1..argc-1] into @p opts (which it initialises). Returns 0, or -1
 * with a one-line reason in @p msg (never containing a refused secret's value).
 */
int cli_parse_args(int argc, char **argv, cli_options *opts, char *msg, size_t msg_size);

/* --- status_names.c ---------------------------------------------------- */

/*
 * Parses a job status: a decimal number (range left to the library's setter)
 * or a status table name, case-insensitive, with or without "JOBSTAT_".
 * Returns 0 or -1.
 */
int cli_parse_status(const char *text, int *out);
int cli_parse_sort_key(const char *text, ma_sort_key *out);
int cli_parse_order(const char *text, ma_sort_order *out);
int cli_parse_format(const char *text, cli_format *out);

/* The table's STATUS cell: the status table name, or e.g. "UNRECOGNIZED(99)" for a newer value. */
void cli_status_label(int32_t status, char *buf, size_t size);

/* --- duration.c -------------------------------------------------------- */

/* Longest duration accepted: 30 days. */
#define CLI_DURATION_MAX_MS ((int64_t)30 * 24 * 60 * 60 * 1000)

/* "500ms", "2s", "5m", "1h" or a plain number of seconds, at most CLI_DURATION_MAX_MS. Returns 0 or -1. */
int cli_parse_duration(const char *text, int64_t *ms);

/* --- job_outcome.c ----------------------------------------------------- */

typedef enum cli_job_outcome { CLI_JOB_RUNNING, CLI_JOB_COMPLETED, CLI_JOB_FAILED, CLI_JOB_CANCELLED } cli_job_outcome;

/* Which of the status table's groups @p status is in; values the table lacks count as still running. */
cli_job_outcome cli_job_outcome_of(int32_t status);
/* "running", "completed", "failed" or "cancelled". */
const char *cli_job_outcome_name(cli_job_outcome outcome);
/* The exit code of a wait that ended with @p outcome (running: the timeout's). */
int cli_job_outcome_exit_code(cli_job_outcome outcome);

/* --- stop.c ------------------------------------------------------------ */

/* SIGINT and SIGTERM set a flag that stops --all or wait, also in the middle of a request or a sleep. */
void cli_stop_install(void);
/* The stop signal that came (SIGINT, SIGTERM), or 0. */
int cli_stop_signal(void);
/* A ma_cancel_fn: non-zero once a stop signal came. */
int cli_stop_cancel_hook(void *user_data);
/* Sleeps @p ms, returning early when a stop signal comes. */
void cli_stop_sleep(int64_t ms);

/* --- config_cmd.c ------------------------------------------------------ */

/*
 * Prints what `ma-jobs config` shows: each setting, its value and where it
 * came from, secrets never shown. JSON with @p json. Returns 0, or -1 when
 * writing or formatting failed.
 */
int cli_print_config(FILE *out, const ma_client_options *co, const ma_env_settings *settings, int json);

/* --- wait.c ------------------------------------------------------------ */

/* Runs `ma-jobs wait`: status changes to @p out, messages to @p err_out. Returns the exit code. */
int cli_wait(const cli_options *opts, ma_client *client, FILE *out, FILE *err_out);

/* --- text.c ------------------------------------------------------------ */

typedef struct cli_str {
    char *data; /* NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
} cli_str;

void cli_str_free(cli_str *s);
int cli_str_append(cli_str *s, const char *bytes, size_t n);
int cli_str_puts(cli_str *s, const char *text);

/* Terminal columns of one code point: 0 (combining, zero width), 1 or 2 (East Asian wide). */
int cli_codepoint_width(uint32_t cp);

/*
 * Appends @p text made safe for a terminal: control characters as \n, \t, \r
 * or \xNN, a backslash as \\, invalid UTF-8 bytes as \xNN. Adds the display
 * width of what it appended to @p *width. Returns 0 or -1 (out of memory).
 */
int cli_escape_display(cli_str *out, const char *text, size_t *width);

/* "2018-04-20T02:06:30.635Z" for milliseconds since the epoch (UTC). */
void cli_format_iso8601(int64_t ms, char *buf, size_t size);

/* "h:mm:ss" (milliseconds truncated; "-" in front when negative). */
void cli_format_duration(int64_t ms, char *buf, size_t size);

/* Appends one CSV field (RFC 4180: quoted when it holds , " CR or LF; quotes doubled). */
int cli_csv_field(cli_str *out, const char *field);

/* --- output formats ---------------------------------------------------- */

/* Each returns 0, or -1 when out of memory (write errors are left to the stream's error flag). */
int cli_write_table(FILE *out, const ma_job_list *jobs);
int cli_write_json(FILE *out, const ma_job_list *jobs);
int cli_write_jsonl(FILE *out, const ma_job_list *jobs);
int cli_write_csv(FILE *out, const ma_job_list *jobs);

/* Row at a time, for streaming a walk (jsonl, csv). */
int cli_jsonl_row(FILE *out, const ma_job *job);
void cli_csv_header(FILE *out);
int cli_csv_row(FILE *out, const ma_job *job);

/* --- fetch.c ----------------------------------------------------------- */

/* Outcome of cli_fetch(): the library status and whether formatting ran out of memory. */
typedef struct cli_fetch_result {
    ma_status status;
    int format_failed;
} cli_fetch_result;

/*
 * Fetches what @p opts asks for and writes it to @p out: one page, or with
 * --all every page (jsonl and csv stream row by row through the iterator and
 * stop at the first write error; table and json gather the whole list first).
 */
cli_fetch_result cli_fetch(const cli_options *opts, ma_client *client, const ma_job_query *query, FILE *out,
                           ma_error *err);

/* --- errors.c ---------------------------------------------------------- */

int cli_exit_code(ma_status status);
/* Prints "ma-jobs: <what>: <NAME>: <message> (HTTP n, service code c, request id r)". */
void cli_report_error(FILE *err_out, const char *what, const ma_error *err);

/* --- help.c ------------------------------------------------------------ */

void cli_print_help(FILE *out);
void cli_print_usage_hint(FILE *out);
void cli_print_version(FILE *out);

#endif
