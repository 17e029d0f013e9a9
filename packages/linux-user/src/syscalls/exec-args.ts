/**
 * The argument and environment strings of an execve, copied as do_execveat_common copies them
 * into the new stack, with its errors in its order:
 *   - both pointer arrays are counted first (count: an unreadable pointer is EFAULT);
 *   - the room for strings is bprm_stack_limits' (stack-growth.ts argStringsLimit): E2BIG when the
 *     pointers alone fill it;
 *   - then the file name, the environment and the arguments, each array from its last string to
 *     its first (copy_strings): an unreadable string is EFAULT, a string longer than
 *     MAX_ARG_STRLEN or one that no longer fits is E2BIG, whichever comes first;
 *   - no argument at all gets an empty argv[0] (argc 1), as Linux 5.18 and later give.
 * A `#!` script's rewrite takes from the same room (binfmt_script: argv[0] is given back, the
 * script's path, the optional argument and the interpreter's name are charged).
 */
import { MemoryFault } from '@dbtlab/mips-host';
import { E2BIG, EFAULT } from '../errno';
import { TARGET_PAGE_SIZE } from '../layout';
import type { LinuxProcess } from '../process';
import { argStringsLimit } from '../stack-growth';
import { wordAt } from '../syscall-args';

/** The longest string, its NUL included (32 pages). */
export const MAX_ARG_STRLEN = 32 * TARGET_PAGE_SIZE;
const MAX_ARG_STRINGS = 0x7fffffff;

export interface ExecStrings {
  argv: string[];
  envp: string[];
  /** Bytes of the strings' room still free. */
  room: number;
}

/** The room left once a string of `s` (with its NUL) is copied in, or -E2BIG (copy_string_kernel's checks). */
export function chargeString(room: number, s: string): number {
  const len = Buffer.byteLength(s) + 1;
  return len > MAX_ARG_STRLEN || len > room ? -E2BIG : room - len;
}

/** The string pointers of a NULL-terminated array (NULL itself is none), or -EFAULT. */
function countPointers(p: LinuxProcess, addr: number): number[] | number {
  const out: number[] = [];
  if (addr === 0) return out;
  const step = p.abi === 'x86_64' ? 8 : 4;
  for (let a = addr; ; a += step) {
    const bytes = readable(p, a, step);
    if (bytes === undefined) return -EFAULT;
    const ptr = wordAt(new DataView(bytes.buffer, bytes.byteOffset), 0, step);
    if (ptr === 0) return out;
    if (out.length >= MAX_ARG_STRINGS) return -E2BIG;
    out.push(ptr);
  }
}

/** `n` guest bytes at `addr`, or undefined where they are not readable. */
function readable(p: LinuxProcess, addr: number, n: number): Uint8Array | undefined {
  try {
    return p.mem.readBytes(addr, n);
  } catch (e) {
    if (e instanceof MemoryFault) return undefined;
    throw e;
  }
}

/** A guest string (strnlen_user's MAX_ARG_STRLEN bound: null when longer), or -EFAULT; read a page at a time, so that only the pages it spans must be mapped. */
function readArgString(p: LinuxProcess, addr: number): string | null | number {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let a = addr; total < MAX_ARG_STRLEN; ) {
    const n = Math.min(TARGET_PAGE_SIZE - (a % TARGET_PAGE_SIZE), MAX_ARG_STRLEN - total);
    const bytes = readable(p, a, n);
    if (bytes === undefined) return -EFAULT;
    const nul = bytes.indexOf(0);
    parts.push(nul < 0 ? bytes : bytes.subarray(0, nul));
    if (nul >= 0) return Buffer.concat(parts).toString('utf8');
    total += n;
    a += n;
  }
  return null;
}

/** Copies one array's strings from the last to the first, charging each to `room`; the strings and the room left, or -errno. */
function copyStrings(p: LinuxProcess, ptrs: number[], room: number): { strings: string[]; room: number } | number {
  const strings = ptrs.map(() => '');
  for (let i = ptrs.length - 1; i >= 0; i--) {
    const s = readArgString(p, ptrs[i]);
    if (typeof s === 'number') return s;
    if (s === null) return -E2BIG;
    room = chargeString(room, s);
    if (room < 0) return room;
    strings[i] = s;
  }
  return { strings, room };
}

/** execve's argv and envp at guest `argvAddr` and `envpAddr` for the file `filename`, with the room left for a script's rewrite; or -errno. */
export function copyExecStrings(p: LinuxProcess, argvAddr: number, envpAddr: number, filename: string): ExecStrings | number {
  const argPtrs = countPointers(p, argvAddr);
  if (typeof argPtrs === 'number') return argPtrs;
  const envPtrs = countPointers(p, envpAddr);
  if (typeof envPtrs === 'number') return envPtrs;
  const limit = argStringsLimit(p.space.limits().stack, argPtrs.length, envPtrs.length);
  if (limit <= 0) return -E2BIG;
  let room = chargeString(limit, filename);
  if (room < 0) return room;
  const env = copyStrings(p, envPtrs, room);
  if (typeof env === 'number') return env;
  const args = copyStrings(p, argPtrs, env.room);
  if (typeof args === 'number') return args;
  room = args.room;
  if (args.strings.length === 0) {
    room = chargeString(room, '');
    if (room < 0) return room;
    args.strings.push('');
  }
  return { argv: args.strings, envp: env.strings, room };
}
