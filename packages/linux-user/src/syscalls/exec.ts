/**
 * execve: the file is checked as the kernel's do_execveat does (ENOENT, EACCES without
 * execute permission or for a non-regular file), a `#!` script starts its interpreter with
 * the one optional argument of the line, the script's path and the rest of argv
 * (binfmt_script, at most 5 levels: ELOOP), an ELF is loaded into a new address space and
 * engine (LinuxProcess.exec: the old code cache is dropped, counted as tbs_dropped_by_exec),
 * anything else is ENOEXEC. /proc/self/exe is the running executable.
 */
import { accessSync, constants, openSync, readSync, closeSync, statSync } from 'node:fs';
import { EACCES, ELOOP, ENOEXEC, errnoOfHostError } from '../errno';
import { elfClassOf } from '../elf';
import { IN_ACCESS, IN_OPEN, notifyPath } from '../fsnotify';
import { fsCreds, MAY_EXEC, permission, unchecked } from '../permission';
import { holdExeFile } from '../exe-file';
import type { LinuxProcess } from '../process';
import { AT_FDCWD, isProcSelfFile, readGuestPath, resolveAt } from './paths';
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

/** The host file behind `path` and its first bytes, or -errno (do_open_execat). */
function openPath(p: LinuxProcess, path: string): { host: string; head: Uint8Array } | number {
  const host = resolveAt(p, AT_FDCWD, path);
  if (typeof host === 'number') return host;
  const head = openExec(p, host);
  return typeof head === 'number' ? head : { host, head };
}

/** Runs the opened file `path` with the strings already copied: a script restarts with its interpreter, an ELF is loaded. */
function execve(p: LinuxProcess, path: string, file: { host: string; head: Uint8Array }, strings: ExecStrings, depth: number, filename: string): number {
  const { host, head } = file;
  const { argv, envp } = strings;
  if (head[0] === 0x23 && head[1] === 0x21) {
    const line = Buffer.from(head.subarray(2)).toString('latin1').split('\n')[0].replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
    const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line);
    if (!m) return -ENOEXEC;
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
    return execve(p, interp, next, { argv: [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)], envp, room }, depth + 1, filename);
  }
  if (head.length < 4 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return -ENOEXEC;
  // an unknown class is loadElfBinary's ENOEXEC, in an engine of either width
  // comm is the last part of the name as given (Linux's bprm->filename): "exe" for /proc/self/exe
  const r = p.exec(isProcSelfFile(path, p.pid, 'exe') ? p.exePath : path, argv, envp, elfClassOf(head) ?? 32, filename);
  if (r === 0) {
    notifyExec(host, p.image?.interpreter !== undefined);
    holdExeFile(p.space, host);
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

/** execve(path, argv, envp): does not return on success (eax = 0 in the new image). */
export function sysExecve(p: LinuxProcess, a: SyscallArgs): number {
  const path = readGuestPath(p, a[0]);
  if (typeof path === 'number') return path;
  // the file is opened before the strings are read (do_execveat_common)
  const file = openPath(p, path);
  if (typeof file === 'number') return file;
  const strings = copyExecStrings(p, a[1], a[2], path);
  if (typeof strings === 'number') return strings;
  return execve(p, path, file, strings, 0, path);
}
