/**
 * What the integer form tables of both modes (int-forms.ts, int64-forms.ts, and the BMI and
 * self-referencing tables) share: the EFLAGS bits, the condition codes, the two-operand ALU
 * operations, and the SDM's rules for which flags a shift leaves defined and when div/idiv
 * raise #DE. The EFLAGS bits are x86-frontend's (cpu-state.ts).
 */
import { AF, CC_FLAGS, CF, OF, PF, SF, ZF } from '@dbtlab/x86-frontend';

/** Every arithmetic flag compared (the form defines them all, or leaves them alone). */
export const ALL = (): number => CC_FLAGS;

/** The sixteen condition codes, in encoding order. */
export const CONDS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** Every combination of the flags the conditions read (CF, ZF, SF, OF, PF): 32 EFLAGS values. */
export const FLAG_COMBOS = Array.from({ length: 32 }, (_, m) => (m & 1 ? CF : 0) | (m & 2 ? ZF : 0) | (m & 4 ? SF : 0) | (m & 8 ? OF : 0) | (m & 16 ? PF : 0));

/** The two-operand ALU operations: mnemonic, the flags defined after it, whether it reads CF. */
export const BINARY_OPS: [string, number, boolean][] = [
  ['add', CC_FLAGS, false], ['adc', CC_FLAGS, true], ['sub', CC_FLAGS, false], ['sbb', CC_FLAGS, true], ['cmp', CC_FLAGS, false],
  ['and', CC_FLAGS & ~AF, false], ['or', CC_FLAGS & ~AF, false], ['xor', CC_FLAGS & ~AF, false], ['test', CC_FLAGS & ~AF, false],
];

/** The flag sets a case starts with: CF clear and set for the forms that read it, else all clear and all set. */
export const flagSetsFor = (readsCf: boolean): number[] => (readsCf ? [0, CF, CC_FLAGS, CC_FLAGS & ~CF] : [0, CC_FLAGS]);

/** The flags defined after a shift or rotate of `bits` by `count` (masked to 5 bits, 6 for 64-bit operands). */
export function shiftMask(op: string, bits: number, count: number): number {
  const c = count & (bits === 64 ? 63 : 31);
  if (c === 0) return CC_FLAGS;
  // shld/shrd: every count has this CPU's flags (measured natively, modelled; OF is CF ^ MSB
  // for shld (16 bits: below 16), the result's two top bits differing for shrd; AF set)
  if (op === 'shld' || op === 'shrd') return CC_FLAGS;
  let m = CC_FLAGS;
  if (c !== 1) m &= ~OF;
  // shl/shr/sar set AF on this CPU at every nonzero count (modelled)
  if (['shl', 'shr', 'sar', 'sal'].includes(op) && c >= bits && op !== 'sar') m &= ~CF;
  return m;
}

/** Would div/idiv of `bits` raise #DE (zero divisor or quotient out of range)? Dividend hi:lo (ax for 8 bits). */
export function divFaults(signed: boolean, bits: number, lo: bigint, hi: bigint, d: bigint): boolean {
  const b = BigInt(bits);
  const mask = (1n << b) - 1n;
  const dv = d & mask;
  const num = bits === 8 ? lo & 0xffffn : ((hi & mask) << b) | (lo & mask);
  if (dv === 0n) return true;
  if (!signed) return num / dv > mask;
  const q = BigInt.asIntN(2 * bits, num) / BigInt.asIntN(bits, dv);
  return q > mask >> 1n || q < -(1n << (b - 1n));
}
