/**
 * The MMX/SSE/SSE2/SSE3 forms of the differential suite: every operation of the SSE helper
 * (SSE_OPS) in its register and memory forms, the immediate forms over several immediates,
 * and the general-register forms. Floating-point forms run under every MXCSR setting.
 */
import type { SseForm } from './sse-program';

const FP_BINARY = ['add', 'sub', 'mul', 'div', 'min', 'max'].flatMap((o) => ['ps', 'pd', 'ss', 'sd'].map((t) => o + t));
const FP_OTHER = ['sqrtps', 'sqrtpd', 'sqrtss', 'sqrtsd', 'haddps', 'haddpd', 'hsubps', 'hsubpd', 'addsubps', 'addsubpd',
  'cvtss2sd', 'cvtsd2ss', 'cvtps2pd', 'cvtpd2ps', 'cvtdq2ps', 'cvtdq2pd', 'cvtps2dq', 'cvttps2dq', 'cvtpd2dq', 'cvttpd2dq',
  'comiss', 'comisd', 'ucomiss', 'ucomisd'];
const LOGIC = ['andps', 'andpd', 'andnps', 'andnpd', 'orps', 'orpd', 'xorps', 'xorpd', 'pand', 'pandn', 'por', 'pxor'];
const INT_BINARY = [
  'paddb', 'paddw', 'paddd', 'paddq', 'psubb', 'psubw', 'psubd', 'psubq', 'paddsb', 'paddsw', 'paddusb', 'paddusw',
  'psubsb', 'psubsw', 'psubusb', 'psubusw', 'pcmpeqb', 'pcmpeqw', 'pcmpeqd', 'pcmpgtb', 'pcmpgtw', 'pcmpgtd', 'pmullw',
  'pmulhw', 'pmulhuw', 'pmuludq', 'pmaddwd', 'psadbw', 'pavgb', 'pavgw', 'pminub', 'pmaxub', 'pminsw', 'pmaxsw',
  'psllw', 'pslld', 'psllq', 'psrlw', 'psrld', 'psrlq', 'psraw', 'psrad',
  'punpcklbw', 'punpcklwd', 'punpckldq', 'punpckhbw', 'punpckhwd', 'punpckhdq', 'packsswb', 'packssdw', 'packuswb',
];
const XMM_ONLY = ['punpcklqdq', 'punpckhqdq', 'unpcklps', 'unpckhps', 'unpcklpd', 'unpckhpd', 'movsldup', 'movshdup', 'movddup',
  'movups', 'movupd', 'movaps', 'movapd', 'movdqa', 'movdqu', 'movss', 'movsd', 'movq'];
const SHIFT_IMM = ['psllw', 'pslld', 'psllq', 'psrlw', 'psrld', 'psrlq', 'psraw', 'psrad'];
const IMMS = [0, 1, 7, 15, 16, 31, 32, 63, 64, 200];

export function sseForms(): SseForm[] {
  const forms: SseForm[] = [];
  const x = (name: string, asm: string, fp = false) => forms.push({ name, asm, fp, flags: /comis|ptest|pcmp.str/.test(name) });
  const y = (name: string, asm: string) => forms.push({ name, asm, fp: false, mmx: true });
  for (const op of FP_BINARY) {
    x(`${op} reg`, `${op} %[s], %[d]`, true);
    x(`${op} mem`, `${op} %[m], %[d]`, true);
  }
  for (const op of FP_OTHER) {
    x(`${op} reg`, `${op} %[s], %[d]`, true);
    x(`${op} mem`, `${op} %[m], %[d]`, true);
  }
  for (const p of [0, 1, 2, 3, 4, 5, 6, 7]) for (const t of ['ps', 'pd', 'ss', 'sd']) {
    x(`cmp${t} $${p} reg`, `cmp${t} $${p}, %[s], %[d]`, true);
    x(`cmp${t} $${p} mem`, `cmp${t} $${p}, %[m], %[d]`, true);
  }
  for (const op of ['cvtss2si', 'cvttss2si', 'cvtsd2si', 'cvttsd2si']) {
    x(`${op} reg`, `${op} %[s], %k[g]`, true);
    x(`${op} mem`, `${op} %[m], %k[g]`, true);
  }
  for (const op of ['cvtsi2ss', 'cvtsi2sd']) {
    x(`${op} reg`, `${op} %k[g], %[d]`, true);
    x(`${op} mem`, `${op}l %[m], %[d]`, true);
  }
  for (const op of ['cvtpi2ps', 'cvtpi2pd']) x(`${op} mem`, `${op} %[m], %[d]`, true);
  for (const op of ['cvtps2pi', 'cvttps2pi', 'cvtpd2pi', 'cvttpd2pi']) x(`${op}`, `${op} %[s], %%mm0\\n\\tmovq %%mm0, %[m]\\n\\temms`, true);
  for (const op of [...LOGIC, ...INT_BINARY, ...XMM_ONLY]) {
    x(`${op} reg`, `${op} %[s], %[d]`);
    x(`${op} mem`, `${op} %[m], %[d]`);
  }
  for (const op of ['movups', 'movupd', 'movaps', 'movapd', 'movdqa', 'movdqu', 'movss', 'movsd', 'movq', 'movlps', 'movhps', 'movlpd', 'movhpd', 'movntps', 'movntpd', 'movntdq']) {
    x(`${op} store`, `${op} %[s], %[m]`);
  }
  for (const op of ['movlps', 'movhps', 'movlpd', 'movhpd']) x(`${op} load`, `${op} %[m], %[d]`);
  x('movhlps', 'movhlps %[s], %[d]');
  x('movlhps', 'movlhps %[s], %[d]');
  x('lddqu', 'lddqu %[m], %[d]');
  for (const op of ['movmskps', 'movmskpd', 'pmovmskb']) x(op, `${op} %[s], %k[g]`);
  x('movd to gpr', 'movd %[s], %k[g]');
  x('movd from gpr', 'movd %k[g], %[d]');
  x('movd load', 'movd %[m], %[d]');
  x('movd store', 'movd %[s], %[m]');
  for (const imm of [0, 0x1b, 0x4e, 0xe4, 0xff, 0x39]) {
    for (const op of ['pshufd', 'pshuflw', 'pshufhw']) {
      x(`${op} $${imm}`, `${op} $${imm}, %[s], %[d]`);
      x(`${op} $${imm} mem`, `${op} $${imm}, %[m], %[d]`);
    }
    x(`shufps $${imm}`, `shufps $${imm}, %[s], %[d]`);
    x(`shufpd $${imm & 3}`, `shufpd $${imm & 3}, %[m], %[d]`);
    y(`pshufw $${imm}`, `pshufw $${imm}, %[ms], %[md]`);
  }
  for (const imm of IMMS) {
    for (const op of SHIFT_IMM) {
      x(`${op} $${imm}`, `${op} $${imm}, %[d]`);
      y(`${op} $${imm} mmx`, `${op} $${imm}, %[md]`);
    }
    x(`pslldq $${imm}`, `pslldq $${imm & 0x1f}, %[d]`);
    x(`psrldq $${imm}`, `psrldq $${imm & 0x1f}, %[d]`);
  }
  for (const imm of [0, 1, 3, 5, 7]) {
    x(`pinsrw $${imm}`, `pinsrw $${imm}, %k[g], %[d]`);
    x(`pextrw $${imm}`, `pextrw $${imm}, %[s], %k[g]`);
    y(`pinsrw $${imm} mmx`, `pinsrw $${imm & 3}, %k[g], %[md]`);
    y(`pextrw $${imm} mmx`, `pextrw $${imm & 3}, %[ms], %k[g]`);
  }
  // MMX forms (the SSE and SSE2 integer ops on MMX registers included)
  for (const op of [...INT_BINARY, 'pand', 'pandn', 'por', 'pxor']) {
    y(`${op} mmx reg`, `${op} %[ms], %[md]`);
    y(`${op} mmx mem`, `${op} %[m], %[md]`);
  }
  y('movq mmx', 'movq %[ms], %[md]');
  y('movq mmx store', 'movq %[ms], %[m]');
  y('movq mmx load', 'movq %[m], %[md]');
  y('movd mmx gpr', 'movd %k[g], %[md]');
  y('movd mmx to gpr', 'movd %[ms], %k[g]');
  y('pmovmskb mmx', 'pmovmskb %[ms], %k[g]');
  y('movntq', 'movntq %[ms], %[m]');
  x('movq2dq', 'movq %[m], %%mm1\\n\\tmovq2dq %%mm1, %[d]\\n\\temms');
  x('movdq2q', 'movdq2q %[s], %%mm1\\n\\tmovq %%mm1, %[m]\\n\\temms');
  // SSSE3 (XMM and MMX), SSE4.1, SSE4.2
  for (const op of SSSE3) {
    x(`${op} reg`, `${op} %[s], %[d]`);
    x(`${op} mem`, `${op} %[m], %[d]`);
    y(`${op} mmx`, `${op} %[ms], %[md]`);
  }
  for (const op of SSE41) {
    x(`${op} reg`, `${op} %[s], %[d]`);
    x(`${op} mem`, `${op} %[m], %[d]`);
  }
  for (const op of ['blendvps', 'blendvpd', 'pblendvb']) x(`${op}`, `movdqa %[m], %%xmm0\\n\\t${op} %%xmm0, %[s], %[d]`);
  for (const imm of [0, 1, 5, 8, 13, 16, 24, 31]) {
    x(`palignr $${imm}`, `palignr $${imm}, %[s], %[d]`);
    y(`palignr $${imm} mmx`, `palignr $${imm & 15}, %[ms], %[md]`);
  }
  for (const imm of [0, 0x35, 0xff, 0xa5, 0x0f, 0xf1]) {
    for (const op of ['blendps', 'blendpd', 'pblendw', 'dpps', 'dppd', 'mpsadbw', 'insertps']) {
      const i = op === 'blendpd' || op === 'dppd' ? imm & 0x33 : op === 'mpsadbw' ? imm & 7 : imm;
      x(`${op} $${i}`, `${op} $${i}, %[s], %[d]`, /dp/.test(op));
      x(`${op} $${i} mem`, `${op} $${i}, %[m], %[d]`, /dp/.test(op));
    }
  }
  for (const imm of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
    for (const op of ['roundps', 'roundpd', 'roundss', 'roundsd']) x(`${op} $${imm}`, `${op} $${imm}, %[s], %[d]`, true);
    x(`pextrb $${imm}`, `pextrb $${imm}, %[s], %k[g]`);
    x(`pinsrb $${imm}`, `pinsrb $${imm}, %k[g], %[d]`);
  }
  for (const imm of [0, 1, 2, 3]) {
    x(`pextrd $${imm}`, `pextrd $${imm}, %[s], %k[g]`);
    x(`pextrd $${imm} mem`, `pextrd $${imm}, %[s], %[m]`);
    x(`extractps $${imm}`, `extractps $${imm}, %[s], %k[g]`);
    x(`pinsrd $${imm}`, `pinsrd $${imm}, %k[g], %[d]`);
    x(`pextrw $${imm} sse41 mem`, `pextrw $${imm}, %[s], %[m]`);
  }
  // maskmovq/maskmovdqu store to (%edi): mbuf, filled from and copied back to the memory operand
  const words = (from: (i: number) => string, to: (i: number) => string) =>
    [0, 4, 8, 12].map((i) => `movl ${from(i)}, %%eax\\n\\tmovl %%eax, ${to(i)}`).join('\\n\\t');
  const viaMbuf = (insn: string) =>
    `movl $mbuf, %%edi\\n\\t${words((i) => `${i}+%[m]`, (i) => `mbuf+${i}`)}\\n\\t${insn}\\n\\t${words((i) => `mbuf+${i}`, (i) => `${i}+%[m]`)}`;
  x('maskmovdqu', viaMbuf('maskmovdqu %[s], %[d]'));
  y('maskmovq', viaMbuf('maskmovq %[ms], %[md]'));
  // fxsave/fxrstor (32-bit layout): the header, FOP/FIP/FCS/FDP (zero unless an x87 exception is
  // pending, as this AMD CPU), a register slot, and a restore of edited XMM slots and MXCSR
  const N = '\\n\\t';
  const x87 = `fninit${N}fldl2e${N}fldpi${N}fld1${N}faddp${N}`;
  const copyOut = (from: string[]) => from.map((f, i) => `movl ${f}, %%eax${N}movl %%eax, ${4 * i}+%[m]`).join(N);
  x('fxsave header', `${x87}fxsave fxbuf${N}${copyOut(['fxbuf', 'fxbuf+4', 'fxbuf+24', 'fxbuf+28'])}${N}andl $0xff, 4+%[m]${N}fninit`, true);
  x('fxsave pointers', `${x87}fxsave fxbuf${N}${copyOut(['fxbuf+4', 'fxbuf+8', 'fxbuf+12', 'fxbuf+16'])}${N}fninit`, true);
  x('fxsave st0 slot', `${x87}fxsave fxbuf${N}${copyOut(['fxbuf+32', 'fxbuf+36', 'fxbuf+40', 'fxbuf+44'])}${N}fninit`, true);
  x('fxsave st1 slot', `${x87}fxsave fxbuf${N}${copyOut(['fxbuf+48', 'fxbuf+52', 'fxbuf+56', 'fxbuf+60'])}${N}fninit`, true);
  const slots = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((r) => [0, 4, 8, 12].map((i) => `movl ${i}+%[m], %%eax${N}movl %%eax, fxbuf+${160 + 16 * r + i}`)).join(N);
  x('fxrstor', `${x87}fxsave fxbuf${N}${slots}${N}movl $0x7f80, fxbuf+24${N}movw $0x3a3f, fxbuf${N}fxrstor fxbuf${N}fnstcw %[m]${N}fnstsw %%ax${N}movw %%ax, 2+%[m]${N}movzbl fxbuf+4, %k[g]${N}fninit`);
  // the approximations: this CPU's tables (x86-semantics sse-approx.ts), under every MXCSR setting
  for (const op of ['rcpps', 'rcpss', 'rsqrtps', 'rsqrtss']) {
    x(`${op} reg`, `${op} %[s], %[d]`, true);
    x(`${op} mem`, `${op} %[m], %[d]`, true);
  }
  x('ptest reg', 'ptest %[s], %[d]');
  x('ptest mem', 'ptest %[m], %[d]');
  for (const w of ['b', 'w', 'l']) x(`crc32${w} mem`, `crc32${w} %[m], %k[g]`);
  x('crc32l reg', 'crc32l %k[g], %k[g]');
  const LENGTHS = 'movl %k[g], %%eax\\n\\tandl $31, %%eax\\n\\tsubl $8, %%eax\\n\\tmovl %k[g], %%edx\\n\\tshrl $5, %%edx\\n\\tandl $31, %%edx\\n\\tsubl $8, %%edx\\n\\t';
  for (const imm of [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x0c, 0x0d, 0x14, 0x18, 0x1a, 0x30, 0x3c, 0x40, 0x44, 0x48, 0x4c, 0x71, 0x7e]) {
    for (const op of ['pcmpistri', 'pcmpestri']) x(`${op} $${imm}`, `${op === 'pcmpestri' ? LENGTHS : ''}${op} $${imm}, %[s], %[d]\\n\\tmovl %%ecx, %k[g]`);
    for (const op of ['pcmpistrm', 'pcmpestrm']) x(`${op} $${imm}`, `${op === 'pcmpestrm' ? LENGTHS : ''}${op} $${imm}, %[m], %[d]\\n\\tmovdqa %%xmm0, %[d]`);
  }
  return forms;
}

const SSSE3 = ['pshufb', 'phaddw', 'phaddd', 'phaddsw', 'pmaddubsw', 'phsubw', 'phsubd', 'phsubsw', 'psignb', 'psignw', 'psignd', 'pmulhrsw', 'pabsb', 'pabsw', 'pabsd'];
const SSE41 = ['pmovsxbw', 'pmovsxbd', 'pmovsxbq', 'pmovsxwd', 'pmovsxwq', 'pmovsxdq', 'pmovzxbw', 'pmovzxbd', 'pmovzxbq', 'pmovzxwd',
  'pmovzxwq', 'pmovzxdq', 'pmuldq', 'pcmpeqq', 'pcmpgtq', 'packusdw', 'pminsb', 'pminsd', 'pminuw', 'pminud', 'pmaxsb', 'pmaxsd',
  'pmaxuw', 'pmaxud', 'pmulld', 'phminposuw'];
