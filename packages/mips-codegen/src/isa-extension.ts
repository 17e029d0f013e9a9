/**
 * Which cpuid-announced extension an instruction belongs to (the SDM's "CPUID Feature Flag"
 * column, QEMU's X86OpEntry.cpuid): the translator raises #UD for an instruction of an
 * extension the CPU model lacks. The op name decides, except for the MMX/SSE opcodes whose
 * forms differ: an MMX-register form is MMX (SSE for the integer ops SSE added to MMX, SSE2
 * for paddq/psubq/pmuludq), a 66 or F2 form is SSE2, a no-prefix form SSE.
 */
import type { DecodedInsn, X86Op } from '@dbtlab/x86-frontend';
import type { IsaExtension } from '@dbtlab/x86-semantics';

const BY_OP: Partial<Record<X86Op, IsaExtension>> = {};
const assign = (ext: IsaExtension, ops: readonly X86Op[]): void => ops.forEach((op) => (BY_OP[op] = ext));

assign('CMOV', ['CMOVCC', 'FCMOVCC', 'FCOMI', 'FCOMIP', 'FUCOMI', 'FUCOMIP']);
assign('FXSR', ['FXSAVE', 'FXRSTOR']);
assign('SSE', ['LDMXCSR', 'STMXCSR', 'SFENCE', 'MOVNTQ', 'MASKMOVQ', 'PSHUFW']);
assign('SSE2', ['LFENCE', 'MFENCE', 'MOVNTI', 'MOVQ2DQ', 'MOVDQ2Q']);
assign('SSE3', ['FISTTP', 'MOVSLDUP', 'MOVSHDUP', 'MOVDDUP', 'HADDPD', 'HADDPS', 'HSUBPD', 'HSUBPS', 'ADDSUBPD', 'ADDSUBPS', 'LDDQU']);
assign('SSSE3', [
  'PSHUFB', 'PHADDW', 'PHADDD', 'PHADDSW', 'PMADDUBSW', 'PHSUBW', 'PHSUBD', 'PHSUBSW', 'PSIGNB', 'PSIGNW', 'PSIGND',
  'PMULHRSW', 'PABSB', 'PABSW', 'PABSD', 'PALIGNR',
]);
assign('SSE41', [
  'PBLENDVB', 'BLENDVPS', 'BLENDVPD', 'PTEST', 'PMOVSXBW', 'PMOVSXBD', 'PMOVSXBQ', 'PMOVSXWD', 'PMOVSXWQ', 'PMOVSXDQ',
  'PMULDQ', 'PCMPEQQ', 'MOVNTDQA', 'PACKUSDW', 'PMOVZXBW', 'PMOVZXBD', 'PMOVZXBQ', 'PMOVZXWD', 'PMOVZXWQ', 'PMOVZXDQ',
  'PMINSB', 'PMINSD', 'PMINUW', 'PMINUD', 'PMAXSB', 'PMAXSD', 'PMAXUW', 'PMAXUD', 'PMULLD', 'PHMINPOSUW',
  'ROUNDPS', 'ROUNDPD', 'ROUNDSS', 'ROUNDSD', 'BLENDPS', 'BLENDPD', 'PBLENDW', 'PEXTRB', 'PEXTRD', 'EXTRACTPS',
  'PINSRB', 'PINSRD', 'PINSRQ', 'PEXTRQ', 'INSERTPS', 'DPPS', 'DPPD', 'MPSADBW',
]);
assign('SSE42', ['PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI', 'PCMPISTRM', 'PCMPGTQ', 'CRC32']);
assign('POPCNT', ['POPCNT']);
assign('MOVBE', ['MOVBE']);
assign('ADX', ['ADCX', 'ADOX']);
assign('BMI1', ['ANDN', 'BEXTR', 'BLSI', 'BLSMSK', 'BLSR']);
assign('BMI2', ['BZHI', 'MULX', 'PDEP', 'PEXT', 'RORX', 'SARX', 'SHLX', 'SHRX']);
assign('AES', ['AESENC', 'AESENCLAST', 'AESDEC', 'AESDECLAST', 'AESIMC', 'AESKEYGENASSIST']);
assign('PCLMULQDQ', ['PCLMULQDQ']);
assign('CLFSH', ['CLFLUSH']);
assign('CX16', ['CMPXCHG16B']);
// none of the models announces these (as the QEMU models they reproduce): #UD, as on such a CPU
assign('RDRAND', ['RDRAND']);
assign('RDSEED', ['RDSEED']);
assign('RDTSCP', ['RDTSCP']);
assign('XSAVE', ['XSAVE', 'XRSTOR', 'XSAVEOPT', 'XSAVEC', 'XGETBV']);
// xtest is #UD without HLE and RTM: no model has either
assign('RTM', ['XBEGIN', 'XEND', 'XABORT', 'XTEST']);
// rdpkru/wrpkru are #UD unless the OS set CR4.PKE (cpuid's OSPKE)
assign('OSPKE', ['RDPKRU', 'WRPKRU']);
assign('RDPID', ['RDPID']);
assign('3DNOW', ['FEMMS']);

/** Integer ops SSE added to the MMX registers (Intel's "SSE integer instructions"). */
const SSE_ON_MMX = new Set<X86Op>(['PAVGB', 'PAVGW', 'PEXTRW', 'PINSRW', 'PMAXSW', 'PMAXUB', 'PMINSW', 'PMINUB', 'PMOVMSKB', 'PMULHUW', 'PSADBW']);
const SSE2_ON_MMX = new Set<X86Op>(['PADDQ', 'PSUBQ', 'PMULUDQ', 'CVTPI2PD', 'CVTPD2PI', 'CVTTPD2PI']);
/** F3-prefixed forms that are SSE (scalar single), not SSE2. */
const SSE_SCALAR_SINGLE = /SS$|^CVTSI2SS$|^CVTT?SS2SI$/;

/**
 * The extension `insn` needs, undefined for the base i686 instruction set. TZCNT and LZCNT
 * are not here: without BMI1/LZCNT their encodings execute as BSF/BSR.
 */
export function insnExtension(insn: DecodedInsn): IsaExtension | undefined {
  const row = insn.row;
  if (row.vex === 'evex') return 'AVX512F';
  const named = BY_OP[insn.op];
  if (named) return named;
  if (row.vex === 'vex') return 'AVX';
  const usesMmx = insn.operands.some((o) => o.kind === 'reg' && o.file === 'mmx');
  const usesXmm = insn.operands.some((o) => o.kind === 'reg' && o.file === 'xmm');
  if (!usesMmx && !usesXmm) return undefined;
  if (!usesXmm) return SSE2_ON_MMX.has(insn.op) ? 'SSE2' : SSE_ON_MMX.has(insn.op) ? 'SSE' : 'MMX';
  if (row.prefix === '66' || row.prefix === 'F2') return 'SSE2';
  if (row.prefix === 'F3') return SSE_SCALAR_SINGLE.test(insn.op) ? 'SSE' : 'SSE2';
  return 'SSE';
}
