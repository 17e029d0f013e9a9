/**
 * The futex2 calls on 32-bit words: futex_wake(uaddr, mask, nr, flags) and futex_wait(uaddr,
 * val, mask, flags, timeout, clockid), over futex.ts's queues (a futex_wait is woken by a
 * FUTEX_WAKE and the other way round). flags: FUTEX2_SIZE_U32 (the only size this kernel
 * takes; U8/U16/U64 EINVAL), FUTEX2_PRIVATE; a NUMA or mempolicy futex is EINVAL here (FUTEX2_NUMA's node word is not
 * modelled). Unknown flag bits, a mask or value beyond the size, a zero mask, a misaligned
 * word: EINVAL; a shared word on no page EFAULT. FLAGS_STRICT: nr 0 wakes none. The timeout is absolute on CLOCK_MONOTONIC or
 * CLOCK_REALTIME (another clock EINVAL); a signal ends the wait with -ERESTARTSYS.
 * futex_waitv and futex_requeue are not here.
 */
import { EINVAL } from '../errno';
import type { LinuxProcess } from '../process';
import { ulong, type SyscallArgs } from '../syscall-args';
import { isWaiting, keyOf, wait, wakeExactly } from './futex';
import { CLOCKS, readTimespec } from './time';

const FUTEX2_SIZE_U32 = 0x02;
const FUTEX2_SIZE_MASK = 0x03;
const FUTEX2_NUMA = 0x04;
const FUTEX2_MPOL = 0x08;
const FUTEX2_PRIVATE = 128;
const FUTEX2_VALID_MASK = FUTEX2_SIZE_MASK | FUTEX2_NUMA | FUTEX2_MPOL | FUTEX2_PRIVATE;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

/** The flags checked (futex_flags_valid, futex_validate_input for each of `values`): whether the word is private, or -EINVAL. */
function checked(flags: number, values: number[]): boolean | number {
  if (flags & ~FUTEX2_VALID_MASK || (flags & FUTEX2_SIZE_MASK) !== FUTEX2_SIZE_U32 || flags & (FUTEX2_NUMA | FUTEX2_MPOL)) return -EINVAL;
  if (values.some((v) => v > 0xffffffff)) return -EINVAL;
  return (flags & FUTEX2_PRIVATE) !== 0;
}

export function sysFutexWake(p: LinuxProcess, a: SyscallArgs): number {
  const [addr, mask] = [a[0], ulong(a, 1)];
  const priv = checked(a[3] >>> 0, [mask]);
  if (typeof priv === 'number') return priv;
  if (mask === 0 || addr % 4) return -EINVAL;
  // a shared key is found through the page (get_user_pages: EFAULT), a private one by the address alone
  if (!priv) p.mem.read32(addr);
  // FLAGS_STRICT: nr 0 wakes none; a negative nr still wakes one (the count is tested after a wake)
  const nr = a[2] | 0;
  return nr === 0 ? 0 : wakeExactly(keyOf(p.mem, addr, priv), Math.max(nr, 1), mask);
}

export function sysFutexWait(p: LinuxProcess, a: SyscallArgs): number {
  const [addr, val, mask, timeout, clock] = [a[0], ulong(a, 1), ulong(a, 2), a[4], a[5] | 0];
  const priv = checked(a[3] >>> 0, [val, mask]);
  if (typeof priv === 'number') return priv;
  let until: bigint | undefined;
  // a retried wait keeps the deadline its first try set
  if (timeout !== 0 && !isWaiting(p)) {
    if (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC) return -EINVAL;
    const t = readTimespec(p, timeout, true);
    if (typeof t === 'number') return t;
    until = clock === CLOCK_REALTIME ? t - CLOCKS[CLOCK_REALTIME].now(p) + CLOCKS[CLOCK_MONOTONIC].now(p) : t;
  }
  if (mask === 0 || addr % 4) return -EINVAL;
  return wait(p, addr, priv, val, until, mask, true);
}
