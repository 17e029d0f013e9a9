/**
 * What the fixture tests share: the CLI, a temporary directory per test file (removed at exit),
 * and C fixtures (test/fixtures) built with gcc for one mode.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

export { testTmpDir };
export const CLI = join(__dirname, '..', 'bin', 'dbtlab.js');

/** Builds test/fixtures/NAME.c as DIR/NAME+BITS (gcc -mBITS -static, then `flags`); returns its path. */
export function buildFixture(dir: string, name: string, bits: 32 | 64, flags: string[] = ['-O2']): string {
  const exe = join(dir, `${name}${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-static', ...flags, join(__dirname, 'fixtures', `${name}.c`), '-o', exe]);
  return exe;
}
