/**
 * The -d log in QEMU's format (accel/tcg: log_cpu_exec, translator_loop's in_asm), so the
 * scripts that count QEMU's logs count ours: "IN:" and the TB's guest instructions when it
 * is translated; "Trace 0: host [cs_base/pc/flags/cflags]" when it is entered from the exec
 * loop or through an indirect lookup (QEMU logs chained jumps only with nochain, when none
 * are chained). Instructions are in objdump's AT&T text, not capstone's.
 */
import type { Dbt, TraceEvent } from '@dbtlab/dbt-core';
import { disassembleRange } from '@dbtlab/x86-frontend';

export type QemuLogItem = 'in_asm' | 'exec';

// an address as QEMU 7.2 prints it: in_asm at least 8 hex digits (0x%08" PRIx64), the exec
// trace's TARGET_FMT_lx 8 for i386 and 16 for x86_64
const hex = (n: number, digits: number) => (n >= 0 ? n : n >>> 0).toString(16).padStart(digits, '0');

/** A TB's linear pc, as QEMU keeps it (cs_base + eip; a 64-bit process's bases are 0). */
const linear = (csBase: number, pc: number): number => (csBase ? (csBase + pc) >>> 0 : pc);

export function qemuLogSink(items: ReadonlySet<QemuLogItem>, write: (text: string) => void): (e: TraceEvent, dbt: Dbt) => void {
  return (e, dbt) => {
    if (e.pc === undefined) return;
    if (e.kind === 'translate' && items.has('in_asm')) {
      const tb = dbt.tbs[dbt.tbs.length - 1];
      // a TB of a code segment with a base: its bytes and QEMU's pc are linear (cs_base + eip)
      const code = dbt.guest.readBytes(linear(tb.csBase, tb.pc), tb.guestSize);
      const lines = disassembleRange(code, tb.pc, dbt.mode, { code16: tb.code16 }).map((i) => {
        const bytes = Array.from(code.subarray(i.addr - tb.pc, i.addr - tb.pc + i.length), (b) => b.toString(16).padStart(2, '0')).join(' ');
        return `0x${hex(linear(tb.csBase, i.addr), 8)}:  ${bytes.padEnd(24)} ${i.text}`;
      });
      write(['----------------', 'IN: ', ...lines, '', ''].join('\n'));
    } else if ((e.kind === 'enter' || e.kind === 'indirect-hit') && items.has('exec')) {
      const tb = dbt.tbHash.get(e.pc);
      const csBase = tb?.csBase ?? 0;
      write(`Trace 0: 0x${(tb?.hostAddr ?? 0).toString(16)} [${hex(csBase, dbt.mode / 4)}/${hex(linear(csBase, e.pc), dbt.mode / 4)}/00000000/00000000] \n`);
    }
  };
}
