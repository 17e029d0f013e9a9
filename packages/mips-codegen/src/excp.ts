/** Guest exception numbers (QEMU target/i386 EXCP*), carried by raise helpers to the exec loop. */
export const EXCP = {
  DIVZ: 0, // #DE -> SIGFPE
  DEBUG: 1,
  INT3: 3, // -> SIGTRAP
  INTO: 4, // #OF -> SIGSEGV
  BOUND: 5, // #BR -> SIGSEGV
  ILLOP: 6, // #UD -> SIGILL
  NOSEG: 11, // #NP (segment not present) -> SIGBUS
  STACK: 12, // #SS (a stack-segment limit) -> SIGBUS
  GPF: 13, // #GP -> SIGSEGV (int n, hlt, privileged)
  PAGE: 14,
  AC: 17, // #AC (EFLAGS.AC, an unaligned access) -> SIGBUS BUS_ADRALN
  XM: 19, // SIMD floating-point exception (an unmasked MXCSR exception) -> SIGFPE
  MF: 16, // x87 floating-point error (an unmasked exception, at the next waiting insn) -> SIGFPE
  /** int $0x80 / syscall: cpu_loop performs the system call (QEMU's EXCP_SYSCALL). */
  SYSCALL: 0x100,
  /** Leave the code cache with nothing to do: the loop looks up env's eip again (EXCP_INTERRUPT). */
  INTERRUPT: 0x10000,
  /** The single-step trap (#DB) after an instruction that ran with TF set (QEMU's EXCP_DEBUG). */
  SINGLE_STEP: 0x10002,
} as const;
