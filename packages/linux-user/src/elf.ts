/**
 * ELF parsing for i386 (ELF32) and x86-64 (ELF64) executables: the file header, program
 * headers and section headers, validated once so that the loader and `dbtlab disasm` can
 * trust the fields. Both classes give the same header objects (64-bit fields as numbers,
 * refused beyond 2^53).
 * ET_EXEC and ET_DYN (PIE, static-PIE, a shared object such as ld.so itself), with or
 * without PT_INTERP.
 */
import { ENOEXEC } from './errno';
import { LAYOUT_X86_64 } from './layout';

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
export const ET_CORE = 4;
export const EM_386 = 3;
export const EM_X86_64 = 62;

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_GNU_EH_FRAME = 0x6474e550;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHF_EXECINSTR = 4;

/** The guest's width: 32 (i386, ELFCLASS32) or 64 (x86-64, ELFCLASS64). */
export type ElfClass = 32 | 64;

/** The file, program and section header sizes by class. */
export const ELF_SIZES = {
  32: { ehdr: 52, phdr: 32, shdr: 40 },
  64: { ehdr: 64, phdr: 56, shdr: 64 },
} as const;

export interface ElfHeader {
  class: ElfClass;
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

/** An unsigned 64-bit field as an exact number; ElfError beyond 2^53. */
function u64(v: DataView, off: number, what: string): number {
  const n = v.getBigUint64(off, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`${what} 0x${n.toString(16)} is out of range`);
  return Number(n);
}

/** The class of an ELF file from its identification bytes (undefined: not an ELF of a class we know). */
export function elfClassOf(file: Uint8Array): ElfClass | undefined {
  if (file.length < 5 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) return undefined;
  return file[4] === 1 ? 32 : file[4] === 2 ? 64 : undefined;
}

/** The ELF header of an i386 or x86-64 executable; ElfError for anything else (wrong magic, class, machine, type; x32). */
export function readElfHeader(file: Uint8Array): ElfHeader {
  if (file.length < ELF_SIZES[32].ehdr) throw new ElfError(`file is ${file.length} bytes, shorter than an ELF header`);
  if (file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) throw new ElfError('not an ELF file (bad magic)');
  if (file[4] !== 1 && file[4] !== 2) throw new ElfError(`unknown ELF class (EI_CLASS ${file[4]}); only i386 and x86-64 are supported`);
  if (file[5] !== 1) throw new ElfError(`not little-endian (EI_DATA ${file[5]})`);
  const v = viewOf(file);
  const machine = v.getUint16(18, true);
  const cls: ElfClass = file[4] === 2 ? 64 : 32;
  if (cls === 32 && machine === EM_X86_64) throw new ElfError('an x32 ELF (ELFCLASS32, e_machine x86-64): the x32 ABI is not supported');
  if (cls === 32 && machine !== EM_386) throw new ElfError(`not an i386 ELF (e_machine ${machine})`);
  if (cls === 64 && machine !== EM_X86_64) throw new ElfError(`not an x86-64 ELF (e_machine ${machine})`);
  let h: ElfHeader;
  if (cls === 32) {
    h = {
      class: 32,
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
  } else {
    if (file.length < ELF_SIZES[64].ehdr) throw new ElfError(`file is ${file.length} bytes, shorter than an ELF64 header`);
    h = {
      class: 64,
      type: v.getUint16(16, true),
      entry: u64(v, 24, 'e_entry'),
      phoff: u64(v, 32, 'e_phoff'),
      shoff: u64(v, 40, 'e_shoff'),
      phentsize: v.getUint16(54, true),
      phnum: v.getUint16(56, true),
      shentsize: v.getUint16(58, true),
      shnum: v.getUint16(60, true),
      shstrndx: v.getUint16(62, true),
    };
  }
  if (h.type !== ET_EXEC && h.type !== ET_DYN) throw new ElfError(`ELF type ${h.type} is not an executable (ET_EXEC or ET_DYN)`);
  return h;
}

export function readProgramHeaders(file: Uint8Array, h: ElfHeader): ProgramHeader[] {
  const size = ELF_SIZES[h.class].phdr;
  if (h.phentsize !== size) throw new ElfError(`e_phentsize ${h.phentsize}, expected ${size}`);
  if (h.phnum === 0) throw new ElfError('no program headers');
  checkRange(file, h.phoff, h.phnum * size, 'program header table');
  const v = viewOf(file);
  const out: ProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * size;
    const ph: ProgramHeader =
      h.class === 64
        ? {
            type: v.getUint32(o, true),
            flags: v.getUint32(o + 4, true),
            offset: u64(v, o + 8, 'p_offset'),
            vaddr: u64(v, o + 16, 'p_vaddr'),
            filesz: u64(v, o + 32, 'p_filesz'),
            memsz: u64(v, o + 40, 'p_memsz'),
            align: u64(v, o + 48, 'p_align'),
          }
        : {
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
      // the user address space: i386's 4 GiB, x86-64's TASK_SIZE (the kernel's elf_map fails beyond it)
      const top = h.class === 64 ? LAYOUT_X86_64.taskSize : 0x1_0000_0000;
      if (ph.vaddr + ph.memsz > top) throw new ElfError(`PT_LOAD segment ${i} ends past the user address space (0x${top.toString(16)})`);
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
  const size = ELF_SIZES[h.class].shdr;
  if (h.shentsize !== size) throw new ElfError(`e_shentsize ${h.shentsize}, expected ${size}`);
  checkRange(file, h.shoff, h.shnum * size, 'section header table');
  if (h.shstrndx >= h.shnum) throw new ElfError(`e_shstrndx ${h.shstrndx} out of range (${h.shnum} sections)`);
  const v = viewOf(file);
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * size;
    raw.push(
      h.class === 64
        ? {
            nameOff: v.getUint32(o, true),
            type: v.getUint32(o + 4, true),
            flags: u64(v, o + 8, 'sh_flags'),
            addr: u64(v, o + 16, 'sh_addr'),
            offset: u64(v, o + 24, 'sh_offset'),
            size: u64(v, o + 32, 'sh_size'),
            link: v.getUint32(o + 40, true),
          }
        : {
            nameOff: v.getUint32(o, true),
            type: v.getUint32(o + 4, true),
            flags: v.getUint32(o + 8, true),
            addr: v.getUint32(o + 12, true),
            offset: v.getUint32(o + 16, true),
            size: v.getUint32(o + 20, true),
            link: v.getUint32(o + 24, true),
          },
    );
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
