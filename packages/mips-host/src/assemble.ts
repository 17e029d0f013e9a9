/**
 * MIPS64r2 assembler: one method per instruction, GNU operand order, registers as numbers.
 * Every method encodes through the table row of the same name (operand tokens say which field
 * each argument fills). Branches take Labels, fixed up when the label is bound; j/jal take an
 * absolute host address. Each word is tagged with the current `region` for the counters.
 *
 *   const a = new Assembler(CODE_CACHE_BASE);
 *   const loop = a.newLabel(); a.bind(loop);
 *   a.addiu(REG.v0, REG.v0, -1); a.bne(REG.v0, REG.zero, loop); a.nop();   // delay slot
 *   a.finish(); machine.writeCode(a.origin, a.words, a.regions);
 */
import { bitfieldValid } from './decode';
import { REGION } from './counters';
import { INSN, type MipsInsn, type MipsInsnName } from './mips-insn-table';

export class AssemblerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblerError';
  }
}

export class Label {
  /** Word index the label is bound to, or -1. */
  index = -1;
  /** Word indices of branches waiting for this label. */
  readonly pending: number[] = [];
}

const JUMP_REGION = 0x10000000;

function checkReg(r: number): number {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new AssemblerError(`bad register ${r}`);
  return r;
}
function checkRange(what: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new AssemblerError(`${what} ${v} out of range [${lo}, ${hi}]`);
  return v;
}

/** The j/jal word at `jumpAddr` that jumps to `target` (for patching a chain slot in place). */
export function encodeJ(opcodeName: 'j' | 'jal', jumpAddr: number, target: number): number {
  const slot = jumpAddr + 4;
  if (target % 4 !== 0) throw new AssemblerError(`jump target 0x${target.toString(16)} not word-aligned`);
  if (Math.floor(target / JUMP_REGION) !== Math.floor(slot / JUMP_REGION))
    throw new AssemblerError(`jump target 0x${target.toString(16)} outside the 256 MiB region of 0x${slot.toString(16)}`);
  return (INSN[opcodeName].match | ((target % JUMP_REGION) / 4)) >>> 0;
}

export class Assembler {
  readonly words: number[] = [];
  readonly regions: number[] = [];
  region: number = REGION.tb_body;
  private readonly labels: Label[] = [];

  constructor(readonly origin: number) {}

  get offset(): number {
    return this.words.length;
  }
  get pc(): number {
    return this.origin + 4 * this.words.length;
  }

  newLabel(): Label {
    const l = new Label();
    this.labels.push(l);
    return l;
  }
  bind(l: Label): void {
    if (l.index >= 0) throw new AssemblerError('label bound twice');
    l.index = this.offset;
    for (const at of l.pending) this.words[at] = this.withOffset(this.words[at], at, l.index);
    l.pending.length = 0;
  }
  /** Checks that every referenced label was bound. */
  finish(): void {
    for (const l of this.labels) if (l.pending.length > 0) throw new AssemblerError(`unbound label used at word ${l.pending[0]}`);
  }

  word(w: number): void {
    this.words.push(w >>> 0);
    this.regions.push(this.region);
  }
  patchWord(index: number, w: number): void {
    checkRange('word index', index, 0, this.words.length - 1);
    this.words[index] = w >>> 0;
  }

  private withOffset(w: number, at: number, target: number): number {
    const off = checkRange('branch offset', target - (at + 1), -0x8000, 0x7fff);
    return ((w & 0xffff0000) | (off & 0xffff)) >>> 0;
  }

  /** Encodes a row; args follow its operand tokens (`zero` takes none, pos+size take two). */
  private emit(name: MipsInsnName, ...args: number[]): void {
    const insn: MipsInsn = INSN[name];
    let w = insn.match;
    let i = 0;
    for (const op of insn.operands) {
      switch (op) {
        case 'd': w |= checkReg(args[i++]) << 11; break;
        case 's': w |= checkReg(args[i++]) << 21; break;
        case 't': w |= checkReg(args[i++]) << 16; break;
        case 'U': { const r = checkReg(args[i++]); w |= (r << 11) | (r << 16); break; }
        case 'sa': w |= checkRange('shift amount', args[i++], 0, 31) << 6; break;
        case 'simm': w |= checkRange('immediate', args[i++], -0x8000, 0x7fff) & 0xffff; break;
        case 'uimm': w |= checkRange('immediate', args[i++], 0, 0xffff); break;
        case 'mem': {
          const off = checkRange('offset', args[i++], -0x8000, 0x7fff);
          w |= (checkReg(args[i++]) << 21) | (off & 0xffff);
          break;
        }
        case 'pos': {
          const pos = args[i++], size = args[i++];
          const f = insn.bitfield!;
          const lsb = pos - f.posBias;
          const msb = (f.msbIsEnd ? pos + size : size) - f.msbBias;
          if (!Number.isInteger(pos) || !Number.isInteger(size) || lsb < 0 || lsb > 31 || msb < 0 || msb > 31 || !bitfieldValid(insn, pos, size))
            throw new AssemblerError(`${name}: pos ${pos} size ${size} not encodable`);
          w |= (msb << 11) | (lsb << 6);
          break;
        }
        case 'size': case 'zero': case 'off': break; // off: filled in by the label fixup
        case 'index': throw new AssemblerError(`${name}: use encodeJ`);
      }
    }
    this.word(w);
  }

  private emitBranch(name: MipsInsnName, target: Label, ...regs: number[]): void {
    this.emit(name, ...regs);
    const at = this.offset - 1;
    if (target.index >= 0) this.words[at] = this.withOffset(this.words[at], at, target.index);
    else target.pending.push(at);
  }

  // ALU, three registers
  addu(rd: number, rs: number, rt: number): void { this.emit('addu', rd, rs, rt); }
  subu(rd: number, rs: number, rt: number): void { this.emit('subu', rd, rs, rt); }
  and(rd: number, rs: number, rt: number): void { this.emit('and', rd, rs, rt); }
  or(rd: number, rs: number, rt: number): void { this.emit('or', rd, rs, rt); }
  xor(rd: number, rs: number, rt: number): void { this.emit('xor', rd, rs, rt); }
  nor(rd: number, rs: number, rt: number): void { this.emit('nor', rd, rs, rt); }
  slt(rd: number, rs: number, rt: number): void { this.emit('slt', rd, rs, rt); }
  sltu(rd: number, rs: number, rt: number): void { this.emit('sltu', rd, rs, rt); }
  daddu(rd: number, rs: number, rt: number): void { this.emit('daddu', rd, rs, rt); }
  dsubu(rd: number, rs: number, rt: number): void { this.emit('dsubu', rd, rs, rt); }
  movn(rd: number, rs: number, rt: number): void { this.emit('movn', rd, rs, rt); }
  movz(rd: number, rs: number, rt: number): void { this.emit('movz', rd, rs, rt); }
  /** Trapping forms (integer-overflow fault). */
  add(rd: number, rs: number, rt: number): void { this.emit('add', rd, rs, rt); }
  sub(rd: number, rs: number, rt: number): void { this.emit('sub', rd, rs, rt); }
  dadd(rd: number, rs: number, rt: number): void { this.emit('dadd', rd, rs, rt); }
  dsub(rd: number, rs: number, rt: number): void { this.emit('dsub', rd, rs, rt); }
  // ALU, immediate
  addiu(rt: number, rs: number, imm: number): void { this.emit('addiu', rt, rs, imm); }
  daddiu(rt: number, rs: number, imm: number): void { this.emit('daddiu', rt, rs, imm); }
  slti(rt: number, rs: number, imm: number): void { this.emit('slti', rt, rs, imm); }
  sltiu(rt: number, rs: number, imm: number): void { this.emit('sltiu', rt, rs, imm); }
  addi(rt: number, rs: number, imm: number): void { this.emit('addi', rt, rs, imm); }
  daddi(rt: number, rs: number, imm: number): void { this.emit('daddi', rt, rs, imm); }
  andi(rt: number, rs: number, imm: number): void { this.emit('andi', rt, rs, imm); }
  ori(rt: number, rs: number, imm: number): void { this.emit('ori', rt, rs, imm); }
  xori(rt: number, rs: number, imm: number): void { this.emit('xori', rt, rs, imm); }
  lui(rt: number, imm: number): void { this.emit('lui', rt, imm); }
  // shifts
  sll(rd: number, rt: number, sa: number): void { this.emit('sll', rd, rt, sa); }
  srl(rd: number, rt: number, sa: number): void { this.emit('srl', rd, rt, sa); }
  sra(rd: number, rt: number, sa: number): void { this.emit('sra', rd, rt, sa); }
  rotr(rd: number, rt: number, sa: number): void { this.emit('rotr', rd, rt, sa); }
  dsll(rd: number, rt: number, sa: number): void { this.emit('dsll', rd, rt, sa); }
  dsrl(rd: number, rt: number, sa: number): void { this.emit('dsrl', rd, rt, sa); }
  dsra(rd: number, rt: number, sa: number): void { this.emit('dsra', rd, rt, sa); }
  drotr(rd: number, rt: number, sa: number): void { this.emit('drotr', rd, rt, sa); }
  dsll32(rd: number, rt: number, sa: number): void { this.emit('dsll32', rd, rt, sa); }
  dsrl32(rd: number, rt: number, sa: number): void { this.emit('dsrl32', rd, rt, sa); }
  dsra32(rd: number, rt: number, sa: number): void { this.emit('dsra32', rd, rt, sa); }
  drotr32(rd: number, rt: number, sa: number): void { this.emit('drotr32', rd, rt, sa); }
  sllv(rd: number, rt: number, rs: number): void { this.emit('sllv', rd, rt, rs); }
  srlv(rd: number, rt: number, rs: number): void { this.emit('srlv', rd, rt, rs); }
  srav(rd: number, rt: number, rs: number): void { this.emit('srav', rd, rt, rs); }
  rotrv(rd: number, rt: number, rs: number): void { this.emit('rotrv', rd, rt, rs); }
  dsllv(rd: number, rt: number, rs: number): void { this.emit('dsllv', rd, rt, rs); }
  dsrlv(rd: number, rt: number, rs: number): void { this.emit('dsrlv', rd, rt, rs); }
  dsrav(rd: number, rt: number, rs: number): void { this.emit('dsrav', rd, rt, rs); }
  drotrv(rd: number, rt: number, rs: number): void { this.emit('drotrv', rd, rt, rs); }
  // multiply / divide
  mult(rs: number, rt: number): void { this.emit('mult', rs, rt); }
  multu(rs: number, rt: number): void { this.emit('multu', rs, rt); }
  dmult(rs: number, rt: number): void { this.emit('dmult', rs, rt); }
  dmultu(rs: number, rt: number): void { this.emit('dmultu', rs, rt); }
  div(rs: number, rt: number): void { this.emit('div', rs, rt); }
  divu(rs: number, rt: number): void { this.emit('divu', rs, rt); }
  ddiv(rs: number, rt: number): void { this.emit('ddiv', rs, rt); }
  ddivu(rs: number, rt: number): void { this.emit('ddivu', rs, rt); }
  mfhi(rd: number): void { this.emit('mfhi', rd); }
  mflo(rd: number): void { this.emit('mflo', rd); }
  mthi(rs: number): void { this.emit('mthi', rs); }
  mtlo(rs: number): void { this.emit('mtlo', rs); }
  mul(rd: number, rs: number, rt: number): void { this.emit('mul', rd, rs, rt); }
  // loads and stores: (rt, offset, base)
  lb(rt: number, offset: number, base: number): void { this.emit('lb', rt, offset, base); }
  lbu(rt: number, offset: number, base: number): void { this.emit('lbu', rt, offset, base); }
  lh(rt: number, offset: number, base: number): void { this.emit('lh', rt, offset, base); }
  lhu(rt: number, offset: number, base: number): void { this.emit('lhu', rt, offset, base); }
  lw(rt: number, offset: number, base: number): void { this.emit('lw', rt, offset, base); }
  lwu(rt: number, offset: number, base: number): void { this.emit('lwu', rt, offset, base); }
  ld(rt: number, offset: number, base: number): void { this.emit('ld', rt, offset, base); }
  lwl(rt: number, offset: number, base: number): void { this.emit('lwl', rt, offset, base); }
  lwr(rt: number, offset: number, base: number): void { this.emit('lwr', rt, offset, base); }
  ldl(rt: number, offset: number, base: number): void { this.emit('ldl', rt, offset, base); }
  ldr(rt: number, offset: number, base: number): void { this.emit('ldr', rt, offset, base); }
  sb(rt: number, offset: number, base: number): void { this.emit('sb', rt, offset, base); }
  sh(rt: number, offset: number, base: number): void { this.emit('sh', rt, offset, base); }
  sw(rt: number, offset: number, base: number): void { this.emit('sw', rt, offset, base); }
  sd(rt: number, offset: number, base: number): void { this.emit('sd', rt, offset, base); }
  swl(rt: number, offset: number, base: number): void { this.emit('swl', rt, offset, base); }
  swr(rt: number, offset: number, base: number): void { this.emit('swr', rt, offset, base); }
  sdl(rt: number, offset: number, base: number): void { this.emit('sdl', rt, offset, base); }
  sdr(rt: number, offset: number, base: number): void { this.emit('sdr', rt, offset, base); }
  // bit fields: (rt, rs, pos, size) as GNU as takes them
  ext(rt: number, rs: number, pos: number, size: number): void { this.emit('ext', rt, rs, pos, size); }
  dext(rt: number, rs: number, pos: number, size: number): void { this.emit('dext', rt, rs, pos, size); }
  dextm(rt: number, rs: number, pos: number, size: number): void { this.emit('dextm', rt, rs, pos, size); }
  dextu(rt: number, rs: number, pos: number, size: number): void { this.emit('dextu', rt, rs, pos, size); }
  ins(rt: number, rs: number, pos: number, size: number): void { this.emit('ins', rt, rs, pos, size); }
  dins(rt: number, rs: number, pos: number, size: number): void { this.emit('dins', rt, rs, pos, size); }
  dinsm(rt: number, rs: number, pos: number, size: number): void { this.emit('dinsm', rt, rs, pos, size); }
  dinsu(rt: number, rs: number, pos: number, size: number): void { this.emit('dinsu', rt, rs, pos, size); }
  seb(rd: number, rt: number): void { this.emit('seb', rd, rt); }
  seh(rd: number, rt: number): void { this.emit('seh', rd, rt); }
  wsbh(rd: number, rt: number): void { this.emit('wsbh', rd, rt); }
  dsbh(rd: number, rt: number): void { this.emit('dsbh', rd, rt); }
  dshd(rd: number, rt: number): void { this.emit('dshd', rd, rt); }
  clz(rd: number, rs: number): void { this.emit('clz', rd, rs); }
  dclz(rd: number, rs: number): void { this.emit('dclz', rd, rs); }
  // system
  sync(): void { this.emit('sync'); }
  break(): void { this.emit('break'); }
  teq(rs: number, rt: number): void { this.emit('teq', rs, rt); }
  tne(rs: number, rt: number): void { this.emit('tne', rs, rt); }
  // branches: the caller emits the delay slot next
  beq(rs: number, rt: number, target: Label): void { this.emitBranch('beq', target, rs, rt); }
  bne(rs: number, rt: number, target: Label): void { this.emitBranch('bne', target, rs, rt); }
  blez(rs: number, target: Label): void { this.emitBranch('blez', target, rs); }
  bgtz(rs: number, target: Label): void { this.emitBranch('bgtz', target, rs); }
  bltz(rs: number, target: Label): void { this.emitBranch('bltz', target, rs); }
  bgez(rs: number, target: Label): void { this.emitBranch('bgez', target, rs); }
  bltzal(rs: number, target: Label): void { this.emitBranch('bltzal', target, rs); }
  bgezal(rs: number, target: Label): void { this.emitBranch('bgezal', target, rs); }
  j(target: number): void { this.word(encodeJ('j', this.pc, target)); }
  jal(target: number): void { this.word(encodeJ('jal', this.pc, target)); }
  jr(rs: number): void { this.emit('jr', rs); }
  jalr(rd: number, rs: number): void {
    if (rd === rs) throw new AssemblerError('jalr: rd and rs must differ');
    this.emit('jalr', rd, rs);
  }

  nop(): void { this.emit('sll', 0, 0, 0); }
  move(rd: number, rs: number): void { this.emit('or', rd, rs, 0); }

  /**
   * Loads an integer (|value| < 2^53) with the shortest lui/ori/addiu/daddiu/dsll sequence
   * found: int16 -> addiu; uint16 -> ori; int32 -> lui [+ ori]; else built from the upper
   * part, shifted, plus the low 16 bits.
   */
  li(rt: number, value: number): void {
    checkReg(rt);
    if (!Number.isSafeInteger(value)) throw new AssemblerError(`li: ${value} is not an integer below 2^53`);
    // most loads are of 32-bit values: their steps are emitted as found, not built first
    if (value >= -0x80000000 && value <= 0x7fffffff) li32(value, (name, a, b) => this.liStep(rt, name, a, b));
    else for (const [name, a, b] of liSequence(value)) this.liStep(rt, name, a, b);
  }

  private liStep(rt: number, name: LiStep[0], a: number, b: 0 | 1): void {
    if (name === 'lui') this.lui(rt, a);
    else if (name === 'dsll' || name === 'dsll32') this.emit(name, rt, rt, a);
    else this.emit(name, rt, b === 0 ? 0 : rt, a);
  }
}

/** [op, immediate, source] steps; source 0 = from $zero, 1 = from rt itself. */
type LiStep = readonly ['addiu' | 'ori' | 'daddiu' | 'lui' | 'dsll' | 'dsll32', number, 0 | 1];

/**
 * liSequence of the values beyond 32 bits, by value: the search below tries up to three
 * decompositions per level, and translation loads the same few host addresses (env, helpers,
 * code-cache targets) over and over (it was ~3% of a cold `dbtlab run`).
 */
const LI_WIDE = new Map<number, readonly LiStep[]>();
const LI_WIDE_MAX = 4096;

function liSequence(v: number): readonly LiStep[] {
  if (v >= -0x80000000 && v <= 0x7fffffff) return liSearch(v);
  let steps = LI_WIDE.get(v);
  if (steps === undefined) {
    if (LI_WIDE.size >= LI_WIDE_MAX) LI_WIDE.clear();
    LI_WIDE.set(v, (steps = liSearch(v)));
  }
  return steps;
}

/** The steps of a 32-bit value: int16 -> addiu; uint16 -> ori; else lui [+ ori]. */
function li32(v: number, step: (name: 'addiu' | 'ori' | 'lui', imm: number, source: 0 | 1) => void): void {
  if (v >= -0x8000 && v <= 0x7fff) return step('addiu', v, 0);
  if (v >= 0 && v <= 0xffff) return step('ori', v, 0);
  step('lui', (v >>> 16) & 0xffff, 0);
  if ((v & 0xffff) !== 0) step('ori', v & 0xffff, 1);
}

function liSearch(v: number): readonly LiStep[] {
  if (v >= -0x80000000 && v <= 0x7fffffff) {
    const steps: LiStep[] = [];
    li32(v, (name, imm, source) => steps.push([name, imm, source]));
    return steps;
  }
  const candidates: (readonly LiStep[])[] = [];
  // value = w << k: load w, then shift.
  let k = 0;
  while (k < 52 && v % 2 ** (k + 1) === 0) k++;
  if (k > 0) candidates.push([...liSequence(v / 2 ** k), k >= 32 ? ['dsll32', k - 32, 1] : ['dsll', k, 1]]);
  // value = hi << 16 | lo (ori), or hi << 16 + slo (daddiu with sign-extended low half).
  const lo = ((v % 0x10000) + 0x10000) % 0x10000;
  if (lo !== 0) candidates.push([...liSequence((v - lo) / 0x10000), ['dsll', 16, 1], ['ori', lo, 1]]);
  const slo = lo >= 0x8000 ? lo - 0x10000 : lo;
  if (slo < 0) candidates.push([...liSequence((v - slo) / 0x10000), ['dsll', 16, 1], ['daddiu', slo, 1]]);
  return candidates.reduce((best, c) => (c.length < best.length ? c : best));
}
