/**
 * Maps an i386 or x86-64 executable into guest memory as the kernel's load_elf_binary does: each
 * PT_LOAD becomes whole pages holding the file's bytes (including the file bytes that share
 * the first and last page with the segment), the bss part zeroed, with the segment's
 * protection. Where each image goes (ASLR off, as `setarch -R`):
 *
 *   ET_EXEC                   at its own addresses; brk at the page after its bss
 *   ET_DYN with PT_INTERP     (PIE) load bias ELF_ET_DYN_BASE; brk after its bss
 *   ET_DYN without PT_INTERP  (static-PIE, or ld.so started directly) top-down below
 *                             mmap_base, as mapped with a zero load bias; brk at ELF_ET_DYN_BASE
 * with the constants of the guest's ABI (layout.ts: its memory's address width).
 *   the interpreter           (load_elf_interp) top-down below mmap_base, after the program:
 *                             its base is AT_BASE, its entry the first guest pc
 *
 * Each PT_LOAD's file pages are recorded as a file mapping (AddressSpace.fileMappings), as
 * elf_map's mmap makes them: /proc/self/maps names them, MADV_DONTNEED reads them again.
 *
 *   const image = loadElfBinary(mem, space, file, (path) => readFileSync(sysroot.hostPath(path)), { program, hostPathOf });
 *   image.startPc;   // ld.so's entry for a dynamic program, the program's own otherwise
 */
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { ElfClass, ElfError, elfInterpreter, ET_DYN, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_LOAD, PT_PHDR, ProgramHeader, readElfHeader, readProgramHeaders } from './elf';
import { ELIBBAD } from './errno';
import { layoutOf, pageAlignDown, pageAlignUp } from './layout';
import { realpathSync, statSync } from 'node:fs';
import { AddressSpace, type FileMapping } from './mmap';

export interface LoadedImage {
  /** 32: an i386 program, 64: an x86-64 one (its interpreter is of the same class). */
  elfClass: ElfClass;
  /** The program's entry point (AT_ENTRY). */
  entry: number;
  loadBias: number;
  /** Guest address of the program headers (AT_PHDR), their size and count. */
  phdr: number;
  phent: number;
  phnum: number;
  brkStart: number;
  /** PT_GNU_STACK asks for an executable stack. */
  execStack: boolean;
  /** The PT_INTERP path, and where the interpreter was mapped (AT_BASE; 0 without one). */
  interpreter: string | undefined;
  interpBase: number;
  /** Where execution starts: the interpreter's entry, or the program's. */
  startPc: number;
  /** The program's executable segments, from the lowest start to the highest file end (mm->start_code, end_code). */
  startCode: number;
  endCode: number;
}

export const protOfSegment = (flags: number): number =>
  (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);

interface MappedImage {
  loadBias: number;
  /** End of the highest segment, load bias included (the bss end: where brk starts). */
  end: number;
}

/** The host file an image was read from, as a file mapping names it (undefined: not known, or gone). */
type ImageFile = Omit<FileMapping, 'start' | 'end' | 'offset' | 'shared'> | undefined;

function imageFile(hostPath: string | undefined): ImageFile {
  if (hostPath === undefined) return undefined;
  try {
    const path = realpathSync(hostPath);
    const st = statSync(path);
    return { path, dev: st.dev, inode: st.ino };
  } catch {
    return undefined;
  }
}

/** Where the program and its interpreter come from on the host, for their file mappings. */
export interface ImageNames {
  program: string;
  hostPathOf: (path: string) => string;
}

/**
 * elf_map for every PT_LOAD at `loadBias`, or (topDown) at the highest gap below mmap_base
 * that holds the whole image, as a mapping at address 0 without MAP_FIXED is placed.
 */
function mapImage(mem: GuestMemory, space: AddressSpace, file: Uint8Array, loads: ProgramHeader[], loadBias: number, topDown: boolean, source: ImageFile): MappedImage {
  const lo = pageAlignDown(Math.min(...loads.map((p) => p.vaddr)));
  const hi = Math.max(...loads.map((p) => p.vaddr + p.memsz));
  if (topDown) {
    const at = space.findFreeTopDown(pageAlignUp(hi) - lo);
    if (at === undefined) throw new ElfError('no room in the address space for the image');
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
    if (ph.filesz > 0) {
      mem.pokeBytes(start + loadBias, file.subarray(fileStart, fileEnd));
      if (source) space.fileMappings.push({ start: start + loadBias, end: pageAlignUp(ph.vaddr + ph.filesz) + loadBias, offset: fileStart, shared: false, ...source });
    }
    if (ph.memsz > ph.filesz) {
      // padzero: the bss tail of the last file page reads as zeros
      const bss = ph.vaddr + ph.filesz;
      const zeroEnd = Math.min(end, pageAlignUp(bss) === bss ? bss : pageAlignUp(bss));
      if (zeroEnd > bss) mem.pokeBytes(bss + loadBias, new Uint8Array(zeroEnd - bss));
    }
  }
  return { loadBias, end: hi + loadBias };
}

/** An address of the guest: i386's wrap at 4 GiB. */
const guestAddr = (mem: GuestMemory, a: number): number => (mem.bits === 32 ? a >>> 0 : a);

/** load_elf_interp: the interpreter's image top-down; returns its base (AT_BASE) and entry. */
function loadElfInterp(mem: GuestMemory, space: AddressSpace, file: Uint8Array, path: string, elfClass: ElfClass, source: ImageFile): { base: number; entry: number } {
  let phdrs: ProgramHeader[];
  let entry: number;
  try {
    const h = readElfHeader(file);
    if (h.class !== elfClass) throw new ElfError(`a ${h.class}-bit interpreter for a ${elfClass}-bit program`);
    phdrs = readProgramHeaders(file, h);
    entry = h.entry;
  } catch (e) {
    // the kernel's answer for an interpreter that is not an i386 ELF
    if (e instanceof ElfError) throw new ElfError(`interpreter ${path}: ${e.message}`, ELIBBAD);
    throw e;
  }
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  const m = mapImage(mem, space, file, loads, 0, true, source);
  return { base: guestAddr(mem, pageAlignDown(Math.min(...loads.map((p) => p.vaddr))) + m.loadBias), entry: guestAddr(mem, entry + m.loadBias) };
}

/**
 * execve's ELF half: maps the program and, when it names one (PT_INTERP), its interpreter,
 * read with `readInterpreter` (which throws ElfError with ENOENT when it is missing).
 * ElfError for anything the kernel would refuse.
 */
export function loadElfBinary(mem: GuestMemory, space: AddressSpace, file: Uint8Array, readInterpreter: (path: string) => Uint8Array, names?: ImageNames): LoadedImage {
  const h = readElfHeader(file);
  const phdrs = readProgramHeaders(file, h);
  const interpreter = elfInterpreter(file, phdrs);
  // the kernel opens the interpreter before it maps anything
  const interpFile = interpreter === undefined ? undefined : readInterpreter(interpreter);
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  const pie = h.type === ET_DYN;
  const layout = layoutOf(mem.bits);
  const bias = pie && interpreter !== undefined ? pageAlignDown(layout.etDynBase - loads[0].vaddr) : 0;
  const m = mapImage(mem, space, file, loads, bias, pie && interpreter === undefined, imageFile(names && names.hostPathOf(names.program)));
  const interp = interpFile === undefined ? undefined : loadElfInterp(mem, space, interpFile, interpreter!, h.class, imageFile(names?.hostPathOf(interpreter!)));
  const first = loads[0];
  const phdrSeg = phdrs.find((p) => p.type === PT_PHDR);
  const phdr = (phdrSeg ? phdrSeg.vaddr : first.vaddr - first.offset + h.phoff) + m.loadBias;
  const stack = phdrs.find((p) => p.type === PT_GNU_STACK);
  const entry = guestAddr(mem, h.entry + m.loadBias);
  const code = loads.some((p) => p.flags & PF_X) ? loads.filter((p) => p.flags & PF_X) : [{ vaddr: 0, filesz: 0 }];
  return {
    elfClass: h.class,
    entry,
    loadBias: m.loadBias,
    phdr: guestAddr(mem, phdr),
    phent: h.phentsize,
    phnum: h.phnum,
    brkStart: pie && interpreter === undefined ? layout.staticPieBrk : pageAlignUp(m.end),
    execStack: stack ? (stack.flags & PF_X) !== 0 : false,
    interpreter,
    interpBase: interp?.base ?? 0,
    startPc: interp?.entry ?? entry,
    startCode: guestAddr(mem, Math.min(...code.map((p) => p.vaddr)) + m.loadBias),
    endCode: guestAddr(mem, Math.max(...code.map((p) => p.vaddr + p.filesz)) + m.loadBias),
  };
}
