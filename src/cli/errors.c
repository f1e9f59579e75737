/* Library status -> exit code, and the one-line error report on stderr. */
#include "cli.h"

#include <string.h>

int cli_exit_code(ma_status status)
{
    switch (status) {
    case MA_OK:
        return CLI_EXIT_OK;
    case MA_ERR_INVALID_ARG:
        return CLI_EXIT_USAGE;
    case MA_ERR_UNAUTHORIZED:
        return CLI_EXIT_AUTH;
    case MA_ERR_SERVICE:
    case MA_ERR_NOT_FOUND:
    case MA_ERR_RATE_LIMITED:
    case MA_ERR_SERVER:
    case MA_ERR_HTTP:
    case MA_ERR_PROTOCOL:
    case MA_ERR_RESPONSE_TOO_LARGE:
        return CLI_EXIT_SERVICE;
    case MA_ERR_TRANSPORT:
    case MA_ERR_TIMEOUT:
    case MA_ERR_TLS:
        return CLI_EXIT_NETWORK;
    case MA_ERR_CANCELLED:
        return CLI_EXIT_INTERRUPTED; /* the tool cancels only on a signal; main tells which */
    case MA_ERR_NOMEM:
    case MA_ERR_NOT_INITIALIZED:
        break;
    }
    return CLI_EXIT_FAILURE;
}

void cli_report_error(FILE *err_out, const char *what, const ma_error *err)
{
    fprintf(err_out, "ma-jobs: %s: %s: %s", what, ma_status_name(err->status),
            err->message[0] != '\0' ? err->message : ma_status_str(err->status));
    const char *sep = " (";
    if (err->http_status != 0) {
        fprintf(err_out, "%sHTTP %d", sep, err->http_status);
        sep = ", ";
    }
    if (err->service_code[0] != '\0') {
        fprintf(err_out, "%sservice code %s", sep, err->service_code);
        sep = ", ";
    }
    if (err->request_id[0] != '\0') {
        fprintf(err_out, "%srequest id %s", sep, err->request_id);
        sep = ", ";
    }
    fputs(sep[0] == ',' ? ")\n" : "\n", err_out);
}

void cli_report_flag_error(FILE *err_out, const char *flag, const ma_error *err)
{
    const char *m = err->message[0] != '\0' ? err->message : ma_status_str(err->status);
    /* The library names its parameter ("per_page must be ..."); the user typed a flag. */
    size_t word = strspn(m, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
    if (word > 0 && strncmp(m + word, " must", 5) == 0) {
        fprintf(err_out, "ma-jobs: %s%s\n", flag, m + word);
    } else {
        fprintf(err_out, "ma-jobs: %s: %s\n", flag, m);
    }
}
