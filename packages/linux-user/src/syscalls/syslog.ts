/**
 * syslog(type, buf, len): the kernel log's actions (do_syslog), never on the host's log. The
 * checks come in the kernel's order: check_syslog_permissions (with the host's dmesg_restrict,
 * every action needs CAP_SYSLOG; without it READ_ALL and SIZE_BUFFER are anyone's), then an
 * unknown action EINVAL, a read's null buffer or negative length EINVAL, a length of 0 the
 * answer 0, a buffer outside user space EFAULT. Where the kernel would then read the log
 * (READ, READ_ALL, READ_CLEAR, SIZE_UNREAD), clear it (CLEAR) or change the console's level
 * (CONSOLE_OFF, CONSOLE_ON, CONSOLE_LEVEL), the guest gets EPERM, what a caller without
 * CAP_SYSLOG gets under dmesg_restrict: the host's messages are neither shown nor lost, and
 * its console stays as it is. OPEN and CLOSE do nothing (0); SIZE_BUFFER is the host's
 * log_buf_len, a size that reveals no message.
 */
import { readFileSync } from 'node:fs';
import { capable, CAP_SYSLOG } from '../capabilities';
import { EFAULT, EINVAL, ENOSYS, EPERM } from '../errno';
import { HOST_NR, hostCall } from '../host-call';
import type { LinuxProcess } from '../process';
import { ulong, type SyscallArgs } from '../syscall-args';

const SYSLOG_ACTION_CLOSE = 0;
const SYSLOG_ACTION_OPEN = 1;
const SYSLOG_ACTION_READ = 2;
const SYSLOG_ACTION_READ_ALL = 3;
const SYSLOG_ACTION_READ_CLEAR = 4;
const SYSLOG_ACTION_CLEAR = 5;
const SYSLOG_ACTION_CONSOLE_OFF = 6;
const SYSLOG_ACTION_CONSOLE_ON = 7;
const SYSLOG_ACTION_CONSOLE_LEVEL = 8;
const SYSLOG_ACTION_SIZE_UNREAD = 9;
const SYSLOG_ACTION_SIZE_BUFFER = 10;
/** The end of user space: access_ok's bound (a 32-bit pointer is always below it). */
const TASK_SIZE_MAX = 2 ** 47 - 4096;

/** /proc/sys/kernel/dmesg_restrict of the host (1 when it cannot be read: the stricter answer). */
function dmesgRestrict(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim() !== '0';
  } catch {
    return true;
  }
}

/** log_buf_len, the host kernel's answer to SIZE_BUFFER (made by perl: a size, nothing of the log). */
function hostLogBufLen(): number {
  const nr = HOST_NR[process.arch]?.syslog;
  if (nr === undefined) return -ENOSYS;
  const r = hostCall('my $n = syscall($ARGV[0], 10, 0, 0); exit($! + 0) if $n < 0; print unpack("H*", pack("L", $n));', [`${nr}`]);
  return typeof r === 'number' ? r : new DataView(r.buffer, r.byteOffset).getUint32(0, true);
}

export function sysSyslog(p: LinuxProcess, a: SyscallArgs): number {
  const type = a[0] | 0;
  const len = a[2] | 0;
  // syslog_action_restricted: everything under dmesg_restrict, else all but READ_ALL and SIZE_BUFFER
  const restricted = dmesgRestrict() || (type !== SYSLOG_ACTION_READ_ALL && type !== SYSLOG_ACTION_SIZE_BUFFER);
  if (restricted && !capable(p, CAP_SYSLOG)) return -EPERM;
  switch (type) {
    case SYSLOG_ACTION_CLOSE:
    case SYSLOG_ACTION_OPEN:
      return 0;
    case SYSLOG_ACTION_READ:
    case SYSLOG_ACTION_READ_ALL:
    case SYSLOG_ACTION_READ_CLEAR:
      if (a[1] === 0 || len < 0) return -EINVAL;
      if (len === 0) return 0;
      if (ulong(a, 1) + len >= TASK_SIZE_MAX) return -EFAULT;
      return -EPERM;
    case SYSLOG_ACTION_CONSOLE_LEVEL:
      return len < 1 || len > 8 ? -EINVAL : -EPERM;
    case SYSLOG_ACTION_SIZE_BUFFER:
      return hostLogBufLen();
    case SYSLOG_ACTION_CLEAR:
    case SYSLOG_ACTION_CONSOLE_OFF:
    case SYSLOG_ACTION_CONSOLE_ON:
    case SYSLOG_ACTION_SIZE_UNREAD:
      return -EPERM;
    default:
      return -EINVAL;
  }
}
