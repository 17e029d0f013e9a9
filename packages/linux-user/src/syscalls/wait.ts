/**
 * Waiting for children: wait4, waitpid and waitid. A zombie child is reaped and its status
 * encoded as the kernel does (exit: status << 8; killed: the signal number, 0x80 if it dumped
 * core; stopped: signal << 8 | 0x7f; continued: 0xffff); with nothing to report the caller
 * blocks (WouldBlock, restarted after an SA_RESTART handler) unless WNOHANG; no child at all
 * is ECHILD. The report is taken before it is written out: a bad pointer is EFAULT with the
 * child reaped all the same (kernel_wait4, kernel_waitid).
 */
import { EAGAIN, ECHILD, EINVAL, ESRCH } from '../errno';
import { O_NONBLOCK } from '../fd-table';
import { pidfdOf } from './pidfd';
import type { LinuxProcess } from '../process';
import { WouldBlock } from '../would-block';
import { pgidOf } from './process-tree';
import { SIGCHLD } from '../signal';
import { CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED } from '../siginfo-codes';
import type { SyscallArgs } from '../syscall-args';

const WNOHANG = 1;
const WUNTRACED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x01000000;
const WNOTHREAD = 0x20000000;
const WALL = 0x40000000;
const WCLONE = 0x80000000;
const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;
const P_PIDFD = 3;
const INT_MIN = -0x80000000;

/**
 * The children `pid` selects (wait4's convention: > 0 one, 0 my group, -1 any, < -1 group
 * -pid) among those `options` wait for (eligible_child: __WALL all; __WCLONE only "clone
 * children", whose exit signal is not SIGCHLD; else only the others), in do_wait's order:
 * the calling thread's children first, then each other thread's in thread order from it
 * (with __WNOTHREAD only the calling thread's).
 */
function selected(p: LinuxProcess, pid: number, options: number): LinuxProcess[] {
  const threads = [...p.threadGroup];
  const from = Math.max(threads.indexOf(p), 0);
  const rank = (c: LinuxProcess): number => {
    const i = c.parent ? threads.indexOf(c.parent) : -1;
    return i < 0 ? threads.length : (i - from + threads.length) % threads.length;
  };
  return [...p.children]
    .filter(
      (c) =>
        (!(options & WNOTHREAD) || c.parent === p) &&
        (options & WALL || (c.exitSignal !== SIGCHLD) === ((options & WCLONE) !== 0)) &&
        (pid > 0 ? c.pid === pid : pid === 0 ? pgidOf(c) === pgidOf(p) : pid === -1 ? true : pgidOf(c) === -pid),
    )
    .sort((a, b) => rank(a) - rank(b));
}

/** What a wait reports of a child: it exited (or was killed), stopped, or continued. */
interface Report {
  child: LinuxProcess;
  code: number;
  /** si_status: the exit code or the signal */
  status: number;
  /** wait4's status word */
  word: number;
}

/**
 * The first child `pid` selects with something `options` asks for (wait_consider_task: an
 * exit, with WUNTRACED a stop, with WCONTINUED a continue, each reported once); 0 with
 * WNOHANG and nothing to report, undefined to block, or -errno.
 */
function findReport(p: LinuxProcess, pid: number, options: number): Report | number | undefined {
  const kids = selected(p, pid, options);
  if (kids.length === 0) return -ECHILD;
  for (const child of kids) {
    const z = child.zombie;
    if (z && options & WEXITED) {
      if (z.signal === undefined) return { child, code: CLD_EXITED, status: z.status & 0xff, word: (z.status & 0xff) << 8 };
      return { child, code: z.core ? CLD_DUMPED : CLD_KILLED, status: z.signal, word: z.signal | (z.core ? 0x80 : 0) };
    }
    const r = child.jobStop.report;
    if (!z && r && options & (r.code === CLD_STOPPED ? WUNTRACED : WCONTINUED)) {
      return { child, code: r.code, status: r.sig, word: r.code === CLD_STOPPED ? (r.sig << 8) | 0x7f : 0xffff };
    }
  }
  return options & WNOHANG ? 0 : undefined;
}

/** The report is taken: a zombie is reaped, a stop or continue is not reported again. */
function consume(p: LinuxProcess, r: Report): void {
  if (r.code === CLD_STOPPED || r.code === CLD_CONTINUED) r.child.jobStop.report = undefined;
  else p.children.delete(r.child);
}

/** wait4(pid, int *status, options, struct rusage *) */
export function sysWait4(p: LinuxProcess, a: SyscallArgs): number {
  if (a[2] & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WALL | WCLONE)) return -EINVAL;
  // -INT_MIN is no process group
  if ((a[0] | 0) === INT_MIN) return -ESRCH;
  const r = findReport(p, a[0] | 0, a[2] | WEXITED);
  if (r === undefined) throw new WouldBlock('wait4', undefined, undefined, false, undefined, false, true);
  if (typeof r === 'number') return r;
  consume(p, r);
  if (a[1] !== 0) p.mem.write32(a[1], r.word);
  if (a[3] !== 0) p.mem.writeBytes(a[3], new Uint8Array(rusageSize(p)));
  return r.child.pid;
}

/** struct rusage: two timevals and fourteen longs (72 bytes on i386, 144 on x86-64). */
const rusageSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 144 : 72);

/** waitpid(pid, status, options) = wait4 without rusage. */
export const sysWaitpid = (p: LinuxProcess, a: SyscallArgs): number => sysWait4(p, Uint32Array.of(a[0], a[1], a[2], 0));

/** waitid(idtype, id, siginfo_t *, options, struct rusage *) */
export function sysWaitid(p: LinuxProcess, a: SyscallArgs): number {
  const [idtype, id, infop, options] = [a[0], a[1] | 0, a[2], a[3]];
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED)) || options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | WNOTHREAD | WALL | WCLONE)) return -EINVAL;
  // P_PIDFD: the pidfd's process; a PIDFD_NONBLOCK one waits as WNOHANG, and says EAGAIN
  const pidfd = idtype === P_PIDFD ? (id < 0 ? -EINVAL : pidfdOf(p, id)) : undefined;
  if (typeof pidfd === 'number') return pidfd;
  const nonblock = pidfd !== undefined && (p.fds.get(id)!.flags & O_NONBLOCK) !== 0;
  const pid = pidfd ? pidfd.pid : idtype === P_ALL ? -1 : idtype === P_PID ? id : idtype === P_PGID ? (id === 0 ? 0 : -id) : NaN;
  if (Number.isNaN(pid) || (idtype === P_PID && id <= 0) || (idtype === P_PGID && id < 0)) return -EINVAL;
  const r = findReport(p, pid, nonblock ? options | WNOHANG : options);
  if (r === undefined) throw new WouldBlock('waitid', undefined, undefined, false, undefined, false, true);
  if (r === 0 && nonblock && !(options & WNOHANG)) return -EAGAIN;
  if (typeof r === 'number') {
    // WNOHANG with nothing to report: si_pid = 0
    if (r === 0 && infop !== 0) p.mem.writeBytes(infop, new Uint8Array(128));
    return r;
  }
  if (!(options & WNOWAIT)) consume(p, r);
  if (infop !== 0) {
    const info = new DataView(new ArrayBuffer(128));
    info.setInt32(0, SIGCHLD, true);
    info.setInt32(8, r.code, true);
    // the union: at 12 (i386) or 16 (x86-64)
    const u = p.abi === 'x86_64' ? 16 : 12;
    info.setInt32(u, r.child.pid, true);
    info.setUint32(u + 4, r.child.ids.uid, true);
    info.setInt32(u + 8, r.status, true);
    p.mem.writeBytes(infop, new Uint8Array(info.buffer));
  }
  if (a[4] !== 0) p.mem.writeBytes(a[4], new Uint8Array(rusageSize(p)));
  return 0;
}
