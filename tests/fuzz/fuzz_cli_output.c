/*
 * The ma-jobs output writers over any job list. Input: job-count byte, flags
 * (bit 0 job_count_limit and bit 1 quotas present; bits 2-4 clear the
 * duration, version_count and job_desc presence bits of even-numbered jobs),
 * eight bytes of total, then per job job_id, version_id (8 bytes each),
 * status (4), create_time, duration, version_count (8 each) and
 * NUL-separated name and description. Strings are made valid UTF-8 first, as
 * the decoder guarantees.
 *
 * Checked: every format succeeds; JSON parses back (jansson) to the same
 * page, without the optional fields a job lacks; JSONL has one parsable
 * line per job; CSV has a header and one record of ten fields per job, the
 * fields reading back to the values (an absent optional field empty); the
 * table has one line per job plus the header, valid UTF-8 and no control byte.
 */
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "fuzz.h"
#include "model/job_list.h"
#include "util/text.h"

#define CSV_FIELDS 10

/* Lead byte to sequence length; 0 when it cannot start one. */
static size_t utf8_length(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* Replaces every byte that is not part of a valid sequence with '?'. */
static void make_utf8(char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_length((unsigned char)s[i]);
        if (n > 0 && n <= len - i && ma__utf8_validate(s + i, n, NULL)) {
            i += n;
        } else {
            s[i++] = '?';
        }
    }
}

static ma_job_list *build_list(fuzz_input *in)
{
    ma_job_list *list = ma__job_list_new(ma_default_allocator());
    FUZZ_CHECK(list != NULL, "out of memory");
    size_t count = fuzz_byte(in) % 24;
    uint8_t flags = fuzz_byte(in);
    list->total_count = (int64_t)fuzz_number(in, 8);
    list->count_limit = (flags & 1) ? (int64_t)(fuzz_number(in, 4) & 0x7fffffff) : -1;
    list->quotas = (flags & 2) ? (int64_t)(fuzz_number(in, 4) & 0x7fffffff) : -1;
    for (size_t i = 0; i < count; i++) {
        ma_job *job = ma__job_list_push(list);
        FUZZ_CHECK(job != NULL, "out of memory");
        job->job_id = (int64_t)fuzz_number(in, 8);
        job->version_id = (int64_t)fuzz_number(in, 8);
        MA__JOB_SET_STATUS(job, (int32_t)(uint32_t)fuzz_number(in, 4));
        job->create_time_ms = (int64_t)fuzz_number(in, 8);
        job->duration_ms = (int64_t)fuzz_number(in, 8);
        job->version_count = (int64_t)fuzz_number(in, 8);
        size_t len;
        char *name = fuzz_string(in, &len);
        make_utf8(name, len);
        job->job_name = ma__job_list_store_string(list, name, len);
        free(name);
        char *desc = fuzz_string(in, &len);
        make_utf8(desc, len);
        job = &list->jobs[list->count - 1];
        job->job_desc = ma__job_list_store_string(list, desc, len);
        free(desc);
        /* Odd jobs have every field, so seeds written before the presence bits still cover them all. */
        uint32_t absent = i % 2 == 0 ? (uint32_t)(flags >> 2) & 7u : 0u;
        job->present = (MA_JOB_HAS_DURATION | MA_JOB_HAS_VERSION_COUNT | MA_JOB_HAS_DESC) & ~absent;
        FUZZ_CHECK(job->job_name && job->job_desc, "out of memory");
    }
    return list;
}

typedef struct output {
    char *data;
    size_t len;
} output;

static output write_format(int (*writer)(FILE *, const ma_job_list *), const ma_job_list *list, const char *name)
{
    output o = {NULL, 0};
    FILE *f = open_memstream(&o.data, &o.len);
    FUZZ_CHECK(f != NULL, "open_memstream");
    int rc = writer(f, list);
    FUZZ_CHECK(rc == 0 && !ferror(f), "--format %s failed", name);
    fclose(f);
    return o;
}

static void check_job_json(const json_t *o, const ma_job *job, size_t i)
{
    FUZZ_CHECK(json_is_object(o), "jobs[%zu] not an object", i);
    FUZZ_CHECK(json_integer_value(json_object_get(o, "job_id")) == job->job_id, "jobs[%zu].job_id", i);
    FUZZ_CHECK(json_integer_value(json_object_get(o, "version_id")) == job->version_id, "jobs[%zu].version_id", i);
    FUZZ_CHECK(json_integer_value(json_object_get(o, "status")) == job->status, "jobs[%zu].status", i);
    FUZZ_CHECK(json_integer_value(json_object_get(o, "create_time")) == job->create_time_ms, "jobs[%zu].create_time",
               i);
    const json_t *duration = json_object_get(o, "duration"), *versions = json_object_get(o, "version_count");
    FUZZ_CHECK((job->present & MA_JOB_HAS_DURATION) ? json_integer_value(duration) == job->duration_ms : !duration,
               "jobs[%zu].duration", i);
    FUZZ_CHECK((job->present & MA_JOB_HAS_VERSION_COUNT) ? json_integer_value(versions) == job->version_count
                                                         : !versions,
               "jobs[%zu].version_count", i);
    const char *name = json_string_value(json_object_get(o, "job_name"));
    const json_t *desc = json_object_get(o, "job_desc");
    FUZZ_CHECK(name && strcmp(name, job->job_name) == 0, "jobs[%zu].job_name", i);
    FUZZ_CHECK((job->present & MA_JOB_HAS_DESC)
                   ? json_string_value(desc) && strcmp(json_string_value(desc), job->job_desc) == 0
                   : !desc,
               "jobs[%zu].job_desc", i);
}

static void check_json(const output *o, const ma_job_list *list)
{
    json_error_t jerr;
    json_t *doc = json_loadb(o->data, o->len, JSON_REJECT_DUPLICATES, &jerr);
    FUZZ_CHECK(doc != NULL, "json output does not parse: %s", jerr.text);
    FUZZ_CHECK(json_is_true(json_object_get(doc, "is_success")), "is_success");
    FUZZ_CHECK(json_integer_value(json_object_get(doc, "job_total_count")) == ma_job_list_total_count(list),
               "job_total_count");
    const json_t *limit = json_object_get(doc, "job_count_limit"), *quotas = json_object_get(doc, "quotas");
    FUZZ_CHECK(limit ? json_integer_value(limit) == ma_job_list_count_limit(list) : ma_job_list_count_limit(list) < 0,
               "job_count_limit");
    FUZZ_CHECK(quotas ? json_integer_value(quotas) == ma_job_list_quotas(list) : ma_job_list_quotas(list) < 0,
               "quotas");
    const json_t *jobs = json_object_get(doc, "jobs");
    FUZZ_CHECK(json_array_size(jobs) == ma_job_list_count(list), "%zu jobs in json", json_array_size(jobs));
    for (size_t i = 0; i < ma_job_list_count(list); i++)
        check_job_json(json_array_get(jobs, i), ma_job_list_at(list, i), i);
    json_decref(doc);
}

static void check_jsonl(const output *o, const ma_job_list *list)
{
    const char *p = o->data, *end = o->data + o->len;
    size_t i = 0;
    for (; p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        FUZZ_CHECK(nl != NULL, "jsonl line %zu not terminated", i);
        FUZZ_CHECK(i < ma_job_list_count(list), "more jsonl lines than jobs");
        json_error_t jerr;
        json_t *doc = json_loadb(p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &jerr);
        FUZZ_CHECK(doc != NULL, "jsonl line %zu does not parse: %s", i, jerr.text);
        check_job_json(doc, ma_job_list_at(list, i), i);
        json_decref(doc);
        p = nl + 1;
    }
    FUZZ_CHECK(i == ma_job_list_count(list), "%zu jsonl lines for %zu jobs", i, ma_job_list_count(list));
}

/* Reads one RFC 4180 record at *p into @p fields (malloc'd); returns the field count. */
static size_t csv_record(const char **p, const char *end, char **fields, size_t max)
{
    size_t n = 0;
    for (;;) {
        FUZZ_CHECK(n < max, "more than %zu fields", max);
        size_t cap = (size_t)(end - *p) + 1, len = 0;
        char *f = malloc(cap);
        FUZZ_CHECK(f != NULL, "out of memory");
        if (*p < end && **p == '"') {
            for ((*p)++;; (*p)++) {
                FUZZ_CHECK(*p < end, "unterminated quoted field");
                if (**p == '"') {
                    if (*p + 1 < end && (*p)[1] == '"')
                        (*p)++;
                    else
                        break;
                }
                f[len++] = **p;
            }
            (*p)++;
        } else {
            for (; *p < end && **p != ',' && **p != '\r' && **p != '\n'; (*p)++) {
                FUZZ_CHECK(**p != '"', "quote in an unquoted field");
                f[len++] = **p;
            }
        }
        f[len] = '\0';
        fields[n++] = f;
        if (*p < end && **p == ',') {
            (*p)++;
            continue;
        }
        FUZZ_CHECK(end - *p >= 2 && (*p)[0] == '\r' && (*p)[1] == '\n', "record not ended by CRLF");
        *p += 2;
        return n;
    }
}

static void check_number_field(const char *field, int64_t want, const char *what, size_t i)
{
    char text[32];
    snprintf(text, sizeof text, "%lld", (long long)want);
    FUZZ_CHECK(strcmp(field, text) == 0, "csv row %zu %s \"%s\", expected %s", i, what, field, text);
}

static void check_csv(const output *o, const ma_job_list *list)
{
    const char *p = o->data, *end = o->data + o->len;
    char *fields[CSV_FIELDS];
    size_t n = csv_record(&p, end, fields, CSV_FIELDS);
    FUZZ_CHECK(n == CSV_FIELDS && strcmp(fields[0], "job_id") == 0, "csv header");
    for (size_t k = 0; k < n; k++)
        free(fields[k]);
    for (size_t i = 0; i < ma_job_list_count(list); i++) {
        const ma_job *job = ma_job_list_at(list, i);
        FUZZ_CHECK(p < end, "csv has %zu rows for %zu jobs", i, ma_job_list_count(list));
        n = csv_record(&p, end, fields, CSV_FIELDS);
        FUZZ_CHECK(n == CSV_FIELDS, "csv row %zu has %zu fields", i, n);
        check_number_field(fields[0], job->job_id, "job_id", i);
        check_number_field(fields[1], job->version_id, "version_id", i);
        FUZZ_CHECK(strcmp(fields[2], job->job_name) == 0, "csv row %zu job_name", i);
        FUZZ_CHECK(strcmp(fields[3], job->job_desc) == 0, "csv row %zu job_desc", i);
        check_number_field(fields[4], job->status, "status", i);
        check_number_field(fields[7], job->create_time_ms, "create_time_ms", i);
        if (job->present & MA_JOB_HAS_DURATION)
            check_number_field(fields[8], job->duration_ms, "duration_ms", i);
        else
            FUZZ_CHECK(fields[8][0] == '\0', "csv row %zu duration_ms \"%s\" for an absent duration", i, fields[8]);
        if (job->present & MA_JOB_HAS_VERSION_COUNT)
            check_number_field(fields[9], job->version_count, "version_count", i);
        else
            FUZZ_CHECK(fields[9][0] == '\0', "csv row %zu version_count \"%s\" for an absent count", i, fields[9]);
        for (size_t k = 0; k < n; k++)
            free(fields[k]);
    }
    FUZZ_CHECK(p == end, "bytes after the last csv row");
}

static void check_table(const output *o, const ma_job_list *list)
{
    size_t lines = 0;
    for (size_t i = 0; i < o->len; i++) {
        unsigned char c = (unsigned char)o->data[i];
        FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7f), "control byte 0x%02x in the table", c);
        lines += c == '\n';
    }
    FUZZ_CHECK(o->len > 0 && o->data[o->len - 1] == '\n', "table not ended by a newline");
    FUZZ_CHECK(lines == ma_job_list_count(list) + 1, "%zu table lines for %zu jobs", lines, ma_job_list_count(list));
    FUZZ_CHECK(ma__utf8_validate(o->data, o->len, NULL), "table is not valid UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    ma_job_list *list = build_list(&in);
    output json = write_format(cli_write_json, list, "json");
    output jsonl = write_format(cli_write_jsonl, list, "jsonl");
    output csv = write_format(cli_write_csv, list, "csv");
    output table = write_format(cli_write_table, list, "table");
    check_json(&json, list);
    check_jsonl(&jsonl, list);
    check_csv(&csv, list);
    check_table(&table, list);
    free(json.data);
    free(jsonl.data);
    free(csv.data);
    free(table.data);
    ma_job_list_free(list);
    return 0;
}
