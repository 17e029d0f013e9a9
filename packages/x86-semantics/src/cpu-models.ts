/**
 * CPU models (`--cpu NAME`, QEMU's `-cpu`): the cpuid leaves the guest reads, and the
 * instruction-set extensions the translator accepts, derived from those same cpuid bits (an
 * instruction of an extension the model lacks raises #UD, SIGILL, as on that CPU).
 *
 * Every model's leaves are what `qemu-i386 -cpu <qemu>` (QEMU 7.2) reports for the given
 * string, recorded with a static program that prints every leaf and subleaf; zero leaves
 * are omitted. pentium4 has no QEMU 7.2 model: it is QEMU's pentium3 with SSE2 and the
 * Northwood family/model, as the string says. `max` is every extension dbtlab translates:
 * QEMU's Haswell without what it does not (AVX, FMA, AES, XSAVE, RDRAND, ...), plus ADX.
 *
 *   const m = cpuModel('core2duo'); m.has('SSSE3'); cpuidLeaf(m, 1, 0);
 */

/** An instruction-set extension, by the cpuid bit that announces it. */
export type IsaExtension =
  | 'MMX' | 'FXSR' | 'SSE' | 'SSE2' | 'SSE3' | 'SSSE3' | 'SSE41' | 'SSE42' | 'POPCNT' | 'MOVBE'
  | 'LZCNT' | 'BMI1' | 'BMI2' | 'ADX' | 'CMOV' | 'AES' | 'PCLMULQDQ' | 'AVX' | 'AVX512F'
  | 'RDRAND' | 'RDSEED' | 'RDTSCP' | 'XSAVE' | 'CLFSH' | 'CX16' | 'RTM' | 'OSPKE' | 'RDPID' | '3DNOW' | 'LM';

/** Where each extension's bit is: [leaf, register (0 eax .. 3 edx), bit]. */
const EXTENSION_BITS: Record<IsaExtension, readonly [number, number, number]> = {
  CMOV: [1, 3, 15], MMX: [1, 3, 23], FXSR: [1, 3, 24], SSE: [1, 3, 25], SSE2: [1, 3, 26],
  SSE3: [1, 2, 0], SSSE3: [1, 2, 9], SSE41: [1, 2, 19], SSE42: [1, 2, 20], MOVBE: [1, 2, 22], POPCNT: [1, 2, 23],
  BMI1: [7, 1, 3], BMI2: [7, 1, 8], ADX: [7, 1, 19], LZCNT: [0x80000001, 2, 5],
  AES: [1, 2, 25], PCLMULQDQ: [1, 2, 1], AVX: [1, 2, 28], AVX512F: [7, 1, 16],
  RDRAND: [1, 2, 30], RDSEED: [7, 1, 18], RDTSCP: [0x80000001, 3, 27], XSAVE: [1, 2, 26],
  CLFSH: [1, 3, 19], CX16: [1, 2, 13], RTM: [7, 1, 11], OSPKE: [7, 2, 4], RDPID: [7, 2, 22], '3DNOW': [0x80000001, 3, 31],
  LM: [0x80000001, 3, 29],
};

/** [leaf, subleaf, eax, ebx, ecx, edx] */
type Leaf = readonly [number, number, number, number, number, number];

const GENUINE_INTEL = [0x756e6547, 0x6c65746e, 0x49656e69] as const;
const P6_CACHES: Leaf = [0x2, 0, 0x1, 0x0, 0x4d, 0x2c307d];
const CORE_CACHES: readonly Leaf[] = [
  [0x4, 0, 0x121, 0x1c0003f, 0x3f, 0x1], [0x4, 1, 0x122, 0x1c0003f, 0x3f, 0x1],
  [0x4, 2, 0x143, 0x3c0003f, 0xfff, 0x1], [0x4, 3, 0x163, 0x3c0003f, 0x3fff, 0x6],
  [0x5, 0, 0x0, 0x0, 0x3, 0x0],
];
const EXT_CACHES: readonly Leaf[] = [
  [0x80000005, 0, 0x1ff01ff, 0x1ff01ff, 0x40020140, 0x40020140],
  [0x80000006, 0, 0x0, 0x42004200, 0x2008140, 0x808140],
];
/** Address sizes: qemu-i386 reports 36 physical bits; qemu-x86_64 40 physical and 48 linear (CPUID.80000008H:EAX). */
const ADDRESS_SIZES_32: Leaf = [0x80000008, 0, 0x24, 0x0, 0x0, 0x0];
const ADDRESS_SIZES_64: Leaf = [0x80000008, 0, 0x3028, 0x0, 0x0, 0x0];

interface ModelDef {
  /** the `qemu-i386 -cpu` string that reports the same leaves */
  qemu: string;
  leaves: readonly Leaf[];
}

const MODELS: Record<string, ModelDef> = {
  pentium2: {
    qemu: 'pentium2,-hypervisor',
    leaves: [[0x0, 0, 0x2, ...GENUINE_INTEL], [0x1, 0, 0x652, 0x800, 0x0, 0x183fbfd], P6_CACHES],
  },
  pentium3: {
    qemu: 'pentium3,-hypervisor',
    leaves: [[0x0, 0, 0x3, ...GENUINE_INTEL], [0x1, 0, 0x673, 0x800, 0x0, 0x383fbfd], P6_CACHES],
  },
  pentium4: {
    qemu: 'pentium3,+sse2,family=15,model=2,stepping=7,-hypervisor',
    leaves: [[0x0, 0, 0x3, ...GENUINE_INTEL], [0x1, 0, 0xf27, 0x800, 0x0, 0x783fbfd], P6_CACHES],
  },
  core2duo: {
    qemu: 'core2duo,-hypervisor',
    leaves: [
      [0x0, 0, 0xa, ...GENUINE_INTEL], [0x1, 0, 0x6fb, 0x800, 0x2209, 0xfcbfbfd], P6_CACHES, ...CORE_CACHES,
      [0x80000000, 0, 0x80000008, ...GENUINE_INTEL], [0x80000001, 0, 0x6fb, 0x0, 0x1, 0x100000],
      // "Intel(R) Core(TM)2 Duo CPU     T7700  @ 2.40GHz"
      [0x80000002, 0, 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865],
      [0x80000003, 0, 0x44203229, 0x43206f75, 0x20205550, 0x54202020],
      [0x80000004, 0, 0x30303737, 0x20402020, 0x30342e32, 0x7a4847],
      ...EXT_CACHES,
      ADDRESS_SIZES_32,
    ],
  },
  /** core2duo as `qemu-x86_64 -cpu core2duo,-hypervisor` reports it: long mode, syscall and NX in 0x80000001, 48-bit linear addresses */
  core2duo64: {
    qemu: 'core2duo,-hypervisor',
    leaves: [
      [0x0, 0, 0xa, ...GENUINE_INTEL], [0x1, 0, 0x6fb, 0x800, 0x2209, 0xfcbfbfd], P6_CACHES, ...CORE_CACHES,
      [0x80000000, 0, 0x80000008, ...GENUINE_INTEL], [0x80000001, 0, 0x6fb, 0x0, 0x1, 0x20100800],
      [0x80000002, 0, 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865],
      [0x80000003, 0, 0x44203229, 0x43206f75, 0x20205550, 0x54202020],
      [0x80000004, 0, 0x30303737, 0x20402020, 0x30342e32, 0x7a4847],
      ...EXT_CACHES,
      ADDRESS_SIZES_64,
    ],
  },
  max: {
    qemu:
      'Haswell-noTSX,-hypervisor,-fma,-avx,-avx2,-f16c,-xsave,-aes,-pclmulqdq,-rdrand,-fsgsbase,-invpcid,-erms,+adx,' +
      '-smep,-pcid,-x2apic,-tsc-deadline,-vme,-syscall,-lm,-nx,-pdpe1gb,-rdtscp',
    leaves: [
      [0x0, 0, 0xd, ...GENUINE_INTEL], [0x1, 0, 0x306c1, 0x800, 0xd82201, 0x78bfbfd], P6_CACHES, ...CORE_CACHES,
      [0x6, 0, 0x4, 0x0, 0x0, 0x0], [0x7, 0, 0x0, 0x80108, 0x0, 0x0],
      [0xb, 0, 0x0, 0x1, 0x100, 0x0], [0xb, 1, 0x0, 0x1, 0x201, 0x0],
      [0x80000000, 0, 0x80000008, ...GENUINE_INTEL], [0x80000001, 0, 0x306c1, 0x0, 0x21, 0x0],
      // "Intel Core Processor (Haswell, no TSX)"
      [0x80000002, 0, 0x65746e49, 0x6f43206c, 0x50206572, 0x65636f72],
      [0x80000003, 0, 0x726f7373, 0x61482820, 0x6c657773, 0x6e202c6c],
      [0x80000004, 0, 0x5354206f, 0x2958, 0x0, 0x0],
      ...EXT_CACHES,
      ADDRESS_SIZES_32,
    ],
  },
};

/** The model runs use unless told otherwise (the one the experiments are held against). */
export const DEFAULT_CPU_MODEL = 'pentium2';
/** The model an x86-64 guest runs on unless told otherwise (x86-64 needs long mode and SSE2). */
export const DEFAULT_CPU_MODEL_64 = 'core2duo64';
export const CPU_MODEL_NAMES: readonly string[] = Object.keys(MODELS);

export interface CpuModel {
  readonly name: string;
  /** `qemu-i386 -cpu` argument reporting the same leaves */
  readonly qemu: string;
  readonly leaves: readonly Leaf[];
  has(ext: IsaExtension): boolean;
  /** CPUID.1:EDX, which Linux and QEMU pass as AT_HWCAP */
  readonly hwcap: number;
}

/** Leaves whose result depends on the subleaf in ecx. */
const SUBLEAF_LEAVES = new Set([4, 7, 0xb, 0xd]);

function leafInRange(leaves: readonly Leaf[], leaf: number): boolean {
  if (leaf < 0x80000000) return leaf <= leaves[0][2];
  return leaf <= (leaves.find((l) => l[0] === 0x80000000)?.[2] ?? 0);
}

/** cpuid(leaf, subleaf) as the model answers: [eax, ebx, ecx, edx]. */
export function cpuidLeaf(m: Pick<CpuModel, 'leaves'>, leaf: number, subleaf: number): [number, number, number, number] {
  leaf >>>= 0;
  // a leaf above the highest one answers as the highest basic leaf (Intel, and QEMU)
  if (!leafInRange(m.leaves, leaf)) leaf = m.leaves[0][2];
  const sub = SUBLEAF_LEAVES.has(leaf) ? subleaf >>> 0 : 0;
  const e = m.leaves.find((l) => l[0] === leaf && l[1] === sub);
  if (e) return [e[2], e[3], e[4], e[5]];
  // topology subleaves past the last level echo the level number
  if (leaf === 0xb) return [0, 0, sub & 0xff, 0];
  return [0, 0, 0, 0];
}

/** The named model; throws RangeError naming the known ones for an unknown name. */
export function cpuModel(name: string): CpuModel {
  const def = MODELS[name];
  if (!def) throw new RangeError(`unknown CPU model '${name}' (known: ${CPU_MODEL_NAMES.join(', ')})`);
  const m = { leaves: def.leaves };
  const exts = new Set<IsaExtension>();
  for (const [ext, [leaf, reg, bit]] of Object.entries(EXTENSION_BITS) as [IsaExtension, readonly [number, number, number]][]) {
    if (leafInRange(def.leaves, leaf) && (cpuidLeaf(m, leaf, 0)[reg] >>> bit) & 1) exts.add(ext);
  }
  return { name, qemu: def.qemu, leaves: def.leaves, has: (ext) => exts.has(ext), hwcap: cpuidLeaf(m, 1, 0)[3] };
}
