/* SSE4.2 string and text instructions and CRC32 (SDM vol. 2). */
#include "sse.h"

const struct opdef sse42_opdefs[] = {
    {0, 0, 0, NULL},
};
