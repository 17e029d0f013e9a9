/**
 * futex and futex_time64 for a process with one thread: nobody else can wake a waiter or
 * hold a lock, so FUTEX_WAKE wakes no one (0), a FUTEX_WAIT whose word changed is EAGAIN,
 * one with a timeout times out, one without would block forever (GuestDeadlock). glibc's
 * dynamic loader and stdio locks call FUTEX_WAKE_PRIVATE on their way; FUTEX_WAKE_OP still
 * performs its operation on the second word, as the kernel does before waking.
 */
import { EAGAIN, EINVAL, ENOSYS, ETIMEDOUT } from '../errno';
import { GuestDeadlock } from '../guest-deadlock';
import type { LinuxProcess } from '../process';

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_CMD_MASK = ~(128 /* FUTEX_PRIVATE_FLAG */ | 256 /* FUTEX_CLOCK_REALTIME */);

/** The FUTEX_OP_* arithmetic and comparison of FUTEX_WAKE_OP (futex_atomic_op_inuser). */
function wakeOp(p: LinuxProcess, addr: number, encoded: number): number {
  const op = (encoded >>> 28) & 7;
  // the comparison (bits 24-27, against bits 0-11) only decides whether uaddr2's waiters wake
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  if (encoded & (8 << 28)) oparg = 1 << (oparg & 31); // FUTEX_OP_OPARG_SHIFT
  const old = p.mem.read32(addr) | 0;
  const ops = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg];
  if (op >= ops.length || cmp > 5) return -ENOSYS;
  const word = new Uint8Array(4);
  new DataView(word.buffer).setUint32(0, ops[op] >>> 0, true);
  p.mem.writeBytes(addr, word);
  return 0;
}

function futex(p: LinuxProcess, a: Uint32Array): number {
  const [uaddr, opWord, val, timeout, uaddr2, val3] = a;
  const cmd = opWord & FUTEX_CMD_MASK;
  if ((cmd === FUTEX_WAIT_BITSET || cmd === FUTEX_WAKE_BITSET) && val3 === 0) return -EINVAL;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
      if (p.mem.read32(uaddr) !== val) return -EAGAIN;
      if (timeout !== 0) return -ETIMEDOUT;
      throw new GuestDeadlock(`futex wait on 0x${uaddr.toString(16)}`);
    case FUTEX_WAKE_BITSET:
    case FUTEX_WAKE:
    case FUTEX_REQUEUE:
      return 0;
    case FUTEX_CMP_REQUEUE:
      return p.mem.read32(uaddr) === val3 ? 0 : -EAGAIN;
    case FUTEX_WAKE_OP:
      return wakeOp(p, uaddr2, val3);
    default:
      // the priority-inheritance operations and FUTEX_FD
      return -ENOSYS;
  }
}

export const sysFutex = futex;
export const sysFutexTime64 = futex;
