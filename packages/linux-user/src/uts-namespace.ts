/**
 * The UTS namespace of a run (kernel/utsname.c): the host name and NIS domain name uname
 * reports and sethostname/setdomainname change. One per GuestTree (or lone process), as the
 * SysV IPC namespace (sysv-ipc.ts): a guest with CAP_SYS_ADMIN may set its names, and must not
 * rename the host it runs on (a native root here is in the machine's own UTS namespace), so
 * the run is a fresh namespace, as under `unshare -u`: it starts with the host's names.
 */
import { hostname } from 'node:os';
import { capable, CAP_SYS_ADMIN } from './capabilities';
import { EINVAL, EPERM } from './errno';
import type { LinuxProcess } from './process';

/** __NEW_UTS_LEN: a name's bytes, without the NUL uname adds. */
export const UTS_NAME_MAX = 64;

export interface UtsNames {
  nodename: Uint8Array;
  domainname: Uint8Array;
}

const namespaces = new WeakMap<object, UtsNames>();

/** `p`'s UTS namespace's names. */
export function utsNames(p: LinuxProcess): UtsNames {
  const owner = p.tree ?? p;
  let ns = namespaces.get(owner);
  if (!ns) namespaces.set(owner, (ns = { nodename: Buffer.from(hostname()), domainname: Buffer.from('(none)') }));
  return ns;
}

/** sethostname/setdomainname(name, len): EPERM without CAP_SYS_ADMIN, EINVAL for a length out of 0..64, then the bytes (EFAULT when unreadable). */
export function setUtsName(p: LinuxProcess, which: keyof UtsNames, addr: number, len: number): number {
  if (!capable(p, CAP_SYS_ADMIN)) return -EPERM;
  if (len < 0 || len > UTS_NAME_MAX) return -EINVAL;
  utsNames(p)[which] = p.mem.readBytes(addr, len).slice();
  return 0;
}
