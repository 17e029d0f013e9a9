/** The runtime configurations dbtlab knows, by name and ablation flags. */
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { createRuntime as createQemuStyle } from '@dbtlab/runtime-qemu-style';
import { createRuntime as createX86toMipsStyle } from '@dbtlab/runtime-x86tomips-style';

import type { RuntimeName } from './runtime-names';

export { RUNTIME_NAMES, type RuntimeName } from './runtime-names';

export interface Ablations {
  /** qemu-style without goto_tb / lookup_and_goto_ptr (QEMU's -d nochain). */
  noChain?: boolean;
  /** x86tomips-style with the system call ending the TB. */
  syscallEndsTb?: boolean;
  /** x86tomips-style with QEMU's TB chaining. */
  chain?: boolean;
}

export function createScheme(name: RuntimeName, a: Ablations = {}): RuntimeScheme {
  if (name === 'qemu-style') return createQemuStyle({ chaining: !a.noChain });
  return createX86toMipsStyle({ syscallEndsTb: !!a.syscallEndsTb, chaining: !!a.chain });
}
