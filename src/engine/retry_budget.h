/*
 * The retry budget (the AWS SDKs' "retry quota"): a bucket of tokens per
 * client that every retry pays from and every success refills a little. While
 * a service keeps failing, retries drain it and the client stops retrying,
 * so a fleet of clients does not multiply the load on a service that is
 * already down. A client is used by one thread at a time: no locks.
 *
 * Costs: a retry after a throttled answer (HTTP 429, or a service's own
 * "too many requests" code) costs MA__RETRY_COST_THROTTLED, any other retry
 * MA__RETRY_COST_OTHER. A call that succeeds refunds the cost of its last
 * retry when it needed retries (so a call that needed several refunds only
 * the cost of the last one, as the AWS SDKs do), else 1 token.
 */
#ifndef MA_ENGINE_RETRY_BUDGET_H
#define MA_ENGINE_RETRY_BUDGET_H

#include <stdint.h>

#include "modelarts/ma_client.h"

/* Tokens of a new client's budget. */
#define MA__RETRY_BUDGET_DEFAULT MA_DEFAULT_RETRY_BUDGET
/* Cost of a retry after a throttled answer. */
#define MA__RETRY_COST_THROTTLED MA_RETRY_COST_THROTTLED
/* Cost of any other retry (5xx, a connection that failed). */
#define MA__RETRY_COST_OTHER MA_RETRY_COST_OTHER

typedef struct ma__retry_budget {
    int32_t capacity; /* 0 = no budget: every retry allowed, nothing counted */
    int32_t tokens;   /* available, 0..capacity */
    int64_t refused;  /* retries refused since creation (for metrics) */
} ma__retry_budget;

/* A full budget of @p capacity tokens; 0 (or a negative value) turns the budget off. */
void ma__retry_budget_init(ma__retry_budget *b, int32_t capacity);

/*
 * Takes the cost of one retry: MA__RETRY_COST_THROTTLED when @p throttled is
 * non-zero, else MA__RETRY_COST_OTHER. Returns the cost taken (> 0); 0 when
 * the budget is off (the retry is allowed, nothing is taken); -1 when the
 * tokens left cannot pay the whole cost: the retry is refused, nothing is
 * taken and @c refused counts it.
 */
int32_t ma__retry_budget_take(ma__retry_budget *b, int throttled);

/*
 * A call succeeded. @p cost_taken is what ma__retry_budget_take() returned
 * for the call's last retry, or 0 when the call needed no retry (or its
 * retries were free because the budget is off): refunds @p cost_taken when it
 * is > 0, else 1 token. The tokens never rise above the capacity; a budget
 * that is off is left alone.
 */
void ma__retry_budget_on_success(ma__retry_budget *b, int32_t cost_taken);

#endif
