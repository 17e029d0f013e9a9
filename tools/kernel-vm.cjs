// Runs a command on a real Linux kernel that executes i386 programs natively: the VM of
// tools/kernel-vm.sh (this machine's files, the VM's kernel). Synchronous, like spawnSync, for
// tests that need Linux's own i386 ABI where this kernel hands i386 programs to qemu-i386.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { join, resolve } = require('node:path');

const SCRIPT = resolve(__dirname, 'kernel-vm.sh');
const QUEUE = process.env.DBTLAB_KERNEL_VM_QUEUE || '/tmp/dbtlab-kernel-vm';
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dbtlab/kernel-vm');

/** Whether the VM can be booted here (tools/setup.sh fetched its kernel; qemu-system-x86_64 installed). */
exports.kernelVmAvailable = function kernelVmAvailable() {
  return existsSync(join(CACHE, 'vmlinuz')) && spawnSync('qemu-system-x86_64', ['--version']).status === 0;
};

const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

// /proc/self/limits names -> prlimit options: the job runs under this process's resource limits
const LIMITS = {
  'Max cpu time': 'cpu', 'Max file size': 'fsize', 'Max data size': 'data', 'Max stack size': 'stack',
  'Max core file size': 'core', 'Max resident set': 'rss', 'Max processes': 'nproc', 'Max open files': 'nofile',
  'Max locked memory': 'memlock', 'Max address space': 'as', 'Max file locks': 'locks',
  'Max pending signals': 'sigpending', 'Max msgqueue size': 'msgqueue', 'Max nice priority': 'nice',
  'Max realtime priority': 'rtprio', 'Max realtime timeout': 'rttime',
};
function limitOptions() {
  return readFileSync('/proc/self/limits', 'utf8').split('\n').flatMap((line) => {
    const m = /^(Max [a-z ]+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    return m && LIMITS[m[1]] ? [`--${LIMITS[m[1]]}=${m[2]}:${m[3]}`] : [];
  });
}
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
let jobs = 0;

/**
 * argv run in cwd (which must be under /tmp, the directory the VM shares read-write) with
 * `input` on stdin; returns { stdout, stderr, status } as spawnSync would (status of the job's bash).
 */
exports.runOnLinux = function runOnLinux(cwd, argv, input = '', timeoutMs = 600_000) {
  if (!resolve(cwd).startsWith('/tmp/')) throw new Error(`kernel-vm: ${cwd} is not under /tmp`);
  startKernelVm();
  const base = join(QUEUE, `${process.pid}-${++jobs}`);
  writeFileSync(`${base}.in`, input);
  const command = ['prlimit', ...limitOptions(), '--', ...argv];
  const job = `cd ${quote(cwd)} && exec ${command.map(quote).join(' ')}\n`;
  const submit = () => {
    writeFileSync(`${base}.tmp`, job);
    renameSync(`${base}.tmp`, `${base}.job`);
  };
  submit();
  const until = Date.now() + timeoutMs;
  let look = 0;
  try {
    while (!existsSync(`${base}.done`)) {
      if (Date.now() > until) throw new Error(`kernel-vm: no answer in ${timeoutMs} ms for ${argv.join(' ')}`);
      sleep(20);
      // the VM powers itself off when idle: one that did so as this job came is booted again
      // (the job waits in the queue; a job the VM took and then died with is given again)
      if (++look % 100 === 0 && !vmRunning() && !existsSync(`${base}.done`)) {
        startKernelVm();
        if (!existsSync(`${base}.job`) && !existsSync(`${base}.done`)) submit();
      }
    }
    return {
      stdout: readFileSync(`${base}.out`, 'utf8'),
      stderr: readFileSync(`${base}.err`, 'utf8'),
      status: Number(readFileSync(`${base}.rc`, 'utf8')),
    };
  } finally {
    for (const ext of ['in', 'job', 'out', 'err', 'rc', 'done']) rmSync(`${base}.${ext}`, { force: true });
  }
};

function startKernelVm() {
  const start = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`kernel-vm: ${start.stderr.trim()}`);
}

/** Whether the VM's qemu process is alive (it may still be booting or powering off). */
function vmRunning() {
  try {
    process.kill(Number(readFileSync(join(QUEUE, 'qemu.pid'), 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

/** Powers the VM off now (the test command's end; otherwise it stops itself when idle). */
exports.stopKernelVm = function stopKernelVm() {
  spawnSync('bash', [SCRIPT, 'stop']);
};
