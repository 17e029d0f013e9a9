/**
 * strace's output format for one system call: `name(arg, arg, ...) = result`, with the
 * arguments decoded by the kinds each row of the system-call table declares (strings
 * quoted and cut at 32 bytes, flags as symbolic ORs, errors as `-1 ENOENT (message)`).
 * Output buffers (read's data) are decoded after the call, as strace prints them.
 */
import { ERESTARTSYS, errnoMessage, errnoName } from './errno';
import type { LinuxProcess } from './process';
import { RLIM_INFINITY, RLIMIT_NAMES } from './rlimit';
import { devMajor, devMinor } from './stat';
import { signalName } from './signal';
import type { SigInfo } from './signal-frame';
import { siCodeName } from './siginfo-codes';
import type { SyscallRow } from './syscall-table';
import { wordAt, type SyscallArgs } from './syscall-args';

/**
 * d: signed int   ld: signed long (x86-64: the whole register)   u: unsigned (size_t)   x: hex
 * p: pointer (NULL)   o: octal mode
 * fd: descriptor  dirfd: descriptor or AT_FDCWD   path: NUL-terminated string
 * in: bytes the call reads, length in the next argument   out: bytes it writes, length = result
 * outstr: a NUL-terminated string the call writes (shown when it succeeds)
 * pgoff: mmap2's page offset, printed as the byte offset (as strace does)
 * cmode: open's mode, shown only when the previous argument (the flags) has O_CREAT or O_TMPFILE
 * fmode / fdev: mknod's S_IFIFO|0644 and its makedev(major, minor), shown only for a device node
 * amode: access's F_OK or R_OK|W_OK|X_OK
 * iovin / iovout: an iovec array (count in the next argument), its data as written / as read
 * rndout: bytes written by the call, all hex-escaped (strace's getrandom)
 * off64 / off64le: a 64-bit offset in two words, (high, low) / (low, high): shown once; 'skip' drops the second word
 * loffout: a loff_t the call writes, shown as [value]
 * fcntlarg: fcntl's third argument as the command needs it (none for F_GETFD/F_GETFL)
 * sigset / osigset: a 64-bit signal set read / written by the call, as [USR1 TERM] or ~[...]
 * sigaction / osigaction: struct sigaction read / written   restoredmask: sigreturn's {mask=[...]}
 * rlim32out / rlim64in / rlim64out: struct rlimit (32-bit words) / struct rlimit64
 * stat64out / statxout: the stat structures a call fills   ts32in/ts32out/ts64in/ts64out: timespecs
 * udesc: set_thread_area's struct user_desc
 * its32in/its32out/its64in/its64out: struct itimerspec (32- or 64-bit timespecs)
 * epollevent: one struct epoll_event read   epollevents: the array epoll_wait fills (count = result)
 * As strace does, inputs are decoded when the call is entered, outputs when it returns.
 * fadvice: posix_fadvise's advice   renameflags: renameat2's RENAME_* flags
 * others: symbolic flag or enum tables below
 */
export type StraceArg =
  | 'd' | 'ld' | 'u' | 'x' | 'p' | 'o' | 'fd' | 'dirfd' | 'path' | 'in' | 'out' | 'outstr'
  | 'pgoff' | 'cmode' | 'fmode' | 'fdev' | 'amode' | 'iovin' | 'iovout' | 'rndout' | 'off64' | 'off64le' | 'skip' | 'loffout' | 'fcntlarg'
  | 'grndflags' | 'statxflags' | 'statxmask' | 'rlimres' | 'sigset' | 'osigset' | 'sigaction' | 'osigaction' | 'restoredmask'
  | 'rlim32out' | 'rlim64in' | 'rlim64out' | 'stat64out' | 'statxout' | 'ts32in' | 'ts32out' | 'ts64in' | 'ts64out' | 'udesc' | 'oflags'
  | 'its32in' | 'its32out' | 'its64in' | 'its64out' | 'epollevent' | 'epollevents' | 'epollop' | 'epollflags' | 'efdflags' | 'inflags' | 'tfdflags' | 'tfdsetflags' | 'timerflags' | 'sfdflags' | 'prot' | 'mapflags' | 'mremapflags' | 'atflags' | 'renameflags' | 'whence' | 'fadvice' | 'clock' | 'sig' | 'sighow' | 'fcntl' | 'ioctl';
/**
 * d: int or -1 ERRNO   x: address   o: octal   none: never returns (`= ?`)   fcntl: flags for
 * F_GETFD/F_GETFL   tls: set_thread_area's "(entry_number=N)" when it chose the entry
 */
export type StraceRet = 'd' | 'x' | 'o' | 'none' | 'fcntl' | 'tls';

/** The kinds a call writes: decoded after it returns (the others before it runs). */
const OUTPUT_KINDS: ReadonlySet<StraceArg> = new Set<StraceArg>([
  'out', 'outstr', 'iovout', 'rndout', 'loffout', 'osigset', 'osigaction', 'restoredmask',
  'rlim32out', 'rlim64out', 'stat64out', 'statxout', 'ts32out', 'ts64out', 'its32out', 'its64out', 'epollevents',
]);

const STRACE_STRING_MAX = 32;
const AT_FDCWD = -100;

type FlagTable = ReadonlyArray<[number, string]>;
const O_FLAGS: FlagTable = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o10000, 'O_DSYNC'], [0o20000, 'O_ASYNC'], [0o40000, 'O_DIRECT'],
  [0o100000, 'O_LARGEFILE'], [0o200000, 'O_DIRECTORY'], [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'], [0o4000000, 'O_SYNC'], [0o10000000, 'O_PATH'],
];
const PROT_FLAGS: FlagTable = [[1, 'PROT_READ'], [2, 'PROT_WRITE'], [4, 'PROT_EXEC']];
const RENAME_FLAGS: FlagTable = [[1, 'RENAME_NOREPLACE'], [2, 'RENAME_EXCHANGE'], [4, 'RENAME_WHITEOUT']];
const MAP_FLAGS: FlagTable = [
  [0x01, 'MAP_SHARED'], [0x02, 'MAP_PRIVATE'], [0x10, 'MAP_FIXED'], [0x20, 'MAP_ANONYMOUS'],
  [0x100, 'MAP_GROWSDOWN'], [0x800, 'MAP_DENYWRITE'], [0x1000, 'MAP_EXECUTABLE'], [0x2000, 'MAP_LOCKED'],
  [0x4000, 'MAP_NORESERVE'], [0x8000, 'MAP_POPULATE'], [0x10000, 'MAP_NONBLOCK'], [0x20000, 'MAP_STACK'],
  [0x40000, 'MAP_HUGETLB'], [0x100000, 'MAP_FIXED_NOREPLACE'],
];
const MREMAP_FLAGS: FlagTable = [[1, 'MREMAP_MAYMOVE'], [2, 'MREMAP_FIXED'], [4, 'MREMAP_DONTUNMAP']];
const ACCESS_MODES: FlagTable = [[4, 'R_OK'], [2, 'W_OK'], [1, 'X_OK']];
const GRND_FLAGS: FlagTable = [[1, 'GRND_NONBLOCK'], [2, 'GRND_RANDOM'], [4, 'GRND_INSECURE']];
const STATX_MASK: FlagTable = [
  [0x7ff, 'STATX_BASIC_STATS'], [0x1, 'STATX_TYPE'], [0x2, 'STATX_MODE'], [0x4, 'STATX_NLINK'], [0x8, 'STATX_UID'],
  [0x10, 'STATX_GID'], [0x20, 'STATX_ATIME'], [0x40, 'STATX_MTIME'], [0x80, 'STATX_CTIME'], [0x100, 'STATX_INO'],
  [0x200, 'STATX_SIZE'], [0x400, 'STATX_BLOCKS'], [0x800, 'STATX_BTIME'], [0x1000, 'STATX_MNT_ID'], [0x2000, 'STATX_DIOALIGN'],
];
const STATX_SYNC = ['AT_STATX_SYNC_AS_STAT', 'AT_STATX_FORCE_SYNC', 'AT_STATX_DONT_SYNC', 'AT_STATX_SYNC_TYPE'];
const SA_FLAGS: FlagTable = [
  [0x04000000, 'SA_RESTORER'], [0x08000000, 'SA_ONSTACK'], [0x10000000, 'SA_RESTART'], [0x40000000, 'SA_NODEFER'],
  [0x80000000, 'SA_RESETHAND'], [4, 'SA_SIGINFO'], [1, 'SA_NOCLDSTOP'], [2, 'SA_NOCLDWAIT'],
];
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const O_CREAT_OR_TMPFILE = 0o100 | 0o20000000;
const AT_FLAGS: FlagTable = [[0x100, 'AT_SYMLINK_NOFOLLOW'], [0x200, 'AT_REMOVEDIR'], [0x400, 'AT_SYMLINK_FOLLOW'], [0x800, 'AT_NO_AUTOMOUNT'], [0x1000, 'AT_EMPTY_PATH']];
const WHENCE = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE'];
const FADVICE = ['POSIX_FADV_NORMAL', 'POSIX_FADV_RANDOM', 'POSIX_FADV_SEQUENTIAL', 'POSIX_FADV_WILLNEED', 'POSIX_FADV_DONTNEED', 'POSIX_FADV_NOREUSE'];
const CLOCKS = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];
const SIGHOW = ['SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK'];
const FCNTL: Readonly<Record<number, string>> = { 0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL', 5: 'F_GETLK', 6: 'F_SETLK', 7: 'F_SETLKW', 12: 'F_GETLK64', 13: 'F_SETLK64', 14: 'F_SETLKW64', 36: 'F_OFD_GETLK', 37: 'F_OFD_SETLK', 38: 'F_OFD_SETLKW', 1030: 'F_DUPFD_CLOEXEC' };
const EPOLL_EVENTS: FlagTable = [
  [0x1, 'EPOLLIN'], [0x2, 'EPOLLPRI'], [0x4, 'EPOLLOUT'], [0x8, 'EPOLLERR'], [0x10, 'EPOLLHUP'], [0x20, 'EPOLLNVAL'],
  [0x40, 'EPOLLRDNORM'], [0x80, 'EPOLLRDBAND'], [0x100, 'EPOLLWRNORM'], [0x200, 'EPOLLWRBAND'], [0x400, 'EPOLLMSG'],
  [0x2000, 'EPOLLRDHUP'], [1 << 28, 'EPOLLEXCLUSIVE'], [1 << 29, 'EPOLLWAKEUP'], [1 << 30, 'EPOLLONESHOT'], [0x80000000, 'EPOLLET'],
];
const EPOLL_OPS = ['', 'EPOLL_CTL_ADD', 'EPOLL_CTL_DEL', 'EPOLL_CTL_MOD'];
const CLOEXEC_NONBLOCK = (prefix: string): FlagTable => [[0o2000000, `${prefix}_CLOEXEC`], [0o4000, `${prefix}_NONBLOCK`]];
const EFD_FLAGS: FlagTable = [[1, 'EFD_SEMAPHORE'], ...CLOEXEC_NONBLOCK('EFD')];
const TFD_FLAGS = CLOEXEC_NONBLOCK('TFD');
const SFD_FLAGS = CLOEXEC_NONBLOCK('SFD');
const TIMER_ABSTIME = 1;
const TFD_SETTIME_FLAGS: FlagTable = [[1, 'TFD_TIMER_ABSTIME'], [2, 'TFD_TIMER_CANCEL_ON_SET']];
const IOCTL: Readonly<Record<number, string>> = { 0x5401: 'TCGETS', 0x5402: 'TCSETS', 0x5413: 'TIOCGWINSZ', 0x541b: 'FIONREAD', 0x5421: 'FIONBIO', 0x5450: 'FIONCLEX', 0x5451: 'FIOCLEX' };

/** C's %#x: 0 stays "0". */
/** A 32-bit value (or i386's negative one) as before; an x86-64 one beyond 32 bits as its 64 bits. */
const hex = (v: number): string => (v === 0 ? '0' : `0x${(v >= -0x8000_0000 && v < 0x1_0000_0000 ? v >>> 0 : BigInt.asUintN(64, BigInt(v))).toString(16)}`);

function flags(v: number, table: FlagTable, zero: string): string {
  const parts: string[] = [];
  let rest = v >>> 0;
  for (const [bit, name] of table) {
    if ((rest & bit) === bit) {
      parts.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) parts.push(hex(rest));
  return parts.length ? parts.join('|') : zero;
}

function openFlags(v: number): string {
  const access = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][v & 3];
  const rest = flags(v & ~3, O_FLAGS, '');
  return rest ? `${access}|${rest}` : access;
}

/** strace's quoting: C escapes, octal for other unprintables, `...` after the limit. */
export function quoteBytes(bytes: Uint8Array, truncated: boolean): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x0a) s += '\\n';
    else if (b === 0x09) s += '\\t';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x0b) s += '\\v';
    else if (b === 0x0c) s += '\\f';
    else if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(8)}`;
  }
  return s + '"' + (truncated ? '...' : '');
}

function guestBytes(p: LinuxProcess, addr: number, len: number, forceHex = false): string {
  if (addr === 0) return 'NULL';
  try {
    const n = Math.max(0, Math.min(len, STRACE_STRING_MAX));
    const bytes = p.mem.readBytes(addr, n);
    if (forceHex) return `"${Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"${len > n ? '...' : ''}`;
    return quoteBytes(bytes, len > n);
  } catch {
    return hex(addr);
  }
}

function guestString(p: LinuxProcess, addr: number): string {
  if (addr === 0) return 'NULL';
  try {
    const bytes: number[] = [];
    for (let a = addr; bytes.length <= STRACE_STRING_MAX; a++) {
      const b = p.mem.read8(a);
      if (b === 0) break;
      bytes.push(b);
    }
    const truncated = bytes.length > STRACE_STRING_MAX;
    return quoteBytes(Uint8Array.from(bytes.slice(0, STRACE_STRING_MAX)), truncated);
  } catch {
    return hex(addr);
  }
}

/** strace's `[{iov_base="...", iov_len=N}, ...]`; `budget` bytes of data are shown in all. */
function iovecs(p: LinuxProcess, addr: number, count: number, budget: number): string {
  try {
    const parts: string[] = [];
    const w = p.abi === 'x86_64' ? 8 : 4;
    for (let i = 0; i < Math.min(count, 1024); i++) {
      const v = new DataView(p.mem.readBytes(addr + 2 * w * i, 2 * w).buffer);
      const [base, len] = [wordAt(v, 0, w), wordAt(v, w, w)];
      parts.push(`{iov_base=${guestBytes(p, base, Math.min(len, budget))}, iov_len=${len}}`);
      budget = Math.max(0, budget - len);
    }
    return `[${parts.join(', ')}]`;
  } catch {
    return hex(addr);
  }
}

/** strace's signal set: names without "SIG", or ~[the missing ones] when more than half are in. */
export function sigsetText(set: bigint): string {
  const inSet: string[] = [];
  const outSet: string[] = [];
  for (let sig = 1; sig <= 64; sig++) (set & (1n << BigInt(sig - 1)) ? inSet : outSet).push(signalName(sig).replace(/^SIG/, ''));
  return inSet.length > 32 ? `~[${outSet.join(' ')}]` : `[${inSet.join(' ')}]`;
}

function guestSigset(p: LinuxProcess, addr: number): string {
  if (addr === 0) return 'NULL';
  try {
    return sigsetText(BigInt(p.mem.read32(addr)) | (BigInt(p.mem.read32(addr + 4)) << 32n));
  } catch {
    return hex(addr);
  }
}

function guestSigaction(p: LinuxProcess, addr: number): string {
  if (addr === 0) return 'NULL';
  try {
    // handler, flags, restorer: 4-byte words (i386) or 8-byte ones (x86-64; sa_flags read as its low half)
    const w = p.abi === 'x86_64' ? 8 : 4;
    const v = new DataView(p.mem.readBytes(addr, 3 * w).buffer);
    const [handler, saFlags, restorer] = [wordAt(v, 0, w), v.getUint32(w, true), wordAt(v, 2 * w, w)];
    const name = handler === 0 ? 'SIG_DFL' : handler === 1 ? 'SIG_IGN' : hex(handler);
    const tail = saFlags & 0x04000000 ? `, sa_restorer=${hex(restorer)}` : '';
    return `{sa_handler=${name}, sa_mask=${guestSigset(p, addr + 3 * w)}, sa_flags=${flags(saFlags, SA_FLAGS, '0')}${tail}}`;
  } catch {
    return hex(addr);
  }
}

/** A guest structure, or its address when it cannot be read. */
/** {events=EPOLLIN, data={u32=N, u64=N}} from a packed struct epoll_event at `off`. */
function epollEventText(d: DataView, off: number): string {
  return `{events=${flags(d.getUint32(off, true), EPOLL_EVENTS, '0')}, data={u32=${d.getUint32(off + 4, true)}, u64=${d.getBigUint64(off + 4, true)}}}`;
}

/** struct itimerspec: {it_interval={...}, it_value={...}} with 32- or 64-bit timespecs. */
function itimerspecText(d: DataView, wide: boolean): string {
  const ts = (off: number): string =>
    wide ? `{tv_sec=${d.getBigInt64(off, true)}, tv_nsec=${d.getBigInt64(off + 8, true)}}` : `{tv_sec=${d.getInt32(off, true)}, tv_nsec=${d.getInt32(off + 4, true)}}`;
  return `{it_interval=${ts(0)}, it_value=${ts(wide ? 16 : 8)}}`;
}

function guestStruct(p: LinuxProcess, addr: number, size: number, show: (v: DataView) => string): string {
  if (addr === 0) return 'NULL';
  try {
    const raw = p.mem.readBytes(addr, size);
    return show(new DataView(raw.buffer, raw.byteOffset, raw.byteLength));
  } catch {
    return hex(addr);
  }
}

/** rlimit values: RLIM_INFINITY, N*1024 for multiples of 1024, else decimal. */
function rlimValue(v: bigint, infinity: bigint, infName: string): string {
  if (v === infinity) return infName;
  return v !== 0n && v % 1024n === 0n ? `${v / 1024n}*1024` : `${v}`;
}

const S_IFMT_MASK = 0o170000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFMT: Readonly<Record<number, string>> = { 0o140000: 'S_IFSOCK', 0o120000: 'S_IFLNK', 0o100000: 'S_IFREG', 0o060000: 'S_IFBLK', 0o040000: 'S_IFDIR', 0o020000: 'S_IFCHR', 0o010000: 'S_IFIFO' };
const MODE_BITS: FlagTable = [[0o4000, 'S_ISUID'], [0o2000, 'S_ISGID'], [0o1000, 'S_ISVTX']];
/** st_mode as strace prints it: S_IFREG|0644, S_IFDIR|S_ISVTX|0777. */
function modeText(mode: number): string {
  const special = flags(mode & 0o7000, MODE_BITS, '');
  return [S_IFMT[mode & 0o170000] ?? `0${(mode & 0o170000).toString(8)}`, special, `0${(mode & 0o777).toString(8).padStart(3, '0')}`].filter((x) => x).join('|');
}
const isDevice = (mode: number): boolean => (mode & 0o170000) === 0o020000 || (mode & 0o170000) === 0o060000;

/** stat64 shows a device's st_rdev where a file shows st_size; statx always shows stx_size. */
function statText(mode: number, size: bigint, rdevMajor: number, rdevMinor: number, prefix: 'st_' | 'stx_'): string {
  const middle = prefix === 'st_' && isDevice(mode) ? `${prefix}rdev=makedev(${hex(rdevMajor)}, ${hex(rdevMinor)})` : `${prefix}size=${size}`;
  return `${prefix}mode=${modeText(mode)}, ${middle}, ...`;
}

/** One argument as strace shows it; undefined when strace leaves it out. */
function formatArg(p: LinuxProcess, kind: StraceArg, args: SyscallArgs, i: number, ret: number | undefined): string | undefined {
  const v = args[i];
  switch (kind) {
    case 'd':
      return `${v | 0}`;
    case 'ld':
      return `${v}`;
    case 'u':
      return v < 0 ? `${BigInt.asUintN(64, BigInt(v))}` : `${v}`;
    case 'x':
      return hex(v);
    case 'p':
      return v === 0 ? 'NULL' : hex(v);
    case 'o':
      return `0${v.toString(8)}`;
    case 'fd':
      return `${v | 0}`;
    case 'dirfd':
      return (v | 0) === AT_FDCWD ? 'AT_FDCWD' : `${v | 0}`;
    case 'path':
      return guestString(p, v);
    case 'in':
      return guestBytes(p, v, args[i + 1]);
    case 'outstr':
      return ret !== undefined && ret >= 0 ? guestString(p, v) : hex(v);
    case 'out':
      return ret !== undefined && ret >= 0 ? guestBytes(p, v, ret) : v === 0 ? 'NULL' : hex(v);
    case 'oflags':
      return openFlags(v);
    case 'cmode':
      return args[i - 1] & O_CREAT_OR_TMPFILE ? `0${v.toString(8)}` : undefined;
    case 'fmode':
      return v & S_IFMT_MASK ? modeText(v & 0xffff) : `0${(v & 0o7777).toString(8)}`;
    case 'fdev': {
      const type = args[i - 1] & S_IFMT_MASK;
      // new_decode_dev: major in bits 8-19, minor in 0-7 and 20-31
      return type === S_IFCHR || type === S_IFBLK ? `makedev(${hex((v >>> 8) & 0xfff)}, ${hex((v & 0xff) | ((v >>> 12) & 0xfff00))})` : undefined;
    }
    case 'iovin':
      return iovecs(p, v, args[i + 1], Number.MAX_SAFE_INTEGER);
    case 'iovout':
      return ret !== undefined && ret >= 0 ? iovecs(p, v, args[i + 1], ret) : hex(v);
    case 'rndout':
      return ret !== undefined && ret >= 0 ? guestBytes(p, v, ret, true) : hex(v);
    case 'off64':
      return `${(v | 0) * 0x1_0000_0000 + args[i + 1]}`;
    case 'off64le':
      return `${(args[i + 1] | 0) * 0x1_0000_0000 + v}`;
    case 'skip':
      return undefined;
    case 'loffout':
      if (ret !== 0) return hex(v);
      try {
        return `[${p.mem.read32(v) + (p.mem.read32(v + 4) | 0) * 0x1_0000_0000}]`;
      } catch {
        return hex(v);
      }
    case 'fcntlarg': {
      const cmd = args[i - 1];
      if (cmd === F_GETFD || cmd === F_GETFL) return undefined;
      if (cmd === F_SETFD) return v & 1 ? 'FD_CLOEXEC' : '0';
      if (cmd === F_SETFL) return openFlags(v);
      return cmd === 0 || cmd === 1030 ? `${v | 0}` : hex(v);
    }
    case 'grndflags':
      return flags(v, GRND_FLAGS, '0');
    case 'statxflags': {
      const rest = flags(v & ~0x6000, AT_FLAGS, '');
      return STATX_SYNC[(v >>> 13) & 3] + (rest ? `|${rest}` : '');
    }
    case 'statxmask':
      return flags(v, STATX_MASK, '0');
    case 'sigset':
      return guestSigset(p, v);
    case 'osigset':
      return ret === 0 ? guestSigset(p, v) : v === 0 ? 'NULL' : hex(v);
    case 'sigaction':
      return guestSigaction(p, v);
    case 'osigaction':
      return ret === 0 ? guestSigaction(p, v) : v === 0 ? 'NULL' : hex(v);
    case 'restoredmask':
      return `{mask=${sigsetText(p.signals.blocked)}}`;
    case 'rlim32out':
      return ret !== 0 ? hex(v) : guestStruct(p, v, 8, (d) => `{rlim_cur=${rlimValue(BigInt(d.getUint32(0, true)), 0xffffffffn, 'RLIM_INFINITY')}, rlim_max=${rlimValue(BigInt(d.getUint32(4, true)), 0xffffffffn, 'RLIM_INFINITY')}}`);
    case 'rlim64in':
    case 'rlim64out':
      if (kind === 'rlim64out' && ret !== 0) return v === 0 ? 'NULL' : hex(v);
      return guestStruct(p, v, 16, (d) => `{rlim_cur=${rlimValue(d.getBigUint64(0, true), RLIM_INFINITY, 'RLIM64_INFINITY')}, rlim_max=${rlimValue(d.getBigUint64(8, true), RLIM_INFINITY, 'RLIM64_INFINITY')}}`);
    case 'stat64out': {
      if (ret !== 0) return hex(v);
      // struct stat64 (i386) or x86-64's struct stat: mode, rdev and size at their offsets
      const [size, mode, rdev, stSize] = p.abi === 'x86_64' ? [144, 24, 40, 48] : [96, 16, 32, 44];
      return guestStruct(p, v, size, (d) => {
        const dev = d.getBigUint64(rdev, true);
        return `{${statText(d.getUint32(mode, true), d.getBigInt64(stSize, true), devMajor(dev), devMinor(dev), 'st_')}}`;
      });
    }
    case 'statxout':
      if (ret !== 0) return hex(v);
      return guestStruct(p, v, 256, (d) => {
        const rest = statText(d.getUint16(28, true), d.getBigUint64(40, true), d.getUint32(128, true), d.getUint32(132, true), 'stx_');
        return `{stx_mask=${flags(d.getUint32(0, true), STATX_MASK, '0')}, stx_attributes=${d.getBigUint64(8, true) === 0n ? '0' : `0x${d.getBigUint64(8, true).toString(16)}`}, ${rest}}`;
      });
    case 'ts32in':
    case 'ts32out':
      if (kind === 'ts32out' && ret !== 0) return v === 0 ? 'NULL' : hex(v);
      return guestStruct(p, v, 8, (d) => `{tv_sec=${d.getInt32(0, true)}, tv_nsec=${d.getInt32(4, true)}}`);
    case 'ts64in':
    case 'ts64out':
      if (kind === 'ts64out' && ret !== 0) return v === 0 ? 'NULL' : hex(v);
      return guestStruct(p, v, 16, (d) => `{tv_sec=${d.getBigInt64(0, true)}, tv_nsec=${d.getBigInt64(8, true)}}`);
    case 'its32in':
    case 'its32out':
    case 'its64in':
    case 'its64out': {
      if ((kind === 'its32out' || kind === 'its64out') && ret !== 0) return v === 0 ? 'NULL' : hex(v);
      const wide = kind.startsWith('its64');
      return guestStruct(p, v, wide ? 32 : 16, (d) => itimerspecText(d, wide));
    }
    case 'epollevent':
      return guestStruct(p, v, 12, (d) => epollEventText(d, 0));
    case 'epollevents':
      if (ret === undefined || ret < 0) return hex(v);
      return guestStruct(p, v, 12 * ret, (d) => `[${Array.from({ length: ret }, (_, k) => epollEventText(d, 12 * k)).join(', ')}]`);
    case 'epollop':
      return EPOLL_OPS[v] || `${v}`;
    case 'epollflags':
      return flags(v, CLOEXEC_NONBLOCK('EPOLL').slice(0, 1), '0');
    case 'efdflags':
      return flags(v, EFD_FLAGS, '0');
    case 'inflags':
      return flags(v, CLOEXEC_NONBLOCK('IN'), '0');
    case 'tfdflags':
      return flags(v, TFD_FLAGS, '0');
    case 'tfdsetflags':
      return flags(v, TFD_SETTIME_FLAGS, '0');
    case 'timerflags': {
      // strace names an unknown bit with a comment: 0x2 /* TIMER_??? */
      const rest = (v & ~TIMER_ABSTIME) >>> 0;
      const unknown = rest ? `${hex(rest)} /* TIMER_??? */` : '';
      return [v & TIMER_ABSTIME ? 'TIMER_ABSTIME' : '', unknown].filter(Boolean).join('|') || '0';
    }
    case 'sfdflags':
      return flags(v, SFD_FLAGS, '0');
    case 'udesc':
      return guestStruct(p, v, 16, (d) => {
        const f = d.getUint32(12, true);
        const bit = (n: number, w = 1): number => (f >>> n) & ((1 << w) - 1);
        const limit = `0x${d.getUint32(8, true).toString(16).padStart(6, '0')}`;
        return `{entry_number=${d.getInt32(0, true)}, base_addr=${hex(d.getUint32(4, true))}, limit=${limit}, seg_32bit=${bit(0)}, contents=${bit(1, 2)}, read_exec_only=${bit(3)}, limit_in_pages=${bit(4)}, seg_not_present=${bit(5)}, useable=${bit(6)}}`;
      });
    case 'rlimres':
      return RLIMIT_NAMES[v] ? `RLIMIT_${RLIMIT_NAMES[v]}` : `${v}`;
    case 'amode':
      return flags(v, ACCESS_MODES, 'F_OK');
    case 'pgoff':
      return v === 0 ? '0' : `0x${(v * 4096).toString(16)}`;
    case 'mremapflags':
      return flags(v, MREMAP_FLAGS, '0');
    case 'prot':
      return flags(v, PROT_FLAGS, 'PROT_NONE');
    case 'mapflags':
      return flags(v, MAP_FLAGS, '0');
    case 'atflags':
      return flags(v, AT_FLAGS, '0');
    case 'renameflags':
      return flags(v, RENAME_FLAGS, '0');
    case 'whence':
      return WHENCE[v] ?? `${v}`;
    case 'fadvice':
      return FADVICE[v] ?? `${v | 0}`;
    case 'clock':
      return CLOCKS[v] ?? `${v | 0}`;
    case 'sig':
      return v === 0 ? '0' : signalName(v);
    case 'sighow':
      return SIGHOW[v] ?? `${v}`;
    case 'fcntl':
      return FCNTL[v] ?? `${v}`;
    case 'ioctl':
      return IOCTL[v] ?? hex(v);
  }
}

function formatResult(kind: StraceRet, ret: number | undefined, args: SyscallArgs): string {
  if (ret === undefined || kind === 'none') return '?';
  if (ret < 0 && ret > -4096) {
    const msg = errnoMessage(-ret);
    // a restarted call returned nothing yet
    return `${ret === -ERESTARTSYS ? '?' : '-1'} ${errnoName(-ret)}${msg ? ` (${msg})` : ''}`;
  }
  if (kind === 'fcntl' && args[1] === F_GETFL) return `${hex(ret)} (flags ${openFlags(ret)})`;
  if (kind === 'fcntl' && args[1] === F_GETFD && ret !== 0) return `${hex(ret)} (flags FD_CLOEXEC)`;
  if (kind === 'x') return hex(ret);
  if (kind === 'o') return `0${ret.toString(8)}`;
  return `${ret}`;
}

/** One strace line; `ret` undefined when the call did not return (exit). */
/** The input arguments, decoded as the call is entered (outputs stay undefined until it returns). */
export function formatStraceInputs(p: LinuxProcess, row: SyscallRow, args: SyscallArgs): Array<string | undefined> {
  return row.strace.map((kind, i) => (OUTPUT_KINDS.has(kind) ? undefined : formatArg(p, kind, args, i, undefined)));
}

/** One strace line from the inputs decoded at entry; `ret` undefined when the call did not return (exit). */
export function formatStraceLine(p: LinuxProcess, row: SyscallRow, args: SyscallArgs, inputs: Array<string | undefined>, ret: number | undefined): string {
  const parts = row.strace.map((kind, i) => (OUTPUT_KINDS.has(kind) ? formatArg(p, kind, args, i, ret) : inputs[i])).filter((x) => x !== undefined);
  let result = formatResult(row.ret, ret, args);
  // strace reports the entry set_thread_area chose when it was asked to pick one
  if (row.ret === 'tls' && ret === 0 && inputs[0]?.startsWith('{entry_number=-1,')) result += ` (entry_number=${p.mem.read32(args[0])})`;
  return `${row.name}(${parts.join(', ')}) = ${result}`;
}

/** An unimplemented call, as strace prints an unknown one: raw hex arguments. */
export function formatUnknownSyscall(nr: number, name: string, args: SyscallArgs, ret: number): string {
  return `${name}(${Array.from(args.subarray(0, 6), hex).join(', ')}) = ${formatResult('d', ret, args)} (unimplemented, nr ${nr})`;
}

/** A signal reaching the process: `--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---`. */
export function formatSignalLine(sig: number, info: SigInfo): string {
  const name = signalName(sig);
  const detail = info.addr !== undefined ? `si_addr=${info.addr === 0 ? 'NULL' : hex(info.addr)}` : `si_pid=${info.pid ?? 0}, si_uid=${info.uid ?? 0}`;
  return `--- ${name} {si_signo=${name}, si_code=${siCodeName(sig, info.code)}, ${detail}} ---`;
}

/** The end of the process: `+++ exited with 3 +++` or `+++ killed by SIGSEGV +++`. */
export function formatExitLine(status: number, signal: number | undefined): string {
  return signal === undefined ? `+++ exited with ${status} +++` : `+++ killed by ${signalName(signal)} +++`;
}
