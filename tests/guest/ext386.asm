; ext386.asm - 386/486/P6 additions: MOVZX/MOVSX, BT/BTS/BTR/BTC (register,
; immediate and memory forms with large and negative bit offsets), BSF/BSR,
; SETcc and CMOVcc for all 16 conditions, XADD, CMPXCHG, CMPXCHG8B, BSWAP,
; CPUID ("GenuineIntel"), RDTSC, and 32-bit addressing (SIB, scale, no base,
; EBP/ESP bases default to SS, 32-bit wrap-around) and LEA.

%include "rztest.inc"

; ST cc, flags, value: SETcc AL after loading flags (AH keeps the flag byte)
%macro ST 3
        mov ax, (%2) | 0x55
        SET_FLAGS %2
        set%1 al
        CHECK_REG ax, ((%2) & 0xFF00) | (%3)
%endmacro

; CM32 / CM16 cc, flags, taken
%macro CM32 3
        mov eax, 0x11111111
        mov ebx, 0x22222222
        SET_FLAGS %2
        cmov%1 eax, ebx
  %if %3
        CHECK_REG eax, 0x22222222
  %else
        CHECK_REG eax, 0x11111111
  %endif
%endmacro
%macro CM16 3
        mov eax, 0x11111111
        mov word [cmvar], 0x3333
        SET_FLAGS %2
        cmov%1 ax, [cmvar]
  %if %3
        CHECK_REG eax, 0x11113333
  %else
        CHECK_REG eax, 0x11111111
  %endif
%endmacro

BT_MASK equ F_CF|F_ZF                   ; BTx: CF = bit, ZF unaffected (others undefined)

        PRINTLN "ext386: 386+ instructions and 32-bit addressing"

; ---------------------------------------------------------------- MOVZX / MOVSX
        TEST movzx
        mov ebx, 0x12345680
        mov eax, 0xFFFFFFFF
        movzx ax, bl
        CHECK_REG eax, 0xFFFF0080
        movzx eax, bx
        CHECK_REG eax, 0x00005680
        movzx ecx, bh
        CHECK_REG ecx, 0x00000056
        mov byte [mvar], 0xF0
        movzx edx, byte [mvar]
        CHECK_REG edx, 0x000000F0
        mov word [mvar], 0x8001
        movzx esi, word [mvar]
        CHECK_REG esi, 0x00008001
        TEST movsx
        mov eax, 0
        movsx ax, bl                    ; 0x80
        CHECK_REG eax, 0x0000FF80
        movsx eax, bx                   ; 0x5680
        CHECK_REG eax, 0x00005680
        mov bx, 0x8000
        movsx eax, bx
        CHECK_REG eax, 0xFFFF8000
        mov byte [mvar], 0x7F
        movsx ecx, byte [mvar]
        CHECK_REG ecx, 0x0000007F
        mov byte [mvar], 0x80
        movsx edx, byte [mvar]
        CHECK_REG edx, 0xFFFFFF80
        mov word [mvar], 0xFFFE
        movsx edi, word [mvar]
        CHECK_REG edi, 0xFFFFFFFE
        SET_FLAGS F_CF|F_OF
        movsx di, byte [mvar]           ; no flags change
        CHECK_FLAGS F_ARITH, F_CF|F_OF

; ---------------------------------------------------------------- BT family, registers
        TEST 'bt reg'
        mov ax, 0x0002
        mov cx, 17                      ; 17 mod 16 = 1
        SET_FLAGS F_ZF
        bt ax, cx
        CHECK_FLAGS BT_MASK, F_CF|F_ZF
        CHECK_REG ax, 0x0002
        mov cx, 16                      ; bit 0
        SET_FLAGS F_CF
        bt ax, cx
        CHECK_FLAGS BT_MASK, 0
        TEST 'bts reg'
        mov eax, 0
        mov ecx, 33                     ; 33 mod 32 = 1
        bts eax, ecx
        CHECK_REG eax, 2
        CHECK_FLAGS F_CF, 0
        bts eax, ecx
        CHECK_REG eax, 2
        CHECK_FLAGS F_CF, F_CF
        TEST 'btr imm'
        mov ebx, 0x80000001
        SET_FLAGS 0
        btr ebx, 31
        CHECK_REG ebx, 0x00000001
        CHECK_FLAGS BT_MASK, F_CF
        TEST 'btc imm'
        mov dx, 0
        btc dx, 15
        CHECK_REG dx, 0x8000
        CHECK_FLAGS F_CF, 0
        btc dx, 31                      ; immediate taken mod 16: bit 15 again
        CHECK_REG dx, 0x0000
        CHECK_FLAGS F_CF, F_CF

; ---------------------------------------------------------------- BT family, memory
; bitmap at 0x2000:4000; a register bit offset is signed and not masked
        TEST 'bt mem'
        mov ax, 0x2000
        mov ds, ax
        mov word [0x400C], 0x0010
        mov ax, 100                     ; word 0x4000 + 12, bit 4
        bt word [0x4000], ax
        CHECK_FLAGS F_CF, F_CF
        mov ax, 99                      ; bit 3: clear
        bt word [0x4000], ax
        CHECK_FLAGS F_CF, 0
        TEST 'bts mem +4096'
        mov eax, 0x1000                 ; dword 0x4000 + 512, bit 0
        bts dword [0x4000], eax
        CHECK_FLAGS F_CF, 0
        CHECK_MEM dword, [0x4200], 1
        bts dword [0x4000], eax
        CHECK_FLAGS F_CF, F_CF
        TEST 'btr mem -1'
        mov dword [0x3FFC], 0x80000001
        mov eax, -1                     ; bit 7 of the byte just below 0x4000
        btr dword [0x4000], eax
        CHECK_FLAGS F_CF, F_CF
        CHECK_MEM dword, [0x3FFC], 0x00000001
        TEST 'btc mem -17'
        mov ax, -17                     ; word 0x4000 - 4 (index -2), bit 15
        btc word [0x4000], ax
        CHECK_FLAGS F_CF, 0
        CHECK_MEM dword, [0x3FFC], 0x00008001
        TEST 'bts mem +128K'
        mov eax, 0x20000                ; byte offset 0x4000 -> 0x8000, bit 0
        bts dword [0x4000], eax
        CHECK_MEM dword, [0x8000], 1
        TEST 'bts [bx] +32760'
        mov bx, 0x4000
        mov eax, 32760                  ; dword 0x4000 + 4092, bit 24
        bts dword [bx], eax
        CHECK_MEM dword, [0x4FFC], 0x01000000
        TEST 'bts m16 +32767'
        mov ax, 0x7FFF                  ; word 0x1000 + 4094, bit 15
        bts word [0x1000], ax
        CHECK_MEM word, [0x1FFE], 0x8000
        CHECK_MEM word, [0x2000], 0
        TEST 'bts m16 -32768'
        mov ax, 0x8000                  ; word 0xA000 - 4096, bit 0
        bts word [0xA000], ax
        CHECK_FLAGS F_CF, 0
        CHECK_MEM dword, [0x9000], 1
        CHECK_MEM word, [0xA000], 0
        TEST 'bts mem imm'
        mov word [0x4100], 0
        bts word [0x4100], 17           ; immediate: bit 17 mod 16 = 1 of this word
        CHECK_MEM word, [0x4100], 0x0002
        CHECK_MEM word, [0x4102], 0
        bt dword [0x4100], 33
        CHECK_FLAGS F_CF, F_CF
        mov ax, 0
        mov ds, ax

; ---------------------------------------------------------------- BSF / BSR
        TEST bsf
        mov bx, 0x0100
        bsf ax, bx
        CHECK_REG ax, 8
        CHECK_FLAGS F_ZF, 0
        mov ebx, 0x80000000
        bsf eax, ebx
        CHECK_REG eax, 31
        mov edx, 0x00F00000
        bsf ecx, edx
        CHECK_REG ecx, 20
        mov dword [mvar], 0x00000006
        bsf esi, [mvar]
        CHECK_REG esi, 1
        mov edx, 0
        bsf ecx, edx                    ; source 0: ZF = 1, destination undefined
        CHECK_FLAGS F_ZF, F_ZF
        TEST bsr
        mov bx, 0x0101
        bsr ax, bx
        CHECK_REG ax, 8
        CHECK_FLAGS F_ZF, 0
        mov ebx, 0x80000001
        bsr eax, ebx
        CHECK_REG eax, 31
        mov edx, 0x00F00000
        bsr ecx, edx
        CHECK_REG ecx, 23
        mov word [mvar], 1
        bsr di, [mvar]
        CHECK_REG di, 0
        mov ax, 0
        bsr cx, ax
        CHECK_FLAGS F_ZF, F_ZF

; ---------------------------------------------------------------- SETcc / CMOVcc
        TEST 'seto'
        ST o, 0, 0
        ST o, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST o, F_OF|F_ZF, 1
        ST o, F_SF|F_CF, 0
        ST o, F_OF|F_SF|F_PF, 1
        TEST 'setno'
        ST no, 0, 1
        ST no, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST no, F_OF|F_ZF, 0
        ST no, F_SF|F_CF, 1
        ST no, F_OF|F_SF|F_PF, 0
        TEST 'setb'
        ST b, 0, 0
        ST b, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST b, F_OF|F_ZF, 0
        ST b, F_SF|F_CF, 1
        ST b, F_OF|F_SF|F_PF, 0
        TEST 'setae'
        ST ae, 0, 1
        ST ae, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST ae, F_OF|F_ZF, 1
        ST ae, F_SF|F_CF, 0
        ST ae, F_OF|F_SF|F_PF, 1
        TEST 'sete'
        ST e, 0, 0
        ST e, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST e, F_OF|F_ZF, 1
        ST e, F_SF|F_CF, 0
        ST e, F_OF|F_SF|F_PF, 0
        TEST 'setne'
        ST ne, 0, 1
        ST ne, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST ne, F_OF|F_ZF, 0
        ST ne, F_SF|F_CF, 1
        ST ne, F_OF|F_SF|F_PF, 1
        TEST 'setbe'
        ST be, 0, 0
        ST be, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST be, F_OF|F_ZF, 1
        ST be, F_SF|F_CF, 1
        ST be, F_OF|F_SF|F_PF, 0
        TEST 'seta'
        ST a, 0, 1
        ST a, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST a, F_OF|F_ZF, 0
        ST a, F_SF|F_CF, 0
        ST a, F_OF|F_SF|F_PF, 1
        TEST 'sets'
        ST s, 0, 0
        ST s, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST s, F_OF|F_ZF, 0
        ST s, F_SF|F_CF, 1
        ST s, F_OF|F_SF|F_PF, 1
        TEST 'setns'
        ST ns, 0, 1
        ST ns, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST ns, F_OF|F_ZF, 1
        ST ns, F_SF|F_CF, 0
        ST ns, F_OF|F_SF|F_PF, 0
        TEST 'setp'
        ST p, 0, 0
        ST p, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST p, F_OF|F_ZF, 0
        ST p, F_SF|F_CF, 0
        ST p, F_OF|F_SF|F_PF, 1
        TEST 'setnp'
        ST np, 0, 1
        ST np, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST np, F_OF|F_ZF, 1
        ST np, F_SF|F_CF, 1
        ST np, F_OF|F_SF|F_PF, 0
        TEST 'setl'
        ST l, 0, 0
        ST l, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST l, F_OF|F_ZF, 1
        ST l, F_SF|F_CF, 1
        ST l, F_OF|F_SF|F_PF, 0
        TEST 'setge'
        ST ge, 0, 1
        ST ge, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST ge, F_OF|F_ZF, 0
        ST ge, F_SF|F_CF, 0
        ST ge, F_OF|F_SF|F_PF, 1
        TEST 'setle'
        ST le, 0, 0
        ST le, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        ST le, F_OF|F_ZF, 1
        ST le, F_SF|F_CF, 1
        ST le, F_OF|F_SF|F_PF, 0
        TEST 'setg'
        ST g, 0, 1
        ST g, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        ST g, F_OF|F_ZF, 0
        ST g, F_SF|F_CF, 0
        ST g, F_OF|F_SF|F_PF, 1
        TEST 'cmovo'
        CM32 o, 0, 0
        CM16 o, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 o, F_OF|F_ZF, 1
        TEST 'cmovno'
        CM16 no, 0, 1
        CM32 no, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 no, F_OF|F_ZF, 0
        TEST 'cmovb'
        CM32 b, 0, 0
        CM16 b, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 b, F_OF|F_ZF, 0
        TEST 'cmovae'
        CM16 ae, 0, 1
        CM32 ae, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 ae, F_OF|F_ZF, 1
        TEST 'cmove'
        CM32 e, 0, 0
        CM16 e, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 e, F_OF|F_ZF, 1
        TEST 'cmovne'
        CM16 ne, 0, 1
        CM32 ne, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 ne, F_OF|F_ZF, 0
        TEST 'cmovbe'
        CM32 be, 0, 0
        CM16 be, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 be, F_OF|F_ZF, 1
        TEST 'cmova'
        CM16 a, 0, 1
        CM32 a, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 a, F_OF|F_ZF, 0
        TEST 'cmovs'
        CM32 s, 0, 0
        CM16 s, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 s, F_OF|F_ZF, 0
        TEST 'cmovns'
        CM16 ns, 0, 1
        CM32 ns, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 ns, F_OF|F_ZF, 1
        TEST 'cmovp'
        CM32 p, 0, 0
        CM16 p, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 p, F_OF|F_ZF, 0
        TEST 'cmovnp'
        CM16 np, 0, 1
        CM32 np, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 np, F_OF|F_ZF, 1
        TEST 'cmovl'
        CM32 l, 0, 0
        CM16 l, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM32 l, F_OF|F_ZF, 1
        TEST 'cmovge'
        CM16 ge, 0, 1
        CM32 ge, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM16 ge, F_OF|F_ZF, 0
        TEST 'cmovle'
        CM32 le, 0, 0
        CM16 le, F_OF|F_SF|F_ZF|F_PF|F_CF, 1
        CM32 le, F_OF|F_ZF, 1
        TEST 'cmovg'
        CM16 g, 0, 1
        CM32 g, F_OF|F_SF|F_ZF|F_PF|F_CF, 0
        CM16 g, F_OF|F_ZF, 0
        TEST 'setcc mem'
        mov byte [mvar], 0x55
        SET_FLAGS F_ZF
        setz [mvar]
        CHECK_MEM byte, [mvar], 1
        setnz [mvar]
        CHECK_MEM byte, [mvar], 0
        TEST 'cmov mem false'           ; a false CMOV with a memory source leaves the register
        mov ecx, 0xAAAAAAAA
        SET_FLAGS 0
        cmovz ecx, [mvar]
        CHECK_REG ecx, 0xAAAAAAAA

; ---------------------------------------------------------------- XADD / CMPXCHG / CMPXCHG8B
        TEST xadd
        mov ax, 0x7FFF
        mov bx, 1
        xadd ax, bx
        CHECK_REG ax, 0x8000
        CHECK_REG bx, 0x7FFF
        CHECK_FLAGS F_ARITH, F_OF|F_SF|F_AF|F_PF
        mov byte [mvar], 0xFF
        mov cl, 1
        xadd [mvar], cl
        CHECK_MEM byte, [mvar], 0
        CHECK_REG cl, 0xFF
        CHECK_FLAGS F_ARITH, F_ZF|F_AF|F_PF|F_CF
        mov dword [mvar], 0x80000000
        mov ecx, 0x80000000
        xadd [mvar], ecx
        CHECK_MEM dword, [mvar], 0
        CHECK_REG ecx, 0x80000000
        CHECK_FLAGS F_ARITH, F_OF|F_ZF|F_PF|F_CF
        mov eax, 5
        xadd eax, eax                   ; the destination is written last: 10
        CHECK_REG eax, 10

        TEST cmpxchg
        mov ax, 0x1234
        mov bx, 0x1234
        mov cx, 0x5678
        cmpxchg bx, cx
        CHECK_FLAGS F_ARITH, F_ZF|F_PF
        CHECK_REG bx, 0x5678
        CHECK_REG ax, 0x1234
        mov ax, 0x1111
        mov bx, 0x2222
        mov cx, 0x3333
        cmpxchg bx, cx                  ; flags of CMP AX, BX: 0x1111 - 0x2222
        CHECK_FLAGS F_ARITH, F_CF|F_SF|F_AF
        CHECK_REG ax, 0x2222
        CHECK_REG bx, 0x2222
        mov al, 0x80
        mov byte [mvar], 0x80
        mov cl, 0x7F
        cmpxchg [mvar], cl
        CHECK_FLAGS F_ZF, F_ZF
        CHECK_MEM byte, [mvar], 0x7F
        mov eax, 1
        mov dword [mvar], 2
        mov ecx, 3
        cmpxchg [mvar], ecx             ; 1 - 2
        CHECK_FLAGS F_ARITH, F_CF|F_SF|F_AF|F_PF
        CHECK_REG eax, 2
        CHECK_MEM dword, [mvar], 2

        TEST cmpxchg8b
        mov dword [qvar], 0x22222222
        mov dword [qvar+4], 0x11111111
        mov eax, 0x22222222
        mov edx, 0x11111111
        mov ebx, 0x44444444
        mov ecx, 0x33333333
        SET_FLAGS F_CF|F_SF|F_OF
        cmpxchg8b [qvar]
        CHECK_FLAGS F_ARITH, F_CF|F_SF|F_OF|F_ZF     ; only ZF changes
        CHECK_MEM dword, [qvar], 0x44444444
        CHECK_MEM dword, [qvar+4], 0x33333333
        CHECK_REG eax, 0x22222222
        CHECK_REG edx, 0x11111111
        mov eax, 0
        mov edx, 0
        SET_FLAGS F_ZF|F_PF
        cmpxchg8b [qvar]                ; differs: EDX:EAX <- memory
        CHECK_FLAGS F_ARITH, F_PF
        CHECK_REG eax, 0x44444444
        CHECK_REG edx, 0x33333333
        CHECK_MEM dword, [qvar], 0x44444444

        TEST bswap
        mov eax, 0x12345678
        bswap eax
        CHECK_REG eax, 0x78563412
        mov edi, 0x000000FF
        bswap edi
        CHECK_REG edi, 0xFF000000
        mov ebp, 0x80010203
        bswap ebp
        CHECK_REG ebp, 0x03020180

; ---------------------------------------------------------------- far pointers, XLAT, MOV sreg
        TEST 'lds/les/lfs/lgs'
        mov si, 0
        lds si, [farp]
        mov ax, ds
        mov dx, 0
        mov ds, dx
        CHECK_REG si, 0x1234
        CHECK_REG ax, 0x5678
        les di, [farp]
        mov ax, es
        CHECK_REG di, 0x1234
        CHECK_REG ax, 0x5678
        lfs bx, [farp]
        mov ax, fs
        CHECK_REG bx, 0x1234
        CHECK_REG ax, 0x5678
        lgs ecx, [farp32]               ; 32-bit offset, then the selector
        mov ax, gs
        CHECK_REG ecx, 0x89ABCDEF
        CHECK_REG ax, 0x4321
        mov ax, 0
        mov es, ax
        mov fs, ax
        mov gs, ax
        TEST lss
        lss sp, [stackp]                ; SS:SP = 0:0x7B00 in one go
        CHECK_REG sp, 0x7B00
        mov ax, ss
        CHECK_REG ax, 0
        mov sp, 0x7C00
        TEST xlat
        mov bx, xtab
        mov al, 3
        xlatb
        CHECK_REG al, 0x13
        mov al, 0x0F
        xlatb
        CHECK_REG al, 0x1F
        mov ax, 1                       ; ES base 0x10: 16 bytes further
        mov es, ax
        mov al, 0
        es xlatb
        CHECK_REG al, 0x20
        mov ax, 0
        mov es, ax
        TEST 'mov r32, sreg'            ; P6: zero-extended
        mov eax, 0xFFFFFFFF
        mov dx, 0x1234
        mov fs, dx
        mov eax, fs
        CHECK_REG eax, 0x00001234
        mov word [mvar+2], 0xAAAA
        mov [mvar], fs                  ; a memory destination is 16 bits
        CHECK_MEM dword, [mvar], 0xAAAA1234
        mov dx, 0
        mov fs, dx

; ---------------------------------------------------------------- CPUID / RDTSC
        TEST cpuid
        mov eax, 0
        cpuid
        CHECK_REG ebx, 0x756E6547       ; "Genu"
        CHECK_REG edx, 0x49656E69       ; "ineI"
        CHECK_REG ecx, 0x6C65746E       ; "ntel"
        cmp eax, 1
        jae cpuid_ok
        FAIL "max basic leaf < 1"
cpuid_ok:
        mov eax, 1
        cpuid
        and edx, (1 << 4) | (1 << 8) | (1 << 15)   ; TSC, CX8, CMOV
        CHECK_REG edx, (1 << 4) | (1 << 8) | (1 << 15)
        TEST 'cpuid id flag'            ; EFLAGS.ID can be toggled
        pushfd
        pop eax
        mov ecx, eax
        xor eax, 1 << 21
        push eax
        popfd
        pushfd
        pop eax
        push ecx
        popfd
        xor eax, ecx
        CHECK_REG eax, 1 << 21

        TEST rdtsc
        rdtsc
        mov esi, eax
        mov edi, edx
        mov cx, 100
tsc_spin:
        loop tsc_spin
        rdtsc
        sub eax, esi
        sbb edx, edi                    ; EDX:EAX = later - earlier
        jb tsc_bad
        jnz tsc_good
        cmp eax, 0
        jne tsc_good
tsc_bad:
        FAIL "TSC did not advance"
tsc_good:
        PASS

; ---------------------------------------------------------------- 32-bit addressing
; tbl32 dword k = 0xC0000000 + k.  DS base 0x10 (4 dwords up): DS reads see k+4.
        TEST 'sib'
        mov ax, 1
        mov ds, ax
        mov ebx, tbl32
        mov esi, 3
        mov eax, [ebx+esi*4]
        CHECK_REG eax, 0xC0000007
        mov eax, [ebx+esi*4+8]
        CHECK_REG eax, 0xC0000009
        mov eax, [esi*4+tbl32]          ; no base, disp32
        CHECK_REG eax, 0xC0000007
        mov eax, [ebx+esi*2+2]
        CHECK_REG eax, 0xC0000006
        mov eax, [ebx+esi*8-8]
        CHECK_REG eax, 0xC0000008
        mov eax, [ebx]
        CHECK_REG eax, 0xC0000004
        mov eax, [dword tbl32+8]        ; mod 00 r/m 101: disp32
        CHECK_REG eax, 0xC0000006
        mov ecx, 2
        mov eax, [ecx*8+tbl32]
        CHECK_REG eax, 0xC0000008
        mov edx, 1
        mov ax, [ebx+edx*4]             ; 16-bit operand, 32-bit address
        CHECK_REG ax, 0x0005
        mov al, [ebx+edx*4+3]
        CHECK_REG al, 0xC0
        TEST 'sib ss'
        mov ebp, tbl32
        mov eax, [ebp+esi*4]            ; EBP base: SS
        CHECK_REG eax, 0xC0000003
        mov eax, [ebp+8]
        CHECK_REG eax, 0xC0000002
        mov ebp, 8
        db 0x67, 0x66, 0x8B, 0x04, 0x2B         ; mov eax, [ebx+ebp*1]: base EBX -> DS
        CHECK_REG eax, 0xC0000006
        mov ebp, tbl32
        mov ebx, 8
        db 0x67, 0x66, 0x8B, 0x44, 0x1D, 0x00   ; mov eax, [ebp+ebx*1+0]: base EBP -> SS
        CHECK_REG eax, 0xC0000002
        mov ebx, tbl32
        db 0x67, 0x66, 0x8B, 0x04, 0x63         ; SIB index 100 (none), scale 2: [ebx]
        CHECK_REG eax, 0xC0000004
        push dword 0x11223344
        mov eax, [esp]                  ; ESP base: SS
        CHECK_REG eax, 0x11223344
        mov ax, [esp+2]
        CHECK_REG ax, 0x1122
        pop eax
        TEST 'ea wrap'                  ; the 32-bit sum wraps at 4 GiB
        mov ebx, 0xFFFFFFFC
        mov esi, tbl32 + 4
        mov eax, [ebx+esi]
        CHECK_REG eax, 0xC0000004
        mov eax, [ebx+esi*2+0x14-tbl32] ; -4 + 2*(tbl32+4) + 0x14 - tbl32 = tbl32 + 0x18
        CHECK_REG eax, 0xC000000A       ; k = 6, +4 for DS
        mov ax, 0
        mov ds, ax

        TEST lea32
        mov ebx, 0x10000000
        mov ecx, 0x10
        lea eax, [ebx+ecx*8+0x12345678]
        CHECK_REG eax, 0x223456F8
        mov ebx, 0x1234FFFF
        mov ecx, 2
        mov eax, 0xFFFFFFFF
        lea ax, [ebx+ecx]               ; 16-bit destination: low half only
        CHECK_REG eax, 0xFFFF0001
        mov bx, 0xFFFF
        mov si, 2
        lea eax, [bx+si]                ; 16-bit address, zero-extended
        CHECK_REG eax, 0x00000001
        mov esi, 0xFFFFFFFF
        lea edx, [esi+esi*4+6]          ; 5 * -1 + 6 = 1
        CHECK_REG edx, 1

        DONE

align 16
tbl32:
%assign k 0
%rep 32
        dd 0xC0000000 + k
%assign k k+1
%endrep
mvar:   dd 0
cmvar:  dw 0
farp:   dw 0x1234, 0x5678
farp32: dd 0x89ABCDEF
        dw 0x4321
stackp: dw 0x7B00, 0
xtab:   db 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17
        db 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F
        db 0x20, 0x21
align 8
qvar:   dd 0, 0
