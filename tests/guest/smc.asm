; smc.asm - self-modifying code.  Every store into code must be seen by the
; next execution of the bytes it changed, as on a P6 (which snoops stores
; against its prefetched and decoded instructions), including:
;   - an immediate patched in an instruction that already ran, then run again
;   - the very next instruction patched (by MOV, through a segment alias, and
;     by a 32-bit store that covers two instructions)
;   - REP STOSB / REP MOVSB over code just ahead
;   - a loop that rewrites its own body (immediate, opcode, jump target)
;   - one patched immediate per kind of store: MOV, INC (also LOCKed), ADD,
;     ADC, XOR, NOT, NEG, SHL, ROR, SHLD, BTS/BTR/BTC, SETcc, XCHG, XADD,
;     CMPXCHG, CMPXCHG8B, STOSW, MOVSW, REP MOVSB, MOVSD, POP m16, PUSH and CALL
;     with the stack over the code, a segment alias and a 32-bit address
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

; ---------------------------------------------------------------- every kind of store
; probe is "mov ax, imm16; ret".  Call it (so it has run), change the immediate
; with one write instruction, call it again: the new immediate must be used.
%macro PATCH_BEGIN 0
        mov word [probe+1], 0x1111
        call probe
%endmacro
%macro PATCH_END 1
        call probe
        CHECK_REG ax, %1
%endmacro
        TEST 'patch by mov'
        PATCH_BEGIN
        mov word [probe+1], 0x2345
        PATCH_END 0x2345
        TEST 'patch by inc'
        PATCH_BEGIN
        inc word [probe+1]
        PATCH_END 0x1112
        TEST 'patch by lock inc'
        PATCH_BEGIN
        lock inc word [probe+1]
        PATCH_END 0x1112
        TEST 'patch by add'
        PATCH_BEGIN
        add word [probe+1], 0x0101
        PATCH_END 0x1212
        TEST 'patch by adc'
        PATCH_BEGIN
        stc
        adc word [probe+1], 0
        PATCH_END 0x1112
        TEST 'patch by xor'
        PATCH_BEGIN
        xor byte [probe+1], 0xFF
        PATCH_END 0x11EE
        TEST 'patch by not'
        PATCH_BEGIN
        not word [probe+1]
        PATCH_END 0xEEEE
        TEST 'patch by neg'
        PATCH_BEGIN
        neg word [probe+1]
        PATCH_END 0xEEEF
        TEST 'patch by shl'
        PATCH_BEGIN
        shl word [probe+1], 1
        PATCH_END 0x2222
        TEST 'patch by ror'
        PATCH_BEGIN
        ror byte [probe+2], 1
        PATCH_END 0x8811
        TEST 'patch by shld'
        PATCH_BEGIN
        mov cx, 0xF000
        shld word [probe+1], cx, 4
        PATCH_END 0x111F
        TEST 'patch by bts'
        PATCH_BEGIN
        bts word [probe+1], 15
        PATCH_END 0x9111
        TEST 'patch by btr'
        PATCH_BEGIN
        btr word [probe+1], 0
        PATCH_END 0x1110
        TEST 'patch by btc reg'
        PATCH_BEGIN
        mov bx, 4
        btc word [probe+1], bx
        PATCH_END 0x1101
        TEST 'patch by setcc'
        PATCH_BEGIN
        cmp ax, 0
        setnz byte [probe+1]
        PATCH_END 0x1101
        TEST 'patch by xchg'
        PATCH_BEGIN
        mov cx, 0x3333
        xchg [probe+1], cx
        PATCH_END 0x3333
        TEST 'patch by xadd'
        PATCH_BEGIN
        mov dx, 0x0100
        xadd [probe+1], dx
        PATCH_END 0x1211
        TEST 'patch by cmpxchg'
        PATCH_BEGIN
        mov ax, 0x1111
        mov cx, 0x4444
        cmpxchg [probe+1], cx
        PATCH_END 0x4444
        TEST 'patch by cmpxchg8b'
        PATCH_BEGIN
        mov eax, [probe+1]
        mov edx, [probe+5]
        mov ebx, eax
        mov bx, 0x5555
        mov ecx, edx
        cmpxchg8b [probe+1]
        PATCH_END 0x5555
        TEST 'patch by stosw'
        PATCH_BEGIN
        mov di, probe+1
        mov ax, 0x6666
        stosw
        PATCH_END 0x6666
        TEST 'patch by movsw'
        PATCH_BEGIN
        mov si, w7777
        mov di, probe+1
        movsw
        PATCH_END 0x7777
        TEST 'patch by rep movsb'
        PATCH_BEGIN
        mov si, w7878
        mov di, probe+1
        mov cx, 2
        rep movsb
        PATCH_END 0x7878
        TEST 'patch by movsd'
        PATCH_BEGIN
        mov si, d_cccc
        mov di, probe+1
        movsd
        PATCH_END 0xCCCC
        TEST 'patch by pop'
        PATCH_BEGIN
        push word 0x8888
        pop word [probe+1]
        PATCH_END 0x8888
        TEST 'patch by push'            ; the stack runs over the code
        PATCH_BEGIN
        mov [save_sp], sp
        mov sp, probe+3
        push word 0x9999
        mov sp, [save_sp]
        PATCH_END 0x9999
        TEST 'patch by call'            ; CALL pushes its return address into the code
        PATCH_BEGIN
        mov [save_sp], sp
        mov sp, probe+3
        call smc_call_tgt
smc_call_ret:
        mov sp, [save_sp]
        PATCH_END smc_call_ret
        TEST 'patch via es alias'
        PATCH_BEGIN
        mov ax, ALIASSEG
        mov es, ax
        mov word [es:ALIAS(probe)+1], 0xAAAA
        mov ax, 0
        mov es, ax
        PATCH_END 0xAAAA
        TEST 'patch by a32 mov'
        PATCH_BEGIN
        mov ebx, probe+1
        mov word [ebx], 0xBBBB
        PATCH_END 0xBBBB

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

probe:  mov ax, 0x1111
        ret
        times 4 db 0x90                 ; padding (MOVSD and CMPXCHG8B write past the RET)
smc_call_tgt:
        jmp near [cs:save_ret_target]   ; (does not return through the patched stack)
save_ret_target: dw smc_call_ret
save_sp: dw 0
w7777:  dw 0x7777
w7878:  db 0x78, 0x78
align 4
d_cccc: dd 0x00C3CCCC                   ; CC CC C3 00: keeps the RET, 00 on the padding

smc7_new:
        mov bx, 0x5678
        mov dx, 0x9ABC
smc7_new_end:

GEN     equ 0x6000                      ; code buffer in segment 0
GENSEG  equ 0x1000                      ; far code buffer at physical 0x10000
