/**
 * /proc/self/maps of a guest, as Linux's fs/proc/task_mmu.c prints it: one line per mapping of
 * the guest's own address space (not the Node.js process that runs it), in address order:
 *   start-end perms offset major:minor inode [padding to column 73, name]
 * The program's and its interpreter's file-backed segments carry their path, offset, device and
 * inode (found through their program headers, which are mapped); the brk area is [heap], the
 * vDSO's pages [vvar], [vvar_vclock] and [vdso], the initial stack's mapping [stack]; what mmap
 * mapped from a file (shared objects ld.so maps among them) carries the file's path, offset,
 * device and inode (AddressSpace.fileMappings).
 */
import { realpathSync, statSync } from 'node:fs';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { pageAlignDown, pageAlignUp, TARGET_PAGE_SIZE } from './layout';
import type { LinuxProcess } from './process';
import { VDSO_CODE_PAGES, VVAR_PAGES } from './vdso';

const PT_LOAD = 1;
/** Where the name starts: Linux pads the prefix to 25 + 6 * sizeof(void *) - 1 columns (a 64-bit kernel). */
const NAME_COLUMN = 25 + 6 * 8 - 1;

/** A named, file-backed range of the address space. */
interface FileRange {
  start: number;
  end: number;
  offset: number;
  dev: string;
  inode: number;
  name: string;
  shared?: boolean;
}

/** The file-backed PT_LOAD ranges of the ELF whose program headers are at `phdr` (guest memory). */
function loadRanges(p: LinuxProcess, phdr: number, phnum: number, bias: number, hostPath: string): FileRange[] {
  let real: string, dev: string, inode: number;
  try {
    real = realpathSync(hostPath);
    const st = statSync(real);
    dev = deviceText(st.dev);
    inode = st.ino;
  } catch {
    return [];
  }
  const wide = p.abi === 'x86_64';
  const phent = wide ? 56 : 32;
  const out: FileRange[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = Buffer.from(p.mem.readBytes(phdr + i * phent, phent));
    if (h.readUInt32LE(0) !== PT_LOAD) continue;
    const [offset, vaddr, filesz] = wide
      ? [Number(h.readBigUInt64LE(8)), Number(h.readBigUInt64LE(16)), Number(h.readBigUInt64LE(32))]
      : [h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(16)];
    if (filesz === 0) continue;
    const start = pageAlignDown(vaddr + bias);
    out.push({ start, end: pageAlignUp(vaddr + bias + filesz), offset: pageAlignDown(offset), dev, inode, name: real });
  }
  return out;
}

/** The interpreter's program headers: its ELF header is mapped at its base (the first segment holds offset 0). */
function interpreterRanges(p: LinuxProcess, base: number, path: string): FileRange[] {
  const wide = p.abi === 'x86_64';
  const e = Buffer.from(p.mem.readBytes(base, wide ? 64 : 52));
  const phoff = wide ? Number(e.readBigUInt64LE(0x20)) : e.readUInt32LE(0x1c);
  const phnum = e.readUInt16LE(wide ? 0x38 : 0x2c);
  return loadRanges(p, base + phoff, phnum, base, p.sysroot.hostPath(path));
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** st_dev as major:minor; st_dev in the C library's encoding: major in bits 8-19 (and above 32), minor in 0-7 and 20-31. */
function deviceText(dev: number): string {
  const major = ((dev / 256) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
  const minor = (dev & 0xff) | ((dev / 4096) & ~0xff);
  return `${hex(major, 2)}:${hex(minor, 2)}`;
}

/** The text of /proc/self/maps for process `p`. */
export function procMapsText(p: LinuxProcess): string {
  const image = p.image;
  let files: FileRange[] = [];
  if (image) {
    try {
      files = loadRanges(p, image.phdr, image.phnum, image.loadBias, p.exePath);
      if (image.interpreter !== undefined && image.interpBase !== 0) files.push(...interpreterRanges(p, image.interpBase, image.interpreter));
    } catch {
      // program headers not mapped any more (the guest unmapped them): the ranges go unnamed
    }
  }
  for (const f of p.space.fileMappings) files.push({ start: f.start, end: f.end, offset: f.offset, dev: deviceText(f.dev), inode: f.inode, name: f.path, shared: f.shared });
  const anon = (start: number, end: number, name: string): FileRange => ({ start, end, offset: 0, dev: '00:00', inode: 0, name });
  if (p.space.brk > p.space.brkStart) files.push(anon(p.space.brkStart, pageAlignUp(p.space.brk), '[heap]'));
  if (p.trampolines) {
    // vdso.ts's pages, named as this host's Linux names them: 4 + 2 vvar pages, then the code
    const code = pageAlignDown(p.trampolines.sigreturn);
    const page = TARGET_PAGE_SIZE;
    files.push(anon(code - VVAR_PAGES * page, code - 2 * page, '[vvar]'), anon(code - 2 * page, code, '[vvar_vclock]'));
    files.push(anon(code, code + VDSO_CODE_PAGES * page, '[vdso]'));
  }
  const sp = p.initialStack?.sp;
  // split the address space's areas where a named range begins or ends (Linux's VMAs end there)
  const cuts = new Set<number>();
  for (const f of files) cuts.add(f.start).add(f.end);
  const lines: string[] = [];
  for (const area of p.mem.areas()) {
    const inside = [...cuts].filter((c) => c > area.start && c < area.end).sort((a, b) => a - b);
    let start = area.start;
    for (const end of [...inside, area.end]) {
      const file = files.find((f) => start >= f.start && start < f.end);
      let name = file?.name;
      if (!name && sp !== undefined && sp >= start && sp < end) name = '[stack]';
      const perms =
        (area.prot & PROT_READ ? 'r' : '-') + (area.prot & PROT_WRITE ? 'w' : '-') + (area.prot & PROT_EXEC ? 'x' : '-') + (file?.shared ? 's' : 'p');
      const offset = file ? file.offset + (start - file.start) : 0;
      const prefix = `${hex(start, 8)}-${hex(end, 8)} ${perms} ${hex(offset, 8)} ${file?.dev ?? '00:00'} ${file?.inode ?? 0} `;
      lines.push(name ? `${prefix.padEnd(NAME_COLUMN)} ${name}\n` : `${prefix}\n`);
      start = end;
    }
  }
  return lines.join('');
}

