; shift.asm - SHL/SHR/SAR/ROL/ROR/RCL/RCR and SHLD/SHRD, 8/16/32-bit, counts
; 0, 1, n, size-1, size, size+1 and counts that the 386+ masks to 5 bits
; (32 -> 0: no flag changes; 33 -> 1).  RCL/RCR rotate through 9/17/33 bits.
;
; Only the flags the SDM defines for each case are compared:
;   count 0 (after masking)  -> no flag is changed: all six compared
;   SHL/SHR/SAR              -> SF ZF PF, CF (not for SHL/SHR with count >=
;                               operand size), OF only for count 1; AF undefined
;   ROL/ROR/RCL/RCR          -> CF; OF only for count 1; SF ZF AF PF unchanged
;   SHLD/SHRD                -> like SHL; count > operand size is undefined and
;                               not tested

%include "rztest.inc"

; S op, reg, value, count (in CL), flags_in, out, flag_mask, flags_out
%macro S 8
        mov %2, %3
        mov cl, %4
        SET_FLAGS %5
        %1 %2, cl
        CHECK_REG %2, %6
        CHECK_FLAGS %7, %8
%endmacro

; SI op, reg, value, imm count, flags_in, out, flag_mask, flags_out
%macro SI 8
        mov %2, %3
        SET_FLAGS %5
        %1 %2, %4
        CHECK_REG %2, %6
        CHECK_FLAGS %7, %8
%endmacro

; SM op, size, value, count (in CL), flags_in, out, flag_mask, flags_out
%macro SM 8
        mov %2 [mvar], %3
        mov cl, %4
        SET_FLAGS %5
        %1 %2 [mvar], cl
        CHECK_MEM %2, [mvar], %6
        CHECK_FLAGS %7, %8
%endmacro

; SD op, dst, src, dst_in, src_in, count (in CL), flags_in, out, flag_mask, flags_out
%macro SD 10
        mov %2, %4
        mov %3, %5
        mov cl, %6
        SET_FLAGS %7
        %1 %2, %3, cl
        CHECK_REG %2, %8
        CHECK_FLAGS %9, %10
        CHECK_REG %3, %5
%endmacro

; SDI op, dst, src, dst_in, src_in, imm count, flags_in, out, flag_mask, flags_out
%macro SDI 10
        mov %2, %4
        mov %3, %5
        SET_FLAGS %7
        %1 %2, %3, %6
        CHECK_REG %2, %8
        CHECK_FLAGS %9, %10
%endmacro

; SDM op, size, src, mem_in, src_in, imm count, flags_in, out, flag_mask, flags_out
%macro SDM 10
        mov %2 [mvar], %4
        mov %3, %5
        SET_FLAGS %7
        %1 %2 [mvar], %3, %6
        CHECK_MEM %2, [mvar], %8
        CHECK_FLAGS %9, %10
%endmacro

        PRINTLN "shift: shifts and rotates"
        TEST 'shl8.0'
        S shl, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shl8.1'
        S shl, bh, 0x40, 1, F_CF, 0x80, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_SF
        TEST 'shl8.2'
        S shl, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x18, F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shl8.3'
        S shl, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shl8.4'
        S shl, bh, 0x7E, 8, 0, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl8.5'
        S shl, dl, 0x81, 9, F_CF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl8.6'
        S shl, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl8.7'
        S shl, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl8.8'
        S shl, dl, 0x01, 31, 0, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl8.9'
        S shl, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'shl8.10'
        S shl, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x02, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shl8.i0'
        SI shl, al, 0xC3, 1, F_CF, 0x86, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shl8.i1'
        SI shl, bh, 0x01, 4, 0, 0x10, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shl8.i2'
        SI shl, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80, F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shl16.0'
        S shl, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shl16.1'
        S shl, bx, 0x4000, 1, F_CF, 0x8000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_SF|F_PF
        TEST 'shl16.2'
        S shl, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D28, F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shl16.3'
        S shl, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'shl16.4'
        S shl, bx, 0x7FFE, 16, 0, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl16.5'
        S shl, si, 0x8001, 17, F_CF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl16.6'
        S shl, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl16.7'
        S shl, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shl16.8'
        S shl, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shl16.9'
        S shl, ax, 0x7FFE, 33, F_CF, 0xFFFC, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_SF|F_PF
        TEST 'shl16.i0'
        SI shl, ax, 0xC3A5, 1, F_CF, 0x874A, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shl16.i1'
        SI shl, bx, 0x0001, 4, 0, 0x0010, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shl16.i2'
        SI shl, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8000, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shl32.0'
        S shl, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shl32.1'
        S shl, edx, 0x40000000, 1, F_CF, 0x80000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_SF|F_PF
        TEST 'shl32.2'
        S shl, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D2AD1E0, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shl32.3'
        S shl, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shl32.4'
        S shl, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shl32.5'
        S shl, edi, 0x80000001, 33, F_CF, 0x00000002, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shl32.6'
        S shl, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shl32.7'
        S shl, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'shl32.8'
        S shl, edi, 0x12345678, 33, 0, 0x2468ACF0, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shl32.i0'
        SI shl, eax, 0xC3A55A3C, 1, F_CF, 0x874AB478, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shl32.i1'
        SI shl, edx, 0x12345678, 4, 0, 0x23456780, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'shl32.i2'
        SI shl, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shr8.0'
        S shr, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shr8.1'
        S shr, bh, 0x40, 1, F_CF, 0x20, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shr8.2'
        S shr, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x18, F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shr8.3'
        S shr, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shr8.4'
        S shr, bh, 0x7E, 8, 0, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr8.5'
        S shr, dl, 0x81, 9, F_CF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr8.6'
        S shr, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr8.7'
        S shr, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr8.8'
        S shr, dl, 0x01, 31, 0, 0x00, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr8.9'
        S shr, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'shr8.10'
        S shr, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x40, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shr8.i0'
        SI shr, al, 0xC3, 1, F_CF, 0x61, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shr8.i1'
        SI shr, bh, 0x01, 4, 0, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shr8.i2'
        SI shr, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x01, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'shr16.0'
        S shr, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shr16.1'
        S shr, bx, 0x4000, 1, F_CF, 0x2000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shr16.2'
        S shr, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1874, F_SF|F_ZF|F_PF|F_CF, F_PF|F_CF
        TEST 'shr16.3'
        S shr, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shr16.4'
        S shr, bx, 0x7FFE, 16, 0, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr16.5'
        S shr, si, 0x8001, 17, F_CF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr16.6'
        S shr, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr16.7'
        S shr, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        TEST 'shr16.8'
        S shr, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shr16.9'
        S shr, ax, 0x7FFE, 33, F_CF, 0x3FFF, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shr16.i0'
        SI shr, ax, 0xC3A5, 1, F_CF, 0x61D2, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_PF|F_CF
        TEST 'shr16.i1'
        SI shr, bx, 0x0001, 4, 0, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shr16.i2'
        SI shr, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0001, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'shr32.0'
        S shr, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shr32.1'
        S shr, edx, 0x40000000, 1, F_CF, 0x20000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shr32.2'
        S shr, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1874AB47, F_SF|F_ZF|F_PF|F_CF, F_PF|F_CF
        TEST 'shr32.3'
        S shr, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'shr32.4'
        S shr, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shr32.5'
        S shr, edi, 0x80000001, 33, F_CF, 0x40000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_PF|F_CF
        TEST 'shr32.6'
        S shr, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF|F_CF
        TEST 'shr32.7'
        S shr, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'shr32.8'
        S shr, edi, 0x12345678, 33, 0, 0x091A2B3C, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shr32.i0'
        SI shr, eax, 0xC3A55A3C, 1, F_CF, 0x61D2AD1E, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_PF
        TEST 'shr32.i1'
        SI shr, edx, 0x12345678, 4, 0, 0x01234567, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'shr32.i2'
        SI shr, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000001, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'sar8.0'
        S sar, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar8.1'
        S sar, bh, 0x40, 1, F_CF, 0x20, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'sar8.2'
        S sar, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF8, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'sar8.3'
        S sar, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar8.4'
        S sar, bh, 0x7E, 8, 0, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar8.5'
        S sar, dl, 0x81, 9, F_CF, 0xFF, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar8.6'
        S sar, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar8.7'
        S sar, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFF, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar8.8'
        S sar, dl, 0x01, 31, 0, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar8.9'
        S sar, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'sar8.10'
        S sar, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xC0, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar8.i0'
        SI sar, al, 0xC3, 1, F_CF, 0xE1, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar8.i1'
        SI sar, bh, 0x01, 4, 0, 0x00, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar8.i2'
        SI sar, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x01, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'sar16.0'
        S sar, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar16.1'
        S sar, bx, 0x4000, 1, F_CF, 0x2000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'sar16.2'
        S sar, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF874, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar16.3'
        S sar, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar16.4'
        S sar, bx, 0x7FFE, 16, 0, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar16.5'
        S sar, si, 0x8001, 17, F_CF, 0xFFFF, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar16.6'
        S sar, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar16.7'
        S sar, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xFFFF, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar16.8'
        S sar, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar16.9'
        S sar, ax, 0x7FFE, 33, F_CF, 0x3FFF, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'sar16.i0'
        SI sar, ax, 0xC3A5, 1, F_CF, 0xE1D2, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar16.i1'
        SI sar, bx, 0x0001, 4, 0, 0x0000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar16.i2'
        SI sar, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0001, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'sar32.0'
        S sar, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar32.1'
        S sar, edx, 0x40000000, 1, F_CF, 0x20000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'sar32.2'
        S sar, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF874AB47, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar32.3'
        S sar, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF
        TEST 'sar32.4'
        S sar, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar32.5'
        S sar, edi, 0x80000001, 33, F_CF, 0xC0000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'sar32.6'
        S sar, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000000, F_SF|F_ZF|F_PF|F_CF, F_ZF|F_PF|F_CF
        TEST 'sar32.7'
        S sar, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'sar32.8'
        S sar, edi, 0x12345678, 33, 0, 0x091A2B3C, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'sar32.i0'
        SI sar, eax, 0xC3A55A3C, 1, F_CF, 0xE1D2AD1E, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'sar32.i1'
        SI sar, edx, 0x12345678, 4, 0, 0x01234567, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'sar32.i2'
        SI sar, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000001, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'rol8.0'
        S rol, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol8.1'
        S rol, bh, 0x40, 1, F_CF, 0x80, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rol8.2'
        S rol, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1E, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol8.3'
        S rol, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol8.4'
        S rol, bh, 0x7E, 8, 0, 0x7E, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol8.5'
        S rol, dl, 0x81, 9, F_CF, 0x03, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol8.6'
        S rol, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x01, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol8.7'
        S rol, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x87, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol8.8'
        S rol, dl, 0x01, 31, 0, 0x80, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol8.9'
        S rol, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol8.10'
        S rol, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x03, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol8.i0'
        SI rol, al, 0xC3, 1, F_CF, 0x87, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol8.i1'
        SI rol, bh, 0x01, 4, 0, 0x10, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol8.i2'
        SI rol, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x9F, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol16.0'
        S rol, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol16.1'
        S rol, bx, 0x4000, 1, F_CF, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rol16.2'
        S rol, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D2E, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol16.3'
        S rol, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol16.4'
        S rol, bx, 0x7FFE, 16, 0, 0x7FFE, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol16.5'
        S rol, si, 0x8001, 17, F_CF, 0x0003, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol16.6'
        S rol, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0001, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol16.7'
        S rol, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xE1D2, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol16.8'
        S rol, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol16.9'
        S rol, ax, 0x7FFE, 33, F_CF, 0xFFFC, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rol16.i0'
        SI rol, ax, 0xC3A5, 1, F_CF, 0x874B, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol16.i1'
        SI rol, bx, 0x0001, 4, 0, 0x0010, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol16.i2'
        SI rol, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x9FFF, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rol32.0'
        S rol, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol32.1'
        S rol, edx, 0x40000000, 1, F_CF, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rol32.2'
        S rol, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D2AD1E6, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol32.3'
        S rol, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x091A2B3C, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol32.4'
        S rol, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol32.5'
        S rol, edi, 0x80000001, 33, F_CF, 0x00000003, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_CF
        TEST 'rol32.6'
        S rol, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x20000000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rol32.7'
        S rol, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'rol32.8'
        S rol, edi, 0x12345678, 33, 0, 0x2468ACF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rol32.i0'
        SI rol, eax, 0xC3A55A3C, 1, F_CF, 0x874AB479, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol32.i1'
        SI rol, edx, 0x12345678, 4, 0, 0x23456781, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rol32.i2'
        SI rol, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x9FFFFFFF, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror8.0'
        S ror, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror8.1'
        S ror, bh, 0x40, 1, F_CF, 0x20, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror8.2'
        S ror, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x78, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror8.3'
        S ror, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x02, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror8.4'
        S ror, bh, 0x7E, 8, 0, 0x7E, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror8.5'
        S ror, dl, 0x81, 9, F_CF, 0xC0, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror8.6'
        S ror, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x10, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror8.7'
        S ror, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xE1, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror8.8'
        S ror, dl, 0x01, 31, 0, 0x02, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror8.9'
        S ror, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror8.10'
        S ror, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xC0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror8.i0'
        SI ror, al, 0xC3, 1, F_CF, 0xE1, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror8.i1'
        SI ror, bh, 0x01, 4, 0, 0x10, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror8.i2'
        SI ror, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF9, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror16.0'
        S ror, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.1'
        S ror, bx, 0x4000, 1, F_CF, 0x2000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.2'
        S ror, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xB874, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror16.3'
        S ror, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0002, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror16.4'
        S ror, bx, 0x7FFE, 16, 0, 0x7FFE, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.5'
        S ror, si, 0x8001, 17, F_CF, 0xC000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror16.6'
        S ror, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror16.7'
        S ror, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x874B, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror16.8'
        S ror, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.9'
        S ror, ax, 0x7FFE, 33, F_CF, 0x3FFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.i0'
        SI ror, ax, 0xC3A5, 1, F_CF, 0xE1D2, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror16.i1'
        SI ror, bx, 0x0001, 4, 0, 0x1000, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror16.i2'
        SI ror, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFF9, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror32.0'
        S ror, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror32.1'
        S ror, edx, 0x40000000, 1, F_CF, 0x20000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror32.2'
        S ror, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x9874AB47, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror32.3'
        S ror, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x2468ACF0, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'ror32.4'
        S ror, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror32.5'
        S ror, edi, 0x80000001, 33, F_CF, 0xC0000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror32.6'
        S ror, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'ror32.7'
        S ror, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'ror32.8'
        S ror, edi, 0x12345678, 33, 0, 0x091A2B3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror32.i0'
        SI ror, eax, 0xC3A55A3C, 1, F_CF, 0x61D2AD1E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'ror32.i1'
        SI ror, edx, 0x12345678, 4, 0, 0x81234567, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'ror32.i2'
        SI ror, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFF9, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl8.0'
        S rcl, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl8.1'
        S rcl, bh, 0x40, 1, F_CF, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcl8.2'
        S rcl, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1F, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl8.3'
        S rcl, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x80, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl8.4'
        S rcl, bh, 0x7E, 8, 0, 0x3F, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl8.5'
        S rcl, dl, 0x81, 9, F_CF, 0x81, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl8.6'
        S rcl, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x81, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl8.7'
        S rcl, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x61, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl8.8'
        S rcl, dl, 0x01, 31, 0, 0x10, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl8.9'
        S rcl, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl8.10'
        S rcl, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x03, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl8.i0'
        SI rcl, al, 0xC3, 1, F_CF, 0x87, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl8.i1'
        SI rcl, bh, 0x01, 4, 0, 0x10, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl8.i2'
        SI rcl, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xAF, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl16.0'
        S rcl, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl16.1'
        S rcl, bx, 0x4000, 1, F_CF, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcl16.2'
        S rcl, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D2F, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl16.3'
        S rcl, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x8000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl16.4'
        S rcl, bx, 0x7FFE, 16, 0, 0x3FFF, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl16.5'
        S rcl, si, 0x8001, 17, F_CF, 0x8001, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl16.6'
        S rcl, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x8001, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl16.7'
        S rcl, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x5874, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl16.8'
        S rcl, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl16.9'
        S rcl, ax, 0x7FFE, 33, F_CF, 0xFFFD, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcl16.i0'
        SI rcl, ax, 0xC3A5, 1, F_CF, 0x874B, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl16.i1'
        SI rcl, bx, 0x0001, 4, 0, 0x0010, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl16.i2'
        SI rcl, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xAFFF, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcl32.0'
        S rcl, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl32.1'
        S rcl, edx, 0x40000000, 1, F_CF, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcl32.2'
        S rcl, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x1D2AD1E7, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl32.3'
        S rcl, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x048D159E, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl32.4'
        S rcl, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl32.5'
        S rcl, edi, 0x80000001, 33, F_CF, 0x00000003, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_CF
        TEST 'rcl32.6'
        S rcl, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x50000000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl32.7'
        S rcl, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'rcl32.8'
        S rcl, edi, 0x12345678, 33, 0, 0x2468ACF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcl32.i0'
        SI rcl, eax, 0xC3A55A3C, 1, F_CF, 0x874AB479, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl32.i1'
        SI rcl, edx, 0x12345678, 4, 0, 0x23456780, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcl32.i2'
        SI rcl, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xAFFFFFFF, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr8.0'
        S rcr, al, 0x81, 0, 0, 0x81, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr8.1'
        S rcr, bh, 0x40, 1, F_CF, 0xA0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcr8.2'
        S rcr, dl, 0xC3, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF8, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr8.3'
        S rcr, al, 0x01, 7, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x04, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr8.4'
        S rcr, bh, 0x7E, 8, 0, 0xFC, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr8.5'
        S rcr, dl, 0x81, 9, F_CF, 0x81, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr8.6'
        S rcr, al, 0x40, 10, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xA0, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr8.7'
        S rcr, bh, 0xC3, 17, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x86, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr8.8'
        S rcr, dl, 0x01, 31, 0, 0x20, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr8.9'
        S rcr, al, 0x7E, 32, F_CF, 0x7E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr8.10'
        S rcr, bh, 0x81, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xC0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr8.i0'
        SI rcr, al, 0xC3, 1, F_CF, 0xE1, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr8.i1'
        SI rcr, bh, 0x01, 4, 0, 0x20, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr8.i2'
        SI rcr, dl, 0x7E, 6, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF5, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr16.0'
        S rcr, ax, 0x8001, 0, 0, 0x8001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr16.1'
        S rcr, bx, 0x4000, 1, F_CF, 0xA000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcr16.2'
        S rcr, si, 0xC3A5, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7874, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr16.3'
        S rcr, ax, 0x0001, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x0004, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr16.4'
        S rcr, bx, 0x7FFE, 16, 0, 0xFFFC, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr16.5'
        S rcr, si, 0x8001, 17, F_CF, 0x8001, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr16.6'
        S rcr, ax, 0x4000, 18, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xA000, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr16.7'
        S rcr, bx, 0xC3A5, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x1D2B, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr16.8'
        S rcr, si, 0x0001, 32, 0, 0x0001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr16.9'
        S rcr, ax, 0x7FFE, 33, F_CF, 0xBFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcr16.i0'
        SI rcr, ax, 0xC3A5, 1, F_CF, 0xE1D2, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr16.i1'
        SI rcr, bx, 0x0001, 4, 0, 0x2000, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr16.i2'
        SI rcr, si, 0x7FFE, 14, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFF5, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr32.0'
        S rcr, eax, 0x80000001, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr32.1'
        S rcr, edx, 0x40000000, 1, F_CF, 0xA0000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF
        TEST 'rcr32.2'
        S rcr, edi, 0xC3A55A3C, 3, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x3874AB47, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr32.3'
        S rcr, eax, 0x12345678, 31, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x48D159E0, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr32.4'
        S rcr, edx, 0x7FFFFFFE, 32, 0, 0x7FFFFFFE, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr32.5'
        S rcr, edi, 0x80000001, 33, F_CF, 0xC0000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr32.6'
        S rcr, eax, 0x40000000, 31, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000002, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'rcr32.7'
        S rcr, edx, 0xC3A55A3C, 32, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xC3A55A3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_SF|F_ZF|F_AF|F_PF
        TEST 'rcr32.8'
        S rcr, edi, 0x12345678, 33, 0, 0x091A2B3C, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr32.i0'
        SI rcr, eax, 0xC3A55A3C, 1, F_CF, 0xE1D2AD1E, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'rcr32.i1'
        SI rcr, edx, 0x12345678, 4, 0, 0x01234567, F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'rcr32.i2'
        SI rcr, edi, 0x7FFFFFFE, 30, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xFFFFFFF5, F_SF|F_ZF|F_AF|F_PF|F_CF, F_SF|F_ZF|F_AF|F_PF|F_CF
        TEST 'shld16.0'
        SD shld, ax, bx, 0x8421, 0xF00F, 0, 0, 0x8421, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shld16.1'
        SD shld, ax, bx, 0x8421, 0xF00F, 1, F_CF, 0x0843, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shld16.2'
        SD shld, ax, bx, 0x8421, 0xF00F, 4, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x421F, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld16.3'
        SD shld, ax, bx, 0x8421, 0xF00F, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xF807, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shld16.4'
        SD shld, ax, bx, 0x8421, 0xF00F, 16, 0, 0xF00F, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shld16.5'
        SD shld, ax, bx, 0x8421, 0xF00F, 33, F_CF, 0x0843, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shld16.i0'
        SDI shld, ax, bx, 0x8421, 0xF00F, 1, F_CF, 0x0843, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shld16.i1'
        SDI shld, ax, bx, 0x8421, 0xF00F, 7, F_CF, 0x10F8, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld32.0'
        SD shld, eax, ebx, 0x80000001, 0xF000000F, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shld32.1'
        SD shld, eax, ebx, 0x12345678, 0x9ABCDEF0, 1, F_CF, 0x2468ACF1, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld32.2'
        SD shld, eax, ebx, 0x80000001, 0xF000000F, 4, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000001F, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld32.3'
        SD shld, eax, ebx, 0x12345678, 0x9ABCDEF0, 16, F_OF|F_SF|F_ZF|F_AF|F_PF, 0x56789ABC, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld32.4'
        SD shld, eax, ebx, 0x80000001, 0xF000000F, 31, 0, 0xF8000007, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shld32.5'
        SD shld, eax, ebx, 0x12345678, 0x9ABCDEF0, 32, F_CF, 0x12345678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'shld32.6'
        SD shld, eax, ebx, 0x80000001, 0xF000000F, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000003, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_PF|F_CF
        TEST 'shld32.i0'
        SDI shld, eax, ebx, 0x12345678, 0x9ABCDEF0, 1, F_CF, 0x2468ACF1, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shld32.i1'
        SDI shld, eax, ebx, 0x12345678, 0x9ABCDEF0, 7, F_CF, 0x1A2B3C4D, F_SF|F_ZF|F_PF|F_CF, F_PF|F_CF
        TEST 'shrd16.0'
        SD shrd, ax, bx, 0x8421, 0xF00F, 0, 0, 0x8421, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shrd16.1'
        SD shrd, ax, bx, 0x8421, 0xF00F, 1, F_CF, 0xC210, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shrd16.2'
        SD shrd, ax, bx, 0x8421, 0xF00F, 4, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF842, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'shrd16.3'
        SD shrd, ax, bx, 0x8421, 0xF00F, 15, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xE01F, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shrd16.4'
        SD shrd, ax, bx, 0x8421, 0xF00F, 16, 0, 0xF00F, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shrd16.5'
        SD shrd, ax, bx, 0x8421, 0xF00F, 33, F_CF, 0xC210, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shrd16.i0'
        SDI shrd, ax, bx, 0x8421, 0xF00F, 1, F_CF, 0xC210, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_CF
        TEST 'shrd16.i1'
        SDI shrd, ax, bx, 0x8421, 0xF00F, 7, F_CF, 0x1F08, F_SF|F_ZF|F_PF|F_CF, 0
        TEST 'shrd32.0'
        SD shrd, eax, ebx, 0x80000001, 0xF000000F, 0, 0, 0x80000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'shrd32.1'
        SD shrd, eax, ebx, 0x12345678, 0x9ABCDEF0, 1, F_CF, 0x091A2B3C, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shrd32.2'
        SD shrd, eax, ebx, 0x80000001, 0xF000000F, 4, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xF8000000, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'shrd32.3'
        SD shrd, eax, ebx, 0x12345678, 0x9ABCDEF0, 16, F_OF|F_SF|F_ZF|F_AF|F_PF, 0xDEF01234, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shrd32.4'
        SD shrd, eax, ebx, 0x80000001, 0xF000000F, 31, 0, 0xE000001F, F_SF|F_ZF|F_PF|F_CF, F_SF
        TEST 'shrd32.5'
        SD shrd, eax, ebx, 0x12345678, 0x9ABCDEF0, 32, F_CF, 0x12345678, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_CF
        TEST 'shrd32.6'
        SD shrd, eax, ebx, 0x80000001, 0xF000000F, 33, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xC0000000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shrd32.i0'
        SDI shrd, eax, ebx, 0x12345678, 0x9ABCDEF0, 1, F_CF, 0x091A2B3C, F_OF|F_SF|F_ZF|F_PF|F_CF, F_PF
        TEST 'shrd32.i1'
        SDI shrd, eax, ebx, 0x12345678, 0x9ABCDEF0, 7, F_CF, 0xE02468AC, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'shl8.m0'
        SM shl, byte, 0x81, 1, F_CF, 0x02, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'shr16.m1'
        SM shr, word, 0x8001, 1, 0, 0x4000, F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_PF|F_CF
        TEST 'sar32.m2'
        SM sar, dword, 0x80000000, 31, F_CF, 0xFFFFFFFF, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'rol16.m3'
        SM rol, word, 0x8001, 4, 0, 0x0018, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'ror32.m4'
        SM ror, dword, 0x00000001, 1, F_CF, 0x80000000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_CF
        TEST 'rcl8.m5'
        SM rcl, byte, 0x80, 1, 0, 0x00, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_CF
        TEST 'rcr16.m6'
        SM rcr, word, 0x0001, 1, F_CF, 0x8000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, F_OF|F_CF
        TEST 'rcl32.m7'
        SM rcl, dword, 0x80000000, 2, 0, 0x00000001, F_SF|F_ZF|F_AF|F_PF|F_CF, 0
        TEST 'sar8.m8'
        SM sar, byte, 0x80, 3, F_CF, 0xF0, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF
        TEST 'shld16.m0'
        SDM shld, word, bx, 0x1234, 0xABCD, 4, 0, 0x234A, F_SF|F_ZF|F_PF|F_CF, F_CF
        TEST 'shrd32.m1'
        SDM shrd, dword, ebx, 0x12345678, 0x9ABCDEF0, 8, 0, 0xF0123456, F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF

; ---------------------------------------------------------------- by-1 forms on memory (D0/D1)
        TEST 'shl mem,1'
        mov byte [mvar], 0x81
        SET_FLAGS 0
        shl byte [mvar], 1              ; 0x02, CF=1, OF = MSB ^ CF = 1
        CHECK_MEM byte, [mvar], 0x02
        CHECK_FLAGS F_OF|F_SF|F_ZF|F_PF|F_CF, F_OF|F_CF
        TEST 'sar mem,1'
        mov word [mvar], 0x8001
        SET_FLAGS 0
        sar word [mvar], 1              ; 0xC000, CF=1, OF=0
        CHECK_MEM word, [mvar], 0xC000
        CHECK_FLAGS F_OF|F_SF|F_ZF|F_PF|F_CF, F_SF|F_PF|F_CF
        TEST 'rcr mem,1'
        mov dword [mvar], 0x00000002
        SET_FLAGS F_CF
        rcr dword [mvar], 1             ; CF into bit 31: 0x80000001, CF=0, OF = b31^b30 = 1
        CHECK_MEM dword, [mvar], 0x80000001
        CHECK_FLAGS F_OF|F_CF, F_OF
        TEST 'rol mem,imm'
        mov dword [mvar], 0x12345678
        rol dword [mvar], 8
        CHECK_MEM dword, [mvar], 0x34567812
        TEST 'shr mem32,imm'
        mov dword [mvar], 0x80000000
        shr dword [mvar], 31
        CHECK_MEM dword, [mvar], 1
        ; the count register is not changed by the shift
        TEST 'count kept'
        mov cl, 33
        mov eax, 1
        shl eax, cl
        CHECK_REG eax, 2
        CHECK_REG cl, 33

        DONE

align 4
mvar:   dd 0
