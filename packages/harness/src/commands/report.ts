/** dbtlab report DIR...: the partial results of `experiment --shard` runs, merged into one report. */
import { existsSync, mkdirSync, readdirSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError, type ParsedArgs } from '../cli/parse-args';
import { mergePartials, MergeError } from '../experiments/partial';
import { writeReport } from '../report-files';

/** The shard files named, or found in the folders named. */
function partialFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`, 'report');
    if (!statSync(p).isDirectory()) return [p];
    const found = readdirSync(p).filter((f) => /^shard-\d+-of-\d+\.json$/.test(f)).sort().map((f) => join(p, f));
    if (!found.length) throw new UsageError(`${p}: no shard-I-of-N.json in it`, 'report');
    return found;
  });
}

export async function reportCommand(args: ParsedArgs): Promise<number> {
  if (!args.positionals.length) throw new UsageError('missing <dir>', 'report');
  let merged;
  try {
    merged = mergePartials(partialFiles(args.positionals));
  } catch (e) {
    if (e instanceof MergeError) throw new UsageError(e.message, 'report');
    throw e;
  }
  const out = resolve(String(args.options.out));
  mkdirSync(out, { recursive: true });
  await writeReport(out, merged.plan, merged.rows, merged.qemuTbs);
  writeSync(2, `dbtlab report: ${merged.rows.length} runs from ${args.positionals.length} path(s); wrote ${out}\n`);
  return 0;
}
