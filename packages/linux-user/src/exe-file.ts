/**
 * mm->exe_file: the file an execve ran, held open by the address space it loaded and by every
 * address space forked from that one (the mappings of the program each hold the file). The
 * struct file ends with the last of them (__fput), which raises IN_CLOSE_NOWRITE on it: when
 * the exec'd program and all its forked children have exited or exec'd something else, not
 * before. One read-only description of the host file stands for it (its inode held for inotify).
 */
import { openSync } from 'node:fs';
import { OpenFile, O_RDONLY } from './fd-table';
import { holdInode } from './fsnotify';
import type { AddressSpace } from './mmap';

/** Execve loaded `host` into `space`: the space holds the file. */
export function holdExeFile(space: AddressSpace, host: string): void {
  const hostFd = openSync(host, 'r');
  const file = new OpenFile(hostFd, 'file', O_RDONLY, host, true);
  file.inode = holdInode(hostFd);
  file.refs = 1;
  space.exeFile = file;
}

/** A forked address space holds its parent's file too. */
export function shareExeFile(from: AddressSpace, to: AddressSpace): void {
  to.exeFile = from.exeFile;
  if (to.exeFile) to.exeFile.refs++;
}

/** The address space is gone (exit, execve): its hold ends, the file with the last one. */
export function dropExeFile(space: AddressSpace): void {
  const file = space.exeFile;
  space.exeFile = undefined;
  if (file && --file.refs === 0) file.release();
}
