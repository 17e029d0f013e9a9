/** One clear line for everything that can stop a run that is not the guest's own exit. */
import { disassemble, MachineFault } from '@dbtlab/mips-host';
import { UnsupportedInsnError } from '@dbtlab/mips-codegen';
import type { Dbt } from '@dbtlab/dbt-core';
import { ElfError, GuestDeadlock } from '@dbtlab/linux-user';
import { DecodeError } from '@dbtlab/x86-frontend';
import { constants } from 'node:os';

const { ENOEXEC } = constants.errno;

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

export function describeError(e: unknown, dbt?: Dbt): string {
  if (e instanceof UnsupportedInsnError) return e.message;
  // the guests' own fault (Linux would hang): not dbtlab's
  if (e instanceof GuestDeadlock) return e.message;
  if (e instanceof ElfError) return e.errno === ENOEXEC ? `not a loadable i386 or x86-64 ELF: ${e.message}` : `cannot execute: ${e.message}`;
  if (e instanceof DecodeError) {
    const bytes = Array.from(e.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    return `cannot decode instruction at ${hex(e.addr)}: ${bytes}`;
  }
  if (e instanceof MachineFault) {
    const eip = dbt ? ` (guest eip ${hex(dbt.cpu.eip)})` : '';
    return `host machine fault (${e.kind}) at host pc 0x${e.hostPc.toString(16)}: ${disassemble(e.word, e.hostPc)}${eip}: ${e.message}`;
  }
  if (e && typeof e === 'object' && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT') {
    return `no such file: ${(e as NodeJS.ErrnoException).path ?? ''}`;
  }
  if (e instanceof Error) return `internal error: ${e.message}${process.env.DBTLAB_DEBUG ? `\n${e.stack}` : ''}`;
  return `internal error: ${String(e)}`;
}
