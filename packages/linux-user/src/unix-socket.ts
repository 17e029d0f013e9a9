/**
 * AF_UNIX sockets between the guest processes of a run (net/unix/af_unix.c's model): stream,
 * datagram and seqpacket sockets behind anon-style descriptors (OpenFile.anon), connected in
 * pairs (socketpair, or connect to a listening socket's name and accept), each end with its
 * receive queue of chunks (stream: bytes that may be read across chunks; datagram and
 * seqpacket: one message each), descriptors in flight with their chunk (SCM_RIGHTS), shutdown
 * states and the poll mask of unix_poll. Names live in the run's namespace: the abstract ones
 * (a leading NUL) and path names by their absolute host path (no socket file is made on the
 * host; a path name is free again when its socket closes).
 */
import { Wakes, type AnonFile } from './anon-file';
import { EINVAL } from './errno';
import type { OpenFile } from './fd-table';
import type { LinuxProcess } from './process';
import { POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './poll-events';

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_SEQPACKET = 5;
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
const POLLRDHUP = 0x2000;
const POLLWRBAND = 0x200;
/** The default socket buffer (net.core.wmem_default): what a sender may have queued at the peer. */
export const SOCK_BUF = 212992;

export interface Chunk {
  bytes: Uint8Array;
  /** Open file descriptions in flight (SCM_RIGHTS), each holding a reference. */
  files?: OpenFile[];
  /** The sender's address as getsockname shows it (recvfrom's address), if it is bound. */
  from?: Uint8Array;
  /** The credentials it carries (SCM_CREDENTIALS): given by the sender, or attached under SO_PASSCRED. */
  cred?: Ucred;
}

/** struct ucred */
export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
}

/** The names of a run: name -> bound socket. */
const namespaces = new WeakMap<object, Map<string, UnixSocket>>();

export function socketNames(p: LinuxProcess): Map<string, UnixSocket> {
  const owner = p.tree ?? p;
  let m = namespaces.get(owner);
  if (!m) namespaces.set(owner, (m = new Map()));
  return m;
}

let socketInodes = 0;

export class UnixSocket implements AnonFile {
  readonly ino = ++socketInodes;
  readonly wakes = new Wakes();
  get name(): string {
    return `socket:[${this.ino}]`;
  }
  peer: UnixSocket | undefined;
  listening = false;
  backlog = 0;
  /** Connections waiting for accept (the server ends). */
  readonly pending: UnixSocket[] = [];
  readonly queue: Chunk[] = [];
  queued = 0;
  shutdown = 0;
  /** Bound name (abstract names start with NUL), and the map it is in. */
  bound: string | undefined;
  private names: Map<string, UnixSocket> | undefined;
  /** Set when the socket was closed (its peer reads EOF, sends fail). */
  dead = false;
  /** Credentials of the process that connected / created the pair (SO_PEERCRED). */
  cred = { pid: 0, uid: 0, gid: 0 };
  /** Integer and boolean options by "level/name" (syscalls/socket-options.ts). */
  readonly options = new Map<string, number>();
  linger = { onoff: 0, secs: 0 };
  /** SO_RCVTIMEO and SO_SNDTIMEO (seconds, microseconds; zero: wait for ever): how long a blocking call waits. */
  timeouts = { rcv: [0, 0], snd: [0, 0] };
  sndbuf = SOCK_BUF;
  rcvbuf = SOCK_BUF;

  constructor(
    readonly type: number,
    p: LinuxProcess,
  ) {
    this.cred = { pid: p.pid, uid: p.ids.euid, gid: p.ids.egid };
  }

  get connectionBased(): boolean {
    return this.type !== SOCK_DGRAM;
  }

  /** The socket is connected (or was, until its peer closed). */
  get established(): boolean {
    return this.peer !== undefined;
  }

  bind(name: string, names: Map<string, UnixSocket>): void {
    this.bound = name;
    this.names = names;
    names.set(name, this);
  }

  // read(2), write(2), readv and writev on a socket go to the socket calls (syscalls/io.ts),
  // which know the caller; these are never reached
  read(): number {
    return -EINVAL;
  }
  write(): number {
    return -EINVAL;
  }

  /** unix_poll (unix_dgram_poll for datagrams without a connection). */
  poll(): number {
    let m = 0;
    if (this.shutdown === (RCV_SHUTDOWN | SEND_SHUTDOWN)) m |= POLLHUP;
    if (this.shutdown & RCV_SHUTDOWN) m |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.queue.length > 0 || this.pending.length > 0) m |= POLLIN | POLLRDNORM;
    if (this.connectionBased && !this.established && !this.listening) m |= POLLHUP;
    if (!this.listening && this.writable()) m |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return m;
  }

  /** A send would not block: the peer's queue has room (unix_writable, roughly). */
  writable(): boolean {
    const to = this.peer;
    return !to || to.queued < to.rcvbuf;
  }

  release(): void {
    this.dead = true;
    if (this.names && this.bound !== undefined && this.names.get(this.bound) === this) this.names.delete(this.bound);
    for (const c of this.queue) for (const f of c.files ?? []) dropRef(f);
    this.queue.length = 0;
    for (const s of this.pending) s.release();
    const peer = this.peer;
    if (peer && this.connectionBased) {
      peer.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
      peer.peerGone = true;
    }
  }

  /** The peer closed (stream/seqpacket: EPIPE on send, EOF on receive). */
  peerGone = false;
}

function dropRef(f: OpenFile): void {
  if (--f.refs === 0) f.release();
}

/** Connects two sockets to each other (socketpair, accept). */
export function pair(a: UnixSocket, b: UnixSocket): void {
  a.peer = b;
  b.peer = a;
}
