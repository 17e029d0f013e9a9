// A Dbt with a tiny i386 program placed in guest memory by hand, for tests without an ELF.
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import type { SyscallStrategy } from '@dbtlab/mips-codegen';
import { Dbt } from '../src/dbt';
import type { GuestOs } from '../src/guest-os';
import type { TranslationCache } from '../src/translation-cache';

export const CODE = 0x08048000;
export const DATA = 0x08050000;
export const STACK_TOP = 0x08060000;

/** An OS for code that makes no system call and takes no signal. */
export const NO_OS: GuestOs = {
  doSyscall: () => {
    throw new Error('unexpected system call');
  },
  deliverSignal: (sig) => {
    throw new Error(`unexpected signal ${sig}`);
  },
  segmentBase: () => 0,
};

export function dbtWith(code: number[], syscall: SyscallStrategy, chaining = true, os: GuestOs = NO_OS, translations?: TranslationCache): Dbt {
  const dbt = new Dbt({ runtime: 'test', chaining, syscall, os, translations });
  dbt.guest.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  dbt.guest.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  dbt.guest.map(STACK_TOP - 0x1000, 0x1000, PROT_READ | PROT_WRITE);
  dbt.guest.pokeBytes(CODE, Uint8Array.from(code));
  dbt.cpu.eip = CODE;
  dbt.cpu.setReg(4, STACK_TOP);
  return dbt;
}

/** Where Linux puts an x86-64 process's ld.so and stack (setarch -R): pcs and pointers above 4 GiB. */
export const CODE64 = 0x7ffff7fc5000;
export const STACK64_TOP = 0x7ffffffff000;

/** An x86-64 Dbt with `code` at CODE64 (two pages, executable) and a stack page below STACK64_TOP. */
export function dbt64With(code: number[], syscall: SyscallStrategy, chaining = true, os: GuestOs = NO_OS): Dbt {
  const dbt = new Dbt({ runtime: 'test', chaining, syscall, os, mode: 64 });
  dbt.guest.map(CODE64, 0x2000, PROT_READ | PROT_WRITE | PROT_EXEC);
  dbt.guest.map(STACK64_TOP - 0x1000, 0x1000, PROT_READ | PROT_WRITE);
  dbt.guest.pokeBytes(CODE64, Uint8Array.from(code));
  dbt.cpu.eip = CODE64;
  dbt.cpu.setReg64(4, STACK64_TOP);
  return dbt;
}

/** int $0x80 raises the interrupt: the TB ends there and the test's loop sees it. */
export const raising: SyscallStrategy = {
  name: 'raise',
  emit(ctx, insn) {
    ctx.raise(ctx.opts.helpers.raiseInterrupt, 0x80, ctx.nextPc, insn.addr);
    return true;
  },
};

/** mov $5,%ecx; L: add %ecx,%eax; dec %ecx; jnz L; int $0x80 */
export const COUNTDOWN = [0xb9, 5, 0, 0, 0, 0x01, 0xc8, 0x49, 0x75, 0xfb, 0xcd, 0x80];
