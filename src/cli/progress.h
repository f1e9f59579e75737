/* --all: Ctrl-C handling and the progress bar on stderr. */
#ifndef MA_CLI_PROGRESS_H
#define MA_CLI_PROGRESS_H

#include <stdio.h>

#include <modelarts/modelarts.h>

typedef struct cli_progress {
    FILE *out;
    int enabled; /* out is a terminal */
    int drawn;   /* a bar is on screen */
} cli_progress;

/* SIGINT sets a flag that the progress callback turns into MA_ERR_CANCELLED. */
void cli_progress_install_sigint(void);
int cli_progress_interrupted(void);

void cli_progress_init(cli_progress *p, FILE *out);
/* A ma_walk_progress_fn: draws the bar, returns non-zero after Ctrl-C. */
int cli_progress_update(const ma_walk_progress *progress, void *user_data);
/* Erases the bar. */
void cli_progress_finish(cli_progress *p);

#endif
