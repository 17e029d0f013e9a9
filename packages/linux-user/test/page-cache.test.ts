import test from 'ava';
import { openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenFile, O_RDWR } from '../src/fd-table';
import { dropPageCache, fileIdentity, mapFilePages, readThroughCache, truncateCache, unmapFilePages, writeThroughCache } from '../src/page-cache';
import { tmpDir } from './helpers';

const dir = tmpDir();

function openFile(name: string, bytes: string): { file: OpenFile; path: string } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const file = new OpenFile(openSync(path, 'r+'), 'file', O_RDWR, path, true);
  file.refs = 1;
  return { file, path };
}

test('a file has one cache while mapped: pages filled from the file, reads see it, writes and truncation change it', (t) => {
  const { file, path } = openFile('a.bin', 'hello, page cache');
  const c = mapFilePages(file);
  t.is(mapFilePages(file), c, 'a second mapping shares the cache');
  t.is(file.refs, 2, 'the cache holds the open file');
  const page = c.pages.page(0);
  t.is(Buffer.from(page.subarray(0, 5)).toString(), 'hello');
  page.set(Buffer.from('HELLO'));
  const got = Buffer.from('xxxxxxxxxx');
  readThroughCache(file, 2, got);
  t.is(got.toString(), 'LLO, page ', 'a read sees the cached bytes over the file');
  t.is(readFileSync(path, 'utf8'), 'hello, page cache', 'the file is not written before write-back');
  writeThroughCache(file, 7, Buffer.from('PAGE'));
  t.is(Buffer.from(page.subarray(0, 11)).toString(), 'HELLO, PAGE');
  truncateCache(fileIdentity(statSync(path)), 5);
  t.deepEqual([...page.subarray(5, 12)], [0, 0, 0, 0, 0, 0, 0], 'truncation zeroes the bytes cut off');
  unmapFilePages(c);
  t.is(mapFilePages(file), c, 'still mapped once: the same cache');
  unmapFilePages(c);
  unmapFilePages(c);
  t.is(file.refs, 1, 'the last mapping gone, the cache lets the file go');
  const again = mapFilePages(file);
  t.not(again, c, 'a new mapping after the last one went fills a new cache');
  t.is(Buffer.from(again.pages.page(0).subarray(0, 5)).toString(), 'hello');
  unmapFilePages(again);
});

test('reads and writes of a file no mapping caches are left alone', (t) => {
  const { file } = openFile('b.bin', 'plain');
  const got = Buffer.from('plain');
  readThroughCache(file, 0, got);
  writeThroughCache(file, 0, Buffer.from('other'));
  t.is(got.toString(), 'plain');
});

test('a run that gave up drops its caches and lets their files go', (t) => {
  const { file } = openFile('c.bin', 'stale');
  const c = mapFilePages(file);
  c.pages.page(0).set(Buffer.from('STALE'));
  dropPageCache();
  t.is(file.refs, 1);
  const fresh = mapFilePages(file);
  t.is(Buffer.from(fresh.pages.page(0).subarray(0, 5)).toString(), 'stale');
  unmapFilePages(fresh);
});
