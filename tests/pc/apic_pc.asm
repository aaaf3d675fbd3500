; The PC board's local APIC and IOAPIC, end to end, booted by SeaBIOS from a
; floppy: the boot sector loads the rest, switches to 32-bit protected mode,
; masks both 8259s and checks
;   - CPUID (APIC, TSC-deadline) and IA32_APIC_BASE (0xFEE00000, enabled, BSP),
;   - SeaBIOS's MP table: one enabled CPU with our APIC version, the IOAPIC at
;     0xFEC00000, ISA IRQ 0 routed to IOAPIC input 2,
;   - the APIC timer in periodic mode: 10 interrupts of 100 us each, on time
;     by the TSC (1 GHz APIC bus clock, divide by 1; the TSC counts 100 MHz),
;   - the PIT (ISA IRQ 0) through IOAPIC input 2 to the local APIC,
;   - TSC-deadline interrupts (the MSR cleared after one; on time while busy), a self-IPI,
;   - moving the APIC with IA32_APIC_BASE, and disabling it there.
; Reports "APIC PC TESTS PASSED" or "APIC FAIL: <what>" on port 0xE9, then halts.
bits 16
org 0x7C00
SECTORS equ 7                           ; sectors after the boot sector (one 160K track)
LAPIC   equ 0xFEE00000
IOAPIC  equ 0xFEC00000
IDT     equ 0x2000

boot:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        mov ax, 0x0200 | SECTORS        ; read sectors 2.. of track 0 (DL: boot drive)
        mov bx, 0x7E00
        mov cx, 0x0002
        xor dh, dh
        int 0x13
        jc .load_fail
        lgdt [gdt_desc]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x08:pm_entry
.load_fail:
        mov si, load_msg
.print: lodsb
        test al, al
        jz .halt
        out 0xE9, al
        jmp .print
.halt:  cli
        hlt
        jmp .halt
load_msg: db "APIC FAIL: cannot load the program", 10, 0
align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF           ; 0x08: flat 32-bit code
        dq 0x00CF92000000FFFF           ; 0x10: flat data
gdt_desc:
        dw gdt_desc - gdt - 1
        dd gdt
        times 510 - ($ - $$) db 0
        dw 0xAA55

; ---------------------------------------------------------------------------
bits 32
%macro EXPECT 2                         ; jcc-when-wrong, message label
        %1 %%bad
        jmp %%ok
%%bad:  mov esi, %2
        jmp fail
%%ok:
%endmacro

pm_entry:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov fs, ax
        mov gs, ax
        mov ss, ax
        mov esp, 0x7000
        mov al, 0xFF                    ; 8259s masked: only the APICs deliver
        out 0x21, al
        out 0xA1, al
        call build_idt
        lidt [idt_desc]

        ; CPUID and the APIC base MSR
        mov eax, 1
        cpuid
        bt edx, 9
        EXPECT jnc, f_cpuid_apic
        bt ecx, 24
        EXPECT jnc, f_cpuid_deadline
        mov ecx, 0x1B
        rdmsr
        cmp eax, 0xFEE00900
        EXPECT jne, f_apic_base
        mov eax, [LAPIC + 0x30]
        cmp eax, 0x00050014
        EXPECT jne, f_version
        mov dword [IOAPIC], 1
        cmp dword [IOAPIC + 0x10], 0x00170011
        EXPECT jne, f_ioapic_version

        call check_mptable

        ; software-enable the local APIC, spurious vector 0xFF
        mov dword [LAPIC + 0xF0], 0x1FF
        mov dword [LAPIC + 0x80], 0

        ; periodic timer: 100000 counts at 1 GHz / 1 = 100 us
        mov dword [LAPIC + 0x3E0], 0xB
        mov dword [LAPIC + 0x320], 0x20040
        rdtsc
        mov [t0], eax
        mov dword [LAPIC + 0x380], 100000
        sti
.wait_timer:
        hlt
        cmp dword [timer_count], 10
        jb .wait_timer
        cli
        rdtsc
        sub eax, [t0]
        mov [elapsed], eax
        cmp eax, 100000                 ; 1 ms = 100000 TSC ticks
        EXPECT jb, f_timer_early
        cmp eax, 100500
        EXPECT ja, f_timer_late
        mov dword [LAPIC + 0x320], 0x10040
        mov dword [LAPIC + 0x380], 0
        mov eax, [LAPIC + 0x390]
        test eax, eax
        EXPECT jnz, f_timer_stop

        ; the PIT at ~1 kHz through IOAPIC input 2 (edge, active high) to vector 0x30
        mov al, 0x34
        out 0x43, al
        mov ax, 1193
        out 0x40, al
        mov al, ah
        out 0x40, al
        mov dword [IOAPIC], 0x15        ; entry 2, high dword: destination APIC 0
        mov dword [IOAPIC + 0x10], 0
        mov dword [IOAPIC], 0x14        ; low dword: fixed, physical, vector 0x30, unmasked
        mov dword [IOAPIC + 0x10], 0x30
        sti
.wait_pit:
        hlt
        cmp dword [pit_count], 5
        jb .wait_pit
        cli
        mov dword [IOAPIC], 0x14
        mov dword [IOAPIC + 0x10], 0x10030

        ; TSC-deadline mode, vector 0x41, 5000 TSC ticks ahead
        mov dword [LAPIC + 0x320], 0x40041
        rdtsc
        add eax, 5000
        adc edx, 0
        mov ecx, 0x6E0
        wrmsr
        sti
.wait_deadline:
        hlt
        cmp dword [deadline_count], 1
        jb .wait_deadline
        cli
        mov ecx, 0x6E0
        rdmsr
        or eax, edx
        EXPECT jnz, f_deadline_msr

        ; again while the CPU is busy: the interrupt comes on time, not at the
        ; end of the emulator's run slice (the deadline is armed mid-slice)
        mov dword [deadline_late], 0
        sti
        rdtsc
        add eax, 5000
        adc edx, 0
        mov [deadline_lo], eax
        mov ecx, 0x6E0
        wrmsr
.busy_deadline:
        cmp dword [deadline_count], 2
        jb .busy_deadline
        cli
        cmp dword [deadline_late], 100
        EXPECT ja, f_deadline_late

        ; self-IPI, vector 0x42
        mov dword [LAPIC + 0x300], 0x00044042
        sti
        nop
        nop
        cli
        cmp dword [ipi_count], 1
        EXPECT jne, f_ipi
        cmp dword [timer_count], 10     ; nothing stray since
        EXPECT jne, f_stray
        mov eax, [LAPIC + 0x100 + 0x20] ; ISR of vectors 64-95: all ended
        test eax, eax
        EXPECT jnz, f_isr

        ; IA32_APIC_BASE moves the window; clearing EN removes it and resets the APIC
        mov ecx, 0x1B
        mov eax, 0xFED00900
        xor edx, edx
        wrmsr
        cmp dword [0xFED00030], 0x00050014
        EXPECT jne, f_moved
        cmp dword [LAPIC + 0x30], 0xFFFFFFFF    ; nothing at the old place
        EXPECT jne, f_old_place
        mov eax, 0xFEE00100                     ; back, but disabled (EN, bit 11, clear)
        wrmsr
        cmp dword [LAPIC + 0x30], 0xFFFFFFFF
        EXPECT jne, f_disabled
        mov eax, 0xFEE00900
        wrmsr
        cmp dword [LAPIC + 0xF0], 0xFF          ; SVR at its power-on value
        EXPECT jne, f_reenabled

        mov esi, pass_msg
        call print
        mov eax, [elapsed]
        call print_dec
        mov al, 10
        out 0xE9, al
        cli
        hlt

; MP table (MP spec. 1.4 ch. 4): floating pointer in the BIOS segment, then
; the configuration table's entries.
check_mptable:
        mov esi, 0xF0000
.scan:  cmp dword [esi], '_MP_'
        je .found
        add esi, 16
        cmp esi, 0x100000
        jb .scan
        mov esi, f_no_mptable
        jmp fail
.found: mov esi, [esi + 4]
        cmp dword [esi], 'PCMP'
        EXPECT jne, f_mp_signature
        cmp dword [esi + 0x24], LAPIC
        EXPECT jne, f_mp_lapic
        movzx ecx, word [esi + 0x22]
        add esi, 0x2C
.entry: movzx eax, byte [esi]
        cmp al, 0
        je .cpu
        cmp al, 1
        je .bus
        cmp al, 2
        je .ioapic
        cmp al, 3
        je .intsrc
        add esi, 8                      ; local interrupt assignment
        jmp .next
.cpu:   test byte [esi + 3], 1
        jz .cpu_done
        inc dword [mp_cpus]
        cmp byte [esi + 2], 0x14        ; the version SeaBIOS read from our APIC
        EXPECT jne, f_mp_cpu_version
.cpu_done:
        add esi, 20
        jmp .next
.bus:   cmp dword [esi + 2], 'ISA '
        jne .bus_done
        mov al, [esi + 1]
        mov [isa_bus], al
.bus_done:
        add esi, 8
        jmp .next
.ioapic:
        cmp dword [esi + 4], IOAPIC
        jne .ioapic_done
        inc dword [mp_ioapics]
.ioapic_done:
        add esi, 8
        jmp .next
.intsrc:
        mov al, [esi + 4]
        cmp al, [isa_bus]
        jne .intsrc_done
        cmp byte [esi + 5], 0           ; ISA IRQ 0 ...
        jne .intsrc_done
        cmp byte [esi + 7], 2           ; ... to IOAPIC input 2
        jne .intsrc_done
        inc dword [mp_irq0_pin2]
.intsrc_done:
        add esi, 8
.next:  dec ecx
        jnz .entry
        cmp dword [mp_cpus], 1
        EXPECT jne, f_mp_cpus
        cmp dword [mp_ioapics], 1
        EXPECT jne, f_mp_ioapic
        cmp dword [mp_irq0_pin2], 1
        EXPECT jne, f_mp_irq0
        ret

; Interrupt gates: everything unexpected by default.
build_idt:
        xor ecx, ecx
.all:   mov eax, unexpected
        call set_gate
        inc ecx
        cmp ecx, 256
        jb .all
        mov ecx, 0x40
        mov eax, timer_isr
        call set_gate
        mov ecx, 0x41
        mov eax, deadline_isr
        call set_gate
        mov ecx, 0x42
        mov eax, ipi_isr
        call set_gate
        mov ecx, 0x30
        mov eax, pit_isr
        call set_gate
        ret
set_gate:                               ; eax = handler, ecx = vector
        mov edx, eax
        and eax, 0xFFFF
        or eax, 0x00080000
        mov [IDT + ecx * 8], eax
        and edx, 0xFFFF0000
        or edx, 0x8E00
        mov [IDT + ecx * 8 + 4], edx
        ret

timer_isr:
        inc dword [timer_count]
        mov dword [LAPIC + 0xB0], 0
        iretd
pit_isr:
        inc dword [pit_count]
        mov dword [LAPIC + 0xB0], 0
        iretd
deadline_isr:
        push eax
        push edx
        rdtsc
        sub eax, [deadline_lo]          ; TSC ticks past the deadline
        mov [deadline_late], eax
        pop edx
        pop eax
        inc dword [deadline_count]
        mov dword [LAPIC + 0xB0], 0
        iretd
ipi_isr:
        inc dword [ipi_count]
        mov dword [LAPIC + 0xB0], 0
        iretd
unexpected:
        mov esi, f_unexpected
        jmp fail

fail:   push esi
        mov esi, fail_msg
        call print
        pop esi
        call print
        mov al, 10
        out 0xE9, al
        cli
        hlt
print:  lodsb
        test al, al
        jz .end
        out 0xE9, al
        jmp print
.end:   ret
print_dec:                              ; eax, decimal
        mov ecx, 10
        xor edi, edi
.div:   xor edx, edx
        div ecx
        push edx
        inc edi
        test eax, eax
        jnz .div
.out:   pop eax
        add al, '0'
        out 0xE9, al
        dec edi
        jnz .out
        ret

idt_desc:
        dw 256 * 8 - 1
        dd IDT
align 4
t0:             dd 0
elapsed:        dd 0
timer_count:    dd 0
pit_count:      dd 0
deadline_count: dd 0
ipi_count:      dd 0
deadline_lo:    dd 0
deadline_late:  dd 0
mp_cpus:        dd 0
mp_ioapics:     dd 0
mp_irq0_pin2:   dd 0
isa_bus:        db 0xFF

pass_msg:           db "APIC PC TESTS PASSED: 10 periodic APIC timer interrupts, 5 PIT interrupts via IOAPIC pin 2, TSC deadline, self-IPI, IA32_APIC_BASE move and disable; TSC ticks for 1 ms: ", 0
fail_msg:           db "APIC FAIL: ", 0
f_cpuid_apic:       db "CPUID.1 EDX bit 9 (APIC) clear", 0
f_cpuid_deadline:   db "CPUID.1 ECX bit 24 (TSC deadline) clear", 0
f_apic_base:        db "IA32_APIC_BASE is not 0xFEE00900", 0
f_version:          db "local APIC version is not 0x00050014", 0
f_ioapic_version:   db "IOAPIC version is not 0x00170011", 0
f_no_mptable:       db "no MP floating pointer", 0
f_mp_signature:     db "MP configuration table signature", 0
f_mp_lapic:         db "MP table local APIC address", 0
f_mp_cpu_version:   db "MP table CPU entry: APIC version is not 0x14", 0
f_mp_cpus:          db "MP table does not list exactly one enabled CPU", 0
f_mp_ioapic:        db "MP table has no IOAPIC at 0xFEC00000", 0
f_mp_irq0:          db "MP table does not route ISA IRQ 0 to IOAPIC input 2", 0
f_timer_early:      db "periodic timer: 10 periods in less than 1 ms", 0
f_timer_late:       db "periodic timer: 10 periods took too long", 0
f_timer_stop:       db "timer current count not 0 after initial count 0", 0
f_deadline_msr:     db "IA32_TSC_DEADLINE not cleared after the interrupt", 0
f_deadline_late:    db "TSC-deadline interrupt more than 100 TSC ticks late while busy", 0
f_ipi:              db "self-IPI not taken once", 0
f_stray:            db "timer interrupts after the timer was stopped", 0
f_isr:              db "ISR not clear after the EOIs", 0
f_moved:            db "no APIC registers at the new IA32_APIC_BASE", 0
f_old_place:        db "APIC registers still at the old base", 0
f_disabled:         db "APIC registers visible with IA32_APIC_BASE.EN clear", 0
f_reenabled:        db "APIC not in its power-on state after EN was cleared and set", 0
f_unexpected:       db "unexpected interrupt or exception", 0

        times (SECTORS + 1) * 512 - ($ - $$) db 0
