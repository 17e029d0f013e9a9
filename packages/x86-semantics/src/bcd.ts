/**
 * Decimal adjustments (daa, das, aaa, aas, aam, aad): (AX, EFLAGS) to the new AX and EFLAGS,
 * the body of the bcd_adjust helper (QEMU's helper_daa ... helper_aad).
 */
import { AF, CF, PF, SF, ZF } from '@dbtlab/x86-frontend';
import { parity } from './cc-op';

/** Operation numbers passed to the helper in a0. */
export const BCD_OPS = ['DAA', 'DAS', 'AAA', 'AAS', 'AAM', 'AAD'] as const;

/** SF, ZF, PF of an 8-bit result. */
function szp(v: number): number {
  return (v & 0x80 ? SF : 0) | (v === 0 ? ZF : 0) | (parity(v) ? PF : 0);
}

/**
 * The SDM's pseudocode. Returns (newAX & 0xffff) | (newFlags << 16); OF and, where the SDM
 * leaves them undefined, the others come out as computed here.
 */
export function bcdAdjust(op: number, ax: number, flags: number, base: number): number {
  let al = ax & 0xff;
  let ah = (ax >> 8) & 0xff;
  const af = (flags & AF) !== 0;
  const cf = (flags & CF) !== 0;
  let f = 0;
  switch (BCD_OPS[op]) {
    case 'DAA': {
      const old = al;
      if ((al & 0xf) > 9 || af) {
        al += 6;
        f |= AF;
      }
      if (old > 0x99 || cf) {
        al += 0x60;
        f |= CF;
      }
      al &= 0xff;
      f |= szp(al);
      break;
    }
    case 'DAS': {
      const old = al;
      if ((al & 0xf) > 9 || af) {
        if (al < 6) f |= CF;
        al = (al - 6) & 0xff;
        f |= AF | (cf ? CF : 0);
      }
      if (old > 0x99 || cf) {
        al = (al - 0x60) & 0xff;
        f |= CF;
      }
      f |= szp(al);
      break;
    }
    case 'AAA':
    case 'AAS': {
      const add = BCD_OPS[op] === 'AAA';
      if ((al & 0xf) > 9 || af) {
        const v = ((ah << 8) | al) + (add ? 0x106 : -0x106);
        ah = (v >> 8) & 0xff;
        al = v & 0xff;
        f |= AF | CF;
      }
      al &= 0xf;
      f |= szp(al);
      break;
    }
    case 'AAM':
      ah = Math.floor(al / base);
      al %= base;
      f |= szp(al);
      break;
    default: // AAD
      al = (al + ah * base) & 0xff;
      ah = 0;
      f |= szp(al);
  }
  return ((ah << 8) | al) | (f << 16);
}
