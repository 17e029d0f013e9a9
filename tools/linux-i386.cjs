// Where Linux's own i386 ABI (initial stack and auxv, signal frames, strace of an i386 process,
// i386 system calls of a 64-bit process) is observed: this kernel when it runs i386 programs itself,
// else the kernel VM of tools/kernel-vm.sh (this machine's files, a real kernel with ia32
// emulation), else nowhere. Tests whose oracle is that ABI ask linuxI386() and run through
// runOnLinuxI386(), so the same test runs natively or in the VM without knowing which.
const { spawnSync } = require('node:child_process');
const { constants } = require('node:os');
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
      const r = spawnSync(argv[0], argv.slice(1), { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.error) throw r.error;
      return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + constants.signals[r.signal] };
    }
    default:
      throw new Error(`linux-i386: ${exports.NO_LINUX_I386}`);
  }
};
