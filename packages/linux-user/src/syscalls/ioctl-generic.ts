/**
 * The ioctls Linux answers for every open file before its own ioctl (do_vfs_ioctl): FIOCLEX and
 * FIONCLEX (the descriptor's close-on-exec flag) and FIONBIO (O_NONBLOCK from an int, as F_SETFL
 * would set it; Python's socket.setblocking is FIONBIO).
 */
import { EFAULT } from '../errno';
import { O_NONBLOCK, type FdEntry } from '../fd-table';
import type { LinuxProcess } from '../process';

const FIONBIO = 0x5421;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;

/** The result of a generic ioctl `cmd` on `entry`, or undefined when cmd is the file's own. */
export function genericIoctl(p: LinuxProcess, entry: FdEntry, cmd: number, arg: number): number | undefined {
  switch (cmd) {
    case FIOCLEX:
    case FIONCLEX:
      entry.cloexec = cmd === FIOCLEX;
      return 0;
    case FIONBIO: {
      let on: number;
      try {
        on = p.mem.read32(arg);
      } catch {
        return -EFAULT;
      }
      entry.file.flags = on ? entry.file.flags | O_NONBLOCK : entry.file.flags & ~O_NONBLOCK;
      return 0;
    }
    default:
      return undefined;
  }
}
