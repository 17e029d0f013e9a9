/**
 * Robust futexes: set_robust_list/get_robust_list, and the walk of a thread's list when it ends
 * (exit_robust_list, kernel/futex/core.c). Each lock on the list that the dying thread still
 * owns (its tid in the word's low 30 bits) gets FUTEX_OWNER_DIED, its FUTEX_WAITERS bit kept,
 * and one waiter is woken when that bit was set: glibc's robust mutexes then return
 * EOWNERDEAD to the next locker. A pending lock (list_op_pending) whose word has no owner
 * only wakes a waiter. The walk stops at a fault, at an unaligned word, after
 * ROBUST_LIST_LIMIT entries, or back at the head. i386's list holds 32-bit pointers and
 * offset (compat_robust_list_head: entry + offset wraps at 4 GiB), x86-64's 64-bit ones.
 * PI entries (bit 0 of a pointer) get the same marking; this dbtlab has no PI futexes to
 * hand on (futex.ts: ENOSYS).
 */
import { type GuestMemory, MemoryFault } from '@dbtlab/mips-host';
import { EINVAL, EPERM, ESRCH } from '../errno';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { futexWake } from './futex';
import { mayAttach } from './pidfd';
import { tasksNamed } from './process-tree';

const FUTEX_WAITERS = 0x80000000;
const FUTEX_OWNER_DIED = 0x40000000;
const FUTEX_TID_MASK = 0x3fffffff;
const ROBUST_LIST_LIMIT = 2048;

/** sizeof(struct robust_list_head): three pointer-sized words of the ABI. */
const headSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 24 : 12);

export function sysSetRobustList(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] !== headSize(p)) return -EINVAL;
  p.robustList = a[0];
  return 0;
}

/** get_robust_list(pid, head_ptr, len_ptr): another task's under ptrace_may_access's credential check (EPERM). */
export function sysGetRobustList(p: LinuxProcess, a: SyscallArgs): number {
  const t = tasksNamed(p, 'task', a[0] | 0)[0];
  if (!t) return -ESRCH;
  if (!mayAttach(p, t)) return -EPERM;
  const wide = p.abi === 'x86_64';
  writeWord(p, a[2], headSize(p), wide);
  writeWord(p, a[1], t.robustList, wide);
  return 0;
}

function writeWord(p: LinuxProcess, addr: number, value: number, wide: boolean): void {
  if (wide) p.mem.writeBytes(addr, new Uint8Array(new BigUint64Array([BigInt(value)]).buffer));
  else p.mem.write32(addr, value >>> 0);
}

function readWord(mem: GuestMemory, addr: number, wide: boolean): number {
  if (!wide) return mem.read32(addr) >>> 0;
  return (mem.read32(addr) >>> 0) + (mem.read32(addr + 4) >>> 0) * 2 ** 32;
}

/** handle_futex_death for the word at `uaddr`: false when the walk must stop (a fault, an unaligned word). */
function futexDeath(t: LinuxProcess, mem: GuestMemory, uaddr: number, pi: boolean, pending: boolean): boolean {
  if (uaddr % 4) return false;
  const uval = mem.read32(uaddr) >>> 0;
  const owner = uval & FUTEX_TID_MASK;
  if (pending && !pi && owner === 0) {
    futexWake(t, uaddr, 1, undefined, mem);
    return true;
  }
  if (owner !== t.tid) return true;
  mem.write32(uaddr, ((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0);
  if (!pi && uval & FUTEX_WAITERS) futexWake(t, uaddr, 1, undefined, mem);
  return true;
}

/** exit_robust_list: thread `t` ends, or execs (its old memory `mem` and ABI); its list is walked once and forgotten. */
export function exitRobustList(t: LinuxProcess, mem = t.mem, abi = t.abi): void {
  const head = t.robustList;
  t.robustList = 0;
  if (head === 0) return;
  const wide = abi === 'x86_64';
  const size = wide ? 8 : 4;
  // entry + futex_offset as the kernel forms it: 64-bit, or a compat pointer (wraps at 4 GiB)
  const wordOf = (entry: number, offset: number): number => (wide ? entry + offset : (entry + offset) >>> 0);
  try {
    let entry = readWord(mem, head, wide);
    // futex_offset is a signed long (glibc's is negative: the word lies before the list node)
    const offset = wide ? (mem.read32(head + 8) >>> 0) + (mem.read32(head + 12) | 0) * 2 ** 32 : mem.read32(head + 4) | 0;
    const pendingRaw = readWord(mem, head + 2 * size, wide);
    const pending = pendingRaw - (pendingRaw % 2);
    for (let limit = ROBUST_LIST_LIMIT; entry - (entry % 2) !== head; ) {
      const at = entry - (entry % 2);
      let next: number | undefined;
      try {
        next = readWord(mem, at, wide);
      } catch (e) {
        if (!(e instanceof MemoryFault)) throw e;
      }
      if (at !== pending && !futexDeath(t, mem, wordOf(at, offset), entry % 2 === 1, false)) return;
      if (next === undefined) return;
      entry = next;
      if (!--limit) break;
    }
    if (pending) futexDeath(t, mem, wordOf(pending, offset), pendingRaw % 2 === 1, true);
  } catch (e) {
    if (!(e instanceof MemoryFault)) throw e;
  }
}
