/**
 * Waiting for children: wait4, waitpid and waitid. A zombie child is reaped and its status
 * encoded as the kernel does (exit: status << 8; killed: the signal number); with nothing to
 * report the caller blocks (WouldBlock) unless WNOHANG; no child at all is ECHILD.
 */
import { ECHILD, EINVAL } from '../errno';
import type { LinuxProcess } from '../process';
import { WouldBlock } from '../would-block';
import { pgidOf } from './process-tree';
import { SIGCHLD } from '../signal';
import { CLD_EXITED, CLD_KILLED } from '../siginfo-codes';

const WNOHANG = 1;
const WUNTRACED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x01000000;
const WALL = 0x40000000;
const WCLONE = 0x80000000;
const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;

/** The children `pid` selects (wait4's convention: > 0 one, 0 my group, -1 any, < -1 group -pid). */
function selected(p: LinuxProcess, pid: number): LinuxProcess[] {
  return [...p.children].filter((c) => (pid > 0 ? c.pid === pid : pid === 0 ? pgidOf(c) === pgidOf(p) : pid === -1 ? true : pgidOf(c) === -pid));
}

const waitStatus = (z: { status: number; signal?: number }): number => (z.signal === undefined ? (z.status & 0xff) << 8 : z.signal);

/** The zombie to report, undefined to block, or -errno. */
function findZombie(p: LinuxProcess, pid: number, options: number): LinuxProcess | number | undefined {
  const kids = selected(p, pid);
  if (kids.length === 0) return -ECHILD;
  const z = kids.find((c) => c.zombie);
  if (z) return z;
  return options & WNOHANG ? 0 : undefined;
}

function reap(p: LinuxProcess, c: LinuxProcess): void {
  p.children.delete(c);
  // the last zombie reaped: no SIGCHLD is left pending for it
  if (![...p.children].some((k) => k.zombie)) p.signals.pending &= ~(1n << BigInt(SIGCHLD - 1));
}

/** wait4(pid, int *status, options, struct rusage *) */
export function sysWait4(p: LinuxProcess, a: Uint32Array): number {
  if (a[2] & ~(WNOHANG | WUNTRACED | WCONTINUED | WALL | WCLONE)) return -EINVAL;
  const z = findZombie(p, a[0] | 0, a[2]);
  if (z === undefined) throw new WouldBlock('wait4');
  if (typeof z === 'number') return z;
  if (a[1] !== 0) p.mem.write32(a[1], waitStatus(z.zombie!));
  if (a[3] !== 0) p.mem.writeBytes(a[3], new Uint8Array(rusageSize(p)));
  reap(p, z);
  return z.pid;
}

/** struct rusage: two timevals and fourteen longs (72 bytes on i386, 144 on x86-64). */
const rusageSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 144 : 72);

/** waitpid(pid, status, options) = wait4 without rusage. */
export const sysWaitpid = (p: LinuxProcess, a: Uint32Array): number => sysWait4(p, Uint32Array.of(a[0], a[1], a[2], 0));

/** waitid(idtype, id, siginfo_t *, options, struct rusage *) */
export function sysWaitid(p: LinuxProcess, a: Uint32Array): number {
  const [idtype, id, infop, options] = [a[0], a[1] | 0, a[2], a[3]];
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED)) || options & ~(WNOHANG | WEXITED | WUNTRACED | WCONTINUED | WNOWAIT | WALL | WCLONE)) return -EINVAL;
  const pid = idtype === P_ALL ? -1 : idtype === P_PID ? id : idtype === P_PGID ? (id === 0 ? 0 : -id) : NaN;
  if (Number.isNaN(pid) || (idtype === P_PID && id <= 0)) return -EINVAL;
  const z = findZombie(p, pid, options);
  if (z === undefined) throw new WouldBlock('waitid');
  if (typeof z === 'number') {
    // WNOHANG with nothing to report: si_pid = 0
    if (z === 0 && infop !== 0) p.mem.writeBytes(infop, new Uint8Array(128));
    return z;
  }
  if (infop !== 0) {
    const info = new DataView(new ArrayBuffer(128));
    const zs = z.zombie!;
    info.setInt32(0, SIGCHLD, true);
    info.setInt32(8, zs.signal === undefined ? CLD_EXITED : CLD_KILLED, true);
    // the union: at 12 (i386) or 16 (x86-64)
    const u = p.abi === 'x86_64' ? 16 : 12;
    info.setInt32(u, z.pid, true);
    info.setUint32(u + 4, z.ids.uid, true);
    info.setInt32(u + 8, zs.signal ?? zs.status & 0xff, true);
    p.mem.writeBytes(infop, new Uint8Array(info.buffer));
  }
  if (a[4] !== 0) p.mem.writeBytes(a[4], new Uint8Array(rusageSize(p)));
  if (!(options & WNOWAIT)) reap(p, z);
  return 0;
}
