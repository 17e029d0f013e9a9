/**
 * AT&T text exactly as GNU objdump -d prints it (without address and bytes): the mnemonic
 * (decoded with the instruction, see att-mnemonic.ts) padded to 6 columns, then the operands
 * in reverse (AT&T) order. disassembleRange is objdump's linear sweep.
 *
 *   formatAtt(decodeInsn(code, 0, 0x1000, 32))   // "mov    %eax,0x8(%ebx)"
 *   disassembleRange(code, 0x1000, 32)           // [{ addr, length, text }, ...]
 */
import { cmpPredicate, REX_NAMES } from './att-mnemonic';
import { decodeInsn } from './decode';
import { DecodeError } from './errors';
import type { DecodedInsn, MemOperand, Mode, Operand } from './ir1';
import { M } from './operand-types';

const GPR8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const GPR8_HIGH = ['ah', 'ch', 'dh', 'bh'];
const GPR16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const GPR32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const SEG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const ROUNDING = ['rn', 'rd', 'ru', 'rz'];

export function gprName(reg: number, size: number, high8 = false): string {
  if (size === 8) return high8 ? GPR8_HIGH[reg] : GPR8[reg];
  return (size === 16 ? GPR16 : size === 32 ? GPR32 : GPR64)[reg];
}

/**
 * An address as objdump prints it after a branch or in a rip comment: hex, 64-bit wrapped;
 * bare when the file has symbols (objdump follows it with `<sym+off>`), with 0x when it has
 * none (objdump_print_addr without symbols).
 */
function addrHex(v: number, opts: AttOptions): string {
  return (opts.noSymbols ? '0x' : '') + (v >= 0 ? v.toString(16) : BigInt.asUintN(64, BigInt(v)).toString(16));
}

export interface AttOptions {
  /** the file has no symbol objdump could name an address with */
  noSymbols?: boolean;
  /**
   * As objdump -d does a whole file: the addresses of the range's symbols (ascending; may be
   * empty); it disassembles from one to the next and prints zero runs as `...`.
   */
  symbols?: number[];
  /** i386: the bytes are a 16-bit code segment's (16-bit default operand and address size; addresses are offsets in it) */
  code16?: boolean;
}

/** objdump's skip_zeroes and skip_zeroes_at_end: zero runs it prints as `...` */
const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 3;

function hex(v: number): string {
  return '0x' + v.toString(16);
}

/** objdump's print_displacement: signed hex. */
function signedHex(v: number): string {
  return v < 0 ? '-0x' + (-v).toString(16) : '0x' + v.toString(16);
}

/** objdump's print_operand_value for an absolute address of `addrSize` bits. */
function absHex(v: number, addrSize: number): string {
  if (addrSize === 16) return hex(v & 0xffff);
  if (addrSize === 32 || v >= 0) return hex(addrSize === 32 ? v >>> 0 : v);
  return '0x' + (BigInt.asUintN(64, BigInt(v))).toString(16);
}

function formatMem(o: MemOperand, insn: DecodedInsn, method: number): string {
  const s = o.segOverride || method === M.X || method === M.Y || method === M.XLAT ? `%${SEG[o.seg]}:` : '';
  const address = s + formatAddress(o, insn.addrSize);
  return o.broadcast ? `${address}{1to${vectorBits(insn) / o.broadcast}}` : address;
}

function formatAddress(o: MemOperand, asz: number): string {
  const names = asz === 16 ? GPR16 : asz === 32 ? GPR32 : GPR64;
  if (o.ripRelative) return `${signedHex(o.disp)}(%${asz === 64 ? 'rip' : 'eip'})`;
  if (o.dispHi !== undefined) return `0x${o.dispHi ? o.dispHi.toString(16) + o.disp.toString(16).padStart(8, '0') : o.disp.toString(16)}`;
  if (o.base < 0 && o.index < 0 && !o.eiz) return absHex(o.disp, asz);
  let s = o.dispSize > 0 ? signedHex(o.disp) : '';
  s += '(';
  if (o.base >= 0) s += '%' + names[o.base];
  if (o.index >= 0) s += asz === 16 ? `,%${names[o.index]}` : `,%${names[o.index]},${o.scale}`;
  else if (o.eiz) s += `,%${asz === 64 ? 'riz' : 'eiz'},${o.scale}`;
  return s + ')';
}

/** the widest vector register of an instruction (EVEX broadcasts fill it) */
function vectorBits(insn: DecodedInsn): number {
  let bits = 128;
  for (const o of insn.operands) if (o.kind === 'reg' && o.size > bits && o.file !== 'gpr') bits = o.size;
  return bits;
}

function formatOperand(o: Operand, insn: DecodedInsn, method: number, opts: AttOptions): string {
  switch (o.kind) {
    case 'reg':
      switch (o.file) {
        case 'gpr': return method === M.PORT_DX ? '(%dx)' : '%' + gprName(o.reg, o.size, o.high8);
        case 'seg': return '%' + SEG[o.reg];
        case 'x87': return method === M.ST0 ? '%st' : `%st(${o.reg})`;
        case 'mmx': return `%mm${o.reg}`;
        case 'xmm': return `%xmm${o.reg}`;
        case 'ymm': return `%ymm${o.reg}`;
        case 'zmm': return `%zmm${o.reg}`;
        case 'k': return `%k${o.reg}`;
        case 'cr': return `%cr${o.reg}`;
        default: return `%db${o.reg}`;
      }
    case 'imm':
      if (method === M.J) return addrHex(insn.target ?? o.value, opts);
      if (o.size === 64 && o.hi) return `$0x${o.hi.toString(16)}${o.value.toString(16).padStart(8, '0')}`;
      return '$' + hex(o.value);
    case 'far':
      return `$${hex(o.selector)},$${hex(o.offset)}`;
    default:
      return formatMem(o, insn, method);
  }
}

/** objdump -d text of one decoded instruction, without address and bytes. */
export function formatAtt(insn: DecodedInsn, opts: AttOptions = {}): string {
  const specs = insn.row.parsed;
  const indirect = insn.cf === 'jump-indirect' || insn.cf === 'call-indirect';
  let ops = '';
  let rip: MemOperand | undefined;
  const n = insn.operands.length;
  for (let k = 0; k < n; k++) {
    const i = insn.row.intelOrder ? k : n - 1 - k;
    const method = specs[i].method;
    const o = insn.operands[i];
    if (method === M.ONE || (o.kind === 'imm' && cmpPredicate(insn.row, o.value) !== undefined)) continue;
    if (o.kind === 'mem' && o.ripRelative) rip = o;
    const text = formatOperand(o, insn, method, opts);
    ops += (ops ? ',' : '') + (indirect && o.kind !== 'far' && (method === M.E || method === M.M) ? '*' + text : text);
  }
  if (insn.rounding !== undefined) ops = `{${insn.row.saeOnly ? '' : ROUNDING[insn.rounding] + '-'}sae},${ops}`;
  if (insn.opmask) ops += `{%k${insn.opmask}}`;
  if (insn.zeroing) ops += '{z}';
  if (!ops) return insn.mnemonic;
  let s = insn.mnemonic.padEnd(6) + ' ' + ops;
  if (rip) s += '        # ' + addrHex(insn.addr + insn.length + rip.disp, opts);
  return s;
}

const PREFIX_NAMES: Record<number, string> = {
  0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs', 0x66: 'data16', 0xf0: 'lock', 0xf2: 'repnz', 0xf3: 'repz',
};

const isRex = (b: number, mode: Mode): boolean => mode === 64 && (b & 0xf0) === 0x40;

/** The names of the leading prefix bytes, each followed by a space. */
function prefixNames(bytes: Uint8Array, mode: Mode): string {
  let s = '';
  for (const b of bytes) {
    const name = isRex(b, mode) ? REX_NAMES[b & 15] : b === 0x67 ? (mode === 64 ? 'addr32' : 'addr16') : PREFIX_NAMES[b];
    if (name === undefined) break;
    s += name + ' ';
  }
  return s;
}

/** Where a REX followed by another prefix ends (objdump cuts the line there), or 0. */
function strayRexEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 1 < bytes.length; i++) {
    const b = bytes[i];
    if ((b & 0xf0) === 0x40) {
      const n = bytes[i + 1];
      if ((n & 0xf0) === 0x40 || PREFIX_NAMES[n] !== undefined || n === 0x67) return i + 1;
    } else if (PREFIX_NAMES[b] === undefined && b !== 0x67) return 0;
  }
  return 0;
}

/** objdump's text for an undefined encoding: the prefixes before it by name, then (bad). */
function badText(bytes: Uint8Array, mode: Mode): string {
  return prefixNames(bytes.subarray(0, bytes.length - 1), mode) + '(bad)';
}

export interface DisasmLine {
  addr: number;
  length: number;
  text: string;
}

/**
 * Linear sweep over `code` (code[0] at `addr`), as objdump does: an undefined encoding is
 * "(bad)" over the bytes objdump consumes; an instruction cut off by the end is ".byte 0xNN".
 */
export function disassembleRange(code: Uint8Array, addr: number, mode: Mode, opts: AttOptions = {}): DisasmLine[] {
  const out: DisasmLine[] = [];
  // objdump disassembles symbol by symbol: each starts afresh at its address, and zero runs
  // are measured up to the next symbol (disassemble_section, disassemble_bytes)
  const starts = [0, ...(opts.symbols ?? []).map((a) => a - addr).filter((o) => o > 0 && o < code.length)];
  for (let k = 0; k < starts.length; k++) sweep(code.subarray(0, starts[k + 1] ?? code.length), starts[k], addr, mode, opts, out);
  return out;
}

function sweep(code: Uint8Array, start: number, addr: number, mode: Mode, opts: AttOptions, out: DisasmLine[]): void {
  let off = start;
  while (off < code.length) {
    let z = off;
    while (opts.symbols && z < code.length && code[z] === 0) z++;
    if (z - off >= SKIP_ZEROES || (z === code.length && z - off > 0 && z - off < SKIP_ZEROES_AT_END)) {
      // more code follows: skip only whole words, not to run over an instruction starting with 0
      const length = z === code.length ? z - off : (z - off) & ~3;
      out.push({ addr: addr + off, length, text: '...' });
      off += length;
      continue;
    }
    try {
      const insn = decodeInsn(code, off, addr + off, mode, opts.code16);
      const cut = mode === 64 ? strayRexEnd(insn.bytes) : 0;
      if (cut > 0) {
        // the CPU ignores a REX that is not last before the opcode; objdump prints it as a line of its own
        out.push({ addr: addr + off, length: cut, text: prefixNames(insn.bytes.subarray(0, cut), mode).trimEnd() });
        off += cut;
        continue;
      }
      out.push({ addr: addr + off, length: insn.length, text: formatAtt(insn, opts) });
      off += insn.length;
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // objdump shows an instruction cut off by the end of the range as one .byte and goes on
      const length = e.kind === 'truncated' ? 1 : Math.max(1, e.bytes.length);
      out.push({ addr: addr + off, length, text: e.kind === 'truncated' ? `.byte 0x${code[off].toString(16)}` : badText(e.bytes, mode) });
      off += length;
    }
  }
}
