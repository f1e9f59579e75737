/*
 * Stopping cleanly on Ctrl-C or SIGTERM, for the commands that can run long
 * (--all and wait): the handler only sets a flag, which the client's cancel
 * hook, the walk's progress callback and the wait's pauses all read.
 */
#include "cli.h"

#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

static volatile sig_atomic_t g_stop_signal = 0;

static void on_stop_signal(int sig)
{
    g_stop_signal = sig;
}

void cli_stop_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a signal also ends a sleep at once. A second one gets the default action. */
    sa.sa_flags = (int)SA_RESETHAND;
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

int cli_stop_signal(void)
{
    return g_stop_signal;
}

int cli_stop_exit_code(void)
{
    return g_stop_signal == SIGTERM ? CLI_EXIT_TERMINATED : CLI_EXIT_INTERRUPTED;
}

int cli_stop_cancel_hook(void *user_data)
{
    (void)user_data;
    return g_stop_signal != 0;
}

/*
 * The signals are blocked between the flag check and pselect(), which
 * unblocks them atomically, so one arriving in between cannot be missed.
 */
void cli_stop_sleep(int64_t ms)
{
    sigset_t stop_set, old_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    if (sigprocmask(SIG_BLOCK, &stop_set, &old_set) != 0) {
        return;
    }
    if (g_stop_signal == 0 && ms > 0) {
        struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
        (void)pselect(0, NULL, NULL, NULL, &ts, &old_set);
    }
    (void)sigprocmask(SIG_SETMASK, &old_set, NULL);
}
