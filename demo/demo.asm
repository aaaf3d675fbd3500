; demo.asm - the "run the emulator" demo: a real-mode 386 workload of about
; 150 million instructions that prints its results on port 0xE9, then halts
; (cli; hlt).  Also used to measure MIPS:
;
;       build/ringzero --flat build/guest/demo.bin --stats
;
; 1. Sieve of Eratosthenes below 1,000,000: a bitmap of the odd numbers
;    (62,500 bytes in segment 0x1000) marked with BTS and a 32-bit bit offset.
; 2. CRC-32 (bit by bit, reflected polynomial 0xEDB88320) of 2 MiB of bytes
;    from a 32-bit LCG (x = x * 1103515245 + 12345, byte = x >> 24), made
;    64 KiB at a time in segment 0x2000.
; 3. An ASCII Mandelbrot set in 16.16 fixed point (IMUL + SHRD), 76x30,
;    up to 5000 iterations per point.
;
; Expected output (checked by ctest):
;       primes below 1000000: 78498
;       largest: 999983
;       crc32: 0x01A8AE84

%include "rztest.inc"

N           equ 1000000
HALF        equ N / 2                   ; bit i stands for the odd number 2i+1
SIEVESEG    equ 0x1000
BUFSEG      equ 0x2000
CHUNKS      equ 32                      ; 32 x 64 KiB = 2 MiB
LCG_SEED    equ 0x2545F491

COLS        equ 76
ROWS        equ 30
MAXIT       equ 5000
X0          equ -150000                 ; -2.289 in 16.16
Y0          equ -79185                  ; -1.208
DX_         equ 2600                    ;  0.0397
DY_         equ 5461                    ;  0.0833

        PRINTLN "ringzero demo: a real-mode 386 workload"

; ---------------------------------------------------------------- 1. sieve
        mov ax, SIEVESEG
        mov es, ax
        mov fs, ax
        xor edi, edi
        xor eax, eax
        mov ecx, (HALF + 31) / 32
        cld
        rep stosd                       ; clear the bitmap

        mov esi, 1                      ; i = 1: p = 3
sieve_outer:
        lea ebx, [esi*2+1]              ; p
        mov eax, ebx
        imul eax, ebx                   ; p * p
        cmp eax, N
        jae sieve_count
        bt dword [fs:0], esi
        jc sieve_next                   ; composite
        dec eax
        shr eax, 1                      ; index of p * p
sieve_mark:
        bts dword [fs:0], eax
        add eax, ebx                    ; next odd multiple: + 2p, i.e. index + p
        cmp eax, HALF
        jb sieve_mark
sieve_next:
        inc esi
        jmp sieve_outer

sieve_count:
        mov ecx, 1                      ; the prime 2
        mov esi, 1
        xor edx, edx
sieve_cloop:
        bt dword [fs:0], esi
        jc sieve_cskip
        inc ecx
        mov edx, esi
sieve_cskip:
        inc esi
        cmp esi, HALF
        jb sieve_cloop
        lea edx, [edx*2+1]              ; the largest prime
        PRINT "primes below 1000000: "
        PRINT_DEC ecx
        PRINT {10, "largest: "}
        PRINT_DEC edx
        PRINT 10

; ---------------------------------------------------------------- 2. CRC-32
        mov dword [lcg], LCG_SEED
        mov dword [crc], 0xFFFFFFFF
        mov word [chunks], CHUNKS
        mov ax, BUFSEG
        mov es, ax
crc_chunk:
        mov eax, [lcg]
        xor di, di
crc_gen:
        imul eax, eax, 1103515245
        add eax, 12345
        mov edx, eax
        shr edx, 24
        mov [es:di], dl
        inc di
        jnz crc_gen                     ; 65536 bytes
        mov [lcg], eax

        mov edx, [crc]
        xor si, si
crc_byte:
        movzx eax, byte [es:si]
        xor edx, eax
        mov cl, 8
crc_bit:
        shr edx, 1
        jnc crc_nox
        xor edx, 0xEDB88320
crc_nox:
        dec cl
        jnz crc_bit
        inc si
        jnz crc_byte
        mov [crc], edx
        dec word [chunks]
        jnz crc_chunk
        not edx
        PRINT "crc32: "
        PRINT_HEX edx
        PRINT 10

; ---------------------------------------------------------------- 3. Mandelbrot
        PRINTLN "mandelbrot:"
        mov dword [cy], Y0
        mov word [rows], ROWS
mb_row:
        mov dword [cx_], X0
        mov word [cols], COLS
        mov di, line
mb_col:
        push di
        xor esi, esi                    ; zx
        xor edi, edi                    ; zy
        mov bp, MAXIT
mb_iter:
        mov eax, esi
        imul eax                        ; zx * zx
        shrd eax, edx, 16
        mov ebx, eax                    ; zx^2
        mov eax, edi
        imul eax
        shrd eax, edx, 16
        mov ecx, eax                    ; zy^2
        lea eax, [ebx+ecx]
        cmp eax, 4 << 16
        jg mb_escaped
        mov eax, esi
        imul edi
        shrd eax, edx, 15               ; 2 * zx * zy
        add eax, [cy]
        mov edi, eax
        mov esi, ebx
        sub esi, ecx
        add esi, [cx_]
        dec bp
        jnz mb_iter
        mov al, '#'                     ; inside
        jmp mb_put
mb_escaped:
        mov ax, MAXIT
        sub ax, bp                      ; iterations before escaping
        mov si, palette
mb_pal: cmp ax, [si]
        jb mb_found
        add si, 3
        jmp mb_pal
mb_found:
        mov al, [si+2]
mb_put:
        pop di
        mov [di], al
        inc di
        add dword [cx_], DX_
        dec word [cols]
        jnz mb_col
        ; trim trailing blanks, print the line
mb_trim:
        cmp di, line
        je mb_print
        cmp byte [di-1], ' '
        jne mb_print
        dec di
        jmp mb_trim
mb_print:
        mov byte [di], 10
        mov byte [di+1], 0
        mov si, line
        call rz_puts
        add dword [cy], DY_
        dec word [rows]
        jnz mb_row

        PRINTLN "done."
        cli
        hlt

; escape-time palette: (limit, char): first entry with iterations < limit
palette:
        dw 3
        db ' '
        dw 5
        db '.'
        dw 7
        db ':'
        dw 10
        db '-'
        dw 15
        db '='
        dw 25
        db '+'
        dw 50
        db '*'
        dw 100
        db '%'
        dw 250
        db '&'
        dw 0xFFFF
        db '@'

align 4
lcg:    dd 0
crc:    dd 0
cx_:    dd 0
cy:     dd 0
chunks: dw 0
rows:   dw 0
cols:   dw 0
line:   times COLS + 2 db 0
