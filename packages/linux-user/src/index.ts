/**
 * @dbtlab/linux-user: the OS layer. An i386 static ELF becomes guest memory and an initial
 * CPU state; `int $0x80` becomes LinuxProcess.doSyscall; guest faults become signals.
 */
export { ElfError, elfClassOf, readElfSections, SHF_EXECINSTR, type ElfClass } from './elf';
export { SYSCALLS_X86_64, SYSCALL_TABLE_X86_64, syscallNameX86_64 } from './syscall-table-x86_64';
export type { ElfSection } from './elf';
export { GuestExit } from './guest-exit';
export { LinuxProcess } from './process';
export { GuestTree, INIT_PID, sumStats } from './guest-tree';
export type { EngineOptions, ProcessStats } from './guest-tree';
export type { ThreadStats } from './thread-stats';
export type { ProcessOptions } from './process';
export { SYSCALLS_I386, SYSCALL_TABLE, syscallName } from './syscall-table';
export type { SyscallRow, SyscallHandler } from './syscall-table';
export type { StraceArg, StraceRet } from './strace';
export type { SigInfo } from './signal-frame';
export { GuestDeadlock } from './guest-deadlock';
export * from './layout';
export { SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGSEGV, SIGPIPE, signalName } from './signal';
export { SEGV_MAPERR, SEGV_ACCERR, FPE_INTDIV, ILL_ILLOPN, TRAP_BRKPT, SI_KERNEL } from './siginfo-codes';
export { GUEST_RANDOM_SEED } from './random';
export type { SigreturnTrampolines } from './vdso';
export { INTERPRETER_I386, Sysroot, SYSROOT_ENV, SYSROOT_LIBRARY_DIRS } from './sysroot';
