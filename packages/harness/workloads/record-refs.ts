/*
 * `build.sh --record`: runs every registered workload natively and writes its output as the
 * reference, workloads/ref/<name>.{stdout,stderr,status}. Review the git diff of ref/ after.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKLOADS, runNative } from '../src/workloads';

const refDir = join(__dirname, 'ref');
mkdirSync(refDir, { recursive: true });
for (const w of WORKLOADS) {
  const out = runNative(w.name);
  writeFileSync(join(refDir, `${w.name}.stdout`), out.stdout);
  writeFileSync(join(refDir, `${w.name}.stderr`), out.stderr);
  writeFileSync(join(refDir, `${w.name}.status`), `${out.status}\n`);
  console.error(`record: ${w.name} status ${out.status}, ${out.stdout.length} bytes of stdout`);
}
