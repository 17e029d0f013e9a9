/**
 * The runtime configurations every experiment draws from: each scheme as its system does
 * it, and the ablations that move one choice at a time (ARCHITECTURE.md, The two runtimes).
 *
 *                           chaining on              chaining off
 *   syscall leaves to loop  qemu-style default       qemu-style no-chain
 *   syscall inside the TB   x86tomips-style chain    x86tomips-style default
 *   (syscall-ends-tb: x86tomips-style with the system call inline but ending the TB)
 *
 * Beside the grid, qemu-style once more with the guest set up as QEMU 7.2's linux-user sets it
 * up (no vDSO), which is what real qemu-i386's TB counts are held against (e4).
 */
import type { Ablations } from '../runtimes';

export interface RuntimeConfig {
  runtime: 'qemu-style' | 'x86tomips-style';
  config: string;
  ablations: Ablations;
  /** Where the system call runs, and whether TBs chain: the two axes of the ablation grid. */
  syscall: 'leaves-to-loop' | 'inside-tb' | 'inline-ends-tb';
  chaining: boolean;
  /** false: no vDSO in the guest's auxiliary vector, as QEMU 7.2 gives (Linux gives one). */
  vdso?: false;
}

export const CONFIGS: readonly RuntimeConfig[] = [
  { runtime: 'qemu-style', config: 'default', ablations: {}, syscall: 'leaves-to-loop', chaining: true },
  { runtime: 'qemu-style', config: 'no-chain', ablations: { noChain: true }, syscall: 'leaves-to-loop', chaining: false },
  { runtime: 'x86tomips-style', config: 'default', ablations: {}, syscall: 'inside-tb', chaining: false },
  { runtime: 'x86tomips-style', config: 'chain', ablations: { chain: true }, syscall: 'inside-tb', chaining: true },
  {
    runtime: 'x86tomips-style',
    config: 'syscall-ends-tb',
    ablations: { syscallEndsTb: true },
    syscall: 'inline-ends-tb',
    chaining: false,
  },
];

/** qemu-style as real qemu-i386 sets up its guest: the configuration e4 compares with QEMU's counts. */
export const AS_QEMU_I386: RuntimeConfig = {
  runtime: 'qemu-style',
  config: 'no-vdso',
  ablations: {},
  syscall: 'leaves-to-loop',
  chaining: true,
  vdso: false,
};

/** Every configuration an experiment can read: the grid, then AS_QEMU_I386. */
export const RUN_CONFIGS: readonly RuntimeConfig[] = [...CONFIGS, AS_QEMU_I386];

export const configLabel = (c: { runtime: string; config: string }): string =>
  c.config === 'default' ? c.runtime : `${c.runtime} ${c.config}`;

export function findConfig(runtime: string, config = 'default'): RuntimeConfig {
  const c = RUN_CONFIGS.find((x) => x.runtime === runtime && x.config === config);
  if (!c) throw new Error(`no configuration ${runtime} ${config}`);
  return c;
}
