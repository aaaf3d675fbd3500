; pm_privilege.asm - privilege levels and their transfers (Intel SDM vol. 3
; ch. 5.8-5.12, 6.12, 19.5; vol. 2 CALL/RETF/IRET/INT n): ring 0 -> 3 by IRET
; and RETF (data segment registers with DPL < CPL become null), ring 3 -> 0 by
; a call gate with 2 parameters (parameters copied, stack from TSS.SS0:ESP0),
; ring 3 -> 1 by a call gate (TSS.SS1:ESP1), interrupt and trap gates with DPL
; 3 (INT 0x80/0x81, IF cleared or kept), gate and segment privilege checks
; (#GP with the gate or vector*8+2 as error code), conforming code, CLI/STI/
; IN/OUT/HLT/POPF at CPL 3 with IOPL 0 and 3, and the I/O permission bitmap.

%include "pm.inc"

SEL_CG3         equ 0x60 | 3            ; call gate DPL 3 -> ring 0, 2 parameters
SEL_CG0         equ 0x68                ; call gate DPL 0 -> ring 0
SEL_CG1         equ 0x70 | 3            ; call gate DPL 3 -> ring 1
SEL_CONF        equ 0x78                ; conforming execute/read code, DPL 0
SEL_CG16        equ 0x80 | 3            ; 16-bit call gate DPL 3 -> ring 0, 1 parameter

%macro IRET_TO 5                        ; CS, EIP, EFLAGS, SS, ESP
        mov [pm_r0_esp], esp            ; for TO_RING0
        push strict dword %4
        push strict dword %5
        push strict dword %3
        push strict dword %1
        push strict dword %2
        iretd
%endmacro

        PRINTLN "pm_privilege: privilege levels"
        PM_INIT_TSS
        and byte [PM_IOMAP + 0x80/8], ~(1 << (0x80 & 7)) & 0xFF  ; allow port 0x80
        and byte [PM_IOMAP + 0x70/8], ~(1 << (0x70 & 7)) & 0xFF  ; and 0x70
        SET_CALLGATE SEL_CG3, SEL_CODE32, cg_handler, 3, 2
        SET_CALLGATE SEL_CG0, SEL_CODE32, cg_handler, 0, 2
        SET_CALLGATE SEL_CG1, SEL_CODE32_1, cg1_handler, 3, 0
        SET_GATE_AT PM_GDT + (SEL_CG16 & ~7), SEL_CODE32, cg16_handler, D_CALLGATE16 | ACC_DPL3, 1
        SET_DESC SEL_CONF, 0, 0xFFFFF, D_CODE_XRC, DF_G|DF_DB
        SET_INTGATE 0x80, int80_handler, 3
        SET_TRAPGATE 0x81, int80_handler, 3
        SET_INTGATE 0x82, int80_handler, 0
        SET_GATE_AT PM_IDT + 0x83*8, SEL_CODE32, int83_handler, D_INTGATE16 | ACC_DPL3, 0

; ---------------------------------------------------------------- IRET outwards
        TEST 'iret to ring 3'
        mov ax, SEL_DATA32_3            ; DPL 3 data: kept
        mov es, ax
        mov ax, SEL_CODE32              ; non-conforming code, DPL 0: nulled
        mov fs, ax
        mov ax, SEL_CONF                ; conforming code: kept
        mov gs, ax
        ; DS = SEL_DATA32 (DPL 0): nulled
        IRET_TO SEL_CODE32_3, r3_a, F_IF|F_CF|F_ZF|2, SEL_DATA32_3, PM_STACK3 - 0x100
r3_a:   CHECK_REG cs, SEL_CODE32_3
        CHECK_REG ss, SEL_DATA32_3
        CHECK_REG esp, PM_STACK3 - 0x100
        CHECK_FLAGS F_IF|F_CF|F_ZF|F_IOPL|F_SF, F_IF|F_CF|F_ZF
        mov ax, ds
        and ax, 0xFFFC
        CHECK_REG ax, 0                 ; null (the RPL bits are not specified)
        mov ax, fs
        and ax, 0xFFFC
        CHECK_REG ax, 0
        CHECK_REG es, SEL_DATA32_3
        CHECK_REG gs, SEL_CONF
        TRY .r1
.f1:    mov eax, [fs:0x600]             ; the nulled register cannot be used
.r1:    EXPECT 13, 0, .f1
        TRY .r2
.f2:    mov eax, [0x600]
.r2:    EXPECT 13, 0, .f2
        CHECK_VAR dword, f_frame, PM_KSTACK - 20
        mov ax, SEL_DATA32_3
        mov ds, ax
        mov fs, ax
        mov gs, ax

; ---------------------------------------------------------------- call gates
        TEST 'call gate 3 -> 0'
        mov esi, esp
        push strict dword 0x11111111
        push strict dword 0x22222222
        mov edi, 0xFEDCBA98
        call SEL_CG3:0xDEADBEEF         ; the offset is ignored
.ret:   sub esi, esp
        CHECK_REG esi, 0                ; RETF 8 removed the parameters
        CHECK_REG cs, SEL_CODE32_3
        CHECK_REG ss, SEL_DATA32_3
        CHECK_REG edi, 0xFEDCBA98
        CHECK_VAR dword, cg_esp, PM_KSTACK - 24 ; SS, ESP, 2 parameters, CS, EIP
        CHECK_VAR word, cg_ss, SEL_DATA32       ; TSS.SS0
        CHECK_VAR word, cg_cs, SEL_CODE32       ; CPL 0
        CHECK_VAR dword, cg_frame, .ret
        CHECK_VAR word, cg_frame+4, SEL_CODE32_3
        CHECK_VAR dword, cg_frame+8, 0x22222222 ; copied in order
        CHECK_VAR dword, cg_frame+12, 0x11111111
        CHECK_VAR dword, cg_frame+16, PM_STACK3 - 0x100 - 8
        CHECK_VAR word, cg_frame+20, SEL_DATA32_3

        TEST 'call gate 3 -> 1'
        call SEL_CG1:0
.ret:   CHECK_REG cs, SEL_CODE32_3
        CHECK_REG esp, PM_STACK3 - 0x100
        CHECK_VAR word, cg_cs, SEL_CODE32_1
        CHECK_VAR word, cg_ss, SEL_DATA32_1     ; TSS.SS1:ESP1
        CHECK_VAR dword, cg_esp, PM_STACK1_TOP - 16
        CHECK_VAR dword, cg_frame, .ret
        CHECK_VAR word, cg_frame+4, SEL_CODE32_3

        TEST '16-bit call gate'
        ; a 16-bit gate pushes 16-bit SS:SP and CS:IP: use a stack below 64 KiB
        mov esp, 0xFF00
        push word 0x7777                ; one 16-bit parameter
        call SEL_CG16:0
.ret:   CHECK_REG esp, 0xFF00
        CHECK_VAR dword, cg_esp, PM_KSTACK - 10 ; 16-bit SS, SP, 1 word, CS, IP
        CHECK_VAR word, cg_frame, .ret
        CHECK_VAR word, cg_frame+2, SEL_CODE32_3
        CHECK_VAR word, cg_frame+4, 0x7777
        CHECK_VAR word, cg_frame+6, 0xFF00 - 2
        CHECK_VAR word, cg_frame+8, SEL_DATA32_3
        mov esp, PM_STACK3 - 0x100

        TEST 'gate checks'
        TRY .r1
.f1:    call SEL_CG0:0                  ; gate DPL 0 < CPL 3 -> #GP(gate)
.r1:    EXPECT 13, SEL_CG0 & 0xFFFC, .f1
        TRY .r2
.f2:    call SEL_CODE32:0               ; more privileged code directly -> #GP(sel)
.r2:    EXPECT 13, SEL_CODE32, .f2
        TRY .r3
.f3:    jmp SEL_CG3:0                   ; JMP through a gate cannot raise the CPL
.r3:    EXPECT 13, SEL_CODE32, .f3
        CHECK_REG esp, PM_STACK3 - 0x100

        TEST 'segment loads at CPL 3'
        mov ax, SEL_DATA32              ; DPL 0 < CPL 3
        TRY .r1
.f1:    mov es, ax
.r1:    EXPECT 13, SEL_DATA32, .f1
        mov ax, SEL_DATA32_2            ; DPL 2 < CPL 3
        TRY .r2
.f2:    mov fs, ax
.r2:    EXPECT 13, SEL_DATA32_2 & 0xFFFC, .f2
        mov ax, SEL_DATA32_3 & 0xFFFC   ; DPL 3 but RPL 0 < CPL: fine for data ...
        mov gs, ax
        CHECK_REG gs, SEL_DATA32_3 & 0xFFFC
        TRY .r3
.f3:    mov ss, ax                      ; ... but SS needs RPL = CPL
.r3:    EXPECT 13, SEL_DATA32_3 & 0xFFFC, .f3
        mov ax, SEL_CODE32              ; readable code, DPL 0
        TRY .r4
.f4:    mov ds, ax
.r4:    EXPECT 13, SEL_CODE32, .f4
        mov ax, SEL_CONF                ; conforming readable code: any CPL
        mov ds, ax
        CHECK_MEM dword, [cg_frame+12], 0x11111111
        mov ax, SEL_DATA32_3
        mov ds, ax
        mov gs, ax

        TEST 'conforming code'
        call SEL_CONF:conf_fn           ; CPL stays 3
        CHECK_REG eax, SEL_CONF | 3
        CHECK_REG cs, SEL_CODE32_3

; ---------------------------------------------------------------- interrupt gates
        TEST 'int 0x80 interrupt gate'
        SET_FLAGS F_CF                  ; (POPF at CPL 3, IOPL 0: IF stays 1)
        int 0x80
.ret:   CHECK_FLAGS F_IF|F_CF, F_IF|F_CF
        CHECK_VAR dword, i80_esp, PM_KSTACK - 20
        CHECK_VAR dword, i80_frame, .ret
        CHECK_VAR word, i80_frame+4, SEL_CODE32_3
        CHECK_VARM i80_frame+8, F_IF|F_CF|F_IOPL|F_VM, F_IF|F_CF
        CHECK_VAR dword, i80_frame+12, PM_STACK3 - 0x100
        CHECK_VAR word, i80_frame+16, SEL_DATA32_3
        CHECK_VARM i80_flags, F_IF|F_TF|F_NT, 0 ; an interrupt gate clears IF
        CHECK_VAR word, i80_cs, SEL_CODE32

        TEST 'int 0x81 trap gate'
        int 0x81
.ret:   CHECK_VAR dword, i80_frame, .ret
        CHECK_VARM i80_flags, F_IF, F_IF        ; a trap gate keeps IF
        CHECK_FLAGS F_IF, F_IF

        TEST '16-bit interrupt gate from ring 3'
        ; words pushed: SS, SP, FLAGS, CS, IP (stack below 64 KiB, as for the
        ; 16-bit call gate)
        mov esp, 0xFF00
        int 0x83
.ret:   CHECK_REG esp, 0xFF00
        CHECK_REG cs, SEL_CODE32_3
        CHECK_VAR dword, i80_esp, PM_KSTACK - 10
        CHECK_VAR word, i80_frame, .ret
        CHECK_VAR word, i80_frame+2, SEL_CODE32_3
        CHECK_VARM i80_frame+4, F_IF|F_VM, F_IF
        CHECK_VAR word, i80_frame+6, 0xFF00
        CHECK_VAR word, i80_frame+8, SEL_DATA32_3
        mov esp, PM_STACK3 - 0x100

        TEST 'int through a DPL 0 gate'
        TRY .r1
.f1:    int 0x82
.r1:    EXPECT 13, 0x82*8 + 2, .f1

; ---------------------------------------------------------------- IOPL 0 at CPL 3
        TEST 'IOPL-sensitive at CPL 3'
        TRY .r1
.f1:    cli
.r1:    EXPECT 13, 0, .f1
        TRY .r2
.f2:    sti
.r2:    EXPECT 13, 0, .f2
        TRY .r3
.f3:    in al, 0x81                     ; denied in the bitmap
.r3:    EXPECT 13, 0, .f3
        mov dx, 0x81
        TRY .r4
.f4:    out dx, al
.r4:    EXPECT 13, 0, .f4
        TRY .r5
.f5:    hlt
.r5:    EXPECT 13, 0, .f5
        TRY .r6
.f6:    mov eax, cr3
.r6:    EXPECT 13, 0, .f6
        TRY .r7
.f7:    lgdt [0x600]
.r7:    EXPECT 13, 0, .f7
        ; POPF at CPL 3 with IOPL 0: IF and IOPL silently unchanged
        TRY .r8
        pushfd
        and dword [esp], ~F_IF
        or dword [esp], F_IOPL3 | F_CF
        popfd
.r8:    EXPECT_NONE
        CHECK_FLAGS F_IF|F_IOPL|F_CF, F_IF|F_CF

        TEST 'I/O bitmap'
        mov al, 0x5A
        TRY .r1
        out 0x80, al                    ; allowed by the bitmap
        in al, 0x80
        mov dx, 0x80
        out dx, al
        in al, 0x70
.r1:    EXPECT_NONE
        TRY .r2
.f2:    out 0x80, ax                    ; 0x80-0x81: 0x81 denied
.r2:    EXPECT 13, 0, .f2
        TRY .r3
.f3:    in al, 0x7F
.r3:    EXPECT 13, 0, .f3
        mov edi, 0x600
        TRY .r4
.f4:    insb                            ; string I/O too (DX = 0x80 allowed ...)
.r4:    EXPECT_NONE
        mov dx, 0x81
        TRY .r5
.f5:    insb                            ; ... 0x81 denied
.r5:    EXPECT 13, 0, .f5
        TO_RING0
        ; a TSS limit that ends the bitmap after byte 0x0F: ports 0x80+ denied
        ; (the CPU reads two bitmap bytes; byte 0x0E-0x0F for port 0x70 are inside)
        SET_DESC SEL_TSS, PM_TSS, 0x68 + 0x0F, D_TSS32, 0
        mov ax, SEL_TSS
        ltr ax
        TO_RING3
        TRY .r6
.f6:    in al, 0x80
.r6:    EXPECT 13, 0, .f6
        TRY .r7
        in al, 0x70
.r7:    EXPECT_NONE
        TO_RING0
        SET_DESC SEL_TSS, PM_TSS, PM_TSS_LIMIT, D_TSS32, 0
        mov ax, SEL_TSS
        ltr ax

        TEST 'IOPL 3 at CPL 3'
        IRET_TO SEL_CODE32_3, r3_b, F_IOPL3|2, SEL_DATA32_3, PM_STACK3
r3_b:   mov ax, SEL_DATA32_3
        mov ds, ax
        TRY .r1
        in al, 0x81                     ; IOPL >= CPL: no bitmap check
        sti
        cli
        pushfd
        or dword [esp], F_IF            ; POPF may change IF
        popfd
.r1:    EXPECT_NONE
        CHECK_FLAGS F_IF|F_IOPL, F_IF|F_IOPL3
        pushfd
        and dword [esp], ~F_IOPL        ; ... but not IOPL
        popfd
        CHECK_FLAGS F_IOPL, F_IOPL3
        cli
        TRY .r2
.f2:    hlt                             ; still privileged
.r2:    EXPECT 13, 0, .f2
        TO_RING0
        CHECK_REG cs, SEL_CODE32
        CHECK_FLAGS F_IOPL, F_IOPL3     ; an interrupt gate keeps IOPL
        push strict dword 2
        popfd

; ---------------------------------------------------------------- RETF outwards
        TEST 'retf to ring 3'
        mov ax, SEL_DATA32              ; DS, FS: DPL 0 data -> null
        mov ds, ax
        mov fs, ax
        mov ax, SEL_DATA32_3
        mov es, ax
        mov ax, SEL_CONF
        mov gs, ax
        mov [pm_r0_esp], esp
        push strict dword SEL_DATA32_3
        push strict dword PM_STACK3 - 0x40
        push strict dword 0xAAAAAAAA    ; 2 parameters to discard
        push strict dword 0xBBBBBBBB
        push strict dword SEL_CODE32_3
        push strict dword r3_c
        retf 8
r3_c:   CHECK_REG cs, SEL_CODE32_3
        CHECK_REG ss, SEL_DATA32_3
        CHECK_REG esp, PM_STACK3 - 0x40 + 8     ; RETF n adds n to the outer ESP too
        mov ax, ds
        and ax, 0xFFFC
        CHECK_REG ax, 0
        mov ax, fs
        and ax, 0xFFFC
        CHECK_REG ax, 0
        CHECK_REG es, SEL_DATA32_3
        CHECK_REG gs, SEL_CONF
        mov ax, SEL_DATA32_3
        mov ds, ax
        mov fs, ax
        mov gs, ax
        TRY .r1
        push strict dword SEL_CODE32    ; RETF to an inner level -> #GP(CS)
        push strict dword .r1
.f1:    retf
.r1:    EXPECT 13, SEL_CODE32, .f1
        add esp, 8
        TO_RING0

        TEST 'retf to ring 2'
        mov [pm_r0_esp], esp
        push strict dword SEL_DATA32_2
        push strict dword PM_STACK2_TOP - 0x10
        push strict dword SEL_CODE32_2
        push strict dword r2_a
        retf
r2_a:   CHECK_REG cs, SEL_CODE32_2
        CHECK_REG ss, SEL_DATA32_2
        CHECK_REG esp, PM_STACK2_TOP - 0x10
        TRY .r1
.f1:    mov eax, cr0                    ; CPL 2: still privileged
.r1:    EXPECT 13, 0, .f1
        CHECK_VAR dword, f_frame, PM_KSTACK - 20
        TO_RING0

        TEST 'iret checks'
        TRY .r1
        push strict dword SEL_DATA32    ; SS with DPL 0 for a ring-3 return -> #GP(SS)
        push strict dword PM_STACK3
        push strict dword 2
        push strict dword SEL_CODE32_3
        push strict dword .r1
.f1:    iretd
.r1:    EXPECT 13, SEL_DATA32, .f1
        add esp, 20
        CHECK_REG cs, SEL_CODE32
        CHECK_REG esp, PM_STACK0

        DONE

; ---------------------------------------------------------------- handlers
; call gate target, ring 0: records ESP, SS, CS and the 6-dword frame; RETF 8
cg_handler:
        mov [ss:cg_esp], esp
        mov [ss:cg_ss], ss
        mov [ss:cg_cs], cs
        push esi
        push edi
        push ecx
        lea esi, [esp+12]
        mov edi, cg_frame
        mov ecx, 6
.cp:    mov eax, [ss:esi]
        mov [ss:edi], eax
        add esi, 4
        add edi, 4
        loop .cp
        pop ecx
        pop edi
        pop esi
        retf 8

; ring 1 target (no parameters)
cg1_handler:
        mov [ss:cg_esp], esp
        mov [ss:cg_ss], ss
        mov [ss:cg_cs], cs
        mov eax, [esp]
        mov [ss:cg_frame], eax
        mov eax, [esp+4]
        mov [ss:cg_frame+4], eax
        retf

; 16-bit call gate target (32-bit code reached through a 16-bit gate: the frame
; is 16-bit, returned with a 16-bit RETF 2)
cg16_handler:
        mov [ss:cg_esp], esp
        mov eax, [esp]
        mov [ss:cg_frame], eax
        mov eax, [esp+4]
        mov [ss:cg_frame+4], eax
        mov ax, [esp+8]
        mov [ss:cg_frame+8], ax
        o16 retf 2

conf_fn:
        mov eax, 0
        mov ax, cs
        retf

; INT 0x80/0x81 (and 0x82): records ESP, the 5-dword frame and EFLAGS
int80_handler:
        mov [ss:i80_esp], esp
        mov [ss:i80_cs], cs
        push eax
        pushfd
        pop eax
        mov [ss:i80_flags], eax
        mov eax, [esp+4]
        mov [ss:i80_frame], eax
        mov eax, [esp+8]
        mov [ss:i80_frame+4], eax
        mov eax, [esp+12]
        mov [ss:i80_frame+8], eax
        mov eax, [esp+16]
        mov [ss:i80_frame+12], eax
        mov eax, [esp+20]
        mov [ss:i80_frame+16], eax
        pop eax
        iretd

; INT 0x83 through a 16-bit gate: 5 words
int83_handler:
        mov [ss:i80_esp], esp
        push eax
        mov eax, [esp+4]
        mov [ss:i80_frame], eax
        mov eax, [esp+8]
        mov [ss:i80_frame+4], eax
        mov ax, [esp+12]
        mov [ss:i80_frame+8], ax
        pop eax
        o16 iret

        align 4
cg_esp:         dd 0
cg_ss:          dd 0
cg_cs:          dd 0
cg_frame:       times 6 dd 0
i80_esp:        dd 0
i80_cs:         dd 0
i80_flags:      dd 0
i80_frame:      times 5 dd 0
