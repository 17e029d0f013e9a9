/**
 * The socket system calls, through socketcall (i386's multiplexer) and the direct calls:
 * AF_UNIX sockets between guest processes (unix-socket.ts) and AF_INET/AF_INET6 sockets over
 * the run's loopback (inet-socket.ts): socket, socketpair, bind, listen,
 * connect, accept/accept4, send/sendto/sendmsg, recv/recvfrom/recvmsg (SCM_RIGHTS descriptor
 * passing), shutdown, getsockname/getpeername, getsockopt/setsockopt; read(2)/write(2) on a
 * socket come here too. A call that must wait (an empty queue, a full peer, no connection to
 * accept) blocks through the scheduler; a blocking stream send larger than the room at the
 * peer goes in parts, as room comes. Other address families are EAFNOSUPPORT. An inherited host socket (Node's stdio socketpairs) answers
 * getsockname/getpeername as an unnamed AF_UNIX socket; getsockopt, setsockopt and shutdown on it are the host's (host-call.ts).
 */
import { existsSync, fstatSync } from 'node:fs';
import { installAnon } from '../anon-file';
import { capable, CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN } from '../capabilities';
import {
  EADDRINUSE, EAFNOSUPPORT, EAGAIN, EBADF, ECONNREFUSED, EDESTADDRREQ, EINPROGRESS, EINTR, EINVAL, ERESTARTSYS, EISCONN, EMSGSIZE, ENOENT, EPERM, ESRCH,
  ENOTCONN, ENOTSOCK, EOPNOTSUPP, EPIPE, EPROTONOSUPPORT, EPROTOTYPE, ESOCKTNOSUPPORT,
} from '../errno';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR, type OpenFile } from '../fd-table';
import type { LinuxProcess } from '../process';
import {
  AF_INET, AF_INET6, autobindInet, bindForPeer, inetBind, InetSocket, IPPROTO_TCP, IPPROTO_UDP, lookup, maxDatagram, newInetSocket, peerName,
  readInetAddr, route, sourceName, type InetName,
} from '../inet-socket';
import { waitReady } from '../readiness';
import { CLOCKS, encodeTimespec, readTimespec } from './time';
import { WouldBlock } from '../would-block';
import { SIGPIPE, SI_USER } from '../signal';
import { pair, RCV_SHUTDOWN, SEND_SHUTDOWN, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, socketNames, UnixSocket, type Chunk, type Ucred } from '../unix-socket';
import { readIovecs } from './io';
import { getOption, hostGetOption, hostSetOption, passcred, setOption, takeError } from './socket-options';
import { hostCall, ON_FD3 } from '../host-call';
import { ulong, wordAt, type SyscallArgs } from '../syscall-args';

const AF_UNIX = 1;
const SOCK_TYPE_MASK = 0xf;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = O_NONBLOCK;
const SOCK_CLOEXEC = O_CLOEXEC;
const MSG_OOB = 1;
const MSG_PEEK = 2;
const MSG_CTRUNC = 8;
const MSG_TRUNC = 0x20;
const MSG_DONTWAIT = 0x40;
const MSG_WAITALL = 0x100;
const MSG_NOSIGNAL = 0x4000;
const MSG_CMSG_CLOEXEC = 0x40000000;
const SOL_SOCKET = 1;
const SCM_RIGHTS = 1;
const SCM_CREDENTIALS = 2;
const UCRED_SIZE = 12;
/** What a receiver sees for a message that carries no credentials (from_kuid_munged of none: the overflow ids). */
const NO_CRED: Ucred = { pid: 0, uid: 65534, gid: 65534 };
const SCM_MAX_FD = 253;
const SOMAXCONN = 4096;
/** sizeof(struct sockaddr_un) and the offset of sun_path. */
const SUN_LEN = 110;
const SUN_PATH = 2;

/** The socket behind fd: the object, or -EBADF / -ENOTSOCK. */
function sock(p: LinuxProcess, fd: number): { s: UnixSocket; file: OpenFile } | number {
  const file = p.fds.get(fd | 0);
  if (!file) return -EBADF;
  return file.anon instanceof UnixSocket ? { s: file.anon, file } : -ENOTSOCK;
}

function newSocket(p: LinuxProcess, domain: number, type: number, protocol: number): UnixSocket | number {
  if (domain !== AF_UNIX && domain !== AF_INET && domain !== AF_INET6) return -EAFNOSUPPORT;
  if (type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) return -EINVAL;
  if (domain !== AF_UNIX) return newInetSocket(p, domain, type & SOCK_TYPE_MASK, protocol);
  if (protocol !== 0 && protocol !== AF_UNIX) return -EPROTONOSUPPORT;
  let t = type & SOCK_TYPE_MASK;
  if (t === SOCK_RAW) t = SOCK_DGRAM;
  if (t !== SOCK_STREAM && t !== SOCK_DGRAM && t !== SOCK_SEQPACKET) return -ESOCKTNOSUPPORT;
  return new UnixSocket(t, p);
}

const install = (p: LinuxProcess, s: UnixSocket, flags: number): number => installAnon(p, s, O_RDWR | (flags & O_NONBLOCK), (flags & SOCK_CLOEXEC) !== 0);

/** socket(domain, type, protocol). */
export function socket(p: LinuxProcess, domain: number, type: number, protocol: number): number {
  const s = newSocket(p, domain, type, protocol);
  return typeof s === 'number' ? s : install(p, s, type);
}

/** socketpair(domain, type, protocol, sv). */
export function socketpair(p: LinuxProcess, domain: number, type: number, protocol: number, sv: number): number {
  // the socket is made first (its type and protocol checked), then the inet families refuse pairs
  const a = newSocket(p, domain, type, protocol);
  if (typeof a === 'number') return a;
  if (domain === AF_INET || domain === AF_INET6) return -EOPNOTSUPP;
  const b = newSocket(p, domain, type, protocol) as UnixSocket;
  pair(a, b);
  const fa = install(p, a, type);
  if (fa < 0) return fa;
  const fb = install(p, b, type);
  if (fb < 0) {
    p.fds.close(fa);
    return fb;
  }
  try {
    p.mem.writeBytes(sv, new Uint8Array(Int32Array.of(fa, fb).buffer));
  } catch (e) {
    p.fds.close(fa);
    p.fds.close(fb);
    throw e;
  }
  return 0;
}

/** A sockaddr_un: the name (abstract: starts with NUL; path: the host path) and its bytes as getsockname shows them. */
function readAddr(p: LinuxProcess, addr: number, len: number): { key: string; bytes: Uint8Array; path: boolean } | number {
  if (len < SUN_PATH || len > SUN_LEN) return -EINVAL;
  const raw = p.mem.readBytes(addr, len);
  if ((raw[0] | (raw[1] << 8)) !== AF_UNIX) return -EINVAL;
  const sun = raw.subarray(SUN_PATH);
  if (sun.length === 0) return { key: '', bytes: raw.slice(0, SUN_PATH), path: false };
  if (sun[0] === 0) return { key: Buffer.from(sun).toString('latin1'), bytes: raw.slice(), path: false };
  const end = sun.indexOf(0);
  const path = Buffer.from(end < 0 ? sun : sun.subarray(0, end)).toString('utf8');
  // getsockname shows the path as given, with its NUL
  const bytes = new Uint8Array(SUN_PATH + Buffer.byteLength(path) + 1);
  bytes.set(raw.subarray(0, SUN_PATH));
  bytes.set(Buffer.from(path), SUN_PATH);
  return { key: p.hostPathOf(path), bytes, path: true };
}

/** Bound addresses as getsockname shows them, by socket. */
const addresses = new WeakMap<UnixSocket, Uint8Array>();
let autobindNext = 0;

/** bind(fd, addr, addrlen). */
export function bind(p: LinuxProcess, fd: number, addr: number, len: number): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (r.s instanceof InetSocket) {
    const a = readInetAddr(p, r.s.family, addr, len, false);
    return typeof a === 'number' ? a : a === 'unspec' ? -EAFNOSUPPORT : inetBind(p, r.s, a);
  }
  const a = readAddr(p, addr, len);
  if (typeof a === 'number') return a;
  if (r.s.bound !== undefined) return -EINVAL;
  const names = socketNames(p);
  if (a.key === '') return autobind(r.s, names);
  if (names.has(a.key) || (a.path && existsSync(a.key))) return -EADDRINUSE;
  r.s.bind(a.key, names);
  addresses.set(r.s, a.bytes);
  return 0;
}

/** An abstract name of five hex digits (unix_autobind). */
function autobind(s: UnixSocket, names: Map<string, UnixSocket>): number {
  for (;;) {
    const name = `\0${(autobindNext++ & 0xfffff).toString(16).padStart(5, '0')}`;
    if (names.has(name)) continue;
    s.bind(name, names);
    addresses.set(s, new Uint8Array([AF_UNIX, 0, ...Buffer.from(name, 'latin1')]));
    return 0;
  }
}

/** listen(fd, backlog). */
export function listen(p: LinuxProcess, fd: number, backlog: number): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (!r.s.connectionBased) return -EOPNOTSUPP;
  if (r.s instanceof InetSocket) {
    if (r.s.established) return -EINVAL;
    const b = autobindInet(p, r.s);
    if (b < 0) return b;
  } else if (r.s.bound === undefined || r.s.established) return -EINVAL;
  r.s.listening = true;
  r.s.backlog = Math.min(Math.max(backlog | 0, 0), SOMAXCONN);
  return 0;
}

const nonblocking = (file: OpenFile, flags = 0): boolean => (file.flags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;

/** The end of this call's wait under SO_RCVTIMEO or SO_SNDTIMEO (seconds, microseconds; zero: none). */
function deadline(p: LinuxProcess, [sec, usec]: number[]): bigint | undefined {
  const ns = BigInt(sec) * 1_000_000_000n + BigInt(usec) * 1000n;
  return ns > 0n ? p.callStart() + ns : undefined;
}

/**
 * Blocks until `ready` (0), or -EAGAIN (non-blocking, or the socket's timeout `timeo` passed); a
 * signal ends it with sock_intr_errno's answer: -ERESTARTSYS without a timeout, -EINTR with one.
 */
function waitFor(p: LinuxProcess, nonblock: boolean, ready: () => boolean, timeo: number[]): number {
  if (ready()) return 0;
  if (nonblock) return -EAGAIN;
  const until = deadline(p, timeo);
  const r = waitReady(p, ready, undefined, until, [], until === undefined);
  return r < 0 || ready() ? r : -EAGAIN;
}

/** connect(fd, addr, addrlen). */
export function connect(p: LinuxProcess, fd: number, addr: number, len: number): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (r.s instanceof InetSocket) return inetConnect(p, r.s, r.file, addr, len);
  const a = readAddr(p, addr, len);
  if (typeof a === 'number') return a;
  const s = r.s;
  const other = socketNames(p).get(a.key);
  if (!other) return a.path && !existsSync(a.key) ? -ENOENT : -ECONNREFUSED;
  // an abstract name is looked up by type (another type's socket is not found)
  if (other.type !== s.type) return a.path ? -EPROTOTYPE : -ECONNREFUSED;
  if (!s.connectionBased) {
    s.peer = other;
    return 0;
  }
  if (s.established) return -EISCONN;
  if (!other.listening || other.shutdown & RCV_SHUTDOWN) return -ECONNREFUSED;
  const w = waitFor(p, nonblocking(r.file), () => other.pending.length <= other.backlog || other.dead, s.timeouts.snd);
  if (w < 0) return w;
  if (other.dead) return -ECONNREFUSED;
  const server = new UnixSocket(s.type, p);
  server.cred = { ...other.cred };
  addresses.set(server, addresses.get(other)!);
  pair(s, server);
  other.pending.push(server);
  other.wakes.in++;
  return 0;
}

/**
 * connect on an inet socket: UDP sets its peer (AF_UNSPEC clears it); TCP makes the accepted
 * end of the connection in the listener's backlog at once (a non-blocking connect says
 * EINPROGRESS, and the next connect 0) or is refused.
 */
function inetConnect(p: LinuxProcess, s: InetSocket, file: OpenFile, addr: number, len: number): number {
  const a = readInetAddr(p, s.family, addr, len, true);
  if (typeof a === 'number') return a;
  if (a === 'unspec') {
    if (s.protocol === IPPROTO_UDP) s.remote = undefined;
    return 0;
  }
  const rt = route(s, a);
  if (rt < 0) return rt;
  if (s.protocol === IPPROTO_UDP) {
    const b = bindForPeer(p, s, a);
    if (b < 0) return b;
    s.remote = peerName(a);
    return 0;
  }
  if (s.connecting) {
    s.connecting = false;
    return s.established ? 0 : -takeError(s);
  }
  if (s.listening) return -EINVAL;
  if (s.established) return -EISCONN;
  const nonblock = nonblocking(file);
  const server = lookup(p, IPPROTO_TCP, a);
  if (!server) {
    if (!nonblock) return -ECONNREFUSED;
    s.soError = ECONNREFUSED;
    s.reset = s.connecting = true;
    return -EINPROGRESS;
  }
  const w = waitFor(p, nonblock, () => server.pending.length <= server.backlog || server.dead, s.timeouts.snd);
  // SO_SNDTIMEO passed: the connect goes on in the background, as a non-blocking one's would
  if (w === -EAGAIN && !nonblock) return -EINPROGRESS;
  if (w < 0) return w;
  if (server.dead) return -ECONNREFUSED;
  const b = bindForPeer(p, s, a);
  if (b < 0) return b;
  const accepted = new InetSocket(server.family, s.type, IPPROTO_TCP, p);
  accepted.cred = { ...server.cred };
  for (const [k, v] of server.options) accepted.options.set(k, v);
  s.remote = peerName(a);
  accepted.local = { ip: s.remote.ip, port: server.local!.port };
  accepted.remote = s.local;
  pair(s, accepted);
  server.pending.push(accepted);
  server.wakes.in++;
  if (!nonblock) return 0;
  s.connecting = true;
  return -EINPROGRESS;
}


/** Writes a socket address and its length (value-result addrlen), as move_addr_to_user: truncated to the caller's room. */
function putAddr(p: LinuxProcess, bytes: Uint8Array, addr: number, lenAddr: number): void {
  if (addr === 0 || lenAddr === 0) return;
  const room = p.mem.read32(lenAddr) | 0;
  if (room < 0) throw Object.assign(new Error('addrlen'), { code: 'EINVAL' });
  p.mem.writeBytes(addr, bytes.subarray(0, Math.min(room, bytes.length)));
  p.mem.write32(lenAddr, bytes.length);
}

const unnamed = new Uint8Array([AF_UNIX, 0]);

/** accept4(fd, addr, addrlen, flags). */
export function accept4(p: LinuxProcess, fd: number, addr: number, lenAddr: number, flags: number): number {
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return -EINVAL;
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (!r.s.connectionBased) return -EOPNOTSUPP;
  if (!r.s.listening) return -EINVAL;
  const w = waitFor(p, nonblocking(r.file), () => r.s.pending.length > 0, r.s.timeouts.rcv);
  if (w < 0) return w;
  const server = r.s.pending.shift()!;
  const nfd = install(p, server, flags);
  if (nfd < 0) return nfd;
  const from = server instanceof InetSocket ? server.sockaddr(server.remote) : server.peer && addresses.get(server.peer);
  putAddr(p, from ?? unnamed, addr, lenAddr);
  return nfd;
}

/** getsockname / getpeername: the socket's (or its peer's) bound address. */
export function sockname(p: LinuxProcess, fd: number, addr: number, lenAddr: number, peer: boolean): number {
  const file = p.fds.get(fd | 0);
  if (!file) return -EBADF;
  if (!(file.anon instanceof UnixSocket)) {
    // an inherited host socket: an unnamed AF_UNIX socketpair end, and so is its peer
    if (!hostSocket(file)) return -ENOTSOCK;
    putAddr(p, unnamed, addr, lenAddr);
    return 0;
  }
  if (file.anon instanceof InetSocket) {
    const s = file.anon;
    if (peer && (!s.remote || (s.type === SOCK_STREAM && !s.established))) return -ENOTCONN;
    putAddr(p, s.sockaddr(peer ? s.remote : s.local), addr, lenAddr);
    return 0;
  }
  const s = peer ? file.anon.peer : file.anon;
  if (!s) return -ENOTCONN;
  putAddr(p, addresses.get(s) ?? unnamed, addr, lenAddr);
  return 0;
}

/**
 * The socket a send goes to; -errno (EPIPE: the caller raises SIGPIPE); 'discarded' for a TCP
 * send whose peer has closed: the bytes go, the answer is a reset (the next send EPIPE).
 */
function sendTarget(p: LinuxProcess, s: UnixSocket, to: { key: string } | undefined): UnixSocket | number | 'discarded' {
  if (s instanceof InetSocket) {
    if (s.soError) return -takeError(s);
    if (!s.peer || s.listening || s.shutdown & SEND_SHUTDOWN) return -EPIPE;
    if (s.peer.dead) {
      s.soError = EPIPE;
      s.reset = true;
      s.shutdown = RCV_SHUTDOWN | SEND_SHUTDOWN;
      return 'discarded';
    }
    return s.peer;
  }
  if (s.type === SOCK_STREAM) {
    if (to) return s.established ? -EISCONN : -EOPNOTSUPP;
    if (!s.peer) return -ENOTCONN;
    if (s.shutdown & SEND_SHUTDOWN || s.peerGone || s.peer.dead || s.peer.shutdown & RCV_SHUTDOWN) return -EPIPE;
    return s.peer;
  }
  if (s.type === SOCK_SEQPACKET) {
    if (!s.peer) return -ENOTCONN;
    if (s.shutdown & SEND_SHUTDOWN || s.peerGone || s.peer.dead || s.peer.shutdown & RCV_SHUTDOWN) return -EPIPE;
    return s.peer;
  }
  if (s.shutdown & SEND_SHUTDOWN) return -EPIPE;
  const other = to ? socketNames(p).get(to.key) : s.peer;
  if (!other) return to ? -ECONNREFUSED : -ENOTCONN;
  if (other.dead) return -ECONNREFUSED;
  if (other.type !== s.type) return -EPROTOTYPE;
  return other;
}

/** Bytes of a blocking stream send already queued at the peer, by sender (its retry goes on from there). */
const streamSent = new WeakMap<LinuxProcess, number>();

/** The common send: data, an optional address, descriptors in flight; the count sent or -errno. */
function send(p: LinuxProcess, fd: number, data: Uint8Array, flags: number, toAddr: number, toLen: number, files?: OpenFile[], cred?: Ucred): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (flags & MSG_OOB) return -EOPNOTSUPP;
  const s = r.s;
  if (s instanceof InetSocket && s.protocol === IPPROTO_UDP) return udpSend(p, s, data, flags, toAddr, toLen);
  let to: { key: string } | undefined;
  if (toAddr !== 0 && toLen !== 0 && s.type !== SOCK_SEQPACKET && !(s instanceof InetSocket)) {
    const a = readAddr(p, toAddr, toLen);
    if (typeof a === 'number') return a;
    to = a;
  }
  const stream = s.type === SOCK_STREAM;
  if (!stream && data.length > s.sndbuf - 32) return -EMSGSIZE;
  let done = streamSent.get(p) ?? 0;
  streamSent.delete(p);
  for (;;) {
    const target = sendTarget(p, s, to);
    if (target === -EPIPE && !(flags & MSG_NOSIGNAL)) p.queueSignal(SIGPIPE, SI_USER);
    if (target === 'discarded') return data.length - done;
    if (typeof target === 'number') return done > 0 ? done : target;
    if (stream && data.length === 0) return 0;
    // a stream takes what fits at the peer, a message goes whole once there is room
    const room = capacity(s, target) - target.queued;
    const n = room <= 0 ? 0 : stream ? Math.min(room, data.length - done) : data.length;
    if (n > 0 || !stream) {
      const part = files && done === 0 ? files : undefined;
      for (const f of part ?? []) f.refs++;
      // unix_maybe_add_creds: the sender's own when either end has SO_PASSCRED
      const own = passcred(s) || passcred(target) ? { pid: p.pid, uid: p.ids.uid, gid: p.ids.gid } : undefined;
      const chunk: Chunk = { bytes: data.slice(done, done + n), files: part, from: addresses.get(s), cred: cred ?? own };
      target.queue.push(chunk);
      target.queued += n;
      target.wakes.in++;
      done += n;
      if (done === data.length) return done;
    }
    if (nonblocking(r.file, flags)) return done > 0 ? done : -EAGAIN;
    streamSent.set(p, done);
    const w = waitSending(p, () => target.queued < capacity(s, target) || target.dead || (s instanceof InetSocket && s.soError !== 0), s.timeouts.snd);
    streamSent.delete(p);
    if (w < 0) return done > 0 ? done : w;
  }
}

/** What a sender may have queued at its peer: TCP's data in flight sits in the sender's buffer and then the receiver's. */
const capacity = (s: UnixSocket, to: UnixSocket): number => (s instanceof InetSocket ? to.rcvbuf + s.sndbuf : to.rcvbuf);

/** waitFor for a send that may already have queued part of its bytes: a signal ends it with that count. */
function waitSending(p: LinuxProcess, ready: () => boolean, timeo: number[]): number {
  try {
    return waitFor(p, false, ready, timeo);
  } catch (e) {
    if (!(e instanceof WouldBlock)) throw e;
    throw new WouldBlock(e.what, e.until, () => streamSent.delete(p), e.forSignal, () => streamSent.get(p) || -EINTR, e.onHost, e.restart);
  }
}

/**
 * A UDP datagram: to `toAddr`, else the connected peer; delivered to the socket bound there,
 * dropped when its buffer is full or nobody is bound (a connected sender then has ECONNREFUSED pending).
 */
function udpSend(p: LinuxProcess, s: InetSocket, data: Uint8Array, flags: number, toAddr: number, toLen: number): number {
  let to: InetName | undefined = s.remote;
  if (toAddr !== 0) {
    const a = readInetAddr(p, s.family, toAddr, toLen, false);
    if (typeof a === 'number') return a;
    if (a !== 'unspec') to = a;
  }
  if (s.shutdown & SEND_SHUTDOWN) {
    if (!(flags & MSG_NOSIGNAL)) p.queueSignal(SIGPIPE, SI_USER);
    return -EPIPE;
  }
  if (!to) return -EDESTADDRREQ;
  if (s.soError) return -takeError(s);
  if (data.length > maxDatagram(s)) return -EMSGSIZE;
  const rt = route(s, to);
  if (rt < 0) return rt;
  const b = autobindInet(p, s);
  if (b < 0) return b;
  const from = sourceName(s, to);
  const dest = lookup(p, IPPROTO_UDP, to, from);
  if (!dest) {
    if (s.remote) s.soError = ECONNREFUSED;
    return data.length;
  }
  if (dest.queued + data.length > dest.rcvbuf) return data.length;
  dest.queue.push({ bytes: data.slice(), from: dest.sockaddr(from) });
  dest.queued += data.length;
  dest.wakes.in++;
  return data.length;
}

interface Received {
  bytes: Uint8Array;
  files: OpenFile[];
  from: Uint8Array | undefined;
  /** The message's whole length (datagrams: MSG_TRUNC when it did not fit). */
  full: number;
  cred?: Ucred;
}

/** The common receive of up to `len` bytes; -errno, or what came. */
function recv(p: LinuxProcess, fd: number, len: number, flags: number): Received | number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  const s = r.s;
  if (flags & MSG_OOB) return -EOPNOTSUPP;
  const inet = s instanceof InetSocket ? s : undefined;
  if (inet) {
    // tcp_recvmsg: never connected ENOTCONN; udp: a pending error before any datagram
    if (s.type === SOCK_STREAM && (s.listening || (!s.peer && !inet.reset))) return -ENOTCONN;
    if (s.type === SOCK_DGRAM && inet.soError) return -takeError(inet);
  } else if (s.type === SOCK_STREAM && (!s.established || s.listening)) return -EINVAL;
  if (s.type === SOCK_SEQPACKET && !s.established) return -ENOTCONN;
  const eof = (): boolean => (s.shutdown & RCV_SHUTDOWN) !== 0;
  const want = s.type === SOCK_STREAM && flags & MSG_WAITALL ? len : 1;
  const failed = (): boolean => inet !== undefined && inet.soError !== 0;
  const w = waitFor(p, nonblocking(r.file, flags), () => s.queued >= Math.min(want, Math.max(len, 1)) || (s.queue.length > 0 && s.type !== SOCK_STREAM) || eof() || failed() || len === 0, s.timeouts.rcv);
  // MSG_WAITALL that ran out of time, or a signal ended (or MSG_DONTWAIT), takes what came
  if (w < 0 && !((w === -EAGAIN || w === -EINTR || w === -ERESTARTSYS) && s.queued > 0)) return w;
  if (inet && s.queue.length === 0 && inet.soError) return -takeError(inet);
  const peek = (flags & MSG_PEEK) !== 0;
  // what is taken makes room for the peer's sends
  if (!peek && s.queue.length > 0 && s.peer) s.peer.wakes.out++;
  if (s.queue.length === 0) return { bytes: new Uint8Array(0), files: [], from: undefined, full: 0 };
  if (s.type !== SOCK_STREAM) {
    const c = s.queue[0];
    if (!peek) {
      s.queue.shift();
      s.queued -= c.bytes.length;
    }
    return { bytes: c.bytes.subarray(0, len), files: peek ? [] : (c.files ?? []), from: c.from, full: c.bytes.length, cred: c.cred };
  }
  // a stream: across chunks, stopping after one that carries descriptors
  const out: Uint8Array[] = [];
  let n = 0;
  let files: OpenFile[] = [];
  let from: Uint8Array | undefined;
  const cred = s.queue[0].cred;
  const sameCred = (c: Chunk): boolean => c.cred?.pid === cred?.pid && c.cred?.uid === cred?.uid && c.cred?.gid === cred?.gid;
  for (let i = 0; n < len && i < s.queue.length; ) {
    const c = s.queue[i];
    // under SO_PASSCRED, one read never joins the bytes of different senders
    if (passcred(s) && !sameCred(c)) break;
    from ??= c.from;
    const take = Math.min(c.bytes.length, len - n);
    out.push(c.bytes.subarray(0, take));
    n += take;
    if (peek) {
      i++;
      continue;
    }
    if (c.files) {
      files = c.files;
      c.files = undefined;
    }
    if (take === c.bytes.length) s.queue.shift();
    else c.bytes = c.bytes.subarray(take);
    s.queued -= take;
    if (files.length) break;
  }
  const bytes = new Uint8Array(n);
  let at = 0;
  for (const b of out) {
    bytes.set(b, at);
    at += b.length;
  }
  return { bytes, files, from, full: n, cred };
}

/**
 * struct cmsghdr {size_t cmsg_len; int cmsg_level, cmsg_type}: a 12-byte header and 4-byte
 * alignment (CMSG_ALIGN) on i386, 16 and 8 on x86-64.
 */
const cmsgHeader = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 16 : 12);
const cmsgAlign = (p: LinuxProcess, n: number): number => (p.abi === 'x86_64' ? (n + 7) & ~7 : (n + 3) & ~3);

/** Installs received descriptors into the caller's table; the cmsg bytes that fit in `room`, and whether some were cut. */
function receiveFiles(p: LinuxProcess, files: OpenFile[], room: number, cloexec: boolean): { cmsg: Uint8Array; truncated: boolean } {
  const hdr = cmsgHeader(p);
  const fit = room < hdr ? 0 : Math.min(files.length, Math.floor((room - hdr) / 4));
  const fds: number[] = [];
  for (let i = 0; i < files.length; i++) {
    if (i < fit) {
      const fd = p.fds.install(files[i], cloexec);
      if (fd >= 0) fds.push(fd);
    }
    if (--files[i].refs === 0) files[i].release();
  }
  if (fds.length === 0) return { cmsg: new Uint8Array(0), truncated: files.length > 0 };
  const cmsg = new Uint8Array(hdr + 4 * fds.length);
  const v = new DataView(cmsg.buffer);
  v.setUint32(0, cmsg.length, true);
  v.setUint32(hdr - 8, SOL_SOCKET, true);
  v.setUint32(hdr - 4, SCM_RIGHTS, true);
  fds.forEach((fd, i) => v.setInt32(hdr + 4 * i, fd, true));
  return { cmsg, truncated: fds.length < files.length };
}

/** writev on a socket: send with no flags. */
export const sendBytes = (p: LinuxProcess, fd: number, data: Uint8Array): number => send(p, fd, data, 0, 0, 0);

/** readv on a socket: recv with no flags (descriptors in flight are dropped, as without a control buffer). */
export function recvBytes(p: LinuxProcess, fd: number, len: number): Uint8Array | number {
  const got = recv(p, fd, len, 0);
  if (typeof got === 'number') return got;
  receiveFiles(p, got.files, 0, false);
  return got.bytes;
}

/** send/sendto. */
export function sendto(p: LinuxProcess, fd: number, buf: number, len: number, flags: number, addr: number, addrLen: number): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  return send(p, fd, p.mem.readBytes(buf, len), flags, addr, addrLen);
}

/** recv/recvfrom. */
export function recvfrom(p: LinuxProcess, fd: number, buf: number, len: number, flags: number, addr: number, lenAddr: number): number {
  const got = recv(p, fd, len, flags);
  if (typeof got === 'number') return got;
  p.mem.writeBytes(buf, got.bytes);
  receiveFiles(p, got.files, 0, false);
  if (addr !== 0) putAddr(p, got.from ?? new Uint8Array(0), addr, lenAddr);
  return flags & MSG_TRUNC ? got.full : got.bytes.length;
}

/**
 * struct msghdr: name, namelen, iov, iovlen, control, controllen, flags, each field 4 bytes on
 * i386; on x86-64 every field starts 8 bytes after the last (pointers and size_t whole; the ints
 * namelen and flags padded, read as their 4 bytes).
 */
const msghdrField = (p: LinuxProcess, i: number): number => (p.abi === 'x86_64' ? 8 : 4) * i;
const MSGHDR_INTS = [1, 6];
function readMsghdr(p: LinuxProcess, msg: number): number[] {
  const v = new DataView(p.mem.readBytes(msg, msghdrField(p, 7)).buffer);
  const w = msghdrField(p, 1);
  return Array.from({ length: 7 }, (_, i) => (MSGHDR_INTS.includes(i) ? v.getUint32(w * i, true) : wordAt(v, w * i, w)));
}

/** sendmsg's and recvmsg's start: the socket, the msghdr's fields and its iovecs, or -errno. */
function openMsg(p: LinuxProcess, fd: number, msg: number) {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  const [name, namelen, iov, iovlen, control, controllen] = readMsghdr(p, msg);
  const iovs = readIovecs(p, iov, iovlen);
  return typeof iovs === 'number' ? iovs : { s: r.s, name, namelen, iovs, control, controllen };
}

/** sendmsg(fd, msg, flags). */
export function sendmsg(p: LinuxProcess, fd: number, msg: number, flags: number): number {
  const m = openMsg(p, fd, msg);
  if (typeof m === 'number') return m;
  const { name, namelen, iovs, control, controllen } = m;
  const data = Buffer.concat(iovs.map((v) => p.mem.readBytes(v.base, v.len)));
  let files: OpenFile[] | undefined;
  let cred: Ucred | undefined;
  if (controllen > 0) {
    const c = p.mem.readBytes(control, controllen);
    const v = new DataView(c.buffer);
    const hdr = cmsgHeader(p);
    for (let at = 0; at + hdr <= controllen; ) {
      const clen = v.getUint32(at, true), level = v.getInt32(at + hdr - 8, true), type = v.getInt32(at + hdr - 4, true);
      if (clen < hdr || clen > controllen - at) return -EINVAL;
      if (level === SOL_SOCKET && type === SCM_CREDENTIALS) {
        if (clen !== hdr + UCRED_SIZE) return -EINVAL;
        const given = { pid: v.getInt32(at + hdr, true), uid: v.getUint32(at + hdr + 4, true), gid: v.getUint32(at + hdr + 8, true) };
        const e = checkCred(p, given);
        if (e < 0) return e;
        cred = given;
      } else if (level === SOL_SOCKET) {
        if (type !== SCM_RIGHTS) return -EINVAL;
        const n = (clen - hdr) >> 2;
        if (n === 0 || n > SCM_MAX_FD || files) return -EINVAL;
        files = [];
        for (let i = 0; i < n; i++) {
          const f = p.fds.get(v.getInt32(at + hdr + 4 * i, true));
          if (!f) return -EBADF;
          files.push(f);
        }
      }
      at += cmsgAlign(p, clen);
    }
  }
  return send(p, fd, data, flags, name, namelen, files, cred);
}

/**
 * scm_check_creds and the pid's lookup: a sender may claim its own pid and its real, effective
 * (or saved) ids; with CAP_SETUID/CAP_SETGID any ids, with CAP_SYS_ADMIN any live process's pid.
 */
function checkCred(p: LinuxProcess, c: Ucred): number {
  const ok =
    (c.pid === p.pid || capable(p, CAP_SYS_ADMIN)) &&
    (c.uid === p.ids.uid || c.uid === p.ids.euid || c.uid === p.ids.suid || capable(p, CAP_SETUID)) &&
    (c.gid === p.ids.gid || c.gid === p.ids.egid || c.gid === p.ids.sgid || capable(p, CAP_SETGID));
  if (!ok) return -EPERM;
  return (p.tree?.processes ?? [p]).some((q) => q.pid === c.pid && q.threadGroup.has(q)) ? 0 : -ESRCH;
}

/** The SCM_CREDENTIALS message of a receiver with SO_PASSCRED. */
function credMessage(p: LinuxProcess, c: Ucred): Uint8Array {
  const hdr = cmsgHeader(p);
  const out = new Uint8Array(hdr + UCRED_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, out.length, true);
  v.setUint32(hdr - 8, SOL_SOCKET, true);
  v.setUint32(hdr - 4, SCM_CREDENTIALS, true);
  v.setInt32(hdr, c.pid, true);
  v.setUint32(hdr + 4, c.uid, true);
  v.setUint32(hdr + 8, c.gid, true);
  return out;
}

/** recvmsg(fd, msg, flags). */
export function recvmsg(p: LinuxProcess, fd: number, msg: number, flags: number): number {
  const m = openMsg(p, fd, msg);
  if (typeof m === 'number') return m;
  const { s, name, namelen, iovs, control, controllen } = m;
  const total = iovs.reduce((n, v) => n + v.len, 0);
  const got = recv(p, fd, total, flags);
  if (typeof got === 'number') return got;
  let at = 0;
  for (const v of iovs) {
    const part = got.bytes.subarray(at, at + v.len);
    p.mem.writeBytes(v.base, part);
    at += part.length;
  }
  let outFlags = got.full > got.bytes.length && s.type !== SOCK_STREAM ? MSG_TRUNC : 0;
  // scm_recv: the credentials first (a stream read that found nothing shows zeros), then the descriptors
  let credUsed = 0;
  const room = control === 0 ? 0 : controllen;
  if (passcred(s)) {
    const c = credMessage(p, got.cred ?? (got.bytes.length === 0 && s.type === SOCK_STREAM ? { pid: 0, uid: 0, gid: 0 } : NO_CRED));
    if (room < c.length) outFlags |= MSG_CTRUNC;
    if (room >= cmsgHeader(p)) {
      new DataView(c.buffer).setUint32(0, Math.min(c.length, room), true);
      p.mem.writeBytes(control, c.subarray(0, Math.min(c.length, room)));
      credUsed = Math.min(cmsgAlign(p, c.length), room);
    }
  }
  const { cmsg, truncated } = receiveFiles(p, got.files, room - credUsed, (flags & MSG_CMSG_CLOEXEC) !== 0);
  if (truncated) outFlags |= MSG_CTRUNC;
  if (cmsg.length) p.mem.writeBytes(control + credUsed, cmsg);
  const from = got.from ?? new Uint8Array(0);
  if (name !== 0 && from.length) p.mem.writeBytes(name, from.subarray(0, Math.min(namelen, from.length)));
  p.mem.write32(msg + msghdrField(p, 1), name === 0 ? 0 : from.length);
  // put_cmsg advances msg_controllen by CMSG_SPACE, at most to the end of the buffer
  const controlUsed = credUsed + (cmsg.length === 0 ? 0 : Math.min(cmsgAlign(p, cmsg.length), controllen - credUsed));
  p.mem.writeBytes(msg + msghdrField(p, 5), new Uint8Array(new Uint32Array(p.abi === 'x86_64' ? [controlUsed, 0] : [controlUsed]).buffer));
  p.mem.write32(msg + msghdrField(p, 6), outFlags);
  return flags & MSG_TRUNC ? got.full : got.bytes.length;
}

/** struct mmsghdr: a msghdr and its msg_len (32 bytes on i386; 64 on x86-64, padded). */
const mmsgSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 64 : 32);
const UIO_MAXIOV = 1024;
/** CLOCKS' CLOCK_MONOTONIC. */
const MONOTONIC = 1;
const MSG_WAITFORONE = 0x10000;
/** Messages of a blocked recvmmsg/sendmmsg already done, by caller (its retry goes on from there). */
const mmsgDone = new WeakMap<LinuxProcess, number>();

/**
 * recvmmsg/sendmmsg: `one` on each struct mmsghdr of the vector (at most UIO_MAXIOV), msg_len
 * set from its count; the number done, or the first error when none was. A wait after some
 * messages ends on a signal with their number. recvmmsg's `deadline` (monotonic ns) is looked
 * at after each message, as Linux does (it does not bound the wait for one).
 */
function mmsg(p: LinuxProcess, fd: number, vec: number, vlen: number, flags: number, one: (msg: number, flags: number) => number, deadline?: bigint): number {
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  const n = Math.min(vlen >>> 0, UIO_MAXIOV);
  let done = mmsgDone.get(p) ?? 0;
  mmsgDone.delete(p);
  for (; done < n; done++) {
    const msg = vec + done * mmsgSize(p);
    let got: number;
    try {
      got = one(msg, done > 0 && flags & MSG_WAITFORONE ? flags | MSG_DONTWAIT : flags);
    } catch (e) {
      if (!(e instanceof WouldBlock) || done === 0) throw e;
      mmsgDone.set(p, done);
      const cancel = (): void => {
        mmsgDone.delete(p);
        e.cancel?.();
      };
      throw new WouldBlock(e.what, e.until, cancel, e.forSignal, () => mmsgDone.get(p) ?? -EINTR, e.onHost, e.restart);
    }
    if (got < 0) return done > 0 ? done : got;
    p.mem.write32(msg + msghdrField(p, 7), got);
    if (deadline !== undefined && CLOCKS[MONOTONIC].now(p) >= deadline) return done + 1;
  }
  return done;
}

/** sendmmsg(fd, msgvec, vlen, flags). */
export const sysSendmmsg = (p: LinuxProcess, a: SyscallArgs): number => mmsg(p, a[0] | 0, a[1], a[2], a[3], (m, f) => sendmsg(p, a[0] | 0, m, f));

/** recvmmsg(fd, msgvec, vlen, flags, timeout): `wide` for a 64-bit struct timespec (recvmmsg_time64, x86-64). */
function recvmmsg(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  let deadline: bigint | undefined;
  if (a[4] !== 0) {
    const ns = readTimespec(p, a[4], wide);
    if (typeof ns === 'number') return ns;
    deadline = CLOCKS[MONOTONIC].now(p) + ns;
  }
  const n = mmsg(p, a[0] | 0, a[1], a[2], a[3], (m, f) => recvmsg(p, a[0] | 0, m, f), deadline);
  // the time left goes back to the caller
  if (deadline !== undefined && n >= 0) {
    const left = deadline - CLOCKS[MONOTONIC].now(p);
    p.mem.writeBytes(a[4], encodeTimespec(left > 0n ? left : 0n, wide));
  }
  return n;
}
export const sysRecvmmsg = (p: LinuxProcess, a: SyscallArgs): number => recvmmsg(p, a, false);
export const sysRecvmmsgTime64 = (p: LinuxProcess, a: SyscallArgs): number => recvmmsg(p, a, true);

/** shutdown(fd, how). */
export function shutdown(p: LinuxProcess, fd: number, how: number): number {
  const file = p.fds.get(fd | 0);
  if (file && hostSocket(file)) {
    const done = hostCall(`${ON_FD3}shutdown($s, $ARGV[0]) or exit($! + 0)`, [`${how}`], file.hostFd);
    return typeof done === 'number' ? done : 0;
  }
  const r = sock(p, fd);
  if (typeof r === 'number') return r;
  if (how < 0 || how > 2) return -EINVAL;
  const mode = (how + 1) & (RCV_SHUTDOWN | SEND_SHUTDOWN);
  const s = r.s;
  if (s instanceof InetSocket) {
    // inet_shutdown: an unconnected socket ENOTCONN (a UDP one keeps the state); TCP tells its peer only of a FIN
    const unconnected = s.type === SOCK_STREAM ? !s.established && !s.listening : !s.remote;
    s.shutdown |= mode;
    if (unconnected) return -ENOTCONN;
    if (s.peer && s.type === SOCK_STREAM && mode & SEND_SHUTDOWN) {
      s.peer.shutdown |= RCV_SHUTDOWN;
      s.peer.wakes.in++;
    }
    return 0;
  }
  if (s.connectionBased && !s.established && !s.listening) return -ENOTCONN;
  s.shutdown |= mode;
  if (s.peer && s.connectionBased) s.peer.shutdown |= (mode & RCV_SHUTDOWN ? SEND_SHUTDOWN : 0) | (mode & SEND_SHUTDOWN ? RCV_SHUTDOWN : 0);
  return 0;
}

/** An inherited host socket (Node's stdio are socketpairs): not a guest socket, but a socket to the guest. */
const hostSocket = (file: OpenFile): boolean => !file.pipe && !file.anon && file.kind === 'stream' && fstatSync(file.hostFd).isSocket();

/** A socket, the guest's or an inherited host one (S_ISSOCK). */
export const isSocket = (file: OpenFile): boolean => file.anon instanceof UnixSocket || hostSocket(file);

/** getsockopt(fd, level, optname, optval, optlen); on an inherited host socket the host's. */
export function getsockopt(p: LinuxProcess, fd: number, level: number, name: number, val: number, lenAddr: number): number {
  const file = p.fds.get(fd | 0);
  if (file && hostSocket(file)) return hostGetOption(p, file.hostFd, level, name, val, lenAddr);
  const r = sock(p, fd);
  return typeof r === 'number' ? r : getOption(p, r.s, level, name, val, lenAddr);
}

/** setsockopt(fd, level, optname, optval, optlen); on an inherited host socket the host's. */
export function setsockopt(p: LinuxProcess, fd: number, level: number, name: number, val: number, len: number): number {
  const file = p.fds.get(fd | 0);
  if (file && hostSocket(file)) return hostSetOption(p, file.hostFd, level, name, val, len);
  const r = sock(p, fd);
  return typeof r === 'number' ? r : setOption(p, r.s, level, name, val, len);
}

const a32 = (a: SyscallArgs, i: number): number => a[i] | 0;

export const sysSocket = (p: LinuxProcess, a: SyscallArgs): number => socket(p, a32(a, 0), a[1], a32(a, 2));
export const sysSocketpair = (p: LinuxProcess, a: SyscallArgs): number => socketpair(p, a32(a, 0), a[1], a32(a, 2), a[3]);
export const sysBind = (p: LinuxProcess, a: SyscallArgs): number => bind(p, a32(a, 0), a[1], a32(a, 2));
export const sysConnect = (p: LinuxProcess, a: SyscallArgs): number => connect(p, a32(a, 0), a[1], a32(a, 2));
export const sysListen = (p: LinuxProcess, a: SyscallArgs): number => listen(p, a32(a, 0), a32(a, 1));
export const sysAccept = (p: LinuxProcess, a: SyscallArgs): number => accept4(p, a32(a, 0), a[1], a[2], 0);
export const sysAccept4 = (p: LinuxProcess, a: SyscallArgs): number => accept4(p, a32(a, 0), a[1], a[2], a[3]);
export const sysGetsockname = (p: LinuxProcess, a: SyscallArgs): number => sockname(p, a32(a, 0), a[1], a[2], false);
export const sysGetpeername = (p: LinuxProcess, a: SyscallArgs): number => sockname(p, a32(a, 0), a[1], a[2], true);
export const sysSendto = (p: LinuxProcess, a: SyscallArgs): number => sendto(p, a32(a, 0), a[1], ulong(a, 2), a[3], a[4], a[5]);
export const sysRecvfrom = (p: LinuxProcess, a: SyscallArgs): number => recvfrom(p, a32(a, 0), a[1], ulong(a, 2), a[3], a[4], a[5]);
export const sysSendmsg = (p: LinuxProcess, a: SyscallArgs): number => sendmsg(p, a32(a, 0), a[1], a[2]);
export const sysRecvmsg = (p: LinuxProcess, a: SyscallArgs): number => recvmsg(p, a32(a, 0), a[1], a[2]);
export const sysShutdown = (p: LinuxProcess, a: SyscallArgs): number => shutdown(p, a32(a, 0), a32(a, 1));
export const sysGetsockopt = (p: LinuxProcess, a: SyscallArgs): number => getsockopt(p, a32(a, 0), a32(a, 1), a32(a, 2), a[3], a[4]);
export const sysSetsockopt = (p: LinuxProcess, a: SyscallArgs): number => setsockopt(p, a32(a, 0), a32(a, 1), a32(a, 2), a[3], a[4]);

/** socketcall's calls (linux/net.h): the handler and how many argument words it reads. */
const SOCKETCALLS: ReadonlyArray<[(p: LinuxProcess, a: SyscallArgs) => number, number] | undefined> = [
  undefined,
  [sysSocket, 3], [sysBind, 3], [sysConnect, 3], [sysListen, 2], [sysAccept, 3], [sysGetsockname, 3], [sysGetpeername, 3],
  [sysSocketpair, 4],
  [(p, a) => sendto(p, a32(a, 0), a[1], a[2], a[3], 0, 0), 4],
  [(p, a) => recvfrom(p, a32(a, 0), a[1], a[2], a[3], 0, 0), 4],
  [sysSendto, 6], [sysRecvfrom, 6], [sysShutdown, 2], [sysSetsockopt, 5], [sysGetsockopt, 5], [sysSendmsg, 3], [sysRecvmsg, 3],
  [sysAccept4, 4], [sysRecvmmsg, 5], [sysSendmmsg, 4],
];

/** socketcall(call, args): i386's multiplexer. */
export function sysSocketcall(p: LinuxProcess, a: SyscallArgs): number {
  const call = a[0] | 0;
  if (call < 1 || call > 20) return -EINVAL;
  const [handler, n] = SOCKETCALLS[call]!;
  const raw = new DataView(p.mem.readBytes(a[1], 4 * n).buffer);
  return handler(p, Uint32Array.from({ length: 6 }, (_, i) => (i < n ? raw.getUint32(4 * i, true) : 0)));
}
