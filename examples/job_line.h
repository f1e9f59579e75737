/*
 * What the list examples share: one job as one line of text (list_jobs prints them the same way, so
 * their outputs can be compared line for line), and a failure reported on stderr.
 */
#ifndef EXAMPLES_JOB_LINE_H
#define EXAMPLES_JOB_LINE_H

#include <stdio.h>
#include <time.h>

#include <modelarts/modelarts.h>

static void job_line_print_time(int64_t epoch_ms)
{
    time_t secs = (time_t)(epoch_ms / 1000);
    struct tm tm;
    char text[32] = "?";
    if (gmtime_r(&secs, &tm))
        strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("%-21s", text);
}

/* Job names are arbitrary UTF-8; control characters are shown escaped so one job stays on one line. */
static void job_line_print_escaped(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\t')
            fputs("\\t", stdout);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20 || c == 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

/* One job: id, version, status, creation time, duration, version count, name. */
static void job_line_print(const ma_job *job)
{
    printf("%-20lld %-10lld %-32s ", (long long)job->job_id, (long long)job->version_id,
           ma_job_status_name(job->status));
    job_line_print_time(job->create_time_ms);
    printf(" %10lld %4lld  ", (long long)(job->duration_ms / 1000), (long long)job->version_count);
    job_line_print_escaped(job->job_name);
    putchar('\n');
}

/* "program: what: status text (NAME), HTTP n: message" on stderr; returns 1, the exit status. */
static int job_line_report(const char *program, const char *what, ma_status st, const ma_error *err)
{
    fprintf(stderr, "%s: %s: %s (%s)", program, what, ma_status_str(st), ma_status_name(st));
    if (err->http_status)
        fprintf(stderr, ", HTTP %d", err->http_status);
    if (err->message[0])
        fprintf(stderr, ": %s", err->message);
    fputc('\n', stderr);
    return 1;
}

#endif
