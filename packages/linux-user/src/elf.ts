/**
 * ELF32 parsing for i386 executables: the file header, program headers and section
 * headers, validated once so that the loader and `dbtlab disasm` can trust the fields.
 * ET_EXEC and ET_DYN (PIE, static-PIE, a shared object such as ld.so itself), with or
 * without PT_INTERP.
 */
import { ENOEXEC } from './errno';

/**
 * A file execve cannot start, with the errno execve would return: ENOEXEC for a malformed
 * or foreign file, ENOENT for a missing file or interpreter, EACCES, ELIBBAD ...
 */
export class ElfError extends Error {
  constructor(
    message: string,
    readonly errno: number = ENOEXEC,
  ) {
    super(message);
    this.name = 'ElfError';
  }
}

export const ET_EXEC = 2;
export const ET_DYN = 3;
const EM_386 = 3;

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHF_EXECINSTR = 4;

const EHDR_SIZE = 52;
export const PHDR_SIZE = 32;
const SHDR_SIZE = 40;

export interface ElfHeader {
  type: number;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  shoff: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

export interface ElfSection {
  name: string;
  addr: number;
  offset: number;
  size: number;
  flags: number;
  type: number;
  /** sh_link: the string table of a symbol table */
  link: number;
}

const viewOf = (file: Uint8Array): DataView => new DataView(file.buffer, file.byteOffset, file.byteLength);

function checkRange(file: Uint8Array, off: number, len: number, what: string): void {
  if (off + len > file.length) {
    throw new ElfError(`${what} at file offset 0x${off.toString(16)} (+${len}) lies past the end of the file (${file.length} bytes)`);
  }
}

/** The ELF header of an i386 executable; ElfError for anything else (wrong magic, class, machine, type). */
export function readElfHeader(file: Uint8Array): ElfHeader {
  if (file.length < EHDR_SIZE) throw new ElfError(`file is ${file.length} bytes, shorter than an ELF header`);
  if (file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) throw new ElfError('not an ELF file (bad magic)');
  if (file[4] !== 1) throw new ElfError(`not a 32-bit ELF (EI_CLASS ${file[4]}); only i386 is supported`);
  if (file[5] !== 1) throw new ElfError(`not little-endian (EI_DATA ${file[5]})`);
  const v = viewOf(file);
  const machine = v.getUint16(18, true);
  if (machine !== EM_386) throw new ElfError(`not an i386 ELF (e_machine ${machine})`);
  const h: ElfHeader = {
    type: v.getUint16(16, true),
    entry: v.getUint32(24, true),
    phoff: v.getUint32(28, true),
    shoff: v.getUint32(32, true),
    phentsize: v.getUint16(42, true),
    phnum: v.getUint16(44, true),
    shentsize: v.getUint16(46, true),
    shnum: v.getUint16(48, true),
    shstrndx: v.getUint16(50, true),
  };
  if (h.type !== ET_EXEC && h.type !== ET_DYN) throw new ElfError(`ELF type ${h.type} is not an executable (ET_EXEC or ET_DYN)`);
  return h;
}

export function readProgramHeaders(file: Uint8Array, h: ElfHeader): ProgramHeader[] {
  if (h.phentsize !== PHDR_SIZE) throw new ElfError(`e_phentsize ${h.phentsize}, expected ${PHDR_SIZE}`);
  if (h.phnum === 0) throw new ElfError('no program headers');
  checkRange(file, h.phoff, h.phnum * PHDR_SIZE, 'program header table');
  const v = viewOf(file);
  const out: ProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * PHDR_SIZE;
    const ph: ProgramHeader = {
      type: v.getUint32(o, true),
      offset: v.getUint32(o + 4, true),
      vaddr: v.getUint32(o + 8, true),
      filesz: v.getUint32(o + 16, true),
      memsz: v.getUint32(o + 20, true),
      flags: v.getUint32(o + 24, true),
      align: v.getUint32(o + 28, true),
    };
    if (ph.type === PT_LOAD) {
      checkRange(file, ph.offset, ph.filesz, `PT_LOAD segment ${i}`);
      if (ph.filesz > ph.memsz) throw new ElfError(`PT_LOAD segment ${i}: p_filesz 0x${ph.filesz.toString(16)} > p_memsz 0x${ph.memsz.toString(16)}`);
      if ((ph.vaddr - ph.offset) % 4096 !== 0) throw new ElfError(`PT_LOAD segment ${i}: p_vaddr and p_offset disagree modulo the page size`);
      if (ph.vaddr + ph.memsz > 0x1_0000_0000) throw new ElfError(`PT_LOAD segment ${i} ends past 4 GiB`);
    }
    if (ph.type === PT_INTERP) checkRange(file, ph.offset, ph.filesz, 'PT_INTERP');
    out.push(ph);
  }
  if (!out.some((p) => p.type === PT_LOAD)) throw new ElfError('no PT_LOAD segment');
  return out;
}

/** The interpreter a program asks for (PT_INTERP, e.g. /lib/ld-linux.so.2), or undefined for a static one. */
export function elfInterpreter(file: Uint8Array, phdrs: readonly ProgramHeader[]): string | undefined {
  const ph = phdrs.find((p) => p.type === PT_INTERP);
  if (!ph) return undefined;
  // the kernel wants a NUL-terminated name of at most PATH_MAX bytes (binfmt_elf.c)
  const bytes = file.subarray(ph.offset, ph.offset + ph.filesz);
  const nul = bytes.indexOf(0);
  if (ph.filesz < 2 || ph.filesz > 4096 || nul !== bytes.length - 1) throw new ElfError('PT_INTERP is not a NUL-terminated path');
  return Buffer.from(bytes.subarray(0, nul)).toString('latin1');
}

/** Section headers with their names (for disassembly); [] when the file has none. */
export function readElfSections(file: Uint8Array): ElfSection[] {
  const h = readElfHeader(file);
  if (h.shnum === 0 || h.shoff === 0) return [];
  if (h.shentsize !== SHDR_SIZE) throw new ElfError(`e_shentsize ${h.shentsize}, expected ${SHDR_SIZE}`);
  checkRange(file, h.shoff, h.shnum * SHDR_SIZE, 'section header table');
  if (h.shstrndx >= h.shnum) throw new ElfError(`e_shstrndx ${h.shstrndx} out of range (${h.shnum} sections)`);
  const v = viewOf(file);
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * SHDR_SIZE;
    raw.push({
      nameOff: v.getUint32(o, true),
      type: v.getUint32(o + 4, true),
      flags: v.getUint32(o + 8, true),
      addr: v.getUint32(o + 12, true),
      offset: v.getUint32(o + 16, true),
      size: v.getUint32(o + 20, true),
      link: v.getUint32(o + 24, true),
    });
  }
  const strtab = raw[h.shstrndx];
  checkRange(file, strtab.offset, strtab.size, 'section name table');
  const nameAt = (off: number): string => {
    if (off >= strtab.size) throw new ElfError(`section name offset ${off} outside the name table`);
    let end = strtab.offset + off;
    while (end < strtab.offset + strtab.size && file[end] !== 0) end++;
    return Buffer.from(file.subarray(strtab.offset + off, end)).toString('latin1');
  };
  return raw.map((s) => ({ name: nameAt(s.nameOff), addr: s.addr, offset: s.offset, size: s.size, flags: s.flags, type: s.type, link: s.link }));
}
