/**
 * The x86tomips-style runtime's ablations: the system call ends the TB (the talk's fix), and
 * TB chaining (QEMU's, to separate its effect from where the system call runs).
 */
export interface X86toMipsStyleOptions {
  syscallEndsTb: boolean;
  chaining: boolean;
}

export const X86TOMIPS_STYLE_DEFAULTS: X86toMipsStyleOptions = { syscallEndsTb: false, chaining: false };
