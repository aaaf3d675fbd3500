#include "sse.h"

const struct opdef sse_ext_opdefs[] = {
    {0, 0, 0, NULL},
};
