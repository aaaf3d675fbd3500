; except.asm - real-mode exceptions and interrupt machinery beyond #DE:
;   #UD (vector 6): UD2, LOCK on a non-lockable or register form, MOV CS,
;       LDS with a register operand; LOCK on a memory ADD is fine
;   #BR (vector 5): BOUND out of range (a fault at the BOUND)
;   #GP (vector 13): an instruction longer than 15 bytes
;   #DB (vector 1): single-step with TF: the first trap comes after the
;       instruction following the POPF that set TF; MOV SS delays the trap by
;       one instruction
;   LIDT/SIDT in real mode: a relocated interrupt table, and INT n beyond the
;       IDT limit raising #GP at the INT
; Faults push the CS:IP of the faulting instruction, traps the next one.

%include "rztest.inc"

        PRINTLN "except: #UD #BR #GP #DB and LIDT"

        SET_IVT 5, exc5
        SET_IVT 6, exc6
        SET_IVT 13, exc13

; EXPECT vector, label of the faulting instruction
%macro EXPECT 2
        CHECK_MEM word, [cs:f_vec], %1
        CHECK_MEM word, [cs:f_count], 1
        CHECK_MEM word, [cs:f_ip], %2
        CHECK_MEM word, [cs:f_cs], 0
        mov word [cs:f_count], 0
        mov word [cs:f_vec], 0
        mov word [cs:f_ip], 0
%endmacro
%macro RESUME 1
        mov word [cs:f_resume], %1
%endmacro

; ---------------------------------------------------------------- #UD
        TEST ud2
        RESUME ud1_after
ud1:    ud2
        FAIL "no #UD"
ud1_after:
        EXPECT 6, ud1
        CHECK_REG sp, 0x7C00

        TEST 'lock mov'
        RESUME ud2_after
        mov ax, 0x1234
        mov bx, 0x5678
ud2:    db 0xF0, 0x89, 0xD8             ; lock mov ax, bx
        FAIL "no #UD"
ud2_after:
        EXPECT 6, ud2
        CHECK_REG ax, 0x1234

        TEST 'lock add reg'
        RESUME ud3_after
ud3:    db 0xF0, 0x01, 0xD8             ; lock add ax, bx (register destination)
        FAIL "no #UD"
ud3_after:
        EXPECT 6, ud3
        CHECK_REG ax, 0x1234

        TEST 'lock add mem'             ; allowed
        RESUME ud4_after
        mov word [mvar], 1
        lock add [mvar], bx
ud4_after:
        CHECK_MEM word, [cs:f_count], 0
        CHECK_MEM word, [mvar], 0x5679

        TEST 'mov cs'
        RESUME ud5_after
ud5:    db 0x8E, 0xC8                   ; mov cs, ax
        FAIL "no #UD"
ud5_after:
        EXPECT 6, ud5
        mov ax, cs
        CHECK_REG ax, 0

        TEST 'lds reg'
        RESUME ud6_after
ud6:    db 0xC5, 0xC3                   ; lds ax, bx (register operand)
        FAIL "no #UD"
ud6_after:
        EXPECT 6, ud6

        TEST 'ud0'
        RESUME ud7_after
ud7:    db 0x0F, 0xFF, 0xC0             ; UD0
        FAIL "no #UD"
ud7_after:
        EXPECT 6, ud7

        TEST 'cmpxchg8b reg'
        RESUME ud8_after
ud8:    db 0x0F, 0xC7, 0xC8             ; cmpxchg8b with a register operand
        FAIL "no #UD"
ud8_after:
        EXPECT 6, ud8

        TEST 'lock bt mem'              ; BT is not lockable
        RESUME ud9_after
ud9:    db 0xF0, 0x0F, 0xA3, 0x06       ; lock bt [mvar], ax
        dw mvar
        FAIL "no #UD"
ud9_after:
        EXPECT 6, ud9

        TEST 'lock cmp mem'             ; CMP is not lockable
        RESUME ud10_after
ud10:   db 0xF0, 0x39, 0x06             ; lock cmp [mvar], ax
        dw mvar
        FAIL "no #UD"
ud10_after:
        EXPECT 6, ud10

        TEST 'lock bts mem'             ; BTS is
        RESUME ud11_after
        mov word [mvar], 0
        mov ax, 3
        lock bts [mvar], ax
ud11_after:
        CHECK_MEM word, [cs:f_count], 0
        CHECK_MEM word, [mvar], 8

; protected-mode-only instructions are not recognized in real mode
%macro UD_RM 2                          ; name, bytes
        TEST %1
        RESUME %%after
%%at:   db %2
        FAIL "no #UD"
%%after:
        EXPECT 6, %%at
%endmacro
        UD_RM 'arpl', {0x63, 0x07}              ; arpl [bx], ax
        UD_RM 'sldt', {0x0F, 0x00, 0xC0}        ; sldt ax
        UD_RM 'str', {0x0F, 0x00, 0xC8}         ; str ax
        UD_RM 'lldt', {0x0F, 0x00, 0xD0}        ; lldt ax
        UD_RM 'ltr', {0x0F, 0x00, 0xD8}         ; ltr ax
        UD_RM 'verr', {0x0F, 0x00, 0xE0}        ; verr ax
        UD_RM 'verw', {0x0F, 0x00, 0xE8}        ; verw ax
        UD_RM 'lar', {0x0F, 0x02, 0xC3}         ; lar ax, bx
        UD_RM 'lsl', {0x0F, 0x03, 0xC3}         ; lsl ax, bx

; ---------------------------------------------------------------- #BR
        TEST bound
        RESUME br_after1
        mov ax, 10
        bound ax, [bounds16]            ; 10 <= 10 <= 20: no fault
        mov ax, 20
        bound ax, [bounds16]
br_after1:
        CHECK_MEM word, [cs:f_count], 0
        RESUME br_after2
        mov ax, 21
br2:    bound ax, [bounds16]
        FAIL "no #BR"
br_after2:
        EXPECT 5, br2
        RESUME br_after3
        mov ax, -1                      ; signed: -1 < 10
br3:    bound ax, [bounds16]
        FAIL "no #BR"
br_after3:
        EXPECT 5, br3
        RESUME br_after4
        mov eax, -100
        bound eax, [bounds32]           ; -200 <= -100 <= 0x40000000
        mov eax, -201
br4:    bound eax, [bounds32]
        FAIL "no #BR"
br_after4:
        EXPECT 5, br4

; ---------------------------------------------------------------- instruction length
        TEST '15-byte insn'
        RESUME len_after1
        mov bx, mvar
        mov word [mvar], 0x4321
        times 13 db 0x3E                ; 13 x DS: + 8B 07 = 15 bytes: fine
        mov ax, [bx]
len_after1:
        CHECK_MEM word, [cs:f_count], 0
        CHECK_REG ax, 0x4321
        TEST '16-byte insn'
        RESUME len_after2
        mov ax, 0
len2:   times 14 db 0x3E                ; 16 bytes: #GP
        mov ax, [bx]
        FAIL "no #GP for a 16-byte instruction"
len_after2:
        EXPECT 13, len2
        CHECK_REG ax, 0

; ---------------------------------------------------------------- single-step
        TEST 'tf single-step'
        SET_IVT 1, db_handler
        mov word [tf_n], 0
        mov word [tf_stop], tf1_stop
        pushf
        pop ax
        or ax, F_TF
        push ax
        popf                            ; no trap after the POPF that sets TF
tf1_a:  nop                             ; trap: IP = tf1_b
tf1_b:  nop                             ; trap: IP = tf1_c
tf1_c:  mov ax, 1                       ; trap: IP = tf1_stop: the handler clears TF
tf1_stop:
        pushf                           ; TF as left by the handler's IRET
        pop ax
        and ax, F_TF
        mov [cs:tf_flags], ax
        pushf                           ; make sure TF is clear again
        pop ax
        and ax, ~F_TF
        push ax
        popf
        CHECK_MEM word, [tf_n], 3
        CHECK_MEM word, [tf_log], tf1_b
        CHECK_MEM word, [tf_log+2], tf1_c
        CHECK_MEM word, [tf_log+4], tf1_stop
        CHECK_MEM word, [tf_flags], 0   ; TF was cleared through the IRET image

        TEST 'tf mov ss shadow'
        mov word [tf_n], 0
        mov word [tf_stop], tf2_stop
        mov bx, ss
        pushf
        pop ax
        or ax, F_TF
        push ax
        popf
tf2_a:  nop                             ; trap: IP = tf2_b
tf2_b:  mov ss, bx                      ; no trap here ...
tf2_c:  nop                             ; ... the next one comes after this: IP = tf2_stop
tf2_stop:
        pushf                           ; make sure TF is clear again
        pop ax
        and ax, ~F_TF
        push ax
        popf
        CHECK_MEM word, [tf_n], 2
        CHECK_MEM word, [tf_log], tf2_b
        CHECK_MEM word, [tf_log+2], tf2_stop
        RESET_IVT 1

; ---------------------------------------------------------------- LIDT / SIDT
        TEST sidt                       ; the reset value: base 0, limit 0xFFFF (SDM 9.1.1)
        sidt [idtr_orig]
        CHECK_MEM word, [idtr_orig], 0xFFFF
        CHECK_MEM dword, [idtr_orig+2], 0

        TEST 'lidt relocated'
        mov ax, NEWIVT >> 4
        mov es, ax
        mov word [es:0x80*4], int80_new
        mov word [es:0x80*4+2], 0
        mov word [es:13*4], exc13       ; keep #GP reachable
        mov word [es:13*4+2], 0
        lidt [idtr_new]
        mov ax, 0
        int 0x80                        ; the old table has no handler for 0x80
        CHECK_REG ax, 0x8080
        sidt [idtr_save]
        CHECK_MEM word, [idtr_save], 0x03FF
        CHECK_MEM dword, [idtr_save+2], NEWIVT

        TEST 'int beyond idt limit'     ; limit 0x1FF covers vectors 0..0x7F
        mov word [es:0x7F*4], int80_new
        mov word [es:0x7F*4+2], 0
        lidt [idtr_short]
        mov ax, 0
        int 0x7F
        CHECK_REG ax, 0x8080
        RESUME lim_after
lim1:   int 0x80
        FAIL "no #GP for INT beyond the IDT limit"
lim_after:
        EXPECT 13, lim1
        lidt [idtr_orig]
        mov ax, 0
        mov es, ax
        sidt [idtr_save]
        CHECK_MEM word, [idtr_save], 0xFFFF
        CHECK_MEM dword, [idtr_save+2], 0

        DONE

; ---------------------------------------------------------------- handlers
exc5:   mov word [cs:f_vec], 5
        jmp short exc_common
exc6:   mov word [cs:f_vec], 6
        jmp short exc_common
exc13:  mov word [cs:f_vec], 13
exc_common:
        push bp
        mov bp, sp
        push ax
        inc word [cs:f_count]
        mov ax, [bp+2]
        mov [cs:f_ip], ax
        mov ax, [bp+4]
        mov [cs:f_cs], ax
        mov ax, [cs:f_resume]
        mov [bp+2], ax
        mov word [bp+4], 0
        pop ax
        pop bp
        iret

; #DB: log the pushed IP; clear TF in the image at tf_stop
db_handler:
        push bp
        mov bp, sp
        push ax
        push bx
        mov bx, [cs:tf_n]
        cmp bx, 8
        jae .full
        add bx, bx
        mov ax, [bp+2]
        mov [cs:tf_log+bx], ax
        inc word [cs:tf_n]
.full:  mov ax, [bp+2]
        cmp ax, [cs:tf_stop]
        jne .ret
        and word [bp+6], ~F_TF
.ret:   pop bx
        pop ax
        pop bp
        iret

int80_new:
        mov ax, 0x8080
        iret

NEWIVT  equ 0x50000

align 4
bounds16:   dw 10, 20
bounds32:   dd -200, 0x40000000
mvar:       dw 0
f_vec:      dw 0
f_count:    dw 0
f_ip:       dw 0
f_cs:       dw 0
f_resume:   dw 0
tf_n:       dw 0
tf_flags:   dw 0
tf_stop:    dw 0
tf_log:     times 8 dw 0
idtr_save:  dw 0
            dd 0
idtr_new:   dw 0x03FF
            dd NEWIVT
idtr_short: dw 0x01FF
            dd NEWIVT
idtr_orig:  dw 0
            dd 0
