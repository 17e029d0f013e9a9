/**
 * futex and futex_time64 between the threads of a GuestTree: WAIT and WAIT_BITSET queue the
 * caller on the word's address (when it still holds the expected value) until a WAKE,
 * WAKE_BITSET, WAKE_OP or REQUEUE/CMP_REQUEUE wakes it, its timeout passes (ETIMEDOUT) or a
 * signal interrupts it (EINTR); CLOCK_REALTIME makes WAIT_BITSET's absolute timeout a wall-clock
 * time. As the kernel's get_futex_key, a word is known by its address space and address, or,
 * without FUTEX_PRIVATE_FLAG on a shared page (MAP_SHARED anonymous or file, SysV shm), by the
 * shared object and offset: processes sharing the page meet there whatever address they map it at. A waiter is
 * woken only by a wake, never because the word changed, as in the kernel. Without a tree
 * (a lone LinuxProcess) a wait with a timeout times out at once and one without cannot end.
 * The priority-inheritance operations are ENOSYS.
 */
import { type GuestMemory, PAGE_SIZE } from '@dbtlab/mips-host';
import { EAGAIN, EINVAL, ENOSYS, ETIMEDOUT } from '../errno';
import type { LinuxProcess } from '../process';
import { WouldBlock } from '../would-block';
import { CLOCKS, readTimespec } from './time';
import type { SyscallArgs } from '../syscall-args';

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CMD_MASK = ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
const BITSET_MATCH_ANY = 0xffffffff;

/** A futex word: the address space and address, or the shared object (SharedPages) and byte offset. */
interface FutexKey {
  space: object;
  at: number;
}

/** A thread queued on a futex word. */
interface Waiter {
  p: LinuxProcess;
  key: FutexKey;
  bitset: number;
  woken: boolean;
}

/** The waiters of every futex word, per address space or shared object, in the order they queued. */
const queues = new WeakMap<object, Map<number, Waiter[]>>();
/** The wait each thread is queued in (a blocked FUTEX_WAIT being retried finds it here). */
const waiting = new WeakMap<LinuxProcess, Waiter>();
/** Whether p is queued in a wait (futex2.ts: a retried futex_wait reads no timeout again). */
export const isWaiting = (p: LinuxProcess): boolean => waiting.has(p);

/** The key of the word at `addr` in `mem`: a private futex, or one on private memory, is the address space's own. */
export function keyOf(mem: GuestMemory, addr: number, priv: boolean): FutexKey {
  const r = priv ? undefined : mem.sharedRanges(addr, 1)[0];
  // a MAP_PRIVATE file range is the process's own (its pages copy on write)
  if (r && !r.private) return { space: r.src, at: r.srcFirst * PAGE_SIZE + (addr - r.addr) };
  return { space: mem, at: addr };
}

function queueOf(key: FutexKey, create: boolean): Waiter[] | undefined {
  let m = queues.get(key.space);
  if (!m) queues.set(key.space, (m = new Map()));
  let q = m.get(key.at);
  if (!q && create) m.set(key.at, (q = []));
  return q;
}

function dequeue(w: Waiter): void {
  const q = queueOf(w.key, false);
  const i = q?.indexOf(w) ?? -1;
  if (i >= 0) q!.splice(i, 1);
  if (q?.length === 0) queues.get(w.key.space)!.delete(w.key.at);
}

/**
 * Wakes up to `n` waiters on `addr` (in address space `mem`, a shared futex unless `priv`) whose
 * bitset meets `bitset`; returns how many. As the kernel's futex_wake (and futex_wake_op's two
 * loops), the count is tested after a wake: asked for 0 (or less), one waiter still wakes.
 */
export function futexWake(p: LinuxProcess, addr: number, n: number, bitset = BITSET_MATCH_ANY, mem = p.mem, priv = false): number {
  return wakeExactly(keyOf(mem, addr, priv), Math.max(n, 1), bitset);
}

/** Wakes at most `n` waiters on `key` whose bitset meets `bitset` (futex_requeue's nr_wake and futex2's FLAGS_STRICT: 0 wakes none). */
export function wakeExactly(key: FutexKey, n: number, bitset = BITSET_MATCH_ANY): number {
  const q = queueOf(key, false);
  let woken = 0;
  for (const w of [...(q ?? [])]) {
    if (woken >= n) break;
    if (!(w.bitset & bitset)) continue;
    w.woken = true;
    // the waker may run on without ever blocking: the woken thread needs a time slice (ttwu)
    w.p.tree?.wake(w.p);
    dequeue(w);
    woken++;
  }
  return woken;
}

/** The monotonic time a wait ends (relative timeout, or WAIT_BITSET's absolute one), or -errno. */
function deadline(p: LinuxProcess, ts: number, wide: boolean, absolute: boolean, realtime: boolean): bigint | undefined | number {
  if (ts === 0) return undefined;
  const t = readTimespec(p, ts, wide);
  if (typeof t === 'number') return t;
  const now = CLOCKS[1].now(p);
  if (!absolute) return now + t;
  return realtime ? t - CLOCKS[0].now(p) + now : t;
}

/** A wait on the word at `addr` (FUTEX_WAIT, FUTEX_WAIT_BITSET, futex_wait); `restart`: -ERESTARTSYS when a signal ends it (else -ERESTART_RESTARTBLOCK, EINTR after a handler). */
export function wait(p: LinuxProcess, addr: number, priv: boolean, val: number, until: bigint | undefined, bitset: number, restart = until === undefined): number {
  const mine = waiting.get(p);
  if (mine) {
    // the retry of a blocked wait: woken, timed out, or still waiting
    if (mine.woken) {
      waiting.delete(p);
      return 0;
    }
    const u = p.blockedCall?.until;
    if (u !== undefined && CLOCKS[1].now(p) >= u) {
      cancel(p);
      return -ETIMEDOUT;
    }
    // no timeout: -ERESTARTSYS; with one, -ERESTART_RESTARTBLOCK (EINTR after a handler)
    throw new WouldBlock(`futex wait on 0x${addr.toString(16)}`, u, () => cancel(p), false, undefined, false, restart);
  }
  if (p.mem.read32(addr) !== val) return -EAGAIN;
  if (!p.tree) {
    if (until !== undefined) return -ETIMEDOUT;
    throw new WouldBlock(`futex wait on 0x${addr.toString(16)}`);
  }
  if (until !== undefined && CLOCKS[1].now(p) >= until) return -ETIMEDOUT;
  const w: Waiter = { p, key: keyOf(p.mem, addr, priv), bitset, woken: false };
  queueOf(w.key, true)!.push(w);
  waiting.set(p, w);
  throw new WouldBlock(`futex wait on 0x${addr.toString(16)}`, until, () => cancel(p), false, undefined, false, restart);
}

/** The wait is abandoned (a signal interrupts it, the thread ends). */
function cancel(p: LinuxProcess): void {
  const w = waiting.get(p);
  if (!w) return;
  if (!w.woken) dequeue(w);
  waiting.delete(p);
}

/** Wakes `n` waiters on addr and moves up to `n2` others to addr2; returns both counts summed. */
function requeue(p: LinuxProcess, addr: number, n: number, addr2: number, n2: number, priv: boolean): number {
  const [key, key2] = [keyOf(p.mem, addr, priv), keyOf(p.mem, addr2, priv)];
  const woken = wakeExactly(key, n);
  let moved = 0;
  for (const w of [...(queueOf(key, false) ?? [])]) {
    if (moved >= n2) break;
    dequeue(w);
    w.key = key2;
    queueOf(key2, true)!.push(w);
    moved++;
  }
  return woken + moved;
}

/** FUTEX_WAKE_OP: the operation on addr2 (futex_atomic_op_inuser), then the wakes. */
function wakeOp(p: LinuxProcess, addr: number, n: number, addr2: number, n2: number, encoded: number, priv: boolean): number {
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  if (encoded & (8 << 28)) oparg = 1 << (oparg & 31); // FUTEX_OP_OPARG_SHIFT
  if (op > 4 || cmp > 5) return -ENOSYS;
  const old = p.mem.read32(addr2) | 0;
  const ops = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  p.mem.write32(addr2, ops[op] >>> 0);
  let woken = futexWake(p, addr, n, undefined, p.mem, priv);
  const cmps = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg];
  if (cmps[cmp]) woken += futexWake(p, addr2, n2, undefined, p.mem, priv);
  return woken;
}

function futex(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const [uaddr, opWord, timeout, uaddr2] = [a[0], a[1], a[3], a[4]];
  // the values compared with a futex word are u32 (an x86-64 int may come sign-extended)
  const [val, val3] = [a[2] >>> 0, a[5] >>> 0];
  const cmd = opWord & FUTEX_CMD_MASK;
  const priv = (opWord & FUTEX_PRIVATE_FLAG) !== 0;
  if ((cmd === FUTEX_WAIT_BITSET || cmd === FUTEX_WAKE_BITSET) && val3 === 0) return -EINVAL;
  if (opWord & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT) return -ENOSYS;
  // the count arguments are ints (a negative one is one wake, futexWake); the second count of
  // REQUEUE and WAKE_OP travels in `timeout`
  const count = (x: number): number => x | 0;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      const until = waiting.get(p) ? undefined : deadline(p, timeout, wide, cmd === FUTEX_WAIT_BITSET, (opWord & FUTEX_CLOCK_REALTIME) !== 0);
      if (typeof until === 'number') return until;
      return wait(p, uaddr, priv, val, until, cmd === FUTEX_WAIT ? BITSET_MATCH_ANY : val3);
    }
    case FUTEX_WAKE:
      return futexWake(p, uaddr, count(val), undefined, p.mem, priv);
    case FUTEX_WAKE_BITSET:
      return futexWake(p, uaddr, count(val), val3, p.mem, priv);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
      if (count(val) < 0 || count(timeout) < 0) return -EINVAL;
      if (cmd === FUTEX_CMP_REQUEUE && p.mem.read32(uaddr) !== val3) return -EAGAIN;
      return requeue(p, uaddr, count(val), uaddr2, count(timeout), priv);
    case FUTEX_WAKE_OP:
      return wakeOp(p, uaddr, count(val), uaddr2, count(timeout), val3, priv);
    default:
      // the priority-inheritance operations and FUTEX_FD
      return -ENOSYS;
  }
}

export const sysFutex = (p: LinuxProcess, a: SyscallArgs): number => futex(p, a, false);
export const sysFutexTime64 = (p: LinuxProcess, a: SyscallArgs): number => futex(p, a, true);
