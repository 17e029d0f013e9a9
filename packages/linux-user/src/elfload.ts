/**
 * Maps a static i386 executable into guest memory as the kernel's load_elf_binary does:
 * each PT_LOAD becomes whole pages holding the file's bytes (including the file bytes that
 * share the first and last page with the segment), the bss part zeroed, with the segment's
 * protection. An ET_DYN without interpreter (static-PIE) is placed top-down below mmap_base,
 * as the kernel maps it with a zero load bias; its brk starts at ELF_ET_DYN_BASE.
 */
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { ElfError, ET_DYN, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_PHDR, readElfHeader, readProgramHeaders } from './elf';
import { ELF_ET_DYN_BASE, pageAlignDown, pageAlignUp } from './layout';
import { AddressSpace } from './mmap';

export interface LoadedImage {
  entry: number;
  loadBias: number;
  /** Guest address of the program headers (AT_PHDR), their size and count. */
  phdr: number;
  phent: number;
  phnum: number;
  brkStart: number;
  /** PT_GNU_STACK asks for an executable stack. */
  execStack: boolean;
}

export const protOfSegment = (flags: number): number =>
  (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);

export function loadElfImage(mem: GuestMemory, space: AddressSpace, file: Uint8Array): LoadedImage {
  const h = readElfHeader(file);
  const phdrs = readProgramHeaders(file, h);
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  const lo = pageAlignDown(Math.min(...loads.map((p) => p.vaddr)));
  const hi = Math.max(...loads.map((p) => p.vaddr + p.memsz));
  let loadBias = 0;
  if (h.type === ET_DYN) {
    const at = space.findFreeTopDown(pageAlignUp(hi) - lo);
    if (at === undefined) throw new ElfError('no room in the address space for the static-PIE image');
    loadBias = at - lo;
  }
  for (const ph of loads) {
    const start = pageAlignDown(ph.vaddr);
    const end = pageAlignUp(ph.vaddr + ph.memsz);
    if (end === start) continue;
    mem.map(start + loadBias, end - start, protOfSegment(ph.flags));
    // the file pages as mmap shows them: from the page-aligned offset to the end of the last page
    const fileStart = ph.offset - (ph.vaddr - start);
    const fileEnd = Math.min(file.length, pageAlignUp(ph.offset + ph.filesz));
    if (ph.filesz > 0) mem.pokeBytes(start + loadBias, file.subarray(fileStart, fileEnd));
    if (ph.memsz > ph.filesz) {
      // padzero: the bss tail of the last file page reads as zeros
      const bss = ph.vaddr + ph.filesz;
      const zeroEnd = Math.min(end, pageAlignUp(bss) === bss ? bss : pageAlignUp(bss));
      if (zeroEnd > bss) mem.pokeBytes(bss + loadBias, new Uint8Array(zeroEnd - bss));
    }
  }
  const first = loads[0];
  const phdrSeg = phdrs.find((p) => p.type === PT_PHDR);
  const phdr = (phdrSeg ? phdrSeg.vaddr : first.vaddr - first.offset + h.phoff) + loadBias;
  const stack = phdrs.find((p) => p.type === PT_GNU_STACK);
  return {
    entry: (h.entry + loadBias) >>> 0,
    loadBias,
    phdr: phdr >>> 0,
    phent: h.phentsize,
    phnum: h.phnum,
    brkStart: h.type === ET_DYN ? ELF_ET_DYN_BASE : pageAlignUp(hi + loadBias),
    execStack: stack ? (stack.flags & PF_X) !== 0 : false,
  };
}
