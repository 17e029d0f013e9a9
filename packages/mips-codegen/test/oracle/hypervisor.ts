/**
 * Instructions a hypervisor may answer in the CPU's place. On an AMD host KVM intercepts the #UD of
 * VMCALL and SYSEXIT to emulate them (for guests migrated from Intel) and at CPL 3 answers #GP
 * (SIGSEGV, SI_KERNEL) where the bare CPU raises #UD (SIGILL, ILL_ILLOPN): a native run inside such
 * a guest shows the hypervisor, not the CPU. dbtlab models the CPU; the probes compare those lines
 * apart: dbtlab's must be the #UD one, native's either answer.
 */
import type { ExecutionContext } from 'ava';

const INTERCEPTED = /^(vmcall|sysexit)\b.*$/gm;
const CPU_UD = /\bsig +4 code +2\b/;
const KVM_GP = /\bsig +11 code +128\b/;

const split = (text: string): { rest: string; intercepted: string[] } => ({
  rest: text.replace(INTERCEPTED, ''),
  intercepted: text.match(INTERCEPTED) ?? [],
});

/** Asserts `ours` equals `native` line for line, the intercepted instructions' lines apart. */
export function sameAsCpu(t: ExecutionContext, ours: string, native: string): void {
  const o = split(ours);
  const n = split(native);
  t.is(o.rest, n.rest);
  t.is(o.intercepted.length, n.intercepted.length);
  o.intercepted.forEach((line, k) => {
    t.regex(line, CPU_UD);
    t.true(CPU_UD.test(n.intercepted[k]) || KVM_GP.test(n.intercepted[k]), n.intercepted[k]);
  });
}
