/*
 * The page decoder over every body in tests/data/json/, for the big-endian
 * build: each input.json goes through the fuzz_page_decoder harness (streaming
 * decoder against the jansson reference, same decision and same values) as a
 * 200 job-list page, whole and in several chunk splits.
 *
 *   s390x_json_data <tests/data/json>
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
#error "tests/s390x is meant for a big-endian target"
#endif

/* Split seeds: high byte bounds the chunk size (1..256), low byte seeds the sizes; 0 is whole. */
static const unsigned seeds[] = {0x0000, 0x0001, 0x0107, 0x0f2a, 0x3f99, 0xffff};

static int run_case(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, len = 4;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return -1;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        buf[0] = 0; /* shape: job list, no earlier attempt */
        buf[1] = 0; /* status 200 */
        buf[2] = (uint8_t)(seeds[i] >> 8);
        buf[3] = (uint8_t)(seeds[i] & 0xffu);
        LLVMFuzzerTestOneInput(buf, len);
    }
    free(buf);
    return 0;
}

static int run_kind(const char *root, const char *kind, int *cases)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, kind);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s/input.json", dir, e->d_name);
        if (run_case(path) != 0) {
            fprintf(stderr, "cannot read %s\n", path);
            rc = -1;
        }
        (*cases)++;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s tests/data/json\n", argv[0]);
        return 2;
    }
    int cases = 0;
    if (run_kind(argv[1], "valid", &cases) != 0 || run_kind(argv[1], "invalid", &cases) != 0)
        return 1;
    if (cases == 0) {
        fprintf(stderr, "no case under %s\n", argv[1]);
        return 1;
    }
    printf("%d bodies decoded big-endian, each in %zu splits, all as the reference decides\n", cases,
           sizeof seeds / sizeof seeds[0]);
    return 0;
}
