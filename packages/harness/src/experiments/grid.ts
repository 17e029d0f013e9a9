/**
 * The runtime configurations every experiment draws from: each scheme as its system does
 * it, and the ablations that move one choice at a time (ARCHITECTURE.md, The two runtimes).
 *
 *                           chaining on              chaining off
 *   syscall leaves to loop  qemu-style default       qemu-style no-chain
 *   syscall inside the TB   x86tomips-style chain    x86tomips-style default
 *   (syscall-ends-tb: x86tomips-style with the system call inline but ending the TB)
 */
import type { Ablations } from '../runtimes';

export interface RuntimeConfig {
  runtime: 'qemu-style' | 'x86tomips-style';
  config: string;
  ablations: Ablations;
  /** Where the system call runs, and whether TBs chain: the two axes of the ablation grid. */
  syscall: 'leaves-to-loop' | 'inside-tb' | 'inline-ends-tb';
  chaining: boolean;
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

export const configLabel = (c: { runtime: string; config: string }): string =>
  c.config === 'default' ? c.runtime : `${c.runtime} ${c.config}`;

export function findConfig(runtime: string, config = 'default'): RuntimeConfig {
  const c = CONFIGS.find((x) => x.runtime === runtime && x.config === config);
  if (!c) throw new Error(`no configuration ${runtime} ${config}`);
  return c;
}
