// Shared ava configuration. Fast tests: test/**/*.test.ts beside the code. Oracle suites
// (slow differential tests against objdump, native runs, qemu): test/oracle/**, own nx target.
// Tests run from TypeScript through ts-node (transpile-only; `nx run P:lint` type-checks them).
module.exports = function avaConfig(kind) {
  const oracle = kind === 'oracle';
  return {
    files: oracle ? ['test/oracle/**/*.test.ts'] : ['test/**/*.test.ts', '!test/oracle/**'],
    extensions: { ts: 'commonjs' },
    require: ['ts-node/register/transpile-only'],
    timeout: oracle ? '30m' : '2m',
    workerThreads: false,
    concurrency: 2,
  };
};
