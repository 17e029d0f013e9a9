/** dbtlab disasm: every instruction of the executable sections, in objdump's line format. */
import { readFileSync, writeSync } from 'node:fs';
import { readElfSections, SHF_EXECINSTR, type ElfSection } from '@dbtlab/linux-user';
import { disassembleRange } from '@dbtlab/x86-frontend';
import { requireOperand, type ParsedArgs } from '../cli/parse-args';

const SHT_SYMTAB = 2;
const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHT_DYNSYM = 11;
const STT_SECTION = 3;
const STT_FILE = 4;
const SHN_COMMON = 0xfff2;

const PLT_ENTRY = 16;

/** Where ELF32 and ELF64 lay out a symbol (Elf32_Sym, Elf64_Sym) and a PLT relocation (.rel.plt, .rela.plt). */
interface SymLayout {
  symSize: number;
  value: (v: DataView, o: number) => number;
  info: number;
  shndx: number;
  relSize: number;
  relPlt: string;
  relType: number;
}
const SYM32: SymLayout = { symSize: 16, value: (v, o) => v.getUint32(o + 4, true), info: 12, shndx: 14, relSize: 8, relPlt: '.rel.plt', relType: SHT_REL };
const SYM64: SymLayout = { symSize: 24, value: (v, o) => Number(v.getBigUint64(o + 8, true)), info: 4, shndx: 6, relSize: 24, relPlt: '.rela.plt', relType: SHT_RELA };

/** Entries of a symbol table, without the null entry (bfd_canonicalize_symtab's count). */
function symbolCount(s: ElfSection | undefined, l: SymLayout): number {
  return s ? Math.max(0, Math.floor(s.size / l.symSize) - 1) : 0;
}

/** The symbols objdump can name an address with (remove_useless_symbols): named, defined, not section or file symbols. */
function usefulSymbols(file: Uint8Array, sections: ElfSection[], table: ElfSection | undefined, l: SymLayout): { addr: number; shndx: number }[] {
  if (!table) return [];
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const names = sections[table.link];
  const out = [];
  for (let o = table.offset + l.symSize; o + l.symSize <= table.offset + table.size; o += l.symSize) {
    const name = v.getUint32(o, true);
    const type = file[o + l.info] & 0xf;
    const shndx = v.getUint16(o + l.shndx, true);
    if (!names || name >= names.size || file[names.offset + name] === 0) continue;
    if (type === STT_SECTION || type === STT_FILE || shndx === 0 || shndx === SHN_COMMON) continue;
    out.push({ addr: l.value(v, o), shndx });
  }
  return out;
}

/**
 * The symbols objdump -d disassembles by: the symbol table if there is one, else the dynamic
 * one, after remove_useless_symbols, plus the synthetic `name@plt` symbols it makes from the
 * dynamic symbols and PLT relocations (one per .rel.plt entry, after the PLT's first entry).
 * With none (a stripped static executable) it prints branch targets as 0x-prefixed addresses.
 */
function objdumpSymbols(file: Uint8Array, sections: ElfSection[], l: SymLayout): { addr: number; shndx: number }[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const syms = usefulSymbols(file, sections, symbolCount(symtab, l) > 0 ? symtab : dynsym, l);
  const relPlt = sections.find((s) => s.type === l.relType && s.name === l.relPlt);
  const pltSec = sections.findIndex((s) => s.name === '.plt.sec');
  const plt = pltSec >= 0 ? pltSec : sections.findIndex((s) => s.name === '.plt');
  if (symbolCount(dynsym, l) > 0 && relPlt && plt >= 0) {
    for (let i = 0; i < relPlt.size / l.relSize; i++) syms.push({ addr: sections[plt].addr + PLT_ENTRY * (i + (pltSec >= 0 ? 0 : 1)), shndx: plt });
  }
  return syms;
}

export function disasmLines(file: Uint8Array): string[] {
  const mode = file[4] === 2 ? 64 : 32;
  const lines: string[] = [];
  const sections = readElfSections(file);
  const syms = objdumpSymbols(file, sections, mode === 64 ? SYM64 : SYM32);
  sections.forEach((s, index) => {
    if (!(s.flags & SHF_EXECINSTR) || s.type === SHT_NOBITS || s.size === 0) return;
    const code = file.subarray(s.offset, s.offset + s.size);
    const symbols = [...new Set(syms.filter((y) => y.shndx === index).map((y) => y.addr))].sort((a, b) => a - b);
    for (const i of disassembleRange(code, s.addr, mode, { noSymbols: syms.length === 0, symbols }))
      lines.push(i.text === '...' ? '\t...' : `${i.addr.toString(16).padStart(8)}:\t${i.text}`);
  });
  return lines;
}

export function disasmCommand(args: ParsedArgs): number {
  const elf = requireOperand(args);
  const out = disasmLines(readFileSync(elf));
  writeSync(1, out.join('\n') + (out.length ? '\n' : ''));
  return 0;
}
