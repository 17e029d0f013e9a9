/**
 * The TypeScript bodies of the helpers translated code calls (QEMU's helper_* functions).
 * Each reads its arguments from a0..a3 and env, and returns in v0; the raising ones unwind
 * with CpuLoopExit and never return to the code cache.
 */
import { ENV_BASE, REG, type MipsMachine } from '@dbtlab/mips-host';
import { EXCP, type HelperAddrs } from '@dbtlab/mips-codegen';
import { AC, ENV, R_CS, R_EAX, R_EBX, R_ECX, R_EDX, R_ESP, R_SS, TF } from '@dbtlab/x86-frontend';
import {
  bcdAdjust,
  ccBits,
  computeEflags,
  computeEflags64,
  codeSegmentLoad,
  segmentIs16,
  selectorBounds,
  cpuidLeaf,
  dataSegmentLoad,
  descriptorBase,
  MXCSR,
  pdep,
  pdep64,
  pext,
  pext64,
  SELECTOR_OPS,
  selectorAccess,
  SimdFpException,
  SseAlignmentFault,
  sseExec,
  SYSTEM_REGISTER_OPS,
  X87PendingException,
  x87Exec,
  X87State,
} from '@dbtlab/x86-semantics';
import type { Dbt } from './dbt';
import { CpuLoopExit, GuestFault, SEGV_MAPERR, SI_KERNEL, SIGSEGV, FPE_FLTDIV, FPE_FLTINV, FPE_FLTOVF, FPE_FLTRES, FPE_FLTUND } from './exceptions';
import { tbFindByHostPc, tbLookup } from './tb-lookup';
import { cpuRestoreState } from './translate-all';

// module-level copies: every use of a CommonJS re-export is a getter call (helpers run often)
const { a0: REG_A0, v0: REG_V0, v1: REG_V1 } = REG;
const ccComputeAll = computeEflags;
const ccOpBits = ccBits;
const EFLAGS_TF = TF;
const EFLAGS_AC = AC;

/** The events of a raising helper: the inline save before it, the call, the unwind. */
function traceRaise(dbt: Dbt, mm: MipsMachine, helper: string, detail: string): void {
  const hostInsns = mm.counters.insns;
  dbt.trace({ kind: 'context-save', pc: dbt.cpu.eip, detail: 'inline', hostInsns });
  dbt.trace({ kind: 'helper-call', pc: dbt.cpu.eip, detail: helper, hostInsns });
  dbt.trace({ kind: 'unwind', pc: dbt.cpu.eip, detail, hostInsns });
}

/** si_code of the SIGFPE for the unmasked x87 exceptions `err`, in Linux's order (math_error). */
function fpeCode(err: number): number {
  if (err & 0x01) return FPE_FLTINV;
  if (err & 0x04) return FPE_FLTDIV;
  if (err & 0x08) return FPE_FLTOVF;
  if (err & 0x12) return FPE_FLTUND;
  if (err & 0x20) return FPE_FLTRES;
  return 0;
}

export function registerHelpers(dbt: Dbt): HelperAddrs {
  const m = dbt.machine;
  const cpu = dbt.cpu;
  const arg = (mm: MipsMachine, i: number) => mm.getReg32(REG_A0 + i) >>> 0;
  // a memory operand's guest address: 32 bits, or x86-64's 47 (codegen checked it; other values are unused)
  const eaArg = (mm: MipsMachine, i: number) => (dbt.mode === 64 ? Number(BigInt.asUintN(47, mm.getReg(REG_A0 + i))) : arg(mm, i));
  // a guest pc: eip's 32 bits, or rip's 64 (translated code checked an indirect target against the 47-bit space)
  const pcArg = (mm: MipsMachine, i: number) => (dbt.mode === 64 ? Number(BigInt.asUintN(64, mm.getReg(REG_A0 + i))) : arg(mm, i));
  // an exact integer: no BigInt per call
  const ret = (mm: MipsMachine, v: number) => mm.setRegNumber(REG_V0, v);
  // a 32-bit register result: sign-extended in an i386 env slot, zero-extended into an x86-64 register
  const setReg32 = (r: number, v: number) => (dbt.mode === 64 ? cpu.setReg64(r, v >>> 0) : cpu.setReg(r, v));
  const env64 = (off: number): bigint => BigInt.asUintN(64, (BigInt(dbt.mem.read32(ENV_BASE + off + 4)) << 32n) | BigInt(dbt.mem.read32(ENV_BASE + off) >>> 0));
  // the FPU starts as after finit (as Linux starts a process)
  const x87 = new X87State(dbt.mem);
  x87.reset();
  dbt.mem.write32(ENV_BASE + ENV.mxcsr, MXCSR.DEFAULT);
  return {
    computeEflags: m.registerHelper('cc_compute_all', (mm) => {
      const ccOp = cpu.ccOp;
      // a 64-bit operation's operands are whole 64-bit values in env
      if (ccOp > 0 && ccOpBits(ccOp) === 64) mm.setReg32(REG_V0, computeEflags64(ccOp, env64(ENV.ccSrc), env64(ENV.ccDst), env64(ENV.ccSrc2)));
      else mm.setReg32(REG_V0, ccComputeAll(ccOp, cpu.ccSrc, cpu.ccDst, cpu.ccSrc2));
    }),
    div128: m.registerHelper('div128', (mm) => {
      const u = (r: number) => BigInt.asUintN(64, mm.getReg(r));
      const signed = mm.getReg32(REG.a3) !== 0;
      let n = (u(REG.a1) << 64n) | u(REG.a0);
      let d = u(REG.a2);
      if (signed) {
        n = BigInt.asIntN(128, n);
        d = BigInt.asIntN(64, d);
      }
      const q = d === 0n ? undefined : n / d; // bigint division truncates toward zero, as idiv
      if (q === undefined || (signed ? BigInt.asIntN(64, q) !== q : q >> 64n !== 0n)) {
        dbt.stats.context_saves++;
        cpu.exceptionIndex = EXCP.DIVZ;
        cpu.exceptionNext = cpu.eip;
        dbt.stats.unwinds++;
        traceRaise(dbt, mm, 'div128', 'divide error');
        throw new CpuLoopExit(EXCP.DIVZ);
      }
      mm.setReg(REG.v0, BigInt.asIntN(64, q));
      mm.setReg(REG.v1, BigInt.asIntN(64, n - q * d));
    }),
    raiseSegv: m.registerHelper('raise_segv', (mm) => {
      dbt.stats.context_saves++;
      dbt.stats.unwinds++;
      const addr = BigInt.asUintN(64, mm.getReg(REG.a0));
      traceRaise(dbt, mm, 'raise_segv', `address 0x${addr.toString(16)}`);
      // the address is beyond what a number holds exactly only in its low bits' precision; si_addr keeps 64 bits below 2^53
      throw new GuestFault(SIGSEGV, Number(addr), SEGV_MAPERR, `guest access at 0x${addr.toString(16)} (eip 0x${cpu.eip.toString(16)})`);
    }),
    raiseBranchFault: m.registerHelper('raise_branch_fault', (mm) => {
      dbt.stats.context_saves++;
      dbt.stats.unwinds++;
      const target = BigInt.asUintN(64, mm.getReg(REG.a0));
      traceRaise(dbt, mm, 'raise_branch_fault', `target 0x${target.toString(16)}`);
      if (target >> 47n === 0x1ffffn) {
        // canonical, the kernel's half: the branch completes and fetching at the target faults
        cpu.rip = target;
        throw new GuestFault(SIGSEGV, Number(target), SEGV_MAPERR, `instruction fetch at 0x${target.toString(16)}`);
      }
      // non-canonical: #GP at the branch, which has not happened (its push or pop undone)
      cpu.setReg64(R_ESP, cpu.reg64(R_ESP) - BigInt(mm.getReg32(REG.a1) | 0));
      throw new GuestFault(SIGSEGV, 0, SI_KERNEL, `branch to non-canonical 0x${target.toString(16)} (eip 0x${cpu.eip.toString(16)})`);
    }),
    raiseException: m.registerHelper('raise_exception', (mm) => {
      dbt.stats.context_saves++;
      cpu.exceptionIndex = arg(mm, 0);
      cpu.exceptionNext = pcArg(mm, 1);
      dbt.stats.unwinds++;
      traceRaise(dbt, mm, 'raise_exception', `exception ${arg(mm, 0)}`);
      throw new CpuLoopExit(arg(mm, 0));
    }),
    raiseInterrupt: m.registerHelper('raise_interrupt', (mm) => {
      const vector = arg(mm, 0);
      dbt.stats.context_saves++;
      // int $0x80 (or x86-64's syscall, EXCP.SYSCALL) is the system call; other vectors are not user-callable in Linux: #GP
      const excp = vector === 0x80 || vector === EXCP.SYSCALL ? EXCP.SYSCALL : EXCP.GPF;
      dbt.syscallInt80 = vector === 0x80;
      // #GP's error code names the IDT gate: the vector, IDT bit (2)
      if (excp === EXCP.GPF) dbt.errorCode = (vector << 3) | 2;
      cpu.exceptionIndex = excp;
      cpu.exceptionNext = pcArg(mm, 1);
      if (excp === EXCP.SYSCALL) cpu.eip = pcArg(mm, 1);
      dbt.stats.unwinds++;
      traceRaise(dbt, mm, 'raise_interrupt', `int 0x${vector.toString(16)}`);
      throw new CpuLoopExit(excp);
    }),
    lookupTbPtr: m.registerHelper('lookup_tb_ptr', (mm) => {
      // under TF (a step TB, or an iret that set it) the loop takes the next TB (tbFind), and
      // after an iret that set AC the first time (tbFind turns on Dbt.alignChecks) or a far
      // transfer to a %cs that turns on segment checks
      const rest = cpu.eflagsRest;
      const tb = dbt.singleStep || dbt.segmentChecksPending || (rest & EFLAGS_TF) !== 0 || ((rest & EFLAGS_AC) !== 0 && !dbt.alignChecks) ? undefined : tbLookup(dbt, pcArg(mm, 0));
      if (tb) {
        dbt.stats.indirect_lookup_hits++;
        if (dbt.config.trace) dbt.trace({ kind: 'indirect-hit', pc: tb.pc, hostInsns: mm.counters.insns });
        ret(mm, tb.hostAddr);
      } else {
        dbt.stats.indirect_lookup_misses++;
        ret(mm, dbt.shared.exitNoChain);
      }
    }),
    cpuid: m.registerHelper('cpuid', () => {
      dbt.stats.context_saves++;
      dbt.stats.context_restores++;
      const [a, b, c, d] = cpuidLeaf(dbt.cpuModel, cpu.reg(R_EAX), cpu.reg(R_ECX));
      setReg32(R_EAX, a);
      setReg32(R_EBX, b);
      setReg32(R_ECX, c);
      setReg32(R_EDX, d);
    }),
    loadSeg: m.registerHelper('load_seg', (mm) => {
      const seg = arg(mm, 0);
      const sel = arg(mm, 1) & 0xffff;
      const desc = dbt.os.descriptor?.(sel);
      // %cs: a far transfer's target (its RPL already the CPL for jmp/call); i386: its offset (a2)
      // past the new segment's limit is #GP(0) at the transfer, before anything changed
      let check = !dbt.os.descriptor ? 'ok' : seg === R_CS ? codeSegmentLoad(sel, desc, dbt.mode) : dataSegmentLoad(seg, sel, desc);
      if (typeof check === 'object') throw new Error(`${check.unsupported} is not supported`);
      const pastLimit = check === 'ok' && seg === R_CS && dbt.mode === 32 && arg(mm, 2) >>> 0 > selectorBounds(sel, desc).hi;
      if (pastLimit) check = 'gp';
      if (check !== 'ok') {
        // the descriptor check faults at the instruction, before it changed anything
        const tb = tbFindByHostPc(dbt, mm.faultPc);
        if (tb) cpuRestoreState(dbt, tb, mm.faultPc);
        const excp = check === 'np' ? EXCP.NOSEG : EXCP.GPF;
        // the error code names the selector (index and TI; RPL bits are EXT and IDT, 0 here)
        dbt.errorCode = pastLimit ? 0 : sel & 0xfffc;
        cpu.exceptionIndex = excp;
        cpu.exceptionNext = cpu.eip;
        dbt.stats.unwinds++;
        throw new CpuLoopExit(excp);
      }
      const base = desc ? descriptorBase(desc) : dbt.os.segmentBase(sel);
      // the previous selector is the result (lcall pushes the old %cs)
      ret(mm, cpu.segSelector(seg));
      // a based %es/%ss/%ds makes the process segmented at its TB's end (tbFind); 64-bit mode
      // ignores those bases, and a selector load replaces all 64 bits
      cpu.setSegSelector(seg, seg === R_CS ? sel | 3 : sel);
      if (dbt.mode === 64) cpu.setSegBase64(seg, base);
      else cpu.setSegBase(seg, base);
      if (dbt.mode === 32) cpu.setSegBounds(seg, selectorBounds(sel, desc));
      if (seg === R_CS && dbt.mode === 32) {
        // the lookup that follows the far transfer must tell code segments apart (tbLookup)
        cpu.code16 = desc !== undefined && segmentIs16(desc);
        if (base !== 0 || cpu.code16 || cpu.segBounds(R_CS).hi !== 0xffffffff) dbt.codeSegments = true;
      }
      if (seg === R_SS && dbt.mode === 32) {
        // a 16-bit stack segment: TBs use SP (the TB ends after the load; lookups compare it)
        cpu.ss16 = desc !== undefined && segmentIs16(desc);
        if (cpu.ss16) dbt.codeSegments = true;
      }
      if (dbt.segmentChecksNeeded()) {
        // the TBs (this one too, and those it chains to) lack the checks this segment needs. A far
        // transfer completes and then leaves to the loop, which flushes them (tbFind); a data
        // segment load runs again from the loop: nothing before it changed guest state, and the
        // load itself repeats
        if (seg === R_CS) {
          dbt.segmentChecksPending = true;
          return;
        }
        const tb = tbFindByHostPc(dbt, mm.faultPc);
        if (tb) cpuRestoreState(dbt, tb, mm.faultPc);
        dbt.stats.unwinds++;
        throw new CpuLoopExit(EXCP.INTERRUPT);
      }
    }),
    selectorAccess: m.registerHelper('selector_access', (mm) => {
      const sel = arg(mm, 1) & 0xffff;
      const r = selectorAccess(SELECTOR_OPS[arg(mm, 0)], sel, dbt.os.descriptor?.(sel));
      ret(mm, r.zf ? 1 : 0);
      mm.setRegNumber(REG_V1, r.value | 0);
    }),
    systemRegister: m.registerHelper('system_register', (mm) => {
      const op = SYSTEM_REGISTER_OPS[arg(mm, 0)];
      if (!dbt.os.systemRegister) throw new Error(`${op.toLowerCase()} needs the guest OS's answer`);
      const [value, base] = dbt.os.systemRegister(op);
      ret(mm, value | 0);
      mm.setRegNumber(REG_V1, base | 0);
    }),
    x87: m.registerHelper('x87', (mm) => {
      try {
        ret(mm, x87Exec(x87, dbt.mem, arg(mm, 0), eaArg(mm, 1), eaArg(mm, 2), arg(mm, 3), dbt.guest.base, dbt.mode === 64 ? 0x33 : 0x23));
      } catch (e) {
        if (e instanceof X87PendingException) {
          // #MF: precise state at the waiting instruction, then SIGFPE as Linux delivers it;
          // Linux hands the handler a freshly initialised FPU (the old state would go to the
          // signal frame, which does not carry FPU state here)
          const tb = tbFindByHostPc(dbt, mm.faultPc);
          if (tb) cpuRestoreState(dbt, tb, mm.faultPc);
          dbt.fpeCode = fpeCode(e.status & ~x87.control);
          x87.reset();
          cpu.exceptionIndex = EXCP.MF;
          cpu.exceptionNext = cpu.eip;
          dbt.stats.unwinds++;
          throw new CpuLoopExit(EXCP.MF);
        }
        // a faulting memory operand faults at the call, as an inline load or store would
        // (precise: x87Exec changes the FPU only after its memory accesses)
        throw mm.convertFault(e, mm.faultPc, mm.wordAt(mm.faultPc), false);
      }
    }),
    sse: m.registerHelper('sse', (mm) => {
      try {
        const [v0, v1] = sseExec(dbt.mem, arg(mm, 0), eaArg(mm, 1), arg(mm, 3), arg(mm, 2), dbt.guest.base, dbt.mode === 64);
        ret(mm, v0);
        mm.setRegNumber(REG_V1, v1);
      } catch (e) {
        if (e instanceof SimdFpException || e instanceof SseAlignmentFault) {
          // #XM (SIGFPE with the first unmasked exception's si_code) or #GP (SIGSEGV), precise
          const tb = tbFindByHostPc(dbt, mm.faultPc);
          if (tb) cpuRestoreState(dbt, tb, mm.faultPc);
          const excp = e instanceof SimdFpException ? EXCP.XM : EXCP.GPF;
          if (e instanceof SimdFpException) dbt.fpeCode = fpeCode(e.flags);
          cpu.exceptionIndex = excp;
          cpu.exceptionNext = cpu.eip;
          dbt.stats.unwinds++;
          throw new CpuLoopExit(excp);
        }
        throw mm.convertFault(e, mm.faultPc, mm.wordAt(mm.faultPc), false);
      }
    }),
    // a0: 1 for pext, +2 for 64-bit operands (whole a1/a2)
    pdepPext: m.registerHelper('pdep_pext', (mm) => {
      const op = arg(mm, 0);
      if (op & 2) mm.setReg(REG_V0, (op & 1 ? pext64 : pdep64)(BigInt.asUintN(64, mm.getReg(REG_A0 + 1)), BigInt.asUintN(64, mm.getReg(REG_A0 + 2))));
      else ret(mm, (op & 1 ? pext : pdep)(arg(mm, 1), arg(mm, 2)));
    }),
    bcdAdjust: m.registerHelper('bcd_adjust', (mm) => {
      ret(mm, bcdAdjust(arg(mm, 0), arg(mm, 1), arg(mm, 2), arg(mm, 3)));
    }),
    checkWrite: m.registerHelper('check_write', (mm) => {
      try {
        dbt.mem.checkWrite(dbt.guest.base + eaArg(mm, 0), arg(mm, 1));
      } catch (e) {
        throw mm.convertFault(e, mm.faultPc, mm.wordAt(mm.faultPc), false);
      }
    }),
    rdtsc: m.registerHelper('rdtsc', (mm) => {
      dbt.stats.context_saves++;
      dbt.stats.context_restores++;
      // deterministic: the host instructions executed so far stand for cycles
      const t = mm.counters.insns;
      setReg32(R_EAX, t % 0x100000000);
      setReg32(R_EDX, Math.floor(t / 0x100000000));
    }),
  };
}
