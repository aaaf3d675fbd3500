; A Multiboot (v1) test kernel of ours, loaded with the a.out-kludge address
; fields: checks the entry state and reports over the debug port (0xE9):
; "MULTIBOOT OK mem_upper=<KiB> cmdline=<text>", then halts.
bits 32
org 0x100000
header:
        dd 0x1BADB002                   ; magic
        dd 0x00010002                   ; flags: memory info, address fields
        dd -(0x1BADB002 + 0x00010002)   ; checksum
        dd header                       ; header_addr
        dd 0x100000                     ; load_addr
        dd 0                            ; load_end_addr: the whole file
        dd bss_end                      ; bss_end_addr
        dd start                        ; entry_addr
start:
        mov esp, stack_top
        cmp eax, 0x2BADB002
        jne fail
        mov eax, cr0
        test al, 1                      ; protected mode
        jz fail
        cmp dword [bss_word], 0         ; the loader zeroed the bss
        jne fail
        mov esi, ok_msg
        call print
        mov eax, [ebx + 8]              ; mem_upper (KiB)
        call print_dec
        test dword [ebx], 4             ; command line present
        jz .done
        mov esi, cmd_msg
        call print
        mov esi, [ebx + 16]
        call print
.done:  mov al, 10
        out 0xE9, al
        cli
        hlt
fail:   mov esi, fail_msg
        call print
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
ok_msg:   db "MULTIBOOT OK mem_upper=", 0
cmd_msg:  db " cmdline=", 0
fail_msg: db "MULTIBOOT FAIL", 10, 0
align 4
bss_word: equ $ + 0x100
stack_bottom: equ $ + 0x200
stack_top: equ $ + 0x1200
bss_end: equ $ + 0x1200
