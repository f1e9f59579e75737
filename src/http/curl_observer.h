/*
 * Test seam of the libcurl transport: every curl_easy_setopt goes through one
 * wrapper that reports the option to this hook when it is set. Only tests
 * that link the static library install it; it is never exported.
 */
#ifndef MA_HTTP_CURL_OBSERVER_H
#define MA_HTTP_CURL_OBSERVER_H

/*
 * @p option is the CURLoption id. Long options report @p value and a NULL
 * @p text; string options report @p text (NULL when unset) and value 0;
 * pointer and callback options report neither.
 */
typedef void (*ma__curl_option_observer_fn)(int option, long value, const char *text);

extern ma__curl_option_observer_fn ma__curl_option_observer;

#endif
