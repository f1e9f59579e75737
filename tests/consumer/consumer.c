/*
 * A program outside the project's build: the consumer tests build it against an
 * installed modelarts (pkg-config, CMake package, Debian -dev package) and run it
 * against ma-fake-server. Prints "<count> of <total> jobs, library <version>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modelarts/modelarts.h>

int main(void)
{
    ma_error err;
    ma_credentials *cred = NULL;
    ma_client *client = NULL;
    ma_job_list *jobs = NULL;
    int rc = 1;

    memset(&err, 0, sizeof err);
    if (strcmp(ma_version(), MA_VERSION_STRING) != 0) {
        fprintf(stderr, "headers %s, library %s\n", MA_VERSION_STRING, ma_version());
        return 1;
    }
    if (ma_global_init() != MA_OK) {
        return 1;
    }
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;
    if (ma_credentials_new_token(&cred, getenv("MODELARTS_TOKEN"), NULL, &err) != MA_OK) {
        goto done;
    }
    opts.endpoint = getenv("MODELARTS_ENDPOINT");
    opts.project_id = getenv("MODELARTS_PROJECT_ID");
    opts.credentials = cred;
    if (ma_client_new(&client, &opts, &err) != MA_OK || ma_list_training_jobs(client, NULL, &jobs, &err) != MA_OK) {
        goto done;
    }
    printf("%zu of %lld jobs, library %s\n", ma_job_list_count(jobs), (long long)ma_job_list_total_count(jobs),
           ma_version());
    rc = 0;
done:
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", ma_status_name(err.status), err.message);
    }
    ma_job_list_free(jobs);
    ma_client_free(client);
    ma_credentials_free(cred);
    ma_global_cleanup();
    return rc;
}
