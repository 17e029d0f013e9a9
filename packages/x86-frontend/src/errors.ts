/** The decoder's one error type: an undefined encoding or an instruction cut off by the end of the buffer. */
export class DecodeError extends Error {
  constructor(
    readonly kind: 'undefined' | 'truncated',
    readonly addr: number,
    readonly bytes: Uint8Array,
  ) {
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    super(`${kind === 'undefined' ? 'undefined instruction' : 'truncated instruction'} at 0x${addr.toString(16)}: ${hex}`);
    this.name = 'DecodeError';
  }
}
