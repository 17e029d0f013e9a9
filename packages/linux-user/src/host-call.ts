/**
 * System calls Node has no binding for (mknodat; linkat of a descriptor; shutdown, setsockopt and getsockopt on a
 * socket dbtlab inherited), made by a short perl process on the host (perl-base is in every
 * Debian): the host kernel's own answer, its errno carried back as perl's exit status and
 * any bytes it gives as hex on perl's stdout. A descriptor is passed as the child's fd 3: the
 * same open file description, so a call on the socket behind it acts on dbtlab's too. Each
 * call costs a process start (milliseconds); these calls are rare, except lseek, which has a
 * long-lived helper per descriptor (Seeker).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

type XattrCall = `${'' | 'l' | 'f'}${'set' | 'get' | 'list' | 'remove'}xattr`;
type HostCallName = 'mknodat' | 'lseek' | 'renameat2' | 'acct' | 'mount' | 'umount2' | 'pivot_root' | 'swapon' | 'swapoff' | 'name_to_handle_at' | 'open_by_handle_at' | 'eventfd2' | 'syslog' | 'adjtimex' | 'linkat' | XattrCall;
/** The host's syscall numbers the scripts use (perl's syscall() takes the number). */
export const HOST_NR: Partial<Record<string, Record<HostCallName, number>>> = {
  x64: { mknodat: 259, lseek: 8, renameat2: 316, acct: 163, mount: 165, umount2: 166, pivot_root: 155, swapon: 167, swapoff: 168, name_to_handle_at: 303, open_by_handle_at: 304, eventfd2: 290, syslog: 103, adjtimex: 159, linkat: 265,
    setxattr: 188, lsetxattr: 189, fsetxattr: 190, getxattr: 191, lgetxattr: 192, fgetxattr: 193, listxattr: 194, llistxattr: 195, flistxattr: 196, removexattr: 197, lremovexattr: 198, fremovexattr: 199 },
  arm64: { mknodat: 33, lseek: 62, renameat2: 276, acct: 89, mount: 40, umount2: 39, pivot_root: 41, swapon: 224, swapoff: 225, name_to_handle_at: 264, open_by_handle_at: 265, eventfd2: 19, syslog: 116, adjtimex: 171, linkat: 37,
    setxattr: 5, lsetxattr: 6, fsetxattr: 7, getxattr: 8, lgetxattr: 9, fgetxattr: 10, listxattr: 11, llistxattr: 12, flistxattr: 13, removexattr: 14, lremovexattr: 15, fremovexattr: 16 },
};

/** The prologue of a script acting on the socket at fd 3 (its handle $s). */
export const ON_FD3 = 'open(my $s, "+<&=", 3) or exit($! + 0); ';

const SEEK_CUR = 1;
/** Answers "offset whence" lines on its request FIFO with lseek(3, ...)'s result (or -errno), after a first "ready". */
const SEEKER_SCRIPT =
  'open(my $in, "<", $ARGV[0]) or exit(1); open(my $out, ">", $ARGV[1]) or exit(1); select($out); $| = 1; print "ready\\n"; ' +
  'while (my $l = <$in>) { my ($o, $w) = split(" ", $l); my $r = syscall($ARGV[2], 3, $o + 0, $w + 0); print(($r < 0 ? -$! : $r), "\\n"); }';
const READY_TIMEOUT_MS = 5000;

/**
 * A perl process holding a host fd as its fd 3 and seeking it on request: one spawn per file,
 * not per seek (a bash `read` loop on a redirected file seeks back once per line). Requests go
 * through a FIFO dbtlab holds open read-write; replies come on a FIFO read non-blocking, so a
 * helper that dies is seen (end of file) instead of waited for. The helper ends when dbtlab
 * closes its request FIFO (close(), or dbtlab's exit).
 */
class Seeker {
  private readonly req: number;
  private readonly rep: number;
  private pending = '';
  private readonly pause = new Int32Array(new SharedArrayBuffer(4));

  constructor(fd: number, nr: number) {
    const dir = mkdtempSync(join(tmpdir(), 'dbtlab-seek-'));
    try {
      const [req, rep] = [join(dir, 'req'), join(dir, 'rep')];
      if (spawnSync('mkfifo', [req, rep]).status !== 0) throw new Error('mkfifo failed');
      this.req = openSync(req, constants.O_RDWR);
      this.rep = openSync(rep, constants.O_RDONLY | constants.O_NONBLOCK);
      spawn('perl', ['-e', SEEKER_SCRIPT, req, rep, `${nr}`], { stdio: ['ignore', 'ignore', 'ignore', fd] }).unref();
      if (this.line(READY_TIMEOUT_MS) !== 'ready') throw new Error('the seek helper did not start');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** lseek's result, or undefined when the helper is gone. */
  seek(off: number, whence: number): number | undefined {
    writeSync(this.req, `${off} ${whence}\n`);
    const line = this.line(Infinity);
    return line === undefined ? undefined : Number(line);
  }

  close(): void {
    closeSync(this.req);
    closeSync(this.rep);
  }

  /** The next reply line; undefined at end of file (the helper ended) or after waitMs without one. */
  private line(waitMs: number): string | undefined {
    const buf = Buffer.alloc(64);
    const start = Date.now();
    for (;;) {
      const nl = this.pending.indexOf('\n');
      if (nl >= 0) {
        const line = this.pending.slice(0, nl);
        this.pending = this.pending.slice(nl + 1);
        return line;
      }
      let n = -1;
      try {
        n = readSync(this.rep, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      // before the helper opens its end, reads see no writer (0) as after it ends: the first line waits it out
      if (n === 0 && waitMs === Infinity) return undefined;
      if (n > 0) this.pending += buf.toString('latin1', 0, n);
      else if (Date.now() - start > waitMs) return undefined;
      else Atomics.wait(this.pause, 0, 0, 0.02);
    }
  }
}

const seekers = new Map<number, Seeker>();

/** Ends the seek helper of a host fd dbtlab closes (its number may name another file next). */
export function forgetSeeker(fd: number): void {
  seekers.get(fd)?.close();
  seekers.delete(fd);
}

const LSEEK_SCRIPT = 'my $r = syscall($ARGV[0], 3, $ARGV[1] + 0, $ARGV[2] + 0); exit($! + 0) if $r < 0; printf("%016x", $r)';

/** lseek on host fd `fd` through its seek helper, started at the first seek; a perl process of its own if the helper cannot serve. */
function helperSeek(fd: number, nr: number, off: number, whence: number): number {
  let seeker = seekers.get(fd);
  try {
    if (seeker === undefined) seekers.set(fd, (seeker = new Seeker(fd, nr)));
    const r = seeker.seek(off, whence);
    if (r !== undefined) return r;
  } catch {
    // no mkfifo, no FIFO in the temp directory: the one-shot call below
  }
  forgetSeeker(fd);
  const r = hostCall(LSEEK_SCRIPT, [`${nr}`, `${off}`, `${whence}`], fd);
  return typeof r === 'number' ? r : Number(Buffer.from(r).readBigInt64BE(0));
}

/**
 * lseek on a host descriptor the guest holds (its inherited stdio, a character device it
 * opened): the host kernel's own answer on the open file description it shares with other
 * host processes, so a guest `head` leaves a redirected stdin where the next command reads.
 * Pipes, sockets and terminals answer ESPIPE without a call (no_llseek); the position alone
 * comes from /proc/self/fdinfo; other seeks go to the fd's seek helper (Seeker).
 */
export function hostSeek(fd: number, off: number, whence: number): number {
  const st = fstatSync(fd);
  if (st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && isatty(fd))) return -ESPIPE;
  if (off === 0 && whence === SEEK_CUR && st.isFile()) {
    const pos = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (pos) return Number(pos[1]);
  }
  const nr = HOST_NR[process.arch]?.lseek;
  return nr === undefined ? -ENOSYS : helperSeek(fd, nr, off, whence);
}
