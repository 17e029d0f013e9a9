/**
 * ipc(call, first, second, third, ptr, fifth): i386's SysV IPC multiplexer (compat_ksys_ipc),
 * onto the shm/sem/msg calls; and what a process's life does to its IPC state (fork, exec,
 * exit).
 */
import type { GuestMemory } from '@dbtlab/mips-host';
import { EINVAL, ENOSYS } from '../errno';
import type { LinuxProcess } from '../process';
import { ipcParseVersion } from '../sysv-ipc';
import { msgctl, msgrcv, msgsnd, sysMsgget } from './msg';
import { semctl, semExit, semtimedop, sysSemget } from './sem';
import { shmat, shmctl, shmDetachAll, shmFork, sysShmdt, sysShmget } from './shm';
import type { SyscallArgs } from '../syscall-args';

const SEMOP = 1;
const SEMGET = 2;
const SEMCTL = 3;
const SEMTIMEDOP = 4;
const MSGSND = 11;
const MSGRCV = 12;
const MSGGET = 13;
const MSGCTL = 14;
const SHMAT = 21;
const SHMDT = 22;
const SHMGET = 23;
const SHMCTL = 24;

/** A ctl call's arguments: the parsed command, its argument, the structures' width. */
const withArg = ([cmd, wide]: [number, boolean], arg: number): [number, number, boolean] => [cmd, arg, wide];

export function sysIpc(p: LinuxProcess, a: SyscallArgs): number {
  const version = a[0] >>> 16;
  const call = a[0] & 0xffff;
  const first = a[1] | 0, second = a[2], third = a[3], ptr = a[4], fifth = a[5];
  switch (call) {
    case SEMOP:
      return semtimedop(p, first, ptr, second, 0, false);
    case SEMTIMEDOP:
      return semtimedop(p, first, ptr, second, fifth, false);
    case SEMGET:
      return sysSemget(p, Uint32Array.of(first, second, third));
    case SEMCTL:
      // the union semun is passed by reference here
      if (ptr === 0) return -EINVAL;
      return semctl(p, first, second | 0, ...withArg(ipcParseVersion(third | 0), p.mem.read32(ptr)));
    case MSGSND:
      return msgsnd(p, first, ptr, second | 0, third);
    case MSGRCV:
      if (version === 0) {
        // struct ipc_kludge { msgp; msgtyp; }
        if (ptr === 0) return -EINVAL;
        return msgrcv(p, first, p.mem.read32(ptr), second | 0, p.mem.read32(ptr + 4) | 0, third);
      }
      return msgrcv(p, first, ptr, second | 0, fifth | 0, third);
    case MSGGET:
      return sysMsgget(p, Uint32Array.of(first, second));
    case MSGCTL:
      return msgctl(p, first, ...withArg(ipcParseVersion(second | 0), ptr));
    case SHMAT: {
      if (version === 1) return -EINVAL;
      const at = shmat(p, first, ptr, second);
      if (at < 0) return at;
      // the address goes to *third (the segment stays attached if that faults)
      p.mem.write32(third, at);
      return 0;
    }
    case SHMDT:
      return sysShmdt(p, Uint32Array.of(ptr));
    case SHMGET:
      return sysShmget(p, Uint32Array.of(first, second, third));
    case SHMCTL:
      return shmctl(p, first, ...withArg(ipcParseVersion(second | 0), ptr));
    default:
      return -ENOSYS;
  }
}

/** fork: the child's address space keeps the parent's shm attachments (SEM_UNDO lists are not inherited). */
export const ipcFork = (parent: GuestMemory, child: GuestMemory): void => shmFork(parent, child);
/** The last process leaves an address space (execve, exit): the attachments there end. */
export const ipcLeaveVm = (p: LinuxProcess, mem: GuestMemory): void => shmDetachAll(p, mem);
/** Process exit: SEM_UNDO adjustments apply. */
export const ipcExit = (p: LinuxProcess): void => semExit(p);
