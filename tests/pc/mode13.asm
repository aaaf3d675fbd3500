; A DOS-style boot sector: mode 13h through the VGA BIOS, a diagonal pattern
; drawn straight into A000h (pixel (x, y) = (x + y) & 63), our own palette,
; then "MODE13 DONE" on the debug port and a halt.
bits 16
org 0x7C00
start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        mov ax, 0x0013          ; set mode 13h
        int 0x10
        call set_palette
        push word 0xA000
        pop es
        xor di, di
        xor bx, bx              ; y
.row:   xor cx, cx              ; x
.col:   mov ax, cx
        add ax, bx
        and al, 63
        stosb
        inc cx
        cmp cx, 320
        jb .col
        inc bx
        cmp bx, 200
        jb .row
        mov si, done_msg
        mov dx, 0xE9
.msg:   lodsb
        test al, al
        jz .halt
        out dx, al
        jmp .msg
.halt:  cli
        hlt
        jmp .halt
%include "palette.inc"
done_msg: db "MODE13 DONE", 10, 0
        times 510 - ($ - $$) db 0
        dw 0xAA55
