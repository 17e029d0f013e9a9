/**
 * vhangup: with CAP_SYS_TTY_CONFIG the caller's controlling terminal is hung up (tty_vhangup_self),
 * else EPERM. A guest's terminal is the host's (dbtlab's stdio), which a guest must not hang up
 * for the processes outside: the call succeeds and hangs up nothing, which is what Linux does
 * for a caller without a controlling terminal.
 */
import { capable, CAP_SYS_TTY_CONFIG } from '../capabilities';
import { EPERM } from '../errno';
import type { LinuxProcess } from '../process';

export const sysVhangup = (p: LinuxProcess): number => (capable(p, CAP_SYS_TTY_CONFIG) ? 0 : -EPERM);
