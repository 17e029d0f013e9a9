/**
 * A vDSO image as Linux's vdso32.so and vdso64.so present themselves to ld.so and to a C
 * library's own lookup: an ELF shared object (ELF32 or ELF64) linked at 0 with PT_LOAD and
 * PT_DYNAMIC, DT_HASH and DT_GNU_HASH, dynsym, versym and verdef (the base version named by the
 * soname, then each version), exporting functions whose code the ABI's file gives (vdso32.ts,
 * vdso64.ts). ld.so relocates the addresses by where the image is mapped.
 */
import { buildEhFrame, buildEhFrameHdr, ehFrameSizes, type CieSpec, type FdeSpec } from './eh-frame';
import { ELF_SIZES, ET_DYN, PF_R, PF_X, PT_DYNAMIC, PT_GNU_EH_FRAME, PT_LOAD, SHF_EXECINSTR, type ProgramHeader } from './elf';
import { writeElfHeaders } from './elf-write';

export interface VdsoFunction {
  name: string;
  version: string;
  code: Uint8Array;
  /** Its call-frame information: the CFA program, a signal frame's CIE, and how many bytes before the function its FDE starts. */
  unwind?: { instructions: readonly number[]; signalFrame?: boolean; lead?: number };
}

export interface VdsoSpec {
  elfClass: 32 | 64;
  machine: number;
  soname: string;
  /** The versions in verdef order (after the base version). */
  versions: readonly string[];
  /** In .text order; the first is the entry point (i386: __kernel_vsyscall). */
  functions: readonly VdsoFunction[];
  /** With it, the image carries .eh_frame_hdr and .eh_frame (PT_GNU_EH_FRAME) for the functions with `unwind`. */
  cie?: CieSpec;
}

export interface VdsoImage {
  bytes: Uint8Array;
  /** Each function's offset in the image. */
  offsets: ReadonlyMap<string, number>;
}

const DT = { NULL: 0, HASH: 4, STRTAB: 5, SYMTAB: 6, STRSZ: 10, SYMENT: 11, SONAME: 14, GNU_HASH: 0x6ffffef5, VERSYM: 0x6ffffff0, VERDEF: 0x6ffffffc, VERDEFNUM: 0x6ffffffd };
const SHT = { PROGBITS: 1, STRTAB: 3, HASH: 5, DYNAMIC: 6, DYNSYM: 11, GNU_HASH: 0x6ffffff6, VERDEF: 0x6ffffffd, VERSYM: 0x6fffffff };
const SHF_ALLOC = 2;
const STB_GLOBAL_STT_FUNC = 0x12;
const VERDEF_SIZE = 20;
const VERDAUX_SIZE = 8;

/** The sizes that differ between ELF32 and ELF64. */
const LAYOUT = {
  32: { ...ELF_SIZES[32], sym: 16, dyn: 8, word: 4 },
  64: { ...ELF_SIZES[64], sym: 24, dyn: 16, word: 8 },
} as const;

/** The SysV ELF hash (DT_HASH, vd_hash). */
function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name)) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g) h ^= g >>> 24;
    h &= ~g >>> 0;
  }
  return h >>> 0;
}

/** The GNU hash (DT_GNU_HASH): djb2. */
function gnuHash(name: string): number {
  let h = 5381;
  for (const c of Buffer.from(name)) h = (h * 33 + c) >>> 0;
  return h;
}

/** A string table built as names are added: each name's offset. */
class StrTab {
  private bytes: number[] = [0];
  readonly at = new Map<string, number>();
  add(s: string): number {
    let off = this.at.get(s);
    if (off === undefined) {
      off = this.bytes.length;
      this.bytes.push(...Buffer.from(s), 0);
      this.at.set(s, off);
    }
    return off;
  }
  get data(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const align = (n: number, to: number): number => Math.ceil(n / to) * to;

/** The image (fits the two [vdso] pages). */
export function buildVdsoImage(spec: VdsoSpec): VdsoImage {
  const L = LAYOUT[spec.elfClass];
  const fns = spec.functions;
  const nsyms = fns.length + 1;
  const dynstr = new StrTab();
  const names = fns.map((f) => dynstr.add(f.name));
  const verdefs = [spec.soname, ...spec.versions].map((name) => ({ name, off: dynstr.add(name) }));
  const shstr = new StrTab();
  const slot = align(Math.max(...fns.map((f) => f.code.length)), 16);
  const unwound = spec.cie ? fns.flatMap((f, i) => (f.unwind ? [{ i, ...f.unwind }] : [])) : [];
  // the FDEs once .text's place is known; their count and sizes do not depend on it
  const fdesAt = (textAt: (i: number) => number): FdeSpec[] =>
    unwound.map((u) => ({ start: textAt(u.i) - (u.lead ?? 0), length: fns[u.i].code.length + (u.lead ?? 0), instructions: u.instructions, signalFrame: u.signalFrame }));
  const ehSizes = spec.cie ? ehFrameSizes(spec.cie, fdesAt(() => 0)) : { ehFrame: 0, hdr: 0 };

  const sizes = {
    hash: 4 * (2 + 1 + nsyms),
    gnuHash: 16 + L.word + 4 + 4 * (nsyms - 1),
    dynsym: L.sym * nsyms,
    dynstr: dynstr.data.length,
    versym: 2 * nsyms,
    verdef: (VERDEF_SIZE + VERDAUX_SIZE) * verdefs.length,
    text: slot * fns.length,
    dynamic: L.dyn * 11,
  };
  const nphdrs = spec.cie ? 3 : 2;
  let at = L.ehdr + nphdrs * L.phdr;
  const place = (size: number, al: number): number => {
    at = align(at, al);
    const off = at;
    at += size;
    return off;
  };
  const off = {
    hash: place(sizes.hash, L.word),
    gnuHash: place(sizes.gnuHash, L.word),
    dynsym: place(sizes.dynsym, L.word),
    dynstr: place(sizes.dynstr, 1),
    versym: place(sizes.versym, 2),
    verdef: place(sizes.verdef, 4),
    ehFrameHdr: place(ehSizes.hdr, 4),
    ehFrame: place(ehSizes.ehFrame, 4),
    text: place(sizes.text, 16),
    dynamic: place(sizes.dynamic, L.word),
  };
  type Section = [string, number, number, number, number, number, number, number, number];
  const sections: Section[] = [
    // name, type, flags, offset, size, link, info, align, entsize
    ['.hash', SHT.HASH, SHF_ALLOC, off.hash, sizes.hash, 3, 0, L.word, 4],
    ['.gnu.hash', SHT.GNU_HASH, SHF_ALLOC, off.gnuHash, sizes.gnuHash, 3, 0, L.word, 0],
    ['.dynsym', SHT.DYNSYM, SHF_ALLOC, off.dynsym, sizes.dynsym, 4, 1, L.word, L.sym],
    ['.dynstr', SHT.STRTAB, SHF_ALLOC, off.dynstr, sizes.dynstr, 0, 0, 1, 0],
    ['.gnu.version', SHT.VERSYM, SHF_ALLOC, off.versym, sizes.versym, 3, 0, 2, 2],
    ['.gnu.version_d', SHT.VERDEF, SHF_ALLOC, off.verdef, sizes.verdef, 4, verdefs.length, 4, 0],
    ...(spec.cie
      ? [
          ['.eh_frame_hdr', SHT.PROGBITS, SHF_ALLOC, off.ehFrameHdr, ehSizes.hdr, 0, 0, 4, 0] satisfies Section,
          ['.eh_frame', SHT.PROGBITS, SHF_ALLOC, off.ehFrame, ehSizes.ehFrame, 0, 0, 4, 0] satisfies Section,
        ]
      : []),
    ['.text', SHT.PROGBITS, SHF_ALLOC | SHF_EXECINSTR, off.text, sizes.text, 0, 0, 16, 0],
    ['.dynamic', SHT.DYNAMIC, SHF_ALLOC, off.dynamic, sizes.dynamic, 4, 0, L.word, L.dyn],
  ];
  const TEXT_INDEX = 1 + sections.findIndex((s) => s[0] === '.text');
  for (const s of sections) shstr.add(s[0]);
  shstr.add('.shstrtab');
  const shstrtab = shstr.data;
  const shstrOff = place(shstrtab.length, 1);
  const shoff = place(L.shdr * (sections.length + 2), L.word);
  const out = new Uint8Array(at);
  const v = new DataView(out.buffer);
  /** An address or size field: 4 or 8 bytes. */
  const word = (o: number, x: number): void => (spec.elfClass === 64 ? v.setBigUint64(o, BigInt(x), true) : v.setUint32(o, x, true));
  const w = L.word;
  const u16 = (o: number, x: number): void => v.setUint16(o, x, true);
  const u32 = (o: number, x: number): void => v.setUint32(o, x, true);
  const textAt = (i: number): number => off.text + slot * i;

  // ET_DYN entered at the first function; PT_LOAD (the whole image, r-x, as the [vdso] pages map it) and PT_DYNAMIC
  const phdrs: ProgramHeader[] = [
    { type: PT_LOAD, flags: PF_R | PF_X, offset: 0, vaddr: 0, filesz: out.length, memsz: out.length, align: 4096 },
    { type: PT_DYNAMIC, flags: PF_R, offset: off.dynamic, vaddr: off.dynamic, filesz: sizes.dynamic, memsz: sizes.dynamic, align: L.word },
  ];
  if (spec.cie) {
    phdrs.push({ type: PT_GNU_EH_FRAME, flags: PF_R, offset: off.ehFrameHdr, vaddr: off.ehFrameHdr, filesz: ehSizes.hdr, memsz: ehSizes.hdr, align: 4 });
    const fdes = fdesAt(textAt);
    const eh = buildEhFrame(spec.cie, fdes, off.ehFrame);
    out.set(eh.bytes, off.ehFrame);
    out.set(buildEhFrameHdr(off.ehFrameHdr, off.ehFrame, fdes, eh.fdeOffsets), off.ehFrameHdr);
  }
  writeElfHeaders(out, { class: spec.elfClass, type: ET_DYN, machine: spec.machine, entry: textAt(0), shoff, shnum: sections.length + 2, shstrndx: sections.length + 1 }, phdrs);

  // DT_HASH: one bucket holding the chain 1 -> 2 -> ... -> nsyms-1
  u32(off.hash, 1);
  u32(off.hash + 4, nsyms);
  u32(off.hash + 8, 1);
  for (let i = 1; i < nsyms; i++) u32(off.hash + 12 + 4 * i, i + 1 < nsyms ? i + 1 : 0);
  // DT_GNU_HASH: one bucket from symbol 1, a bloom word that lets every name through, the hash chain
  u32(off.gnuHash, 1);
  u32(off.gnuHash + 4, 1);
  u32(off.gnuHash + 8, 1);
  u32(off.gnuHash + 12, 6);
  out.fill(0xff, off.gnuHash + 16, off.gnuHash + 16 + L.word);
  const chain = off.gnuHash + 16 + L.word;
  u32(chain, 1);
  fns.forEach((f, i) => u32(chain + 4 + 4 * i, (gnuHash(f.name) & ~1) | (i === fns.length - 1 ? 1 : 0)));
  // dynsym: global functions in .text, each with its version (verdef index: 1 is the base)
  const offsets = new Map<string, number>();
  fns.forEach((f, i) => {
    const o = off.dynsym + L.sym * (i + 1);
    const ndx = 2 + spec.versions.indexOf(f.version);
    u32(o, names[i]);
    if (spec.elfClass === 64) {
      v.setUint8(o + 4, STB_GLOBAL_STT_FUNC);
      u16(o + 6, TEXT_INDEX);
      word(o + 8, textAt(i));
      word(o + 16, f.code.length);
    } else {
      u32(o + 4, textAt(i));
      u32(o + 8, f.code.length);
      v.setUint8(o + 12, STB_GLOBAL_STT_FUNC);
      u16(o + 14, TEXT_INDEX);
    }
    u16(off.versym + 2 * (i + 1), ndx);
    out.set(f.code, textAt(i));
    offsets.set(f.name, textAt(i));
  });
  out.set(dynstr.data, off.dynstr);
  // verdef: the base version (the soname, VER_FLG_BASE), then each version
  verdefs.forEach(({ name, off: nameOff }, i) => {
    const o = off.verdef + (VERDEF_SIZE + VERDAUX_SIZE) * i;
    u16(o, 1);
    u16(o + 2, i === 0 ? 1 : 0);
    u16(o + 4, i + 1);
    u16(o + 6, 1);
    u32(o + 8, elfHash(name));
    u32(o + 12, VERDEF_SIZE);
    u32(o + 16, i + 1 < verdefs.length ? VERDEF_SIZE + VERDAUX_SIZE : 0);
    u32(o + 20, nameOff);
  });
  // dynamic
  const dyn: Array<[number, number]> = [
    [DT.HASH, off.hash], [DT.GNU_HASH, off.gnuHash], [DT.STRTAB, off.dynstr], [DT.SYMTAB, off.dynsym], [DT.STRSZ, sizes.dynstr],
    [DT.SYMENT, L.sym], [DT.SONAME, verdefs[0].off], [DT.VERSYM, off.versym], [DT.VERDEF, off.verdef], [DT.VERDEFNUM, verdefs.length], [DT.NULL, 0],
  ];
  dyn.forEach(([tag, val], i) => {
    word(off.dynamic + L.dyn * i, tag);
    word(off.dynamic + L.dyn * i + L.word, val);
  });
  // section headers: null, the sections, .shstrtab
  out.set(shstrtab, shstrOff);
  [...sections, ['.shstrtab', SHT.STRTAB, 0, shstrOff, shstrtab.length, 0, 0, 1, 0] as const].forEach(([name, type, flags, offset, size, link, info, al, entsize], i) => {
    const o = shoff + L.shdr * (i + 1);
    u32(o, shstr.at.get(name)!);
    u32(o + 4, type);
    // sh_flags, sh_addr, sh_offset, sh_size: words; sh_link, sh_info: 4 bytes; sh_addralign, sh_entsize: words
    [flags, name === '.shstrtab' ? 0 : offset, offset, size].forEach((x, k) => word(o + 8 + w * k, x));
    u32(o + 8 + 4 * w, link);
    u32(o + 12 + 4 * w, info);
    word(o + 16 + 4 * w, al);
    word(o + 16 + 5 * w, entsize);
  });
  return { bytes: out, offsets };
}
