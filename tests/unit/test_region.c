/* Region endpoints: the documented hosts, the .cn exception, and refusal of anything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "modelarts/modelarts.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void expect_endpoint(ma_cloud cloud, const char *region, ma_service service, const char *want)
{
    char buf[MA_REGION_ENDPOINT_SIZE];
    ma_error err;
    ma_status st = ma_region_endpoint(cloud, region, service, buf, sizeof buf, &err);
    if (st != MA_OK)
        fail_msg("%s/%s: %s: %s", ma_cloud_name(cloud), region, ma_status_name(st), err.message);
    if (strcmp(buf, want) != 0)
        fail_msg("%s/%s: got %s, want %s", ma_cloud_name(cloud), region, buf, want);
}

static void expect_refused(ma_cloud cloud, const char *region, ma_service service, const char *in_message)
{
    char buf[MA_REGION_ENDPOINT_SIZE];
    memcpy(buf, "garbage", 8);
    ma_error err;
    ma_status st = ma_region_endpoint(cloud, region, service, buf, sizeof buf, &err);
    if (st != MA_ERR_INVALID_ARG)
        fail_msg("%s/%s: %s, expected MA_ERR_INVALID_ARG (got %s)", ma_cloud_name(cloud), region ? region : "NULL",
                 ma_status_name(st), buf);
    assert_int_equal(err.status, MA_ERR_INVALID_ARG);
    assert_string_equal(buf, "");
    if (!strstr(err.message, in_message))
        fail_msg("%s: message \"%s\" lacks \"%s\"", region ? region : "NULL", err.message, in_message);
}

static void documented_examples(void **state)
{
    (void)state;
    expect_endpoint(MA_CLOUD_OTC, "eu-de", MA_SERVICE_MODELARTS, "https://modelarts.eu-de.otc.t-systems.com");
    expect_endpoint(MA_CLOUD_OTC, "eu-de", MA_SERVICE_IAM, "https://iam.eu-de.otc.t-systems.com");
    expect_endpoint(MA_CLOUD_OTC, "eu-nl", MA_SERVICE_IAM, "https://iam.eu-nl.otc.t-systems.com");
    expect_endpoint(MA_CLOUD_HUAWEICLOUD, "cn-north-4", MA_SERVICE_MODELARTS,
                    "https://modelarts.cn-north-4.myhuaweicloud.com");
    expect_endpoint(MA_CLOUD_HUAWEICLOUD, "cn-north-4", MA_SERVICE_IAM, "https://iam.myhuaweicloud.com");
    /* The exception: ap-southeast-1 is on .cn. */
    expect_endpoint(MA_CLOUD_HUAWEICLOUD, "ap-southeast-1", MA_SERVICE_MODELARTS,
                    "https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    expect_endpoint(MA_CLOUD_HUAWEICLOUD, "ap-southeast-2", MA_SERVICE_MODELARTS,
                    "https://modelarts.ap-southeast-2.myhuaweicloud.com");
}

static void every_listed_huawei_region_is_on_com(void **state)
{
    (void)state;
    static const char *const regions[] = {
        "cn-north-1",  "cn-north-4",     "cn-south-1", "ap-southeast-2", "ap-southeast-3", "cn-east-3",
        "cn-east-4",   "la-south-2",     "af-south-1", "cn-north-9",     "tr-west-1",      "ap-southeast-4",
        "me-east-1",   "cn-southwest-2", "cn-north-2", "sa-brazil-1",    "la-north-2",     "af-north-1",
        "cn-north-12", "cn-southwest-3", "cn-north-11"};
    for (size_t i = 0; i < ARRAY_LEN(regions); i++) {
        char want[MA_REGION_ENDPOINT_SIZE];
        snprintf(want, sizeof want, "https://modelarts.%s.myhuaweicloud.com", regions[i]);
        expect_endpoint(MA_CLOUD_HUAWEICLOUD, regions[i], MA_SERVICE_MODELARTS, want);
        expect_endpoint(MA_CLOUD_UNSPECIFIED, regions[i], MA_SERVICE_MODELARTS, want);
    }
}

static void unspecified_cloud_comes_from_the_region(void **state)
{
    (void)state;
    expect_endpoint(MA_CLOUD_UNSPECIFIED, "eu-de", MA_SERVICE_MODELARTS, "https://modelarts.eu-de.otc.t-systems.com");
    expect_endpoint(MA_CLOUD_UNSPECIFIED, "eu-nl", MA_SERVICE_IAM, "https://iam.eu-nl.otc.t-systems.com");
    expect_endpoint(MA_CLOUD_UNSPECIFIED, "ap-southeast-1", MA_SERVICE_MODELARTS,
                    "https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    expect_endpoint(MA_CLOUD_UNSPECIFIED, "sa-brazil-1", MA_SERVICE_IAM, "https://iam.myhuaweicloud.com");
}

static void unknown_regions_and_wrong_clouds_are_refused(void **state)
{
    (void)state;
    /* OTC has no ModelArts in eu-nl or eu-ch2. */
    expect_refused(MA_CLOUD_OTC, "eu-nl", MA_SERVICE_MODELARTS, "no known ModelArts endpoint on Open Telekom Cloud");
    expect_refused(MA_CLOUD_OTC, "eu-ch2", MA_SERVICE_MODELARTS, "regions: eu-de");
    expect_refused(MA_CLOUD_UNSPECIFIED, "eu-nl", MA_SERVICE_MODELARTS, "no known ModelArts endpoint");
    expect_refused(MA_CLOUD_OTC, "cn-north-4", MA_SERVICE_MODELARTS, "\"cn-north-4\"");
    expect_refused(MA_CLOUD_HUAWEICLOUD, "eu-de", MA_SERVICE_MODELARTS, "on Huawei Cloud");
    expect_refused(MA_CLOUD_OTC, "cn-north-4", MA_SERVICE_IAM, "IAM");
    expect_refused(MA_CLOUD_UNSPECIFIED, "mars-north-1", MA_SERVICE_MODELARTS, "set the endpoint explicitly");
    expect_refused(MA_CLOUD_HUAWEICLOUD, "cn-north-5", MA_SERVICE_MODELARTS, "cn-north-5");
}

static void malformed_region_names_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        "EU-DE",      "eu_de",      "eu.de",        "eu-de.evil.example",
        "-eu-de",  "eu-de-",     "eu--de",     "1eu-de",       "eu de",
        "eu-de\n", "eu-de/../x", "eu-de@evil", "\xc3\xa9u-de", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        expect_refused(MA_CLOUD_UNSPECIFIED, bad[i], MA_SERVICE_MODELARTS, "is not a region name");
    /* The message shows no control byte. */
    char buf[MA_REGION_ENDPOINT_SIZE];
    ma_error err;
    assert_int_equal(ma_region_endpoint(MA_CLOUD_OTC, "eu\n-de", MA_SERVICE_MODELARTS, buf, sizeof buf, &err),
                     MA_ERR_INVALID_ARG);
    assert_null(strchr(err.message, '\n'));
}

static void bad_arguments(void **state)
{
    (void)state;
    char buf[MA_REGION_ENDPOINT_SIZE];
    ma_error err;
    expect_refused(MA_CLOUD_OTC, NULL, MA_SERVICE_MODELARTS, "region is NULL");
    assert_int_equal(ma_region_endpoint(MA_CLOUD_OTC, "eu-de", MA_SERVICE_MODELARTS, NULL, 10, &err),
                     MA_ERR_INVALID_ARG);
    assert_int_equal(ma_region_endpoint((ma_cloud)7, "eu-de", MA_SERVICE_MODELARTS, buf, sizeof buf, &err),
                     MA_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "cloud 7"));
    assert_int_equal(ma_region_endpoint(MA_CLOUD_OTC, "eu-de", (ma_service)9, buf, sizeof buf, NULL),
                     MA_ERR_INVALID_ARG);
    /* Exactly the length plus the NUL fits; one byte less does not. */
    const char *want = "https://modelarts.eu-de.otc.t-systems.com";
    assert_int_equal(ma_region_endpoint(MA_CLOUD_OTC, "eu-de", MA_SERVICE_MODELARTS, buf, strlen(want) + 1, &err),
                     MA_OK);
    assert_string_equal(buf, want);
    assert_int_equal(ma_region_endpoint(MA_CLOUD_OTC, "eu-de", MA_SERVICE_MODELARTS, buf, strlen(want), &err),
                     MA_ERR_INVALID_ARG);
    assert_string_equal(buf, "");
    assert_non_null(strstr(err.message, "too small"));
    assert_string_equal(ma_cloud_name(MA_CLOUD_OTC), "Open Telekom Cloud");
    assert_string_equal(ma_cloud_name(MA_CLOUD_HUAWEICLOUD), "Huawei Cloud");
    assert_string_equal(ma_cloud_name((ma_cloud)42), "unknown cloud");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(documented_examples),
        cmocka_unit_test(every_listed_huawei_region_is_on_com),
        cmocka_unit_test(unspecified_cloud_comes_from_the_region),
        cmocka_unit_test(unknown_regions_and_wrong_clouds_are_refused),
        cmocka_unit_test(malformed_region_names_are_refused),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
