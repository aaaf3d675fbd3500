; alu.asm - ADD/ADC/SUB/SBB/CMP/AND/OR/XOR/TEST/INC/DEC/NEG/NOT results and
; flags for 8-, 16- and 32-bit operands, register, immediate and memory forms,
; plus 16-bit addressing modes and CBW/CWD/CWDE/CDQ.
;
; Expected values follow the SDM definitions (and were cross-checked on real
; hardware); only architecturally defined flags are compared: AF is undefined
; after AND/OR/XOR/TEST, so F_LOGIC leaves it out.  NOT changes no flag, INC and
; DEC keep CF: the expected flags then equal the flags loaded before.

%include "rztest.inc"

; R op, dst, src, dst_in, src_in, flags_in, dst_out, flag_mask, flags_out
%macro R 9
        mov %2, %4
        mov %3, %5
        SET_FLAGS %6
        %1 %2, %3
        CHECK_REG %2, %7
        CHECK_FLAGS %8, %9
%endmacro

; U op, reg, in, flags_in, out, flag_mask, flags_out
%macro U 7
        mov %2, %3
        SET_FLAGS %4
        %1 %2
        CHECK_REG %2, %5
        CHECK_FLAGS %6, %7
%endmacro

; I op, reg, in, imm, flags_in, out, flag_mask, flags_out
%macro I 8
        mov %2, %3
        SET_FLAGS %5
        %1 %2, %4
        CHECK_REG %2, %6
        CHECK_FLAGS %7, %8
%endmacro

; MD op, size, mem_in, src_reg, src_in, flags_in, mem_out, flag_mask, flags_out
%macro MD 9
        mov %2 [mvar], %3
        mov %4, %5
        SET_FLAGS %6
        %1 %2 [mvar], %4
        CHECK_MEM %2, [mvar], %7
        CHECK_FLAGS %8, %9
%endmacro

; MS op, size, dst_reg, dst_in, mem_in, flags_in, dst_out, flag_mask, flags_out
%macro MS 9
        mov %3, %4
        mov %2 [mvar], %5
        SET_FLAGS %6
        %1 %3, [mvar]
        CHECK_REG %3, %7
        CHECK_FLAGS %8, %9
        CHECK_MEM %2, [mvar], %5
%endmacro

; MI op, size, mem_in, imm, flags_in, mem_out, flag_mask, flags_out
%macro MI 8
        mov %2 [mvar], %3
        SET_FLAGS %5
        %1 %2 [mvar], %4
        CHECK_MEM %2, [mvar], %6
        CHECK_FLAGS %7, %8
%endmacro

; MU op, size, mem_in, flags_in, mem_out, flag_mask, flags_out
%macro MU 7
        mov %2 [mvar], %3
        SET_FLAGS %4
        %1 %2 [mvar]
        CHECK_MEM %2, [mvar], %5
        CHECK_FLAGS %6, %7
%endmacro

        PRINTLN "alu: ALU group"
        TEST 'add8.0'
        R add, al, bl, 0x7F, 0x01, 0, 0x80, F_ARITH, F_OF|F_SF|F_AF
        TEST 'add8.1'
        R add, ah, cl, 0xFF, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add8.2'
        R add, dl, dh, 0x80, 0x80, 0, 0x00, F_ARITH, F_OF|F_ZF|F_PF|F_CF
        TEST 'add8.3'
        R add, bh, ch, 0x0F, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x10, F_ARITH, F_AF
        TEST 'add8.4'
        R add, al, bl, 0x00, 0x00, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'add8.5'
        R add, ah, cl, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x46, F_ARITH, 0
        TEST 'add8.6'
        R add, dl, dh, 0x80, 0x01, 0, 0x81, F_ARITH, F_SF|F_PF
        TEST 'add8.7'
        R add, bh, ch, 0x00, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x01, F_ARITH, 0
        TEST 'add8.8'
        R add, al, bl, 0xAA, 0x55, 0, 0xFF, F_ARITH, F_SF|F_PF
        TEST 'add8.9'
        R add, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7E, F_ARITH, F_AF|F_PF|F_CF
        TEST 'add8.10'
        R add, dl, dh, 0x00, 0xFF, 0, 0xFF, F_ARITH, F_SF|F_PF
        TEST 'add8.11'
        R add, bh, ch, 0x80, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFF, F_ARITH, F_SF|F_PF
        TEST 'add16.0'
        R add, ax, bx, 0x7FFF, 0x0001, 0, 0x8000, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'add16.1'
        R add, si, di, 0xFFFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add16.2'
        R add, bp, dx, 0x8000, 0x8000, 0, 0x0000, F_ARITH, F_OF|F_ZF|F_PF|F_CF
        TEST 'add16.3'
        R add, cx, ax, 0x00FF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0100, F_ARITH, F_AF|F_PF
        TEST 'add16.4'
        R add, ax, bx, 0x0000, 0x0000, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'add16.5'
        R add, si, di, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x68AC, F_ARITH, F_PF
        TEST 'add16.6'
        R add, bp, dx, 0x8000, 0x0001, 0, 0x8001, F_ARITH, F_SF
        TEST 'add16.7'
        R add, cx, ax, 0x0000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0001, F_ARITH, 0
        TEST 'add16.8'
        R add, ax, bx, 0xAAAA, 0x5555, 0, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'add16.9'
        R add, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFE, F_ARITH, F_AF|F_CF
        TEST 'add16.10'
        R add, bp, dx, 0x0000, 0xFFFF, 0, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'add16.11'
        R add, cx, ax, 0x8000, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'add32.0'
        R add, eax, ebx, 0x7FFFFFFF, 0x00000001, 0, 0x80000000, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'add32.1'
        R add, esi, ecx, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add32.2'
        R add, edx, edi, 0x80000000, 0x80000000, 0, 0x00000000, F_ARITH, F_OF|F_ZF|F_PF|F_CF
        TEST 'add32.3'
        R add, ebp, eax, 0x0000FFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00010000, F_ARITH, F_AF|F_PF
        TEST 'add32.4'
        R add, eax, ebx, 0x00000000, 0x00000000, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'add32.5'
        R add, esi, ecx, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xACF13568, F_ARITH, F_SF
        TEST 'add32.6'
        R add, edx, edi, 0x80000000, 0x00000001, 0, 0x80000001, F_ARITH, F_SF
        TEST 'add32.7'
        R add, ebp, eax, 0x00000000, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000001, F_ARITH, 0
        TEST 'add32.8'
        R add, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0xFFFFFFFF, F_ARITH, F_SF|F_PF
        TEST 'add32.9'
        R add, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFE, F_ARITH, F_AF|F_CF
        TEST 'add32.10'
        R add, edx, edi, 0x00000000, 0xFFFFFFFF, 0, 0xFFFFFFFF, F_ARITH, F_SF|F_PF
        TEST 'add32.11'
        R add, ebp, eax, 0x80000000, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFFF, F_ARITH, F_SF|F_PF
        TEST 'adc8.0'
        R adc, al, bl, 0x7F, 0x01, F_CF, 0x81, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'adc8.1'
        R adc, ah, cl, 0xFF, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc8.2'
        R adc, dl, dh, 0x80, 0x80, F_CF, 0x01, F_ARITH, F_OF|F_CF
        TEST 'adc8.3'
        R adc, bh, ch, 0x0F, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x10, F_ARITH, F_AF
        TEST 'adc8.4'
        R adc, al, bl, 0x00, 0x00, F_CF, 0x01, F_ARITH, 0
        TEST 'adc8.5'
        R adc, ah, cl, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x46, F_ARITH, 0
        TEST 'adc8.6'
        R adc, dl, dh, 0x80, 0x01, F_CF, 0x82, F_ARITH, F_SF|F_PF
        TEST 'adc8.7'
        R adc, bh, ch, 0x00, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x01, F_ARITH, 0
        TEST 'adc8.8'
        R adc, al, bl, 0xAA, 0x55, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc8.9'
        R adc, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x7E, F_ARITH, F_AF|F_PF|F_CF
        TEST 'adc8.10'
        R adc, dl, dh, 0x00, 0xFF, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc8.11'
        R adc, bh, ch, 0x80, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFF, F_ARITH, F_SF|F_PF
        TEST 'adc16.0'
        R adc, ax, bx, 0x7FFF, 0x0001, F_CF, 0x8001, F_ARITH, F_OF|F_SF|F_AF
        TEST 'adc16.1'
        R adc, si, di, 0xFFFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc16.2'
        R adc, bp, dx, 0x8000, 0x8000, F_CF, 0x0001, F_ARITH, F_OF|F_CF
        TEST 'adc16.3'
        R adc, cx, ax, 0x00FF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0100, F_ARITH, F_AF|F_PF
        TEST 'adc16.4'
        R adc, ax, bx, 0x0000, 0x0000, F_CF, 0x0001, F_ARITH, 0
        TEST 'adc16.5'
        R adc, si, di, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x68AC, F_ARITH, F_PF
        TEST 'adc16.6'
        R adc, bp, dx, 0x8000, 0x0001, F_CF, 0x8002, F_ARITH, F_SF
        TEST 'adc16.7'
        R adc, cx, ax, 0x0000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0001, F_ARITH, 0
        TEST 'adc16.8'
        R adc, ax, bx, 0xAAAA, 0x5555, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc16.9'
        R adc, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x7FFE, F_ARITH, F_AF|F_CF
        TEST 'adc16.10'
        R adc, bp, dx, 0x0000, 0xFFFF, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc16.11'
        R adc, cx, ax, 0x8000, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'adc32.0'
        R adc, eax, ebx, 0x7FFFFFFF, 0x00000001, F_CF, 0x80000001, F_ARITH, F_OF|F_SF|F_AF
        TEST 'adc32.1'
        R adc, esi, ecx, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc32.2'
        R adc, edx, edi, 0x80000000, 0x80000000, F_CF, 0x00000001, F_ARITH, F_OF|F_CF
        TEST 'adc32.3'
        R adc, ebp, eax, 0x0000FFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00010000, F_ARITH, F_AF|F_PF
        TEST 'adc32.4'
        R adc, eax, ebx, 0x00000000, 0x00000000, F_CF, 0x00000001, F_ARITH, 0
        TEST 'adc32.5'
        R adc, esi, ecx, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xACF13568, F_ARITH, F_SF
        TEST 'adc32.6'
        R adc, edx, edi, 0x80000000, 0x00000001, F_CF, 0x80000002, F_ARITH, F_SF
        TEST 'adc32.7'
        R adc, ebp, eax, 0x00000000, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000001, F_ARITH, 0
        TEST 'adc32.8'
        R adc, eax, ebx, 0xAAAAAAAA, 0x55555555, F_CF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc32.9'
        R adc, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x7FFFFFFE, F_ARITH, F_AF|F_CF
        TEST 'adc32.10'
        R adc, edx, edi, 0x00000000, 0xFFFFFFFF, F_CF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc32.11'
        R adc, ebp, eax, 0x80000000, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFFF, F_ARITH, F_SF|F_PF
        TEST 'sub8.0'
        R sub, al, bl, 0x7F, 0x01, 0, 0x7E, F_ARITH, F_PF
        TEST 'sub8.1'
        R sub, ah, cl, 0xFF, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFE, F_ARITH, F_SF
        TEST 'sub8.2'
        R sub, dl, dh, 0x80, 0x80, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'sub8.3'
        R sub, bh, ch, 0x0F, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0E, F_ARITH, 0
        TEST 'sub8.4'
        R sub, al, bl, 0x00, 0x00, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'sub8.5'
        R sub, ah, cl, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xDE, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub8.6'
        R sub, dl, dh, 0x80, 0x01, 0, 0x7F, F_ARITH, F_OF|F_AF
        TEST 'sub8.7'
        R sub, bh, ch, 0x00, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub8.8'
        R sub, al, bl, 0xAA, 0x55, 0, 0x55, F_ARITH, F_OF|F_PF
        TEST 'sub8.9'
        R sub, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_ARITH, F_OF|F_SF|F_CF
        TEST 'sub8.10'
        R sub, dl, dh, 0x00, 0xFF, 0, 0x01, F_ARITH, F_AF|F_CF
        TEST 'sub8.11'
        R sub, bh, ch, 0x80, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x01, F_ARITH, F_OF|F_AF
        TEST 'sub16.0'
        R sub, ax, bx, 0x7FFF, 0x0001, 0, 0x7FFE, F_ARITH, 0
        TEST 'sub16.1'
        R sub, si, di, 0xFFFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFE, F_ARITH, F_SF
        TEST 'sub16.2'
        R sub, bp, dx, 0x8000, 0x8000, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'sub16.3'
        R sub, cx, ax, 0x00FF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00FE, F_ARITH, 0
        TEST 'sub16.4'
        R sub, ax, bx, 0x0000, 0x0000, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'sub16.5'
        R sub, si, di, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xBBBC, F_ARITH, F_SF|F_AF|F_CF
        TEST 'sub16.6'
        R sub, bp, dx, 0x8000, 0x0001, 0, 0x7FFF, F_ARITH, F_OF|F_AF|F_PF
        TEST 'sub16.7'
        R sub, cx, ax, 0x0000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub16.8'
        R sub, ax, bx, 0xAAAA, 0x5555, 0, 0x5555, F_ARITH, F_OF|F_PF
        TEST 'sub16.9'
        R sub, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'sub16.10'
        R sub, bp, dx, 0x0000, 0xFFFF, 0, 0x0001, F_ARITH, F_AF|F_CF
        TEST 'sub16.11'
        R sub, cx, ax, 0x8000, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0001, F_ARITH, F_OF|F_AF
        TEST 'sub32.0'
        R sub, eax, ebx, 0x7FFFFFFF, 0x00000001, 0, 0x7FFFFFFE, F_ARITH, 0
        TEST 'sub32.1'
        R sub, esi, ecx, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFFE, F_ARITH, F_SF
        TEST 'sub32.2'
        R sub, edx, edi, 0x80000000, 0x80000000, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'sub32.3'
        R sub, ebp, eax, 0x0000FFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000FFFE, F_ARITH, 0
        TEST 'sub32.4'
        R sub, eax, ebx, 0x00000000, 0x00000000, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'sub32.5'
        R sub, esi, ecx, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x77777788, F_ARITH, F_PF|F_CF
        TEST 'sub32.6'
        R sub, edx, edi, 0x80000000, 0x00000001, 0, 0x7FFFFFFF, F_ARITH, F_OF|F_AF|F_PF
        TEST 'sub32.7'
        R sub, ebp, eax, 0x00000000, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub32.8'
        R sub, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0x55555555, F_ARITH, F_OF|F_PF
        TEST 'sub32.9'
        R sub, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'sub32.10'
        R sub, edx, edi, 0x00000000, 0xFFFFFFFF, 0, 0x00000001, F_ARITH, F_AF|F_CF
        TEST 'sub32.11'
        R sub, ebp, eax, 0x80000000, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000001, F_ARITH, F_OF|F_AF
        TEST 'sbb8.0'
        R sbb, al, bl, 0x7F, 0x01, F_CF, 0x7D, F_ARITH, F_PF
        TEST 'sbb8.1'
        R sbb, ah, cl, 0xFF, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFE, F_ARITH, F_SF
        TEST 'sbb8.2'
        R sbb, dl, dh, 0x80, 0x80, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb8.3'
        R sbb, bh, ch, 0x0F, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0E, F_ARITH, 0
        TEST 'sbb8.4'
        R sbb, al, bl, 0x00, 0x00, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb8.5'
        R sbb, ah, cl, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xDE, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb8.6'
        R sbb, dl, dh, 0x80, 0x01, F_CF, 0x7E, F_ARITH, F_OF|F_AF|F_PF
        TEST 'sbb8.7'
        R sbb, bh, ch, 0x00, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb8.8'
        R sbb, al, bl, 0xAA, 0x55, F_CF, 0x54, F_ARITH, F_OF
        TEST 'sbb8.9'
        R sbb, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80, F_ARITH, F_OF|F_SF|F_CF
        TEST 'sbb8.10'
        R sbb, dl, dh, 0x00, 0xFF, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'sbb8.11'
        R sbb, bh, ch, 0x80, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x01, F_ARITH, F_OF|F_AF
        TEST 'sbb16.0'
        R sbb, ax, bx, 0x7FFF, 0x0001, F_CF, 0x7FFD, F_ARITH, 0
        TEST 'sbb16.1'
        R sbb, si, di, 0xFFFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFE, F_ARITH, F_SF
        TEST 'sbb16.2'
        R sbb, bp, dx, 0x8000, 0x8000, F_CF, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb16.3'
        R sbb, cx, ax, 0x00FF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00FE, F_ARITH, 0
        TEST 'sbb16.4'
        R sbb, ax, bx, 0x0000, 0x0000, F_CF, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb16.5'
        R sbb, si, di, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xBBBC, F_ARITH, F_SF|F_AF|F_CF
        TEST 'sbb16.6'
        R sbb, bp, dx, 0x8000, 0x0001, F_CF, 0x7FFE, F_ARITH, F_OF|F_AF
        TEST 'sbb16.7'
        R sbb, cx, ax, 0x0000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb16.8'
        R sbb, ax, bx, 0xAAAA, 0x5555, F_CF, 0x5554, F_ARITH, F_OF
        TEST 'sbb16.9'
        R sbb, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'sbb16.10'
        R sbb, bp, dx, 0x0000, 0xFFFF, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'sbb16.11'
        R sbb, cx, ax, 0x8000, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0001, F_ARITH, F_OF|F_AF
        TEST 'sbb32.0'
        R sbb, eax, ebx, 0x7FFFFFFF, 0x00000001, F_CF, 0x7FFFFFFD, F_ARITH, 0
        TEST 'sbb32.1'
        R sbb, esi, ecx, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFFE, F_ARITH, F_SF
        TEST 'sbb32.2'
        R sbb, edx, edi, 0x80000000, 0x80000000, F_CF, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb32.3'
        R sbb, ebp, eax, 0x0000FFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000FFFE, F_ARITH, 0
        TEST 'sbb32.4'
        R sbb, eax, ebx, 0x00000000, 0x00000000, F_CF, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb32.5'
        R sbb, esi, ecx, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x77777788, F_ARITH, F_PF|F_CF
        TEST 'sbb32.6'
        R sbb, edx, edi, 0x80000000, 0x00000001, F_CF, 0x7FFFFFFE, F_ARITH, F_OF|F_AF
        TEST 'sbb32.7'
        R sbb, ebp, eax, 0x00000000, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb32.8'
        R sbb, eax, ebx, 0xAAAAAAAA, 0x55555555, F_CF, 0x55555554, F_ARITH, F_OF
        TEST 'sbb32.9'
        R sbb, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80000000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'sbb32.10'
        R sbb, edx, edi, 0x00000000, 0xFFFFFFFF, F_CF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'sbb32.11'
        R sbb, ebp, eax, 0x80000000, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000001, F_ARITH, F_OF|F_AF
        TEST 'cmp8.0'
        R cmp, al, bl, 0x7F, 0x01, 0, 0x7F, F_ARITH, F_PF
        TEST 'cmp8.1'
        R cmp, ah, cl, 0xFF, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFF, F_ARITH, F_SF
        TEST 'cmp8.2'
        R cmp, dl, dh, 0x80, 0x80, 0, 0x80, F_ARITH, F_ZF|F_PF
        TEST 'cmp8.3'
        R cmp, bh, ch, 0x0F, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0F, F_ARITH, 0
        TEST 'cmp8.4'
        R cmp, al, bl, 0x00, 0x00, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'cmp8.5'
        R cmp, ah, cl, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'cmp8.6'
        R cmp, dl, dh, 0x80, 0x01, 0, 0x80, F_ARITH, F_OF|F_AF
        TEST 'cmp8.7'
        R cmp, bh, ch, 0x00, 0x01, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'cmp8.8'
        R cmp, al, bl, 0xAA, 0x55, 0, 0xAA, F_ARITH, F_OF|F_PF
        TEST 'cmp8.9'
        R cmp, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7F, F_ARITH, F_OF|F_SF|F_CF
        TEST 'cmp8.10'
        R cmp, dl, dh, 0x00, 0xFF, 0, 0x00, F_ARITH, F_AF|F_CF
        TEST 'cmp8.11'
        R cmp, bh, ch, 0x80, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_ARITH, F_OF|F_AF
        TEST 'cmp16.0'
        R cmp, ax, bx, 0x7FFF, 0x0001, 0, 0x7FFF, F_ARITH, 0
        TEST 'cmp16.1'
        R cmp, si, di, 0xFFFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFF, F_ARITH, F_SF
        TEST 'cmp16.2'
        R cmp, bp, dx, 0x8000, 0x8000, 0, 0x8000, F_ARITH, F_ZF|F_PF
        TEST 'cmp16.3'
        R cmp, cx, ax, 0x00FF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00FF, F_ARITH, 0
        TEST 'cmp16.4'
        R cmp, ax, bx, 0x0000, 0x0000, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'cmp16.5'
        R cmp, si, di, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1234, F_ARITH, F_SF|F_AF|F_CF
        TEST 'cmp16.6'
        R cmp, bp, dx, 0x8000, 0x0001, 0, 0x8000, F_ARITH, F_OF|F_AF|F_PF
        TEST 'cmp16.7'
        R cmp, cx, ax, 0x0000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'cmp16.8'
        R cmp, ax, bx, 0xAAAA, 0x5555, 0, 0xAAAA, F_ARITH, F_OF|F_PF
        TEST 'cmp16.9'
        R cmp, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFF, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'cmp16.10'
        R cmp, bp, dx, 0x0000, 0xFFFF, 0, 0x0000, F_ARITH, F_AF|F_CF
        TEST 'cmp16.11'
        R cmp, cx, ax, 0x8000, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_ARITH, F_OF|F_AF
        TEST 'cmp32.0'
        R cmp, eax, ebx, 0x7FFFFFFF, 0x00000001, 0, 0x7FFFFFFF, F_ARITH, 0
        TEST 'cmp32.1'
        R cmp, esi, ecx, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFFF, F_ARITH, F_SF
        TEST 'cmp32.2'
        R cmp, edx, edi, 0x80000000, 0x80000000, 0, 0x80000000, F_ARITH, F_ZF|F_PF
        TEST 'cmp32.3'
        R cmp, ebp, eax, 0x0000FFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000FFFF, F_ARITH, 0
        TEST 'cmp32.4'
        R cmp, eax, ebx, 0x00000000, 0x00000000, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'cmp32.5'
        R cmp, esi, ecx, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12345678, F_ARITH, F_PF|F_CF
        TEST 'cmp32.6'
        R cmp, edx, edi, 0x80000000, 0x00000001, 0, 0x80000000, F_ARITH, F_OF|F_AF|F_PF
        TEST 'cmp32.7'
        R cmp, ebp, eax, 0x00000000, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'cmp32.8'
        R cmp, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0xAAAAAAAA, F_ARITH, F_OF|F_PF
        TEST 'cmp32.9'
        R cmp, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFF, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'cmp32.10'
        R cmp, edx, edi, 0x00000000, 0xFFFFFFFF, 0, 0x00000000, F_ARITH, F_AF|F_CF
        TEST 'cmp32.11'
        R cmp, ebp, eax, 0x80000000, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_ARITH, F_OF|F_AF
        TEST 'and8.0'
        R and, al, bl, 0xFF, 0x01, 0, 0x01, F_LOGIC, 0
        TEST 'and8.1'
        R and, ah, cl, 0x80, 0x80, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_LOGIC, F_SF
        TEST 'and8.2'
        R and, dl, dh, 0x00, 0x00, 0, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'and8.3'
        R and, bh, ch, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x10, F_LOGIC, 0
        TEST 'and8.4'
        R and, al, bl, 0xAA, 0x55, 0, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'and8.5'
        R and, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7F, F_LOGIC, 0
        TEST 'and16.0'
        R and, ax, bx, 0xFFFF, 0x0001, 0, 0x0001, F_LOGIC, 0
        TEST 'and16.1'
        R and, si, di, 0x8000, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_LOGIC, F_SF|F_PF
        TEST 'and16.2'
        R and, bp, dx, 0x0000, 0x0000, 0, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'and16.3'
        R and, cx, ax, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1230, F_LOGIC, F_PF
        TEST 'and16.4'
        R and, ax, bx, 0xAAAA, 0x5555, 0, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'and16.5'
        R and, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFF, F_LOGIC, F_PF
        TEST 'and32.0'
        R and, eax, ebx, 0xFFFFFFFF, 0x00000001, 0, 0x00000001, F_LOGIC, 0
        TEST 'and32.1'
        R and, esi, ecx, 0x80000000, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'and32.2'
        R and, edx, edi, 0x00000000, 0x00000000, 0, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'and32.3'
        R and, ebp, eax, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12345670, F_LOGIC, 0
        TEST 'and32.4'
        R and, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'and32.5'
        R and, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFF, F_LOGIC, F_PF
        TEST 'or8.0'
        R or, al, bl, 0xFF, 0x01, 0, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'or8.1'
        R or, ah, cl, 0x80, 0x80, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_LOGIC, F_SF
        TEST 'or8.2'
        R or, dl, dh, 0x00, 0x00, 0, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'or8.3'
        R or, bh, ch, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x36, F_LOGIC, F_PF
        TEST 'or8.4'
        R or, al, bl, 0xAA, 0x55, 0, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'or8.5'
        R or, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'or16.0'
        R or, ax, bx, 0xFFFF, 0x0001, 0, 0xFFFF, F_LOGIC, F_SF|F_PF
        TEST 'or16.1'
        R or, si, di, 0x8000, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_LOGIC, F_SF|F_PF
        TEST 'or16.2'
        R or, bp, dx, 0x0000, 0x0000, 0, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'or16.3'
        R or, cx, ax, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x567C, F_LOGIC, 0
        TEST 'or16.4'
        R or, ax, bx, 0xAAAA, 0x5555, 0, 0xFFFF, F_LOGIC, F_SF|F_PF
        TEST 'or16.5'
        R or, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFF, F_LOGIC, F_SF|F_PF
        TEST 'or32.0'
        R or, eax, ebx, 0xFFFFFFFF, 0x00000001, 0, 0xFFFFFFFF, F_LOGIC, F_SF|F_PF
        TEST 'or32.1'
        R or, esi, ecx, 0x80000000, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'or32.2'
        R or, edx, edi, 0x00000000, 0x00000000, 0, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'or32.3'
        R or, ebp, eax, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x9ABCDEF8, F_LOGIC, F_SF
        TEST 'or32.4'
        R or, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0xFFFFFFFF, F_LOGIC, F_SF|F_PF
        TEST 'or32.5'
        R or, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFFF, F_LOGIC, F_SF|F_PF
        TEST 'xor8.0'
        R xor, al, bl, 0xFF, 0x01, 0, 0xFE, F_LOGIC, F_SF
        TEST 'xor8.1'
        R xor, ah, cl, 0x80, 0x80, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'xor8.2'
        R xor, dl, dh, 0x00, 0x00, 0, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'xor8.3'
        R xor, bh, ch, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x26, F_LOGIC, 0
        TEST 'xor8.4'
        R xor, al, bl, 0xAA, 0x55, 0, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'xor8.5'
        R xor, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_LOGIC, F_SF
        TEST 'xor16.0'
        R xor, ax, bx, 0xFFFF, 0x0001, 0, 0xFFFE, F_LOGIC, F_SF
        TEST 'xor16.1'
        R xor, si, di, 0x8000, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'xor16.2'
        R xor, bp, dx, 0x0000, 0x0000, 0, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'xor16.3'
        R xor, cx, ax, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x444C, F_LOGIC, 0
        TEST 'xor16.4'
        R xor, ax, bx, 0xAAAA, 0x5555, 0, 0xFFFF, F_LOGIC, F_SF|F_PF
        TEST 'xor16.5'
        R xor, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_LOGIC, F_SF|F_PF
        TEST 'xor32.0'
        R xor, eax, ebx, 0xFFFFFFFF, 0x00000001, 0, 0xFFFFFFFE, F_LOGIC, F_SF
        TEST 'xor32.1'
        R xor, esi, ecx, 0x80000000, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'xor32.2'
        R xor, edx, edi, 0x00000000, 0x00000000, 0, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'xor32.3'
        R xor, ebp, eax, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x88888888, F_LOGIC, F_SF|F_PF
        TEST 'xor32.4'
        R xor, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0xFFFFFFFF, F_LOGIC, F_SF|F_PF
        TEST 'xor32.5'
        R xor, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'test8.0'
        R test, al, bl, 0xFF, 0x01, 0, 0xFF, F_LOGIC, 0
        TEST 'test8.1'
        R test, ah, cl, 0x80, 0x80, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_LOGIC, F_SF
        TEST 'test8.2'
        R test, dl, dh, 0x00, 0x00, 0, 0x00, F_LOGIC, F_ZF|F_PF
        TEST 'test8.3'
        R test, bh, ch, 0x12, 0x34, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12, F_LOGIC, 0
        TEST 'test8.4'
        R test, al, bl, 0xAA, 0x55, 0, 0xAA, F_LOGIC, F_ZF|F_PF
        TEST 'test8.5'
        R test, ah, cl, 0x7F, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7F, F_LOGIC, 0
        TEST 'test16.0'
        R test, ax, bx, 0xFFFF, 0x0001, 0, 0xFFFF, F_LOGIC, 0
        TEST 'test16.1'
        R test, si, di, 0x8000, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_LOGIC, F_SF|F_PF
        TEST 'test16.2'
        R test, bp, dx, 0x0000, 0x0000, 0, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'test16.3'
        R test, cx, ax, 0x1234, 0x5678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1234, F_LOGIC, F_PF
        TEST 'test16.4'
        R test, ax, bx, 0xAAAA, 0x5555, 0, 0xAAAA, F_LOGIC, F_ZF|F_PF
        TEST 'test16.5'
        R test, si, di, 0x7FFF, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFF, F_LOGIC, F_PF
        TEST 'test32.0'
        R test, eax, ebx, 0xFFFFFFFF, 0x00000001, 0, 0xFFFFFFFF, F_LOGIC, 0
        TEST 'test32.1'
        R test, esi, ecx, 0x80000000, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'test32.2'
        R test, edx, edi, 0x00000000, 0x00000000, 0, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'test32.3'
        R test, ebp, eax, 0x12345678, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12345678, F_LOGIC, 0
        TEST 'test32.4'
        R test, eax, ebx, 0xAAAAAAAA, 0x55555555, 0, 0xAAAAAAAA, F_LOGIC, F_ZF|F_PF
        TEST 'test32.5'
        R test, esi, ecx, 0x7FFFFFFF, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFF, F_LOGIC, F_PF
        TEST 'inc8.0'
        U inc, al, 0x00, 0, 0x01, F_ARITH, 0
        TEST 'inc8.1'
        U inc, ah, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_ARITH, F_OF|F_SF|F_AF|F_CF
        TEST 'inc8.2'
        U inc, dl, 0x80, F_CF, 0x81, F_ARITH, F_SF|F_PF|F_CF
        TEST 'inc8.3'
        U inc, bh, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_ARITH, F_ZF|F_AF|F_PF
        TEST 'inc8.4'
        U inc, al, 0x01, 0, 0x02, F_ARITH, 0
        TEST 'inc16.0'
        U inc, ax, 0x0000, 0, 0x0001, F_ARITH, 0
        TEST 'inc16.1'
        U inc, si, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_ARITH, F_OF|F_SF|F_AF|F_PF|F_CF
        TEST 'inc16.2'
        U inc, bp, 0x8000, F_CF, 0x8001, F_ARITH, F_SF|F_CF
        TEST 'inc16.3'
        U inc, cx, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF
        TEST 'inc16.4'
        U inc, ax, 0x0001, 0, 0x0002, F_ARITH, 0
        TEST 'inc32.0'
        U inc, eax, 0x00000000, 0, 0x00000001, F_ARITH, 0
        TEST 'inc32.1'
        U inc, esi, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_AF|F_PF|F_CF
        TEST 'inc32.2'
        U inc, edx, 0x80000000, F_CF, 0x80000001, F_ARITH, F_SF|F_CF
        TEST 'inc32.3'
        U inc, ebp, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF
        TEST 'inc32.4'
        U inc, eax, 0x00000001, 0, 0x00000002, F_ARITH, 0
        TEST 'dec8.0'
        U dec, al, 0x00, 0, 0xFF, F_ARITH, F_SF|F_AF|F_PF
        TEST 'dec8.1'
        U dec, ah, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7E, F_ARITH, F_PF|F_CF
        TEST 'dec8.2'
        U dec, dl, 0x80, F_CF, 0x7F, F_ARITH, F_OF|F_AF|F_CF
        TEST 'dec8.3'
        U dec, bh, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFE, F_ARITH, F_SF
        TEST 'dec8.4'
        U dec, al, 0x01, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'dec16.0'
        U dec, ax, 0x0000, 0, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF
        TEST 'dec16.1'
        U dec, si, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFE, F_ARITH, F_CF
        TEST 'dec16.2'
        U dec, bp, 0x8000, F_CF, 0x7FFF, F_ARITH, F_OF|F_AF|F_PF|F_CF
        TEST 'dec16.3'
        U dec, cx, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFE, F_ARITH, F_SF
        TEST 'dec16.4'
        U dec, ax, 0x0001, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'dec32.0'
        U dec, eax, 0x00000000, 0, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF
        TEST 'dec32.1'
        U dec, esi, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFE, F_ARITH, F_CF
        TEST 'dec32.2'
        U dec, edx, 0x80000000, F_CF, 0x7FFFFFFF, F_ARITH, F_OF|F_AF|F_PF|F_CF
        TEST 'dec32.3'
        U dec, ebp, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFFE, F_ARITH, F_SF
        TEST 'dec32.4'
        U dec, eax, 0x00000001, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'neg8.0'
        U neg, al, 0x00, 0, 0x00, F_ARITH, F_ZF|F_PF
        TEST 'neg8.1'
        U neg, ah, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x81, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'neg8.2'
        U neg, dl, 0x80, F_CF, 0x80, F_ARITH, F_OF|F_SF|F_CF
        TEST 'neg8.3'
        U neg, bh, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x01, F_ARITH, F_AF|F_CF
        TEST 'neg8.4'
        U neg, al, 0x01, 0, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'neg16.0'
        U neg, ax, 0x0000, 0, 0x0000, F_ARITH, F_ZF|F_PF
        TEST 'neg16.1'
        U neg, si, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8001, F_ARITH, F_SF|F_AF|F_CF
        TEST 'neg16.2'
        U neg, bp, 0x8000, F_CF, 0x8000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'neg16.3'
        U neg, cx, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0001, F_ARITH, F_AF|F_CF
        TEST 'neg16.4'
        U neg, ax, 0x0001, 0, 0xFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'neg32.0'
        U neg, eax, 0x00000000, 0, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'neg32.1'
        U neg, esi, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000001, F_ARITH, F_SF|F_AF|F_CF
        TEST 'neg32.2'
        U neg, edx, 0x80000000, F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'neg32.3'
        U neg, ebp, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000001, F_ARITH, F_AF|F_CF
        TEST 'neg32.4'
        U neg, eax, 0x00000001, 0, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'not8.0'
        U not, al, 0x00, 0, 0xFF, F_ARITH, 0
        TEST 'not8.1'
        U not, ah, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'not8.2'
        U not, dl, 0x80, F_CF, 0x7F, F_ARITH, F_CF
        TEST 'not8.3'
        U not, bh, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'not8.4'
        U not, al, 0x01, 0, 0xFE, F_ARITH, 0
        TEST 'not16.0'
        U not, ax, 0x0000, 0, 0xFFFF, F_ARITH, 0
        TEST 'not16.1'
        U not, si, 0x7FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'not16.2'
        U not, bp, 0x8000, F_CF, 0x7FFF, F_ARITH, F_CF
        TEST 'not16.3'
        U not, cx, 0xFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'not16.4'
        U not, ax, 0x0001, 0, 0xFFFE, F_ARITH, 0
        TEST 'not32.0'
        U not, eax, 0x00000000, 0, 0xFFFFFFFF, F_ARITH, 0
        TEST 'not32.1'
        U not, esi, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'not32.2'
        U not, edx, 0x80000000, F_CF, 0x7FFFFFFF, F_ARITH, F_CF
        TEST 'not32.3'
        U not, ebp, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'not32.4'
        U not, eax, 0x00000001, 0, 0xFFFFFFFE, F_ARITH, 0
        TEST 'add8.i0'
        I add, al, 0xF0, {0x20}, F_CF, 0x10, F_ARITH, F_CF
        TEST 'add16.i1'
        I add, ax, 0x1234, {0xEDCC}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add16.i2'
        I add, bx, 0x0001, {byte -1}, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add32.i3'
        I add, eax, 0x7FFFFFF0, {0x10}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80000000, F_ARITH, F_OF|F_SF|F_PF
        TEST 'add32.i4'
        I add, ecx, 0x00000001, {0xFFFFFFFF}, F_CF, 0x00000000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add32.i5'
        I add, edx, 0x00000010, {byte -0x20}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFF0, F_ARITH, F_SF|F_PF
        TEST 'sub8.i6'
        I sub, al, 0x10, {0x11}, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub16.i7'
        I sub, si, 0x8000, {1}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x7FFF, F_ARITH, F_OF|F_AF|F_PF
        TEST 'sub32.i8'
        I sub, eax, 0x00000000, {0x80000000}, F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_PF|F_CF
        TEST 'sub32.i9'
        I sub, edi, 0x00000005, {byte 6}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFFFFFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'cmp8.i10'
        I cmp, al, 0x80, {0x7F}, F_CF, 0x80, F_ARITH, F_OF|F_AF
        TEST 'cmp16.i11'
        I cmp, ax, 0x1234, {0x1234}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x1234, F_ARITH, F_ZF|F_PF
        TEST 'cmp32.i12'
        I cmp, ebx, 0xFFFFFFFF, {byte -1}, F_CF, 0xFFFFFFFF, F_ARITH, F_ZF|F_PF
        TEST 'cmp8.i13'
        I cmp, cl, 0x01, {0xFF}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x01, F_ARITH, F_AF|F_CF
        TEST 'and8.i14'
        I and, al, 0xF3, {0x3C}, F_CF, 0x30, F_LOGIC, F_PF
        TEST 'and32.i15'
        I and, eax, 0x8000FFFF, {0xFFFF0000}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'and16.i16'
        I and, dx, 0x8001, {byte -2}, F_CF, 0x8000, F_LOGIC, F_SF|F_PF
        TEST 'or16.i17'
        I or, ax, 0x0000, {0}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'or32.i18'
        I or, ecx, 0x00000001, {0x80000000}, F_CF, 0x80000001, F_LOGIC, F_SF
        TEST 'or8.i19'
        I or, bh, 0x40, {0x01}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x41, F_LOGIC, F_PF
        TEST 'xor16.i20'
        I xor, ax, 0xFFFF, {0xFFFF}, F_CF, 0x0000, F_LOGIC, F_ZF|F_PF
        TEST 'xor32.i21'
        I xor, eax, 0x12345678, {byte -1}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xEDCBA987, F_LOGIC, F_SF|F_PF
        TEST 'xor8.i22'
        I xor, dl, 0x0F, {0xF0}, F_CF, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'test8.i23'
        I test, al, 0x80, {0x80}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80, F_LOGIC, F_SF
        TEST 'test16.i24'
        I test, ax, 0x00FF, {0xFF00}, F_CF, 0x00FF, F_LOGIC, F_ZF|F_PF
        TEST 'test32.i25'
        I test, eax, 0x80000001, {0x7FFFFFFE}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80000001, F_LOGIC, F_ZF|F_PF
        TEST 'adc16.i26'
        I adc, ax, 0xFFFF, {0}, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'adc32.i27'
        I adc, eax, 0x7FFFFFFF, {byte 0}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x7FFFFFFF, F_ARITH, F_PF
        TEST 'sbb8.i28'
        I sbb, al, 0x00, {0}, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb32.i29'
        I sbb, ebx, 0x80000000, {0}, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80000000, F_ARITH, F_SF|F_PF
        TEST 'add8.md0'
        MD add, byte, 0xFF, cl, 0x01, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add8.ms0'
        MS add, byte, bl, 0xFF, 0x01, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add8.mi0'
        MI add, byte, 0xFF, 0x01, F_CF, 0x00, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'add16.md1'
        MD add, word, 0x7FFF, cx, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'add16.ms1'
        MS add, word, bx, 0x7FFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'add16.mi1'
        MI add, word, 0x7FFF, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_SF|F_AF|F_PF
        TEST 'add32.md2'
        MD add, dword, 0xFFFFFFFF, ecx, 0xFFFFFFFF, F_CF, 0xFFFFFFFE, F_ARITH, F_SF|F_AF|F_CF
        TEST 'add32.ms2'
        MS add, dword, ebx, 0xFFFFFFFF, 0xFFFFFFFF, F_CF, 0xFFFFFFFE, F_ARITH, F_SF|F_AF|F_CF
        TEST 'add32.mi2'
        MI add, dword, 0xFFFFFFFF, 0xFFFFFFFF, F_CF, 0xFFFFFFFE, F_ARITH, F_SF|F_AF|F_CF
        TEST 'adc16.md3'
        MD adc, word, 0xFFFF, cx, 0x0000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'adc16.ms3'
        MS adc, word, bx, 0xFFFF, 0x0000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'adc16.mi3'
        MI adc, word, 0xFFFF, 0x0000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_ARITH, F_SF|F_PF
        TEST 'sub8.md4'
        MD sub, byte, 0x00, cl, 0x01, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub8.ms4'
        MS sub, byte, bl, 0x00, 0x01, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sub8.mi4'
        MI sub, byte, 0x00, 0x01, F_CF, 0xFF, F_ARITH, F_SF|F_AF|F_PF|F_CF
        TEST 'sbb32.md5'
        MD sbb, dword, 0x00000000, ecx, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'sbb32.ms5'
        MS sbb, dword, ebx, 0x00000000, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'sbb32.mi5'
        MI sbb, dword, 0x00000000, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_ARITH, F_ZF|F_PF
        TEST 'and16.md6'
        MD and, word, 0xF0F0, cx, 0x0FF0, F_CF, 0x00F0, F_LOGIC, F_PF
        TEST 'and16.ms6'
        MS and, word, bx, 0xF0F0, 0x0FF0, F_CF, 0x00F0, F_LOGIC, F_PF
        TEST 'and16.mi6'
        MI and, word, 0xF0F0, 0x0FF0, F_CF, 0x00F0, F_LOGIC, F_PF
        TEST 'or32.md7'
        MD or, dword, 0x00000000, ecx, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'or32.ms7'
        MS or, dword, ebx, 0x00000000, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'or32.mi7'
        MI or, dword, 0x00000000, 0x00000000, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_LOGIC, F_ZF|F_PF
        TEST 'xor8.md8'
        MD xor, byte, 0x55, cl, 0xAA, F_CF, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'xor8.ms8'
        MS xor, byte, bl, 0x55, 0xAA, F_CF, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'xor8.mi8'
        MI xor, byte, 0x55, 0xAA, F_CF, 0xFF, F_LOGIC, F_SF|F_PF
        TEST 'cmp16.md9'
        MD cmp, word, 0x8000, cx, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_AF|F_PF
        TEST 'cmp16.ms9'
        MS cmp, word, bx, 0x8000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_AF|F_PF
        TEST 'cmp16.mi9'
        MI cmp, word, 0x8000, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_ARITH, F_OF|F_AF|F_PF
        TEST 'test32.md10'
        MD test, dword, 0x80000000, ecx, 0x80000000, F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'test32.mi10'
        MI test, dword, 0x80000000, 0x80000000, F_CF, 0x80000000, F_LOGIC, F_SF|F_PF
        TEST 'inc8.m'
        MU inc, byte, 0x80, F_CF, 0x81, F_ARITH, F_SF|F_PF|F_CF
        TEST 'inc16.m'
        MU inc, word, 0xFFFF, F_CF, 0x0000, F_ARITH, F_ZF|F_AF|F_PF|F_CF
        TEST 'inc32.m'
        MU inc, dword, 0x7FFFFFFF, F_CF, 0x80000000, F_ARITH, F_OF|F_SF|F_AF|F_PF|F_CF
        TEST 'dec8.m'
        MU dec, byte, 0x80, F_CF, 0x7F, F_ARITH, F_OF|F_AF|F_CF
        TEST 'dec16.m'
        MU dec, word, 0xFFFF, F_CF, 0xFFFE, F_ARITH, F_SF|F_CF
        TEST 'dec32.m'
        MU dec, dword, 0x7FFFFFFF, F_CF, 0x7FFFFFFE, F_ARITH, F_CF
        TEST 'neg8.m'
        MU neg, byte, 0x80, F_CF, 0x80, F_ARITH, F_OF|F_SF|F_CF
        TEST 'neg16.m'
        MU neg, word, 0xFFFF, F_CF, 0x0001, F_ARITH, F_AF|F_CF
        TEST 'neg32.m'
        MU neg, dword, 0x7FFFFFFF, F_CF, 0x80000001, F_ARITH, F_SF|F_AF|F_CF
        TEST 'not8.m'
        MU not, byte, 0x80, F_CF, 0x7F, F_ARITH, F_CF
        TEST 'not16.m'
        MU not, word, 0xFFFF, F_CF, 0x0000, F_ARITH, F_CF
        TEST 'not32.m'
        MU not, dword, 0x7FFFFFFF, F_CF, 0x80000000, F_ARITH, F_CF

; ---------------------------------------------------------------- 16-bit addressing modes
; tbl holds words 0xA000 + k at tbl + 2*k.  DS is moved 16 bytes (8 words) up,
; SS stays 0, so DS- and SS-relative forms give different words.
        TEST 'modrm16'
        mov ax, 1
        mov ds, ax                      ; DS base 0x10: DS-relative reads see k+8
        mov bx, tbl
        mov bp, tbl
        mov si, 4
        mov di, 6
        mov ax, [bx+si]
        CHECK_REG ax, 0xA00A
        mov ax, [bx+di]
        CHECK_REG ax, 0xA00B
        mov ax, [bp+si]                 ; SS
        CHECK_REG ax, 0xA002
        mov ax, [bp+di]                 ; SS
        CHECK_REG ax, 0xA003
        mov ax, [si+tbl]
        CHECK_REG ax, 0xA00A
        mov ax, [di+tbl+2]
        CHECK_REG ax, 0xA00C
        mov ax, [bp+0]                  ; mod=01 [bp+disp8], SS
        CHECK_REG ax, 0xA000
        mov ax, [bx]
        CHECK_REG ax, 0xA008
        mov ax, [bx+si+0x10]
        CHECK_REG ax, 0xA012
        mov ax, [bx+di-2]
        CHECK_REG ax, 0xA00A
        mov ax, [bp+di+2]               ; SS
        CHECK_REG ax, 0xA004
        mov ax, [bp+si+0x100-0xF8]      ; disp8 0x08, SS
        CHECK_REG ax, 0xA006
        mov ax, [tbl+2]                 ; disp16 only, DS
        CHECK_REG ax, 0xA009
        mov ax, [es:bx+si]              ; override: ES = 0
        CHECK_REG ax, 0xA002
        mov ax, [ds:bp+si]              ; override on a BP form: DS
        CHECK_REG ax, 0xA00A
        mov ax, [cs:bp+di]
        CHECK_REG ax, 0xA003
        mov bx, tbl+0x1000
        mov ax, [bx-0x1000+4]           ; disp16 negative
        CHECK_REG ax, 0xA00A
        ; the 16-bit effective address wraps at 64 KiB
        mov ax, (tbl - $$ + RZ_ORG) >> 4
        mov ds, ax
        mov bx, 0xFFFE
        mov si, 6
        mov ax, [bx+si]                 ; EA = (0xFFFE + 6) & 0xFFFF = 4
        CHECK_REG ax, 0xA002
        mov di, 0xFFF0
        mov ax, [di+0x14]               ; EA = 4
        CHECK_REG ax, 0xA002
        lea ax, [bx+si+0x1234]          ; (0xFFFE + 6 + 0x1234) & 0xFFFF
        CHECK_REG ax, 0x1238
        mov ax, 0
        mov ds, ax

; ---------------------------------------------------------------- sign extension
        TEST cbw
        mov ax, 0x1280
        cbw
        CHECK_REG ax, 0xFF80
        mov ax, 0x807F
        cbw
        CHECK_REG ax, 0x007F
        TEST cwd
        mov dx, 0x1234
        mov ax, 0x8000
        cwd
        CHECK_REG dx, 0xFFFF
        CHECK_REG ax, 0x8000
        mov ax, 0x7FFF
        cwd
        CHECK_REG dx, 0
        TEST cwde
        mov eax, 0x12348000
        cwde
        CHECK_REG eax, 0xFFFF8000
        mov eax, 0xFFFF7FFF
        cwde
        CHECK_REG eax, 0x00007FFF
        TEST cdq
        mov edx, 0x55555555
        mov eax, 0x80000000
        cdq
        CHECK_REG edx, 0xFFFFFFFF
        mov eax, 0x7FFFFFFF
        cdq
        CHECK_REG edx, 0

        DONE

align 16
tbl:
%assign k 0
%rep 64
        dw 0xA000 + k
%assign k k+1
%endrep
mvar:   dd 0
