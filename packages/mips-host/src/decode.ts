/**
 * Word -> table row. Rows are bucketed by major opcode and, for the SPECIAL/REGIMM/SPECIAL2/
 * SPECIAL3 families, by their secondary field, so a lookup checks at most a few masks.
 */
import { MIPS_INSNS, type MipsInsn } from './mips-insn-table';

/** Bucket key: major opcode * 64 + the family's secondary field (funct or rt). */
function bucketKey(word: number): number {
  const major = word >>> 26;
  if (major === 0x00 || major === 0x1c || major === 0x1f) return major * 64 + (word & 0x3f);
  if (major === 0x01) return major * 64 + ((word >>> 16) & 0x1f);
  return major * 64;
}

const BUCKETS: MipsInsn[][] = Array.from({ length: 64 * 64 }, () => []);
for (const insn of MIPS_INSNS) BUCKETS[bucketKey(insn.match)].push(insn);
// Most specific first: rotr (srl with rs = 1) before srl, and so on.
for (const b of BUCKETS) b.sort((x, y) => popcount(y.mask) - popcount(x.mask));

function popcount(v: number): number {
  let n = 0;
  for (let x = v >>> 0; x !== 0; x &= x - 1) n++;
  return n;
}

/** The row encoding `word`, or undefined for a reserved or unsupported word. */
export function decodeInsn(word: number): MipsInsn | undefined {
  const w = word >>> 0;
  for (const insn of BUCKETS[bucketKey(w)]) if (((w & insn.mask) >>> 0) === insn.match) return insn;
  return undefined;
}

/** Instruction fields, named as in the MIPS manuals. */
export const fieldRs = (w: number): number => (w >>> 21) & 31;
export const fieldRt = (w: number): number => (w >>> 16) & 31;
export const fieldRd = (w: number): number => (w >>> 11) & 31;
export const fieldSa = (w: number): number => (w >>> 6) & 31;
export const fieldSimm = (w: number): number => (w << 16) >> 16;
export const fieldUimm = (w: number): number => w & 0xffff;
export const fieldIndex = (w: number): number => w & 0x03ffffff;

/** Target of a PC-relative branch at `pc` (relative to its delay slot). */
export const branchTarget = (pc: number, w: number): number => pc + 4 + fieldSimm(w) * 4;
/** Target of j/jal at `pc`: the delay slot's 256 MiB region plus index * 4. */
export const jumpTarget = (pc: number, w: number): number =>
  Math.floor((pc + 4) / 0x10000000) * 0x10000000 + fieldIndex(w) * 4;

/** Bit-field operands in the assembler's view (pos, size) from the lsb/msb fields. */
export function bitfieldOperands(insn: MipsInsn, w: number): { pos: number; size: number } {
  const f = insn.bitfield!;
  const pos = fieldSa(w) + f.posBias;
  const msb = fieldRd(w) + f.msbBias;
  return { pos, size: f.msbIsEnd ? msb - pos : msb };
}

/** Whether the bit-field encoding is architecturally defined (else: reserved instruction). */
export function bitfieldValid(insn: MipsInsn, pos: number, size: number): boolean {
  const f = insn.bitfield!;
  const end = pos + size;
  return size >= 1 && pos >= f.pos[0] && pos <= f.pos[1] && end >= f.end[0] && end <= f.end[1];
}
