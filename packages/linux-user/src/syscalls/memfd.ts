/**
 * memfd_create(name, flags): an anonymous regular file. Its host side is an O_TMPFILE (a file
 * without a name) in /dev/shm (the host tmpdir where there is none), so read, write, lseek,
 * ftruncate, fstat and mmap (MAP_SHARED through page-cache.ts) take the paths of any file; the
 * description carries the guest's name for it (/proc/self/fd/N reads "/memfd:NAME (deleted)")
 * and its seals (F_GET_SEALS / F_ADD_SEALS in fcntl).
 */
import { closeSync, fchmodSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { EBUSY, EINVAL, EPERM } from '../errno';
import { O_ACCMODE, O_DIRECTORY, O_LARGEFILE, O_RDONLY, O_RDWR, OpenFile, __O_TMPFILE } from '../fd-table';
import { mappedWritable } from '../page-cache';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';

const MFD_CLOEXEC = 1;
const MFD_ALLOW_SEALING = 2;
const MFD_HUGETLB = 4;
const MFD_NOEXEC_SEAL = 8;
const MFD_EXEC = 0x10;
const MFD_ALL_FLAGS = MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC;
/** MFD_HUGETLB's page-size field (log2 of the size, bits 26..31). */
const MFD_HUGE_MASK = 0x3f << 26;
/** The longest name (NAME_MAX less "memfd:"). */
const MFD_NAME_MAX_LEN = 249;

const PAGE_SIZE = 4096;
const O_TMPFILE = __O_TMPFILE | O_DIRECTORY;

export const F_SEAL_SEAL = 1;
export const F_SEAL_SHRINK = 2;
export const F_SEAL_GROW = 4;
export const F_SEAL_WRITE = 8;
export const F_SEAL_FUTURE_WRITE = 0x10;
export const F_SEAL_EXEC = 0x20;
const F_ALL_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE | F_SEAL_EXEC;

/** What a memfd's description knows beyond its host file: the guest's name and the seals. */
export class Memfd {
  constructor(
    readonly name: Buffer,
    public seals: number,
  ) {}

  /**
   * How much of a write of `len` bytes at `at` to a file of `size` bytes the seals let through:
   * none (EPERM) under F_SEAL_WRITE or F_SEAL_FUTURE_WRITE; under F_SEAL_GROW the page chunks
   * (shmem_write_begin's units) that end within the file, EPERM if there is none.
   */
  writable(at: number, len: number, size: number): number {
    if (len === 0) return 0;
    if (this.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return -EPERM;
    if (!(this.seals & F_SEAL_GROW) || at + len <= size) return len;
    const n = Math.floor(size / PAGE_SIZE) * PAGE_SIZE - at;
    return n > 0 ? n : -EPERM;
  }

  /** ftruncate's EPERM from F_SEAL_SHRINK or F_SEAL_GROW. */
  resizable(size: number, len: number): number {
    if ((len < size && this.seals & F_SEAL_SHRINK) || (len > size && this.seals & F_SEAL_GROW)) return -EPERM;
    return 0;
  }

  /** The /proc/self/fd/N link. */
  link(): Buffer {
    return Buffer.concat([Buffer.from('/memfd:'), this.name, Buffer.from(' (deleted)')]);
  }
}

function hostDir(): string {
  try {
    closeSync(openSync('/dev/shm', O_TMPFILE | O_RDWR, 0o600));
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}
let dir: string | undefined;

export function sysMemfdCreate(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[1];
  const allowed = flags & MFD_HUGETLB ? MFD_ALL_FLAGS | MFD_HUGE_MASK : MFD_ALL_FLAGS;
  if ((flags & ~allowed) >>> 0 !== 0) return -EINVAL;
  if (flags & MFD_EXEC && flags & MFD_NOEXEC_SEAL) return -EINVAL;
  // strnlen_user(name, MFD_NAME_MAX_LEN + 1): a fault is EFAULT (MemoryFault), a longer name EINVAL
  const bytes: number[] = [];
  for (let c = p.mem.read8(a[0]); c !== 0; c = p.mem.read8(a[0] + bytes.length)) {
    bytes.push(c);
    if (bytes.length > MFD_NAME_MAX_LEN) return -EINVAL;
  }
  dir ??= hostDir();
  const hostFd = openSync(dir, O_TMPFILE | O_RDWR, 0o600);
  // the kernel's mode: 0777, no umask; MFD_NOEXEC_SEAL takes the x bits and seals them off
  fchmodSync(hostFd, flags & MFD_NOEXEC_SEAL ? 0o666 : 0o777);
  const file = new OpenFile(hostFd, 'file', O_RDWR | O_LARGEFILE, '', true);
  file.memfd = new Memfd(Buffer.from(bytes), flags & MFD_NOEXEC_SEAL ? F_SEAL_EXEC : flags & MFD_ALLOW_SEALING ? 0 : F_SEAL_SEAL);
  const fd = p.fds.install(file, (flags & MFD_CLOEXEC) !== 0);
  if (fd < 0) file.release();
  return fd;
}

/** fcntl F_GET_SEALS: a memfd's seals; EINVAL for any other file. */
export function getSeals(file: OpenFile): number {
  return file.memfd ? file.memfd.seals : -EINVAL;
}

/** fcntl F_ADD_SEALS: EPERM once F_SEAL_SEAL is set or on a description not open for writing. */
export function addSeals(file: OpenFile, seals: number): number {
  if (!file.memfd) return -EINVAL;
  if ((seals & ~F_ALL_SEALS) >>> 0 !== 0) return -EINVAL;
  if ((file.flags & O_ACCMODE) === O_RDONLY) return -EPERM;
  if (file.memfd.seals & F_SEAL_SEAL) return -EPERM;
  // a writable shared mapping could still store (mapping_deny_writable)
  if (seals & F_SEAL_WRITE && !(file.memfd.seals & F_SEAL_WRITE) && mappedWritable(file)) return -EBUSY;
  file.memfd.seals |= seals;
  return 0;
}
