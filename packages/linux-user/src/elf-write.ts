/**
 * The ELF files dbtlab makes itself (the vDSO image, vdso-image.ts; core files, core-dump.ts)
 * begin as elf.ts reads a file: the file header, then its program headers. One writer for both
 * classes, little-endian (x86); p_paddr is p_vaddr, as in Linux's own.
 */
import { ELF_SIZES, type ElfClass, type ProgramHeader } from './elf';

export interface ElfFileHeader {
  class: ElfClass;
  type: number;
  machine: number;
  entry: number;
  /** The section headers' offset, count and string table index; 0 for a file without them. */
  shoff: number;
  shnum: number;
  shstrndx: number;
}

/** Writes the file header and, right after it, `phdrs` into `out` (which has room for them). */
export function writeElfHeaders(out: Uint8Array, h: ElfFileHeader, phdrs: readonly ProgramHeader[]): void {
  const S = ELF_SIZES[h.class];
  const wide = h.class === 64;
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength);
  /** An address, offset or size field: 4 or 8 bytes. */
  const word = (o: number, x: number): void => (wide ? v.setBigUint64(o, BigInt(x), true) : v.setUint32(o, x, true));
  const w = wide ? 8 : 4;
  // EI_CLASS, EI_DATA little-endian, EI_VERSION; e_version 1
  out.set([0x7f, 0x45, 0x4c, 0x46, wide ? 2 : 1, 1, 1], 0);
  v.setUint16(16, h.type, true);
  v.setUint16(18, h.machine, true);
  v.setUint32(20, 1, true);
  word(24, h.entry);
  word(24 + w, S.ehdr);
  word(24 + 2 * w, h.shoff);
  const sizes = 24 + 3 * w + 4; // after e_flags: e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx
  [S.ehdr, S.phdr, phdrs.length, h.shnum ? S.shdr : 0, h.shnum, h.shstrndx].forEach((x, i) => v.setUint16(sizes + 2 * i, x, true));
  phdrs.forEach((p, i) => {
    const o = S.ehdr + S.phdr * i;
    v.setUint32(o, p.type, true);
    // ELF64 moves p_flags up, after p_type
    if (wide) {
      v.setUint32(o + 4, p.flags, true);
      [p.offset, p.vaddr, p.vaddr, p.filesz, p.memsz, p.align].forEach((x, k) => word(o + 8 + 8 * k, x));
    } else {
      [p.offset, p.vaddr, p.vaddr, p.filesz, p.memsz, p.flags, p.align].forEach((x, k) => v.setUint32(o + 4 + 4 * k, x, true));
    }
  });
}
