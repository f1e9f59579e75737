#include <string.h>

#include "json/load.h"

/* Some of jansson's allocation failures (a new object or array) return NULL without recording an error. */
static int says_out_of_memory(const json_error_t *e)
{
    return json_error_code(e) == json_error_out_of_memory || e->text[0] == '\0';
}

/*
 * jansson 2.14 does not always notice that memory ran out: its lexer drops
 * the byte it could not store and goes on (a string then comes back one
 * character short), or reports a syntax error. Its parse is deterministic, so
 * the text is parsed twice: two equal documents are the document, the same
 * syntax error twice is bad JSON, and any other pair means memory ran out.
 * Only small bodies (IAM, error bodies) are read this way; pages are streamed.
 */
json_t *ma__json_load(const char *text, size_t len, json_error_t *e, int *out_of_memory)
{
    json_error_t again;
    /* json_error_code() reads the last byte of text, which jansson leaves unset when an early allocation fails. */
    memset(e, 0, sizeof *e);
    memset(&again, 0, sizeof again);
    json_t *doc = json_loadb(text, len, 0, e);
    json_t *check = json_loadb(text, len, 0, &again);
    *out_of_memory = 0;
    if (doc && check && json_equal(doc, check)) {
        json_decref(check);
        return doc;
    }
    json_decref(doc);
    json_decref(check);
    *out_of_memory = doc || check || says_out_of_memory(e) || says_out_of_memory(&again) ||
                     again.position != e->position || strcmp(again.text, e->text) != 0;
    return NULL;
}
