/** dbtlab disasm: every instruction of the executable sections, in objdump's line format. */
import { readFileSync, writeSync } from 'node:fs';
import { readElfSections, SHF_EXECINSTR } from '@dbtlab/linux-user';
import { disassembleRange } from '@dbtlab/x86-frontend';
import { requireOperand, type ParsedArgs } from '../cli/parse-args';

const SHT_NOBITS = 8;

export function disasmLines(file: Uint8Array): string[] {
  const mode = file[4] === 2 ? 64 : 32;
  const lines: string[] = [];
  for (const s of readElfSections(file)) {
    if (!(s.flags & SHF_EXECINSTR) || s.type === SHT_NOBITS || s.size === 0) continue;
    const code = file.subarray(s.offset, s.offset + s.size);
    for (const i of disassembleRange(code, s.addr, mode)) lines.push(`${i.addr.toString(16).padStart(8)}:\t${i.text}`);
  }
  return lines;
}

export function disasmCommand(args: ParsedArgs): number {
  const elf = requireOperand(args);
  const out = disasmLines(readFileSync(elf));
  writeSync(1, out.join('\n') + (out.length ? '\n' : ''));
  return 0;
}
