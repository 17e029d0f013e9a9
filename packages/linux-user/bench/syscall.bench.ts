/**
 * The OS layer's own cost: one system call through doSyscall (dispatch + handler), and
 * load() of a glibc static executable (ELF mapping, 8 MiB stack, auxv).
 * Run: pnpm exec ts-node --transpile-only bench/syscall.bench.ts   (or `pnpm run bench`)
 */
import Benchmark from 'benchmark';
import { openSync } from 'node:fs';
import { buildFixture, newProcess, nr, SCRATCH, tmpDir } from '../test/helpers';
import { R_EAX, R_EBX, R_ECX, R_EDX } from '@dbtlab/x86-frontend';

const dir = tmpDir();
const exe = buildFixture(dir, 'stack-dump');
const devNull = openSync('/dev/null', 'w');
const h = newProcess({ stdout: devNull, strace: undefined });
h.proc.cwd = dir;
h.proc.load(exe);
h.mem.writeBytes(SCRATCH, new Uint8Array(64).fill(0x61));

function call(n: number, b = 0, c = 0, d = 0): void {
  h.cpu.setReg(R_EAX, n);
  h.cpu.setReg(R_EBX, b);
  h.cpu.setReg(R_ECX, c);
  h.cpu.setReg(R_EDX, d);
  h.proc.doSyscall();
}
const GETPID = nr('getpid');
const WRITE = nr('write');
const CLOCK = nr('clock_gettime64');

new Benchmark.Suite()
  .add('doSyscall getpid', () => call(GETPID))
  .add('doSyscall write(/dev/null, 64 bytes)', () => call(WRITE, 1, SCRATCH, 64))
  .add('doSyscall clock_gettime64', () => call(CLOCK, 1, SCRATCH + 256))
  .add('load() glibc static ELF', () => newProcess({ argv: ['./stack-dump'], envp: ['A=1'] }).proc.load(exe))
  .on('cycle', (e: Benchmark.Event) => console.log(String(e.target)))
  .run();
