/**
 * The buffer between the two ends of a guest pipe, kept as Linux's pipe_inode_info keeps it: a
 * ring of page buffers (16 by default, F_SETPIPE_SZ resizes it). A write puts the first
 * (length % page) bytes into the last buffer when it may take them (a plain write's page, with
 * room), then fills new pages; an O_DIRECT writer's pages are packets, which nothing merges
 * into, and a read returns at most one packet (what it leaves of one is dropped). The pipe is
 * full when every slot holds a buffer (pipe_write, pipe_read, pipe_poll).
 */
import { Wakes } from './anon-file';
import { EBUSY } from './errno';

/** PIPE_BUF, and the page each buffer of the ring holds. */
export const PIPE_BUF = 4096;
export const PIPE_PAGE = 4096;
/** The ring's slots at creation (PIPE_DEF_BUFFERS). */
export const PIPE_DEF_BUFFERS = 16;

interface PipeBuffer {
  /** The bytes not read yet, and where they start in their page. */
  bytes: Uint8Array;
  offset: number;
  /** PIPE_BUF_FLAG_PACKET: an O_DIRECT write's page; PIPE_BUF_FLAG_CAN_MERGE: a later write may add to it. */
  packet: boolean;
  canMerge: boolean;
}

export class GuestPipe {
  private bufs: PipeBuffer[] = [];
  /** Wake-ups of readers (a write, the last writer gone) and of writers (a read, the last reader gone). */
  readonly wakes = new Wakes();
  /** The bytes held (FIONREAD). */
  length = 0;
  /** The ring's slots (max_usage). */
  slots = PIPE_DEF_BUFFERS;
  readers = 0;
  writers = 0;
  /** The pipefs inode's permission bits and owner (chmod/chown through /proc/self/fd/N or fchmod act on them). */
  mode = 0o600;
  /** Pseudo inode number, as pipefs gives each pipe its own; the owner is its maker's effective ids. */
  constructor(
    readonly ino: number,
    public uid = 0,
    public gid = 0,
  ) {}

  /** The ring's size in bytes (F_GETPIPE_SZ). */
  get capacity(): number {
    return this.slots * PIPE_PAGE;
  }

  /** The slots no buffer holds (the pipe may be written while there is one). */
  get freeSlots(): number {
    return this.slots - this.bufs.length;
  }

  /** The bytes the last buffer takes of a write of `len`: its first len % page bytes, if they fit. */
  private merged(len: number): number {
    const chars = len % PIPE_PAGE;
    const last = this.bufs[this.bufs.length - 1];
    return chars > 0 && last?.canMerge && last.offset + last.bytes.length + chars <= PIPE_PAGE ? chars : 0;
  }

  /** How much of a write of `len` bytes goes in now. */
  room(len: number): number {
    return Math.min(len, this.merged(len) + this.freeSlots * PIPE_PAGE);
  }

  /** Writes what goes in of `bytes` (pipe_write until the ring is full), as packets for an O_DIRECT writer. */
  write(bytes: Uint8Array, packet = false): number {
    let done = this.merged(bytes.length);
    if (done > 0) {
      const last = this.bufs[this.bufs.length - 1];
      const joined = new Uint8Array(last.bytes.length + done);
      joined.set(last.bytes);
      joined.set(bytes.subarray(0, done), last.bytes.length);
      last.bytes = joined;
    }
    while (done < bytes.length && this.bufs.length < this.slots) {
      const n = Math.min(PIPE_PAGE, bytes.length - done);
      this.bufs.push({ bytes: bytes.slice(done, done + n), offset: 0, packet, canMerge: !packet });
      done += n;
    }
    this.length += done;
    if (done > 0) this.wakes.in++;
    return done;
  }

  /** The first `max` bytes, left in the pipe (tee, vmsplice). */
  peek(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.length));
    let done = 0;
    for (const b of this.bufs) {
      if (done === out.length) break;
      const n = Math.min(b.bytes.length, out.length - done);
      out.set(b.bytes.subarray(0, n), done);
      done += n;
    }
    return out;
  }

  /** read(2): up to `max` bytes, ending after the first packet met (the rest of it dropped). */
  read(max: number): Uint8Array {
    return this.take(max, true);
  }

  /** Takes `n` bytes out, packets or not (what vmsplice copied out). */
  consume(n: number): void {
    this.take(n, false);
  }

  private take(max: number, packets: boolean): Uint8Array {
    const parts: Uint8Array[] = [];
    let left = Math.min(max, this.length);
    while (left > 0 && this.bufs.length > 0) {
      const b = this.bufs[0];
      const n = Math.min(b.bytes.length, left);
      parts.push(b.bytes.subarray(0, n));
      const drop = packets && b.packet ? b.bytes.length : n;
      b.bytes = b.bytes.subarray(drop);
      b.offset += drop;
      this.length -= drop;
      if (b.bytes.length === 0) this.bufs.shift();
      left = packets && b.packet ? 0 : left - n;
    }
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    if (out.length > 0) this.wakes.out++;
    return out;
  }

  /** F_SETPIPE_SZ's ring of `slots` (pipe_resize_ring): -EBUSY when the buffers held do not fit. */
  resize(slots: number): number {
    if (slots < this.bufs.length) return -EBUSY;
    this.slots = slots;
    this.wakes.out++;
    return 0;
  }
}
