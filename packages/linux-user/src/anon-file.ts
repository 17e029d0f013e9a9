/**
 * Files that exist only inside the guest's kernel, as Linux's anon_inode files do: eventfd,
 * timerfd, signalfd and epoll instances. Each is an object behind an open file description
 * (OpenFile.anon, kind 'anon', no host fd); read, write and poll go to it, so read(2), poll(2),
 * epoll and close treat it like any other descriptor.
 *
 *   const fd = installAnon(p, new EventFd(p, 0n, false), O_RDWR | O_NONBLOCK, cloexec);
 */
import { OpenFile } from './fd-table';
import type { LinuxProcess } from './process';

export interface AnonFile {
  /** The anon_inode name, e.g. "[eventfd]". */
  readonly name: string;
  /** read(2): the bytes read or -errno; blocks (LinuxProcess.waitFor) unless `nonblock`. */
  read(count: number, nonblock: boolean): Uint8Array | number;
  /** write(2): the count written or -errno. */
  write(data: Uint8Array, nonblock: boolean): number;
  /** The poll mask now (POLLIN/POLLOUT/...), as the file's f_op->poll reports it. */
  poll(): number;
  /** The last descriptor referring to it went away. */
  release?(): void;
  /** A descriptor referring to it is closed (f_op->flush, at every close). */
  flush?(): void;
  /** lseek(2), for a file that has an offset (default_llseek): the new one or -errno; without it lseek leaves it at 0. */
  seek?(off: number, whence: number): number;
  /** What /proc/self/fd/N links to, when not "anon_inode:" + name. */
  link?(): string;
  /**
   * Wake-ups of its wait queue so far, by key: for readers (data came, EPOLLIN) and for writers
   * (room came, EPOLLOUT). Edge-triggered epoll reports again after each (ep_poll_callback).
   */
  readonly wakes?: Wakes;
}

/** Wake-ups of an object's wait queue: what an edge-triggered epoll entry counts as a new edge. */
export class Wakes {
  in = 0;
  out = 0;
}

/**
 * The process a call on an anon file runs for: the running guest of the tree (a descriptor
 * inherited across fork is used by a process other than the one that made the object), or
 * `owner` outside a tree. Waits and signal state are the caller's.
 */
export const callerOf = (owner: LinuxProcess): LinuxProcess => owner.tree?.current ?? owner;

/** Installs `obj` as a new open file description; the fd or -EMFILE. */
export function installAnon(p: LinuxProcess, obj: AnonFile, flags: number, cloexec: boolean): number {
  const file = new OpenFile(-1, 'anon', flags, '', false);
  file.anon = obj;
  return p.fds.install(file, cloexec);
}

/** The object behind `fd` when it is an instance of `type`: what *_settime/epoll_ctl check. */
export function anonOf<T extends AnonFile>(p: LinuxProcess, fd: number, type: abstract new (...args: never[]) => T): T | undefined {
  const obj = p.fds.get(fd)?.anon;
  return obj instanceof type ? obj : undefined;
}
