/* A client created without a project id finds it through its auth slot, once. */
#include <string.h>

#include "engine/runtime.h"
#include "util/alloc.h"
#include "util/error.h"

/* Project ids go into the URL path: a discovered one must look like one (IAM's are 32 hex digits). */
static int plausible_project_id(const char *id)
{
    size_t len = strlen(id);
    if (len == 0 || len > MA_PROJECT_ID_MAX)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

ma_status ma__runtime_resolve_project_id(ma_client *client, ma_error *err)
{
    ma__runtime *rt = ma__runtime_of(client);
    if (rt->project_id)
        return MA_OK;
    if (!rt->auth || !rt->auth->vtable->discover_project)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "the client has no project id");
    char id[MA_PROJECT_ID_MAX + 1];
    ma__auth_context ctx = {&rt->clock, client};
    ma_status st = rt->auth->vtable->discover_project(rt->auth, &ctx, id, sizeof id, err);
    if (st != MA_OK) {
        ma__auth_redact_error(rt->auth, err);
        return st;
    }
    if (!plausible_project_id(id))
        return ma__error_set(err, MA_ERR_PROTOCOL,
                             "the project id from the password login is not made of letters, digits, '-' and '_'");
    if (!(rt->project_id = ma__strdup(&rt->alloc, id)))
        return ma__error_set(err, MA_ERR_NOMEM, "out of memory keeping the project id");
    return MA_OK;
}
