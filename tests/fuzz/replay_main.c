/*
 * Runs a harness over committed inputs without libFuzzer, so the corpus is a
 * regression test in every build (gcc, asan, valgrind). Each argument is a
 * corpus directory or a single file; any failed check aborts the process.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* The input being replayed, named when a check aborts. */
static const char *current_path;

static void name_failing_input(int sig)
{
    (void)sig;
    static const char what[] = "failing input: ";
    if (current_path) {
        fputs(what, stderr);
        fputs(current_path, stderr);
        fputc('\n', stderr);
    }
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
}

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(data, cap * 2);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            cap *= 2;
        }
    }
    int failed = ferror(f) || !data;
    fclose(f);
    if (failed) {
        free(data);
        fprintf(stderr, "cannot read %s\n", path);
        return -1;
    }
    current_path = path;
    LLVMFuzzerTestOneInput(data, len);
    current_path = NULL;
    free(data);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @p dir in name order; returns how many ran, or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return -1;
    }
    size_t count = 0, cap = 0;
    char **paths = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **bigger = realloc(paths, cap * sizeof *paths);
            if (!bigger)
                abort();
            paths = bigger;
        }
        size_t size = strlen(dir) + strlen(e->d_name) + 2;
        paths[count] = malloc(size);
        if (!paths[count])
            abort();
        snprintf(paths[count], size, "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(d);
    if (count > 0)
        qsort(paths, count, sizeof *paths, compare_names);
    long ran = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (replay_file(paths[i]) != 0)
                ran = -1;
            else if (ran >= 0)
                ran++;
        }
        free(paths[i]);
    }
    free(paths);
    return ran;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    signal(SIGABRT, name_failing_input);
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "cannot stat %s\n", argv[i]);
            return 1;
        }
        long ran = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : (replay_file(argv[i]) == 0 ? 1 : -1);
        if (ran < 0)
            return 1;
        total += ran;
    }
    /* An empty corpus would make the test pass without checking anything. */
    if (total == 0) {
        fprintf(stderr, "no inputs found\n");
        return 1;
    }
    printf("replayed %ld inputs\n", total);
    return 0;
}
