/**
 * execve: the file is checked as the kernel's do_execveat does (ENOENT, EACCES without
 * execute permission or for a non-regular file), a `#!` script starts its interpreter with
 * the one optional argument of the line, the script's path and the rest of argv
 * (binfmt_script, at most 5 levels: ELOOP), an ELF is loaded into a new address space and
 * engine (LinuxProcess.exec: the old code cache is dropped, counted as tbs_dropped_by_exec),
 * anything else is ENOEXEC. /proc/self/exe is the running executable.
 * execveat opens the file relative to a directory fd or, with AT_EMPTY_PATH, runs the fd itself
 * (alloc_bprm): the image's name is then /dev/fd/N[/path], which a script's interpreter is given.
 */
import { accessSync, constants, lstatSync, openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { EACCES, EINVAL, ELOOP, ENOENT, ENOEXEC, errnoOfHostError } from '../errno';
import { elfClassOf } from '../elf';
import { IN_ACCESS, IN_OPEN, notifyPath } from '../fsnotify';
import { fsCreds, MAY_EXEC, permission, unchecked } from '../permission';
import { holdExeFile } from '../exe-file';
import type { LinuxProcess } from '../process';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, isProcSelfFile, readGuestPath, resolveAt } from './paths';
import { commOfPath } from './identity';
import type { SyscallArgs } from '../syscall-args';
import { chargeString, copyExecStrings, type ExecStrings } from './exec-args';

const BINPRM_BUF_SIZE = 256;
/** exec_binprm's bound: a sixth rewrite (a script's interpreter is a script, ...) is ELOOP once its interpreter is open. */
const MAX_INTERP_DEPTH = 5;

/** The first bytes of the host file, or -errno for a file execve may not run. */
function openExec(p: LinuxProcess, host: string): Uint8Array | number {
  try {
    const st = statSync(host);
    if (!st.isFile()) return -EACCES;
    const c = fsCreds(p);
    if (unchecked(c)) accessSync(host, constants.X_OK);
    else if (permission(c, st, MAY_EXEC) < 0) return -EACCES; // execute, not read: a 0711 program runs
    const fd = openSync(host, 'r');
    try {
      const buf = new Uint8Array(BINPRM_BUF_SIZE);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const errno = errnoOfHostError(e);
    if (errno === undefined) throw e;
    return -errno;
  }
}

/**
 * An opened file: its host path, its first bytes, and the path LinuxProcess.exec loads it by
 * (the guest's own name when it has one, which exec resolves again; the host's otherwise).
 */
interface ExecFile {
  host: string;
  head: Uint8Array;
  load: string;
}

/** The file behind (dirfd, path) and its first bytes, or -errno (do_open_execat); an empty path with AT_EMPTY_PATH is dirfd's file. */
function openPath(p: LinuxProcess, path: string, dirfd = AT_FDCWD, flags = 0): ExecFile | number {
  const resolved = resolveAt(p, dirfd, path, (flags & AT_EMPTY_PATH) !== 0, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof resolved === 'number') return resolved;
  let host = resolved;
  if (host === '' && dirfd === AT_FDCWD) host = p.cwd;
  else if (host === '') {
    const file = p.file(dirfd);
    if (typeof file === 'number') return file;
    // a description only dbtlab holds (a pipe between guests, an eventfd...) is not a regular file
    if (file.hostFd < 0) return -EACCES;
    host = `/proc/self/fd/${file.hostFd}`;
  }
  // AT_SYMLINK_NOFOLLOW: a symlink in the last component is not opened (do_filp_open without LOOKUP_FOLLOW)
  if (path !== '' && flags & AT_SYMLINK_NOFOLLOW && lstatSync(host, { throwIfNoEntry: false })?.isSymbolicLink()) return -ELOOP;
  const head = openExec(p, host);
  if (typeof head === 'number') return head;
  const guestNamed = dirfd === AT_FDCWD || path.startsWith('/');
  return { host, head, load: !guestNamed ? host : isProcSelfFile(path, p.pid, 'exe') ? p.exePath : path };
}

/**
 * How the image is named (bprm): `filename` as given or /dev/fd/N[/path] (AT_EXECFN, and the
 * script path an interpreter gets); `fdGone`, that path will not exist after the exec (its fd is
 * close-on-exec: a script cannot run); `commFromFile`, comm is the executed file's own name
 * rather than the last part of `filename` (AT_EMPTY_PATH: /dev/fd/N says nothing).
 */
interface ExecName {
  filename: string;
  fdGone: boolean;
  commFromFile: boolean;
}

/** Runs the opened file `path` (the name a script's interpreter is given) with the strings already copied: a script restarts with its interpreter, an ELF is loaded. */
function execve(p: LinuxProcess, path: string, file: ExecFile, strings: ExecStrings, depth: number, name: ExecName): number {
  const { host, head } = file;
  const { argv, envp } = strings;
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = Buffer.from(head.subarray(2)).toString('latin1').split('\n')[0].replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
    const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
    if (!m) return -ENOEXEC;
    // the interpreter would open /dev/fd/N/..., which this exec closes
    if (name.fdGone) return -ENOENT;
    const [, interp, arg] = m;
    // binfmt_script: argv[0] gives its room back; the script's path, the argument and the interpreter's name take theirs
    let room = strings.room + Buffer.byteLength(argv[0]) + 1;
    for (const s of [path, ...(arg ? [arg] : []), interp]) {
      room = chargeString(room, s);
      if (room < 0) return room;
    }
    const next = openPath(p, interp);
    if (typeof next === 'number') return next;
    if (depth + 1 > MAX_INTERP_DEPTH) return -ELOOP;
    return execve(p, interp, next, { argv: [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)], envp, room }, depth + 1, name);
  }
  if (head.length < 4 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return -ENOEXEC;
  // an unknown class is loadElfBinary's ENOEXEC, in an engine of either width
  // comm is the last part of the name as given (Linux's bprm->filename): "exe" for /proc/self/exe
  const r = p.exec(file.load, argv, envp, elfClassOf(head) ?? 32, name.filename);
  if (r === 0) {
    notifyExec(host, p.image?.interpreter !== undefined);
    holdExeFile(p.space, host);
    if (name.commFromFile) p.comm = commOfPath(fileName(host));
  }
  return r;
}

/**
 * What inotify sees of an ELF execve opens (measured natively, static and dynamic i386 and static
 * x86-64): IN_OPEN (open_exec), IN_ACCESS for the first bytes (prepare_binprm), for the program
 * headers (load_elf_phdrs) and for the PT_INTERP path when there is one (then the address space
 * holds the file: exe-file.ts). The interpreter's own events are not modelled.
 */
function notifyExec(host: string, interp: boolean): void {
  notifyPath(host, IN_OPEN);
  for (let reads = interp ? 3 : 2; reads > 0; reads--) notifyPath(host, IN_ACCESS);
}

/** The name of the file itself (its dentry's), symlinks and magic links followed; `host`'s last part if the host cannot say. */
function fileName(host: string): string {
  try {
    return basename(realpathSync(host));
  } catch {
    return basename(host);
  }
}

/** execveat(dirfd, path, argv, envp, flags) (execve: AT_FDCWD, 0): does not return on success (eax = 0 in the new image). */
function execveAt(p: LinuxProcess, dirfd: number, pathAddr: number, argvAddr: number, envpAddr: number, flags: number): number {
  const path = readGuestPath(p, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '' && !(flags & AT_EMPTY_PATH)) return -ENOENT;
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  // the file is opened before the strings are read (do_execveat_common)
  const file = openPath(p, path, dirfd, flags);
  if (typeof file === 'number') return file;
  const byFd = dirfd !== AT_FDCWD && !path.startsWith('/');
  const filename = !byFd ? path : path === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${path}`;
  const name = { filename, fdGone: byFd && p.fds.entry(dirfd)?.cloexec === true, commFromFile: byFd && path === '' };
  const strings = copyExecStrings(p, argvAddr, envpAddr, filename);
  if (typeof strings === 'number') return strings;
  return execve(p, filename, file, strings, 0, name);
}

export const sysExecve = (p: LinuxProcess, a: SyscallArgs): number => execveAt(p, AT_FDCWD, a[0], a[1], a[2], 0);
export const sysExecveat = (p: LinuxProcess, a: SyscallArgs): number => execveAt(p, a[0] | 0, a[1], a[2], a[3], a[4]);
