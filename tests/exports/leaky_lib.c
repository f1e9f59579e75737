/*
 * A shared library that exports one public-looking and one internal (ma__)
 * symbol: scripts/check-exports.sh must reject it and name the internal one.
 */
#define LEAKY_API __attribute__((visibility("default")))

LEAKY_API int ma_exports_check_public(void);
LEAKY_API int ma__exports_check_leaked_internal(void);

int ma_exports_check_public(void)
{
    return 1;
}

int ma__exports_check_leaked_internal(void)
{
    return 2;
}
