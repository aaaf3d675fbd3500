/* Public interface of the CPU.  The CPU sees the rest of the machine through
 * physical memory (mem/physmem.h) and one small bus for port I/O and
 * interrupt acknowledge; it knows nothing about devices. */
#ifndef RINGZERO_CPU_CPU_H
#define RINGZERO_CPU_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct physmem;
struct cpu;
struct insn;

struct cpu_bus {
    uint32_t (*port_in)(void *opaque, uint16_t port, unsigned size);
    void (*port_out)(void *opaque, uint16_t port, uint32_t value, unsigned size);
    int (*intr_ack)(void *opaque); /* vector of the highest pending interrupt */
    /* MSRs that belong to the platform (the local APIC's: 0x1B after the CPU has
     * stored it, 0x6E0 TSC deadline, 0x800-0x8FF x2APIC). Return true if handled;
     * an unhandled RDMSR/WRMSR raises #GP(0). Either may be NULL. */
    bool (*msr_read)(void *opaque, uint32_t msr, uint64_t *value);
    bool (*msr_write)(void *opaque, uint32_t msr, uint64_t value);
    /* CR8 is the local APIC's task-priority class (SDM vol. 3 §10.8.6.5: CR8[3:0] =
     * TPR[7:4]). With these the CPU reads and writes it there; NULL: a plain register. */
    unsigned (*tpr_class_get)(void *opaque);
    void (*tpr_class_set)(void *opaque, unsigned cls);
    /* The FERR# output (CR0.NE = 0 and an unmasked x87 exception pending,
     * SDM vol. 1 §8.7), called when it changes. May be NULL. */
    void (*ferr)(void *opaque, bool asserted);
    void *opaque;
};

enum cpu_model {
    CPU_MODEL_P6,    /* default: a 386-compatible core with 486/Pentium/P6 additions (CPUID, CMOV...) */
    CPU_MODEL_80286, /* for 286 conformance vectors: 286 FLAGS, 10-byte limit, no 386 opcodes */
};

enum cpu_stop {
    CPU_STOP_BUDGET,   /* instruction budget used up */
    CPU_STOP_HLT,      /* HLT executed (cpu_halted_with_if tells if it can wake) */
    CPU_STOP_SHUTDOWN, /* triple fault */
    CPU_STOP_REQUEST,  /* cpu_request_stop() */
};

/* Called for each instruction when tracing is on: before (after == false) and after it ran.
 * insn is NULL in the "after" call when the instruction faulted. */
typedef void (*cpu_trace_fn)(void *opaque, struct cpu *cpu, bool after);

struct cpu *cpu_create(struct physmem *mem, const struct cpu_bus *bus, enum cpu_model model);
void cpu_destroy(struct cpu *cpu);
void cpu_reset(struct cpu *cpu); /* power-on state, SDM vol. 3 §9.1.1 */
enum cpu_stop cpu_run(struct cpu *cpu, uint64_t max_insns);
void cpu_request_stop(struct cpu *cpu);
void cpu_set_intr(struct cpu *cpu, bool level);
/* A local APIC is attached (through cpu_bus.msr_*): CPUID reports APIC (leaf 1
 * EDX bit 9) and, if tsc_deadline, the TSC-deadline timer (leaf 1 ECX bit 24). */
void cpu_set_apic(struct cpu *cpu, bool present, bool tsc_deadline);
/* The time stamp counter as RDTSC would read it now. */
uint64_t cpu_tsc(const struct cpu *cpu);
/* Time passed without instructions retiring (halted, stalled on a slow bus):
 * the TSC moves on by this many instruction times. */
void cpu_add_tsc(struct cpu *cpu, uint64_t ticks);
void cpu_set_trace(struct cpu *cpu, cpu_trace_fn fn, void *opaque);
uint64_t cpu_icount(const struct cpu *cpu);
/* Copy up to n bytes at CS:RIP without side effects (no faults, no TLB or
 * device access: MMIO and unmapped bytes read as 0xFF). For tracers and debuggers. */
size_t cpu_peek_code(const struct cpu *cpu, uint8_t *buf, size_t n);

#endif
