; lm_basic.asm - IA-32e (long) mode: entering it, 64-bit instructions, the
; 64-bit IDT and IRETQ, IST stacks, canonical-address faults, SYSCALL/SYSRET,
; SWAPGS and the FS/GS base MSRs, compatibility mode, 1 GiB pages and NX.
; SDM vol. 3 ch. 2, 4, 5, 6 (§6.14) and vol. 2.
;
; Flat binary at 0x7C00 (ringzero --flat), real mode. Reports as the other guest
; programs do: "FAIL: <test> ..." lines and "ALL TESTS PASSED (N checks)" on
; port 0xE9, and 1 to port 0xF4 (isa-debug-exit) on failure.
;
; Memory: page tables 0x10000-0x13FFF, GDT 0x14000, TSS 0x15000, IDT 0x16000
; (4 KiB), stacks: ring 0 0x80000, IST1 0x90000, ring 3 0x70000.

[bits 16]
[org 0x7C00]

PML4    equ 0x10000
PDPT    equ 0x11000
PD      equ 0x12000
PT_NX   equ 0x13000          ; a page table for the NX test (maps 0x200000-0x3FFFFF)
GDT     equ 0x14000
TSS     equ 0x15000
IDT     equ 0x16000

SEL_CODE64   equ 0x08
SEL_DATA     equ 0x10
SEL_CODE32   equ 0x18          ; compatibility-mode code, DPL 0
; SYSRET: STAR[63:48] = 0x20 -> CS 32-bit user 0x23, SS 0x2B, CS 64-bit 0x33
SEL_UCODE32  equ 0x23
SEL_UDATA    equ 0x2B
SEL_UCODE64  equ 0x33
SEL_TSS      equ 0x38          ; 16-byte descriptor

start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        ; page tables: clear 0x10000-0x13FFF
        mov ax, 0x1000
        mov es, ax
        xor di, di
        xor eax, eax
        mov cx, 0x4000 / 4
        rep stosd
        ; PML4[0] and PML4[511] -> PDPT
        mov dword [es:0x0000], PDPT | 7
        mov dword [es:0x0FF8], PDPT | 7
        ; PDPT[0] -> PD (first GiB in 2 MiB pages), PDPT[1]: a 1 GiB page -> phys 0
        mov dword [es:0x1000], PD | 7
        mov dword [es:0x1008], 0x00000087
        ; PD: 512 x 2 MiB identity pages (user, writable); PD[1] -> PT_NX
        xor di, di
        mov eax, 0x00000087
        mov bx, 0x2000
.pd:    mov [es:bx], eax
        mov dword [es:bx+4], 0
        add eax, 0x200000
        add bx, 8
        cmp bx, 0x3000
        jne .pd
        mov dword [es:0x2008], PT_NX | 7
        ; PT_NX: 4 KiB pages for 0x200000-0x3FFFFF; the first one is NX (bit 63)
        mov eax, 0x200007
        mov bx, 0x3000
.pt:    mov [es:bx], eax
        mov dword [es:bx+4], 0
        add eax, 0x1000
        add bx, 8
        cmp bx, 0x4000
        jne .pt
        mov dword [es:0x3004], 0x80000000
        ; GDT
        mov ax, GDT >> 4
        mov es, ax
        mov si, gdt_template
        xor di, di
        mov cx, gdt_template_end - gdt_template
        rep movsb
        ; into long mode: PAE, CR3, EFER.LME|SCE|NXE, then PE and PG together
        lgdt [gdtr]
        mov eax, cr4
        or eax, 0x20
        mov cr4, eax
        mov eax, PML4
        mov cr3, eax
        mov ecx, 0xC0000080
        rdmsr
        or eax, 0x901
        wrmsr
        mov eax, cr0
        or eax, 0x80000001
        mov cr0, eax
        jmp SEL_CODE64:long_entry

gdtr:   dw 0xFF
        dd GDT

align 8
gdt_template:
        dq 0
        dq 0x00AF9A000000FFFF       ; 0x08 64-bit code, DPL 0
        dq 0x00CF92000000FFFF       ; 0x10 data, DPL 0
        dq 0x00CF9A000000FFFF       ; 0x18 32-bit code, DPL 0
        dq 0x00CFFA000000FFFF       ; 0x20 32-bit code, DPL 3
        dq 0x00CFF2000000FFFF       ; 0x28 data, DPL 3
        dq 0x00AFFA000000FFFF       ; 0x30 64-bit code, DPL 3
        dq 0x0000890000000067 | (TSS << 16)   ; 0x38 64-bit TSS (base below 16 MiB)
        dq 0                        ; its upper half: base 63:32 = 0
gdt_template_end:

; ------------------------------------------------------------------ 64-bit part
[bits 64]

%macro TEST 1
        mov qword [rel cur_test], %%name
        jmp %%go
%%name: db %1, 0
%%go:
%endmacro

; CHECK value-expression (r/m64 or register), expected imm64
%macro CHECK 2
        push rax
        push rbx
        mov rax, %1
        mov rbx, %2
        call check_eq
        pop rbx
        pop rax
%endmacro

; TRY label: the next exception records itself and resumes at label
%macro TRY 1
        lea rax, [rel %1]
        mov [rel resume_rip], rax
        mov qword [rel f_vec], -1
%endmacro

%macro PASS_NOW 0
        inc qword [rel checks]
%endmacro
%macro FAIL_NOW 0
        push rax
        push rbx
        mov rax, 1
        mov rbx, 0
        call check_eq
        pop rbx
        pop rax
%endmacro

long_entry:
        mov ax, SEL_DATA
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov rsp, 0x80000
        ; IDT: 32 exception stubs, vector 0x80 (DPL 3 trap gate), all interrupt gates
        xor ecx, ecx
.idt:   lea rax, [rel stubs]
        imul rdx, rcx, stub_size
        add rax, rdx
        mov rdi, rcx
        shl rdi, 4
        add rdi, IDT
        mov word [rdi], ax
        mov word [rdi+2], SEL_CODE64
        mov word [rdi+4], 0x8E00
        shr rax, 16
        mov word [rdi+6], ax
        shr rax, 16
        mov dword [rdi+8], eax
        mov dword [rdi+12], 0
        inc ecx
        cmp ecx, 32
        jne .idt
        ; #DF (8) and #NP(11) use IST1
        mov byte [IDT + 8*16 + 4], 1
        mov byte [IDT + 11*16 + 4], 1
        ; vector 0x80: trap gate, DPL 3
        lea rax, [rel int80_handler]
        mov rdi, IDT + 0x80*16
        mov word [rdi], ax
        mov word [rdi+2], SEL_CODE64
        mov word [rdi+4], 0xEF00
        shr rax, 16
        mov word [rdi+6], ax
        shr rax, 16
        mov dword [rdi+8], eax
        mov dword [rdi+12], 0
        lidt [rel idtr]
        ; TSS: RSP0 and IST1
        mov qword [TSS + 4], 0x80000
        mov qword [TSS + 0x24], 0x90000
        mov word [TSS + 0x66], 0x68
        mov ax, SEL_TSS
        ltr ax

        TEST 'long mode active'
        mov ecx, 0xC0000080
        rdmsr
        and eax, 0x500
        CHECK rax, 0x500
        mov eax, 0x80000001
        cpuid
        bt edx, 29
        setc al
        movzx eax, al
        CHECK rax, 1

        TEST 'registers'
        mov rax, 0x123456789ABCDEF0
        mov r8, rax
        CHECK r8, 0x123456789ABCDEF0
        mov r15d, 0xFFFFFFFF
        mov r15, -1
        mov r15d, 5                   ; 32-bit writes zero-extend
        CHECK r15, 5
        mov rax, -1
        mov ax, 0x1234                ; 16-bit writes do not
        CHECK rax, 0xFFFFFFFFFFFF1234
        mov rsi, 0x1111111111111111
        mov sil, 0x22                 ; SIL needs REX
        CHECK rsi, 0x1111111111111122
        mov r9, 0
        mov r9b, 0xFF
        CHECK r9, 0xFF
        mov eax, 0x80000000
        cdqe
        CHECK rax, 0xFFFFFFFF80000000
        cqo
        CHECK rdx, -1
        mov ecx, -2
        movsxd rbx, ecx
        CHECK rbx, -2
        mov r8, 7
        mov rax, 9
        xchg rax, r8                  ; 49 90 with REX.B is XCHG r8, rax
        CHECK rax, 7
        CHECK r8, 9
        mov rax, 0xDEADBEEF00000000
        nop                           ; 90 is NOP: no zero-extension
        CHECK rax, 0xDEADBEEF00000000

        TEST 'arithmetic'
        mov rax, 0x7FFFFFFFFFFFFFFF
        add rax, 1
        pushfq
        pop rbx
        and ebx, 0x8C5
        CHECK rbx, 0x884              ; OF SF PF
        mov rax, 0x100000000
        mov rcx, 0x300000000
        mul rcx
        CHECK rdx, 3
        CHECK rax, 0
        mov rdx, 1
        mov rax, 0
        mov rcx, 0x10
        div rcx
        CHECK rax, 0x1000000000000000
        mov rax, -5
        mov rcx, 3
        imul rax, rcx
        CHECK rax, -15
        mov rax, 1
        shl rax, 63
        CHECK rax, 0x8000000000000000
        sar rax, 62
        CHECK rax, -2
        mov rax, 0x0102030405060708
        bswap rax
        CHECK rax, 0x0807060504030201
        mov rax, 1
        mov rcx, 40
        bts rax, rcx
        CHECK rax, 0x10000000001
        mov eax, 1
        mov ecx, 0
        cmp ecx, 1
        cmove rax, rcx                ; not taken
        CHECK rax, 1
        mov rax, -1
        mov ecx, 2
        cmp ecx, 1
        cmove eax, ecx                ; not taken, but a 32-bit CMOV still zero-extends
        CHECK rax, 0xFFFFFFFF

        TEST 'rip-relative and stack'
        mov rax, [rel qword_value]
        CHECK rax, 0x0123456789ABCDEF
        lea rbx, [rel qword_value]
        mov rcx, rbx
        CHECK rcx, qword_value
        mov rbx, rsp
        push qword -1
        mov rcx, rbx
        sub rcx, rsp
        CHECK rcx, 8
        pop rax
        CHECK rax, -1
        push word 0x1234              ; 66 6A/68: a 16-bit push
        mov rcx, rbx
        sub rcx, rsp
        CHECK rcx, 2
        pop ax
        call .near
        jmp .after_near
.near:  mov rcx, rbx
        sub rcx, rsp
        CHECK rcx, 8                  ; CALL pushes 8 bytes
        ret
.after_near:
        db 0x66
        jmp short .f64                ; 66 EB: still a 64-bit branch (Intel)
        FAIL_NOW
.f64:   PASS_NOW
        mov rcx, 3
        xor eax, eax
.loop:  inc eax
        loop .loop
        CHECK rax, 3

        TEST 'strings'
        lea rsi, [rel qword_value]
        mov rdi, 0x60000
        mov rcx, 1
        rep movsq
        mov rax, [0x60000]
        CHECK rax, 0x0123456789ABCDEF
        CHECK rcx, 0

        TEST 'cmpxchg16b'
        mov qword [0x60000], 1
        mov qword [0x60008], 2
        mov rax, 1
        mov rdx, 2
        mov rbx, 3
        mov rcx, 4
        cmpxchg16b [0x60000]
        setz al
        movzx eax, al
        CHECK rax, 1
        CHECK qword [0x60008], 4

        TEST 'interrupt gate and iretq'
        mov r12, rsp
        int 0x80
        CHECK rax, 0x80
        CHECK rbx, SEL_CODE64
        mov r13, rsp
        CHECK r13, r12

        TEST 'exceptions'
        TRY .r1
.f1:    ud2
.r1:    CHECK qword [rel f_vec], 6
        lea rax, [rel .f1]
        CHECK qword [rel f_rip], rax
        TRY .r2
        mov rax, 0x0000800000000000   ; non-canonical
.f2:    mov rbx, [rax]
.r2:    CHECK qword [rel f_vec], 13
        CHECK qword [rel f_err], 0
        TRY .r3
        mov rax, 0x40000000 * 3       ; not mapped (PDPT[3])
.f3:    mov rbx, [rax]
.r3:    CHECK qword [rel f_vec], 14
        CHECK qword [rel f_err], 0
        mov rax, cr2
        CHECK rax, 0xC0000000
        ; the stub saved RSP at entry: 16-byte aligned frame
        mov rax, [rel f_rsp]
        and eax, 15
        CHECK rax, 0
        ; a non-canonical jump faults with RIP at the jump
        TRY .r4
        mov rax, 0x8000000000000000
.f4:    jmp rax
.r4:    CHECK qword [rel f_vec], 13
        lea rax, [rel .f4]
        CHECK qword [rel f_rip], rax

        TEST 'IST stack'
        ; #NP (11) through IST1: load a not-present data descriptor
        mov rax, 0x00CF12000000FFFF   ; data, P=0
        mov [GDT + 0x48], rax
        TRY .r5
        mov ax, 0x48
.f5:    mov ds, ax
.r5:    CHECK qword [rel f_vec], 11
        CHECK qword [rel f_err], 0x48
        mov rax, [rel f_rsp]
        CHECK rax, 0x90000            ; the frame is at the top of the IST1 stack
        mov ax, SEL_DATA
        mov ds, ax

        TEST '1 GiB page and high half'
        mov rax, [0x40000000 + qword_value]
        CHECK rax, 0x0123456789ABCDEF
        mov rbx, 0xFFFFFF8000000000
        mov rax, [rbx + qword_value]
        CHECK rax, 0x0123456789ABCDEF

        TEST 'no-execute'
        mov byte [0x200000], 0xC3     ; ret, in the NX page
        TRY .r6
        mov rax, 0x200000
.f6:    call rax
.r6:    add rsp, 8                    ; the CALL itself completed: its return address is on the stack
        CHECK qword [rel f_vec], 14
        CHECK qword [rel f_err], 0x11 ; present, instruction fetch
        mov byte [0x201000], 0xC3     ; the next page is executable
        mov rax, 0x201000
        call rax
        PASS_NOW

        TEST 'fs/gs base and swapgs'
        mov ecx, 0xC0000100
        mov eax, 0x60000
        xor edx, edx
        wrmsr
        mov qword [0x60010], 0x5555
        mov rax, [fs:0x10]
        CHECK rax, 0x5555
        mov ecx, 0xC0000102           ; KERNEL_GS_BASE
        mov eax, 0x60000
        wrmsr
        mov ecx, 0xC0000101
        xor eax, eax
        wrmsr
        swapgs
        mov rax, [gs:0x10]
        CHECK rax, 0x5555
        swapgs
        mov ecx, 0xC0000101
        rdmsr
        CHECK rax, 0
        TRY .r7
        mov ecx, 0xC0000100
        mov edx, 0x8000               ; non-canonical base: #GP
.f7:    wrmsr
.r7:    CHECK qword [rel f_vec], 13

        TEST 'syscall and sysret'
        mov ecx, 0xC0000081           ; STAR: SYSCALL CS 0x08, SYSRET base 0x20
        mov eax, 0
        mov edx, 0x00200008
        wrmsr
        mov ecx, 0xC0000082           ; LSTAR
        lea rax, [rel syscall_entry]
        mov rdx, rax
        shr rdx, 32
        wrmsr
        mov ecx, 0xC0000084           ; FMASK: clear IF, TF, DF
        mov eax, 0x700
        xor edx, edx
        wrmsr
        mov [rel kernel_rsp], rsp
        ; to ring 3 with SYSRET (64-bit)
        lea rcx, [rel user_code]
        mov r11, 0x202
        o64 sysret
user_return:
        ; back at CPL 0 through SYSCALL; RSP restored by the entry code
        CHECK qword [rel user_cpl], 3
        CHECK qword [rel syscall_r11_if], 0x200
        mov ax, cs
        CHECK rax, SEL_CODE64
        mov ax, ss
        CHECK rax, SEL_DATA

        TEST 'compatibility mode'
        ; REX.W RETF into 32-bit code, which comes back with a far JMP ptr16:32
        mov qword [rel compat_result], 0
        push qword SEL_CODE32
        lea rax, [rel compat_code]
        push rax
        o64 retf
compat_back:
        CHECK qword [rel compat_result], 0x32
        ; and a far call through an m16:64 pointer to 64-bit code, back with REX.W RETF
        lea rax, [rel far_target]
        mov [rel far_ptr], rax
        mov word [rel far_ptr + 8], SEL_CODE64
        mov rbx, rsp
        call far [rel far_ptr]        ; REX.W FF /3
        CHECK rax, 0x64
        mov r13, rsp
        CHECK r13, rbx
        mov ax, cs
        CHECK rax, SEL_CODE64

        ; ------------------------------------------------------------ done
        cmp qword [rel failures], 0
        jne .bad
        mov rsi, msg_all_passed
        call print
        mov rax, [rel checks]
        call print_dec
        mov rsi, msg_checks_end
        call print
        jmp .end
.bad:   mov rsi, msg_failed
        call print
        mov rax, [rel failures]
        call print_dec
        mov rsi, msg_of
        call print
        mov rax, [rel checks]
        call print_dec
        mov rsi, msg_checks_end
        call print
        mov al, 1
        out 0xF4, al
.end:   cli
        hlt
        jmp .end

; ---- ring 3 and syscall
user_code:
        mov ax, cs
        and eax, 3
        mov [rel user_cpl], rax
        syscall
        ud2
syscall_entry:
        ; CPL 0, 64-bit CS from STAR; R11 holds the user RFLAGS (IF was set)
        mov rax, r11
        and eax, 0x200
        mov [rel syscall_r11_if], rax
        mov rsp, [rel kernel_rsp]
        jmp user_return

; ---- interrupt 0x80: returns its vector in RAX and the pushed CS in RBX
int80_handler:
        mov rax, 0x80
        mov rbx, [rsp + 8]
        iretq

; ---- compatibility-mode code (32-bit)
[bits 32]
compat_code:
        mov eax, 0x32
        mov [compat_result], eax      ; absolute 32-bit address (below 4 GiB)
        jmp SEL_CODE64:compat_back
[bits 64]
far_target:
        mov rcx, rbx
        sub rcx, rsp
        mov rax, 0x64
        cmp rcx, 16                   ; CS and RIP pushed as 8-byte slots
        je .ok
        xor eax, eax
.ok:    o64 retf

; ---- exception stubs: push a dummy error code where the CPU pushes none
%macro STUB 1
%%s:
%if (%1 = 8) || (%1 = 10) || (%1 = 11) || (%1 = 12) || (%1 = 13) || (%1 = 14) || (%1 = 17)
        nop
        nop
%else
        push qword 0
%endif
        push qword %1
        jmp exc_common
        times (stub_size - ($ - %%s)) nop
%endmacro
stub_size equ 16
align 16
stubs:
%assign v 0
%rep 32
        STUB v
%assign v v+1
%endrep

exc_common:
        ; [rsp] vector, [rsp+8] error code, [rsp+16] RIP, +24 CS, +32 RFLAGS, +40 RSP, +48 SS
        push rax
        lea rax, [rsp + 24 + 40]      ; the top of the CPU's frame (RSP aligned to 16 before its pushes)
        mov [rel f_rsp], rax
        mov rax, [rsp + 8]
        cmp qword [rel f_vec], -1
        jne .unexpected
        mov [rel f_vec], rax
        mov rax, [rsp + 16]
        mov [rel f_err], rax
        mov rax, [rsp + 24]
        mov [rel f_rip], rax
        mov rax, [rel resume_rip]
        mov [rsp + 24], rax           ; resume there
        pop rax
        add rsp, 16
        iretq
.unexpected:
        mov rsi, msg_unexpected
        call print
        mov rax, [rsp + 8]
        call print_hex
        mov rsi, msg_at
        call print
        mov rax, [rsp + 24]
        call print_hex
        mov rsi, msg_nl
        call print
        mov al, 1
        out 0xF4, al
        cli
        hlt

; ---- reporting
check_eq:
        inc qword [rel checks]
        cmp rax, rbx
        je .ok
        inc qword [rel failures]
        push rsi
        push rax
        mov rsi, msg_fail
        call print
        mov rsi, [rel cur_test]
        call print
        mov rsi, msg_expected
        call print
        mov rax, rbx
        call print_hex
        mov rsi, msg_got
        call print
        pop rax
        push rax
        call print_hex
        mov rsi, msg_nl
        call print
        pop rax
        pop rsi
.ok:    ret

print:                                ; RSI: NUL-terminated string
        push rax
.l:     lodsb
        test al, al
        jz .e
        out 0xE9, al
        jmp .l
.e:     pop rax
        ret

print_hex:                            ; RAX
        push rcx
        push rdx
        mov rcx, 16
.l:     rol rax, 4
        mov dl, al
        and dl, 15
        add dl, '0'
        cmp dl, '9'
        jbe .d
        add dl, 7
.d:     push rax
        mov al, dl
        out 0xE9, al
        pop rax
        loop .l
        pop rdx
        pop rcx
        ret

print_dec:                            ; RAX
        push rbx
        push rcx
        push rdx
        mov rbx, 10
        xor ecx, ecx
.d:     xor edx, edx
        div rbx
        push rdx
        inc ecx
        test rax, rax
        jnz .d
.p:     pop rax
        add al, '0'
        out 0xE9, al
        loop .p
        pop rdx
        pop rcx
        pop rbx
        ret

align 8
qword_value:    dq 0x0123456789ABCDEF
idtr:           dw 256*16 - 1
                dq IDT
cur_test:       dq 0
checks:         dq 0
failures:       dq 0
resume_rip:     dq 0
f_vec:          dq -1
f_err:          dq 0
f_rip:          dq 0
f_rsp:          dq 0
kernel_rsp:     dq 0
user_cpl:       dq 0
syscall_r11_if: dq 0
compat_result:  dq 0
far_ptr:        dq 0, 0
msg_fail:       db 'FAIL: ', 0
msg_expected:   db ' expected 0x', 0
msg_got:        db ' got 0x', 0
msg_nl:         db 10, 0
msg_unexpected: db 'FAIL: unexpected exception 0x', 0
msg_at:         db ' at 0x', 0
msg_all_passed: db 'ALL TESTS PASSED (', 0
msg_checks_end: db ' checks)', 10, 0
msg_failed:     db 'FAILED ', 0
msg_of:         db ' checks (of ', 0
