#include "sse.h"

const struct opdef sse_shuf_opdefs[] = {
    {0, 0, 0, NULL},
};
