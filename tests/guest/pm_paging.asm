; pm_paging.asm - paging (Intel SDM vol. 3 ch. 4): 32-bit paging with 4 KiB
; pages (identity map and an alias), accessed/dirty bits, page-fault error codes
; and CR2 (not present, write, user, protection, reserved bit, instruction
; fetch), CR0.WP, U/S and R/W combined from PDE and PTE, PSE 4 MiB pages, the
; TLB (stale entries, INVLPG, MOV CR3, global pages with CR4.PGE), PAE paging
; with 2 MiB pages, 4 KiB PAE pages and NX (EFER.NXE), and finally a timed loop
; of paging-heavy accesses (used for a MIPS figure: run with --stats).

%include "pm.inc"

CR0_WP          equ 1 << 16
CR0_PG          equ 1 << 31
CR4_PSE         equ 1 << 4
CR4_PAE         equ 1 << 5
CR4_PGE         equ 1 << 7
MSR_EFER        equ 0xC0000080
EFER_NXE        equ 1 << 11

P               equ 0x001
W               equ 0x002
U               equ 0x004
A               equ 0x020
D               equ 0x040
PS              equ 0x080
G               equ 0x100

; 32-bit paging structures
PD              equ 0x100000
PT0             equ 0x101000            ; 0-4 MiB
PT3             equ 0x102000            ; 0xC00000-0xFFFFFF: alias, TLB, A/D pages
PT9             equ 0x103000            ; 0x2400000: PDE read-only + supervisor
PT4             equ 0x104000            ; 4 tables: 16-32 MiB for the timed loop

; test pages (linear = physical in PT0)
PG_NP           equ 0x300000            ; not present
PG_SRO          equ 0x301000            ; supervisor read-only
PG_SRW          equ 0x302000            ; supervisor read/write
PG_URO          equ 0x303000            ; user read-only
PH_ALIAS        equ 0x305000            ; physical page seen at LIN_ALIAS
PH_P1           equ 0x306000            ; TLB test: marker 0x11111111
PH_P2           equ 0x307000            ; TLB test: marker 0x22222222
PH_AD           equ 0x308000            ; A/D test
PH_PDERO        equ 0x309000            ; behind the read-only supervisor PDE
PH_ROAD         equ 0x30A000            ; read-only page for "no D on a failed write"
LIN_ALIAS       equ 0xC00000
LIN_AD          equ 0xC03000
LIN_ROAD        equ 0xC04000
LIN_X           equ 0xE3A000            ; global page (TLB index unlikely to collide)
LIN_Y           equ 0xE3B000            ; non-global page
LIN_4M          equ 0x800000            ; PSE 4 MiB page -> physical 0x400000
LIN_RSVD4M      equ 0x2000000           ; 4 MiB PDE with reserved bit 21
LIN_PDERO       equ 0x2400000

; PAE structures
PDPT            equ 0x110000
PD_PAE          equ 0x111000
PT_PAE          equ 0x112000
LIN_NX          equ 0x600000            ; 2 MiB page with XD
LIN_PAE4K       equ 0x800000            ; 4 KiB PAE pages
LIN_PAERSVD     equ 0xA00000            ; 2 MiB PDE with reserved bit 13

; timed loop
LOOP_BASE       equ 0x1000000           ; 16 MiB, 4096 pages
LOOP_PAGES      equ 4096
LOOP_ITERS      equ 384

%macro PTE 2                            ; linear address (in PT0 or PT3), value
  %if (%1) >= 0xC00000
        mov dword [PT3 + (((%1) >> 12) & 0x3FF)*4], %2
  %else
        mov dword [PT0 + ((%1) >> 12)*4], %2
  %endif
%endmacro

%macro FLUSH 0                          ; MOV CR3, CR3
        mov eax, cr3
        mov cr3, eax
%endmacro

        PRINTLN "pm_paging: paging"
        PM_INIT_TSS

        TEST 'cpuid features'
        mov eax, 1
        cpuid
        mov eax, edx
        and eax, (1 << 3) | (1 << 6) | (1 << 13)
        CHECK_REG eax, (1 << 3) | (1 << 6) | (1 << 13)  ; PSE, PAE, PGE
        mov eax, 0x80000001
        cpuid
        and edx, 1 << 20
        CHECK_REG edx, 1 << 20                          ; NX

; ---------------------------------------------------------------- tables
        ; markers, written with paging off
        mov dword [PH_ALIAS + 0x10], 0xA11A5A11
        mov dword [PH_P1], 0x11111111
        mov dword [PH_P2], 0x22222222
        mov dword [PH_AD], 0xADADADAD
        mov dword [PH_PDERO], 0x0E0E0E0E
        mov dword [0x400000 + 0x1234], 0x4A4A4A4A
        mov dword [0x555000], 0x55555555        ; INVLPG tests: old and new frames
        mov dword [0x955000], 0x95959595
        mov dword [0x455000], 0x45454545
        mov dword [0x855000], 0x85858585
        mov dword [PG_SRO], 0x5A5A5A5A
        mov dword [PG_URO], 0x7A7A7A7A
        ; page directory
        mov edi, PD
        xor eax, eax
        mov ecx, 1024
        rep stosd
        mov dword [PD + 0*4], PT0 | P|W|U
        mov dword [PD + 2*4], 0x400000 | PS|P|W|U       ; A=D=0
        mov dword [PD + 3*4], PT3 | P|W|U
        mov dword [PD + 4*4], (PT4 + 0x0000) | P|W|U
        mov dword [PD + 5*4], (PT4 + 0x1000) | P|W|U
        mov dword [PD + 6*4], (PT4 + 0x2000) | P|W|U
        mov dword [PD + 7*4], (PT4 + 0x3000) | P|W|U
        mov dword [PD + 8*4], 0x400000 | (1 << 21) | PS|P|W|U
        mov dword [PD + 9*4], PT9 | P   ; read-only, supervisor
        ; PT0: identity 0-4 MiB, user read/write, then the test pages
        mov edi, PT0
        mov eax, P|W|U
        mov ecx, 1024
.pt0:   stosd
        add eax, 0x1000
        loop .pt0
        PTE PG_NP, 0
        PTE PG_SRO, PG_SRO | P
        PTE PG_SRW, PG_SRW | P|W
        PTE PG_URO, PG_URO | P|U
        ; PT3
        mov edi, PT3
        xor eax, eax
        mov ecx, 1024
        rep stosd
        PTE LIN_ALIAS, PH_ALIAS | P|W|U
        PTE LIN_AD, PH_AD | P|W|U
        PTE LIN_ROAD, PH_ROAD | P|U
        PTE LIN_X, PH_P1 | G|P|W|U
        PTE LIN_Y, PH_P1 | P|W|U
        ; PT9: user read/write PTE under the read-only supervisor PDE
        mov edi, PT9
        xor eax, eax
        mov ecx, 1024
        rep stosd
        mov dword [PT9], PH_PDERO | P|W|U
        ; PT4..: identity 16-32 MiB
        mov edi, PT4
        mov eax, LOOP_BASE | P|W|U
        mov ecx, 4096
.pt4:   stosd
        add eax, 0x1000
        loop .pt4

; ---------------------------------------------------------------- on
        TEST 'enable 32-bit paging'
        mov eax, PD
        mov cr3, eax
        mov eax, cr4
        or eax, CR4_PSE
        mov cr4, eax
        mov eax, cr0
        or eax, CR0_PG
        and eax, ~CR0_WP
        mov cr0, eax
        jmp .on
.on:    mov eax, cr0
        and eax, CR0_PG
        CHECK_REG eax, CR0_PG
        mov eax, cr3
        CHECK_REG eax, PD
        CHECK_MEM dword, [PH_P1], 0x11111111    ; identity
        CHECK_VARM PD, A, A                     ; the walk set A in the PDE
        CHECK_VARM PT0 + (0x7000 >> 12)*4, A, A ; ... and in the code's PTE

        TEST 'alias'
        CHECK_MEM dword, [LIN_ALIAS + 0x10], 0xA11A5A11
        mov dword [LIN_ALIAS + 0x20], 0x5EEDF00D        ; write through the alias
        CHECK_MEM dword, [PH_ALIAS + 0x20], 0x5EEDF00D  ; seen through the identity map
        mov dword [PH_ALIAS + 0x24], 0x12121212
        CHECK_MEM dword, [LIN_ALIAS + 0x24], 0x12121212
        ; a dword that straddles into an absent page (PT3 entry 1)
        TRY .r1
.f1:    mov eax, [LIN_ALIAS + 0xFFE]
.r1:    EXPECT 14, 0, .f1

        TEST 'accessed and dirty'
        CHECK_VARM PT3 + ((LIN_AD >> 12) & 0x3FF)*4, A|D, 0
        and dword [PD + 3*4], ~A
        FLUSH
        mov eax, [LIN_AD]                       ; read: A only
        CHECK_REG eax, 0xADADADAD
        CHECK_VARM PT3 + ((LIN_AD >> 12) & 0x3FF)*4, A|D, A
        CHECK_VARM PD + 3*4, A, A               ; the PDE too
        mov dword [LIN_AD + 4], 1               ; write (TLB entry is clean): D
        CHECK_VARM PT3 + ((LIN_AD >> 12) & 0x3FF)*4, A|D, A|D
        CHECK_VARM PD + 3*4, D, 0               ; bit 6 of a PDE for a table: ignored
        CHECK_MEM dword, [PH_AD + 4], 1
        ; a write that faults does not set D
        mov eax, cr0
        or eax, CR0_WP
        mov cr0, eax
        mov eax, [LIN_ROAD]                     ; A set by the read
        TRY .r1
.f1:    mov dword [LIN_ROAD], 2
.r1:    EXPECT 14, 3, .f1
        CHECK_VARM PT3 + ((LIN_ROAD >> 12) & 0x3FF)*4, A|D, A
        ; 4 MiB page: A and D in the PDE
        CHECK_VARM PD + 2*4, A|D, 0
        mov eax, [LIN_4M + 0x1234]
        CHECK_REG eax, 0x4A4A4A4A               ; physical 0x400000 + 0x1234
        CHECK_VARM PD + 2*4, A|D, A
        mov dword [LIN_4M + 0x1238], 0x4B4B4B4B
        CHECK_VARM PD + 2*4, A|D, A|D
        mov eax, [LIN_4M + 0x3FFFFC]            ; the last dword of the big page

        TEST 'page faults'
        ; CR0.WP=1 from here
        mov ebx, PG_NP + 0x44
        TRY .r1
.f1:    mov eax, [ebx]
.r1:    EXPECT 14, 0, .f1
        CHECK_VAR dword, f_cr2, PG_NP + 0x44
        TRY .r2
.f2:    mov byte [PG_NP + 0xFFF], 0
.r2:    EXPECT 14, 2, .f2
        CHECK_VAR dword, f_cr2, PG_NP + 0xFFF
        TRY .r3
.f3:    mov eax, [0x400000]                     ; PDE not present
.r3:    EXPECT 14, 0, .f3
        CHECK_VAR dword, f_cr2, 0x400000
        TRY .r4
.f4:    mov dword [PG_SRO + 8], 0               ; WP=1: supervisor write to read-only
.r4:    EXPECT 14, 3, .f4
        CHECK_VAR dword, f_cr2, PG_SRO + 8
        TRY .r5
.f5:    mov dword [PG_URO + 8], 0
.r5:    EXPECT 14, 3, .f5
        TRY .r6
.f6:    mov dword [LIN_PDERO], 0                ; PDE read-only, PTE writable
.r6:    EXPECT 14, 3, .f6
        CHECK_MEM dword, [LIN_PDERO], 0x0E0E0E0E
        TRY .r7
.f7:    mov eax, [LIN_RSVD4M]                   ; 4 MiB PDE, bit 21 set
.r7:    EXPECT 14, 9, .f7                       ; P | RSVD
        CHECK_VAR dword, f_cr2, LIN_RSVD4M
        TRY .r8
        mov eax, PG_NP
.f8:    call eax                                ; fetch: I/D only with PAE+NXE
.r8:    EXPECT 14, 0, PG_NP
        add esp, 4                              ; the CALL completed
        CHECK_VAR dword, f_cr2, PG_NP
        mov esi, PG_SRW
        mov edi, PG_NP + 8
        TRY .r9
.f9:    movsd                                   ; ESI readable, EDI not present
.r9:    EXPECT 14, 2, .f9
        CHECK_VAR dword, f_cr2, PG_NP + 8
        CHECK_REG esi, PG_SRW                   ; a fault: no register updated
        CHECK_REG edi, PG_NP + 8

        TEST 'CR0.WP=0'
        mov eax, cr0
        and eax, ~CR0_WP
        mov cr0, eax
        TRY .r1
        mov dword [PG_SRO + 8], 0x600D          ; supervisor writes ignore R/W
        mov dword [PG_URO + 8], 0x600E
        mov dword [LIN_PDERO + 4], 0x600F
.r1:    EXPECT_NONE
        CHECK_MEM dword, [PG_SRO + 8], 0x600D
        CHECK_MEM dword, [PG_URO + 8], 0x600E
        CHECK_MEM dword, [PH_PDERO + 4], 0x600F

        TEST 'user accesses'
        mov eax, cr0
        or eax, CR0_WP
        mov cr0, eax
        TO_RING3
        TRY .r1
        mov eax, [PG_URO]                       ; user read-only: readable
        mov eax, [LIN_ALIAS + 0x10]
.r1:    EXPECT_NONE
        TRY .r2
.f2:    mov eax, [PG_NP]
.r2:    EXPECT 14, 4, .f2
        TRY .r3
.f3:    mov [PG_NP + 4], eax
.r3:    EXPECT 14, 6, .f3
        TRY .r4
.f4:    mov eax, [PG_SRW]                       ; supervisor page
.r4:    EXPECT 14, 5, .f4
        TRY .r5
.f5:    mov [PG_SRO], eax                       ; supervisor + read-only
.r5:    EXPECT 14, 7, .f5
        TRY .r6
.f6:    mov [PG_URO], eax                       ; user read-only
.r6:    EXPECT 14, 7, .f6
        CHECK_VAR dword, f_cr2, PG_URO
        TRY .r7
.f7:    mov eax, [LIN_PDERO]                    ; PDE supervisor, PTE user
.r7:    EXPECT 14, 5, .f7
        TRY .r8
.f8:    mov eax, [LIN_RSVD4M]                   ; reserved bit: RSVD | U | P
.r8:    EXPECT 14, 0xD, .f8
        mov eax, PG_SRW
        TRY .r9
.f9:    jmp eax                                 ; user fetch from a supervisor page
.r9:    EXPECT 14, 5, PG_SRW
        CHECK_VAR dword, f_cr2, PG_SRW
        TO_RING0
        mov eax, cr0                            ; CR0.WP=0 does not help user writes
        and eax, ~CR0_WP
        mov cr0, eax
        TO_RING3
        TRY .r10
.f10:   mov [PG_URO], eax
.r10:   EXPECT 14, 7, .f10
        TO_RING0
        mov eax, cr0
        or eax, CR0_WP
        mov cr0, eax

; ---------------------------------------------------------------- TLB
        TEST 'TLB'
        ; X (global) and Y both map P1; load them into the TLB
        mov eax, cr4
        or eax, CR4_PGE
        mov cr4, eax
        mov eax, [LIN_X]
        CHECK_REG eax, 0x11111111
        mov eax, [LIN_Y]
        CHECK_REG eax, 0x11111111
        ; change both PTEs to P2 without invalidation.  The SDM allows (but does
        ; not require) the processor to keep using the cached translation; our
        ; TLB keeps it, and so does every real x86 we know of, so the stale value
        ; is expected here
        PTE LIN_X, PH_P2 | G|P|W|U
        PTE LIN_Y, PH_P2 | P|W|U
        mov eax, [LIN_X]
        mov ebx, [LIN_Y]
        CHECK_REG eax, 0x11111111               ; stale (allowed, not required)
        CHECK_REG ebx, 0x11111111               ; stale (allowed, not required)
        invlpg [LIN_Y]                          ; required to take effect
        mov ebx, [LIN_Y]
        CHECK_REG ebx, 0x22222222
        ; MOV CR3 flushes non-global entries; global ones may survive
        PTE LIN_Y, PH_P1 | P|W|U
        FLUSH
        mov eax, [LIN_X]
        mov ebx, [LIN_Y]
        CHECK_REG ebx, 0x11111111               ; required: Y was flushed
        CHECK_REG eax, 0x11111111               ; global: kept (allowed, not required)
        invlpg [LIN_X]                          ; INVLPG removes global entries too
        mov eax, [LIN_X]
        CHECK_REG eax, 0x22222222
        ; toggling CR4.PGE flushes everything, global entries included
        PTE LIN_X, PH_P1 | G|P|W|U
        mov eax, [LIN_X]
        mov ecx, cr4
        and ecx, ~CR4_PGE
        mov cr4, ecx
        or ecx, CR4_PGE
        mov cr4, ecx
        mov ebx, [LIN_X]
        CHECK_REG eax, 0x22222222               ; stale before the toggle (allowed)
        CHECK_REG ebx, 0x11111111               ; required after it
        ; without CR4.PGE the G bit is ignored: MOV CR3 flushes X
        and ecx, ~CR4_PGE
        mov cr4, ecx
        mov edx, [LIN_X]
        PTE LIN_X, PH_P2 | G|P|W|U
        FLUSH
        mov ebx, [LIN_X]
        CHECK_REG edx, 0x11111111
        CHECK_REG ebx, 0x22222222
        ; a not-present entry is never cached: making it present takes effect
        PTE LIN_Y, 0
        invlpg [LIN_Y]
        TRY .r1
.f1:    mov eax, [LIN_Y]
.r1:    EXPECT 14, 0, .f1
        PTE LIN_Y, PH_P2 | P|W|U
        TRY .r2
        mov eax, [LIN_Y]
.r2:    EXPECT_NONE
        CHECK_REG eax, 0x22222222
        ; read-only -> writable without INVLPG: the write may use the stale entry
        ; and fault (allowed), but a page fault invalidates the entry, so the
        ; retry must succeed (SDM vol. 3 §4.10.4.1)
        PTE LIN_Y, PH_P2 | P|U
        invlpg [LIN_Y]
        mov eax, [LIN_Y]
        PTE LIN_Y, PH_P2 | P|W|U
        TRY .r3
.f3:    mov dword [LIN_Y + 8], 0x77
.r3:    cmp dword [f_count], 0
        je .nofault
        EXPECT 14, 3, .f3
        jmp .retry
.nofault:
        EXPECT_NONE
.retry: TRY .r4
        mov dword [LIN_Y + 8], 0x78
.r4:    EXPECT_NONE
        CHECK_MEM dword, [PH_P2 + 8], 0x78

        TEST 'INVLPG on a 4 MiB page'
        ; INVLPG of any address in a large page removes every translation of it,
        ; even one cached as a smaller page (SDM vol. 3 §4.10.2.3)
        mov eax, [LIN_4M + 0x155000]            ; cached
        mov dword [PD + 2*4], 0x800000 | PS|P|W|U
        invlpg [LIN_4M + 0x2AA000]              ; another 4 KiB page of the same 4 MiB page
        mov ecx, [LIN_4M + 0x155000]
        CHECK_REG eax, 0x55555555
        CHECK_REG ecx, 0x95959595
        mov dword [PD + 2*4], 0x400000 | PS|P|W|U
        FLUSH
        CHECK_MEM dword, [LIN_4M + 0x155000], 0x55555555

        TEST 'recursive page directory'
        mov dword [PD + 1023*4], PD | P|W       ; the PD maps itself at 0xFFC00000
        CHECK_MEM dword, [0xFFFFF000 + 3*4], PT3 | P|W|U|A      ; PDE 3, A set, no D
        CHECK_MEM dword, [0xFFC00000 + 3*0x1000 + ((LIN_AD >> 12) & 0x3FF)*4], PH_AD | P|W|U|A|D
        mov dword [0xFFC00000 + 3*0x1000 + ((LIN_Y >> 12) & 0x3FF)*4], PH_P1 | P|W|U
        invlpg [LIN_Y]
        CHECK_MEM dword, [LIN_Y], 0x11111111    ; a PTE written through the self-map
        CHECK_VARM PD + 1023*4, A, A
        mov dword [PD + 1023*4], 0
        FLUSH

; ---------------------------------------------------------------- PAE
        TEST 'PAE'
        mov eax, cr0
        and eax, ~CR0_PG
        mov cr0, eax
        jmp .off
.off:   ; PDPT: entry 0 -> PD_PAE; PD_PAE: 2 MiB identity pages for 0-6 MiB,
        ; an XD page at 6 MiB, a page table at 8 MiB, a reserved-bit PDE at 10 MiB
        mov edi, PDPT
        xor eax, eax
        mov ecx, 4096*3/4
        rep stosd
        mov dword [PDPT], PD_PAE | P
        mov dword [PD_PAE + 0*8], 0x000000 | PS|P|W|U
        mov dword [PD_PAE + 1*8], 0x200000 | PS|P|W|U
        mov dword [PD_PAE + 2*8], 0x400000 | PS|P|W|U
        mov dword [PD_PAE + 3*8], 0x600000 | PS|P|W|U
        mov dword [PD_PAE + 3*8 + 4], 0x80000000        ; XD
        mov dword [PD_PAE + 4*8], PT_PAE | P|W|U
        mov dword [PD_PAE + 5*8], 0x200000 | (1 << 13) | PS|P|W|U
        mov dword [PT_PAE + 0*8], PH_ALIAS | P|W|U      ; 4 KiB alias
        mov dword [PT_PAE + 1*8], PH_AD | P|W|U
        mov dword [PT_PAE + 2*8], PH_P1 | P|W|U
        mov dword [PT_PAE + 2*8 + 4], 0x80000000        ; XD 4 KiB page
        mov byte [LIN_NX], 0xC3                         ; RET (physical = linear)
        mov byte [PH_P1 + 0x10], 0xC3
        mov ecx, MSR_EFER
        rdmsr
        or eax, EFER_NXE
        wrmsr
        mov eax, PDPT
        mov cr3, eax
        mov eax, cr4
        or eax, CR4_PAE
        mov cr4, eax
        mov eax, cr0
        or eax, CR0_PG
        mov cr0, eax
        jmp .on
.on:    mov eax, cr4
        and eax, CR4_PAE
        CHECK_REG eax, CR4_PAE
        CHECK_MEM dword, [PH_P2], 0x22222222            ; identity through 2 MiB pages
        CHECK_MEM dword, [LIN_PAE4K + 0x10], 0xA11A5A11 ; 4 KiB PAE alias
        CHECK_VARM PT_PAE, A|D, A
        mov dword [LIN_PAE4K + 0x1008], 3
        CHECK_VARM PT_PAE + 8, A|D, A|D
        CHECK_MEM dword, [PH_AD + 8], 3
        CHECK_VARM PD_PAE + 4*8, A, A
        CHECK_VARM PD_PAE + 1*8, A, A                   ; PH_P2 was read
        CHECK_VARM PD_PAE + 1*8, D, 0
        mov dword [0x3FF000], 1                         ; a write in the 2 MiB page
        CHECK_VARM PD_PAE + 1*8, D, D
        CHECK_VARM PD_PAE + 0*8, A, A                   ; our code lives in 0-2 MiB
        CHECK_MEM byte, [LIN_NX], 0xC3                  ; XD pages are readable
        mov eax, LIN_NX
        TRY .r1
.f1:    jmp eax                                         ; fetch from an XD page
.r1:    EXPECT 14, 0x11, LIN_NX                         ; I/D | P
        CHECK_VAR dword, f_cr2, LIN_NX
        mov eax, LIN_PAE4K + 0x2010
        TRY .r2
.f2:    call eax                                        ; 4 KiB XD page
.r2:    EXPECT 14, 0x11, LIN_PAE4K + 0x2010
        add esp, 4
        mov eax, LIN_PAE4K + 0x3000                     ; not present, fetch
        TRY .r3
.f3:    jmp eax
.r3:    EXPECT 14, 0x10, LIN_PAE4K + 0x3000
        TRY .r4
.f4:    mov eax, [LIN_PAERSVD]                          ; 2 MiB PDE with bit 13 set
.r4:    EXPECT 14, 9, .f4
        TRY .r5
.f5:    mov dword [LIN_PAERSVD + 8], 0                  ; write: RSVD | W | P
.r5:    EXPECT 14, 0xB, .f5
        CHECK_VAR dword, f_cr2, LIN_PAERSVD + 8
        ; INVLPG in a 2 MiB page (see the 4 MiB case)
        mov eax, [0x455000]
        mov dword [PD_PAE + 2*8], 0x800000 | PS|P|W|U
        invlpg [0x4AA000]
        mov ecx, [0x455000]
        CHECK_REG eax, 0x45454545
        CHECK_REG ecx, 0x85858585
        mov dword [PD_PAE + 2*8], 0x400000 | PS|P|W|U
        FLUSH
        CHECK_MEM dword, [0x455000], 0x45454545
        ; with EFER.NXE=0 the XD bit is reserved
        mov ecx, MSR_EFER
        rdmsr
        and eax, ~EFER_NXE
        wrmsr
        FLUSH
        TRY .r6
.f6:    mov eax, [LIN_NX]
.r6:    EXPECT 14, 9, .f6
        ; and a fetch fault has no I/D bit without NXE
        mov eax, LIN_PAE4K + 0x3000
        TRY .r7
.f7:    jmp eax
.r7:    EXPECT 14, 0, LIN_PAE4K + 0x3000
        ; PDPTEs are loaded by MOV CR3: a changed PDPTE is not seen until then
        ; (SDM vol. 3 §4.4.1; INVLPG does not reload them)
        mov dword [PDPT], 0                             ; would make everything absent
        invlpg [PH_P2]
        mov eax, [PH_P2]
        CHECK_REG eax, 0x22222222
        mov dword [PDPT], PD_PAE | P
        FLUSH

        TEST 'back to 32-bit paging'
        mov eax, cr0
        and eax, ~CR0_PG
        mov cr0, eax
        jmp .off
.off:   mov eax, cr4
        and eax, ~CR4_PAE
        mov cr4, eax
        mov eax, PD
        mov cr3, eax
        mov eax, cr0
        or eax, CR0_PG
        mov cr0, eax
        jmp .on
.on:    CHECK_MEM dword, [LIN_ALIAS + 0x10], 0xA11A5A11

; ---------------------------------------------------------------- timed loop
        TEST 'paging-heavy loop'
        ; page k of the 16 MiB area holds 3k at offset 0; each pass reads it,
        ; writes 3k + (4096 - k) at offset 4, and MOV CR3 flushes the TLB so that
        ; every page is walked again (4096 walks per pass)
        mov esi, LOOP_BASE
        xor eax, eax
.fill:  mov [esi], eax
        add eax, 3
        add esi, 0x1000
        cmp esi, LOOP_BASE + LOOP_PAGES*0x1000
        jb .fill
        rdtsc
        mov [tsc_start], eax
        mov [tsc_start+4], edx
        mov ebp, LOOP_ITERS
        xor edx, edx
.outer: mov esi, LOOP_BASE
        mov ecx, LOOP_PAGES
.inner: mov eax, [esi]
        add eax, ecx
        mov [esi + 4], eax
        add edx, eax
        add esi, 0x1000
        dec ecx
        jnz .inner
        mov eax, cr3
        mov cr3, eax
        dec ebp
        jnz .outer
        mov [loop_sum], edx
        rdtsc
        sub eax, [tsc_start]
        sbb edx, [tsc_start+4]
        mov [tsc_delta], eax
        CHECK_MEM dword, [LOOP_BASE + 4], 4096
        CHECK_MEM dword, [LOOP_BASE + 4095*0x1000 + 4], 3*4095 + 1
        CHECK_MEM dword, [LOOP_BASE + 1000*0x1000 + 4], 3*1000 + 4096 - 1000
        ; sum over k of 2k + 4096, LOOP_ITERS times (mod 2^32)
        CHECK_VAR dword, loop_sum, ((LOOP_PAGES*(LOOP_PAGES-1) + 4096*LOOP_PAGES) * LOOP_ITERS) & 0xFFFFFFFF
        mov eax, [tsc_delta]
        mov ebx, LOOP_PAGES * LOOP_ITERS * 2
        PRINT "paging loop: "
        PRINT_DEC ebx
        PRINT " accesses over 4096 pages, "
        PRINT_DEC eax
        PRINTLN " TSC ticks"

        mov eax, cr0
        and eax, ~CR0_PG
        mov cr0, eax
        DONE

        align 4
tsc_start:      dd 0, 0
tsc_delta:      dd 0
loop_sum:       dd 0
