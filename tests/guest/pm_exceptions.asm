; pm_exceptions.asm - protected-mode exceptions (Intel SDM vol. 3 ch. 6, 17.3):
; every vector 0-19 has a gate to a stub that records the vector, the error code
; (or none) and the pushed CS:EIP/EFLAGS (pm.inc).  Triggers #DE, #DB (TF single
; step, INT1), #BP, #OF, #BR, #UD, #NM, #TS, #NP, #SS, #GP, #PF, #AC and #DF, and
; checks fault vs trap (the pushed EIP is the faulting instruction or the next
; one), error codes (selector, IDT and EXT bits), CR2, RF in the pushed EFLAGS,
; the stack switch for exceptions from ring 3, and the double-fault rules of
; SDM vol. 3 §6.15 table 6-5 (contributory + contributory = #DF; benign +
; contributory = handled serially).
;
; Not covered: #MF (16) and #XM (19) need the x87/SSE units; #MC (18) cannot be
; raised by software; vector 9 is not generated after the 386, 15 is reserved.

%include "pm.inc"

SEL_SS3         equ 0x60 | 3            ; ring-3 expand-down stack, base 0x50000, limit 0xFFF
SEL_TSSS        equ 0x68                ; a 32-bit TSS whose limit is too small
SEL_NPC         equ 0x70                ; not-present code
SEL_BEYOND      equ PM_GDT_LIMIT + 1

CR0_MP          equ 1 << 1
CR0_EM          equ 1 << 2
CR0_TS          equ 1 << 3
CR0_WP          equ 1 << 16
CR0_AM          equ 1 << 18
CR0_PG          equ 1 << 31

PD              equ 0x100000            ; page directory
PT0             equ 0x101000            ; page table for 0-4 MiB
PG_NP           equ 0x300000            ; not present
PG_RO           equ 0x301000            ; supervisor read-only
PG_SUP          equ 0x302000            ; supervisor read/write
PG_URO          equ 0x303000            ; user read-only

        PRINTLN "pm_exceptions: protected-mode exceptions"

        SET_DESC SEL_SS3, 0x50000, 0xFFF, D_DATA_RWD | ACC_DPL3, DF_DB
        SET_DESC SEL_TSSS, 0x4100, 0x50, D_TSS32, 0
        SET_DESC SEL_NPC, 0, 0xFFFFF, D_CODE_XR & 0x7F, DF_G|DF_DB
        PM_INIT_TSS

; ---------------------------------------------------------------- #DE (fault)
        TEST '#DE'
        mov eax, 0x11111111
        mov edx, 0x22222222
        xor ecx, ecx
        TRY .r1
.f1:    div ecx                         ; divide by zero
.r1:    EXPECT 0, NOERR, .f1
        CHECK_REG eax, 0x11111111       ; nothing changed
        CHECK_REG edx, 0x22222222
        CHECK_VAR word, f_cs, SEL_CODE32
        CHECK_VARM f_eflags, F_RF, F_RF ; faults push RF=1 (SDM vol. 3 §17.3.1.1)
        mov eax, 0x80000000
        cdq
        mov ecx, -1
        TRY .r2
.f2:    idiv ecx                        ; quotient 2^31 does not fit
.r2:    EXPECT 0, NOERR, .f2
        mov ax, 0x1000
        mov cl, 0x10
        TRY .r3
.f3:    div cl                          ; quotient 0x100 does not fit in AL
.r3:    EXPECT 0, NOERR, .f3
        CHECK_REG ax, 0x1000
        TRY .r4
.f4:    aam 0
.r4:    EXPECT 0, NOERR, .f4
        TRY .r5
        int 0                           ; INT 0: software, no error code, trap
.r5:    EXPECT 0, NOERR, .r5
        CHECK_VARM f_eflags, F_RF, 0    ; software interrupts push RF=0

; ---------------------------------------------------------------- #DB
        TEST '#DB single step'
        SET_INTGATE 1, db_step, 0
        mov dword [db_n], 0
        mov dword [db_stop], .s3
        xor eax, eax
        mov dr6, eax
        pushfd
        or dword [esp], F_TF
        popfd                           ; sets TF: the trap comes after the next one
.s0:    nop
.s1:    mov eax, 1
.s2:    add eax, eax
.s3:    CHECK_VAR dword, db_n, 3
        CHECK_VAR dword, db_list, .s1   ; traps: EIP of the next instruction
        CHECK_VAR dword, db_list+4, .s2
        CHECK_VAR dword, db_list+8, .s3
        CHECK_VARM db_efl, F_TF|F_RF, F_TF      ; pushed EFLAGS: TF=1, RF=0 (trap)
        CHECK_VARM db_dr6, 0x4000, 0x4000       ; DR6.BS
        CHECK_REG eax, 2
        CHECK_FLAGS F_TF, 0
        ; MOV SS holds debug traps back for one instruction (SDM vol. 3 §6.8.3):
        ; no trap between the MOV SS and the next instruction
        mov dword [db_n], 0
        mov dword [db_stop], .m3
        mov ax, ss
        pushfd
        or dword [esp], F_TF
        popfd
.m0:    mov ss, ax
.m1:    nop
.m2:    nop
.m3:    CHECK_VAR dword, db_n, 2
        CHECK_VAR dword, db_list, .m2
        CHECK_VAR dword, db_list+4, .m3
        RESET_GATE 1

        TEST '#DB INT1'
        TRY .r1
.f1:    int1                            ; F1: #DB as a trap
.r1:    EXPECT 1, NOERR, .r1

; ---------------------------------------------------------------- #BP, #OF (traps)
        TEST '#BP'
        TRY .r1
.f1:    int3                            ; CC
.r1:    EXPECT 3, NOERR, .r1            ; the EIP after INT3
        CHECK_VARM f_eflags, F_RF, 0
        TRY .r2
        int 3                           ; CD 03
.r2:    EXPECT 3, NOERR, .r2

        TEST '#OF'
        SET_FLAGS F_OF
        TRY .r1
.f1:    into
.r1:    EXPECT 4, NOERR, .r1
        CHECK_FLAGS F_OF, F_OF
        SET_FLAGS 0
        TRY .r2
        into                            ; OF=0: nothing
.r2:    EXPECT_NONE

; ---------------------------------------------------------------- #BR (fault)
        TEST '#BR'
        mov eax, 5
        TRY .r1
.f1:    bound eax, [bounds32]           ; 5 < 10
.r1:    EXPECT 5, NOERR, .f1
        mov eax, 21
        TRY .r2
.f2:    bound eax, [bounds32]           ; 21 > 20
.r2:    EXPECT 5, NOERR, .f2
        mov eax, 20                     ; bounds are inclusive
        TRY .r3
        bound eax, [bounds32]
        mov eax, 10
        bound eax, [bounds32]
        mov eax, -5                     ; signed: -10 <= -5 <= 20
        bound eax, [bounds_neg]
.r3:    EXPECT_NONE
        mov ax, 0x8000                  ; 16-bit form, signed: -32768 < -100
        TRY .r4
.f4:    bound ax, [bounds16]
.r4:    EXPECT 5, NOERR, .f4

; ---------------------------------------------------------------- #UD (fault)
        TEST '#UD'
        TRY .r1
.f1:    ud2
.r1:    EXPECT 6, NOERR, .f1
        CHECK_VARM f_eflags, F_RF, F_RF
        TRY .r2
.f2:    db 0xF0, 0x90                   ; lock nop: not lockable
.r2:    EXPECT 6, NOERR, .f2            ; EIP of the prefix
        TRY .r3
.f3:    db 0x8E, 0xC8                   ; mov cs, ax
.r3:    EXPECT 6, NOERR, .f3
        TRY .r4
.f4:    db 0x0F, 0xFF                   ; UD0
.r4:    EXPECT 6, NOERR, .f4
        TRY .r5
.f5:    db 0xF0, 0x01, 0xD8             ; lock add eax, ebx: register destination
.r5:    EXPECT 6, NOERR, .f5

; ---------------------------------------------------------------- #NM (fault)
        TEST '#NM'
        mov eax, cr0
        mov [cr0_saved], eax
        and eax, ~CR0_EM
        or eax, CR0_TS | CR0_MP
        mov cr0, eax
        TRY .r1
.f1:    wait                            ; TS=1, MP=1
.r1:    EXPECT 7, NOERR, .f1
        TRY .r2
.f2:    fninit                          ; TS=1: any x87 instruction
.r2:    EXPECT 7, NOERR, .f2
        and eax, ~CR0_MP
        mov cr0, eax
        TRY .r3
        wait                            ; TS=1, MP=0: WAIT does not fault
.r3:    EXPECT_NONE
        clts
        mov eax, cr0
        and eax, CR0_TS
        CHECK_REG eax, 0                ; CLTS cleared TS
        mov eax, cr0
        or eax, CR0_EM                  ; EM=1: x87 instructions raise #NM
        mov cr0, eax
        TRY .r4
.f4:    fninit
.r4:    EXPECT 7, NOERR, .f4
        TRY .r5
        wait                            ; EM does not affect WAIT
.r5:    EXPECT_NONE
        mov eax, [cr0_saved]
        mov cr0, eax

; ---------------------------------------------------------------- #TS
        TEST '#TS'
        ; a JMP to a TSS with a limit below 0x67: #TS(new TSS), raised in the
        ; context of the old task, so the pushed EIP is the JMP
        TRY .r1
.f1:    jmp SEL_TSSS:0
.r1:    EXPECT 10, SEL_TSSS, .f1
        CHECK_VAR byte, PM_GDT+SEL_TSSS+5, D_TSS32      ; not marked busy
        CHECK_VAR byte, PM_GDT+SEL_TSS+5, D_TSS32_BUSY  ; still the current task

; ---------------------------------------------------------------- #NP
        TEST '#NP'
        mov ax, SEL_NPC
        TRY .r1
.f1:    call SEL_NPC:0                  ; not-present code
.r1:    EXPECT 11, SEL_NPC, .f1
        CHECK_REG esp, PM_STACK0        ; nothing pushed
        ; not-present IDT gate: error code = vector*8 + 2 (IDT); EXT=0 for INT n
        SET_INTGATE 0x40, unexpected_handler, 0
        and byte [PM_IDT + 0x40*8 + 5], 0x7F
        TRY .r2
.f2:    int 0x40
.r2:    EXPECT 11, 0x40*8 + 2, .f2

; ---------------------------------------------------------------- #GP
        TEST '#GP'
        mov ax, SEL_BEYOND
        TRY .r1
.f1:    mov ds, ax
.r1:    EXPECT 13, SEL_BEYOND, .f1
        ; INT n beyond the IDT limit: #GP(vector*8 + 2)
        sidt [idtr_saved]
        lidt [idtr_short]               ; limit covers vectors 0-0x40 only
        TRY .r2
.f2:    int 0x41
.r2:    lidt [idtr_saved]
        EXPECT 13, 0x41*8 + 2, .f2
        ; a descriptor that is not a gate in the IDT
        mov dword [PM_IDT + 0x42*8], 0x0000FFFF
        mov dword [PM_IDT + 0x42*8 + 4], 0x00CF9200     ; a data segment
        TRY .r3
.f3:    int 0x42
.r3:    EXPECT 13, 0x42*8 + 2, .f3
        SET_GATE_AT PM_IDT + 0x42*8, SEL_CODE32, unexpected_handler, D_CALLGATE32, 0
        TRY .r4
.f4:    int 0x42                        ; a call gate is not valid in the IDT
.r4:    EXPECT 13, 0x42*8 + 2, .f4
        ; a gate whose target is not a code segment: #GP(target selector)
        SET_GATE_AT PM_IDT + 0x43*8, SEL_DATA32, unexpected_handler, D_INTGATE32, 0
        TRY .r5
.f5:    int 0x43
.r5:    EXPECT 13, SEL_DATA32, .f5
        CHECK_VARM f_eflags, F_RF, F_RF

; ---------------------------------------------------------------- 16-bit gates
        TEST '16-bit gates'
        ; a 16-bit interrupt gate pushes FLAGS, CS, IP as words (and a 16-bit
        ; error code); the handler returns with a 16-bit IRET
        SET_GATE_AT PM_IDT + 0x44*8, SEL_CODE32, gate16_handler, D_INTGATE16, 0
        mov dword [g16_skip], 0
        SET_FLAGS F_CF
        int 0x44
.ret:   CHECK_VAR dword, g16_esp, PM_STACK0 - 6
        CHECK_VAR word, g16_frame, .ret
        CHECK_VAR word, g16_frame+2, SEL_CODE32
        CHECK_VAR word, g16_frame+4, F_CF | 2
        CHECK_REG esp, PM_STACK0
        CHECK_FLAGS F_CF, F_CF
        SET_GATE_AT PM_IDT + 13*8, SEL_CODE32, gate16_handler, D_INTGATE16, 0
        mov dword [g16_skip], 2         ; the handler skips the 2-byte MOV
        mov ax, SEL_BEYOND
.f1:    mov ds, ax
        CHECK_VAR dword, g16_esp, PM_STACK0 - 8
        CHECK_VAR word, g16_frame, SEL_BEYOND   ; 16-bit error code
        CHECK_VAR word, g16_frame+2, .f1
        CHECK_VAR word, g16_frame+4, SEL_CODE32
        RESET_GATE 13
        RESET_GATE 0x44

; ---------------------------------------------------------------- ring 3
        TEST 'ring 3 #GP'
        TO_RING3
        TRY .r1
.f1:    mov eax, cr0                    ; privileged
.r1:    EXPECT 13, 0, .f1
        CHECK_VAR word, f_cs, SEL_CODE32_3
        CHECK_VAR dword, f_esp, PM_STACK3
        CHECK_VAR word, f_ss, SEL_DATA32_3
        CHECK_VAR dword, f_frame, PM_KSTACK - 20        ; stack switch to TSS.ESP0
        CHECK_VAR word, f_hss, SEL_DATA32
        TRY .r2
.f2:    hlt
.r2:    EXPECT 13, 0, .f2
        TRY .r3
.f3:    int 0x20                        ; gate DPL 0 < CPL 3: #GP(vector*8 + 2)
.r3:    EXPECT 13, 0x20*8 + 2, .f3
        TRY .r4
.f4:    int3                            ; #BP through a DPL-0 gate from ring 3
.r4:    EXPECT 13, 3*8 + 2, .f4         ; INT3 is checked like INT n
        SET_FLAGS F_OF
        TRY .r5
.f5:    into                            ; ... and so is INTO
.r5:    EXPECT 13, 4*8 + 2, .f5
        TO_RING0

        TEST 'ring 3 #SS'
        TO_RING3
        TRY .r1
        mov ax, SEL_SS3                 ; expand-down, valid offsets 0x1000-0xFFFFFFFF
        mov ss, ax
        mov esp, 0x1008
        push eax                        ; 0x1004
        push eax                        ; 0x1000
.f1:    push eax                        ; 0xFFC: below the limit -> #SS(0)
.r1:    mov ax, SEL_DATA32_3
        mov ss, ax
        mov esp, PM_STACK3
        EXPECT 12, 0, .f1
        CHECK_VAR dword, f_esp, 0x1000  ; ESP unchanged by the faulting push
        CHECK_VAR word, f_ss, SEL_SS3
        CHECK_VAR dword, f_frame, PM_KSTACK - 20
        TO_RING0

%ifndef PM_SKIP_AC                     ; (#AC: 486+, CR0.AM + EFLAGS.AC at CPL 3)
        TEST 'ring 3 #AC'
        mov eax, cr0
        or eax, CR0_AM
        mov cr0, eax
        TO_RING3
        pushfd
        or dword [esp], F_AC
        popfd
        TRY .r1
        mov eax, [0x600]                ; aligned: fine
        mov ax, [0x602]
.f1:    mov eax, [0x601]                ; misaligned dword at CPL 3 -> #AC(0)
.r1:    EXPECT 17, 0, .f1
        TRY .r2
.f2:    mov word [0x603], ax
.r2:    EXPECT 17, 0, .f2
        pushfd
        and dword [esp], ~F_AC
        popfd
        TRY .r3
        mov eax, [0x601]                ; AC=0: no check
.r3:    EXPECT_NONE
        TO_RING0
        TRY .r4
        pushfd
        or dword [esp], F_AC
        popfd
        mov eax, [0x601]                ; CPL 0: no check
        pushfd
        and dword [esp], ~F_AC
        popfd
.r4:    EXPECT_NONE
        mov eax, cr0
        and eax, ~CR0_AM
        mov cr0, eax
%endif

; ---------------------------------------------------------------- #PF
        TEST '#PF'
        call build_paging
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, CR0_PG | CR0_WP
        mov cr0, eax
        jmp .pg                         ; (serialise after enabling paging)
.pg:    mov ebx, PG_NP + 0x123
        TRY .r1
.f1:    mov eax, [ebx]                  ; read, not present, supervisor
.r1:    EXPECT 14, 0, .f1
        CHECK_VAR dword, f_cr2, PG_NP + 0x123
        CHECK_VARM f_eflags, F_RF, F_RF
        TRY .r2
.f2:    mov dword [PG_NP + 0xFFC], 1    ; write, not present
.r2:    EXPECT 14, 2, .f2
        CHECK_VAR dword, f_cr2, PG_NP + 0xFFC
        TRY .r3
        mov eax, [PG_RO]                ; supervisor read of a read-only page: fine
.f3:    mov byte [PG_RO + 5], 1         ; write with CR0.WP=1: protection
.r3:    EXPECT 14, 3, .f3
        CHECK_VAR dword, f_cr2, PG_RO + 5
        TRY .r4
.f4:    mov eax, [0x400FF0]             ; the PDE is not present
.r4:    EXPECT 14, 0, .f4
        CHECK_VAR dword, f_cr2, 0x400FF0
        TRY .r5
        mov eax, PG_NP + 0x10
.f5:    jmp eax                         ; fetch from a not-present page
.r5:    EXPECT 14, 0, PG_NP + 0x10      ; (I/D is 0 without PAE+NXE); EIP = target
        CHECK_VAR dword, f_cr2, PG_NP + 0x10
        ; a write that straddles into PG_NP: faults before writing anything
        ; (CR2 for a split access is not specified exactly by the SDM: not checked)
        mov word [PG_NP - 2], 0
        TRY .r6
.f6:    mov dword [PG_NP - 2], 0x12345678
.r6:    EXPECT 14, 2, .f6
        CHECK_MEM word, [PG_NP - 2], 0

        TEST '#PF from ring 3'
        TO_RING3
        TRY .r1
.f1:    mov eax, [PG_NP]                ; user read, not present
.r1:    EXPECT 14, 4, .f1
        TRY .r2
.f2:    mov [PG_NP], eax                ; user write, not present
.r2:    EXPECT 14, 6, .f2
        TRY .r3
.f3:    mov eax, [PG_SUP]               ; user read of a supervisor page
.r3:    EXPECT 14, 5, .f3
        CHECK_VAR dword, f_cr2, PG_SUP
        TRY .r4
.f4:    mov [PG_SUP + 8], eax
.r4:    EXPECT 14, 7, .f4
        TRY .r5
        mov eax, [PG_URO]               ; user read of a user read-only page
.f5:    mov [PG_URO], eax               ; user write
.r5:    EXPECT 14, 7, .f5
        CHECK_VAR dword, f_cr2, PG_URO
        CHECK_VAR dword, f_frame, PM_KSTACK - 20
        TO_RING0

        TEST '#PF then #NP = #DF'
        ; page fault, then a contributory fault while delivering it -> #DF
        and byte [PM_IDT + 14*8 + 5], 0x7F
        TRY .r1
.f1:    mov eax, [PG_NP]
.r1:    EXPECT 8, 0, ANY                ; the saved CS:EIP of #DF is undefined
        RESET_GATE 14
        mov eax, cr0
        and eax, ~CR0_PG
        mov cr0, eax
        jmp .nopg
.nopg:

; ---------------------------------------------------------------- #DF
        TEST '#DF: #GP, gate not present'
        ; #GP (contributory), its gate not present -> #NP (contributory) -> #DF(0)
        and byte [PM_IDT + 13*8 + 5], 0x7F
        mov ax, SEL_BEYOND
        TRY .r1
.f1:    mov ds, ax
.r1:    EXPECT 8, 0, ANY
        RESET_GATE 13

        TEST '#DF: #DE, gate not present'
        and byte [PM_IDT + 0*8 + 5], 0x7F
        xor ecx, ecx
        TRY .r1
.f1:    div ecx
.r1:    EXPECT 8, 0, ANY
        RESET_GATE 0

        TEST 'benign + contributory'
        ; #UD (benign), its gate not present -> #NP delivered normally, error
        ; code vector*8 + IDT(2) + EXT(1): the event was not a software interrupt
        and byte [PM_IDT + 6*8 + 5], 0x7F
        TRY .r1
.f1:    ud2
.r1:    EXPECT 11, 6*8 + 3, .f1
        RESET_GATE 6
        ; INT3 (a software interrupt): EXT=0
        and byte [PM_IDT + 3*8 + 5], 0x7F
        TRY .r2
.f2:    int3
.r2:    EXPECT 11, 3*8 + 2, .f2
        RESET_GATE 3
        ; a #GP whose gate is beyond the IDT limit: #GP (contributory) + #GP -> #DF
        sidt [idtr_saved]
        lidt [idtr_tiny]                ; vectors 0-12 and the #DF gate only
        mov ax, SEL_BEYOND
        TRY .r3
.f3:    mov ds, ax
.r3:    lidt [idtr_saved]
        EXPECT 8, 0, ANY

        DONE

; ---------------------------------------------------------------- helpers
; #DB handler for single stepping: records EIP (up to 8), EFLAGS, DR6; clears
; TF in the frame when the EIP is [db_stop]
db_step:
        push ds
        push eax
        push ebx
        mov ax, SEL_DATA32
        mov ds, ax
        mov eax, [esp+12]               ; EIP
        mov ebx, [db_n]
        cmp ebx, 8
        jae .full
        mov [db_list + ebx*4], eax
.full:  inc dword [db_n]
        mov ebx, [esp+20]
        mov [db_efl], ebx
        mov ebx, dr6
        mov [db_dr6], ebx
        cmp eax, [db_stop]
        jne .keep
        and dword [esp+20], ~F_TF
.keep:  pop ebx
        pop eax
        pop ds
        iretd

; 16-bit gate handler: records ESP and 4 words; [g16_skip] != 0: an error code
; is on the stack, pop it and add [g16_skip] to the return IP
gate16_handler:
        mov [ss:g16_esp], esp
        push eax
        mov eax, [esp+4]
        mov [ss:g16_frame], eax
        mov eax, [esp+8]
        mov [ss:g16_frame+4], eax
        mov eax, [ss:g16_skip]
        test eax, eax
        jz .noerr
        add [esp+6], ax                 ; IP after the error code
        pop eax
        add esp, 2
        o16 iret
.noerr: pop eax
        o16 iret

unexpected_handler:
        FAIL "unexpected handler reached"
        iretd

; identity map 0-4 MiB (user, writable) with the test pages changed; 4 MiB+ absent
build_paging:
        pushad
        mov edi, PD
        mov ecx, 1024
        xor eax, eax
        rep stosd
        mov dword [PD], PT0 | 7
        mov edi, PT0
        mov eax, 7
        mov ecx, 1024
.pt:    stosd
        add eax, 0x1000
        loop .pt
        mov dword [PT0 + (PG_NP >> 12)*4], 0
        mov dword [PT0 + (PG_RO >> 12)*4], PG_RO | 1
        mov dword [PT0 + (PG_SUP >> 12)*4], PG_SUP | 3
        mov dword [PT0 + (PG_URO >> 12)*4], PG_URO | 5
        popad
        ret

        align 4
bounds32:       dd 10, 20
bounds_neg:     dd -10, 20
bounds16:       dw -100, 100
db_n:           dd 0
db_stop:        dd 0
db_efl:         dd 0
db_dr6:         dd 0
db_list:        times 8 dd 0
cr0_saved:      dd 0
g16_esp:        dd 0
g16_skip:       dd 0
g16_frame:      dd 0, 0
idtr_saved:     dw 0
                dd 0
idtr_short:     dw 0x41*8 - 1
                dd PM_IDT
idtr_tiny:      dw 13*8 - 1
                dd PM_IDT
