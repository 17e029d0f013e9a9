/**
 * Fast checks of the translator's instruction coverage and the typed error for an
 * instruction the translator does not handle.
 */
import test from 'ava';
import { decodeInsn, type X86Op } from '@dbtlab/x86-frontend';
import { BCD_OPS, cpuModel, X87_OPS } from '@dbtlab/x86-semantics';
import { genTable, translateBlock, UnsupportedInsnError, type HelperAddrs, type TranslateOptions } from '../src';

test('every instruction of the issue has an emitter', (t) => {
  const required: X86Op[] = [
    'ADD', 'ADC', 'SUB', 'SBB', 'CMP', 'AND', 'OR', 'XOR', 'TEST', 'INC', 'DEC', 'NEG', 'NOT', 'MUL', 'IMUL', 'DIV', 'IDIV',
    'SHL', 'SHR', 'SAR', 'ROL', 'ROR', 'RCL', 'RCR', 'SHLD', 'SHRD', 'BT', 'BTS', 'BTR', 'BTC', 'BSF', 'BSR', 'SETCC', 'CMOVCC',
    'BSWAP', 'XADD', 'XCHG', 'CMPXCHG', 'CMPXCHG8B', 'CBW', 'CWD', 'MOVZX', 'MOVSX', 'LEA', 'PUSH', 'POP', 'PUSHA', 'POPA',
    'PUSHF', 'POPF', 'ENTER', 'LEAVE', 'CALL', 'RET', 'JMP', 'JCC', 'JCXZ', 'LOOP', 'LOOPE', 'LOOPNE', 'MOVS', 'STOS', 'LODS',
    'CMPS', 'SCAS', 'LAHF', 'SAHF', 'CLD', 'STD', 'CLC', 'STC', 'CMC', 'CPUID', 'RDTSC', 'NOP', 'HLT', 'UD2', 'INT3', 'INT',
    'INTO', 'BOUND', 'XLAT', 'WAIT', ...X87_OPS, ...BCD_OPS,
  ];
  t.deepEqual(required.filter((op) => !genTable[op]), []);
});

function options(tbPc: number): TranslateOptions {
  const helpers = {} as Record<keyof HelperAddrs, number>;
  const names: (keyof HelperAddrs)[] = ['computeEflags', 'raiseException', 'raiseInterrupt', 'lookupTbPtr', 'interpretInt', 'cpuid', 'rdtsc', 'loadSeg', 'selectorAccess', 'systemRegister', 'x87', 'sse', 'bcdAdjust', 'raiseSegv', 'raiseBranchFault', 'div128', 'pdepPext', 'checkWrite'];
  names.forEach((n, i) => (helpers[n] = 0x5_0000_0000 + 8 * (i + 1)));
  return {
    chaining: true,
    maxInsns: 512,
    syscall: { name: 'test', emit: () => true },
    helpers,
    shared: { epilogueWithSave: 0x2_0000_0000, exitNoChain: 0x2_0000_0010 },
    tbIndex: 0,
    tbPc,
    cpu: cpuModel('max'),
    mode: 32,
  };
}

const reader = (bytes: number[], base: number) => (addr: number, len: number) => Uint8Array.from(bytes.slice(addr - base, addr - base + len));

test('x87 and BCD instructions translate; the block ends at the first control transfer', (t) => {
  // fldl 8(%esp); fmul %st(1),%st; fnstsw %ax; fcomip %st(1),%st; fcmovbe %st(1),%st; daa; xlat; ret
  const code = [0xdd, 0x44, 0x24, 0x08, 0xd8, 0xc9, 0xdf, 0xe0, 0xdf, 0xf1, 0xda, 0xd1, 0x27, 0xd7, 0xc3];
  const tb = translateBlock(0x8048000, reader(code, 0x8048000), 0x2_0000_1000, options(0x8048000));
  t.deepEqual(tb.guestPcs.map((p) => p - 0x8048000), [0, 4, 6, 8, 10, 12, 13, 14]);
  t.is(tb.guestSize, code.length);
  t.true(tb.words.length > tb.guestPcs.length);
});

test('an instruction without a translation is a typed error with pc, bytes and disassembly', (t) => {
  // rdrand has no emitter (no model announces RDRAND, so none reaches it): a model claiming it does
  const max = cpuModel('max');
  const cpu = { ...max, has: (ext: Parameters<typeof max.has>[0]) => ext === 'RDRAND' || max.has(ext) };
  const code = [0x90, 0x0f, 0xc7, 0xf0];
  const e = t.throws(() => translateBlock(0x401000, reader(code, 0x401000), 0x2_0000_1000, { ...options(0x401000), mode: 64, cpu }), { instanceOf: UnsupportedInsnError });
  t.is(e?.insn.addr, 0x401001);
  t.regex(e?.message ?? '', /0x401001: 0f c7 f0 \(rdrand %eax;/);
  t.is(decodeInsn(Uint8Array.from(code), 1, 0x401001, 64).op, 'RDRAND');
  // int $0x80 from 64-bit code is a system call (the i386 table of an IA32_EMULATION kernel): it ends the TB
  const int80 = [0x90, 0xcd, 0x80, 0x90];
  t.deepEqual(translateBlock(0x401000, reader(int80, 0x401000), 0x2_0000_1000, { ...options(0x401000), mode: 64 }).guestPcs, [0x401000, 0x401001]);
});

test('an instruction of an extension the CPU model lacks raises #UD and ends the TB', (t) => {
  // nop; addps %xmm1,%xmm0 on a Pentium II
  const code = [0x90, 0x0f, 0x58, 0xc1, 0x90];
  const tb = translateBlock(0x8049000, reader(code, 0x8049000), 0x2_0000_1000, { ...options(0x8049000), cpu: cpuModel('pentium2') });
  t.deepEqual(tb.guestPcs, [0x8049000, 0x8049001]);
  t.is(translateBlock(0x8049000, reader(code, 0x8049000), 0x2_0000_1000, options(0x8049000)).guestPcs.length, 3);
});

test('rdrand, rdseed, rdtscp and the xsave family are #UD under every model (none announces them)', (t) => {
  // nop; <insn>; nop: the TB ends at the #UD
  const forms = [[0x0f, 0xc7, 0xf0], [0x0f, 0xc7, 0xf8], [0x0f, 0x01, 0xf9], [0x0f, 0x01, 0xd0], [0x0f, 0xae, 0x20]];
  for (const model of ['pentium2', 'max'])
    for (const insn of forms) {
      const code = [0x90, ...insn, 0x90];
      const tb = translateBlock(0x8049000, reader(code, 0x8049000), 0x2_0000_1000, { ...options(0x8049000), cpu: cpuModel(model) });
      t.deepEqual(tb.guestPcs, [0x8049000, 0x8049001], `${model}: ${insn.map((b) => b.toString(16)).join(' ')}`);
    }
});

/**
 * Instructions that leave each kind of lazy flags (cc_op) for the next one, whose condition
 * or carry is then computed from them: cmp/add at 64 and 32 bits (SUB, ADD), test (LOGIC),
 * inc, shl, imul; none (a TB of one instruction: flags from env).
 */
const FLAG_SETTERS: number[][] = [[], [0x48, 0x39, 0xd8], [0x39, 0xd8], [0x48, 0x01, 0xd8], [0x01, 0xd8], [0x48, 0x85, 0xd8], [0xff, 0xc0], [0x48, 0xd1, 0xe0], [0x0f, 0xaf, 0xc3]];

test('x86-64: every form with the costliest memory operand (%fs, base, index, disp32) fits the scratch registers', (t) => {
  // each one-byte, 0f, 0f 38 and 0f 3a opcode, under each mandatory prefix, 32- and 64-bit operand size,
  // every ModRM reg field: %fs:0x12345678(%r12,%r13,8) then immediate bytes, alone in its TB or after each
  // kind of flag setter (a condition or carry from lazy flags takes scratch registers of its own)
  const exhausted = new Set<string>();
  let translated = 0;
  const opts = { ...options(0x401000), mode: 64 as const, maxInsns: 2 };
  /** Translates `code` after each flag setter when it decodes to an instruction with a memory operand; notes a scratch-register error. */
  const tryForm = (code: number[]): void => {
    let insn;
    try {
      insn = decodeInsn(Uint8Array.from(code), 0, 0x401000, 64);
    } catch {
      return;
    }
    if (!insn.operands.some((o) => o.kind === 'mem')) return;
    for (const setter of insn.flagsRead ? FLAG_SETTERS : [[]]) {
      try {
        translateBlock(0x401000, reader([...setter, ...code], 0x401000), 0x2_0000_1000, { ...opts, maxInsns: setter.length ? 2 : 1 });
        translated++;
      } catch (e) {
        if (!(e instanceof UnsupportedInsnError)) throw e;
        if (/scratch/.test(e.message)) exhausted.add(e.message);
      }
    }
  };
  for (const map of [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]])
    for (const pfx of [[], [0x66], [0xf2], [0xf3]])
      for (const rex of [0x43, 0x4b])
        for (let op = 0; op < 256; op++)
          for (let reg = 0; reg < 8; reg++)
            tryForm([0x64, ...pfx, rex, ...map, op, 0x84 | (reg << 3), 0xec, 0x78, 0x56, 0x34, 0x12, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
  // VEX (0f 38 and 0f 3a maps, W0 and W1, each pp, vvvv = r9): the BMI forms
  for (const map of [0xe2, 0xe3].map((m) => m & 0x83))
    for (const w of [0, 0x80])
      for (let pp = 0; pp < 4; pp++)
        for (let op = 0; op < 256; op++)
          for (let reg = 0; reg < 8; reg++) tryForm([0x64, 0xc4, map, w | (6 << 3) | pp, op, 0x84 | (reg << 3), 0xec, 0x78, 0x56, 0x34, 0x12, 0x11, 0x22, 0x33, 0x44]);
  t.deepEqual([...exhausted], []);
  t.true(translated > 1000, `${translated}`);
});
