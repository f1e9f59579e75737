/* `ma-jobs config`: each setting, its value and where it came from; secrets are never printed. */
#include "cli.h"

#include <string.h>

#include <jansson.h>

static const char *method_name(ma_env_method m)
{
    switch (m) {
    case MA_ENV_METHOD_TOKEN:
        return "iam-token";
    case MA_ENV_METHOD_AKSK:
        return "aksk";
    case MA_ENV_METHOD_AKSK_TEMPORARY:
        return "aksk-temporary";
    case MA_ENV_METHOD_PASSWORD:
        return "password";
    case MA_ENV_METHOD_METADATA:
        return "metadata";
    case MA_ENV_METHOD_CALLER:
        break;
    }
    return "given";
}

/* The library says "caller" and "region option"; for this tool those are its flags. */
static const char *source_of(const ma_env_settings *s, ma_config_item item, const char *flag)
{
    const char *src = ma_env_settings_source(s, item);
    if (src != NULL && strcmp(src, "caller") == 0) {
        return flag;
    }
    if (src != NULL && strcmp(src, "region option") == 0) {
        return "--region";
    }
    return src;
}

static json_t *pair(const char *key, const char *value, const char *source)
{
    return json_pack("{s:s?, s:s?}", key, value, "source", source);
}

static int print_json(FILE *out, const ma_client_options *co, const ma_env_settings *s)
{
    json_t *warnings = json_array();
    for (size_t i = 0; warnings != NULL && i < ma_env_settings_warning_count(s); i++) {
        if (json_array_append_new(warnings, json_string(ma_env_settings_warning(s, i))) != 0) {
            json_decref(warnings);
            warnings = NULL;
        }
    }
    json_t *root = NULL;
    if (warnings != NULL) {
        root = json_pack(
            "{s:o, s:o, s:o, s:o, s:o}", "endpoint",
            pair("value", co->endpoint, source_of(s, MA_CONFIG_ITEM_ENDPOINT, "--endpoint")), "project_id",
            pair("value", co->project_id, source_of(s, MA_CONFIG_ITEM_PROJECT_ID, "--project-id")), "region",
            pair("value", ma_env_settings_region(s), source_of(s, MA_CONFIG_ITEM_REGION, "--region")), "credentials",
            pair("method", method_name(ma_env_settings_method(s)),
                 ma_env_settings_source(s, MA_CONFIG_ITEM_CREDENTIALS)),
            "warnings", warnings);
    }
    if (root == NULL) {
        return -1;
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0) {
        return -1;
    }
    fputc('\n', out);
    return 0;
}

static void row(FILE *out, const char *name, const char *value, const char *source)
{
    fprintf(out, "%-12s %-44s %s\n", name, value, source != NULL ? source : "-");
}

int cli_print_config(FILE *out, const ma_client_options *co, const ma_env_settings *s, int json)
{
    if (json) {
        return print_json(out, co, s);
    }
    ma_env_method m = ma_env_settings_method(s);
    row(out, "SETTING", "VALUE", "SOURCE");
    row(out, "endpoint", co->endpoint != NULL ? co->endpoint : "<not set>",
        source_of(s, MA_CONFIG_ITEM_ENDPOINT, "--endpoint"));
    row(out, "project_id",
        co->project_id != NULL        ? co->project_id
        : m == MA_ENV_METHOD_PASSWORD ? "<looked up at login>"
                                      : "<not set>",
        source_of(s, MA_CONFIG_ITEM_PROJECT_ID, "--project-id"));
    row(out, "region", ma_env_settings_region(s) != NULL ? ma_env_settings_region(s) : "<not set>",
        source_of(s, MA_CONFIG_ITEM_REGION, "--region"));
    row(out, "credentials", method_name(m), ma_env_settings_source(s, MA_CONFIG_ITEM_CREDENTIALS));
    return 0;
}
