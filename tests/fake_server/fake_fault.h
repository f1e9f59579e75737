/*
 * Standing faults of the fake server: which list requests get one (counted
 * under a mutex, since connections are served by several threads) and how a
 * faulted reply is sent.
 */
#ifndef MA_FAKE_FAULT_H
#define MA_FAKE_FAULT_H

#include <stddef.h>

#include <microhttpd.h>

#include "fake_iam.h"
#include "fake_internal.h"
#include "fake_server.h"
#include "fake_state.h"

typedef struct fake_fault_rules fake_fault_rules;

/** Rules starting with @p initial (NULL = none); NULL when out of memory. */
fake_fault_rules *fake_fault_rules_new(const fake_faults *initial);
void fake_fault_rules_free(fake_fault_rules *rules);
/** Replaces the faults (NULL = none) and restarts the count. Returns 0 or -1 (OOM). */
int fake_fault_rules_set(fake_fault_rules *rules, const fake_faults *faults);
size_t fake_fault_rules_injected(fake_fault_rules *rules);
void fake_fault_rules_last_request_id(fake_fault_rules *rules, char *out, size_t size);

/** List requests seen, and those throttled, since the faults were last set. */
size_t fake_fault_rules_list_requests(fake_fault_rules *rules);
size_t fake_fault_rules_throttled(fake_fault_rules *rules);

/**
 * A picked fault: a copy of the standing faults whose strings live in the
 * plan itself, so that it stays valid when another thread replaces the faults.
 * Not to be copied (f.error_code and f.error_msg point into it).
 */
typedef struct fake_fault_plan {
    fake_faults f; /* match NULL; error_code, error_msg NULL or pointing at the arrays below */
    char error_code[64];
    char error_msg[512];
} fake_fault_plan;

/**
 * Counts list request @p target from the client @p client_key (see
 * fake_throttle_client_key()) and decides whether it is faulted: 1 with the
 * fault in @p plan, else 0. @p request_id is what the faulted reply will
 * carry. A throttled request's plan has retry_after_s set when it is to be sent.
 */
int fake_fault_pick(fake_fault_rules *rules, const char *target, const char *client_key, const char *request_id,
                    fake_fault_plan *plan);

/** What a faulted reply may need of the server. */
typedef struct fake_fault_env {
    fake_state *state; /* sleeps that end when the server stops */
    fake_cache *cache; /* the normal page */
    fake_iam *iam;     /* NULL when IAM is off */
} fake_fault_env;

/** Sends the faulted reply of @p plan to the list request with raw @p query (may be NULL). */
enum MHD_Result fake_fault_answer(const fake_fault_plan *plan, const fake_fault_env *env,
                                  struct MHD_Connection *connection, const char *query, const char *request_id);

/**
 * One ma-fake-server fault flag (--fault KIND, --fault-first N, ...) with its
 * value: 0 when set, 1 when @p flag is not a fault flag, -1 when @p value is
 * missing or bad, 2 when set by a flag that takes no value (@p value unused).
 * String values are kept as pointers, not copied.
 */
int fake_faults_flag(fake_faults *faults, const char *flag, const char *value);
/** The --help lines of the fault flags. */
extern const char FAKE_FAULT_FLAGS_HELP[];

#endif
