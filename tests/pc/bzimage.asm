; bzimage.asm - a minimal Linux bzImage (boot protocol 2.15) of ours that checks
; what its boot loader did, for `ringzero -kernel bzimage.bin -initrd F -append C`.
;
; Layout as Documentation/arch/x86/boot.rst describes a bzImage: a real-mode
; part of (setup_sects + 1) sectors (setup_sects is 0 here, which "means 4",
; so 5 sectors) holding the boot sector stub, the setup header at 0x1F1 and the
; setup code entered at 0x200; then the "protected-mode kernel", which the
; loader puts at 0x100000: our 32-bit code and a 96 KiB pattern.
;
; The setup code checks, in real mode (segment = where the loader put it):
;   entry at segment+0x20:0 with DS = ES = FS = GS = SS = segment, interrupts
;   off, SP = heap_end_ptr + 0x200; type_of_loader 0xFF, CAN_USE_HEAP, a
;   heap_end_ptr above the setup code, cmd_line_ptr between the heap end and
;   0xA0000; an initrd (ramdisk_image/ramdisk_size) page aligned, inside one
;   e820 RAM range, not above initrd_addr_max (0x1FFFFFF here), and as high as
;   those allow;
; then enables A20 (port 0x92), enters 32-bit protected mode and jumps to
; code32_start with ESI = the setup code's address, where it checks:
;   the whole payload at 0x100000 (the pattern and the end marker); the
;   command line; options there telling what the test expects:
;     rz.initrd_size=N (decimal, 0 or absent: no initrd),
;     rz.initrd_sum=X (hex, the 32-bit sum of the initrd's bytes),
;     rz.vid=X (hex, the expected vid_mode; default 0xFFFF).
; It prints on COM1 "BZIMAGE OK initrd=<size> at 0x<addr> cmdline=<text>" and
; halts (exit status 0), or "BZIMAGE FAIL: <what>" and writes 1 to
; isa-debug-exit (port 0xF4: exit status 3).

cpu 686
COM1 equ 0x3F8
INITRD_ADDR_MAX equ 0x01FFFFFF
PATTERN_DWORDS equ 24576                ; 96 KiB
PATTERN_MUL equ 0x9E3779B1
SETUP_SIZE equ 5 * 512                  ; setup_sects 0 means 4, plus the boot sector

section .text vstart=0
bits 16
boot_sector:
        ; A loader never runs this; print nothing and stop if a BIOS does.
        cli
        hlt
        times 0x1F1 - ($ - $$) db 0
hdr:
setup_sects:    db 0                    ; 0x1F1: "0 means 4"
root_flags:     dw 0
syssize:        dd PM_SIZE / 16         ; 0x1F4: protected-mode part, 16-byte units
ram_size:       dw 0
vid_mode:       dw 0xFFFF               ; 0x1FA
root_dev:       dw 0
boot_flag:      dw 0xAA55               ; 0x1FE
                jmp short setup_start   ; 0x200: the entry point
header:         db 'HdrS'               ; 0x202
version:        dw 0x020F               ; 0x206: protocol 2.15
realmode_swtch: dd 0
start_sys_seg:  dw 0x1000
kernel_version: dw version_string - 0x200
type_of_loader: db 0                    ; 0x210
loadflags:      db 0x01                 ; 0x211: LOADED_HIGH
setup_move_size: dw 0x8000
code32_start:   dd 0x100000             ; 0x214
ramdisk_image:  dd 0                    ; 0x218
ramdisk_size:   dd 0                    ; 0x21C
bootsect_kludge: dd 0
heap_end_ptr:   dw 0                    ; 0x224
ext_loader_ver: db 0
ext_loader_type: db 0
cmd_line_ptr:   dd 0                    ; 0x228
initrd_addr_max: dd INITRD_ADDR_MAX     ; 0x22C
kernel_alignment: dd 0x1000
relocatable_kernel: db 0
min_alignment:  db 12
xloadflags:     dw 0
cmdline_size:   dd 255                  ; 0x238
hardware_subarch: dd 0
hardware_subarch_data: dq 0
payload_offset: dd 0
payload_length: dd 0
setup_data:     dq 0
pref_address:   dq 0x100000             ; 0x258
init_size:      dd PM_SIZE              ; 0x260
handover_offset: dd 0
kernel_info_offset: dd 0                ; 0x268

; ---- real mode ----------------------------------------------------------------
; Entered at segment+0x20:0000, i.e. CS:IP = this code with IP relative to 0x200.
setup_start:
        pushf
        pop ax
        mov bx, ax                      ; FLAGS at entry
        mov ax, cs
        sub ax, 0x20                    ; the setup segment
        mov cx, ds
        cmp ax, cx
        jne .bad_segments
        mov cx, es
        cmp ax, cx
        jne .bad_segments
        mov cx, fs
        cmp ax, cx
        jne .bad_segments
        mov cx, gs
        cmp ax, cx
        jne .bad_segments
        mov cx, ss
        cmp ax, cx
        jne .bad_segments
        ; CS = the segment, so labels (org 0) work for code and data alike
        push ds
        push word .normalized
        retf
.bad_segments:
        mov ax, cs
        sub ax, 0x20
        mov ds, ax                      ; to print from here
        mov si, msg_segments
        jmp rm_fail
.normalized:
        mov si, msg_interrupts
        test bx, 0x200
        jnz rm_fail
        mov si, msg_loader
        cmp byte [type_of_loader], 0xFF
        jne rm_fail
        mov si, msg_heap_flag
        test byte [loadflags], 0x80
        jz rm_fail
        mov si, msg_heap
        mov ax, [heap_end_ptr]
        cmp ax, SETUP_SIZE - 0x200
        jb rm_fail
        cmp ax, 0xFE00
        ja rm_fail
        mov si, msg_stack
        add ax, 0x200
        cmp sp, ax
        jne rm_fail

        ; cmd_line_ptr: above the heap's end, below 0xA0000 (boot.rst, protocol 2.02+)
        mov si, msg_cmdline_ptr
        xor eax, eax
        mov ax, ds
        shl eax, 4
        mov [setup_base], eax
        movzx ecx, word [heap_end_ptr]
        add ecx, 0x200
        add ecx, eax
        mov edx, [cmd_line_ptr]
        cmp edx, ecx
        jb rm_fail
        cmp edx, 0xA0000
        jae rm_fail

        call check_initrd_placement

        ; A20 on (port 0x92), then 32-bit protected mode and code32_start.
        in al, 0x92
        or al, 2
        and al, 0xFE
        out 0x92, al
        mov eax, [setup_base]
        add eax, gdt
        mov [gdt_desc + 2], eax
        lgdt [gdt_desc]
        mov eax, [setup_base]
        add eax, pm_entry
        mov [pm_jump], eax
        mov esi, [setup_base]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword far [pm_jump]

; Checks ramdisk_image/ramdisk_size against the e820 map and initrd_addr_max.
check_initrd_placement:
        mov eax, [ramdisk_image]
        mov ecx, [ramdisk_size]
        test ecx, ecx
        jnz .have
        mov si, msg_no_initrd_addr      ; no initrd: the image address stays 0
        test eax, eax
        jnz rm_fail
        ret
.have:  mov si, msg_initrd_align
        test eax, 0xFFF
        jnz rm_fail
        mov si, msg_initrd_low
        cmp eax, 0x100000 + PM_SIZE
        jb rm_fail
        add ecx, eax                    ; ECX = the initrd's end
        mov si, msg_initrd_max
        jc rm_fail
        cmp ecx, INITRD_ADDR_MAX + 1
        ja rm_fail
        ; find the e820 RAM range holding it
        xor ebx, ebx
.next:  mov di, e820_entry
        mov [e820_end], ecx
        mov eax, 0xE820
        mov edx, 0x534D4150
        mov ecx, 20
        int 0x15
        mov ecx, [e820_end]
        mov si, msg_initrd_e820
        jc rm_fail
        cmp dword [e820_entry + 16], 1
        jne .continue
        cmp dword [e820_entry + 4], 0
        jne .continue
        mov eax, [e820_entry]
        cmp eax, [ramdisk_image]
        ja .continue
        add eax, [e820_entry + 8]       ; the range's end (below 4 GiB here)
        cmp ecx, eax
        ja .continue
        ; inside: it should also be as high as the range and initrd_addr_max allow
        cmp eax, INITRD_ADDR_MAX + 1
        jbe .limit
        mov eax, INITRD_ADDR_MAX + 1
.limit: sub eax, ecx
        mov si, msg_initrd_not_high
        cmp eax, 0x1000
        jae rm_fail
        ret
.continue:
        test ebx, ebx
        jnz .next
        mov si, msg_initrd_e820
        jmp rm_fail

; Prints "BZIMAGE FAIL: " and the message at DS:SI on COM1, exits through isa-debug-exit.
rm_fail:
        push si
        mov si, msg_fail
        call rm_print
        pop si
        call rm_print
        mov si, msg_newline
        call rm_print
        mov dx, COM1 + 5
.drain: in al, dx                       ; until COM1 has sent everything
        test al, 0x40
        jz .drain
        mov al, 1
        out 0xF4, al
        cli
        hlt

rm_print:
        lodsb
        test al, al
        jz .end
        mov ah, al
        mov dx, COM1 + 5
.wait:  in al, dx
        test al, 0x20
        jz .wait
        mov dx, COM1
        mov al, ah
        out dx, al
        jmp rm_print
.end:   ret

align 8
gdt:    dq 0
        dq 0x00CF9A000000FFFF           ; 0x08: flat 32-bit code
        dq 0x00CF92000000FFFF           ; 0x10: flat data
gdt_desc:
        dw 3 * 8 - 1
        dd 0                            ; the GDT's linear address, filled in
pm_jump:
        dd 0                            ; offset: pm_entry's linear address
        dw 0x08
setup_base: dd 0
e820_end: dd 0
e820_entry: times 24 db 0

version_string:     db 'ringzero bzimage test', 0
msg_fail:           db 'BZIMAGE FAIL: ', 0
msg_newline:        db 13, 10, 0
msg_segments:       db 'segment registers at entry are not all the setup segment (CS - 0x20)', 0
msg_interrupts:     db 'interrupts enabled at entry', 0
msg_loader:         db 'type_of_loader is not 0xFF', 0
msg_heap_flag:      db 'loadflags lacks CAN_USE_HEAP', 0
msg_heap:           db 'heap_end_ptr out of range', 0
msg_stack:          db 'SP at entry is not heap_end_ptr + 0x200', 0
msg_cmdline_ptr:    db 'cmd_line_ptr not between the heap end and 0xA0000', 0
msg_no_initrd_addr: db 'ramdisk_image set without an initrd', 0
msg_initrd_align:   db 'initrd not page aligned', 0
msg_initrd_low:     db 'initrd overlaps the kernel', 0
msg_initrd_max:     db 'initrd above initrd_addr_max', 0
msg_initrd_e820:    db 'initrd not inside an e820 RAM range', 0
msg_initrd_not_high: db 'initrd not at the top of the allowed memory', 0

; ---- 32-bit protected mode (still in the setup code) ------------------------------
bits 32
pm_entry:
        mov ax, 0x10
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov fs, ax
        mov gs, ax
        jmp dword [esi + code32_start]

        times SETUP_SIZE - ($ - $$) db 0

; ---- the protected-mode kernel, at 0x100000 ------------------------------------
section .pm follows=.text vstart=0x100000
bits 32
pm_start:
        ; ESI = the setup code's linear address (its header is at ESI + 0x1F1)
        lea esp, [stack_top]
        mov [boot_params], esi
        mov ebx, pm_start
        mov edx, msg_code32
        cmp dword [esi + code32_start], ebx
        jne pm_fail

        ; the whole payload arrived
        mov edx, msg_pattern
        xor ecx, ecx
.pattern:
        mov eax, ecx
        imul eax, eax, PATTERN_MUL
        cmp [pattern + ecx * 4], eax
        jne pm_fail
        inc ecx
        cmp ecx, PATTERN_DWORDS
        jb .pattern
        mov edx, msg_end_marker
        cmp dword [end_marker], 'RZEN'
        jne pm_fail
        cmp dword [end_marker + 4], 'D!!!'
        jne pm_fail

        ; the expectations from the command line
        mov edi, [esi + cmd_line_ptr]
        mov [cmdline], edi
        mov ebx, opt_vid
        call find_option
        mov eax, 0xFFFF
        jc .vid_default
        call parse_hex
.vid_default:
        mov edx, msg_vid_mode
        cmp [esi + vid_mode], ax
        jne pm_fail

        mov ebx, opt_initrd_size
        call find_option
        mov eax, 0
        jc .size_default
        call parse_dec
.size_default:
        mov edx, msg_initrd_size
        cmp [esi + ramdisk_size], eax
        jne pm_fail
        test eax, eax
        jz .report
        mov ebx, opt_initrd_sum
        call find_option
        mov edx, msg_no_sum_option
        jc pm_fail
        call parse_hex
        mov ebx, eax                    ; expected sum
        mov edi, [esi + ramdisk_image]
        mov ecx, [esi + ramdisk_size]
        xor eax, eax
        xor edx, edx
.sum:   mov dl, [edi]
        add eax, edx
        inc edi
        dec ecx
        jnz .sum
        mov edx, msg_initrd_sum
        cmp eax, ebx
        jne pm_fail

.report:
        mov edx, msg_ok
        call print
        mov eax, [esi + ramdisk_size]
        call print_dec
        mov edx, msg_at
        call print
        mov eax, [esi + ramdisk_image]
        call print_hex
        mov edx, msg_cmdline
        call print
        mov edx, [cmdline]
        call print
        mov edx, msg_crlf
        call print
        call drain
        cli
        hlt

; Waits until COM1 has sent everything (LSR bit 6, transmitter empty): the
; run ends at the HLT.
drain:  mov dx, COM1 + 5
.wait:  in al, dx
        test al, 0x40
        jz .wait
        ret

; EDX = message: "BZIMAGE FAIL: <message>", exit through isa-debug-exit.
pm_fail:
        push edx
        mov edx, msg_pm_fail
        call print
        pop edx
        call print
        mov edx, msg_crlf
        call print
        call drain
        mov al, 1
        out 0xF4, al
        cli
        hlt

; Finds the option named at EBX (e.g. "rz.vid=") in the command line, as a
; whole word; EDI = its value, or CF if absent.
find_option:
        mov edi, [cmdline]
.at:    cmp byte [edi], 0
        je .absent
        cmp edi, [cmdline]              ; an option starts the line or follows a space
        je .try
        cmp byte [edi - 1], ' '
        jne .skip
.try:   push ebx
        push edi
.cmp:   mov al, [ebx]
        test al, al
        jz .found
        cmp al, [edi]
        jne .nomatch
        inc ebx
        inc edi
        jmp .cmp
.found: add esp, 4                      ; EDI: just after the name
        pop ebx
        clc
        ret
.nomatch:
        pop edi
        pop ebx
.skip:  inc edi
        jmp .at
.absent:
        stc
        ret

; EAX = the hexadecimal number at EDI (optional 0x).
parse_hex:
        xor eax, eax
        cmp word [edi], '0x'
        jne .digit
        add edi, 2
.digit: movzx ecx, byte [edi]
        sub ecx, '0'
        cmp ecx, 9
        jbe .add
        movzx ecx, byte [edi]
        or ecx, 0x20
        sub ecx, 'a' - 10
        cmp ecx, 10
        jb .done
        cmp ecx, 15
        ja .done
.add:   shl eax, 4
        add eax, ecx
        inc edi
        jmp .digit
.done:  ret

; EAX = the decimal number at EDI.
parse_dec:
        xor eax, eax
.digit: movzx ecx, byte [edi]
        sub ecx, '0'
        cmp ecx, 9
        ja .done
        imul eax, eax, 10
        add eax, ecx
        inc edi
        jmp .digit
.done:  ret

; Prints the NUL-terminated string at EDX on COM1.
print:
        push eax
        push edx
        push esi
        mov esi, edx
.char:  mov al, [esi]
        test al, al
        jz .end
        call putc
        inc esi
        jmp .char
.end:   pop esi
        pop edx
        pop eax
        ret

putc:   push edx
        push eax
        mov dx, COM1 + 5
.wait:  in al, dx
        test al, 0x20
        jz .wait
        pop eax
        mov dx, COM1
        out dx, al
        pop edx
        ret

print_hex:                              ; EAX, 8 digits
        push ecx
        push eax
        mov ecx, 8
.digit: rol eax, 4
        push eax
        and al, 0x0F
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'a' - '9' - 1
.out:   call putc
        pop eax
        loop .digit
        pop eax
        pop ecx
        ret

print_dec:                              ; EAX
        push eax
        push ecx
        push edx
        push ebx
        mov ebx, 10
        xor ecx, ecx
.div:   xor edx, edx
        div ebx
        push edx
        inc ecx
        test eax, eax
        jnz .div
.out:   pop eax
        add al, '0'
        call putc
        loop .out
        pop ebx
        pop edx
        pop ecx
        pop eax
        ret

boot_params: dd 0
cmdline: dd 0
opt_vid: db 'rz.vid=', 0
opt_initrd_size: db 'rz.initrd_size=', 0
opt_initrd_sum: db 'rz.initrd_sum=', 0
msg_pm_fail:      db 'BZIMAGE FAIL: ', 0
msg_code32:       db 'not entered at code32_start', 0
msg_pattern:      db 'the protected-mode payload at 0x100000 is wrong', 0
msg_end_marker:   db 'the end of the protected-mode payload is missing', 0
msg_vid_mode:     db 'vid_mode is not the expected value', 0
msg_initrd_size:  db 'ramdisk_size is not the expected size', 0
msg_no_sum_option: db 'rz.initrd_sum missing from the command line', 0
msg_initrd_sum:   db 'the initrd bytes do not add up to rz.initrd_sum', 0
msg_ok:           db 'BZIMAGE OK initrd=', 0
msg_at:           db ' at 0x', 0
msg_cmdline:      db ' cmdline=', 0
msg_crlf:         db 13, 10, 0

align 16
        times 256 dd 0
stack_top:

align 4
pattern:
%assign i 0
%rep PATTERN_DWORDS
        dd (i * PATTERN_MUL) & 0xFFFFFFFF
%assign i i + 1
%endrep
end_marker:
        db 'RZEND!!!'
pm_end:
PM_SIZE equ pm_end - pm_start
