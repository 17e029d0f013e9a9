/**
 * The guest's view of /proc/<pid>: /proc/self, /proc/thread-self, /proc/<pid> and
 * /proc/<pid>/task/<tid> of every live guest process of this run name that guest, not the
 * Node.js process that runs it. Their status, stat, statm, cmdline, environ, comm, limits, maps,
 * io and task/<tid>/children are text dbtlab writes from the guest's state (fs/proc/array.c,
 * base.c); fd/ and fdinfo/ list the guest's descriptors. /proc's listing holds the guests only,
 * as a pid namespace of the run's; a numeric directory that is no guest's keeps the host's
 * answer. Other entries of a guest's directory (mounts, mountinfo, ...) are the host's /proc/self ones
 * (the Node.js process: the same user and namespaces the guest has). */
import { readFileSync } from 'node:fs';
import { ENOENT } from './errno';
import type { LinuxProcess } from './process';
import type { Identity } from './credentials';
import { ioText, sumIo } from './io-accounting';
import { procMapsText, procVmas, type Vma } from './proc-maps';
import { PROT_EXEC, PROT_WRITE, type Page } from '@dbtlab/mips-host';
import { pageAlignDown, pageAlignUp, TARGET_PAGE_SIZE } from './layout';
import { RLIM_INFINITY, RLIMIT_ROWS, RLIMIT_SIGPENDING } from './rlimit';
import { SIG_DFL, SIG_IGN, sigBit, NSIG } from './signal';
import { pgidOf, sidOf } from './syscalls/process-tree';

/** A path under a guest's /proc directory: the thread it names, what follows ('' for the directory itself), and the directory as /proc/PID or /proc/PID/task/TID. */
export interface GuestProcPath {
  q: LinuxProcess;
  rest: string;
  dir: string;
}

/** The links of a /proc/PID directory: a path through one goes elsewhere, so `..` after it is not lexical. */
const LINK = /^(cwd|root|exe|fd\/\d+|map_files\/.*|ns\/.*)$/;

/**
 * A /proc path with `.`, `..` and repeated slashes taken out as a walk through procfs takes them
 * (its directories are no symlinks), up to the first link of a process directory; a trailing slash kept.
 */
export function procNormalize(path: string): string {
  const out: string[] = [];
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
    const inPid = out.length >= 3 && out[0] === 'proc';
    if (inPid && (LINK.test(out.slice(2).join('/')) || (out[2] === 'task' && out.length >= 5 && LINK.test(out.slice(4).join('/'))))) {
      return `/${[...out, ...parts.slice(i + 1)].join('/')}`;
    }
  }
  return `/${out.join('/')}${path.endsWith('/') && out.length > 0 ? '/' : ''}`;
}

/** A live thread, or a zombie process its parent has not reaped yet. */
const visible = (q: LinuxProcess): boolean => q.threadGroup.has(q) || (q.zombie !== undefined && q.parent?.children.has(q) === true);

/**
 * Guest thread `tid` of process `pid` (the process's first thread when tid is undefined): a live
 * one, or a zombie process its parent has not reaped yet (Linux keeps its directory until then);
 * -ENOENT for a pid of this run's that is gone (a host process may hold that number now: the
 * guest's answer is the one a pid namespace gives); undefined for a number no guest ever had.
 */
export function guestOf(p: LinuxProcess, pid: number, tid?: number): LinuxProcess | number | undefined {
  const ever = (p.tree?.processes ?? [p]).filter((q) => q.pid === pid);
  if (ever.length === 0) return undefined;
  const live = ever.filter(visible);
  const q = tid === undefined ? live.find((t) => t.zombie || [...t.threadGroup][0] === t) : live.find((t) => t.tid === tid);
  return q ?? -ENOENT;
}

/** Which guest `path` (an absolute path as the guest wrote it) names under /proc: the thread and the rest; -ENOENT for a guest gone; undefined when none. */
export function guestProcPath(p: LinuxProcess, path: string): GuestProcPath | number | undefined {
  if (!path.startsWith('/proc/')) return undefined;
  const m = /^\/proc\/(self|thread-self|\d+)(?:\/task\/(\d+))?(\/.*)?$/.exec(procNormalize(path));
  if (!m || (m[1] === 'thread-self' && m[2] !== undefined)) return undefined;
  const pid = m[1] === 'self' || m[1] === 'thread-self' ? p.pid : Number(m[1]);
  // thread-self is the calling thread; a task directory names one of the process's threads
  const tid = m[1] === 'thread-self' ? p.tid : m[2] === undefined ? undefined : Number(m[2]);
  const q = guestOf(p, pid, tid);
  if (typeof q !== 'object') return q;
  return { q, rest: m[3] ?? '', dir: m[1] === 'thread-self' || m[2] !== undefined ? `/proc/${q.pid}/task/${q.tid}` : `/proc/${q.pid}` };
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
  const c = q.comm;
  const end = c.indexOf(0);
  return Buffer.from(c.subarray(0, end < 0 ? c.length : end)).toString('latin1');
};

/** Bytes of the guest's address space by kind, as Linux's mm counters keep them (task_mem, task_statm). */
interface MemoryUse {
  /** total_vm */
  size: number;
  /** touched pages by what holds them (dbtlab allocates a page at first touch; mm_counter_file, mm_counter) */
  rssFile: number;
  rssAnon: number;
  rssShmem: number;
  /** data_vm (private, writable, not the stack), stack_vm, exec_vm (executable, not writable) */
  data: number;
  stack: number;
  exec: number;
  /** the program's text: end_code - start_code in whole pages */
  text: number;
}

function memoryUse(q: LinuxProcess): MemoryUse {
  const use: MemoryUse = { size: 0, rssFile: 0, rssAnon: 0, rssShmem: 0, data: 0, stack: 0, exec: 0, text: 0 };
  if (q.zombie) return use;
  for (const v of procVmas(q)) {
    const len = v.end - v.start;
    use.size += len;
    // over shared pages: shared anonymous memory and SysV shm, or a file's page cache
    const overPages = q.mem.sharedRanges(v.start, len).length > 0;
    for (const [, page] of q.mem.touchedPages(v.start, len)) use[pageKind(v, page, overPages)] += TARGET_PAGE_SIZE;
    // vm_stat_account: the stack (VM_GROWSDOWN), else private writable is data, executable read-only is exec
    if (v.growsDown) use.stack += len;
    else if (v.prot & PROT_WRITE) use.data += v.file?.shared || (!v.file && overPages) ? 0 : len;
    else if (v.prot & PROT_EXEC) use.exec += len;
  }
  if (q.image) use.text = pageAlignUp(q.image.endCode) - pageAlignDown(q.image.startCode);
  return use;
}

/**
 * Which counter a touched page of `v` is in: a page of a file's cache or of shared memory is the
 * file's, or shmem's for shmem (shared anonymous memory, SysV shm, memfd, tmpfs); a private page
 * with bytes of its own is anonymous (written over a mapped file: the copy), except in an ELF
 * segment the loader copied (`overPages` false), whose pages dbtlab cannot tell written: file.
 */
function pageKind(v: Vma, page: Page, overPages: boolean): 'rssAnon' | 'rssFile' | 'rssShmem' {
  const cached = page.backing !== undefined || page.through !== undefined;
  if (!v.file) return cached ? 'rssShmem' : 'rssAnon';
  if (cached) return v.file.shmem ? 'rssShmem' : 'rssFile';
  return overPages ? 'rssAnon' : 'rssFile';
}

/** Lines of the host's own /proc/self/status that say the same for the guest (bounding and ambient capabilities, cpus, seccomp: Node runs with the guest's). */
const HOST_STATUS_TAIL = /^(Cap\w+|NoNewPrivs|Seccomp\w*|Speculation\w*|Cpus_allowed\w*|Mems_allowed\w*|x86_Thread\w*):/;

/** Signals queued for the process's real user (every guest of the run with that uid: Linux counts them per user) and its RLIMIT_SIGPENDING. */
function sigQueue(q: LinuxProcess): string {
  let n = 0;
  for (const t of q.tree?.processes ?? [q]) if (visible(t) && t.ids.uid === q.ids.uid) n += t.signals.queued;
  return `${n}/${q.rlimits[RLIMIT_SIGPENDING].cur}`;
}

/** A host capability line, or the guest's own set for CapInh/CapPrm/CapEff (the bounding and ambient sets are the host's). */
function capLine(line: string, ids: Identity): string {
  const set = { CapInh: ids.capInh, CapPrm: ids.capPrm, CapEff: ids.capEff }[line.slice(0, 6)];
  return set === undefined ? line : `${line.slice(0, 7)}\t${set.toString(16).padStart(16, '0')}`;
}

/** /proc/<pid>/status (proc_pid_status). Memory from the guest's address space (VmPTE an estimate); context switch counts are 0 (approximations). */
function statusText(reader: LinuxProcess, q: LinuxProcess): string {
  const [s, name] = stateOf(reader, q);
  const ids = q.ids;
  const kb = (bytes: number): string => `${String(bytes / 1024).padStart(8)} kB`;
  const m = memoryUse(q);
  const rss = m.rssAnon + m.rssFile + m.rssShmem;
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
    `Uid:\t${ids.uid}\t${ids.euid}\t${ids.suid}\t${ids.fsuid}`,
    `Gid:\t${ids.gid}\t${ids.egid}\t${ids.sgid}\t${ids.fsgid}`,
    `FDSize:\t${fdSize(q)}`,
    // separated by spaces, and a trailing one even when there is none
    `Groups:\t${ids.groups.join(' ')} `,
    `NStgid:\t${q.pid}`,
    `NSpid:\t${q.tid}`,
    `NSpgid:\t${pgidOf(q)}`,
    `NSsid:\t${sidOf(q)}`,
    'Kthread:\t0',
    `VmPeak:\t${kb(m.size)}`,
    `VmSize:\t${kb(m.size)}`,
    `VmLck:\t${kb(0)}`,
    `VmPin:\t${kb(0)}`,
    `VmHWM:\t${kb(rss)}`,
    `VmRSS:\t${kb(rss)}`,
    `RssAnon:\t${kb(m.rssAnon)}`,
    `RssFile:\t${kb(m.rssFile)}`,
    `RssShmem:\t${kb(m.rssShmem)}`,
    `VmData:\t${kb(m.data)}`,
    `VmStk:\t${kb(m.stack)}`,
    `VmExe:\t${kb(m.text)}`,
    `VmLib:\t${kb(Math.max(m.exec - m.text, 0))}`,
    // the page tables: one 4 KiB table per 4 MiB touched, as a first approximation
    `VmPTE:\t${kb(Math.ceil(rss / (1024 * TARGET_PAGE_SIZE)) * TARGET_PAGE_SIZE)}`,
    `VmSwap:\t${kb(0)}`,
    `HugetlbPages:\t${kb(0)}`,
    'CoreDumping:\t0',
    'THP_enabled:\t1',
    `untag_mask:\t0x${'f'.repeat(16)}`,
    `Threads:\t${Math.max(q.threadGroup.size, 1)}`,
    `SigQ:\t${sigQueue(q)}`,
    `SigPnd:\t${hex16(q.signals.pending)}`,
    `ShdPnd:\t${hex16(0n)}`,
    `SigBlk:\t${hex16(q.signals.blocked)}`,
    `SigIgn:\t${hex16(actionMask(q, false))}`,
    `SigCgt:\t${hex16(actionMask(q, true))}`,
    ...host.map((l) => capLine(l, ids)),
    'voluntary_ctxt_switches:\t0',
    'nonvoluntary_ctxt_switches:\t0',
  ];
  return lines.join('\n') + '\n';
}

/** FDSize: the size of the descriptor table (a zombie has none left: 0). */
const fdSize = (q: LinuxProcess): number => (q.zombie ? 0 : q.fds.size);

/** /proc/<pid>/statm (proc_pid_statm): size resident shared text lib data dt, in pages (lib and dt are always 0). */
function statmText(q: LinuxProcess): string {
  const m = memoryUse(q);
  const pages = (bytes: number): number => bytes / TARGET_PAGE_SIZE;
  return `${[m.size, m.rssAnon + m.rssFile + m.rssShmem, m.rssFile + m.rssShmem, m.text, 0, m.data + m.stack, 0].map(pages).join(' ')}\n`;
}

/**
 * /proc/<pid>/stat (do_task_stat): the 52 fields. Ids, state, group, session, thread count, nice,
 * signal masks, sizes and code and stack addresses are the guest's; the terminal fields are the
 * host's (Node's terminal is the guest's); utime and stime are the guest's CPU time (LTP
 * clock_gettime01 waits for utime to leave 0); the start time is the guest's (process.ts
 * startTicks); children's times and fault counts are 0 (approximations: every guest's CPU time is
 * this one Node.js process's).
 */
/** USER_HZ: the clock ticks of times() and /proc. */
const CLK_TCK = 100n;

function statText(reader: LinuxProcess, q: LinuxProcess): string {
  const host = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  const m = memoryUse(q);
  const f: Array<number | string | bigint> = new Array(52).fill(0);
  f[0] = q.tid;
  f[1] = `(${commOf(q)})`;
  f[2] = stateOf(reader, q)[0];
  f[3] = q.ppid;
  f[4] = pgidOf(q);
  f[5] = sidOf(q);
  f[6] = host[4]; // tty_nr
  f[7] = host[5]; // tpgid
  // utime, stime: the guest's CPU time in clock ticks, as times() counts it
  const { user, system } = q.cpuTimes();
  f[13] = (user * CLK_TCK) / 1_000_000_000n;
  f[14] = (system * CLK_TCK) / 1_000_000_000n;
  f[17] = 20 + q.nice; // priority
  f[18] = q.nice;
  f[19] = Math.max(q.threadGroup.size, 1);
  f[21] = q.startTicks;
  f[22] = m.size;
  f[23] = (m.rssAnon + m.rssFile + m.rssShmem) / TARGET_PAGE_SIZE;
  f[24] = host[22]; // rsslim
  f[25] = q.zombie ? 0 : (q.image?.startCode ?? 0);
  f[26] = q.zombie ? 0 : (q.image?.endCode ?? 0);
  f[27] = q.zombie ? 0 : (q.initialStack?.sp ?? 0);
  f[30] = Number(q.signals.pending & 0xffffffffn);
  f[31] = Number(q.signals.blocked & 0xffffffffn);
  f[32] = Number(actionMask(q, false) & 0xffffffffn);
  f[33] = Number(actionMask(q, true) & 0xffffffffn);
  f[37] = 17; // exit_signal SIGCHLD
  return f.join(' ') + '\n';
}

/** /proc/<pid>/limits (proc_pid_limits): the guest's own resource limits. */
function limitsText(q: LinuxProcess): string {
  const value = (v: bigint): string => (v === RLIM_INFINITY ? 'unlimited' : String(v)).padEnd(20);
  const rows = RLIMIT_ROWS.map(([name, unit], i) => `${name.padEnd(25)} ${value(q.rlimits[i].cur)} ${value(q.rlimits[i].max)} ${unit ? unit.padEnd(10) : ''}\n`);
  return `${'Limit'.padEnd(25)} ${'Soft Limit'.padEnd(20)} ${'Hard Limit'.padEnd(20)} ${'Units'.padEnd(10)}\n${rows.join('')}`;
}

/** task/<tid>/children (get_children_pid): the processes thread `t` made that its parent has not reaped, in the order made. */
function childrenText(t: LinuxProcess): string {
  return [...t.children].filter((c) => c.parent === t && visible(c)).map((c) => `${c.pid} `).join('');
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
    case '/statm':
      return statmText(q);
    case '/limits':
      return limitsText(q);
    case '/children':
      // only a task directory has one
      return /^\/proc\/(thread-self|[^/]+\/task\/\d+)\/children$/.test(path) ? childrenText(q) : -ENOENT;
    case '/maps':
      return q.zombie ? '' : procMapsText(q);
    case '/io':
      // a task directory's: that thread's; the process's: its threads' and its ended threads'
      return ioText(/^\/proc\/(thread-self|[^/]+\/task\/\d+)\/io$/.test(path) ? q.io : sumIo([q.exitedIo, ...[...q.threadGroup].map((t) => t.io)]));
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
 * /proc's own listing as a pid namespace of the run's guests shows it (ps and pgrep look for
 * numeric directories): the host's other entries, then the visible guests' pids in number order,
 * as proc_root_readdir lists them. The host's processes, Node.js itself among them, are not listed.
 */
export function withGuestPids(p: LinuxProcess, host: Listing): Listing {
  const all = p.tree?.processes ?? [p];
  const guests = new Set(all.filter((q) => visible(q) && (q.zombie || [...q.threadGroup][0] === q)).map((q) => q.pid));
  const pids = [...guests].sort((a, b) => a - b).map((pid) => ({ name: String(pid), ino: BigInt(pid) << 16n, type: DT_DIR }));
  return [...host.filter((e) => !isPid(e.name)), ...pids];
}
