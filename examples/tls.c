/*
 * tls: how a client decides whom to trust.
 *
 *   tls HTTPS_ENDPOINT CA_FILE
 *
 * MODELARTS_PROJECT_ID and MODELARTS_TOKEN come from the environment. Three cases:
 *
 *   system_store  verification on, the system CA store: a server whose certificate comes
 *                 from a private CA is refused (MA_ERR_TLS), before any token is sent;
 *   ca_file       verification on, CA_FILE as the trusted bundle: the call succeeds;
 *   missing_ca_file  a bundle that cannot be read: refused by ma_client_new() (MA_ERR_INVALID_ARG);
 *   plain_http    http:// to a host that is not loopback: refused by ma_client_new()
 *                 (MA_ERR_INVALID_ARG), nothing is sent.
 *
 * Exit status: 0 when every case ended as the comment above says, 1 otherwise, 2 bad usage.
 */
#include <stdio.h>
#include <stdlib.h>

#include <modelarts/modelarts.h>

/* Creates a client and lists one page; returns the status of whichever step failed. */
static ma_status try_endpoint(const char *endpoint, const char *ca_file, const ma_credentials *cred,
                              const char *project_id, ma_error *err)
{
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    opts.endpoint = endpoint;
    opts.project_id = project_id;
    opts.credentials = cred;
    opts.ca_file = ca_file; /* NULL: the system store */
    /* opts.insecure_skip_tls_verify stays 0. Setting it lets anyone on the path read the token: never in production. */
    ma_client *client = NULL;
    ma_job_list *jobs = NULL;
    ma_status st = ma_client_new(&client, &opts, err);
    if (st == MA_OK)
        st = ma_list_training_jobs(client, NULL, &jobs, err);
    ma_job_list_free(jobs);
    ma_client_free(client);
    return st;
}

static int expect(const char *name, ma_status got, ma_status want, const ma_error *err)
{
    printf("%s: %s%s%s\n", name, ma_status_name(got), got == MA_OK ? "" : ": ", got == MA_OK ? "" : err->message);
    return got == want ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *project_id = getenv("MODELARTS_PROJECT_ID");
    const char *token = getenv("MODELARTS_TOKEN");
    if (argc != 3 || !project_id || !token) {
        fprintf(stderr, "usage: tls HTTPS_ENDPOINT CA_FILE (with MODELARTS_PROJECT_ID, MODELARTS_TOKEN)\n");
        return 2;
    }
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_credentials *cred = NULL;
    int failures = 1;
    if (ma_credentials_new_token(&cred, token, NULL, &err) == MA_OK) {
        failures = 0;
        failures += expect("system_store", try_endpoint(argv[1], NULL, cred, project_id, &err), MA_ERR_TLS, &err);
        failures += expect("ca_file", try_endpoint(argv[1], argv[2], cred, project_id, &err), MA_OK, &err);
        failures += expect("missing_ca_file", try_endpoint(argv[1], "/nonexistent/ca.pem", cred, project_id, &err),
                           MA_ERR_INVALID_ARG, &err);
        failures += expect("plain_http", try_endpoint("http://modelarts.example.com", NULL, cred, project_id, &err),
                           MA_ERR_INVALID_ARG, &err);
    }
    ma_credentials_free(cred);
    ma_global_cleanup();
    return failures == 0 ? 0 : 1;
}
