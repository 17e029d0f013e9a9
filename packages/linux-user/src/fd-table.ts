/**
 * The guest's file descriptors. As in the kernel, a descriptor points to an open file
 * description (offset, status flags), which dup() shares; close-on-exec belongs to the
 * descriptor. A description wraps a host fd of this Node.js process:
 *  - 'file': a regular file (or block device) opened by the guest. Node has no lseek, so the
 *    offset lives here and every transfer is a pread/pwrite at it (O_APPEND: the host appends).
 *  - 'stream': pipes, ttys, sockets and the inherited stdio fds: transfers use the host fd's
 *    own position (stdio may be a regular file the shell opened; its offset is the host's).
 *  - 'dir': a directory (getdents64 lists it by path).
 *  - 'pipe': one end of a pipe the guest made: Node has no pipe(2), and a single-threaded guest
 *    only talks to itself through it, so the pipe is a buffer here (GuestPipe).
 *  - 'anon': an object of the guest's kernel (eventfd, timerfd, signalfd, epoll; anon-file.ts).
 */
import { closeSync, fstatSync, readFileSync, readlinkSync } from 'node:fs';
import type { AnonFile } from './anon-file';
import { EBADF, EMFILE } from './errno';
import type { FifoEnd } from './fifo';
import type { GuestPipe } from './guest-pipe';
import { closeRecordLocks, releaseDescriptionLocks } from './file-locks';
import { releaseInode } from './fsnotify';
import { forgetHostFd } from './host-poll';
import { forgetSeeker } from './host-call';
import type { Memfd } from './syscalls/memfd';

export const O_ACCMODE = 0o3;
export const O_RDONLY = 0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
export const O_LARGEFILE = 0o100000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;
export const O_CLOEXEC = 0o2000000;
export const O_PATH = 0o10000000;
/** O_TMPFILE without O_DIRECTORY (the kernel's __O_TMPFILE). */
export const __O_TMPFILE = 0o20000000;
/** Flags F_SETFL may change. */
/** A pipe's writing end with it writes packets (guest-pipe.ts). */
export const O_DIRECT = 0o40000;
/** Not updating the access time: only for the file's owner or CAP_FOWNER (permission.ts noatimeDenied). */
export const O_NOATIME = 0o1000000;
export const SETFL_MASK = O_APPEND | O_NONBLOCK | 0o20000 /* O_ASYNC */ | O_DIRECT | O_NOATIME;


export type OpenFileKind = 'file' | 'stream' | 'dir' | 'pipe' | 'anon';

export { GuestPipe, PIPE_BUF } from './guest-pipe';

export class OpenFile {
  pos = 0;
  refs = 0;
  /** getdents64 state: the listing taken at the first call and the next index into it. */
  dirEntries: Array<{ name: string; ino: bigint; type: number }> | undefined;
  /** The object behind an 'anon' description. */
  anon: AnonFile | undefined;
  /** A FIFO's end (fifo.ts): the guests' count of its readers and writers. */
  fifo: FifoEnd | undefined;
  /** The inode a guest opened by name (fsnotify.ts holdInode), for its inotify events. */
  inode: string | undefined;
  /** The open that made this description created its file (FMODE_CREATED, fcntl F_CREATED_QUERY). */
  created = false;
  /** A directory of a guest's /proc view (/proc/1000, /proc/1000/task/1001/fd...): the guest path names under it are looked up from (proc-pid.ts). */
  procPath: string | undefined;
  /** A memfd's guest name and seals (memfd.ts). */
  memfd: Memfd | undefined;
  constructor(
    readonly hostFd: number,
    readonly kind: OpenFileKind,
    public flags: number,
    /** absolute host path, for *at() calls relative to a directory fd; '' when unknown */
    readonly path: string,
    /** false for the inherited stdio fds, which belong to the host process */
    readonly ownsHostFd: boolean,
    readonly pipe?: GuestPipe,
  ) {
    // an O_RDWR end (a pipe reopened through /proc/self/fd) is both a reader and a writer
    if (pipe) {
      if ((flags & O_ACCMODE) !== O_RDONLY) pipe.writers++;
      if ((flags & O_ACCMODE) !== O_WRONLY) pipe.readers++;
    }
  }

  /** The last descriptor referring to this description went away. */
  release(): void {
    releaseDescriptionLocks(this);
    if (this.anon) this.anon.release?.();
    else if (this.pipe) {
      if ((this.flags & O_ACCMODE) !== O_RDONLY) {
        this.pipe.writers--;
        this.pipe.wakes.in++;
      }
      if ((this.flags & O_ACCMODE) !== O_WRONLY) {
        this.pipe.readers--;
        this.pipe.wakes.out++;
      }
    } else if (this.ownsHostFd) {
      this.fifo?.release();
      if (this.inode !== undefined) releaseInode(this, (this.flags & O_ACCMODE) !== O_RDONLY);
      closeSync(this.hostFd);
      forgetHostFd(this.hostFd);
      forgetSeeker(this.hostFd);
    }
  }
}

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

/**
 * The host's name for the file behind a description now (d_path of the host fd, as Linux's
 * /proc/self/fd/N link: renames followed, " (deleted)" once unlinked); the path it was opened
 * by if the host cannot say.
 */
export function hostPathOf(file: OpenFile): string {
  try {
    return readlinkSync(`/proc/self/fd/${file.hostFd}`);
  } catch {
    return file.path;
  }
}

export function kindOfHostFd(hostFd: number): OpenFileKind {
  const st = fstatSync(hostFd);
  if (st.isDirectory()) return 'dir';
  return st.isFile() || st.isBlockDevice() ? 'file' : 'stream';
}

/** The slots a table of files_struct holds without an allocation (NR_OPEN_DEFAULT = BITS_PER_LONG). */
const NR_OPEN_DEFAULT = 64;

/** The slots of the table alloc_fdtable makes for `wanted`: a power of two (a 64-bit kernel's rule), at least the embedded table's. */
const tableSlots = (wanted: number): number => Math.max(NR_OPEN_DEFAULT, 2 ** Math.ceil(Math.log2(Math.max(wanted, 1))));

/** What dup_fd copies for open descriptors up to `highest`: count_open_files, whole words of the open-fds bitmap. */
const slotsForOpen = (highest: number): number => tableSlots(Math.ceil((highest + 1) / NR_OPEN_DEFAULT) * NR_OPEN_DEFAULT);

/**
 * The table the first guest has (/proc/<pid>/status FDSize): this Node.js process's, which the
 * shell's fork sized for the shell's descriptors (a shell's 255 makes 256) and exec kept, as a
 * program the shell started directly would have it.
 */
export function inheritedTableSlots(): number {
  // read once: Node's own table only grows past it if Node itself holds that many descriptors
  inherited ??= Number(/^FDSize:\s*(\d+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NR_OPEN_DEFAULT);
  return inherited;
}
let inherited: number | undefined;

export class FdTable {
  private readonly fds: Array<FdEntry | undefined> = [];

  /**
   * `limit` gives RLIMIT_NOFILE's soft limit: fds are below it. `slots` is the table's size
   * (max_fds): it grows to hold the highest fd installed and never shrinks (expand_fdtable).
   */
  constructor(
    readonly limit: () => number,
    private slots = NR_OPEN_DEFAULT,
  ) {}

  /** FDSize: the slots of the table. */
  get size(): number {
    return this.slots;
  }

  get(fd: number): OpenFile | undefined {
    return fd >= 0 ? this.fds[fd]?.file : undefined;
  }
  entry(fd: number): FdEntry | undefined {
    return fd >= 0 ? this.fds[fd] : undefined;
  }

  /** The open descriptors, lowest first (/proc/<pid>/fd). */
  list(): number[] {
    return this.fds.flatMap((e, fd) => (e ? [fd] : []));
  }

  /** Lowest free fd >= minFd (-EMFILE when none under the limit). */
  install(file: OpenFile, cloexec: boolean, minFd = 0): number {
    let fd = minFd;
    while (this.fds[fd]) fd++;
    if (fd >= this.limit()) return -EMFILE;
    this.installAt(fd, file, cloexec);
    return fd;
  }

  installAt(fd: number, file: OpenFile, cloexec: boolean): void {
    if (this.fds[fd]) this.close(fd);
    if (fd >= this.slots) this.slots = tableSlots(fd + 1);
    file.refs++;
    this.fds[fd] = { file, cloexec };
  }

  close(fd: number): number {
    const e = this.entry(fd);
    if (!e) return -EBADF;
    this.fds[fd] = undefined;
    closeRecordLocks(e.file, this);
    e.file.anon?.flush?.();
    if (--e.file.refs === 0) e.file.release();
    return 0;
  }

  /** fork: the same open file descriptions behind the same numbers (close-on-exec kept), in a table sized for them (dup_fd). */
  clone(limit: () => number): FdTable {
    const list = this.list();
    const t = new FdTable(limit, slotsForOpen(list.length ? list[list.length - 1] : -1));
    this.fds.forEach((e, fd) => e && t.installAt(fd, e.file, e.cloexec));
    return t;
  }

  /** execve: descriptors marked close-on-exec are closed. */
  closeOnExec(): void {
    for (let fd = 0; fd < this.fds.length; fd++) if (this.fds[fd]?.cloexec) this.close(fd);
  }

  /** Closes every descriptor (process exit). */
  closeAll(): void {
    for (let fd = 0; fd < this.fds.length; fd++) if (this.fds[fd]) this.close(fd);
  }
}
