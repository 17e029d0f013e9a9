// Where Linux's own i386 ABI (initial stack and auxv, signal frames, strace of an i386 process,
// i386 system calls of a 64-bit process) is observed: this kernel when it runs i386 programs itself,
// else the kernel VM of tools/kernel-vm.sh (this machine's files, a real kernel with ia32
// emulation), else nowhere. Tests whose oracle is that ABI ask linuxI386() and run through
// runOnLinuxI386(), so the same test runs natively or in the VM without knowing which.
const { spawnSync } = require('node:child_process');
const { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { constants, tmpdir } = require('node:os');
const { join } = require('node:path');
const { i386RunsNatively } = require('./host-runs-i386.cjs');
const kernelVm = require('./kernel-vm.cjs');

let where;
/** 'native' | 'vm' | 'none'. */
exports.linuxI386 = function linuxI386() {
  where ??= i386RunsNatively() ? 'native' : kernelVm.kernelVmAvailable() ? 'vm' : 'none';
  return where;
};

/** What a test that needs Linux's i386 ABI says in its title where neither is available. */
exports.NO_LINUX_I386 = '[needs a kernel that runs i386: neither this one nor the kernel VM (tools/kernel-vm.sh fetch)]';

/**
 * argv run in cwd (under /tmp, which the VM shares) with `input` on stdin; { stdout, stderr, status }
 * with status as a shell gives it (128 + signal for a killed process).
 */
exports.runOnLinuxI386 = function runOnLinuxI386(cwd, argv, input = '') {
  switch (exports.linuxI386()) {
    case 'vm':
      return kernelVm.runOnLinux(cwd, argv, input);
    case 'native': {
      // stdio through files, as in the VM (Node's pipes are sockets, which getsockopt and fstat tell apart)
      const dir = mkdtempSync(join(tmpdir(), 'dbtlab-linux-i386-'));
      try {
        writeFileSync(join(dir, 'in'), input);
        const fds = [openSync(join(dir, 'in'), 'r'), openSync(join(dir, 'out'), 'w'), openSync(join(dir, 'err'), 'w')];
        const r = spawnSync(argv[0], argv.slice(1), { cwd, stdio: fds });
        fds.forEach((fd) => closeSync(fd));
        if (r.error) throw r.error;
        const read = (name) => readFileSync(join(dir, name), 'utf8');
        return { stdout: read('out'), stderr: read('err'), status: r.status ?? 128 + constants.signals[r.signal] };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    default:
      throw new Error(`linux-i386: ${exports.NO_LINUX_I386}`);
  }
};
