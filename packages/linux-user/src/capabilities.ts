/**
 * capable(): Linux's privilege checks (ns_capable) for a guest process: its effective set
 * (credentials.ts), which starts as what a native program exec'd in dbtlab's place would hold,
 * this host process's (/proc/self/status CapEff: a container may drop some, CAP_SYS_RESOURCE
 * for one).
 */
import { readFileSync } from 'node:fs';
import type { LinuxProcess } from './process';

export const CAP_CHOWN = 0;
export const CAP_FOWNER = 3;
export const CAP_DAC_READ_SEARCH = 2;
export const CAP_FSETID = 4;
export const CAP_KILL = 5;
export const CAP_SETGID = 6;
export const CAP_SETUID = 7;
export const CAP_SETPCAP = 8;
export const CAP_IPC_OWNER = 15;
export const CAP_SYS_CHROOT = 18;
export const CAP_SYS_PTRACE = 19;
export const CAP_SYS_ADMIN = 21;
export const CAP_SYS_NICE = 23;
export const CAP_SYS_RESOURCE = 24;
export const CAP_SYS_TIME = 25;
export const CAP_SYS_TTY_CONFIG = 26;
export const CAP_SYSLOG = 34;
export const CAP_WAKE_ALARM = 35;
export const CAP_CHECKPOINT_RESTORE = 40;

/** A line of /proc/self/status ("CapEff:\t000001ff..."): Node runs as the guest would natively. */
export function hostStatus(field: string): string | undefined {
  try {
    return readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s*(\\S+)`, 'm'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The host process's supplementary groups as the kernel keeps them (getgroups(2)): what a native
 * child inherits. Node's process.getgroups() adds the effective gid, which the kernel's list need not hold.
 */
export function hostGroups(): number[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return process.getgroups?.() ?? [];
  }
  const line = /^Groups:([^\n]*)$/m.exec(text)?.[1] ?? '';
  return line.split(/\s+/).filter((g) => g !== '').map(Number);
}

/** One of this host process's capability sets (CapEff, CapPrm, CapInh, CapBnd) as a bit set. */
export const hostCaps = (field: string): bigint => BigInt(`0x${hostStatus(field) ?? '0'}`);

/** Whether the set `caps` holds capability `cap`. */
export const hasCap = (caps: bigint, cap: number): boolean => ((caps >> BigInt(cap)) & 1n) === 1n;
/** Whether `p` has capability `cap` in its effective set. */
export const capable = (p: LinuxProcess, cap: number): boolean => hasCap(p.ids.capEff, cap);
