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
  const base = { prefix: r.prefix, reg: r.reg, mod: r.mod, rexW: r.rexW, vex: 'vex' as const };
  const att = 'v' + r.att;
  const [dst, ...src] = r.operands;
  if (SHIFT_IMM.has(r.op) && r.reg !== undefined) {
    rows.push(row(r.map, r.opcode, r.op, ['Hx', ...r.operands], att, base));
  } else if ((r.op === 'MOVSS' || r.op === 'MOVSD') && r.map === '0f') {
    // memory forms move one element; register forms merge with vvvv
    const store = dst[0] === 'W';
    rows.push(row(r.map, r.opcode, r.op, store ? [r.op === 'MOVSS' ? 'Md' : 'Mq', src[0]] : [dst, r.op === 'MOVSS' ? 'Md' : 'Mq'], att, { ...base, mod: 'mem' }));
    rows.push(row(r.map, r.opcode, r.op, store ? ['Ux', 'Hx', src[0]] : [dst, 'Hx', 'Ux'], att, { ...base, mod: 'reg' }));
  } else if (NO_NDS.has(r.op) || dst[0] === 'M' || (dst[0] === 'W' && r.op !== 'PEXTRW')) {
    rows.push(row(r.map, r.opcode, r.op, r.operands, att, base));
  } else {
    rows.push(row(r.map, r.opcode, r.op, [dst, 'Hx', ...src], att, base));
  }
}

const vex = (map: OpMap, opcode: number, op: X86Op, operands: readonly OperandSpec[], att: string, extra: Extra): void => {
  rows.push(row(map, opcode, op, operands, att, { vex: 'vex', ...extra }));
};
vex('0f', 0x77, 'VZEROUPPER', [], 'vzeroupper', { prefix: 'none', vexL: 0 });
vex('0f', 0x77, 'VZEROALL', [], 'vzeroall', { prefix: 'none', vexL: 1 });
const BROADCAST: readonly (readonly [number, X86Op, OperandSpec])[] = [
  [0x18, 'VBROADCASTSS', 'Wd'], [0x19, 'VBROADCASTSD', 'Wq'], [0x58, 'VPBROADCASTD', 'Wd'], [0x59, 'VPBROADCASTQ', 'Wq'],
  [0x5a, 'VBROADCASTI128', 'Mx'], [0x78, 'VPBROADCASTB', 'Wb'], [0x79, 'VPBROADCASTW', 'Ww'],
];
for (const [opc, op, src] of BROADCAST) vex('0f38', opc, op, ['Vx', src], op.toLowerCase(), { prefix: '66' });
vex('0f38', 0x36, 'VPERMD', ['Vx', 'Hx', 'Wx'], 'vpermd', { prefix: '66' });
vex('0f38', 0x45, 'VPSRLVD', ['Vx', 'Hx', 'Wx'], '{vpsrlvd|vpsrlvd|vpsrlvq}', { prefix: '66' });
vex('0f38', 0x46, 'VPSRAVD', ['Vx', 'Hx', 'Wx'], 'vpsravd', { prefix: '66' });
vex('0f38', 0x47, 'VPSLLVD', ['Vx', 'Hx', 'Wx'], '{vpsllvd|vpsllvd|vpsllvq}', { prefix: '66' });
vex('0f38', 0x8c, 'VPMASKMOVD', ['Vx', 'Hx', 'Mx'], '{vpmaskmovd|vpmaskmovd|vpmaskmovq}', { prefix: '66' });
vex('0f38', 0x8e, 'VPMASKMOVD', ['Mx', 'Hx', 'Vx'], '{vpmaskmovd|vpmaskmovd|vpmaskmovq}', { prefix: '66' });
vex('0f3a', 0x00, 'VPERMQ', ['Vx', 'Wx', 'Ib'], 'vpermq', { prefix: '66' });
vex('0f3a', 0x02, 'VPBLENDD', ['Vx', 'Hx', 'Wx', 'Ib'], 'vpblendd', { prefix: '66' });
vex('0f3a', 0x06, 'VPERM2F128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vperm2f128', { prefix: '66' });
vex('0f3a', 0x18, 'VINSERTF128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vinsertf128', { prefix: '66' });
vex('0f3a', 0x19, 'VEXTRACTF128', ['Wx', 'Vx', 'Ib'], 'vextractf128', { prefix: '66' });
vex('0f3a', 0x38, 'VINSERTI128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vinserti128', { prefix: '66' });
vex('0f3a', 0x39, 'VEXTRACTI128', ['Wx', 'Vx', 'Ib'], 'vextracti128', { prefix: '66' });
vex('0f3a', 0x46, 'VPERM2I128', ['Vx', 'Hx', 'Wx', 'Ib'], 'vperm2i128', { prefix: '66' });
vex('0f3a', 0x4c, 'VPBLENDVB', ['Vx', 'Hx', 'Wx', 'Lx'], 'vpblendvb', { prefix: '66' });
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
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], 'kmovw', { prefix: 'none', mod: 'reg' });
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], 'kmovb', { prefix: '66', mod: 'reg' });
vex('0f', 0x92, 'KMOV', ['Kq', 'Ry'], '{kmovd|kmovd|kmovq}', { prefix: 'F2', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], 'kmovw', { prefix: 'none', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], 'kmovb', { prefix: '66', mod: 'reg' });
vex('0f', 0x93, 'KMOV', ['Gy', 'Tq'], '{kmovd|kmovd|kmovq}', { prefix: 'F2', mod: 'reg' });

export const VEX_ROWS: readonly InsnRowDef[] = rows;
