// The engines of exited and exec'd processes (code cache, blocks, compiled functions: megabytes
// each) become garbage while the run goes on: a zombie's memory object must not keep its engine,
// nor its pages.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TranslationCache, type Dbt } from '@dbtlab/dbt-core';
import { GuestTree } from '@dbtlab/linux-user';
import { CODE_CACHE_BASE, CODE_CACHE_END } from '@dbtlab/mips-host';
import { createScheme } from '../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A translation cache that notes, weakly, every engine that translated. */
class EngineWitness extends TranslationCache {
  readonly seen = new WeakSet<Dbt>();
  readonly engines: WeakRef<Dbt>[] = [];
  override find(...args: Parameters<TranslationCache['find']>) {
    const dbt = args[0];
    if (!this.seen.has(dbt)) {
      this.seen.add(dbt);
      this.engines.push(new WeakRef(dbt));
    }
    return super.find(...args);
  }
}

test('after a fork/exec tree has run, only the last engine is reachable from the tree', async (t) => {
  const dir = testTmpDir('dbtlab-engine-release-');
  execFileSync('gcc', ['-m32', '-static', '-O1', '-o', join(dir, 'fork-pipe-exec'), join(__dirname, 'fixtures', 'processes', 'fork-pipe-exec.c')]);
  execFileSync('gcc', ['-m32', '-static', '-O1', '-o', join(dir, 'hello'), join(__dirname, 'fixtures', 'processes', 'hello.c')]);
  const witness = new EngineWitness();
  const tree = new GuestTree(createScheme('qemu-style'), { translations: witness });
  const out = openSync('/dev/null', 'w');
  tree.spawn('./fork-pipe-exec', { argv: ['./fork-pipe-exec', '100'], envp: [], stdout: out, stderr: out }, dir);
  tree.run();
  closeSync(out);
  // WeakRefs made in this job keep their targets until it ends
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.true(witness.engines.length >= 4, `${witness.engines.length} engines translated`);
  t.is(witness.engines.filter((r) => r.deref() !== undefined).length, 1);
  t.is(tree.processes.length, 4); // the tree and its zombies are still here
  // and their address spaces are gone: no page of guest memory or code cache is held
  for (const p of tree.processes) {
    t.deepEqual(p.mem.areas(), [], `pid ${p.pid}'s mappings`);
    t.is([...p.mem.host.touchedPages(p.mem.base, p.mem.size)].length, 0, `pid ${p.pid}'s guest pages`);
    t.is([...p.mem.host.touchedPages(CODE_CACHE_BASE, CODE_CACHE_END - CODE_CACHE_BASE)].length, 0, `pid ${p.pid}'s code pages`);
  }
});
