/**
 * The i386 system calls this machine implements, one row each: number, name, arity,
 * handler and how strace prints it. The dispatcher (LinuxProcess.doSyscall) and the strace
 * printer both read this table; a number without a row is ENOSYS, reported once.
 * Handlers take the six argument registers (ebx ecx edx esi edi ebp) as unsigned words and
 * return the result or -errno; a thrown MemoryFault becomes -EFAULT, a Node.js system error
 * its errno.
 */
import type { LinuxProcess } from './process';
import type { StraceArg, StraceRet } from './strace';
import { I386_SYSCALL_NAMES } from './syscall-names';
import * as fs from './syscalls/fs';
import * as futex from './syscalls/futex';
import * as io from './syscalls/io';
import * as mem from './syscalls/memory';
import * as proc from './syscalls/process';
import * as sig from './syscalls/signals';
import * as time from './syscalls/time';

export { NO_RESULT } from './syscall-result';

export type SyscallHandler = (p: LinuxProcess, args: Uint32Array) => number;

export interface SyscallRow {
  nr: number;
  name: string;
  arity: number;
  handler: SyscallHandler;
  /** One entry per argument: how strace decodes it. */
  strace: readonly StraceArg[];
  ret: StraceRet;
}

/** A row; arity is the number of strace kinds unless strace prints fewer than the call takes. */
function sys(name: string, handler: SyscallHandler, strace: readonly StraceArg[], ret: StraceRet = 'd', arity = strace.length): SyscallRow {
  const nr = I386_SYSCALL_NAMES.indexOf(name);
  if (nr < 0) throw new Error(`syscall table: no i386 system call named ${name}`);
  return { nr, name, arity, handler, strace, ret };
}

export const SYSCALLS_I386: readonly SyscallRow[] = [
  // files and descriptors
  sys('read', io.sysRead, ['fd', 'out', 'u']),
  sys('write', io.sysWrite, ['fd', 'in', 'u']),
  sys('open', io.sysOpen, ['path', 'oflags', 'cmode']),
  sys('openat', io.sysOpenat, ['dirfd', 'path', 'oflags', 'cmode']),
  sys('creat', io.sysCreat, ['path', 'o']),
  sys('close', io.sysClose, ['fd']),
  sys('readv', io.sysReadv, ['fd', 'iovout', 'u']),
  sys('writev', io.sysWritev, ['fd', 'iovin', 'u']),
  sys('pread64', io.sysPread64, ['fd', 'out', 'u', 'off64le', 'skip']),
  sys('pwrite64', io.sysPwrite64, ['fd', 'in', 'u', 'off64le', 'skip']),
  sys('lseek', io.sysLseek, ['fd', 'd', 'whence']),
  sys('_llseek', io.sysLlseek, ['fd', 'off64', 'skip', 'loffout', 'whence']),
  sys('dup', io.sysDup, ['fd']),
  sys('dup2', io.sysDup2, ['fd', 'fd']),
  sys('dup3', io.sysDup3, ['fd', 'fd', 'oflags']),
  sys('pipe', io.sysPipe, ['p']),
  sys('pipe2', io.sysPipe2, ['p', 'oflags']),
  sys('fcntl64', io.sysFcntl64, ['fd', 'fcntl', 'fcntlarg'], 'fcntl'),
  sys('ioctl', io.sysIoctl, ['fd', 'ioctl', 'p']),
  // file system
  sys('stat64', fs.sysStat64, ['path', 'stat64out']),
  sys('lstat64', fs.sysLstat64, ['path', 'stat64out']),
  sys('fstat64', fs.sysFstat64, ['fd', 'stat64out']),
  sys('fstatat64', fs.sysFstatat64, ['dirfd', 'path', 'stat64out', 'atflags']),
  sys('statx', fs.sysStatx, ['dirfd', 'path', 'statxflags', 'statxmask', 'statxout']),
  sys('access', fs.sysAccess, ['path', 'amode']),
  sys('faccessat', fs.sysFaccessat, ['dirfd', 'path', 'amode']),
  sys('faccessat2', fs.sysFaccessat2, ['dirfd', 'path', 'amode', 'atflags']),
  sys('readlink', fs.sysReadlink, ['path', 'out', 'u']),
  sys('readlinkat', fs.sysReadlinkat, ['dirfd', 'path', 'out', 'u']),
  sys('getcwd', fs.sysGetcwd, ['outstr', 'u']),
  sys('chdir', fs.sysChdir, ['path']),
  sys('fchdir', fs.sysFchdir, ['fd']),
  sys('unlink', fs.sysUnlink, ['path']),
  sys('unlinkat', fs.sysUnlinkat, ['dirfd', 'path', 'atflags']),
  sys('rename', fs.sysRename, ['path', 'path']),
  sys('renameat', fs.sysRenameat, ['dirfd', 'path', 'dirfd', 'path']),
  sys('mkdir', fs.sysMkdir, ['path', 'o']),
  sys('mkdirat', fs.sysMkdirat, ['dirfd', 'path', 'o']),
  sys('rmdir', fs.sysRmdir, ['path']),
  sys('umask', fs.sysUmask, ['o'], 'o'),
  sys('ftruncate64', fs.sysFtruncate64, ['fd', 'off64le', 'skip']),
  sys('getdents64', fs.sysGetdents64, ['fd', 'p', 'u']),
  // memory
  sys('brk', mem.sysBrk, ['p'], 'x'),
  sys('mmap', mem.sysOldMmap, ['p'], 'x'),
  sys('mmap2', mem.sysMmap2, ['p', 'u', 'prot', 'mapflags', 'fd', 'pgoff'], 'x'),
  sys('munmap', mem.sysMunmap, ['p', 'u']),
  sys('mprotect', mem.sysMprotect, ['p', 'u', 'prot']),
  // strace shows new_address only with MREMAP_FIXED
  sys('mremap', mem.sysMremap, ['p', 'u', 'u', 'mremapflags'], 'x', 5),
  sys('madvise', mem.sysMadvise, ['p', 'u', 'd']),
  // process and identity
  sys('exit', proc.sysExit, ['d'], 'none'),
  sys('exit_group', proc.sysExit, ['d'], 'none'),
  sys('getpid', proc.sysGetpid, []),
  sys('getppid', proc.sysGetppid, []),
  sys('gettid', proc.sysGetpid, []),
  sys('getuid', proc.sysGetuid, []),
  sys('geteuid', proc.sysGeteuid, []),
  sys('getgid', proc.sysGetgid, []),
  sys('getegid', proc.sysGetegid, []),
  sys('getuid32', proc.sysGetuid, []),
  sys('geteuid32', proc.sysGeteuid, []),
  sys('getgid32', proc.sysGetgid, []),
  sys('getegid32', proc.sysGetegid, []),
  sys('getresuid32', proc.sysGetresuid, ['p', 'p', 'p']),
  sys('getresgid32', proc.sysGetresgid, ['p', 'p', 'p']),
  sys('getgroups32', proc.sysGetgroups, ['d', 'p']),
  sys('uname', proc.sysUname, ['p']),
  sys('set_thread_area', proc.sysSetThreadArea, ['udesc'], 'tls'),
  sys('set_tid_address', proc.sysSetTidAddress, ['p']),
  sys('futex', futex.sysFutex, ['p', 'x', 'd', 'p', 'p', 'd']),
  sys('futex_time64', futex.sysFutexTime64, ['p', 'x', 'd', 'p', 'p', 'd']),
  sys('set_robust_list', proc.sysSetRobustList, ['p', 'u']),
  sys('rseq', proc.sysRseq, ['p', 'x', 'd', 'x']),
  sys('prlimit64', proc.sysPrlimit64, ['d', 'rlimres', 'rlim64in', 'rlim64out']),
  sys('ugetrlimit', proc.sysUgetrlimit, ['rlimres', 'rlim32out']),
  sys('getrlimit', proc.sysOldGetrlimit, ['rlimres', 'rlim32out']),
  sys('getrandom', proc.sysGetrandom, ['rndout', 'u', 'grndflags']),
  sys('sysinfo', proc.sysSysinfo, ['p']),
  // time
  sys('clock_gettime', time.sysClockGettime, ['clock', 'ts32out']),
  sys('clock_gettime64', time.sysClockGettime64, ['clock', 'ts64out']),
  sys('clock_getres', time.sysClockGetres, ['clock', 'ts32out']),
  sys('clock_getres_time64', time.sysClockGetres64, ['clock', 'ts64out']),
  sys('gettimeofday', time.sysGettimeofday, ['p', 'p']),
  sys('time', time.sysTime, ['p']),
  sys('nanosleep', time.sysNanosleep, ['ts32in', 'ts32out']),
  sys('clock_nanosleep', time.sysClockNanosleep, ['clock', 'd', 'ts32in', 'ts32out']),
  sys('clock_nanosleep_time64', time.sysClockNanosleep64, ['clock', 'd', 'ts64in', 'ts64out']),
  sys('sched_yield', time.sysSchedYield, []),
  // signals
  sys('rt_sigaction', sig.sysRtSigaction, ['sig', 'sigaction', 'osigaction', 'u']),
  sys('rt_sigprocmask', sig.sysRtSigprocmask, ['sighow', 'sigset', 'osigset', 'u']),
  sys('rt_sigpending', sig.sysRtSigpending, ['osigset', 'u']),
  sys('rt_sigsuspend', sig.sysRtSigsuspend, ['sigset', 'u']),
  sys('pause', sig.sysPause, []),
  sys('sigaltstack', sig.sysSigaltstack, ['p', 'p']),
  sys('kill', sig.sysKill, ['d', 'sig']),
  sys('tkill', sig.sysTkill, ['d', 'sig']),
  sys('tgkill', sig.sysTgkill, ['d', 'd', 'sig']),
  sys('sigreturn', sig.sysSigreturn, ['restoredmask'], 'd', 0),
  sys('rt_sigreturn', sig.sysRtSigreturn, ['restoredmask'], 'd', 0),
];

/** The rows indexed by number (undefined: not implemented). */
export const SYSCALL_TABLE: ReadonlyArray<SyscallRow | undefined> = (() => {
  const table: Array<SyscallRow | undefined> = new Array(I386_SYSCALL_NAMES.length);
  for (const row of SYSCALLS_I386) {
    if (table[row.nr]) throw new Error(`syscall table: ${row.name} declared twice`);
    table[row.nr] = row;
  }
  return table;
})();

/** The kernel's name for a number, implemented or not. */
export function syscallName(nr: number): string {
  return I386_SYSCALL_NAMES[nr] || `syscall_${nr}`;
}
