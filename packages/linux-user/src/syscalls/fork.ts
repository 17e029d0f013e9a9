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
 * then its descriptors and dispositions become its own). clone3 takes the same through struct
 * clone_args (its size checks, exit_signal apart from the flags, stack and stack_size, set_tid
 * for a chosen pid, CLONE_CLEAR_SIGHAND); CLONE_PIDFD returns a pidfd for the child through
 * both (clone: in parent_tid).
 */
import { R_DS, R_EAX, R_ES, R_ESP, R_FS, R_GS } from '@dbtlab/x86-frontend';
import { dataSegmentLoad, selectorBounds } from '@dbtlab/x86-semantics';
import { installAnon } from '../anon-file';
import { capable, CAP_CHECKPOINT_RESTORE, CAP_SYS_ADMIN } from '../capabilities';
import { E2BIG, EAGAIN, EEXIST, EINVAL, EPERM } from '../errno';
import { O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { RLIMIT_NPROC } from '../rlimit';
import { NSIG, SIG_DFL, SIG_IGN, SIGCHLD } from '../signal';
import { ulong, type SyscallArgs } from '../syscall-args';
import { PidFd } from './pidfd';

const CSIGNAL = 0xff;
const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_PIDFD = 0x1000;
const CLONE_VFORK = 0x4000;
const CLONE_PARENT = 0x8000;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_DETACHED = 0x400000;
const CLONE_CHILD_SETTID = 0x1000000;
/** clone3's flags above the legacy 32 bits, as bits of the high word. */
const CLONE_CLEAR_SIGHAND_HI = 1;
const CLONE_INTO_CGROUP_HI = 2;
/** Flags a clone may carry here (what glibc's fork, posix_spawn and pthread_create pass); others are EINVAL. */
const CLONE_FLAGS =
  CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_PIDFD | CLONE_VFORK | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID;
/** struct clone_args: 64 bytes (VER0), 80 with set_tid (VER1), 88 with cgroup (VER2, the kernel's). */
const CLONE_ARGS_SIZE_VER0 = 64;
const CLONE_ARGS_SIZE = 88;
const PAGE_SIZE = 4096;
/** The host's /proc/sys/kernel/pid_max (set_tid at or past it is EINVAL); the run's pid namespace is one level deep. */
const PID_MAX = 32768;
/** The end of user space (access_ok of clone3's stack). */
const TASK_SIZE_MAX = 2 ** 47 - PAGE_SIZE;

/** What a clone asks for, both calls alike (kernel_clone_args). */
interface CloneArgs {
  /** The legacy 32 flag bits. */
  flags: number;
  /** clone3's CLONE_CLEAR_SIGHAND. */
  clearSighand?: boolean;
  exitSignal: number;
  /** The child's stack pointer (0: the parent's). */
  sp: number;
  ptid: number;
  ctid: number;
  tls: number;
  /** Where CLONE_PIDFD's descriptor goes. */
  pidfd: number;
  /** clone3's set_tid[0]: the pid the child is to have. */
  setTid?: number;
}

/** RLIMIT_NPROC: live threads of the caller's user, the new one included (EAGAIN beyond). */
function overNproc(p: LinuxProcess): boolean {
  const mine = p.tree!.processes.filter((q) => q.threadGroup.has(q) && q.ids.uid === p.ids.uid).length;
  return BigInt(mine) >= p.rlimits[RLIMIT_NPROC].cur;
}

function doFork(p: LinuxProcess, { flags, exitSignal, sp: newsp, ptid, ctid }: CloneArgs, pid?: number): LinuxProcess | number {
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
    pid,
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
  child.exitSignal = exitSignal;
  return child;
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
function doThread(p: LinuxProcess, { flags, sp: newsp, ptid, tls, ctid }: CloneArgs, tid?: number): LinuxProcess | number {
  const tree = p.tree;
  if (!tree || overNproc(p)) return -EAGAIN;
  let tlsResult = 0;
  const child = tree.thread(p, (c) => {
    c.cpu.setReg(R_EAX, 0);
    if (newsp !== 0) setStackPointer(c, newsp);
    // x86-64's CLONE_SETTLS is the %fs base itself; i386's a user_desc for set_thread_area
    if (flags & CLONE_SETTLS && c.abi === 'x86_64') c.cpu.setSegBase64(R_FS, tls);
    else if (flags & CLONE_SETTLS) tlsResult = applyThreadArea(c, tls);
  }, tid);
  if (tlsResult < 0) return tlsResult;
  if (flags & CLONE_PARENT_SETTID) p.mem.write32(ptid, child.tid);
  if (flags & CLONE_CHILD_SETTID) p.mem.write32(ctid, child.tid);
  if (flags & CLONE_CHILD_CLEARTID) child.clearChildTid = ctid;
  return child;
}

/** kernel_clone and copy_process: the checks both calls share, the child (process or thread), its pidfd; the child's tid. */
function kernelClone(p: LinuxProcess, args: CloneArgs): number {
  const { flags } = args;
  if (flags & ~CLONE_FLAGS) return -EINVAL;
  if (flags & CLONE_PIDFD && flags & CLONE_PARENT_SETTID && args.pidfd === args.ptid) return -EINVAL;
  if (flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) return -EINVAL;
  if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -EINVAL;
  if (flags & CLONE_PIDFD && flags & CLONE_DETACHED) return -EINVAL;
  // alloc_pid: a set_tid within pid_max, by a checkpoint/restore-capable caller, not in use
  const tid = args.setTid;
  if (tid !== undefined) {
    if (tid < 1 || tid >= PID_MAX) return -EINVAL;
    if (!capable(p, CAP_SYS_ADMIN) && !capable(p, CAP_CHECKPOINT_RESTORE)) return -EPERM;
    if (p.tree?.pidTaken(tid)) return -EEXIST;
  }
  // the pidfd's put_user fails before the child exists
  if (flags & CLONE_PIDFD) p.mem.write32(args.pidfd, 0);
  const child = flags & CLONE_THREAD ? doThread(p, args, tid) : doFork(p, args, tid);
  if (typeof child === 'number') return child;
  if (args.clearSighand) {
    // flush_signal_handlers(child, 0): handled signals to SIG_DFL, ignored ones stay so; no flags, masks or restorers
    for (let sig = 1; sig <= NSIG; sig++) {
      const a = child.signals.actions[sig];
      child.signals.actions[sig] = { handler: a.handler === SIG_IGN ? SIG_IGN : SIG_DFL, flags: 0, restorer: 0, mask: 0n };
    }
  }
  if (flags & CLONE_PIDFD) p.mem.write32(args.pidfd, installAnon(p, new PidFd(p, child.tid, (flags & CLONE_THREAD) !== 0), O_RDWR, true));
  return child.tid;
}

const legacy = (flags: number, sp = 0, ptid = 0, tls = 0, ctid = 0): CloneArgs => ({ flags, exitSignal: flags & CSIGNAL, sp, ptid, ctid, tls, pidfd: ptid });

export const sysFork = (p: LinuxProcess): number => kernelClone(p, legacy(SIGCHLD));
export const sysVfork = (p: LinuxProcess): number => kernelClone(p, legacy(CLONE_VM | CLONE_VFORK | SIGCHLD));

/** clone(flags, newsp, parent_tid, child_tid, tls): x86-64's argument order. */
export const sysCloneX86_64 = (p: LinuxProcess, a: SyscallArgs): number => sysClone(p, Float64Array.of(a[0], a[1], a[2], a[4], a[3]));

/** clone(flags, newsp, parent_tid, tls, child_tid): the i386 argument order. */
export const sysClone = (p: LinuxProcess, a: SyscallArgs): number => kernelClone(p, legacy(a[0] >>> 0, a[1], a[2], a[3], a[4]));

/** clone3(uargs, size): struct clone_args of u64 fields on both ABIs. */
export function sysClone3(p: LinuxProcess, a: SyscallArgs): number {
  const size = ulong(a, 1);
  if (size > PAGE_SIZE) return -E2BIG;
  if (size < CLONE_ARGS_SIZE_VER0) return -EINVAL;
  // copy_struct_from_user: what lies past the kernel's structure must be zero
  if (size > CLONE_ARGS_SIZE && p.mem.readBytes(a[0] + CLONE_ARGS_SIZE, size - CLONE_ARGS_SIZE).some((b) => b !== 0)) return -E2BIG;
  const raw = new Uint8Array(CLONE_ARGS_SIZE);
  raw.set(p.mem.readBytes(a[0], Math.min(size, CLONE_ARGS_SIZE)));
  const v = new DataView(raw.buffer);
  const [flags, hi] = [v.getUint32(0, true), v.getUint32(4, true)];
  const [pidfd, ctid, ptid, exitSignal, stack, stackSize, tls, setTid, setTidSize, cgroup] = Array.from({ length: 10 }, (_, i) => Number(v.getBigUint64(8 * (i + 1), true)));
  if (setTidSize > 32 /* MAX_PID_NS_LEVEL */ || (setTid === 0) !== (setTidSize === 0)) return -EINVAL;
  if (exitSignal > NSIG) return -EINVAL;
  if (hi & CLONE_INTO_CGROUP_HI && (cgroup > 0x7fffffff || size < CLONE_ARGS_SIZE)) return -EINVAL;
  const tids = setTid ? Array.from({ length: setTidSize }, (_, i) => p.mem.read32(setTid + 4 * i) | 0) : [];
  // clone3_args_valid: the 64 flag bits, no CSIGNAL or CLONE_DETACHED, CLONE_THREAD/CLONE_PARENT without an exit signal, the stack
  if (hi & ~(CLONE_CLEAR_SIGHAND_HI | CLONE_INTO_CGROUP_HI) || flags & (CSIGNAL | CLONE_DETACHED)) return -EINVAL;
  if (flags & CLONE_SIGHAND && hi & CLONE_CLEAR_SIGHAND_HI) return -EINVAL;
  if (flags & (CLONE_THREAD | CLONE_PARENT) && exitSignal) return -EINVAL;
  if (stack === 0 ? stackSize > 0 : stackSize === 0 || stack + stackSize > TASK_SIZE_MAX) return -EINVAL;
  // alloc_pid: one level of pid namespace, so at most one tid; a cgroup to start in is not modelled
  if (tids.length > 1 || hi & CLONE_INTO_CGROUP_HI) return -EINVAL;
  return kernelClone(p, { flags, clearSighand: (hi & CLONE_CLEAR_SIGHAND_HI) !== 0, exitSignal, sp: stack && stack + stackSize, ptid, ctid, tls, pidfd, setTid: tids[0] });
}
