#include "modelarts/ma_version.h"

const char *ma_version(void)
{
    return MA_VERSION_STRING;
}
