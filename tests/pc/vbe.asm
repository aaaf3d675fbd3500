; A DOS-style boot sector using VBE: mode 101h (640x480, 256 colours) through
; INT 10h AX=4F02, drawn through the 64 KiB window with bank switching (4F05),
; pixel (x, y) = (x + y) & 63 with our own palette; "VBE DONE" on the debug
; port, or "VBE FAIL" if the BIOS refuses the mode.
bits 16
org 0x7C00
start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        mov ax, 0x4F02
        mov bx, 0x0101
        int 0x10
        cmp ax, 0x004F
        jne fail
        call set_palette
        push word 0xA000
        pop es
        xor di, di              ; offset in the window
        xor bp, bp              ; current bank
        call set_bank
        xor bx, bx              ; y
.row:   xor cx, cx              ; x
.col:   mov ax, cx
        add ax, bx
        and al, 63
        stosb
        test di, di             ; wrapped past 64 KiB: next bank
        jnz .same
        inc bp
        call set_bank
.same:  inc cx
        cmp cx, 640
        jb .col
        inc bx
        cmp bx, 480
        jb .row
        mov si, done_msg
        jmp print
fail:   mov si, fail_msg
print:  mov dx, 0xE9
.msg:   lodsb
        test al, al
        jz .halt
        out dx, al
        jmp .msg
.halt:  cli
        hlt
        jmp .halt
set_bank:                       ; window A position = bp (64 KiB granularity in this BIOS's mode 101h)
        pusha
        mov ax, 0x4F05
        xor bx, bx
        mov dx, bp
        int 0x10
        popa
        ret
%include "palette.inc"
done_msg: db "VBE DONE", 10, 0
fail_msg: db "VBE FAIL", 10, 0
        times 510 - ($ - $$) db 0
        dw 0xAA55
