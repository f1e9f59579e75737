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
          "  --endpoint URL      service endpoint, e.g.\n"
          "                      https://modelarts.eu-de.otc.t-systems.com\n"
          "                      (wins over --region and the environment)\n"
          "  --region NAME       the region's standard endpoint, e.g. eu-de\n"
          "  --cloud CLOUD       otc (default) or huaweicloud: the cloud of --region\n"
          "  --project-id ID     project id (default: from the environment)\n"
          "  --timeout-ms N      deadline of the whole command in ms, every request,\n"
          "                      retry and wait included; 0 = none (default: 60000\n"
          "                      per request, no overall deadline)\n"
          "  --retries N         retries after a failed attempt, 0..99 (default 2):\n"
          "                      connection failures, timeouts before any answer and\n"
          "                      HTTP 429/502/503/504 only, never 401/403\n"
          "  --cacert FILE       trust the CAs in this PEM file instead of the system's\n"
          "  --insecure          do not verify the TLS certificate or host name.\n"
          "                      DANGEROUS: anyone on the path can read the token\n"
          "  --verbose           log every request, status, attempt and timing to\n"
          "                      stderr (credentials masked, bodies never shown)\n"
          "\n"
          "Query (checked by the library before anything is sent):\n"
          "  --status S          only jobs in status S: a number 0..22 or a name from\n"
          "                      the status table: RUNNING, running, JOBSTAT_RUNNING,\n"
          "                      MOUNT_FAILED, ...\n"
          "  --per-page N        jobs per page, 1..1000\n"
          "  --page N            page number, 1..65535 (with --all: the first page)\n"
          "  --sort-by KEY       job_name, job_desc, status, duration, version_count\n"
          "                      or create_time\n"
          "  --order asc|desc    sort order\n"
          "  --search TEXT       only jobs whose name contains TEXT (<= 64 characters)\n"
          "  --workspace-id ID   only jobs in this workspace\n"
          "\n"
          "Paging:\n"
          "  --all               fetch every page, not just one. Progress goes to\n"
          "                      stderr when it is a terminal. Ctrl-C stops cleanly\n"
          "                      once the pages in flight are in; a second one kills.\n"
          "  --limit N           with --all: stop after N jobs\n"
          "  --parallel N        with --all: pages in flight, 1..16 (default 4);\n"
          "                      the output order does not change\n"
          "\n"
          "Output:\n"
          "  --format FMT        table (default), json (the API's response shape),\n"
          "                      jsonl (one job per line) or csv (RFC 4180, CRLF)\n"
          "  --help              show this help and exit\n"
          "  --version           show the ma-jobs, libmodelarts, libcurl and jansson\n"
          "                      versions and exit\n"
          "\n"
          "Every option also accepts the form --option=value.\n"
          "\n",
          out);
    fputs("Environment (credentials are never taken as arguments, where ps shows\n"
          "them: --token, --password, --sk, --security-token and the like are refused):\n"
          "  MODELARTS_ENDPOINT       endpoint\n"
          "  MODELARTS_PROJECT_ID     project id; else HUAWEICLOUD_SDK_PROJECT_ID, else\n"
          "                           OS_PROJECT_ID, else (password login) looked up\n"
          "  MODELARTS_TOKEN          1. IAM token, sent as X-Auth-Token\n"
          "  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK\n"
          "                           2. AK/SK request signing; temporary AK/SK also\n"
          "                           need HUAWEICLOUD_SDK_SECURITY_TOKEN\n"
          "  OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_USER_DOMAIN_NAME\n"
          "                           3. password login at the IAM of OS_AUTH_URL,\n"
          "                           scoped to OS_PROJECT_ID or OS_PROJECT_NAME\n"
          "  OS_REGION_NAME           region of the standard endpoint\n"
          "Precedence: flags win over the environment; the first complete credential\n"
          "method (1, 2, 3) is used, but a half-set one is an error. Endpoint:\n"
          "--endpoint, --region, MODELARTS_ENDPOINT, OS_REGION_NAME.\n"
          "\n"
          "Exit status:\n"
          "  0  success\n"
          "  1  other failure: out of memory, internal error, writing the output\n"
          "     failed (e.g. a closed pipe or a full disk)\n"
          "  2  usage error: bad option or value, refused secret option, unknown\n"
          "     region, missing endpoint, project id or credentials, half-set\n"
          "     environment (the message names the missing variable)\n"
          "  3  authentication failed (HTTP 401/403)\n"
          "  4  service error: error reply, not found, rate limited, server error,\n"
          "     unexpected HTTP status, malformed or too large response\n"
          "  5  network failure: connection, timeout or TLS\n"
          "  6  cancelled (Ctrl-C during --all)\n"
          "\n"
          "Examples:\n"
          "  export MODELARTS_ENDPOINT=https://modelarts.eu-de.otc.t-systems.com\n"
          "  export MODELARTS_PROJECT_ID=... MODELARTS_TOKEN=...\n"
          "  ma-jobs --status RUNNING\n"
          "  ma-jobs --all --sort-by create_time --order desc --format csv > jobs.csv\n"
          "  ma-jobs --all --format json | jq '.jobs[] | select(.status == 11)'\n"
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
