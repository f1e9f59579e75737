/* --help and --version texts. */
#include "cli.h"

#include <curl/curl.h>
#include <jansson.h>

void cli_print_usage_hint(FILE *out)
{
    fputs("Try 'ma-jobs --help' for more information.\n", out);
}

void cli_print_help(FILE *out)
{
    fputs("Usage: ma-jobs [OPTION]...\n"
          "List ModelArts training jobs (GET /v1/{project_id}/training-jobs).\n"
          "\n"
          "Connection:\n"
          "  --endpoint URL        service endpoint, e.g. https://modelarts.eu-de.otc.t-systems.com\n"
          "                        (default: $MODELARTS_ENDPOINT)\n"
          "  --project-id ID       project id (default: $MODELARTS_PROJECT_ID)\n"
          "  --timeout-ms N        whole-request timeout in milliseconds, 0 = none (default 60000)\n"
          "\n"
          "Query (checked by the library before anything is sent):\n"
          "  --status S            only jobs in status S: a number 0..22 or a name from the status\n"
          "                        table, e.g. RUNNING, running, JOBSTAT_RUNNING, MOUNT_FAILED\n"
          "  --per-page N          jobs per page, 1..1000\n"
          "  --page N              page number, 1..65535 (with --all: the page to start from)\n"
          "  --sort-by KEY         job_name, job_desc, status, duration, version_count or create_time\n"
          "  --order asc|desc      sort order\n"
          "  --search TEXT         only jobs whose name contains TEXT (at most 64 characters)\n"
          "  --workspace-id ID     only jobs in this workspace\n"
          "\n"
          "Paging:\n"
          "  --all                 fetch every page, not just one (progress on stderr if it is a terminal;\n"
          "                        Ctrl-C stops cleanly after the pages in flight, a second Ctrl-C kills)\n"
          "  --limit N             with --all: stop after N jobs\n"
          "  --parallel N          with --all: pages in flight, 1..16 (default 4); output order is unchanged\n"
          "\n"
          "Output:\n"
          "  --format FMT          table (default), json (the API's response shape), jsonl (one job\n"
          "                        per line) or csv (RFC 4180, CRLF line ends)\n"
          "  --help                show this help and exit\n"
          "  --version             show the versions of ma-jobs, libmodelarts, libcurl and jansson\n"
          "\n"
          "Every option also accepts the form --option=value.\n"
          "\n"
          "Environment:\n"
          "  MODELARTS_ENDPOINT    endpoint when --endpoint is not given\n"
          "  MODELARTS_PROJECT_ID  project id when --project-id is not given\n"
          "  MODELARTS_TOKEN       IAM token sent as X-Auth-Token (required). Secrets are never\n"
          "                        taken as arguments, where ps would show them: --token, --password,\n"
          "                        --sk, --ak-sk and the like are refused.\n"
          "\n"
          "Exit status:\n"
          "  0  success\n"
          "  1  other failure: out of memory, internal error, writing the output failed\n"
          "  2  usage error: bad option or value, refused secret option, missing endpoint,\n"
          "     project id or token\n"
          "  3  authentication failed (HTTP 401/403)\n"
          "  4  service error: error reply, not found, rate limited, server error, unexpected HTTP\n"
          "     status, malformed or too large response\n"
          "  5  network failure: connection, timeout or TLS\n"
          "  6  cancelled (Ctrl-C during --all)\n"
          "\n"
          "Examples:\n"
          "  export MODELARTS_ENDPOINT=https://modelarts.eu-de.otc.t-systems.com\n"
          "  export MODELARTS_PROJECT_ID=0123456789abcdef0123456789abcdef MODELARTS_TOKEN=...\n"
          "  ma-jobs --status RUNNING\n"
          "  ma-jobs --all --sort-by create_time --order desc --format csv > jobs.csv\n"
          "  ma-jobs --all --format json | jq '.jobs[] | select(.status == 11) | .job_id'\n"
          "  ma-jobs --all --limit 100 --parallel 8 --format jsonl\n",
          out);
}

void cli_print_version(FILE *out)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);
    fprintf(out, "ma-jobs %s\n", MA_VERSION_STRING);
    fprintf(out, "libmodelarts %s (built against %s)\n", ma_version(), MA_VERSION_STRING);
    fprintf(out, "libcurl %s\n", curl != NULL && curl->version != NULL ? curl->version : "unknown");
    fprintf(out, "jansson %s (built against %s)\n", jansson_version_str(), JANSSON_VERSION);
}
