/**
 * reports/report.html: the same report as README.md, interactive and self-contained (one
 * file, no network): vega, vega-lite and vega-embed inlined, every chart with tooltips, and
 * a workload filter that redraws every chart with the chosen workloads only.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ExperimentResult } from './experiments';
import { notRun, type ReportCoverage } from './report';

const library = (pkg: string, file: string) => {
  const dir = pkg === 'vega-embed' ? dirname(require.resolve('vega-embed')) : join(dirname(require.resolve(`${pkg}/package.json`)), 'build');
  return readFileSync(join(dir, file), 'utf8');
};

/** Text safe inside a <script> element. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const PAGE_SCRIPT = `
const charts = JSON.parse(document.getElementById('charts').textContent);
const workloads = JSON.parse(document.getElementById('workloads').textContent);
const filter = document.getElementById('workload-filter');
for (const w of workloads) filter.add(new Option(w, w));
const views = {};
async function draw() {
  const chosen = new Set([...filter.selectedOptions].map((o) => o.value));
  const keep = (v) => chosen.size === 0 || chosen.has('') || !('workload' in v) || chosen.has(v.workload);
  for (const [id, spec] of Object.entries(charts)) {
    const s = structuredClone(spec);
    if (s.data && Array.isArray(s.data.values)) s.data.values = s.data.values.filter(keep);
    if (views[id]) views[id].finalize();
    const div = document.getElementById(id);
    // a chart with none of the chosen workloads (e5 has the SMC ones only) says so
    if (s.data && Array.isArray(s.data.values) && s.data.values.length === 0) {
      delete views[id];
      div.textContent = 'No data for the chosen workloads.';
      continue;
    }
    views[id] = (await vegaEmbed(div, s, { actions: false, tooltip: true, renderer: 'svg' })).view;
  }
  document.body.dataset.rendered = String(Object.keys(charts).length);
}
filter.addEventListener('change', () => void draw());
draw().catch((e) => { console.error(e); document.body.dataset.error = String(e); });
`;

export function reportHtml(results: readonly ExperimentResult[], covered: ReportCoverage): string {
  const charts: Record<string, unknown> = {};
  const sections = results.map((r) => {
    const divs = Object.keys(r.charts).map((c) => {
      const id = `${r.name}-${c}`;
      charts[id] = r.charts[c];
      return `<div class="chart" id="${id}"></div>`;
    });
    const findings = r.findings.map((f) => `<li><b>${f.holds ? 'Holds' : 'Does not hold'}:</b> ${escapeHtml(f.claim)}. ${escapeHtml(f.measured)}.</li>`);
    return `<section><h2>${escapeHtml(r.title)}</h2>\n${divs.join('\n')}\n<ul>${findings.join('\n')}</ul></section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dbtlab: QEMU-style against X86toMips-style system-call handling</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 1em auto; padding: 0 1em; }
.chart { margin: 1em 0; overflow-x: auto; }
label { font-weight: bold; }
</style>
<script>${scriptSafe(library('vega', 'vega.min.js'))}</script>
<script>${scriptSafe(library('vega-lite', 'vega-lite.min.js'))}</script>
<script>${scriptSafe(library('vega-embed', 'vega-embed.min.js'))}</script>
</head>
<body>
<h1>dbtlab: QEMU-style against X86toMips-style system-call handling</h1>
<p>Experiments: ${covered.experiments.join(', ')} (${covered.experiments.length} of ${covered.of}); ${covered.workloads.length} workloads${escapeHtml(notRun(covered))}. The same data as README.md beside this file; hover a mark for its numbers.</p>
<p><label for="workload-filter">Workloads</label> (none selected: all)<br><select id="workload-filter" multiple size="6"></select></p>
${sections.join('\n')}
<script type="application/json" id="charts">${scriptSafe(JSON.stringify(charts))}</script>
<script type="application/json" id="workloads">${scriptSafe(JSON.stringify(covered.workloads))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
