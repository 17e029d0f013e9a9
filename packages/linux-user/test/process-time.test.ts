import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { R_EAX } from '@dbtlab/x86-frontend';
import { newProcess, SCRATCH, syscall } from './helpers';

const BUF = SCRATCH + 0x1000;

test('getpid/gettid/getppid and the id family report the host process', (t) => {
  const h = newProcess();
  t.is(syscall(h, 'getpid'), process.pid);
  t.is(syscall(h, 'gettid'), process.pid);
  t.is(syscall(h, 'getppid'), process.ppid);
  t.is(syscall(h, 'getuid32'), process.getuid!());
  t.is(syscall(h, 'getegid32'), process.getegid!());
  t.is(syscall(h, 'set_tid_address', BUF), process.pid);
  t.is(syscall(h, 'set_robust_list', BUF, 12), 0);
  t.is(syscall(h, 'set_robust_list', BUF, 24), -22);
  t.is(syscall(h, 'getresuid32', BUF, BUF + 4, BUF + 8), 0);
  t.deepEqual([0, 4, 8].map((o) => h.mem.read32(BUF + o)), [process.getuid!(), process.geteuid!(), process.geteuid!()]);
  // the kernel's supplementary groups, as a native child's getgroups gives them (process.getgroups() adds the egid)
  const kernel = /^Groups:(.*)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1].split(/\s+/).filter((g) => g !== '').map(Number);
  const n = syscall(h, 'getgroups32', 0, 0);
  t.is(n, kernel.length);
  t.is(syscall(h, 'getgroups32', n, BUF), n);
  t.deepEqual(Array.from({ length: n }, (_, i) => h.mem.read32(BUF + 4 * i)), kernel);
});

test('clock_gettime, clock_gettime64, gettimeofday and time agree with the host clock', (t) => {
  const h = newProcess();
  const before = Date.now() / 1000;
  t.is(syscall(h, 'clock_gettime', 0, BUF), 0);
  const rt32 = h.mem.read32(BUF) + h.mem.read32(BUF + 4) / 1e9;
  t.is(syscall(h, 'clock_gettime64', 0, BUF), 0);
  const rt64 = h.mem.read32(BUF) + h.mem.read32(BUF + 4) * 2 ** 32 + h.mem.read32(BUF + 8) / 1e9;
  t.is(syscall(h, 'gettimeofday', BUF, 0), 0);
  const tv = h.mem.read32(BUF) + h.mem.read32(BUF + 4) / 1e6;
  const now = syscall(h, 'time', BUF + 0x100);
  const after = Date.now() / 1000;
  for (const v of [rt32, rt64, tv]) t.true(v >= before - 0.01 && v <= after + 0.01, `${v} in [${before}, ${after}]`);
  t.is(h.mem.read32(BUF + 0x100), now);
  t.true(h.mem.read32(BUF + 4) < 1e6, 'tv_usec below a million');
  t.is(syscall(h, 'clock_gettime', 99, BUF), -22);
  t.is(syscall(h, 'clock_gettime', 1, BUF), 0);
  const mono = h.mem.read32(BUF) + h.mem.read32(BUF + 4) / 1e9;
  t.true(Math.abs(mono - Number(process.hrtime.bigint()) / 1e9) < 1);
});

test('nanosleep sleeps at least the requested time and rejects a bad tv_nsec', (t) => {
  const h = newProcess();
  h.mem.write32(BUF, 0);
  h.mem.write32(BUF + 4, 30_000_000);
  const t0 = performance.now();
  t.is(syscall(h, 'nanosleep', BUF, 0), 0);
  t.true(performance.now() - t0 >= 29);
  h.mem.write32(BUF + 4, 1_000_000_000);
  t.is(syscall(h, 'nanosleep', BUF, 0), -22);
  t.is(syscall(h, 'clock_nanosleep', 1, 0, BUF, 0), -22);
  t.is(syscall(h, 'sched_yield'), 0);
});

test('getrandom is deterministic across processes (fixed seed) and fills what was asked', (t) => {
  const a = newProcess();
  const b = newProcess();
  t.is(syscall(a, 'getrandom', BUF, 37, 0), 37);
  t.is(syscall(b, 'getrandom', BUF, 37, 0), 37);
  t.deepEqual(a.mem.readBytes(BUF, 37), b.mem.readBytes(BUF, 37));
  t.is(syscall(a, 'getrandom', BUF, 8, 0x80), -22);
});

test('prlimit64 and ugetrlimit report the stack limit; lowering works, raising the hard limit is EPERM', (t) => {
  const h = newProcess();
  t.is(syscall(h, 'prlimit64', 0, 3 /* RLIMIT_STACK */, 0, BUF), 0);
  t.is(h.mem.read32(BUF), 8 * 1024 * 1024);
  t.deepEqual([h.mem.read32(BUF + 8), h.mem.read32(BUF + 12)], [0xffffffff, 0xffffffff], 'RLIM_INFINITY');
  t.is(syscall(h, 'ugetrlimit', 7 /* RLIMIT_NOFILE */, BUF), 0);
  const hostNofile = execFileSync('sh', ['-c', 'ulimit -Sn; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  t.deepEqual([h.mem.read32(BUF), h.mem.read32(BUF + 4)], hostNofile, 'inherited, as a native child of the same parent');
  [256, 0, 512, 0].forEach((w, i) => h.mem.write32(BUF + 4 * i, w));
  t.is(syscall(h, 'prlimit64', 0, 7, BUF, 0), 0);
  t.is(syscall(h, 'ugetrlimit', 7, BUF + 0x40), 0);
  t.deepEqual([h.mem.read32(BUF + 0x40), h.mem.read32(BUF + 0x44)], [256, 512]);
  [256, 0, 9999, 0].forEach((w, i) => h.mem.write32(BUF + 4 * i, w));
  t.is(syscall(h, 'prlimit64', 0, 7, BUF, 0), -1);
  t.is(syscall(h, 'prlimit64', 1, 7, 0, BUF), -3);
  // the fd table honours the lowered limit
  for (let i = 0; i < 300; i++) if (syscall(h, 'dup', 1) < 0) break;
  t.is(syscall(h, 'dup', 1), -24, 'EMFILE at RLIMIT_NOFILE');
  t.is(syscall(h, 'dup2', 1, 256), -9);
});

test('sysinfo fills the 32-bit struct; rseq is ENOSYS; a bad pointer is EFAULT, not a crash', (t) => {
  const h = newProcess();
  t.is(syscall(h, 'sysinfo', BUF), 0);
  t.true(h.mem.read32(BUF + 16) > 0, 'totalram');
  t.true(h.mem.read32(BUF + 52) >= 1, 'mem_unit');
  t.is(syscall(h, 'rseq', BUF, 32, 0, 0), -38);
  t.is(syscall(h, 'uname', 0x7000_0000), -14);
  t.is(syscall(h, 'clock_gettime', 0, 0x7000_0000), -14);
  t.is(h.cpu.reg(R_EAX) | 0, -14);
});
