/**
 * Results cached by what determines them: the binary (sha256), the workload's run spec
 * (argv, stdin, environment, files, sysroot), the configuration, tracing, and dbtlab itself
 * (its version and a hash of its compiled code, so a change to the translator is never
 * served an old count). A rerun after changing one workload reruns only that one.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileSha256 } from '../stats-record';
import { DBTLAB_VERSION } from '../version';
import { workloadPath } from '../workloads';
import type { PlannedRun } from './plan';
import type { ExperimentRow } from './run-workload';

/** Every compiled .js of every dbtlab package: what "dbtlab's version" means for a count. */
function buildHash(): string {
  const h = createHash('sha256').update(DBTLAB_VERSION);
  const packages = join(__dirname, '..', '..', '..');
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.js')) h.update(f).update(readFileSync(p));
    }
  };
  for (const pkg of readdirSync(packages).sort()) if (existsSync(join(packages, pkg, 'dist'))) walk(join(packages, pkg, 'dist'));
  return h.digest('hex');
}

export class ResultCache {
  private readonly build = buildHash();

  constructor(readonly dir: string) {}

  key(run: PlannedRun, sysroot: string | undefined): string {
    const w = run.workload;
    const reference = w.reference === undefined ? 'native' : ['stdout', 'stderr', 'status'].map((x) => fileSha256(`${w.reference}.${x}`)).join();
    const spec = { args: w.args, stdin: w.stdin, env: w.env, files: w.files, tmpdir: w.tmpdir, sysroot: w.sysroot ?? sysroot, cpu: w.cpu, reference, expect: w.expect };
    return createHash('sha256')
      .update(JSON.stringify([this.build, fileSha256(workloadPath(w)), w.name, spec, run.config.runtime, run.config.config, !!run.trace]))
      .digest('hex');
  }

  get(key: string): ExperimentRow | undefined {
    const f = join(this.dir, key.slice(0, 2), `${key}.json`);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ExperimentRow) : undefined;
  }

  put(key: string, row: ExperimentRow): void {
    const f = join(this.dir, key.slice(0, 2), `${key}.json`);
    mkdirSync(dirname(f), { recursive: true });
    // atomic: a concurrent shard reading the cache never sees half a file
    writeFileSync(`${f}.${process.pid}`, JSON.stringify(row));
    renameSync(`${f}.${process.pid}`, f);
  }
}
