// An unpacked Debian root per architecture (tools/i386-sysroot.sh, built once in the temporary
// directory, never committed) and a native run chrooted into it: the oracle of the tests that run
// a Debian release's own programs with dbtlab -L.
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ARCHES = ['i386', 'amd64'] as const;
export type Arch = (typeof ARCHES)[number];

const built = new Map<string, string>();
/**
 * The root `dbtlab-NAME-sysroot-ARCH` of tools/i386-sysroot.sh's packages and PACKAGES, with /w for
 * the tests' directories, /tmp, empty /proc and /dev for the chroot's bind mounts, and the host's
 * passwd and group (the chroot and dbtlab's host fallback then name the same owners).
 */
export function debianRoot(name: string, arch: Arch, packages: string[]): string {
  const dir = join(tmpdir(), `dbtlab-${name}-sysroot-${arch}`);
  if (!built.has(dir)) {
    const r = spawnSync('bash', [resolve(__dirname, '../../../../tools/i386-sysroot.sh'), dir, ...packages], {
      env: { ...process.env, SYSROOT_ARCH: arch },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`i386-sysroot.sh ${arch}: ${r.status}`);
    for (const d of ['w', 'proc', 'dev']) mkdirSync(join(dir, d), { recursive: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    chmodSync(join(dir, 'tmp'), 0o1777);
    for (const f of ['passwd', 'group']) if (!existsSync(join(dir, 'etc', f))) copyFileSync(join('/etc', f), join(dir, 'etc', f));
    built.set(dir, dir);
  }
  return dir;
}

export interface NativeRun {
  stdout: string;
  stderr: string;
  status: number;
}

/** chroot and mount namespaces need root. */
export const canChroot = process.getuid?.() === 0;

/**
 * argv natively, chrooted into root with only the variables of env, in cwd (a path in the root),
 * in a mount namespace with the host's directories binds bound at the same paths (/proc and /dev at
 * least), stdio through files (stdin /dev/null); output latin1.
 */
export function nativeInRoot(root: string, binds: string[], cwd: string, env: string[], argv: string[], ioPrefix: string): NativeRun {
  const fds = [openSync('/dev/null', 'r'), openSync(`${ioPrefix}.out`, 'w'), openSync(`${ioPrefix}.err`, 'w')];
  const mounts = binds.map((_, i) => `mount --bind "$${i + 1}" "$0$${i + 1}" && `).join('');
  const script = `${mounts}shift ${binds.length} && exec chroot "$0" "$@"`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, root, ...binds, 'env', '-i', '-C', cwd, ...env, ...argv], { stdio: fds });
  fds.forEach((fd) => closeSync(fd));
  if (r.error) throw r.error;
  return { stdout: readFileSync(`${ioPrefix}.out`, 'latin1'), stderr: readFileSync(`${ioPrefix}.err`, 'latin1'), status: r.status ?? -1 };
}
