// dbt-core on hand-made guest code: translation, execution, chaining, invalidation, SMC.
import test from 'ava';
import { EXCP } from '@dbtlab/mips-codegen';
import { REG } from '@dbtlab/mips-host';
import { cpuTbExec, exitSlot, exitTb, NO_CHAIN } from '../src/cpu-exec-common';
import { CpuLoopExit } from '../src/exceptions';
import { tbAddJump, tbInvalidatePhysRange, tbIsInvalid, tbJumpDest } from '../src/tb-maint';
import { tbGenCode } from '../src/translate-all';
import { collectStats } from '../src/stats-collect';
import { CODE, CODE64, COUNTDOWN, dbt64With, dbtWith, raising, STACK64_TOP } from './guest-program';

function runToSyscall(chaining: boolean, dbt = dbtWith(COUNTDOWN, raising, chaining)) {
  let last = NO_CHAIN;
  for (let i = 0; i < 100; i++) {
    try {
      const tb = dbt.tbHash.get(dbt.cpu.eip) ?? tbGenCode(dbt, dbt.cpu.eip);
      const from = exitTb(dbt, last);
      if (chaining && from) tbAddJump(dbt, from, exitSlot(last), tb);
      last = cpuTbExec(dbt, tb);
    } catch (e) {
      if (e instanceof CpuLoopExit && e.excp === EXCP.SYSCALL) return dbt;
      throw e;
    }
  }
  throw new Error('no system call reached');
}

test('a loop runs to the system call with the right registers', (t) => {
  const dbt = runToSyscall(true);
  t.is(dbt.cpu.reg(0), 5 + 4 + 3 + 2 + 1);
  t.is(dbt.cpu.reg(1), 0);
  t.is(dbt.cpu.eip, CODE + COUNTDOWN.length); // the system call's next instruction
  t.is(dbt.cpu.exceptionNext, CODE + COUNTDOWN.length);
});

test('chaining keeps the loop in the code cache; without it every TB is an entry', (t) => {
  const chained = collectStats(runToSyscall(true), 0);
  const unchained = collectStats(runToSyscall(false), 0);
  t.is(chained.guest_insns, unchained.guest_insns);
  t.is(chained.guest_insns, 1 + 3 * 5 + 1);
  t.is(chained.tb_executions, unchained.tb_executions);
  t.true(chained.code_cache_entries < unchained.code_cache_entries);
  t.is(unchained.code_cache_entries, unchained.tb_executions);
  t.true(chained.chain_patches > 0);
  t.is(unchained.chain_patches, 0);
});

test('invalidating a range drops its TBs and unpatches jumps into them', (t) => {
  const dbt = runToSyscall(true);
  const loopTb = dbt.tbHash.get(CODE + 5)!;
  t.truthy(loopTb);
  const into = () => dbt.tbs.filter((from) => [0, 1].some((n) => tbJumpDest(dbt, from, n) === loopTb)).length;
  t.true(into() > 0);
  const hit = tbInvalidatePhysRange(dbt, CODE + 6, 1);
  t.true(hit.includes(loopTb));
  t.true(tbIsInvalid(dbt, loopTb));
  t.is(dbt.tbHash.get(CODE + 5), undefined);
  t.is(into(), 0);
  t.true(dbt.stats.tb_invalidations >= 1);
});

test('a store into translated code faults, invalidates, and execution sees the new code', (t) => {
  // movb $2,<imm of the next insn> ; mov $1,%eax ; int $0x80: the store rewrites the immediate
  const target = CODE + 7 + 1;
  const code = [0xc6, 0x05, ...le32(target), 0x02, 0xb8, 1, 0, 0, 0, 0xcd, 0x80];
  const dbt = dbtWith(code, raising, true);
  for (let i = 0; i < 10; i++) {
    try {
      cpuTbExec(dbt, dbt.tbHash.get(dbt.cpu.eip) ?? tbGenCode(dbt, dbt.cpu.eip));
    } catch (e) {
      if (e instanceof CpuLoopExit) break;
      throw e;
    }
  }
  t.is(dbt.cpu.reg(0), 2);
  // QEMU's sequence: the first fault invalidates the running TB, which restarts as a
  // one-instruction TB; its store faults again and, that TB being one instruction, proceeds
  t.is(dbt.stats.smc_faults, 2);
  t.true(dbt.stats.tb_invalidations >= 1);
});

function le32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

test('an unwind out of translated code leaves the host stack pointer where the entry found it', (t) => {
  // int $0x80 raises from inside the prologue's frame; QEMU's siglongjmp drops that frame
  const dbt = dbtWith([0xcd, 0x80], raising);
  const sp = dbt.machine.getReg(REG.sp);
  const tb = tbGenCode(dbt, CODE);
  // far more unwinds than the host stack has frames for (256 KiB / 96 bytes)
  for (let i = 0; i < 5000; i++) {
    dbt.cpu.eip = CODE;
    t.throws(() => cpuTbExec(dbt, tb), { instanceOf: CpuLoopExit });
  }
  t.is(dbt.machine.getReg(REG.sp), sp);
});

// x86-64 at ld.so's address: lea 0x20(%rip),%rax; call *%rax; add $1,%rax; syscall; (0x20:) jmp to the
// next page (a cross-page exit is a lookup); (0x1000:) ret
const CALL_ACROSS = [0x48, 0x8d, 0x05, 0x19, 0, 0, 0, 0xff, 0xd0, 0x48, 0x83, 0xc0, 0x01, 0x0f, 0x05];
function callAcross(): number[] {
  const code = new Array<number>(0x1001).fill(0x90);
  code.splice(0, CALL_ACROSS.length, ...CALL_ACROSS);
  code.splice(0x20, 5, 0xe9, ...le32(0x1000 - 0x25));
  code[0x1000] = 0xc3;
  return code;
}

for (const chaining of [true, false]) {
  test(`x86-64 pcs above 4 GiB (chaining ${chaining}): an indirect call, a cross-page jump and a return keep rip's 64 bits`, (t) => {
    const dbt = runToSyscall(chaining, dbt64With(callAcross(), raising, chaining));
    t.is(dbt.cpu.reg64(0), BigInt(CODE64 + 0x21)); // the call's target, plus 1
    t.is(dbt.cpu.reg64(1), BigInt(CODE64 + 0xf)); // syscall's %rcx: the next rip
    t.is(dbt.cpu.eip, CODE64 + 0xf);
    t.is(dbt.cpu.exceptionNext, CODE64 + 0xf);
    t.is(dbt.cpu.reg64(4), BigInt(STACK64_TOP));
    // the pushed return address, all 8 bytes
    t.is(dbt.guest.read32(STACK64_TOP - 8), (CODE64 + 9) % 2 ** 32);
    t.is(dbt.guest.read32(STACK64_TOP - 4), Math.floor((CODE64 + 9) / 2 ** 32));
    t.truthy(dbt.tbHash.get(CODE64 + 0x1000));
  });
}
