; pm_v86.asm - virtual-8086 mode (Intel SDM vol. 3 ch. 20): a ring-0 monitor
; enters V86 with an IRET whose EFLAGS image has VM=1, the V86 code does
; real-mode segment arithmetic (CS/DS/ES/SS/FS, a far call, a linear address
; above 1 MiB), and the monitor checks the frames of interrupts from V86:
;   IOPL = 3: INT n goes through the IDT (DPL-3 interrupt gate to a DPL-0
;             code segment); CLI/STI/PUSHF/POPF run; I/O still uses the bitmap
;   IOPL < 3: INT n, CLI, STI, PUSHF, POPF, IRET raise #GP(0), which the
;             monitor records and skips
; The frame pushed on the ring-0 stack (TSS.SS0:ESP0) is GS, FS, DS, ES, SS,
; ESP, EFLAGS (VM=1), CS, EIP (and the #GP error code), and DS/ES/FS/GS are
; null in the handler.  IRET from ring 0 with VM=1 in the image returns to V86.

%include "pm.inc"

V86_CS          equ 0x07C0              ; code: CS*16 + IP = the label
V86_DS          equ 0x2000
V86_ES          equ 0x3000
V86_SS          equ 0x4000
V86_SP          equ 0xFFF0
V86_FS          equ 0xFFFF              ; FS:0x10 = linear 0x100000
V86_GS          equ 0x5000
%define V86IP(x) ((x) - pm_entry)      ; offset from CS = 0x07C0
SEL_TSS_V       equ 0x60                ; a task that starts in V86 mode
TSS_V           equ 0x4100
STACK_V0        equ 0x4A000             ; its ring-0 stack (TSS.ESP0)

; ENTER_V86 eip, eflags: IRET into V86 with the segment values above; the V86
; code leaves with INT 0x22 (IOPL 3) or through the #GP monitor (IOPL < 3) and
; execution continues after the macro in ring 0 (DS/ES/FS/GS reloaded)
%macro ENTER_V86 2
        mov dword [v86_cont], %%cont
        mov [v86_r0_esp], esp
        push strict dword V86_GS
        push strict dword V86_FS
        push strict dword V86_DS
        push strict dword V86_ES
        push strict dword V86_SS
        push strict dword V86_SP
        push strict dword F_VM | (%2) | 2
        push strict dword V86_CS
        push strict dword V86IP(%1)
        iretd
%%cont:
%endmacro

        PRINTLN "pm_v86: virtual-8086 mode"
        PM_INIT_TSS
        and byte [PM_IOMAP + 0x80/8], ~(1 << (0x80 & 7)) & 0xFF  ; allow port 0x80
        SET_INTGATE 0x21, v86_int21, 3
        SET_INTGATE 0x22, v86_exit, 3
        SET_INTGATE 0x23, v86_int21, 0  ; DPL 0: #GP from V86 even with IOPL 3
        SET_GATE_AT PM_IDT + 0x24*8, SEL_CODE32_3, v86_int21, D_INTGATE32 | ACC_DPL3, 0
        SET_INTGATE 13, v86_gp, 0
        mov word [0x30020], 0xBEEF

; ---------------------------------------------------------------- IOPL 3
        TEST 'V86 with IOPL 3'
        mov dword [gp_n], 0
        ENTER_V86 v86_code1, F_IOPL3
        push strict dword 2             ; the exit gate kept IOPL 3: reset EFLAGS
        popfd
        CHECK_REG cs, SEL_CODE32
        CHECK_REG esp, PM_STACK0
        ; segment arithmetic done in V86
        CHECK_MEM word, [0x20010], 0x1234       ; DS=0x2000:0x10
        CHECK_MEM word, [0x20012], 0xBEEF       ; read through ES=0x3000:0x20
        CHECK_MEM word, [0x20026], 0x5678       ; pushed and read back at SS:SP
        CHECK_MEM dword, [0x4FFEC], F_IOPL3 | 2 ; PUSHFD image at 0x4000:0xFFEC
        CHECK_MEM word, [0x20014], 0xFFEE       ; SP after the push
        CHECK_MEM word, [0x20016], V86_CS       ; MOV AX, CS
        CHECK_MEM word, [0x100000], 0x0FF1      ; FS=0xFFFF:0x10: above 1 MiB
        CHECK_MEM word, [0x2001A], V86IP(v86_far_ret)  ; far call: pushed IP
        CHECK_MEM word, [0x2001C], V86_CS       ; ... and CS
        CHECK_MEM word, [0x20018], 0x5555       ; AX set by the INT 0x21 handler
        CHECK_MEM dword, [0x20020], F_IOPL3 | 2 ; PUSHFD: VM (and RF) clear in the image
        ; the frame INT 0x21 pushed
        CHECK_VAR dword, i21_esp, PM_KSTACK - 36
        CHECK_VAR dword, i21_frame, V86IP(v86_int21_ret)        ; EIP after INT
        CHECK_VAR dword, i21_frame+4, V86_CS
        CHECK_VARM i21_frame+8, F_VM|F_IOPL|F_IF|F_CF, F_VM|F_IOPL3|F_CF
        CHECK_VAR dword, i21_frame+12, V86_SP
        CHECK_VAR dword, i21_frame+16, V86_SS
        CHECK_VAR dword, i21_frame+20, V86_ES
        CHECK_VAR dword, i21_frame+24, V86_DS
        CHECK_VAR dword, i21_frame+28, V86_FS
        CHECK_VAR dword, i21_frame+32, V86_GS
        CHECK_VAR word, i21_ds, 0       ; data segment registers are null in the handler
        CHECK_VAR word, i21_es, 0
        CHECK_VAR word, i21_fs, 0
        CHECK_VAR word, i21_gs, 0
        CHECK_VAR word, i21_cs, SEL_CODE32
        CHECK_VAR word, i21_ss, SEL_DATA32      ; TSS.SS0
        CHECK_VARM i21_flags, F_VM|F_IF|F_TF, 0
        ; V86 code after the INT ran with the registers the handler returned
        CHECK_MEM word, [0x2001E], 0xA5A5
        ; faults at IOPL 3: I/O to a denied port, a DPL-0 gate, CR access
        CHECK_VAR dword, gp_n, 4
        CHECK_VAR byte, gp_op, 0xE4             ; in al, 0x81: the bitmap still applies
        CHECK_VAR word, gp_ip, V86IP(v86_in81)
        CHECK_VAR dword, gp_err, 0
        CHECK_VAR byte, gp_op+1, 0xCD           ; int 0x23 (gate DPL 0)
        CHECK_VAR dword, gp_err+4, 0x23*8 + 2
        CHECK_VAR byte, gp_op+2, 0xCD           ; int 0x24: handler code not at DPL 0
        CHECK_VAR dword, gp_err+8, SEL_CODE32_3 & 0xFFFC
        CHECK_VAR byte, gp_op+3, 0x0F           ; mov eax, cr0
        CHECK_VAR dword, gp_err+12, 0
        ; the first #GP frame (in al, 0x81)
        CHECK_VAR dword, gp_frame, 0                    ; error code
        CHECK_VAR dword, gp_frame+4, V86IP(v86_in81)    ; a fault: EIP of the IN
        CHECK_VAR dword, gp_frame+8, V86_CS
        CHECK_VARM gp_frame+12, F_VM, F_VM
        CHECK_VAR dword, gp_frame+16, V86_SP
        CHECK_VAR dword, gp_frame+20, V86_SS
        CHECK_VAR dword, gp_frame+24, V86_ES
        CHECK_VAR dword, gp_frame+28, V86_DS
        CHECK_VAR dword, gp_frame+32, V86_FS
        CHECK_VAR dword, gp_frame+36, V86_GS
        CHECK_VAR dword, gp_esp, PM_KSTACK - 40

; ---------------------------------------------------------------- IOPL 0
        TEST 'V86 with IOPL 0'
        mov dword [gp_n], 0
        mov byte [0x20030], 0
        ENTER_V86 v86_code2, 0
        push strict dword 2
        popfd
        CHECK_REG esp, PM_STACK0
%assign i 0
%macro GPLOG 2                          ; opcode, label
        CHECK_VAR byte, gp_op + i, %1
        CHECK_VAR word, gp_ip + i*4, V86IP(%2)
        CHECK_VAR dword, gp_err + i*4, 0
        CHECK_VARM gp_fl + i*4, F_VM|F_IOPL, F_VM
  %assign i i+1
%endmacro
        CHECK_VAR dword, gp_n, 9
        GPLOG 0xCD, v86_g_int
        GPLOG 0xFA, v86_g_cli
        GPLOG 0xFB, v86_g_sti
        GPLOG 0x9C, v86_g_pushf
        GPLOG 0x9D, v86_g_popf
        GPLOG 0xCF, v86_g_iret
        GPLOG 0xE6, v86_g_out
        GPLOG 0x0F, v86_g_cr0
        GPLOG 0xA1, v86_g_limit         ; a word at DS:0xFFFF: past the 64 KiB limit
        CHECK_MEM byte, [0x20030], 0x80 ; OUT 0x80 (allowed) and IN ran without a fault
        CHECK_MEM word, [0x20032], 0x4321       ; the code between the faults ran

; ---------------------------------------------------------------- V86 task
        TEST 'task switch into V86'
        ; a TSS whose EFLAGS image has VM=1: the segment registers are loaded
        ; as real-mode values; INT 0x25 goes to ring 0 on the task's SS0:ESP0
        mov edi, TSS_V
        mov ecx, 0x68/4
        xor eax, eax
        rep stosd
        mov dword [TSS_V + 0x04], STACK_V0
        mov dword [TSS_V + 0x08], SEL_DATA32
        mov dword [TSS_V + 0x20], V86IP(v86_task)
        mov dword [TSS_V + 0x24], F_VM | F_IOPL3 | 2
        mov dword [TSS_V + 0x28], 0x1234ABCD            ; EAX
        mov dword [TSS_V + 0x38], 0xFF00                ; ESP
        mov dword [TSS_V + 0x48], V86_ES
        mov dword [TSS_V + 0x4C], V86_CS
        mov dword [TSS_V + 0x50], V86_SS
        mov dword [TSS_V + 0x54], V86_DS
        mov dword [TSS_V + 0x58], V86_FS
        mov dword [TSS_V + 0x5C], V86_GS
        mov word [TSS_V + 0x66], 0x68
        SET_DESC SEL_TSS_V, TSS_V, 0x67, D_TSS32, 0
        SET_INTGATE 0x25, v86_task_int, 3
        mov word [0x20040], 0
        jmp SEL_TSS_V:0
        clts
        CHECK_MEM word, [0x20040], 0xABCD       ; AX from the TSS, DS = 0x2000
        CHECK_MEM word, [0x20042], 0x1234
        CHECK_MEM word, [0x20044], V86_CS       ; CS loaded as a real-mode value
        CHECK_VAR dword, vt_esp, STACK_V0 - 36  ; the V86 frame on TSS_V's SS0:ESP0
        CHECK_VAR dword, vt_frame, V86IP(v86_task_int_ret)
        CHECK_VAR dword, vt_frame+4, V86_CS
        CHECK_VARM vt_frame+8, F_VM|F_IOPL, F_VM|F_IOPL3
        CHECK_VAR dword, vt_frame+12, 0xFF00
        CHECK_VAR dword, vt_frame+16, V86_SS
        CHECK_VAR dword, vt_frame+24, V86_DS
        CHECK_VAR word, vt_tr, SEL_TSS_V
        str ax
        CHECK_REG ax, SEL_TSS
        CHECK_REG cs, SEL_CODE32

        DONE

; ---------------------------------------------------------------- V86 code
[bits 16]
v86_code1:                              ; IOPL 3
        mov word [0x10], 0x1234         ; DS = 0x2000
        mov ax, [es:0x20]               ; ES = 0x3000
        mov [0x12], ax
        push word 0x5678                ; SS:SP = 0x4000:0xFFEE
        mov [0x14], sp
        mov bx, sp
        mov ax, [ss:bx]
        mov [0x26], ax
        pop ax
        mov ax, cs
        mov [0x16], ax
        mov word [fs:0x10], 0x0FF1      ; 0xFFFF0 + 0x10 = 0x100000
        call V86_CS:V86IP(v86_far)      ; real-mode far call
v86_far_ret:
        pushfd
        pop dword [0x20]
        mov ax, 0xAAAA
        stc
        int 0x21                        ; IOPL 3: through the DPL-3 gate
v86_int21_ret:
        mov [0x18], ax
        mov word [0x1E], 0xA5A5
        cli                             ; allowed at IOPL 3
        sti
        cli
v86_in81:
        in al, 0x81                     ; denied by the bitmap -> #GP(0)
        int 0x23                        ; gate DPL 0 -> #GP(0x23*8+2)
        int 0x24                        ; gate to ring-3 code -> #GP(code selector)
        mov eax, cr0                    ; privileged -> #GP(0)
        int 0x22                        ; back to the monitor

v86_far:                                ; [sp] = IP, [sp+2] = CS
        mov bp, sp
        mov ax, [bp]
        mov [0x1A], ax
        mov ax, [bp+2]
        mov [0x1C], ax
        retf

v86_task:                               ; first instruction of the V86 task
        mov [0x40], ax
        shr eax, 16
        mov [0x42], ax
        mov ax, cs
        mov [0x44], ax
        int 0x25
v86_task_int_ret:
        jmp $

v86_code2:                              ; IOPL 0: each of these -> #GP(0)
v86_g_int:
        int 0x21
v86_g_cli:
        cli
v86_g_sti:
        sti
v86_g_pushf:
        pushf
v86_g_popf:
        popf
v86_g_iret:
        iret
        mov al, 0x80
        out 0x80, al                    ; allowed by the bitmap, whatever IOPL
        in al, 0x80
        mov byte [0x30], 0x80
v86_g_out:
        out 0x81, al
v86_g_cr0:
        mov eax, cr0
        mov word [0x32], 0x4321
v86_g_limit:
        mov ax, [0xFFFF]
        int 0x22                        ; -> #GP: the monitor sees CD 22 and leaves

[bits 32]
; ---------------------------------------------------------------- monitor
; INT 0x21 from V86: records ESP, the 9-dword frame, the segment registers and
; EFLAGS in the handler; returns AX = 0x5555
v86_int21:
        mov [ss:i21_esp], esp
        mov [ss:i21_ds], ds
        mov [ss:i21_es], es
        mov [ss:i21_fs], fs
        mov [ss:i21_gs], gs
        mov [ss:i21_cs], cs
        mov [ss:i21_ss], ss
        push eax
        pushfd
        pop eax
        mov [ss:i21_flags], eax
        push esi
        push edi
        push ecx
        lea esi, [esp+16]
        mov edi, i21_frame
        mov ecx, 9
.cp:    mov eax, [ss:esi]
        mov [ss:edi], eax
        add esi, 4
        add edi, 4
        loop .cp
        pop ecx
        pop edi
        pop esi
        pop eax
        mov ax, 0x5555
        iretd

; #GP from V86: log the opcode, IP, error code and EFLAGS, skip the instruction
; (CD 22 = leave V86)
v86_gp:
        push eax
        push ebx
        push ds
        mov ax, SEL_DATA32
        mov ds, ax
        ; [esp+12] = error, +16 EIP, +20 CS, +24 EFLAGS, +28 ESP, +32 SS, ES, DS, FS, GS
        test dword [esp+24], F_VM
        jz .notv86
        movzx ebx, word [esp+20]
        shl ebx, 4
        add ebx, [esp+16]
        cmp word [ebx], 0x22CD
        je .leave
        movzx eax, byte [ebx]
        mov ebx, [gp_n]
        cmp ebx, 16
        jae .full
        mov [gp_op + ebx], al
        push eax
        mov eax, [esp+4+12]
        mov [gp_err + ebx*4], eax
        mov eax, [esp+4+16]
        mov [gp_ip + ebx*4], eax
        mov eax, [esp+4+24]
        mov [gp_fl + ebx*4], eax
        pop eax
        test ebx, ebx
        jnz .full
        push esi                        ; the first frame, whole
        push edi
        push ecx
        lea esi, [esp+12+12]
        mov edi, gp_frame
        mov ecx, 10
.cp:    mov ebx, [ss:esi]
        mov [edi], ebx
        add esi, 4
        add edi, 4
        loop .cp
        lea ebx, [esp+12+12]
        mov [gp_esp], ebx
        pop ecx
        pop edi
        pop esi
.full:  inc dword [gp_n]
        mov ebx, 2                      ; length: CD/E4/E6 ib = 2, A1 iw / 0F 20 C0 = 3
        cmp al, 0xCD
        je .len
        cmp al, 0xE4
        je .len
        cmp al, 0xE6
        je .len
        mov ebx, 3
        cmp al, 0xA1
        je .len
        cmp al, 0x0F
        je .len
        mov ebx, 1
.len:   add [esp+16], ebx
        pop ds
        pop ebx
        pop eax
        add esp, 4
        iretd
.leave: pop ds
        pop ebx
        pop eax
        jmp v86_exit
.notv86:
        pop ds
        pop ebx
        pop eax
        jmp pm_stubs + 13*16            ; not from V86: the recording stub

; INT 0x25 in the V86 task: record, then JMP back to the main task
v86_task_int:
        mov [ss:vt_esp], esp
        push esi
        push edi
        push ecx
        lea esi, [esp+12]
        mov edi, vt_frame
        mov ecx, 9
.cp:    mov eax, [ss:esi]
        mov [ss:edi], eax
        add esi, 4
        add edi, 4
        loop .cp
        str ax
        mov [ss:vt_tr], ax
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        jmp SEL_TSS:0

; INT 0x22 (or CD 22 seen by the #GP monitor): leave V86 for good
v86_exit:
        mov ax, SEL_DATA32
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov esp, [v86_r0_esp]
        jmp [v86_cont]

        align 4
v86_cont:       dd 0
v86_r0_esp:     dd 0
i21_esp:        dd 0
i21_ds:         dd 0xFFFF
i21_es:         dd 0xFFFF
i21_fs:         dd 0xFFFF
i21_gs:         dd 0xFFFF
i21_cs:         dd 0
i21_ss:         dd 0
i21_flags:      dd 0
i21_frame:      times 9 dd 0
vt_esp:         dd 0
vt_tr:          dd 0
vt_frame:       times 9 dd 0
gp_n:           dd 0
gp_esp:         dd 0
gp_frame:       times 10 dd 0
gp_err:         times 16 dd 0
gp_ip:          times 16 dd 0
gp_fl:          times 16 dd 0
gp_op:          times 16 db 0
