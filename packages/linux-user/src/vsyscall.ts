/**
 * The vsyscall page of a 64-bit process (Linux's default vsyscall=xonly): nothing is mapped at
 * 0xffffffffff600000, and a fetch fault there is emulated (emulate_vsyscall): its three entries,
 * 1 KiB apart, run gettimeofday, time and getcpu with the argument registers and return to the
 * address on the stack, as the page's `syscall; ret` once did. Reading the page is an ordinary
 * SIGSEGV; a jump elsewhere in it, an unreadable return address or a bad pointer argument is
 * SIGSEGV with SI_KERNEL at the entry (the kernel's force_sig).
 *
 *   if (sig === SIGSEGV && emulateVsyscall(p, info)) return;   // handled: the guest goes on
 */
import { MemoryFault } from '@dbtlab/mips-host';
import { R_EAX, R_EDI, R_EDX, R_ESI, R_ESP } from '@dbtlab/x86-frontend';
import { EFAULT } from './errno';
import type { LinuxProcess } from './process';
import { SEGV_MAPERR, SI_KERNEL } from './siginfo-codes';
import type { SigInfo } from './signal-frame';
import { SIGSEGV } from './signal';
import type { SyscallRow } from './syscall-table';
import { SYSCALLS_X86_64 } from './syscall-table-x86_64';
import { argOf64 } from './syscall-args';

export const VSYSCALL_ADDR = 0xffffffffff600000n;
const ENTRIES = ['gettimeofday', 'time', 'getcpu'];

/**
 * A SIGSEGV about to be delivered to `p`: when it is a fetch fault in the vsyscall page, runs the
 * entry (or delivers the kernel's SIGSEGV) and returns true; false for any other fault.
 */
export function emulateVsyscall(p: LinuxProcess, info: SigInfo): boolean {
  const cpu = p.cpu;
  const rip = cpu.rip;
  if (p.abi !== 'x86_64' || info.code !== SEGV_MAPERR || rip >> 12n !== VSYSCALL_ADDR >> 12n) return false;
  const offset = Number(rip & 0xfffn);
  const name = offset % 0x400 === 0 ? ENTRIES[offset / 0x400] : undefined;
  const row = name === undefined ? undefined : SYSCALLS_X86_64.find((r) => r.name === name);
  const sp = Number(cpu.reg64(R_ESP));
  const result = row && runEntry(p, row, sp);
  if (result === undefined) {
    p.deliverSignal(SIGSEGV, { code: SI_KERNEL, addr: 0 });
    return true;
  }
  // the entry's `ret`
  cpu.setReg64(R_EAX, result.ret);
  cpu.eip = result.caller;
  cpu.setReg64(R_ESP, sp + 8);
  return true;
}

/** The call's result and the return address; undefined where the kernel gives up (EFAULT). */
function runEntry(p: LinuxProcess, row: SyscallRow, sp: number): { ret: number; caller: number } | undefined {
  try {
    const caller = p.mem.read32(sp) + p.mem.read32(sp + 4) * 0x1_0000_0000;
    const args = Float64Array.from([R_EDI, R_ESI, R_EDX], (r) => argOf64(p.cpu.reg64(r)));
    const ret = row.handler(p, args);
    return ret === -EFAULT ? undefined : { ret, caller };
  } catch (e) {
    if (e instanceof MemoryFault) return undefined;
    throw e;
  }
}
