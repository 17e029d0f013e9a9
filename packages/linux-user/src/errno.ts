/**
 * Linux errno values (identical on i386 and the x86-64 host) with the names and messages
 * strace prints; and the mapping from a Node.js system error to the errno the guest sees.
 */
import { constants } from 'node:os';

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
/** The kernel's internal "restart if SA_RESTART" (never returned to the guest; strace shows it). */
export const ERESTARTSYS = 512;
export const EBADF = 9;
export const ECHILD = 10;
export const ENXIO = 6;
export const ENOEXEC = 8;
export const EAGAIN = 11;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EBUSY = 16;
export const EEXIST = 17;
export const EXDEV = 18;
export const ENODEV = 19;
export const ENOTDIR = 20;
export const EISDIR = 21;
export const EINVAL = 22;
export const EMFILE = 24;
export const ENOTTY = 25;
export const ESPIPE = 29;
export const EPIPE = 32;
export const EDOM = 33;
export const ERANGE = 34;
export const ENAMETOOLONG = 36;
export const ELOOP = 40;
export const ENOSYS = 38;
export const ENOTEMPTY = 39;
export const EOVERFLOW = 75;
export const EDEADLK = 35;
export const ETIMEDOUT = 110;
export const ELIBBAD = 80;
export const EOPNOTSUPP = 95;
export const ENOTSOCK = 88;
export const E2BIG = 7;
export const EFBIG = 27;
export const ENOSPC = 28;
export const ENOMSG = 42;
export const EIDRM = 43;
export const EMSGSIZE = 90;
export const EPROTOTYPE = 91;
export const ENOPROTOOPT = 92;
export const EPROTONOSUPPORT = 93;
export const ESOCKTNOSUPPORT = 94;
export const EAFNOSUPPORT = 97;
export const EADDRINUSE = 98;
export const EISCONN = 106;
export const ENOTCONN = 107;
export const ECONNREFUSED = 111;
export const EDESTADDRREQ = 89;
export const EADDRNOTAVAIL = 99;
export const ENETUNREACH = 101;
export const ECONNRESET = 104;
export const EALREADY = 114;
export const EINPROGRESS = 115;

/** strace's "(message)" after the errno name, for the errnos programs commonly meet. */
const ERRNO_MESSAGES: Record<string, string> = {
  ERESTARTSYS: 'To be restarted if SA_RESTART is set',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ENOEXEC: 'Exec format error',
  ELIBBAD: 'Accessing a corrupted shared library',
  ESRCH: 'No such process',
  EINTR: 'Interrupted system call',
  EIO: 'Input/output error',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  ENXIO: 'No such device or address',
  ENODEV: 'No such device',
  EOVERFLOW: 'Value too large for defined data type',
  EDEADLK: 'Resource deadlock avoided',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ENOTTY: 'Inappropriate ioctl for device',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ESPIPE: 'Illegal seek',
  EROFS: 'Read-only file system',
  EPIPE: 'Broken pipe',
  EDOM: 'Numerical argument out of domain',
  ERANGE: 'Numerical result out of range',
  ENAMETOOLONG: 'File name too long',
  ENOSYS: 'Function not implemented',
  ETIMEDOUT: 'Connection timed out',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  E2BIG: 'Argument list too long',
  ENOMSG: 'No message of desired type',
  EIDRM: 'Identifier removed',
  EMSGSIZE: 'Message too long',
  EPROTOTYPE: 'Protocol wrong type for socket',
  ENOPROTOOPT: 'Protocol not available',
  EPROTONOSUPPORT: 'Protocol not supported',
  ESOCKTNOSUPPORT: 'Socket type not supported',
  EOPNOTSUPP: 'Operation not supported',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EADDRINUSE: 'Address already in use',
  EISCONN: 'Transport endpoint is already connected',
  ENOTCONN: 'Transport endpoint is not connected',
  ECONNREFUSED: 'Connection refused',
  EDESTADDRREQ: 'Destination address required',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  ENETUNREACH: 'Network is unreachable',
  ECONNRESET: 'Connection reset by peer',
  EALREADY: 'Operation already in progress',
  EINPROGRESS: 'Operation now in progress',
  ENOTSOCK: 'Socket operation on non-socket',
};

/** errno -> name as strace prints it (of two names for one number, EAGAIN and EOPNOTSUPP). */
const NAME_OF = new Map<number, string>([...Object.entries(constants.errno).map(([name, nr]): [number, string] => [nr, name]), [EAGAIN, 'EAGAIN'], [ERESTARTSYS, 'ERESTARTSYS']]);

export function errnoName(nr: number): string {
  return NAME_OF.get(nr) ?? `E${nr}`;
}

export function errnoMessage(nr: number): string | undefined {
  return ERRNO_MESSAGES[errnoName(nr)];
}

/** The errno of a Node.js system error (err.code 'ENOENT' ...), or undefined if it is not one. */
export function errnoOfHostError(e: unknown): number | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  return (constants.errno as Record<string, number>)[code];
}
