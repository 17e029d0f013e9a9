/**
 * General-purpose register numbers under their n64 ABI names, as GNU objdump prints them
 * with `-M gpr-names=64` ($8..$11 are a4..a7, $12..$15 t0..t3; $30 is s8, alias fp).
 */
export const REG = {
  zero: 0, at: 1, v0: 2, v1: 3, a0: 4, a1: 5, a2: 6, a3: 7,
  a4: 8, a5: 9, a6: 10, a7: 11, t0: 12, t1: 13, t2: 14, t3: 15,
  s0: 16, s1: 17, s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23,
  t8: 24, t9: 25, k0: 26, k1: 27, gp: 28, sp: 29, s8: 30, fp: 30, ra: 31,
} as const;

/** Register number -> the name objdump prints. */
export const REG_NAMES: readonly string[] = [
  'zero', 'at', 'v0', 'v1', 'a0', 'a1', 'a2', 'a3',
  'a4', 'a5', 'a6', 'a7', 't0', 't1', 't2', 't3',
  's0', 's1', 's2', 's3', 's4', 's5', 's6', 's7',
  't8', 't9', 'k0', 'k1', 'gp', 'sp', 's8', 'ra',
];
