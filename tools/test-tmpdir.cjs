// Temporary directories for a test file, removed when its process exits, whether its tests
// passed or failed (ava runs each test file in a process of its own: workerThreads false in
// ava-config.cjs): the tests leave nothing behind in /tmp.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const dirs = [];
process.on('exit', () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** mkdtemp under the system's temporary directory, removed at exit. */
exports.testTmpDir = function testTmpDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
