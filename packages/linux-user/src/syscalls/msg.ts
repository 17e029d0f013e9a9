/**
 * SysV message queues: msgget, msgsnd, msgrcv (with MSG_NOERROR, MSG_EXCEPT, MSG_COPY and the
 * type rules of find_msg), msgctl. A sender blocks while the queue is full (msg_qbytes), a
 * receiver while no message matches (WouldBlock: the scheduler runs the other guests and
 * retries), until the queue changes, it is removed (EIDRM) or a signal interrupts the call.
 */
import { capable, CAP_SYS_RESOURCE } from '../capabilities';
import { E2BIG, EACCES, EIDRM, EINVAL, EAGAIN, ENOMSG, ENOSPC, EPERM } from '../errno';
import type { LinuxProcess } from '../process';
import { WouldBlock } from '../would-block';
import {
  IPC_INFO,
  IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, S_IRUGO, S_IWUGO, ipcDenied, ipcGet, ipcIds, ipcOwner, ipcTime, putIpcPerm, readIpcSet, updatePerm, encodeIds64X86_64,
  type IpcIds, type IpcPerm,
} from '../sysv-ipc';
import type { SyscallArgs } from '../syscall-args';

const MSG_NOERROR = 0o10000;
const MSG_EXCEPT = 0o20000;
const MSG_COPY = 0o40000;
const MSG_STAT = 11;
const MSG_STAT_ANY = 13;
/** Linux's defaults: the largest message and a new queue's byte limit. */
const MSGMAX = 8192;
const MSGMNB = 16384;
const MSG_INFO = 12;
const MSGMNI = 32000;
const MSGSSZ = 16;
/** MSGSEG, (MSGPOOL * 1024) / MSGSSZ cut to an unsigned short. */
const MSGSEG = 0xffff;

interface MsgQueue {
  perm: IpcPerm;
  messages: { type: number; text: Uint8Array }[];
  cbytes: number;
  qbytes: number;
  stime: number;
  rtime: number;
  ctime: number;
  lspid: number;
  lrpid: number;
}

const queues = (p: LinuxProcess): IpcIds<MsgQueue> => ipcIds<MsgQueue>(p, 'msg');
/** The queue each blocked caller waits on (its retry finds it removed: EIDRM). */
const waiting = new WeakMap<LinuxProcess, MsgQueue>();

function block(p: LinuxProcess, q: MsgQueue, what: string): never {
  waiting.set(p, q);
  throw new WouldBlock(what, undefined, () => waiting.delete(p));
}

/** The queue a retried call waited on was removed meanwhile. */
function removedWhileWaiting(p: LinuxProcess): boolean {
  const q = waiting.get(p);
  waiting.delete(p);
  return q?.perm.deleted ?? false;
}

/** msgget(key, msgflg). */
export function sysMsgget(p: LinuxProcess, a: SyscallArgs): number {
  const key = a[0] | 0, flag = a[1];
  return ipcGet(p, queues(p), key, flag, () => {
    const perm = queues(p).newPerm(p, key, flag);
    if (!perm) return -ENOSPC;
    return { perm, messages: [], cbytes: 0, qbytes: MSGMNB, stime: 0, rtime: 0, ctime: ipcTime(), lspid: 0, lrpid: 0 };
  });
}

/** struct msgbuf's mtype: a long (4 bytes on i386, 8 on x86-64), then the text. */
const mtypeSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 8 : 4);

/** msgsnd(msqid, msgp, msgsz, msgflg): msgp holds mtype, then the text. */
export function msgsnd(p: LinuxProcess, id: number, msgp: number, size: number, flag: number): number {
  if (removedWhileWaiting(p)) return -EIDRM;
  const raw = new DataView(p.mem.readBytes(msgp, mtypeSize(p)).buffer);
  const type = mtypeSize(p) === 8 ? Number(raw.getBigInt64(0, true)) : raw.getInt32(0, true);
  if (size > MSGMAX || size < 0 || id < 0) return -EINVAL;
  if (type < 1) return -EINVAL;
  const text = p.mem.readBytes(msgp + mtypeSize(p), size);
  const q = queues(p).get(id);
  if (!q) return -EINVAL;
  if (ipcDenied(p, q.perm, S_IWUGO)) return -EACCES;
  if (size + q.cbytes > q.qbytes || 1 + q.messages.length > q.qbytes) {
    if (flag & IPC_NOWAIT) return -EAGAIN;
    block(p, q, 'msgsnd');
  }
  q.messages.push({ type, text });
  q.cbytes += size;
  q.lspid = p.pid;
  q.stime = ipcTime();
  return 0;
}

/** find_msg: the message msgrcv takes (or MSG_COPY copies), or its index -1. */
function findMsg(q: MsgQueue, typ: number, flag: number): number {
  const m = q.messages;
  if (flag & MSG_COPY) return typ >= 0 && typ < m.length ? typ : -1;
  if (typ === 0) return m.length ? 0 : -1;
  if (typ < 0) {
    // the lowest type not above |typ|, the first of them
    let best = -1;
    m.forEach((x, i) => {
      if (x.type <= -typ && (best < 0 || x.type < m[best].type)) best = i;
    });
    return best;
  }
  return m.findIndex((x) => (flag & MSG_EXCEPT ? x.type !== typ : x.type === typ));
}

/** msgrcv(msqid, msgp, msgsz, msgtyp, msgflg): the size of the text received. */
export function msgrcv(p: LinuxProcess, id: number, msgp: number, size: number, typ: number, flag: number): number {
  if (removedWhileWaiting(p)) return -EIDRM;
  if (id < 0 || size < 0) return -EINVAL;
  if (flag & MSG_COPY && (flag & MSG_EXCEPT || !(flag & IPC_NOWAIT))) return -EINVAL;
  const q = queues(p).get(id);
  if (!q) return -EINVAL;
  if (ipcDenied(p, q.perm, S_IRUGO)) return -EACCES;
  const i = findMsg(q, typ, flag);
  if (i < 0) {
    if (flag & IPC_NOWAIT) return -ENOMSG;
    block(p, q, 'msgrcv');
  }
  const msg = q.messages[i];
  if (size < msg.text.length && !(flag & MSG_NOERROR)) return -E2BIG;
  if (flag & MSG_COPY) {
    if (msg.text.length > Math.min(size, MSGMAX)) return -EINVAL;
  } else {
    q.messages.splice(i, 1);
    q.cbytes -= msg.text.length;
    q.lrpid = p.pid;
    q.rtime = ipcTime();
  }
  // a fault here loses the message, as in the kernel (it left the queue first)
  const mtype = new DataView(new ArrayBuffer(mtypeSize(p)));
  if (mtypeSize(p) === 8) mtype.setBigInt64(0, BigInt(msg.type), true);
  else mtype.setInt32(0, msg.type, true);
  p.mem.writeBytes(msgp, new Uint8Array(mtype.buffer));
  const n = Math.min(size, msg.text.length);
  p.mem.writeBytes(msgp + mtypeSize(p), msg.text.subarray(0, n));
  return n;
}

/** msqid64_ds (88 bytes; x86-64's 120, of longs) or, without IPC_64, the old msqid_ds (56 bytes: 16-bit counts). */
function encodeMsqid(q: MsgQueue, wide: boolean, abi: LinuxProcess['abi']): Uint8Array {
  if (abi === 'x86_64') {
    return encodeIds64X86_64(q.perm, 120, [[48, q.stime, 8], [56, q.rtime, 8], [64, q.ctime, 8], [72, q.cbytes, 8], [80, q.messages.length, 8], [88, q.qbytes, 8], [96, q.lspid, 4], [100, q.lrpid, 4]]);
  }
  const out = new Uint8Array(wide ? 88 : 56);
  const v = new DataView(out.buffer);
  putIpcPerm(v, q.perm, wide);
  const fields = wide
    ? [[36, q.stime], [44, q.rtime], [52, q.ctime], [60, q.cbytes], [64, q.messages.length], [68, q.qbytes], [72, q.lspid], [76, q.lrpid]]
    : [[24, q.stime], [28, q.rtime], [32, q.ctime]];
  for (const [at, x] of fields) v.setUint32(at, x, true);
  if (!wide) [q.cbytes, q.messages.length, q.qbytes, q.lspid, q.lrpid].forEach((x, i) => v.setUint16(44 + 2 * i, Math.min(x, 0xffff), true));
  return out;
}

/** msgctl(msqid, cmd, buf): `wide` the ipc64 structures. */
export function msgctl(p: LinuxProcess, id: number, cmd: number, buf: number, wide: boolean): number {
  if (id < 0) return -EINVAL;
  const ids = queues(p);
  switch (cmd) {
    case IPC_INFO:
    case MSG_INFO: {
      // struct msginfo: msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql (ints), msgseg (unsigned short); MSG_INFO's first three are usage
      let messages = 0, bytes = 0;
      for (let i = 0; i <= ids.maxIndex(); i++) {
        messages += ids.atIndex(i)?.messages.length ?? 0;
        bytes += ids.atIndex(i)?.cbytes ?? 0;
      }
      const info = cmd === MSG_INFO ? [ids.size, messages, MSGMAX, MSGMNB, MSGMNI, MSGSSZ, bytes] : [(MSGMNI * MSGMNB) / 1024, MSGMNB, MSGMAX, MSGMNB, MSGMNI, MSGSSZ, MSGMNB];
      const out = new Uint8Array(32);
      const v = new DataView(out.buffer);
      info.forEach((x, i) => v.setInt32(4 * i, x, true));
      v.setUint16(28, MSGSEG, true);
      p.mem.writeBytes(buf, out);
      return Math.max(ids.maxIndex(), 0);
    }
    case IPC_STAT:
    case MSG_STAT:
    case MSG_STAT_ANY: {
      const q = cmd === IPC_STAT ? ids.get(id) : ids.atIndex(id);
      if (!q) return -EINVAL;
      if (cmd !== MSG_STAT_ANY && ipcDenied(p, q.perm, S_IRUGO)) return -EACCES;
      p.mem.writeBytes(buf, encodeMsqid(q, wide, p.abi));
      return cmd === IPC_STAT ? 0 : q.perm.id;
    }
    case IPC_SET:
    case IPC_RMID: {
      let set: { uid: number; gid: number; mode: number; qbytes: number } | undefined;
      if (cmd === IPC_SET) {
        const x64 = wide && p.abi === 'x86_64';
        const v = new DataView(p.mem.readBytes(buf, x64 ? 120 : wide ? 88 : 56).buffer);
        set = { ...readIpcSet(v, wide), qbytes: x64 ? Number(v.getBigUint64(88, true)) : wide ? v.getUint32(68, true) : v.getUint16(48, true) };
      }
      const q = ids.get(id);
      if (!q) return -EINVAL;
      if (!ipcOwner(p, q.perm)) return -EPERM;
      if (set) {
        if (set.qbytes > MSGMNB && !capable(p, CAP_SYS_RESOURCE)) return -EPERM;
        q.qbytes = set.qbytes;
        updatePerm(q.perm, set);
        q.ctime = ipcTime();
      } else ids.remove(q);
      return 0;
    }
    default:
      return -EINVAL;
  }
}

export const sysMsgsnd = (p: LinuxProcess, a: SyscallArgs): number => msgsnd(p, a[0] | 0, a[1], a[2] | 0, a[3]);
export const sysMsgrcv = (p: LinuxProcess, a: SyscallArgs): number => msgrcv(p, a[0] | 0, a[1], a[2] | 0, a[3] | 0, a[4]);
/** msgctl(msqid, cmd, buf), the direct call: the ipc64 structures, cmd as given. */
export const sysMsgctl = (p: LinuxProcess, a: SyscallArgs): number => msgctl(p, a[0] | 0, a[1] | 0, a[2], true);
