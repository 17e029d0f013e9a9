/**
 * The SysV IPC namespace of a run (ipc/util.c's ipc_ids): shared memory segments, semaphore
 * sets and message queues, each kind with its own keys and ids. Every guest process of a
 * GuestTree shares one namespace (a lone LinuxProcess has its own); it is not the host's, so a
 * guest never sees or changes the host's objects (as in a fresh IPC namespace).
 *
 * Ids are the kernel's: idx + seq * 32768, idx allocated cyclically from 0, seq bumped when
 * the allocation wraps. Permissions are ipcperms(): the owner's, group's or others' mode bits
 * by the caller's effective ids (root passes), IPC_RMID/IPC_SET need the owner or creator.
 * The structures are Linux's i386 ipc64_perm / old ipc_perm (IPC_64 in the command selects).
 */
import { capable, CAP_IPC_OWNER, CAP_SYS_ADMIN } from './capabilities';
import { EACCES, EEXIST, ENOENT } from './errno';
import type { LinuxProcess } from './process';

export const IPC_PRIVATE = 0;
export const IPC_CREAT = 0o1000;
export const IPC_EXCL = 0o2000;
export const IPC_NOWAIT = 0o4000;
export const IPC_RMID = 0;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;
/** In a ctl command through ipc(): the caller uses the ipc64 structures (the direct calls always do). */
const IPC_64 = 0x100;

/** ipc_parse_version: ipc()'s ctl command without IPC_64, and whether it was there. */
export const ipcParseVersion = (cmd: number): [number, boolean] => [cmd & ~IPC_64, (cmd & IPC_64) !== 0];
const IPCMNI_SHIFT = 15;
const IPCMNI = 1 << IPCMNI_SHIFT;
const IPCID_SEQ_MAX = 0x10000;

export const S_IRUGO = 0o444;
export const S_IWUGO = 0o222;
export const S_IXUGO = 0o111;

/** kern_ipc_perm. */
export interface IpcPerm {
  id: number;
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  /** The low 9 bits are the permissions; SHM_DEST/SHM_LOCKED live above them. */
  mode: number;
  seq: number;
  /** Removed (IPC_RMID done): waiters wake with EIDRM. */
  deleted: boolean;
}

/** The objects of one kind, by id and key. */
export class IpcIds<T extends { perm: IpcPerm }> {
  private readonly byIdx = new Map<number, T>();
  private lastIdx = -1;
  private seq = 0;

  findKey(key: number): T | undefined {
    for (const o of this.byIdx.values()) if (o.perm.key === key) return o;
    return undefined;
  }

  /** A new object's perm (ids from the caller), or undefined when all IPCMNI slots are used. */
  newPerm(p: LinuxProcess, key: number, flag: number): IpcPerm | undefined {
    let idx = -1;
    for (let i = 1; i <= IPCMNI; i++) {
      const cand = (this.lastIdx + i) % IPCMNI;
      if (!this.byIdx.has(cand)) {
        idx = cand;
        break;
      }
    }
    if (idx < 0) return undefined;
    if (idx <= this.lastIdx) this.seq = (this.seq + 1) % IPCID_SEQ_MAX;
    this.lastIdx = idx;
    const { euid, egid } = p.ids;
    return { id: (this.seq << IPCMNI_SHIFT) + idx, key, uid: euid, gid: egid, cuid: euid, cgid: egid, mode: flag & 0o777, seq: this.seq, deleted: false };
  }

  add(o: T): void {
    this.byIdx.set(o.perm.id % IPCMNI, o);
  }

  /** The object with this id (its seq must match), or undefined (EINVAL). */
  get(id: number): T | undefined {
    if (id < 0) return undefined;
    const o = this.byIdx.get(id % IPCMNI);
    return o && o.perm.id === id ? o : undefined;
  }

  /** The object in slot idx (the *_STAT commands index slots, not ids). */
  atIndex(idx: number): T | undefined {
    return this.byIdx.get(idx);
  }

  /** The highest slot in use, or -1 (the *_INFO commands return it, 0 when none). */
  maxIndex(): number {
    return Math.max(-1, ...this.byIdx.keys());
  }

  get size(): number {
    return this.byIdx.size;
  }

  remove(o: T): void {
    o.perm.deleted = true;
    this.byIdx.delete(o.perm.id % IPCMNI);
  }
}

/** ipcperms(): true when the caller lacks one of the `flag` bits (rwx for anyone) on the object. */
export function ipcDenied(p: LinuxProcess, perm: IpcPerm, flag: number): boolean {
  const requested = (flag >> 6) | (flag >> 3) | flag;
  let granted = perm.mode;
  const { euid, egid } = p.ids;
  if (euid === perm.cuid || euid === perm.uid) granted >>= 6;
  else if (egid === perm.gid || egid === perm.cgid || p.ids.groups.some((g) => g === perm.gid || g === perm.cgid)) granted >>= 3;
  return (requested & ~granted & 0o7) !== 0 && !capable(p, CAP_IPC_OWNER);
}

/** IPC_RMID and IPC_SET: only the owner, the creator or CAP_SYS_ADMIN. */
export const ipcOwner = (p: LinuxProcess, perm: IpcPerm): boolean => p.ids.euid === perm.uid || p.ids.euid === perm.cuid || capable(p, CAP_SYS_ADMIN);

/**
 * ipcget(): the id of the object `key` names (checks: EEXIST, more(o) for the kind's own, then
 * EACCES), or of a new one made by `create` (IPC_PRIVATE always creates); -errno otherwise.
 */
export function ipcGet<T extends { perm: IpcPerm }>(
  p: LinuxProcess, ids: IpcIds<T>, key: number, flag: number, create: () => T | number, more: (o: T) => number = () => 0,
): number {
  const o = key === IPC_PRIVATE ? undefined : ids.findKey(key);
  if (!o) {
    if (key !== IPC_PRIVATE && !(flag & IPC_CREAT)) return -ENOENT;
    const made = create();
    if (typeof made === 'number') return made;
    ids.add(made);
    return made.perm.id;
  }
  if (flag & IPC_CREAT && flag & IPC_EXCL) return -EEXIST;
  const err = more(o);
  if (err) return err;
  return ipcDenied(p, o.perm, flag) ? -EACCES : o.perm.id;
}

/** The namespaces: one per GuestTree (or lone process), the ids of each kind. */
const namespaces = new WeakMap<object, Map<string, IpcIds<{ perm: IpcPerm }>>>();

/** The ids of one kind ('shm', 'sem', 'msg') in `p`'s namespace. */
export function ipcIds<T extends { perm: IpcPerm }>(p: LinuxProcess, kind: 'shm' | 'sem' | 'msg'): IpcIds<T> {
  const owner = p.tree ?? p;
  let ns = namespaces.get(owner);
  if (!ns) namespaces.set(owner, (ns = new Map()));
  let ids = ns.get(kind);
  if (!ids) ns.set(kind, (ids = new IpcIds()));
  return ids as unknown as IpcIds<T>;
}

/** Seconds of the wall clock (the *_time fields). */
export const ipcTime = (): number => Math.floor(Date.now() / 1000);

/** An ipc64_perm (36 bytes) or, without IPC_64, the old ipc_perm (16 bytes: 16-bit ids) at `v`+0. */
export function putIpcPerm(v: DataView, perm: IpcPerm, wide: boolean): void {
  v.setInt32(0, perm.key, true);
  if (wide) {
    [perm.uid, perm.gid, perm.cuid, perm.cgid].forEach((x, i) => v.setUint32(4 + 4 * i, x, true));
    v.setUint16(20, perm.mode, true);
    v.setUint16(24, perm.seq, true);
  } else {
    // high2lowuid: ids above 65535 read as the overflow id
    [perm.uid, perm.gid, perm.cuid, perm.cgid].forEach((x, i) => v.setUint16(4 + 2 * i, x > 0xffff ? 65534 : x, true));
    v.setUint16(12, perm.mode, true);
    v.setUint16(14, perm.seq, true);
  }
}

/**
 * An x86-64 shmid64_ds/semid64_ds/msqid64_ds of `size` bytes: the 48-byte ipc64_perm (the same
 * fields as i386's up to seq, then two longs), then `fields` as [offset, value, bytes].
 */
export function encodeIds64X86_64(perm: IpcPerm, size: number, fields: ReadonlyArray<readonly [number, number, 4 | 8]>): Uint8Array {
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  putIpcPerm(v, perm, true);
  for (const [at, x, bytes] of fields) {
    if (bytes === 8) v.setBigInt64(at, BigInt(x), true);
    else v.setUint32(at, x, true);
  }
  return out;
}
/** The ipc64_perm's size: 36 bytes on i386, 48 on x86-64. */
export const ipc64PermSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 48 : 36);

/** IPC_SET's input: uid, gid and the mode's permission bits from an ipc64_perm or ipc_perm. */
export function readIpcSet(v: DataView, wide: boolean): { uid: number; gid: number; mode: number } {
  return wide
    ? { uid: v.getUint32(4, true), gid: v.getUint32(8, true), mode: v.getUint16(20, true) }
    : { uid: v.getUint16(4, true), gid: v.getUint16(6, true), mode: v.getUint16(12, true) };
}

/** Applies IPC_SET's uid/gid/mode (ipc_update_perm). */
export function updatePerm(perm: IpcPerm, s: { uid: number; gid: number; mode: number }): void {
  perm.uid = s.uid;
  perm.gid = s.gid;
  perm.mode = (perm.mode & ~0o777) | (s.mode & 0o777);
}
