import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { R_CS, R_DS, R_EAX, R_ES, R_ESP, R_FS, R_GS, R_SS } from '@dbtlab/x86-frontend';
import { join } from 'node:path';
import { ELF_ET_DYN_BASE, MMAP_BASE } from '../src';
import { buildFixture, kernelAbiTest, newProcess, runOnLinuxI386, tmpDir } from './helpers';

const dir = tmpDir();
const exe = buildFixture(dir, 'stack-dump');
buildFixture(dir, 'stack-dump', ['-static-pie', '-O2'], 'stack-dump-pie');
// dynamically linked: a PIE and an ET_EXEC through /lib/ld-linux.so.2
buildFixture(dir, 'stack-dump', ['-O2'], 'stack-dump-dyn');
buildFixture(dir, 'stack-dump', ['-O2', '-no-pie'], 'stack-dump-dyn-exec');
const ARGV = ['./stack-dump', 'x', 'yy', 'a longer argument'];
const ENVP = ['A=1', 'B=hello', 'PATH=/usr/bin:/bin'];

interface Dump {
  argv: Array<[number, string]>;
  envp: Array<[number, string]>;
  auxv: Array<[number, number]>;
}
function parseDump(text: string): Dump {
  const d: Dump = { argv: [], envp: [], auxv: [] };
  for (const line of text.trim().split('\n')) {
    const [kind, ...rest] = line.split(' ');
    if (kind === 'argv' || kind === 'envp') d[kind].push([parseInt(rest[1], 16), rest.slice(2).join(' ')]);
    if (kind === 'auxv') d.auxv.push([Number(rest[0]), parseInt(rest[1], 16)]);
  }
  return d;
}

/** What our loader put on the stack, read back the way the C program walks it. */
function ourDump(argv: string[]): { dump: Dump; sp: number; h: ReturnType<typeof newProcess> } {
  const h = newProcess({ argv, envp: ENVP });
  // execve(argv[0]) from the directory the native run uses: AT_EXECFN is the path as given
  h.proc.cwd = dir;
  h.proc.load(argv[0]);
  const sp = h.cpu.reg(R_ESP);
  const m = h.mem;
  const argc = m.read32(sp);
  const d: Dump = { argv: [], envp: [], auxv: [] };
  let p = sp + 4;
  for (let i = 0; i < argc; i++, p += 4) d.argv.push([m.read32(p), m.readCString(m.read32(p))]);
  p += 4;
  for (; m.read32(p) !== 0; p += 4) d.envp.push([m.read32(p), m.readCString(m.read32(p))]);
  for (p += 4; m.read32(p) !== 0; p += 8) d.auxv.push([m.read32(p), m.read32(p + 4)]);
  return { dump: d, sp, h };
}

/** Entries that depend on the machine (vDSO, CPU features, rseq) or that we leave out. */
const NOT_COMPARED = new Set([32, 33, 51, 16, 26, 27, 28]);

const SHAPES = [
  ['ET_EXEC', './stack-dump'],
  ['static-PIE', './stack-dump-pie'],
  ['PIE through ld.so, AT_BASE', './stack-dump-dyn'],
  ['dynamic ET_EXEC through ld.so, AT_BASE', './stack-dump-dyn-exec'],
] as const;
for (const [label, argv0] of SHAPES) {
  kernelAbiTest(`initial stack matches a native run byte for byte where Linux is deterministic (${label})`, (t) => {
    const argv = [argv0, ...ARGV.slice(1)];
    const native = parseDump(runOnLinuxI386(dir, argv, ENVP));
    const { dump, sp } = ourDump(argv);
    t.deepEqual(dump.argv, native.argv);
    t.deepEqual(dump.envp, native.envp);
    const theirs = native.auxv.filter(([k]) => !NOT_COMPARED.has(k));
    const ours = dump.auxv.filter(([k]) => !NOT_COMPARED.has(k));
    // same entries, same order, same values: AT_PHDR/PHENT/PHNUM/ENTRY, ids, AT_RANDOM/EXECFN/PLATFORM addresses
    t.deepEqual(ours, theirs);
    t.is(sp % 16, 0);
    t.is(dump.auxv.find(([k]) => k === 16)?.[0], 16, 'AT_HWCAP present');
  });
}

test('registers at the entry point are those of execve', (t) => {
  const { h, sp } = ourDump(ARGV);
  const entry = parseInt(/Entry point address:\s+0x([0-9a-f]+)/.exec(execFileSync('readelf', ['-h', exe], { encoding: 'utf8' }))![1], 16);
  t.is(h.cpu.eip, entry);
  t.is(h.cpu.reg(R_ESP), sp);
  t.is(h.cpu.reg(R_EAX), 0);
  t.is(h.cpu.eflagsRest, 0x202);
  t.deepEqual([R_CS, R_SS, R_DS, R_ES, R_FS, R_GS].map((s) => h.cpu.segSelector(s)), [0x23, 0x2b, 0x2b, 0x2b, 0, 0]);
  // argc and the AT_PLATFORM string
  t.is(h.mem.read32(sp), ARGV.length);
  t.is(h.mem.readCString(h.proc.initialStack!.platform), 'i686');
});

/** e_entry of an ELF, as readelf -h prints it. */
const readelfEntry = (path: string): number => parseInt(/Entry point address:\s+0x([0-9a-f]+)/.exec(execFileSync('readelf', ['-h', path], { encoding: 'utf8' }))![1], 16);
const auxval = (d: Dump, key: number): number | undefined => d.auxv.find(([k]) => k === key)?.[1];

for (const [label, name, bias, lowest] of [['PIE', 'stack-dump-dyn', ELF_ET_DYN_BASE, ELF_ET_DYN_BASE], ['ET_EXEC', 'stack-dump-dyn-exec', 0, 0x8048000]] as const) {
  test(`a dynamic ${label} starts in its interpreter: ld.so mapped just below mmap_base (AT_BASE), the vDSO below it, AT_ENTRY/AT_PHDR the program's`, (t) => {
    const { dump, h } = ourDump([`./${name}`]);
    const base = auxval(dump, 7)!;
    const ldso = readFileSync('/lib/ld-linux.so.2');
    t.deepEqual(Buffer.from(h.mem.readBytes(base, 64)), ldso.subarray(0, 64), 'AT_BASE holds the ELF header of ld.so');
    t.is(h.cpu.eip, (base + readelfEntry('/lib/ld-linux.so.2')) >>> 0, 'the first pc is ld.so\'s entry');
    t.is(auxval(dump, 9), (bias + readelfEntry(join(dir, name))) >>> 0, 'AT_ENTRY: the program\'s entry at its load bias');
    t.is(h.mem.read32(auxval(dump, 3)!), 6, 'AT_PHDR points at the program headers (PT_PHDR first)');
    t.true(h.mem.isMapped(MMAP_BASE - 4096) && !h.mem.isMapped(MMAP_BASE), 'ld.so ends at mmap_base, as load_elf_interp maps it top-down');
    t.true(h.proc.vdso!.code < base, 'the vDSO is mapped after (below) the interpreter');
    t.is(h.proc.space.brkStart, h.proc.image!.brkStart);
    t.true(h.proc.image!.brkStart > lowest && h.proc.image!.brkStart < lowest + 0x100000, 'brk right after the program\'s bss');
  });
}

test('ld.so started directly (ld-linux.so.2 ./prog) is an ET_DYN without interpreter: mapped top-down, AT_BASE 0', (t) => {
  const h = newProcess({ argv: ['/lib/ld-linux.so.2', './stack-dump-dyn'] });
  h.proc.cwd = dir;
  h.proc.load('/lib/ld-linux.so.2');
  const img = h.proc.image!;
  t.is(img.interpreter, undefined);
  t.is(img.interpBase, 0);
  t.is(h.cpu.eip, img.entry);
  t.is(img.entry, (img.loadBias + readelfEntry('/lib/ld-linux.so.2')) >>> 0);
  t.true(h.mem.isMapped(MMAP_BASE - 4096));
});

test('PT_LOAD segments are mapped with their protection and the file bytes, bss zeroed (readelf -l)', (t) => {
  const h = newProcess();
  h.proc.load(exe);
  const file = readFileSync(exe);
  const rows = execFileSync('readelf', ['-lW', exe], { encoding: 'utf8' }).split('\n').filter((l) => /^\s+LOAD\s/.test(l));
  t.true(rows.length >= 2);
  for (const row of rows) {
    const [, off, vaddr, , filesz, memsz, flg] = /LOAD\s+0x(\S+)\s+0x(\S+)\s+0x(\S+)\s+0x(\S+)\s+0x(\S+)\s+(.{3})/.exec(row)!.map((x, i) => (i >= 1 && i <= 5 ? parseInt(x, 16) : x)) as [string, number, number, number, number, number, string];
    const prot = (flg.includes('R') ? PROT_READ : 0) | (flg.includes('W') ? PROT_WRITE : 0) | (flg.includes('E') ? PROT_EXEC : 0);
    for (let a = vaddr & ~0xfff; a < vaddr + memsz; a += 0x1000) t.is(h.mem.prot(a), prot, `page 0x${a.toString(16)}`);
    t.deepEqual(Buffer.from(h.mem.readBytes(vaddr, filesz)), file.subarray(off, off + filesz));
    if (memsz > filesz) t.true(h.mem.readBytes(vaddr + filesz, memsz - filesz).every((b) => b === 0));
  }
});

test('AT_RANDOM bytes are the same on every run (fixed seed)', (t) => {
  const a = ourDump(ARGV).h;
  const b = ourDump(ARGV).h;
  const ra = a.mem.readBytes(a.proc.initialStack!.random, 16);
  t.deepEqual(ra, b.mem.readBytes(b.proc.initialStack!.random, 16));
  t.false(ra.every((x) => x === 0));
});
