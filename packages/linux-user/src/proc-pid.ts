/**
 * The guest's view of /proc/<pid>: /proc/self, /proc/thread-self, /proc/<pid> and
 * /proc/<pid>/task/<tid> of every live guest process of this run (guest pids are dbtlab's own,
 * 1000 on, so the host's /proc has no such directories) name that guest, not the Node.js process
 * that runs it. Their status, stat, cmdline, environ, comm and maps are text dbtlab writes from
 * the guest's state (fs/proc/array.c, base.c); fd/ and fdinfo/ list the guest's descriptors.
 * A numeric directory that is no guest's keeps the host's answer (another host process, as a
 * guest natively sees processes outside its own tree). Other entries of a guest's directory
 * (limits, mounts, ...) are the host's /proc/self ones (the Node.js process: the same user, limits
 * and namespaces the guest has).
 */
import { readFileSync } from 'node:fs';
import { ENOENT } from './errno';
import type { LinuxProcess } from './process';
import { procMapsText } from './proc-maps';
import { SIG_DFL, SIG_IGN, sigBit, NSIG } from './signal';
import { pgidOf, sidOf } from './syscalls/process-tree';

/** A path under a guest's /proc directory: the thread it names and what follows ('' for the directory itself). */
export interface GuestProcPath {
  q: LinuxProcess;
  rest: string;
}

/** A live thread, or a zombie process its parent has not reaped yet. */
const visible = (q: LinuxProcess): boolean => q.threadGroup.has(q) || (q.zombie !== undefined && q.parent?.children.has(q) === true);

/**
 * Guest thread `tid` of process `pid` (the process's first thread when tid is undefined): a live
 * one, or a zombie process its parent has not reaped yet (Linux keeps its directory until then);
 * -ENOENT for a pid of this run's that is gone (a host process may hold that number now: the
 * guest's answer is the one a pid namespace gives); undefined for a number no guest ever had.
 */
function guestOf(p: LinuxProcess, pid: number, tid?: number): LinuxProcess | number | undefined {
  const ever = (p.tree?.processes ?? [p]).filter((q) => q.pid === pid);
  if (ever.length === 0) return undefined;
  const live = ever.filter(visible);
  const q = tid === undefined ? live.find((t) => t.zombie || [...t.threadGroup][0] === t) : live.find((t) => t.tid === tid);
  return q ?? -ENOENT;
}

/** Which guest `path` (an absolute path as the guest wrote it) names under /proc: the thread and the rest; -ENOENT for a guest gone; undefined when none. */
export function guestProcPath(p: LinuxProcess, path: string): GuestProcPath | number | undefined {
  const m = /^\/proc\/(self|thread-self|\d+)(?:\/task\/(\d+))?(\/.*)?$/.exec(path);
  if (!m || (m[1] === 'thread-self' && m[2] !== undefined)) return undefined;
  const pid = m[1] === 'self' || m[1] === 'thread-self' ? p.pid : Number(m[1]);
  // thread-self is the calling thread; a task directory names one of the process's threads
  const tid = m[1] === 'thread-self' ? p.tid : m[2] === undefined ? undefined : Number(m[2]);
  const q = guestOf(p, pid, tid);
  return typeof q === 'object' ? { q, rest: m[3] ?? '' } : q;
}

const hex16 = (mask: bigint): string => mask.toString(16).padStart(16, '0');

/** Signals whose action is `which` (SIG_IGN), or that a handler catches. */
function actionMask(q: LinuxProcess, caught: boolean): bigint {
  let mask = 0n;
  for (let sig = 1; sig <= NSIG; sig++) {
    const h = q.signals.actions[sig].handler;
    if (caught ? h !== SIG_DFL && h !== SIG_IGN : h === SIG_IGN) mask |= sigBit(sig);
  }
  return mask;
}

/** Task state letter and name (fs/proc/array.c task_state_array); the reader itself is running. */
function stateOf(reader: LinuxProcess, q: LinuxProcess): [string, string] {
  if (q.zombie) return ['Z', 'zombie'];
  if (q.jobStop.stopped) return ['T', 'stopped'];
  if (q !== reader && q.blockedCall) return ['S', 'sleeping'];
  return ['R', 'running'];
}

/** The comm name (prctl PR_SET_NAME, else the executable's basename), without its NUL. */
const commOf = (q: LinuxProcess): string => {
  const c = q.prctl.comm;
  const end = c.indexOf(0);
  return Buffer.from(c.subarray(0, end < 0 ? c.length : end)).toString('latin1');
};

/** Kilobytes of the guest's mapped address space (approximation: dbtlab maps no page lazily, so every mapped page counts as resident too). */
function vmKb(q: LinuxProcess): number {
  let bytes = 0;
  if (q.zombie) return 0;
  for (const a of q.mem.areas()) bytes += a.end - a.start;
  return bytes / 1024;
}

/** Lines of the host's own /proc/self/status that say the same for the guest (capabilities, cpus, seccomp: Node runs with the guest's). */
const HOST_STATUS_TAIL = /^(Cap\w+|NoNewPrivs|Seccomp\w*|Speculation\w*|Cpus_allowed\w*|Mems_allowed\w*):/;

/** /proc/<pid>/status (proc_pid_status). Vm* sizes come from the guest's address space; context switch counts are 0 (approximations). */
function statusText(reader: LinuxProcess, q: LinuxProcess): string {
  const [s, name] = stateOf(reader, q);
  const ids = q.ids;
  const kb = (n: number): string => `${String(n).padStart(8)} kB`;
  const vm = vmKb(q);
  const host = readFileSync('/proc/self/status', 'utf8').split('\n').filter((l) => HOST_STATUS_TAIL.test(l));
  const lines = [
    `Name:\t${commOf(q).replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
    `Umask:\t${q.umask.toString(8).padStart(4, '0')}`,
    `State:\t${s} (${name})`,
    `Tgid:\t${q.pid}`,
    'Ngid:\t0',
    `Pid:\t${q.tid}`,
    `PPid:\t${q.ppid}`,
    'TracerPid:\t0',
    // dbtlab keeps no separate saved or filesystem ids: they are the effective ones
    `Uid:\t${ids.uid}\t${ids.euid}\t${ids.euid}\t${ids.euid}`,
    `Gid:\t${ids.gid}\t${ids.egid}\t${ids.egid}\t${ids.egid}`,
    'FDSize:\t64',
    // separated by spaces, and a trailing one even when there is none
    `Groups:\t${ids.groups.join(' ')} `,
    `NStgid:\t${q.pid}`,
    `NSpid:\t${q.tid}`,
    `NSpgid:\t${pgidOf(q)}`,
    `NSsid:\t${sidOf(q)}`,
    'Kthread:\t0',
    `VmPeak:\t${kb(vm)}`,
    `VmSize:\t${kb(vm)}`,
    `VmLck:\t${kb(0)}`,
    `VmPin:\t${kb(0)}`,
    `VmHWM:\t${kb(vm)}`,
    `VmRSS:\t${kb(vm)}`,
    `VmSwap:\t${kb(0)}`,
    'CoreDumping:\t0',
    `Threads:\t${Math.max(q.threadGroup.size, 1)}`,
    `SigPnd:\t${hex16(q.signals.pending)}`,
    `ShdPnd:\t${hex16(0n)}`,
    `SigBlk:\t${hex16(q.signals.blocked)}`,
    `SigIgn:\t${hex16(actionMask(q, false))}`,
    `SigCgt:\t${hex16(actionMask(q, true))}`,
    ...host,
    'voluntary_ctxt_switches:\t0',
    'nonvoluntary_ctxt_switches:\t0',
  ];
  return lines.join('\n') + '\n';
}

/**
 * /proc/<pid>/stat (do_task_stat): the 52 fields. Ids, state, group, session, thread count, signal
 * masks and vsize are the guest's; the terminal fields are the host's (Node's terminal is the
 * guest's); times, fault counts and addresses the guest's layout gives no cheap answer for are 0
 * (approximations).
 */
function statText(reader: LinuxProcess, q: LinuxProcess): string {
  const host = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  const vm = vmKb(q) * 1024;
  const f: Array<number | string> = new Array(52).fill(0);
  f[0] = q.tid;
  f[1] = `(${commOf(q)})`;
  f[2] = stateOf(reader, q)[0];
  f[3] = q.ppid;
  f[4] = pgidOf(q);
  f[5] = sidOf(q);
  f[6] = host[4]; // tty_nr
  f[7] = host[5]; // tpgid
  f[17] = 20; // priority
  f[19] = Math.max(q.threadGroup.size, 1);
  f[22] = vm;
  f[23] = vm / 4096;
  f[24] = host[22]; // rsslim
  f[27] = q.initialStack?.sp ?? 0;
  f[30] = Number(q.signals.pending & 0xffffffffn);
  f[31] = Number(q.signals.blocked & 0xffffffffn);
  f[32] = Number(actionMask(q, false) & 0xffffffffn);
  f[33] = Number(actionMask(q, true) & 0xffffffffn);
  f[37] = 17; // exit_signal SIGCHLD
  return f.join(' ') + '\n';
}

/** argv or envp as the kernel shows them: each string NUL-terminated. */
const strings = (list: string[]): string => list.map((s) => `${s}\0`).join('');

/** The text dbtlab writes for a file of a guest's /proc directory, or undefined when it is not one it generates. */
export function generatedProcText(p: LinuxProcess, path: string): string | number | undefined {
  const g = guestProcPath(p, path);
  if (typeof g !== 'object') return g;
  const { q } = g;
  switch (g.rest) {
    case '/status':
      return statusText(p, q);
    case '/stat':
      return statText(p, q);
    // a zombie has no memory left to read them from
    case '/cmdline':
      return q.zombie ? '' : strings(q.opts.argv);
    case '/environ':
      return q.zombie ? '' : strings(q.opts.envp);
    case '/comm':
      return `${commOf(q)}\n`;
    case '/maps':
      return q.zombie ? '' : procMapsText(q);
    default:
      return undefined;
  }
}

const DT_DIR = 4;
const DT_LNK = 10;
const DT_REG = 8;

type Listing = Array<{ name: string; ino: bigint; type: number }>;

/**
 * The listing of a guest's fd/ (links) or fdinfo/ (files) directory: its open descriptors in
 * order; of task/: its threads; undefined for any other path.
 */
export function guestDirListing(p: LinuxProcess, path: string): Listing | undefined {
  const g = guestProcPath(p, path.replace(/\/+$/, ''));
  const kind = typeof g === 'object' ? /^\/(fd|fdinfo|task)$/.exec(g.rest)?.[1] : undefined;
  if (typeof g !== 'object' || !kind) return undefined;
  const { q } = g;
  // procfs inode numbers are made up per lookup; these are stable and never 0 (readdir skips 0)
  const base = BigInt(q.tid) << 16n;
  const names = kind === 'task' ? (q.zombie ? [q.tid] : [...q.threadGroup].map((t) => t.tid)) : q.zombie ? [] : q.fds.list();
  const type = kind === 'fd' ? DT_LNK : kind === 'task' ? DT_DIR : DT_REG;
  return [
    { name: '.', ino: base, type: DT_DIR },
    { name: '..', ino: base + 1n, type: DT_DIR },
    ...names.map((n) => ({ name: String(n), ino: base + 2n + BigInt(n), type })),
  ];
}

const isPid = (name: string): boolean => /^\d+$/.test(name);

/**
 * /proc's own listing with every guest process of the run in it (ps and pgrep look for numeric
 * directories): the host's entries less the numbers this run's guests have or had, and the
 * visible guests' pids, all pids in number order after the other entries, as proc_root_readdir
 * lists them.
 */
export function withGuestPids(p: LinuxProcess, host: Listing): Listing {
  const all = p.tree?.processes ?? [p];
  const ever = new Set(all.map((q) => q.pid));
  const guests = new Set(all.filter((q) => visible(q) && (q.zombie || [...q.threadGroup][0] === q)).map((q) => q.pid));
  const pids = host.filter((e) => isPid(e.name) && !ever.has(Number(e.name)));
  for (const pid of guests) pids.push({ name: String(pid), ino: BigInt(pid) << 16n, type: DT_DIR });
  return [...host.filter((e) => !isPid(e.name)), ...pids.sort((a, b) => Number(a.name) - Number(b.name))];
}
