; linuxboot.asm - ringzero's Linux direct-boot option ROM.
;
; ringzero serves this ROM to SeaBIOS as the fw_cfg file "genroms/linuxboot.bin"
; and names it first in the "bootorder" file (see bios/linux_boot.h).  SeaBIOS
; copies it below 1 MiB, calls its init entry (which does nothing), and lists
; its PnP boot entry vector (BEV) as a boot device; booting it runs `boot`:
;
;  1. read the sizes and addresses of the setup code, kernel, command line
;     and initrd from fw_cfg (QEMU's keys, docs/specs/fw_cfg.rst);
;  2. copy setup, command line and kernel to their addresses with the fw_cfg
;     DMA interface (which writes physical memory directly, so real mode can
;     load the kernel at 1 MiB);
;  3. with an initrd: find the top of RAM below 4 GiB in the BIOS's e820 map
;     (INT 15h AX=E820h), take the lower of it and initrd_addr_max + 1, put the
;     initrd page-aligned just below, check it stays above what the kernel
;     needs (the load address plus the kernel, or pref_address + init_size),
;     copy it there and write ramdisk_image/ramdisk_size into the header;
;  4. enter the real-mode setup code as the boot protocol says
;     (Documentation/arch/x86/boot.rst, "RUNNING THE KERNEL"): interrupts off,
;     DS = ES = FS = GS = SS = the setup segment, SP = heap end
;     (heap_end_ptr + 0x200), jump to segment + 0x20, offset 0.
;
; The host already filled in the loader's other header fields.  On an error
; the ROM prints "linuxboot: <reason>" on COM1 and the screen and returns to
; SeaBIOS, which goes on to the next boot device.

bits 16
cpu 686
org 0

FW_CFG_SEL      equ 0x510
FW_CFG_DATA     equ 0x511
FW_CFG_DMA_HIGH equ 0x514               ; big-endian 64-bit address: high half
FW_CFG_DMA_LOW  equ 0x518               ; writing the low half starts the transfer

KEY_SIGNATURE   equ 0x00
KEY_ID          equ 0x01
KEY_KERNEL_ADDR equ 0x07
KEY_KERNEL_SIZE equ 0x08
KEY_INITRD_SIZE equ 0x0B
KEY_KERNEL_DATA equ 0x11
KEY_INITRD_DATA equ 0x12
KEY_CMDLINE_ADDR equ 0x13
KEY_CMDLINE_SIZE equ 0x14
KEY_CMDLINE_DATA equ 0x15
KEY_SETUP_ADDR  equ 0x16
KEY_SETUP_SIZE  equ 0x17
KEY_SETUP_DATA  equ 0x18

ID_DMA          equ 0x02
DMA_CTL_ERROR   equ 0x01
DMA_CTL_READ    equ 0x02
DMA_CTL_SELECT  equ 0x08

; setup header offsets (boot.rst)
HDR_VERSION     equ 0x206
HDR_RAMDISK_IMAGE equ 0x218
HDR_RAMDISK_SIZE equ 0x21C
HDR_HEAP_END_PTR equ 0x224
HDR_INITRD_ADDR_MAX equ 0x22C
HDR_PREF_ADDRESS equ 0x258
HDR_INIT_SIZE   equ 0x260

COM1            equ 0x3F8
SMAP            equ 0x534D4150

; the stack frame of `boot`, addressed from BP
F_SETUP_ADDR    equ 0
F_SETUP_SIZE    equ 4
F_KERNEL_ADDR   equ 8
F_KERNEL_SIZE   equ 12
F_INITRD_SIZE   equ 16
F_CMDLINE_ADDR  equ 20
F_CMDLINE_SIZE  equ 24
F_INITRD_ADDR   equ 28
F_DMA           equ 32                  ; FWCfgDmaAccess: BE32 control, BE32 length, BE64 address
F_E820          equ 48                  ; one e820 entry: 64-bit base, 64-bit length, 32-bit type
FRAME_SIZE      equ 72

rom_start:
        dw 0xAA55                       ; option ROM signature
        db ROM_SIZE / 512               ; size in 512-byte blocks
        jmp near init                   ; offset 3: the initialization entry
        times 0x18 - ($ - $$) db 0
        dw 0                            ; 0x18: no PCI data structure
        dw pnp_header - rom_start       ; 0x1A: the PnP expansion header

        align 16, db 0
; PnP expansion header (Plug and Play BIOS Specification 1.0A, section 3.2):
; SeaBIOS adds a ROM with a boot entry vector (BEV) as a boot device.
pnp_header:
        db '$PnP'
        db 1                            ; structure revision
        db 2                            ; length in 16-byte units
        dw 0                            ; next header: none
        db 0                            ; reserved
        db (-('$' + 'P' + 'n' + 'P' + 1 + 2 + ((product - rom_start) & 0xFF) + ((product - rom_start) >> 8) \
             + ((boot - rom_start) & 0xFF) + ((boot - rom_start) >> 8))) & 0xFF ; checksum of these 32 bytes
        dd 0                            ; device identifier
        dw 0                            ; manufacturer string
        dw product - rom_start          ; product name string (SeaBIOS's boot menu shows it)
        db 0, 0, 0                      ; device type code
        db 0                            ; device indicators
        dw 0                            ; boot connection vector
        dw 0                            ; disconnect vector
        dw boot - rom_start             ; bootstrap entry vector
        dw 0                            ; reserved
        dw 0                            ; static resource information

product: db 'Linux kernel (ringzero -kernel)', 0

init:   retf

; ---- the boot entry -----------------------------------------------------------
boot:
        push ds
        push es
        push fs
        push gs
        pushad
        sub sp, FRAME_SIZE
        mov bp, sp
        push cs
        pop ds                          ; messages are in the ROM
        cld

        mov ax, KEY_SIGNATURE
        call fw_cfg_read32
        mov si, msg_no_fw_cfg
        cmp eax, 'QEMU'
        jne fail
        mov ax, KEY_ID
        call fw_cfg_read32
        mov si, msg_no_dma
        test al, ID_DMA
        jz fail

        mov ax, KEY_SETUP_ADDR
        call fw_cfg_read32
        mov [bp + F_SETUP_ADDR], eax
        mov ax, KEY_SETUP_SIZE
        call fw_cfg_read32
        mov [bp + F_SETUP_SIZE], eax
        mov ax, KEY_KERNEL_ADDR
        call fw_cfg_read32
        mov [bp + F_KERNEL_ADDR], eax
        mov ax, KEY_KERNEL_SIZE
        call fw_cfg_read32
        mov [bp + F_KERNEL_SIZE], eax
        mov ax, KEY_INITRD_SIZE
        call fw_cfg_read32
        mov [bp + F_INITRD_SIZE], eax
        mov ax, KEY_CMDLINE_ADDR
        call fw_cfg_read32
        mov [bp + F_CMDLINE_ADDR], eax
        mov ax, KEY_CMDLINE_SIZE
        call fw_cfg_read32
        mov [bp + F_CMDLINE_SIZE], eax

        ; The setup code must be a non-empty, paragraph-aligned block below 640 KiB.
        mov si, msg_bad_setup
        mov eax, [bp + F_SETUP_ADDR]
        mov ecx, [bp + F_SETUP_SIZE]
        test ecx, ecx
        jz fail
        test al, 0x0F
        jnz fail
        add eax, ecx
        jc fail
        cmp eax, 0xA0000
        ja fail

        mov si, msg_dma_error
        mov ax, KEY_SETUP_DATA
        mov edi, [bp + F_SETUP_ADDR]
        mov ecx, [bp + F_SETUP_SIZE]
        call fw_cfg_dma_read
        jc fail
        mov ax, KEY_CMDLINE_DATA
        mov edi, [bp + F_CMDLINE_ADDR]
        mov ecx, [bp + F_CMDLINE_SIZE]
        call fw_cfg_dma_read
        jc fail
        mov ax, KEY_KERNEL_DATA
        mov edi, [bp + F_KERNEL_ADDR]
        mov ecx, [bp + F_KERNEL_SIZE]
        call fw_cfg_dma_read
        jc fail

        mov eax, [bp + F_SETUP_ADDR]
        shr eax, 4
        mov fs, ax                      ; FS: the setup code and its header

        cmp dword [bp + F_INITRD_SIZE], 0
        je .enter
        call place_initrd
        jc fail
        mov si, msg_dma_error
        mov ax, KEY_INITRD_DATA
        mov edi, [bp + F_INITRD_ADDR]
        mov ecx, [bp + F_INITRD_SIZE]
        call fw_cfg_dma_read
        jc fail
        mov eax, [bp + F_INITRD_ADDR]
        mov [fs:HDR_RAMDISK_IMAGE], eax
        mov eax, [bp + F_INITRD_SIZE]
        mov [fs:HDR_RAMDISK_SIZE], eax

.enter: ; boot.rst "RUNNING THE KERNEL": segments = the setup segment, SP at the heap end.
        cli
        mov bx, [fs:HDR_HEAP_END_PTR]
        add bx, 0x200
        mov ax, fs
        mov ds, ax
        mov es, ax
        mov gs, ax
        mov ss, ax
        mov sp, bx
        add ax, 0x20
        push ax
        push word 0
        retf                            ; to setup segment + 0x20 : 0

; Prints "linuxboot: " and the message at DS:SI, then gives the boot back to SeaBIOS.
fail:
        push si
        mov si, msg_prefix
        call print
        pop si
        call print
        mov si, msg_newline
        call print
        add sp, FRAME_SIZE
        popad
        pop gs
        pop fs
        pop es
        pop ds
        retf

; ---- initrd placement ---------------------------------------------------------
; Sets [bp + F_INITRD_ADDR]; CF and SI = a message if the initrd does not fit.
place_initrd:
        call e820_top                   ; EAX = top of RAM below 4 GiB
        mov ecx, [fs:HDR_INITRD_ADDR_MAX]
        add ecx, 1                      ; the limit is the last byte's address
        jnc .have_max
        mov ecx, 0xFFFFF000
.have_max:
        cmp eax, ecx
        jbe .have_limit
        mov eax, ecx
.have_limit:
        mov si, msg_initrd_too_big
        sub eax, [bp + F_INITRD_SIZE]
        jc .fail
        and eax, 0xFFFFF000             ; page aligned
        mov [bp + F_INITRD_ADDR], eax
        ; lowest start: above the kernel as loaded ...
        mov ecx, [bp + F_KERNEL_ADDR]
        add ecx, [bp + F_KERNEL_SIZE]
        jc .fail
        ; ... and (protocol 2.10+) above pref_address + init_size, where it runs
        cmp word [fs:HDR_VERSION], 0x020A
        jb .check
        mov edx, [fs:HDR_PREF_ADDRESS]
        cmp edx, [bp + F_KERNEL_ADDR]
        jae .run_at
        mov edx, [bp + F_KERNEL_ADDR]
.run_at:
        add edx, [fs:HDR_INIT_SIZE]
        jc .fail
        cmp edx, ecx
        jbe .check
        mov ecx, edx
.check:
        cmp eax, ecx
        jb .fail
        clc
        ret
.fail:
        stc
        ret

; EAX = the highest end of an e820 RAM range above 1 MiB and below 4 GiB (0 if none).
e820_top:
        push ebx
        push ecx
        push edx
        push edi
        push es
        xor ebx, ebx
        xor esi, esi                    ; the top so far
.next:
        push ss
        pop es
        lea di, [bp + F_E820]
        mov dword [es:di + 16], 0
        mov eax, 0xE820
        mov edx, SMAP
        mov ecx, 20
        int 0x15
        jc .done
        cmp eax, SMAP
        jne .done
        cmp dword [bp + F_E820 + 16], 1 ; usable RAM
        jne .continue
        cmp dword [bp + F_E820 + 4], 0  ; base below 4 GiB
        jne .continue
        mov eax, [bp + F_E820]
        cmp eax, 0x100000
        jb .continue
        cmp dword [bp + F_E820 + 12], 0
        jne .clamp
        add eax, [bp + F_E820 + 8]
        jnc .have_end
.clamp: mov eax, 0xFFFFF000             ; runs past 4 GiB
.have_end:
        cmp eax, esi
        jbe .continue
        mov esi, eax
.continue:
        test ebx, ebx
        jnz .next
.done:
        mov eax, esi
        pop es
        pop edi
        pop edx
        pop ecx
        pop ebx
        ret

; ---- fw_cfg -------------------------------------------------------------------
; EAX = the first 4 bytes (little-endian) of item AX, through the data port.
fw_cfg_read32:
        push dx
        push cx
        mov dx, FW_CFG_SEL
        out dx, ax
        mov dx, FW_CFG_DATA
        mov cx, 4
.byte:  in al, dx
        ror eax, 8
        loop .byte
        pop cx
        pop dx
        ret

; Reads ECX bytes of item AX to physical address EDI by DMA; CF on error.
fw_cfg_dma_read:
        push eax
        push edx
        movzx eax, ax
        shl eax, 16
        or eax, DMA_CTL_SELECT | DMA_CTL_READ
        bswap eax
        mov [bp + F_DMA], eax           ; control: the key in the high 16 bits
        mov eax, ecx
        bswap eax
        mov [bp + F_DMA + 4], eax       ; length
        mov dword [bp + F_DMA + 8], 0   ; address, high half
        mov eax, edi
        bswap eax
        mov [bp + F_DMA + 12], eax      ; address, low half
        xor eax, eax
        mov dx, FW_CFG_DMA_HIGH
        out dx, eax
        mov ax, ss
        shl eax, 4
        movzx edx, bp
        add eax, edx
        add eax, F_DMA                  ; the structure's physical address
        bswap eax
        mov dx, FW_CFG_DMA_LOW
        out dx, eax
.wait:  mov eax, [bp + F_DMA]           ; the device clears the control word when done
        bswap eax
        test eax, ~DMA_CTL_ERROR
        jnz .wait
        test al, DMA_CTL_ERROR
        jz .ok
        stc
        jmp .out
.ok:    clc
.out:   pop edx
        pop eax
        ret

; ---- output -------------------------------------------------------------------
; Prints the NUL-terminated string at DS:SI on COM1 and the screen (INT 10h).
print:
        pusha
.char:  lodsb
        test al, al
        jz .end
        mov ah, al
        mov dx, COM1 + 5
        mov cx, 0xFFFF
.tx:    in al, dx                       ; line status: wait for an empty transmitter
        test al, 0x20
        jnz .send
        loop .tx
.send:  mov dx, COM1
        mov al, ah
        out dx, al
        mov bx, 0x0007
        mov ah, 0x0E
        int 0x10
        jmp .char
.end:   popa
        ret

msg_prefix:        db 'linuxboot: ', 0
msg_newline:       db 13, 10, 0
msg_no_fw_cfg:     db 'no fw_cfg device', 0
msg_no_dma:        db 'fw_cfg has no DMA interface', 0
msg_bad_setup:     db 'no usable kernel setup code in fw_cfg', 0
msg_dma_error:     db 'fw_cfg DMA transfer failed', 0
msg_initrd_too_big: db 'the initrd does not fit in RAM between the kernel and initrd_addr_max', 0

code_end:
ROM_SIZE equ ((code_end - rom_start) + 1 + 511) / 512 * 512
        times ROM_SIZE - 1 - ($ - $$) db 0
        db 0                            ; checksum, set by linux_boot_rom_sign()
