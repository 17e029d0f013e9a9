/**
 * Resource limits as a new process inherits them from Linux's INIT_RLIMITS (no shell or
 * systemd has changed them): getrlimit/prlimit64 report these, setrlimit may lower them.
 * Only RLIMIT_STACK and RLIMIT_NOFILE shape what this machine does (stack size, fd table).
 */
import { STACK_RLIMIT } from './layout';
import { NOFILE_LIMIT } from './fd-table';

export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;
const INF = RLIM_INFINITY;

export const RLIMIT_NAMES = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'] as const;

export interface Rlimit {
  cur: bigint;
  max: bigint;
}

export function initialRlimits(): Rlimit[] {
  const rows: Array<[bigint, bigint]> = [
    [INF, INF], // CPU
    [INF, INF], // FSIZE
    [INF, INF], // DATA
    [BigInt(STACK_RLIMIT), INF], // STACK
    [0n, INF], // CORE
    [INF, INF], // RSS
    [INF, INF], // NPROC
    [BigInt(NOFILE_LIMIT), 4096n], // NOFILE (INR_OPEN_CUR, INR_OPEN_MAX)
    [8n * 1024n * 1024n, 8n * 1024n * 1024n], // MEMLOCK
    [INF, INF], // AS
    [INF, INF], // LOCKS
    [0n, 0n], // SIGPENDING (set from the machine's memory at boot; 0 = none queued beyond the standard)
    [819200n, 819200n], // MSGQUEUE
    [0n, 0n], // NICE
    [0n, 0n], // RTPRIO
    [INF, INF], // RTTIME
  ];
  return rows.map(([cur, max]) => ({ cur, max }));
}
