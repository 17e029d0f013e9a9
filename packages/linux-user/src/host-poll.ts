/**
 * Readiness of host streams (the pipes, ttys and sockets dbtlab inherited or the guest
 * opened): Node has no poll(2) on a descriptor, but its WASI runtime (uvwasi) implements
 * poll_oneoff with libuv's uv_poll, that is epoll on the real descriptor, synchronously. A
 * wasm module of one function calls it; a WASI instance sees up to three host fds (as its
 * stdin, stdout and stderr), so one is made, once, per set of up to three streams polled together.
 *
 *   hostPoll([{ fd: 0, events: POLLIN }], 0n)   // [POLLIN] when stdin has data or is at EOF, else [0]
 *
 * A probe is a 10 ms clock subscription, taken twice when it finds nothing (its cost when
 * nothing is ready: 20 ms): uvwasi reports a clock that is due when its loop starts without
 * looking at the descriptors, so a probe misses a ready fd when the thread is descheduled for
 * that long between arming the clock and polling (a loaded machine); two such misses in a row
 * are unlikely, not impossible.
 */
import { fstatSync } from 'node:fs';
import type { WASI as WasiType } from 'node:wasi';

import { POLLERR, POLLHUP, POLLIN, POLLOUT } from './poll-events';

/**
 * (module (import "wasi_snapshot_preview1" "poll_oneoff" (func $p (param i32 i32 i32 i32) (result i32)))
 *   (memory (export "memory") 1)
 *   (func (export "poll") (param i32 i32 i32 i32) (result i32) local.get 0 local.get 1 local.get 2 local.get 3 call $p))
 */
function pollModuleBytes(): Uint8Array {
  const name = (s: string): number[] => [s.length, ...Buffer.from(s)];
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const I32 = 0x7f;
  const body = [0x00, 0x20, 0, 0x20, 1, 0x20, 2, 0x20, 3, 0x10, 0, 0x0b];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 1, I32]),
    ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('poll_oneoff'), 0x00, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0, 1]),
    ...section(7, [2, ...name('memory'), 0x02, 0, ...name('poll'), 0x00, 1]),
    ...section(10, [1, body.length, ...body]),
  ]);
}

/** The part of the WebAssembly global used here (@types/node 20 does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Poller {
  memory: { buffer: ArrayBuffer };
  poll: (subs: number, events: number, n: number, nevents: number) => number;
}

let pollModule: object | undefined;
const pollers = new Map<string, Poller>();

function newPoller(fds: readonly number[]): Poller {
  // loading node:wasi prints a one-time "WASI is experimental" warning, which must not reach
  // the guest's stderr: the module is loaded here, with process.emitWarning silenced
  const emit = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WASI } = require('node:wasi') as { WASI: typeof WasiType };
    const wasi = new WASI({ version: 'preview1', stdin: fds[0], stdout: fds[1] ?? fds[0], stderr: fds[2] ?? fds[0] });
    pollModule ??= new wasm.Module(pollModuleBytes());
    const inst = new wasm.Instance(pollModule, { wasi_snapshot_preview1: wasi.wasiImport });
    wasi.initialize(inst);
    return inst.exports as unknown as Poller;
  } finally {
    process.emitWarning = emit;
  }
}

/** A host fd the guest closed: its number may come back for another file. */
export function forgetHostFd(fd: number): void {
  for (const key of pollers.keys()) if (key.split(',').includes(`${fd}`)) pollers.delete(key);
}

/**
 * 'ready': a file whose readiness is not a question (epoll refuses it, poll says always ready);
 * else what the end of its input looks like to poll: a FIFO whose writers are gone POLLHUP, a
 * socket whose peer shut down writing POLLIN (POLLRDHUP; POLLHUP too once the peer is gone,
 * which the write direction tells), a tty POLLIN|POLLHUP.
 */
function endOfInput(fd: number): 'ready' | number {
  try {
    const st = fstatSync(fd);
    if (st.isFile() || st.isDirectory() || st.isBlockDevice()) return 'ready';
    return st.isFIFO() ? POLLHUP : st.isSocket() ? SOCKET_EOF : POLLIN | POLLHUP;
  } catch {
    return 'ready';
  }
}

const SUB = 48;
const EVENT = 32;
const EVENTS_AT = 512;
const NEVENTS_AT = 1020;
const EVENTTYPE_CLOCK = 0;
const EVENTTYPE_FD_READ = 1;
const EVENTTYPE_FD_WRITE = 2;
const CLOCK_MONOTONIC = 1;
const HANGUP = 1;
const PROBE_NS = 10_000_000n;
/** Marks a socket's end of input: POLLIN, and POLLHUP if its write direction hung up too. */
const SOCKET_EOF = 0x10000;

/** One poll_oneoff over up to three host fds: revents per request. */
function pollGroup(reqs: ReadonlyArray<{ fd: number; events: number; eof: number }>, timeoutNs: bigint | undefined): number[] {
  const fds = [...new Set(reqs.map((r) => r.fd))];
  const key = fds.join(',');
  let poller = pollers.get(key);
  if (!poller) pollers.set(key, (poller = newPoller(fds)));
  const m = new DataView(poller.memory.buffer);
  new Uint8Array(poller.memory.buffer, 0, 1024).fill(0);
  let n = 0;
  const sub = (userdata: number, type: number): number => {
    const at = SUB * n++;
    m.setBigUint64(at, BigInt(userdata), true);
    m.setUint8(at + 8, type);
    return at;
  };
  reqs.forEach((r, i) => {
    const wasiFd = fds.indexOf(r.fd);
    if (r.events & POLLIN) m.setUint32(sub(2 * i, EVENTTYPE_FD_READ) + 16, wasiFd, true);
    if (r.events & POLLOUT) m.setUint32(sub(2 * i + 1, EVENTTYPE_FD_WRITE) + 16, wasiFd, true);
  });
  if (timeoutNs !== undefined) {
    const at = sub(0xffff, EVENTTYPE_CLOCK);
    m.setUint32(at + 16, CLOCK_MONOTONIC, true);
    m.setBigUint64(at + 24, timeoutNs > PROBE_NS ? timeoutNs : PROBE_NS, true);
  }
  const out = reqs.map(() => 0);
  if (n === 0 || poller.poll(0, EVENTS_AT, n, NEVENTS_AT) !== 0) return out;
  for (let k = 0; k < m.getUint32(NEVENTS_AT, true); k++) {
    const at = EVENTS_AT + EVENT * k;
    const type = m.getUint8(at + 10);
    if (type === EVENTTYPE_CLOCK) continue;
    const i = Number(m.getBigUint64(at, true)) >> 1;
    // an error (a descriptor epoll cannot watch, as /dev/null) reads as ready, as poll(2) says for such files
    const hup = m.getUint16(at + 24, true) & HANGUP && m.getUint16(at + 8, true) === 0;
    if (type === EVENTTYPE_FD_READ) out[i] |= hup ? reqs[i].eof : POLLIN;
    else out[i] |= POLLOUT | (hup ? POLLERR : 0);
  }
  // after the events are read: the probe reuses this poller's memory
  return out.map((rev, i) => {
    if (!(rev & SOCKET_EOF)) return rev;
    const peerGone = (pollGroup([{ fd: reqs[i].fd, events: POLLOUT, eof: 0 }], PROBE_NS)[0] & POLLERR) !== 0;
    return (rev & ~SOCKET_EOF) | POLLIN | (peerGone ? POLLHUP : 0);
  });
}

/**
 * The poll masks of host fds (POLLIN, POLLOUT; at the end of the input as endOfInput says,
 * whether or not bytes remain; POLLERR on a write end whose reader is gone), waiting up to `timeoutNs` (undefined: until one is ready; 0n: a probe)
 * for one to become ready. More than three distinct fds are probed three at a time.
 */
export function hostPoll(reqs: ReadonlyArray<{ fd: number; events: number }>, timeoutNs: bigint | undefined): number[] {
  // uvwasi watches a descriptor once per poll_oneoff (libuv has one uv_poll per fd): of both
  // directions asked together it reports only reading, so writing is probed first on its own
  const both = (r: { events: number }): boolean => (r.events & (POLLIN | POLLOUT)) === (POLLIN | POLLOUT);
  if (!reqs.some(both)) return pollDirections(reqs, timeoutNs);
  const writable = pollDirections(reqs.map((r) => ({ fd: r.fd, events: both(r) ? POLLOUT : 0 })), 0n);
  const rest = pollDirections(reqs.map((r) => ({ fd: r.fd, events: both(r) ? r.events & ~POLLOUT : r.events })), writable.some((m) => m !== 0) ? 0n : timeoutNs);
  return rest.map((m, i) => m | writable[i]);
}

/** hostPoll for requests that ask for one direction per fd, or whose second direction may go unseen. */
function pollDirections(reqs: ReadonlyArray<{ fd: number; events: number }>, timeoutNs: bigint | undefined): number[] {
  const eofs = reqs.map((r) => endOfInput(r.fd));
  const out = reqs.map((r, i) => (eofs[i] === 'ready' ? r.events & (POLLIN | POLLOUT) : -1));
  const live = reqs.map((r, i) => ({ ...r, i, eof: eofs[i] as number })).filter((r) => out[r.i] < 0);
  const fds = [...new Set(live.map((r) => r.fd))];
  if (fds.length === 0) return out;
  const groups: Array<typeof live> = [];
  for (let g = 0; g < fds.length; g += 3) groups.push(live.filter((r) => fds.slice(g, g + 3).includes(r.fd)));
  const wait = groups.length === 1 ? timeoutNs : 0n;
  for (const group of groups) {
    let revs = pollGroup(group, wait);
    if (wait === 0n && revs.every((r) => r === 0)) revs = pollGroup(group, wait);
    revs.forEach((rev, k) => (out[group[k].i] = rev));
  }
  return out;
}
