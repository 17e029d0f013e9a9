/**
 * runGuest: one guest program through one runtime (QEMU's linux-user/main.c): the Dbt, the
 * Linux process on it, the runtime's loop, and the statistics whatever way the run ends.
 *
 *   const r = runGuest(createRuntime(), { elf: './loop', argv: ['./loop'], envp: [] });
 *   r.status; r.stats.host_insns;
 */
import { TranslationCache, type Dbt, type RuntimeScheme, type Stats, type TraceEvent } from '@dbtlab/dbt-core';
import { ElfError, elfClassOf, GuestTree, type ProcessOptions, type ProcessStats, Sysroot } from '@dbtlab/linux-user';
import { cpuModel, DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64 } from '@dbtlab/x86-semantics';
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeError } from './errors';

/** What the Linux process takes as it is (argv, envp, host fds for 0/1/2, strace sink, sysroot). */
type ProcessIo = Pick<ProcessOptions, 'argv' | 'envp' | 'stdin' | 'stdout' | 'stderr' | 'strace' | 'sysroot' | 'hostSignals'>;

export interface GuestRunOptions extends ProcessIo {
  /** Path of the ELF to load (relative to cwd). */
  elf: string;
  /** The guest's working directory (default: dbtlab's); the host process never changes its own. */
  cwd?: string;
  /** false: no vDSO in the guest's auxiliary vector, as QEMU 7.2 sets up a guest (ProcessOptions.vdso). */
  vdso?: boolean;
  trace?: boolean;
  /** Each traced event as it happens, instead of collecting them (the -d log); implies trace. */
  onEvent?: (e: TraceEvent, dbt: Dbt) => void;
  /**
   * Time system calls read a virtual clock that advances 1 ns per executed host instruction
   * (from 2020-01-01), so a run's counts do not depend on when it ran; off: the host's clocks.
   */
  deterministicClock?: boolean;
  /** QEMU's `-d unimp` log: one line per unimplemented system call number the guest tried. */
  logUnimp?: (line: string) => void;
  /** CPU model name (cpu-models.ts); default DEFAULT_CPU_MODEL. */
  cpu?: string;
  /**
   * Where the processes of the run share their translations (each execve's ld.so and libc are
   * not generated again; counts are the same either way): default a new TranslationCache,
   * null: every engine translates on its own.
   */
  translations?: TranslationCache | null;
}

export interface GuestRunResult {
  /** Guest exit status (128 + signal when killed), or undefined when dbtlab failed. */
  status: number | undefined;
  signal?: number;
  /** Why dbtlab could not run the program to its end (one line), if it could not. */
  error?: string;
  /** The errno execve would have returned when the program could not be started (ElfError). */
  execErrno?: number;
  /** The sum over every guest process of the run. */
  stats: Stats;
  /** One entry per guest process (pid, parent, argv[0], exit status, its statistics). */
  processes: ProcessStats[];
  events: TraceEvent[];
}

const pickProcessIo = ({ argv, envp, stdin, stdout, stderr, strace, sysroot, hostSignals }: ProcessIo): ProcessIo => ({
  argv, envp, stdin, stdout, stderr, strace, sysroot, hostSignals,
});

/** The guest's width from its ELF class (32 when the file cannot be read: load reports why). */
export function guestMode(path: string): 32 | 64 {
  const head = new Uint8Array(5);
  try {
    const fd = openSync(path, 'r');
    try {
      readSync(fd, head, 0, 5, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return 32;
  }
  return elfClassOf(head) === 64 ? 64 : 32;
}

export function runGuest(scheme: RuntimeScheme, o: GuestRunOptions): GuestRunResult {
  // the program is found as execve finds it: an absolute path under the sysroot first
  const hostElf = new Sysroot(o.sysroot).hostPath(o.elf);
  const mode = guestMode(o.cwd !== undefined ? resolvePath(o.cwd, hostElf) : hostElf);
  const cpu = cpuModel(o.cpu ?? (mode === 64 ? DEFAULT_CPU_MODEL_64 : DEFAULT_CPU_MODEL));
  const onEvent = o.onEvent;
  const tree: GuestTree = new GuestTree(scheme, {
    trace: o.trace || onEvent !== undefined,
    traceSink: onEvent && ((e) => onEvent(e, tree.currentEngine())),
    cpu,
    mode,
    translations: o.translations === null ? undefined : (o.translations ?? new TranslationCache()),
  });
  const t0 = performance.now();
  let status: number | undefined;
  let signal: number | undefined;
  let error: string | undefined;
  let execErrno: number | undefined;
  try {
    tree.spawn(
      o.elf,
      {
        ...pickProcessIo(o),
        hwcap: cpu.hwcap,
        vdso: o.vdso,
        clock: o.deterministicClock ? () => tree.insnClock() : undefined,
        onUnknownSyscall: (nr, name) => o.logUnimp?.(`Unsupported syscall: ${nr} (${name})`),
      },
      o.cwd,
    );
    ({ status, signal } = tree.run());
  } catch (e) {
    error = describeError(e, tree.currentEngine());
    if (e instanceof ElfError) execErrno = e.errno;
  }
  const { total, processes } = tree.stats(performance.now() - t0);
  total.exit_status = status ?? -1;
  return { status, signal, error, execErrno, stats: total, processes, events: tree.currentEngine().events };
}
