import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  UnknownWorkloadError,
  WORKLOADS,
  getWorkload,
  refOutput,
  runNative,
  workloadPath,
} from '../src/workloads';

const WORKLOADS_DIR = join(__dirname, '..', 'workloads');

test.before(() => {
  execFileSync('bash', [join(WORKLOADS_DIR, 'build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
});

test('every source program is registered exactly once, under its kind', (t) => {
  const names = WORKLOADS.map((w) => w.name);
  t.is(new Set(names).size, names.length);
  for (const kind of ['thin', 'smc', 'glibc'] as const) {
    const dir = join(WORKLOADS_DIR, kind);
    const sources = (existsSync(dir) ? readdirSync(dir) : [])
      .filter((f) => f.endsWith('.c'))
      .map((f) => basename(f, '.c'))
      .sort();
    const registered = WORKLOADS.filter((w) => w.kind === kind)
      .map((w) => w.name)
      .sort();
    t.deepEqual(registered, sources, kind);
  }
});

for (const w of WORKLOADS) {
  test(`${w.name}: built, and native execution matches ref/${w.name}.*`, (t) => {
    t.true(existsSync(workloadPath(w.name)));
    const ref = refOutput(w.name);
    const native = runNative(w.name);
    t.is(native.status, ref.status);
    t.is(native.stdout.toString('latin1'), ref.stdout.toString('latin1'));
    t.is(native.stderr.toString('latin1'), ref.stderr.toString('latin1'));
    t.true(ref.stdout.length > 0, 'a workload prints something to compare');
  });
}

/** x87, MMX and SSE show up in objdump's AT&T text as their registers or as f-mnemonics. */
const NON_INTEGER = /%(st|mm\d|xmm|ymm)|^f[a-z]+$|^(emms|ldmxcsr|stmxcsr)$/;

for (const w of WORKLOADS.filter((w) => w.kind !== 'glibc')) {
  test(`${w.name}: GNU objdump decodes every instruction, all general-integer`, (t) => {
    const listing = execFileSync('objdump', ['-d', '--no-show-raw-insn', workloadPath(w.name)], {
      encoding: 'utf8',
    });
    const insns = listing
      .split('\n')
      .filter((l) => /^\s+[0-9a-f]+:\t/.test(l))
      .map((l) => l.split('\t')[1].trim());
    t.true(insns.length > 20);
    const undecoded = insns.filter((i) => i.startsWith('(bad)') || i.startsWith('.byte'));
    t.deepEqual(undecoded, []);
    const offending = insns.filter((i) => NON_INTEGER.test(i) || NON_INTEGER.test(i.split(/\s+/)[0]));
    t.deepEqual(offending, []);
  });
}

test('unknown workload names are a typed error', (t) => {
  t.throws(() => getWorkload('no-such-program'), { instanceOf: UnknownWorkloadError });
  t.throws(() => workloadPath('no-such-program'), { instanceOf: UnknownWorkloadError });
});
