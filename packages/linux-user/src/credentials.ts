/**
 * A guest's credentials as Linux keeps them (struct cred): real, effective, saved and
 * filesystem user and group ids, supplementary groups and the capability sets, with the
 * commoncap rules that tie the capabilities to the uids (cap_emulate_setxuid, the fsuid fixup,
 * cap_bprm_creds_from_file at execve). The first guest starts with the host process's, as a
 * native program exec'd in dbtlab's place would.
 */
import { readFileSync } from 'node:fs';
import { hostCaps, hostGroups } from './capabilities';

export interface Identity {
  uid: number;
  euid: number;
  suid: number;
  fsuid: number;
  gid: number;
  egid: number;
  sgid: number;
  fsgid: number;
  /** The supplementary groups (setgroups). */
  groups: number[];
  /** The effective, permitted and inheritable capability sets (bit n: capability n). */
  capEff: bigint;
  capPrm: bigint;
  capInh: bigint;
}

/** CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_FSETID, CAP_LINUX_IMMUTABLE, CAP_MKNOD, CAP_MAC_OVERRIDE: what an fsuid of 0 stands for. */
export const CAP_FS_MASK = 0x1fn | (1n << 9n) | (1n << 27n) | (1n << 32n);
/** Capabilities 0..CAP_LAST_CAP (40): what capset keeps of a user's words. */
export const CAP_VALID_MASK = (1n << 41n) - 1n;

/** An id as a 16-bit call shows it: above 0xffff the overflow id 65534 (high2lowuid). */
export const low16 = (id: number): number => (id & ~0xffff ? 65534 : id);

/** The four ids of a /proc/self/status line ("Uid:\t0\t0\t0\t0"). */
function hostIds(field: 'Uid' | 'Gid', fallback: number): number[] {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return m.slice(1, 5).map(Number);
  } catch {
    // no /proc: the ids Node reports, all alike
  }
  return [fallback, fallback, fallback, fallback];
}

/** The host process's credentials: what the first guest holds. */
export function hostIdentity(): Identity {
  const [uid, euid, suid, fsuid] = hostIds('Uid', process.geteuid?.() ?? 0);
  const [gid, egid, sgid, fsgid] = hostIds('Gid', process.getegid?.() ?? 0);
  return { uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups: hostGroups(), capEff: hostCaps('CapEff'), capPrm: hostCaps('CapPrm'), capInh: hostCaps('CapInh') };
}

/**
 * cap_emulate_setxuid, after a set*uid changed `ids` from `old`: leaving root in all three
 * uids drops the permitted and effective sets (unless PR_SET_KEEPCAPS); an effective uid
 * leaving 0 drops the effective set, one becoming 0 raises it to the permitted set.
 */
export function fixSetuidCaps(ids: Identity, old: Identity, keepcaps: boolean): void {
  const anyRoot = (c: Identity): boolean => c.uid === 0 || c.euid === 0 || c.suid === 0;
  if (anyRoot(old) && !anyRoot(ids) && !keepcaps) {
    ids.capPrm = 0n;
    ids.capEff = 0n;
  }
  if (old.euid === 0 && ids.euid !== 0) ids.capEff = 0n;
  if (old.euid !== 0 && ids.euid === 0) ids.capEff = ids.capPrm;
}

/** The fsuid half of cap_task_fix_setuid (LSM_SETID_FS): an fsuid leaving 0 drops the filesystem capabilities, one becoming 0 raises them from the permitted set. */
export function fixSetfsuidCaps(ids: Identity, oldFsuid: number): void {
  if (oldFsuid === 0 && ids.fsuid !== 0) ids.capEff &= ~CAP_FS_MASK;
  if (oldFsuid !== 0 && ids.fsuid === 0) ids.capEff |= ids.capPrm & CAP_FS_MASK;
}

/**
 * The credentials execve gives (of a file without set-id bits or file capabilities):
 * a real or effective uid of 0 gets the inheritable and bounding sets permitted, effective
 * only for an effective 0 (others keep no capability: no ambient set here); the saved and
 * filesystem ids become the effective ones. Returns AT_SECURE (bprm->secureexec): the
 * effective ids differ from the real ones, or a non-root real uid holds capabilities.
 */
export function execCredentials(ids: Identity, bounding: bigint): boolean {
  const old = { ...ids };
  const root = ids.uid === 0 || ids.euid === 0;
  ids.capPrm = root ? ids.capInh | bounding : 0n;
  ids.capEff = ids.euid === 0 ? ids.capPrm : 0n;
  ids.suid = ids.fsuid = ids.euid;
  ids.sgid = ids.fsgid = ids.egid;
  return ids.euid !== old.uid || ids.egid !== old.gid || (ids.uid !== 0 && (ids.euid === 0 || ids.capPrm !== 0n));
}
