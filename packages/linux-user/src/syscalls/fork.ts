/**
 * Creating processes and threads: fork, vfork, and clone as a process (without CLONE_THREAD)
 * or as a thread (CLONE_THREAD with CLONE_SIGHAND and CLONE_VM, as pthread_create passes
 * them). A process child is a copy (GuestTree.fork: fds, signal state, and memory with its
 * code cache); it returns 0 from the call, the parent the child's pid. With CLONE_VM (vfork,
 * posix_spawn's CLONE_VM|CLONE_VFORK) the child runs in the parent's memory itself until it
 * execs or exits: what it stores there the parent sees. With CLONE_VFORK the parent sleeps
 * until then. A thread shares the process (GuestTree.thread) and starts on its own stack
 * with its own TLS. CLONE_FILES, CLONE_FS and CLONE_SIGHAND without CLONE_THREAD share the
 * descriptor table, cwd and umask, and dispositions with the parent (until the child execs:
 * then its descriptors and dispositions become its own).
 */
import { R_DS, R_EAX, R_ES, R_ESP, R_FS, R_GS } from '@dbtlab/x86-frontend';
import { dataSegmentLoad, selectorBounds } from '@dbtlab/x86-semantics';
import { EAGAIN, EINVAL } from '../errno';
import type { LinuxProcess } from '../process';
import { RLIMIT_NPROC } from '../rlimit';
import { SIGCHLD } from '../signal';
import type { SyscallArgs } from '../syscall-args';

const CSIGNAL = 0xff;
const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_VFORK = 0x4000;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_DETACHED = 0x400000;
const CLONE_CHILD_SETTID = 0x1000000;
/** Flags a clone may carry here (what glibc's fork, posix_spawn and pthread_create pass); others are EINVAL. */
const CLONE_FLAGS =
  CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID;

/** RLIMIT_NPROC: live threads of the caller's user, the new one included (EAGAIN beyond). */
function overNproc(p: LinuxProcess): boolean {
  const mine = p.tree!.processes.filter((q) => q.threadGroup.has(q) && q.ids.uid === p.ids.uid).length;
  return BigInt(mine) >= p.rlimits[RLIMIT_NPROC].cur;
}

function doFork(p: LinuxProcess, flags: number, newsp = 0, ptid = 0, ctid = 0): number {
  const tree = p.tree;
  if (!tree || overNproc(p)) return -EAGAIN;
  const child = tree.fork(
    p,
    (flags & CLONE_VFORK) !== 0,
    (c) => {
      c.cpu.setReg(R_EAX, 0);
      if (newsp !== 0) setStackPointer(c, newsp);
    },
    (flags & CLONE_VM) !== 0,
  );
  // shared with the parent instead of copied: the descriptor table, cwd and umask, dispositions
  if (flags & CLONE_FILES) {
    child.fds.closeAll();
    child.fds = p.fds;
  }
  if (flags & CLONE_FS) child.fsState = p.fsState;
  if (flags & CLONE_SIGHAND) child.signals.actions = p.signals.actions;
  if (flags & CLONE_PARENT_SETTID) p.mem.write32(ptid, child.pid);
  if (flags & CLONE_CHILD_SETTID) child.mem.write32(ctid, child.pid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = ctid;
  child.exitSignal = flags & CSIGNAL;
  return child.pid;
}

/**
 * set_thread_area's effect for `p`: its TLS table, and %ds %es %fs %gs where they hold the selector:
 * the kernel reloads them (tls.c), and one the CPU now refuses (a cleared entry) becomes null.
 */
export function applyThreadArea(p: LinuxProcess, desc: number): number {
  const { result, selector } = p.tls.setThreadArea(p.mem, desc);
  if (selector !== undefined) {
    for (const seg of [R_DS, R_ES, R_FS, R_GS]) {
      if (p.cpu.segSelector(seg) !== selector) continue;
      const ok = dataSegmentLoad(seg, selector, p.descriptor(selector)) === 'ok';
      p.cpu.setSegSelector(seg, ok ? selector : 0);
      p.cpu.setSegBase(seg, ok ? p.segmentBase(selector) : 0);
      p.cpu.setSegBounds(seg, selectorBounds(ok ? selector : 0, p.descriptor(selector)));
    }
  }
  return result;
}

/** The child's stack pointer: esp, or the whole rsp (a 64-bit register is not sign-extended). */
function setStackPointer(c: LinuxProcess, sp: number): void {
  if (c.abi === 'x86_64') c.cpu.setReg64(R_ESP, sp);
  else c.cpu.setReg(R_ESP, sp);
}

/** pthread_create's clone: a thread of p's process on stack `newsp` with TLS descriptor `tls`. */
function doThread(p: LinuxProcess, flags: number, newsp: number, ptid: number, tls: number, ctid: number): number {
  const tree = p.tree;
  if (!tree || overNproc(p)) return -EAGAIN;
  let tlsResult = 0;
  const child = tree.thread(p, (c) => {
    c.cpu.setReg(R_EAX, 0);
    if (newsp !== 0) setStackPointer(c, newsp);
    // x86-64's CLONE_SETTLS is the %fs base itself; i386's a user_desc for set_thread_area
    if (flags & CLONE_SETTLS && c.abi === 'x86_64') c.cpu.setSegBase64(R_FS, tls);
    else if (flags & CLONE_SETTLS) tlsResult = applyThreadArea(c, tls);
  });
  if (tlsResult < 0) return tlsResult;
  if (flags & CLONE_PARENT_SETTID) p.mem.write32(ptid, child.tid);
  if (flags & CLONE_CHILD_SETTID) p.mem.write32(ctid, child.tid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = ctid;
  return child.tid;
}

export const sysFork = (p: LinuxProcess): number => doFork(p, SIGCHLD);
export const sysVfork = (p: LinuxProcess): number => doFork(p, CLONE_VM | CLONE_VFORK | SIGCHLD);

/** clone(flags, newsp, parent_tid, child_tid, tls): x86-64's argument order. */
export const sysCloneX86_64 = (p: LinuxProcess, a: SyscallArgs): number => sysClone(p, Float64Array.of(a[0], a[1], a[2], a[4], a[3]));

/** clone(flags, newsp, parent_tid, tls, child_tid): the i386 argument order. */
export function sysClone(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[0];
  if (flags & ~CLONE_FLAGS) return -EINVAL;
  // the kernel's own consistency rules (copy_process)
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -EINVAL;
  if (flags & CLONE_THREAD) return doThread(p, flags, a[1], a[2], a[3], a[4]);
  return doFork(p, flags, a[1], a[2], a[4]);
}
