; segfault.asm - real-mode segment limit checks on a 386+.  Every segment has
; a 64 KiB limit in real mode: an access that runs past offset 0xFFFF (a word
; at 0xFFFF, a dword at 0xFFFD, a 32-bit address >= 0x10000) does not wrap but
; raises #GP (vector 13), or #SS (vector 12) when the segment is SS.  These are
; faults: the pushed CS:IP is the faulting instruction (with its prefixes), no
; error code is pushed in real mode, and nothing is written.  A faulting
; REP string instruction leaves the registers of the completed iterations.

%include "rztest.inc"

        PRINTLN "segfault: real-mode segment limits"

        SET_IVT 12, ss_handler
        SET_IVT 13, gp_handler

; EXPECT vector, label of the faulting instruction
%macro EXPECT 2
        CHECK_MEM word, [cs:f_vec], %1
        CHECK_MEM word, [cs:f_count], 1
        CHECK_MEM word, [cs:f_ip], %2
        CHECK_MEM word, [cs:f_cs], 0
        mov word [cs:f_count], 0
        mov word [cs:f_vec], 0
        mov word [cs:f_ip], 0
        mov word [cs:f_cs], 0xFFFF
%endmacro

%macro RESUME 1
        mov word [cs:f_resume], %1
%endmacro

        mov ax, 0x2000                  ; data segment for the tests: 0x2000
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov byte [0xFFFF], 0x5A
        mov byte [0x0000], 0xA5

        TEST 'byte at 0xFFFF ok'
        mov al, [0xFFFF]
        CHECK_REG al, 0x5A
        mov eax, [0xFFFC]               ; last full dword
        CHECK_REG eax, 0x5A000000
        CHECK_MEM word, [cs:f_count], 0

        TEST 'word read 0xFFFF'
        RESUME sf1_after
        mov ax, 0x1234
        SET_FLAGS F_CF
sf1:    mov ax, [0xFFFF]
        FAIL "no fault"
sf1_after:
        EXPECT 13, sf1
        CHECK_REG ax, 0x1234
        CHECK_REG sp, 0x7C00
        CHECK_MEM word, [cs:f_flags], F_CF|2

        TEST 'word write 0xFFFF'
        RESUME sf2_after
        mov ax, 0x1111
sf2:    mov [0xFFFF], ax
        FAIL "no fault"
sf2_after:
        EXPECT 13, sf2
        CHECK_MEM byte, [0xFFFF], 0x5A  ; nothing written
        CHECK_MEM byte, [0x0000], 0xA5

        TEST 'dword read 0xFFFD'
        RESUME sf3_after
sf3:    mov eax, [0xFFFD]
        FAIL "no fault"
sf3_after:
        EXPECT 13, sf3

        TEST 'word [bx+si] = 0xFFFF'
        RESUME sf4_after
        mov bx, 0xFFF0
        mov si, 0x000F
sf4:    add [bx+si], ax                 ; read-modify-write
        FAIL "no fault"
sf4_after:
        EXPECT 13, sf4
        CHECK_MEM byte, [0xFFFF], 0x5A

        TEST 'es: override'
        RESUME sf5_after
sf5:    mov ax, [es:0xFFFF]
        FAIL "no fault"
sf5_after:
        EXPECT 13, sf5

        TEST 'fs: 32-bit'
        RESUME sf6_after
sf6:    mov eax, [fs:0xFFFE]            ; 66 64 prefixes
        FAIL "no fault"
sf6_after:
        EXPECT 13, sf6

        TEST 'a32 beyond limit'
        RESUME sf7_after
        mov ebx, 0x10000
sf7:    mov al, [ebx]
        FAIL "no fault"
sf7_after:
        EXPECT 13, sf7
        RESUME sf7b_after
        mov esi, 0x12345
sf7b:   mov [esi+2], al
        FAIL "no fault"
sf7b_after:
        EXPECT 13, sf7b

        TEST 'ss: [bp]'
        RESUME sf8_after
        mov bp, 0xFFFF
sf8:    mov ax, [bp]                    ; SS by default
        FAIL "no fault"
sf8_after:
        EXPECT 12, sf8

        TEST 'ss: override'
        RESUME sf9_after
        mov bx, 0xFFFF
sf9:    mov [ss:bx], ax
        FAIL "no fault"
sf9_after:
        EXPECT 12, sf9

        TEST 'ss: ebp-based a32'
        RESUME sf10_after
        mov ebp, 0xFFFE
sf10:   mov eax, [ebp]
        FAIL "no fault"
sf10_after:
        EXPECT 12, sf10

        TEST 'pop at SP=0xFFFF'         ; on a scratch stack in segment 0x3000
        RESUME sf11_after
        mov ax, 0x3000
        mov ss, ax
        mov sp, 0xFFFF
sf11:   pop ax
        FAIL "no fault"
sf11_after:
        mov [cs:f_sp], sp
        mov ax, 0
        mov ss, ax
        mov sp, 0x7C00
        EXPECT 12, sf11
        CHECK_MEM word, [cs:f_sp], 0xFFFF

        TEST 'lodsw at 0xFFFF'
        RESUME sf12_after
        mov si, 0xFFFF
sf12:   lodsw
        FAIL "no fault"
sf12_after:
        EXPECT 13, sf12
        CHECK_REG si, 0xFFFF

        TEST 'rep movsw partial'        ; the 3rd iteration reads 0xFFFF
        RESUME sf13_after
        mov dword [0xFFFB], 0x44332211
        mov si, 0xFFFB
        mov di, 0x0100
        mov cx, 5
sf13:   rep movsw
        FAIL "no fault"
sf13_after:
        EXPECT 13, sf13
        CHECK_REG cx, 3
        CHECK_REG si, 0xFFFF
        CHECK_REG di, 0x0104
        CHECK_MEM word, [0x0100], 0x2211
        CHECK_MEM word, [0x0102], 0x4433
        CHECK_MEM word, [0x0104], 0

        TEST 'stosw to 0xFFFF'
        RESUME sf14_after
        mov di, 0xFFFF
        mov ax, 0x7777
sf14:   stosw
        FAIL "no fault"
sf14_after:
        EXPECT 13, sf14
        CHECK_MEM byte, [0xFFFF], 0x5A
        CHECK_REG di, 0xFFFF

        TEST 'cmov false, bad memory'   ; the memory operand is read (and checked) anyway
        RESUME sf16_after
        mov ax, 0x1111
        SET_FLAGS 0
sf16:   cmovz ax, [0xFFFF]
        FAIL "no fault"
sf16_after:
        EXPECT 13, sf16
        CHECK_REG ax, 0x1111

        TEST 'lea no access'            ; no memory access: no fault
        mov bx, 0
        lea ax, [bx-1]                  ; EA 0xFFFF
        CHECK_REG ax, 0xFFFF
        lea eax, [dword 0x12345678]
        CHECK_REG eax, 0x12345678
        CHECK_MEM word, [cs:f_count], 0

        TEST 'fetch past 0xFFFF'        ; a 3-byte MOV at CS:0xFFFE
        mov ax, FETCHSEG
        mov es, ax
        mov byte [es:0xFFFE], 0xB8      ; mov ax, imm16: bytes at 0xFFFE..0x10000
        mov byte [es:0xFFFF], 0x34
        mov byte [es:0x0000], 0x12      ; (if the fetch wrapped instead of faulting,
        mov byte [es:0x0001], 0xEA      ;  jmp 0:sf15_nofault runs next)
        mov word [es:0x0002], sf15_nofault
        mov word [es:0x0004], 0
        RESUME sf15_after
        jmp FETCHSEG:0xFFFE
sf15_nofault:
        FAIL "no fault: the fetch wrapped at 0xFFFF"
sf15_after:
        CHECK_MEM word, [cs:f_vec], 13
        CHECK_MEM word, [cs:f_ip], 0xFFFE
        CHECK_MEM word, [cs:f_cs], FETCHSEG
        mov word [cs:f_count], 0

        mov ax, 0
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        RESET_IVT 12
        RESET_IVT 13
        DONE

; handlers: record vector, CS:IP, FLAGS; resume at CS=0, IP=f_resume
ss_handler:
        mov word [cs:f_vec], 12
        jmp short fault_common
gp_handler:
        mov word [cs:f_vec], 13
fault_common:
        push bp
        mov bp, sp
        push ax
        inc word [cs:f_count]
        mov ax, [bp+2]
        mov [cs:f_ip], ax
        mov ax, [bp+4]
        mov [cs:f_cs], ax
        mov ax, [bp+6]
        mov [cs:f_flags], ax
        mov ax, [cs:f_resume]
        mov [bp+2], ax
        mov word [bp+4], 0
        pop ax
        pop bp
        iret

FETCHSEG equ 0x4000

align 2
f_vec:    dw 0
f_count:  dw 0
f_ip:     dw 0
f_cs:     dw 0xFFFF
f_flags:  dw 0
f_resume: dw 0
f_sp:     dw 0
