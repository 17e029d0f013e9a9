import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { execLoop } from './exec-loop';
import { X86TOMIPS_STYLE_DEFAULTS, type X86toMipsStyleOptions } from './options';
import { syscallInline } from './syscall-strategy';
import { registerSchemeHelpers } from './interpret-int';

export { execLoop } from './exec-loop';
export { syscallInline } from './syscall-strategy';
export { interpretInt } from './interpret-int';
export * from './options';

export function createRuntime(options: Partial<X86toMipsStyleOptions> = {}): RuntimeScheme {
  const o = { ...X86TOMIPS_STYLE_DEFAULTS, ...options };
  return {
    name: 'x86tomips-style',
    config: [o.syscallEndsTb && 'syscall-ends-tb', o.chaining && 'chain'].filter(Boolean).join('+') || 'default',
    chaining: o.chaining,
    syscall: syscallInline(o.syscallEndsTb),
    schemeHelpers: registerSchemeHelpers,
    cpuLoop: execLoop,
  };
}
