/**
 * Writes a report directory from rows: each experiment's CSV, charts (vega-lite spec + SVG),
 * README.md and the interactive report.html. The one writer behind `experiment` and
 * `report` (merged shards), so both give the same bytes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { EXPERIMENTS, type ExperimentResult, type ExperimentRow } from './experiments';
import { experimentInput, type Plan } from './experiments/plan';
import { reportHtml } from './report-html';
import { renderSvg } from './render-svg';
import { reportMarkdown } from './report';

function csv(r: ExperimentResult): string {
  return stringify(r.records, { header: true, columns: r.columns, cast: { boolean: (b) => String(b), number: (n) => String(n) } });
}

export async function writeReport(out: string, plan: Plan, all: readonly ExperimentRow[], qemuTbs: Map<string, number>): Promise<ExperimentResult[]> {
  const results = plan.experiments.map((e) => e.analyze(experimentInput(e, plan, all, qemuTbs)));
  for (const r of results) {
    writeFileSync(join(out, `${r.name}.csv`), csv(r));
    for (const [chart, spec] of Object.entries(r.charts)) {
      writeFileSync(join(out, `${r.name}-${chart}.vl.json`), `${JSON.stringify(spec, null, 2)}\n`);
      writeFileSync(join(out, `${r.name}-${chart}.svg`), await renderSvg(spec));
    }
  }
  const rows = all.filter((_, i) => !plan.runs[i].trace);
  const covered = {
    experiments: plan.experiments.map((e) => e.name),
    skipped: plan.chosen.filter((e) => !plan.experiments.includes(e)).map((e) => e.name),
    of: EXPERIMENTS.length,
    workloads: plan.workloads.map((w) => w.name),
  };
  writeFileSync(join(out, 'README.md'), reportMarkdown(results, rows, covered));
  writeFileSync(join(out, 'report.html'), reportHtml(results, covered));
  return results;
}
