/** The runtime configurations dbtlab knows, by name and ablation flags. */
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { createRuntime as createQemuStyle } from '@dbtlab/runtime-qemu-style';
import { createRuntime as createX86toMipsStyle } from '@dbtlab/runtime-x86tomips-style';

export const RUNTIME_NAMES = ['qemu-style', 'x86tomips-style'] as const;
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

export interface Ablations {
  noChain?: boolean;
  syscallEndsTb?: boolean;
}

export function createScheme(name: string, a: Ablations = {}): RuntimeScheme {
  if (name === 'qemu-style') return createQemuStyle({ chaining: !a.noChain });
  if (name === 'x86tomips-style') return createX86toMipsStyle({ syscallEndsTb: !!a.syscallEndsTb });
  throw new Error(`unknown runtime '${name}' (qemu-style or x86tomips-style)`);
}
