/* Writing a list, or a prefix of it, through the row writers. */
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>

int cli_write_list(int (*writer)(FILE *, const cli_rows *), FILE *out, const ma_job_list *jobs, size_t limit,
                   const cli_view *view)
{
    size_t n = ma_job_list_count(jobs);
    if (n > limit) {
        n = limit;
    }
    const ma_job **at = malloc((n > 0 ? n : 1) * sizeof *at);
    if (at == NULL) {
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        at[i] = ma_job_list_at(jobs, i);
    }
    cli_rows rows = {
        view, at, n, ma_job_list_total_count(jobs), ma_job_list_count_limit(jobs), ma_job_list_quotas(jobs)};
    int rc = writer(out, &rows);
    free(at);
    return rc;
}

int cli_write_table(FILE *out, const ma_job_list *jobs)
{
    return cli_write_list(cli_write_table_rows, out, jobs, SIZE_MAX, NULL);
}

int cli_write_json(FILE *out, const ma_job_list *jobs)
{
    return cli_write_list(cli_write_json_rows, out, jobs, SIZE_MAX, NULL);
}

int cli_write_jsonl(FILE *out, const ma_job_list *jobs)
{
    return cli_write_list(cli_write_jsonl_rows, out, jobs, SIZE_MAX, NULL);
}

int cli_write_csv(FILE *out, const ma_job_list *jobs)
{
    return cli_write_list(cli_write_csv_rows, out, jobs, SIZE_MAX, NULL);
}
