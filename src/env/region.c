/* Standard endpoints of the known regions (docs/modelarts-api section 5): a typo never becomes a host name. */
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "modelarts/ma_region.h"

static const char *const OTC_MODELARTS[] = {"eu-de"};
static const char *const OTC_IAM[] = {"eu-de", "eu-nl"};
/* ap-southeast-1 is the one Huawei Cloud region whose ModelArts host is on .cn. */
static const char *const HWC_MODELARTS[] = {
    "af-north-1",  "af-south-1",  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "cn-east-3",   "cn-east-4",   "cn-north-1",     "cn-north-2",     "cn-north-4",     "cn-north-9",
    "cn-north-11", "cn-north-12", "cn-south-1",     "cn-southwest-2", "cn-southwest-3", "la-north-2",
    "la-south-2",  "me-east-1",   "sa-brazil-1",    "tr-west-1"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct region_list {
    const char *const *names;
    size_t count;
    const char *shown; /* for messages */
} region_list;

static region_list list_for(ma_cloud cloud, ma_service service)
{
    region_list l = {HWC_MODELARTS, COUNT(HWC_MODELARTS), "ap-southeast-1, cn-north-4 and 20 more (see ma_region.h)"};
    if (cloud == MA_CLOUD_OTC) {
        if (service == MA_SERVICE_MODELARTS) {
            l.names = OTC_MODELARTS;
            l.count = COUNT(OTC_MODELARTS);
            l.shown = "eu-de";
        } else {
            l.names = OTC_IAM;
            l.count = COUNT(OTC_IAM);
            l.shown = "eu-de, eu-nl";
        }
    }
    return l;
}

static int listed(region_list l, const char *region)
{
    for (size_t i = 0; i < l.count; i++)
        if (strcmp(l.names[i], region) == 0)
            return 1;
    return 0;
}

/* Lower-case letters, digits and single inner hyphens, starting with a letter. */
static int well_formed(const char *r, size_t len)
{
    if (len == 0 || len > MA_REGION_MAX_BYTES || r[0] < 'a' || r[0] > 'z' || r[len - 1] == '-')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = r[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
        if (c == '-' && r[i + 1] == '-')
            return 0;
    }
    return 1;
}

const char *ma_cloud_name(ma_cloud cloud)
{
    switch (cloud) {
    case MA_CLOUD_UNSPECIFIED:
        return "unspecified";
    case MA_CLOUD_OTC:
        return "Open Telekom Cloud";
    case MA_CLOUD_HUAWEICLOUD:
        return "Huawei Cloud";
    }
    return "unknown cloud";
}

ma_status ma_region_endpoint(ma_cloud cloud, const char *region, ma_service service, char *buf, size_t buf_size,
                             ma_error *err)
{
    ma_error_clear(err);
    if (!buf || buf_size == 0)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_region_endpoint: buf is NULL or empty");
    buf[0] = '\0';
    if (!region)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_region_endpoint: region is NULL");
    if (cloud != MA_CLOUD_UNSPECIFIED && cloud != MA_CLOUD_OTC && cloud != MA_CLOUD_HUAWEICLOUD)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_region_endpoint: cloud %d is not an ma_cloud value",
                             (int)cloud);
    if (service != MA_SERVICE_MODELARTS && service != MA_SERVICE_IAM)
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_region_endpoint: service %d is not an ma_service value",
                             (int)service);
    size_t len = strnlen(region, (size_t)MA_REGION_MAX_BYTES + 1);
    if (!well_formed(region, len)) {
        char shown[MA_REGION_MAX_BYTES + 4];
        ma__copy_text(shown, sizeof shown, region, strnlen(region, (size_t)MA_REGION_MAX_BYTES + 1));
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "region \"%s\" is not a region name (1 to %d lower-case letters, digits and "
                             "inner '-', starting with a letter, e.g. eu-de)",
                             shown, MA_REGION_MAX_BYTES);
    }
    const char *service_name = service == MA_SERVICE_MODELARTS ? "ModelArts" : "IAM";
    if (cloud == MA_CLOUD_UNSPECIFIED) {
        if (listed(list_for(MA_CLOUD_OTC, service), region))
            cloud = MA_CLOUD_OTC;
        else if (listed(list_for(MA_CLOUD_HUAWEICLOUD, service), region))
            cloud = MA_CLOUD_HUAWEICLOUD;
        else
            return ma__error_set(err, MA_ERR_INVALID_ARG,
                                 "region \"%s\" has no known %s endpoint on Open Telekom Cloud (%s) or Huawei Cloud; "
                                 "set the endpoint explicitly",
                                 region, service_name, list_for(MA_CLOUD_OTC, service).shown);
    }
    region_list l = list_for(cloud, service);
    if (!listed(l, region))
        return ma__error_set(err, MA_ERR_INVALID_ARG,
                             "region \"%s\" has no known %s endpoint on %s (regions: %s); set the endpoint explicitly",
                             region, service_name, ma_cloud_name(cloud), l.shown);
    int n;
    if (cloud == MA_CLOUD_OTC)
        n = snprintf(buf, buf_size, "https://%s.%s.otc.t-systems.com",
                     service == MA_SERVICE_MODELARTS ? "modelarts" : "iam", region);
    else if (service == MA_SERVICE_IAM)
        n = snprintf(buf, buf_size, "https://iam.myhuaweicloud.com");
    else
        n = snprintf(buf, buf_size, "https://modelarts.%s.myhuaweicloud.%s", region,
                     strcmp(region, "ap-southeast-1") == 0 ? "cn" : "com");
    if (n < 0 || (size_t)n >= buf_size) {
        buf[0] = '\0';
        return ma__error_set(err, MA_ERR_INVALID_ARG, "ma_region_endpoint: buf_size %zu is too small (%d needed)",
                             buf_size, n + 1);
    }
    return MA_OK;
}
