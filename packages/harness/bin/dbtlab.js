#!/usr/bin/env node
// The dbtlab CLI: the compiled harness (build it with `pnpm build`).
require('../dist/cli.js').main(process.argv.slice(2));
