import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ElfError, readElfSections, SHF_EXECINSTR } from '../src';
import { ELIBBAD, ENOENT, ENOEXEC } from '../src/errno';
import { buildFixture, newProcess, tmpDir } from './helpers';

const dir = tmpDir();
const glibc = buildFixture(dir, 'stack-dump');
const tiny = buildFixture(dir, 'exit-nostdlib', ['-static', '-nostdlib', '-O2']);

/** objdump -h: "Idx Name Size VMA LMA File-off Algn" then a flags line. */
function objdumpSections(path: string): Array<{ name: string; size: number; vma: number; off: number; code: boolean }> {
  const lines = execFileSync('objdump', ['-h', '-w', path], { encoding: 'utf8' }).split('\n');
  const out = [];
  for (const line of lines) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\S+\s+(.*)$/.exec(line);
    if (m) out.push({ name: m[1], size: parseInt(m[2], 16), vma: parseInt(m[3], 16), off: parseInt(m[4], 16), code: /\bCODE\b/.test(m[5]) });
  }
  return out;
}

for (const [label, path] of [['glibc static', glibc], ['nostdlib', tiny]] as const) {
  test(`readElfSections agrees with objdump -h (${label})`, (t) => {
    const ours = readElfSections(readFileSync(path));
    const theirs = objdumpSections(path);
    t.true(theirs.length > 3);
    for (const s of theirs) {
      const mine = ours.find((o) => o.name === s.name);
      t.truthy(mine, s.name);
      t.is(mine!.size, s.size, s.name);
      t.is(mine!.addr, s.vma, s.name);
      t.is(mine!.offset, s.off, s.name);
      t.is((mine!.flags & SHF_EXECINSTR) !== 0, s.code, s.name);
    }
  });
}

function loadError(t: { throws: (fn: () => void, e: object) => ElfError | undefined }, bytes: Uint8Array | string, message: RegExp): ElfError | undefined {
  const path = typeof bytes === 'string' ? bytes : join(dir, `bad-${Math.random().toString(36).slice(2)}`);
  if (typeof bytes !== 'string') writeFileSync(path, bytes);
  const h = newProcess();
  return t.throws(() => h.proc.load(path), { instanceOf: ElfError, message });
}

test('an empty file is an ElfError', (t) => loadError(t, new Uint8Array(0), /shorter than an ELF header/));
test('a text file is an ElfError', (t) => loadError(t, Buffer.from('#!/bin/sh\necho hello, this is not an ELF file at all\n'), /bad magic/));
// without -m32: gcc's default target on this machine is x86-64
const exe64 = join(dir, 'exit64');
execFileSync('gcc', ['-static', '-nostdlib', join(__dirname, 'fixtures', 'exit-nostdlib.c'), '-o', exe64]);

test('an x86-64 ELF loads with the x86-64 system-call ABI, its sections as objdump -h has them', (t) => {
  const h = newProcess();
  h.proc.load(exe64);
  t.is(h.proc.abi, 'x86_64');
  t.is(h.proc.image?.elfClass, 64);
  const ours = readElfSections(readFileSync(exe64));
  for (const s of objdumpSections(exe64)) {
    const mine = ours.find((o) => o.name === s.name);
    t.deepEqual(mine && [mine.size, mine.addr, mine.offset, (mine.flags & SHF_EXECINSTR) !== 0], [s.size, s.vma, s.off, s.code], s.name);
  }
});
test('an x32 ELF (ELFCLASS32 with e_machine x86-64) is an ElfError', (t) => {
  const bytes = readFileSync(tiny);
  bytes.writeUInt16LE(62, 18);
  loadError(t, bytes, /x32/);
});
test('an ELF of another machine is an ElfError', (t) => {
  const bytes = readFileSync(exe64);
  bytes.writeUInt16LE(183, 18); // aarch64
  loadError(t, bytes, /not an x86-64 ELF/);
});
test('a missing interpreter is ENOENT, as execve returns it; one that is not an i386 ELF is ELIBBAD', (t) => {
  const exe = buildFixture(dir, 'stack-dump', ['-O2'], 'dynamic');
  const bytes = readFileSync(exe);
  const at = bytes.indexOf('/lib/ld-linux.so.2\0');
  t.true(at > 0);
  bytes.write('/lib/ld-nowhere.so', at, 'latin1');
  const e = loadError(t, bytes, /interpreter \/lib\/ld-nowhere.so: No such file or directory/);
  t.is(e?.errno, ENOENT);
  // a sysroot whose ld-linux.so.2 is a text file
  const root = join(dir, 'bad-root');
  mkdirSync(join(root, 'lib'), { recursive: true });
  writeFileSync(join(root, 'lib', 'ld-linux.so.2'), '#!/bin/sh\necho this is a shell script, not an ELF: the kernel will not run it\n');
  const h = newProcess({ sysroot: root });
  t.is(t.throws(() => h.proc.load(exe), { instanceOf: ElfError, message: /interpreter \/lib\/ld-linux.so.2: not an ELF file/ })?.errno, ELIBBAD);
});
test('a truncated ELF is an ElfError', (t) => loadError(t, readFileSync(tiny).subarray(0, 100), /past the end of the file/));
test('a missing file is an ElfError with ENOENT', (t) => t.is(loadError(t, join(dir, 'no-such-file'), /cannot read/)?.errno, ENOENT));
test('a malformed file is ENOEXEC', (t) => t.is(loadError(t, Buffer.from('#!/bin/sh\necho this is a shell script, not an ELF: the kernel will not run it\n'), /bad magic/)?.errno, ENOEXEC));
test('a device such as /dev/zero is an ElfError, without reading it', (t) => loadError(t, '/dev/zero', /not a regular file/));
test('a PT_LOAD segment claiming gigabytes of bss loads without holding them', (t) => {
  const bytes = new Uint8Array(readFileSync(tiny));
  const v = new DataView(bytes.buffer);
  let ph = v.getUint32(0x1c, true); // e_phoff
  while (v.getUint32(ph, true) !== 1) ph += 32; // the first PT_LOAD
  v.setUint32(ph + 20, 0xe000_0000, true); // p_memsz: 3.5 GiB
  const path = join(dir, 'huge-bss');
  writeFileSync(path, bytes);
  const h = newProcess();
  h.proc.load(path);
  const vaddr = v.getUint32(ph + 8, true);
  t.true(h.mem.isRangeMapped(vaddr & ~0xfff, 0xe000_0000));
  t.true([...h.mem.touchedPages(0, 2 ** 32)].length < 100);
});
test('readElfSections on a non-ELF throws ElfError', (t) => {
  t.throws(() => readElfSections(Buffer.from('hello')), { instanceOf: ElfError });
});
