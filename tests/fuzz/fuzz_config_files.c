/*
 * The config file readers: clouds.yaml / secure.yaml (libyaml), clouds.json
 * (jansson), the profile file (inih), and the metadata service's
 * securitykey answer. Input: a selector byte (0 YAML, 1 JSON, 2 INI,
 * 3 securitykey JSON), then the text.
 *
 * Checked: success gives a map whose every member has a key, whose strings
 * have the recorded length and are no longer than the input, and which is no
 * deeper than MA__CONFIG_MAX_DEPTH; failure is MA_ERR_INVALID_ARG (or NOMEM)
 * with a message that names the file and never quotes the input; profile
 * values are no longer than the input; metadata keys are all present,
 * non-empty, NUL-free and no longer than the input, or the failure is
 * MA_ERR_PROTOCOL with nothing kept. Sanitizers and the leak checker see
 * that nothing is freed twice or kept.
 */
#include <string.h>

#include "config/config_file.h"
#include "util/config_tree.h"
#include "fuzz.h"
#include "json/metadata.h"
#include "modelarts/modelarts.h"

#define WHAT "fuzz-file"

static void check_node(const ma__cfg_node *n, unsigned depth, size_t input_len)
{
    FUZZ_CHECK(depth <= MA__CONFIG_MAX_DEPTH + 1, "tree deeper than allowed: %u", depth);
    switch (n->kind) {
    case MA__CFG_STRING:
        FUZZ_CHECK(n->value != NULL, "string without a value");
        FUZZ_CHECK(n->value_len <= input_len * 4 + 4, "value longer than the input could give");
        FUZZ_CHECK(n->count == 0, "string with members");
        break;
    case MA__CFG_MAP:
        FUZZ_CHECK(n->value == NULL, "map with a value");
        FUZZ_CHECK(n->count <= n->cap, "count beyond capacity");
        for (size_t i = 0; i < n->count; i++) {
            FUZZ_CHECK(n->children[i].key != NULL, "member without a key");
            check_node(&n->children[i], depth + 1, input_len);
        }
        break;
    case MA__CFG_OTHER:
        FUZZ_CHECK(n->value == NULL && n->count == 0, "placeholder with content");
        break;
    default:
        FUZZ_CHECK(0, "unknown node kind %d", (int)n->kind);
    }
}

static void check_failure(ma_status st, const ma_error *err)
{
    FUZZ_CHECK(st == MA_ERR_INVALID_ARG || st == MA_ERR_NOMEM, "status %d", (int)st);
    FUZZ_CHECK(strncmp(err->message, WHAT ": ", strlen(WHAT) + 2) == 0, "message does not name the file: %s",
               err->message);
}

static void check_profile_field(const char *v, size_t input_len)
{
    FUZZ_CHECK(v == NULL || (v[0] != '\0' && strlen(v) <= input_len), "profile value empty or too long");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in = {data, size};
    int kind = fuzz_byte(&in) % 4;
    /* The readers get NUL-terminated text, as ma__config_file_read() gives them. */
    char *text = malloc(in.size + 1);
    if (!text)
        abort();
    if (in.size)
        memcpy(text, in.data, in.size);
    text[in.size] = '\0';
    const ma_allocator *a = ma_default_allocator();
    ma_error err;
    ma_error_clear(&err);
    if (kind == 3) {
        ma__metadata_keys k;
        ma_status st = ma__metadata_keys_parse(a, text, in.size, &k, &err);
        if (st == MA_OK) {
            FUZZ_CHECK(k.access && k.secret && k.security_token, "a key is missing");
            FUZZ_CHECK(k.access[0] && k.secret[0] && k.security_token[0], "an empty key");
            FUZZ_CHECK(strlen(k.access) <= in.size && strlen(k.secret) <= in.size &&
                           strlen(k.security_token) <= in.size,
                       "a key longer than the input");
            ma__metadata_keys_clear(a, &k);
        } else {
            FUZZ_CHECK(st == MA_ERR_PROTOCOL || st == MA_ERR_NOMEM, "status %d", (int)st);
            FUZZ_CHECK(!k.access && !k.secret && !k.security_token, "keys kept after a failure");
        }
    } else if (kind == 2) {
        ma__profile p;
        ma_status st = ma__profile_parse(a, WHAT, text, in.size, &p, &err);
        if (st == MA_OK) {
            check_profile_field(p.ak, in.size);
            check_profile_field(p.sk, in.size);
            check_profile_field(p.security_token, in.size);
            check_profile_field(p.project_id, in.size);
            check_profile_field(p.iam_endpoint, in.size);
            ma__profile_clear(a, &p);
        } else {
            check_failure(st, &err);
        }
    } else {
        ma__cfg_node *root = NULL;
        ma_status st = kind == 0 ? ma__cfg_parse_yaml(a, WHAT, text, in.size, &root, &err)
                                 : ma__cfg_parse_json(a, WHAT, text, in.size, &root, &err);
        if (st == MA_OK) {
            FUZZ_CHECK(root != NULL && root->kind == MA__CFG_MAP, "success without a map");
            check_node(root, 1, in.size);
            ma__cfg_tree_free(a, root);
        } else {
            FUZZ_CHECK(root == NULL, "failure with a tree");
            check_failure(st, &err);
        }
    }
    free(text);
    return 0;
}
