import test from 'ava';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sysroot } from '../src';
import { newProcess, putString, SCRATCH, syscall, tmpDir } from './helpers';

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_CREAT = 0o100;
const BUF = SCRATCH + 0x1000;

// a sysroot with an /etc of its own, a dangling symlink and nothing under /proc
const root = tmpDir();
const outside = tmpDir();
mkdirSync(join(root, 'etc'));
writeFileSync(join(root, 'etc', 'hostname'), 'inside the sysroot\n');
symlinkSync('/nowhere/at/all', join(root, 'etc', 'dangling'));
mkdirSync(join(root, outside), { recursive: true });

test('hostPath: absolute paths under the prefix first, else as they are; relative ones untouched', (t) => {
  const s = new Sysroot(root);
  t.is(s.hostPath('/etc/hostname'), join(root, 'etc/hostname'));
  t.is(s.hostPath('/etc/dangling'), join(root, 'etc/dangling'), 'an entry that exists as a dangling symlink is the sysroot\'s');
  t.is(s.hostPath('/proc/self/maps'), '/proc/self/maps');
  t.is(s.hostPath('etc/hostname'), 'etc/hostname');
  t.is(s.hostPath('/'), `${root}/`);
  t.is(new Sysroot(undefined).hostPath('/etc/hostname'), '/etc/hostname');
  t.is(new Sysroot('/').hostPath('/etc/hostname'), '/etc/hostname', "'/' is no prefix (as in QEMU)");
  t.is(new Sysroot('').hostPath('/etc/hostname'), '/etc/hostname');
});

test('open, stat64, readlink and access go through the sysroot; /proc and missing files are the host\'s', (t) => {
  const h = newProcess({ sysroot: root });
  const fd = syscall(h, 'open', putString(h, SCRATCH, '/etc/hostname'), O_RDONLY, 0);
  t.true(fd >= 0);
  t.is(syscall(h, 'read', fd, BUF, 100), 19);
  t.is(Buffer.from(h.mem.readBytes(BUF, 19)).toString(), 'inside the sysroot\n');
  t.is(syscall(h, 'stat64', putString(h, SCRATCH, '/etc/hostname'), BUF), 0);
  t.is(h.mem.read32(BUF + 44), 19, 'st_size of the sysroot file');
  t.is(syscall(h, 'readlink', putString(h, SCRATCH, '/etc/dangling'), BUF, 100), 15);
  t.is(Buffer.from(h.mem.readBytes(BUF, 15)).toString(), '/nowhere/at/all');
  t.is(syscall(h, 'access', putString(h, SCRATCH, '/proc/self/status'), 0), 0, 'not in the sysroot: the host path');
  const plain = newProcess();
  t.is(syscall(plain, 'readlink', putString(plain, SCRATCH, '/etc/dangling'), BUF, 100), -2, 'without the sysroot: ENOENT');
});

test('a file the guest creates by an absolute path is made at the host path, even when its directory exists under the prefix (QEMU path())', (t) => {
  const h = newProcess({ sysroot: root });
  const made = join(outside, 'made.txt');
  const fd = syscall(h, 'open', putString(h, SCRATCH, made), O_WRONLY | O_CREAT, 0o644);
  t.true(fd >= 0);
  h.mem.writeBytes(BUF, Buffer.from('x'));
  t.is(syscall(h, 'write', fd, BUF, 1), 1);
  t.is(syscall(h, 'close', fd), 0);
  // the path itself did not exist under the prefix, so (as QEMU's path()) the host path is used
  t.is(readFileSync(made, 'utf8'), 'x');
});
