; pm_basic.asm - protected-mode basics (Intel SDM vol. 3 ch. 3, 5, 9.9; vol. 2
; for LAR/LSL/VERR/VERW/ARPL): the switch real -> protected mode (pm.inc), flat
; 4 GiB segments and 32-bit linear wrap-around, segment limits (expand-up,
; expand-down with B=0/B=1), type checks (read-only data write, execute-only
; code read, null selector), segment-register loads (#GP/#NP/#SS with the
; selector as error code), the accessed bit, far transfers between 16-bit and
; 32-bit code segments, LAR/LSL/VERR/VERW/ARPL, and finally the way back to
; real mode (SDM vol. 3 §9.9.2) with a few real-mode checks.

%include "pm.inc"

SEL_T           equ 0x60                ; scratch
SEL_XO          equ 0x68                ; execute-only 32-bit code, flat
SEL_RO          equ 0x70                ; read-only data, flat
SEL_NP          equ 0x78                ; not-present writable data
SEL_NPC         equ 0x80                ; not-present code
SEL_LIM         equ 0x88                ; data, base 0x20000, limit 0xFFF (bytes)
SEL_ED          equ 0x90                ; expand-down, base 0x20000, limit 0xFFF, B=1
SEL_ED16        equ 0x98                ; expand-down, base 0x20000, limit 0xFFF, B=0
SEL_LAR         equ 0xA0                ; data with AVL, G, D/B, accessed
SEL_CONF        equ 0xA8                ; conforming execute/read code, DPL 0
SEL_CGATE       equ 0xB0                ; a call gate
SEL_INTG        equ 0xB8                ; an interrupt gate (not valid in the GDT)
SEL_TSSD        equ 0xC0                ; an available 32-bit TSS descriptor
SEL_WRAP        equ 0xC8                ; data, base 0x10000, limit 4 GiB
SEL_HI          equ 0xD0                ; data, base 0x00FFF000, limit 4 GiB
SEL_FRESH       equ 0xD8                ; data, accessed bit clear
SEL_LIMG        equ 0xE0                ; data, G=1, limit field 1 -> 0x1FFF
SEL_CODE16X     equ 0xE8                ; 16-bit code, base 0x7C00 (offsets differ)
SEL_LDTD        equ 0xF0                ; an LDT descriptor
SEL_CLIM        equ 0xF8                ; 32-bit code, base 0, limit ends inside clim_edge
SEL_CONF3       equ 0x100               ; conforming code, DPL 3
SEL_BEYOND      equ PM_GDT_LIMIT + 1    ; first selector past the GDT limit
LDT_BASE        equ 0x4200              ; the LDT of SEL_LDTD: 2 entries

        PRINTLN "pm_basic: protected-mode basics"

        SET_DESC SEL_XO, 0, 0xFFFFF, D_CODE_X, DF_G|DF_DB
        SET_DESC SEL_RO, 0, 0xFFFFF, D_DATA_R, DF_G|DF_DB
        SET_DESC SEL_NP, 0, 0xFFFFF, D_DATA_RW & 0x7F, DF_G|DF_DB
        SET_DESC SEL_NPC, 0, 0xFFFFF, D_CODE_XR & 0x7F, DF_G|DF_DB
        SET_DESC SEL_LIM, 0x20000, 0xFFF, D_DATA_RW, DF_DB
        SET_DESC SEL_ED, 0x20000, 0xFFF, D_DATA_RWD, DF_DB
        SET_DESC SEL_ED16, 0x20000, 0xFFF, D_DATA_RWD, 0
        SET_DESC SEL_LAR, 0, 0x5FFFF, D_DATA_RW|1, DF_G|DF_DB|1   ; AVL=1, limit 19:16 = 5
        SET_DESC SEL_CONF, 0, 0xFFFFF, D_CODE_XRC, DF_G|DF_DB
        SET_CALLGATE SEL_CGATE, SEL_CODE32, 0x12345678, 0, 3
        SET_GATE_AT PM_GDT + SEL_INTG, SEL_CODE32, 0, D_INTGATE32, 0
        SET_DESC SEL_TSSD, 0x4100, 0x67, D_TSS32, 0
        SET_DESC SEL_WRAP, 0x10000, 0xFFFFF, D_DATA_RW, DF_G|DF_DB
        SET_DESC SEL_HI, 0x00FFF000, 0xFFFFF, D_DATA_RW, DF_G|DF_DB
        SET_DESC SEL_FRESH, 0, 0xFFFFF, D_DATA_RW, DF_G|DF_DB
        SET_DESC SEL_LIMG, 0x20000, 1, D_DATA_RW, DF_G|DF_DB
        SET_DESC SEL_CODE16X, 0x7C00, 0xFFFF, D_CODE_XR, 0
        SET_DESC SEL_LDTD, LDT_BASE, 0x0F, D_LDT, 0
        SET_DESC SEL_CLIM, 0, clim_edge + 2, D_CODE_XR, DF_DB
        SET_DESC SEL_CONF3, 0, 0xFFFFF, D_CODE_XRC | ACC_DPL3, DF_G|DF_DB
        mov dword [LDT_BASE], 0
        mov dword [LDT_BASE + 4], 0
        mov dword [LDT_BASE + 8], 0x0000FFFF            ; LDT entry 1: data, base 0x20000
        mov dword [LDT_BASE + 12], 0x00009202

; ---------------------------------------------------------------- the switch
        TEST 'protected mode entered'
        mov eax, cr0
        and eax, 1
        CHECK_REG eax, 1
        smsw ax
        and ax, 1
        CHECK_REG ax, 1
        CHECK_REG cs, SEL_CODE32
        CHECK_REG ds, SEL_DATA32
        CHECK_REG ss, SEL_DATA32
        CHECK_REG esp, PM_STACK0
        sgdt [sgdt_buf]
        CHECK_VAR word, sgdt_buf, PM_GDT_LIMIT
        CHECK_VAR dword, sgdt_buf+2, PM_GDT
        sidt [sgdt_buf]
        CHECK_VAR word, sgdt_buf, PM_IDT_LIMIT
        CHECK_VAR dword, sgdt_buf+2, PM_IDT
        ; loading CS and the data segments set their accessed bits
        CHECK_VAR byte, PM_GDT+SEL_CODE32+5, D_CODE_XR|1
        CHECK_VAR byte, PM_GDT+SEL_DATA32+5, D_DATA_RW|1

        TEST '32-bit code'
        mov eax, 0x89ABCDEF             ; 32-bit operands and addressing
        mov ebx, 0x00400000
        mov [ebx+ebx*2+0x100], eax      ; 12 MiB + 0x100: beyond real-mode reach
        CHECK_MEM dword, [0x00C00100], 0x89ABCDEF
        mov ecx, esp
        push ax                         ; explicit 16-bit push: ESP - 2
        sub ecx, esp
        pop ax
        CHECK_REG ecx, 2
        mov ecx, esp
        push eax
        sub ecx, esp
        pop eax
        CHECK_REG ecx, 4

; ---------------------------------------------------------------- flat segments
        TEST 'flat 4 GiB'
        mov dword [0x01000000], 0x16161616      ; 16 MiB
        mov ax, SEL_HI                          ; base 0x00FFF000
        mov es, ax
        CHECK_MEM dword, [es:0x1000], 0x16161616
        mov dword [es:0x2000], 0x11223344       ; linear 0x01001000
        CHECK_MEM dword, [0x01001000], 0x11223344
        ; base 0x10000 + offset 0xFFFF0500 wraps to linear 0x500 (32-bit linear addresses)
        mov dword [0x500], 0xA5A5F00D
        mov ax, SEL_WRAP
        mov es, ax
        TRY .r1
.f1:    mov eax, [es:0xFFFF0500]
.r1:    EXPECT_NONE
        CHECK_REG eax, 0xA5A5F00D
        mov ax, SEL_DATA32
        mov es, ax
        ; offset 0xFFFFFFF0 of a 4 GiB segment is within the limit (unbacked memory)
        TRY .r2
.f2:    mov eax, [0xFFFFFFF0]
.r2:    EXPECT_NONE

; ---------------------------------------------------------------- limits
        TEST 'expand-up limit'
        mov dword [0x20FFC], 0x44332211
        mov dword [0x21000], 0
        mov ax, SEL_LIM                 ; base 0x20000, limit 0xFFF
        mov es, ax
        CHECK_MEM byte, [es:0xFFF], 0x44
        CHECK_MEM dword, [es:0xFFC], 0x44332211
        TRY .r1
.f1:    mov al, [es:0x1000]             ; first byte past the limit
.r1:    EXPECT 13, 0, .f1
        TRY .r2
.f2:    mov eax, [es:0xFFD]             ; last byte past the limit
.r2:    EXPECT 13, 0, .f2
        mov dword [0x20FFC], 0x55555555
        TRY .r3
.f3:    mov dword [es:0xFFE], 0xDEADBEEF ; no partial write
.r3:    EXPECT 13, 0, .f3
        CHECK_MEM dword, [0x20FFC], 0x55555555
        CHECK_MEM dword, [0x21000], 0
        mov ax, SEL_LIMG                ; G=1: limit 1 -> 0x1FFF
        mov es, ax
        TRY .r4
.f4:    mov al, [es:0x1FFF]
.r4:    EXPECT_NONE
        TRY .r5
.f5:    mov al, [es:0x2000]
.r5:    EXPECT 13, 0, .f5
        mov ax, SEL_DATA32
        mov es, ax

        TEST 'expand-down B=1'
        ; valid offsets: limit+1 .. 0xFFFFFFFF
        mov dword [0x21000], 0x10203040
        mov ax, SEL_ED
        mov es, ax
        CHECK_MEM dword, [es:0x1000], 0x10203040
        TRY .r1
.f1:    mov al, [es:0xFFF]              ; at the limit: below the segment
.r1:    EXPECT 13, 0, .f1
        TRY .r2
.f2:    mov eax, [es:0xFFE]             ; partly below
.r2:    EXPECT 13, 0, .f2
        TRY .r3
.f3:    mov al, [es:0]
.r3:    EXPECT 13, 0, .f3
        mov dword [0x1FFFC], 0x0BADCAFE
        TRY .r4
.f4:    mov eax, [es:0xFFFFFFFC]        ; the top dword; linear 0x1FFFC (wraps)
.r4:    EXPECT_NONE
        CHECK_REG eax, 0x0BADCAFE
        mov dword [es:0x2000], 0x77665544
        CHECK_MEM dword, [0x22000], 0x77665544

        TEST 'expand-down B=0'
        ; valid offsets: limit+1 .. 0xFFFF
        mov byte [0x2FFFF], 0x99
        mov ax, SEL_ED16
        mov es, ax
        CHECK_MEM byte, [es:0xFFFF], 0x99
        CHECK_MEM dword, [es:0x1000], 0x10203040
        TRY .r1
.f1:    mov ax, [es:0xFFFF]             ; runs past 0xFFFF
.r1:    EXPECT 13, 0, .f1
        TRY .r2
.f2:    mov al, [es:0x10000]            ; above the upper bound
.r2:    EXPECT 13, 0, .f2
        TRY .r3
.f3:    mov al, [es:0x0FFF]             ; below
.r3:    EXPECT 13, 0, .f3
        mov ax, SEL_DATA32
        mov es, ax

        TEST 'stack segment limit'
        ; SS-relative accesses past the limit raise #SS(0), not #GP
        mov ax, SEL_ED                  ; writable expand-down: a valid stack
        mov ss, ax                      ; ESP (~0x6FFxx) lies inside it
        TRY .r1
.f1:    mov eax, [ss:0x800]
.r1:    EXPECT 12, 0, .f1
        xor ebp, ebp
        TRY .r2
.f2:    mov eax, [ebp+0x100]            ; EBP base -> SS by default
.r2:    EXPECT 12, 0, .f2
        TRY .r3
.f3:    mov eax, [ds:0x800]             ; the same offset through DS is fine
.r3:    EXPECT_NONE
        mov ax, SEL_DATA32
        mov ss, ax

; ---------------------------------------------------------------- types
        TEST 'read-only data'
        mov ax, SEL_RO
        mov es, ax                      ; loading a read-only segment is fine
        mov dword [0x600], 0x600D600D
        CHECK_MEM dword, [es:0x600], 0x600D600D
        TRY .r1
.f1:    mov dword [es:0x600], 0         ; write -> #GP(0)
.r1:    EXPECT 13, 0, .f1
        CHECK_MEM dword, [0x600], 0x600D600D
        TRY .r2
.f2:    inc byte [es:0x600]             ; read-modify-write
.r2:    EXPECT 13, 0, .f2
        CHECK_MEM dword, [0x600], 0x600D600D
        mov ax, SEL_DATA32
        mov es, ax

        TEST 'code segment as data'
        mov ax, SEL_CODE32              ; readable code can be loaded into DS
        mov es, ax
        CHECK_MEM dword, [es:0x600], 0x600D600D
        TRY .r1
.f1:    mov dword [es:0x600], 0         ; code is never writable
.r1:    EXPECT 13, 0, .f1
        mov ax, SEL_XO                  ; execute-only code cannot be loaded
        TRY .r2
.f2:    mov es, ax
.r2:    EXPECT 13, SEL_XO, .f2
        mov ax, SEL_DATA32
        mov es, ax

        TEST 'execute-only code'
        jmp SEL_XO:.xo                  ; run in an execute-only segment
.xo:    CHECK_REG cs, SEL_XO
        TRY .r1
.f1:    mov eax, [cs:xo_data]           ; reading through CS -> #GP(0)
.r1:    EXPECT 13, 0, .f1
        jmp SEL_CODE32:.back
.back:  CHECK_REG cs, SEL_CODE32
        CHECK_VAR byte, PM_GDT+SEL_XO+5, D_CODE_X|1

        TEST 'null selector'
        xor eax, eax
        mov es, ax                      ; loading null into ES/DS/FS/GS is fine
        mov fs, ax
        mov ax, 3                       ; null with RPL 3 too
        mov gs, ax
        CHECK_REG gs, 3
        TRY .r1
.f1:    mov eax, [es:0x500]             ; but using it -> #GP(0)
.r1:    EXPECT 13, 0, .f1
        mov ax, 3
        mov ds, ax
        TRY .r2
.f2:    mov dword [ebx], 0
.r2:    mov ax, SEL_DATA32
        mov ds, ax
        EXPECT 13, 0, .f2
        xor eax, eax
        TRY .r3
.f3:    mov ss, ax                      ; null SS -> #GP(0)
.r3:    EXPECT 13, 0, .f3
        CHECK_REG ss, SEL_DATA32
        mov ax, SEL_DATA32
        mov es, ax
        mov fs, ax
        mov gs, ax

; ---------------------------------------------------------------- loads
        TEST 'SS loads'
        mov ax, SEL_RO
        TRY .r1
.f1:    mov ss, ax                      ; read-only stack -> #GP(sel)
.r1:    EXPECT 13, SEL_RO, .f1
        mov ax, SEL_CODE32
        TRY .r2
.f2:    mov ss, ax                      ; code -> #GP(sel)
.r2:    EXPECT 13, SEL_CODE32, .f2
        mov ax, SEL_DATA32_3
        TRY .r3
.f3:    mov ss, ax                      ; RPL 3 != CPL 0 -> #GP(sel), error without RPL
.r3:    EXPECT 13, SEL_DATA32_3 & 0xFFFC, .f3
        mov ax, SEL_DATA32 | 1
        TRY .r4
.f4:    mov ss, ax                      ; RPL 1 != CPL
.r4:    EXPECT 13, SEL_DATA32, .f4
        mov ax, SEL_NP
        TRY .r5
.f5:    mov ss, ax                      ; not present: #SS(sel), not #NP
.r5:    EXPECT 12, SEL_NP, .f5
        CHECK_REG ss, SEL_DATA32

        TEST 'data segment loads'
        mov ax, SEL_NP
        TRY .r1
.f1:    mov ds, ax                      ; not present -> #NP(sel)
.r1:    EXPECT 11, SEL_NP, .f1
        CHECK_REG ds, SEL_DATA32
        mov ax, SEL_NP | 3
        TRY .r2
.f2:    mov fs, ax                      ; RPL 3 > DPL 0: #GP before the P check
.r2:    EXPECT 13, SEL_NP, .f2
        mov ax, SEL_DATA32 | 3
        TRY .r3
.f3:    mov es, ax                      ; RPL 3 > DPL 0 -> #GP(sel)
.r3:    EXPECT 13, SEL_DATA32, .f3
        mov ax, SEL_DATA32_3            ; DPL 3 data at CPL 0 is fine
        mov es, ax
        CHECK_REG es, SEL_DATA32_3
        mov ax, SEL_BEYOND
        TRY .r4
.f4:    mov gs, ax                      ; beyond the GDT limit -> #GP(sel)
.r4:    EXPECT 13, SEL_BEYOND, .f4
        mov ax, SEL_TSSD
        TRY .r5
.f5:    mov ds, ax                      ; system descriptor -> #GP(sel)
.r5:    EXPECT 13, SEL_TSSD, .f5
        mov ax, SEL_CGATE
        TRY .r6
.f6:    mov ds, ax
.r6:    EXPECT 13, SEL_CGATE, .f6
        mov ax, 0x0004                  ; TI=1 with a null LDTR -> #GP(sel)
        TRY .r7
.f7:    mov ds, ax
.r7:    EXPECT 13, 0x0004, .f7
        push dword SEL_NP
        TRY .r8
.f8:    pop ds                          ; POP: the same checks, ESP unchanged
.r8:    EXPECT 11, SEL_NP, .f8
        pop eax
        CHECK_REG eax, SEL_NP
        CHECK_REG esp, PM_STACK0
        CHECK_REG ds, SEL_DATA32
        mov ax, SEL_DATA32
        mov es, ax
        ; the accessed bit is set by a load
        CHECK_VAR byte, PM_GDT+SEL_FRESH+5, D_DATA_RW
        mov ax, SEL_FRESH
        mov fs, ax
        CHECK_VAR byte, PM_GDT+SEL_FRESH+5, D_DATA_RW|1
        mov ax, SEL_DATA32
        mov fs, ax

        TEST 'far jumps'
        TRY .r1
.f1:    jmp SEL_NPC:.r1                 ; not-present code -> #NP(sel)
.r1:    EXPECT 11, SEL_NPC, .f1
        TRY .r2
.f2:    jmp SEL_DATA32:.r2              ; data -> #GP(sel)
.r2:    EXPECT 13, SEL_DATA32, .f2
        TRY .r3
.f3:    jmp SEL_CODE32_3:.r3            ; non-conforming, DPL 3 != CPL 0 -> #GP(sel)
.r3:    EXPECT 13, SEL_CODE32_3 & 0xFFFC, .f3
        TRY .r4
.f4:    jmp 0:.r4                       ; null -> #GP(0)
.r4:    EXPECT 13, 0, .f4
        TRY .r6
.f6:    jmp (SEL_CODE32|3):.r6          ; non-conforming: RPL 3 > CPL -> #GP(sel)
.r6:    EXPECT 13, SEL_CODE32, .f6
        jmp (SEL_CONF|3):.conf          ; conforming DPL 0: RPL ignored
.conf:  CHECK_REG cs, SEL_CONF          ; ... and CS.RPL = CPL
        jmp SEL_CODE32:.back
.back:  CHECK_REG cs, SEL_CODE32
        TRY .r7
.f7:    jmp SEL_CONF3:.r7               ; conforming, DPL 3 > CPL 0 -> #GP(sel)
.r7:    EXPECT 13, SEL_CONF3, .f7
        TRY .r8
        push strict dword SEL_NPC
        push strict dword .r8
.f8:    retf                            ; RETF to a not-present segment -> #NP(sel)
.r8:    EXPECT 11, SEL_NPC, .f8
        add esp, 8
        CHECK_REG esp, PM_STACK0
        TRY .r5                         ; the target offset past the limit: #GP(0)
.f5:    jmp SEL_CODE16:0x10000          ; 32-bit offset, 16-bit segment limit 0xFFFF
.r5:    EXPECT 13, 0, .f5
        CHECK_REG cs, SEL_CODE32

        TEST 'code segment limit'
        ; a near JMP past the CS limit faults on the JMP itself
        TRY clim_r1
        jmp SEL_CLIM:clim_f1
clim_back1:
        EXPECT 13, 0, clim_f1
        ; an instruction that straddles the limit faults with EIP at its start
        mov eax, 0x55AA55AA
        TRY clim_r2
        jmp SEL_CLIM:clim_edge
clim_back2:
        EXPECT 13, 0, clim_edge
        CHECK_REG eax, 0x55AA55AA
        CHECK_REG cs, SEL_CODE32

        TEST '16-bit stack'
        ; SS with B=0: pushes and pops use SP; the upper half of ESP is kept
        mov ax, SEL_DATA16
        mov ss, ax
        mov esp, 0x12340010
        mov eax, 0xCAFED00D
        push eax
        mov ecx, esp
        mov esp, 0x56780000             ; SP wraps from 0 to 0xFFFC
        push eax
        mov edx, esp
        pop ebx
        mov esi, esp
        mov ax, SEL_DATA32
        mov ss, ax
        mov esp, PM_STACK0
        CHECK_REG ecx, 0x1234000C
        CHECK_REG edx, 0x5678FFFC
        CHECK_REG esi, 0x56780000
        CHECK_REG ebx, 0xCAFED00D
        CHECK_MEM dword, [0x0C], 0xCAFED00D
        CHECK_MEM dword, [0xFFFC], 0xCAFED00D

        TEST 'LDT'
        sldt ax
        CHECK_REG ax, 0
        mov ax, SEL_LDTD
        lldt ax
        sldt bx
        CHECK_REG bx, SEL_LDTD
        mov dword [0x20010], 0x1D7D47A
        mov ax, 0x0C                    ; LDT entry 1, TI=1
        mov es, ax
        CHECK_MEM dword, [es:0x10], 0x1D7D47A
        CHECK_REG es, 0x0C
        CHECK_VAR byte, LDT_BASE+8+5, 0x93      ; accessed, in the LDT
        mov ax, 0x14                    ; entry 2: past the LDT limit
        TRY .r1
.f1:    mov fs, ax
.r1:    EXPECT 13, 0x14, .f1            ; the error code keeps TI
        mov bx, 0x0F                    ; LAR works on LDT selectors (RPL 3 > DPL 0: no)
        SET_FLAGS F_ZF
        lar eax, bx
        CHECK_FLAGS F_ZF, 0
        mov bx, 0x0C
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        mov ax, SEL_DATA32
        TRY .r2
.f2:    lldt ax                         ; not an LDT descriptor
.r2:    EXPECT 13, SEL_DATA32, .f2
        mov ax, 0x0C
        TRY .r3
.f3:    lldt ax                         ; a selector in the LDT itself
.r3:    EXPECT 13, 0x0C, .f3
        xor ax, ax
        lldt ax                         ; null LDTR is fine ...
        mov ax, 0x0C
        TRY .r4
.f4:    mov fs, ax                      ; ... but TI=1 selectors then fault
.r4:    EXPECT 13, 0x0C, .f4
        CHECK_REG es, 0x0C              ; ES keeps its cached descriptor
        CHECK_MEM dword, [es:0x10], 0x1D7D47A
        mov ax, SEL_DATA32
        mov es, ax

; ---------------------------------------------------------------- 16/32-bit code
        TEST '32 -> 16 -> 32 far calls'
        xor ebx, ebx
        xor edx, edx
        mov ebp, esp
        call SEL_CODE16:c16_a           ; 32-bit far call, returns with o32 RETF
        CHECK_REG esp, PM_STACK0
        CHECK_REG ebx, 0x00020002       ; 16-bit PUSH and near CALL: 2 bytes each
        CHECK_REG edx, 0x32323232       ; 16 -> 32 far call worked
        CHECK_REG ecx, 8                ; ... and pushed 8 bytes
        CHECK_REG eax, 0x1234FFFF       ; 16-bit ALU left the upper half alone
        CHECK_REG esi, SCALAR(c16_a_ret) | (SEL_CODE16 << 16)  ; CS:EIP pushed by 16 -> 32
        CHECK_REG cs, SEL_CODE32

        TEST 'o16 far call'
        mov eax, 0
        call word SEL_CODE16:c16_b      ; 16-bit CS:IP pushed, plain RETF
o16ret: CHECK_REG esp, PM_STACK0
        CHECK_REG eax, SCALAR(o16ret) | (SEL_CODE32 << 16)     ; the pushed CS:IP

        TEST 'fault in 16-bit code'
        TRY c16_fault_r
        call SEL_CODE16:c16_c
        CHECK_VAR word, f_cs, SEL_CODE16
        CHECK_REG ax, 0x5555
        CHECK_REG ds, SEL_DATA32
        EXPECT 13, 0, c16_fault_f

        TEST 'segment with a base'
        call SEL_CODE16X:(c16x - pm_entry)    ; offsets relative to 0x7C00
        CHECK_REG eax, c16x - pm_entry        ; the IP it saw
        CHECK_REG cs, SEL_CODE32

; ---------------------------------------------------------------- LAR/LSL/VERR/VERW
        TEST 'lar'
        ; 32-bit LAR: descriptor dword 2 masked by 00FxFF00h; bits 19:16 (limit 19:16)
        ; are not compared (undefined on some processors)
        mov eax, 0xFFFFFFFF
        SET_FLAGS 0
        lar eax, [sel_lar]              ; memory source
        CHECK_FLAGS F_ZF, F_ZF
        and eax, 0xFFF0FFFF
        CHECK_REG eax, 0x00D09300       ; G, D/B, AVL, P DPL0 data RW accessed
        mov bx, SEL_CODE32
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        and eax, 0xFFF0FFFF
        CHECK_REG eax, 0x00C09B00
        lar ax, bx                      ; 16-bit: low word & FF00h
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG ax, 0x9B00
        mov bx, SEL_NP                  ; not present: valid, P=0 in the result
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        and eax, 0xFFF0FEFF             ; (the failed loads may have set A)
        CHECK_REG eax, 0x00C01200
        mov bx, SEL_CGATE               ; call gate: valid
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        and eax, 0xFFF0FFFF
        CHECK_REG eax, 0x00308C00       ; offset 31:16 = 0x1234 masked
        mov bx, SEL_TSSD
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG ah, 0x89
        mov bx, SEL_LDTD
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG ah, 0x82
        ; invalid: interrupt gate, null, beyond the limit, DPL < RPL; ZF=0, dest unchanged
        mov eax, 0x5A5A5A5A
        mov bx, SEL_INTG
        SET_FLAGS F_ZF
        lar eax, bx
        CHECK_FLAGS F_ZF, 0
        CHECK_REG eax, 0x5A5A5A5A
        mov bx, 0
        SET_FLAGS F_ZF
        lar eax, bx
        CHECK_FLAGS F_ZF, 0
        mov bx, SEL_BEYOND
        SET_FLAGS F_ZF
        lar eax, bx
        CHECK_FLAGS F_ZF, 0
        mov bx, SEL_DATA32 | 3
        SET_FLAGS F_ZF
        lar eax, bx
        CHECK_FLAGS F_ZF, 0
        CHECK_REG eax, 0x5A5A5A5A
        mov bx, SEL_CONF | 3            ; conforming code: no DPL check
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        mov bx, SEL_DATA32_3            ; DPL 3
        lar eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        and eax, 0xFFF0FFFF
        CHECK_REG eax, 0x00C0F300

        TEST 'lsl'
        mov bx, SEL_LIM
        lsl eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG eax, 0xFFF
        mov bx, SEL_LIMG                ; G=1: scaled
        lsl eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG eax, 0x1FFF
        mov bx, SEL_DATA32
        lsl eax, bx
        CHECK_REG eax, 0xFFFFFFFF
        mov bx, SEL_ED                  ; expand-down: the limit field, not the bound
        lsl eax, bx
        CHECK_REG eax, 0xFFF
        mov bx, SEL_TSSD                ; TSS and LDT are valid
        lsl eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG eax, 0x67
        mov bx, SEL_LDTD
        lsl eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG eax, 0x0F
        mov bx, SEL_NP
        lsl eax, bx
        CHECK_FLAGS F_ZF, F_ZF
        mov eax, 0x5A5A5A5A
        mov bx, SEL_CGATE               ; gates have no limit: invalid
        SET_FLAGS F_ZF
        lsl eax, bx
        CHECK_FLAGS F_ZF, 0
        CHECK_REG eax, 0x5A5A5A5A
        mov bx, SEL_LIM | 3             ; RPL > DPL
        SET_FLAGS F_ZF
        lsl eax, bx
        CHECK_FLAGS F_ZF, 0
        mov bx, 0
        SET_FLAGS F_ZF
        lsl eax, bx
        CHECK_FLAGS F_ZF, 0
        mov bx, SEL_LIM
        lsl ax, bx                      ; 16-bit form
        CHECK_REG eax, 0x5A5A0FFF

        TEST 'verr/verw'
%macro VER 3            ; instruction, selector, expected ZF
        mov bx, %2
        SET_FLAGS (%3) ^ F_ZF
        %1 bx
        CHECK_FLAGS F_ZF, %3
%endmacro
        VER verr, SEL_DATA32, F_ZF
        VER verw, SEL_DATA32, F_ZF
        VER verr, SEL_RO, F_ZF
        VER verw, SEL_RO, 0
        VER verr, SEL_CODE32, F_ZF
        VER verw, SEL_CODE32, 0
        VER verr, SEL_XO, 0
        VER verr, SEL_DATA32 | 3, 0     ; RPL > DPL
        VER verw, SEL_DATA32 | 3, 0
        VER verr, SEL_DATA32_3, F_ZF
        VER verw, SEL_DATA32_3, F_ZF
        VER verr, SEL_CONF | 3, F_ZF    ; conforming: no privilege check
        VER verr, 0, 0
        VER verw, 0, 0
        VER verr, SEL_BEYOND, 0
        VER verr, SEL_TSSD, 0
        VER verr, SEL_CGATE, 0
        VER verw, SEL_ED, F_ZF
        mov word [sel_lar], SEL_RO      ; memory operand
        SET_FLAGS F_ZF
        verw [sel_lar]
        CHECK_FLAGS F_ZF, 0

        TEST 'arpl'
        mov ax, SEL_DATA32              ; RPL 0 < 3: adjusted, ZF=1
        mov bx, 0xFFFB
        SET_FLAGS 0
        arpl ax, bx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG ax, SEL_DATA32 | 3
        mov ax, SEL_DATA32 | 2          ; RPL 2 >= 1: unchanged, ZF=0
        mov bx, 1
        SET_FLAGS F_ZF
        arpl ax, bx
        CHECK_FLAGS F_ZF, 0
        CHECK_REG ax, SEL_DATA32 | 2
        mov word [sel_lar], 0x0121      ; memory destination
        mov cx, 0x0002
        arpl [sel_lar], cx
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_VAR word, sel_lar, 0x0122

; ---------------------------------------------------------------- back to real mode
        TEST 'back to real mode'
        cli
        mov dword [0x20010], 0
        ; GS keeps the flat 4 GiB descriptor through the switch ("big real
        ; mode"): the SDM asks for 64 KiB segments before clearing PE and leaves
        ; the hidden limit of a register not reloaded unspecified, but every
        ; IA-32 processor keeps it and firmware relies on that
        mov ax, SEL_DATA32
        mov gs, ax
        jmp SEL_CODE16:to_rm16

[bits 16]
to_rm16:                                ; 16-bit protected mode, CPL 0
        mov ax, SEL_DATA16              ; 64 KiB, byte granular, expand-up, writable
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov ss, ax
        mov esp, 0x7C00
        lidt [rm_idtr]
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp 0:in_rm
in_rm:  xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        PRINT16 {"real mode again", 10}
        smsw ax
        test al, 1
        jz .pe0
        FAIL16 "CR0.PE still set"
        jmp .pe1
.pe0:   PASS16
.pe1:   cmp word [sel_lar], 0x0122      ; DS=0 addresses the same memory
        je .m1
        FAIL16 "memory through DS=0"
        jmp .m2
.m1:    PASS16
.m2:    mov ax, 0x2000                  ; real-mode segment arithmetic
        mov es, ax
        mov byte [es:0x10], 0x77
        mov bx, 0x2001
        mov fs, bx
        cmp byte [fs:0], 0x77
        je .s1
        FAIL16 "segment arithmetic"
        jmp .s2
.s1:    PASS16
.s2:
        mov eax, [fs:0]
        cmp eax, 0x77
        je .s3
        FAIL16 "dword through FS"
        jmp .s4
.s3:    PASS16
.s4:    mov ax, 0x1234                  ; the stack works
        push ax
        pop bx
        cmp bx, 0x1234
        je .s5
        FAIL16 "real-mode stack"
        jmp .s6
.s5:    PASS16
.s6:    mov eax, [gs:dword 0x01000000]  ; big real mode: GS limit still 4 GiB
        cmp eax, 0x16161616
        je .s7
        FAIL16 "big real mode through GS"
        jmp .s8
.s7:    PASS16
.s8:    DONE16

; ---------------------------------------------------------------- 16-bit code
; c16_a: called by a 32-bit far call.  EBX <- (near call bytes << 16) | push bytes,
; EDX/ECX from a 16 -> 32 far call, EAX = 0x1234FFFF, ESI = its own return CS:IP
c16_a:
        mov ecx, esp
        push ax                         ; default 16-bit operand: 2 bytes
        sub ecx, esp
        pop ax
        mov bx, cx
        mov ecx, esp
        call .near                      ; 16-bit near call: 2 bytes
        jmp short .n2
.near:  mov edi, esp
        ret
.n2:    sub ecx, edi
        shl ebx, 16
        mov bx, cx
        mov ecx, esp
        call dword SEL_CODE32:f32_b     ; 66 9A: pushes CS and EIP as dwords
c16_a_ret:
        sub ecx, edi                    ; f32_b set EDI = its ESP
        mov eax, 0x1234FF00
        mov ax, 0xFFFF
        o32 retf

c16_b:                                  ; called by an o16 far call
        mov ax, [esp+2]                 ; SS is 32-bit: the stack pointer is ESP
        shl eax, 16
        mov ax, [esp]
        retf

c16_c:                                  ; DS = 64 KiB data: a word at 0xFFFF faults
        mov ax, SEL_DATA16
        mov ds, ax
        mov ax, 0x5555
c16_fault_f:
        mov ax, [0xFFFF]
c16_fault_r:
        mov bx, SEL_DATA32
        mov ds, bx
        o32 retf

c16x:                                   ; runs at CS base 0x7C00
        call .here
.here:  pop ax
        sub ax, .here - c16x
        movzx eax, ax
        o32 retf

[bits 32]
; code run with CS = SEL_CLIM (limit = clim_edge + 2)
clim_f1:
        jmp near clim_beyond            ; past the limit -> #GP(0) at the JMP
clim_r1:
        jmp SEL_CODE32:clim_back1
clim_r2:
        jmp SEL_CODE32:clim_back2
clim_edge:
        mov eax, 0x12345678             ; 5 bytes, only 3 inside the limit
        times 16 nop
clim_beyond:
        jmp SEL_CODE32:clim_back1

f32_b:
        mov edi, esp
        mov esi, [esp+4]                ; pushed CS
        shl esi, 16
        mov si, [esp]                   ; pushed EIP
        mov edx, 0x32323232
        retf

        align 4
xo_data:        dd 0x12345678
sel_lar:        dw SEL_LAR, 0
sgdt_buf:       dd 0, 0
rm_idtr:        dw 0x3FF
                dd 0
