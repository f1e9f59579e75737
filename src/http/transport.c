/* A single exchange is a batch of one. */
#include "http/transport.h"

typedef struct single_source {
    ma__exchange *x;
    int taken;
} single_source;

static ma__exchange *single_next(void *ctx)
{
    single_source *s = ctx;
    if (s->taken)
        return NULL;
    s->taken = 1;
    return s->x;
}

static int single_done(void *ctx, ma__exchange *x)
{
    (void)ctx;
    (void)x;
    return 0;
}

ma_status ma__transport_send(ma__transport *t, ma__exchange *x)
{
    single_source s = {x, 0};
    ma__exchange_source src = {single_next, single_done, &s, 0, 0, NULL};
    ma_error_clear(&x->err);
    x->status = MA_OK;
    ma_status st = t->vtable->run(t, &src, 1, &x->err);
    if (st != MA_OK) {
        /* The batch itself failed (out of memory): that is this exchange's outcome too. */
        x->status = st;
        x->err.status = st;
    }
    return x->status;
}
