// Probes whose native run counts against a host-wide limit (mqueue: root's RLIMIT_MSGQUEUE bytes,
// charged in every IPC namespace): the i386 and x86-64 syscall suites, which ava may run at the
// same time, run them one at a time, each in an IPC namespace of its own (queues_max counts only
// its queues, and a crashed run leaves none behind), as a dbtlab run has its own mqueue filesystem.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HOST_WIDE_LIMITS = new Set(['mqueue']);

/** The command line that runs `exe` natively so. */
export const underHostWideLock = (exe: string): string[] => ['flock', join(tmpdir(), 'dbtlab-host-wide-limits.lock'), 'unshare', '-i', exe];
