/**
 * Sockets, as far as dbtlab has them: it creates none, so the only sockets a guest can hold are
 * host descriptors it inherited (Node's stdio pipes are unnamed AF_UNIX socketpairs). Programs
 * ask getsockname/getpeername whether a descriptor is a socket (bash: "was I started by rshd?",
 * which makes it source ~/.bashrc); ENOSYS there reads as "yes". The other socket calls stay ENOSYS.
 */
import { EBADF, ENOSYS, ENOTSOCK } from '../errno';
import { fstatSync } from 'node:fs';
import type { LinuxProcess } from '../process';

const AF_UNIX = 1;
/** socketcall's call numbers (linux/net.h) that are implemented here. */
const SYS_GETSOCKNAME = 6;
const SYS_GETPEERNAME = 7;

/**
 * getsockname/getpeername(fd, addr, addrlen): an inherited host socket is an unnamed AF_UNIX
 * socketpair end, and so is its peer; anything else ENOTSOCK.
 */
export function sysGetsockname(p: LinuxProcess, a: Uint32Array): number {
  const file = p.fds.get(a[0] | 0);
  if (!file) return -EBADF;
  if (file.pipe || !fstatSync(file.hostFd).isSocket()) return -ENOTSOCK;
  // an unnamed socket's address is its family alone, truncated to the caller's buffer
  const len = p.mem.read32(a[2]) | 0;
  const family = new Uint8Array([AF_UNIX, 0]);
  p.mem.writeBytes(a[1], family.subarray(0, Math.max(0, Math.min(len, family.length))));
  p.mem.write32(a[2], family.length);
  return 0;
}

export const sysGetpeername = sysGetsockname;

/** socketcall(call, args): the i386 multiplexer, for the calls this file implements. */
export function sysSocketcall(p: LinuxProcess, a: Uint32Array): number {
  if (a[0] !== SYS_GETSOCKNAME && a[0] !== SYS_GETPEERNAME) return -ENOSYS;
  return sysGetsockname(p, Uint32Array.of(p.mem.read32(a[1]), p.mem.read32(a[1] + 4), p.mem.read32(a[1] + 8)));
}
