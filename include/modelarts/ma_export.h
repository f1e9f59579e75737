/**
 * @file ma_export.h
 * @brief Symbol export and language-linkage macros shared by every public header.
 */
#ifndef MODELARTS_MA_EXPORT_H
#define MODELARTS_MA_EXPORT_H

/**
 * @def MA_API
 * Marks a function as part of the library's public ABI. Empty for static
 * builds (define MA_STATIC); default visibility for shared builds, since the
 * library itself is compiled with hidden visibility.
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
 * Warns when a returned ma_status is ignored.
 */
#if defined(__GNUC__) || defined(__clang__)
#define MA_NODISCARD __attribute__((warn_unused_result))
#else
#define MA_NODISCARD
#endif

/**
 * @def MA_BEGIN_DECLS
 * Opens a C-linkage block for C++ callers; MA_END_DECLS closes it.
 */
#ifdef __cplusplus
#define MA_BEGIN_DECLS extern "C" {
/** Closes the block opened by MA_BEGIN_DECLS. */
#define MA_END_DECLS }
#else
#define MA_BEGIN_DECLS
#define MA_END_DECLS
#endif

#endif
