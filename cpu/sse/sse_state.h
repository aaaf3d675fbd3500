/* SSE architectural state (SDM vol. 1 §10.2): sixteen 128-bit XMM registers
 * (XMM8-15 only reachable with REX in 64-bit mode). MXCSR lives in struct x87
 * (fpu.mxcsr) because FXSAVE/FXRSTOR handle both together. MMX registers are
 * the x87 registers' significands (SDM vol. 1 §9.2.1): see cpu/x87. */
#ifndef RINGZERO_CPU_SSE_SSE_STATE_H
#define RINGZERO_CPU_SSE_SSE_STATE_H

#include <stdint.h>

typedef union xmm_reg {
    uint8_t b[16];
    uint16_t w[8];
    uint32_t d[4];
    uint64_t q[2];
} xmm_reg;

struct sse_state {
    xmm_reg xmm[16];
};

#endif
