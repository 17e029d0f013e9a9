/**
 * MMX and SSE..SSE4.2 rows (0F, 0F38, 0F3A maps). Each opcode lists its forms by mandatory
 * prefix ('none' = MMX or packed-single form, '66', 'F3', 'F2'). The AT&T mnemonic is the op
 * name in lower case unless a row gives a template.
 */
import type { InsnRowDef, MandatoryPrefix, OpMap } from './insn-row';
import type { X86Op } from './op-info';
import type { OperandSpec } from './operand-types';
import { row } from './table-integer';

type Form = readonly [MandatoryPrefix, X86Op, readonly OperandSpec[], string?, Partial<Pick<InsnRowDef, 'mod' | 'reg' | 'rexW' | 'mode'>>?];

const rows: InsnRowDef[] = [];
function forms(map: OpMap, opcode: number, list: readonly Form[]): void {
  for (const [prefix, op, operands, att, extra] of list) {
    const predicates = att?.includes('%M') ? 'sse' : undefined;
    rows.push(row(map, opcode, op, operands, att ?? op.toLowerCase(), { prefix, predicates, ...extra }));
  }
}
/** an MMX form (none) and its SSE2 twin (66) */
function mmxSse(map: OpMap, opcode: number, op: X86Op, mmx: readonly OperandSpec[] = ['Pq', 'Qq'], sse: readonly OperandSpec[] = ['Vx', 'Wx']): void {
  forms(map, opcode, [['none', op, mmx], ['66', op, sse]]);
}
/** packed single/double and scalar single/double forms of one arithmetic op */
function psPdSsSd(opcode: number, base: string): void {
  const up = base.toUpperCase();
  forms('0f', opcode, [
    ['none', `${up}PS` as X86Op, ['Vx', 'Wx']], ['66', `${up}PD` as X86Op, ['Vx', 'Wx']],
    ['F3', `${up}SS` as X86Op, ['Vx', 'Wd']], ['F2', `${up}SD` as X86Op, ['Vx', 'Wq']],
  ]);
}

forms('0f', 0x10, [['none', 'MOVUPS', ['Vx', 'Wx']], ['66', 'MOVUPD', ['Vx', 'Wx']], ['F3', 'MOVSS', ['Vx', 'Wd']], ['F2', 'MOVSD', ['Vx', 'Wq']]]);
forms('0f', 0x11, [['none', 'MOVUPS', ['Wx', 'Vx']], ['66', 'MOVUPD', ['Wx', 'Vx']], ['F3', 'MOVSS', ['Wd', 'Vx']], ['F2', 'MOVSD', ['Wq', 'Vx']]]);
forms('0f', 0x12, [['none', 'MOVLPS', ['Vx', 'Mq']], ['none', 'MOVHLPS', ['Vx', 'Ux']], ['66', 'MOVLPD', ['Vx', 'Mq']],
  ['F3', 'MOVSLDUP', ['Vx', 'Wx']], ['F2', 'MOVDDUP', ['Vx', 'Wq']]]);
forms('0f', 0x13, [['none', 'MOVLPS', ['Mq', 'Vx']], ['66', 'MOVLPD', ['Mq', 'Vx']]]);
forms('0f', 0x14, [['none', 'UNPCKLPS', ['Vx', 'Wx']], ['66', 'UNPCKLPD', ['Vx', 'Wx']]]);
forms('0f', 0x15, [['none', 'UNPCKHPS', ['Vx', 'Wx']], ['66', 'UNPCKHPD', ['Vx', 'Wx']]]);
forms('0f', 0x16, [['none', 'MOVHPS', ['Vx', 'Mq']], ['none', 'MOVLHPS', ['Vx', 'Ux']], ['66', 'MOVHPD', ['Vx', 'Mq']],
  ['F3', 'MOVSHDUP', ['Vx', 'Wx']]]);
forms('0f', 0x17, [['none', 'MOVHPS', ['Mq', 'Vx']], ['66', 'MOVHPD', ['Mq', 'Vx']]]);
forms('0f', 0x28, [['none', 'MOVAPS', ['Vx', 'Wx']], ['66', 'MOVAPD', ['Vx', 'Wx']]]);
forms('0f', 0x29, [['none', 'MOVAPS', ['Wx', 'Vx']], ['66', 'MOVAPD', ['Wx', 'Vx']]]);
forms('0f', 0x2a, [['none', 'CVTPI2PS', ['Vx', 'Qq']], ['66', 'CVTPI2PD', ['Vx', 'Qq']],
  ['F3', 'CVTSI2SS', ['Vx', 'Ey'], 'cvtsi2ss%Y'], ['F2', 'CVTSI2SD', ['Vx', 'Ey'], 'cvtsi2sd%Y']]);
forms('0f', 0x2b, [['none', 'MOVNTPS', ['Mx', 'Vx']], ['66', 'MOVNTPD', ['Mx', 'Vx']]]);
forms('0f', 0x2c, [['none', 'CVTTPS2PI', ['Pq', 'Wq']], ['66', 'CVTTPD2PI', ['Pq', 'Wx']],
  ['F3', 'CVTTSS2SI', ['Gy', 'Wd']], ['F2', 'CVTTSD2SI', ['Gy', 'Wq']]]);
forms('0f', 0x2d, [['none', 'CVTPS2PI', ['Pq', 'Wq']], ['66', 'CVTPD2PI', ['Pq', 'Wx']],
  ['F3', 'CVTSS2SI', ['Gy', 'Wd']], ['F2', 'CVTSD2SI', ['Gy', 'Wq']]]);
forms('0f', 0x2e, [['none', 'UCOMISS', ['Vx', 'Wd']], ['66', 'UCOMISD', ['Vx', 'Wq']]]);
forms('0f', 0x2f, [['none', 'COMISS', ['Vx', 'Wd']], ['66', 'COMISD', ['Vx', 'Wq']]]);
forms('0f', 0x50, [['none', 'MOVMSKPS', ['Gd', 'Ux']], ['66', 'MOVMSKPD', ['Gd', 'Ux']]]);
forms('0f', 0x51, [['none', 'SQRTPS', ['Vx', 'Wx']], ['66', 'SQRTPD', ['Vx', 'Wx']], ['F3', 'SQRTSS', ['Vx', 'Wd']], ['F2', 'SQRTSD', ['Vx', 'Wq']]]);
forms('0f', 0x52, [['none', 'RSQRTPS', ['Vx', 'Wx']], ['F3', 'RSQRTSS', ['Vx', 'Wd']]]);
forms('0f', 0x53, [['none', 'RCPPS', ['Vx', 'Wx']], ['F3', 'RCPSS', ['Vx', 'Wd']]]);
forms('0f', 0x54, [['none', 'ANDPS', ['Vx', 'Wx']], ['66', 'ANDPD', ['Vx', 'Wx']]]);
forms('0f', 0x55, [['none', 'ANDNPS', ['Vx', 'Wx']], ['66', 'ANDNPD', ['Vx', 'Wx']]]);
forms('0f', 0x56, [['none', 'ORPS', ['Vx', 'Wx']], ['66', 'ORPD', ['Vx', 'Wx']]]);
forms('0f', 0x57, [['none', 'XORPS', ['Vx', 'Wx']], ['66', 'XORPD', ['Vx', 'Wx']]]);
psPdSsSd(0x58, 'add');
psPdSsSd(0x59, 'mul');
psPdSsSd(0x5c, 'sub');
psPdSsSd(0x5d, 'min');
psPdSsSd(0x5e, 'div');
psPdSsSd(0x5f, 'max');
forms('0f', 0x5a, [['none', 'CVTPS2PD', ['Vx', 'Wq']], ['66', 'CVTPD2PS', ['Vo', 'Wx'], 'cvtpd2ps%X'], ['F3', 'CVTSS2SD', ['Vx', 'Wd']], ['F2', 'CVTSD2SS', ['Vx', 'Wq']]]);
forms('0f', 0x5b, [['none', 'CVTDQ2PS', ['Vx', 'Wx']], ['66', 'CVTPS2DQ', ['Vx', 'Wx']], ['F3', 'CVTTPS2DQ', ['Vx', 'Wx']]]);
const MMX_60: readonly X86Op[] = ['PUNPCKLBW', 'PUNPCKLWD', 'PUNPCKLDQ', 'PACKSSWB', 'PCMPGTB', 'PCMPGTW', 'PCMPGTD', 'PACKUSWB',
  'PUNPCKHBW', 'PUNPCKHWD', 'PUNPCKHDQ', 'PACKSSDW'];
MMX_60.forEach((op, i) => mmxSse('0f', 0x60 + i, op, i < 3 ? ['Pq', 'Qd'] : ['Pq', 'Qq']));
forms('0f', 0x6c, [['66', 'PUNPCKLQDQ', ['Vx', 'Wx']]]);
forms('0f', 0x6d, [['66', 'PUNPCKHQDQ', ['Vx', 'Wx']]]);
forms('0f', 0x6e, [['none', 'MOVD', ['Pq', 'Ey'], '{movd|movd|movq}'], ['66', 'MOVD', ['Vx', 'Ey'], '{movd|movd|movq}']]);
forms('0f', 0x6f, [['none', 'MOVQ', ['Pq', 'Qq']], ['66', 'MOVDQA', ['Vx', 'Wx']], ['F3', 'MOVDQU', ['Vx', 'Wx']]]);
forms('0f', 0x70, [['none', 'PSHUFW', ['Pq', 'Qq', 'Ib']], ['66', 'PSHUFD', ['Vx', 'Wx', 'Ib']], ['F3', 'PSHUFHW', ['Vx', 'Wx', 'Ib']],
  ['F2', 'PSHUFLW', ['Vx', 'Wx', 'Ib']]]);
const SHIFT_IMM: readonly (readonly [number, number, X86Op, boolean])[] = [
  [0x71, 2, 'PSRLW', true], [0x71, 4, 'PSRAW', true], [0x71, 6, 'PSLLW', true],
  [0x72, 2, 'PSRLD', true], [0x72, 4, 'PSRAD', true], [0x72, 6, 'PSLLD', true],
  [0x73, 2, 'PSRLQ', true], [0x73, 3, 'PSRLDQ', false], [0x73, 6, 'PSLLQ', true], [0x73, 7, 'PSLLDQ', false],
];
for (const [opc, reg, op, mmx] of SHIFT_IMM) {
  if (mmx) forms('0f', opc, [['none', op, ['Nq', 'Ib'], undefined, { reg, mod: 'reg' }]]);
  forms('0f', opc, [['66', op, ['Ux', 'Ib'], undefined, { reg, mod: 'reg' }]]);
}
mmxSse('0f', 0x74, 'PCMPEQB');
mmxSse('0f', 0x75, 'PCMPEQW');
mmxSse('0f', 0x76, 'PCMPEQD');
forms('0f', 0x77, [['none', 'EMMS', []]]);
forms('0f', 0x7c, [['66', 'HADDPD', ['Vx', 'Wx']], ['F2', 'HADDPS', ['Vx', 'Wx']]]);
forms('0f', 0x7d, [['66', 'HSUBPD', ['Vx', 'Wx']], ['F2', 'HSUBPS', ['Vx', 'Wx']]]);
forms('0f', 0x7e, [['none', 'MOVD', ['Ey', 'Pq'], '{movd|movd|movq}'], ['66', 'MOVD', ['Ey', 'Vx'], '{movd|movd|movq}'],
  ['F3', 'MOVQ', ['Vx', 'Wq']]]);
forms('0f', 0x7f, [['none', 'MOVQ', ['Qq', 'Pq']], ['66', 'MOVDQA', ['Wx', 'Vx']], ['F3', 'MOVDQU', ['Wx', 'Vx']]]);
forms('0f', 0xc2, [['none', 'CMPPS', ['Vx', 'Wx', 'Ib'], 'cmp%Mps'], ['66', 'CMPPD', ['Vx', 'Wx', 'Ib'], 'cmp%Mpd'],
  ['F3', 'CMPSS', ['Vx', 'Wd', 'Ib'], 'cmp%Mss'], ['F2', 'CMPSD', ['Vx', 'Wq', 'Ib'], 'cmp%Msd']]);
forms('0f', 0xc3, [['none', 'MOVNTI', ['My', 'Gy'], 'movnti%S']]);
forms('0f', 0xc4, [['none', 'PINSRW', ['Pq', 'Edw', 'Ib']], ['66', 'PINSRW', ['Vx', 'Edw', 'Ib']]]);
forms('0f', 0xc5, [['none', 'PEXTRW', ['Gd', 'Nq', 'Ib']], ['66', 'PEXTRW', ['Gd', 'Ux', 'Ib']]]);
forms('0f', 0xc6, [['none', 'SHUFPS', ['Vx', 'Wx', 'Ib']], ['66', 'SHUFPD', ['Vx', 'Wx', 'Ib']]]);
forms('0f', 0xd0, [['66', 'ADDSUBPD', ['Vx', 'Wx']], ['F2', 'ADDSUBPS', ['Vx', 'Wx']]]);
forms('0f', 0xd6, [['66', 'MOVQ', ['Wq', 'Vx']], ['F3', 'MOVQ2DQ', ['Vx', 'Nq']], ['F2', 'MOVDQ2Q', ['Pq', 'Ux']]]);
forms('0f', 0xd7, [['none', 'PMOVMSKB', ['Gd', 'Nq']], ['66', 'PMOVMSKB', ['Gd', 'Ux']]]);
// the packed-double narrowing conversions write an xmm whatever the source width
forms('0f', 0xe6, [['66', 'CVTTPD2DQ', ['Vo', 'Wx'], 'cvttpd2dq%X'], ['F3', 'CVTDQ2PD', ['Vx', 'Wq']],
  ['F2', 'CVTPD2DQ', ['Vo', 'Wx'], 'cvtpd2dq%X']]);
forms('0f', 0xe7, [['none', 'MOVNTQ', ['Mq', 'Pq']], ['66', 'MOVNTDQ', ['Mx', 'Vx']]]);
forms('0f', 0xf0, [['F2', 'LDDQU', ['Vx', 'Mx']]]);
forms('0f', 0xf7, [['none', 'MASKMOVQ', ['Pq', 'Nq']], ['66', 'MASKMOVDQU', ['Vx', 'Ux']]]);
// 0F D1-FE: MMX/SSE2 integer arithmetic, in opcode order (undefined slots skipped)
const MMX_D0: readonly (X86Op | undefined)[] = [
  undefined, 'PSRLW', 'PSRLD', 'PSRLQ', 'PADDQ', 'PMULLW', undefined, undefined,
  'PSUBUSB', 'PSUBUSW', 'PMINUB', 'PAND', 'PADDUSB', 'PADDUSW', 'PMAXUB', 'PANDN',
  'PAVGB', 'PSRAW', 'PSRAD', 'PAVGW', 'PMULHUW', 'PMULHW', undefined, undefined,
  'PSUBSB', 'PSUBSW', 'PMINSW', 'POR', 'PADDSB', 'PADDSW', 'PMAXSW', 'PXOR',
  undefined, 'PSLLW', 'PSLLD', 'PSLLQ', 'PMULUDQ', 'PMADDWD', 'PSADBW', undefined,
  'PSUBB', 'PSUBW', 'PSUBD', 'PSUBQ', 'PADDB', 'PADDW', 'PADDD', undefined,
];
/** shifts by a register count: the count is the low quadword of an xmm whatever the vector width */
const SHIFT_BY_REG = new Set<X86Op>(['PSRLW', 'PSRLD', 'PSRLQ', 'PSRAW', 'PSRAD', 'PSLLW', 'PSLLD', 'PSLLQ']);
MMX_D0.forEach((op, i) => op && mmxSse('0f', 0xd0 + i, op, ['Pq', 'Qq'], SHIFT_BY_REG.has(op) ? ['Vx', 'Wo'] : ['Vx', 'Wx']));

// 0F 38: SSSE3 (MMX and 66 forms), SSE4.1/4.2 (66), movbe, crc32
const SSSE3: readonly (readonly [number, X86Op])[] = [
  [0x00, 'PSHUFB'], [0x01, 'PHADDW'], [0x02, 'PHADDD'], [0x03, 'PHADDSW'], [0x04, 'PMADDUBSW'], [0x05, 'PHSUBW'],
  [0x06, 'PHSUBD'], [0x07, 'PHSUBSW'], [0x08, 'PSIGNB'], [0x09, 'PSIGNW'], [0x0a, 'PSIGND'], [0x0b, 'PMULHRSW'],
  [0x1c, 'PABSB'], [0x1d, 'PABSW'], [0x1e, 'PABSD'],
];
for (const [opc, op] of SSSE3) mmxSse('0f38', opc, op);
const SSE41_38: readonly (readonly [number, X86Op, OperandSpec?])[] = [
  [0x10, 'PBLENDVB'], [0x14, 'BLENDVPS'], [0x15, 'BLENDVPD'], [0x17, 'PTEST'],
  [0x20, 'PMOVSXBW', 'Wq'], [0x21, 'PMOVSXBD', 'Wd'], [0x22, 'PMOVSXBQ', 'Ww'], [0x23, 'PMOVSXWD', 'Wq'],
  [0x24, 'PMOVSXWQ', 'Wd'], [0x25, 'PMOVSXDQ', 'Wq'], [0x28, 'PMULDQ'], [0x29, 'PCMPEQQ'], [0x2a, 'MOVNTDQA', 'Mx'],
  [0x2b, 'PACKUSDW'], [0x30, 'PMOVZXBW', 'Wq'], [0x31, 'PMOVZXBD', 'Wd'], [0x32, 'PMOVZXBQ', 'Ww'],
  [0x33, 'PMOVZXWD', 'Wq'], [0x34, 'PMOVZXWQ', 'Wd'], [0x35, 'PMOVZXDQ', 'Wq'], [0x37, 'PCMPGTQ'],
  [0x38, 'PMINSB'], [0x39, 'PMINSD'], [0x3a, 'PMINUW'], [0x3b, 'PMINUD'], [0x3c, 'PMAXSB'], [0x3d, 'PMAXSD'],
  [0x3e, 'PMAXUW'], [0x3f, 'PMAXUD'], [0x40, 'PMULLD'], [0x41, 'PHMINPOSUW'],
  [0xdb, 'AESIMC'], [0xdc, 'AESENC'], [0xdd, 'AESENCLAST'], [0xde, 'AESDEC'], [0xdf, 'AESDECLAST'],
];
for (const [opc, op, src] of SSE41_38) {
  const blend = opc >= 0x10 && opc <= 0x15;
  forms('0f38', opc, [['66', op, blend ? ['Vx', 'Wx', 'XMM0'] : ['Vx', src ?? 'Wx']]]);
}
// crc32 names the source size only when the source is memory
forms('0f38', 0xf0, [['none', 'MOVBE', ['Gv', 'Mv'], 'movbe%S'], ['F2', 'CRC32', ['Gy', 'Eb'], 'crc32', { mod: 'reg' }],
  ['F2', 'CRC32', ['Gy', 'Eb'], 'crc32b']]);
forms('0f38', 0xf1, [['none', 'MOVBE', ['Mv', 'Gv'], 'movbe%S'], ['F2', 'CRC32', ['Gy', 'Ev'], 'crc32', { mod: 'reg' }],
  ['F2', 'CRC32', ['Gy', 'Ev'], 'crc32%L']]);
forms('0f38', 0xf6, [['66', 'ADCX', ['Gy', 'Ey']], ['F3', 'ADOX', ['Gy', 'Ey']]]);
// movbe with 66 is the 16-bit form (the prefix is an operand size here, not a mandatory prefix);
// after the F2 rows, so that 66 F2 stays crc32w
rows.push(row('0f38', 0xf0, 'MOVBE', ['Gv', 'Mv'], 'movbe%S', { need66: true }));
rows.push(row('0f38', 0xf1, 'MOVBE', ['Mv', 'Gv'], 'movbe%S', { need66: true }));

// 0F 3A: SSE4.1/4.2 with an 8-bit immediate
mmxSse('0f3a', 0x0f, 'PALIGNR', ['Pq', 'Qq', 'Ib'], ['Vx', 'Wx', 'Ib']);
const SSE41_3A: readonly (readonly [number, X86Op, readonly OperandSpec[]])[] = [
  [0x08, 'ROUNDPS', ['Vx', 'Wx', 'Ib']], [0x09, 'ROUNDPD', ['Vx', 'Wx', 'Ib']], [0x0a, 'ROUNDSS', ['Vx', 'Wd', 'Ib']],
  [0x0b, 'ROUNDSD', ['Vx', 'Wq', 'Ib']], [0x0c, 'BLENDPS', ['Vx', 'Wx', 'Ib']], [0x0d, 'BLENDPD', ['Vx', 'Wx', 'Ib']],
  [0x0e, 'PBLENDW', ['Vx', 'Wx', 'Ib']], [0x14, 'PEXTRB', ['Edb', 'Vx', 'Ib']], [0x15, 'PEXTRW', ['Edw', 'Vx', 'Ib']],
  [0x17, 'EXTRACTPS', ['Ed', 'Vx', 'Ib']], [0x20, 'PINSRB', ['Vx', 'Edb', 'Ib']], [0x21, 'INSERTPS', ['Vx', 'Wd', 'Ib']],
  [0x40, 'DPPS', ['Vx', 'Wx', 'Ib']], [0x41, 'DPPD', ['Vx', 'Wx', 'Ib']], [0x42, 'MPSADBW', ['Vx', 'Wx', 'Ib']],
 [0x60, 'PCMPESTRM', ['Vx', 'Wx', 'Ib']], [0x61, 'PCMPESTRI', ['Vx', 'Wx', 'Ib']],
  [0x62, 'PCMPISTRM', ['Vx', 'Wx', 'Ib']], [0x63, 'PCMPISTRI', ['Vx', 'Wx', 'Ib']], [0xdf, 'AESKEYGENASSIST', ['Vx', 'Wx', 'Ib']],
];
for (const [opc, op, operands] of SSE41_3A) forms('0f3a', opc, [['66', op, operands]]);
rows.push(row('0f3a', 0x44, 'PCLMULQDQ', ['Vx', 'Wx', 'Ib'], 'pclmul%Mdq', { prefix: '66', predicates: 'clmul' }));
forms('0f3a', 0x16, [['66', 'PEXTRQ', ['Ey', 'Vx', 'Ib'], undefined, { rexW: true, mode: 64 }], ['66', 'PEXTRD', ['Ey', 'Vx', 'Ib']]]);
forms('0f3a', 0x22, [['66', 'PINSRQ', ['Vx', 'Ey', 'Ib'], undefined, { rexW: true, mode: 64 }], ['66', 'PINSRD', ['Vx', 'Ey', 'Ib']]]);

export const SSE_ROWS: readonly InsnRowDef[] = rows;
