/* What an error body said, whichever decoder read it (streaming page decoder, or jansson for other bodies). */
#ifndef MA_JSON_SERVICE_ERROR_H
#define MA_JSON_SERVICE_ERROR_H

#include <stddef.h>

#include "modelarts/ma_error.h"

typedef struct ma__service_error {
    char code[MA_ERROR_CODE_SIZE];             /* error_code, or error.code; "" if none */
    char message[MA_ERROR_MESSAGE_SIZE];       /* error_message, error_msg, or error.message; "" if none */
    char request_id[MA_ERROR_REQUEST_ID_SIZE]; /* the body's request_id; "" if none */
    int says_failure;                          /* "is_success": false */
    int is_json;                               /* the whole body was one valid JSON value */
    int out_of_memory;                         /* memory ran out reading the body: nothing above is known */
    size_t body_bytes;                         /* bytes of body seen */
} ma__service_error;

#endif
