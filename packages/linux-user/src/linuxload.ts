/**
 * The initial stack and registers of a new i386 or x86-64 process, laid out byte for byte as the
 * kernel's execve builds them (fs/exec.c copy_strings, fs/binfmt_elf.c create_elf_tables):
 *
 *   TASK_SIZE-8        a NULL pointer of the x86-64 kernel (bprm->p starts sizeof(void *) below the top)
 *   below it           execfn, then envp strings, then argv strings (argv[0] lowest)
 *   p & ~15            "i686" (AT_PLATFORM), then 16 AT_RANDOM bytes
 *   sp (16-aligned)    argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL
 *
 * An x86-64 process gets the same layout with 8-byte words and "x86_64" as AT_PLATFORM
 * (create_elf_tables is one function for both; only elf_addr_t and ELF_PLATFORM differ),
 * below its own stack top (layout.ts: 0x7ffffffff000).
 *
 * The auxiliary vector keeps the kernel's order; the entries this machine has no counterpart
 * for are left out: AT_MINSIGSTKSZ, AT_HWCAP2 and the rseq pair (rseq is ENOSYS). The vDSO
 * (vdso.ts) is AT_SYSINFO_EHDR, and for i386 its __kernel_vsyscall AT_SYSINFO.
 */
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { CpuState, FLAT_BOUNDS, NULL_BOUNDS, R_CS, R_DS, R_ES, R_ESP, R_FS, R_GS, R_SS } from '@dbtlab/x86-frontend';
import type { Identity } from './credentials';
import { LoadedImage } from './elfload';
import { layoutOf, TARGET_PAGE_SIZE } from './layout';
import { initialStackBase } from './stack-growth';
import { GuestRandom } from './random';

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;
export const AT_SYSINFO = 32;
export const AT_SYSINFO_EHDR = 33;

/**
 * AT_HWCAP is CPUID.1:EDX of the emulated CPU (as Linux and QEMU pass it). The runtime gives
 * its CPU model's (ProcessOptions.hwcap); this default is the default model's, pentium2.
 */
export const I386_HWCAP = 0x183fbfd;
export const ELF_PLATFORM = 'i686';
export const ELF_PLATFORM_X86_64 = 'x86_64';
/** sizeof(void *) in the (x86-64) kernel that builds the stack. */
const KERNEL_POINTER_SIZE = 8;
/** sysconf(_SC_CLK_TCK) as Linux reports it (USER_HZ). */
export const CLK_TCK = 100;

/** i386 selectors at execve on an x86-64 kernel (__USER32_CS, __USER32_DS); fs and gs are 0. */
export const USER32_CS = 0x23;
export const USER32_DS = 0x2b;
/** An x86-64 process's (__USER_CS; __USER_DS is the same 0x2b). */
export const USER_CS = 0x33;
/** EFLAGS at process start: IF and the always-one bit 1. */
export const EFLAGS_INITIAL = 0x202;

export interface InitialStack {
  sp: number;
  argvAddrs: number[];
  envpAddrs: number[];
  execfn: number;
  platform: number;
  random: number;
  auxv: Array<[number, number]>;
}

/** Rounded down to 16 bytes (stack addresses are positive; i386's above 2^31 too). */
const align16 = (a: number): number => a - (a % 16);

const cstr = (s: string): Uint8Array => {
  const b = Buffer.from(s, 'utf8');
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
};

/**
 * Maps the stack below the ABI's stack top (TASK_SIZE), growing down (stack-growth.ts): the
 * argument strings' pages and 128 KiB below them, or RLIMIT_STACK (`stackLimit` bytes) when that
 * is less, as setup_arg_pages leaves it; then writes argv, envp and auxv.
 */
export function setupInitialStack(
  mem: GuestMemory,
  image: LoadedImage,
  argv: string[],
  envp: string[],
  execfnPath: string,
  ids: Identity,
  random: GuestRandom,
  stackLimit: number,
  hwcap = I386_HWCAP,
  wordSize: 4 | 8 = 4,
  vdso?: { ehdr: number; sysinfo?: number },
  secure = false,
): InitialStack {
  const prot = PROT_READ | PROT_WRITE | (image.execStack ? PROT_EXEC : 0);
  const top = layoutOf(mem.bits).taskSize;
  // the strings go first (execve has checked that they fit: syscalls/exec-args.ts), the last one first
  // so that argv[0] ends up lowest; the area is the one setup_arg_pages leaves below them
  const strings = [execfnPath, ...[...envp].reverse(), ...[...argv].reverse()].map(cstr);
  const stringsBottom = top - KERNEL_POINTER_SIZE - strings.reduce((n, s) => n + s.length, 0);
  const base = initialStackBase(top, stringsBottom, stackLimit);
  mem.map(base, top - base, prot, true);
  let p = top - KERNEL_POINTER_SIZE;
  const push = (bytes: Uint8Array): number => {
    p -= bytes.length;
    mem.pokeBytes(p, bytes);
    return p;
  };
  const [execfn, ...pushed] = strings.map(push);
  const envpAddrs = pushed.slice(0, envp.length).reverse();
  const argvAddrs = pushed.slice(envp.length).reverse();
  p = align16(p);
  const platform = push(cstr(wordSize === 8 ? ELF_PLATFORM_X86_64 : ELF_PLATFORM));
  const randomAddr = push(random.fill(new Uint8Array(16)));
  const auxv: Array<[number, number]> = [
    // ARCH_DLINFO's entries come first (ARCH_DLINFO_IA32: AT_SYSINFO, then AT_SYSINFO_EHDR)
    ...(vdso?.sysinfo === undefined ? [] : [[AT_SYSINFO, vdso.sysinfo] as [number, number]]),
    ...(vdso === undefined ? [] : [[AT_SYSINFO_EHDR, vdso.ehdr] as [number, number]]),
    [AT_HWCAP, hwcap],
    [AT_PAGESZ, TARGET_PAGE_SIZE],
    [AT_CLKTCK, CLK_TCK],
    [AT_PHDR, image.phdr],
    [AT_PHENT, image.phent],
    [AT_PHNUM, image.phnum],
    [AT_BASE, image.interpBase],
    [AT_FLAGS, 0],
    [AT_ENTRY, image.entry],
    [AT_UID, ids.uid],
    [AT_EUID, ids.euid],
    [AT_GID, ids.gid],
    [AT_EGID, ids.egid],
    [AT_SECURE, secure ? 1 : 0],
    [AT_RANDOM, randomAddr],
    [AT_EXECFN, execfn],
    [AT_PLATFORM, platform],
    [AT_NULL, 0],
  ];
  const items = argv.length + 1 + (envp.length + 1) + 1;
  const sp = align16(p - auxv.length * 2 * wordSize - items * wordSize);
  const words: number[] = [argv.length, ...argvAddrs, 0, ...envpAddrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  const block = new Uint8Array(words.length * wordSize);
  const view = new DataView(block.buffer);
  words.forEach((w, i) => (wordSize === 8 ? view.setBigUint64(8 * i, BigInt(w), true) : view.setUint32(4 * i, w >>> 0, true)));
  mem.pokeBytes(sp, block);
  return { sp, argvAddrs, envpAddrs, execfn, platform, random: randomAddr, auxv };
}

/** Registers as start_thread leaves them: all zero (edx = 0: no rtld_fini), esp, eip, eflags, selectors. */
export function setupInitialCpu(cpu: CpuState, entry: number, sp: number, wordSize: 4 | 8 = 4): void {
  for (let r = 0; r < (wordSize === 8 ? 16 : 8); r++) cpu.setReg(r, 0);
  if (wordSize === 8) cpu.setReg64(R_ESP, sp);
  else cpu.setReg(R_ESP, sp);
  cpu.eip = entry;
  cpu.eflagsRest = EFLAGS_INITIAL;
  cpu.df = 1;
  cpu.ccSrc = 0;
  cpu.ccDst = 0;
  const selectors: Array<[number, number]> = [
    [R_CS, wordSize === 8 ? USER_CS : USER32_CS],
    [R_SS, USER32_DS],
    // an x86-64 process starts with null %ds/%es (start_thread's _ds 0; measured natively)
    [R_DS, wordSize === 8 ? 0 : USER32_DS],
    [R_ES, wordSize === 8 ? 0 : USER32_DS],
    [R_FS, 0],
    [R_GS, 0],
  ];
  for (const [seg, sel] of selectors) {
    cpu.setSegSelector(seg, sel);
    cpu.setSegBase(seg, 0);
    // i386: an access through the null %fs/%gs is #GP (their bounds; 64-bit mode has none)
    if (wordSize === 4) cpu.setSegBounds(seg, sel === 0 ? NULL_BOUNDS : FLAT_BOUNDS);
  }
}
