/**
 * System calls Node has no binding for (mknodat; shutdown, setsockopt and getsockopt on a
 * socket dbtlab inherited), made by a short perl process on the host (perl-base is in every
 * Debian): the host kernel's own answer, its errno carried back as perl's exit status and
 * any bytes it gives as hex on perl's stdout. A descriptor is passed as the child's fd 3: the
 * same open file description, so a call on the socket behind it acts on dbtlab's too. Each
 * call costs a process start (milliseconds); these calls are rare.
 */
import { spawnSync } from 'node:child_process';
import { ENOSYS } from './errno';

/** `perl -e script args...` with `fd` as its fd 3: the bytes it printed (hex), or -errno (-ENOSYS when perl cannot run). */
export function hostCall(script: string, args: readonly string[], fd?: number): Uint8Array | number {
  const stdio: Array<'ignore' | 'pipe' | number> = ['ignore', 'pipe', 'ignore'];
  if (fd !== undefined) stdio.push(fd);
  const r = spawnSync('perl', ['-e', script, ...args], { stdio, encoding: 'latin1' });
  if (r.error || r.status === null) return -ENOSYS;
  return r.status === 0 ? Buffer.from(r.stdout, 'hex') : -r.status;
}

/** The host's syscall numbers the scripts use (perl's syscall() takes the number). */
export const HOST_NR: Partial<Record<string, { mknodat: number }>> = { x64: { mknodat: 259 }, arm64: { mknodat: 33 } };

/** The prologue of a script acting on the socket at fd 3 (its handle $s). */
export const ON_FD3 = 'open(my $s, "+<&=", 3) or exit($! + 0); ';
