/**
 * System calls Node has no binding for (mknodat, shutdown and setsockopt on a socket dbtlab
 * inherited), made by a short perl process on the host (perl-base is in every Debian): the
 * host kernel's own answer, its errno carried back as perl's exit status. A descriptor is
 * passed as the child's fd 3: the same open file description, so a call on the socket or
 * file behind it acts on dbtlab's too. Each call costs a process start (milliseconds); these
 * calls are rare.
 */
import { spawnSync } from 'node:child_process';
import { ENOSYS } from './errno';

/** `perl -e script args...` with `fd` as its fd 3: 0, or -errno (-ENOSYS when perl cannot run). */
export function hostCall(script: string, args: readonly string[], fd?: number): number {
  const stdio: Array<'ignore' | number> = ['ignore', 'ignore', 'ignore'];
  if (fd !== undefined) stdio.push(fd);
  const r = spawnSync('perl', ['-e', script, ...args], { stdio });
  if (r.error || r.status === null) return -ENOSYS;
  return -r.status;
}

/** The host's syscall numbers the scripts use (perl's syscall() takes the number). */
export const HOST_NR: Partial<Record<string, { mknodat: number }>> = { x64: { mknodat: 259 }, arm64: { mknodat: 33 } };
