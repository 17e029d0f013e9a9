// The nx cache must never serve a stale result: every target's inputs cover what it reads.
// Read from the project graph nx itself resolves (`nx graph --file`), and from the tests' own
// sources: a suite that reads another package's files or the workspace's tools/ must name them.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const ROOT = resolve(__dirname, '../../..');

interface Target { inputs?: (string | { runtime: string })[]; dependsOn?: string[] }
interface Graph { nodes: Record<string, { data: { root: string; targets: Record<string, Target> } }> }

function projectGraph(): Graph {
  const dir = testTmpDir('dbtlab-nx-graph-');
  try {
    execFileSync('pnpm', ['exec', 'nx', 'graph', `--file=${join(dir, 'graph.json')}`], {
      cwd: ROOT, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false' },
    });
    return (JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as { graph: Graph }).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const graph = projectGraph();
const nxJson = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8')) as { namedInputs: Record<string, unknown[]> };

type Input = NonNullable<Target['inputs']>[number];

/** An input list with its named inputs expanded. */
function expand(inputs: Target['inputs'] = []): Input[] {
  return inputs.flatMap((i) => {
    const named = typeof i === 'string' ? (nxJson.namedInputs[i] as Target['inputs'] | undefined) : undefined;
    return named ? expand(named) : [i];
  });
}

const patterns = (inputs: Target['inputs']): string[] => expand(inputs).filter((i): i is string => typeof i === 'string');

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|cjs)$/.test(e.name))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
}

for (const [name, node] of Object.entries(graph.nodes)) {
  const targets = node.data.targets;
  test(`${name}: a change in a dependency's sources invalidates lint, test and test:oracle`, (t) => {
    for (const target of ['lint', 'test', 'test:oracle'].filter((x) => targets[x])) {
      t.true(targets[target].inputs?.includes('^production'), `${name}:${target} inputs ${JSON.stringify(targets[target].inputs)}`);
    }
    for (const target of ['test', 'test:oracle'].filter((x) => targets[x])) {
      t.true(patterns(targets[target].inputs).includes('{workspaceRoot}/tools/ava-config.cjs'), `${name}:${target}: the shared ava config`);
    }
  });

  const oracleDir = join(ROOT, node.data.root, 'test/oracle');
  if (!targets['test:oracle']) continue;
  test(`${name}: test:oracle's inputs cover the workspace files its suites read`, (t) => {
    const text = sources(oracleDir).join('\n');
    const covered = patterns(targets['test:oracle'].inputs);
    if (/\btools\//.test(text)) t.true(covered.includes('{workspaceRoot}/tools/**/*'), 'tools/');
    t.true(expand(targets['test:oracle'].inputs).some((i) => typeof i !== 'string' && /qemu-i386/.test(i.runtime)), 'the qemu-i386 version');
    // a suite that drives another package's files (the CLI, the workload build) depends on them
    for (const m of text.matchAll(/'\.\.\/\.\.\/\.\.\/([a-z0-9-]+)\/([a-z]+)/g)) {
      const [, pkg, sub] = m;
      if (pkg === name) continue;
      t.true(covered.includes(`{workspaceRoot}/packages/${pkg}/${sub}/**/*`), `${name} reads packages/${pkg}/${sub}`);
      t.true(targets['test:oracle'].dependsOn?.includes(`${pkg}:build`), `${name}:test:oracle builds ${pkg} first`);
    }
  });
}
