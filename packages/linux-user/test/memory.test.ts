import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { MMAP_BASE, TARGET_PAGE_SIZE } from '../src/layout';
import { VVAR_PAGES } from '../src/vdso';
import { buildFixture, kernelAbiTest, newProcess, runOnLinuxI386, syscall, tmpDir } from './helpers';

const dir = tmpDir();
buildFixture(dir, 'mmap-seq');

const CONSTANTS: Record<string, number> = {
  NULL: 0, PROT_NONE: 0, PROT_READ: 1, PROT_WRITE: 2, PROT_EXEC: 4,
  MAP_SHARED: 1, MAP_PRIVATE: 2, MAP_FIXED: 0x10, MAP_ANONYMOUS: 0x20, MREMAP_MAYMOVE: 1,
};
function parseArg(tok: string): number {
  return tok.split('|').reduce((acc, part) => {
    if (part in CONSTANTS) return acc | CONSTANTS[part];
    const n = Number(part);
    if (Number.isNaN(n)) throw new Error(`cannot parse strace argument ${tok}`);
    return acc | n;
  }, 0) >>> 0;
}

kernelAbiTest('brk, mmap2, munmap and mremap replayed from a native strace give the same results and the same strace lines', (t) => {
  const log = join(dir, 'mmap-seq.strace');
  const out = runOnLinuxI386(dir, ['./mmap-seq'], [], ['strace', '-o', log, '-e', 'trace=brk,mmap2,munmap,mremap']);
  const lines = readFileSync(log, 'utf8').split('\n').filter((l) => /^(brk|mmap2|munmap|mremap)\(/.test(l));
  t.true(lines.length >= 8, lines.join('\n'));
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.load('./mmap-seq');
  // The mmap area grows down from [vvar]. dbtlab lays out the vDSO of Linux >= 6.13 (6 data pages,
  // vdso.ts); an older oracle kernel (the kernel VM's 6.1 has 4) starts it elsewhere: addresses
  // between the stack's gap and its [vvar] are compared moved by that difference, all else as is.
  const nativeVvar = Number(/^vvar (0x[0-9a-f]+)$/m.exec(out)![1]);
  const vvarShift = h.proc.vdso!.code - VVAR_PAGES * TARGET_PAGE_SIZE - nativeVvar;
  if (vvarShift) t.log(`the oracle kernel's [vvar] is at 0x${nativeVvar.toString(16)}: mmap-area addresses moved by ${vvarShift}`);
  const moved = (line: string): string =>
    line.replace(/0x[0-9a-f]{8}\b/g, (hex) => {
      const a = Number(hex);
      return a >= MMAP_BASE - 0x4000_0000 && a < nativeVvar ? `0x${(a + vvarShift).toString(16)}` : hex;
    });
  for (const line of lines.map(moved)) {
    const m = /^(\w+)\((.*)\)\s+= (\S+)/.exec(line)!;
    const args = m[2].split(', ').map(parseArg);
    if (m[1] === 'mmap2') args[5] /= 4096; // strace shows the byte offset
    syscall(h, m[1], ...args);
    t.is(h.strace[h.strace.length - 1], line.replace(/\s+=/, ' ='));
  }
});

test('brk grows into zeroed read-write memory, refuses to shrink below its start, and shrinks', (t) => {
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.load('./mmap-seq');
  const start = syscall(h, 'brk', 0) >>> 0;
  t.is(start % 4096, 0);
  t.false(h.mem.isMapped(start));
  t.is(syscall(h, 'brk', start + 0x2345) >>> 0, start + 0x2345);
  t.is(h.mem.prot(start + 0x2000), PROT_READ | PROT_WRITE);
  t.true(h.mem.readBytes(start, 0x3000).every((b) => b === 0));
  h.mem.write32(start + 0x2340, 0xdeadbeef);
  t.is(syscall(h, 'brk', start - 0x1000) >>> 0, start + 0x2345, 'below the start: unchanged');
  t.is(syscall(h, 'brk', start + 0x10) >>> 0, start + 0x10);
  t.false(h.mem.isMapped(start + 0x1000));
  t.is(syscall(h, 'brk', start + 0x3000) >>> 0, start + 0x3000);
  t.is(h.mem.read32(start + 0x2340), 0, 'regrown pages are zero');
});

test('mmap2 of a file maps its bytes, MAP_FIXED replaces, munmap frees, mprotect needs mapped pages, MADV_DONTNEED zeroes', (t) => {
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.load('./mmap-seq');
  const path = join(dir, 'mmap-seq');
  h.mem.writeBytes(0x20000000, Buffer.from(path + '\0'));
  const fd = syscall(h, 'open', 0x20000000, 0, 0);
  t.true(fd >= 3);
  const at = syscall(h, 'mmap2', 0, 8192, PROT_READ, 2, fd, 1) >>> 0;
  t.deepEqual(Buffer.from(h.mem.readBytes(at, 8192)), readFileSync(path).subarray(4096, 4096 + 8192));
  t.is(h.mem.prot(at), PROT_READ);
  t.is(syscall(h, 'mmap2', at, 4096, PROT_READ | PROT_WRITE, 0x12 | 0x20, -1, 0) >>> 0, at);
  t.is(h.mem.read32(at), 0, 'MAP_FIXED anonymous replaces with zeros');
  t.is(syscall(h, 'mprotect', at, 8192, PROT_READ), 0);
  t.is(syscall(h, 'munmap', at, 8192), 0);
  t.false(h.mem.isMapped(at));
  t.is(syscall(h, 'mprotect', at, 4096, PROT_READ), -12, 'ENOMEM on unmapped pages');
  t.is(syscall(h, 'munmap', at + 1, 4096), -22, 'EINVAL on unaligned');
  t.is(syscall(h, 'mmap2', 0, 0, PROT_READ, 0x22, -1, 0), -22, 'EINVAL on length 0');
  const anon = syscall(h, 'mmap2', 0, 4096, PROT_READ | PROT_WRITE, 0x22, -1, 0) >>> 0;
  h.mem.write32(anon, 7);
  t.is(syscall(h, 'madvise', anon, 4096, 4), 0);
  t.is(h.mem.read32(anon), 0);
});

test('mmap hints, MAP_FIXED_NOREPLACE, and mremap shrinking or growing in place', (t) => {
  const h = newProcess();
  const hint = 0x40000000;
  t.is(syscall(h, 'mmap2', hint, 8192, PROT_READ | PROT_WRITE, 0x22, -1, 0) >>> 0, hint, 'a free hint is taken');
  t.is(syscall(h, 'mmap2', hint, 4096, PROT_READ, 0x100022, -1, 0), -17, 'MAP_FIXED_NOREPLACE over a mapping: EEXIST');
  const other = syscall(h, 'mmap2', hint, 4096, PROT_READ, 0x22, -1, 0) >>> 0;
  t.not(other, hint, 'a taken hint is ignored');
  h.mem.write32(hint, 0x11223344);
  t.is(syscall(h, 'mremap', hint, 8192, 4096, 0) >>> 0, hint, 'shrink in place');
  t.false(h.mem.isMapped(hint + 4096));
  t.is(syscall(h, 'mremap', hint, 4096, 12288, 0) >>> 0, hint, 'grow in place when the pages after are free');
  t.is(h.mem.read32(hint), 0x11223344);
  t.is(h.mem.prot(hint + 8192), PROT_READ | PROT_WRITE, 'grown pages keep the protection');
  h.mem.map(hint + 12288, 4096, PROT_READ);
  t.is(syscall(h, 'mremap', hint, 12288, 16384, 0), -12, 'cannot grow into a mapping without MREMAP_MAYMOVE');
  const moved = syscall(h, 'mremap', hint, 12288, 16384, 1) >>> 0;
  t.not(moved, hint);
  t.is(h.mem.read32(moved), 0x11223344, 'contents move with the mapping');
  t.false(h.mem.isMapped(hint));
});

test('RLIMIT_AS bounds mmap and RLIMIT_DATA bounds private writable mappings and brk (ENOMEM, brk unchanged)', (t) => {
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.load('./mmap-seq');
  const ENOMEM = -12;
  const MiB = 1 << 20;
  const mapped = h.mem.mappedBytes();
  h.proc.rlimits[9] = { cur: BigInt(mapped + 4 * MiB), max: h.proc.rlimits[9].max }; // RLIMIT_AS
  t.not(syscall(h, 'mmap2', 0, 3 * MiB, PROT_READ, 0x22, -1, 0), ENOMEM);
  t.is(syscall(h, 'mmap2', 0, 2 * MiB, PROT_READ, 0x22, -1, 0), ENOMEM);
  h.proc.rlimits[9] = { cur: h.proc.rlimits[9].max, max: h.proc.rlimits[9].max };
  const stack = h.mem.areas().find((a) => a.growsDown)!;
  const writable = h.mem.mappedBytes(PROT_WRITE) - (stack.end - stack.start); // the stack is not data
  h.proc.rlimits[2] = { cur: BigInt(writable + MiB), max: h.proc.rlimits[2].max }; // RLIMIT_DATA
  t.is(syscall(h, 'mmap2', 0, 2 * MiB, PROT_READ | PROT_WRITE, 0x22, -1, 0), ENOMEM);
  t.not(syscall(h, 'mmap2', 0, 2 * MiB, PROT_READ, 0x22, -1, 0), ENOMEM, 'read-only mappings are not data');
  const brk = syscall(h, 'brk', 0) >>> 0;
  t.is(syscall(h, 'brk', brk + 2 * MiB) >>> 0, brk);
  t.is(syscall(h, 'brk', brk + 0x1000) >>> 0, brk + 0x1000);
});

test('mapping 3 GiB and touching a few pages holds only those pages', (t) => {
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.load('./mmap-seq');
  const GiB = 2 ** 30;
  const a = syscall(h, 'mmap2', 0, 1.5 * GiB, PROT_READ | PROT_WRITE, 0x22, -1, 0) >>> 0;
  const b = syscall(h, 'mmap2', 0, 1.5 * GiB, PROT_READ | PROT_WRITE, 0x22, -1, 0) >>> 0;
  t.true(a > 0 && b > 0 && a !== b);
  const before = [...h.mem.touchedPages(0, 2 ** 32)].length;
  h.mem.write8(a, 1);
  h.mem.write8(b + GiB, 2);
  t.is(h.mem.read8(b + 1.5 * GiB - 1), 0);
  t.is([...h.mem.touchedPages(0, 2 ** 32)].length, before + 3);
  t.is(syscall(h, 'munmap', a, 1.5 * GiB), 0);
  t.is([...h.mem.touchedPages(0, 2 ** 32)].length, before + 2);
});

test('the stack grows down on a touch below it, up to RLIMIT_STACK and not into the guard gap (stack-growth.ts)', (t) => {
  const h = newProcess({ argv: ['./mmap-seq'] });
  h.proc.cwd = dir;
  h.proc.rlimits[3] = { cur: 1n << 20n, max: h.proc.rlimits[3].max }; // RLIMIT_STACK 1 MiB, set before the exec
  h.proc.load('./mmap-seq');
  const stackArea = () => h.mem.areas().find((a) => a.growsDown)!;
  const { start, end } = stackArea();
  t.is(end - start, 33 * TARGET_PAGE_SIZE, "the strings' page and 128 KiB");
  h.mem.write8(start - 10 * TARGET_PAGE_SIZE + 5, 1);
  t.is(stackArea().start, start - 10 * TARGET_PAGE_SIZE, 'grown to the page touched');
  t.throws(() => h.mem.write8(end - (1 << 20) - 1, 1), { name: 'MemoryFault' }, 'past RLIMIT_STACK');
  h.mem.write8(end - (1 << 20), 1);
  t.is(stackArea().start, end - (1 << 20), 'up to RLIMIT_STACK');
  // a readable mapping below keeps 256 pages free above its end; a PROT_NONE one does not
  h.proc.rlimits[3] = { cur: 64n << 20n, max: h.proc.rlimits[3].max };
  const below = end - (1 << 20) - 300 * TARGET_PAGE_SIZE;
  t.is(syscall(h, 'mmap2', below, TARGET_PAGE_SIZE, PROT_READ, 0x32, -1, 0) >>> 0, below);
  t.throws(() => h.mem.write8(below + 256 * TARGET_PAGE_SIZE, 1), { name: 'MemoryFault' });
  h.mem.write8(below + 257 * TARGET_PAGE_SIZE, 1);
  t.is(syscall(h, 'mprotect', below, TARGET_PAGE_SIZE, 0), 0);
  h.mem.write8(below + TARGET_PAGE_SIZE, 1);
  t.is(stackArea().start, below + TARGET_PAGE_SIZE);
  t.false(h.mem.isMapped(below - TARGET_PAGE_SIZE), 'a query never grows it');
});
