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
    /* 6 (cancelled) until 0.4; a signal now exits as a shell expects: */
    CLI_EXIT_INTERRUPTED = 130, /* 128 + SIGINT (Ctrl-C) */
    CLI_EXIT_TERMINATED = 143,  /* 128 + SIGTERM */
    /* ma-jobs wait: how the job ended. Completed is CLI_EXIT_OK. */
    CLI_EXIT_JOB_FAILED = 10,
    CLI_EXIT_JOB_CANCELLED = 11, /* cancelled or stopped */
    CLI_EXIT_WAIT_TIMEOUT = 12,  /* still running when --timeout expired */
    CLI_EXIT_JOB_NOT_FOUND = 13
};

typedef enum cli_command { CLI_COMMAND_LIST, CLI_COMMAND_WAIT, CLI_COMMAND_CONFIG } cli_command;

typedef enum cli_format { CLI_FORMAT_TABLE, CLI_FORMAT_JSON, CLI_FORMAT_JSONL, CLI_FORMAT_CSV } cli_format;

/* Columns for --columns: the csv header's names, in that order. */
typedef enum cli_column {
    CLI_COL_JOB_ID,
    CLI_COL_VERSION_ID,
    CLI_COL_JOB_NAME,
    CLI_COL_JOB_DESC,
    CLI_COL_STATUS,
    CLI_COL_STATUS_NAME,
    CLI_COL_CREATE_TIME,
    CLI_COL_CREATE_TIME_MS,
    CLI_COL_DURATION_MS,
    CLI_COL_VERSION_COUNT,
    CLI_COL_COUNT
} cli_column;

/* Most columns one --columns list holds (a column may repeat). */
#define CLI_MAX_COLUMNS 32

/* Most statuses one --status set holds (the table has 23; numbers beyond it are the library's to refuse). */
#define CLI_MAX_STATUSES 64

/* Flags whose values the library checks; their spelling is kept so its message can name the flag. */
enum {
    CLI_SPELLED_STATUS,
    CLI_SPELLED_PER_PAGE,
    CLI_SPELLED_PAGE,
    CLI_SPELLED_SEARCH,
    CLI_SPELLED_WORKSPACE_ID,
    CLI_SPELLED_REGION,
    CLI_SPELLED_COUNT
};

typedef struct cli_options {
    const char *endpoint;   /* NULL: not given */
    const char *project_id; /* NULL: not given */
    const char *region;     /* NULL: not given */
    const char *os_cloud;   /* NULL: not given (OS_CLOUD then) */
    int metadata;           /* --credentials metadata */
    int has_cloud;
    ma_cloud cloud;
    int has_status;
    int status_count; /* --status values, in the order given, without repeats */
    int statuses[CLI_MAX_STATUSES];
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
    int all;                  /* --all was given */
    int walk;                 /* every page (no --page, or --all): set once parsing succeeded */
    int has_limit;
    size_t limit;
    int has_parallel;
    unsigned int parallel;
    cli_format format;
    int has_format;
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
    int has_max_failures;
    int max_failures; /* failed looks in a row a wait goes on after */
    int has_max_width;
    size_t max_width; /* --max-width; 0 = unlimited */
    int column_count; /* --columns; 0: the format's own */
    cli_column columns[CLI_MAX_COLUMNS];
    int no_header;
    int ids_as_strings;
    /* How each CLI_SPELLED_* flag was typed, e.g. "--per-page", "--per (--per-page)" or "-s". */
    char spelled[CLI_SPELLED_COUNT][64];
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

/* The table's STATUS cell: the name without JOBSTAT_ (RUNNING), or e.g. "UNRECOGNIZED(99)" for a newer value. */
void cli_status_short_label(int32_t status, char *buf, size_t size);
/* The full status table name (JOBSTAT_RUNNING), or e.g. "UNRECOGNIZED(99)" for a newer value. */
void cli_status_label(int32_t status, char *buf, size_t size);

/* --- duration.c -------------------------------------------------------- */

/* Longest duration accepted: 30 days. */
#define CLI_DURATION_MAX_MS ((int64_t)30 * 24 * 60 * 60 * 1000)

/* "500ms", "2s", "5m", "1h" or a plain number of seconds, at most CLI_DURATION_MAX_MS. Returns 0 or -1. */
int cli_parse_duration(const char *text, int64_t *ms);

/*
 * A time span for people, in the units cli_parse_duration() takes: "450ms" under a
 * second, else whole seconds from the largest unit down, e.g. "6s", "14m 3s",
 * "2h 0m 5s", "3d 1h 2m 0s". A negative span is written as 0ms.
 */
void cli_format_elapsed(int64_t ms, char *buf, size_t size);

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
/* The exit code for the stop signal that came: CLI_EXIT_TERMINATED for SIGTERM, else CLI_EXIT_INTERRUPTED. */
int cli_stop_exit_code(void);
/* Sleeps @p ms, returning early when a stop signal comes. */
void cli_stop_sleep(int64_t ms);

/* --- config_cmd.c ------------------------------------------------------ */

/*
 * Prints what `ma-jobs config` shows: each setting, its value and where it
 * came from, secrets never shown. JSON with @p json. Returns 0, or -1 when
 * writing or formatting failed.
 */
int cli_print_config(FILE *out, const ma_client_options *co, const ma_env_settings *settings, int json);

/* --- wait_policy.c ----------------------------------------------------- */

/* Default of --max-failures: failed looks in a row a wait goes on after. */
#define CLI_WAIT_DEFAULT_MAX_FAILURES 5
/* Largest --max-failures accepted. */
#define CLI_WAIT_MAX_FAILURES_LIMIT 10000
/* Longest pause between two looks, unless --interval or the service asks for longer. */
#define CLI_WAIT_PAUSE_CAP_MS 60000

/*
 * Whether a failed look ends the wait at once because looking again cannot
 * help: rejected credentials, a wrong endpoint or project, a request the
 * service refuses, an answer that cannot be read. Throttling, server errors,
 * network failures and timeouts may heal, so the wait goes on after them.
 */
int cli_wait_failure_is_final(const ma_error *err);

/*
 * The pause after the @p failures'th failed look in a row (from 1), with the
 * looks' interval at @p interval_ms and @p jitter in [0, 1). A throttled look
 * waits at least the service's Retry-After, else the time its stated limit
 * grants one request; without either, and after any other failure, the pause
 * doubles from the interval up to CLI_WAIT_PAUSE_CAP_MS (or the interval when
 * longer), jittered within its upper half: the n'th failure pauses between
 * interval * 2^(n-1) and interval * 2^n. Never shorter than the interval, nor
 * than a Retry-After.
 */
int64_t cli_wait_failure_pause(const ma_error *err, int64_t interval_ms, int failures, double jitter);

/*
 * Whether the service said how long to wait after @p err (a Retry-After, or the
 * limit a throttling message stated), so that no poll may come sooner.
 */
int cli_wait_pause_is_stated(const ma_error *err);

/*
 * Describes a failed look for its progress line: "throttled: HTTP 429 APIG.0308,
 * limit 10 per 1 minute", "MA_ERR_SERVER: HTTP 503 ModelArts.9009" or
 * "MA_ERR_TRANSPORT: <the library's message>".
 */
void cli_wait_describe_failure(const ma_error *err, char *buf, size_t size);

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

/*
 * Bytes of the longest prefix of the UTF-8 @p text that fits in @p max_width
 * terminal cells; its width goes to @p *width.
 */
size_t cli_display_prefix(const char *text, size_t max_width, size_t *width);

/* "2018-04-20T02:06:30.635Z" for milliseconds since the epoch (UTC). */
void cli_format_iso8601(int64_t ms, char *buf, size_t size);

/* "h:mm:ss" (milliseconds truncated; "-" in front when negative). */
void cli_format_duration(int64_t ms, char *buf, size_t size);

/* Appends one CSV field (RFC 4180: quoted when it holds , " CR or LF; quotes doubled). */
int cli_csv_field(cli_str *out, const char *field);

/* --- output formats ---------------------------------------------------- */

/* The column's name ("job_id", ...). */
const char *cli_column_name(cli_column column);
/* Parses "job_id,job_name,status" into @p columns; returns the count, or -1 with the bad name in @p bad. */
int cli_parse_columns(const char *text, cli_column *columns, char *bad, size_t bad_size);

/* How the rows are shown (a zero struct: the defaults). */
typedef struct cli_view {
    const cli_column *columns; /* table, csv, jsonl: these columns in this order; NULL: the format's own */
    int column_count;
    size_t max_width;   /* table: cells per line, 0 = unlimited */
    int no_header;      /* table and csv: no header line */
    int ids_as_strings; /* json and jsonl: job_id and version_id as strings */
} cli_view;

/* The jobs an output shows: a page, a gathered walk (also a cut-short one), or a prefix of either. */
typedef struct cli_rows {
    const cli_view *view;      /* NULL: the defaults */
    const ma_job *const *jobs; /* borrowed */
    size_t count;
    int64_t total_count; /* json's job_total_count */
    int64_t count_limit; /* -1: leave out */
    int64_t quotas;      /* -1: leave out */
} cli_rows;

/* Each returns 0, or -1 when out of memory (write errors are left to the stream's error flag). */
int cli_write_table_rows(FILE *out, const cli_rows *rows);
int cli_write_json_rows(FILE *out, const cli_rows *rows);
int cli_write_jsonl_rows(FILE *out, const cli_rows *rows);
int cli_write_csv_rows(FILE *out, const cli_rows *rows);

/* The same for every job of a list. */
int cli_write_table(FILE *out, const ma_job_list *jobs);
int cli_write_json(FILE *out, const ma_job_list *jobs);
int cli_write_jsonl(FILE *out, const ma_job_list *jobs);
int cli_write_csv(FILE *out, const ma_job_list *jobs);

/*
 * Runs @p writer on the first @p limit jobs of @p jobs (SIZE_MAX: all).
 * Returns the writer's result, or -1 when out of memory.
 */
int cli_write_list(int (*writer)(FILE *, const cli_rows *), FILE *out, const ma_job_list *jobs, size_t limit,
                   const cli_view *view);

/* Row at a time, for streaming a walk (jsonl, csv). @p view is nullable. */
int cli_jsonl_row(FILE *out, const ma_job *job, const cli_view *view);
void cli_csv_header(FILE *out, const cli_view *view);
int cli_csv_row(FILE *out, const ma_job *job, const cli_view *view);

/* --- fetch.c ----------------------------------------------------------- */

/* Outcome of cli_fetch(): the library status and whether formatting ran out of memory. */
typedef struct cli_fetch_result {
    ma_status status;
    int format_failed;
    size_t shown;  /* jobs written */
    int64_t total; /* jobs that matched, as the service counted them; -1: unknown */
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
/* Prints a value the library refused as the user's flag: "ma-jobs: --per-page must be in [1, 1000], got 0". */
void cli_report_flag_error(FILE *err_out, const char *flag, const ma_error *err);

/* --- help.c ------------------------------------------------------------ */

void cli_print_help(FILE *out);
void cli_print_usage_hint(FILE *out);
void cli_print_version(FILE *out);

#endif
