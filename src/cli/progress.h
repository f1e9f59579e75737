/* --all: the progress bar on stderr. */
#ifndef MA_CLI_PROGRESS_H
#define MA_CLI_PROGRESS_H

#include <stdio.h>

#include <modelarts/modelarts.h>

typedef struct cli_progress {
    FILE *out;
    int enabled; /* out is a terminal */
    int drawn;   /* a bar is on screen */
} cli_progress;

void cli_progress_init(cli_progress *p, FILE *out);
/* A ma_walk_progress_fn: draws the bar, returns non-zero once a stop signal came (cli_stop_signal). */
int cli_progress_update(const ma_walk_progress *progress, void *user_data);
/* Erases the bar. */
void cli_progress_finish(cli_progress *p);

#endif
