// The system-call test programs whose output does not depend on the ABI (test/syscalls:
// events, pipes, sockets, fd-links, xattr, perms, pipe-inode, wait-forms, proc-pid, stack-growth, restart-classes, proc-files, pidfd, futex-counts, futex-shared, creds, exec-limits, owner-checks, proc-io, locks, zombie-signals, orphaned-pgrp, timed-waits, memfd, execveat, fchmodat2, file-sigbus, private-file-maps, openat2, mqueue, vmsplice, mremap-dup, ioprio, clone3, time-setters, vhangup, memfd-seals, fd-table-size, mprotect-partial, pipe-packets, sched-others, rss-kinds, syslog, adjtimex, proc-start-time, create-setid, robust-futex, fd-kind-checks, futex2, mmap-flag-checks, dot-names, kill-permission, created-query, ioctl-generic, clock-ids, chdir-symlink, linkat-fd, maps-shmem, socket-inq, mremap-ranges, fsize-limit: x86-64's struct msghdr and cmsghdr, no socketcall) and the x86-64
// ones (test/syscalls-x86-64: abi, the calls whose structures or one-register offsets are
// x86-64's own; ipc, SysV IPC's long-field structures; sigreturn-rip, rt_sigreturn to a rip outside user space; vdso-unwind, libgcc's backtrace from a signal inside the vDSO; vdso-pointers, the vDSO's time functions given bad pointers), built for x86-64 and run through dbtlab against
// their native run on this machine: the x86-64 table's rows (fork, wait4, poll, select,
// pselect6, epoll, eventfd, timerfd, signalfd, itimers, nanosleep, signals, getdents, sysinfo,
// statfs, times, getrusage, rlimits, truncate, fallocate, fadvise64, utimes, timer_create,
// sockets, shm/sem/msg, the calls passed to the host)
// byte for byte. CI runs qemu-style only.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_WIDE_LIMITS, underHostWideLock } from './host-wide-limits';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };
const SRC = join(__dirname, '..', 'syscalls');
const SRC64 = join(__dirname, '..', 'syscalls-x86-64');
const cli = join(__dirname, '..', '..', 'bin', 'dbtlab.js');
const tmp = testTmpDir('dbtlab-sys64-');
const runtimes = process.env.CI === 'true' ? ['qemu-style'] : ['qemu-style', 'x86tomips-style'];

for (const [name, dir] of [['events', SRC], ['host-calls', SRC], ['shm-rss', SRC], ['pipes', SRC], ['sockets', SRC], ['inet', SRC], ['abi', SRC64], ['ipc', SRC64], ['vdso-unwind', SRC64], ['vdso-pointers', SRC64], ['fd-links', SRC], ['xattr', SRC], ['perms', SRC], ['pipe-inode', SRC], ['wait-forms', SRC], ['sigreturn-rip', SRC64], ['proc-pid', SRC], ['stack-growth', SRC], ['restart-classes', SRC], ['proc-files', SRC], ['pidfd', SRC], ['futex-counts', SRC], ['futex-shared', SRC], ['creds', SRC], ['owner-checks', SRC], ['proc-io', SRC], ['sched-calls', SRC], ['exec-limits', SRC], ['fd-calls', SRC], ['locks', SRC], ['ldt', SRC], ['zombie-signals', SRC], ['orphaned-pgrp', SRC], ['shared-file-maps', SRC], ['timed-waits', SRC], ['memfd', SRC], ['execveat', SRC], ['fchmodat2', SRC], ['file-sigbus', SRC], ['private-file-maps', SRC], ['openat2', SRC], ['mqueue', SRC], ['vmsplice', SRC], ['mremap-dup', SRC], ['ioprio', SRC], ['clone3', SRC], ['time-setters', SRC], ['vhangup', SRC], ['memfd-seals', SRC], ['fd-table-size', SRC], ['mprotect-partial', SRC], ['pipe-packets', SRC], ['sched-others', SRC], ['rss-kinds', SRC], ['syslog', SRC], ['adjtimex', SRC], ['proc-start-time', SRC], ['create-setid', SRC], ['robust-futex', SRC], ['fd-kind-checks', SRC], ['futex2', SRC], ['mmap-flag-checks', SRC], ['dot-names', SRC], ['kill-permission', SRC], ['created-query', SRC], ['ioctl-generic', SRC], ['clock-ids', SRC], ['chdir-symlink', SRC], ['linkat-fd', SRC], ['maps-shmem', SRC], ['socket-inq', SRC], ['mremap-ranges', SRC], ['fsize-limit', SRC]]) {
  test(`${name} (x86-64): every call's result and errno as native`, (t) => {
    const exe = join(tmp, name);
    execFileSync('gcc', ['-m64', '-static', '-O1', `-I${SRC}`, '-o', exe, join(dir, `${name}.c`)]);
    // stdin /dev/null and stdout a file in both runs: Node's pipes are socketpairs (sockets.c asks fd 1 whether it is a socket)
    const run = (argv: string[]) => {
      const out = join(tmp, 'stdout');
      const fd = openSync(out, 'w');
      const r = spawnSync(argv[0], argv.slice(1), { cwd: testTmpDir('dbtlab-sys64-cwd-'), env: {}, encoding: 'latin1', stdio: ['ignore', fd, 'pipe'] });
      closeSync(fd);
      return { ...r, stdout: readFileSync(out, 'latin1') };
    };
    // no other SysV segment counted; /proc lists only the program's own tree
    const native = run(name === 'shm-rss' || name === 'maps-shmem' ? ['unshare', '-i', exe] : name === 'proc-files' ? ['unshare', '-pf', '--mount-proc', exe] : HOST_WIDE_LIMITS.has(name) ? underHostWideLock(exe) : [exe]);
    t.is(native.status, 0);
    for (const runtime of runtimes) {
      const r = run([process.execPath, cli, 'run', '--runtime', runtime, exe]);
      t.is(r.stdout, native.stdout, runtime);
      t.is(r.stderr, native.stderr, runtime);
      t.is(r.status, native.status, runtime);
    }
  });
}

test('getsockopt on an inherited socketpair (Node spawn stdout) as native', (t) => {
  const exe = join(tmp, 'host-socket');
  execFileSync('gcc', ['-m64', '-static', '-O1', '-o', exe, join(SRC64, 'host-socket.c')]);
  const native = spawnSync(exe, [], { env: {}, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
  t.is(native.status, 0);
  const r = spawnSync(process.execPath, [cli, 'run', exe], { env: {}, encoding: 'latin1', stdio: ['ignore', 'pipe', 'pipe'] });
  t.is(r.stderr, native.stderr);
  t.is(r.status, native.status);
});
