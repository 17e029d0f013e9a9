/**
 * I/O accounting as task_io_accounting keeps it (/proc/PID/io): per thread, the bytes the read
 * and write families returned (rchar, wchar) and how many such calls ran (syscr, syscw), counted
 * when a call completes (a blocked call that runs again counts once); a call refused before it
 * reaches the file (a bad descriptor, a descriptor not open for it) is not counted. sendfile
 * and copy_file_range count on both sides, splice on neither. The
 * process's file adds its live threads to what its ended threads left (signal->ioac). Storage
 * traffic (read_bytes, write_bytes) is the host's page cache's business: 0 here.
 */
export interface IoCounts {
  rchar: number;
  wchar: number;
  syscr: number;
  syscw: number;
}

export const newIoCounts = (): IoCounts => ({ rchar: 0, wchar: 0, syscr: 0, syscw: 0 });

/** Counts one read-family call that returned `r` (bytes, or -errno); returns `r`. */
export function countRead(io: IoCounts, r: number): number {
  io.syscr++;
  if (r > 0) io.rchar += r;
  return r;
}

/** Counts one write-family call that returned `r`; returns `r`. */
export function countWrite(io: IoCounts, r: number): number {
  io.syscw++;
  if (r > 0) io.wchar += r;
  return r;
}

/** Counts one call that read and wrote `r` (sendfile, copy_file_range: both sides; splice counts nothing); returns `r`. */
export function countTransfer(io: IoCounts, r: number): number {
  countRead(io, r);
  return countWrite(io, r);
}

/** The sum of `parts`. */
export function sumIo(parts: IoCounts[]): IoCounts {
  const t = newIoCounts();
  for (const c of parts) {
    t.rchar += c.rchar;
    t.wchar += c.wchar;
    t.syscr += c.syscr;
    t.syscw += c.syscw;
  }
  return t;
}

/** proc_pid_io_accounting's text. */
export function ioText(c: IoCounts): string {
  const rows: Array<[string, number]> = [['rchar', c.rchar], ['wchar', c.wchar], ['syscr', c.syscr], ['syscw', c.syscw], ['read_bytes', 0], ['write_bytes', 0], ['cancelled_write_bytes', 0]];
  return rows.map(([name, v]) => `${name}: ${v}\n`).join('');
}
