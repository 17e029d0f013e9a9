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
import * as futex2 from './syscalls/futex2';
import * as io from './syscalls/io';
import * as mem from './syscalls/memory';
import * as exec from './syscalls/exec';
import * as fork from './syscalls/fork';
import * as proc from './syscalls/process';
import * as tree from './syscalls/process-tree';
import * as wait from './syscalls/wait';
import * as sig from './syscalls/signals';
import * as time from './syscalls/time';
import * as timeSet from './syscalls/time-set';
import * as meta from './syscalls/fs-meta';
import * as statc from './syscalls/stat-calls';
import * as ident from './syscalls/identity';
import * as poll from './syscalls/poll';
import * as timers from './syscalls/timers';
import * as sock from './syscalls/socket';
import * as epoll from './syscalls/epoll';
import * as efd from './syscalls/eventfd';
import * as memfd from './syscalls/memfd';
import * as inotify from './syscalls/inotify';
import * as tfd from './syscalls/timerfd';
import * as sfd from './syscalls/signalfd';
import * as ipc from './syscalls/ipc';
import * as shm from './syscalls/shm';
import * as sem from './syscalls/sem';
import * as msg from './syscalls/msg';
import * as mq from './syscalls/mqueue';
import * as pass from './syscalls/host-pass';
import * as xattr from './syscalls/xattr';
import * as pidfd from './syscalls/pidfd';
import * as sched from './syscalls/sched';
import * as ioprio from './syscalls/ioprio';
import * as locks from './syscalls/locks';
import { sysMembarrier } from './syscalls/membarrier';
import { sysOpenat2 } from './syscalls/openat2';
import { sysVmsplice } from './syscalls/vmsplice';
import { sysVhangup } from './syscalls/vhangup';
import { sysSyslog } from './syscalls/syslog';
import * as robust from './syscalls/robust-list';
import * as adjtime from './syscalls/adjtimex';
import type { SyscallArgs } from './syscall-args';

export { NO_RESULT } from './syscall-result';

export type SyscallHandler = (p: LinuxProcess, args: SyscallArgs) => number;

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
  sys('openat2', sysOpenat2, ['dirfd', 'path', 'p', 'u']),
  sys('creat', io.sysCreat, ['path', 'o']),
  sys('close', io.sysClose, ['fd']),
  sys('readv', io.sysReadv, ['fd', 'iovout', 'u']),
  sys('writev', io.sysWritev, ['fd', 'iovin', 'u']),
  sys('pread64', io.sysPread64, ['fd', 'out', 'u', 'off64le', 'skip']),
  sys('pwrite64', io.sysPwrite64, ['fd', 'in', 'u', 'off64le', 'skip']),
  sys('preadv', io.sysPreadv, ['fd', 'iovout', 'u', 'off64le', 'skip']),
  sys('pwritev', io.sysPwritev, ['fd', 'iovin', 'u', 'off64le', 'skip']),
  sys('preadv2', io.sysPreadv2, ['fd', 'iovout', 'u', 'off64le', 'skip', 'x']),
  sys('pwritev2', io.sysPwritev2, ['fd', 'iovin', 'u', 'off64le', 'skip', 'x']),
  sys('lseek', io.sysLseek, ['fd', 'd', 'whence']),
  sys('_llseek', io.sysLlseek, ['fd', 'off64', 'skip', 'loffout', 'whence']),
  sys('dup', io.sysDup, ['fd']),
  sys('dup2', io.sysDup2, ['fd', 'fd']),
  sys('dup3', io.sysDup3, ['fd', 'fd', 'oflags']),
  sys('pipe', io.sysPipe, ['p']),
  sys('pipe2', io.sysPipe2, ['p', 'oflags']),
  sys('fcntl64', io.sysFcntl64, ['fd', 'fcntl', 'fcntlarg'], 'fcntl'),
  // under a 64-bit kernel i386's fcntl is compat fcntl64 (F_GETLK64 and the rest included)
  sys('fcntl', io.sysFcntl64, ['fd', 'fcntl', 'fcntlarg'], 'fcntl'),
  sys('close_range', io.sysCloseRange, ['u', 'u', 'x']),
  sys('ioctl', io.sysIoctl, ['fd', 'ioctl', 'p']),
  // file system
  sys('stat64', statc.STAT64.stat, ['path', 'stat64out']),
  sys('lstat64', statc.STAT64.lstat, ['path', 'stat64out']),
  sys('fstat64', statc.STAT64.fstat, ['fd', 'stat64out']),
  sys('fstatat64', statc.STAT64.fstatat, ['dirfd', 'path', 'stat64out', 'atflags']),
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
  sys('renameat2', fs.sysRenameat2, ['dirfd', 'path', 'dirfd', 'path', 'renameflags']),
  sys('mkdir', fs.sysMkdir, ['path', 'o']),
  sys('mkdirat', fs.sysMkdirat, ['dirfd', 'path', 'o']),
  sys('mknod', fs.sysMknod, ['path', 'fmode', 'fdev']),
  sys('mknodat', fs.sysMknodat, ['dirfd', 'path', 'fmode', 'fdev']),
  sys('rmdir', fs.sysRmdir, ['path']),
  sys('chroot', pass.sysChroot, ['path']),
  sys('acct', pass.sysAcct, ['path']),
  sys('mount', pass.sysMount, ['path', 'path', 'path', 'x', 'p']),
  sys('umount', pass.sysUmount, ['path']),
  sys('pivot_root', pass.sysPivotRoot, ['path', 'path']),
  sys('umount2', pass.sysUmount2, ['path', 'x']),
  sys('swapon', pass.sysSwapon, ['path', 'x']),
  sys('swapoff', pass.sysSwapoff, ['path']),
  sys('name_to_handle_at', pass.sysNameToHandleAt, ['dirfd', 'path', 'p', 'p', 'atflags']),
  sys('open_by_handle_at', pass.sysOpenByHandleAt, ['fd', 'p', 'oflags']),
  sys('umask', fs.sysUmask, ['o'], 'o'),
  sys('ftruncate64', meta.sysFtruncate64, ['fd', 'off64le', 'skip']),
  sys('getdents', fs.sysGetdents, ['fd', 'p', 'u']),
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
  sys('exit', proc.sysExitThread, ['d'], 'none'),
  sys('exit_group', proc.sysExit, ['d'], 'none'),
  sys('getpid', proc.sysGetpid, []),
  sys('getppid', proc.sysGetppid, []),
  sys('gettid', proc.sysGettid, []),
  sys('getuid', ident.sysGetuid16, []),
  sys('geteuid', ident.sysGeteuid16, []),
  sys('getgid', ident.sysGetgid16, []),
  sys('getegid', ident.sysGetegid16, []),
  sys('getresuid', ident.sysGetresuid16, ['p', 'p', 'p']),
  sys('getresgid', ident.sysGetresgid16, ['p', 'p', 'p']),
  sys('getuid32', proc.sysGetuid, []),
  sys('geteuid32', proc.sysGeteuid, []),
  sys('getgid32', proc.sysGetgid, []),
  sys('getegid32', proc.sysGetegid, []),
  sys('getresuid32', proc.sysGetresuid, ['p', 'p', 'p']),
  sys('getresgid32', proc.sysGetresgid, ['p', 'p', 'p']),
  sys('getgroups32', proc.sysGetgroups, ['d', 'p']),
  sys('setgroups32', proc.sysSetgroups, ['d', 'p']),
  sys('getgroups', proc.sysGetgroups16, ['d', 'p']),
  sys('setgroups', proc.sysSetgroups16, ['d', 'p']),
  sys('uname', proc.sysUname, ['p']),
  sys('sethostname', proc.sysSethostname, ['in', 'u']),
  sys('setdomainname', proc.sysSetdomainname, ['in', 'u']),
  sys('set_thread_area', proc.sysSetThreadArea, ['udesc'], 'tls'),
  sys('get_thread_area', proc.sysGetThreadArea, ['p']),
  sys('modify_ldt', proc.sysModifyLdt, ['d', 'p', 'u']),
  sys('set_tid_address', proc.sysSetTidAddress, ['p']),
  sys('futex', futex.sysFutex, ['p', 'x', 'd', 'p', 'p', 'd']),
  sys('futex_time64', futex.sysFutexTime64, ['p', 'x', 'd', 'p', 'p', 'd']),
  sys('futex_wake', futex2.sysFutexWake, ['p', 'x', 'd', 'x']),
  sys('futex_wait', futex2.sysFutexWait, ['p', 'x', 'x', 'x', 'p', 'clock']),
  sys('set_robust_list', robust.sysSetRobustList, ['p', 'u']),
  sys('get_robust_list', robust.sysGetRobustList, ['d', 'p', 'p']),
  sys('rseq', proc.sysRseq, ['p', 'x', 'd', 'x']),
  sys('prlimit64', proc.sysPrlimit64, ['d', 'rlimres', 'rlim64in', 'rlim64out']),
  sys('ugetrlimit', proc.sysUgetrlimit, ['rlimres', 'rlim32out']),
  sys('getrlimit', proc.sysOldGetrlimit, ['rlimres', 'rlim32out']),
  sys('setrlimit', proc.sysSetrlimit, ['rlimres', 'p']),
  sys('getrandom', proc.sysGetrandom, ['rndout', 'u', 'grndflags']),
  sys('sysinfo', proc.sysSysinfo, ['p']),
  // time
  sys('clock_gettime', time.sysClockGettime, ['clock', 'ts32out']),
  sys('clock_gettime64', time.sysClockGettime64, ['clock', 'ts64out']),
  sys('clock_getres', time.sysClockGetres, ['clock', 'ts32out']),
  sys('clock_getres_time64', time.sysClockGetres64, ['clock', 'ts64out']),
  sys('gettimeofday', time.sysGettimeofday, ['p', 'p']),
  sys('time', time.sysTime, ['p']),
  // the setters never change the host's clock: EPERM where the set would happen (time-set.ts)
  sys('settimeofday', timeSet.sysSettimeofday, ['p', 'p']),
  sys('clock_settime', timeSet.sysClockSettime, ['clock', 'ts32in']),
  sys('clock_settime64', timeSet.sysClockSettime64, ['clock', 'ts64in']),
  sys('stime', timeSet.sysStime, ['p']),
  // the NTP state read, never set (adjtimex.ts)
  sys('adjtimex', adjtime.sysAdjtimex, ['p']),
  sys('clock_adjtime', adjtime.sysClockAdjtime, ['clock', 'p']),
  sys('clock_adjtime64', adjtime.sysClockAdjtime64, ['clock', 'p']),
  sys('nanosleep', time.sysNanosleep, ['ts32in', 'ts32out']),
  sys('clock_nanosleep', time.sysClockNanosleep, ['clock', 'd', 'ts32in', 'ts32out']),
  sys('clock_nanosleep_time64', time.sysClockNanosleep64, ['clock', 'd', 'ts64in', 'ts64out']),
  sys('sched_yield', time.sysSchedYield, []),
  sys('getcpu', time.sysGetcpu, ['p', 'p', 'p']),
  // the process tree: creation, exec, waiting, groups, signals between processes
  sys('fork', fork.sysFork, []),
  sys('vfork', fork.sysVfork, []),
  sys('clone', fork.sysClone, ['x', 'p', 'p', 'p', 'p']),
  sys('clone3', fork.sysClone3, ['p', 'u']),
  sys('execve', exec.sysExecve, ['path', 'p', 'p']),
  sys('execveat', exec.sysExecveat, ['dirfd', 'path', 'p', 'p', 'atflags']),
  sys('wait4', wait.sysWait4, ['d', 'p', 'd', 'p']),
  sys('waitpid', wait.sysWaitpid, ['d', 'p', 'd']),
  sys('waitid', wait.sysWaitid, ['d', 'd', 'p', 'd', 'p']),
  sys('setpgid', tree.sysSetpgid, ['d', 'd']),
  sys('getpgid', tree.sysGetpgid, ['d']),
  sys('getpgrp', tree.sysGetpgrp, []),
  sys('setsid', tree.sysSetsid, []),
  sys('getsid', tree.sysGetsid, ['d']),
  sys('kill', tree.sysKill, ['d', 'sig']),
  sys('tkill', tree.sysTkill, ['d', 'sig']),
  sys('tgkill', tree.sysTgkill, ['d', 'd', 'sig']),
  // signals
  sys('rt_sigaction', sig.sysRtSigaction, ['sig', 'sigaction', 'osigaction', 'u']),
  sys('rt_sigprocmask', sig.sysRtSigprocmask, ['sighow', 'sigset', 'osigset', 'u']),
  sys('rt_sigpending', sig.sysRtSigpending, ['osigset', 'u']),
  sys('rt_sigsuspend', sig.sysRtSigsuspend, ['sigset', 'u']),
  sys('pause', sig.sysPause, []),
  sys('sigaltstack', sig.sysSigaltstack, ['p', 'p']),
  sys('sigreturn', sig.sysSigreturn, ['restoredmask'], 'd', 0),
  sys('rt_sigreturn', sig.sysRtSigreturn, ['restoredmask'], 'd', 0),
  sys('rt_sigtimedwait', sig.sysRtSigtimedwait, ['sigset', 'p', 'ts32in', 'u']),
  sys('rt_sigtimedwait_time64', sig.sysRtSigtimedwait64, ['sigset', 'p', 'ts64in', 'u']),
  sys('rt_sigqueueinfo', sig.sysRtSigqueueinfo, ['d', 'sig', 'p']),
  sys('rt_tgsigqueueinfo', sig.sysRtTgsigqueueinfo, ['d', 'd', 'sig', 'p']),
  sys('pidfd_open', pidfd.sysPidfdOpen, ['d', 'x']),
  sys('pidfd_send_signal', pidfd.sysPidfdSendSignal, ['fd', 'sig', 'p', 'x']),
  sys('pidfd_getfd', pidfd.sysPidfdGetfd, ['fd', 'd', 'x']),
  // signals, the old ABI (32-bit masks)
  sys('sigaction', sig.sysSigaction, ['sig', 'p', 'p']),
  sys('sigprocmask', sig.sysSigprocmask, ['sighow', 'p', 'p']),
  sys('sigsuspend', sig.sysSigsuspend, ['d', 'd', 'x']),
  sys('sigpending', sig.sysSigpending, ['p']),
  sys('signal', sig.sysSignal, ['sig', 'x'], 'x'),
  sys('sgetmask', sig.sysSgetmask, [], 'x'),
  sys('ssetmask', sig.sysSsetmask, ['x'], 'x'),
  // files and metadata
  sys('chmod', meta.sysChmod, ['path', 'o']),
  sys('fchmod', meta.sysFchmod, ['fd', 'o']),
  sys('fchmodat', meta.sysFchmodat, ['dirfd', 'path', 'o']),
  sys('fchmodat2', meta.sysFchmodat2, ['dirfd', 'path', 'o', 'atflags']),
  sys('chown', meta.sysChown16, ['path', 'd', 'd']),
  sys('lchown', meta.sysLchown16, ['path', 'd', 'd']),
  sys('fchown', meta.sysFchown16, ['fd', 'd', 'd']),
  sys('chown32', meta.sysChown, ['path', 'd', 'd']),
  sys('lchown32', meta.sysLchown, ['path', 'd', 'd']),
  sys('fchown32', meta.sysFchown, ['fd', 'd', 'd']),
  sys('fchownat', meta.sysFchownat, ['dirfd', 'path', 'd', 'd', 'atflags']),
  sys('truncate', meta.sysTruncate, ['path', 'd']),
  sys('truncate64', meta.sysTruncate64, ['path', 'off64le', 'skip']),
  sys('ftruncate', meta.sysFtruncate, ['fd', 'd']),
  sys('utime', meta.sysUtime, ['path', 'p']),
  sys('utimes', meta.sysUtimes, ['path', 'p']),
  sys('futimesat', meta.sysFutimesat, ['dirfd', 'path', 'p']),
  sys('utimensat', meta.sysUtimensat, ['dirfd', 'path', 'p', 'atflags']),
  sys('utimensat_time64', meta.sysUtimensat64, ['dirfd', 'path', 'p', 'atflags']),
  sys('link', meta.sysLink, ['path', 'path']),
  sys('linkat', meta.sysLinkat, ['dirfd', 'path', 'dirfd', 'path', 'atflags']),
  sys('symlink', meta.sysSymlink, ['path', 'path']),
  sys('symlinkat', meta.sysSymlinkat, ['path', 'dirfd', 'path']),
  sys('stat', statc.OLD_STAT.stat, ['path', 'p']),
  sys('lstat', statc.OLD_STAT.lstat, ['path', 'p']),
  sys('fstat', statc.OLD_STAT.fstat, ['fd', 'p']),
  sys('statfs', meta.sysStatfs, ['path', 'p']),
  sys('setxattr', xattr.setxattr('path'), ['path', 'path', 'p', 'u', 'x']),
  sys('lsetxattr', xattr.setxattr('link'), ['path', 'path', 'p', 'u', 'x']),
  sys('fsetxattr', xattr.setxattr('fd'), ['fd', 'path', 'p', 'u', 'x']),
  sys('getxattr', xattr.getxattr('path'), ['path', 'path', 'p', 'u']),
  sys('lgetxattr', xattr.getxattr('link'), ['path', 'path', 'p', 'u']),
  sys('fgetxattr', xattr.getxattr('fd'), ['fd', 'path', 'p', 'u']),
  sys('listxattr', xattr.listxattr('path'), ['path', 'p', 'u']),
  sys('llistxattr', xattr.listxattr('link'), ['path', 'p', 'u']),
  sys('flistxattr', xattr.listxattr('fd'), ['fd', 'p', 'u']),
  sys('removexattr', xattr.removexattr('path'), ['path', 'path']),
  sys('lremovexattr', xattr.removexattr('link'), ['path', 'path']),
  sys('fremovexattr', xattr.removexattr('fd'), ['fd', 'path']),
  sys('setxattrat', xattr.sysSetxattrat, ['dirfd', 'path', 'atflags', 'path', 'p', 'u']),
  sys('getxattrat', xattr.sysGetxattrat, ['dirfd', 'path', 'atflags', 'path', 'p', 'u']),
  sys('listxattrat', xattr.sysListxattrat, ['dirfd', 'path', 'atflags', 'p', 'u']),
  sys('removexattrat', xattr.sysRemovexattrat, ['dirfd', 'path', 'atflags', 'path']),
  sys('fstatfs', meta.sysFstatfs, ['fd', 'p']),
  sys('statfs64', meta.sysStatfs64, ['path', 'u', 'p']),
  sys('fstatfs64', meta.sysFstatfs64, ['fd', 'u', 'p']),
  sys('fsync', meta.sysFsync, ['fd']),
  sys('fdatasync', meta.sysFdatasync, ['fd']),
  sys('sync', meta.sysSync, []),
  sys('syncfs', meta.sysSyncfs, ['fd']),
  sys('flock', locks.sysFlock, ['fd', 'd']),
  sys('readahead', meta.sysReadahead, ['fd', 'off64le', 'skip', 'u']),
  sys('sync_file_range', meta.sysSyncFileRange, ['fd', 'off64le', 'skip', 'off64le', 'skip', 'x']),
  sys('fadvise64', meta.sysFadvise64, ['fd', 'off64le', 'skip', 'u', 'fadvice']),
  sys('fadvise64_64', meta.sysFadvise64_64, ['fd', 'off64le', 'skip', 'off64le', 'skip', 'fadvice']),
  sys('fallocate', meta.sysFallocate, ['fd', 'd', 'off64le', 'skip', 'off64le', 'skip']),
  sys('sendfile', meta.sysSendfile, ['fd', 'fd', 'p', 'u']),
  sys('sendfile64', meta.sysSendfile64, ['fd', 'fd', 'p', 'u']),
  sys('copy_file_range', meta.sysCopyFileRange, ['fd', 'p', 'fd', 'p', 'u', 'u']),
  sys('splice', meta.sysSplice, ['fd', 'p', 'fd', 'p', 'u', 'x']),
  sys('tee', meta.sysTee, ['fd', 'fd', 'u', 'x']),
  sys('vmsplice', sysVmsplice, ['fd', 'p', 'u', 'x']),
  // readiness
  sys('poll', poll.sysPoll, ['p', 'u', 'd']),
  sys('ppoll', poll.sysPpoll, ['p', 'u', 'ts32in', 'sigset', 'u']),
  sys('ppoll_time64', poll.sysPpoll64, ['p', 'u', 'ts64in', 'sigset', 'u']),
  sys('select', poll.sysOldSelect, ['p']),
  sys('_newselect', poll.sysNewselect, ['d', 'p', 'p', 'p', 'p']),
  sys('pselect6', poll.sysPselect6, ['d', 'p', 'p', 'p', 'ts32in', 'p']),
  sys('pselect6_time64', poll.sysPselect6Time64, ['d', 'p', 'p', 'p', 'ts64in', 'p']),
  // event descriptors: epoll, eventfd, inotify, timerfd, signalfd
  sys('epoll_create', epoll.sysEpollCreate, ['d']),
  sys('epoll_create1', epoll.sysEpollCreate1, ['epollflags']),
  sys('epoll_ctl', epoll.sysEpollCtl, ['fd', 'epollop', 'fd', 'epollevent']),
  sys('epoll_wait', epoll.sysEpollWait, ['fd', 'epollevents', 'd', 'd']),
  sys('epoll_pwait', epoll.sysEpollPwait, ['fd', 'epollevents', 'd', 'd', 'sigset', 'u']),
  sys('epoll_pwait2', epoll.sysEpollPwait2, ['fd', 'epollevents', 'd', 'ts64in', 'sigset', 'u']),
  sys('eventfd', efd.sysEventfd, ['u']),
  sys('eventfd2', efd.sysEventfd2, ['u', 'efdflags']),
  sys('inotify_init', inotify.sysInotifyInit, []),
  sys('inotify_init1', inotify.sysInotifyInit1, ['inflags']),
  sys('inotify_add_watch', inotify.sysInotifyAddWatch, ['fd', 'path', 'x']),
  sys('inotify_rm_watch', inotify.sysInotifyRmWatch, ['fd', 'd']),
  sys('timerfd_create', tfd.sysTimerfdCreate, ['clock', 'tfdflags']),
  sys('timerfd_settime', tfd.sysTimerfdSettime, ['fd', 'tfdsetflags', 'its32in', 'its32out']),
  sys('timerfd_settime64', tfd.sysTimerfdSettime64, ['fd', 'tfdsetflags', 'its64in', 'its64out']),
  sys('timerfd_gettime', tfd.sysTimerfdGettime, ['fd', 'its32out']),
  sys('timerfd_gettime64', tfd.sysTimerfdGettime64, ['fd', 'its64out']),
  sys('signalfd', sfd.sysSignalfd, ['fd', 'sigset', 'u']),
  sys('signalfd4', sfd.sysSignalfd4, ['fd', 'sigset', 'u', 'sfdflags']),
  sys('memfd_create', memfd.sysMemfdCreate, ['path', 'x']),
  // memory
  sys('msync', mem.sysMsync, ['p', 'u', 'd']),
  sys('mincore', mem.sysMincore, ['p', 'u', 'p']),
  sys('mlock', mem.sysMlock, ['p', 'u']),
  sys('munlock', mem.sysMlock, ['p', 'u']),
  sys('mlock2', mem.sysMlock2, ['p', 'u', 'd']),
  sys('mlockall', mem.sysMlockall, ['d']),
  sys('munlockall', mem.sysMunlockall, []),
  // timers
  sys('alarm', timers.sysAlarm, ['u']),
  sys('setitimer', timers.sysSetitimer, ['d', 'p', 'p']),
  sys('getitimer', timers.sysGetitimer, ['d', 'p']),
  sys('timer_create', timers.sysTimerCreate, ['clock', 'p', 'p']),
  sys('timer_settime', timers.sysTimerSettime, ['d', 'timerflags', 'its32in', 'its32out']),
  sys('timer_settime64', timers.sysTimerSettime64, ['d', 'timerflags', 'its64in', 'its64out']),
  sys('timer_gettime', timers.sysTimerGettime, ['d', 'its32out']),
  sys('timer_gettime64', timers.sysTimerGettime64, ['d', 'its64out']),
  sys('timer_getoverrun', timers.sysTimerGetoverrun, ['d']),
  sys('timer_delete', timers.sysTimerDelete, ['d']),
  // SysV IPC: the multiplexer and the direct calls
  sys('ipc', ipc.sysIpc, ['d', 'd', 'd', 'd', 'p', 'd']),
  sys('shmget', shm.sysShmget, ['d', 'u', 'o']),
  sys('shmat', shm.sysShmat, ['d', 'p', 'x'], 'x'),
  sys('shmdt', shm.sysShmdt, ['p']),
  sys('shmctl', shm.sysShmctl, ['d', 'x', 'p']),
  sys('semget', sem.sysSemget, ['d', 'd', 'o']),
  sys('semctl', sem.sysSemctl, ['d', 'd', 'x', 'x']),
  sys('semtimedop_time64', sem.sysSemtimedopTime64, ['d', 'p', 'u', 'ts64in']),
  sys('msgget', msg.sysMsgget, ['d', 'o']),
  sys('msgsnd', msg.sysMsgsnd, ['d', 'p', 'u', 'o']),
  sys('msgrcv', msg.sysMsgrcv, ['d', 'p', 'u', 'd', 'o']),
  sys('msgctl', msg.sysMsgctl, ['d', 'x', 'p']),
  // POSIX message queues
  sys('mq_open', mq.sysMqOpen, ['path', 'oflags', 'o', 'p']),
  sys('mq_unlink', mq.sysMqUnlink, ['path']),
  sys('mq_timedsend', mq.sysMqTimedsend, ['fd', 'p', 'u', 'u', 'ts32in']),
  sys('mq_timedsend_time64', mq.sysMqTimedsendTime64, ['fd', 'p', 'u', 'u', 'ts64in']),
  sys('mq_timedreceive', mq.sysMqTimedreceive, ['fd', 'p', 'u', 'p', 'ts32in']),
  sys('mq_timedreceive_time64', mq.sysMqTimedreceiveTime64, ['fd', 'p', 'u', 'p', 'ts64in']),
  sys('mq_notify', mq.sysMqNotify, ['fd', 'p']),
  sys('mq_getsetattr', mq.sysMqGetsetattr, ['fd', 'p', 'p']),
  // sockets: AF_UNIX between guest processes, through socketcall and the direct calls
  sys('socketcall', sock.sysSocketcall, ['d', 'p']),
  sys('socket', sock.sysSocket, ['d', 'x', 'd']),
  sys('socketpair', sock.sysSocketpair, ['d', 'x', 'd', 'p']),
  sys('bind', sock.sysBind, ['fd', 'p', 'u']),
  sys('connect', sock.sysConnect, ['fd', 'p', 'u']),
  sys('listen', sock.sysListen, ['fd', 'd']),
  sys('accept4', sock.sysAccept4, ['fd', 'p', 'p', 'x']),
  sys('getsockname', sock.sysGetsockname, ['fd', 'p', 'p']),
  sys('getpeername', sock.sysGetpeername, ['fd', 'p', 'p']),
  sys('sendto', sock.sysSendto, ['fd', 'in', 'u', 'x', 'p', 'u']),
  sys('recvfrom', sock.sysRecvfrom, ['fd', 'out', 'u', 'x', 'p', 'p']),
  sys('sendmsg', sock.sysSendmsg, ['fd', 'p', 'x']),
  sys('recvmsg', sock.sysRecvmsg, ['fd', 'p', 'x']),
  sys('shutdown', sock.sysShutdown, ['fd', 'd']),
  sys('getsockopt', sock.sysGetsockopt, ['fd', 'd', 'd', 'p', 'p']),
  sys('setsockopt', sock.sysSetsockopt, ['fd', 'd', 'd', 'p', 'u']),
  sys('sendmmsg', sock.sysSendmmsg, ['fd', 'p', 'u', 'x']),
  sys('recvmmsg', sock.sysRecvmmsg, ['fd', 'p', 'u', 'x', 'p']),
  sys('recvmmsg_time64', sock.sysRecvmmsgTime64, ['fd', 'p', 'u', 'x', 'p']),
  // identity and process attributes
  sys('prctl', ident.sysPrctl, ['d', 'x', 'x', 'x', 'x']),
  sys('capget', ident.sysCapget, ['p', 'p']),
  sys('capset', ident.sysCapset, ['p', 'p']),
  sys('setuid', ident.sysSetuid16, ['d']),
  sys('setgid', ident.sysSetgid16, ['d']),
  sys('setreuid', ident.sysSetreuid16, ['d', 'd']),
  sys('setregid', ident.sysSetregid16, ['d', 'd']),
  sys('setresuid', ident.sysSetresuid16, ['d', 'd', 'd']),
  sys('setresgid', ident.sysSetresgid16, ['d', 'd', 'd']),
  sys('setuid32', ident.sysSetuid, ['d']),
  sys('setgid32', ident.sysSetgid, ['d']),
  sys('setreuid32', ident.sysSetreuid, ['d', 'd']),
  sys('setregid32', ident.sysSetregid, ['d', 'd']),
  sys('setresuid32', ident.sysSetresuid, ['d', 'd', 'd']),
  sys('setresgid32', ident.sysSetresgid, ['d', 'd', 'd']),
  sys('setfsuid', ident.sysSetfsuid16, ['d']),
  sys('setfsgid', ident.sysSetfsgid16, ['d']),
  sys('setfsuid32', ident.sysSetfsuid, ['d']),
  sys('setfsgid32', ident.sysSetfsgid, ['d']),
  // scheduling attributes of the caller
  sys('sched_getaffinity', sched.sysSchedGetaffinity, ['d', 'u', 'p']),
  sys('sched_setaffinity', sched.sysSchedSetaffinity, ['d', 'u', 'p']),
  sys('sched_getscheduler', sched.sysSchedGetscheduler, ['d']),
  sys('sched_setscheduler', sched.sysSchedSetscheduler, ['d', 'x', 'p']),
  sys('sched_getparam', sched.sysSchedGetparam, ['d', 'p']),
  sys('sched_setparam', sched.sysSchedSetparam, ['d', 'p']),
  sys('sched_getattr', sched.sysSchedGetattr, ['d', 'p', 'u', 'x']),
  sys('sched_setattr', sched.sysSchedSetattr, ['d', 'p', 'x']),
  sys('sched_rr_get_interval', sched.sysSchedRrGetInterval, ['d', 'ts32out']),
  sys('sched_rr_get_interval_time64', sched.sysSchedRrGetIntervalTime64, ['d', 'ts64out']),
  sys('sched_get_priority_max', sched.sysSchedGetPriorityMax, ['d']),
  sys('sched_get_priority_min', sched.sysSchedGetPriorityMin, ['d']),
  sys('getpriority', sched.sysGetpriority, ['d', 'd']),
  sys('setpriority', sched.sysSetpriority, ['d', 'd', 'd']),
  sys('nice', sched.sysNice, ['d']),
  sys('membarrier', sysMembarrier, ['x', 'x', 'd']),
  sys('ioprio_set', ioprio.sysIoprioSet, ['d', 'd', 'x']),
  sys('ioprio_get', ioprio.sysIoprioGet, ['d', 'd']),
  sys('personality', ident.sysPersonality, ['x'], 'x'),
  sys('vhangup', sysVhangup, []),
  // the kernel log: never the host's messages or console (syslog.ts)
  sys('syslog', sysSyslog, ['d', 'p', 'd']),
  sys('getrusage', ident.sysGetrusage, ['d', 'p']),
  sys('times', ident.sysTimes, ['p']),
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
