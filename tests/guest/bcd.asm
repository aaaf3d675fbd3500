; bcd.asm - DAA/DAS/AAA/AAS/AAM/AAD following the SDM pseudo-code.
; Only defined flags are compared (DAA/DAS: OF undefined; AAA/AAS: only AF and
; CF defined; AAM/AAD: SF ZF PF defined).  AAA with AL >= 0xFA and AAS with
; AL < 6 that needs an adjustment are left out: processors differ there
; (AL +/- 6 with or without a carry into AH).  AAM 0 (#DE) is in muldiv.asm.

%include "rztest.inc"

; B op, al_in, flags_in, al_out, flag_mask, flags_out   (AH must not change)
%macro B 6
        mov ax, 0xA500 | %2
        SET_FLAGS %3
        %1
        CHECK_REG ax, 0xA500 | %4
        CHECK_FLAGS %5, %6
%endmacro

; B16 op, ax_in, flags_in, ax_out, flag_mask, flags_out
%macro B16 6
        mov ax, %2
        SET_FLAGS %3
        %1
        CHECK_REG ax, %4
        CHECK_FLAGS %5, %6
%endmacro

; BI op, ax_in, imm8, ax_out, flag_mask, flags_out
%macro BI 6
        mov ax, %2
        SET_FLAGS 0
        %1 %3
        CHECK_REG ax, %4
        CHECK_FLAGS %5, %6
%endmacro

        PRINTLN "bcd: decimal adjust"
        TEST daa
        B daa, 0x00, 0, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_PF
        B daa, 0x00, F_AF, 0x06, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B daa, 0x00, F_CF, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B daa, 0x00, F_AF|F_CF, 0x66, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0x09, 0, 0x09, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF
        B daa, 0x09, F_AF, 0x0F, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B daa, 0x09, F_CF, 0x69, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B daa, 0x09, F_AF|F_CF, 0x6F, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0x0A, 0, 0x10, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B daa, 0x0A, F_AF, 0x10, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B daa, 0x0A, F_CF, 0x70, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B daa, 0x0A, F_AF|F_CF, 0x70, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B daa, 0x0F, 0, 0x15, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B daa, 0x0F, F_AF, 0x15, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B daa, 0x0F, F_CF, 0x75, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B daa, 0x0F, F_AF|F_CF, 0x75, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B daa, 0x10, 0, 0x10, F_CF|F_AF|F_SF|F_ZF|F_PF, 0
        B daa, 0x10, F_AF, 0x16, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B daa, 0x10, F_CF, 0x70, F_CF|F_AF|F_SF|F_ZF|F_PF, F_CF
        B daa, 0x10, F_AF|F_CF, 0x76, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B daa, 0x3C, 0, 0x42, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B daa, 0x3C, F_AF, 0x42, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B daa, 0x3C, F_CF, 0xA2, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B daa, 0x3C, F_AF|F_CF, 0xA2, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B daa, 0x66, 0, 0x66, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF
        B daa, 0x66, F_AF, 0x6C, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B daa, 0x66, F_CF, 0xC6, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B daa, 0x66, F_AF|F_CF, 0xCC, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B daa, 0x99, 0, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF
        B daa, 0x99, F_AF, 0x9F, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF
        B daa, 0x99, F_CF, 0xF9, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B daa, 0x99, F_AF|F_CF, 0xFF, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B daa, 0x9A, 0, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_AF|F_PF|F_CF
        B daa, 0x9A, F_AF, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_AF|F_PF|F_CF
        B daa, 0x9A, F_CF, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_AF|F_PF|F_CF
        B daa, 0x9A, F_AF|F_CF, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_AF|F_PF|F_CF
        B daa, 0x9F, 0, 0x05, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0x9F, F_AF, 0x05, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0x9F, F_CF, 0x05, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0x9F, F_AF|F_CF, 0x05, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xA0, 0, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_PF|F_CF
        B daa, 0xA0, F_AF, 0x06, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xA0, F_CF, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_PF|F_CF
        B daa, 0xA0, F_AF|F_CF, 0x06, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xF9, 0, 0x59, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B daa, 0xF9, F_AF, 0x5F, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xF9, F_CF, 0x59, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B daa, 0xF9, F_AF|F_CF, 0x5F, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFA, 0, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFA, F_AF, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFA, F_CF, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFA, F_AF|F_CF, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFF, 0, 0x65, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFF, F_AF, 0x65, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFF, F_CF, 0x65, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B daa, 0xFF, F_AF|F_CF, 0x65, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        TEST das
        B das, 0x00, 0, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_PF
        B das, 0x00, F_AF, 0xFA, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x00, F_CF, 0xA0, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B das, 0x00, F_AF|F_CF, 0x9A, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x09, 0, 0x09, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF
        B das, 0x09, F_AF, 0x03, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x09, F_CF, 0xA9, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B das, 0x09, F_AF|F_CF, 0xA3, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x0A, 0, 0x04, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B das, 0x0A, F_AF, 0x04, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF
        B das, 0x0A, F_CF, 0xA4, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0x0A, F_AF|F_CF, 0xA4, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0x0F, 0, 0x09, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x0F, F_AF, 0x09, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x0F, F_CF, 0xA9, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x0F, F_AF|F_CF, 0xA9, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x10, 0, 0x10, F_CF|F_AF|F_SF|F_ZF|F_PF, 0
        B das, 0x10, F_AF, 0x0A, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x10, F_CF, 0xB0, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_CF
        B das, 0x10, F_AF|F_CF, 0xAA, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0x3C, 0, 0x36, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x3C, F_AF, 0x36, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x3C, F_CF, 0xD6, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0x3C, F_AF|F_CF, 0xD6, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0x66, 0, 0x66, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF
        B das, 0x66, F_AF, 0x60, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF
        B das, 0x66, F_CF, 0x06, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B das, 0x66, F_AF|F_CF, 0x00, F_CF|F_AF|F_SF|F_ZF|F_PF, F_ZF|F_AF|F_PF|F_CF
        B das, 0x99, 0, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF
        B das, 0x99, F_AF, 0x93, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF
        B das, 0x99, F_CF, 0x39, F_CF|F_AF|F_SF|F_ZF|F_PF, F_PF|F_CF
        B das, 0x99, F_AF|F_CF, 0x33, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0x9A, 0, 0x34, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B das, 0x9A, F_AF, 0x34, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B das, 0x9A, F_CF, 0x34, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B das, 0x9A, F_AF|F_CF, 0x34, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_CF
        B das, 0x9F, 0, 0x39, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0x9F, F_AF, 0x39, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0x9F, F_CF, 0x39, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0x9F, F_AF|F_CF, 0x39, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0xA0, 0, 0x40, F_CF|F_AF|F_SF|F_ZF|F_PF, F_CF
        B das, 0xA0, F_AF, 0x3A, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0xA0, F_CF, 0x40, F_CF|F_AF|F_SF|F_ZF|F_PF, F_CF
        B das, 0xA0, F_AF|F_CF, 0x3A, F_CF|F_AF|F_SF|F_ZF|F_PF, F_AF|F_PF|F_CF
        B das, 0xF9, 0, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B das, 0xF9, F_AF, 0x93, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0xF9, F_CF, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_PF|F_CF
        B das, 0xF9, F_AF|F_CF, 0x93, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0xFA, 0, 0x94, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0xFA, F_AF, 0x94, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0xFA, F_CF, 0x94, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0xFA, F_AF|F_CF, 0x94, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_CF
        B das, 0xFF, 0, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0xFF, F_AF, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0xFF, F_CF, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        B das, 0xFF, F_AF|F_CF, 0x99, F_CF|F_AF|F_SF|F_ZF|F_PF, F_SF|F_AF|F_PF|F_CF
        TEST aaa
        B16 aaa, 0x0005, 0, 0x0005, F_CF|F_AF, 0
        B16 aaa, 0x0009, 0, 0x0009, F_CF|F_AF, 0
        B16 aaa, 0x000A, 0, 0x0100, F_CF|F_AF, F_AF|F_CF
        B16 aaa, 0x000F, 0, 0x0105, F_CF|F_AF, F_AF|F_CF
        B16 aaa, 0x0105, F_AF, 0x020B, F_CF|F_AF, F_AF|F_CF
        B16 aaa, 0x0239, 0, 0x0209, F_CF|F_AF, 0
        B16 aaa, 0x003A, F_CF, 0x0100, F_CF|F_AF, F_AF|F_CF
        B16 aaa, 0x0070, F_AF, 0x0106, F_CF|F_AF, F_AF|F_CF
        B16 aaa, 0xFF0B, 0, 0x0001, F_CF|F_AF, F_AF|F_CF
        TEST aas
        B16 aas, 0x0005, 0, 0x0005, F_CF|F_AF, 0
        B16 aas, 0x0009, 0, 0x0009, F_CF|F_AF, 0
        B16 aas, 0x010A, 0, 0x0004, F_CF|F_AF, F_AF|F_CF
        B16 aas, 0x020F, 0, 0x0109, F_CF|F_AF, F_AF|F_CF
        B16 aas, 0x0108, F_AF, 0x0002, F_CF|F_AF, F_AF|F_CF
        B16 aas, 0x0339, 0, 0x0309, F_CF|F_AF, 0
        B16 aas, 0x003C, F_CF, 0xFF06, F_CF|F_AF, F_AF|F_CF
        B16 aas, 0x0076, F_AF, 0xFF00, F_CF|F_AF, F_AF|F_CF
        B16 aas, 0x000B, 0, 0xFF05, F_CF|F_AF, F_AF|F_CF
        TEST aam
        BI aam, 0xCC4F, 10, 0x0709, F_SF|F_ZF|F_PF, F_PF
        BI aam, 0xCC00, 10, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        BI aam, 0xCCFF, 10, 0x1905, F_SF|F_ZF|F_PF, F_PF
        BI aam, 0xCCAB, 16, 0x0A0B, F_SF|F_ZF|F_PF, 0
        BI aam, 0xCC63, 7, 0x0E01, F_SF|F_ZF|F_PF, 0
        BI aam, 0xCC09, 10, 0x0009, F_SF|F_ZF|F_PF, F_PF
        TEST aad
        BI aad, 0x0709, 10, 0x004F, F_SF|F_ZF|F_PF, 0
        BI aad, 0x0000, 10, 0x0000, F_SF|F_ZF|F_PF, F_ZF|F_PF
        BI aad, 0xFFFF, 10, 0x00F5, F_SF|F_ZF|F_PF, F_SF|F_PF
        BI aad, 0x0A0B, 16, 0x00AB, F_SF|F_ZF|F_PF, F_SF
        BI aad, 0x0906, 7, 0x0045, F_SF|F_ZF|F_PF, 0
        BI aad, 0x1900, 10, 0x00FA, F_SF|F_ZF|F_PF, F_SF|F_PF

        DONE
