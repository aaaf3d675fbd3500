; string.asm - MOVS/STOS/LODS/CMPS/SCAS with and without REP/REPE/REPNE,
; byte/word/dword, DF=0 and DF=1, overlapping copies (must behave byte by
; byte), segment overrides (the source segment can be overridden, ES:DI
; cannot), REP with CX=0, and the address size: 16-bit forms use SI/DI/CX only
; (wrapping at 64 KiB and keeping the upper halves of ESI/EDI/ECX), 67h forms
; use ESI/EDI/ECX.
;
; Memory: source bytes at 0x2000:0000 (byte i = 0x40 + i for i < 64),
; destinations in segment 0x3000.

%include "rztest.inc"

SRC     equ 0x2000
DST     equ 0x3000

        PRINTLN "string: string instructions"

        ; fill SRC:0000..003F with 0x40 + i (plain MOV/INC/CMP loop)
        mov ax, SRC
        mov ds, ax
        mov bx, 0
        mov al, 0x40
fill:   mov [bx], al
        inc bx
        inc al
        cmp bx, 64
        jne fill
        mov ax, DST
        mov es, ax

; ---------------------------------------------------------------- MOVS, DF=0
        TEST 'rep movsb'
        cld
        mov si, 3
        mov di, 0x10
        mov cx, 37
        SET_FLAGS F_CF|F_ZF|F_OF
        rep movsb
        CHECK_FLAGS F_ARITH|F_DF, F_CF|F_ZF|F_OF   ; MOVS changes no flag
        CHECK_REG cx, 0
        CHECK_REG si, 3 + 37
        CHECK_REG di, 0x10 + 37
        CHECK_MEM byte, [es:0x0F], 0
        CHECK_MEM byte, [es:0x10], 0x43
        CHECK_MEM byte, [es:0x10+18], 0x43+18
        CHECK_MEM byte, [es:0x10+36], 0x43+36
        CHECK_MEM byte, [es:0x10+37], 0

        TEST 'rep movsw'
        mov si, 0
        mov di, 0x100
        mov cx, 5
        rep movsw
        CHECK_REG cx, 0
        CHECK_REG si, 10
        CHECK_REG di, 0x10A
        CHECK_MEM word, [es:0x100], 0x4140
        CHECK_MEM word, [es:0x108], 0x4948
        CHECK_MEM word, [es:0x10A], 0

        TEST 'rep movsd'
        mov si, 4
        mov di, 0x200
        mov cx, 3
        rep movsd
        CHECK_REG cx, 0
        CHECK_REG si, 0x10
        CHECK_REG di, 0x20C
        CHECK_MEM dword, [es:0x200], 0x47464544
        CHECK_MEM dword, [es:0x208], 0x4F4E4D4C
        CHECK_MEM dword, [es:0x20C], 0

        TEST 'movsb single'
        mov si, 0x20
        mov di, 0x280
        mov cx, 0x1234
        movsb
        CHECK_REG cx, 0x1234
        CHECK_REG si, 0x21
        CHECK_REG di, 0x281
        CHECK_MEM byte, [es:0x280], 0x60

        TEST 'fs movsb'
        mov ax, 0
        mov ds, ax
        mov ax, SRC
        mov fs, ax
        mov si, 0x10
        mov di, 0x290
        fs movsb                        ; source FS:SI
        CHECK_MEM byte, [es:0x290], 0x50
        mov ax, SRC
        mov ds, ax

; ---------------------------------------------------------------- MOVS, DF=1
        TEST 'rep movsb df=1'
        std
        mov esi, 9
        mov edi, 0x309
        mov cx, 10
        rep movsb
        cld
        CHECK_REG cx, 0
        CHECK_REG esi, 0x0000FFFF       ; SI wrapped below 0, upper ESI kept
        CHECK_REG di, 0x2FF
        CHECK_MEM byte, [es:0x300], 0x40
        CHECK_MEM byte, [es:0x309], 0x49
        CHECK_MEM byte, [es:0x30A], 0

        TEST 'rep movsw df=1'
        std
        mov si, 0x0E
        mov di, 0x40E
        mov cx, 4
        rep movsw
        cld
        CHECK_REG si, 0x06
        CHECK_REG di, 0x406
        CHECK_MEM word, [es:0x406], 0
        CHECK_MEM word, [es:0x408], 0x4948
        CHECK_MEM word, [es:0x40E], 0x4F4E

        TEST 'rep movsd df=1'
        std
        mov si, 0x0C
        mov di, 0x50C
        mov cx, 2
        rep movsd
        cld
        CHECK_REG si, 0x04
        CHECK_REG di, 0x504
        CHECK_MEM dword, [es:0x508], 0x4B4A4948
        CHECK_MEM dword, [es:0x50C], 0x4F4E4D4C

; ---------------------------------------------------------------- overlapping copies
        TEST 'movsb overlap fwd'
        push ds
        mov ax, DST
        mov ds, ax
        mov byte [0x600], 'X'
        mov si, 0x600
        mov di, 0x601
        mov cx, 15
        rep movsb                       ; byte by byte: propagates 'X'
        CHECK_MEM byte, [es:0x601], 'X'
        CHECK_MEM byte, [es:0x608], 'X'
        CHECK_MEM byte, [es:0x60F], 'X'
        CHECK_MEM byte, [es:0x610], 0

        TEST 'movsb overlap back'
        mov dword [0x700], 0x04030201
        std
        mov si, 0x703
        mov di, 0x705
        mov cx, 4
        rep movsb                       ; 1 2 3 4 -> 1 2 1 2 3 4
        cld
        CHECK_MEM word, [es:0x700], 0x0201
        CHECK_MEM dword, [es:0x702], 0x04030201

        TEST 'movsw overlap fwd'
        mov word [0x620], 0xBEEF
        mov si, 0x620
        mov di, 0x622
        mov cx, 4
        rep movsw
        CHECK_MEM word, [es:0x628], 0xBEEF
        CHECK_MEM word, [es:0x62A], 0
        pop ds

; ---------------------------------------------------------------- STOS
        TEST 'rep stosb'
        mov al, 0xAB
        mov di, 0x800
        mov cx, 7
        rep stosb
        CHECK_REG di, 0x807
        CHECK_REG cx, 0
        CHECK_MEM byte, [es:0x800], 0xAB
        CHECK_MEM byte, [es:0x806], 0xAB
        CHECK_MEM byte, [es:0x807], 0

        TEST 'rep stosw'
        mov ax, 0x1234
        mov di, 0x810
        mov cx, 3
        rep stosw
        CHECK_REG di, 0x816
        CHECK_MEM word, [es:0x810], 0x1234
        CHECK_MEM word, [es:0x814], 0x1234
        CHECK_MEM word, [es:0x816], 0

        TEST 'rep stosd'
        mov eax, 0xDEADBEEF
        mov di, 0x820
        mov cx, 2
        rep stosd
        CHECK_REG di, 0x828
        CHECK_MEM dword, [es:0x824], 0xDEADBEEF
        CHECK_MEM dword, [es:0x828], 0

        TEST 'ds stosb'                 ; the destination is always ES:DI
        mov al, 0x77
        mov di, 0x830
        ds stosb
        CHECK_REG di, 0x831
        CHECK_MEM byte, [es:0x830], 0x77
        CHECK_MEM byte, [ds:0x830], 0

        TEST 'stosw df=1'
        std
        mov ax, 0x5566
        mov di, 0x842
        mov cx, 2
        rep stosw
        cld
        CHECK_REG di, 0x83E
        CHECK_MEM word, [es:0x840], 0x5566
        CHECK_MEM word, [es:0x842], 0x5566
        CHECK_MEM word, [es:0x83E], 0

        TEST 'rep stosb cx=0'
        mov al, 0xEE
        mov di, 0x850
        mov cx, 0
        rep stosb
        CHECK_REG di, 0x850
        CHECK_MEM byte, [es:0x850], 0

; ---------------------------------------------------------------- LODS
        TEST 'lods'
        mov eax, 0xFFFFFFFF
        mov si, 0x10
        lodsb
        CHECK_REG eax, 0xFFFFFF50
        CHECK_REG si, 0x11
        lodsw
        CHECK_REG eax, 0xFFFF5251
        CHECK_REG si, 0x13
        lodsd
        CHECK_REG eax, 0x56555453
        CHECK_REG si, 0x17
        std
        lodsb
        cld
        CHECK_REG al, 0x57
        CHECK_REG si, 0x16
        mov si, 0x800
        es lodsb                        ; source override
        CHECK_REG al, 0xAB
        mov si, 0
        mov cx, 3
        rep lodsb
        CHECK_REG al, 0x42
        CHECK_REG si, 3
        CHECK_REG cx, 0

; ---------------------------------------------------------------- CMPS
        mov ax, 0
        mov ds, ax
        mov es, ax
        TEST 'repe cmpsb mismatch'
        mov si, str_hw
        mov di, str_ht
        mov cx, 11
        SET_FLAGS F_ZF|F_CF
        repe cmpsb                      ; stops after 'W' vs 'T' (index 6)
        CHECK_FLAGS F_ARITH, F_PF       ; 0x57 - 0x54 = 3
        CHECK_REG cx, 4
        CHECK_REG si, str_hw + 7
        CHECK_REG di, str_ht + 7

        TEST 'repe cmpsb equal'
        mov si, str_hw
        mov di, str_hw2
        mov cx, 11
        repe cmpsb
        CHECK_FLAGS F_ARITH, F_ZF|F_PF
        CHECK_REG cx, 0
        CHECK_REG si, str_hw + 11
        CHECK_REG di, str_hw2 + 11

        TEST 'repe cmpsb cx=0'
        mov si, str_hw
        mov di, str_ht
        mov cx, 0
        SET_FLAGS F_CF|F_SF
        repe cmpsb                      ; nothing: flags and registers kept
        CHECK_FLAGS F_ARITH, F_CF|F_SF
        CHECK_REG si, str_hw
        CHECK_REG di, str_ht

        TEST 'repne cmpsb'
        mov si, str_abc
        mov di, str_xyz
        mov cx, 6
        repne cmpsb                     ; first equal pair at index 3
        CHECK_FLAGS F_ARITH, F_ZF|F_PF
        CHECK_REG cx, 2
        CHECK_REG si, str_abc + 4

        TEST 'repe cmpsw'
        mov si, words1
        mov di, words2
        mov cx, 3
        repe cmpsw                      ; last pair differs: 0x9ABC - 0x9ABD
        CHECK_FLAGS F_ARITH, F_CF|F_SF|F_AF|F_PF
        CHECK_REG cx, 0
        CHECK_REG si, words1 + 6
        CHECK_REG di, words2 + 6

        TEST 'cmpsd'
        mov si, dw_8000
        mov di, dw_0001
        cmpsd                           ; 0x80000000 - 1 = 0x7FFFFFFF
        CHECK_FLAGS F_ARITH, F_OF|F_AF|F_PF
        CHECK_REG si, dw_8000 + 4
        CHECK_REG di, dw_0001 + 4

        TEST 'cmpsb df=1'
        std
        mov si, str_hw + 4              ; 'O'
        mov di, str_abc + 1             ; 'B'
        cmpsb                           ; 0x4F - 0x42 = 0x0D
        cld
        CHECK_FLAGS F_ARITH|F_DF, 0     ; CLD ran after it; 0x0D has odd parity
        CHECK_REG si, str_hw + 3
        CHECK_REG di, str_abc

; ---------------------------------------------------------------- SCAS
        TEST 'repne scasb found'
        mov di, str_hello0
        mov al, 0
        mov cx, 0xFFFF
        repne scasb
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG cx, 0xFFFF - 6
        CHECK_REG di, str_hello0 + 6

        TEST 'repne scasb not found'
        mov di, str_hw
        mov al, 'Z'
        mov cx, 5
        repne scasb                     ; last compare: 'Z' - 'O' = 0x0B
        CHECK_FLAGS F_ARITH, F_AF
        CHECK_REG cx, 0
        CHECK_REG di, str_hw + 5

        TEST 'repe scasb'
        mov di, str_aaab
        mov al, 'a'
        mov cx, 10
        repe scasb                      ; stops at 'b' (index 3)
        CHECK_FLAGS F_ZF|F_CF, F_CF     ; 'a' - 'b' borrows
        CHECK_REG cx, 6
        CHECK_REG di, str_aaab + 4

        TEST 'scasw'
        mov di, words1
        mov ax, 0x1234
        scasw
        CHECK_FLAGS F_ARITH, F_ZF|F_PF
        CHECK_REG di, words1 + 2
        mov ax, 0x0001
        mov di, dw_0001 + 2             ; word 0x0000
        scasw
        CHECK_FLAGS F_ARITH, 0          ; 1 - 0 = 1
        TEST 'scasd'
        mov eax, 0
        mov di, dw_0001
        scasd                           ; 0 - 1 = 0xFFFFFFFF
        CHECK_FLAGS F_ARITH, F_CF|F_SF|F_AF|F_PF

; ---------------------------------------------------------------- address size
        mov ax, SRC
        mov ds, ax
        mov ax, DST
        mov es, ax
        mov byte [0xFFFC], 0x0D
        mov byte [0xFFFD], 0x0E
        mov byte [0xFFFE], 0x11
        mov byte [0xFFFF], 0x22

        TEST 'a16 wrap'                 ; SI wraps 0xFFFF -> 0, upper halves kept
        mov esi, 0xABCDFFFE
        mov edi, 0x12340900
        mov ecx, 0xFFFF0004
        rep movsb
        CHECK_REG esi, 0xABCD0002
        CHECK_REG edi, 0x12340904
        CHECK_REG ecx, 0xFFFF0000
        CHECK_MEM dword, [es:0x900], 0x41402211

        TEST 'a32 rep movsb'
        mov esi, 0xFFFC
        mov edi, 0x0A00
        mov ecx, 4
        a32 rep movsb                   ; ESI ends at 0x10000, no wrap
        CHECK_REG esi, 0x00010000
        CHECK_REG edi, 0x00000A04
        CHECK_REG ecx, 0
        CHECK_MEM dword, [es:0xA00], 0x22110E0D

        TEST 'a32 lodsb'
        mov esi, 0xFFFF
        a32 lodsb
        CHECK_REG al, 0x22
        CHECK_REG esi, 0x00010000

        TEST 'a32 rep stosd'
        mov eax, 0xCAFEBABE
        mov edi, 0x0B00
        mov ecx, 2
        a32 rep stosd
        CHECK_REG edi, 0x0B08
        CHECK_REG ecx, 0
        CHECK_MEM dword, [es:0xB04], 0xCAFEBABE

        TEST 'a32 repne scasb'
        mov edi, 0x0900                 ; 11 22 40 41
        mov al, 0x40
        mov ecx, 0x10
        a32 repne scasb
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_REG ecx, 0x0D
        CHECK_REG edi, 0x903

        TEST 'a32 count in ECX'         ; CX = 0 but ECX = 0x10000
        mov ax, 0x4000
        mov es, ax
        mov al, 0x5A
        mov edi, 0
        mov ecx, 0x10000
        a32 rep stosb
        CHECK_REG ecx, 0
        CHECK_REG edi, 0x10000
        CHECK_MEM byte, [es:0], 0x5A
        CHECK_MEM byte, [es:0x8000], 0x5A
        CHECK_MEM byte, [es:0xFFFF], 0x5A
        mov edi, 0x100
        mov ecx, 0x10000                ; 16-bit form: CX = 0, nothing happens
        mov al, 0x11
        rep stosb
        CHECK_REG ecx, 0x10000
        CHECK_REG edi, 0x100
        CHECK_MEM byte, [es:0x100], 0x5A

        mov ax, 0
        mov ds, ax
        mov es, ax
        DONE

str_hw:     db 'HELLO WORLD'
str_ht:     db 'HELLO THERE'
str_hw2:    db 'HELLO WORLD'
str_abc:    db 'ABCDEF'
str_xyz:    db 'XYZDQQ'
str_hello0: db 'HELLO', 0, 'JUNK'
str_aaab:   db 'aaabaaaaaa'
align 2
words1:     dw 0x1234, 0x5678, 0x9ABC
words2:     dw 0x1234, 0x5678, 0x9ABD
dw_8000:    dd 0x80000000
dw_0001:    dd 0x00000001
