// Each CPU model (--cpu NAME) against QEMU 7.2 with the model's `qemu` string (qemu-x86_64 for a model
// with long mode, else qemu-i386): every cpuid leaf and subleaf (cpuid-leaves.c) the same, and the
// dynamic loader's view of the CPU the same: `ld.so --list-diagnostics`'s x86.* lines (glibc's
// init_cpu_features: vendor kind, family/model, the cpuid words it keeps, usable and preferred
// features, ISA level, cache sizes and the string-function thresholds that pick memcpy/strlen...),
// dl_hwcap and dl_platform. The runtimes alternate by model (the cpuid helper is dbt-core's, shared).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { cpuModel, CPU_MODEL_NAMES } from '@dbtlab/x86-semantics';
import { buildProbe, runDbtlab, RUNTIMES, testTmpDir } from './probe-program';

const dir = testTmpDir('cpu-models-');
const probe = { 32: buildProbe(dir, 'cpuid-leaves', 32, ['-O1']), 64: buildProbe(dir, 'cpuid-leaves', 64, ['-O1']) };
const LOADER = { 32: '/lib/ld-linux.so.2', 64: '/lib64/ld-linux-x86-64.so.2' };

const qemu = (bits: 32 | 64, cpu: string, argv: string[]): string =>
  execFileSync(bits === 64 ? 'qemu-x86_64' : 'qemu-i386', ['-cpu', cpu, ...argv], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
const cpuLines = (out: string): string => out.split('\n').filter((l) => /^(x86\.|dl_hwcap|dl_platform)/.test(l)).join('\n');

CPU_MODEL_NAMES.forEach((name, i) => {
  const m = cpuModel(name);
  const bits = m.has('LM') ? 64 : 32;
  const runtime = RUNTIMES[i % 2];
  test(`${name}: cpuid leaves and glibc's CPU features as qemu-${bits === 64 ? 'x86_64' : 'i386'} -cpu ${m.qemu.split(',')[0]} (${runtime})`, (t) => {
    t.is(runDbtlab(runtime, probe[bits], [], name), qemu(bits, m.qemu, [probe[bits]]));
    const expected = cpuLines(qemu(bits, m.qemu, [LOADER[bits], '--list-diagnostics']));
    t.true(expected.split('\n').length > 100);
    t.is(cpuLines(runDbtlab(runtime, LOADER[bits], ['--list-diagnostics'], name)), expected);
  });
});
