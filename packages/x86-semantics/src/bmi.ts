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
