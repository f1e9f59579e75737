/* Bounded reads of config files: regular files only, never blocking, size capped, permissions noted. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config_file.h"
#include "util/config_tree.h"
#include "util/alloc.h"
#include "util/error.h"

void ma__config_file_free(const ma_allocator *a, ma__config_file *f)
{
    if (f->data) {
        ma__secure_zero(f->data, f->len);
        ma__free(a, f->data);
    }
    memset(f, 0, sizeof *f);
}

ma_status ma__config_file_read(const ma_allocator *a, const char *path, ma__config_file *out, int *exists,
                               ma_error *err)
{
    memset(out, 0, sizeof *out);
    *exists = 0;
    /* O_NONBLOCK: a FIFO planted under a config name must not hang the program. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT || e == ENOTDIR)
            return MA_OK;
        *exists = 1;
        return ma__error_set(err, MA_ERR_INVALID_ARG, "%s: cannot be opened: %s", path, strerror(e));
    }
    *exists = 1;
    ma_status st = MA_OK;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: cannot be read: %s", path, strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: is not a regular file", path);
        goto done;
    }
    if (sb.st_size > MA__CONFIG_FILE_MAX_BYTES) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: is %lld bytes, more than the %d a config file may have", path,
                           (long long)sb.st_size, MA__CONFIG_FILE_MAX_BYTES);
        goto done;
    }
    out->mode = (unsigned int)(sb.st_mode & 07777);
    out->exposed = (sb.st_mode & (S_IRGRP | S_IROTH)) != 0;
    /* The file may grow after fstat: read at most one byte more than allowed to notice. */
    size_t cap = (size_t)sb.st_size + 1;
    out->data = ma__malloc(a, cap + 1);
    if (!out->data) {
        st = ma__error_set(err, MA_ERR_NOMEM, "%s: out of memory reading it", path);
        goto done;
    }
    while (out->len < cap) {
        ssize_t n = read(fd, out->data + out->len, cap - out->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: cannot be read: %s", path, strerror(errno));
            goto done;
        }
        if (n == 0)
            break;
        out->len += (size_t)n;
    }
    if (out->len > (size_t)sb.st_size) {
        st = ma__error_set(err, MA_ERR_INVALID_ARG, "%s: changed while it was read", path);
        goto done;
    }
    out->data[out->len] = '\0';
done:
    close(fd);
    if (st != MA_OK)
        ma__config_file_free(a, out);
    return st;
}
