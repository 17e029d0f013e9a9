/**
 * One guest Linux process: its address space, file descriptors, signal state and TLS
 * descriptors, with the three entry points a runtime calls:
 *
 *   const proc = new LinuxProcess(guestMem, cpu, { argv: ['./hello'], envp: [] });
 *   proc.load('./hello');            // ELF mapped, stack built, cpu at the entry point
 *   // the runtime executes guest code; on int $0x80 (cpu.eip already past it):
 *   proc.doSyscall();                // may throw GuestExit
 *   // on a guest fault, with the cpu holding the precise state of the faulting insn:
 *   proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr });
 */
import { readFileSync, statSync } from 'node:fs';
import { getPriority } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { walkInRoot } from './chroot';
import type { GuestOs } from '@dbtlab/dbt-core';
import { GuestMemory, MemoryFault } from '@dbtlab/mips-host';
import { CpuState, R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ESI, R_ESP, R_R10, R_R8, R_R9, TF } from '@dbtlab/x86-frontend';
import { cpuEflags, descriptorBase, setCpuEflags, type Descriptor, type SegmentFault, type SystemRegisterOp } from '@dbtlab/x86-semantics';
import { SYSCALL_TABLE_X86_64, syscallNameX86_64 } from './syscall-table-x86_64';
import { ElfError, type ElfClass } from './elf';
import { GuestExit } from './guest-exit';
import { WouldBlock } from './would-block';
import { ipcExit, ipcFork, ipcLeaveVm } from './syscalls/ipc';
import { futexWake } from './syscalls/futex';
import type { GuestTree } from './guest-tree';
import { loadElfBinary, LoadedImage } from './elfload';
import { EACCES, EBADF, EFAULT, EINTR, ENOSYS, ERESTARTSYS, errnoMessage, errnoName, errnoOfHostError } from './errno';
import { FdTable, inheritedTableSlots, OpenFile, O_RDONLY, O_WRONLY } from './fd-table';
import { TARGET_PAGE_SIZE } from './layout';
import { MIN_COREDUMP, writeCoreDump } from './core-dump';
import { InitialStack, setupInitialCpu, setupInitialStack } from './linuxload';
import { execCredentials, hostIdentity, type Identity } from './credentials';
import { hostCaps } from './capabilities';
import { newIoCounts, type IoCounts } from './io-accounting';
import { AddressSpace } from './mmap';
import { dropExeFile, shareExeFile } from './exe-file';
import { GuestRandom } from './random';
import { initialRlimits, RLIM_INFINITY, RLIMIT_AS, RLIMIT_CORE, RLIMIT_DATA, RLIMIT_NOFILE, RLIMIT_STACK, type Rlimit } from './rlimit';
import { defaultAction, NSIG, outsideSender, SA_NODEFER, SA_RESETHAND, SA_RESTART, SIG_DFL, SIG_IGN, SIGCHLD, SIGCONT, SIGKILL, SIGBUS, SIGRTMIN, SIGSEGV, sigBit, SignalState, STOP_SIGNALS, UNBLOCKABLE } from './signal';
import { recordTrap, restoreSignalFrame, setupSignalFrame, SigInfo } from './signal-frame';
import { restoreSignalFrame64, setupSignalFrame64 } from './signal-frame-x86_64';
import { emulateVsyscall } from './vsyscall';
import { FrameRefused } from './sigframe-fpu';
import { SI_KERNEL, SI_TIMER } from './siginfo-codes';
import { GuestDeadlock } from './guest-deadlock';
import { hostSleepMs } from './host-sleep';
import { commOfPath, execedPrctl, forkedPrctl, initialPrctl, PrctlState } from './syscalls/identity';
import { CLOCKS } from './syscalls/time';
import { TimerHost, TimerTable } from './timers';
import { SharedMappings } from './shared-mappings';
import { BLOCKED, NO_RESULT } from './syscall-result';
import { SYSCALL_TABLE, syscallName, SyscallRow } from './syscall-table';
import { formatExitLine, formatSignalLine, formatStraceInputs, formatStraceLine, formatUnknownSyscall } from './strace';
import { Sysroot } from './sysroot';
import { TlsTable } from './tls';
import { umipValue } from './umip';
import { installVdso, VDSO_RESERVED_PAGES, type VdsoPages } from './vdso';
import { argOf64, type SyscallArgs } from './syscall-args';
import { forkSched, initialSched, type SchedState } from './syscalls/sched';
import { exitRobustList } from './syscalls/robust-list';

export interface ProcessOptions {
  /** argv[0] is the path as given. */
  argv: string[];
  envp: string[];
  /** Host fds behind guest fds 0, 1, 2 (default 0, 1, 2; negative: closed). */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  /** One line per system call, strace style, without newline. */
  strace?: (line: string) => void;
  /**
   * A virtual clock (ns) for every time system call, instead of the host's: runs whose
   * counts must not depend on when they ran (mkstemp's names mix in CLOCK_MONOTONIC).
   */
  clock?: () => bigint;
  /** Called once per distinct unimplemented system call number. */
  onUnknownSyscall?: (nr: number, name: string) => void;
  /** Directory absolute guest paths are looked up under first (qemu-user's -L); see sysroot.ts. */
  sysroot?: string;
  /** AT_HWCAP: CPUID.1:EDX of the CPU model (default I386_HWCAP). */
  hwcap?: number;
  /** false: no AT_SYSINFO_EHDR (nor i386's AT_SYSINFO), as under qemu-i386/qemu-x86_64 7.2 (the C library then makes its system calls itself). */
  vdso?: boolean;
  /**
   * Signals sent to dbtlab from outside (host-signals.ts): word s counts signal s, word 0 is
   * bumped (and notified) on each; the process takes them at interrupt checks and waits.
   */
  hostSignals?: Int32Array;
}

/**
 * Host instructions between two looks at the host clock and the host-signal cell, when a
 * timer runs on the host clock or signals can come from outside (a few milliseconds).
 */
const POLL_INSNS = 1 << 20;
/** Longest wait on host streams before looking for signals sent to dbtlab. */
const HOST_WAIT_SLICE_MS = 20;

/** int $0x80, syscall and sysenter are two bytes each: a restarted call runs its instruction again (regs->ip -= 2). */
const SYSCALL_INSN_BYTES = 2;

/** The lazy-flag fields saved with a signal frame and put back by sigreturn. */
interface CcState {
  ccOp: number;
  ccSrc: number;
  ccDst: number;
  ccSrc2: number;
}
const NO_INPUTS: Array<string | undefined> = [];
/** Frames whose lazy flags are remembered (a handler that siglongjmps never returns its frame). */
const CC_STASH_LIMIT = 64;

/** x86-64's system-call argument registers: rdi rsi rdx r10 r8 r9. */
const X86_64_ARG_REGS = [R_EDI, R_ESI, R_EDX, R_R10, R_R8, R_R9] as const;

/**
 * Job control of a process (shared by its threads): stopped by a stop signal until SIGCONT or
 * SIGKILL, and what its parent's wait has yet to be told (the last stop or continue:
 * signal->group_exit_code and SIGNAL_STOP_CONTINUED).
 */
export interface JobStop {
  stopped: boolean;
  report: { code: number; sig: number } | undefined;
}

/** What a system call left behind when it blocked: retried as it was when the thread runs again. */
interface BlockedCall {
  row: SyscallRow;
  args: SyscallArgs;
  inputs: Array<string | undefined>;
  what: string;
  /** When the call gives up waiting by itself (a timeout; monotonic ns), if ever. */
  until?: bigint;
  /** Undoes what the call registered while it waited (a futex waiter), when it is abandoned. */
  cancel?: () => void;
  /** The call waits for a signal (pause, sigsuspend, sigtimedwait...): one from outside may end it. */
  forSignal: boolean;
  /** When it first blocked (monotonic ns): its relative timeout counts from there on every retry. */
  startedAt: bigint;
  /** Its result when a signal interrupts it, if not -EINTR. */
  interrupted?: () => number;
  /** Interrupted with nothing done, it runs again after an SA_RESTART handler (WouldBlock.restart). */
  restart: boolean;
  /** Another guest woke it (a futex wake, a signal) since it blocked: the scheduler counts it as runnable. */
  woken?: boolean;
  /** An i386 call of a 64-bit process (int $0x80). */
  compat: boolean;
}

export class LinuxProcess implements GuestOs {
  readonly syscallCounts = new Map<string, number>();
  syscalls = 0;
  space: AddressSpace;
  rlimits = initialRlimits();
  fds = new FdTable(() => this.nofileLimit(), inheritedTableSlots());
  signals = new SignalState();
  tls = new TlsTable();
  readonly random = new GuestRandom();
  readonly sysroot: Sysroot;
  readonly ids: Identity;
  pid = process.pid;
  /** The thread's id (= pid for the thread a process starts with). */
  tid = process.pid;
  /**
   * When it began, in clock ticks since boot (/proc/<pid>/stat starttime): the first guest is
   * this Node.js process (exec keeps the time of the fork that made it); a fork's is its own.
   */
  startTicks = hostStartTicks();
  /** The live threads of this process, this one included (shared by all of them). */
  threadGroup = new Set<LinuxProcess>([this]);
  /** The process tree this process belongs to (fork, wait, blocking calls); none: a lone process. */
  tree: GuestTree | undefined;
  parent: LinuxProcess | undefined;
  /**
   * The signal the parent gets when this process exits (clone's CSIGNAL byte; 0: none). Not
   * SIGCHLD: a "clone child" that only wait with __WCLONE or __WALL sees. Re-parenting makes it SIGCHLD.
   */
  exitSignal = SIGCHLD;
  /** The parent has exec'd since it made this process: the exit is notified with SIGCHLD whatever exitSignal says. */
  parentExeced = false;
  children = new Set<LinuxProcess>();
  /** Set when the process has exited and not been reaped: its wait status (core: it dumped core). */
  zombie: { status: number; signal?: number; core?: boolean } | undefined;
  jobStop: JobStop = { stopped: false, report: undefined };
  /** The system call the process is blocked in, if any. */
  blockedCall: BlockedCall | undefined;
  /**
   * The working directory and umask (fs_struct): shared by the threads of a process and by
   * a CLONE_FS child. The guest's cwd is never the host process's own. root: the host
   * directory the process chrooted to (chroot.ts), undefined while it has not (its "/" is the sysroot's).
   * procCwd: a cwd in a guest's /proc directory, as the guest names it (proc-pid.ts; cwd is Node's own then).
   */
  fsState: { cwd: string; umask: number; root?: string; procCwd?: string } = { cwd: process.cwd(), umask: process.umask() };
  /** Absolute path of the executable (/proc/self/exe). */
  exePath = '';
  image: LoadedImage | undefined;
  initialStack: InitialStack | undefined;
  clearChildTid = 0;
  robustList = 0;
  /** The [vdso] pages: the ABI's vDSO image; i386's sigreturn trampolines are where a handler without SA_RESTORER returns (undefined before load: the frame's retcode). */
  vdso: VdsoPages | undefined;
  timers = new TimerTable();
  shared = new SharedMappings();
  prctl: PrctlState = initialPrctl();
  /** This thread's name (TASK_COMM_LEN bytes, NUL-padded). */
  comm = commOfPath('');
  /** This thread's read and write counts (/proc/PID/task/TID/io). */
  io: IoCounts = newIoCounts();
  /** What the process's ended threads counted (shared by its threads). */
  exitedIo: IoCounts = newIoCounts();
  /** setpgid/setsid results; undefined: dbtlab's own (the guest starts in them). */
  pgid: number | undefined;
  sid: number | undefined;
  /** The nice value: a native child inherits its starter's, which is Node's. */
  nice = getPriority();
  /** The policy, its priority and SCHED_RESET_ON_FORK (syscalls/sched.ts). */
  sched: SchedState = initialSched();
  personality = 0;
  /** Virtual time the guest spent waiting (deterministic runs: a sleep advances the clock, it does not wait). */
  private waitedNs = 0n;
  private hostSignalsSeen = 0;
  /**
   * The host-instruction count at which the next look at the host clock and signal cell is due
   * (Infinity: none armed since the last look). Absolute, so that re-arming after every system
   * call does not push it ahead: a guest calling the kernel more often than every POLL_INSNS
   * would otherwise never look.
   */
  private pollDueAt = Infinity;
  private readonly timerHost: TimerHost = {
    now: (clock) => CLOCKS[clock].now(this),
    raise: (t) => {
      // SI_TIMER carries the timer id, overrun and value; interval timers are SI_KERNEL
      if (t.id < 0) this.queueSignal(t.sig, { code: SI_KERNEL });
      else this.queueSignal(t.sig, { code: SI_TIMER, pid: t.id, uid: t.overrun, value: t.value });
    },
  };
  /** The argument registers of the running call: i386's, or x86-64's whole (syscall-args.ts). */
  private readonly args32 = new Uint32Array(6);
  /** The running call is `int $0x80` from 64-bit code: the i386 table and structure layouts (in_compat_syscall). */
  private compatCall = false;
  /** The running call came in by a 32-bit `syscall` (fastSyscallEntry): the landing pad it may leave for by SYSRETL. */
  private fastLanding: number | undefined;
  private readonly args64 = new Float64Array(6);
  /** The system-call ABI of the loaded program: its ELF class. */
  abi: 'i386' | 'x86_64' = 'i386';
  /** The WouldBlock a handler just threw (completeSyscall turns it into blockedCall). */
  private blocking: WouldBlock | undefined;
  private readonly reportedUnknown = new Set<number>();
  private readonly ccStash = new Map<number, CcState>();

  constructor(
    public mem: GuestMemory,
    public cpu: CpuState,
    public opts: ProcessOptions,
  ) {
    this.space = this.newSpace(mem);
    this.sysroot = new Sysroot(opts.sysroot);
    this.ids = hostIdentity();
    const stdio: Array<[number, number]> = [
      [opts.stdin ?? 0, O_RDONLY],
      [opts.stdout ?? 1, O_WRONLY],
      [opts.stderr ?? 2, O_WRONLY],
    ];
    // a negative host fd: dbtlab was started with that descriptor closed, and so is the guest
    stdio.forEach(([hostFd, flags], fd) => hostFd >= 0 && this.fds.installAt(fd, new OpenFile(hostFd, 'stream', flags, '', false), false));
  }

  /**
   * execve of an i386 ELF: maps it and its interpreter (PT_INTERP, looked up through the
   * sysroot), maps the vDSO's pages, builds the stack and sets the registers. Throws ElfError,
   * with the errno execve would return, for a file the kernel would not start. `filename`, the
   * path as execve was given it (a script's, not its interpreter's), names the process (comm)
   * and is AT_EXECFN; `secure` is AT_SECURE.
   */
  load(path: string, filename = path, secure = false): void {
    const image = loadElfBinary(this.mem, this.space, this.readExecutable(path, path), (interp) => this.readExecutable(interp, `${path}: interpreter ${interp}`), {
      program: path,
      hostPathOf: (q) => this.hostPathOf(q),
    });
    this.space.setBrk(image.brkStart);
    this.abi = image.elfClass === 64 ? 'x86_64' : 'i386';
    const vdso = this.space.findFreeTopDown(VDSO_RESERVED_PAGES * TARGET_PAGE_SIZE);
    if (vdso !== undefined) this.vdso = installVdso(this.mem, vdso, this.abi);
    this.exePath = this.hostPathOf(path);
    this.prctl = execedPrctl(this.prctl);
    this.comm = commOfPath(filename);
    this.image = image;
    const wordSize = image.elfClass === 64 ? 8 : 4;
    const vdsoAux = this.opts.vdso !== false && this.vdso ? { ehdr: this.vdso.code, sysinfo: this.vdso.vsyscall } : undefined;
    this.initialStack = setupInitialStack(this.mem, image, this.opts.argv, this.opts.envp, filename, this.ids, this.random, this.space.limits().stack, this.opts.hwcap, wordSize, vdsoAux, secure);
    setupInitialCpu(this.cpu, image.startPc, this.initialStack.sp, wordSize);
  }

  /**
   * execve's point of no return and after: a new address space and engine with `path`
   * loaded; close-on-exec fds closed, handled signals reset, TLS and the robust list gone.
   * When the image cannot be loaded the old one is untouched and the result is -errno.
   */
  exec(path: string, argv: string[], envp: string[], bits: ElfClass, filename = path): number {
    const tree = this.tree!;
    const dbt = tree.newEngine(this, bits);
    const old = { mem: this.mem, cpu: this.cpu, space: this.space, opts: this.opts, image: this.image, stack: this.initialStack, exe: this.exePath, vdso: this.vdso, prctl: this.prctl, comm: this.comm, abi: this.abi };
    this.mem = dbt.guest;
    this.cpu = dbt.cpu;
    this.space = this.newSpace(dbt.guest);
    // AT_HWCAP is the new engine's CPU model's (another one for an image of the other width)
    this.opts = { ...this.opts, argv, envp, hwcap: dbt.cpuModel.hwcap };
    const ids = { ...this.ids };
    try {
      this.load(path, filename, execCredentials(this.ids, hostCaps('CapBnd')));
    } catch (e) {
      Object.assign(this.ids, ids);
      Object.assign(this, { mem: old.mem, cpu: old.cpu, space: old.space, opts: old.opts, image: old.image, initialStack: old.stack, exePath: old.exe, vdso: old.vdso, prctl: old.prctl, comm: old.comm, abi: old.abi });
      if (e instanceof ElfError) return -e.errno;
      throw e;
    }
    // the point of no return: the other threads end (de_thread), not on a failed load; every
    // thread's robust list is walked in the old memory (their exit, exec_mm_release)
    for (const q of this.threadGroup) exitRobustList(q, q === this ? old.mem : q.mem, q === this ? old.abi : q.abi);
    tree.endOtherThreads(this);
    this.releaseVm(old.mem, old.space);
    this.shared = new SharedMappings();
    // what a CLONE_FILES or CLONE_SIGHAND child shares becomes its own (unshare_files, unshare_sighand)
    if (tree.sharesFiles(this)) this.fds = this.fds.clone(() => this.nofileLimit());
    this.signals.actions = this.signals.actions.map((a) => ({ ...a }));
    this.fds.closeOnExec();
    this.signals.resetHandlers();
    this.tls = new TlsTable();
    this.clearChildTid = 0;
    this.robustList = 0;
    this.ccStash.clear();
    // children that exit after this exec notify with SIGCHLD (do_notify_parent's self_exec_id check)
    for (const c of this.children) c.parentExeced = true;
    tree.replaceEngine(this, dbt);
    return 0;
  }

  /** The bytes of a file execve opens (open_exec); ElfError with the host's errno when it cannot. */
  private readExecutable(path: string, what: string): Uint8Array {
    try {
      // execve refuses what is not a regular file (EACCES): never read a device such as /dev/zero
      if (!statSync(this.hostPathOf(path)).isFile()) throw new ElfError(`cannot read ${what}: not a regular file`, EACCES);
      return readFileSync(this.hostPathOf(path));
    } catch (e) {
      if (e instanceof ElfError) throw e;
      const errno = errnoOfHostError(e);
      throw new ElfError(`cannot read ${what}: ${errno === undefined ? (e as Error).message : errnoMessage(errno) ?? errnoName(errno)}`, errno);
    }
  }

  /** The host file behind a path the guest names: absolute ones through the sysroot, relative ones against the cwd; in a chrooted process, walked inside its root (chroot.ts). */
  hostPathOf(path: string): string {
    const root = this.fsState.root;
    if (root !== undefined) {
      const host = walkInRoot(root, this.cwd, path, true);
      // the walk's error as the host call's would be (errnoOfHostError reads the code)
      if (typeof host === 'number') throw Object.assign(new Error(`${path}: ${errnoName(-host)}`), { code: errnoName(-host) });
      return host;
    }
    return path.startsWith('/') ? this.sysroot.hostPath(path) : resolvePath(this.cwd, path);
  }

  /** An address space over `mem` bounded by this process's RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK. */
  private newSpace(mem: GuestMemory): AddressSpace {
    const bytes = (r: Rlimit): number => (r.cur === RLIM_INFINITY ? Infinity : Number(r.cur));
    return new AddressSpace(mem, () => ({ as: bytes(this.rlimits[RLIMIT_AS]), data: bytes(this.rlimits[RLIMIT_DATA]), stack: bytes(this.rlimits[RLIMIT_STACK]) }));
  }

  get cwd(): string {
    return this.fsState.cwd;
  }
  set cwd(path: string) {
    this.fsState.cwd = path;
    this.fsState.procCwd = undefined;
  }
  get umask(): number {
    return this.fsState.umask;
  }
  set umask(mask: number) {
    this.fsState.umask = mask;
  }

  /** The parent's pid: dbtlab's parent for the first guest, 1 for an orphan no guest subreaper took (Linux's init). */
  get ppid(): number {
    return this.parent?.pid ?? (this.tree && this.tree.processes[0].pid !== this.pid ? 1 : process.ppid);
  }

  private nofileLimit(): number {
    const cur = this.rlimits[RLIMIT_NOFILE].cur;
    return Number(cur > 0x7fffffffn ? 0x7fffffffn : cur);
  }

  /**
   * fork's copy of this process for a child with memory `mem` (already a copy, or this
   * process's own: CLONE_VM, the address space and its mappings then shared): fds share
   * their open file descriptions, signal dispositions and mask, TLS, cwd, umask, rlimits,
   * the image and brk are inherited; nothing is pending.
   */
  fork(mem: GuestMemory, cpu: CpuState, pid: number): LinuxProcess {
    const c = new LinuxProcess(mem, cpu, this.opts);
    c.pid = c.tid = pid;
    c.startTicks = uptimeTicks();
    c.pgid = this.pgid;
    c.sid = this.sid;
    c.parent = this;
    this.children.add(c);
    c.tree = this.tree;
    c.fds.closeAll();
    c.fds = this.fds.clone(() => c.nofileLimit());
    c.signals = this.signals.clone();
    c.tls = this.tls.clone();
    c.rlimits = this.rlimits.map((r) => ({ ...r }));
    if (mem === this.mem) Object.assign(c, { space: this.space, shared: this.shared });
    else c.shared = this.shared.forked();
    c.space.brkStart = this.space.brkStart;
    c.space.brk = this.space.brk;
    c.space.mmapBase = this.space.mmapBase;
    if (c.space !== this.space) c.space.fileMappings = this.space.fileMappings.map((f) => ({ ...f }));
    if (c.space !== this.space) c.space.ldt = this.space.ldt.map(([lo, hi]) => [lo, hi]);
    if (c.space !== this.space) c.space.membarrier = this.space.membarrier;
    if (c.space !== this.space) shareExeFile(this.space, c.space);
    c.fsState = { ...this.fsState };
    Object.assign(c.ids, { ...this.ids, groups: [...this.ids.groups] });
    c.exePath = this.exePath;
    c.image = this.image;
    c.abi = this.abi;
    c.initialStack = this.initialStack;
    c.vdso = this.vdso;
    c.prctl = forkedPrctl(this.prctl);
    c.comm = this.comm.slice();
    forkSched(this, c);
    c.personality = this.personality;
    c.waitedNs = this.waitedNs;
    if (mem !== this.mem) ipcFork(this.mem, mem);
    return c;
  }

  /**
   * clone(CLONE_THREAD|CLONE_VM|CLONE_SIGHAND|CLONE_FILES|CLONE_FS...): a new thread `tid` of
   * this process. It shares memory, descriptors, dispositions, timers, children, limits and
   * identity; its own are the signal mask and pending set, the TLS descriptors (a copy),
   * clear_child_tid and the robust list, and its registers (GuestTree keeps them).
   */
  spawnThread(tid: number): LinuxProcess {
    const c = new LinuxProcess(this.mem, this.cpu, this.opts);
    c.fds.closeAll();
    Object.assign(c, {
      pid: this.pid, tid, tree: this.tree, parent: this.parent, children: this.children, threadGroup: this.threadGroup,
      space: this.space, rlimits: this.rlimits, fds: this.fds, signals: this.signals.forThread(), tls: this.tls.clone(),
      timers: this.timers, shared: this.shared, fsState: this.fsState, ids: this.ids, exitedIo: this.exitedIo, exePath: this.exePath, image: this.image,
      initialStack: this.initialStack, vdso: this.vdso, prctl: this.prctl, comm: this.comm.slice(), pgid: this.pgid, sid: this.sid,
      nice: this.nice, personality: this.personality, abi: this.abi, jobStop: this.jobStop,
    });
    forkSched(this, c);
    this.threadGroup.add(c);
    return c;
  }

  /**
   * Applies a change of what the threads of a process share (cwd and umask: CLONE_FS; process
   * group and session) to each of them; `this` included even once its own thread has exited.
   */
  forThreads(change: (t: LinuxProcess) => void): void {
    for (const t of new Set([this, ...this.threadGroup])) change(t);
  }

  /** The GDT/LDT entry `sel` names (segment loads, far transfers, lar/lsl/verr/verw). */
  descriptor(sel: number): Descriptor | undefined {
    return sel & 4 ? this.space.ldt[(sel & 0xffff) >> 3] : this.tls.descriptor(sel);
  }

  /** sgdt/sidt/smsw/sldt/str: what Linux's UMIP emulation gives a 32-bit process. */
  systemRegister(op: SystemRegisterOp): readonly [number, number] {
    // sldt: the LDT's GDT selector (GDT_ENTRY_LDT << 3) once modify_ldt gave the process one
    return op === 'SLDT' && this.space.ldt.length > 0 ? [0x50, 0] : umipValue(op);
  }

  segmentBase(sel: number): number {
    const ldt = sel & 4 ? this.space.ldt[(sel & 0xffff) >> 3] : undefined;
    return ldt ? descriptorBase(ldt) : this.tls.segmentBaseForSelector(sel);
  }

  /**
   * The system-call ABIs, in this one place: i386's `int $0x80` (nr = eax; arguments ebx ecx edx
   * esi edi ebp; the result or -errno to eax), also from 64-bit code (`int80` in an x86-64
   * process: the registers' low halves, the i386 table and structure layouts, the result to rax),
   * and x86-64's `syscall`; an i386 process's `syscall` is the 32-bit fast system call
   * (fastSyscallEntry). cpu.eip must already point after the instruction (a signal delivered
   * on the way out saves it as the return address). Throws GuestExit on exit.
   */
  doSyscall(int80 = this.abi !== 'x86_64'): void {
    const cpu = this.cpu;
    let a: SyscallArgs;
    let nr: number;
    let table: ReadonlyArray<SyscallRow | undefined>;
    let name: string;
    this.compatCall = this.abi === 'x86_64' && int80;
    if (this.abi === 'i386' && !int80 && !this.fastSyscallEntry()) return;
    if (this.abi === 'x86_64' && !int80) {
      // x86-64 `syscall`: nr = rax; arguments rdi rsi rdx r10 r8 r9; the result to rax
      const n = cpu.reg64(R_EAX);
      nr = n < 0x1_0000_0000n ? Number(n) : -1;
      a = this.args64;
      X86_64_ARG_REGS.forEach((r, i) => (a[i] = argOf64(cpu.reg64(r))));
      table = SYSCALL_TABLE_X86_64;
      name = (nr >= 0 && table[nr]?.name) || syscallNameX86_64(nr);
    } else {
      // int $0x80, from 64-bit code too (an IA32_EMULATION kernel): the registers' low halves
      nr = cpu.reg(R_EAX);
      a = this.args32;
      a[0] = cpu.reg(R_EBX);
      a[1] = cpu.reg(R_ECX);
      a[2] = cpu.reg(R_EDX);
      a[3] = cpu.reg(R_ESI);
      a[4] = cpu.reg(R_EDI);
      a[5] = cpu.reg(R_EBP);
      table = SYSCALL_TABLE;
      name = table[nr]?.name ?? syscallName(nr);
    }
    this.syscalls++;
    const row = nr >= 0 && nr < table.length ? table[nr] : undefined;
    this.syscallCounts.set(name, (this.syscallCounts.get(name) ?? 0) + 1);
    let ret: number;
    if (!row) {
      ret = -ENOSYS;
      if (!this.reportedUnknown.has(nr)) {
        this.reportedUnknown.add(nr);
        this.opts.onUnknownSyscall?.(nr, name);
      }
      this.setResult(ret);
      this.compatCall = false;
      this.opts.strace?.(formatUnknownSyscall(nr, name, a, ret));
    } else {
      const inputs = this.opts.strace ? this.inCallAbi(() => formatStraceInputs(this, row, a)) : NO_INPUTS;
      this.completeSyscall(row, a, inputs);
      return;
    }
    this.deliverPendingSignals();
    this.fastSyscallExit();
  }

  /** Where fastSyscallEntry sends a 32-bit `syscall`. */
  fastSyscallReturn(): number | undefined {
    return this.vdso?.landing;
  }

  /**
   * A 32-bit `syscall` (compatibility mode on this AMD CPU, what Linux's vDSO enters by):
   * entry_SYSCALL_compat and do_fast_syscall_32. SYSCALL clobbers %ecx, so the caller passes
   * argument 2 in %ebp and argument 6 at 0(%esp): pt_regs get ecx = that %ebp and ebp = the word
   * at %esp. The call returns to the vDSO's int80 landing pad wherever the `syscall` was, so that
   * a restart (eip - 2) runs the int $0x80 before it with the registers as the kernel left them.
   * An unreadable 0(%esp) is -EFAULT without a call (false).
   */
  private fastSyscallEntry(): boolean {
    const cpu = this.cpu;
    cpu.eip = this.fastSyscallReturn() ?? cpu.eip;
    cpu.setReg(R_ECX, cpu.reg(R_EBP));
    const sp = cpu.reg(R_ESP) >>> 0;
    let arg6: number | undefined;
    try {
      if (sp <= 0x1_0000_0000 - 4) arg6 = this.mem.read32(sp);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
    }
    if (arg6 === undefined) {
      cpu.setReg(R_EAX, -EFAULT);
      this.deliverPendingSignals();
      return false;
    }
    cpu.setReg(R_EBP, arg6);
    this.fastLanding = cpu.eip;
    return true;
  }

  /**
   * do_fast_syscall_32's way out: SYSRETL when the call is back at the landing pad it entered for
   * (not moved by a signal, a restart or an mremap of [vdso]) with TF clear (%ecx then holds the
   * return address), else an iret that restores pt_regs' %ecx.
   */
  private fastSyscallExit(): void {
    const landing = this.fastLanding;
    if (landing === undefined) return;
    this.fastLanding = undefined;
    const cpu = this.cpu;
    if (cpu.eip === landing && !(cpu.eflagsRest & TF)) cpu.setReg(R_ECX, cpu.eip);
  }

  /**
   * The result register: eax (sign-extended) or rax (-errno sign-extended, values below 2^53 as
   * they are; an i386 call's 32-bit value zero-extended, as the kernel's long result is).
   */
  private setResult(ret: number): void {
    if (this.compatCall) this.cpu.setReg64(R_EAX, ret < 0 && ret >= -4095 ? ret : ret >>> 0);
    else if (this.abi === 'x86_64') this.cpu.setReg64(R_EAX, ret);
    else this.cpu.setReg(R_EAX, ret);
  }

  /** Runs f with the ABI the running call's structures have (i386 for a compat call); signals keep the process's. */
  private inCallAbi<T>(f: () => T): T {
    if (!this.compatCall) return f();
    this.abi = 'i386';
    try {
      return f();
    } finally {
      this.abi = 'x86_64';
    }
  }

  /**
   * Runs a system call's handler; when it cannot complete now, the process blocks in it
   * (blockedCall; the tree's scheduler runs other guests and calls retryBlockedCall).
   */
  private completeSyscall(row: SyscallRow, a: SyscallArgs, inputs: Array<string | undefined>): boolean {
    const cpu = this.cpu;
    let ret = this.runHandler(row, a, inputs);
    if (ret === BLOCKED) {
      const block = this.blocking!;
      this.blocking = undefined;
      const now = CLOCKS[1].now(this);
      const startedAt = this.blockedCall?.startedAt ?? now;
      const until = block.until ?? (block.onHost ? now + BigInt(HOST_WAIT_SLICE_MS) * 1_000_000n : undefined);
      this.blockedCall = { row, args: a === this.args32 || a === this.args64 ? a.slice() : a, inputs, what: block.what, until, cancel: block.cancel, forSignal: block.forSignal, startedAt, interrupted: block.interrupted, restart: block.restart, compat: this.compatCall };
      this.tree!.block(this);
      return false;
    }
    this.blockedCall = undefined;
    // sigreturn leaves eax as restored; strace shows that value as the result
    if (ret === NO_RESULT) ret = cpu.reg(R_EAX) | 0;
    else if (ret === -ERESTARTSYS) ret = this.restartOrInterrupt(row.nr);
    else this.setResult(ret);
    this.opts.strace?.(this.inCallAbi(() => formatStraceLine(this, row, a, inputs, ret)));
    this.compatCall = false;
    this.deliverPendingSignals();
    this.fastSyscallExit();
    return true;
  }

  /**
   * The scheduler gives the blocked process the cpu again: the call is retried; if it still
   * cannot complete, a signal that acts interrupts it (EINTR, or the count of a write that
   * made progress), as a woken sleeper in the
   * kernel checks its condition first and signal_pending second. False if it still blocks.
   */
  retryBlockedCall(): boolean {
    const call = this.blockedCall!;
    this.pollEvents();
    this.compatCall = call.compat;
    if (this.completeSyscall(call.row, call.args, call.inputs)) return true;
    if (!this.signals.interruptsSleep()) {
      // a stop signal stops the process; the call is retried once it continues
      if (this.signals.stopsSleep()) this.deliverPendingSignals();
      return false;
    }
    this.blockedCall = undefined;
    const partial = call.interrupted?.() ?? -EINTR;
    call.cancel?.();
    let ret = partial;
    if (partial === -EINTR && call.restart) ret = this.restartOrInterrupt(call.row.nr);
    else this.setResult(ret);
    this.opts.strace?.(this.inCallAbi(() => formatStraceLine(this, call.row, call.args, call.inputs, ret)));
    this.compatCall = false;
    this.deliverPendingSignals();
    this.fastSyscallExit();
    return true;
  }

  /**
   * A call a signal ended with the kernel's -ERESTARTSYS (handle_signal): when the handler to run
   * has SA_RESTART, the call runs again once it returns (the number back in eax, eip back over
   * int $0x80/syscall; strace's `? ERESTARTSYS`), else it returns -EINTR. Returns what strace shows.
   */
  private restartOrInterrupt(nr: number): number {
    const sig = this.signals.nextDeliverable();
    if (sig === 0 || (this.signals.actions[sig].flags & SA_RESTART) === 0) {
      this.setResult(-EINTR);
      return -EINTR;
    }
    this.setResult(nr);
    this.cpu.eip -= SYSCALL_INSN_BYTES;
    return -ERESTARTSYS;
  }

  private runHandler(row: SyscallRow, a: SyscallArgs, inputs: Array<string | undefined>): number {
    try {
      return this.inCallAbi(() => row.handler(this, a));
    } catch (e) {
      if (e instanceof WouldBlock) {
        if (!this.tree) throw new GuestDeadlock(`${e.what} would block forever: the guest is single-threaded and nobody else holds the other end`);
        this.blocking = e;
        return BLOCKED;
      }
      if (e instanceof GuestExit) {
        this.opts.strace?.(formatStraceLine(this, row, a, inputs, undefined));
        if (e.signal === undefined) this.opts.strace?.(formatExitLine(e.status, undefined));
        throw e;
      }
      // a bad guest pointer is EFAULT, a host error its errno, as the kernel would return them
      if (e instanceof MemoryFault) return -EFAULT;
      const errno = errnoOfHostError(e);
      if (errno !== undefined) return -errno;
      throw e;
    }
  }

  /** When the running call started (monotonic ns): now, or when it first blocked if this is a retry. */
  callStart(): bigint {
    return this.blockedCall?.startedAt ?? CLOCKS[1].now(this);
  }

  /** The open file behind a guest fd, or -EBADF. */
  file(fd: number): OpenFile | number {
    return this.fds.get(fd | 0) ?? -EBADF;
  }

  /**
   * Queues a signal: sent by the process to itself (kill, tgkill, SIGPIPE on EPIPE) unless
   * `info` says otherwise. As prepare_signal: SIGCONT continues a stopped process and
   * discards its pending stop signals, a stop signal discards a pending SIGCONT, SIGKILL
   * wakes a stopped process (to die). A standard signal already pending is not queued again.
   */
  queueSignal(sig: number, info: SigInfo | number): void {
    const bit = sigBit(sig);
    const drop = sig === SIGCONT ? STOP_SIGNALS : bit & STOP_SIGNALS ? sigBit(SIGCONT) : 0n;
    if (drop !== 0n) for (const t of this.threadGroup) t.signals.flush(drop);
    if ((sig === SIGCONT || sig === SIGKILL) && this.jobStop.stopped) {
      this.jobStop.stopped = false;
      if (sig === SIGCONT) this.tree?.continued(this);
    }
    if (sig < SIGRTMIN && this.signals.pending & bit) return;
    this.tree?.wake(this);
    this.signals.enqueue(sig, typeof info === 'number' ? { code: info, pid: this.pid, uid: this.ids.uid } : info);
  }

  /** The virtual clock (ns) with the time spent waiting, or undefined when the host's clocks are used. */
  virtualNow(): bigint | undefined {
    const c = this.opts.clock?.();
    return c === undefined ? undefined : c + this.waitedNs;
  }

  /** Can time alone end its wait: a blocked call with a timeout, or an armed timer (its signal may wake the call)? */
  wakesByTime(): boolean {
    return this.blockedCall?.until !== undefined || this.timers.nextDue(this.timerHost) !== undefined;
  }

  /** Fires the timers that are due and takes the signals sent to dbtlab from outside. */
  pollEvents(): void {
    this.pollDueAt = Infinity;
    this.timers.fireExpired(this.timerHost);
    if (this.tree) {
      this.tree.pollHostSignals();
      return;
    }
    const cell = this.opts.hostSignals;
    if (!cell) return;
    const seen = Atomics.load(cell, 0);
    if (seen === this.hostSignalsSeen) return;
    this.hostSignalsSeen = seen;
    for (let sig = 1; sig <= NSIG && sig < cell.length; sig++) {
      if (Atomics.exchange(cell, sig, 0) !== 0) this.queueSignal(sig, outsideSender());
    }
  }

  /**
   * The engine's next look at asynchronous events, as a count of executed host instructions
   * (`insns` = the count now): with the virtual clock, exactly when the next timer is due
   * (the clock is that count); with the host clock, a poll every POLL_INSNS while a timer
   * runs or signals can come from outside; Infinity when nothing can happen.
   */
  interruptCheckAt(insns: number): number {
    const due = this.timers.nextDue(this.timerHost);
    // a count far ahead is another engine's (execve started a new one)
    if (this.pollDueAt > insns + POLL_INSNS) this.pollDueAt = insns + POLL_INSNS;
    const poll = Math.min(this.opts.hostSignals ? this.pollDueAt : Infinity, this.tree?.sliceEnd ?? Infinity);
    if (due === undefined) return poll;
    if (this.opts.clock) return Math.min(poll, insns + Number(due));
    return Math.min(poll, this.pollDueAt);
  }

  /**
   * At a TB boundary, once the count reached interruptCheckAt: true when a signal is now to be
   * delivered (the engine then makes the cpu state precise and calls deliverPendingSignals).
   */
  interruptPending(): boolean {
    this.pollEvents();
    // the end of the guest's time slice (GuestTree.sliceEnd) is a return to the scheduler
    if (this.tree?.preempt(this)) return true;
    return this.signals.nextDeliverable() !== 0;
  }

  /** A pending signal not blocked by `mask` whose delivery does something (a handler runs, or it kills). */
  wakingSignal(mask: bigint): boolean {
    const ready = this.signals.pending & ~mask;
    if (ready === 0n) return false;
    for (let sig = 1; sig <= NSIG; sig++) {
      if (!(ready & sigBit(sig))) continue;
      const h = this.signals.actions[sig].handler;
      if (h === SIG_IGN) continue;
      if (h !== SIG_DFL) return true;
      const dfl = defaultAction(sig);
      if (dfl === 'term' || dfl === 'core') return true;
    }
    return false;
  }

  /**
   * Blocks, as a system call waiting for a signal does, with `mask` blocked: returns true as
   * soon as a signal that does something is pending, false when the monotonic clock reaches
   * `until` first. The wait is real on the host clock (woken by signals from outside) and a
   * jump of the virtual clock in deterministic runs. With nothing that could ever arrive,
   * Linux would block forever: GuestDeadlock.
   */
  waitForSignal(mask: bigint, until?: bigint): boolean {
    return this.waitFor(() => this.wakingSignal(mask), until);
  }

  /**
   * waitForSignal's loop for any condition on the signal state (sigtimedwait waits for a set).
   * `hostWait` waits for host streams (poll on stdin): the wait is then on the host even
   * under the virtual clock, which advances by the time it took (runs with host streams in
   * a wait are as deterministic as their input's timing), in slices while signals can come.
   * In a GuestTree with other guests the process does not wait itself: the call blocks
   * (WouldBlock) and the scheduler runs the others, or waits for the first wake-up (a host
   * stream is looked at again after HOST_WAIT_SLICE_MS). `restart`: the call's answer to a signal
   * is -ERESTARTSYS (its WouldBlock's `restart`).
   */
  waitFor(ready: () => boolean, until?: bigint, hostWait?: (ms: number | undefined) => void, restart = false): boolean {
    const cell = this.opts.hostSignals;
    for (;;) {
      this.pollEvents();
      if (ready()) return true;
      const now = CLOCKS[1].now(this);
      if (until !== undefined && now >= until) return false;
      if (this.tree?.othersLive(this)) {
        const slice = hostWait ? now + BigInt(HOST_WAIT_SLICE_MS) * 1_000_000n : undefined;
        throw new WouldBlock('a wait for a signal or a time', slice !== undefined && (until === undefined || slice < until) ? slice : until, undefined, true, undefined, false, restart);
      }
      const due = this.timers.nextDue(this.timerHost);
      const wait = until === undefined ? due : due === undefined || until - now < due ? until - now : due;
      if (hostWait) {
        const slice = cell ? HOST_WAIT_SLICE_MS : Infinity;
        const ms = wait === undefined ? (cell ? slice : undefined) : Math.min(slice, Math.max(1, Number(wait) / 1e6));
        const t0 = process.hrtime.bigint();
        hostWait(ms);
        if (this.opts.clock) this.waitedNs += process.hrtime.bigint() - t0;
        continue;
      }
      if (wait === undefined && !cell) throw new GuestDeadlock('waiting for a signal with none pending');
      if (this.opts.clock && wait !== undefined) {
        this.waitedNs += wait > 0n ? wait : 1n;
        continue;
      }
      const ms = wait === undefined ? undefined : Math.max(1, Number(wait) / 1e6);
      if (cell) Atomics.wait(cell, 0, this.hostSeen(), ms);
      else hostSleepMs(ms!);
    }
  }

  /** When the next timer of the process is due (monotonic ns), if one runs. */
  timerDueAt(): bigint | undefined {
    const due = this.timers.nextDue(this.timerHost);
    return due === undefined ? undefined : CLOCKS[1].now(this) + due;
  }

  /** The count of signals from outside already taken (the tree's when in one: it takes them for every guest). */
  private hostSeen(): number {
    return this.tree?.hostSignalsSeen ?? this.hostSignalsSeen;
  }

  /**
   * Sleeps the host until a signal comes from outside (only the process that takes them) or
   * `ms` pass; false when neither can ever happen.
   */
  hostWait(ms: number | undefined): boolean {
    const cell = this.opts.hostSignals;
    if (cell) Atomics.wait(cell, 0, this.hostSeen(), ms);
    else if (ms !== undefined) hostSleepMs(ms);
    else return false;
    return true;
  }

  /** User and system CPU time of the guest (ns): the virtual clock, or dbtlab's own. */
  cpuTimes(): { user: bigint; system: bigint } {
    const v = this.virtualNow();
    if (v !== undefined) return { user: v, system: 0n };
    const u = process.cpuUsage();
    return { user: BigInt(u.user) * 1000n, system: BigInt(u.system) * 1000n };
  }

  /** Delivers every pending signal that is not blocked (on the way back from a system call). */
  deliverPendingSignals(): void {
    // a stop ends the delivery: the rest stay pending until the process continues
    for (let sig = this.signals.nextDeliverable(); sig !== 0 && !this.jobStop.stopped; sig = this.signals.nextDeliverable()) {
      this.handleSignal(sig, this.signals.dequeue(sig) ?? { code: 0 });
    }
    // rt_sigsuspend's mask ends here if no handler frame took it over (restore_saved_sigmask)
    if (this.signals.savedMask !== undefined) {
      this.signals.blocked = this.signals.savedMask;
      this.signals.savedMask = undefined;
    }
  }

  /**
   * A synchronous fault (or a signal the runtime raises now): with a handler, the frame is
   * built from the current cpu state and the cpu enters the handler. As force_sig_info does,
   * a blocked or ignored fault signal is unblocked and reset to SIG_DFL first, so it kills:
   * throws GuestExit(128 + sig, sig).
   * `inKernel`: the fault is of the kernel's own return to user mode.
   */
  deliverSignal(sig: number, info: SigInfo, inKernel = false): void {
    if (sig === SIGSEGV && emulateVsyscall(this, info)) return;
    const action = this.signals.actions[sig];
    const blocked = (this.signals.blocked & sigBit(sig)) !== 0n;
    if (blocked || action.handler === SIG_IGN) {
      action.handler = SIG_DFL;
      if (blocked) this.signals.blocked &= ~sigBit(sig);
    }
    const faultFlags = recordTrap(this.signals, sig, info);
    // a fault of the kernel's own return to user mode saves the user's flags as they were (no RF)
    this.handleSignal(sig, info, inKernel ? 0 : faultFlags);
  }

  /** `faultFlags`: the EFLAGS bits a synchronous exception adds to the saved image (RF). */
  private handleSignal(sig: number, info: SigInfo, faultFlags = 0): void {
    const action = this.signals.actions[sig];
    this.opts.strace?.(formatSignalLine(sig, info));
    if (action.handler === SIG_IGN) return;
    if (action.handler === SIG_DFL) {
      const dfl = defaultAction(sig);
      if (dfl === 'term' || dfl === 'core') this.killedBy(sig);
      if (dfl === 'stop') this.tree?.stop(this, sig);
      return; // ignore, continue (SIGCONT acted when it was sent)
    }
    // after rt_sigsuspend the frame saves the mask from before the suspend
    const oldMask = this.signals.savedMask ?? this.signals.blocked;
    this.signals.savedMask = undefined;
    try {
      if (this.abi === 'x86_64') setupSignalFrame64(this.mem, this.cpu, sig, action, info, this.signals, oldMask, faultFlags);
      else this.stashLazyFlags(setupSignalFrame(this.mem, this.cpu, sig, action, info, this.signals, oldMask, this.vdso?.trampolines, faultFlags));
    } catch (e) {
      // force_sigsegv: no room for the frame, or a frame the kernel would not build
      if (e instanceof MemoryFault || e instanceof FrameRefused) this.killedBy(SIGSEGV);
      throw e;
    }
    this.signals.blocked = (this.signals.blocked | action.mask | (action.flags & SA_NODEFER ? 0n : sigBit(sig))) & ~UNBLOCKABLE;
    if (action.flags & SA_RESETHAND) action.handler = SIG_DFL;
  }

  /** Process exit: shared mappings written back, SysV IPC state released, every descriptor closed (unless a CLONE_FILES relative still uses them). */
  releaseAll(): void {
    // each thread's robust futexes first (exit_mm's mm_release), while the memory is the process's
    for (const t of new Set([this, ...this.threadGroup])) exitRobustList(t);
    this.releaseVm(this.mem, this.space);
    ipcExit(this);
    if (!this.tree?.sharesFiles(this)) this.fds.closeAll();
  }

  /**
   * The process leaves address space `mem` (exit, execve): its shared file mappings are
   * written back, its shm attachments end and its hold on the exec'd file (exe-file.ts), unless another process still runs in it (a
   * CLONE_VM child, or the parent it shares it with); then clear_child_tid is zeroed and its
   * futex woken (mm_release: a waiter in that memory may be watching).
   */
  private releaseVm(mem: GuestMemory, space: AddressSpace): void {
    if (!this.tree?.sharesVm(this)) {
      this.shared.flushAll();
      ipcLeaveVm(this, mem);
      dropExeFile(space);
    } else if (this.clearChildTid !== 0) {
      mem.write32(this.clearChildTid, 0);
      futexWake(this, this.clearChildTid, 1, undefined, mem);
    }
  }

  /** The process dies of `sig` (default action, or force_sigsegv when no frame fits). */
  private killedBy(sig: number): never {
    const core = defaultAction(sig) === 'core' && this.dumpsCore();
    if (defaultAction(sig) === 'core') writeCoreDump(this, sig);
    this.releaseAll();
    this.opts.strace?.(formatExitLine(128 + sig, sig));
    throw new GuestExit(128 + sig, sig, false, core);
  }

  /**
   * Would Linux write this process's core (the wait status's core bit, CLD_DUMPED)? With
   * core_pattern a file name (the default, "core"): when the process is dumpable and
   * RLIMIT_CORE is at least the ELF format's min_coredump (a page); a dump the limit cuts
   * short still counts (LTP waitpid01 dumps with a one-page limit). The file itself:
   * writeCoreDump (qemu's name and format).
   */
  private dumpsCore(): boolean {
    return this.prctl.dumpable !== 0 && this.rlimits[RLIMIT_CORE].cur >= BigInt(MIN_COREDUMP);
  }

  private stashLazyFlags(frame: number): void {
    const cpu = this.cpu;
    if (this.ccStash.size >= CC_STASH_LIMIT) this.ccStash.delete(this.ccStash.keys().next().value as number);
    this.ccStash.set(frame, { ccOp: cpu.ccOp, ccSrc: cpu.ccSrc, ccDst: cpu.ccDst, ccSrc2: cpu.ccSrc2 });
  }

  /** sigreturn (rt = false) and rt_sigreturn: the registers come back from the frame. */
  sigreturn(rt: boolean): void {
    const frame = (this.cpu.reg(R_ESP) - (rt ? 4 : 8)) >>> 0;
    let fault: SegmentFault | undefined;
    try {
      if (this.abi === 'x86_64') fault = restoreSignalFrame64(this.mem, this.cpu, this.signals);
      else fault = restoreSignalFrame(this.mem, this.cpu, rt, this.signals, (sel) => this.segmentBase(sel), (sel) => this.descriptor(sel));
    } catch (e) {
      if (e instanceof MemoryFault || e instanceof FrameRefused) this.killedBy(SIGSEGV);
      throw e;
    }
    const cc = this.ccStash.get(frame);
    if (cc) {
      this.ccStash.delete(frame);
      const restored = cpuEflags(this.cpu);
      Object.assign(this.cpu, cc);
      // a handler that edited the saved EFLAGS (uc_mcontext): the frame's flags win
      if (cpuEflags(this.cpu) !== restored) setCpuEflags(this.cpu, restored);
    }
    // the iret back to user mode refused the frame's %cs, %ss or rip: the fault comes with the restored registers
    if (fault) this.deliverSignal(fault.vector === 13 ? SIGSEGV : SIGBUS, { code: SI_KERNEL, addr: 0, trapno: fault.vector, err: fault.err }, true);
  }
}

/** Clock ticks since boot now, as /proc/uptime gives them (hundredths, truncated: USER_HZ). */
export function uptimeTicks(): number {
  const [whole, hundredths] = readFileSync('/proc/uptime', 'latin1').split(' ')[0].split('.');
  return Number(whole) * 100 + Number(hundredths);
}

/** This Node.js process's starttime (field 22 of its /proc/self/stat), read once. */
function hostStartTicks(): number {
  hostStart ??= Number(readFileSync('/proc/self/stat', 'latin1').replace(/^.*\) /, '').split(' ')[19]);
  return hostStart;
}
let hostStart: number | undefined;
