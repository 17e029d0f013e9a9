// The worker's V8 code cache (code-cache.ts): a module runs from its current source whatever the
// cache holds, the cache is written once per source, and `dbtlab run` keeps it where it is told.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCodeCache, pruneCodeCaches } from '../src/code-cache';
import { CLI, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-code-cache-');

/** Requires `file` afresh through a cache in `cacheDir`, then saves it. */
function load(file: string, cacheDir: string): unknown {
  const cache = installCodeCache(cacheDir, (f) => f.startsWith(dir));
  try {
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file);
  } finally {
    cache.save();
  }
}

test('a changed source of the same length runs as changed; an unchanged one is not written again', (t) => {
  const cacheDir = join(dir, 'cache-a');
  const file = join(dir, 'answer.js');
  // V8's own check of cached data compares only the source's length: the key must be the content
  writeFileSync(file, 'module.exports = function answer() { return 41; };\n');
  t.is((load(file, cacheDir) as () => number)(), 41);
  const [entry] = readdirSync(cacheDir);
  t.deepEqual(readdirSync(cacheDir), [entry], 'one file per module, no temporary left');
  const first = statSync(join(cacheDir, entry)).ino;
  writeFileSync(file, 'module.exports = function answer() { return 42; };\n');
  t.is((load(file, cacheDir) as () => number)(), 42);
  const second = statSync(join(cacheDir, entry)).ino;
  t.not(second, first, 'the stale data was replaced');
  t.is((load(file, cacheDir) as () => number)(), 42);
  t.is(statSync(join(cacheDir, entry)).ino, second, 'a hit writes nothing');
  t.deepEqual(readdirSync(cacheDir), [entry]);
});

test('modules keep their line numbers, their require and module objects', (t) => {
  const cacheDir = join(dir, 'cache-b');
  writeFileSync(join(dir, 'dep.js'), 'exports.name = __filename;\n');
  const file = join(dir, 'thrower.js');
  writeFileSync(file, "'use strict';\nconst dep = require('./dep');\nexports.dep = dep.name;\nexports.id = module.id;\nexports.fail = () => {\n  throw new Error('line 6');\n};\n");
  for (const round of ['cold', 'cached']) {
    const m = load(file, cacheDir) as { dep: string; id: string; fail(): void };
    t.is(m.dep, join(dir, 'dep.js'), round);
    t.is(m.id, file, round);
    const error = t.throws(() => m.fail());
    t.regex(error?.stack ?? '', /thrower\.js:6:9/, round);
  }
});

test('an unusable cache directory only means no cache', (t) => {
  const file = join(dir, 'plain.js');
  writeFileSync(file, 'module.exports = 7;\n');
  // /proc: Node's recursive mkdir never returned there; a file in the path: ENOTDIR
  t.is(load(file, '/proc/dbtlab-no-such-dir/cache'), 7);
  t.is(load(file, join(file, 'cache')), 7);
});

test('dbtlab run writes the cache under XDG_CACHE_HOME and runs the same from it', (t) => {
  const exe = join(dir, 'exit3');
  writeFileSync(`${exe}.c`, 'int main(void) { return 3; }\n');
  execFileSync('gcc', ['-m32', '-static', '-O1', '-o', exe, `${exe}.c`]);
  const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'xdg') };
  const run = () => {
    try {
      execFileSync(process.execPath, [CLI, 'run', exe], { env, stdio: 'pipe' });
      return 0;
    } catch (e) {
      return (e as { status: number }).status;
    }
  };
  t.is(run(), 3);
  const [versionDir] = readdirSync(join(dir, 'xdg', 'dbtlab', 'code-cache'));
  t.regex(versionDir, /^v8-/);
  const [buildDir] = readdirSync(join(dir, 'xdg', 'dbtlab', 'code-cache', versionDir));
  t.regex(buildDir, /^[0-9a-f]{16}$/);
  const files = readdirSync(join(dir, 'xdg', 'dbtlab', 'code-cache', versionDir, buildDir));
  t.true(files.length > 100, `${files.length} modules cached`);
  t.true(files.every((f) => /^[0-9a-f]{64}$/.test(f)), 'no temporary file left');
  t.is(run(), 3);
});

test('pruning keeps the build folders used last, nothing else', (t) => {
  const root = join(dir, 'prune');
  const build = (version: string, name: string, usedSecondsAgo: number): string => {
    const path = join(root, version, name);
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'data'), 'x');
    const at = Date.now() / 1000 - usedSecondsAgo;
    utimesSync(path, at, at);
    return path;
  };
  build('v8-1', 'a', 50);
  build('v8-1', 'b', 10);
  build('v8-2', 'c', 40);
  build('v8-2', 'd', 20);
  build('v8-3', 'e', 30);
  writeFileSync(join(root, 'v8-1', 'old-layout-file'), 'x');
  pruneCodeCaches(root, 3);
  const left = readdirSync(root).flatMap((v) => readdirSync(join(root, v)).map((b) => `${v}/${b}`));
  t.deepEqual(left.sort(), ['v8-1/b', 'v8-2/d', 'v8-3/e']);
  pruneCodeCaches(root, 1);
  t.deepEqual(readdirSync(root), ['v8-1'], 'empty version folders go');
  t.deepEqual(readdirSync(join(root, 'v8-1', 'b')), ['data']);
  pruneCodeCaches(join(dir, 'no-such-root'), 1);
});

test('a save marks its folder used, so a hit keeps it over a newer idle one', (t) => {
  const root = join(dir, 'prune-used');
  const file = join(dir, 'kept.js');
  writeFileSync(file, 'module.exports = 5;\n');
  const mine = join(root, 'v8-x', 'mine');
  t.is(load(file, mine), 5);
  const past = Date.now() / 1000 - 100;
  utimesSync(mine, past, past);
  mkdirSync(join(root, 'v8-x', 'other'));
  t.is(load(file, mine), 5, 'a hit: nothing written');
  pruneCodeCaches(root, 1);
  t.deepEqual(readdirSync(join(root, 'v8-x')), ['mine']);
});
