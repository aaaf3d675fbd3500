; smc.asm - self-modifying code.  Every store into code must be seen by the
; next execution of the bytes it changed, as on a P6 (which snoops stores
; against its prefetched and decoded instructions), including:
;   - an immediate patched in an instruction that already ran, then run again
;   - the very next instruction patched (by MOV, through a segment alias, and
;     by a 32-bit store that covers two instructions)
;   - REP STOSB / REP MOVSB over code just ahead
;   - a loop that rewrites its own body (immediate, then opcode) each iteration
;   - code generated in a buffer, called, regenerated, called again

%include "rztest.inc"

ALIASSEG equ 0x0700                     ; ES:x with ES = 0x0700 is physical 0x7000 + x
%define ALIAS(x) ((x) - $$ + RZ_ORG - ALIASSEG*16)

        PRINTLN "smc: self-modifying code"

; ---------------------------------------------------------------- patch an instruction that already ran
        TEST 'patch imm, rerun'
        mov cx, 2
        mov bx, 0
        mov dx, 0
smc1_loop:
smc1_insn:
        mov ax, 0x1111                  ; B8 11 11: the immediate becomes 0x2222
        add bx, ax
        inc dx
        mov word [smc1_insn+1], 0x2222
        loop smc1_loop
        CHECK_REG bx, 0x3333
        CHECK_REG dx, 2
        CHECK_REG ax, 0x2222

        TEST 'patch called routine'
        mov word [smc_fn_imm], 0x0005
        call smc_fn
        CHECK_REG ax, 5
        call smc_fn
        CHECK_REG ax, 5
        mov word [smc_fn_imm], 0x0007
        call smc_fn
        CHECK_REG ax, 7

; ---------------------------------------------------------------- patch the very next instruction
        TEST 'patch next insn'
        mov byte [smc2_next+1], 0x42    ; B0 00 -> B0 42
smc2_next:
        mov al, 0x00
        CHECK_REG al, 0x42

        TEST 'patch next opcode'
        mov bx, 0
        mov byte [smc3_next], 0x43      ; 4B (dec bx) -> 43 (inc bx)
smc3_next:
        dec bx
        CHECK_REG bx, 1

        TEST 'patch via alias'          ; the store goes through ES = 0x0700
        mov ax, ALIASSEG
        mov es, ax
        mov byte [es:ALIAS(smc4_next)+1], 0x99
smc4_next:
        mov cl, 0x00
        CHECK_REG cl, 0x99
        mov ax, 0
        mov es, ax

        TEST 'patch 2 insns at once'    ; one dword store: B1 xx B5 yy
        mov dword [smc5_next], 0x66B555B1 ; mov cl, 0x55 / mov ch, 0x66
smc5_next:
        mov cl, 0x00
        mov ch, 0x00
        CHECK_REG cx, 0x6655

; ---------------------------------------------------------------- string stores over code ahead
        TEST 'rep stosb over code'
        mov bx, 0
        mov di, smc6_target
        mov al, 0x90                    ; NOP
        mov cx, 5
        rep stosb
smc6_target:
        mov bx, 0xDEAD                  ; 3 bytes ...
        jmp short smc6_fail             ; ... + 2 bytes: all NOPs now
        jmp short smc6_ok
smc6_fail:
        FAIL "old code ran after REP STOSB"
smc6_ok:
        CHECK_REG bx, 0
        CHECK_REG di, smc6_target + 5

        TEST 'rep movsb over code'
        mov si, smc7_new
        mov di, smc7_target
        mov cx, smc7_new_end - smc7_new
        rep movsb
smc7_target:
        mov bx, 0x1234                  ; replaced by mov bx, 0x5678
        mov dx, 0x1234                  ; replaced by mov dx, 0x9ABC
        CHECK_REG bx, 0x5678
        CHECK_REG dx, 0x9ABC

        TEST 'std rep stosb over code'  ; backwards, ending right before the target
        mov bx, 0
        std
        mov di, smc8_target + 4
        mov al, 0x90
        mov cx, 5
        rep stosb
        cld
        jmp short smc8_target           ; (a jump into the rewritten bytes)
smc8_target:
        mov bx, 0xBEEF
        jmp short smc8_fail
        jmp short smc8_ok
smc8_fail:
        FAIL "old code ran after STD REP STOSB"
smc8_ok:
        CHECK_REG bx, 0

; ---------------------------------------------------------------- loops that rewrite themselves
        TEST 'self-rewriting loop imm'
        mov byte [smc9_add+2], 1
        mov cx, 10
        mov dx, 0
smc9_loop:
smc9_add:
        add dx, byte 1                  ; 83 C2 ib: the immediate is incremented
        inc byte [smc9_add+2]
        loop smc9_loop
        CHECK_REG dx, 55                ; 1 + 2 + ... + 10
        CHECK_MEM byte, [smc9_add+2], 11

        TEST 'self-rewriting loop opcode'
        mov cx, 6
        mov bx, 0
        mov dx, 0
smc10_loop:
        inc bx
smc10_op:
        add dx, bx                      ; 01 DA <-> 29 DA (sub dx, bx)
        xor byte [smc10_op], 0x01 ^ 0x29
        loop smc10_loop
        CHECK_REG dx, 0xFFFD            ; +1 -2 +3 -4 +5 -6 = -3
        CHECK_MEM byte, [smc10_op], 0x01

        TEST 'self-rewriting loop target'
        mov cx, 4
        mov dx, 0
smc11_loop:
        jmp short smc11_a               ; the displacement alternates a/b
smc11_a:
        add dx, 1
        jmp short smc11_next
smc11_b:
        add dx, 0x100
smc11_next:
        xor byte [smc11_loop+1], (smc11_b - smc11_a)
        loop smc11_loop
        CHECK_REG dx, 0x0202

; ---------------------------------------------------------------- generated code
        TEST 'generated code'
        mov word [GEN], 0x01B8          ; mov ax, 0x0001
        mov word [GEN+2], 0xC300        ; (imm high byte 0), ret
        mov ax, 0
        call GEN
        CHECK_REG ax, 1
        mov byte [GEN+1], 2             ; mov ax, 0x0002
        call GEN
        CHECK_REG ax, 2
        mov dword [GEN], 0x03F88366     ; 66 83 F8 03: cmp eax, 3
        mov dword [GEN+4], 0xC37700B8   ; B8 00 77: mov ax, 0x7700; C3: ret
        call GEN
        CHECK_REG ax, 0x7700

        TEST 'generated far code'       ; in another segment, reached by CALL FAR
        mov ax, GENSEG
        mov es, ax
        mov dword [es:0], 0xCB4242B8    ; mov ax, 0x4242 / retf
        call GENSEG:0
        CHECK_REG ax, 0x4242
        mov byte [es:1], 0x43
        call GENSEG:0
        CHECK_REG ax, 0x4243
        mov ax, 0
        mov es, ax

        DONE

smc_fn:
        db 0xB8                         ; mov ax, imm16
smc_fn_imm:
        dw 0
        ret

smc7_new:
        mov bx, 0x5678
        mov dx, 0x9ABC
smc7_new_end:

GEN     equ 0x6000                      ; code buffer in segment 0
GENSEG  equ 0x1000                      ; far code buffer at physical 0x10000
