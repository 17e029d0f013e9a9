import { tbFlush, type RuntimeScheme } from '@dbtlab/dbt-core';
import { cpuLoop } from './exec-loop';
import { QEMU_STYLE_DEFAULTS, type QemuStyleOptions } from './options';
import { syscallByException } from './syscall-strategy';

export { cpuExec, cpuLoop } from './exec-loop';
export { syscallByException } from './syscall-strategy';
export * from './options';

export function createRuntime(options: Partial<QemuStyleOptions> = {}): RuntimeScheme {
  const o = { ...QEMU_STYLE_DEFAULTS, ...options };
  return {
    name: 'qemu-style',
    config: o.chaining ? 'default' : 'no-chain',
    chaining: o.chaining,
    syscall: syscallByException,
    // linux-user's do_fork: the first thread makes QEMU translate for parallel execution
    // (CF_PARALLEL) and flush every TB translated before, so they are translated again
    onFirstThread: tbFlush,
    cpuLoop,
  };
}
