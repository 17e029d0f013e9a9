// Whether i386 programs run on this machine's CPU and kernel, or go through qemu-i386 because
// the kernel has no ia32 emulation (tools/i386-binfmt.sh registered it with binfmt_misc).
// Test suites ask this to say which oracle they were held against.
const { existsSync, readFileSync } = require('node:fs');

const ENTRY = '/proc/sys/fs/binfmt_misc/qemu-i386';

exports.i386RunsNatively = function i386RunsNatively() {
  return !(existsSync(ENTRY) && readFileSync(ENTRY, 'utf8').startsWith('enabled'));
};
