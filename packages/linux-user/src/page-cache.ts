/**
 * The page cache of the files MAP_SHARED maps: one SharedPages per file identity (st_dev,
 * st_ino), whose pages every mapping of the file maps, in every process of the run, so a store
 * through one shared mapping is seen through all at once, as Linux's one page cache gives, and a
 * private mapping reads a page from it until it writes that page. A page comes from the file at
 * its first touch; past the end of the file it reads zeros up to the end of the page holding the
 * end, and the pages after that are none (SIGBUS, as filemap_fault gives). The file
 * calls stay coherent with it (file-io.ts, truncation): a read sees the cached bytes over the
 * host's, a write lands in the cached pages too. Stores reach the file itself at write-back
 * (shared-mappings.ts). A file's cache goes when no mapping holds it any more.
 *
 *   const c = mapFilePages(file);           // a MAP_SHARED mapping of file
 *   mem.mapShared(addr, c.pages, prot, offset / TARGET_PAGE_SIZE, len / TARGET_PAGE_SIZE);
 *   unmapFilePages(c);                      // that mapping is gone
 */
import { fstatSync, readSync } from 'node:fs';
import { SharedPages, sharedBytesStored } from '@dbtlab/mips-host';
import type { OpenFile } from './fd-table';
import { TARGET_PAGE_SIZE } from './layout';

export interface CachedFile {
  readonly id: string;
  readonly pages: SharedPages;
  /** The open file the pages are read from (held while the cache lives). */
  readonly file: OpenFile;
  /** Mappings holding the cache (a forked copy of one counts). */
  users: number;
  /** Those that are shared and may be written (VM_SHARED|VM_MAYWRITE: Linux's i_mmap_writable). */
  writers: number;
}

const cache = new Map<string, CachedFile>();
const identities = new WeakMap<OpenFile, string>();

/** The file's (st_dev, st_ino), as a cache key. */
export const fileIdentity = (st: { dev: number; ino: number }): string => `${st.dev}:${st.ino}`;

function identityOf(file: OpenFile): string {
  let id = identities.get(file);
  if (id === undefined) identities.set(file, (id = fileIdentity(fstatSync(file.hostFd))));
  return id;
}

/** The file's cache for one more mapping (made now when none maps the file). */
export function mapFilePages(file: OpenFile): CachedFile {
  const id = identityOf(file);
  let c = cache.get(id);
  if (c === undefined) {
    file.refs++;
    const pages = new SharedPages(
      0,
      (i, bytes) => void readSync(file.hostFd, bytes, 0, TARGET_PAGE_SIZE, i * TARGET_PAGE_SIZE),
      () => fstatSync(file.hostFd).size,
    );
    cache.set(id, (c = { id, pages, file, users: 0, writers: 0 }));
  }
  c.users++;
  return c;
}

/** One mapping of the cache is gone: with the last, the cache goes. */
export function unmapFilePages(c: CachedFile): void {
  if (--c.users > 0) return;
  cache.delete(c.id);
  if (--c.file.refs === 0) c.file.release();
}

/**
 * A run that ended without its processes exiting (dbtlab gave up): its caches go unwritten, so
 * that no later run in this host process reads them over a file that took their inode number.
 */
export function dropPageCache(): void {
  for (const c of cache.values()) if (--c.file.refs === 0) c.file.release();
  cache.clear();
}

/** The cached pages over file bytes [at, at + len): each with the part of the range it holds. */
function* cachedRange(c: CachedFile, at: number, len: number): Generator<{ bytes: Uint8Array; from: number; to: number; done: number }> {
  for (let i = Math.floor(at / TARGET_PAGE_SIZE); i * TARGET_PAGE_SIZE < at + len; i++) {
    const bytes = c.pages.peek(i);
    if (bytes === undefined) continue;
    const from = Math.max(at, i * TARGET_PAGE_SIZE) - i * TARGET_PAGE_SIZE;
    const to = Math.min(at + len, (i + 1) * TARGET_PAGE_SIZE) - i * TARGET_PAGE_SIZE;
    yield { bytes, from, to, done: i * TARGET_PAGE_SIZE + from - at };
  }
}

const cachedOf = (file: OpenFile): CachedFile | undefined => (cache.size === 0 ? undefined : cache.get(identityOf(file)));

/** Whether some process maps the file shared with leave to write (F_SEAL_WRITE is EBUSY then). */
export function mappedWritable(file: OpenFile): boolean {
  return (cachedOf(file)?.writers ?? 0) > 0;
}

/** `got` was read from the file at `at`: the cached bytes, newer than the host's, replace them. */
export function readThroughCache(file: OpenFile, at: number, got: Uint8Array): void {
  const c = cachedOf(file);
  if (c) for (const r of cachedRange(c, at, got.length)) got.set(r.bytes.subarray(r.from, r.to), r.done);
}

/** `data` was written to the file at `at`: the cached pages hold it too (translated code from them goes). */
export function writeThroughCache(file: OpenFile, at: number, data: Uint8Array): void {
  const c = cachedOf(file);
  if (c) for (const r of cachedRange(c, at, data.length)) storeCached(r.bytes, r.from, data.subarray(r.done, r.done + r.to - r.from));
}

/**
 * The file with identity `id` was truncated: its cached bytes from `from` (the lesser of the old
 * and new size) on read zeros, and the mappings' pages past the page holding `from` go (SIGBUS at
 * their next touch, or the file's bytes again if it has grown back by then).
 */
export function truncateCache(id: string, from: number): void {
  const c = cache.get(id);
  if (!c) return;
  for (const i of [...c.pages.indices()]) {
    const start = Math.max(from - i * TARGET_PAGE_SIZE, 0);
    if (start < TARGET_PAGE_SIZE) storeCached(c.pages.peek(i)!, start, new Uint8Array(TARGET_PAGE_SIZE - start));
  }
  c.pages.cut(from);
}

/** The truncation of the file open as host fd `hostFd` (ftruncate, open's O_TRUNC) from `from` on. */
export function truncateCacheOfFd(hostFd: number, from: number): void {
  if (cache.size > 0) truncateCache(fileIdentity(fstatSync(hostFd)), from);
}

function storeCached(bytes: Uint8Array, offset: number, data: Uint8Array): void {
  bytes.set(data, offset);
  sharedBytesStored(bytes, offset, data.length);
}
