/**
 * @file ma_global.h
 * @brief Process-wide initialisation.
 * @defgroup ma_global Global initialisation
 * @{
 */
#ifndef MODELARTS_MA_GLOBAL_H
#define MODELARTS_MA_GLOBAL_H

#include "ma_error.h"
#include "ma_export.h"

MA_BEGIN_DECLS

/**
 * @brief Initialises the library; call once from main() before creating clients.
 *
 * Reference-counted: every successful call must be matched by one
 * ma_global_cleanup(). The first call runs curl_global_init(); call it before
 * starting threads unless libcurl reports CURL_VERSION_THREADSAFE (Debian's
 * does). It must not race any other library call.
 *
 * @retval MA_OK             Initialised (or the count was raised).
 * @retval MA_ERR_NOMEM      curl_global_init() ran out of memory; the count is unchanged.
 * @retval MA_ERR_TRANSPORT  curl_global_init() failed otherwise (libcurl reports a TLS
 *                           library that fails to start, even for lack of memory, this
 *                           way); the count is unchanged.
 * @since 0.1
 */
MA_API MA_NODISCARD ma_status ma_global_init(void);

/**
 * @brief Drops one reference taken by ma_global_init(); the last one runs
 * curl_global_cleanup(). Extra calls are ignored. Free every client first.
 * @since 0.1
 */
MA_API void ma_global_cleanup(void);

MA_END_DECLS

/** @} */
#endif
