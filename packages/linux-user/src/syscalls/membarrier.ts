/**
 * membarrier(cmd, flags, cpu_id): the guests of a process run one at a time on dbtlab's one host
 * thread, so every barrier is already complete when the call is made; what a program can see is
 * the kernel's bookkeeping: the commands it supports (MEMBARRIER_CMD_QUERY), the registrations an
 * address space made (kept across fork, dropped by exec: AddressSpace.membarrier) and EPERM for a
 * private expedited command of an unregistered one (kernel/sched/membarrier.c).
 */
import { EINVAL, EPERM } from '../errno';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';

const CMD_QUERY = 0;
/** GLOBAL (1 << 0) and GLOBAL_EXPEDITED (1 << 1) need nothing. */
const CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
const CMD_PRIVATE_EXPEDITED = 1 << 3;
const CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;
const CMD_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 5;
const CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 1 << 6;
const CMD_PRIVATE_EXPEDITED_RSEQ = 1 << 7;
const CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 1 << 8;
const CMD_GET_REGISTRATIONS = 1 << 9;
/** Every command this kernel (x86, SYNC_CORE and RSEQ built in) answers QUERY with. */
const SUPPORTED = (CMD_GET_REGISTRATIONS << 1) - 1;
const CMD_FLAG_CPU = 1;

/** Each private expedited command and the registration it needs. */
const NEEDS: Readonly<Record<number, number>> = {
  [CMD_PRIVATE_EXPEDITED]: CMD_REGISTER_PRIVATE_EXPEDITED,
  [CMD_PRIVATE_EXPEDITED_SYNC_CORE]: CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
  [CMD_PRIVATE_EXPEDITED_RSEQ]: CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
};
const REGISTERS = CMD_REGISTER_GLOBAL_EXPEDITED | CMD_REGISTER_PRIVATE_EXPEDITED | CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE | CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;

export function sysMembarrier(p: LinuxProcess, a: SyscallArgs): number {
  const cmd = a[0] >>> 0;
  const flags = a[1] >>> 0;
  if (cmd === CMD_PRIVATE_EXPEDITED_RSEQ ? flags & ~CMD_FLAG_CPU : flags) return -EINVAL;
  if (cmd === CMD_QUERY) return SUPPORTED;
  if (cmd & (cmd - 1) || !(cmd & SUPPORTED)) return -EINVAL;
  if (cmd === CMD_GET_REGISTRATIONS) return p.space.membarrier;
  if (cmd & REGISTERS) {
    p.space.membarrier |= cmd;
    return 0;
  }
  const needed = NEEDS[cmd];
  return needed && !(p.space.membarrier & needed) ? -EPERM : 0;
}
