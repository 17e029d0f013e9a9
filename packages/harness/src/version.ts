/** dbtlab's version (the harness package's), recorded in stats JSON and the result cache key. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DBTLAB_VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version;
