/**
 * System calls Node has no binding for (mknodat; shutdown, setsockopt and getsockopt on a
 * socket dbtlab inherited), made by a short perl process on the host (perl-base is in every
 * Debian): the host kernel's own answer, its errno carried back as perl's exit status and
 * any bytes it gives as hex on perl's stdout. A descriptor is passed as the child's fd 3: the
 * same open file description, so a call on the socket behind it acts on dbtlab's too. Each
 * call costs a process start (milliseconds); these calls are rare.
 */
import { spawnSync } from 'node:child_process';
import { fstatSync, readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { ENOSYS, ESPIPE } from './errno';

/** `perl -e script args...` with `fd` as its fd 3: the bytes it printed (hex), or -errno (-ENOSYS when perl cannot run). */
export function hostCall(script: string, args: readonly string[], fd?: number): Uint8Array | number {
  const stdio: Array<'ignore' | 'pipe' | number> = ['ignore', 'pipe', 'ignore'];
  if (fd !== undefined) stdio.push(fd);
  const r = spawnSync('perl', ['-e', script, ...args], { stdio, encoding: 'latin1' });
  if (r.error || r.status === null) return -ENOSYS;
  return r.status === 0 ? Buffer.from(r.stdout, 'hex') : -r.status;
}

type HostCallName = 'mknodat' | 'lseek' | 'renameat2' | 'acct' | 'umount2' | 'swapon' | 'swapoff' | 'name_to_handle_at' | 'open_by_handle_at';
/** The host's syscall numbers the scripts use (perl's syscall() takes the number). */
export const HOST_NR: Partial<Record<string, Record<HostCallName, number>>> = {
  x64: { mknodat: 259, lseek: 8, renameat2: 316, acct: 163, umount2: 166, swapon: 167, swapoff: 168, name_to_handle_at: 303, open_by_handle_at: 304 },
  arm64: { mknodat: 33, lseek: 62, renameat2: 276, acct: 89, umount2: 39, swapon: 224, swapoff: 225, name_to_handle_at: 264, open_by_handle_at: 265 },
};

/** The prologue of a script acting on the socket at fd 3 (its handle $s). */
export const ON_FD3 = 'open(my $s, "+<&=", 3) or exit($! + 0); ';

const SEEK_CUR = 1;
const LSEEK_SCRIPT = 'my $r = syscall($ARGV[0], 3, $ARGV[1] + 0, $ARGV[2] + 0); exit($! + 0) if $r < 0; printf("%016x", $r)';

/**
 * lseek on a host descriptor the guest holds (its inherited stdio, a character device it
 * opened): the host kernel's own answer on the open file description it shares with other
 * host processes, so a guest `head` leaves a redirected stdin where the next command reads.
 * Pipes, sockets and terminals answer ESPIPE without a call (no_llseek); the position alone
 * comes from /proc/self/fdinfo.
 */
export function hostSeek(fd: number, off: number, whence: number): number {
  const st = fstatSync(fd);
  if (st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && isatty(fd))) return -ESPIPE;
  if (off === 0 && whence === SEEK_CUR && st.isFile()) {
    const pos = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (pos) return Number(pos[1]);
  }
  const nr = HOST_NR[process.arch]?.lseek;
  if (nr === undefined) return -ENOSYS;
  const r = hostCall(LSEEK_SCRIPT, [`${nr}`, `${off}`, `${whence}`], fd);
  return typeof r === 'number' ? r : Number(Buffer.from(r).readBigInt64BE(0));
}
