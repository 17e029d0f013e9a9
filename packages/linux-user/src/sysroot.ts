/**
 * The sysroot: qemu-user's `-L DIR` (QEMU_LD_PREFIX, util/path.c path()). Every absolute path
 * the guest names (open, stat, exec, readlink, the ELF interpreter ...) is looked up under
 * the prefix first, and used as it is when the prefix has no such entry. So an unpacked i386
 * distribution supplies /lib/ld-linux.so.2, the libraries and /etc/ld.so.cache, while /proc,
 * /dev, /tmp and the program's own files still come from the host. Relative paths are not
 * redirected (they are resolved against the guest's cwd, a host path).
 *
 *   const root = new Sysroot('/srv/debian-i386');
 *   root.hostPath('/lib/ld-linux.so.2');   // '/srv/debian-i386/lib/ld-linux.so.2' if it exists there
 *   root.hostPath('/proc/self/maps');      // '/proc/self/maps' (not in the sysroot)
 *
 * Unlike QEMU's, the lookup is not cached: a file the guest creates under the prefix later is
 * found. An entry counts when it exists as a directory entry (lstat), so a dangling symlink in
 * the sysroot is the sysroot's (readlink, lstat and unlink see it, as in a chroot).
 */
import { lstatSync } from 'node:fs';
import { resolve } from 'node:path';

export class Sysroot {
  /** Absolute prefix, or undefined when there is none ('' and '/' mean none, as in QEMU). */
  readonly prefix: string | undefined;

  constructor(prefix: string | undefined) {
    this.prefix = prefix && prefix !== '/' ? resolve(prefix) : undefined;
  }

  /** The host path for a guest path: prefix + path when the guest path is absolute and exists under the prefix, else the path itself. */
  hostPath(guestPath: string): string {
    if (this.prefix === undefined || !guestPath.startsWith('/')) return guestPath;
    const full = this.prefix + guestPath;
    return lstatSync(full, { throwIfNoEntry: false }) ? full : guestPath;
  }
}

/** The sysroot when none is given on the command line: the DBTLAB_LD_PREFIX environment variable (QEMU_LD_PREFIX). */
export const SYSROOT_ENV = 'DBTLAB_LD_PREFIX';

/** PT_INTERP of i386 glibc programs. */
export const INTERPRETER_I386 = '/lib/ld-linux.so.2';
/** Where an i386 Debian root keeps its libraries (multiarch first), for starting its ld.so by hand (--library-path). */
export const SYSROOT_LIBRARY_DIRS = ['lib/i386-linux-gnu', 'usr/lib/i386-linux-gnu', 'lib', 'usr/lib'];
