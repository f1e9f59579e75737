#ifndef MA_HTTP_GLOBAL_H
#define MA_HTTP_GLOBAL_H

/* True between a successful ma_global_init() and its last ma_global_cleanup(). */
int ma__global_is_initialized(void);

#endif
