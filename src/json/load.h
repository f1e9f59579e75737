/* Parsing a whole JSON document with jansson, telling bad JSON from a lack of memory. */
#ifndef MA_JSON_LOAD_H
#define MA_JSON_LOAD_H

#include <stddef.h>

#include <jansson.h>

/*
 * json_loadb() (see load.c for why it parses twice), plus *out_of_memory set when it failed for want of memory
 * rather than because of the text (cleared otherwise). NULL on failure, with
 * the parse error in @p e.
 */
json_t *ma__json_load(const char *text, size_t len, json_error_t *e, int *out_of_memory);

#endif
