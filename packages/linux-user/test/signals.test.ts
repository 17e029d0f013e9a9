import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ESI, R_ESP, R_GS } from '@dbtlab/x86-frontend';
import { GuestDeadlock, GuestExit, SEGV_MAPERR, SIGSEGV } from '../src';
import { buildFixture, Harness, kernelAbiTest, newProcess, runOnLinuxI386, SCRATCH, syscall, tmpDir } from './helpers';

const dir = tmpDir();
const STACK_TOP = 0x30010000;
const HANDLER = 0x08049100;
const RESTORER = 0x08049200;
const SA_SIGINFO = 4;
const SA_ONSTACK = 0x08000000;
const SA_RESTORER = 0x04000000;
const SIGUSR1 = 10;
const SIGTERM = 15;
const SIGCHLD = 17;
/** glibc's ucontext_t: uc_mcontext.gregs at 20; REG_TRAPNO 12, REG_EIP 14; cr2 after the 19 gregs, fpregs, oldmask. */
const UC_GREGS = 20;
const REG = { EDI: 4, ESI: 5, EBP: 6, ESP: 7, EBX: 8, EDX: 9, ECX: 10, EAX: 11, TRAPNO: 12, ERR: 13, EIP: 14 } as const;
const UC_CR2 = UC_GREGS + 21 * 4;
const UC_SIGMASK = 20 + 88;

function withStack(): Harness {
  const h = newProcess();
  h.mem.map(STACK_TOP - 0x10000, 0x10000, PROT_READ | PROT_WRITE);
  const regs: Array<[number, number]> = [
    [R_EAX, 0xa1], [R_EBX, 0xb2], [R_ECX, 0xc3], [R_EDX, 0xd4], [R_ESI, 0xe5], [R_EDI, 0xf6], [R_EBP, 0x1234], [R_ESP, STACK_TOP - 0x100],
  ];
  for (const [r, v] of regs) h.cpu.setReg(r, v);
  h.cpu.eip = 0x0804a000;
  return h;
}

/** rt_sigaction(sig, {handler, flags, restorer, mask}) through the system call. */
function sigaction(h: Harness, sig: number, handler: number, flags: number, mask = 0): number {
  const act = SCRATCH + 0x100;
  [handler, flags, RESTORER, mask, 0].forEach((w, i) => h.mem.write32(act + 4 * i, w));
  const saved = [R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP].map((r) => h.cpu.reg(r));
  const ret = syscall(h, 'rt_sigaction', sig, act, 0, 8);
  [R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP].forEach((r, i) => h.cpu.setReg(r, saved[i]));
  return ret;
}

/** What a native SIGSEGV handler sees, read once by the test that needs it (it boots the kernel VM here). */
let nativeFrameCache: Record<string, string> | undefined;
const nativeFrame = (): Record<string, string> => (nativeFrameCache ??= (() => {
  buildFixture(dir, 'sigframe-dump');
  const out: Record<string, string> = {};
  for (const line of runOnLinuxI386(dir, ['./sigframe-dump']).trim().split('\n')) {
    const words = line.split(' ');
    for (let i = 0; i + 1 < words.length; i += 2) out[words[i]] = words[i + 1];
  }
  return out;
})());

kernelAbiTest('a SIGSEGV handler gets the rt frame Linux builds (layout and values checked against a native handler)', (t) => {
  const h = withStack();
  t.is(sigaction(h, SIGSEGV, HANDLER, SA_SIGINFO | SA_RESTORER), 0);
  h.proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: 0x10 });
  const m = h.mem;
  const frame = h.cpu.reg(R_ESP);
  const sigArg = frame + 4;
  t.is(h.cpu.eip, HANDLER);
  t.is(m.read32(frame), RESTORER, 'return address = sa_restorer');
  t.is(m.read32(sigArg), SIGSEGV);
  t.is(sigArg % 16, Number(nativeFrame().arg_align));
  const info = m.read32(frame + 8);
  const uc = m.read32(frame + 12);
  t.is(info - sigArg, Number(nativeFrame().info_off));
  t.is(uc - sigArg, Number(nativeFrame().uc_off));
  t.deepEqual([h.cpu.reg(R_EAX), h.cpu.reg(R_EDX), h.cpu.reg(R_ECX)], [SIGSEGV, info, uc], 'regparm arguments');
  t.is(m.read32(info), Number(nativeFrame().si_signo));
  t.is(m.read32(info + 8), Number(nativeFrame().si_code));
  t.is(m.read32(info + 12), parseInt(nativeFrame().si_addr, 16));
  t.is(m.read32(uc + UC_GREGS + 4 * REG.EIP), 0x0804a000, 'the faulting EIP');
  t.is(m.read32(uc + UC_GREGS + 4 * REG.TRAPNO), Number(nativeFrame().trapno));
  t.is(m.read32(uc + UC_GREGS + 4 * REG.ERR), Number(nativeFrame().err), 'page-fault error code of a user read');
  t.is(m.read32(uc + UC_CR2), parseInt(nativeFrame().cr2, 16));
  t.is(m.read32(uc + 4), 0, 'uc_link');
  t.is(m.read32(uc + 12), Number(nativeFrame().uc_stack_flags));
  t.is((m.read32(uc + UC_SIGMASK) >>> (SIGSEGV - 1)) & 1, Number(nativeFrame().mask_has_segv));
  t.deepEqual(
    [REG.EAX, REG.EBX, REG.ECX, REG.EDX, REG.ESI, REG.EDI, REG.EBP, REG.ESP].map((r) => m.read32(uc + UC_GREGS + 4 * r)),
    [0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x1234, STACK_TOP - 0x100],
  );
  // the handler returns into the restorer (ret pops pretcode), which calls rt_sigreturn
  h.cpu.setReg(R_ESP, frame + 4);
  h.cpu.setReg(R_EBX, 0x9999);
  syscall(h, 'rt_sigreturn');
  t.is(h.cpu.eip, 0x0804a000);
  t.deepEqual([R_EAX, R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP, R_ESP].map((r) => h.cpu.reg(r)), [0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x1234, STACK_TOP - 0x100]);
  t.is(h.proc.signals.blocked, 0n, 'SIGSEGV unblocked again');
});

test('a handler can rewrite the saved EIP in its ucontext, and sigreturn resumes there', (t) => {
  const h = withStack();
  sigaction(h, SIGSEGV, HANDLER, SA_SIGINFO | SA_RESTORER);
  h.proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: 0 });
  const frame = h.cpu.reg(R_ESP);
  const uc = h.mem.read32(frame + 12);
  h.mem.write32(uc + UC_GREGS + 4 * REG.EIP, 0x0804b000);
  h.cpu.setReg(R_ESP, frame + 4);
  syscall(h, 'rt_sigreturn');
  t.is(h.cpu.eip, 0x0804b000);
});

test('a fault with no handler ends the run with the status a shell sees natively (139)', (t) => {
  buildFixture(dir, 'segv-default');
  const native = execFileSync('sh', ['-c', './segv-default; echo $?'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const h = withStack();
  const e = t.throws(() => h.proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: 0x10 }), { instanceOf: GuestExit });
  t.is(String(e?.status), native);
  t.is(e?.signal, SIGSEGV);
});

test('an ignored or blocked fault signal still kills, as force_sig_info does', (t) => {
  const h = withStack();
  sigaction(h, SIGSEGV, 1 /* SIG_IGN */, 0);
  t.is(t.throws(() => h.proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: 0 }), { instanceOf: GuestExit })?.status, 139);
  const h2 = withStack();
  sigaction(h2, SIGSEGV, HANDLER, SA_SIGINFO | SA_RESTORER);
  h2.proc.signals.blocked = 1n << BigInt(SIGSEGV - 1);
  t.is(t.throws(() => h2.proc.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: 0 }), { instanceOf: GuestExit })?.status, 139);
});

test('tgkill to itself runs a plain (non-SA_SIGINFO) handler on the way out; sigreturn restores eax = 0', (t) => {
  const h = withStack();
  sigaction(h, SIGUSR1, HANDLER, SA_RESTORER);
  const pid = syscall(h, 'getpid');
  h.cpu.eip = 0x0804a010;
  syscall(h, 'tgkill', pid, pid, SIGUSR1);
  t.is(h.cpu.eip, HANDLER);
  t.is(h.cpu.reg(R_EAX), SIGUSR1);
  const frame = h.cpu.reg(R_ESP);
  t.is(h.mem.read32(frame + 4), SIGUSR1);
  t.is(h.mem.read32(frame + 8 + 4 * REG.EIP), 0x0804a010, 'sigcontext.eip: after the int $0x80');
  t.is(h.mem.read32(frame + 8 + 4 * REG.EAX), 0, 'tgkill returned 0 before the handler ran');
  // ret pops pretcode, glibc's __restore pops sig, then sigreturn
  h.cpu.setReg(R_ESP, frame + 8);
  syscall(h, 'sigreturn');
  t.is(h.cpu.eip, 0x0804a010);
  t.is(h.cpu.reg(R_EAX), 0);
  t.is(h.cpu.reg(R_ESP), STACK_TOP - 0x100);
  t.deepEqual(h.strace.slice(-3), [
    `tgkill(${pid}, ${pid}, SIGUSR1) = 0`,
    `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=${pid}, si_uid=${process.getuid!()}} ---`,
    'sigreturn({mask=[]}) = 0',
  ]);
});

kernelAbiTest('strace lines around a signal equal real strace (tgkill, ---, sigreturn, rt_sigprocmask, exit)', (t) => {
  buildFixture(dir, 'raise-usr1');
  const log = join(dir, 'raise.strace');
  runOnLinuxI386(dir, ['./raise-usr1'], [], ['strace', '-o', log, '-e', 'trace=tgkill,sigreturn,rt_sigprocmask,exit_group']);
  const pidFree = (l: string): string => l.replace(/\s+=/, ' =').replace(/\b\d{2,}\b/g, 'N');
  const native = readFileSync(log, 'utf8').trim().split('\n').map(pidFree);
  const h = withStack();
  sigaction(h, SIGUSR1, HANDLER, SA_RESTORER);
  const pid = syscall(h, 'getpid');
  const raise = (): void => {
    const esp = h.cpu.reg(R_ESP);
    syscall(h, 'tgkill', pid, pid, SIGUSR1); // the handler is entered on the way out
    h.cpu.setReg(R_ESP, h.cpu.reg(R_ESP) + 8);
    syscall(h, 'sigreturn');
    t.is(h.cpu.reg(R_ESP), esp);
  };
  raise();
  h.mem.writeBytes(SCRATCH + 0x310, Uint8Array.of(0, 0x48, 0, 0, 0, 0, 0, 0)); // {USR2, TERM}
  syscall(h, 'rt_sigprocmask', 0, SCRATCH + 0x310, 0, 8);
  raise();
  t.throws(() => syscall(h, 'exit_group', 3), { instanceOf: GuestExit });
  const ours = h.strace.filter((l) => /^(tgkill|sigreturn|rt_sigprocmask|exit_group|---|\+\+\+)/.test(l)).map(pidFree);
  t.deepEqual(ours, native);
});

test('kill with SIG_DFL: SIGTERM kills (143), SIGCHLD is ignored; a blocked signal waits for sigprocmask', (t) => {
  const h = withStack();
  const pid = syscall(h, 'getpid');
  t.is(syscall(h, 'kill', pid, SIGCHLD), 0);
  h.mem.writeBytes(SCRATCH, Uint8Array.of(0, 0x40, 0, 0, 0, 0, 0, 0)); // {SIGTERM}
  t.is(syscall(h, 'rt_sigprocmask', 0, SCRATCH, 0, 8), 0);
  t.is(syscall(h, 'kill', pid, SIGTERM), 0, 'blocked: stays pending');
  const e = t.throws(() => syscall(h, 'rt_sigprocmask', 1, SCRATCH, 0, 8), { instanceOf: GuestExit });
  t.deepEqual([e?.status, e?.signal], [143, SIGTERM]);
  t.is(syscall(withStack(), 'kill', 1, SIGTERM), -3, 'other processes: ESRCH');
});

test('sigaltstack: an SA_ONSTACK handler runs on the alternate stack, which then reports SS_ONSTACK', (t) => {
  const h = withStack();
  const alt = 0x30001000;
  [alt, 0, 0x4000].forEach((w, i) => h.mem.write32(SCRATCH + 4 * i, w));
  t.is(syscall(h, 'sigaltstack', SCRATCH, 0), 0);
  sigaction(h, SIGUSR1, HANDLER, SA_SIGINFO | SA_RESTORER | SA_ONSTACK);
  syscall(h, 'tkill', syscall(h, 'gettid'), SIGUSR1);
  const esp = h.cpu.reg(R_ESP);
  t.true(esp > alt && esp < alt + 0x4000);
  t.is(syscall(h, 'sigaltstack', 0, SCRATCH + 0x40), 0);
  t.is(h.mem.read32(SCRATCH + 0x44), 1, 'SS_ONSTACK');
  t.is(syscall(h, 'sigaltstack', SCRATCH, 0), -1, 'EPERM while on it');
});

test('set_thread_area allocates entry 12 and segmentBase gives its base', (t) => {
  const h = withStack();
  const desc = SCRATCH + 0x200;
  // entry -1, base, limit 0xfffff, seg_32bit | limit_in_pages | useable
  [0xffffffff, 0x080f2340, 0xfffff, 0x51].forEach((w, i) => h.mem.write32(desc + 4 * i, w));
  t.is(syscall(h, 'set_thread_area', desc), 0);
  t.is(h.mem.read32(desc), 12);
  t.is(h.proc.segmentBase((12 << 3) | 3), 0x080f2340);
  t.is(h.proc.segmentBase(0x2b), 0);
  h.cpu.setSegSelector(R_GS, 0x63);
  h.mem.write32(desc + 4, 0x12345000);
  t.is(syscall(h, 'set_thread_area', desc), 0, 'redefine entry 12');
  t.is(h.cpu.segBase(R_GS), 0x12345000, 'gs holding 0x63 gets the new base now');
  h.mem.write32(desc, 0xffffffff);
  t.is(syscall(h, 'set_thread_area', desc), 0);
  t.is(h.mem.read32(desc), 13);
  h.mem.write32(desc, 0xffffffff);
  syscall(h, 'set_thread_area', desc);
  h.mem.write32(desc, 0xffffffff);
  t.is(syscall(h, 'set_thread_area', desc), -3, 'ESRCH: all three in use');
  h.mem.write32(desc, 20);
  t.is(syscall(h, 'set_thread_area', desc), -22);
});

test('without SA_RESTORER a handler returns through the vDSO trampoline, which objdump reads as sigreturn', (t) => {
  const exe = buildFixture(dir, 'segv-default');
  const h = newProcess({ argv: ['./segv-default'] });
  h.proc.load(exe);
  h.cpu.setReg(R_ESP, h.cpu.reg(R_ESP) - 64);
  sigaction(h, SIGUSR1, HANDLER, 0);
  sigaction(h, SIGSEGV, HANDLER, SA_SIGINFO);
  const cases: Array<[number, string[]]> = [
    [SIGUSR1, ['pop    %eax', 'mov    $0x77,%eax', 'int    $0x80']],
    [SIGSEGV, ['mov    $0xad,%eax', 'int    $0x80']],
  ];
  for (const [sig, expected] of cases) {
    if (sig === SIGSEGV) h.proc.deliverSignal(sig, { code: SEGV_MAPERR, addr: 0 });
    else syscall(h, 'kill', syscall(h, 'getpid'), sig);
    const ret = h.mem.read32(h.cpu.reg(R_ESP));
    t.is(h.mem.prot(ret), PROT_READ | 4 /* PROT_EXEC */, '[vdso] is r-x');
    const code = join(dir, `tramp-${sig}.bin`);
    writeFileSync(code, h.mem.readBytes(ret, 16));
    const listing = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386', code], { encoding: 'utf8' });
    const insns = listing.split('\n').filter((l) => /^\s+[0-9a-f]+:\t/.test(l)).map((l) => l.split('\t')[2]?.trim());
    t.deepEqual(insns.slice(0, expected.length), expected);
  }
});

test('rt_sigpending shows a blocked signal; rt_sigsuspend runs its handler with the old mask saved, then -EINTR', (t) => {
  const h = withStack();
  sigaction(h, SIGUSR1, HANDLER, SA_RESTORER);
  const pid = syscall(h, 'getpid');
  h.mem.writeBytes(SCRATCH, Uint8Array.of(0x00, 0x02, 0, 0, 0, 0, 0, 0)); // {USR1}
  syscall(h, 'rt_sigprocmask', 0, SCRATCH, 0, 8);
  t.throws(() => syscall(h, 'rt_sigsuspend', SCRATCH, 8), { instanceOf: GuestDeadlock }, 'nothing pending: would wait forever');
  syscall(h, 'kill', pid, SIGUSR1);
  t.is(syscall(h, 'rt_sigpending', SCRATCH + 0x10, 8), 0);
  t.is(h.mem.read32(SCRATCH + 0x10), 1 << (SIGUSR1 - 1));
  h.mem.writeBytes(SCRATCH + 0x20, new Uint8Array(8)); // suspend with nothing blocked
  h.cpu.eip = 0x0804a020;
  syscall(h, 'rt_sigsuspend', SCRATCH + 0x20, 8);
  t.is(h.cpu.eip, HANDLER);
  const frame = h.cpu.reg(R_ESP);
  t.is(h.mem.read32(frame + 8 + 4 * REG.EAX) | 0, -4, 'the interrupted call returns -EINTR');
  t.is(h.mem.read32(frame + 8 + 80), 1 << (SIGUSR1 - 1), 'sigcontext.oldmask: the mask from before the suspend');
  h.cpu.setReg(R_ESP, frame + 8);
  syscall(h, 'sigreturn');
  t.is(h.cpu.eip, 0x0804a020);
  t.is(h.proc.signals.blocked, 1n << BigInt(SIGUSR1 - 1));
  t.is(h.strace.find((l) => l.startsWith('rt_sigpending')), 'rt_sigpending([USR1], 8) = 0');
});

kernelAbiTest('the set_thread_area strace line equals real strace for glibc start-up', (t) => {
  buildFixture(dir, 'segv-default');
  const log = join(dir, 'tls.strace');
  runOnLinuxI386(dir, ['./segv-default'], [], ['strace', '-o', log, '-e', 'trace=set_thread_area']);
  const native = readFileSync(log, 'utf8').split('\n').find((l) => l.startsWith('set_thread_area('))!.replace(/\s+=/, ' =');
  const base = parseInt(/base_addr=0x([0-9a-f]+)/.exec(native)![1], 16);
  const h = withStack();
  const desc = SCRATCH + 0x200;
  [0xffffffff, base, 0xfffff, 0x51].forEach((w, i) => h.mem.write32(desc + 4 * i, w));
  syscall(h, 'set_thread_area', desc);
  t.is(h.strace[h.strace.length - 1], native);
});
