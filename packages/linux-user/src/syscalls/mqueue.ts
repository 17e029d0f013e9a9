/**
 * POSIX message queues (ipc/mqueue.c): mq_open, mq_unlink, mq_timedsend, mq_timedreceive,
 * mq_notify, mq_getsetattr. The queues live in a model of the mqueue filesystem that every guest
 * of one run shares (one per GuestTree, as the SysV namespace is): it lasts for the run, where
 * the host's /dev/mqueue outlives its processes. Its limits are the kernel's defaults (msg_max
 * 10, msgsize_max 8192, queues_max 256 without CAP_SYS_RESOURCE) and RLIMIT_MSGQUEUE, charged per
 * user as mqueue_get_inode counts it. Messages leave by priority, oldest first within one. A
 * sender on a full queue or a receiver on an empty one sleeps (WouldBlock) until the other side
 * hands it a message or room, as pipelined_send/pipelined_receive do, its absolute
 * CLOCK_REALTIME timeout passes (ETIMEDOUT) or a signal comes (-ERESTARTSYS). The descriptor is
 * a file: read gives the QSIZE line, poll says whether a message or room is there, each close
 * drops the closer's notification (mqueue_flush_file).
 *
 * SIGEV_THREAD needs a netlink socket (glibc's helper thread reads the cookie from it): dbtlab
 * has no AF_NETLINK, so mq_notify answers it with the kernel's errors for the descriptor given
 * (EBADF, ENOTSOCK, EINVAL for a socket of another family) and never registers it.
 */
import { callerOf, installAnon, Wakes, type AnonFile } from '../anon-file';
import { capable, CAP_SYS_RESOURCE } from '../capabilities';
import { EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EINVAL, EMFILE, EMSGSIZE, ENAMETOOLONG, ENOENT, ENOSPC, ENOTSOCK, ENXIO, EPERM, ETIMEDOUT } from '../errno';
import { O_ACCMODE, O_CREAT, O_EXCL, O_NOCTTY, O_NONBLOCK, O_RDONLY, O_TRUNC, O_WRONLY, type OpenFile } from '../fd-table';
import { fsCreds, isOwner, MAY_READ, MAY_WRITE, permission } from '../permission';
import type { LinuxProcess } from '../process';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from '../readiness';
import { RLIMIT_MSGQUEUE } from '../rlimit';
import { NSIG } from '../signal';
import { SI_MESGQ } from '../siginfo-codes';
import { ulong, wordAt, type SyscallArgs } from '../syscall-args';
import { WouldBlock } from '../would-block';
import { signalProcess } from './process-tree';
import { isSocket } from './socket';
import { CLOCKS, readTimespec } from './time';

/** Flags open consumes (do_dentry_open): the rest stay as the description's status flags. */
const OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC;
const MQ_PRIO_MAX = 32768;
const NAME_MAX = 255;
const PATH_MAX = 4096;
/** /proc/sys/fs/mqueue defaults, and the hard limits that CAP_SYS_RESOURCE may go up to. */
const MSG_MAX = 10;
const MSGSIZE_MAX = 8192;
const QUEUES_MAX = 256;
const HARD_MSGMAX = 65536;
const HARD_MSGSIZEMAX = 16 * 1024 * 1024;
/** sizeof(struct msg_msg) and of struct posix_msg_tree_node on the 64-bit kernel: what a queue charges per message and per priority. */
const MSG_MSG_SIZE = 48;
const TREE_NODE_SIZE = 48;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
/** The cookie mq_notify reads for SIGEV_THREAD (NOTIFY_COOKIE_LEN). */
const NOTIFY_COOKIE_LEN = 32;
/** The mqueue root directory's owner: root, mode 1777 (sticky). */
const ROOT_UID = 0;
const S_IFREG = 0o100000;
/** The queue inode's i_size: the buffer its status line is printed into. */
const FILENT_SIZE = 80;

interface Message {
  prio: number;
  data: Uint8Array;
}

interface Notification {
  /** The registering process (task_tgid): its thread group. */
  owner: Set<LinuxProcess>;
  pid: number;
  how: number;
  signo: number;
  value: number;
}

/** A caller asleep in send (with its message) or receive (until one is handed to it). */
interface Waiter {
  p: LinuxProcess;
  queue: Queue;
  msg: Message | undefined;
  ready: boolean;
  until: bigint | undefined;
}

class Queue {
  /** Highest priority first, oldest first within one. */
  readonly messages: Message[] = [];
  qsize = 0;
  notify: Notification | undefined;
  readonly senders: Waiter[] = [];
  readonly receivers: Waiter[] = [];
  readonly wakes = new Wakes();
  /** Open descriptions; a queue unlinked with none left is gone (mqueue_evict_inode). */
  opens = 0;
  linked = true;
  constructor(
    readonly fs: MqueueFs,
    readonly mode: number,
    readonly uid: number,
    readonly gid: number,
    readonly maxmsg: number,
    readonly msgsize: number,
    /** RLIMIT_MSGQUEUE bytes charged to `user` (real uid of the creator). */
    readonly bytes: number,
    readonly user: number,
  ) {}

  insert(m: Message): void {
    const at = this.messages.findIndex((x) => x.prio < m.prio);
    this.messages.splice(at < 0 ? this.messages.length : at, 0, m);
    this.qsize += m.data.length;
  }

  take(): Message {
    const m = this.messages.shift()!;
    this.qsize -= m.data.length;
    return m;
  }

  /** mqueue_evict_inode: its count and its bytes are given back. */
  evictIfGone(): void {
    if (this.linked || this.opens > 0) return;
    this.fs.count--;
    this.fs.charged.set(this.user, (this.fs.charged.get(this.user) ?? 0) - this.bytes);
  }
}

interface MqueueFs {
  names: Map<string, Queue>;
  count: number;
  /** RLIMIT_MSGQUEUE bytes in use, by user. */
  charged: Map<number, number>;
}

const filesystems = new WeakMap<object, MqueueFs>();
function mqueueFs(p: LinuxProcess): MqueueFs {
  const owner = p.tree ?? p;
  let fs = filesystems.get(owner);
  if (!fs) filesystems.set(owner, (fs = { names: new Map(), count: 0, charged: new Map() }));
  return fs;
}

/** The line reading the descriptor gives (mqueue_read_file's FILENT_SIZE buffer). */
function statusLine(q: Queue): Uint8Array {
  const n = q.notify;
  const pad = (x: number, w: number): string => String(x).padEnd(w);
  return Buffer.from(`QSIZE:${pad(q.qsize, 10)} NOTIFY:${pad(n ? n.how : 0, 5)} SIGNO:${pad(n?.how === SIGEV_SIGNAL ? n.signo : 0, 5)} NOTIFY_PID:${pad(n ? n.pid : 0, 6)}\n`);
}

/** One open description of a queue. */
export class MqueueFile implements AnonFile {
  readonly wakes: Wakes;
  /** The description's offset into the QSIZE line. */
  private pos = 0;
  constructor(
    private readonly p: LinuxProcess,
    readonly queue: Queue,
    readonly name: string,
  ) {
    this.wakes = queue.wakes;
    queue.opens++;
  }

  read(count: number): Uint8Array | number {
    const line = statusLine(this.queue);
    const out = line.subarray(Math.min(this.pos, line.length), Math.min(this.pos + count, line.length));
    this.pos += out.length;
    return out;
  }

  /** No write operation: vfs_write's EINVAL. */
  write(): number {
    return -EINVAL;
  }

  /** default_llseek over the inode's size (FILENT_SIZE): SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE. */
  seek(off: number, whence: number): number {
    if (whence > 4) return -EINVAL;
    if (whence >= 3 && off >= FILENT_SIZE) return -ENXIO;
    const to = [off, this.pos + off, FILENT_SIZE + off, off, FILENT_SIZE][whence];
    if (to < 0) return -EINVAL;
    return (this.pos = to);
  }

  poll(): number {
    const q = this.queue;
    return (q.messages.length ? POLLIN | POLLRDNORM : 0) | (q.messages.length < q.maxmsg ? POLLOUT | POLLWRNORM : 0);
  }

  /** Every close: the closer's registration goes (mqueue_flush_file). */
  flush(): void {
    const q = this.queue;
    if (q.notify?.owner === callerOf(this.p).threadGroup) q.notify = undefined;
  }

  release(): void {
    this.queue.opens--;
    this.queue.evictIfGone();
  }

  /** /proc/self/fd/N: the queue's path in the mqueue filesystem. */
  link(): string {
    return `/${this.name}`;
  }
}

/** The queue behind `fd`, with its description, or -EBADF. */
function mqueueOf(p: LinuxProcess, fd: number): { file: OpenFile; q: Queue } | number {
  const file = p.fds.get(fd | 0);
  return file?.anon instanceof MqueueFile ? { file, q: file.anon.queue } : -EBADF;
}

/** OPEN_FMODE: the access an O_ACCMODE of 3 gives is neither. */
const canRead = (f: OpenFile): boolean => (f.flags & O_ACCMODE) === O_RDONLY || (f.flags & O_ACCMODE) === 2;
const canWrite = (f: OpenFile): boolean => (f.flags & O_ACCMODE) === O_WRONLY || (f.flags & O_ACCMODE) === 2;

/** struct mq_attr: four longs (mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs), four reserved. */
const longSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 8 : 4);
function readAttr(p: LinuxProcess, addr: number): number[] {
  const w = longSize(p);
  const v = new DataView(p.mem.readBytes(addr, 8 * w).buffer);
  return [0, 1, 2, 3].map((i) => (w === 8 ? Number(v.getBigInt64(i * w, true)) : v.getInt32(i * w, true)));
}
function encodeAttr(p: LinuxProcess, fields: number[]): Uint8Array {
  const w = longSize(p);
  const out = new Uint8Array(8 * w);
  const v = new DataView(out.buffer);
  fields.forEach((x, i) => (w === 8 ? v.setBigInt64(i * w, BigInt(x), true) : v.setInt32(i * w, x, true)));
  return out;
}

/** The queue's name (getname, then lookup_one_len's checks and the directory's NAME_MAX). */
function queueName(p: LinuxProcess, addr: number): string | number {
  const raw = Buffer.from(p.mem.readCString(addr, PATH_MAX + 1), 'utf8');
  if (raw.length === 0) return -ENOENT;
  if (raw.length > PATH_MAX) return -ENAMETOOLONG;
  const name = raw.toString('utf8');
  if (name === '.' || name === '..' || name.includes('/')) return -EACCES;
  return raw.length > NAME_MAX ? -ENAMETOOLONG : name;
}

/** mqueue_create_attr and mqueue_get_inode: the new queue, or -errno. */
function create(p: LinuxProcess, fs: MqueueFs, mode: number, attr: number[] | undefined): Queue | number {
  if (fs.count >= QUEUES_MAX && !capable(p, CAP_SYS_RESOURCE)) return -ENOSPC;
  const [maxmsg, msgsize] = attr ? [attr[1], attr[2]] : [MSG_MAX, MSGSIZE_MAX];
  if (maxmsg <= 0 || msgsize <= 0) return -EINVAL;
  const [maxLimit, sizeLimit] = capable(p, CAP_SYS_RESOURCE) ? [HARD_MSGMAX, HARD_MSGSIZEMAX] : [MSG_MAX, MSGSIZE_MAX];
  if (maxmsg > maxLimit || msgsize > sizeLimit) return -EINVAL;
  const bytes = maxmsg * msgsize + maxmsg * MSG_MSG_SIZE + Math.min(maxmsg, MQ_PRIO_MAX) * TREE_NODE_SIZE;
  const user = p.ids.uid;
  const total = (fs.charged.get(user) ?? 0) + bytes;
  if (BigInt(total) > p.rlimits[RLIMIT_MSGQUEUE].cur) return -EMFILE;
  fs.charged.set(user, total);
  fs.count++;
  return new Queue(fs, mode & 0o7777 & ~p.umask, p.ids.fsuid, p.ids.fsgid, maxmsg, msgsize, bytes, user);
}

/** Is a descriptor number free under RLIMIT_NOFILE? */
function freeFd(p: LinuxProcess): boolean {
  for (let fd = 0; fd < p.fds.limit(); fd++) if (!p.fds.get(fd)) return true;
  return false;
}

/** mq_open(name, oflag, mode, attr): a descriptor, close-on-exec always. */
export function sysMqOpen(p: LinuxProcess, a: SyscallArgs): number {
  const oflag = a[1] | 0, mode = a[2] & 0xffff;
  const attr = a[3] !== 0 ? readAttr(p, a[3]) : undefined;
  const name = queueName(p, a[0]);
  if (typeof name === 'number') return name;
  // get_unused_fd_flags comes before the lookup
  if (!freeFd(p)) return -EMFILE;
  const fs = mqueueFs(p);
  let q = fs.names.get(name);
  if (!q) {
    if (!(oflag & O_CREAT)) return -ENOENT;
    const made = create(p, fs, mode, attr);
    if (typeof made === 'number') return made;
    q = made;
  } else {
    if ((oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
    if ((oflag & O_ACCMODE) === 3) return -EINVAL;
    const acc = [MAY_READ, MAY_WRITE, MAY_READ | MAY_WRITE][oflag & O_ACCMODE];
    const denied = permission(fsCreds(p), { mode: S_IFREG | q.mode, uid: q.uid, gid: q.gid }, acc);
    if (denied) return denied;
  }
  const file = new MqueueFile(p, q, name);
  // get_unused_fd_flags(O_CLOEXEC) whatever oflag says
  const fd = installAnon(p, file, oflag & ~OPEN_ONLY, true);
  if (fd < 0) {
    file.release();
    return fd;
  }
  fs.names.set(name, q);
  return fd;
}

/** mq_unlink(name): the name goes; the queue lives on while a descriptor refers to it. */
export function sysMqUnlink(p: LinuxProcess, a: SyscallArgs): number {
  const name = queueName(p, a[0]);
  if (typeof name === 'number') return name;
  const fs = mqueueFs(p);
  const q = fs.names.get(name);
  if (!q) return -ENOENT;
  // may_delete in the sticky root directory: the queue's owner, the directory's, or CAP_FOWNER
  if (!isOwner(p, q) && p.ids.fsuid !== ROOT_UID) return -EPERM;
  fs.names.delete(name);
  q.linked = false;
  q.evictIfGone();
  return 0;
}

/** The monotonic time an absolute CLOCK_REALTIME timeout comes (prepare_timeout), -errno, or undefined for none. */
function deadline(p: LinuxProcess, addr: number, wide: boolean): bigint | number | undefined {
  if (addr === 0) return undefined;
  const t = readTimespec(p, addr, wide);
  if (typeof t === 'number') return t;
  return t - CLOCKS[0].now(p) + CLOCKS[1].now(p);
}

/** Callers asleep on a queue, by process: a retried call finds its waiter. */
const waiting = new WeakMap<LinuxProcess, Waiter>();

function cancel(w: Waiter): void {
  waiting.delete(w.p);
  for (const list of [w.queue.senders, w.queue.receivers]) {
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
  }
}

/** wq_sleep: the caller sleeps until another hands it what it waits for, its timeout (ETIMEDOUT) or a signal (-ERESTARTSYS). */
function sleep(w: Waiter, what: string): never {
  throw new WouldBlock(what, w.until, () => cancel(w), false, undefined, false, true);
}

/** The retry of a sleeping call: its waiter if it was woken, -ETIMEDOUT, or asleep still. */
function resume(w: Waiter, what: string): Waiter | number {
  if (w.ready) {
    waiting.delete(w.p);
    return w;
  }
  if (w.until !== undefined && CLOCKS[1].now(w.p) >= w.until) {
    cancel(w);
    return -ETIMEDOUT;
  }
  return sleep(w, what);
}

function wakeWaiter(w: Waiter): void {
  w.ready = true;
  w.p.tree?.wake(w.p);
}

/** __do_notify: the queue went from empty to one message and nobody waited for it. */
function notifyOwner(p: LinuxProcess, q: Queue): void {
  const n = q.notify;
  q.wakes.in++;
  if (!n || q.messages.length !== 1) return;
  q.notify = undefined;
  const to = [...n.owner][0];
  if (n.how === SIGEV_SIGNAL && n.signo !== 0 && to) signalProcess(to, n.signo, { code: SI_MESGQ, pid: p.pid, uid: p.ids.uid, value: n.value });
}

function timedsend(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const what = 'mq_timedsend on a full queue';
  const asleep = waiting.get(p);
  if (asleep) {
    const r = resume(asleep, what);
    return typeof r === 'number' ? r : 0;
  }
  const until = deadline(p, a[4], wide);
  if (typeof until === 'number') return until;
  const len = ulong(a, 2), prio = a[3] >>> 0;
  if (prio >= MQ_PRIO_MAX) return -EINVAL;
  const mq = mqueueOf(p, a[0]);
  if (typeof mq === 'number') return mq;
  const { file, q } = mq;
  if (!canWrite(file)) return -EBADF;
  if (len > q.msgsize) return -EMSGSIZE;
  const msg = { prio, data: p.mem.readBytes(a[1], len).slice() };
  if (q.messages.length === q.maxmsg) {
    if (file.flags & O_NONBLOCK) return -EAGAIN;
    if (until !== undefined && CLOCKS[1].now(p) >= until) return -ETIMEDOUT;
    const w: Waiter = { p, queue: q, msg, ready: false, until };
    q.senders.push(w);
    waiting.set(p, w);
    sleep(w, what);
  }
  const receiver = q.receivers.shift();
  if (receiver) {
    receiver.msg = msg;
    wakeWaiter(receiver);
  } else {
    q.insert(msg);
    notifyOwner(p, q);
  }
  return 0;
}

function timedreceive(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const what = 'mq_timedreceive on an empty queue';
  let msg: Message;
  const asleep = waiting.get(p);
  if (asleep) {
    const r = resume(asleep, what);
    if (typeof r === 'number') return r;
    msg = r.msg!;
  } else {
    const until = deadline(p, a[4], wide);
    if (typeof until === 'number') return until;
    const mq = mqueueOf(p, a[0]);
    if (typeof mq === 'number') return mq;
    const { file, q } = mq;
    if (!canRead(file)) return -EBADF;
    if (ulong(a, 2) < q.msgsize) return -EMSGSIZE;
    if (q.messages.length === 0) {
      if (file.flags & O_NONBLOCK) return -EAGAIN;
      if (until !== undefined && CLOCKS[1].now(p) >= until) return -ETIMEDOUT;
      const w: Waiter = { p, queue: q, msg: undefined, ready: false, until };
      q.receivers.push(w);
      waiting.set(p, w);
      sleep(w, what);
    }
    msg = q.take();
    // pipelined_receive: the first sleeping sender's message takes the room
    const sender = q.senders.shift();
    if (sender) {
      q.insert(sender.msg!);
      wakeWaiter(sender);
    } else q.wakes.out++;
  }
  // the message has left the queue: a fault now loses it, as in the kernel
  if (a[3] !== 0) p.mem.write32(a[3], msg.prio);
  p.mem.writeBytes(a[1], msg.data);
  return msg.data.length;
}

/** mq_notify(mqdes, sigevent): sigev_value (a pointer-sized union), sigev_signo, sigev_notify. */
export function sysMqNotify(p: LinuxProcess, a: SyscallArgs): number {
  let ev: { value: number; signo: number; how: number } | undefined;
  if (a[1] !== 0) {
    // the compat call reads value, signo, notify and the thread id (get_compat_sigevent); the native one all 64 bytes
    const w = longSize(p);
    const v = new DataView(p.mem.readBytes(a[1], w === 8 ? 64 : 16).buffer);
    ev = { value: wordAt(v, 0, w), signo: v.getInt32(w, true), how: v.getInt32(w + 4, true) };
    if (ev.how !== SIGEV_NONE && ev.how !== SIGEV_SIGNAL && ev.how !== SIGEV_THREAD) return -EINVAL;
    if (ev.how === SIGEV_SIGNAL && ev.signo >>> 0 > NSIG) return -EINVAL;
    if (ev.how === SIGEV_THREAD) {
      p.mem.readBytes(ev.value, NOTIFY_COOKIE_LEN);
      const sock = p.fds.get(ev.signo);
      if (!sock) return -EBADF;
      // netlink_getsockbyfilp: a socket that is not AF_NETLINK (dbtlab has none) is EINVAL
      return isSocket(sock) ? -EINVAL : -ENOTSOCK;
    }
  }
  const mq = mqueueOf(p, a[0]);
  if (typeof mq === 'number') return mq;
  const { q } = mq;
  if (!ev) {
    if (q.notify?.owner === p.threadGroup) q.notify = undefined;
    return 0;
  }
  if (q.notify) return -EBUSY;
  q.notify = { owner: p.threadGroup, pid: p.pid, how: ev.how, signo: ev.signo, value: ev.value };
  return 0;
}

/** mq_getsetattr(mqdes, new, old): only O_NONBLOCK can be set; the old attributes are written after the new ones apply. */
export function sysMqGetsetattr(p: LinuxProcess, a: SyscallArgs): number {
  const next = a[1] !== 0 ? readAttr(p, a[1]) : undefined;
  if (next && next[0] & ~O_NONBLOCK) return -EINVAL;
  const mq = mqueueOf(p, a[0]);
  if (typeof mq === 'number') return mq;
  const { file, q } = mq;
  const old = [file.flags & O_NONBLOCK, q.maxmsg, q.msgsize, q.messages.length];
  if (next) file.flags = (file.flags & ~O_NONBLOCK) | (next[0] & O_NONBLOCK);
  if (a[2] !== 0) p.mem.writeBytes(a[2], encodeAttr(p, old));
  return 0;
}

/** i386's mq_timedsend/mq_timedreceive take a 32-bit timespec; their _time64 twins (x86-64's calls) a 64-bit one. */
export const sysMqTimedsend = (p: LinuxProcess, a: SyscallArgs): number => timedsend(p, a, false);
export const sysMqTimedsendTime64 = (p: LinuxProcess, a: SyscallArgs): number => timedsend(p, a, true);
export const sysMqTimedreceive = (p: LinuxProcess, a: SyscallArgs): number => timedreceive(p, a, false);
export const sysMqTimedreceiveTime64 = (p: LinuxProcess, a: SyscallArgs): number => timedreceive(p, a, true);
