; The x87's legacy error reporting on the PC board, booted by SeaBIOS from a
; floppy (a single boot sector, real mode): with CR0.NE = 0 an unmasked x87
; exception raises FERR#, which the motherboard latches onto IRQ 13 (INT 75h
; behind SeaBIOS's 8259 setup); the handler clears the latch with an OUT to
; port 0xF0 (SDM vol. 1 §8.7 and App. D; IBM PC/AT Technical Reference).
;   1. a divide by zero with ZM cleared: IRQ 13 arrives once, and no #MF;
;   2. without an OUT to 0xF0 the latch stays: after EOI, no second IRQ 13 for
;      the same exception; FNCLEX and a new exception latch again;
;   3. with CR0.NE = 1 the same exception is #MF (INT 10h) at the next FWAIT,
;      and no IRQ 13.
; Reports "FERR TESTS PASSED" or "FERR FAIL: <what>" on port 0xE9, then halts.
bits 16
org 0x7C00

; An unmasked divide by zero on an empty stack (an unmasked exception leaves
; the operands on the stack, so each case starts from FNINIT).
%macro DIV0 0
        fninit
        fldcw [cw_zm_clear]
        fld1
        fldz
        fdivp st1, st0
%endmacro

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00
        ; INT 75h (IRQ 13) and INT 10h (#MF in real mode) are ours
        mov word [0x75 * 4], irq13
        mov word [0x75 * 4 + 2], 0
        mov word [0x10 * 4], mf_handler
        mov word [0x10 * 4 + 2], 0
        ; unmask IRQ 13 (slave IRQ 5) and the cascade (master IRQ 2)
        in al, 0xA1
        and al, ~0x20
        out 0xA1, al
        in al, 0x21
        and al, ~0x04
        out 0x21, al
        ; CR0.NE = 0, MP = 1, EM = 0, TS = 0
        mov eax, cr0
        and eax, ~(0x20 | 0x04 | 0x08)
        or eax, 0x02
        mov cr0, eax
        sti

        ; --- 1. divide by zero, ZM clear: IRQ 13 once
        DIV0                           ; ZE and ES set: FERR#
        call settle
        cmp byte [irq13_count], 1
        jne fail1
        cmp byte [mf_count], 0
        jne fail1b

        ; --- 2. the latch without an OUT to 0xF0 stays set: no new IRQ 13
        mov byte [clear_latch], 0
        DIV0                           ; FERR# again: a new edge latches
        call settle
        cmp byte [irq13_count], 2
        jne fail2
        DIV0                           ; an edge, but the latch was never cleared
        call settle
        cmp byte [irq13_count], 2
        jne fail2b
        out 0xF0, al                   ; clear it now: IRQ 13 drops
        mov byte [clear_latch], 1
        DIV0
        call settle
        cmp byte [irq13_count], 3
        jne fail2c

        ; --- 3. CR0.NE = 1: #MF at the next waiting instruction, no IRQ 13
        fninit
        mov eax, cr0
        or eax, 0x20
        mov cr0, eax
        DIV0
        call settle
        cmp byte [irq13_count], 3
        jne fail3
        fwait                           ; #MF here
        cmp byte [mf_count], 1
        jne fail3b

        mov si, msg_pass
        jmp print_halt

; Let pending interrupts in: a few instructions with IF = 1.
settle:
        mov cx, 100
.l:     nop
        loop .l
        ret

irq13:
        inc byte [cs:irq13_count]
        cmp byte [cs:clear_latch], 0
        je .no_clear
        out 0xF0, al                   ; clear the FERR latch (IGNNE#)
.no_clear:
        push ax
        mov al, 0x20
        out 0xA0, al
        out 0x20, al
        pop ax
        iret

mf_handler:
        inc byte [cs:mf_count]
        fnclex
        iret

; Failures print "FERR FAIL: <n>": 1 no IRQ 13 for an unmasked exception,
; 2 #MF with NE = 0, 3 no IRQ 13 for a new exception, 4 IRQ 13 without the
; latch cleared, 5 no IRQ 13 after port 0xF0 cleared it, 6 IRQ 13 with NE = 1,
; 7 no #MF with NE = 1.
%macro FAILCODE 2
%1:     mov byte [fail_code], %2
        mov si, msg_fail
        jmp print_halt
%endmacro
FAILCODE fail1, '1'
FAILCODE fail1b, '2'
FAILCODE fail2, '3'
FAILCODE fail2b, '4'
FAILCODE fail2c, '5'
FAILCODE fail3, '6'
FAILCODE fail3b, '7'
print_halt:
        cli
.p:     lodsb
        test al, al
        jz .h
        out 0xE9, al
        jmp .p
.h:     hlt
        jmp .h

cw_zm_clear:  dw 0x037B              ; all masked but ZM
irq13_count:  db 0
mf_count:     db 0
clear_latch:  db 1
msg_pass: db "FERR TESTS PASSED", 10, 0
msg_fail: db "FERR FAIL: "
fail_code: db "?", 10, 0
        times 510 - ($ - $$) db 0
        dw 0xAA55
