/**
 * /proc/self/maps of a guest, as Linux's fs/proc/task_mmu.c prints it: one line per mapping of
 * the guest's own address space (not the Node.js process that runs it), in address order:
 *   start-end perms offset major:minor inode [padding to column 73, name]
 * What was mapped from a file (the program's and its interpreter's segments as the ELF loader
 * mapped them, shared objects ld.so maps, the guest's own mmap) carries the file's path, offset,
 * device and inode (AddressSpace.fileMappings); shared memory that is not a file's is shmem, as
 * Linux lists it: shared anonymous memory "/dev/zero (deleted)", a SysV segment "/SYSV<key>
 * (deleted)" with its id as inode, both on device 00:01; the brk area is [heap], the vDSO's pages
 * [vvar], [vvar_vclock] and [vdso], the initial stack's mapping [stack], an x86-64 process's
 * [vsyscall] page.
 */
import { PROT_EXEC, PROT_READ, PROT_WRITE, type SharedPages } from '@dbtlab/mips-host';
import { pageAlignUp, TARGET_PAGE_SIZE } from './layout';
import type { LinuxProcess } from './process';
import { shmSegmentOf } from './syscalls/shm';
import { VDSO_CODE_PAGES, VVAR_PAGES } from './vdso';
import { VSYSCALL_ADDR } from './vsyscall';

/** Where the name starts: Linux pads the prefix to 25 + 6 * sizeof(void *) - 1 columns (a 64-bit kernel). */
const NAME_COLUMN = 25 + 6 * 8 - 1;

/** A named, file-backed range of the address space. */
export interface FileRange {
  start: number;
  end: number;
  offset: number;
  dev: string;
  inode: number;
  name: string;
  shared?: boolean;
  /** A shmem file's (memfd, tmpfs). */
  shmem?: boolean;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** st_dev as major:minor; st_dev in the C library's encoding: major in bits 8-19 (and above 32), minor in 0-7 and 20-31. */
function deviceText(dev: number): string {
  const major = ((dev / 256) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
  const minor = (dev & 0xff) | ((dev / 4096) & ~0xff);
  return `${hex(major, 2)}:${hex(minor, 2)}`;
}

/** Shared anonymous memory's inode numbers (shmem's: arbitrary, one per object, as Linux gives). */
const shmemInodes = new WeakMap<SharedPages, number>();
let nextShmemInode = 1;

/** The guest's shared memory that no file backs: shared anonymous mappings and SysV attachments. */
function shmemRanges(p: LinuxProcess, files: readonly FileRange[]): FileRange[] {
  const out: FileRange[] = [];
  for (const area of p.mem.areas()) {
    for (const r of p.mem.sharedRanges(area.start, area.end - area.start)) {
      if (r.private || files.some((f) => r.addr >= f.start && r.addr < f.end)) continue;
      const src = r.src;
      const seg = shmSegmentOf(p.mem, src);
      let inode = seg?.id ?? shmemInodes.get(src);
      if (inode === undefined) shmemInodes.set(src, (inode = nextShmemInode++));
      const name = seg ? `/SYSV${hex(seg.key >>> 0, 8)} (deleted)` : '/dev/zero (deleted)';
      out.push({ start: r.addr, end: r.addr + r.pages * TARGET_PAGE_SIZE, offset: r.srcFirst * TARGET_PAGE_SIZE, dev: '00:01', inode, name, shared: true, shmem: true });
    }
  }
  return out;
}

/** One VMA as Linux lists it: a range of one protection and one backing. */
export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** A file mapping's file (and MAP_SHARED), else undefined. */
  file?: FileRange;
  /** The name after the columns: a file's path, [heap], [stack]... */
  name?: string;
  /** VM_GROWSDOWN: the stack, a MAP_GROWSDOWN mapping (Linux's VM_STACK on x86). */
  growsDown: boolean;
}

/** The guest's VMAs in address order: its address space's areas, split where a named range begins or ends. */
export function procVmas(p: LinuxProcess): Vma[] {
  const files: FileRange[] = [];
  for (const f of p.space.fileMappings) files.push({ start: f.start, end: f.end, offset: f.offset, dev: deviceText(f.dev), inode: f.inode, name: f.path, shared: f.shared, shmem: f.shmem });
  files.push(...shmemRanges(p, files));
  const anon = (start: number, end: number, name: string): FileRange => ({ start, end, offset: 0, dev: '00:00', inode: 0, name });
  const named: FileRange[] = [];
  if (p.space.brk > p.space.brkStart) named.push(anon(p.space.brkStart, pageAlignUp(p.space.brk), '[heap]'));
  if (p.vdso) {
    // vdso.ts's pages, named as this host's Linux names them: 4 + 2 vvar pages, then the code
    const code = p.vdso.code;
    const page = TARGET_PAGE_SIZE;
    named.push(anon(code - VVAR_PAGES * page, code - 2 * page, '[vvar]'), anon(code - 2 * page, code, '[vvar_vclock]'));
    named.push(anon(code, code + VDSO_CODE_PAGES * page, '[vdso]'));
  }
  const sp = p.initialStack?.sp;
  // split the address space's areas where a named range begins or ends (Linux's VMAs end there)
  const cuts = new Set<number>();
  for (const f of [...files, ...named]) cuts.add(f.start).add(f.end);
  const vmas: Vma[] = [];
  for (const area of p.mem.areas()) {
    const inside = [...cuts].filter((c) => c > area.start && c < area.end).sort((a, b) => a - b);
    let start = area.start;
    for (const end of [...inside, area.end]) {
      const file = files.find((f) => start >= f.start && start < f.end);
      const name = file?.name ?? named.find((f) => start >= f.start && start < f.end)?.name;
      const stack = !name && sp !== undefined && sp >= start && sp < end;
      vmas.push({ start, end, prot: area.prot, file, name: stack ? '[stack]' : name, growsDown: area.growsDown });
      start = end;
    }
  }
  return vmas;
}

/** The text of /proc/self/maps for process `p`. */
export function procMapsText(p: LinuxProcess): string {
  const lines = procVmas(p).map(({ start, end, prot, file, name }) => {
    const perms = (prot & PROT_READ ? 'r' : '-') + (prot & PROT_WRITE ? 'w' : '-') + (prot & PROT_EXEC ? 'x' : '-') + (file?.shared ? 's' : 'p');
    const offset = file ? file.offset + (start - file.start) : 0;
    const prefix = `${hex(start, 8)}-${hex(end, 8)} ${perms} ${hex(offset, 8)} ${file?.dev ?? '00:00'} ${file?.inode ?? 0} `;
    return name ? `${prefix.padEnd(NAME_COLUMN)} ${name}\n` : `${prefix}\n`;
  });
  // the vsyscall page (vsyscall.ts emulates it, execute-only): the gate area Linux lists last
  if (p.abi === 'x86_64') lines.push(`${`${VSYSCALL_ADDR.toString(16)}-${(VSYSCALL_ADDR + BigInt(TARGET_PAGE_SIZE)).toString(16)} --xp 00000000 00:00 0 `.padEnd(NAME_COLUMN)} [vsyscall]\n`);
  return lines.join('');
}

