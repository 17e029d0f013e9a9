// The qemu-style runtime held against real QEMU (qemu-i386 7.2 of Debian 12) on every workload,
// and against qemu-x86_64 on the x86-64 workloads of the beyond manifest (x64-*; CI: every third),
// and its i386 pthread program (QEMU flushes its code cache at the first thread; so does qemu-style):
// the counts ARCHITECTURE.md (Metrics) says each QEMU log line stands for, side by side.
//   tbs_translated                              vs "IN:" blocks of -d in_asm        (within 10%)
//   code_cache_entries + indirect_lookup_hits   vs "Trace" lines of -d exec          (within 25%)
//   tb_executions with --no-chain               vs "Trace" lines of -d exec,nochain  (within 10%)
// Both run the same binary with the same argv, environment and stdin, and QEMU emulates the
// CPU dbtlab's cpuid reports (the default model's qemu string), so glibc takes the same paths in both.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cpuModel, DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64 } from '@dbtlab/x86-semantics';
import { runCaptured } from '../../src/capture';
import { createScheme } from '../../src/runtimes';
import { loadManifest, type Workload } from '../../src/manifest';
import { workloadPath, WORKLOADS } from '../../src/workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const tmp = testTmpDir('dbtlab-fidelity-');

/** How each ELF class is held: the QEMU binary and the CPU model (dbtlab's default for the class). */
const GUESTS = {
  i386: { qemu: 'qemu-i386', env: ['PATH=/usr/bin:/bin', `QEMU_CPU=${cpuModel(DEFAULT_CPU_MODEL).qemu}`] },
  'x86-64': { qemu: 'qemu-x86_64', env: ['PATH=/usr/bin:/bin', `QEMU_CPU=${cpuModel(DEFAULT_CPU_MODEL_64).qemu}`] },
} as const;
type Guest = keyof typeof GUESTS;

const beyond = loadManifest(join(__dirname, '..', '..', 'workloads', 'beyond.json'));
const x64 = beyond.filter((w) => w.name.startsWith('x64-'));
const cases: [Workload, Guest][] = [
  ...WORKLOADS.map((w): [Workload, Guest] => [w, 'i386']),
  ...beyond.filter((w) => w.name === 'threads').map((w): [Workload, Guest] => [w, 'i386']),
  ...x64.filter((_, i) => process.env.CI !== 'true' || i % 3 === 0).map((w): [Workload, Guest] => [w, 'x86-64']),
];

/**
 * Measured deviations, per workload and count: checked to still be outside the tolerance (so a
 * fix shows here), the other counts held as usual.
 */
const KNOWN: Record<string, { exec?: string; nochain?: string }> = {
  // translator.ts ends a TB before any instruction starting in a page's last 14 bytes (one that could reach the next); QEMU 7.2's
  // x86 translator lets a TB run on into the next page (it stops at pc_next - pc_first >= 4096 - 32):
  // msort's comparison call site 0x408ff3..0x409002 is five one-instruction TBs here, 93,682 runs each
  'x64-qsort': { nochain: 'no-chain tb_executions 1,052,866 vs qemu-x86_64 865,493 (+21.6%; chained entries agree to 7 in 412,596)' },
};

function qemuCount(guest: Guest, w: Workload, stdinFile: string, flags: string, pattern: RegExp): number {
  const log = join(tmp, 'qemu.log');
  const elf = basename(w.program);
  const { qemu, env } = GUESTS[guest];
  const r = spawnSync(qemu, ['-d', flags, '-D', log, `./${elf}`, ...w.args], {
    cwd: dirname(w.program),
    env: Object.fromEntries(env.map((e) => e.split('=') as [string, string])),
    input: readFileSync(stdinFile),
    maxBuffer: 1 << 28,
  });
  if (r.error) throw r.error;
  let n = 0;
  for (const line of readFileSync(log, 'latin1').split('\n')) if (pattern.test(line)) n++;
  rmSync(log);
  return n;
}

/**
 * Where qemu-i386's own count is not deterministic, its spread widens the tolerance of that count.
 * threads: QEMU runs each guest thread on a host thread of its own, in parallel: a thread waiting on
 * a futex or spinning at the barrier leaves and re-enters its loop as the host schedules it (Trace
 * lines over four runs: 26,173..28,535), while dbtlab's qemu-style runs them in turn on one engine
 * (20,006: -24..-30%; tbs_translated within 1%). A fixed 25% bound made a "known deviation" of it
 * that one run of QEMU's could pass or fail.
 */
const EXEC_TOLERANCE: Record<string, number> = { threads: 0.4 };

const within = (ours: number, theirs: number, tolerance: number) => Math.abs(ours - theirs) <= tolerance * theirs;

for (const [w, guest] of cases) {
  test(`${w.name}: qemu-style TB counts match ${GUESTS[guest].qemu}'s`, (t) => {
    const stdinFile = join(tmp, `${w.name}.stdin`);
    writeFileSync(stdinFile, w.stdin ?? '');
    const program = WORKLOADS.includes(w) ? workloadPath(w.name) : w.program;
    const cwd = dirname(program);
    const elf = `./${basename(program)}`;
    // qemu-x86_64 7.2 gives no vDSO: without one the guest's C library takes the same start-up path
    const run = (noChain: boolean) =>
      runCaptured(createScheme('qemu-style', { noChain }), { elf, argv: [elf, ...w.args], envp: [...GUESTS[guest].env], cwd, deterministicClock: true, vdso: false }, stdinFile).stats;
    const chained = run(false);
    const nochain = run(true);
    const q = {
      in: qemuCount(guest, w, stdinFile, 'in_asm', /^IN:/),
      exec: qemuCount(guest, w, stdinFile, 'exec', /Trace/),
      nochain: qemuCount(guest, w, stdinFile, 'exec,nochain', /Trace/),
    };
    const ours = {
      in: chained.tbs_translated,
      exec: chained.code_cache_entries + chained.indirect_lookup_hits,
      nochain: nochain.tb_executions,
    };
    t.log(`tbs_translated ${ours.in} / IN: ${q.in}; entries+lookups ${ours.exec} / Trace ${q.exec}; nochain TBs ${ours.nochain} / Trace ${q.nochain}`);
    t.true(within(ours.in, q.in, 0.1), `tbs_translated ${ours.in} vs ${q.in}`);
    const held = (count: 'exec' | 'nochain', tolerance: number, what: string) => {
      const known = KNOWN[w.name]?.[count];
      if (known) t.false(within(ours[count], q[count], tolerance), `known deviation gone (remove it from KNOWN): ${known}`);
      else t.true(within(ours[count], q[count], tolerance), `${what} ${ours[count]} vs ${q[count]}`);
    };
    held('exec', EXEC_TOLERANCE[w.name] ?? 0.25, 'code_cache_entries + indirect_lookup_hits');
    held('nochain', 0.1, 'no-chain tb_executions');
  });
}
