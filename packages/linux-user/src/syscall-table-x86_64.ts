/**
 * The x86-64 system calls, as rows of the same shape as the i386 table, read by the same
 * dispatcher and strace printer (QEMU keeps one do_syscall for both ABIs, with target
 * conversions). Most rows are an i386 row under its x86-64 number: the call means the same
 * over the whole argument registers (syscall-args.ts: pointers whole, ints their low half),
 * or its handler reads the process ABI for a structure that differs (iovec, timeval). The calls whose arguments or structures are x86-64's own have
 * handlers in syscalls/x86-64.ts.
 */
import { SYSCALLS_I386, type SyscallHandler, type SyscallRow } from './syscall-table';
import type { StraceArg, StraceRet } from './strace';
import { X86_64_SYSCALL_NAMES } from './syscall-names-x86_64';
import * as x64 from './syscalls/x86-64';
import * as fork from './syscalls/fork';
import * as sock from './syscalls/socket';
import * as sem from './syscalls/sem';
import * as statc from './syscalls/stat-calls';
import * as proc from './syscalls/process';

const I386_BY_NAME = new Map(SYSCALLS_I386.map((r) => [r.name, r]));

/** The x86-64 call `name` with the i386 row `i386Name`'s handler and strace kinds. */
function same(name: string, i386Name = name): SyscallRow {
  const row = I386_BY_NAME.get(i386Name);
  if (!row) throw new Error(`x86-64 syscall table: no i386 row ${i386Name}`);
  return { ...row, nr: nrOf(name), name };
}

function own(name: string, handler: SyscallHandler, strace: readonly StraceArg[], ret: StraceRet = 'd'): SyscallRow {
  return { nr: nrOf(name), name, arity: strace.length, handler, strace, ret };
}

function nrOf(name: string): number {
  const nr = X86_64_SYSCALL_NAMES.indexOf(name);
  if (nr < 0) throw new Error(`x86-64 syscall table: no system call named ${name}`);
  return nr;
}

export const SYSCALLS_X86_64: readonly SyscallRow[] = [
  // files and descriptors
  same('read'), same('write'), same('open'), same('openat'), same('openat2'), same('creat'), same('close'),
  same('readv'), same('writev'), same('dup'), same('dup2'), same('dup3'), same('pipe'), same('pipe2'),
  own('fcntl', x64.sysFcntl, ['fd', 'fcntl', 'fcntlarg'], 'fcntl'), same('ioctl'), same('close_range'),
  own('lseek', x64.sysLseek, ['fd', 'ld', 'whence']),
  own('pread64', x64.sysPread, ['fd', 'out', 'u', 'ld']),
  own('pwrite64', x64.sysPwrite, ['fd', 'in', 'u', 'ld']),
  own('preadv', x64.sysPreadv, ['fd', 'iovout', 'u', 'ld']),
  own('pwritev', x64.sysPwritev, ['fd', 'iovin', 'u', 'ld']),
  own('preadv2', x64.sysPreadv2, ['fd', 'iovout', 'u', 'ld', 'skip', 'x']),
  own('pwritev2', x64.sysPwritev2, ['fd', 'iovin', 'u', 'ld', 'skip', 'x']),
  own('readahead', x64.sysReadahead, ['fd', 'ld', 'u']),
  own('sync_file_range', x64.sysSyncFileRange, ['fd', 'ld', 'ld', 'x']),
  // file system
  own('stat', statc.STAT_X86_64.stat, ['path', 'stat64out']),
  own('lstat', statc.STAT_X86_64.lstat, ['path', 'stat64out']),
  own('fstat', statc.STAT_X86_64.fstat, ['fd', 'stat64out']),
  own('newfstatat', statc.STAT_X86_64.fstatat, ['dirfd', 'path', 'stat64out', 'atflags']),
  same('statx'), same('access'), same('faccessat'), same('faccessat2'), same('readlink'), same('readlinkat'),
  same('getcwd'), same('chdir'), same('fchdir'), same('unlink'), same('unlinkat'), same('rename'), same('renameat'), same('renameat2'),
  same('mkdir'), same('mkdirat'), same('mknod'), same('mknodat'), same('rmdir'), same('chroot'), same('acct'), same('mount'), same('umount2'), same('pivot_root'), same('swapon'), same('swapoff'), same('name_to_handle_at'), same('open_by_handle_at'), same('umask'), same('getdents'), same('getdents64'),
  same('statfs'), same('fstatfs'), same('utime'), same('utimes'), same('futimesat'),
  own('truncate', x64.sysTruncate, ['path', 'ld']),
  own('ftruncate', x64.sysFtruncate, ['fd', 'ld']),
  own('fallocate', x64.sysFallocate, ['fd', 'd', 'ld', 'ld']),
  own('fadvise64', x64.sysFadvise64, ['fd', 'ld', 'ld', 'fadvice']),
  // memory
  same('brk'), own('mmap', x64.sysMmap, ['x', 'u', 'prot', 'mapflags', 'fd', 'x'], 'x'),
  same('munmap'), same('mprotect'), same('mremap'), same('madvise'),
  // process and identity
  same('exit'), same('exit_group'), same('getpid'), same('getppid'), same('gettid'),
  same('getuid', 'getuid32'), same('geteuid', 'geteuid32'), same('getgid', 'getgid32'), same('getegid', 'getegid32'),
  same('uname'), same('sethostname'), same('setdomainname'), same('set_tid_address'), same('set_robust_list'), same('get_robust_list'), same('rseq'), same('prlimit64'), same('getrandom'),
  own('getrlimit', x64.sysGetrlimit, ['rlimres', 'rlim64out']), own('setrlimit', proc.sysSetrlimit, ['rlimres', 'rlim64in']),
  same('sysinfo'), same('times'), same('getrusage'),
  same('futex', 'futex_time64'), same('futex_wake'), same('futex_wait'), same('sched_yield'), same('getcpu'),
  own('arch_prctl', x64.sysArchPrctl, ['x', 'x']),
  own('modify_ldt', x64.sysModifyLdt, ['d', 'p', 'u']),
  // time
  same('clock_gettime', 'clock_gettime64'), same('clock_getres', 'clock_getres_time64'),
  same('clock_nanosleep', 'clock_nanosleep_time64'), same('gettimeofday'), same('time'),
  same('settimeofday'), same('clock_settime', 'clock_settime64'), same('adjtimex'), same('clock_adjtime', 'clock_adjtime64'),
  // signals (the handlers read p.abi for struct sigaction, stack_t and siginfo; the frame is signal-frame-x86_64.ts)
  same('rt_sigaction'), same('rt_sigprocmask'), same('rt_sigreturn'), same('rt_sigpending'), same('rt_sigsuspend'), same('pause'),
  same('sigaltstack'), same('rt_sigtimedwait', 'rt_sigtimedwait_time64'), same('rt_sigqueueinfo'), same('rt_tgsigqueueinfo'), same('pidfd_open'), same('pidfd_send_signal'), same('pidfd_getfd'),
  same('kill'), same('tkill'), same('tgkill'),
  // processes (clone's x86-64 argument order and %fs TLS in fork.ts; execve's 8-byte pointers, rusage and siginfo read p.abi)
  same('fork'), same('vfork'), own('clone', fork.sysCloneX86_64, ['x', 'p', 'p', 'p', 'x']), same('clone3'), same('execve'), same('execveat'), same('wait4'), same('waitid'),
  same('setpgid'), same('getpgid'), same('getpgrp'), same('setsid'), same('getsid'),
  // identity: x86-64's ids are i386's 32-bit calls
  same('setuid', 'setuid32'), same('setgid', 'setgid32'), same('setreuid', 'setreuid32'), same('setregid', 'setregid32'),
  same('setresuid', 'setresuid32'), same('setresgid', 'setresgid32'), same('getresuid', 'getresuid32'), same('getresgid', 'getresgid32'),
  same('setfsuid', 'setfsuid32'), same('setfsgid', 'setfsgid32'), same('getgroups', 'getgroups32'), same('setgroups', 'setgroups32'),
  same('prctl'), same('capget'), same('capset'), same('personality'), same('vhangup'), same('syslog'), same('getpriority'), same('setpriority'),
  same('sched_getaffinity'), same('sched_setaffinity'), same('sched_getscheduler'), same('sched_getparam'),
  same('sched_get_priority_max'), same('sched_get_priority_min'), same('sched_setscheduler'), same('sched_setparam'),
  same('sched_getattr'), same('sched_setattr'), same('sched_rr_get_interval'), same('membarrier'), same('ioprio_set'), same('ioprio_get'),
  // files and metadata
  same('chmod'), same('fchmod'), same('fchmodat'), same('fchmodat2'), same('chown', 'chown32'), same('lchown', 'lchown32'), same('fchown', 'fchown32'), same('fchownat'),
  same('link'), same('linkat'), same('symlink'), same('symlinkat'), same('utimensat', 'utimensat_time64'),
  same('setxattr'), same('lsetxattr'), same('fsetxattr'), same('getxattr'), same('lgetxattr'), same('fgetxattr'),
  same('listxattr'), same('llistxattr'), same('flistxattr'), same('removexattr'), same('lremovexattr'), same('fremovexattr'),
  same('setxattrat'), same('getxattrat'), same('listxattrat'), same('removexattrat'),
  same('fsync'), same('fdatasync'), same('sync'), same('syncfs'), same('flock'),
  same('sendfile', 'sendfile64'), same('copy_file_range'), same('splice'), same('tee'), same('vmsplice'),
  // memory
  same('msync'), same('mincore'), same('mlock'), same('munlock'), same('mlock2'), same('mlockall'), same('munlockall'),
  // time (nanosleep, select and the itimers read p.abi for their timespec and timeval)
  same('nanosleep'), same('alarm'), same('getitimer'), same('setitimer'), same('timer_getoverrun'), same('timer_delete'),
  same('timer_settime', 'timer_settime64'), same('timer_gettime', 'timer_gettime64'), same('timer_create'),
  // readiness and event descriptors (struct epoll_event is packed on x86-64 too)
  same('poll'), same('ppoll', 'ppoll_time64'), same('select', '_newselect'), same('pselect6', 'pselect6_time64'),
  same('epoll_create'), same('epoll_create1'), same('epoll_ctl'), same('epoll_wait'), same('epoll_pwait'), same('epoll_pwait2'),
  same('eventfd'), same('eventfd2'), same('inotify_init'), same('inotify_init1'), same('inotify_add_watch'), same('inotify_rm_watch'), same('signalfd'), same('signalfd4'), same('memfd_create'),
  same('timerfd_create'), same('timerfd_settime', 'timerfd_settime64'), same('timerfd_gettime', 'timerfd_gettime64'),
  // sockets (socket.ts reads p.abi for struct msghdr and cmsghdr; sockaddrs are the same)
  same('socket'), same('socketpair'), same('bind'), same('connect'), same('listen'),
  own('accept', sock.sysAccept, ['fd', 'p', 'p']), same('accept4'), same('getsockname'), same('getpeername'),
  same('sendto'), same('recvfrom'), same('sendmsg'), same('recvmsg'), same('shutdown'), same('getsockopt'), same('setsockopt'),
  same('sendmmsg'), same('recvmmsg', 'recvmmsg_time64'),
  // SysV IPC (shm.ts, sem.ts, msg.ts read p.abi for the *id64_ds structures and msgbuf's long mtype)
  same('shmget'), same('shmat'), same('shmdt'), same('shmctl'), same('semget'), own('semop', sem.sysSemop, ['d', 'p', 'u']), same('semctl'),
  same('semtimedop', 'semtimedop_time64'), same('msgget'), same('msgsnd'), same('msgrcv'), same('msgctl'),
  // POSIX message queues (mqueue.ts reads p.abi for struct mq_attr, sigevent and the timespec)
  same('mq_open'), same('mq_unlink'), same('mq_timedsend', 'mq_timedsend_time64'), same('mq_timedreceive', 'mq_timedreceive_time64'), same('mq_notify'), same('mq_getsetattr'),
];

/** By number: the dispatcher's and strace's x86-64 table. */
export const SYSCALL_TABLE_X86_64: ReadonlyArray<SyscallRow | undefined> = (() => {
  const table: Array<SyscallRow | undefined> = new Array(X86_64_SYSCALL_NAMES.length);
  for (const row of SYSCALLS_X86_64) {
    if (table[row.nr]) throw new Error(`x86-64 syscall table: ${row.name} declared twice`);
    table[row.nr] = row;
  }
  return table;
})();

/** The name of x86-64 system call `nr`, for unimplemented ones too. */
export function syscallNameX86_64(nr: number): string {
  return X86_64_SYSCALL_NAMES[nr] || `syscall_${nr}`;
}
