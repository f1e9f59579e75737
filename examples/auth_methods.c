/*
 * auth_methods: authenticates the way the environment says and lists one page.
 *
 * ma_client_options_from_env() picks the first complete method:
 *   1. MODELARTS_TOKEN                                   an IAM token
 *   2. HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK            a permanent access key pair
 *      (+ HUAWEICLOUD_SDK_SECURITY_TOKEN)                temporary credentials
 *   3. OS_AUTH_URL, OS_USERNAME, OS_PASSWORD,
 *      OS_USER_DOMAIN_NAME (+ OS_PROJECT_NAME)           an IAM password login
 * and the project id (MODELARTS_PROJECT_ID, ...) and endpoint (MODELARTS_ENDPOINT or
 * OS_REGION_NAME). With argument `--explicit-token TOKEN` the program builds token
 * credentials itself instead, which the environment can never override.
 *
 * Prints the method and the page's total. Exit status: 0 ok, 1 a call failed.
 */
#include <stdio.h>
#include <string.h>

#include <modelarts/modelarts.h>

static const char *method_name(ma_env_method method)
{
    switch (method) {
    case MA_ENV_METHOD_CALLER:
        return "caller";
    case MA_ENV_METHOD_TOKEN:
        return "token";
    case MA_ENV_METHOD_AKSK:
        return "aksk";
    case MA_ENV_METHOD_AKSK_TEMPORARY:
        return "aksk-temporary";
    case MA_ENV_METHOD_PASSWORD:
        return "password";
    case MA_ENV_METHOD_METADATA:
        return "metadata";
    }
    return "?";
}

int main(int argc, char **argv)
{
    if (ma_global_init() != MA_OK)
        return 1;
    ma_error err;
    ma_error_clear(&err);
    ma_credentials *own = NULL; /* only with --explicit-token */
    ma_env_settings *env = NULL;
    ma_client *client = NULL;
    ma_job_list *jobs = NULL;
    ma_client_options opts = MA_CLIENT_OPTIONS_INIT;

    if (argc == 3 && strcmp(argv[1], "--explicit-token") == 0) {
        /* Credentials the caller sets win: from_env then reads no credential variable at all. */
        if (ma_credentials_new_token(&own, argv[2], NULL, &err) != MA_OK)
            goto done;
        opts.credentials = own;
    }
    /* Fills only what is still unset; env owns every string and credential it put in opts. */
    if (ma_client_options_from_env(&opts, NULL, &env, &err) != MA_OK)
        goto done;
    printf("method: %s\n", method_name(ma_env_settings_method(env)));
    printf("project id: %s\n", opts.project_id ? opts.project_id : "(from IAM on the first call)");

    if (ma_client_new(&client, &opts, &err) != MA_OK)
        goto done;
    /* The client has copied everything it needs: the settings (and their secrets) can go now. */
    ma_env_settings_free(env);
    env = NULL;

    if (ma_list_training_jobs(client, NULL, &jobs, &err) != MA_OK)
        goto done;
    printf("listed %zu of %lld job(s)\n", ma_job_list_count(jobs), (long long)ma_job_list_total_count(jobs));

done:
    if (err.status != MA_OK)
        fprintf(stderr, "auth_methods: %s (HTTP %d): %s\n", ma_status_name(err.status), err.http_status, err.message);
    ma_job_list_free(jobs);
    ma_client_free(client);
    ma_env_settings_free(env);
    ma_credentials_free(own);
    ma_global_cleanup();
    return err.status == MA_OK ? 0 : 1;
}
