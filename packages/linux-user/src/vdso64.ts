/**
 * The 64-bit vDSO image a 64-bit process finds at AT_SYSINFO_EHDR: an ELF shared object as
 * Linux's vdso64.so presents itself to ld.so (ELF header, PT_LOAD and PT_DYNAMIC, DT_HASH and
 * DT_GNU_HASH, dynsym, versym and verdef with LINUX_2.6, soname linux-vdso.so.1) exporting
 * __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time, __vdso_getcpu and
 * __vdso_clock_getres. Each function is `mov $nr, %eax; syscall; ret`: the real system call,
 * so both schemes see it and counts stay honest (Linux's read the vvar page instead). The image
 * is linked at 0; ld.so relocates its addresses by where it is mapped.
 */

/** The functions, their system-call numbers (x86-64) and their place in the image. */
const FUNCTIONS: ReadonlyArray<[string, number]> = [
  ['__vdso_clock_gettime', 228],
  ['__vdso_gettimeofday', 96],
  ['__vdso_time', 201],
  ['__vdso_getcpu', 309],
  ['__vdso_clock_getres', 229],
];
const SONAME = 'linux-vdso.so.1';
const VERSION = 'LINUX_2.6';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SYM_SIZE = 24;
const DYN_SIZE = 16;
const SHDR_SIZE = 64;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PF_X = 1;
const PF_R = 4;
const DT = { NULL: 0, HASH: 4, STRTAB: 5, SYMTAB: 6, STRSZ: 10, SYMENT: 11, SONAME: 14, GNU_HASH: 0x6ffffef5, VERSYM: 0x6ffffff0, VERDEF: 0x6ffffffc, VERDEFNUM: 0x6ffffffd };
const SHT = { PROGBITS: 1, STRTAB: 3, HASH: 5, DYNAMIC: 6, DYNSYM: 11, GNU_HASH: 0x6ffffff6, VERDEF: 0x6ffffffd, VERSYM: 0x6fffffff };
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

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

/** The vDSO image (fits the two [vdso] pages). */
export function buildVdso64(): Uint8Array {
  const nsyms = FUNCTIONS.length + 1;
  const dynstr = new StrTab();
  const names = FUNCTIONS.map(([n]) => dynstr.add(n));
  const sonameOff = dynstr.add(SONAME);
  const versionOff = dynstr.add(VERSION);
  const shstr = new StrTab();
  const code = FUNCTIONS.map(([, nr]) => Uint8Array.of(0xb8, nr & 0xff, nr >> 8, 0, 0, 0x0f, 0x05, 0xc3));

  // the sections in image order: [name, type, flags, size, entry size, link, info, align]
  const sizes = {
    hash: 4 * (2 + 1 + nsyms),
    gnuHash: 16 + 8 + 4 + 4 * (nsyms - 1),
    dynsym: SYM_SIZE * nsyms,
    dynstr: dynstr.data.length,
    versym: 2 * nsyms,
    verdef: 2 * (20 + 8),
    text: 16 * code.length,
    dynamic: DYN_SIZE * 11,
  };
  let at = EHDR_SIZE + 2 * PHDR_SIZE;
  const place = (size: number, al: number): number => {
    at = align(at, al);
    const off = at;
    at += size;
    return off;
  };
  const off = {
    hash: place(sizes.hash, 8),
    gnuHash: place(sizes.gnuHash, 8),
    dynsym: place(sizes.dynsym, 8),
    dynstr: place(sizes.dynstr, 1),
    versym: place(sizes.versym, 2),
    verdef: place(sizes.verdef, 4),
    text: place(sizes.text, 16),
    dynamic: place(sizes.dynamic, 8),
  };
  const sections: Array<[string, number, number, number, number, number, number, number, number]> = [
    // name, type, flags, offset, size, link, info, align, entsize
    ['.hash', SHT.HASH, SHF_ALLOC, off.hash, sizes.hash, 3, 0, 8, 4],
    ['.gnu.hash', SHT.GNU_HASH, SHF_ALLOC, off.gnuHash, sizes.gnuHash, 3, 0, 8, 0],
    ['.dynsym', SHT.DYNSYM, SHF_ALLOC, off.dynsym, sizes.dynsym, 4, 1, 8, SYM_SIZE],
    ['.dynstr', SHT.STRTAB, SHF_ALLOC, off.dynstr, sizes.dynstr, 0, 0, 1, 0],
    ['.gnu.version', SHT.VERSYM, SHF_ALLOC, off.versym, sizes.versym, 3, 0, 2, 2],
    ['.gnu.version_d', SHT.VERDEF, SHF_ALLOC, off.verdef, sizes.verdef, 4, 2, 4, 0],
    ['.text', SHT.PROGBITS, SHF_ALLOC | SHF_EXECINSTR, off.text, sizes.text, 0, 0, 16, 0],
    ['.dynamic', SHT.DYNAMIC, SHF_ALLOC, off.dynamic, sizes.dynamic, 4, 0, 8, DYN_SIZE],
  ];
  const TEXT_INDEX = 7;
  const shstrtab = (() => {
    for (const s of sections) shstr.add(s[0]);
    shstr.add('.shstrtab');
    return shstr.data;
  })();
  const shstrOff = place(shstrtab.length, 1);
  const shoff = place(SHDR_SIZE * (sections.length + 2), 8);
  const out = new Uint8Array(at);
  const v = new DataView(out.buffer);
  const u64 = (o: number, x: number): void => v.setBigUint64(o, BigInt(x), true);

  // ELF header: ELFCLASS64, little-endian, ET_DYN, EM_X86_64
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  v.setUint16(16, 3, true);
  v.setUint16(18, 62, true);
  v.setUint32(20, 1, true);
  u64(24, off.text);
  u64(32, EHDR_SIZE);
  u64(40, shoff);
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, PHDR_SIZE, true);
  v.setUint16(56, 2, true);
  v.setUint16(58, SHDR_SIZE, true);
  v.setUint16(60, sections.length + 2, true);
  v.setUint16(62, sections.length + 1, true);
  // PT_LOAD (the whole image, r-x, as the [vdso] pages map it) and PT_DYNAMIC
  const phdr = (o: number, type: number, flags: number, offset: number, size: number, al: number): void => {
    v.setUint32(o, type, true);
    v.setUint32(o + 4, flags, true);
    [offset, offset, offset, size, size, al].forEach((x, i) => u64(o + 8 + 8 * i, x));
  };
  phdr(EHDR_SIZE, PT_LOAD, PF_R | PF_X, 0, out.length, 4096);
  phdr(EHDR_SIZE + PHDR_SIZE, PT_DYNAMIC, PF_R, off.dynamic, sizes.dynamic, 8);

  // DT_HASH: one bucket holding the chain 1 -> 2 -> ... -> nsyms-1
  v.setUint32(off.hash, 1, true);
  v.setUint32(off.hash + 4, nsyms, true);
  v.setUint32(off.hash + 8, 1, true);
  for (let i = 1; i < nsyms; i++) v.setUint32(off.hash + 12 + 4 * i, i + 1 < nsyms ? i + 1 : 0, true);
  // DT_GNU_HASH: one bucket from symbol 1, a bloom word that lets every name through, the hash chain
  v.setUint32(off.gnuHash, 1, true);
  v.setUint32(off.gnuHash + 4, 1, true);
  v.setUint32(off.gnuHash + 8, 1, true);
  v.setUint32(off.gnuHash + 12, 6, true);
  v.setBigUint64(off.gnuHash + 16, 0xffffffffffffffffn, true);
  v.setUint32(off.gnuHash + 24, 1, true);
  FUNCTIONS.forEach(([name], i) => v.setUint32(off.gnuHash + 28 + 4 * i, (gnuHash(name) & ~1) | (i === FUNCTIONS.length - 1 ? 1 : 0), true));
  // dynsym: global functions in .text, version LINUX_2.6 (index 2)
  FUNCTIONS.forEach((_, i) => {
    const o = off.dynsym + SYM_SIZE * (i + 1);
    v.setUint32(o, names[i], true);
    v.setUint8(o + 4, 0x12);
    v.setUint16(o + 6, TEXT_INDEX, true);
    u64(o + 8, off.text + 16 * i);
    u64(o + 16, code[i].length);
    v.setUint16(off.versym + 2 * (i + 1), 2, true);
    out.set(code[i], off.text + 16 * i);
  });
  out.set(dynstr.data, off.dynstr);
  // verdef: the base version (the soname, VER_FLG_BASE) and LINUX_2.6
  [[1, 1, SONAME, sonameOff], [0, 2, VERSION, versionOff]].forEach(([flags, ndx, name, nameOff], i) => {
    const o = off.verdef + 28 * i;
    v.setUint16(o, 1, true);
    v.setUint16(o + 2, flags as number, true);
    v.setUint16(o + 4, ndx as number, true);
    v.setUint16(o + 6, 1, true);
    v.setUint32(o + 8, elfHash(name as string), true);
    v.setUint32(o + 12, 20, true);
    v.setUint32(o + 16, i === 0 ? 28 : 0, true);
    v.setUint32(o + 20, nameOff as number, true);
  });
  // dynamic
  const dyn: Array<[number, number]> = [
    [DT.HASH, off.hash], [DT.GNU_HASH, off.gnuHash], [DT.STRTAB, off.dynstr], [DT.SYMTAB, off.dynsym], [DT.STRSZ, sizes.dynstr],
    [DT.SYMENT, SYM_SIZE], [DT.SONAME, sonameOff], [DT.VERSYM, off.versym], [DT.VERDEF, off.verdef], [DT.VERDEFNUM, 2], [DT.NULL, 0],
  ];
  dyn.forEach(([tag, val], i) => {
    u64(off.dynamic + DYN_SIZE * i, tag);
    u64(off.dynamic + DYN_SIZE * i + 8, val);
  });
  // section headers: null, the sections, .shstrtab
  out.set(shstrtab, shstrOff);
  [...sections, ['.shstrtab', SHT.STRTAB, 0, shstrOff, shstrtab.length, 0, 0, 1, 0] as const].forEach(([name, type, flags, offset, size, link, info, al, entsize], i) => {
    const o = shoff + SHDR_SIZE * (i + 1);
    v.setUint32(o, shstr.at.get(name)!, true);
    v.setUint32(o + 4, type, true);
    u64(o + 8, flags);
    u64(o + 16, name === '.shstrtab' ? 0 : offset);
    u64(o + 24, offset);
    u64(o + 32, size);
    v.setUint32(o + 40, link, true);
    v.setUint32(o + 44, info, true);
    u64(o + 48, al);
    u64(o + 56, entsize);
  });
  return out;
}
