; control.asm - control transfer: near/far CALL/RET/JMP (direct, register,
; memory, RET imm16, 32-bit operand size), Jcc with all 16 conditions in short
; and near forms, LOOP/LOOPE/LOOPNE/JCXZ/JECXZ (CX vs ECX), INT n / INT3 /
; INTO / IRET through IVT entries installed here, ENTER/LEAVE, PUSHA/POPA,
; PUSHAD/POPAD, PUSHF/POPF/PUSHFD/POPFD, LAHF/SAHF and a few PUSH/POP forms.

%include "rztest.inc"

FARSEG  equ 0x07C0                      ; the same code seen from CS = 0x07C0
%define FAROFS(x) ((x) - $$ + RZ_ORG - FARSEG*16)

; JT cc, flags, taken: AX = flags | 0x8000 if the short Jcc was taken
%macro JT 3
        mov ax, %2
        SET_FLAGS %2
        j%1 short %%t
        jmp short %%n
%%t:    mov ah, (((%2) >> 8) | 0x80)
%%n:    CHECK_REG ax, (%2) | ((%3) << 15)
%endmacro

; JTN cc, flags, taken: the same with the near form (0F 8x), jumping backwards
%macro JTN 3
        jmp short %%go
%%t:    mov ah, (((%2) >> 8) | 0x80)
        jmp short %%n
%%go:   mov ax, %2
        SET_FLAGS %2
        j%1 near %%t
%%n:    CHECK_REG ax, (%2) | ((%3) << 15)
%endmacro

        PRINTLN "control: control transfer"

; ---------------------------------------------------------------- near CALL/RET
        TEST 'call rel16'
        mov ax, 0
        call near_fn                    ; returns the pushed IP in AX
call1_ret:
        CHECK_REG ax, call1_ret
        CHECK_REG sp, 0x7C00
        CHECK_REG bx, 0x1234

        TEST 'call reg'
        mov ax, 0
        mov cx, near_fn
        call cx
call2_ret:
        CHECK_REG ax, call2_ret
        CHECK_REG sp, 0x7C00

        TEST 'call mem'
        mov ax, 0
        mov si, fnptr - 4
        call [si+4]
call3_ret:
        CHECK_REG ax, call3_ret
        CHECK_REG sp, 0x7C00

        TEST 'ret imm16'
        push word 0x1111
        push word 0x2222
        call ret4_fn                    ; RET 4 drops the two words
        CHECK_REG sp, 0x7C00
        CHECK_REG ax, 0x2222

        TEST 'o32 call/ret'
        mov eax, 0xFFFFFFFF
        call dword near32_fn            ; 66 E8: pushes a 32-bit EIP
call4_ret:
        CHECK_REG eax, call4_ret        ; upper half of the pushed EIP is 0
        CHECK_REG sp, 0x7C00

        TEST 'jmp reg/mem'
        mov ax, jmp_t1
        jmp ax
        FAIL "jmp ax fell through"
jmp_t1: mov bx, jmpptr
        jmp [bx]
        FAIL "jmp [bx] fell through"
jmp_t2: PASS

; ---------------------------------------------------------------- far CALL/RET/JMP
        TEST 'call far direct'
        mov ax, 0
        mov dx, 0
        call FARSEG:FAROFS(far_fn)      ; callee reports IP, CS and its own CS
callf1_ret:
        CHECK_REG ax, callf1_ret
        CHECK_REG dx, 0
        CHECK_REG bx, FARSEG
        CHECK_REG sp, 0x7C00
        mov ax, cs
        CHECK_REG ax, 0

        TEST 'call far mem'
        mov ax, 0
        call far [farptr]
callf2_ret:
        CHECK_REG ax, callf2_ret
        CHECK_REG bx, FARSEG
        CHECK_REG sp, 0x7C00

        TEST 'retf imm16'
        push word 0x3333
        call FARSEG:FAROFS(far_ret2_fn)
        CHECK_REG sp, 0x7C00
        CHECK_REG cx, 0x3333

        TEST 'o32 call far'
        mov eax, 0xFFFFFFFF
        mov edx, 0xFFFFFFFF
        call dword FARSEG:FAROFS(far32_fn)
callf3_ret:
        CHECK_REG eax, callf3_ret
        CHECK_REG dx, 0                 ; (the upper half of the CS slot may be left unwritten)
        CHECK_REG sp, 0x7C00

        TEST 'jmp far'
        mov bx, 0
        jmp FARSEG:FAROFS(far_jmp_fn)   ; comes back with jmp 0:jmpf_back
        FAIL "jmp far fell through"
jmpf_back:
        CHECK_REG bx, FARSEG
        mov ax, cs
        CHECK_REG ax, 0
        mov bx, 0
        jmp far [farjptr]
        FAIL "jmp far [mem] fell through"
jmpf_back2:
        CHECK_REG bx, FARSEG

; ---------------------------------------------------------------- Jcc
        TEST 'jo'
        JT o, 0, 0
        JT o, F_CF, 0
        JT o, F_ZF, 0
        JT o, F_SF, 0
        JT o, F_OF, 1
        JT o, F_PF, 0
        JT o, F_OF|F_SF, 1
        JT o, F_SF|F_ZF, 0
        JT o, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN o, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN o, 0, 0
        TEST 'jno'
        JT no, 0, 1
        JT no, F_CF, 1
        JT no, F_ZF, 1
        JT no, F_SF, 1
        JT no, F_OF, 0
        JT no, F_PF, 1
        JT no, F_OF|F_SF, 0
        JT no, F_SF|F_ZF, 1
        JT no, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN no, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN no, 0, 1
        TEST 'jb'
        JT b, 0, 0
        JT b, F_CF, 1
        JT b, F_ZF, 0
        JT b, F_SF, 0
        JT b, F_OF, 0
        JT b, F_PF, 0
        JT b, F_OF|F_SF, 0
        JT b, F_SF|F_ZF, 0
        JT b, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN b, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN b, 0, 0
        TEST 'jae'
        JT ae, 0, 1
        JT ae, F_CF, 0
        JT ae, F_ZF, 1
        JT ae, F_SF, 1
        JT ae, F_OF, 1
        JT ae, F_PF, 1
        JT ae, F_OF|F_SF, 1
        JT ae, F_SF|F_ZF, 1
        JT ae, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ae, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ae, 0, 1
        TEST 'je'
        JT e, 0, 0
        JT e, F_CF, 0
        JT e, F_ZF, 1
        JT e, F_SF, 0
        JT e, F_OF, 0
        JT e, F_PF, 0
        JT e, F_OF|F_SF, 0
        JT e, F_SF|F_ZF, 1
        JT e, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN e, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN e, 0, 0
        TEST 'jne'
        JT ne, 0, 1
        JT ne, F_CF, 1
        JT ne, F_ZF, 0
        JT ne, F_SF, 1
        JT ne, F_OF, 1
        JT ne, F_PF, 1
        JT ne, F_OF|F_SF, 1
        JT ne, F_SF|F_ZF, 0
        JT ne, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ne, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ne, 0, 1
        TEST 'jbe'
        JT be, 0, 0
        JT be, F_CF, 1
        JT be, F_ZF, 1
        JT be, F_SF, 0
        JT be, F_OF, 0
        JT be, F_PF, 0
        JT be, F_OF|F_SF, 0
        JT be, F_SF|F_ZF, 1
        JT be, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN be, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN be, 0, 0
        TEST 'ja'
        JT a, 0, 1
        JT a, F_CF, 0
        JT a, F_ZF, 0
        JT a, F_SF, 1
        JT a, F_OF, 1
        JT a, F_PF, 1
        JT a, F_OF|F_SF, 1
        JT a, F_SF|F_ZF, 0
        JT a, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN a, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN a, 0, 1
        TEST 'js'
        JT s, 0, 0
        JT s, F_CF, 0
        JT s, F_ZF, 0
        JT s, F_SF, 1
        JT s, F_OF, 0
        JT s, F_PF, 0
        JT s, F_OF|F_SF, 1
        JT s, F_SF|F_ZF, 1
        JT s, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN s, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN s, 0, 0
        TEST 'jns'
        JT ns, 0, 1
        JT ns, F_CF, 1
        JT ns, F_ZF, 1
        JT ns, F_SF, 0
        JT ns, F_OF, 1
        JT ns, F_PF, 1
        JT ns, F_OF|F_SF, 0
        JT ns, F_SF|F_ZF, 0
        JT ns, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ns, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN ns, 0, 1
        TEST 'jp'
        JT p, 0, 0
        JT p, F_CF, 0
        JT p, F_ZF, 0
        JT p, F_SF, 0
        JT p, F_OF, 0
        JT p, F_PF, 1
        JT p, F_OF|F_SF, 0
        JT p, F_SF|F_ZF, 0
        JT p, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN p, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN p, 0, 0
        TEST 'jnp'
        JT np, 0, 1
        JT np, F_CF, 1
        JT np, F_ZF, 1
        JT np, F_SF, 1
        JT np, F_OF, 1
        JT np, F_PF, 0
        JT np, F_OF|F_SF, 1
        JT np, F_SF|F_ZF, 1
        JT np, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN np, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN np, 0, 1
        TEST 'jl'
        JT l, 0, 0
        JT l, F_CF, 0
        JT l, F_ZF, 0
        JT l, F_SF, 1
        JT l, F_OF, 1
        JT l, F_PF, 0
        JT l, F_OF|F_SF, 0
        JT l, F_SF|F_ZF, 1
        JT l, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN l, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN l, 0, 0
        TEST 'jge'
        JT ge, 0, 1
        JT ge, F_CF, 1
        JT ge, F_ZF, 1
        JT ge, F_SF, 0
        JT ge, F_OF, 0
        JT ge, F_PF, 1
        JT ge, F_OF|F_SF, 1
        JT ge, F_SF|F_ZF, 0
        JT ge, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN ge, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN ge, 0, 1
        TEST 'jle'
        JT le, 0, 0
        JT le, F_CF, 0
        JT le, F_ZF, 1
        JT le, F_SF, 1
        JT le, F_OF, 1
        JT le, F_PF, 0
        JT le, F_OF|F_SF, 0
        JT le, F_SF|F_ZF, 1
        JT le, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN le, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        JTN le, 0, 0
        TEST 'jg'
        JT g, 0, 1
        JT g, F_CF, 1
        JT g, F_ZF, 0
        JT g, F_SF, 0
        JT g, F_OF, 0
        JT g, F_PF, 1
        JT g, F_OF|F_SF, 1
        JT g, F_SF|F_ZF, 0
        JT g, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN g, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        JTN g, 0, 1

; ---------------------------------------------------------------- LOOP family
        TEST 'loop'
        mov cx, 5
        mov ax, 0
loop1:  inc ax
        loop loop1
        CHECK_REG ax, 5
        CHECK_REG cx, 0

        TEST 'loop cx only'             ; 16-bit address size: CX, upper ECX kept
        mov ecx, 0x00010003
        mov ax, 0
loop2:  inc ax
        loop loop2
        CHECK_REG ax, 3
        CHECK_REG ecx, 0x00010000

        TEST 'loop cx=0'                ; 0 -> 0xFFFF: 65536 iterations
        mov cx, 0
        mov ebx, 0
loop3:  inc ebx
        loop loop3
        CHECK_REG ebx, 0x10000

        TEST 'a32 loop'
        mov ecx, 0x00010002
        mov ebx, 0
loop4:  inc ebx
        loop loop4, ecx                 ; 67 E2
        CHECK_REG ebx, 0x10002
        CHECK_REG ecx, 0

        TEST 'o32 loop'                 ; 66h: EIP-sized jump, the count is still CX
        mov ecx, 0x00010002
        mov ax, 0
loop4b: inc ax
        o32 loop loop4b
        CHECK_REG ax, 2
        CHECK_REG ecx, 0x00010000

        TEST 'loop flags'               ; LOOP changes no flag
        mov cx, 2
        SET_FLAGS F_ZF|F_CF
loop5:  loop loop5
        CHECK_FLAGS F_ARITH, F_ZF|F_CF

        TEST 'loope'
        mov si, zeros_then_one
        mov cx, 10
loop6:  lodsb
        cmp al, 0
        loope loop6                     ; stops at the first non-zero byte (index 3)
        CHECK_REG cx, 6
        CHECK_REG si, zeros_then_one + 4

        TEST 'loopne'
        mov si, ones_then_zero
        mov cx, 10
loop7:  lodsb
        cmp al, 0
        loopne loop7                    ; stops at the first zero byte (index 4)
        CHECK_REG cx, 5
        CHECK_REG si, ones_then_zero + 5

        TEST 'loope cx exhausted'
        mov si, zeros_then_one
        mov cx, 2
loop8:  lodsb
        cmp al, 0
        loope loop8
        CHECK_REG cx, 0
        CHECK_FLAGS F_ZF, F_ZF

        TEST 'jcxz'
        mov ax, 0
        mov ecx, 0x00010000             ; CX = 0
        jcxz jcxz1
        mov ax, 1
jcxz1:  CHECK_REG ax, 0
        mov cx, 1
        jcxz jcxz2
        mov ax, 2
jcxz2:  CHECK_REG ax, 2
        TEST 'jecxz'
        mov ax, 0
        mov ecx, 0x00010000             ; ECX != 0
        jecxz jecxz1
        mov ax, 3
jecxz1: CHECK_REG ax, 3
        mov ecx, 0
        jecxz jecxz2
        mov ax, 4
jecxz2: CHECK_REG ax, 3

; ---------------------------------------------------------------- INT / IRET
        SET_IVT 0x80, int80_handler
        SET_IVT 3, int80_handler
        SET_IVT 4, int80_handler
        mov word [0x81*4], FAROFS(int81_handler)
        mov word [0x81*4+2], FARSEG

        TEST 'int n'
        mov word [h_count], 0
        mov ax, 0x1111
        SET_FLAGS F_CF|F_DF
        int 0x80
int1_ret:
        CHECK_FLAGS F_ARITH|F_DF|F_IF|F_TF, F_CF|F_DF|F_ZF   ; handler set ZF in the image
        cld
        CHECK_REG ax, 0x2222
        CHECK_REG sp, 0x7C00
        CHECK_MEM word, [h_count], 1
        CHECK_MEM word, [h_ip], int1_ret
        CHECK_MEM word, [h_cs], 0
        CHECK_MEM word, [h_flags], F_CF|F_DF|2
        CHECK_MEM word, [h_inflags], F_CF|F_DF|2

        TEST 'int n IF=1'               ; INT clears IF (and TF) in the handler
        SET_FLAGS 0
        sti
        int 0x80
int2_ret:
        cli
        CHECK_MEM word, [h_ip], int2_ret
        CHECK_MEM word, [h_flags], F_IF|2
        CHECK_MEM word, [h_inflags], 2

        TEST 'int3'
        int3                            ; one-byte CC
int3_ret:
        CHECK_MEM word, [h_ip], int3_ret
        int 3                           ; CD 03
int3b_ret:
        CHECK_MEM word, [h_ip], int3b_ret
        CHECK_MEM word, [h_count], 4

        TEST 'into'
        SET_FLAGS 0
        into                            ; OF = 0: no interrupt
        CHECK_MEM word, [h_count], 4
        SET_FLAGS F_OF
        into
into_ret:
        CHECK_MEM word, [h_count], 5
        CHECK_MEM word, [h_ip], into_ret

        TEST 'int far handler'
        mov bx, 0
        int 0x81                        ; handler runs with CS = FARSEG
        CHECK_REG bx, FARSEG
        CHECK_REG sp, 0x7C00
        RESET_IVT 3
        RESET_IVT 4

        TEST 'iretd'                    ; real mode: EFLAGS <- (pop AND 0x257FD5) OR (EFLAGS AND 0x1A0000)
        push dword 0x00250003           ; ID AC RF CF (bit 1)
        push dword 0                    ; CS in a 32-bit slot
        push dword iretd_to
        o32 iret
        FAIL "iretd fell through"
iretd_to:
        pushfd                          ; (the image has RF clear)
        pop eax
        push dword 2
        popfd
        CHECK_REG eax, 0x00240003
        CHECK_REG esp, 0x7C00

        TEST 'ip wraps at 64K'          ; a short jump at 0xFFFE lands at 0x0010
        mov ax, WRAPSEG
        mov es, ax
        mov word [es:0xFFFE], 0x10EB    ; jmp short +0x10: IP = (0x10000 + 0x10) & 0xFFFF
        mov byte [es:0x0010], 0xEA      ; jmp 0:ipwrap_back
        mov word [es:0x0011], ipwrap_back
        mov word [es:0x0013], 0
        mov ax, 0
        mov es, ax
        mov bx, 0
        jmp WRAPSEG:0xFFFE
ipwrap_back:
        PASS

; ---------------------------------------------------------------- ENTER / LEAVE
        TEST 'enter 8,0'
        mov bp, 0x5555
        enter 8, 0
        CHECK_REG bp, 0x7C00 - 2
        CHECK_REG sp, 0x7C00 - 10
        CHECK_MEM word, [0x7C00-2], 0x5555
        leave
        CHECK_REG sp, 0x7C00
        CHECK_REG bp, 0x5555

        TEST 'enter 4,2'
        mov word [0x6000-2], 0x1111     ; the caller's display entry
        mov bp, 0x6000
        enter 4, 2                      ; push bp; push [bp-2]; push frame; sub sp,4
        CHECK_REG bp, 0x7C00 - 2
        CHECK_REG sp, 0x7C00 - 10
        CHECK_MEM word, [0x7C00-2], 0x6000
        CHECK_MEM word, [0x7C00-4], 0x1111
        CHECK_MEM word, [0x7C00-6], 0x7C00 - 2
        leave
        CHECK_REG sp, 0x7C00
        CHECK_REG bp, 0x6000

        TEST 'enter 0,1'
        mov bp, 0x4444
        enter 0, 1                      ; push bp; push frame
        CHECK_REG bp, 0x7C00 - 2
        CHECK_REG sp, 0x7C00 - 4
        CHECK_MEM word, [0x7C00-4], 0x7C00 - 2
        leave
        CHECK_REG bp, 0x4444
        CHECK_REG sp, 0x7C00

        TEST 'enter level mod 32'
        mov bp, 0x3333
        enter 0, 33                     ; level 33 & 31 = 1
        CHECK_REG bp, 0x7C00 - 2
        CHECK_REG sp, 0x7C00 - 4
        leave
        CHECK_REG bp, 0x3333

; ---------------------------------------------------------------- PUSHA / POPA
        TEST 'pusha'
        mov ax, 0x1001
        mov cx, 0x1002
        mov dx, 0x1003
        mov bx, 0x1004
        mov bp, 0x1006
        mov si, 0x1007
        mov di, 0x1008
        pusha
        CHECK_REG sp, 0x7C00 - 16
        CHECK_MEM word, [0x7C00-2], 0x1001      ; AX
        CHECK_MEM word, [0x7C00-4], 0x1002      ; CX
        CHECK_MEM word, [0x7C00-6], 0x1003      ; DX
        CHECK_MEM word, [0x7C00-8], 0x1004      ; BX
        CHECK_MEM word, [0x7C00-10], 0x7C00     ; SP before PUSHA
        CHECK_MEM word, [0x7C00-12], 0x1006     ; BP
        CHECK_MEM word, [0x7C00-14], 0x1007     ; SI
        CHECK_MEM word, [0x7C00-16], 0x1008     ; DI
        TEST 'popa'
        mov word [0x7C00-10], 0xBAD0            ; the SP slot is skipped
        mov ax, 0
        mov cx, 0
        mov dx, 0
        mov bx, 0
        mov bp, 0
        mov si, 0
        mov di, 0
        popa
        CHECK_REG sp, 0x7C00
        CHECK_REG ax, 0x1001
        CHECK_REG cx, 0x1002
        CHECK_REG dx, 0x1003
        CHECK_REG bx, 0x1004
        CHECK_REG bp, 0x1006
        CHECK_REG si, 0x1007
        CHECK_REG di, 0x1008

        TEST 'pushad/popad'
        mov eax, 0xA0000001
        mov ecx, 0xA0000002
        mov edx, 0xA0000003
        mov ebx, 0xA0000004
        mov ebp, 0xA0000006
        mov esi, 0xA0000007
        mov edi, 0xA0000008
        pushad
        CHECK_REG sp, 0x7C00 - 32
        CHECK_MEM dword, [0x7C00-4], 0xA0000001
        CHECK_MEM dword, [0x7C00-16], 0xA0000004
        CHECK_MEM dword, [0x7C00-20], 0x00007C00 ; ESP before PUSHAD
        CHECK_MEM dword, [0x7C00-32], 0xA0000008
        mov eax, 0
        mov ebx, 0
        mov edi, 0
        popad
        CHECK_REG esp, 0x7C00
        CHECK_REG eax, 0xA0000001
        CHECK_REG ebx, 0xA0000004
        CHECK_REG edi, 0xA0000008

; ---------------------------------------------------------------- PUSHF / POPF
        TEST 'pushf'
        SET_FLAGS F_CF|F_ZF|F_OF
        pushf
        pop ax
        CHECK_REG ax, F_CF|F_ZF|F_OF|2
        TEST 'popf all'
        push word 0xFCFF                ; everything but TF and IF
        popf
        pushf
        pop ax
        CHECK_REG ax, 0x7CD7            ; bits 3, 5, 15 read 0; bit 1 reads 1; IOPL/NT settable
        push word 0
        popf
        pushf
        pop ax
        CHECK_REG ax, 0x0002
        TEST 'popfd'
        push dword 0xFFFFFCFF
        popfd
        pushfd
        pop eax
        CHECK_REG eax, 0x00247CD7       ; + AC, ID; RF cleared; VM, VIF, VIP unchanged
        push dword 0
        popfd
        pushfd
        pop eax
        CHECK_REG eax, 0x00000002
        TEST 'lahf/sahf'
        SET_FLAGS F_SF|F_CF|F_OF
        mov ax, 0
        lahf
        CHECK_REG ah, F_SF|F_CF|2
        mov ah, 0xFF
        sahf                            ; loads SF ZF AF PF CF, OF kept
        CHECK_FLAGS F_ARITH, F_ARITH
        mov ah, 0
        sahf
        CHECK_FLAGS F_ARITH, F_OF

; ---------------------------------------------------------------- PUSH / POP forms
        TEST 'push sp'                  ; 286+: the value before the decrement
        push sp
        pop ax
        CHECK_REG ax, 0x7C00
        TEST 'push imm'
        push byte -2                    ; 6A FE, sign-extended
        pop ax
        CHECK_REG ax, 0xFFFE
        push word 0x1234
        pop bx
        CHECK_REG bx, 0x1234
        push dword -3                   ; 66 6A FD
        pop ecx
        CHECK_REG ecx, 0xFFFFFFFD
        TEST 'push/pop mem'
        mov word [pvar], 0xABCD
        push word [pvar]
        pop word [pvar+2]
        CHECK_MEM word, [pvar+2], 0xABCD
        TEST 'pop [esp]'                ; the address is computed after the increment
        push word 0x1111
        push word 0x2222
        pop word [esp]                  ; 67 8F 04 24: pops 0x2222 into the 0x1111 slot
        CHECK_REG sp, 0x7C00 - 2
        pop ax
        CHECK_REG ax, 0x2222
        TEST 'push [esp]'               ; the address is computed before the decrement
        push word 0x3333
        push word 0x4444
        push word [esp+2]
        pop ax
        CHECK_REG ax, 0x3333
        pop ax
        pop ax
        CHECK_REG sp, 0x7C00
        TEST 'push at sp=0'             ; SP wraps to 0xFFFE
        mov ax, 0x3000
        mov ss, ax
        mov sp, 0
        mov bx, 0xABCD
        push bx
        mov [cs:pvar], sp
        mov ax, [ss:0xFFFE]
        pop cx
        mov [cs:pvar+2], sp
        mov dx, 0
        mov ss, dx
        mov sp, 0x7C00
        CHECK_MEM word, [pvar], 0xFFFE
        CHECK_MEM word, [pvar+2], 0
        CHECK_REG ax, 0xABCD
        CHECK_REG cx, 0xABCD

        TEST 'push/pop sreg'
        mov ax, 0x1234
        mov es, ax
        push es
        pop fs
        mov ax, fs
        CHECK_REG ax, 0x1234
        mov ax, 0
        mov es, ax
        mov fs, ax
        CHECK_REG sp, 0x7C00

        DONE

; ---------------------------------------------------------------- helpers
near_fn:
        mov bp, sp
        mov ax, [bp]
        mov bx, 0x1234
        ret

ret4_fn:
        mov bp, sp
        mov ax, [bp+2]
        ret 4

near32_fn:
        mov bp, sp
        mov eax, [bp]
        o32 ret

; These run with CS = FARSEG: only position-independent code, no CS: data.
far_fn:
        mov bp, sp
        mov ax, [bp]                    ; return IP
        mov dx, [bp+2]                  ; return CS
        mov bx, cs
        retf

far_ret2_fn:
        mov bp, sp
        mov cx, [bp+4]
        retf 2

far32_fn:
        mov bp, sp
        mov eax, [bp]                   ; return EIP
        mov edx, [bp+4]                 ; return CS, zero-extended
        o32 retf

far_jmp_fn:
        mov bx, cs
        jmp 0:jmpf_back

far_jmp_fn2:
        mov bx, cs
        jmp 0:jmpf_back2

; INT handler (vectors 0x80, 3, 4): record CS:IP:FLAGS, AX = 0x2222, set ZF in the image
int80_handler:
        push bp
        mov bp, sp
        push ax
        inc word [cs:h_count]
        pushf
        pop word [cs:h_inflags]
        mov ax, [bp+2]
        mov [cs:h_ip], ax
        mov ax, [bp+4]
        mov [cs:h_cs], ax
        mov ax, [bp+6]
        mov [cs:h_flags], ax
        or word [bp+6], F_ZF
        pop ax
        mov ax, 0x2222
        pop bp
        iret

int81_handler:                          ; runs with CS = FARSEG
        mov bx, cs
        iret

WRAPSEG equ 0x5000

align 4
fnptr:          dw near_fn
jmpptr:         dw jmp_t2
farptr:         dw FAROFS(far_fn), FARSEG
farjptr:        dw FAROFS(far_jmp_fn2), FARSEG
h_count:        dw 0
h_ip:           dw 0
h_cs:           dw 0
h_flags:        dw 0
h_inflags:      dw 0
pvar:           dw 0, 0
zeros_then_one: db 0, 0, 0, 1, 0, 0, 0, 0, 0, 0
ones_then_zero: db 1, 2, 3, 4, 0, 5, 6, 7, 8, 9
