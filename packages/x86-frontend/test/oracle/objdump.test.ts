// Differential test against GNU objdump over every instruction of (a) the i386 workloads,
// (b) every object of /usr/lib32/libc.a, (c) every object of /usr/lib/x86_64-linux-gnu/libc.a.
// Lengths must agree on every instruction; text on all i386 instructions outside VEX/EVEX and on
// at least 99.9% overall. Each class of disagreement is printed with an example.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareWithObjdump, describe, OracleResult, readArchive } from './objdump-oracle';

const WORKLOADS = join(__dirname, '../../../harness/workloads');

function report(t: { log: (s: string) => void }, label: string, r: OracleResult): void {
  t.log(describe(label, r));
}

test('i386 workloads: lengths and text agree on every instruction', (t) => {
  // the harness builds them (gitignored); building is idempotent
  execFileSync(join(WORKLOADS, 'build.sh'), { cwd: WORKLOADS, stdio: 'ignore' });
  // every i386 ELF the build writes: static ones at the top, dynamically linked ones under dyn/,
  // SSE2 builds under sse2/ (the x86-64 builds under x86-64/ are ELFCLASS64: not these)
  const dir = join(WORKLOADS, 'build');
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.path, e.name))
    .sort()
    .map((path) => ({ path, objects: [{ name: path, data: readFileSync(path) }] }))
    .filter((f) => f.objects[0].data[4] === 1);
  t.true(files.length > 0);
  const r = compareWithObjdump(files, 32);
  report(t, 'workloads', r);
  t.true(r.insns > 100_000);
  t.is(r.lengthAgree, r.insns);
  t.is(r.textAgree - r.vexTextAgree, r.insns - r.vexInsns);
  t.true(r.textAgree >= 0.999 * r.insns);
});

// libm is beyond the list: x87-heavy i386 code and FMA/FMA4 x86-64 code
const ARCHIVES = [['/usr/lib32/libc.a', 32], ['/usr/lib/x86_64-linux-gnu/libc.a', 64], ['/usr/lib32/libm.a', 32],
  ['/usr/lib/x86_64-linux-gnu/libm-2.36.a', 64]] as const;
for (const [path, mode] of ARCHIVES) {
  test(`${path}: every object, lengths 100%, text >= 99.9%${mode === 32 ? ' (100% outside VEX/EVEX)' : ''}`, (t) => {
    t.true(existsSync(path), `${path} missing (gcc-multilib / libc6-dev)`);
    const r = compareWithObjdump([{ path, objects: readArchive(path) }], mode);
    report(t, path, r);
    t.true(r.insns > 50_000);
    t.is(r.lengthAgree, r.insns);
    t.true(r.textAgree >= 0.999 * r.insns);
    if (mode === 32) t.is(r.textAgree - r.vexTextAgree, r.insns - r.vexInsns);
  });
}

// AVX-512 vector math (libmvec): beyond the corpora and the table's named EVEX forms;
// every length must still agree, and the text classes are reported
test('/usr/lib/x86_64-linux-gnu/libmvec.a: every length agrees', (t) => {
  const path = '/usr/lib/x86_64-linux-gnu/libmvec.a';
  t.true(existsSync(path), `${path} missing (libc6-dev)`);
  const r = compareWithObjdump([{ path, objects: readArchive(path) }], 64);
  report(t, path, r);
  t.true(r.insns > 10_000);
  t.is(r.lengthAgree, r.insns);
  t.is(r.textAgree - r.vexTextAgree, r.insns - r.vexInsns);
});
