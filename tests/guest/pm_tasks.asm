; pm_tasks.asm - hardware task switching (Intel SDM vol. 3 ch. 7): JMP to a
; TSS, CALL through a task gate and IRET back (NT, previous-task link, busy
; bits read from the GDT, table 7-2), an exception and a software interrupt
; through IDT task gates (the error code pushed on the new task's stack), a
; 16-bit TSS, a task with its own LDT, CR0.TS set by every switch, the state
; saved in the outgoing TSS, and the checks made before the switch (busy
; target, not-present TSS, task gate to a non-TSS, IRET to a task that is not
; busy).  All tasks run at CPL 0 with flat segments and paging off, so every
; TSS holds CR3 = 0 (only loaded with paging on anyway).

%include "pm.inc"

SEL_TSS_A       equ 0x60                ; 32-bit TSS, entered by JMP
SEL_TSS_B       equ 0x68                ; 32-bit TSS, entered by CALL through a gate
SEL_TG_B        equ 0x70                ; task gate -> B
SEL_TSS_C       equ 0x78                ; #GP handler task
SEL_TSS_D       equ 0x80                ; INT 0x50 task
SEL_TSS_E       equ 0x88                ; 16-bit TSS
SEL_TSS_F       equ 0x90                ; task with an LDT
SEL_LDT         equ 0x98                ; LDT for F
SEL_TSS_NP      equ 0xA0                ; not-present TSS
SEL_TG_BAD      equ 0xA8                ; task gate -> a data segment
SEL_BEYOND      equ PM_GDT_LIMIT + 1
SEL_TSS_G       equ 0xB0                ; ring-3 task
SEL_TSS_H       equ 0xB8                ; task whose DS is invalid (#TS after the commit)
SEL_XO          equ 0xC0                ; execute-only code
SEL_TSS_K       equ 0xC8                ; task with its own CR3
SEL_LDT_DATA    equ 0x0C                ; LDT entry 1 (TI=1, RPL 0)

TSS_A           equ 0x4100
TSS_B           equ 0x4200
TSS_C           equ 0x4300
TSS_D           equ 0x4400
TSS_E           equ 0x4500              ; 16-bit TSS
TSS_F           equ 0x4600
LDT_F           equ 0x4700
STACK_A         equ 0x48000
STACK_B         equ 0x49000
STACK_C         equ 0x4A000
STACK_D         equ 0x4B000
STACK_F         equ 0x4C000
STACK_E         equ 0xF800              ; 16-bit task: SS = SEL_DATA16
TSS_G           equ 0x4800
TSS_H           equ 0x4900
STACK_G         equ 0x4D000             ; ring 3
STACK_H         equ 0x4E000
TSS_K           equ 0x4A00
STACK_K         equ 0x4F000
PD1             equ 0x100000            ; two address spaces for the CR3 test
PT1             equ 0x101000
PD2             equ 0x102000
PT2             equ 0x103000
LIN_K           equ 0x3F0000            ; PD1: -> PH_K1, PD2: -> PH_K2
PH_K1           equ 0x3E0000
PH_K2           equ 0x3D0000

; 32-bit TSS fields
T_LINK  equ 0x00
T_CR3   equ 0x1C
T_EIP   equ 0x20
T_EFL   equ 0x24
T_EAX   equ 0x28
T_ECX   equ 0x2C
T_EDX   equ 0x30
T_EBX   equ 0x34
T_ESP   equ 0x38
T_EBP   equ 0x3C
T_ESI   equ 0x40
T_EDI   equ 0x44
T_ES    equ 0x48
T_CS    equ 0x4C
T_SS    equ 0x50
T_DS    equ 0x54
T_FS    equ 0x58
T_GS    equ 0x5C
T_LDT   equ 0x60
T_IOMAP equ 0x66
; 16-bit TSS fields
T16_IP  equ 0x0E
T16_FL  equ 0x10
T16_AX  equ 0x12
T16_BX  equ 0x18
T16_SP  equ 0x1A
T16_ES  equ 0x22
T16_CS  equ 0x24
T16_SS  equ 0x26
T16_DS  equ 0x28
T16_LDT equ 0x2A

CR0_TS  equ 1 << 3

; TSS32 address, EIP, ESP: a fresh 32-bit TSS with flat ring-0 segments
%macro TSS32 3
        mov edi, %1
        mov eax, %2
        mov ebx, %3
        call init_tss32
%endmacro

        PRINTLN "pm_tasks: hardware task switching"
        PM_INIT_TSS
        SET_DESC SEL_TSS_A, TSS_A, 0x67, D_TSS32, 0
        SET_DESC SEL_TSS_B, TSS_B, 0x67, D_TSS32, 0
        SET_GATE_AT PM_GDT + SEL_TG_B, SEL_TSS_B, 0, D_TASKGATE, 0
        SET_DESC SEL_TSS_C, TSS_C, 0x67, D_TSS32, 0
        SET_DESC SEL_TSS_D, TSS_D, 0x67, D_TSS32, 0
        SET_DESC SEL_TSS_E, TSS_E, 0x2B, D_TSS16, 0
        SET_DESC SEL_TSS_F, TSS_F, 0x67, D_TSS32, 0
        SET_DESC SEL_LDT, LDT_F, 0x0F, D_LDT, 0
        SET_DESC SEL_TSS_NP, TSS_D, 0x67, D_TSS32 & 0x7F, 0
        SET_GATE_AT PM_GDT + SEL_TG_BAD, SEL_DATA32, 0, D_TASKGATE, 0
        SET_DESC SEL_TSS_G, TSS_G, 0x67, D_TSS32, 0
        SET_DESC SEL_TSS_H, TSS_H, 0x67, D_TSS32, 0
        SET_DESC SEL_XO, 0, 0xFFFFF, D_CODE_X, DF_G|DF_DB
        TSS32 TSS_G, task_g, STACK_G
        mov dword [TSS_G + T_CS], SEL_CODE32_3
        mov dword [TSS_G + T_SS], SEL_DATA32_3
        mov dword [TSS_G + T_DS], SEL_DATA32_3
        mov dword [TSS_G + T_ES], SEL_DATA32_3
        mov dword [TSS_G + T_FS], SEL_DATA32_3
        mov dword [TSS_G + T_GS], SEL_DATA32_3
        mov dword [TSS_G + 4], STACK_C - 0x800          ; ESP0 for faults in G
        TSS32 TSS_H, task_h, STACK_H
        mov dword [TSS_H + T_DS], SEL_XO                ; not readable: #TS(SEL_XO)
        TSS32 TSS_A, task_a, STACK_A
        mov dword [TSS_A + T_EAX], 0xA0A0A0A0
        mov dword [TSS_A + T_ECX], 0xA1A1A1A1
        mov dword [TSS_A + T_EBP], 0xA5A5A5A5
        mov dword [TSS_A + T_EFL], F_CF | F_PF | 2
        mov dword [TSS_A + T_ES], SEL_DATA32_3
        TSS32 TSS_B, task_b, STACK_B
        TSS32 TSS_C, task_c, STACK_C
        TSS32 TSS_D, task_d, STACK_D
        TSS32 TSS_F, task_f, STACK_F
        mov dword [TSS_F + T_LDT], SEL_LDT
        mov dword [TSS_F + T_DS], SEL_LDT_DATA
        ; LDT: entry 0 unused, entry 1 data base 0x30000 limit 0xFFFF
        mov dword [LDT_F], 0
        mov dword [LDT_F + 4], 0
        mov dword [LDT_F + 8], 0x0000FFFF
        mov dword [LDT_F + 12], 0x00409203
        mov dword [0x30000], 0x1D71D7
        ; 16-bit TSS for E
        mov edi, TSS_E
        mov ecx, 0x2C
        xor al, al
        rep stosb
        mov word [TSS_E + T16_IP], task_e
        mov word [TSS_E + T16_FL], F_ZF | 2
        mov word [TSS_E + T16_AX], 0xE1E1
        mov word [TSS_E + T16_BX], 0xE2E2
        mov word [TSS_E + T16_SP], STACK_E
        mov word [TSS_E + T16_CS], SEL_CODE16
        mov word [TSS_E + T16_SS], SEL_DATA16
        mov word [TSS_E + T16_DS], SEL_DATA16
        mov word [TSS_E + T16_ES], SEL_DATA16

; ---------------------------------------------------------------- JMP
        TEST 'jmp to a TSS'
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY  ; LTR marked it busy
        str ax
        CHECK_REG ax, SEL_TSS
        clts
        mov eax, 0x11111111
        mov ebx, 0x22222222
        mov esi, 0x33333333
        mov ebp, 0x44444444
        SET_FLAGS F_SF
        jmp SEL_TSS_A:0x12345678        ; the offset is ignored
main_a: ; task A jumps back here
        CHECK_FLAGS F_SF|F_CF|F_NT, F_SF
        CHECK_REG eax, 0x11111111       ; restored from the main TSS
        CHECK_REG ebx, 0x22222222
        CHECK_REG esi, 0x33333333
        CHECK_REG ebp, 0x44444444
        CHECK_REG esp, PM_STACK0
        CHECK_REG ds, SEL_DATA32
        str ax
        CHECK_REG ax, SEL_TSS
        mov eax, cr0
        and eax, CR0_TS
        CHECK_REG eax, CR0_TS           ; set by the task switch
        clts
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY
        CHECK_VAR byte, PM_GDT+SEL_TSS_A+5, D_TSS32     ; JMP cleared the old busy bit
        CHECK_VAR dword, TSS_A + T_EIP, task_a_back     ; A's state was saved
        CHECK_VAR dword, TSS_A + T_EAX, 0xA2A2A2A2
        CHECK_VAR dword, TSS_A + T_ESP, STACK_A
        CHECK_VAR word, TSS_A + T_LINK, 0       ; JMP does not write the link
        ; what task A saw is checked in task A itself

; ---------------------------------------------------------------- CALL + IRET
        TEST 'call a task gate, iret back'
        mov eax, 0x55555555
        mov dword [TSS_B + T_LINK], 0xFFFF
        call SEL_TG_B:0
main_b: CHECK_REG eax, 0x55555555
        CHECK_FLAGS F_NT, 0             ; NT from the main TSS image
        CHECK_REG esp, PM_STACK0        ; nothing pushed on either stack
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY
        CHECK_VAR byte, PM_GDT+SEL_TSS_B+5, D_TSS32     ; IRET cleared B's busy bit
        CHECK_VAR word, TSS_B + T_LINK, SEL_TSS ; link written by CALL, kept by IRET
        CHECK_VARM TSS_B + T_EFL, F_NT, 0       ; IRET cleared NT in B's saved image
        CHECK_VAR dword, TSS_B + T_EIP, task_b_back
        CHECK_VAR dword, TSS_B + T_EAX, 0xB2B2B2B2
        CHECK_VAR dword, main_saw_eip, main_b   ; B read the main TSS while nested
        CHECK_VAR dword, main_saw_eax, 0x55555555
        clts
        ; call it again: B continues after its IRET
        call SEL_TG_B:0
        CHECK_VAR dword, b_runs, 2
        clts

; ---------------------------------------------------------------- task gates in the IDT
        TEST 'exception through a task gate'
        SET_TASKGATE 13, SEL_TSS_C, 0
        mov dword [c_resume], .r1
        mov ax, SEL_BEYOND
.f1:    mov ds, ax                      ; #GP(SEL_BEYOND) -> task C
.r1:    CHECK_VAR dword, c_err, SEL_BEYOND      ; the error code on C's stack
        CHECK_VAR dword, c_esp, STACK_C - 4
        CHECK_VAR dword, c_eip, .f1             ; main saved at the faulting instruction
        CHECK_VAR word, c_link, SEL_TSS
        CHECK_VARM c_flags, F_NT, F_NT
        CHECK_VAR byte, c_busy_main, D_TSS32_BUSY
        CHECK_REG ds, SEL_DATA32
        CHECK_VAR byte, PM_GDT+SEL_TSS_C+5, D_TSS32
        mov dword [c_resume], .r2       ; a second exception: C continues its loop
        mov ax, SEL_BEYOND + 8
.f2:    mov es, ax
.r2:    CHECK_VAR dword, c_err, SEL_BEYOND + 8
        CHECK_VAR dword, c_eip, .f2
        CHECK_VAR dword, c_esp, STACK_C - 4
        RESET_GATE 13
        clts

        TEST 'int n through a task gate'
        SET_TASKGATE 0x50, SEL_TSS_D, 0
        mov ecx, 0xC0C0C0C0
        int 0x50
.after: CHECK_VAR dword, d_eip, .after          ; a software interrupt: the next EIP
        CHECK_VAR dword, d_ecx, 0xC0C0C0C0
        CHECK_VAR dword, d_esp, STACK_D         ; no error code
        CHECK_REG ecx, 0xC0C0C0C0
        clts

; ---------------------------------------------------------------- 16-bit TSS
        TEST '16-bit TSS'
        call SEL_TSS_E:0
        CHECK_VAR word, e_ax, 0xE1E1
        CHECK_VAR word, e_bx, 0xE2E2
        CHECK_VAR word, e_sp, STACK_E
        CHECK_VAR word, e_cs, SEL_CODE16
        CHECK_VARM e_flags, F_NT|F_ZF|F_CF, F_NT|F_ZF
        CHECK_VAR word, e_link, SEL_TSS
        CHECK_VAR word, e_tr, SEL_TSS_E
        CHECK_VAR word, TSS_E + T16_IP, task_e_back     ; saved as 16-bit fields
        CHECK_VAR word, TSS_E + T16_AX, 0xE3E3
        CHECK_VAR byte, PM_GDT+SEL_TSS_E+5, D_TSS16
        CHECK_REG cs, SEL_CODE32
        clts

; ---------------------------------------------------------------- LDT
        TEST 'task with an LDT'
        sldt ax
        CHECK_REG ax, 0
        jmp SEL_TSS_F:0
main_f: CHECK_VAR word, tf_ldtr, SEL_LDT
        CHECK_VAR dword, tf_val, 0x1D71D7        ; DS from the LDT: base 0x30000
        CHECK_VAR word, tf_ds, SEL_LDT_DATA
        sldt ax
        CHECK_REG ax, 0                 ; the main TSS has no LDT
        CHECK_VAR word, TSS_F + T_LDT, SEL_LDT  ; the LDT field is not written back
        clts

; ---------------------------------------------------------------- ring 3 task
        TEST 'ring-3 task'
        call SEL_TSS_G:0                ; the CPL comes from the new CS
        CHECK_VAR word, g_cs, SEL_CODE32_3
        CHECK_VAR word, g_ss, SEL_DATA32_3
        CHECK_VAR dword, g_esp, STACK_G
        CHECK_VAR dword, g_exc, 13              ; CLI at CPL 3, IOPL 0: #GP ...
        CHECK_VAR dword, g_exc_frame, STACK_C - 0x800 - 24  ; ... on G's TSS.SS0:ESP0
        CHECK_REG cs, SEL_CODE32
        CHECK_VAR byte, PM_GDT+SEL_TSS_G+5, D_TSS32
        clts

; ---------------------------------------------------------------- after the commit
        TEST '#TS after the commit'
        ; H's DS is execute-only code: the switch commits, then loading DS fails
        ; with #TS(DS), delivered in H's context: pushed CS:EIP = H's first
        ; instruction, TR = H (SDM vol. 3 §7.3, table 7-1)
        SET_INTGATE 10, ts_handler, 0
        jmp SEL_TSS_H:0
main_h: RESET_GATE 10
        CHECK_VAR dword, h_err, SEL_XO
        CHECK_VAR dword, h_eip, task_h
        CHECK_VAR word, h_cs, SEL_CODE32
        CHECK_VAR word, h_tr, SEL_TSS_H
        CHECK_VAR dword, h_esp, STACK_H - 16    ; error code, EIP, CS, EFLAGS
        CHECK_VAR byte, h_busy_h, D_TSS32_BUSY
        CHECK_VAR byte, h_busy_main, D_TSS32    ; JMP: the old task is not busy
        CHECK_VAR byte, PM_GDT+SEL_TSS_H+5, D_TSS32
        str ax
        CHECK_REG ax, SEL_TSS
        clts

; ---------------------------------------------------------------- CR3
        TEST 'task switch loads CR3'
        ; with paging on, a task switch loads CR3 from the new TSS (and never
        ; writes the CR3 field of the old one)
        mov dword [PH_K1], 0x1111CCCC
        mov dword [PH_K2], 0x2222CCCC
        mov edi, PD1
        xor eax, eax
        mov ecx, 4*4096/4
        rep stosd
        mov dword [PD1], PT1 | 3
        mov dword [PD2], PT2 | 3
        mov eax, 3
        xor ebx, ebx
.pt:    mov [PT1 + ebx*4], eax
        mov [PT2 + ebx*4], eax
        add eax, 0x1000
        inc ebx
        cmp ebx, 1024
        jb .pt
        mov dword [PT1 + (LIN_K >> 12)*4], PH_K1 | 3
        mov dword [PT2 + (LIN_K >> 12)*4], PH_K2 | 3
        mov dword [PM_TSS + T_CR3], PD1
        TSS32 TSS_K, task_k, STACK_K
        mov dword [TSS_K + T_CR3], PD2
        SET_DESC SEL_TSS_K, TSS_K, 0x67, D_TSS32, 0
        mov eax, PD1
        mov cr3, eax
        mov eax, cr0
        or eax, 1 << 31
        mov cr0, eax
        jmp .pg
.pg:    mov eax, [LIN_K]
        CHECK_REG eax, 0x1111CCCC
        jmp SEL_TSS_K:0
        mov eax, [LIN_K]
        CHECK_REG eax, 0x1111CCCC               ; PD1 again, from the main TSS
        mov eax, cr3
        CHECK_REG eax, PD1
        CHECK_VAR dword, k_val, 0x2222CCCC      ; task K saw PD2
        CHECK_VAR dword, k_cr3, PD2
        CHECK_VAR dword, TSS_K + T_CR3, PD2
        CHECK_VAR dword, PM_TSS + T_CR3, PD1
        mov eax, cr0
        and eax, ~(1 << 31)
        mov cr0, eax
        jmp .nopg
.nopg:  clts

; ---------------------------------------------------------------- checks before the switch
        TEST 'task switch faults'
        TRY .r1
.f1:    jmp SEL_TSS:0                   ; the current task is busy -> #GP(TSS)
.r1:    EXPECT 13, SEL_TSS, .f1
        TRY .r2
.f2:    call SEL_TSS_NP:0               ; not present -> #NP(TSS)
.r2:    EXPECT 11, SEL_TSS_NP, .f2
        TRY .r3
.f3:    jmp SEL_TG_BAD:0                ; task gate to a data segment -> #GP(sel)
.r3:    EXPECT 13, SEL_DATA32, .f3
        str ax
        CHECK_REG ax, SEL_TSS
        ; IRET with NT=1 whose link names a TSS that is not busy -> #TS(link)
        mov word [PM_TSS + T_LINK], SEL_TSS_A
        TRY .r4
        pushfd
        or dword [esp], F_NT
        popfd
.f4:    iretd
.r4:    pushfd
        and dword [esp], ~F_NT
        popfd
        EXPECT 10, SEL_TSS_A, .f4
        str ax
        CHECK_REG ax, SEL_TSS
        CHECK_VAR byte, PM_GDT+SEL_TSS_A+5, D_TSS32
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY
        mov eax, cr0
        and eax, CR0_TS
        CHECK_REG eax, 0                ; no switch happened

        DONE

; ---------------------------------------------------------------- tasks
task_a:
        TEST 'task A'
        CHECK_REG eax, 0xA0A0A0A0       ; loaded from TSS A
        CHECK_REG ecx, 0xA1A1A1A1
        CHECK_REG ebp, 0xA5A5A5A5
        CHECK_REG esp, STACK_A
        CHECK_REG cs, SEL_CODE32
        CHECK_REG es, SEL_DATA32_3
        CHECK_FLAGS F_CF|F_PF|F_SF|F_NT, F_CF|F_PF
        str ax
        CHECK_REG ax, SEL_TSS_A
        CHECK_VAR byte, PM_GDT+SEL_TSS_A+5, D_TSS32_BUSY
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32       ; JMP: old task not busy
        CHECK_VAR dword, PM_TSS + T_EIP, main_a         ; main state saved
        CHECK_VAR dword, PM_TSS + T_EAX, 0x11111111
        CHECK_VAR dword, PM_TSS + T_EBX, 0x22222222
        CHECK_VAR dword, PM_TSS + T_ESP, PM_STACK0
        CHECK_VAR word, PM_TSS + T_CS, SEL_CODE32
        CHECK_VAR word, PM_TSS + T_SS, SEL_DATA32
        CHECK_VARM PM_TSS + T_EFL, F_SF|F_NT|F_IF|0x2, F_SF|0x2
        CHECK_VAR word, TSS_A + T_LINK, 0
        mov eax, 0xA2A2A2A2
        jmp SEL_TSS:0
task_a_back:
        FAIL "task A resumed"
        DONE

task_b:
        TEST 'task B'
        inc dword [b_runs]
        CHECK_FLAGS F_NT, F_NT          ; CALL sets NT in the new task
        CHECK_VAR word, TSS_B + T_LINK, SEL_TSS
        CHECK_VAR byte, PM_GDT+SEL_TSS_B+5, D_TSS32_BUSY
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY  ; CALL: old task stays busy
        str ax
        CHECK_REG ax, SEL_TSS_B
        mov eax, [PM_TSS + T_EIP]
        mov [main_saw_eip], eax
        mov eax, [PM_TSS + T_EAX]
        mov [main_saw_eax], eax
        mov eax, 0xB2B2B2B2
        iretd                           ; NT=1: return to the previous task
task_b_back:
        jmp task_b

; #GP handler task: records the error code (on its stack), main's saved EIP and
; link, moves main's saved EIP to [c_resume], returns with IRET
task_c:
        mov [c_esp], esp
        pop eax
        mov [c_err], eax
        mov eax, [PM_TSS + T_EIP]
        mov [c_eip], eax
        mov eax, [c_resume]
        mov [PM_TSS + T_EIP], eax
        movzx eax, word [TSS_C + T_LINK]
        mov [c_link], eax
        pushfd
        pop eax
        mov [c_flags], eax
        mov al, [PM_GDT+SEL_TSS+5]
        mov [c_busy_main], al
        iretd
        jmp task_c

task_d:
        mov [d_esp], esp
        mov eax, [PM_TSS + T_ECX]
        mov [d_ecx], eax
        mov eax, [PM_TSS + T_EIP]
        mov [d_eip], eax
        iretd
        jmp task_d

task_f:
        sldt ax
        mov [ss:tf_ldtr], ax
        mov eax, [0]                    ; DS = LDT data segment
        mov [ss:tf_val], eax
        mov [ss:tf_ds], ds
        jmp SEL_TSS:0
        jmp task_f

; ring-3 task: records CS/SS/ESP, tries CLI (-> #GP through a ring-0 gate,
; stack from its own TSS.SS0:ESP0), returns with IRET (NT=1)
task_g:
        mov [g_esp], esp
        mov [g_cs], cs
        mov [g_ss], ss
        TRY .r
.f:     cli
.r:     mov eax, [f_vec]
        mov [g_exc], eax
        mov eax, [f_frame]
        sub eax, 4                      ; the error code slot
        mov [g_exc_frame], eax
        EXPECT 13, 0, .f
        iretd
        jmp task_g

task_k:
        mov eax, [LIN_K]
        mov [k_val], eax
        mov eax, cr3
        mov [k_cr3], eax
        jmp SEL_TSS:0
        jmp task_k

; H never runs its first instruction: the #TS handler records and leaves
task_h:
        FAIL "task H ran"
        jmp SEL_TSS:0

ts_handler:
        mov [ss:h_esp], esp
        mov ax, SEL_DATA32
        mov ds, ax
        mov eax, [esp]
        mov [h_err], eax
        mov eax, [esp+4]
        mov [h_eip], eax
        mov eax, [esp+8]
        mov [h_cs], eax
        str ax
        mov [h_tr], ax
        mov al, [PM_GDT+SEL_TSS_H+5]
        mov [h_busy_h], al
        mov al, [PM_GDT+SEL_TSS+5]
        mov [h_busy_main], al
        jmp SEL_TSS:0                   ; back to main (H stays in this handler)

[bits 16]
task_e:                                 ; 16-bit task: DS = SS = 64 KiB at 0
        mov [e_ax], ax
        mov [e_bx], bx
        mov [e_sp], sp
        mov [e_cs], cs
        pushf
        pop word [e_flags]
        mov ax, [TSS_E]
        mov [e_link], ax
        str ax
        mov [e_tr], ax
        mov ax, 0xE3E3
        iret                            ; 16-bit IRET, NT=1: task return
task_e_back:
        jmp task_e
[bits 32]

; EDI = TSS, EAX = EIP, EBX = ESP
init_tss32:
        push eax
        push ecx
        push edi
        mov ecx, 0x68/4
        xor eax, eax
        rep stosd
        pop edi
        pop ecx
        pop eax
        mov [edi + T_EIP], eax
        mov [edi + T_ESP], ebx
        mov dword [edi + T_EFL], 2
        mov dword [edi + T_CS], SEL_CODE32
        mov dword [edi + T_SS], SEL_DATA32
        mov dword [edi + T_DS], SEL_DATA32
        mov dword [edi + T_ES], SEL_DATA32
        mov dword [edi + T_FS], SEL_DATA32
        mov dword [edi + T_GS], SEL_DATA32
        mov dword [edi + 4], STACK_A    ; ESP0/SS0 (unused: CPL 0 tasks)
        mov dword [edi + 8], SEL_DATA32
        mov word [edi + T_IOMAP], 0x68
        push eax
        mov eax, cr3
        mov [edi + T_CR3], eax
        pop eax
        ret

        align 4
main_saw_eip:   dd 0
main_saw_eax:   dd 0
b_runs:         dd 0
c_resume:       dd 0
c_err:          dd 0
c_esp:          dd 0
c_eip:          dd 0
c_link:         dd 0
c_flags:        dd 0
c_busy_main:    dd 0
d_esp:          dd 0
d_ecx:          dd 0
d_eip:          dd 0
tf_ldtr:         dd 0
tf_val:          dd 0
tf_ds:           dd 0
k_val:          dd 0
k_cr3:          dd 0
g_esp:          dd 0
g_cs:           dd 0
g_ss:           dd 0
g_exc:          dd 0
g_exc_frame:    dd 0
h_esp:          dd 0
h_err:          dd 0
h_eip:          dd 0
h_cs:           dd 0
h_tr:           dd 0
h_busy_h:       dd 0
h_busy_main:    dd 0
e_ax:           dw 0
e_bx:           dw 0
e_sp:           dw 0
e_cs:           dw 0
e_flags:        dw 0
e_link:         dw 0
e_tr:           dw 0
