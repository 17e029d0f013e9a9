/** The x86tomips-style runtime's ablation: the system call ends the TB (the talk's fix). */
export interface X86toMipsStyleOptions {
  syscallEndsTb: boolean;
}

export const X86TOMIPS_STYLE_DEFAULTS: X86toMipsStyleOptions = { syscallEndsTb: false };
