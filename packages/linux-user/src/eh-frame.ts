/**
 * The unwind tables of a vDSO image (.eh_frame and the .eh_frame_hdr that PT_GNU_EH_FRAME
 * points at), as the kernel's vdso images carry them so that unwinders (libgcc's
 * _Unwind_Backtrace, gdb) step out of __kernel_vsyscall and through the signal trampolines.
 * Two CIEs: a plain one, and one with the "S" augmentation (a signal frame: the unwinder does
 * not subtract 1 from the return address). Pointers are pc-relative, the header's table
 * relative to the header, as GNU ld writes them.
 */

/** DWARF call-frame instructions and expression operators (DWARF 4, 6.4.2 and 2.5). */
export const CFA = { advanceLoc: 0x40, offset: 0x80, restore: 0xc0, nop: 0, defCfa: 0x0c, defCfaOffset: 0x0e, defCfaExpression: 0x0f, expression: 0x10 } as const;
export const OP = { breg: 0x70, deref: 0x06 } as const;
/** DW_EH_PE_pcrel | DW_EH_PE_sdata4; DW_EH_PE_udata4; DW_EH_PE_datarel | DW_EH_PE_sdata4. */
const PE_PCREL_SDATA4 = 0x1b;
const PE_UDATA4 = 0x03;
const PE_DATAREL_SDATA4 = 0x3b;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** The ABI's CIE: alignment factors, return-address column, the rules at a function's entry. */
export interface CieSpec {
  dataAlign: number;
  raColumn: number;
  initial: readonly number[];
}

/** One function's FDE: where it covers, its CFA program, and whether it is a signal frame. */
export interface FdeSpec {
  start: number;
  length: number;
  instructions: readonly number[];
  signalFrame?: boolean;
}

/** A CIE or FDE record: length, then the body padded with DW_CFA_nop to 4 bytes. */
function record(body: number[]): number[] {
  while ((4 + body.length) % 4) body.push(CFA.nop);
  return [...le32(body.length), ...body];
}

const le32 = (x: number): number[] => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff];

function cie(spec: CieSpec, signalFrame: boolean): number[] {
  const aug = signalFrame ? 'zRS' : 'zR';
  const initial = signalFrame ? [] : spec.initial;
  return record([...le32(0), 1, ...Buffer.from(aug), 0, ...uleb(1), ...sleb(spec.dataAlign), ...uleb(spec.raColumn), ...uleb(1), PE_PCREL_SDATA4, ...initial]);
}

/** The sizes of .eh_frame and .eh_frame_hdr (they do not depend on where they are placed). */
export function ehFrameSizes(spec: CieSpec, fdes: readonly FdeSpec[]): { ehFrame: number; hdr: number } {
  return { ehFrame: buildEhFrame(spec, fdes, 0).bytes.length, hdr: 12 + 8 * fdes.length };
}

/** .eh_frame at image offset `at`: the two CIEs, the FDEs in order, a zero terminator. */
export function buildEhFrame(spec: CieSpec, fdes: readonly FdeSpec[], at: number): { bytes: Uint8Array; fdeOffsets: number[] } {
  const out: number[] = [];
  const cies = [false, true].map((signal) => {
    const off = out.length;
    out.push(...cie(spec, signal));
    return off;
  });
  const fdeOffsets = fdes.map((f) => {
    const off = out.length;
    // CIE pointer: from this field back to its CIE; pc_begin: pc-relative to its own field
    const ciePtr = off + 4 - cies[f.signalFrame ? 1 : 0];
    const pcBegin = f.start - (at + off + 8);
    out.push(...record([...le32(ciePtr), ...le32(pcBegin), ...le32(f.length), ...uleb(0), ...f.instructions]));
    return off;
  });
  out.push(...le32(0));
  return { bytes: Uint8Array.from(out), fdeOffsets };
}

/** .eh_frame_hdr at `at` for .eh_frame at `ehFrameAt`: the binary-search table sorted by pc. */
export function buildEhFrameHdr(at: number, ehFrameAt: number, fdes: readonly FdeSpec[], fdeOffsets: readonly number[]): Uint8Array {
  const table = fdes.map((f, i) => [f.start - at, ehFrameAt + fdeOffsets[i] - at]).sort((x, y) => x[0] - y[0]);
  return Uint8Array.from([1, PE_PCREL_SDATA4, PE_UDATA4, PE_DATAREL_SDATA4, ...le32(ehFrameAt - (at + 4)), ...le32(fdes.length), ...table.flatMap(([pc, fde]) => [...le32(pc), ...le32(fde)])]);
}
