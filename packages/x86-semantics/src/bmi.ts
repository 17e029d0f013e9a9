/**
 * The BMI2 bit gathers and scatters translated code calls a helper for (QEMU's helper_pdep,
 * helper_pext): a loop over the mask's set bits, which inline code would repeat per use.
 */

/** pdep: the low bits of `src`, in order, into the positions of the set bits of `mask`. */
export function pdep(src: number, mask: number): number {
  let r = 0;
  let m = mask >>> 0;
  for (let k = 1; m !== 0; k = (k << 1) >>> 0) {
    const low = (m & -m) >>> 0;
    if (src & k) r |= low;
    m = (m ^ low) >>> 0;
  }
  return r >>> 0;
}

/** pext: the bits of `src` at the set bits of `mask`, packed into the low bits. */
export function pext(src: number, mask: number): number {
  let r = 0;
  let m = mask >>> 0;
  for (let k = 1; m !== 0; k = (k << 1) >>> 0) {
    const low = (m & -m) >>> 0;
    if (src & low) r |= k;
    m = (m ^ low) >>> 0;
  }
  return r >>> 0;
}

const popcount32 = (v: number): number => {
  let n = 0;
  for (let m = v >>> 0; m !== 0; m = (m & (m - 1)) >>> 0) n++;
  return n;
};

/** 64-bit pdep as two 32-bit ones: the high half of the mask takes the source bits the low half left. */
export function pdep64(src: bigint, mask: bigint): bigint {
  const maskLo = Number(mask & 0xffffffffn);
  const lo = pdep(Number(src & 0xffffffffn), maskLo);
  const hi = pdep(Number((src >> BigInt(popcount32(maskLo))) & 0xffffffffn), Number(mask >> 32n));
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** 64-bit pext as two 32-bit ones: the high half's bits follow the low half's. */
export function pext64(src: bigint, mask: bigint): bigint {
  const maskLo = Number(mask & 0xffffffffn);
  const lo = pext(Number(src & 0xffffffffn), maskLo);
  const hi = pext(Number((src >> 32n) & 0xffffffffn), Number(mask >> 32n));
  return BigInt.asUintN(64, (BigInt(hi) << BigInt(popcount32(maskLo))) | BigInt(lo));
}
