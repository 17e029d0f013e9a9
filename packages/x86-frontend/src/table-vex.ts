/**
 * VEX rows (AVX/AVX2/BMI) and EVEX rows (the AVX-512 forms glibc uses). Most VEX rows are
 * derived from the SSE rows: the same map/opcode/prefix with a 'v' mnemonic and, for ops
 * that read their destination, the VEX.vvvv register (H) as the first source.
 */
import type { InsnRowDef, OpMap } from './insn-row';
import type { X86Op } from './op-info';
import type { OperandSpec } from './operand-types';
import { SSE_ROWS } from './table-sse';
import { row } from './table-integer';

type Extra = Omit<Partial<InsnRowDef>, 'map' | 'opcode' | 'op' | 'operands' | 'att'>;
const rows: InsnRowDef[] = [];

/** SSE ops whose VEX form has no vvvv source (moves, unary ops, compares into flags, extracts). */
const NO_NDS = new Set<X86Op>([
  'MOVUPS', 'MOVUPD', 'MOVAPS', 'MOVAPD', 'MOVDQA', 'MOVDQU', 'MOVD', 'MOVQ', 'MOVMSKPS', 'MOVMSKPD', 'PMOVMSKB',
  'MOVNTPS', 'MOVNTPD', 'MOVNTDQ', 'MOVNTDQA', 'LDDQU', 'MOVDDUP', 'MOVSLDUP', 'MOVSHDUP', 'UCOMISS', 'UCOMISD',
  'COMISS', 'COMISD', 'PTEST', 'PSHUFD', 'PSHUFHW', 'PSHUFLW', 'PABSB', 'PABSW', 'PABSD', 'PMOVSXBW', 'PMOVSXBD',
  'PMOVSXBQ', 'PMOVSXWD', 'PMOVSXWQ', 'PMOVSXDQ', 'PMOVZXBW', 'PMOVZXBD', 'PMOVZXBQ', 'PMOVZXWD', 'PMOVZXWQ',
  'PMOVZXDQ', 'CVTDQ2PS', 'CVTPS2DQ', 'CVTTPS2DQ', 'CVTDQ2PD', 'CVTPD2DQ', 'CVTTPD2DQ', 'CVTPS2PD', 'CVTPD2PS',
  'CVTTSS2SI', 'CVTTSD2SI', 'CVTSS2SI', 'CVTSD2SI', 'SQRTPS', 'SQRTPD', 'RSQRTPS', 'RCPPS', 'ROUNDPS', 'ROUNDPD',
  'PHMINPOSUW', 'PEXTRB', 'PEXTRW', 'PEXTRD', 'PEXTRQ', 'EXTRACTPS', 'PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI',
  'PCMPISTRM', 'AESIMC', 'AESKEYGENASSIST', 'MASKMOVDQU',
]);
/** SSE ops with no VEX form (MMX-only, legacy blends with implicit xmm0, integer helpers) */
const NO_VEX = new Set<X86Op>(['PBLENDVB', 'BLENDVPS', 'BLENDVPD', 'MOVNTI', 'CRC32', 'MOVBE', 'ADCX', 'ADOX', 'MOVQ2DQ', 'MOVDQ2Q']);
const SHIFT_IMM = new Set<X86Op>(['PSRLW', 'PSRAW', 'PSLLW', 'PSRLD', 'PSRAD', 'PSLLD', 'PSRLQ', 'PSRLDQ', 'PSLLQ', 'PSLLDQ']);
const MMX_LETTERS = /^[PQN]/;

for (const r of SSE_ROWS) {
  if (r.prefix === undefined || r.operands.length === 0 || NO_VEX.has(r.op) || r.operands.some((o) => MMX_LETTERS.test(o))) continue;
  const base = { prefix: r.prefix, reg: r.reg, mod: r.mod, rexW: r.rexW, mode: r.mode, vex: 'vex' as const, predicates: r.predicates === 'sse' ? ('avx' as const) : r.predicates };
  const att = 'v' + r.att;
  // scalar single/double ops work on xmm registers whatever VEX.L says
  const scalar = /S[SD]$/.test(r.op) && r.operands.some((o) => o === 'Wd' || o === 'Wq' || o === 'Ey');
  const [dst, ...src] = scalar ? r.operands.map((o) => (o === 'Vx' ? 'Vo' : o === 'Ux' ? 'Uo' : o)) : r.operands;
  if (SHIFT_IMM.has(r.op) && r.reg !== undefined) {
    rows.push(row(r.map, r.opcode, r.op, ['Hx', ...r.operands], att, base));
  } else if ((r.op === 'MOVSS' || r.op === 'MOVSD') && r.map === '0f') {
    // memory forms move one element; register forms merge with vvvv
    const store = dst[0] === 'W';
    rows.push(row(r.map, r.opcode, r.op, store ? [r.op === 'MOVSS' ? 'Md' : 'Mq', src[0]] : [dst, r.op === 'MOVSS' ? 'Md' : 'Mq'], att, { ...base, mod: 'mem' }));
    rows.push(row(r.map, r.opcode, r.op, store ? ['Uo', 'Ho', src[0]] : [dst, 'Ho', 'Uo'], att, { ...base, mod: 'reg' }));
  } else if (NO_NDS.has(r.op) || dst[0] === 'M' || (dst[0] === 'W' && r.op !== 'PEXTRW')) {
    rows.push(row(r.map, r.opcode, r.op, [dst, ...src], att, base));
  } else {
    rows.push(row(r.map, r.opcode, r.op, [dst, scalar ? 'Ho' : 'Hx', ...src], att, base));
  }
}

const vex = (map: OpMap, opcode: number, op: X86Op, operands: readonly OperandSpec[], att: string, extra: Extra): void => {
  rows.push(row(map, opcode, op, operands, att, { vex: 'vex', ...extra }));
};
vex('0f', 0x77, 'VZEROUPPER', [], 'vzeroupper', { prefix: 'none', vexL: 0 });
vex('0f', 0x77, 'VZEROALL', [], 'vzeroall', { prefix: 'none', vexL: 1 });
const BROADCAST: readonly (readonly [number, X86Op, OperandSpec])[] = [
  [0x18, 'VBROADCASTSS', 'Wd'], [0x19, 'VBROADCASTSD', 'Wq'], [0x58, 'VPBROADCASTD', 'Wd'], [0x59, 'VPBROADCASTQ', 'Wq'],
  [0x5a, 'VBROADCASTI128', 'Mo'], [0x78, 'VPBROADCASTB', 'Wb'], [0x79, 'VPBROADCASTW', 'Ww'],
];
for (const [opc, op, src] of BROADCAST) {
  // broadcasts of a qword or a whole lane need a 256-bit destination
  const wide = op === 'VBROADCASTSD' || op === 'VBROADCASTI128';
  vex('0f38', opc, op, ['Vx', src], op.toLowerCase(), { prefix: '66', vexL: wide ? 1 : undefined });
}
vex('0f38', 0x36, 'VPERMD', ['Vx', 'Hx', 'Wx'], 'vpermd', { prefix: '66', vexL: 1 });
vex('0f38', 0x16, 'VPERMPS', ['Vx', 'Hx', 'Wx'], 'vpermps', { prefix: '66', vexL: 1, rexW: false });
vex('0f38', 0x45, 'VPSRLVD', ['Vx', 'Hx', 'Wx'], '{vpsrlvd|vpsrlvd|vpsrlvq}', { prefix: '66' });
vex('0f38', 0x46, 'VPSRAVD', ['Vx', 'Hx', 'Wx'], 'vpsravd', { prefix: '66' });
vex('0f38', 0x47, 'VPSLLVD', ['Vx', 'Hx', 'Wx'], '{vpsllvd|vpsllvd|vpsllvq}', { prefix: '66' });
vex('0f38', 0x8c, 'VPMASKMOVD', ['Vx', 'Hx', 'Mx'], '{vpmaskmovd|vpmaskmovd|vpmaskmovq}', { prefix: '66' });
vex('0f38', 0x8e, 'VPMASKMOVD', ['Mx', 'Hx', 'Vx'], '{vpmaskmovd|vpmaskmovd|vpmaskmovq}', { prefix: '66' });
vex('0f3a', 0x00, 'VPERMQ', ['Vx', 'Wx', 'Ib'], 'vpermq', { prefix: '66', vexL: 1, rexW: true });
vex('0f3a', 0x02, 'VPBLENDD', ['Vx', 'Hx', 'Wx', 'Ib'], 'vpblendd', { prefix: '66' });
vex('0f3a', 0x06, 'VPERM2F128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vperm2f128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x18, 'VINSERTF128', ['Vx', 'Hx', 'Wo', 'Ib'], 'vinsertf128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x19, 'VEXTRACTF128', ['Wo', 'Vx', 'Ib'], 'vextractf128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x38, 'VINSERTI128', ['Vx', 'Hx', 'Wo', 'Ib'], 'vinserti128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x39, 'VEXTRACTI128', ['Wo', 'Vx', 'Ib'], 'vextracti128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x46, 'VPERM2I128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vperm2i128', { prefix: '66', vexL: 1 });
vex('0f3a', 0x4c, 'VPBLENDVB', ['Vx', 'Hx', 'Wx', 'Lx'], 'vpblendvb', { prefix: '66' });
vex('0f3a', 0x4a, 'VBLENDVPS', ['Vx', 'Hx', 'Wx', 'Lx'], 'vblendvps', { prefix: '66' });
vex('0f3a', 0x4b, 'VBLENDVPD', ['Vx', 'Hx', 'Wx', 'Lx'], 'vblendvpd', { prefix: '66' });
vex('0f3a', 0x04, 'VPERMILPS', ['Vx', 'Wx', 'Ib'], 'vpermilps', { prefix: '66' });
vex('0f3a', 0x05, 'VPERMILPD', ['Vx', 'Wx', 'Ib'], 'vpermilpd', { prefix: '66' });
vex('0f38', 0x0c, 'VPERMILPS', ['Vx', 'Hx', 'Wx'], 'vpermilps', { prefix: '66' });
vex('0f38', 0x0d, 'VPERMILPD', ['Vx', 'Hx', 'Wx'], 'vpermilpd', { prefix: '66' });
vex('0f', 0xae, 'LDMXCSR', ['Md'], 'vldmxcsr', { prefix: 'none', mod: 'mem', reg: 2 });
vex('0f', 0xae, 'STMXCSR', ['Md'], 'vstmxcsr', { prefix: 'none', mod: 'mem', reg: 3 });
// FMA3: 0F38 9x/Ax/Bx = operand orders 132/213/231; the low nibble names the operation; W picks ps/pd or ss/sd
const FMA3: readonly (readonly [number, X86Op, string, boolean])[] = [
  [6, 'VFMADDSUB', 'vfmaddsub', false], [7, 'VFMSUBADD', 'vfmsubadd', false], [8, 'VFMADD', 'vfmadd', false],
  [9, 'VFMADD', 'vfmadd', true], [10, 'VFMSUB', 'vfmsub', false], [11, 'VFMSUB', 'vfmsub', true],
  [12, 'VFNMADD', 'vfnmadd', false], [13, 'VFNMADD', 'vfnmadd', true], [14, 'VFNMSUB', 'vfnmsub', false],
  [15, 'VFNMSUB', 'vfnmsub', true],
];
for (const [order, hi] of [['132', 0x90], ['213', 0xa0], ['231', 0xb0]] as const) {
  for (const [lo, op, name, scalar] of FMA3) {
    vex('0f38', hi + lo, op, scalar ? ['Vo', 'Ho', 'Wd'] : ['Vx', 'Hx', 'Wx'], `${name}${order}${scalar ? 'ss' : 'ps'}`, { prefix: '66', rexW: false });
    vex('0f38', hi + lo, op, scalar ? ['Vo', 'Ho', 'Wq'] : ['Vx', 'Hx', 'Wx'], `${name}${order}${scalar ? 'sd' : 'pd'}`, { prefix: '66', rexW: true });
  }
}
// FMA4 (AMD): four operands, the third source in imm8[7:4]; VEX.W swaps which source is r/m
const FMA4: readonly (readonly [number, X86Op, string])[] = [
  [0x5c, 'VFMADDSUB', 'vfmaddsubps'], [0x5d, 'VFMADDSUB', 'vfmaddsubpd'], [0x5e, 'VFMSUBADD', 'vfmsubaddps'],
  [0x5f, 'VFMSUBADD', 'vfmsubaddpd'], [0x68, 'VFMADD', 'vfmaddps'], [0x69, 'VFMADD', 'vfmaddpd'], [0x6a, 'VFMADD', 'vfmaddss'],
  [0x6b, 'VFMADD', 'vfmaddsd'], [0x6c, 'VFMSUB', 'vfmsubps'], [0x6d, 'VFMSUB', 'vfmsubpd'], [0x6e, 'VFMSUB', 'vfmsubss'],
  [0x6f, 'VFMSUB', 'vfmsubsd'], [0x78, 'VFNMADD', 'vfnmaddps'], [0x79, 'VFNMADD', 'vfnmaddpd'], [0x7a, 'VFNMADD', 'vfnmaddss'],
  [0x7b, 'VFNMADD', 'vfnmaddsd'], [0x7c, 'VFNMSUB', 'vfnmsubps'], [0x7d, 'VFNMSUB', 'vfnmsubpd'], [0x7e, 'VFNMSUB', 'vfnmsubss'],
  [0x7f, 'VFNMSUB', 'vfnmsubsd'],
];
for (const [opc, op, att] of FMA4) {
  const scalar = /s[sd]$/.test(att);
  const [v, h, l, w] = scalar ? (['Vo', 'Ho', 'Lo', att.endsWith('ss') ? 'Wd' : 'Wq'] as const) : (['Vx', 'Hx', 'Lx', 'Wx'] as const);
  vex('0f3a', opc, op, [v, h, w, l], att, { prefix: '66', rexW: false });
  vex('0f3a', opc, op, [v, h, l, w], att, { prefix: '66', rexW: true });
}
// BMI1/BMI2: general-register ops with a VEX.vvvv operand (B)
vex('0f38', 0xf2, 'ANDN', ['Gy', 'By', 'Ey'], 'andn', { prefix: 'none' });
vex('0f38', 0xf3, 'BLSR', ['By', 'Ey'], 'blsr', { prefix: 'none', reg: 1 });
vex('0f38', 0xf3, 'BLSMSK', ['By', 'Ey'], 'blsmsk', { prefix: 'none', reg: 2 });
vex('0f38', 0xf3, 'BLSI', ['By', 'Ey'], 'blsi', { prefix: 'none', reg: 3 });
vex('0f38', 0xf5, 'BZHI', ['Gy', 'Ey', 'By'], 'bzhi', { prefix: 'none' });
vex('0f38', 0xf5, 'PEXT', ['Gy', 'By', 'Ey'], 'pext', { prefix: 'F3' });
vex('0f38', 0xf5, 'PDEP', ['Gy', 'By', 'Ey'], 'pdep', { prefix: 'F2' });
vex('0f38', 0xf6, 'MULX', ['Gy', 'By', 'Ey'], 'mulx', { prefix: 'F2' });
vex('0f38', 0xf7, 'BEXTR', ['Gy', 'Ey', 'By'], 'bextr', { prefix: 'none' });
vex('0f38', 0xf7, 'SHLX', ['Gy', 'Ey', 'By'], 'shlx', { prefix: '66' });
vex('0f38', 0xf7, 'SARX', ['Gy', 'Ey', 'By'], 'sarx', { prefix: 'F3' });
vex('0f38', 0xf7, 'SHRX', ['Gy', 'Ey', 'By'], 'shrx', { prefix: 'F2' });
vex('0f3a', 0xf0, 'RORX', ['Gy', 'Ey', 'Ib'], 'rorx', { prefix: 'F2' });
// AVX-512 opmask moves and tests (VEX-encoded): size letter from pp and W
const KSIZE = [['none', false, 'w'], ['66', false, 'b'], ['none', true, 'q'], ['66', true, 'd']] as const;
for (const [prefix, w, sz] of KSIZE) {
  vex('0f', 0x90, 'KMOV', ['Kq', 'Tq'], `kmov${sz}`, { prefix, rexW: w });
  vex('0f', 0x91, 'KMOV', ['Mq', 'Kq'], `kmov${sz}`, { prefix, rexW: w, mod: 'mem' });
  vex('0f', 0x98, 'KORTEST', ['Kq', 'Tq'], `kortest${sz}`, { prefix, rexW: w, mod: 'reg' });
  vex('0f', 0x99, 'KTEST', ['Kq', 'Tq'], `ktest${sz}`, { prefix, rexW: w, mod: 'reg' });
}
const KLOGIC: readonly (readonly [number, X86Op, string])[] = [
  [0x41, 'KAND', 'kand'], [0x42, 'KANDN', 'kandn'], [0x45, 'KOR', 'kor'], [0x46, 'KXNOR', 'kxnor'], [0x47, 'KXOR', 'kxor'],
  [0x4a, 'KADD', 'kadd'],
];
for (const [prefix, w, sz] of KSIZE) {
  for (const [opc, op, att] of KLOGIC) vex('0f', opc, op, ['Kq', 'Hk', 'Tq'], att + sz, { prefix, rexW: w, mod: 'reg', vexL: 1 });
  vex('0f', 0x44, 'KNOT', ['Kq', 'Tq'], 'knot' + sz, { prefix, rexW: w, mod: 'reg', vexL: 0 });
}
vex('0f', 0x4b, 'KUNPCK', ['Kq', 'Hk', 'Tq'], 'kunpckbw', { prefix: '66', rexW: false, mod: 'reg', vexL: 1 });
vex('0f', 0x4b, 'KUNPCK', ['Kq', 'Hk', 'Tq'], 'kunpckwd', { prefix: 'none', rexW: false, mod: 'reg', vexL: 1 });
vex('0f', 0x4b, 'KUNPCK', ['Kq', 'Hk', 'Tq'], 'kunpckdq', { prefix: 'none', rexW: true, mod: 'reg', vexL: 1 });
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], 'kmovw', { prefix: 'none', mod: 'reg' });
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], 'kmovb', { prefix: '66', mod: 'reg' });
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], '{kmovd|kmovd|kmovq}', { prefix: 'F2', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], 'kmovw', { prefix: 'none', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], 'kmovb', { prefix: '66', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], '{kmovd|kmovd|kmovq}', { prefix: 'F2', mod: 'reg' });

export const VEX_ROWS: readonly InsnRowDef[] = rows;

// EVEX (AVX-512): ops whose EVEX form keeps the VEX mnemonic and operands
const EVEX_SAME = new Set<X86Op>([
  'MOVUPS', 'MOVUPD', 'MOVAPS', 'MOVAPD', 'MOVNTPS', 'MOVNTPD', 'MOVNTDQ', 'MOVNTDQA', 'MOVD', 'MOVQ', 'MOVSS', 'MOVSD',
  'ADDPS', 'ADDPD', 'ADDSS', 'ADDSD', 'SUBPS', 'SUBPD', 'SUBSS', 'SUBSD', 'MULPS', 'MULPD', 'MULSS', 'MULSD',
  'DIVPS', 'DIVPD', 'DIVSS', 'DIVSD', 'MINPS', 'MINPD', 'MAXPS', 'MAXPD', 'SQRTPS', 'SQRTPD',
  'PADDB', 'PADDW', 'PADDD', 'PADDQ', 'PSUBB', 'PSUBW', 'PSUBD', 'PSUBQ', 'PADDSB', 'PADDSW', 'PADDUSB', 'PADDUSW',
  'PSUBSB', 'PSUBSW', 'PSUBUSB', 'PSUBUSW', 'PMINUB', 'PMINUW', 'PMINUD', 'PMINSB', 'PMINSW', 'PMINSD', 'PMAXUB',
  'PMAXUW', 'PMAXUD', 'PMAXSB', 'PMAXSW', 'PMAXSD', 'PAVGB', 'PAVGW', 'PSHUFB', 'PSHUFD', 'PALIGNR', 'PMULLW', 'PMULLD',
  'PUNPCKLBW', 'PUNPCKLWD', 'PUNPCKLDQ', 'PUNPCKLQDQ', 'PUNPCKHBW', 'PUNPCKHWD', 'PUNPCKHDQ', 'PUNPCKHQDQ',
  'PACKSSWB', 'PACKSSDW', 'PACKUSWB', 'PACKUSDW', 'PSLLW', 'PSLLD', 'PSLLQ', 'PSRLW', 'PSRLD', 'PSRLQ', 'PSRAW', 'PSRAD',
  'PSLLDQ', 'PSRLDQ', 'PMOVZXBW', 'PMOVZXBD', 'PMOVZXBQ', 'PMOVZXWD', 'PMOVZXWQ', 'PMOVZXDQ', 'PMOVSXBW', 'PMOVSXBD',
  'PMOVSXBQ', 'PMOVSXWD', 'PMOVSXWQ', 'PMOVSXDQ', 'VPBROADCASTB', 'VPBROADCASTW', 'VPBROADCASTD', 'VPBROADCASTQ',
  'VBROADCASTSS', 'VBROADCASTSD', 'VPERMQ', 'VPERMD', 'VPSRLVD', 'VPSLLVD', 'VPSRAVD', 'PSADBW', 'PMADDWD', 'PMADDUBSW',
  'ANDPS', 'ANDPD', 'ANDNPS', 'ANDNPD', 'ORPS', 'ORPD', 'XORPS', 'XORPD', 'VFMADD', 'VFMSUB', 'VFNMADD', 'VFNMSUB',
  'VFMADDSUB', 'VFMSUBADD', 'VPERMPS',
]);
/** ops whose EVEX register form with EVEX.b suppresses exceptions without a rounding mode */
const EVEX_SAE_ONLY = new Set<X86Op>(['MINPS', 'MINPD', 'MAXPS', 'MAXPD', 'CVTPS2PD', 'UCOMISS', 'UCOMISD', 'COMISS', 'COMISD']);
/** EVEX.W is the element size: these twins exist only with W1 (qword/double elements) or W0 (dword/single) */
const EVEX_W1 = new Set<X86Op>(['MOVQ', 'PADDQ', 'PSUBQ', 'PSLLQ', 'PSRLQ', 'PUNPCKLQDQ', 'PUNPCKHQDQ', 'VPERMQ', 'VPBROADCASTQ',
  'VBROADCASTSD', 'PMULUDQ', 'MOVUPD', 'MOVAPD', 'MOVNTPD', 'MOVSD', 'ADDPD', 'ADDSD', 'SUBPD', 'SUBSD', 'MULPD', 'MULSD',
  'DIVPD', 'DIVSD', 'MINPD', 'MAXPD', 'SQRTPD', 'ANDPD', 'ANDNPD', 'ORPD', 'XORPD']);
const EVEX_W0 = new Set<X86Op>(['PADDD', 'PSUBD', 'PSLLD', 'PSRLD', 'PSRAD', 'PMINSD', 'PMAXSD', 'PMINUD', 'PMAXUD', 'PMULLD',
  'VPERMD', 'VPSRLVD', 'VPSLLVD', 'VPSRAVD', 'VPBROADCASTD', 'VBROADCASTSS', 'PUNPCKLDQ', 'PUNPCKHDQ', 'PACKSSDW', 'PACKUSDW',
  'PSHUFD', 'MOVUPS', 'MOVAPS', 'MOVNTPS', 'MOVSS', 'ADDPS', 'ADDSS', 'SUBPS', 'SUBSS', 'MULPS', 'MULSS', 'DIVPS', 'DIVSS',
  'MINPS', 'MAXPS', 'SQRTPS', 'ANDPS', 'ANDNPS', 'ORPS', 'XORPS']);
for (const r of [...rows]) {
  if (!EVEX_SAME.has(r.op) || (r.op.startsWith('VF') && r.map !== '0f38')) continue; // FMA4 has no EVEX form
  const rexW = EVEX_W1.has(r.op) ? true : EVEX_W0.has(r.op) ? false : r.rexW;
  // 128-bit-only moves (movd/movq) and 256-bit-only permutes keep their length (zmm forms of the
  // latter decode as the generic AVX row); objdump never marks the variable shifts {evex}
  const vexL = r.op === 'MOVD' || r.op === 'MOVQ' ? 0 : r.vexL === 1 ? 1 : undefined;
  const vexTwin = r.op !== 'VPSRLVD' && r.op !== 'VPSLLVD' && r.op !== 'VPSRAVD';
  rows.push({ ...r, vex: 'evex', vexTwin, vexL, rexW, saeOnly: EVEX_SAE_ONLY.has(r.op) || undefined });
}
const evex = (map: OpMap, opcode: number, op: X86Op, operands: readonly OperandSpec[], att: string, extra: Extra): void => {
  rows.push(row(map, opcode, op, operands, att, { vex: 'evex', ...extra }));
};
// element-sized moves and logic: the element width is EVEX.W
const MOVDQ: readonly (readonly ['66' | 'F3' | 'F2', boolean, string])[] = [
  ['66', false, 'vmovdqa32'], ['66', true, 'vmovdqa64'], ['F3', false, 'vmovdqu32'], ['F3', true, 'vmovdqu64'],
  ['F2', false, 'vmovdqu8'], ['F2', true, 'vmovdqu16'],
];
for (const [prefix, w, att] of MOVDQ) {
  const op: X86Op = prefix === '66' ? 'MOVDQA' : 'MOVDQU';
  evex('0f', 0x6f, op, ['Vx', 'Wx'], att, { prefix, rexW: w });
  evex('0f', 0x7f, op, ['Wx', 'Vx'], att, { prefix, rexW: w });
}
const LOGIC: readonly (readonly [number, X86Op])[] = [[0xdb, 'PAND'], [0xdf, 'PANDN'], [0xeb, 'POR'], [0xef, 'PXOR']];
for (const [opc, op] of LOGIC) {
  evex('0f', opc, op, ['Vx', 'Hx', 'Wx'], `v${op.toLowerCase()}d`, { prefix: '66', rexW: false });
  evex('0f', opc, op, ['Vx', 'Hx', 'Wx'], `v${op.toLowerCase()}q`, { prefix: '66', rexW: true });
}
evex('0f3a', 0x25, 'VPTERNLOG', ['Vx', 'Hx', 'Wx', 'Ib'], '{vpternlogd|vpternlogd|vpternlogq}', { prefix: '66' });
// compares into a mask register
const PCMP_K: readonly (readonly [OpMap, number, X86Op])[] = [
  ['0f', 0x74, 'PCMPEQB'], ['0f', 0x75, 'PCMPEQW'], ['0f', 0x76, 'PCMPEQD'], ['0f38', 0x29, 'PCMPEQQ'],
  ['0f', 0x64, 'PCMPGTB'], ['0f', 0x65, 'PCMPGTW'], ['0f', 0x66, 'PCMPGTD'], ['0f38', 0x37, 'PCMPGTQ'],
];
for (const [map, opc, op] of PCMP_K) {
  evex(map, opc, op, ['Kq', 'Hx', 'Wx'], `v${op.toLowerCase()}`, { prefix: '66', rexW: op.endsWith('Q') ? true : undefined });
}
/** vpcmp[u]{b,w,d,q}: the immediate is a predicate objdump folds into the name (vpcmpltub) */
const VPCMP: readonly (readonly [number, boolean, string])[] = [
  [0x3e, false, 'ub'], [0x3e, true, 'uw'], [0x3f, false, 'b'], [0x3f, true, 'w'],
  [0x1e, false, 'ud'], [0x1e, true, 'uq'], [0x1f, false, 'd'], [0x1f, true, 'q'],
];
for (const [opc, w, sz] of VPCMP) evex('0f3a', opc, 'VPCMP', ['Kq', 'Hx', 'Wx', 'Ib'], `vpcmp%M${sz}`, { prefix: '66', rexW: w });
evex('0f38', 0x26, 'VPTESTM', ['Kq', 'Hx', 'Wx'], '{vptestmb|vptestmb|vptestmw}', { prefix: '66' });
evex('0f38', 0x27, 'VPTESTM', ['Kq', 'Hx', 'Wx'], '{vptestmd|vptestmd|vptestmq}', { prefix: '66' });
evex('0f38', 0x26, 'VPTESTNM', ['Kq', 'Hx', 'Wx'], '{vptestnmb|vptestnmb|vptestnmw}', { prefix: 'F3' });
evex('0f38', 0x27, 'VPTESTNM', ['Kq', 'Hx', 'Wx'], '{vptestnmd|vptestnmd|vptestnmq}', { prefix: 'F3' });
evex('0f38', 0x7a, 'VPBROADCASTB', ['Vx', 'Rd'], 'vpbroadcastb', { prefix: '66', mod: 'reg' });
evex('0f38', 0x7b, 'VPBROADCASTW', ['Vx', 'Rd'], 'vpbroadcastw', { prefix: '66', mod: 'reg' });
evex('0f38', 0x7c, 'VPBROADCASTD', ['Vx', 'Ry'], '{vpbroadcastd|vpbroadcastd|vpbroadcastq}', { prefix: '66', mod: 'reg' });
