/**
 * Data transfer on an open file description, whatever is behind it: a regular file at the
 * description's offset, a host stream (a pipe or tty, retried while the host says EAGAIN
 * and the guest did not ask for O_NONBLOCK), or a guest pipe. Results are counts or -errno.
 * A regular file's reads and writes go through the page cache of its shared mappings (page-cache.ts).
 */
import { fstatSync, readSync, writeSync } from 'node:fs';
import { EAGAIN, EISDIR, EPIPE, errnoOfHostError } from './errno';
import { OpenFile, O_APPEND, O_DIRECT, O_NONBLOCK } from './fd-table';
import { WouldBlock } from './would-block';
import { hostSleepMs } from './host-sleep';
import { hostPoll } from './host-poll';
import { POLLIN } from './poll-events';
import { IN_ACCESS, IN_MODIFY, notifyFile } from './fsnotify';
import { fifoRead, fifoWrite } from './fifo';
import { readThroughCache, writeThroughCache } from './page-cache';

/** The most one read or write moves (Linux's MAX_RW_COUNT is near 2 GiB; a short count is legal). */
export const MAX_TRANSFER = 16 * 1024 * 1024;
const EAGAIN_RETRY_MS = 2;
/** Reads up to this size allocate their buffer without looking at the file size first. */
const SMALL_READ = 64 * 1024;

function retryOnEagain<T>(file: OpenFile, op: () => T): T {
  for (;;) {
    try {
      return op();
    } catch (e) {
      if (errnoOfHostError(e) !== EAGAIN || file.flags & O_NONBLOCK) throw e;
      hostSleepMs(EAGAIN_RETRY_MS);
    }
  }
}

/** read(2) / pread64 (position given): the bytes read, or -errno. */
export function fileRead(file: OpenFile, count: number, position?: number): Uint8Array | number {
  const len = Math.min(count, MAX_TRANSFER);
  switch (file.kind) {
    case 'dir':
      return -EISDIR;
    case 'anon':
      return file.anon!.read(len, (file.flags & O_NONBLOCK) !== 0);
    case 'pipe': {
      const pipe = file.pipe!;
      if (pipe.length === 0 && len > 0 && pipe.writers > 0) {
        if (file.flags & O_NONBLOCK) return -EAGAIN;
        throw new WouldBlock('read from an empty pipe', undefined, undefined, false, undefined, false, true);
      }
      return pipe.read(len);
    }
    case 'file': {
      const at = position ?? file.pos;
      // a large request on a small file: allocate only what the file can give
      const st = len > SMALL_READ ? fstatSync(file.hostFd) : undefined;
      const want = st?.isFile() ? Math.max(0, Math.min(len, st.size - at)) : len;
      const buf = Buffer.alloc(want);
      const n = readSync(file.hostFd, buf, 0, want, at);
      readThroughCache(file, at, buf.subarray(0, n));
      if (position === undefined) file.pos += n;
      if (n > 0) notifyFile(file, IN_ACCESS);
      return buf.subarray(0, n);
    }
    case 'stream': {
      if (file.fifo) return fifoRead(file, len);
      // a non-blocking read with nothing to read: EAGAIN, even on a host fd that blocks
      if (file.flags & O_NONBLOCK && len > 0 && !hostPoll([{ fd: file.hostFd, events: POLLIN }], 0n)[0]) return -EAGAIN;
      const buf = Buffer.alloc(len);
      const n = retryOnEagain(file, () => readSync(file.hostFd, buf, 0, len, position ?? null));
      return buf.subarray(0, n);
    }
  }
}

/** write(2) / pwrite64: the count written, or -errno (-EPIPE: the caller raises SIGPIPE). */
export function fileWrite(file: OpenFile, data: Uint8Array, position?: number): number {
  let bytes = data.subarray(0, MAX_TRANSFER);
  switch (file.kind) {
    case 'dir':
      return -EISDIR;
    case 'anon':
      return file.anon!.write(bytes, (file.flags & O_NONBLOCK) !== 0);
    case 'pipe': {
      const pipe = file.pipe!;
      if (pipe.readers === 0) return -EPIPE;
      // a blocking write of what fits in the pipe waits until all of it fits (PIPE_BUF
      // atomicity and no short count); a larger one writes what fits (write(2) goes on until
      // all of it is written: syscalls/io.ts)
      if (!(file.flags & O_NONBLOCK) && bytes.length <= pipe.capacity && pipe.room(bytes.length) < bytes.length) throw new WouldBlock('write to a full pipe', undefined, undefined, false, undefined, false, true);
      const n = pipe.write(bytes, (file.flags & O_DIRECT) !== 0);
      if (n === 0 && bytes.length > 0) {
        if (file.flags & O_NONBLOCK) return -EAGAIN;
        throw new WouldBlock('write to a full pipe', undefined, undefined, false, undefined, false, true);
      }
      return n;
    }
    case 'file': {
      if (file.memfd) {
        const at = position ?? (file.flags & O_APPEND ? fstatSync(file.hostFd).size : file.pos);
        const n = file.memfd.writable(at, bytes.length, fstatSync(file.hostFd).size);
        if (n < 0) return n;
        bytes = bytes.subarray(0, n);
      }
      if (file.flags & O_APPEND && position === undefined) {
        const n = writeSync(file.hostFd, bytes, 0, bytes.length, null);
        file.pos = fstatSync(file.hostFd).size;
        writeThroughCache(file, file.pos - n, bytes.subarray(0, n));
        if (n > 0) notifyFile(file, IN_MODIFY);
        return n;
      }
      const n = writeSync(file.hostFd, bytes, 0, bytes.length, position ?? file.pos);
      writeThroughCache(file, position ?? file.pos, bytes.subarray(0, n));
      if (position === undefined) file.pos += n;
      if (n > 0) notifyFile(file, IN_MODIFY);
      return n;
    }
    case 'stream': {
      if (file.fifo) return fifoWrite(file, bytes);
      // a host fd left non-blocking by Node: finish the write as a blocking one would
      let done = 0;
      while (done < bytes.length) {
        let n: number;
        try {
          n = retryOnEagain(file, () => writeSync(file.hostFd, bytes, done, bytes.length - done, position === undefined ? null : position + done));
        } catch (e) {
          // the reader is gone: the caller raises SIGPIPE (bytes already written still count)
          if (errnoOfHostError(e) === EPIPE) return done > 0 ? done : -EPIPE;
          throw e;
        }
        done += n;
        if (file.flags & O_NONBLOCK) break;
      }
      return done;
    }
  }
}
