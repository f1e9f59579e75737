/* --all: the progress bar on stderr, which also stops the walk after Ctrl-C. */
#include "progress.h"

#include "cli.h"

#include <string.h>
#include <unistd.h>

void cli_progress_init(cli_progress *p, FILE *out)
{
    p->out = out;
    p->enabled = isatty(fileno(out));
    p->drawn = 0;
}

int cli_progress_update(const ma_walk_progress *progress, void *user_data)
{
    cli_progress *p = user_data;
    if (p->enabled) {
        enum { BAR = 30 };
        char bar[BAR + 1];
        int filled = 0;
        if (progress->pages_total > 0) {
            int64_t f = progress->pages_done * BAR / progress->pages_total;
            filled = (int)(f > BAR ? BAR : f);
        }
        for (int i = 0; i < BAR; i++) {
            bar[i] = i < filled ? '#' : '.';
        }
        bar[BAR] = '\0';
        if (progress->pages_total >= 0) {
            fprintf(p->out, "\r[%s] page %lld/%lld, %lld jobs", bar, (long long)progress->pages_done,
                    (long long)progress->pages_total, (long long)progress->jobs_so_far);
        } else {
            fprintf(p->out, "\r[%s] page %lld, %lld jobs", bar, (long long)progress->pages_done,
                    (long long)progress->jobs_so_far);
        }
        fflush(p->out);
        p->drawn = 1;
    }
    return cli_stop_signal() != 0;
}

void cli_progress_finish(cli_progress *p)
{
    if (p->drawn) {
        fputs("\r\033[K", p->out);
        fflush(p->out);
        p->drawn = 0;
    }
}
