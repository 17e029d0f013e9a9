/**
 * The segment-base sweep's program (segment-bases.test.ts): every memory-operand form (moffs, ModRM
 * disp32, base, base+disp8, base+index*scale+disp, index*scale+disp32, %ebp- and %esp-based, the
 * string instructions, xlat, push/pop/call/pusha, an SSE and an x87 load) x each segment register
 * holding an LDT descriptor with a base of its own (%es 0x40, %ss 0x80, %ds 0xc0, %fs 0x100, %gs
 * 0x140; the other five flat) x every segment-override prefix (none, es, cs, ss, ds, fs, gs). Each
 * access's offset lies in a pattern pool, so the value read, or the pool words written (one at each
 * base), names the base the CPU used. One C function per case, run in order; every register and
 * segment is saved first and restored through %cs, which stays flat.
 */
export const SEGS = ['es', 'ss', 'ds', 'fs', 'gs'] as const;
const BASE: Record<string, number> = { es: 0x40, ss: 0x80, ds: 0xc0, fs: 0x100, gs: 0x140 };
const OVERRIDES: [string, string][] = [['', 'none'], ['0x26', 'es'], ['0x2e', 'cs'], ['0x36', 'ss'], ['0x3e', 'ds'], ['0x64', 'fs'], ['0x65', 'gs']];

interface Form {
  name: string;
  /** Registers set before the access (after the segments), the access, and whether it writes memory. */
  setup: string;
  insn: string;
  writes?: boolean;
}
/** Offsets: every form addresses pool + 0x200 (the bases move it by up to 0x140). */
const FORMS: Form[] = [
  { name: 'moffs', setup: '', insn: 'movl pool+0x200, %eax' },
  { name: 'disp32', setup: '', insn: 'movl pool+0x200, %ecx\n\tmov %ecx, %eax' },
  { name: 'base', setup: 'mov $pool+0x200, %ebx', insn: 'movl (%ebx), %eax' },
  { name: 'base-disp8', setup: 'mov $pool+0x1f8, %ebx', insn: 'movl 8(%ebx), %eax' },
  { name: 'sib', setup: 'mov $pool+0x1e0, %ebx\n\tmov $4, %esi', insn: 'movl 0x10(%ebx,%esi,4), %eax' },
  { name: 'index-disp32', setup: 'mov $0x100, %esi', insn: 'movl pool(,%esi,2), %eax' },
  { name: 'ebp', setup: 'mov $pool+0x1fc, %ebp', insn: 'movl 4(%ebp), %eax' },
  { name: 'esp', setup: 'mov $pool+0x200, %esp', insn: 'movl (%esp), %eax' },
  { name: 'esp-index', setup: 'mov $pool+0x1e0, %esp\n\tmov $0x10, %esi', insn: 'movl 0x10(%esp,%esi), %eax' },
  { name: 'movzb-ebp-index', setup: 'mov $pool+0x100, %ebp\n\tmov $0x101, %esi', insn: 'movzbl -1(%ebp,%esi), %eax' },
  { name: 'lods', setup: 'mov $pool+0x200, %esi', insn: 'lodsl' },
  { name: 'xlat', setup: 'mov $pool+0x1f0, %ebx\n\tmov $0x10, %eax', insn: 'xlat' },
  { name: 'pop', setup: 'mov $pool+0x200, %esp', insn: 'pop %eax' },
  { name: 'add-mem', setup: 'mov $pool+0x200, %ebx\n\tmov $1, %eax', insn: 'addl (%ebx), %eax' },
  { name: 'movd-xmm', setup: 'mov $pool+0x200, %ebx', insn: 'movd (%ebx), %xmm0\n\tmovd %xmm0, %eax' },
  { name: 'movups-xmm', setup: 'mov $pool+0x200, %ebx', insn: 'movups (%ebx), %xmm0\n\tmovd %xmm0, %eax' },
  { name: 'fild', setup: 'mov $pool+0x200, %ebx', insn: 'fildl (%ebx)\n\tfistpl pool+0x1000\n\tmov pool+0x1000, %eax' },
  { name: 'cmps', setup: 'mov $pool+0x200, %esi\n\tmov $pool+0x200, %edi', insn: 'cmpsl\n\tsetz %al\n\tmovzbl %al, %eax' },
  { name: 'scas', setup: 'mov $pool+0x200, %edi\n\tmov $0x0b0a0908, %eax', insn: 'scasl\n\tsetz %al\n\tmovzbl %al, %eax' },
  { name: 'mov-store', setup: 'mov $pool+0x200, %ebx\n\tmov $0x11223344, %eax', insn: 'movl %eax, (%ebx)', writes: true },
  { name: 'stos', setup: 'mov $pool+0x200, %edi\n\tmov $0x55667788, %eax', insn: 'stosl', writes: true },
  { name: 'movs', setup: 'mov $pool+0x1c0, %esi\n\tmov $pool+0x200, %edi', insn: 'movsl', writes: true },
  { name: 'push', setup: 'mov $pool+0x204, %esp', insn: 'pushl $0x99aabbcc', writes: true },
  { name: 'call', setup: 'mov $pool+0x204, %esp', insn: 'call 1f\n1:', writes: true },
  { name: 'enter', setup: 'mov $pool+0x208, %esp\n\tmov $pool+0x300, %ebp', insn: 'enter $4, $2', writes: true },
  { name: 'pusha', setup: 'mov $pool+0x220, %esp\n\tmov $0x31, %eax\n\tmov $0x32, %ebx\n\tmov $0x33, %ecx\n\tmov $0x34, %edx\n\tmov $0x35, %esi\n\tmov $0x36, %edi\n\tmov $0x37, %ebp', insn: 'pusha', writes: true },
];

/** The cases, in the order the program prints them: [segment loaded, form, override]. */
export function segmentCases(): [string, Form, [string, string]][] {
  const out: [string, Form, [string, string]][] = [];
  for (const s of SEGS)
    for (const f of FORMS)
      for (const o of OVERRIDES) {
        // a write through %cs is #GP: only reads take a cs prefix where it applies
        if (f.writes && o[1] === 'cs' && (f.name === 'mov-store')) continue;
        out.push([s, f, o]);
      }
  return out;
}

/** The C program for `cases`. */
export function segmentProgram(cases = segmentCases()): string {
  const fns = cases.map(([s, f, [prefix]], i) => {
    const body = [
      'pushal', 'mov %esp, save_esp',
      ...['ds', 'es', 'fs', 'gs', 'ss'].map((r) => `mov %${r}, save_${r}`),
      'mov $0x2b, %eax', 'mov %eax, %fs', 'mov %eax, %gs',
      `mov $${(SEGS.indexOf(s as (typeof SEGS)[number]) + 1) * 8 + 7}, %eax`, `mov %eax, %${s}`,
      ...f.setup.split('\n\t').filter(Boolean),
      ...(prefix ? [`.byte ${prefix}`] : []),
      ...f.insn.split('\n\t'),
      ...['ss', 'ds', 'es', 'fs', 'gs'].map((r) => `mov %cs:save_${r}, %${r}`),
      'mov %eax, result', 'mov save_esp, %esp', 'popal',
    ].map((l) => l.replace(/%/g, '%%'));
    return `static void case${i}(void) { __asm__ volatile(${body.map((l) => JSON.stringify(l + '\n\t')).join(' ')} : : : "memory", "cc"); }`;
  });
  const rows = cases.map(([s, f, [, o]], i) => `  { "${s}", "${f.name}", "${o}", ${f.writes ? 1 : 0}, case${i} },`);
  return `/* generated by segment-forms.ts */
#include <stdio.h>
#include <string.h>
#include <asm/ldt.h>
#include <sys/syscall.h>
#include <unistd.h>
unsigned char pool[0x2000] __attribute__((aligned(4096)));
unsigned save_esp, result;
unsigned short save_ds, save_es, save_fs, save_gs, save_ss;
${fns.join('\n')}
static const struct { const char *seg, *form, *override; int writes; void (*fn)(void); } cases[] = {
${rows.join('\n')}
};
static void fill(void) { for (int i = 0; i < (int)sizeof pool; i++) pool[i] = (unsigned char)(i * 7 + (i >> 8)); }
int main(void) {
  static const char *segs[] = { ${SEGS.map((s) => `"${s}"`).join(', ')} };
  static const unsigned bases[] = { ${SEGS.map((s) => `0x${BASE[s].toString(16)}`).join(', ')} };
  for (int k = 0; k < 5; k++) {
    struct user_desc d = { .entry_number = k + 1, .base_addr = bases[k], .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1, .useable = 1 };
    if (syscall(SYS_modify_ldt, 1, &d, sizeof d)) { perror(segs[k]); return 1; }
  }
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fill();
    result = 0;
    cases[i].fn();
    printf("%s %s %s: %08x", cases[i].seg, cases[i].form, cases[i].override, result);
    if (cases[i].writes) for (int b = 0; b <= 0x140; b += 0x40) { unsigned w; memcpy(&w, pool + 0x200 + b, 4); printf(" %08x", w); }
    printf("\\n");
  }
  return 0;
}
`;
}
