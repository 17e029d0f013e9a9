/**
 * decodeInsn: bytes -> IR1. Prefixes, opcode map, row selection from the table (by mandatory
 * prefix, ModRM.reg/mod/rm, mode, REX), then the row's operand letters drive operand decoding.
 * Nothing here knows individual opcodes: all of that is in the table.
 *
 *   const insn = decodeInsn(code, 0, 0x8048000, 32);   // throws DecodeError only
 *   insn.op === 'ADD'; insn.operands[0]; insn.length; insn.mnemonic
 */
import { expandAtt, PrefixUse, prefixWords, SEG_OF_PREFIX } from './att-mnemonic';
import { DecodeError } from './errors';
import type { InsnRow, MandatoryPrefix } from './insn-row';
import { AVX_GENERIC, AVX_GENERIC_IMM, MAP_BASE, OPCODE_INDEX, OpcodeEntry, VEX_INDEX } from './insn-table';
import type { ControlFlow, DecodedInsn, MemOperand, Mode, Operand, RegFile, RegOperand } from './ir1';
import { decodeAddress, EffAddr } from './modrm';
import { CC_READ, FLAG_ZF, X86Op } from './op-info';
import { M, S } from './operand-types';

const MAX_LEN = 15;
const P66 = 1, P67 = 2, PLOCK = 3, PREP = 4, PSEG = 5;
/** Legacy prefix kind by byte. */
const PREFIX_KIND = new Uint8Array(256);
PREFIX_KIND[0x66] = P66;
PREFIX_KIND[0x67] = P67;
PREFIX_KIND[0xf0] = PLOCK;
PREFIX_KIND[0xf2] = PREP;
PREFIX_KIND[0xf3] = PREP;
for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) PREFIX_KIND[b] = PSEG;

const SEG_ES = 0, SEG_DS = 3;
/** VEX.pp -> the legacy prefix it stands for */
const PP: readonly MandatoryPrefix[] = ['none', '66', 'F3', 'F2'];
/** 0F-map opcodes whose VEX/EVEX forms take an 8-bit immediate (the 0F3A map always does) */
const VEX_IMM8_0F = new Set([0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6]);
const WAIT_BASE = MAP_BASE.wait;
const genericEntry = (r: InsnRow): OpcodeEntry => ({ hasModrm: true, rows: [r], byReg: Array.from({ length: 8 }, () => [r]) });
const GENERIC = genericEntry(AVX_GENERIC);
const GENERIC_IMM = genericEntry(AVX_GENERIC_IMM);
const REX_W = 8, REX_R = 4, REX_B = 1;

// per-call scratch, reused so that decoding allocates only the result
const ea: EffAddr = { base: -1, index: -1, scale: 1, disp: 0, dispSize: 0, seg: SEG_DS, rip: false, eiz: false, rexUsed: 0 };
const use: PrefixUse = {
  mode: 32, row: undefined as unknown as InsnRow, last66: -1, last67: -1, lastSeg: -1, lastRep: -1, lastRex: -1,
  used66: false, used67: false, usedSeg: false, notrack: false, hle: 0, repConsumed: false, rexUsed: 0,
};

/** What selects a row among an opcode's candidates (a reused scratch object). */
interface Selector {
  mode: Mode; mp: MandatoryPrefix; has66: boolean; rex: number; vexKind: number; vexL: number;
  /** REX.W, or VEX/EVEX.W (which counts in 32-bit mode too) */
  w: boolean;
  hasModrm: boolean; mod: number; regf: number; rmf: number;
}
const sel: Selector = { mode: 32, mp: 'none', has66: false, rex: 0, vexKind: 0, vexL: 0, w: false, hasModrm: false, mod: 0, regf: 0, rmf: 0 };

/** The first candidate row whose conditions (mode, mandatory prefix, REX/VEX bits, ModRM fields) hold. */
function pickRow(candidates: readonly InsnRow[], s: Selector): InsnRow | undefined {
  for (const r of candidates) {
    if (r.mode !== undefined && r.mode !== s.mode) continue;
    if (r.prefix !== undefined && r.prefix !== s.mp) continue;
    if (r.need66 && !s.has66) continue;
    if (r.noRexB && s.rex & REX_B) continue;
    if (r.rexW !== undefined && r.rexW !== s.w) continue;
    if (r.vex !== undefined && (r.vex === 'evex') !== (s.vexKind === 2)) continue;
    if (r.vexL !== undefined && r.vexL !== s.vexL) continue;
    if (s.hasModrm) {
      if (r.reg !== undefined && r.reg !== s.regf) continue;
      if (r.memOnly ? s.mod === 3 : r.regOnly && s.mod !== 3) continue;
      if (r.rm !== undefined && r.rm !== s.rmf) continue;
    }
    return r;
  }
  return undefined;
}

function fail(kind: 'undefined' | 'truncated', code: Uint8Array, offset: number, addr: number, upTo: number): never {
  throw new DecodeError(kind, addr, code.slice(offset, Math.min(upTo, code.length)));
}

// The instruction being decoded, kept at module level so the operand helpers below are plain
// functions (closures per call would allocate on every instruction).
let cCode: Uint8Array = new Uint8Array(0);
let cOffset = 0, cAddr = 0, cRex = 0, cMemSeg = -1, cVexKind = 0, cBcst = false, cRexUsed = 0, cMemUsed = false;

/** Out of bytes before `upTo`: truncated if the buffer ends first, else longer than 15 bytes. */
function short(upTo: number): never {
  return fail(upTo > cCode.length ? 'truncated' : 'undefined', cCode, cOffset, cAddr, upTo);
}

function vecReg(reg: number, file: RegFile): RegOperand {
  return { kind: 'reg', file, reg, size: file === 'xmm' ? 128 : file === 'ymm' ? 256 : 512 };
}

/** A general register from ModRM or the opcode: with any REX, byte registers 4..7 are spl..dil. */
function gpr(reg: number, size: number): RegOperand {
  if (size === 8 && cRex === 0 && reg >= 4 && reg < 8) return { kind: 'reg', file: 'gpr', reg: reg - 4, size, high8: true };
  if (size === 8 && cRex !== 0) cRexUsed |= 0x40;
  return { kind: 'reg', file: 'gpr', reg, size };
}

/** xmm16..31 and their ymm/zmm forms exist only with EVEX */
function isHighVector(o: Operand): boolean {
  return o.kind === 'reg' && (o.file === 'xmm' || o.file === 'ymm' || o.file === 'zmm') && o.reg >= 16;
}

function fixedGpr(reg: number, size: number): RegOperand {
  return { kind: 'reg', file: 'gpr', reg, size };
}

/** The ModRM memory operand (decoded into `ea`) accessed with `size` bits. */
function mem(size: number): MemOperand {
  cMemUsed = true;
  // EVEX compresses disp8: it counts units of the access (one element when broadcasting)
  const evexBcst = cVexKind === 2 && cBcst;
  const elem = cRex & REX_W ? 64 : 32;
  const n = cVexKind === 2 && ea.dispSize === 1 ? (evexBcst ? elem : size) >> 3 : 1;
  const o: MemOperand = {
    kind: 'mem', seg: cMemSeg >= 0 ? cMemSeg : ea.seg, segOverride: cMemSeg >= 0, base: ea.base, index: ea.index,
    scale: ea.scale, disp: ea.disp * (n || 1), dispSize: ea.dispSize, size: evexBcst ? elem : size,
  };
  if (ea.rip) o.ripRelative = true;
  if (ea.eiz) o.eiz = true;
  if (evexBcst) o.broadcast = elem;
  return o;
}

/** Sign-extends `v` (an unsigned value of `from` bits, from <= 32) to `to` bits and returns [lo32 unsigned, hi32]. */
function immOperand(v: number, from: number, to: number, signed: boolean): Operand {
  const neg = signed && from < 64 && (v & (from === 32 ? 0x80000000 : 1 << (from - 1))) !== 0;
  if (to === 64) return { kind: 'imm', value: (neg && from < 32 ? v | (-1 << from) : v) >>> 0, hi: neg ? 0xffffffff : 0, size: 64 };
  const ext = neg && from < to ? v | (-1 << from) : v;
  return { kind: 'imm', value: to === 32 ? ext >>> 0 : ext & ((1 << to) - 1), size: to };
}

/**
 * Decodes one instruction. code[offset] is at guest address `addr`. Throws DecodeError
 * ('truncated' when the buffer ends inside the instruction, 'undefined' otherwise) and nothing else.
 */
export function decodeInsn(code: Uint8Array, offset: number, addr: number, mode: Mode, code16 = false): DecodedInsn {
  const mode64 = mode === 64;
  const limit = offset + MAX_LEN;
  const end = Math.min(code.length, limit);
  cCode = code;
  cOffset = offset;
  cAddr = addr;
  let pos = offset;
  let has66 = false, has67 = false, lock = false, repByte = 0, seg = -1, rex = 0;
  use.last66 = use.last67 = use.lastSeg = use.lastRep = use.lastRex = -1;
  for (;;) {
    if (pos >= end) short(pos + 1);
    const b = code[pos];
    if (mode64 && (b & 0xf0) === 0x40) {
      rex = b;
      use.lastRex = pos++;
      continue;
    }
    const k = PREFIX_KIND[b];
    if (k === 0) break;
    rex = 0; // a legacy prefix after REX makes the REX ignored
    use.lastRex = -1;
    if (k === P66) { has66 = true; use.last66 = pos; }
    else if (k === P67) { has67 = true; use.last67 = pos; }
    else if (k === PLOCK) lock = true;
    else if (k === PREP) { repByte = b; use.lastRep = pos; }
    else { seg = SEG_OF_PREFIX[b] as number; use.lastSeg = pos; }
    pos++;
  }
  const opcodeStart = pos;
  let base = 0;
  let opc = code[pos++];
  // VEX (C4/C5) and EVEX (62): in 32-bit mode only when the next byte cannot be a memory ModRM (LES/LDS/BOUND)
  let vexKind = 0, vexL = 0, vvvv = 0, opmask = 0, zeroing = false, bcst = false, regHi = 0, rmHi = 0, vexW = false;
  let mp: MandatoryPrefix = repByte === 0xf3 ? 'F3' : repByte === 0xf2 ? 'F2' : has66 ? '66' : 'none';
  if ((opc === 0xc4 || opc === 0xc5 || opc === 0x62) && pos < end && (mode64 || code[pos] >= 0xc0)) {
    const n = opc === 0xc5 ? 1 : opc === 0xc4 ? 2 : 3;
    if (pos + n >= end) short(pos + n + 1);
    const b1 = code[pos], b2 = code[pos + 1], b3 = code[pos + 2];
    let map: number, last: number;
    if (opc === 0xc5) {
      map = 1;
      last = b1;
      if (mode64) rex = 0x40 | (b1 & 0x80 ? 0 : REX_R);
    } else {
      map = opc === 0xc4 ? b1 & 0x1f : b1 & 7;
      last = b2;
      vexW = (b2 & 0x80) !== 0;
      if (mode64) rex = 0x40 | ((~b1 >> 5) & 7) | (b2 & 0x80 ? REX_W : 0);
    }
    vvvv = (~last >> 3) & 15;
    mp = PP[last & 3];
    if (opc === 0x62) {
      vexKind = 2;
      vexL = (b3 >> 5) & 3;
      zeroing = (b3 & 0x80) !== 0;
      bcst = (b3 & 0x10) !== 0;
      opmask = b3 & 7;
      if (mode64) {
        regHi = b1 & 0x10 ? 0 : 16;
        rmHi = b1 & 0x40 ? 0 : 16;
        if (!(b3 & 8)) vvvv |= 16;
      }
    } else {
      vexKind = 1;
      vexL = (last >> 2) & 1;
    }
    pos += n;
    if (map < 1 || map > 3) fail('undefined', code, offset, addr, opcodeStart + 1); // objdump: (bad) of the escape byte
    if (pos >= end) short(pos + 1);
    base = map * 256;
    opc = code[pos++];
  } else if (opc === 0x9b && pos < end && code[pos] >= 0xd8 && code[pos] <= 0xdf) {
    // FWAIT then an x87 op is one instruction, as objdump shows it: the waiting form of a
    // control op (fstsw = 9B DD /7), else the op itself with the FWAIT folded in (no effect in user mode)
    const waitForms = OPCODE_INDEX[WAIT_BASE + code[pos]];
    if (waitForms !== undefined && pos + 1 < end) {
      const m = code[pos + 1];
      sel.mode = mode; sel.mp = 'none'; sel.has66 = has66; sel.rex = rex; sel.vexKind = 0; sel.vexL = 0; sel.w = (rex & REX_W) !== 0;
      sel.hasModrm = true; sel.mod = m >> 6; sel.regf = (m >> 3) & 7; sel.rmf = m & 7;
      if (pickRow(waitForms.byReg[sel.regf], sel)) base = WAIT_BASE;
    }
    opc = code[pos++];
  } else if (opc === 0x0f) {
    if (pos >= end) short(pos + 1);
    opc = code[pos++];
    base = 256;
    if (opc === 0x38 || opc === 0x3a) {
      if (pos >= end) short(pos + 1);
      base = opc === 0x38 ? 512 : 768;
      opc = code[pos++];
    }
  }
  // objdump's "(bad)" covers the prefixes and opcode bytes: undefined errors report those
  const opcodeEnd = pos;
  let entry = (vexKind ? VEX_INDEX : OPCODE_INDEX)[base + opc];
  const generic = base === 768 || (base === 256 && VEX_IMM8_0F.has(opc)) ? AVX_GENERIC_IMM : AVX_GENERIC;
  if (entry === undefined) {
    if (!vexKind) fail('undefined', code, offset, addr, opcodeEnd);
    entry = generic === AVX_GENERIC ? GENERIC : GENERIC_IMM;
  }
  let mod = 0, regf = 0, rmf = 0;
  const hasModrm = entry.hasModrm;
  if (hasModrm) {
    if (pos >= end) short(pos + 1);
    const m = code[pos++];
    mod = m >> 6;
    regf = (m >> 3) & 7;
    rmf = m & 7;
  }
  const candidates = hasModrm ? entry.byReg[regf] : entry.rows;
  // EVEX.b on a register form is embedded rounding (L'L then names the mode) at 512 bits
  let rounding: number | undefined;
  if (vexKind === 2 && bcst && mod === 3) {
    rounding = vexL;
    vexL = 2;
    bcst = false;
  }
  sel.mode = mode; sel.mp = mp; sel.has66 = has66; sel.rex = rex; sel.vexKind = vexKind; sel.vexL = vexL;
  sel.w = (rex & REX_W) !== 0 || vexW;
  sel.hasModrm = hasModrm; sel.mod = mod; sel.regf = regf; sel.rmf = rmf;
  let row = pickRow(candidates, sel);
  if (row === undefined && vexKind && hasModrm) row = generic;
  if (row === undefined) {
    // objdump's (bad) for an undefined x87 form spans its ModRM and address
    if (base === 0 && opc >= 0xd8 && opc <= 0xdf && mod !== 3) {
      const after = decodeAddress(code, pos, end, mod, rmf, rex, mode64 ? (has67 ? 32 : 64) : has67 !== code16 ? 16 : 32, mode64, ea);
      fail('undefined', code, offset, addr, after < 0 ? pos : after);
    }
    fail('undefined', code, offset, addr, base === 0 && opc >= 0xd8 && opc <= 0xdf ? pos : opcodeEnd);
  }
  // 64-bit mode ignores ES/CS/SS/DS overrides (objdump then names them as prefixes); 3E on a
  // near indirect branch is CET's notrack, not a segment
  const notrack = seg === 3 && (row.op === 'CALL' || row.op === 'JMP') && row.cf !== 'call' && row.cf !== 'jump';
  const memSeg = (mode64 && seg < 4) || notrack ? -1 : seg;
  const vecBits = 128 << vexL;
  const vecFile: RegFile = vexL === 0 ? 'xmm' : vexL === 1 ? 'ymm' : 'zmm';

  const consumed66 = row.prefix === '66' && !vexKind;
  const repConsumed = (row.prefix === 'F3' || row.prefix === 'F2') && !vexKind;
  // a 16-bit code segment (its descriptor's D bit clear) swaps the defaults that 66 and 67 toggle
  const opsize16 = (has66 && !consumed66) !== code16;
  let vSize: number;
  if (mode64) {
    vSize = rex & REX_W ? 64 : row.size64 === 'f64' || (row.size64 === 'd64' && !opsize16) ? 64 : opsize16 ? 16 : 32;
  } else vSize = opsize16 ? 16 : 32;
  const addrSize = mode64 ? (has67 ? 32 : 64) : has67 !== code16 ? 16 : 32;
  let rexUsed = 0;
  if (rex & REX_W && ((row.sizeMatters && !row.byteOp && !row.zOp && !row.size64) || row.rexW)) rexUsed |= REX_W;

  if (hasModrm && mod !== 3) {
    pos = decodeAddress(code, pos, end, mod, rmf, rex, addrSize, mode64, ea);
    if (pos < 0) short(end + 1);
    rexUsed |= ea.rexUsed;
  }

  // operands
  const specs = row.parsed;
  const operands: Operand[] = [];
  let sizingReg = false;
  let moffs = false;
  let strOp = false;
  let relTarget = NaN;
  cRex = rex;
  cMemSeg = memSeg;
  cVexKind = vexKind;
  cBcst = bcst;
  cRexUsed = rexUsed;
  cMemUsed = false;
  for (let i = 0; i < specs.length; i++) {
    const sp = specs[i];
    let size: number;
    switch (sp.size) {
      case S.b: size = 8; break;
      case S.w: size = 16; break;
      case S.d: size = 32; break;
      case S.q: size = 64; break;
      case S.t: size = 80; break;
      case S.x: size = vecBits; break;
      case S.o: size = 128; break;
      case S.z: size = vSize === 16 ? 16 : 32; break;
      case S.y: size = rex & REX_W ? 64 : 32; break;
      case S.p: size = vSize + 16; break;
      case S['0']: size = 0; break;
      case S.db:
      case S.dw: size = 32; break;
      default: size = vSize; // v, bs, vw
    }
    let o: Operand;
    switch (sp.method) {
      case M.E:
      case M.R:
        if (mod === 3 || sp.method === M.R) {
          if (rex & REX_B) cRexUsed |= REX_B;
          o = gpr(rmf | ((rex & REX_B) << 3), size);
          sizingReg = true;
        } else o = mem(sp.size === S.vw || sp.size === S.dw ? 16 : sp.size === S.db ? 8 : size);
        break;
      case M.M:
        o = mem(size);
        break;
      case M.G:
        if (rex & REX_R) cRexUsed |= REX_R;
        o = gpr(regf | ((rex & REX_R) << 1), size);
        sizingReg = true;
        break;
      case M.Z:
        if (rex & REX_B) cRexUsed |= REX_B;
        o = gpr((opc & 7) | ((rex & REX_B) << 3), size);
        sizingReg = true;
        break;
      case M.FIXED_GPR:
        o = fixedGpr(sp.reg, size);
        if (sp.reg !== 1 || size !== 8) sizingReg = true; // CL as a count does not show the size
        break;
      case M.PORT_DX:
        o = { kind: 'reg', file: 'gpr', reg: 2, size: 16 };
        break;
      case M.S:
        if (regf > 5) fail('undefined', code, offset, addr, pos); // objdump prints %? over the whole instruction
        o = { kind: 'reg', file: 'seg', reg: regf, size: 16 };
        sizingReg = true;
        break;
      case M.FIXED_SEG:
        o = { kind: 'reg', file: 'seg', reg: sp.reg, size: 16 };
        break;
      case M.C:
      case M.D:
        if (rex & REX_R) cRexUsed |= REX_R;
        o = { kind: 'reg', file: sp.method === M.C ? 'cr' : 'dr', reg: regf | ((rex & REX_R) << 1), size: mode64 ? 64 : 32 };
        break;
      case M.P:
        o = { kind: 'reg', file: 'mmx', reg: regf, size: 64 };
        break;
      case M.N:
        o = { kind: 'reg', file: 'mmx', reg: rmf, size: 64 };
        break;
      case M.Q:
        o = mod === 3 ? { kind: 'reg', file: 'mmx', reg: rmf, size: 64 } : mem(size);
        break;
      case M.V:
        if (rex & REX_R) cRexUsed |= REX_R;
        o = vecReg(regf | ((rex & REX_R) << 1) | regHi, sp.size === S.x ? vecFile : 'xmm');
        break;
      case M.U:
      case M.W:
        if (mod === 3 || sp.method === M.U) {
          if (rex & REX_B) cRexUsed |= REX_B;
          o = vecReg(rmf | ((rex & REX_B) << 3) | rmHi, sp.size === S.x ? vecFile : 'xmm');
        } else o = mem(size);
        break;
      case M.H:
        o = vecReg(vvvv, sp.size === S.x ? vecFile : 'xmm');
        break;
      case M.L: {
        if (pos >= end) short(pos + 1);
        o = vecReg((code[pos++] >> 4) & (mode64 ? 15 : 7), sp.size === S.x ? vecFile : 'xmm'); // 32-bit: xmm0-7
        break;
      }
      case M.B:
        o = { kind: 'reg', file: 'gpr', reg: vvvv & 15, size };
        sizingReg = true;
        break;
      case M.K:
        o = { kind: 'reg', file: 'k', reg: regf, size: 64 };
        break;
      case M.VVVV_MASK:
        o = { kind: 'reg', file: 'k', reg: vvvv & 7, size: 64 };
        break;
      case M.T:
        o = mod === 3 ? { kind: 'reg', file: 'k', reg: rmf, size: 64 } : mem(size);
        break;
      case M.XMM0:
        o = { kind: 'reg', file: 'xmm', reg: 0, size: 128 };
        break;
      case M.F:
        o = { kind: 'reg', file: 'x87', reg: rmf, size: 80 };
        break;
      case M.ST0:
        o = { kind: 'reg', file: 'x87', reg: 0, size: 80 };
        break;
      case M.ONE:
        o = { kind: 'imm', value: 1, size: 8 };
        break;
      case M.I: {
        const n = sp.size === S.b || sp.size === S.bs ? 1 : sp.size === S.w ? 2 : sp.size === S.v && vSize === 64 ? 8 : size === 16 ? 2 : 4;
        if (pos + n > end) short(pos + n);
        if (n === 8) {
          const lo = (code[pos] | (code[pos + 1] << 8) | (code[pos + 2] << 16) | (code[pos + 3] << 24)) >>> 0;
          const hi = (code[pos + 4] | (code[pos + 5] << 8) | (code[pos + 6] << 16) | (code[pos + 7] << 24)) >>> 0;
          o = { kind: 'imm', value: lo, hi, size: 64 };
        } else {
          let v = code[pos];
          if (n >= 2) v |= code[pos + 1] << 8;
          if (n === 4) v = (v | (code[pos + 2] << 16) | (code[pos + 3] << 24)) >>> 0;
          o = sp.size === S.bs ? immOperand(v, 8, vSize, true) : immOperand(v, n * 8, sp.size === S.b ? 8 : sp.size === S.z ? vSize : size, true);
        }
        pos += n;
        break;
      }
      case M.J: {
        const n = sp.size === S.b ? 1 : vSize === 16 && !mode64 ? 2 : 4;
        if (pos + n > end) short(pos + n);
        let rel: number;
        if (n === 1) rel = (code[pos] << 24) >> 24;
        else if (n === 2) rel = ((code[pos] | (code[pos + 1] << 8)) << 16) >> 16;
        else rel = code[pos] | (code[pos + 1] << 8) | (code[pos + 2] << 16) | (code[pos + 3] << 24);
        pos += n;
        relTarget = rel;
        o = { kind: 'imm', value: 0, size: n * 8 }; // patched below once the length is known
        break;
      }
      case M.O: {
        const n = addrSize >> 3;
        if (pos + n > end) short(pos + n);
        let disp = code[pos] | (code[pos + 1] << 8);
        if (n >= 4) disp = (disp | (code[pos + 2] << 16) | (code[pos + 3] << 24)) >>> 0;
        cMemUsed = true;
        o = { kind: 'mem', seg: memSeg >= 0 ? memSeg : SEG_DS, segOverride: memSeg >= 0, base: -1, index: -1, scale: 1, disp, dispSize: n, size };
        if (n === 8) o.dispHi = (code[pos + 4] | (code[pos + 5] << 8) | (code[pos + 6] << 16) | (code[pos + 7] << 24)) >>> 0;
        pos += n;
        moffs = true;
        break;
      }
      case M.X:
      case M.Y:
      case M.XLAT: {
        const isY = sp.method === M.Y;
        if (!isY) cMemUsed = true;
        strOp = true;
        o = {
          kind: 'mem', seg: isY ? SEG_ES : memSeg >= 0 ? memSeg : SEG_DS, segOverride: !isY && memSeg >= 0,
          base: sp.method === M.X ? 6 : isY ? 7 : 3, index: -1, scale: 1, disp: 0, dispSize: 0, size,
        };
        break;
      }
      case M.A: {
        const n = vSize === 16 ? 2 : 4;
        if (pos + n + 2 > end) short(pos + n + 2);
        let off = code[pos] | (code[pos + 1] << 8);
        if (n === 4) off = (off | (code[pos + 2] << 16) | (code[pos + 3] << 24)) >>> 0;
        o = { kind: 'far', selector: code[pos + n] | (code[pos + n + 1] << 8), offset: off };
        pos += n + 2;
        break;
      }
      default:
        throw new Error(`insn table: unhandled operand method ${sp.method}`);
    }
    operands.push(o);
  }
  const memUsed = cMemUsed;
  rexUsed = cRexUsed;
  const length = pos - offset;
  if (length > MAX_LEN) fail('undefined', code, offset, addr, opcodeEnd);

  let target: number | undefined;
  if (relTarget === relTarget) {
    const next = addr + length + relTarget;
    target = mode64 ? next : vSize === 16 ? next & 0xffff : next >>> 0; // 64-bit: may be < 0 when it wraps
    for (let i = 0; i < operands.length; i++) {
      const o = operands[i];
      if (o.kind === 'imm' && specs[i].method === M.J) o.value = target;
    }
  }
  const cond = row.cond ?? -1;
  const rep = repConsumed || repByte === 0 || row.rep === undefined ? 'none' : repByte === 0xf2 ? 'repne' : row.rep;
  let flagsRead = row.flagsRead | (cond >= 0 ? CC_READ[cond] : 0);
  if (rep !== 'none' && (row.op === 'CMPS' || row.op === 'SCAS')) flagsRead |= FLAG_ZF;
  let cf = row.cf ?? 'next';
  if (row.op === 'INT' && operands[0].kind === 'imm' && operands[0].value === 0x80) cf = 'syscall';

  // the AT&T mnemonic, with the prefixes objdump names
  const opSize = row.byteOp ? 8 : row.zOp && vSize === 64 ? 32 : vSize;
  const last = operands[operands.length - 1];
  let mnemonic = expandAtt(row, opSize, addrSize, mode, cond, sizingReg, row.immPredicate !== undefined && last.kind === 'imm' ? last.value : -1,
    vexKind === 1 && memUsed ? vecBits : 0);
  // objdump marks an EVEX encoding that a VEX one could express
  if (vexKind === 2 && row.vexTwin && !opmask && !zeroing && !bcst && vexL < 2 && !operands.some(isHighVector)) {
    mnemonic = '{evex} ' + mnemonic;
  }
  // 2E/3E on a conditional jump are branch hints: objdump appends ,pn / ,pt
  const hint = row.cf === 'jcc' && (seg === 1 || seg === 3);
  if (hint) mnemonic += seg === 1 ? ',pn' : ',pt';
  if (opcodeStart > offset) {
    use.mode = mode;
    use.row = row;
    use.used66 = consumed66 || (row.sizeMatters && !row.byteOp && !(rex & REX_W)); // REX.W overrides 66
    use.used67 = (memUsed && !moffs) || strOp || row.op === 'JCXZ' || row.op.startsWith('LOOP'); // objdump names 67 on moffs, jcc
    use.usedSeg = (memUsed && memSeg >= 0) || hint || (mode64 && strOp && seg >= 0 && seg < 4 && row.parsed.some((p) => p.method === M.X));
    use.notrack = notrack;
    const memDst = operands.length > 0 && operands[0].kind === 'mem';
    use.hle = row.op === 'XCHG' && memUsed ? 2 : lock && memDst ? 1
      : row.op === 'MOV' && memDst && base === 0 && (opc === 0x88 || opc === 0x89 || opc === 0xc6 || opc === 0xc7) ? 3 : 0;
    use.repConsumed = repConsumed;
    use.rexUsed = rexUsed === 0 ? 0 : rexUsed | 0x40;
    mnemonic = prefixWords(code, offset, opcodeStart, use) + mnemonic;
  }
  return new Insn(code, offset, addr, length, mode, row.op, cond, operands, opSize, addrSize, rep, lock, flagsRead,
    row.flagsWritten, row.flagsUndefined, cf, target, mnemonic, vexKind === 2 ? opmask : undefined,
    vexKind === 2 ? zeroing : undefined, rounding, row, memSeg >= 0 ? memSeg : undefined);
}

/** DecodedInsn with `bytes` made on first use: a typed-array view per instruction is costly. */
class Insn implements DecodedInsn {
  private view: Uint8Array | undefined;
  constructor(
    private readonly code: Uint8Array,
    private readonly offset: number,
    readonly addr: number,
    readonly length: number,
    readonly mode: Mode,
    readonly op: X86Op,
    readonly cond: number,
    readonly operands: Operand[],
    readonly opSize: number,
    readonly addrSize: number,
    readonly rep: DecodedInsn['rep'],
    readonly lock: boolean,
    readonly flagsRead: number,
    readonly flagsWritten: number,
    readonly flagsUndefined: number,
    readonly cf: ControlFlow,
    readonly target: number | undefined,
    readonly mnemonic: string,
    readonly opmask: number | undefined,
    readonly zeroing: boolean | undefined,
    readonly rounding: number | undefined,
    readonly row: InsnRow,
    readonly segPrefix: number | undefined,
  ) {}

  get bytes(): Uint8Array {
    return (this.view ??= this.code.subarray(this.offset, this.offset + this.length));
  }
}
