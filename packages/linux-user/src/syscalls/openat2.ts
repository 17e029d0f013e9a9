/**
 * openat2(dirfd, path, how, size): openat with struct open_how { u64 flags, mode, resolve }.
 * Unlike openat it refuses what it does not know: the structure's size (copy_struct_from_user:
 * EINVAL below VER0, E2BIG above a page or for non-zero bytes past the kernel's structure), then
 * the fields (build_open_flags), all before the path is read. O_LARGEFILE is added as the
 * 64-bit kernel adds it for both ABIs (force_o_largefile), except with O_PATH. RESOLVE_* walks
 * are scoped-lookup.ts's; what they reach is opened as openat opens it.
 */
import { E2BIG, EAGAIN, EINVAL } from '../errno';
import { O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_LARGEFILE, O_NOFOLLOW, O_PATH, O_RDONLY, O_TRUNC, __O_TMPFILE } from '../fd-table';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { openGuestPath } from './io';
import { AT_FDCWD, readGuestPath } from './paths';
import { RESOLVE_BENEATH, RESOLVE_CACHED, RESOLVE_IN_ROOT, RESOLVE_WALK, scopedLookup } from './scoped-lookup';

const OPEN_HOW_SIZE_VER0 = 24;
const PAGE_SIZE = 4096;
/** Every flag open knows (VALID_OPEN_FLAGS): the access modes and 0o100 to __O_TMPFILE. */
const VALID_OPEN_FLAGS = 0o37777703;
const O_PATH_FLAGS = O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC;
const VALID_RESOLVE_FLAGS = RESOLVE_WALK | RESOLVE_CACHED;
const S_IALLUGO = 0o7777;

/** build_open_flags' verdict on the fields: 0 or -errno. */
function howError(flagsLo: number, flagsHi: number, mode: bigint, resolve: bigint): number {
  const flags = flagsLo & ~O_CLOEXEC;
  if (flagsHi !== 0 || flags & ~VALID_OPEN_FLAGS) return -EINVAL;
  if (resolve & ~BigInt(VALID_RESOLVE_FLAGS)) return -EINVAL;
  const r = Number(resolve);
  if (r & RESOLVE_BENEATH && r & RESOLVE_IN_ROOT) return -EINVAL;
  if (flags & (O_CREAT | __O_TMPFILE) ? mode & ~BigInt(S_IALLUGO) : mode !== 0n) return -EINVAL;
  if ((flags & (O_DIRECTORY | O_CREAT)) === (O_DIRECTORY | O_CREAT)) return -EINVAL;
  if (flags & __O_TMPFILE && (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) === O_RDONLY)) return -EINVAL;
  if (flags & O_PATH && flags & ~O_PATH_FLAGS) return -EINVAL;
  if (r & RESOLVE_CACHED && flags & (O_TRUNC | O_CREAT | __O_TMPFILE)) return -EAGAIN;
  return 0;
}

export function sysOpenat2(p: LinuxProcess, a: SyscallArgs): number {
  const dirfd = a[0] | 0;
  const size = a[3];
  if (size < OPEN_HOW_SIZE_VER0) return -EINVAL;
  if (size > PAGE_SIZE) return -E2BIG;
  // a fault reading it is EFAULT (the dispatcher's MemoryFault)
  const raw = p.mem.readBytes(a[2], size);
  if (raw.subarray(OPEN_HOW_SIZE_VER0).some((b) => b !== 0)) return -E2BIG;
  const v = new DataView(raw.buffer, raw.byteOffset, OPEN_HOW_SIZE_VER0);
  let flags = v.getUint32(0, true);
  const mode = v.getBigUint64(8, true);
  const resolve = v.getBigUint64(16, true);
  const err = howError(flags, v.getUint32(4, true), mode, resolve);
  if (err < 0) return err;
  if (!(flags & O_PATH)) flags |= O_LARGEFILE;
  const path = readGuestPath(p, a[1]);
  if (typeof path === 'number') return path;
  const walk = Number(resolve) & RESOLVE_WALK;
  if (!walk) return openGuestPath(p, dirfd, path, flags, Number(mode));
  // O_NOFOLLOW and O_CREAT|O_EXCL open a symlink in the last component as it is
  const followLast = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) !== (O_CREAT | O_EXCL);
  const found = scopedLookup(p, dirfd, path, walk, followLast);
  return typeof found === 'number' ? found : openGuestPath(p, AT_FDCWD, found, flags, Number(mode));
}
