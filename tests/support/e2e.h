/* Shared set-up for end-to-end tests: a fake ModelArts server on loopback and clients pointed at it. */
#ifndef MA_TEST_E2E_H
#define MA_TEST_E2E_H

#include "fake_server.h"
#include "modelarts/modelarts.h"

#define E2E_TOKEN   "e2e-token-5f2c9a"
#define E2E_PROJECT "4f1c0a2b3c4d5e6f708192a3b4c5d6e7"

typedef struct e2e_env {
    fake_server *server;
    ma_credentials *credentials;
    ma_client *client;
} e2e_env;

/* cmocka group set-up/tear-down: global init, server with E2E_TOKEN/E2E_PROJECT, one default client. */
int e2e_setup(void **state);
int e2e_teardown(void **state);

/*
 * cmocka per-test set-up: replaces the default client and waits (up to
 * 10 s) until no connection is open on the server, so a request a freed client left in flight cannot arrive late
 * and take a response scripted for the next test.
 */
int e2e_wait_quiet(void **state);

/* Options pointing at @p env's server, ready to be adjusted before e2e_client_new. */
void e2e_options(const e2e_env *env, ma_client_options *opts);
ma_client *e2e_client_new(const ma_client_options *opts);

/* A query from (per_page, page, key, order); per_page or page 0 leaves that parameter unset. */
ma_job_query *e2e_query(int per_page, int page, ma_sort_key key, ma_sort_order order);

/* Number of data-set jobs in workspace @p ws. */
size_t e2e_count_workspace(const fake_dataset *ds, const char *ws);

#endif
