import test from 'ava';
import { openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenFile, O_RDWR } from '../src/fd-table';
import { dropFileLocks, flockFile, lockKey } from '../src/file-locks';
import { tmpDir } from './helpers';

const dir = tmpDir();

function openFile(path: string): OpenFile {
  return new OpenFile(openSync(path, 'r+'), 'file', O_RDWR, path, true);
}

test('a run that gave up drops its locks: a later run locks the same file', (t) => {
  const path = join(dir, 'locked');
  writeFileSync(path, 'x');
  const [a, b] = [openFile(path), openFile(path)];
  t.is(lockKey(a), lockKey(b), 'one identity for two opens of one file');
  t.true(flockFile(lockKey(a), a, true));
  t.false(flockFile(lockKey(b), b, true), 'the first run holds LOCK_EX');
  dropFileLocks();
  t.true(flockFile(lockKey(b), b, true), 'gone with the run that never closed it');
});
