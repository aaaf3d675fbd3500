; muldiv.asm - MUL/IMUL (one-, two- and three-operand forms), DIV/IDIV for
; 8/16/32-bit operands, memory forms, and the divide error (#DE, vector 0)
; delivered through a real-mode IVT handler.
;
; MUL/IMUL define only CF and OF (SF ZF AF PF are undefined); all flags are
; undefined after DIV/IDIV.  The upper halves of EAX/EDX that an 8/16-bit
; form does not write must be kept.  On a 286 and later #DE is a fault: the
; pushed CS:IP is the address of the DIV (including its prefixes), and the
; destination registers are left unchanged.

%include "rztest.inc"

; M1 op, src_reg, eax_in, edx_in, src_in, flags_in, eax_out, edx_out, flag_mask, flags_out
%macro M1 10
        mov eax, %3
        mov edx, %4
        mov %2, %5
        SET_FLAGS %6
        %1 %2
        CHECK_REG eax, %7
        CHECK_REG edx, %8
  %ifnidn %9,0
        CHECK_FLAGS %9, %10
  %endif
%endmacro

; M2 dst, src, dst_in, src_in, flags_in, out, flags_out     (IMUL r, r/m)
%macro M2 7
        mov %1, %3
        mov %2, %4
        SET_FLAGS %5
        imul %1, %2
        CHECK_REG %1, %6
        CHECK_FLAGS F_CF|F_OF, %7
%endmacro

; M3 dst, src, imm, src_in, flags_in, out, flags_out        (IMUL r, r/m, imm)
%macro M3 7
        mov %1, 0x5A5A
        mov %2, %4
        SET_FLAGS %5
        imul %1, %2, %3
        CHECK_REG %1, %6
        CHECK_FLAGS F_CF|F_OF, %7
%endmacro

        PRINTLN "muldiv: MUL/IMUL/DIV/IDIV and #DE"
        TEST 'mul.bl.0'
        M1 mul, bl, 0xDEAD0080, 0xBEEF1234, 0x02, 0, 0xDEAD0100, 0xBEEF1234, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.cl.1'
        M1 mul, cl, 0xDEAD000F, 0x00000000, 0x0F, F_OF|F_CF, 0xDEAD00E1, 0x00000000, F_OF|F_CF, 0
        TEST 'mul.bh.2'
        M1 mul, bh, 0x000000FF, 0x00000000, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000FE01, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.dl.3'
        M1 mul, dl, 0x12345600, 0x11111100, 0x00, 0, 0x12340000, 0x11111100, F_OF|F_CF, 0
        TEST 'mul.bx.4'
        M1 mul, bx, 0xDEADFFFF, 0xBEEF1234, 0xFFFF, F_OF|F_CF, 0xDEAD0001, 0xBEEFFFFE, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.cx.5'
        M1 mul, cx, 0x00001234, 0x00000000, 0x0010, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00002340, 0x00000001, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.si.6'
        M1 mul, si, 0x00008000, 0x00000000, 0x0002, 0, 0x00000000, 0x00000001, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.ebx.7'
        M1 mul, ebx, 0xFFFFFFFF, 0x12345678, 0xFFFFFFFF, F_OF|F_CF, 0x00000001, 0xFFFFFFFE, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.ecx.8'
        M1 mul, ecx, 0x12345678, 0x00000000, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x242D2080, 0x0B00EA4E, F_OF|F_CF, F_OF|F_CF
        TEST 'mul.esi.9'
        M1 mul, esi, 0x00010000, 0x00000000, 0x0000FFFF, 0, 0xFFFF0000, 0x00000000, F_OF|F_CF, 0
        TEST 'mul.edi.10'
        M1 mul, edi, 0x00000005, 0xFFFFFFFF, 0x00000007, F_OF|F_CF, 0x00000023, 0x00000000, F_OF|F_CF, 0
        TEST 'imul.bl.11'
        M1 imul, bl, 0xDEAD0080, 0xBEEF1234, 0xFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xDEAD0080, 0xBEEF1234, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.cl.12'
        M1 imul, cl, 0x000000FE, 0x00000000, 0x03, 0, 0x0000FFFA, 0x00000000, F_OF|F_CF, 0
        TEST 'imul.bh.13'
        M1 imul, bh, 0x00000040, 0x00000000, 0x02, F_OF|F_CF, 0x00000080, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.dl.14'
        M1 imul, dl, 0x0000007F, 0xFFFFFF7F, 0x7F, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00003F01, 0xFFFFFF7F, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.ch.15'
        M1 imul, ch, 0x00000080, 0x00000000, 0x80, 0, 0x00004000, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.bx.16'
        M1 imul, bx, 0xDEAD8000, 0xBEEF1234, 0xFFFF, F_OF|F_CF, 0xDEAD8000, 0xBEEF0000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.cx.17'
        M1 imul, cx, 0x0000FFFA, 0x00000000, 0x0007, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000FFD6, 0x0000FFFF, F_OF|F_CF, 0
        TEST 'imul.si.18'
        M1 imul, si, 0x00004000, 0x00000000, 0x0002, 0, 0x00008000, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.di.19'
        M1 imul, di, 0x00000100, 0x00000000, 0xFF00, F_OF|F_CF, 0x00000000, 0x0000FFFF, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.ebx.20'
        M1 imul, ebx, 0x80000000, 0x12345678, 0xFFFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.ecx.21'
        M1 imul, ecx, 0xFFFFFFFA, 0x00000000, 0x00000007, 0, 0xFFFFFFD6, 0xFFFFFFFF, F_OF|F_CF, 0
        TEST 'imul.esi.22'
        M1 imul, esi, 0x40000000, 0x00000000, 0x00000002, F_OF|F_CF, 0x80000000, 0x00000000, F_OF|F_CF, F_OF|F_CF
        TEST 'imul.edi.23'
        M1 imul, edi, 0x12345678, 0x00000000, 0x9ABCDEF0, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x242D2080, 0xF8CC93D6, F_OF|F_CF, F_OF|F_CF
        TEST 'div.bl.24'
        M1 div, bl, 0xDEAD1234, 0xBEEF1234, 0x56, 0, 0xDEAD1036, 0xBEEF1234, 0, 0
        TEST 'div.cl.25'
        M1 div, cl, 0x00008001, 0x00000000, 0xFF, F_OF|F_CF, 0x00008180, 0x00000000, 0, 0
        TEST 'div.bh.26'
        M1 div, bh, 0x00000007, 0x00000000, 0x07, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000001, 0x00000000, 0, 0
        TEST 'div.bx.27'
        M1 div, bx, 0xDEAD0000, 0xBEEF0001, 0x0002, 0, 0xDEAD8000, 0xBEEF0000, 0, 0
        TEST 'div.cx.28'
        M1 div, cx, 0x00005678, 0x00001234, 0xABCD, F_OF|F_CF, 0x00001B20, 0x00003DD8, 0, 0
        TEST 'div.si.29'
        M1 div, si, 0x12345678, 0x00000000, 0x1000, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x12340005, 0x00000678, 0, 0
        TEST 'div.ebx.30'
        M1 div, ebx, 0x00000000, 0x00000001, 0xFFFFFFFF, 0, 0x00000001, 0x00000001, 0, 0
        TEST 'div.ecx.31'
        M1 div, ecx, 0x9ABCDEF0, 0x12345678, 0x87654321, F_OF|F_CF, 0x226B9022, 0x38BC648E, 0, 0
        TEST 'div.esi.32'
        M1 div, esi, 0x00000064, 0x00000000, 0x00000007, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x0000000E, 0x00000002, 0, 0
        TEST 'idiv.bl.33'
        M1 idiv, bl, 0xDEADFFF9, 0xBEEF1234, 0x02, 0, 0xDEADFFFD, 0xBEEF1234, 0, 0
        TEST 'idiv.cl.34'
        M1 idiv, cl, 0x00000007, 0x00000000, 0xFE, F_OF|F_CF, 0x000001FD, 0x00000000, 0, 0
        TEST 'idiv.bh.35'
        M1 idiv, bh, 0x0000FF00, 0x00000000, 0x02, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x00000080, 0x00000000, 0, 0
        TEST 'idiv.dl.36'
        M1 idiv, dl, 0x00003F01, 0x0000007F, 0x7F, 0, 0x0000007F, 0x0000007F, 0, 0
        TEST 'idiv.ch.37'
        M1 idiv, ch, 0x0000FF81, 0x00000000, 0xFF, F_OF|F_CF, 0x0000007F, 0x00000000, 0, 0
        TEST 'idiv.bx.38'
        M1 idiv, bx, 0xDEAD7960, 0xBEEFFFFE, 0x0007, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0xDEADC833, 0xBEEFFFFB, 0, 0
        TEST 'idiv.cx.39'
        M1 idiv, cx, 0x00000064, 0x00000000, 0xFFF9, 0, 0x0000FFF2, 0x00000002, 0, 0
        TEST 'idiv.si.40'
        M1 idiv, si, 0x00008000, 0x0000FFFF, 0x0002, F_OF|F_CF, 0x0000C000, 0x00000000, 0, 0
        TEST 'idiv.ebx.41'
        M1 idiv, ebx, 0x80000000, 0xFFFFFFFF, 0x00000001, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x80000000, 0x00000000, 0, 0
        TEST 'idiv.ecx.42'
        M1 idiv, ecx, 0xFFFE7960, 0xFFFFFFFF, 0x00000007, 0, 0xFFFFC833, 0xFFFFFFFB, 0, 0
        TEST 'idiv.esi.43'
        M1 idiv, esi, 0x00000000, 0x00000040, 0x80000000, F_OF|F_CF, 0xFFFFFF80, 0x00000000, 0, 0
        TEST 'idiv.edi.44'
        M1 idiv, edi, 0xFFFFFFFF, 0x3FFFFFFE, 0x7FFFFFFF, F_OF|F_SF|F_ZF|F_AF|F_PF|F_CF, 0x7FFFFFFE, 0x7FFFFFFD, 0, 0
        TEST 'imul2.bx.0'
        M2 bx, cx, 0x0100, 0x0100, 0, 0x0000, F_OF|F_CF
        TEST 'imul2.bx.1'
        M2 bx, cx, 0xFFFF, 0xFFFF, F_OF|F_CF, 0x0001, 0
        TEST 'imul2.ax.2'
        M2 ax, si, 0x4000, 0x0002, 0, 0x8000, F_OF|F_CF
        TEST 'imul2.di.3'
        M2 di, bp, 0xFFFE, 0x8000, F_OF|F_CF, 0x0000, F_OF|F_CF
        TEST 'imul2.dx.4'
        M2 dx, ax, 0x00FF, 0x00FF, 0, 0xFE01, F_OF|F_CF
        TEST 'imul2.ebx.5'
        M2 ebx, ecx, 0x00010000, 0x00010000, F_OF|F_CF, 0x00000000, F_OF|F_CF
        TEST 'imul2.eax.6'
        M2 eax, esi, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0x00000001, 0
        TEST 'imul2.edx.7'
        M2 edx, edi, 0x40000000, 0x00000002, F_OF|F_CF, 0x80000000, F_OF|F_CF
        TEST 'imul2.ebp.8'
        M2 ebp, eax, 0x12345678, 0x9ABCDEF0, 0, 0x242D2080, F_OF|F_CF
        TEST 'imul2.ecx.9'
        M2 ecx, ebx, 0xFFFFFFFF, 0x80000000, F_OF|F_CF, 0x80000000, F_OF|F_CF
        TEST 'imul3.ax.0'
        M3 ax, bx, {10}, 0x1234, F_OF|F_CF, 0xB608, F_OF|F_CF
        TEST 'imul3.cx.1'
        M3 cx, dx, {byte -3}, 0xFFFF, 0, 0x0003, 0
        TEST 'imul3.si.2'
        M3 si, di, {0x100}, 0x0100, F_OF|F_CF, 0x0000, F_OF|F_CF
        TEST 'imul3.ax.3'
        M3 ax, ax, {0x7FFF}, 0x7FFF, 0, 0x0001, F_OF|F_CF
        TEST 'imul3.eax.4'
        M3 eax, ebx, {byte -3}, 0x12345678, F_OF|F_CF, 0xC962FC98, 0
        TEST 'imul3.ecx.5'
        M3 ecx, edx, {0x12345}, 0x00012345, 0, 0x4B65F099, F_OF|F_CF
        TEST 'imul3.esi.6'
        M3 esi, esi, {byte 2}, 0x40000000, F_OF|F_CF, 0x80000000, F_OF|F_CF
        TEST 'imul3.edi.7'
        M3 edi, ebp, {0xFFFFFFFF}, 0xFFFFFFFF, 0, 0x00000001, 0

; ---------------------------------------------------------------- memory operands
        TEST 'mul m16'
        mov ax, 0x1234
        mov dx, 0xFFFF
        mov word [mvar], 0x5678
        mul word [mvar]                 ; 0x06260060
        CHECK_REG ax, 0x0060
        CHECK_REG dx, 0x0626
        CHECK_FLAGS F_CF|F_OF, F_CF|F_OF
        TEST 'imul r32,m32'
        mov eax, -5
        mov dword [mvar], 100
        imul eax, [mvar]                ; -500
        CHECK_REG eax, 0xFFFFFE0C
        CHECK_FLAGS F_CF|F_OF, 0
        TEST 'imul r16,m16,imm16'
        mov word [mvar], 0x0100
        imul ax, [mvar], 300            ; 76800 = 0x12C00 -> 0x2C00, overflow
        CHECK_REG ax, 0x2C00
        CHECK_FLAGS F_CF|F_OF, F_CF|F_OF
        TEST 'div m32'
        mov edx, 0
        mov eax, 1000000
        mov dword [mvar], 1000
        div dword [mvar]
        CHECK_REG eax, 1000
        CHECK_REG edx, 0
        TEST 'idiv m8'
        mov ax, -100
        mov byte [mvar], 7
        idiv byte [mvar]                ; q = -14 (0xF2), r = -2 (0xFE)
        CHECK_REG ax, 0xFEF2

; ---------------------------------------------------------------- #DE
; The handler records CS:IP from the stack, counts, and resumes at de_resume.
        SET_IVT 0, de_handler

%macro EXPECT_DE 1                      ; %1 = label of the faulting instruction
        CHECK_MEM word, [de_count], 1
        CHECK_MEM word, [de_ip], %1
        CHECK_MEM word, [de_cs], 0
        mov word [de_count], 0
        mov word [de_ip], 0
%endmacro

        TEST 'de div8 by 0'
        mov word [de_resume], de1_after
        mov eax, 0x11111234
        mov bl, 0
de1:    div bl
        FAIL "no #DE"
de1_after:
        EXPECT_DE de1
        CHECK_REG eax, 0x11111234       ; destination unchanged
        CHECK_REG sp, 0x7C00            ; the handler's IRET rebalanced the stack

        TEST 'de div16 overflow'
        mov word [de_resume], de2_after
        mov dx, 2
        mov ax, 0
        mov cx, 2                       ; 0x20000 / 2 = 0x10000 does not fit
de2:    div cx
        FAIL "no #DE"
de2_after:
        EXPECT_DE de2
        CHECK_REG dx, 2
        CHECK_REG ax, 0

        TEST 'de idiv8 +128'
        mov word [de_resume], de3_after
        mov ax, 0x0080                  ; 128 / 1 = +128 > 127
        mov bl, 1
de3:    idiv bl
        FAIL "no #DE"
de3_after:
        EXPECT_DE de3
        CHECK_REG ax, 0x0080

        TEST 'de idiv16 -32768/-1'
        mov word [de_resume], de4_after
        mov dx, 0xFFFF
        mov ax, 0x8000
        mov bx, -1
de4:    idiv bx
        FAIL "no #DE"
de4_after:
        EXPECT_DE de4

        TEST 'de idiv32 -2^63/-1'
        mov word [de_resume], de5_after
        mov edx, 0x80000000
        mov eax, 0
        mov ecx, -1
de5:    idiv ecx                        ; 66h prefix: IP must point at it
        FAIL "no #DE"
de5_after:
        EXPECT_DE de5
        CHECK_REG edx, 0x80000000
        CHECK_REG eax, 0

        TEST 'de div m32 prefixed'
        mov word [de_resume], de6_after
        mov dword [mvar], 0
        mov edx, 0
        mov eax, 1
de6:    div dword [es:mvar]             ; 66h + 26h prefixes
        FAIL "no #DE"
de6_after:
        EXPECT_DE de6

        TEST 'de div32 overflow'
        mov word [de_resume], de7_after
        mov edx, 5
        mov eax, 0
        mov ebx, 5                      ; EDX >= divisor: quotient >= 2^32
de7:    div ebx
        FAIL "no #DE"
de7_after:
        EXPECT_DE de7

        TEST 'de aam 0'
        mov word [de_resume], de8_after
        mov ax, 0x1234
de8:    aam 0
        FAIL "no #DE"
de8_after:
        EXPECT_DE de8
        CHECK_REG ax, 0x1234

        TEST 'idiv8 -128 ok'            ; -256 / 2 = -128 fits (no #DE on 286+)
        mov word [de_resume], de9_after
        mov ax, 0xFF00
        mov bl, 2
        idiv bl
de9_after:
        CHECK_MEM word, [de_count], 0
        CHECK_REG ax, 0x0080

        RESET_IVT 0
        DONE

; #DE handler: stack = IP, CS, FLAGS
de_handler:
        push bp
        mov bp, sp
        push ax
        inc word [cs:de_count]
        mov ax, [bp+2]
        mov [cs:de_ip], ax
        mov ax, [bp+4]
        mov [cs:de_cs], ax
        mov ax, [cs:de_resume]
        mov [bp+2], ax
        pop ax
        pop bp
        iret

align 4
mvar:      dd 0
de_count:  dw 0
de_ip:     dw 0
de_cs:     dw 0xFFFF
de_resume: dw 0
