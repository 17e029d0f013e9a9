/**
 * sgdt, sidt, smsw, sldt and str in a 32-bit process, as Linux 6.1 answers them on a CPU with
 * UMIP (arch/x86/kernel/umip.c: the instruction faults and the kernel writes fixed values;
 * every x86 CPU of the last years has UMIP, as the kernel VM's has). Without UMIP the CPU
 * would store the kernel's own table addresses, which no user program can rely on.
 * Measured in the kernel VM: sgdt 0xfffe0000 limit 0, sidt 0xffff0000 limit 0, smsw
 * 0x80050033 (the whole value in a 32-bit register), sldt 0 (0x50 with an LDT), str 0x40 (GDT_ENTRY_TSS * 8).
 */
import type { SystemRegisterOp } from '@dbtlab/x86-semantics';

/** [value or table limit, table base]. */
const UMIP_VALUES: Readonly<Record<SystemRegisterOp, readonly [number, number]>> = {
  SGDT: [0, 0xfffe0000],
  SIDT: [0, 0xffff0000],
  SMSW: [0x80050033, 0], // PE MP ET NE WP AM PG
  SLDT: [0, 0],
  STR: [0x40, 0],
};

export function umipValue(op: SystemRegisterOp): readonly [number, number] {
  return UMIP_VALUES[op];
}
