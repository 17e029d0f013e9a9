/**
 * Resource limits. A native program inherits them from the process that starts it, which is
 * also what started this Node.js process, so they are read from /proc/self/limits (the same
 * order as the RLIMIT_* numbers); RLIMIT_STACK too: it bounds the stack's growth and places
 * mmap_base at exec (stack-growth.ts). Without /proc, Linux's INIT_RLIMITS values are used. RLIMIT_NOFILE bounds the guest's fd table.
 */
import { readFileSync } from 'node:fs';
import { STACK_RLIMIT } from './layout';

export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const INF = RLIM_INFINITY;

export const RLIMIT_NAMES = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'] as const;
/** Linux's names and units of the limits, in RLIMIT_* order, as /proc/PID/limits prints them (fs/proc/base.c lnames). */
export const RLIMIT_ROWS: ReadonlyArray<[string, string]> = [
  ['Max cpu time', 'seconds'], ['Max file size', 'bytes'], ['Max data size', 'bytes'], ['Max stack size', 'bytes'],
  ['Max core file size', 'bytes'], ['Max resident set', 'bytes'], ['Max processes', 'processes'], ['Max open files', 'files'],
  ['Max locked memory', 'bytes'], ['Max address space', 'bytes'], ['Max file locks', 'locks'], ['Max pending signals', 'signals'],
  ['Max msgqueue size', 'bytes'], ['Max nice priority', ''], ['Max realtime priority', ''], ['Max realtime timeout', 'us'],
];

export const RLIMIT_DATA = 2;
export const RLIMIT_STACK = 3;
export const RLIMIT_CORE = 4;
export const RLIMIT_NPROC = 6;
export const RLIMIT_FSIZE = 1;
export const RLIMIT_NOFILE = 7;
export const RLIMIT_AS = 9;
export const RLIMIT_SIGPENDING = 11;
export const RLIMIT_MSGQUEUE = 12;

export interface Rlimit {
  cur: bigint;
  max: bigint;
}

/** include/asm-generic/resource.h INIT_RLIMITS */
const INIT_RLIMITS: ReadonlyArray<[bigint, bigint]> = [
  [INF, INF], [INF, INF], [INF, INF], [BigInt(STACK_RLIMIT), INF], [0n, INF], [INF, INF], [0n, 0n], [1024n, 4096n],
  [8n * 1024n * 1024n, 8n * 1024n * 1024n], [INF, INF], [INF, INF], [0n, 0n], [819200n, 819200n], [0n, 0n], [0n, 0n], [INF, INF],
];

function inheritedRlimits(): Array<[bigint, bigint]> | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const value = (s: string): bigint => (s === 'unlimited' ? INF : BigInt(s));
  const rows = text
    .split('\n')
    .slice(1)
    .map((line) => /^.{26}(\S+)\s+(\S+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m): [bigint, bigint] => [value(m[1]), value(m[2])]);
  return rows.length === RLIMIT_NAMES.length ? rows : undefined;
}

export function initialRlimits(): Rlimit[] {
  const rows = inheritedRlimits() ?? INIT_RLIMITS.map(([c, m]): [bigint, bigint] => [c, m]);
  return rows.map(([cur, max]) => ({ cur, max }));
}
