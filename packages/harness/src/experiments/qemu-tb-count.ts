/**
 * "IN:" blocks of qemu-i386 -d in_asm (a TB translated), same argv/env/stdin and CPU model as
 * ours; qemu-x86_64 for a 64-bit program: what e4 holds qemu-style's counts against.
 *
 * A process tree's TBs are all counted: the log is asked for through QEMU_LOG/QEMU_LOG_FILENAME,
 * one file per pid (%d; forked children go on writing their parent's file), which a guest's
 * execve inherits when it goes back into QEMU. On a kernel that runs i386 natively it would not:
 * the exec'd program would run on the CPU, uncounted. So an i386 tree runs in its own user and
 * mount namespace with a binfmt_misc instance of its own (Linux >= 6.7) where i386 ELFs go to
 * qemu-i386 (argv[0] preserved, as qemu-user's binfmt setup does), leaving the host's untouched.
 * A 64-bit program's exec'd children cannot be sent back to qemu-x86_64 that way (qemu-x86_64
 * is itself an x86-64 ELF): only the processes QEMU runs are counted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuModel, DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64 } from '@dbtlab/x86-semantics';
import { guestMode } from '../run-guest';
import { runEnv, setUpFiles, workloadPath, type Workload } from '../workloads';
import { sum } from './experiment';
import { workloadCwd } from './run-workload';

/** binfmt_misc's magic and mask for an i386 executable or shared object (e_machine EM_386). */
const I386_MAGIC = '\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x03\\x00';
const I386_MASK = '\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';

/** qemu-i386's path, where this machine lets root make a user and mount namespace (unshare(1) present, allowed); else ''. */
let privateBinfmtQemu: string | undefined;
function binfmtQemu(): string {
  privateBinfmtQemu ??=
    spawnSync('unshare', ['-Urm', 'true']).status === 0 ? spawnSync('sh', ['-c', 'command -v qemu-i386'], { encoding: 'utf8' }).stdout?.trim() ?? '' : '';
  return privateBinfmtQemu;
}

/**
 * argv that runs qemu-i386 with execve of an i386 ELF going back into it: a private binfmt_misc
 * whose interpreter is `bin`/i386-binfmt-P (QEMU reads argv[0]'s "-binfmt-P" as: argv[0] preserved).
 * Where the namespace's binfmt_misc cannot be mounted, the program runs as the host would run it.
 */
function withPrivateBinfmt(qemu: string, bin: string, argv: string[]): string[] {
  const interp = join(bin, 'i386-binfmt-P');
  symlinkSync(qemu, interp);
  const register = `:dbtlab-i386:M::${I386_MAGIC}:${I386_MASK}:${interp}:P`;
  const script = `mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null && printf '%s' '${register}' > /proc/sys/fs/binfmt_misc/register; exec "$@"`;
  return ['unshare', '-Urm', 'sh', '-c', script, 'sh', ...argv];
}

export function qemuTbCount(w: Workload, sysroot: string | undefined): number | undefined {
  const elf = workloadPath(w);
  const tmp = mkdtempSync(join(tmpdir(), 'dbtlab-qemu-log-'));
  const logs = join(tmp, 'logs');
  const bin = join(tmp, 'bin');
  mkdirSync(logs);
  mkdirSync(bin);
  const root = w.sysroot ?? sysroot;
  const is64 = guestMode(elf) === 64;
  setUpFiles(w);
  const { env, done } = runEnv(w);
  try {
    const qemu = [is64 ? 'qemu-x86_64' : 'qemu-i386', ...(root ? ['-L', root] : []), '-seed', '1', `./${elf.replace(/.*\//, '')}`, ...w.args];
    // without qemu-i386 (or namespaces) the plain spawn below fails or counts what it can
    const [cmd, ...args] = !is64 && binfmtQemu() ? withPrivateBinfmt(binfmtQemu(), bin, qemu) : qemu;
    const r = spawnSync(cmd, args, {
      cwd: workloadCwd(elf),
      env: {
        ...env,
        QEMU_CPU: cpuModel(w.cpu ?? (is64 ? DEFAULT_CPU_MODEL_64 : DEFAULT_CPU_MODEL)).qemu,
        QEMU_LOG: 'in_asm',
        QEMU_LOG_FILENAME: join(logs, '%d.log'),
      },
      input: w.stdin ?? '',
    });
    if (r.error) return undefined;
    return sum(readdirSync(logs).map((f) => readFileSync(join(logs, f), 'latin1').split('\n').filter((l) => l.startsWith('IN:')).length));
  } finally {
    done();
    rmSync(tmp, { recursive: true, force: true });
  }
}
