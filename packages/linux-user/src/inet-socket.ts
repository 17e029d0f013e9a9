/**
 * AF_INET and AF_INET6 sockets over loopback. The run is its own network namespace holding
 * only `lo` (127.0.0.0/8, ::1): its guests reach each other through 127.x and ::1 (and the
 * any-address, which connect sends to the local host), every other destination is
 * ENETUNREACH, and its ports are its own (a port in use on the host is free here). A
 * connection is two sockets in one run, so the queues, pairing, shutdown states and
 * blocking of unix-socket.ts carry it: TCP is a stream pair (no segments, no timers, a
 * close with unread data resets the peer), UDP a datagram socket delivered by (address,
 * port) lookup, dropped when the receiver's buffer is full or nobody listens (a connected
 * sender then reads ECONNREFUSED, as the ICMP error gives). Addresses are kept in their
 * IPv6 form (IPv4 as ::ffff:a.b.c.d), so IPv4 peers of a dual-stack socket are mapped.
 */
import { EADDRINUSE, EADDRNOTAVAIL, EAFNOSUPPORT, ECONNRESET, EINVAL, ENETUNREACH, EPROTONOSUPPORT, ESOCKTNOSUPPORT } from './errno';
import type { LinuxProcess } from './process';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './poll-events';
import { RCV_SHUTDOWN, SEND_SHUTDOWN, SOCK_DGRAM, SOCK_STREAM, UnixSocket } from './unix-socket';

export const AF_INET = 2;
export const AF_INET6 = 10;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
const POLLRDHUP = 0x2000;
/** tcp_wmem[1] and tcp_rmem[1]: a TCP socket's initial buffers. */
const TCP_SNDBUF = 16384;
const TCP_RCVBUF = 131072;
/** The first and last ephemeral port (net.ipv4.ip_local_port_range). */
const EPHEMERAL_LOW = 32768;
const EPHEMERAL_HIGH = 60999;

/** An address in IPv6 form and a port. */
export interface InetName {
  ip: Uint8Array;
  port: number;
}

const V4_MAPPED = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
const isMapped = (ip: Uint8Array): boolean => V4_MAPPED.every((b, i) => ip[i] === b);
const mapped = (v4: Uint8Array): Uint8Array => Uint8Array.of(...V4_MAPPED, ...v4);
const sameIp = (a: Uint8Array, b: Uint8Array): boolean => a.every((x, i) => x === b[i]);
/** The any-address of a family (0.0.0.0 mapped, or ::). */
const isAny = (ip: Uint8Array): boolean => (isMapped(ip) ? ip.subarray(12) : ip).every((b) => b === 0);
const LOOPBACK6 = Uint8Array.of(...new Array<number>(15).fill(0), 1);
const LOOPBACK4 = mapped(Uint8Array.of(127, 0, 0, 1));

/** A destination on this host: 127/8, ::1, or an any-address. */
const isLocal = (ip: Uint8Array): boolean => isAny(ip) || (isMapped(ip) ? ip[12] === 127 : sameIp(ip, LOOPBACK6));
/** The source address of a packet to `to` (the loopback route's preferred source). */
const sourceFor = (to: Uint8Array): Uint8Array => (isMapped(to) ? LOOPBACK4 : LOOPBACK6);

/** The bound sockets of a run: protocol/port -> sockets. */
const portTables = new WeakMap<object, Map<string, InetSocket[]>>();
function ports(p: LinuxProcess): Map<string, InetSocket[]> {
  const owner = p.tree ?? p;
  let m = portTables.get(owner);
  if (!m) portTables.set(owner, (m = new Map()));
  return m;
}
const portKey = (protocol: number, port: number): string => `${protocol}/${port}`;

export class InetSocket extends UnixSocket {
  /** The bound (local) address, and the connected peer's. */
  local: InetName | undefined;
  remote: InetName | undefined;
  /** A pending error (sk_err): SO_ERROR, the next call, POLLERR. */
  soError = 0;
  /** A non-blocking connect returned EINPROGRESS: the next connect reports its result. */
  connecting = false;
  /** TCP_CLOSE after a reset or a refused connect (POLLHUP). */
  reset = false;
  private table: Map<string, InetSocket[]> | undefined;

  constructor(
    readonly family: number,
    type: number,
    readonly protocol: number,
    p: LinuxProcess,
  ) {
    super(type, p);
    if (type === SOCK_STREAM) {
      this.sndbuf = TCP_SNDBUF;
      this.rcvbuf = TCP_RCVBUF;
    }
  }

  get v6only(): boolean {
    return this.family === AF_INET6 && this.options.get(`41/26`) === 1;
  }

  /** Whether a packet to `ip` is for this socket's bound address. */
  accepts(ip: Uint8Array): boolean {
    const own = this.local!.ip;
    if (this.family === AF_INET) return isMapped(ip) && (isAny(own) || sameIp(own, ip));
    if (isMapped(ip)) return !this.v6only && (isAny(own) || sameIp(own, ip));
    return (isAny(own) && !isMapped(own)) || sameIp(own, ip);
  }

  /** The sockaddr of `name` as this socket's family shows it. */
  sockaddr(name: InetName | undefined): Uint8Array {
    const bytes = new Uint8Array(this.family === AF_INET ? 16 : 28);
    const v = new DataView(bytes.buffer);
    v.setUint16(0, this.family, true);
    if (!name) return bytes;
    v.setUint16(2, name.port, false);
    if (this.family === AF_INET) bytes.set(name.ip.subarray(12), 4);
    else bytes.set(name.ip, 8);
    return bytes;
  }

  bindTo(p: LinuxProcess, name: InetName): void {
    this.local = name;
    this.table = ports(p);
    const key = portKey(this.protocol, name.port);
    this.table.set(key, [...(this.table.get(key) ?? []), this]);
  }

  override poll(): number {
    if (this.type !== SOCK_STREAM) {
      let m = this.soError ? POLLERR : 0;
      if (this.queue.length > 0) m |= POLLIN | POLLRDNORM;
      if (!(this.shutdown & SEND_SHUTDOWN)) m |= POLLOUT | POLLWRNORM;
      return m | (this.shutdown & RCV_SHUTDOWN ? POLLIN | POLLRDNORM : 0);
    }
    // tcp_poll
    if (this.listening) return this.pending.length > 0 ? POLLIN | POLLRDNORM : 0;
    let m = this.soError ? POLLERR : 0;
    if (this.shutdown === (RCV_SHUTDOWN | SEND_SHUTDOWN) || !this.established) m |= POLLHUP;
    if (this.shutdown & RCV_SHUTDOWN) m |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.queue.length > 0) m |= POLLIN | POLLRDNORM;
    if (this.shutdown & SEND_SHUTDOWN || this.writable()) m |= POLLOUT | POLLWRNORM;
    return m;
  }

  /** TCP: room in the sender's buffer and the receiver's together (what a send may queue). */
  override writable(): boolean {
    const to = this.peer;
    return !to || this.type !== SOCK_STREAM || to.queued < to.rcvbuf + this.sndbuf;
  }

  override get established(): boolean {
    return this.peer !== undefined && !this.reset;
  }

  override release(): void {
    const peer = this.peer;
    const unread = this.queue.length > 0;
    super.release();
    if (this.table && this.local) {
      const key = portKey(this.protocol, this.local.port);
      const left = (this.table.get(key) ?? []).filter((s) => s !== this);
      if (left.length) this.table.set(key, left);
      else this.table.delete(key);
    }
    if (!(peer instanceof InetSocket) || this.type !== SOCK_STREAM) return;
    // a FIN: the peer reads EOF and may still send (once: the answer is a reset); unread data: a reset now
    peer.shutdown = RCV_SHUTDOWN | (unread ? SEND_SHUTDOWN : 0);
    if (unread) {
      peer.soError = ECONNRESET;
      peer.reset = true;
    }
    peer.wakes.in++;
  }
}

const SOCK_RAW = 3;

/** socket(AF_INET or AF_INET6, type, protocol) for a type without its flags. */
export function newInetSocket(p: LinuxProcess, family: number, type: number, protocol: number): InetSocket | number {
  const proto = type === SOCK_STREAM ? IPPROTO_TCP : type === SOCK_DGRAM ? IPPROTO_UDP : 0;
  // SOCK_RAW's only protocol entry is the wildcard, which protocol 0 does not choose
  if (type === SOCK_RAW && protocol === 0) return -EPROTONOSUPPORT;
  if (proto === 0) return -ESOCKTNOSUPPORT;
  if (protocol !== 0 && protocol !== proto) return -EPROTONOSUPPORT;
  return new InetSocket(family, type, proto, p);
}

/**
 * A sockaddr_in / sockaddr_in6 for a socket of `family`: the address (IPv6 form) and port,
 * 'unspec' for connect's AF_UNSPEC (a disconnect, looked at before the length), or -errno
 * (a short address EINVAL, another family EAFNOSUPPORT).
 */
export function readInetAddr(p: LinuxProcess, family: number, addr: number, len: number, connect: boolean): InetName | 'unspec' | number {
  if ((len | 0) < (connect ? 2 : 0)) return -EINVAL;
  if (connect && p.mem.read16(addr) === 0) return 'unspec';
  if (family === AF_INET ? len < 16 : len < 24) return -EINVAL;
  const raw = p.mem.readBytes(addr, family === AF_INET ? 16 : 24);
  const v = new DataView(raw.buffer);
  if (v.getUint16(0, true) !== family) return -EAFNOSUPPORT;
  const port = v.getUint16(2, false);
  return { ip: family === AF_INET ? mapped(raw.subarray(4, 8)) : raw.slice(8, 24), port };
}

/** Whether two bound sockets may not share their port (inet_csk_bind_conflict, udp_lib_lport_inuse). */
function conflicts(a: InetSocket, b: InetSocket): boolean {
  const overlap = a.accepts(b.local!.ip) || b.accepts(a.local!.ip);
  if (!overlap) return false;
  const opt = (s: InetSocket, name: number): boolean => s.options.get(`1/${name}`) === 1;
  if (opt(a, 15) && opt(b, 15)) return false;
  if (opt(a, 2) && opt(b, 2)) return a.type === SOCK_STREAM && (a.listening || b.listening);
  return true;
}

/** bind: a local (or any) address, port 0 for an ephemeral one. */
export function inetBind(p: LinuxProcess, s: InetSocket, name: InetName): number {
  if (s.family === AF_INET6 && isMapped(name.ip) && s.v6only) return -EINVAL;
  if (!isLocal(name.ip)) return -EADDRNOTAVAIL;
  if (s.local) return -EINVAL;
  return bindPort(p, s, name.ip, name.port);
}

/** Binds to (ip, port), an ephemeral port for 0: 0 or -EADDRINUSE. */
function bindPort(p: LinuxProcess, s: InetSocket, ip: Uint8Array, port: number): number {
  const table = ports(p);
  const free = (n: number): boolean => {
    s.local = { ip, port: n };
    const taken = (table.get(portKey(s.protocol, n)) ?? []).some((o) => conflicts(s, o));
    s.local = undefined;
    return !taken;
  };
  if (port === 0) {
    const range = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
    const start = nextEphemeral.get(table) ?? 0;
    for (let i = 0; i < range && port === 0; i++) if (free(EPHEMERAL_LOW + ((start + i) % range))) port = EPHEMERAL_LOW + ((start + i) % range);
    if (port === 0) return -EADDRINUSE;
    nextEphemeral.set(table, port - EPHEMERAL_LOW + 1);
  } else if (!free(port)) return -EADDRINUSE;
  s.bindTo(p, { ip, port });
  return 0;
}
const nextEphemeral = new WeakMap<object, number>();

/** Binds an unbound socket to the any-address and an ephemeral port (listen, send, connect). */
export function autobindInet(p: LinuxProcess, s: InetSocket): number {
  if (s.local) return 0;
  return bindPort(p, s, s.family === AF_INET ? mapped(new Uint8Array(4)) : new Uint8Array(16), 0);
}

/** Where a packet to `to` goes: -ENETUNREACH off this host, or -EAFNOSUPPORT for an IPv4 address on a v6-only socket. */
export function route(s: InetSocket, to: InetName): number {
  if (s.v6only && isMapped(to.ip)) return -ENETUNREACH;
  return isLocal(to.ip) ? 0 : -ENETUNREACH;
}

/**
 * Prepares a connecting or sending socket: bound (ephemeral port if it was not), and its
 * any-address replaced by the source address toward `to` (inet_sk's saddr).
 */
export function bindForPeer(p: LinuxProcess, s: InetSocket, to: InetName): number {
  const r = autobindInet(p, s);
  if (r < 0) return r;
  if (isAny(s.local!.ip)) s.local = { ip: sourceFor(to.ip), port: s.local!.port };
  return 0;
}

/** The source address a receiver sees from `s` sending to `to`. */
export const sourceName = (s: InetSocket, to: InetName): InetName => ({ ip: isAny(s.local!.ip) ? sourceFor(to.ip) : s.local!.ip, port: s.local!.port });

/**
 * The socket of the run a packet to `to` arrives at: a listening TCP socket, or a UDP socket
 * (a connected one only from its peer); the exact address before the any-address.
 */
export function lookup(p: LinuxProcess, protocol: number, to: InetName, from?: InetName): InetSocket | undefined {
  const dest = isAny(to.ip) ? sourceFor(to.ip) : to.ip;
  const candidates = (ports(p).get(portKey(protocol, to.port)) ?? []).filter((s) => {
    if (s.dead || !s.accepts(dest)) return false;
    if (protocol === IPPROTO_TCP) return s.listening;
    return !s.remote || !from || (s.remote.port === from.port && sameIp(s.remote.ip, from.ip));
  });
  return candidates.find((s) => !isAny(s.local!.ip)) ?? candidates[0];
}

/** The address `to` normalised as the connection's far end (the any-address is the local host). */
export const peerName = (to: InetName): InetName => (isAny(to.ip) ? { ip: sourceFor(to.ip), port: to.port } : to);

/** The UDP payload limit (65535 less the IP and UDP headers). */
export const maxDatagram = (s: InetSocket): number => (s.family === AF_INET ? 65507 : 65527);
