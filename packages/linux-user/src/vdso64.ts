/**
 * The 64-bit vDSO image a 64-bit process finds at AT_SYSINFO_EHDR (vdso-image.ts): soname
 * linux-vdso.so.1, exporting __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time,
 * __vdso_getcpu and __vdso_clock_getres with version LINUX_2.6. Each function makes the real
 * system call, so both schemes see it and counts stay honest (Linux's read the vvar page
 * instead), but as Linux's vDSO it stores its results from user mode: the call writes into the
 * red zone below %rsp and the function copies them out field by field, in the order Linux's
 * vdso64.so stores them (measured: test/syscalls/vdso-pointers.c), skipping a NULL pointer where
 * Linux's checks for one. A bad pointer is then a SIGSEGV inside the vDSO, as natively, not the
 * system call's EFAULT. Clocks Linux's vDSO does not read (CPU-time, alarm and invalid ids) go
 * to the system call with the caller's pointer, as its fallback does. Their CFI is in .eh_frame,
 * as in the kernel's vdso64.so, so that an unwinder (libgcc's _Unwind_Backtrace from a signal
 * handler) steps out of them: no push, so the CFA is %rsp + 8 throughout.
 */
import { CFA } from './eh-frame';
import { EM_X86_64 } from './elf';
import { buildVdsoImage } from './vdso-image';

const VERSION = 'LINUX_2.6';

/** DWARF register numbers of x86-64 used here. */
const DW = { rsp: 7, rip: 16 } as const;

/** The clock ids Linux's vDSO answers itself: REALTIME, MONOTONIC, MONOTONIC_RAW, the two COARSE, BOOTTIME, TAI. */
const VDSO_CLOCKS = { highest: 11, mask: 0x8f3 } as const;

/** A result the function stores through argument `arg` (0 %rdi, 1 %rsi): its fields [offset, bytes] in store order. */
interface Output {
  arg: number;
  fields: ReadonlyArray<readonly [number, 4 | 8]>;
  /** Linux's function stores nothing through a NULL pointer */
  nullable: boolean;
  /** the value is the system call's result (time), not a field it wrote */
  fromResult?: boolean;
}

interface VdsoCall {
  name: string;
  nr: number;
  /** the first argument is a clock id, answered here only for VDSO_CLOCKS */
  clock?: boolean;
  outputs: readonly Output[];
}

const TIMESPEC: Output['fields'] = [[0, 8], [8, 8]];
const CALLS: readonly VdsoCall[] = [
  { name: '__vdso_clock_gettime', nr: 228, clock: true, outputs: [{ arg: 1, fields: TIMESPEC, nullable: false }] },
  { name: '__vdso_gettimeofday', nr: 96, outputs: [{ arg: 0, fields: TIMESPEC, nullable: true }, { arg: 1, fields: [[0, 4], [4, 4]], nullable: true }] },
  { name: '__vdso_time', nr: 201, outputs: [{ arg: 0, fields: [[0, 8]], nullable: true, fromResult: true }] },
  { name: '__vdso_getcpu', nr: 309, outputs: [{ arg: 0, fields: [[0, 4]], nullable: true }, { arg: 1, fields: [[0, 4]], nullable: true }] },
  { name: '__vdso_clock_getres', nr: 229, clock: true, outputs: [{ arg: 1, fields: TIMESPEC, nullable: true }] },
];

/** Argument registers %rdi, %rsi by their number; output i's pointer is kept in %r8 + i (the system call keeps both). */
const ARG_REG = [7, 6];
/** Each output's buffer in the red zone: -32(%rsp) and -16(%rsp). */
const redZone = (i: number): number => -32 + 16 * i;

/** The few x86-64 forms the stubs need, with rel8 jumps to labels. */
class Code {
  readonly bytes: number[] = [];
  private readonly fixups: [at: number, label: string][] = [];
  private readonly labels = new Map<string, number>();
  emit(...b: number[]): this {
    this.bytes.push(...b.map((x) => x & 0xff));
    return this;
  }
  jump(opcode: number, label: string): this {
    this.emit(opcode, 0);
    this.fixups.push([this.bytes.length - 1, label]);
    return this;
  }
  label(name: string): this {
    this.labels.set(name, this.bytes.length);
    return this;
  }
  movEax(imm: number): this {
    return this.emit(0xb8, imm, imm >> 8, imm >> 16, imm >> 24);
  }
  syscall(nr: number): this {
    return this.movEax(nr).emit(0x0f, 0x05);
  }
  done(): Uint8Array {
    for (const [at, label] of this.fixups) this.bytes[at] = (this.labels.get(label)! - at - 1) & 0xff;
    return Uint8Array.from(this.bytes);
  }
}

const JA = 0x77, JNC = 0x73, JNZ = 0x75, JZ = 0x74;

function stub(c: VdsoCall): Uint8Array {
  const code = new Code();
  if (c.clock) {
    // cmp $highest, %edi; ja fallback; mov $mask, %eax; bt %edi, %eax; jnc fallback
    code.emit(0x83, 0xff, VDSO_CLOCKS.highest).jump(JA, 'fallback').movEax(VDSO_CLOCKS.mask).emit(0x0f, 0xa3, 0xf8).jump(JNC, 'fallback');
  }
  c.outputs.forEach((o, i) => {
    code.emit(0x49, 0x89, 0xc0 | (ARG_REG[o.arg] << 3) | i); // mov %rdi/%rsi, %r8+i
    if (o.fromResult) code.emit(0x31, 0xc0 | (ARG_REG[o.arg] << 3) | ARG_REG[o.arg]); // xor %edi, %edi: the call's own pointer is NULL
    else code.emit(0x48, 0x8d, 0x44 | (ARG_REG[o.arg] << 3), 0x24, redZone(i)); // lea redZone(%rsp), %rdi/%rsi
  });
  code.syscall(c.nr);
  if (!c.outputs.some((o) => o.fromResult)) code.emit(0x48, 0x85, 0xc0).jump(JNZ, 'return'); // test %rax, %rax: an error stores nothing
  c.outputs.forEach((o, i) => {
    const skip = `after${i}`;
    if (o.nullable) code.emit(0x4d, 0x85, 0xc0 | (i << 3) | i).jump(JZ, skip); // test %r8+i, %r8+i
    for (const [off, bytes] of o.fields) {
      const w = bytes === 8 ? 0x48 : 0x40;
      if (o.fromResult) code.emit(w | 1, 0x89, 0x40 | i, off); // mov %rax, off(%r8+i)
      else code.emit(w, 0x8b, 0x4c, 0x24, redZone(i) + off).emit(w | 1, 0x89, 0x48 | i, off); // mov redZone+off(%rsp), %rcx; mov %rcx, off(%r8+i)
    }
    code.label(skip);
  });
  code.label('return').emit(0xc3);
  if (c.clock) code.label('fallback').syscall(c.nr).emit(0xc3);
  return code.done();
}

/** The vDSO image (fits the two [vdso] pages). */
export function buildVdso64(): Uint8Array {
  return buildVdsoImage({
    elfClass: 64,
    machine: EM_X86_64,
    soname: 'linux-vdso.so.1',
    versions: [VERSION],
    functions: CALLS.map((c) => ({ name: c.name, version: VERSION, code: stub(c), unwind: { instructions: [] } })),
    cie: { dataAlign: -8, raColumn: DW.rip, initial: [CFA.defCfa, DW.rsp, 8, CFA.offset | DW.rip, 1] },
  }).bytes;
}
