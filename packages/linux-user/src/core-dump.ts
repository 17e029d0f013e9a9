/**
 * The core file of a guest process that dies of a core-action signal, as qemu-user writes it
 * (elf_core_dump): `qemu_<program>_<YYYYmmdd-HHMMSS>_<pid>.core` in the guest's working
 * directory, an ELF core of the guest's class that gdb and readelf read:
 *   PT_NOTE  NT_PRSTATUS (the signal, pids, the dying thread's registers), NT_PRPSINFO (state,
 *            ids, command name and arguments), NT_AUXV (the initial stack's auxiliary vector),
 *            then one NT_PRSTATUS per other thread of the process
 *   PT_LOAD  one per mapping of the address space (vaddr, size, permissions) with its bytes;
 *            an unreadable mapping has none (p_filesz 0)
 * Written when the process is dumpable and RLIMIT_CORE is at least a page (the guest's limit,
 * which starts as dbtlab's own); a limit below the file's size cuts it there, as Linux does;
 * pages of zeros are left as holes.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { R_CS, R_DS, R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ES, R_ESI, R_ESP, R_FS, R_GS, R_SS } from '@dbtlab/x86-frontend';
import { cpuEflags } from '@dbtlab/x86-semantics';
import { EM_386, EM_X86_64, ELF_SIZES, ET_CORE, PF_R, PF_W, PF_X, PT_LOAD, PT_NOTE, type ProgramHeader } from './elf';
import { writeElfHeaders } from './elf-write';
import { TARGET_PAGE_SIZE } from './layout';
import type { LinuxProcess } from './process';
import { RLIM_INFINITY, RLIMIT_CORE } from './rlimit';
import { pgidOf, sidOf } from './syscalls/process-tree';
import { CLOCKS } from './syscalls/time';

const NT_PRSTATUS = 1;
const NT_PRPSINFO = 3;
const NT_AUXV = 6;

/** The ELF class and machine, and the sizes of a word and of the two note structures. */
const LAYOUT = {
  i386: { elfClass: 32, machine: EM_386, word: 4, prstatus: 144, prpsinfo: 124 },
  x86_64: { elfClass: 64, machine: EM_X86_64, word: 8, prstatus: 336, prpsinfo: 136 },
} as const;

/** qemu's name: the program's base name, the local time of the dump, the pid. */
export function coreFileName(p: LinuxProcess): string {
  const d = new Date(Number(CLOCKS[0].now(p) / 1_000_000n));
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
  return `qemu_${basename(p.exePath)}_${stamp}_${p.pid}.core`;
}

/** binfmt_elf's min_coredump (ELF_EXEC_PAGESIZE): a smaller RLIMIT_CORE writes no core. */
export const MIN_COREDUMP = TARGET_PAGE_SIZE;

/** Writes `p`'s core for signal `sig` if its limit allows one; the path written, if any. */
export function writeCoreDump(p: LinuxProcess, sig: number): string | undefined {
  const limit = p.rlimits[RLIMIT_CORE].cur;
  if (limit < BigInt(MIN_COREDUMP) || p.prctl.dumpable === 0) return undefined;
  const { head, loads } = buildCore(p, sig);
  const end = Math.min(loads.reduce((e, l) => Math.max(e, l.offset + l.bytes.length), head.length), limit === RLIM_INFINITY ? Infinity : Number(limit));
  const path = p.sysroot.hostPath(join(p.cwd, coreFileName(p)));
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch {
    return undefined; // as Linux: no core where the process cannot write one
  }
  try {
    writeSync(fd, head, 0, Math.min(head.length, end), 0);
    // pages of zeros are holes (a sparse file, as Linux leaves pages never touched)
    for (const l of loads) {
      for (let at = 0; at < l.bytes.length && l.offset + at < end; at += TARGET_PAGE_SIZE) {
        const page = l.bytes.subarray(at, Math.min(at + TARGET_PAGE_SIZE, end - l.offset));
        if (page.some((b) => b !== 0)) writeSync(fd, page, 0, page.length, l.offset + at);
      }
    }
    ftruncateSync(fd, end);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** One note: namesz, descsz, type, "CORE\0" padded to 4, the descriptor padded to 4. */
function note(type: number, desc: Uint8Array): Buffer {
  const head = Buffer.alloc(20);
  head.writeUInt32LE(5, 0);
  head.writeUInt32LE(desc.length, 4);
  head.writeUInt32LE(type, 8);
  head.write('CORE', 12, 'latin1');
  return Buffer.concat([head, Buffer.from(desc), Buffer.alloc((4 - (desc.length % 4)) % 4)]);
}

/** A little-endian writer of words of the guest's width. */
function words(size: number, wide: boolean) {
  const b = Buffer.alloc(size);
  return {
    b,
    word: (off: number, v: number | bigint): void => {
      if (wide) b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), off);
      else b.writeUInt32LE(Number(BigInt.asUintN(32, BigInt(v))), off);
    },
  };
}

/** elf_prstatus: the signal, pending and blocked signals, pids, then the registers (user_regs_struct). */
function prstatus(p: LinuxProcess, sig: number): Buffer {
  const wide = p.abi === 'x86_64';
  const { b, word } = words(LAYOUT[p.abi].prstatus, wide);
  const cpu = p.cpu;
  b.writeInt32LE(sig, 0);
  b.writeInt16LE(sig, 12);
  word(16, p.signals.pending & 0xffff_ffff_ffff_ffffn);
  word(wide ? 24 : 20, p.signals.blocked & 0xffff_ffff_ffff_ffffn);
  const ids = [p.tid, p.ppid, pgidOf(p), sidOf(p)];
  ids.forEach((v, i) => b.writeInt32LE(v, (wide ? 32 : 24) + 4 * i));
  const seg = (s: number): number => cpu.segSelector(s);
  const eflags = cpuEflags(cpu);
  if (wide) {
    const r = (n: number): bigint => cpu.reg64(n);
    // r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs
    const regs: Array<number | bigint> = [
      r(15), r(14), r(13), r(12), r(R_EBP), r(R_EBX), r(11), r(10), r(9), r(8), r(R_EAX), r(R_ECX), r(R_EDX), r(R_ESI), r(R_EDI),
      -1, cpu.eip, seg(R_CS), eflags, r(R_ESP), seg(R_SS), cpu.segBase64(R_FS), cpu.segBase64(R_GS), seg(R_DS), seg(R_ES), seg(R_FS), seg(R_GS),
    ];
    regs.forEach((v, i) => word(112 + 8 * i, v));
  } else {
    const r = (n: number): number => cpu.reg(n);
    // ebx ecx edx esi edi ebp eax ds es fs gs orig_eax eip cs eflags esp ss
    const regs = [r(R_EBX), r(R_ECX), r(R_EDX), r(R_ESI), r(R_EDI), r(R_EBP), r(R_EAX), seg(R_DS), seg(R_ES), seg(R_FS), seg(R_GS), -1, cpu.eip, seg(R_CS), eflags, r(R_ESP), seg(R_SS)];
    regs.forEach((v, i) => word(72 + 4 * i, v));
  }
  return b;
}

/** elf_prpsinfo: state R, ids, the command name (comm) and the arguments (80 bytes, spaces between). */
function prpsinfo(p: LinuxProcess): Buffer {
  const wide = p.abi === 'x86_64';
  const b = Buffer.alloc(LAYOUT[p.abi].prpsinfo);
  b.write('R', 1, 'latin1');
  b.writeInt8(Math.max(-128, Math.min(127, p.nice)), 3);
  // i386's uid and gid are 16 bits here (__kernel_uid_t)
  if (wide) {
    b.writeUInt32LE(p.ids.uid >>> 0, 16);
    b.writeUInt32LE(p.ids.gid >>> 0, 20);
  } else {
    b.writeUInt16LE(p.ids.uid & 0xffff, 8);
    b.writeUInt16LE(p.ids.gid & 0xffff, 10);
  }
  const at = wide ? 24 : 12;
  [p.pid, p.ppid, pgidOf(p), sidOf(p)].forEach((v, i) => b.writeInt32LE(v, at + 4 * i));
  const comm = p.comm;
  b.set(comm.subarray(0, Math.max(0, comm.indexOf(0) === -1 ? 15 : comm.indexOf(0))), at + 16);
  b.write(p.opts.argv.join(' ').slice(0, 79), at + 32, 'latin1');
  return b;
}

/** The auxiliary vector as the initial stack holds it, AT_NULL last. */
function auxv(p: LinuxProcess): Buffer {
  const pairs = [...(p.initialStack?.auxv ?? []), [0, 0] as [number, number]];
  const { b, word } = words(pairs.length * 2 * LAYOUT[p.abi].word, p.abi === 'x86_64');
  pairs.forEach(([k, v], i) => {
    word(2 * i * LAYOUT[p.abi].word, k);
    word((2 * i + 1) * LAYOUT[p.abi].word, v);
  });
  return b;
}

/** The core file of `p` dying of `sig`: its headers and notes, and each mapping's bytes with their file offset. */
function buildCore(p: LinuxProcess, sig: number): { head: Buffer; loads: Array<{ offset: number; bytes: Uint8Array }> } {
  const L = LAYOUT[p.abi];
  const E = ELF_SIZES[L.elfClass];
  const parts = [note(NT_PRSTATUS, prstatus(p, sig)), note(NT_PRPSINFO, prpsinfo(p)), note(NT_AUXV, auxv(p))];
  // the other threads' registers follow, each thread's NT_PRSTATUS (the signal is the process's)
  p.tree?.forOtherThreads(p, (t) => parts.push(note(NT_PRSTATUS, prstatus(t, sig))));
  const notes = Buffer.concat(parts);
  const areas = p.mem.areas();
  const phnum = 1 + areas.length;
  const notesAt = E.ehdr + phnum * E.phdr;
  // the memory starts on a page boundary, as Linux's and qemu's cores do
  let offset = Math.ceil((notesAt + notes.length) / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
  const phdrs: ProgramHeader[] = [{ type: PT_NOTE, flags: 0, offset: notesAt, vaddr: 0, filesz: notes.length, memsz: 0, align: 0 }];
  const loads: Array<{ offset: number; bytes: Uint8Array }> = [];
  for (const a of areas) {
    const size = a.end - a.start;
    const readable = (a.prot & PROT_READ) !== 0;
    const flags = (readable ? PF_R : 0) | (a.prot & PROT_WRITE ? PF_W : 0) | (a.prot & PROT_EXEC ? PF_X : 0);
    phdrs.push({ type: PT_LOAD, flags, offset, vaddr: a.start, filesz: readable ? size : 0, memsz: size, align: TARGET_PAGE_SIZE });
    if (readable) {
      loads.push({ offset, bytes: p.mem.readBytes(a.start, size) });
      offset += size;
    }
  }
  const headers = Buffer.alloc(notesAt);
  writeElfHeaders(headers, { class: L.elfClass, type: ET_CORE, machine: L.machine, entry: 0, shoff: 0, shnum: 0, shstrndx: 0 }, phdrs);
  return { head: Buffer.concat([headers, notes]), loads };
}
