/*
 * Test seams of the libcurl layer: every curl_easy_setopt goes through one
 * wrapper that reports the option to a hook when it is set, and global
 * initialisation can be made to fail. Only tests that link the static library
 * install them; they are never exported.
 */
#ifndef MA_HTTP_CURL_OBSERVER_H
#define MA_HTTP_CURL_OBSERVER_H

#include <stddef.h>

/*
 * @p option is the CURLoption id. Long options report @p value and a NULL
 * @p text; string options report @p text (NULL when unset) and value 0;
 * pointer and callback options report neither.
 */
typedef void (*ma__curl_option_observer_fn)(int option, long value, const char *text);

extern ma__curl_option_observer_fn ma__curl_option_observer;

/* What the debug callback made of one piece of what libcurl sent. */
typedef enum ma__request_line {
    MA__REQUEST_LINE_NOT_ONE = 0,   /* not this request's request line (other info type, a proxy CONNECT) */
    MA__REQUEST_LINE_ORIGIN_FORM,   /* "GET /path?query HTTP/1.1", the URL's target */
    MA__REQUEST_LINE_ABSOLUTE_FORM, /* "GET http://host/path?query HTTP/1.1", the whole URL (to a proxy) */
    MA__REQUEST_LINE_NO_TARGET,     /* a URL without a path: nothing to compare */
    MA__REQUEST_LINE_LOST           /* a request line with some other target: libcurl dropped part of it */
} ma__request_line;

/*
 * Classifies what libcurl shows its debug callback: @p type is the
 * curl_infotype, @p data and @p size what it shows, @p method and @p url
 * (@p url_len bytes) the request that was meant to be sent.
 */
ma__request_line ma__request_line_check(int type, const char *data, size_t size, const char *method, const char *url,
                                        size_t url_len);

/* When set, told the verdict on each request line the transport checked. */
typedef void (*ma__curl_request_line_observer_fn)(ma__request_line verdict);

extern ma__curl_request_line_observer_fn ma__curl_request_line_observer;

/*
 * When set, asked after each curl_easy_pause() and curl_easy_getinfo() the
 * transport makes; @p call names it ("pause", "getinfo RESPONSE_CODE",
 * "getinfo PRIVATE"). A nonzero CURLcode it returns replaces the call's
 * result, so tests reach the failure paths libcurl takes only on a broken
 * handle or a lack of memory.
 */
typedef int (*ma__curl_result_fault_fn)(const char *call);

extern ma__curl_result_fault_fn ma__curl_result_fault;

/*
 * Stands in for curl_global_init() in ma_global_init() when set: libcurl
 * fails it only on a broken system, which a test cannot arrange. Takes the
 * flags, returns a CURLcode.
 */
typedef int (*ma__curl_global_init_fn)(long flags);

extern ma__curl_global_init_fn ma__curl_global_init_hook;

/*
 * Non-zero: every new transport runs on socket events with its own poll loop
 * (what a caller's event loop would drive), so the blocking calls exercise
 * the event path. Set by the test harness for the `event` label.
 */
extern int ma__curl_force_events;

#endif
