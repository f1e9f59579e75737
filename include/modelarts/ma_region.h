/**
 * @file ma_region.h
 * @brief Standard ModelArts and IAM endpoints of a cloud's regions.
 * @defgroup ma_region Region endpoints
 * @{
 */
#ifndef MODELARTS_MA_REGION_H
#define MODELARTS_MA_REGION_H

#include <stddef.h>

#include "ma_error.h"
#include "ma_export.h"

MA_BEGIN_DECLS

/** @brief The public cloud a region belongs to. @since 0.3 */
typedef enum ma_cloud {
    /** Not said: taken from the region name, which the known regions of both clouds never share. */
    MA_CLOUD_UNSPECIFIED = 0,
    /** Open Telekom Cloud (`*.otc.t-systems.com`). */
    MA_CLOUD_OTC = 1,
    /** Huawei Cloud (`*.myhuaweicloud.com`, one region on `.cn`). */
    MA_CLOUD_HUAWEICLOUD = 2
} ma_cloud;

/** @brief Which service's endpoint ma_region_endpoint() builds. @since 0.3 */
typedef enum ma_service {
    /** ModelArts, the endpoint of ma_client_options::endpoint. */
    MA_SERVICE_MODELARTS = 0,
    /** IAM, the endpoint of ma_password_login::iam_endpoint. */
    MA_SERVICE_IAM = 1
} ma_service;

/** @brief Longest region name accepted, in bytes. @since 0.3 */
#define MA_REGION_MAX_BYTES 32
/** @brief Buffer size that holds every endpoint ma_region_endpoint() builds, NUL included. @since 0.3 */
#define MA_REGION_ENDPOINT_SIZE 96

/**
 * @brief Builds the standard endpoint of a service in a region, e.g.
 *        `https://modelarts.eu-de.otc.t-systems.com`.
 *
 * Only regions known to offer the service are accepted, so a typo never
 * becomes a host name that merely fails to resolve:
 *
 * | cloud | service | regions | endpoint |
 * |---|---|---|---|
 * | OTC | ModelArts | eu-de | `https://modelarts.{region}.otc.t-systems.com` |
 * | OTC | IAM | eu-de, eu-nl | `https://iam.{region}.otc.t-systems.com` |
 * | Huawei Cloud | ModelArts | the list below | `https://modelarts.{region}.myhuaweicloud.com` |
 * | Huawei Cloud | ModelArts | ap-southeast-1 | `https://modelarts.ap-southeast-1.myhuaweicloud.cn` |
 * | Huawei Cloud | IAM | any of the above | `https://iam.myhuaweicloud.com` (global) |
 *
 * Huawei Cloud's ModelArts regions besides ap-southeast-1 (which is `.cn`, not
 * `.com`): af-north-1, af-south-1, ap-southeast-2, ap-southeast-3,
 * ap-southeast-4, cn-east-3, cn-east-4, cn-north-1, cn-north-2, cn-north-4,
 * cn-north-9, cn-north-11, cn-north-12, cn-south-1, cn-southwest-2,
 * cn-southwest-3, la-north-2, la-south-2, me-east-1, sa-brazil-1, tr-west-1.
 *
 * OTC lists ModelArts only in eu-de (eu-nl and eu-ch2 have no ModelArts
 * endpoint). An endpoint given explicitly (ma_client_options::endpoint) never
 * goes through this function, so other deployments stay reachable.
 *
 * @param      cloud    The cloud; #MA_CLOUD_UNSPECIFIED takes it from the region name.
 * @param[in]  region   [not nullable] Region name, 1 to #MA_REGION_MAX_BYTES bytes of lower-case
 *                      letters, digits and single inner '-', starting with a letter (e.g. "eu-de").
 * @param      service  The service whose endpoint is wanted.
 * @param[out] buf      [not nullable] Receives the NUL-terminated endpoint; "" on failure.
 * @param      buf_size Size of @p buf; #MA_REGION_ENDPOINT_SIZE is always enough.
 * @param[out] err      [nullable] Cleared on entry; on failure says what is wrong with the region
 *                      and which regions the cloud has.
 * @retval MA_OK              Success.
 * @retval MA_ERR_INVALID_ARG @p region or @p buf is NULL, @p buf_size is too small, @p cloud or
 *                            @p service is not a listed value, the region name is malformed, or the
 *                            cloud does not offer the service in that region.
 * @since 0.3
 */
MA_API MA_NODISCARD ma_status ma_region_endpoint(ma_cloud cloud, const char *region, ma_service service, char *buf,
                                                 size_t buf_size, ma_error *err);

/**
 * @brief Display name of a cloud: "Open Telekom Cloud", "Huawei Cloud" or "unspecified".
 * @param cloud Any value.
 * @return A static string; never NULL ("unknown cloud" for unlisted values).
 * @since 0.3
 */
MA_API const char *ma_cloud_name(ma_cloud cloud);

MA_END_DECLS

/** @} */
#endif
