/**
 * The machine-readable record of one run (run --stats-json, compare --json, the experiment
 * cache): the statistics plus what produced them, so a file can be traced back to its
 * runtime, configuration, dbtlab version and binary.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RuntimeScheme, Stats } from '@dbtlab/dbt-core';
import { DBTLAB_VERSION } from './version';

export interface StatsRecord extends Stats {
  config: string;
  dbtlab_version: string;
  /** sha256 of the ELF file run, hex. */
  binary_sha256: string;
}

export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function statsRecord(stats: Stats, scheme: Pick<RuntimeScheme, 'config'>, elf: string): StatsRecord {
  let binary_sha256 = '';
  try {
    binary_sha256 = fileSha256(elf);
  } catch {
    // the ELF could not be read: the run failed and its error says why
  }
  return { ...stats, config: scheme.config, dbtlab_version: DBTLAB_VERSION, binary_sha256 };
}
