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

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

export function qemuLogSink(items: ReadonlySet<QemuLogItem>, write: (text: string) => void): (e: TraceEvent, dbt: Dbt) => void {
  return (e, dbt) => {
    if (e.pc === undefined) return;
    if (e.kind === 'translate' && items.has('in_asm')) {
      const tb = dbt.tbs[dbt.tbs.length - 1];
      const code = dbt.guest.readBytes(tb.pc, tb.guestSize);
      const lines = disassembleRange(code, tb.pc, 32).map((i) => {
        const bytes = Array.from(code.subarray(i.addr - tb.pc, i.addr - tb.pc + i.length), (b) => b.toString(16).padStart(2, '0')).join(' ');
        return `0x${hex8(i.addr)}:  ${bytes.padEnd(24)} ${i.text}`;
      });
      write(['----------------', 'IN: ', ...lines, '', ''].join('\n'));
    } else if ((e.kind === 'enter' || e.kind === 'indirect-hit') && items.has('exec')) {
      const tb = dbt.tbHash.get(e.pc);
      write(`Trace 0: 0x${(tb?.hostAddr ?? 0).toString(16)} [00000000/${hex8(e.pc)}/00000000/00000000] \n`);
    }
  };
}
