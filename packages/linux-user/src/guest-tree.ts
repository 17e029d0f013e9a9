/**
 * GuestTree: every guest process and thread of one dbtlab run, in the one Node.js process
 * (Node cannot fork). Each process runs over its own engine (a Dbt: address space and code
 * cache); the threads of a process share its engine, and the registers in env belong to one
 * of them at a time (the others' are kept here and swapped in when they run).
 *
 * Scheduling rule (deterministic: the same program tree gives the same counts on every run):
 * one guest thread runs at a time, round robin in creation order. It keeps the host until it
 * blocks in a system call (a pipe it cannot read or write, wait4 with nothing to report, a
 * futex wait, pause...), exits, execs, calls sched_yield, or has run QUANTUM_INSNS host
 * instructions while another guest could run (a slice starts when the running guest creates
 * another; checked where a TB starts, as timers are). A
 * blocked guest retries its call when its turn comes and is skipped if it still blocks. When
 * every guest is blocked, time passes to the first wake-up (a timeout or a timer): a jump of
 * the virtual clock in deterministic runs, a host sleep otherwise; with nothing that can wake
 * anyone the tree is deadlocked: GuestDeadlock names every guest and its call.
 *
 *   const tree = new GuestTree(scheme, { cpu });
 *   const init = tree.spawn('./prog', { argv: ['./prog'], envp: [] });
 *   const { status } = tree.run();
 */
import { dropFileLocks } from './file-locks';
import { dropPageCache } from './page-cache';
import { collectStats, createDbt, dbtFork, emptyStats, rearmInterrupts, type Dbt, type DbtConfig, type GuestOs, type RuntimeScheme, type Stats } from '@dbtlab/dbt-core';
import { CODE_CACHE_BASE, CODE_CACHE_END, ENV_BASE, ENV_SIZE, GuestMemory, HostMemory } from '@dbtlab/mips-host';
import { CpuState } from '@dbtlab/x86-frontend';
import { cpuModel, DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64 } from '@dbtlab/x86-semantics';
import type { ElfClass } from './elf';
import { GuestDeadlock } from './guest-deadlock';
import { GuestExit } from './guest-exit';
import { LinuxProcess, type ProcessOptions } from './process';
import { defaultAction, NSIG, outsideSender, SA_NOCLDSTOP, SA_NOCLDWAIT, SIG_DFL, SIG_IGN, SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGSTOP, SIGWINCH, sigBit } from './signal';
import { CLD_CONTINUED, CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, SI_KERNEL } from './siginfo-codes';
import { pgidOf, sidOf, signalProcess } from './syscalls/process-tree';
import { monotonic } from './syscalls/time';
import { ThreadLedger, type ThreadStats } from './thread-stats';
import { sumIo } from './io-accounting';

/** The first guest's pid; children count up from it (fixed, so runs repeat exactly). */
export const INIT_PID = 1000;

/**
 * Host instructions a guest runs before another guest that could run gets the host (a time
 * slice; about a millisecond of a real CPU's work, long enough that a spinning thread costs
 * little and short enough that a spin lock's holder runs soon).
 */
export const QUANTUM_INSNS = 1 << 20;

/**
 * Signals from outside that go to every guest process in dbtlab's own process group, not only
 * to the first guest: the terminal's (the keyboard's and a resize's SIGWINCH, which a terminal
 * sends to its foreground group: dbtlab's, the group the host's terminal knows) and SIGCONT (a
 * shell's fg sends it to the job's group).
 */
const FOREGROUND_SIGNALS = new Set([SIGINT, SIGQUIT, SIGWINCH, SIGCONT]);

export type EngineOptions = Pick<DbtConfig, 'trace' | 'traceSink' | 'cpu' | 'mode' | 'translations'>;

/** One process's part of the statistics (the stats JSON's `processes`). */
export interface ProcessStats {
  pid: number;
  ppid: number;
  /** Threads the process ran (1: single-threaded); they share its engine. */
  threads: number;
  argv0: string;
  exit_status: number;
  stats: Stats;
  /**
   * `stats` split by the thread that ran (ThreadLedger), in the order they first ran; a
   * CLONE_VM child's work before its execve is listed here under its own tid (it ran on this
   * process's engine).
   */
  per_thread: ThreadStats[];
}

export class GuestTree {
  /** Every process ever started, in creation order. */
  readonly processes: LinuxProcess[] = [];
  /** The engine each live process runs on. */
  private readonly engines = new Map<LinuxProcess, Dbt>();
  /** Statistics of the engines processes left behind (execve), by process. */
  private readonly retired = new Map<number, Stats[]>();
  /** vfork parents waiting for their child to exec or exit. */
  private readonly vforkWaiters = new Map<LinuxProcess, LinuxProcess>();
  private readonly argv0 = new Map<LinuxProcess, string>();
  private nextPid = INIT_PID;
  /** Virtual time that passed while every guest was blocked (deterministic runs). */
  private waitedNs = 0n;
  /** Where the first process's strace lines went: every process's go there. */
  private straceSink: ((line: string) => void) | undefined;
  /** The process on the host now (system calls run on its behalf). */
  current: LinuxProcess | undefined;
  private last: LinuxProcess | undefined;
  /** The engine retired last (what currentEngine gives when no process is left). */
  private lastEngine!: Dbt;
  /** Per engine, the thread whose registers env holds; the others' saved registers. */
  private readonly seats = new Map<Dbt, { owner: LinuxProcess }>();
  /**
   * The process each engine's counts belong to: the one that created its address space (a
   * CLONE_VM child runs on its parent's engine until it execs; what it runs there counts for
   * the parent, as its memory and code cache are the parent's).
   */
  private readonly owner = new Map<Dbt, number>();
  private readonly savedEnv = new Map<LinuxProcess, Uint8Array>();
  /** Threads each process ran (its first one included). */
  private readonly threadCount = new Map<number, number>();
  /** The engines' counts split between the threads that ran on them. */
  private readonly ledger = new ThreadLedger();
  /** Where the running guest's time slice ends (its engine's host instruction count). */
  sliceEnd = Infinity;
  /** The host-signal cell's count of signals from outside already taken. */
  hostSignalsSeen = 0;

  constructor(
    readonly scheme: RuntimeScheme,
    readonly engineOptions: EngineOptions = {},
  ) {}

  /** The first process: `elf` loaded with `opts` (throws ElfError when it cannot start). */
  spawn(elf: string, opts: ProcessOptions, cwd?: string): LinuxProcess {
    const host = new HostMemory();
    const guest = new GuestMemory(host, this.engineOptions.mode ?? 32);
    const p = new LinuxProcess(guest, new CpuState(host, ENV_BASE, guest.bits), opts);
    p.pid = p.tid = this.nextPid++;
    p.tree = this;
    if (cwd !== undefined) p.cwd = cwd;
    const dbt = this.engineFor(p, (os) => createDbt(this.scheme, os, { ...this.engineOptions, guest }));
    this.owner.set(dbt, p.pid);
    this.lastEngine = dbt;
    this.adopt(p, dbt);
    p.load(elf);
    rearmInterrupts(dbt); // signals from outside may come before the first system call
    return p;
  }

  /** An engine whose OS is whichever of `p`'s threads holds env (`p` first). */
  private engineFor(p: LinuxProcess, build: (os: GuestOs) => Dbt): Dbt {
    const seat = { owner: p };
    const dbt = build(osOf(() => seat.owner));
    this.seats.set(dbt, seat);
    return dbt;
  }

  private adopt(p: LinuxProcess, dbt: Dbt): void {
    this.startSlice();
    this.processes.push(p);
    this.engines.set(p, dbt);
    this.threadCount.set(p.pid, (this.threadCount.get(p.pid) ?? 0) + 1);
    this.argv0.set(p, p.opts.argv[0] ?? '');
    const sink = (this.straceSink ??= p.opts.strace);
    // strace -f: once there is more than one thread, every line names its tid
    if (sink) p.opts = { ...p.opts, strace: (line) => sink(this.processes.length > 1 ? `[pid ${p.tid}] ${line}` : line) };
  }

  /** A signal or a futex wake came for `p`: if it waits in a call while another runs, it gets its turn (a time slice starts). */
  wake(p: LinuxProcess): void {
    if (p.blockedCall) p.blockedCall.woken = true;
    if (p !== this.current) this.startSlice();
  }

  /** The running guest was alone (no time slice): from now on another guest could run. */
  private startSlice(): void {
    // (the running guest may be exiting: its engine is gone)
    const dbt = this.current && this.engines.get(this.current);
    if (dbt && this.sliceEnd === Infinity) this.sliceEnd = dbt.machine.counters.insns + QUANTUM_INSNS;
  }

  /** Puts `p`'s registers in its engine's env (the thread that had them keeps a copy). */
  private seat(p: LinuxProcess, dbt: Dbt): void {
    const seat = this.seats.get(dbt)!;
    if (seat.owner === p) return;
    // the guest env held goes on (on this engine: a CLONE_VM child that exec'd has left it)
    if (this.engines.get(seat.owner) === dbt) this.savedEnv.set(seat.owner, dbt.mem.readBytes(ENV_BASE, ENV_SIZE));
    dbt.mem.pokeBytes(ENV_BASE, this.savedEnv.get(p)!);
    this.savedEnv.delete(p);
    seat.owner = p;
  }

  /**
   * Calls `fn` for each other live thread of running thread `p`'s process with that thread's
   * registers in env (its cpu), then gives env back to `p` (a core file's registers).
   */
  forOtherThreads(p: LinuxProcess, fn: (t: LinuxProcess) => void): void {
    const dbt = this.engines.get(p);
    if (!dbt) return;
    for (const t of p.threadGroup) {
      if (t === p || this.engines.get(t) !== dbt) continue;
      this.seat(t, dbt);
      fn(t);
    }
    this.seat(p, dbt);
  }

  /** The engine of the running process (or of the first one, between runs). */
  currentEngine(): Dbt {
    const p = this.current ?? this.processes[0];
    return this.engines.get(p) ?? this.lastEngine;
  }

  /** The engine a live process runs on. */
  engine(p: LinuxProcess): Dbt {
    const dbt = this.engines.get(p);
    if (!dbt) throw new Error(`pid ${p.pid} has no engine`);
    return dbt;
  }

  /**
   * A tree-wide virtual clock for the guests (ns): host instructions executed by every engine
   * so far, plus the time every guest spent blocked together (idle).
   */
  insnClock(): bigint {
    let n = Number(this.waitedNs);
    for (const dbt of new Set(this.engines.values())) n += dbt.machine.counters.insns;
    for (const list of this.retired.values()) for (const s of list) n += s.host_insns;
    return BigInt(n);
  }

  /** The running process blocked in a system call: its exec loop returns to the scheduler. */
  block(p: LinuxProcess): void {
    this.engine(p).exitRequest = true;
  }

  /**
   * fork (vfork: the parent then sleeps until the child execs or exits). The child's registers
   * start as the parent's with `setup` applied. With `shareVm` (clone with CLONE_VM and without
   * CLONE_THREAD: vfork, posix_spawn) the child is a process of its own running in the parent's
   * address space: on the parent's engine (memory and code cache), its registers swapped in
   * and out of env as a thread's are, until it execs. Returns the child.
   */
  fork(parent: LinuxProcess, vfork: boolean, setup: (child: LinuxProcess) => void, shareVm = false, pid = this.newPid()): LinuxProcess {
    const pdbt = this.engine(parent);
    let child: LinuxProcess;
    if (shareVm) {
      child = parent.fork(pdbt.guest, pdbt.cpu, pid);
      this.adopt(child, pdbt);
      this.startOn(pdbt, child, setup);
    } else {
      // the child's engine is built before the child (its memory is the copy): it reaches it through `to`
      const dbt = this.engineFor(parent, (os) => dbtFork(pdbt, os));
      this.owner.set(dbt, pid);
      child = parent.fork(dbt.guest, dbt.cpu, pid);
      this.seats.get(dbt)!.owner = child;
      this.adopt(child, dbt);
      setup(child);
    }
    pdbt.stats.forks++;
    this.argv0.set(child, this.argv0.get(parent) ?? '');
    if (vfork) {
      this.vforkWaiters.set(child, parent);
      this.block(parent);
    }
    return child;
  }

  /** Has the run given `pid` to a process or thread (a pidfd's number is never given twice)? */
  pidTaken(pid: number): boolean {
    return this.processes.some((q) => q.pid === pid || q.tid === pid);
  }

  /** The next free number for a new process or thread (clone3's set_tid may have taken some ahead). */
  private newPid(): number {
    while (this.pidTaken(this.nextPid)) this.nextPid++;
    return this.nextPid++;
  }

  /** A new guest on `dbt` (whose env holds another's registers): its own start as those with `setup` applied. */
  private startOn(dbt: Dbt, child: LinuxProcess, setup: (child: LinuxProcess) => void): void {
    const mine = dbt.mem.readBytes(ENV_BASE, ENV_SIZE);
    setup(child);
    this.savedEnv.set(child, dbt.mem.readBytes(ENV_BASE, ENV_SIZE));
    dbt.mem.pokeBytes(ENV_BASE, mine);
  }

  /** Does another live process (not a thread of `p`'s) run in `p`'s address space? */
  sharesVm(p: LinuxProcess): boolean {
    const dbt = this.engines.get(p);
    return dbt !== undefined && this.live().some((q) => q.pid !== p.pid && this.engines.get(q) === dbt);
  }

  /** Does another live process (not a thread of `p`'s) use `p`'s descriptor table (CLONE_FILES)? */
  sharesFiles(p: LinuxProcess): boolean {
    return this.live().some((q) => q.pid !== p.pid && q.fds === p.fds);
  }

  /** Does another live thread or process use `p`'s descriptor table (close_range's CLOSE_RANGE_UNSHARE)? */
  sharesFileTable(p: LinuxProcess): boolean {
    return this.live().some((q) => q !== p && q.fds === p.fds);
  }

  /**
   * clone of a thread of `parent`'s process: it shares the engine; its registers start as the
   * parent's with `setup` applied (eax 0, its stack, its TLS), run with env holding them.
   */
  thread(parent: LinuxProcess, setup: (child: LinuxProcess) => void, tid = this.newPid()): LinuxProcess {
    const dbt = this.engine(parent);
    if (!dbt.parallel) {
      dbt.parallel = true;
      this.scheme.onFirstThread?.(dbt);
    }
    const child = parent.spawnThread(tid);
    this.adopt(child, dbt);
    this.argv0.set(child, this.argv0.get(parent) ?? '');
    this.startOn(dbt, child, setup);
    return child;
  }

  /** sched_yield: the running guest's slice ends now if another guest could run. */
  yield(p: LinuxProcess): void {
    if (this.sliceEnd !== Infinity) this.engine(p).exitRequest = true;
  }

  /** At a TB boundary: true (and the exec loop returns) when `p`'s time slice is over. */
  preempt(p: LinuxProcess): boolean {
    const dbt = this.engines.get(p);
    if (this.current !== p || !dbt || dbt.machine.counters.insns < this.sliceEnd) return false;
    dbt.exitRequest = true;
    return true;
  }

  /**
   * A fresh engine (empty address space) for `p`'s next image (execve), of that image's width:
   * an i386 program may exec an x86-64 one and back, as on an x86-64 kernel. An x86-64 image on
   * a CPU model without long mode (i386's default, pentium2) runs on DEFAULT_CPU_MODEL_64.
   */
  newEngine(p: LinuxProcess, bits: ElfClass): Dbt {
    const model = this.engineOptions.cpu ?? cpuModel(DEFAULT_CPU_MODEL);
    const cpu = bits === 64 && !model.has('LM') ? cpuModel(DEFAULT_CPU_MODEL_64) : model;
    const dbt = this.engineFor(p, (os) => createDbt(this.scheme, os, { ...this.engineOptions, mode: bits, cpu }));
    this.owner.set(dbt, p.pid);
    return dbt;
  }

  /** execve in a process with other threads: they end first (de_thread). */
  endOtherThreads(p: LinuxProcess): void {
    for (const q of [...p.threadGroup]) if (q !== p) this.endThread(q);
  }

  /**
   * execve committed: `p` now runs on `dbt` (a new address space); the old engine's loop
   * returns and its statistics are kept (unless another process still runs on it: a vfork
   * child leaves its parent's engine). A vfork parent waiting for `p` wakes.
   */
  replaceEngine(p: LinuxProcess, dbt: Dbt): void {
    const old = this.engine(p);
    old.exitRequest = true;
    dbt.stats.execs++;
    this.engines.set(p, dbt);
    if (!this.inUse(old)) {
      dbt.stats.tbs_dropped_by_exec += old.tbs.length;
      this.retire(old);
    }
    this.argv0.set(p, p.opts.argv[0] ?? '');
    this.vforkWaiters.delete(p);
  }

  /** No live guest runs on `dbt` any more: its statistics are kept for its owner. */
  private retire(dbt: Dbt): void {
    this.lastEngine = dbt;
    // a zombie keeps its memory object, whose code-write hook would keep this engine (code
    // cache, blocks, compiled functions: megabytes a process) alive until the run ends
    dbt.mem.onCodeWrite = undefined;
    this.settle(dbt, this.current ?? this.seats.get(dbt)!.owner);
    this.ledger.drop(dbt);
    this.seats.delete(dbt);
    const pid = this.owner.get(dbt)!;
    this.owner.delete(dbt);
    const list = this.retired.get(pid) ?? [];
    list.push(collectStats(dbt, 0));
    this.retired.set(pid, list);
  }

  /**
   * The last process of `dbt`'s address space exited (exit_mmap): its guest pages and code-cache
   * pages go. The zombie's LinuxProcess keeps the memory object for its parent's wait (the tree
   * keeps every process), and with it every page it touched: a busybox loop of 60 processes
   * held 143 MB of dead pages. env stays (the registers an error report reads).
   */
  private freeAddressSpace(dbt: Dbt): void {
    dbt.guest.unmap(0, dbt.guest.size);
    dbt.mem.unmap(CODE_CACHE_BASE, CODE_CACHE_END - CODE_CACHE_BASE);
  }

  /** Does a live guest run on `dbt`? */
  private inUse(dbt: Dbt): boolean {
    return this.live().some((q) => this.engines.get(q) === dbt);
  }

  /** Live threads (not yet exited), in creation order. */
  private live(): LinuxProcess[] {
    return this.processes.filter((p) => this.engines.has(p));
  }

  /** Is there a live guest thread besides `p`? */
  othersLive(p: LinuxProcess): boolean {
    return this.live().some((q) => q !== p);
  }

  /** Can `p` run now (not blocked in a call unless woken since, not stopped, not a vfork parent waiting)? */
  private runnable(p: LinuxProcess): boolean {
    return (!p.blockedCall || p.blockedCall.woken === true) && !p.jobStop.stopped && ![...this.vforkWaiters.values()].includes(p);
  }

  /** One live thread per live process (its first). */
  private liveProcesses(): LinuxProcess[] {
    return this.live().filter((q) => [...q.threadGroup][0] === q);
  }

  /**
   * Takes the signals sent to dbtlab from outside (the host-signal cell) for the guests: to
   * the first guest's process, as a kill() of its pid, and also to every process still in
   * dbtlab's own group, as a kill() of that group, when groupSignal says so. Once the first
   * guest has exited, to every guest left (so that a `timeout` still ends the run). The
   * siginfo: outsideSender.
   */
  pollHostSignals(): void {
    const cell = this.processes[0]?.opts.hostSignals;
    if (!cell) return;
    const seen = Atomics.load(cell, 0);
    if (seen === this.hostSignalsSeen) return;
    this.hostSignalsSeen = seen;
    const init = this.processes[0];
    for (let sig = 1; sig <= NSIG && sig < cell.length; sig++) {
      const count = Atomics.exchange(cell, sig, 0);
      if (count === 0) continue;
      const all = this.liveProcesses();
      const group = this.groupSignal(init, sig, count);
      const to = init.zombie ? all : all.filter((q) => q.pid === init.pid || (group && q.pgid === undefined));
      for (const q of to) signalProcess(q, sig, outsideSender());
    }
  }

  /**
   * Does a signal from outside (`count` of them since the last look) reach dbtlab's whole
   * group? Node gives no siginfo, so dbtlab cannot tell kill(pid) from kill(-pgid); the
   * policy follows the common senders. A terminal (and a shell's fg) signals the foreground
   * group: FOREGROUND_SIGNALS. GNU timeout sends kill(child) then kill(0) to its group, and a
   * shell's job control kill(-pgid): a repeat of the signal (twice in one look, or again while
   * the first guest has not taken the first one yet) is taken as the group's. A signal whose
   * action kills the first guest ends its group too: to its caller dbtlab is that process,
   * and one killed ends for its caller at once, where the guests it started would live on
   * natively as orphans; the run cannot end while they run, so they end with it (a kill(pid)
   * of a shell running `a | b` stops a and b too, natively they run on). Other signals
   * (handled, ignored or stopping in the first guest) go to it alone, as kill(pid).
   */
  private groupSignal(init: LinuxProcess, sig: number, count: number): boolean {
    if (count > 1 || FOREGROUND_SIGNALS.has(sig)) return true;
    const bit = sigBit(sig);
    const threads = [...init.threadGroup];
    if (threads.some((t) => t.signals.pending & bit)) return true;
    const taker = threads.find((t) => !(t.signals.blocked & bit));
    const dfl = defaultAction(sig);
    return taker !== undefined && taker.signals.actions[sig].handler === SIG_DFL && (dfl === 'term' || dfl === 'core');
  }

  /**
   * A stop signal's default action (do_signal_stop): the process stops, every thread of it,
   * until SIGCONT or SIGKILL; its parent's wait can report it and it gets SIGCHLD
   * (CLD_STOPPED). SIGTSTP, SIGTTIN and SIGTTOU are discarded in an orphaned process group.
   */
  stop(p: LinuxProcess, sig: number): void {
    if (sig !== SIGSTOP && this.orphanedGroup(pgidOf(p))) return;
    p.jobStop.stopped = true;
    p.jobStop.report = { code: CLD_STOPPED, sig };
    this.notifyParent(p, CLD_STOPPED, sig);
    this.engine(p).exitRequest = true;
  }

  /** SIGCONT continued the stopped process `p`: its parent's wait can report it, SIGCHLD (CLD_CONTINUED). */
  continued(p: LinuxProcess): void {
    p.jobStop.report = { code: CLD_CONTINUED, sig: SIGCONT };
    this.startSlice();
    this.notifyParent(p, CLD_CONTINUED, SIGCONT);
  }

  /**
   * `sig` (SIGCHLD, or an exit's exit signal; 0: none) to `p`'s parent, with si_status
   * `status`; for a stop or a continue not when the parent ignores SIGCHLD or set SA_NOCLDSTOP
   * (do_notify_parent_cldstop). An exit notified with SIGCHLD to a parent that ignores it or
   * set SA_NOCLDWAIT is reaped at once (do_notify_parent's autoreap; SIG_IGN sends nothing):
   * true then.
   */
  private notifyParent(p: LinuxProcess, code: number, status: number, sig = SIGCHLD): boolean {
    // to a live thread of the parent's process (the one that forked may have exited)
    const parent = p.parent && [...p.parent.threadGroup][0];
    if (!parent) return false;
    const action = parent.signals.actions[SIGCHLD];
    const ignored = action.handler === SIG_IGN;
    const exited = code !== CLD_STOPPED && code !== CLD_CONTINUED;
    if (!exited && (ignored || action.flags & SA_NOCLDSTOP)) return false;
    const autoreap = exited && sig === SIGCHLD && (ignored || (action.flags & SA_NOCLDWAIT) !== 0);
    if (sig !== 0 && !(autoreap && ignored)) parent.queueSignal(sig, { code, pid: p.pid, uid: p.ids.uid, value: status });
    return autoreap;
  }

  /**
   * Is process group `pgid` orphaned (no member has a parent in another group of its
   * session)? The first guest's parent is outside, in dbtlab's session: it counts while the
   * first guest is still in dbtlab's own group and session; an orphan's new parent (init) does not.
   */
  private orphanedGroup(pgid: number): boolean {
    return !this.liveProcesses().some((q) => {
      if (pgidOf(q) !== pgid) return false;
      if (!q.parent) return q.pid === this.processes[0].pid && q.pgid === undefined && q.sid === undefined;
      return pgidOf(q.parent) !== pgid && sidOf(q.parent) === sidOf(q);
    });
  }

  /**
   * Runs every process to its end; the result is the first process's exit. Throws
   * GuestDeadlock when every live process is blocked.
   */
  run(): { status: number; signal?: number } {
    const init = this.processes[0];
    let idle = 0;
    try {
      for (let i = 0; ; i++) {
        const live = this.live();
        if (live.length === 0) break;
        const p = live[i % live.length];
        if (this.step(p)) idle = 0;
        else if (++idle >= live.length) {
          if (!this.idle(live)) throw new GuestDeadlock(`deadlock: every guest process is blocked: ${this.describeBlocked(live)}`);
          idle = 0;
        }
      }
    } catch (e) {
      dropPageCache();
      dropFileLocks();
      throw e;
    }
    return init.zombie!;
  }

  private describeBlocked(live: LinuxProcess[]): string {
    return live.map((p) => `${p.tid === p.pid ? 'pid' : `thread ${p.tid} of pid`} ${p.pid} (${this.argv0.get(p)}) ${p.jobStop.stopped ? 'stopped' : `in ${p.blockedCall?.row.name ?? 'vfork'}`}`).join(', ');
  }

  /**
   * Every live guest is blocked: time passes until the first of them can wake (a timeout of
   * its call or one of its timers), as a jump of the virtual clock in deterministic runs and a
   * host sleep otherwise (cut short by a signal from outside). With no time to wait for, only
   * a guest waiting for a signal (pause, sigsuspend...) may wait for one from outside. False
   * when nothing can wake anyone: a deadlock.
   */
  private idle(live: LinuxProcess[]): boolean {
    let first: bigint | undefined;
    for (const p of live) {
      for (const t of [p.blockedCall?.until, p.timerDueAt()]) if (t !== undefined && (first === undefined || t < first)) first = t;
    }
    const now = monotonic(live[0]);
    const wait = first === undefined ? undefined : first > now ? first - now : 0n;
    if (live[0].opts.clock && wait !== undefined) {
      this.waitedNs += wait > 0n ? wait : 1n;
      return true;
    }
    // a stopped guest waits for SIGCONT, which may come from outside
    if (wait === undefined && !live.some((p) => p.blockedCall?.forSignal || p.jobStop.stopped)) return false;
    const ms = wait === undefined ? undefined : Math.max(1, Number(wait) / 1e6);
    return this.processes[0].hostWait(ms);
  }

  /** What `dbt` counted since the last switch goes to thread `p` (while its owner lives). */
  private settle(dbt: Dbt, p: LinuxProcess): void {
    const owner = this.owner.get(dbt);
    if (owner !== undefined) this.ledger.settle(dbt, owner, p.tid);
  }

  /** Gives `p` the host until it blocks, exits or execs; false if it could not run at all. */
  private step(p: LinuxProcess): boolean {
    this.pollHostSignals();
    if (p.jobStop.stopped || [...this.vforkWaiters.values()].includes(p)) return false;
    const dbt = this.engine(p);
    try {
      return this.runSlice(p, dbt);
    } finally {
      // an execve moved p to a new engine: its first counts are p's too
      this.settle(dbt, p);
      const now = this.engines.get(p);
      if (now && now !== dbt) {
        this.settle(now, p);
        // its old loop has returned: the old image's pages go now, not when the collector finds them
        if (!this.inUse(dbt)) this.freeAddressSpace(dbt);
      }
    }
  }

  private runSlice(p: LinuxProcess, dbt: Dbt): boolean {
    this.current = p;
    // a retried call writes its result to the registers in env: they must be p's
    this.seat(p, dbt);
    try {
      if (p.blockedCall) {
        if (!p.retryBlockedCall()) {
          this.current = undefined;
          return false;
        }
      } else p.deliverPendingSignals();
      if (p.jobStop.stopped) {
        this.current = undefined;
        return true;
      }
      if (this.last !== p) dbt.stats.guest_switches++;
      this.last = p;
      // a retry that blocked again asked for a return that is not wanted now; time passed
      // while the others ran, so a timer may be due
      dbt.exitRequest = false;
      // a guest blocked until a time (a timeout, a timer) must get the host back when it comes
      this.sliceEnd = this.live().some((q) => q !== p && (this.runnable(q) || q.wakesByTime())) ? dbt.machine.counters.insns + QUANTUM_INSNS : Infinity;
      rearmInterrupts(dbt);
      this.scheme.cpuLoop(dbt);
    } catch (e) {
      if (!(e instanceof GuestExit)) throw e;
      this.exit(p, e);
    }
    this.current = undefined;
    return true;
  }

  /** One thread is gone (exit with others left, or killed with its process). */
  private endThread(q: LinuxProcess): void {
    q.blockedCall?.cancel?.();
    q.blockedCall = undefined;
    if (q.threadGroup.delete(q)) Object.assign(q.exitedIo, sumIo([q.exitedIo, q.io]));
    this.engines.delete(q);
    this.savedEnv.delete(q);
  }

  /**
   * A thread exited (e.thread: exit with other threads left) or its process did: then every
   * thread ends, the process is a zombie for its parent (on its first thread, the one its
   * parent knows), its children are re-parented to the nearest guest subreaper among its
   * ancestors, or else leave the tree (their parent is then init, outside: ppid 1, and nobody
   * reaps them; the run still waits for them).
   */
  private exit(p: LinuxProcess, e: GuestExit): void {
    if (e.thread && p.threadGroup.size > 1) {
      this.endThread(p);
      // forget_original_parent: the children this thread forked go to the first live thread
      this.reparent(p, [...p.threadGroup][0], [...p.children].filter((c) => c.parent === p));
      return;
    }
    const dbt = this.engine(p);
    // while p is still live: what it shares with a CLONE_VM child is not released
    p.releaseAll();
    for (const q of [...p.threadGroup]) this.endThread(q);
    const leader = this.processes.find((q) => q.pid === p.pid)!;
    p = leader;
    p.zombie = { status: e.status, signal: e.signal, core: e.core };
    p.jobStop.stopped = false;
    if (!this.inUse(dbt)) {
      this.retire(dbt);
      this.freeAddressSpace(dbt);
    }
    this.vforkWaiters.delete(p);
    const children = [...p.children];
    this.reparent(p, this.reaperFor(p), children);
    this.killOrphanedGroups(p, children);
    if (this.notifyDeath(p, p.parentExeced ? SIGCHLD : p.exitSignal)) p.parent!.children.delete(p);
  }

  /**
   * kill_orphaned_pgrp, after `p` exited and its `children` went to their new parent: a group that
   * `p` linked to another group of its session (a child's group through `p`, then `p`'s own
   * through its parent) and that is now orphaned gets SIGHUP then SIGCONT from the kernel when
   * one of its members is stopped (nobody could continue it any more).
   */
  private killOrphanedGroups(p: LinuxProcess, children: LinuxProcess[]): void {
    const links: Array<[LinuxProcess, LinuxProcess | undefined]> = [...children.map((c): [LinuxProcess, LinuxProcess] => [c, p]), [p, p.parent]];
    for (const [member, outside] of links) {
      const pgid = pgidOf(member);
      if (!outside || pgidOf(outside) === pgid || sidOf(outside) !== sidOf(member) || !this.orphanedGroup(pgid)) continue;
      const group = this.liveProcesses().filter((q) => pgidOf(q) === pgid);
      if (!group.some((q) => q.jobStop.stopped)) continue;
      for (const sig of [SIGHUP, SIGCONT]) for (const q of group) signalProcess(q, sig, { code: SI_KERNEL, pid: 0, uid: 0 });
    }
  }

  /** do_notify_parent for zombie `p`: its exit or killing signal to its parent with `sig`; true when the parent reaps it at once. */
  private notifyDeath(p: LinuxProcess, sig: number): boolean {
    const z = p.zombie!;
    return z.signal === undefined ? this.notifyParent(p, CLD_EXITED, z.status & 0xff, sig) : this.notifyParent(p, z.core ? CLD_DUMPED : CLD_KILLED, z.signal, sig);
  }

  /**
   * `children`, whose parent thread `from` is gone, go to `to` (a live thread of the same
   * process, a subreaper, or init outside the tree when undefined); each gets its parent-death
   * signal (PR_SET_PDEATHSIG, sent when the thread that forked it exits, as in Linux). A zombie
   * given to another process tells it of its death (reparent_leader: SIGCHLD, or reaped at once
   * when the new parent ignores it); init outside the tree reaps it unseen.
   */
  private reparent(from: LinuxProcess, to: LinuxProcess | undefined, children: LinuxProcess[]): void {
    for (const c of children) {
      const leader = to?.pid !== from.pid;
      if (leader) {
        from.children.delete(c);
        c.exitSignal = SIGCHLD;
        to?.children.add(c);
      }
      c.parent = to;
      if (c.zombie === undefined && c.prctl.pdeathsig !== 0) signalProcess(c, c.prctl.pdeathsig, { code: 0, pid: from.pid, uid: from.ids.uid });
      if (leader && to && c.zombie && this.notifyDeath(c, SIGCHLD)) to.children.delete(c);
    }
  }

  /** find_new_reaper: the nearest live ancestor of `p` that is a child subreaper (PR_SET_CHILD_SUBREAPER), if any. */
  private reaperFor(p: LinuxProcess): LinuxProcess | undefined {
    for (let a = p.parent; a; a = a.parent) {
      const t = [...a.threadGroup][0];
      if (t && a.prctl.subreaper) return t;
    }
    return undefined;
  }

  /** Statistics: one entry per process (the engines it ran on, summed) and their sum. */
  stats(wallMs: number): { total: Stats; processes: ProcessStats[] } {
    const processes = this.processes
      .filter((p) => p.tid === p.pid)
      .map((p) => {
        const parts = [...(this.retired.get(p.pid) ?? [])];
        for (const [dbt, pid] of this.owner) {
          if (pid !== p.pid) continue;
          // what came after the last switch (a run cut short) goes to the thread env holds
          this.settle(dbt, this.seats.get(dbt)!.owner);
          parts.push(collectStats(dbt, 0));
        }
        // a vfork child that exited before exec ran only on its parent's engine
        if (parts.length === 0) parts.push(emptyStats(this.lastEngine.stats.runtime));
        return { pid: p.pid, ppid: p.ppid, threads: this.threadCount.get(p.pid) ?? 1, argv0: this.argv0.get(p) ?? '', exit_status: p.zombie?.status ?? -1, stats: sumStats(parts, wallMs), per_thread: this.ledger.threadsOf(p.pid) };
      });
    const total = sumStats(
      processes.map((e) => e.stats),
      wallMs,
    );
    total.exit_status = processes[0]?.exit_status ?? -1;
    return { total, processes };
  }
}

/** Field-wise sum of statistics (numbers, the kind/region objects and the per-entry histogram). */
export function sumStats(parts: Stats[], wallMs: number): Stats {
  const out = structuredClone(parts[0]);
  for (const s of parts.slice(1)) {
    for (const [k, v] of Object.entries(s) as [keyof Stats, unknown][]) {
      if (typeof v === 'number') (out[k] as number) += v;
      else if (v && typeof v === 'object') {
        const o = out[k] as unknown as Record<string, number>;
        for (const [kk, vv] of Object.entries(v as Record<string, number>)) o[kk] = (o[kk] ?? 0) + vv;
      }
    }
  }
  out.wall_ms = wallMs;
  return out;
}

/** The GuestOs of an engine: every call goes to the thread `get()` names (the one env holds). */
function osOf(get: () => LinuxProcess): GuestOs {
  return {
    doSyscall: (int80) => get().doSyscall(int80),
    fastSyscallReturn: () => get().fastSyscallReturn(),
    deliverSignal: (sig, info) => get().deliverSignal(sig, info),
    segmentBase: (sel) => get().segmentBase(sel),
    descriptor: (sel) => get().descriptor(sel),
    systemRegister: (op) => get().systemRegister(op),
    interruptCheckAt: (insns) => get().interruptCheckAt(insns),
    interruptPending: () => get().interruptPending(),
    deliverPendingSignals: () => get().deliverPendingSignals(),
  };
}
