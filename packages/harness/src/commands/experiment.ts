/**
 * dbtlab experiment [name...]: every workload through every configuration of the grid, on
 * worker threads; then each experiment's CSV, charts (vega-lite spec + SVG) and
 * reports/README.md. Re-running gives byte-identical files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { SingleBar } from 'cli-progress';
import { sysrootOption } from '../cli/guest-options';
import { UsageError, type ParsedArgs } from '../cli/parse-args';
import { renderSvg } from '../render-svg';
import { reportMarkdown } from '../report';
import { cpuModel, DEFAULT_CPU_MODEL } from '@dbtlab/x86-semantics';
import { CONFIGS, EXPERIMENTS, findConfig, runPool, type ExperimentResult } from '../experiments';
import { stableWorkloadDir } from '../experiments/run-workload';
import { workloadPath, WORKLOADS } from '../workloads';

/** "IN:" blocks of qemu-i386 -d in_asm (a TB translated), same argv/env/stdin as ours. */
function qemuTbCount(name: string, args: readonly string[], stdin: string, sysroot: string | undefined): number | undefined {
  const cwd = stableWorkloadDir(dirname(workloadPath(name)));
  const log = join(cwd, `.${name}.qemu.log`);
  const r = spawnSync('qemu-i386', [...(sysroot ? ['-L', sysroot] : []), '-seed', '1', '-d', 'in_asm', '-D', log, `./${name}`, ...args], {
    cwd,
    env: { QEMU_CPU: cpuModel(DEFAULT_CPU_MODEL).qemu },
    input: stdin,
  });
  if (r.error) return undefined;
  const n = readFileSync(log, 'latin1').split('\n').filter((l) => l.startsWith('IN:')).length;
  rmSync(log);
  return n;
}

function csv(r: ExperimentResult): string {
  return stringify(r.records, { header: true, columns: r.columns, cast: { boolean: (b) => String(b), number: (n) => String(n) } });
}

export async function experimentCommand(args: ParsedArgs): Promise<number> {
  const chosen = args.positionals.length ? EXPERIMENTS.filter((e) => args.positionals.includes(e.name) || args.positionals.includes(e.name.slice(0, 2))) : EXPERIMENTS;
  if (chosen.length === 0) throw new UsageError(`no experiment named ${args.positionals.join(', ')} (${EXPERIMENTS.map((e) => e.name).join(', ')})`);
  const out = resolve(String(args.options.out ?? 'reports'));
  mkdirSync(out, { recursive: true });

  const sysroot = sysrootOption(args);
  const requests = [
    ...WORKLOADS.flatMap((w) => CONFIGS.map((config) => ({ workload: w.name, config, sysroot }))),
    // the first-execution traces: a small program with system calls, in both schemes
    ...['qemu-style', 'x86tomips-style'].map((rt) => ({ workload: 'syscalls', config: findConfig(rt), trace: true })),
  ];
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'dbtlab experiment [{bar}] {value}/{total} {workload}', hideCursor: true }) : undefined;
  bar?.start(requests.length, 0, { workload: '' });
  const all = await runPool(requests, (done, total, row) => {
    if (bar) bar.update(done, { workload: `${row.workload} ${row.runtime} ${row.config}` });
    else if (done % 20 === 0 || done === total) writeSync(2, `dbtlab experiment: ${done}/${total} runs\n`);
  });
  bar?.stop();
  const rows = all.slice(0, all.length - 2);
  const traced = all.slice(all.length - 2);

  const qemuTbs = new Map<string, number>();
  for (const w of WORKLOADS) {
    const n = qemuTbCount(w.name, w.args, w.stdin ?? '', sysroot);
    if (n !== undefined) qemuTbs.set(w.name, n);
  }
  const results = chosen.map((e) => e.analyze({ rows, traced, workloads: WORKLOADS, qemuTbs }));
  for (const r of results) {
    writeFileSync(join(out, `${r.name}.csv`), csv(r));
    for (const [chart, spec] of Object.entries(r.charts)) {
      writeFileSync(join(out, `${r.name}-${chart}.vl.json`), `${JSON.stringify(spec, null, 2)}\n`);
      writeFileSync(join(out, `${r.name}-${chart}.svg`), await renderSvg(spec));
    }
  }
  writeFileSync(join(out, 'README.md'), reportMarkdown(results, rows));
  const failed = results.flatMap((r) => r.findings.filter((f) => !f.holds));
  const unexpected = rows.filter((r) => r.error || r.matchesNative !== r.expectedToMatch);
  for (const r of unexpected) writeSync(2, `dbtlab experiment: UNEXPECTED ${r.workload} ${r.runtime} ${r.config}: ${r.error ?? (r.matchesNative ? 'matches native' : 'differs from native')}\n`);
  writeSync(2, `dbtlab experiment: ${rows.length} runs, ${unexpected.length} unexpected, ${failed.length} claims not holding; wrote ${out}\n`);
  return unexpected.length ? 1 : 0;
}
