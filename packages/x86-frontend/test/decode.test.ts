// IR1 per form: what the decoder reports for each instruction family. Expected values come
// from the Intel SDM's definition of each encoding; text is checked against objdump by the oracle suites.
import test from 'ava';
import { AF, CC_FLAGS as CC, CF, decodeInsn, DecodedInsn, DF, formatAtt, Mode, OF, Operand, PF, SF, ZF } from '../src/index';

function dec(hex: string, mode: Mode = 32, addr = 0x1000): DecodedInsn {
  return decodeInsn(Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex')), 0, addr, mode);
}
const reg = (r: number, size: number, high8?: boolean): Operand =>
  high8 ? { kind: 'reg', file: 'gpr', reg: r, size, high8 } : { kind: 'reg', file: 'gpr', reg: r, size };

test('ALU register form: operands in Intel order, sizes, flags', (t) => {
  const i = dec('01 d8'); // add %ebx,%eax
  t.is(i.op, 'ADD');
  t.deepEqual(i.operands, [reg(0, 32), reg(3, 32)]);
  t.is(i.length, 2);
  t.is(i.opSize, 32);
  t.is(i.addrSize, 32);
  t.is(i.flagsWritten, CC);
  t.is(i.flagsRead, 0);
  t.is(i.cf, 'next');
  t.is(i.cond, -1);
  t.is(i.mnemonic, 'add');
  t.is(formatAtt(i), 'add    %ebx,%eax');
});

test('ADC reads CF; INC leaves CF; logic ops leave AF undefined', (t) => {
  t.is(dec('11 c8').flagsRead, CF);
  t.is(dec('40').flagsWritten, CC & ~CF);
  const and = dec('21 c8');
  t.is(and.flagsWritten, CC);
  t.is(and.flagsUndefined, AF);
});

test('byte registers: AH..BH are 0..3 with high8', (t) => {
  const i = dec('88 e0'); // mov %ah,%al
  t.deepEqual(i.operands, [reg(0, 8), reg(0, 8, true)]);
  t.is(i.opSize, 8);
  t.is(formatAtt(i), 'mov    %ah,%al');
});

test('memory operand: base+disp8 on esp defaults to SS', (t) => {
  const i = dec('8b 44 24 08'); // mov 0x8(%esp),%eax
  t.deepEqual(i.operands[1], { kind: 'mem', seg: 2, segOverride: false, base: 4, index: -1, scale: 1, disp: 8, dispSize: 1, size: 32 });
  t.is(formatAtt(i), 'mov    0x8(%esp),%eax');
});

test('memory operand: SIB with index and scale, negative disp32', (t) => {
  const i = dec('8b 84 b3 f0 ff ff ff'); // mov -0x10(%ebx,%esi,4),%eax
  t.like(i.operands[1], { base: 3, index: 6, scale: 4, disp: -16, dispSize: 4, seg: 3 });
  t.is(formatAtt(i), 'mov    -0x10(%ebx,%esi,4),%eax');
});

test('segment override and absolute moffs', (t) => {
  const i = dec('65 a1 14 00 00 00'); // mov %gs:0x14,%eax
  t.like(i.operands[1], { kind: 'mem', seg: 5, segOverride: true, base: -1, index: -1, disp: 0x14, size: 32 });
  t.is(i.length, 6);
  t.is(formatAtt(i), 'mov    %gs:0x14,%eax');
});

test('LEA is address-only and keeps the %eiz form objdump prints', (t) => {
  const i = dec('8d 74 26 00');
  t.is(i.op, 'LEA');
  t.like(i.operands[1], { size: 0, base: 6, index: -1, eiz: true });
  t.is(formatAtt(i), 'lea    0x0(%esi,%eiz,1),%esi');
});

test('16-bit addressing with the 67 prefix', (t) => {
  const i = dec('67 8b 40 fe'); // mov -0x2(%bx,%si),%eax
  t.is(i.addrSize, 16);
  t.like(i.operands[1], { base: 3, index: 6, disp: -2, dispSize: 1, seg: 3 });
  t.is(formatAtt(i), 'mov    -0x2(%bx,%si),%eax');
  t.like(dec('67 8b 46 00').operands[1], { base: 5, index: -1, seg: 2 }); // [bp] defaults to SS
});

test('66 prefix: 16-bit operand size', (t) => {
  const i = dec('66 89 c8');
  t.is(i.opSize, 16);
  t.deepEqual(i.operands, [reg(0, 16), reg(1, 16)]);
  t.is(formatAtt(i), 'mov    %cx,%ax');
});

test('immediates are extended to the operand size, unsigned', (t) => {
  t.like(dec('83 e4 f0').operands[1], { kind: 'imm', value: 0xfffffff0, size: 32 });
  t.like(dec('66 83 e4 f0').operands[1], { kind: 'imm', value: 0xfff0, size: 16 });
  t.like(dec('6a ff').operands[0], { kind: 'imm', value: 0xffffffff, size: 32 });
  t.like(dec('b0 ff').operands[1], { kind: 'imm', value: 0xff, size: 8 });
  t.like(dec('c1 e0 05').operands[1], { kind: 'imm', value: 5, size: 8 });
  t.is(formatAtt(dec('83 e4 f0')), 'and    $0xfffffff0,%esp');
});

test('direct branches carry an absolute target and their class', (t) => {
  const call = dec('e8 fb ef ff ff', 32, 0x1000);
  t.is(call.op, 'CALL');
  t.is(call.cf, 'call');
  t.is(call.target, 0x1000 + 5 - 0x1005);
  t.is(dec('e9 00 00 00 80', 32, 0x80000000).target, 0x5); // wraps to 32 bits
  const je = dec('74 fe', 32, 0x2000);
  t.is(je.op, 'JCC');
  t.is(je.cond, 4);
  t.is(je.cf, 'jcc');
  t.is(je.target, 0x2000);
  t.is(je.flagsRead, ZF);
  t.is(formatAtt(je), 'je     2000');
  t.is(dec('0f 8f 00 01 00 00', 32, 0).target, 0x106);
  t.is(dec('eb 10', 32, 0).cf, 'jump');
});

test('conditional ops share one op with cond', (t) => {
  const set = dec('0f 94 c0');
  t.is(set.op, 'SETCC');
  t.is(set.cond, 4);
  t.deepEqual(set.operands, [reg(0, 8)]);
  const cmov = dec('0f 4f c1');
  t.is(cmov.op, 'CMOVCC');
  t.is(cmov.cond, 15);
  t.is(cmov.flagsRead, ZF | SF | OF);
  t.is(cmov.mnemonic, 'cmovg');
  t.is(dec('0f 92 c0').mnemonic, 'setb');
});

test('LOOP family and JCXZ', (t) => {
  t.like(dec('e2 fe', 32, 0x10), { op: 'LOOP', cf: 'jcc', target: 0x10 });
  t.like(dec('e1 fe', 32, 0x10), { op: 'LOOPE', flagsRead: ZF });
  t.like(dec('e0 fe', 32, 0x10), { op: 'LOOPNE', flagsRead: ZF });
  t.like(dec('e3 00', 32, 0x10), { op: 'JCXZ', target: 0x12, mnemonic: 'jecxz' });
  t.like(dec('67 e3 00', 32, 0x10), { op: 'JCXZ', addrSize: 16, mnemonic: 'jcxz' });
});

test('indirect branches, returns', (t) => {
  t.like(dec('ff e0'), { op: 'JMP', cf: 'jump-indirect', target: undefined });
  t.is(formatAtt(dec('ff e0')), 'jmp    *%eax');
  t.like(dec('ff 10'), { op: 'CALL', cf: 'call-indirect' });
  t.is(formatAtt(dec('ff 14 85 00 00 00 00')), 'call   *0x0(,%eax,4)');
  t.like(dec('c3'), { op: 'RET', cf: 'ret', length: 1 });
  t.like(dec('c2 04 00').operands[0], { kind: 'imm', value: 4, size: 16 });
});

test('int 0x80 is the syscall class; other traps are interrupts; popf/sti/pause end the TB', (t) => {
  t.like(dec('cd 80'), { op: 'INT', cf: 'syscall' });
  t.like(dec('cd 03'), { op: 'INT', cf: 'interrupt' });
  t.like(dec('cc'), { op: 'INT3', cf: 'interrupt' });
  t.like(dec('ce'), { op: 'INTO', cf: 'interrupt', flagsRead: OF });
  t.like(dec('0f 0b'), { op: 'UD2', cf: 'interrupt' });
  t.like(dec('f4'), { op: 'HLT', cf: 'interrupt' });
  t.like(dec('0f 34'), { op: 'SYSENTER', cf: 'syscall' });
  t.like(dec('9d'), { op: 'POPF', cf: 'tb-end' });
  t.like(dec('fb'), { op: 'STI', cf: 'tb-end' });
  t.like(dec('f3 90'), { op: 'PAUSE', cf: 'tb-end', rep: 'none' });
  t.like(dec('8e d0'), { op: 'MOV', cf: 'tb-end' }); // mov %eax,%ss
  t.like(dec('8e d8'), { op: 'MOV', cf: 'next' }); // mov %eax,%ds
  t.like(dec('17'), { op: 'POP', cf: 'tb-end' }); // pop %ss
});

test('string ops: rep kinds, DF read, implicit operands', (t) => {
  const stos = dec('f3 ab');
  t.like(stos, { op: 'STOS', rep: 'rep', opSize: 32, flagsRead: DF, mnemonic: 'rep stos' });
  t.like(stos.operands[0], { kind: 'mem', seg: 0, base: 7, size: 32 });
  t.is(formatAtt(stos), 'rep stos %eax,%es:(%edi)');
  const cmps = dec('f3 a6');
  t.like(cmps, { op: 'CMPS', rep: 'repe', opSize: 8, flagsRead: DF | ZF, flagsWritten: CC });
  t.is(formatAtt(cmps), 'repz cmpsb %es:(%edi),%ds:(%esi)');
  t.like(dec('f2 ae'), { op: 'SCAS', rep: 'repne' });
  t.like(dec('a5'), { op: 'MOVS', rep: 'none', mnemonic: 'movsl' });
  t.like(dec('ac'), { op: 'LODS', opSize: 8 });
});

test('HLE prefixes keep their op and are named as objdump does', (t) => {
  t.like(dec('f2 f0 01 18'), { op: 'ADD', lock: true, rep: 'none', mnemonic: 'xacquire lock add' });
  t.like(dec('f3 87 33'), { op: 'XCHG', mnemonic: 'xrelease xchg' });
});

test('lock prefix', (t) => {
  const i = dec('f0 0f b1 0a');
  t.like(i, { op: 'CMPXCHG', lock: true, mnemonic: 'lock cmpxchg' });
  t.is(formatAtt(i), 'lock cmpxchg %ecx,(%edx)');
  t.like(dec('f0 0f c7 0e'), { op: 'CMPXCHG8B', lock: true, flagsWritten: ZF });
});

test('NOP forms and xchg', (t) => {
  t.like(dec('90'), { op: 'NOP', length: 1 });
  t.is(formatAtt(dec('66 90')), 'xchg   %ax,%ax');
  t.like(dec('0f 1f 44 00 00'), { op: 'NOP', length: 5 });
  t.is(formatAtt(dec('0f 1f 44 00 00')), 'nopl   0x0(%eax,%eax,1)');
  t.is(formatAtt(dec('66 2e 0f 1f 84 00 00 00 00 00')), 'nopw   %cs:0x0(%eax,%eax,1)');
  t.is(formatAtt(dec('66 66 2e 0f 1f 84 00 00 00 00 00')), 'data16 nopw %cs:0x0(%eax,%eax,1)');
  t.like(dec('87 ca'), { op: 'XCHG' });
  t.like(dec('93'), { op: 'XCHG' });
});

test('MOVZX/MOVSX, CBW/CWD families: size in opSize, objdump names', (t) => {
  t.like(dec('0f b6 c0'), { op: 'MOVZX', opSize: 32, mnemonic: 'movzbl' });
  t.deepEqual(dec('0f b6 c0').operands, [reg(0, 32), reg(0, 8)]);
  t.like(dec('66 0f be c0'), { op: 'MOVSX', opSize: 16, mnemonic: 'movsbw' });
  t.like(dec('0f b7 00'), { mnemonic: 'movzwl' });
  t.like(dec('98'), { op: 'CBW', opSize: 32, mnemonic: 'cwtl' });
  t.like(dec('66 98'), { op: 'CBW', opSize: 16, mnemonic: 'cbtw' });
  t.like(dec('99'), { op: 'CWD', opSize: 32, mnemonic: 'cltd' });
});

test('shifts: the implicit count 1 is an operand but not printed; SAL is SHL', (t) => {
  const i = dec('d1 e0');
  t.is(i.op, 'SHL');
  t.like(i.operands[1], { kind: 'imm', value: 1 });
  t.is(formatAtt(i), 'shl    %eax');
  t.is(formatAtt(dec('d1 20')), 'shll   (%eax)');
  t.is(dec('d1 f0').op, 'SHL');
  t.is(formatAtt(dec('d3 f8')), 'sar    %cl,%eax');
  t.like(dec('0f a4 c2 04'), { op: 'SHLD' });
  t.is(formatAtt(dec('0f a4 c2 04')), 'shld   $0x4,%eax,%edx');
});

test('bit ops: BT leaves ZF alone, BSF defines only ZF', (t) => {
  t.like(dec('0f a3 c2'), { op: 'BT', flagsWritten: CF | PF | AF | SF | OF, flagsUndefined: PF | AF | SF | OF });
  t.like(dec('0f ba e0 03'), { op: 'BT' });
  t.like(dec('0f bc c1'), { op: 'BSF', flagsWritten: CC, flagsUndefined: CC & ~ZF });
});

test('group 3: MUL/DIV operand lists and flags', (t) => {
  const mul = dec('f7 e1');
  t.like(mul, { op: 'MUL', flagsWritten: CC, flagsUndefined: PF | AF | ZF | SF });
  t.deepEqual(mul.operands, [reg(1, 32)]);
  t.like(dec('f7 f9'), { op: 'IDIV', flagsUndefined: CC });
  t.like(dec('f6 c1 01'), { op: 'TEST', opSize: 8 });
  t.is(formatAtt(dec('f6 00 01')), 'testb  $0x1,(%eax)');
});

test('segment register moves, push/pop of segments, ENTER', (t) => {
  t.deepEqual(dec('8c e8').operands, [reg(0, 32), { kind: 'reg', file: 'seg', reg: 5, size: 16 }]);
  t.is(formatAtt(dec('8c e8')), 'mov    %gs,%eax');
  t.like(dec('8c 00').operands[0], { kind: 'mem', size: 16 });
  t.is(formatAtt(dec('8e d8')), 'mov    %eax,%ds');
  t.like(dec('0f a8'), { op: 'PUSH' });
  t.is(formatAtt(dec('c8 08 00 00')), 'enter  $0x8,$0x0');
});

test('x87: one op per operation, memory sizes, AT&T sub/subr swap', (t) => {
  const fld = dec('dd 44 24 04');
  t.is(fld.op, 'FLD');
  t.like(fld.operands[0], { kind: 'mem', size: 64 });
  t.is(formatAtt(fld), 'fldl   0x4(%esp)');
  t.like(dec('db 2c 24').operands[0], { size: 80 });
  t.like(dec('df 3c 24'), { op: 'FISTP' });
  t.like(dec('df 3c 24').operands[0], { size: 64 });
  const fsubp = dec('de e9'); // Intel FSUBP st(1), st(0) = AT&T fsubrp
  t.is(fsubp.op, 'FSUBP');
  t.is(formatAtt(fsubp), 'fsubrp %st,%st(1)');
  t.deepEqual(dec('d9 c9').operands, [{ kind: 'reg', file: 'x87', reg: 1, size: 80 }]);
  t.like(dec('da c1'), { op: 'FCMOVCC', cond: 2, flagsRead: CF });
  t.like(dec('9b df e0'), { op: 'FSTSW', length: 3 });
  t.like(dec('9b dd d8'), { op: 'FSTP', length: 3, mnemonic: 'fstp' }); // FWAIT folded in, as objdump shows it
  t.like(dec('9b 90'), { op: 'WAIT', length: 1 });
  t.is(formatAtt(dec('df e0')), 'fnstsw %ax');
});

test('SSE: mandatory prefixes choose the form and are not operand-size prefixes', (t) => {
  const movsd = dec('f2 0f 10 44 24 04');
  t.like(movsd, { op: 'MOVSD', rep: 'none', length: 6 });
  t.like(movsd.operands[1], { kind: 'mem', size: 64 });
  t.deepEqual(dec('66 0f ef c1').operands, [{ kind: 'reg', file: 'xmm', reg: 0, size: 128 }, { kind: 'reg', file: 'xmm', reg: 1, size: 128 }]);
  t.is(dec('66 0f 7e c0').operands[0].kind === 'reg' && (dec('66 0f 7e c0').operands[0] as { size: number }).size, 32);
  t.like(dec('0f ef c1'), { op: 'PXOR' });
  t.like(dec('0f ef c1').operands[0], { file: 'mmx' });
  t.like(dec('66 0f 2e c1'), { op: 'UCOMISD', flagsWritten: CC });
  t.like(dec('f3 0f b8 c1'), { op: 'POPCNT', rep: 'none' });
  t.like(dec('0f bc c1'), { op: 'BSF' });
  t.like(dec('f3 0f bc c1'), { op: 'TZCNT' });
});

test('64-bit mode: REX, rip-relative, imm64, default 64-bit stack ops', (t) => {
  t.deepEqual(dec('48 89 e5', 64).operands, [reg(5, 64), reg(4, 64)]);
  t.like(dec('41 50', 64), { op: 'PUSH', opSize: 64 });
  t.deepEqual(dec('41 50', 64).operands, [reg(8, 64)]);
  const lea = dec('48 8d 05 10 00 00 00', 64, 0x100);
  t.like(lea.operands[1], { ripRelative: true, disp: 0x10, base: -1 });
  t.is(formatAtt(lea), 'lea    0x10(%rip),%rax        # 117');
  const movabs = dec('48 b8 88 77 66 55 44 33 22 11', 64);
  t.like(movabs.operands[1], { kind: 'imm', value: 0x55667788, hi: 0x11223344, size: 64 });
  t.is(formatAtt(movabs), 'movabs $0x1122334455667788,%rax');
  t.like(dec('48 c7 c0 ff ff ff ff', 64).operands[1], { value: 0xffffffff, hi: 0xffffffff, size: 64 });
  t.deepEqual(dec('40 88 f0', 64).operands, [reg(0, 8), reg(6, 8)]); // %sil with REX
  t.is(formatAtt(dec('40 88 f0', 64)), 'mov    %sil,%al');
  t.like(dec('0f 05', 64), { op: 'SYSCALL', cf: 'syscall' });
  t.like(dec('48 63 c7', 64), { op: 'MOVSXD', mnemonic: 'movslq' });
});

test('VEX and EVEX: length, vector width, masks', (t) => {
  const v = dec('c5 fd 74 0f', 64);
  t.like(v, { op: 'PCMPEQB', length: 4 });
  t.is(formatAtt(v), 'vpcmpeqb (%rdi),%ymm0,%ymm1');
  const e = dec('62 a1 65 a1 da da', 64);
  t.like(e, { op: 'PMINUB', length: 6, opmask: 1, zeroing: true });
  t.is(formatAtt(e), 'vpminub %ymm18,%ymm19,%ymm19{%k1}{z}');
  t.like(dec('62 e1 fe 28 6f 4e 01', 64).operands[1], { disp: 32 }); // disp8 * 32
  t.like(dec('c5 f8 77', 64), { op: 'VZEROUPPER', length: 3 });
  t.is(dec('c4 e2 42 f7 c0', 64).op, 'SARX');
  t.like(dec('c4 e2 f1 a9 c2', 64), { op: 'VFMADD', mnemonic: 'vfmadd213sd' });
  const er = dec('62 f2 fd 18 a8 d1', 64); // vfmadd213pd {rn-sae},%zmm1,%zmm0,%zmm2
  t.like(er, { op: 'VFMADD', rounding: 0 });
  t.like(er.operands[0], { file: 'zmm', reg: 2, size: 512 });
  t.is(formatAtt(er), 'vfmadd213pd {rn-sae},%zmm1,%zmm0,%zmm2');
  t.like(dec('62 71 7c 48 10 06', 64).operands[0], { file: 'zmm', reg: 8 }); // vmovups (%rsi),%zmm8
  t.like(dec('c4 e2 71 a9 00').operands[2], { kind: 'mem', size: 32 }); // VEX.W0: ss, also in 32-bit mode
  t.like(dec('c4 e2 f1 a9 00').operands[2], { kind: 'mem', size: 64 }); // VEX.W1: sd
});

test('in 32-bit mode C4/C5/62 with a memory ModRM are LES/LDS/BOUND', (t) => {
  t.like(dec('c4 00'), { op: 'LES', length: 2 });
  t.like(dec('c5 00'), { op: 'LDS', length: 2 });
  t.like(dec('62 00'), { op: 'BOUND', length: 2 });
  t.like(dec('c5 f9 ef c0'), { op: 'PXOR', length: 4 });
});
