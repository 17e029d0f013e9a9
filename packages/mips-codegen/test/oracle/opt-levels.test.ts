/**
 * The glibc workloads rebuilt at every gcc optimisation level (-O0, -O1, -O3, -Os with
 * -march=i686; the workloads themselves are -O2): each build's output and exit status
 * through both runtimes must equal the native run's, so the instruction mix gcc emits at
 * each level is covered by whole programs, not only by the generated forms. CI mode runs each
 * build through one runtime, alternating, so that each runtime runs every program and every level.
 */
import test from 'ava';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CLI, RUNTIMES, testTmpDir } from './probe-program';

const SOURCES = resolve(__dirname, '../../../harness/workloads/glibc');
const PROGRAMS = ['x87-math', 'strtod', 'printf-formats', 'int64', 'matrix', 'qsort', 'sha256'];
const LEVELS = ['-O0', '-O1', '-O3', '-Os'];
const sampled = process.env.CI === 'true';
const dir = testTmpDir('opt-levels-');
const run = promisify(execFile);

/** Runs jobs with at most `n` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], n: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < jobs.length) {
      const k = next++;
      out[k] = await jobs[k]();
    }
  }));
  return out;
}

async function runDbt(runtime: string, prog: string): Promise<{ stdout: string; stderr: string; status: number }> {
  try {
    const r = await run(process.execPath, [CLI, 'run', '--runtime', runtime, prog], { maxBuffer: 1 << 28, env: {} });
    return { stdout: r.stdout, stderr: r.stderr, status: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, status: err.code };
  }
}

test('glibc workloads at -O0/-O1/-O3/-Os: both runtimes match native', async (t) => {
  const jobs: (() => Promise<string>)[] = [];
  for (const [p, name] of PROGRAMS.entries())
    for (const [l, level] of LEVELS.entries()) {
      const prog = join(dir, `${name}${level}`);
      execFileSync('gcc', ['-m32', '-static', level, '-fno-pie', '-no-pie', '-march=i686', '-o', prog, join(SOURCES, `${name}.c`), '-lm'], { stdio: 'pipe' });
      const native = spawnSync(prog, { env: {} });
      for (const [r, runtime] of RUNTIMES.entries()) {
        if (sampled && (p + l) % 2 !== r) continue;
        jobs.push(async () => {
          const r = await runDbt(runtime, prog);
          if (r.stdout === native.stdout.toString() && r.status === native.status) return '';
          const output = r.stdout === native.stdout.toString() ? 'same' : 'differs';
          return `${runtime} ${name}${level}: status ${r.status} (native ${native.status}), output ${output}; ${r.stderr.trim().slice(0, 300)}`;
        });
      }
    }
  const failures = (await pool(jobs, 6)).filter((s) => s);
  for (const f of failures) t.log(f);
  t.is(jobs.length, (PROGRAMS.length * LEVELS.length * RUNTIMES.length) / (sampled ? RUNTIMES.length : 1));
  t.deepEqual(failures, []);
});
