/**
 * @file ma_export.h
 * @brief Symbol export and language-linkage macros shared by every public header.
 *
 * Every public header includes this one, so this is said once for all of them: names
 * that start with `ma__` or `MA__`, and every header under `src/`, are private to the
 * library; they may change in any release and are not part of the API or the ABI.
 */
#ifndef MODELARTS_MA_EXPORT_H
#define MODELARTS_MA_EXPORT_H

/**
 * @def MA_API
 * @brief Marks a function as part of the library's public ABI.
 *
 * Empty for static builds (define MA_STATIC before including any header, as
 * `modelarts-static.pc` and the `modelarts::modelarts_static` target do);
 * default visibility for shared builds, since the library itself is compiled
 * with hidden visibility.
 * @since 0.1
 */
#if defined(MA_STATIC)
#define MA_API
#elif defined(_WIN32)
#if defined(MA_BUILDING)
#define MA_API __declspec(dllexport)
#else
#define MA_API __declspec(dllimport)
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define MA_API __attribute__((visibility("default")))
#else
#define MA_API
#endif

/**
 * @def MA_NODISCARD
 * @brief Warns when a returned ma_status is ignored (GCC and clang; empty elsewhere).
 * @since 0.1
 */
#if defined(__GNUC__) || defined(__clang__)
#define MA_NODISCARD __attribute__((warn_unused_result))
#else
#define MA_NODISCARD
#endif

/**
 * @def MA_BEGIN_DECLS
 * @brief Opens a C-linkage block for C++ callers; MA_END_DECLS closes it. Empty in C.
 * @since 0.1
 */
/**
 * @def MA_END_DECLS
 * @brief Closes the block opened by MA_BEGIN_DECLS. Empty in C.
 * @since 0.1
 */
#ifdef __cplusplus
#define MA_BEGIN_DECLS extern "C" {
/* Closes the block opened by MA_BEGIN_DECLS (documented above). */
#define MA_END_DECLS }
#else
#define MA_BEGIN_DECLS
#define MA_END_DECLS
#endif

#endif
