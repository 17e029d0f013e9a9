// The qemu-style runtime held against real QEMU (qemu-i386 7.2 of Debian 12) on every workload:
// the counts ARCHITECTURE.md (Metrics) says each QEMU log line stands for, side by side.
//   tbs_translated                              vs "IN:" blocks of -d in_asm        (within 10%)
//   code_cache_entries + indirect_lookup_hits   vs "Trace" lines of -d exec          (within 25%)
//   tb_executions with --no-chain               vs "Trace" lines of -d exec,nochain  (within 10%)
// Both run the same binary with the same argv, environment and stdin, and QEMU emulates the
// CPU dbtlab's cpuid reports (the default model's qemu string), so glibc takes the same paths in both.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpuModel, DEFAULT_CPU_MODEL } from '@dbtlab/x86-semantics';
import { runCaptured } from '../../src/capture';
import { createScheme } from '../../src/runtimes';
import { workloadPath, WORKLOADS } from '../../src/workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const ENV = ['PATH=/usr/bin:/bin', `QEMU_CPU=${cpuModel(DEFAULT_CPU_MODEL).qemu}`];
const tmp = testTmpDir('dbtlab-fidelity-');

function qemuCount(elf: string, args: readonly string[], stdinFile: string, flags: string, pattern: RegExp): number {
  const log = join(tmp, 'qemu.log');
  const r = spawnSync('qemu-i386', ['-d', flags, '-D', log, `./${elf}`, ...args], {
    cwd: dirname(workloadPath(elf)),
    env: Object.fromEntries(ENV.map((e) => e.split('=') as [string, string])),
    input: readFileSync(stdinFile),
    maxBuffer: 1 << 28,
  });
  if (r.error) throw r.error;
  let n = 0;
  for (const line of readFileSync(log, 'latin1').split('\n')) if (pattern.test(line)) n++;
  rmSync(log);
  return n;
}

const within = (ours: number, theirs: number, tolerance: number) => Math.abs(ours - theirs) <= tolerance * theirs;

for (const w of WORKLOADS) {
  test(`${w.name}: qemu-style TB counts match qemu-i386's`, (t) => {
    const stdinFile = join(tmp, `${w.name}.stdin`);
    writeFileSync(stdinFile, w.stdin ?? '');
    const cwd = dirname(workloadPath(w.name));
    const run = (noChain: boolean) =>
      runCaptured(createScheme('qemu-style', { noChain }), { elf: `./${w.name}`, argv: [`./${w.name}`, ...w.args], envp: ENV, cwd, deterministicClock: true }, stdinFile).stats;
    const chained = run(false);
    const nochain = run(true);
    const q = {
      in: qemuCount(w.name, w.args, stdinFile, 'in_asm', /^IN:/),
      exec: qemuCount(w.name, w.args, stdinFile, 'exec', /Trace/),
      nochain: qemuCount(w.name, w.args, stdinFile, 'exec,nochain', /Trace/),
    };
    const ours = {
      in: chained.tbs_translated,
      exec: chained.code_cache_entries + chained.indirect_lookup_hits,
      nochain: nochain.tb_executions,
    };
    t.log(`tbs_translated ${ours.in} / IN: ${q.in}; entries+lookups ${ours.exec} / Trace ${q.exec}; nochain TBs ${ours.nochain} / Trace ${q.nochain}`);
    t.true(within(ours.in, q.in, 0.1), `tbs_translated ${ours.in} vs ${q.in}`);
    t.true(within(ours.exec, q.exec, 0.25), `code_cache_entries + indirect_lookup_hits ${ours.exec} vs ${q.exec}`);
    t.true(within(ours.nochain, q.nochain, 0.1), `no-chain tb_executions ${ours.nochain} vs ${q.nochain}`);
  });
}
