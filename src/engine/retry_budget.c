#include "engine/retry_budget.h"

void ma__retry_budget_init(ma__retry_budget *b, int32_t capacity)
{
    b->capacity = capacity > 0 ? capacity : 0;
    b->tokens = b->capacity;
    b->refused = 0;
}

int32_t ma__retry_budget_take(ma__retry_budget *b, int throttled)
{
    if (b->capacity <= 0)
        return 0;
    /* A throttle says the service is alive but busy, so its retry is cheaper than one after a failure. */
    int32_t cost = throttled ? MA__RETRY_COST_THROTTLED : MA__RETRY_COST_OTHER;
    if (b->tokens < cost) {
        b->refused++;
        return -1;
    }
    b->tokens -= cost;
    return cost;
}

void ma__retry_budget_on_success(ma__retry_budget *b, int32_t cost_taken)
{
    if (b->capacity <= 0)
        return;
    int32_t refund = cost_taken > 0 ? cost_taken : 1;
    /* Compared as a difference, so a refund near INT32_MAX cannot overflow the sum. */
    if (refund >= b->capacity - b->tokens)
        b->tokens = b->capacity;
    else
        b->tokens += refund;
}
