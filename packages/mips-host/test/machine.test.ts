import test from 'ava';
import {
  Assembler, CODE_CACHE_BASE, CODE_CACHE_END, ENV_BASE, GUEST64_BASE, GUEST64_SIZE, GUEST_BASE, HELPER_BASE, KIND, MachineFault, MemoryFault, MipsMachine, encodeJ,
  PROT_READ, PROT_WRITE, REG, REGION, RUN_RETURN_ADDR, TAG_INSN_SHIFT, TAG_TB_START,
} from '../src/index';
import { ENGINES, newMachine, runBoth, runProgram, snapshot, type Mode } from './run-program';

const { v0, v1, a0, a1, t0, t1, t9, ra } = REG;

function load(mode: Mode, body: (a: Assembler) => void): MipsMachine {
  const m = newMachine(mode);
  const a = new Assembler(CODE_CACHE_BASE);
  body(a);
  a.finish();
  m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
  return m;
}

test('a delay slot executes, taken or not, and sees the old condition register', (t) => {
  const m = runBoth((a) => {
    const skip = a.newLabel();
    a.li(a0, 1);
    a.bne(a0, 0, skip);
    a.li(a0, 0); // delay slot: runs, but the branch already read a0 = 1
    a.li(v0, 99); // skipped
    a.bind(skip);
    a.addiu(v1, a0, 10);
    const not = a.newLabel();
    a.beq(a0, 1, not); // a1 = 0 here? compare with $1 (at) = 0: a0 = 0 -> taken
    a.addiu(t0, t0, 1); // slot
    a.bind(not);
  });
  t.is(m.getReg(v0), 0n);
  t.is(m.getReg(v1), 10n);
  t.is(m.getReg(t0), 1n);
});

test('bltzal/bgezal link whether or not taken', (t) => {
  let at = 0;
  const m = runBoth((a) => {
    const l = a.newLabel();
    a.li(a0, 5);
    a.move(t0, ra);
    at = a.pc;
    a.bltzal(a0, l); // not taken, still links
    a.nop();
    a.move(v0, ra);
    a.bgezal(a0, l); // taken
    a.nop();
    a.li(v0, 0); // skipped
    a.bind(l);
    a.move(v1, ra);
    a.move(ra, t0);
  });
  t.is(m.getRegNumber(v0), at + 8);
  t.is(m.getRegNumber(v1), at + 20);
});

test('jr through a register, jal to an absolute address', (t) => {
  const m = runBoth((a) => {
    const fn = CODE_CACHE_BASE + 4 * 12;
    a.move(t0, ra); // 0
    a.jal(fn); // 1
    a.li(v0, 1); // 2 slot
    a.addiu(v0, v0, 100); // 3: after return
    a.move(ra, t0); // 4
    a.jr(ra); // 5
    a.nop(); // 6
    for (let i = 7; i < 12; i++) a.break();
    a.addiu(v0, v0, 10); // 12: fn
    a.jr(ra);
    a.nop();
  });
  t.is(m.getReg(v0), 111n);
});

test('loads and stores through host memory, guest window, sign/zero extension', (t) => {
  const buf = GUEST_BASE + 0x1000;
  const m = runBoth((a) => {
    a.li(a0, buf);
    a.li(a1, -2);
    a.sd(a1, 0, a0);
    a.lb(v0, 0, a0);
    a.lbu(v1, 1, a0);
    a.lhu(t0, 2, a0);
    a.lw(REG.t1, 4, a0);
    a.lwu(REG.t2, 4, a0);
    a.li(REG.t3, 0x1234);
    a.sh(REG.t3, 8, a0);
    a.sb(REG.t3, 10, a0);
    a.ld(REG.s0, 8, a0);
  }, (mm) => mm.mem.map(buf, 0x1000, PROT_READ | PROT_WRITE));
  t.is(m.getReg(v0), -2n);
  t.is(m.getReg(v1), 0xffn);
  t.is(m.getReg(t0), 0xffffn);
  t.is(m.getReg(REG.t1), -1n);
  t.is(m.getReg(REG.t2), 0xffffffffn);
  t.is(m.getReg(REG.s0), 0x34_1234n);
  t.is(m.mem.read32(buf), 0xfffffffe);
});

test('lwl/lwr and swl/swr assemble an unaligned word (little-endian)', (t) => {
  const buf = ENV_BASE + 0x100;
  const m = runBoth((a) => {
    a.li(a0, buf);
    a.lwr(v0, 1, a0); // bytes 1..3 into the low end
    a.lwl(v0, 4, a0); // byte 4 into the high end
    a.ldr(v1, 3, a0);
    a.ldl(v1, 10, a0);
    a.li(t0, 0x11223344);
    a.swr(t0, 17, a0);
    a.swl(t0, 20, a0);
  }, (mm) => mm.mem.pokeBytes(buf, Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i)));
  t.is(m.getReg(v0), BigInt.asIntN(64, 0xffffffff_a4a3a2a1n));
  t.is(m.getReg(v1), 0xaaa9a8a7a6a5a4a3n - 2n ** 64n);
  t.deepEqual([...m.mem.readBytes(buf + 16, 8)], [0, 0x44, 0x33, 0x22, 0x11, 0, 0, 0]);
});

test('lwr/lwl and swr/swl pairs (the codegen\'s guest access) in one page, across pages, and faulting on either page', (t) => {
  const page = GUEST_BASE + 0x9000;
  // every offset of a word in the page's first and last 8 bytes, and one that spans pages
  for (const off of [1, 2, 3, 4, 0xff8, 0xff9, 0xffa, 0xffb, 0xffc, 0xffd, 0xffe, 0xfff]) {
    const m = runBoth((a) => {
      a.li(a0, page + off);
      a.li(t0, 0x5566_7788 | 0);
      a.swr(t0, 0, a0);
      a.swl(t0, 3, a0);
      a.lwr(v0, 0, a0);
      a.lwl(v0, 3, a0);
      a.lwr(v1, -1, a0);
      a.lwl(v1, 2, a0);
    }, (mm) => mm.mem.map(page, 0x2000, PROT_READ | PROT_WRITE));
    t.is(m.getReg(v0), 0x5566_7788n, `offset ${off}`);
    t.is(m.getReg(v1), 0x6677_8800n, `offset ${off}`);
  }
  // a pair whose second word is on an unmapped page faults at the lwr (it checks the next page
  // first: one access, as x86's), at the next page's first byte; v0 is left unchanged
  for (const [off, second] of [[0xffd, true], [0x1ffd, false]] as const) {
    const results = ENGINES.map((engine) => {
      let at = 0;
      const m = load(engine, (a) => { a.li(a0, page + off); a.addiu(v1, 0, 1); at = a.pc; a.lwr(v0, 0, a0); a.lwl(v0, 3, a0); a.addiu(v1, 0, 2); a.jr(ra); a.nop(); });
      m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
      m.mem.write32(page + 0xffc, 0xa1b2c3d4);
      const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
      t.is(err.memoryFault!.kind, 'unmapped');
      t.is(err.hostPc, at);
      t.is(err.memoryFault!.addr, page + (second ? 0x1000 : off));
      t.is(m.getReg(v1), 1n);
      return { v0: m.getReg(v0), counts: snapshot(m) };
    });
    for (const r of results) t.deepEqual(r, results[0]);
    t.is(results[0].v0, 0n, 'the lwr did not run');
  }
});

test('a swr/swl or sdr/sdl store pair going on into an unmapped or read-only page writes nothing (x86 stores are all-or-nothing)', (t) => {
  const page = GUEST_BASE + 0x9000;
  const cases = [
    ...[0xffd, 0xffe, 0xfff, 0xffc].map((off) => ({ off, n: 4 })),
    ...[0xff9, 0xffa, 0xffb, 0xffc, 0xffd, 0xffe, 0xfff, 0xff8].map((off) => ({ off, n: 8 })),
    ...[0xfff, 0xffe].map((off) => ({ off, n: 2 })),
  ];
  for (const { off, n } of cases) {
    for (const next of ['unmapped', 'protection'] as const) {
      const results = ENGINES.map((engine) => {
        let at = 0;
        const m = load(engine, (a) => {
          a.li(a0, page + off);
          a.li(t0, -0x1234_5678);
          a.addiu(v1, 0, 1);
          at = a.pc;
          if (n === 2) { a.sb(t0, 0, a0); a.srl(REG.at, t0, 8); a.sb(REG.at, 1, a0); }
          else if (n === 4) { a.swr(t0, 0, a0); a.swl(t0, 3, a0); }
          else { a.sdr(t0, 0, a0); a.sdl(t0, 7, a0); }
          a.addiu(v1, 0, 2);
          a.jr(ra);
          a.nop();
        });
        m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
        if (next === 'protection') m.mem.map(page + 0x1000, 0x1000, PROT_READ);
        m.mem.pokeBytes(page + 0xff0, Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i));
        // the aligned pair ending at the page end (0xffc / 0xff8) does not cross: it completes
        let err: MachineFault | undefined;
        try { m.run(CODE_CACHE_BASE); } catch (e) { err = e as MachineFault; }
        if (err) t.is(err.memoryFault?.kind, next);
        return { hostPc: err ? err.hostPc - at : -1, addr: err ? err.memoryFault!.addr - page : -1, v1: m.getReg(v1), bytes: [...m.mem.readBytes(page + 0xff0, 16)], counts: snapshot(m) };
      });
      for (const r of results) t.deepEqual(r, results[0], `offset ${off.toString(16)} width ${n}`);
      const r = results[0];
      const crosses = off + n > 0x1000;
      t.is(r.v1, crosses ? 1n : 2n, `offset ${off.toString(16)} width ${n}: the pair faults`);
      if (!crosses) {
        t.is(r.hostPc, -1);
        t.deepEqual(r.bytes.slice(16 - n), [0x88, 0xa9, 0xcb, 0xed, 0xff, 0xff, 0xff, 0xff].slice(0, n));
        continue;
      }
      // the 16-bit pair (codegen's sb; srl; sb) faults at its second sb and puts the first byte back
      t.is(r.hostPc, n === 2 ? 8 : 0, 'the faulting instruction');
      t.is(r.addr, 0x1000, 'at the first byte that cannot be written');
      t.deepEqual(r.bytes, Array.from({ length: 16 }, (_, i) => 0xa0 + i), `offset ${off.toString(16)} width ${n}: the first page is untouched`);
    }
  }
});

test('runs of sw/sd/lw/lwu/ld on one base register (the context switch): results, and faults at the exact access', (t) => {
  const page = GUEST_BASE + 0x9000;
  // a loop, so that the run executes compiled with its page in the TLB: values read back
  const m = runBoth((a) => {
    a.li(a0, page + 0x7f0);
    a.li(a1, 4);
    a.li(t0, -2);
    const l = a.newLabel();
    a.bind(l);
    a.sd(t0, 0, a0);
    a.sw(a1, 8, a0);
    a.sw(t0, 12, a0);
    a.ld(v0, 8, a0);
    a.lw(v1, 0, a0);
    a.lwu(t9, 12, a0);
    a.ld(a0, 0, a0); // the base changes: the run ends here
    a.li(a0, page + 0x7f0);
    a.addiu(a1, a1, -1);
    a.bne(a1, 0, l);
    a.nop();
  }, (mm) => mm.mem.map(page, 0x1000, PROT_READ | PROT_WRITE));
  t.is(m.getReg(v0), 0xffff_fffe_0000_0001n - 2n ** 64n);
  t.is(m.getReg(v1), -2n);
  t.is(m.getReg(t9), 0xffff_fffen);
  // the base moves by 0x7f8 (or 0x7fe) per iteration: the run is warm and cached when it first spans the
  // page end (fault at the access on the unmapped page, after the xor between two accesses ran),
  // or when a later base is misaligned
  for (const [step, kind, member] of [[0x7f8, 'unmapped', 3], [0x7fe, 'unaligned', 0]] as const) {
    const results = ENGINES.map((engine) => {
      let at = 0;
      const m = load(engine, (a) => {
        a.li(a0, page);
        a.li(v1, 0);
        const l = a.newLabel();
        a.bind(l);
        at = a.pc;
        a.sw(v1, 0, a0);
        a.xor(t1, t1, a0); // between two accesses: inside the run
        a.sd(v1, 8, a0);
        a.lw(v0, 16, a0);
        a.addiu(v1, v1, 1);
        a.beq(0, 0, l);
        a.daddiu(a0, a0, step);
      });
      m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
      const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
      t.is(err.kind, kind === 'unmapped' ? 'memory' : 'unaligned');
      t.is(err.hostPc, at + 4 * member);
      return { a0: m.getReg(a0), v1: m.getReg(v1), t1: m.getReg(t1), counts: snapshot(m) };
    });
    for (const r of results) t.deepEqual(r, results[0]);
  }
  // a store run into a page marked smc faults at its first store, after many fast runs
  const results = ENGINES.map((engine) => {
    let at = 0;
    const m = load(engine, (a) => {
      a.li(a0, page);
      a.li(v1, 40);
      const l = a.newLabel();
      a.bind(l);
      at = a.pc;
      a.sw(v1, 0, a0);
      a.sw(v1, 4, a0);
      a.addiu(v1, v1, -1);
      a.bne(v1, 0, l);
      a.nop();
      a.jr(ra);
      a.nop();
    });
    m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
    m.run(CODE_CACHE_BASE);
    m.mem.page(page)!.smc = true;
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.memoryFault!.kind, 'smc');
    t.is(err.hostPc, at);
    return snapshot(m);
  });
  for (const r of results) t.deepEqual(r, results[0]);
});

test('a result that wraps is compared as the 32-bit register value later in the same block', (t) => {
  const m = runBoth((a) => {
    const skip = a.newLabel(), skip2 = a.newLabel();
    a.li(v0, 0x7fff_ffff);
    a.li(a1, 1);
    a.li(t0, -0x8000_0000);
    a.li(t1, 0x7fff_ffff);
    a.dsll32(t1, t1, 0); // 0x7fffffff_00000000
    a.li(t9, 0);
    a.addu(v1, v0, a1); // wraps to -2^31
    a.bne(v1, t0, skip); // not taken: equal as registers
    a.nop();
    a.addiu(t9, t9, 1);
    a.bind(skip);
    a.daddu(a0, t1, t1); // high half wraps negative
    a.bgez(a0, skip2); // not taken: negative
    a.nop();
    a.addiu(t9, t9, 2);
    a.bind(skip2);
  });
  t.is(m.getReg(t9), 3n);
});

test('64-bit shifts by a constant (inline when compiled) agree with the interpreter for every amount', (t) => {
  let cases = 0;
  for (const op of ['dsll', 'dsrl', 'dsra', 'dsll32', 'dsrl32', 'dsra32'] as const) {
    for (let sa = 0; sa < 32; sa++) {
      runBoth((a) => {
        a[op](v0, a0, sa);
        a[op](a1, a1, sa); // destination = source
      }, (m) => {
        m.setReg(a0, -0x6dcb_a987_6543_2110n);
        m.setReg(a1, 0x7654_3210_fedc_ba98n);
      });
      cases++;
    }
  }
  t.is(cases, 192);
});

test('unaligned lw raises unaligned precisely', (t) => {
  for (const engine of ENGINES) {
    let at = 0;
    const m = load(engine, (a) => { a.li(a0, ENV_BASE + 2); a.addiu(v0, 0, 1); at = a.pc; a.lw(v1, 0, a0); a.addiu(v0, 0, 2); a.jr(ra); a.nop(); });
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.kind, 'unaligned');
    t.is(err.hostPc, at);
    t.is(m.getReg(v0), 1n);
  }
});

test('a memory fault is precise: earlier insns done and counted, the faulting one not', (t) => {
  const results = ENGINES.map((engine) => {
    const m = load(engine, (a) => {
      a.region = REGION.prologue;
      a.li(a0, GUEST_BASE + 0x5000); // lui + ori: 2 (0x5000 fits ori? no: > 0x7fff? 0x1_0000_5000: 3 words)
      a.region = REGION.tb_body;
      a.addiu(v0, 0, 7);
      a.sw(v0, 0, a0); // unmapped
      a.addiu(v0, 0, 8);
      a.jr(ra);
      a.nop();
    });
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.kind, 'memory');
    t.true(err.memoryFault instanceof MemoryFault);
    t.is(err.memoryFault!.kind, 'unmapped');
    t.is(err.memoryFault!.addr, GUEST_BASE + 0x5000);
    t.false(err.inDelaySlot);
    t.is(m.faultPc, err.hostPc);
    t.is(m.pc, err.hostPc);
    t.is(m.getReg(v0), 7n);
    t.regex(err.message, /sw\tv0,0\(a0\)/);
    return { pc: err.hostPc, counts: snapshot(m), prologue: m.counters.byRegion[REGION.prologue] };
  });
  for (const r of results) t.deepEqual(r, results[0]);
  t.is(results[1].counts && (results[1].counts as { insns: number }).insns, results[1].prologue + 1);
  t.is(results[1].pc, CODE_CACHE_BASE + 4 * (results[1].prologue + 1));
});

test('a fault in a delay slot reports the branch with inDelaySlot', (t) => {
  for (const engine of ENGINES) {
    const m = load(engine, (a) => {
      const l = a.newLabel();
      a.beq(0, 0, l);
      a.lw(v0, 0, 0); // address 0: unmapped
      a.bind(l);
      a.jr(ra);
      a.nop();
    });
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.kind, 'memory');
    t.true(err.inDelaySlot);
    t.is(err.hostPc, CODE_CACHE_BASE);
    t.is(m.counters.insns, 1);
  }
});

test('smc-marked and write-protected pages fault on store', (t) => {
  for (const engine of ENGINES) {
    const page = GUEST_BASE + 0x8000;
    const m = load(engine, (a) => { a.li(a0, page); a.sw(0, 0, a0); a.jr(ra); a.nop(); });
    m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
    m.run(CODE_CACHE_BASE); // warm the TLB with a writable page
    m.mem.page(page)!.smc = true;
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.memoryFault!.kind, 'smc');
    m.mem.page(page)!.smc = false;
    m.mem.protect(page, 0x1000, PROT_READ);
    const err2 = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err2.memoryFault!.kind, 'protection');
    m.mem.unmap(page, 0x1000);
    const err3 = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err3.memoryFault!.kind, 'unmapped');
  }
});

test('helper call: slot runs, link set, helper reads a0 and writes v0, counted as helper', (t) => {
  const results = ENGINES.map((engine) => {
    const m = newMachine(engine);
    const seen: bigint[] = [];
    const h = m.registerHelper('double', (mm) => {
      seen.push(mm.getReg(a0), mm.getReg(ra));
      mm.setReg32(v0, mm.getReg32(a0) * 2);
    });
    t.is(h, HELPER_BASE + 8);
    t.is(m.helperName(h), 'double');
    t.is(m.helperName(h + 8), undefined);
    const a = new Assembler(CODE_CACHE_BASE);
    a.move(REG.s0, ra);
    a.li(t9, h);
    a.jalr(ra, t9);
    a.li(a0, 21); // delay slot sets the argument
    a.addiu(v0, v0, 1);
    a.move(ra, REG.s0);
    a.jr(ra);
    a.nop();
    m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
    m.run(CODE_CACHE_BASE);
    t.is(m.getReg(v0), 43n);
    t.deepEqual(seen, [21n, BigInt(CODE_CACHE_BASE + 4 * (1 + 3 + 2))]);
    t.is(m.counters.helperCalls, 1);
    t.is(m.counters.byKind[KIND.helper], 1);
    t.is(m.counters.byKind[KIND.branch], 1); // the final jr
    t.is(m.pc, RUN_RETURN_ADDR);
    return snapshot(m);
  });
  for (const r of results) t.deepEqual(r, results[0]);
});

test('a throwing helper propagates unchanged with faultPc = the jalr and counts done', (t) => {
  class Unwind extends Error {}
  for (const engine of ENGINES) {
    const m = newMachine(engine);
    const thrown = new Unwind('cpu_loop_exit');
    const h = m.registerHelper('raise', () => { throw thrown; });
    const a = new Assembler(CODE_CACHE_BASE);
    a.li(t9, h); // 3 words
    a.jalr(ra, t9);
    a.nop();
    a.jr(ra);
    a.nop();
    m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
    const err = t.throws(() => m.run(CODE_CACHE_BASE));
    t.is(err, thrown);
    const jalrPc = CODE_CACHE_BASE + 4 * (a.words.length - 4);
    t.is(m.faultPc, jalrPc);
    t.is(m.counters.insns, a.words.length - 2);
    t.is(m.counters.byKind[KIND.helper], 1);
    t.is(m.counters.helperCalls, 1);
  }
});

test('bad jump, unwritten code, reserved instruction, branch in a delay slot', (t) => {
  for (const engine of ENGINES) {
    const bad = load(engine, (a) => { a.li(t0, GUEST_BASE); a.jr(t0); a.nop(); });
    const e1 = t.throws(() => bad.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(e1.kind, 'bad-jump');
    t.regex(e1.message, /jr\tt0/);

    // targets near the code cache: unaligned, past its end, another 4 GiB window with the same
    // low half, a helper reached without a link (compiled blocks test the register's halves)
    for (const target of [CODE_CACHE_BASE + 2, CODE_CACHE_BASE + 4096, CODE_CACHE_BASE + 4098, CODE_CACHE_END, CODE_CACHE_BASE + 2 ** 32, CODE_CACHE_BASE - 2 ** 32, HELPER_BASE + 8]) {
      const m = load(engine, (a) => { a.li(t0, target); a.jr(t0); a.nop(); });
      m.registerHelper('unlinked', () => {});
      const e = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
      t.is(e.kind, 'bad-jump', target.toString(16));
      t.regex(e.message, new RegExp(`jump to 0x${target.toString(16)},`));
    }

    const off = load(engine, (a) => { a.nop(); });
    const e2 = t.throws(() => off.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(e2.kind, 'bad-jump');
    t.is(e2.hostPc, CODE_CACHE_BASE + 4);
    t.is(off.counters.insns, 1);

    const rsv = load(engine, (a) => { a.nop(); a.word(0x7c00003f); });
    const e3 = t.throws(() => rsv.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(e3.kind, 'reserved-instruction');
    t.is(e3.word, 0x7c00003f);
    t.is(e3.hostPc, CODE_CACHE_BASE + 4);
    t.regex(e3.message, /\(bad\)/);

    const slot = load(engine, (a) => { const l = a.newLabel(); a.bind(l); a.beq(0, 0, l); a.beq(0, 0, l); });
    const e4 = t.throws(() => slot.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(e4.kind, 'reserved-instruction');
    t.true(e4.inDelaySlot);
  }
});

test('counters by kind and region are exact; tags count TB starts and guest insns', (t) => {
  const results = ENGINES.map((engine) => {
    const m = newMachine(engine);
    const a = new Assembler(CODE_CACHE_BASE);
    a.region = REGION.prologue;
    a.li(a0, 3); // 1 alu
    a.move(REG.s1, a1); // 1 alu (a1 = ENV_BASE, set before the run)
    a.region = REGION.tb_body;
    const loop = a.newLabel();
    a.bind(loop); // word 2
    a.lw(v0, 0, REG.s1); // load
    a.addiu(v0, v0, 1); // alu
    a.sw(v0, 0, REG.s1); // store
    a.mult(v0, v0); // muldiv
    a.addiu(a0, a0, -1);
    a.bne(a0, 0, loop); // branch
    a.nop();
    a.region = REGION.epilogue;
    a.jr(ra);
    a.nop();
    const tags = a.regions.slice();
    tags[2] |= TAG_TB_START;
    tags[2] += 2 << TAG_INSN_SHIFT;
    tags[4] += 1 << TAG_INSN_SHIFT;
    m.writeCode(CODE_CACHE_BASE, a.words, tags);
    m.setReg(a1, BigInt(ENV_BASE));
    m.run(CODE_CACHE_BASE);
    const c = m.counters;
    t.is(c.insns, 2 + 3 * 7 + 2);
    t.deepEqual([...c.byKind], [2 + 3 * 3 + 1, 3, 3, 3 + 1, 3, 0]);
    t.is(c.byRegion[REGION.prologue], 2);
    t.is(c.byRegion[REGION.tb_body], 21);
    t.is(c.byRegion[REGION.epilogue], 2);
    t.is(c.tbStarts, 3);
    t.is(c.guestInsns, 9);
    t.is(m.mem.read32(ENV_BASE), 3);
    t.is(a.words.length, 11);
    c.reset();
    t.is(c.insns, 0);
    t.is(c.byKind[KIND.alu], 0);
    return snapshot(m);
  });
  for (const r of results) t.deepEqual(r, results[0]);
});

test('writeCode over compiled code invalidates it (chain-slot patch)', (t) => {
  for (const engine of ENGINES) {
    const m = load(engine, (a) => { a.li(v0, 1); a.jr(ra); a.nop(); });
    m.run(CODE_CACHE_BASE);
    t.is(m.getReg(v0), 1n);
    const p = new Assembler(CODE_CACHE_BASE);
    p.li(v0, 2);
    m.writeCode(CODE_CACHE_BASE, p.words, p.regions);
    m.run(CODE_CACHE_BASE);
    t.is(m.getReg(v0), 2n);
  }
});

test('a long loop counts the same in both engines', (t) => {
  const body = (a: Assembler): void => {
    a.li(a0, 1000);
    const l = a.newLabel();
    a.bind(l);
    a.dsll(v0, a0, 3);
    a.daddu(v1, v1, v0);
    a.bgtz(a0, l);
    a.addiu(a0, a0, -1);
  };
  const [i, c, tiered, region] = ENGINES.map((e) => runProgram(e, body));
  t.deepEqual(snapshot(i), snapshot(c));
  t.deepEqual(snapshot(i), snapshot(tiered));
  t.deepEqual(snapshot(i), snapshot(region));
  t.is(region.getReg(v1), c.getReg(v1));
  t.is(c.getReg(v1), 8n * (1000n * 1001n) / 2n);
  t.is(c.counters.insns, 1 + 4 * 1001 + 2);
});

test('hotCode: its blocks compile at their first execution, others after compileThreshold; counts as the interpreter\'s', (t) => {
  const body = (a: Assembler): void => {
    a.li(v0, 7);
    a.j(CODE_CACHE_BASE + 16); // to the second block: outside the hot range
    a.daddiu(v0, v0, 1);
    a.nop();
    a.daddiu(v0, v0, 2);
    a.jr(ra);
    a.nop();
  };
  const ref = load(ENGINES[0], body);
  ref.run(CODE_CACHE_BASE);
  const m = load({ engine: 'compiled', compileThreshold: 1000 }, body);
  m.hotCode(CODE_CACHE_BASE, CODE_CACHE_BASE + 16);
  m.run(CODE_CACHE_BASE);
  // which blocks hold a function is the engine's internal state: read it to see the policy act
  const fn = (pc: number): unknown => (m as unknown as { blocks: Map<number, { fn?: unknown }> }).blocks.get(pc)?.fn;
  t.not(fn(CODE_CACHE_BASE), undefined);
  t.is(fn(CODE_CACHE_BASE + 16), undefined);
  t.is(m.getReg(v0), 10n);
  t.deepEqual(snapshot(m), snapshot(ref));
});

test('a block runs once without being kept, then is kept and compiles after compileThreshold runs in all; rewritten code runs as written', (t) => {
  const code = (value: number) => (a: Assembler): void => {
    a.li(v0, value);
    a.addiu(v0, v0, 1);
    a.jr(ra);
    a.nop();
  };
  const m = load({ engine: 'compiled', compileThreshold: 2 }, code(7));
  // which blocks the engine keeps and compiles is its internal state: read it to see the policy act
  const kept = (): { fn?: unknown } | undefined => (m as unknown as { blocks: Map<number, { fn?: unknown }> }).blocks.get(CODE_CACHE_BASE);
  m.run(CODE_CACHE_BASE);
  t.is(m.getReg(v0), 8n);
  t.is(kept(), undefined);
  // the block of the first run must not be reused over new code (no cache may hold it)
  const a = new Assembler(CODE_CACHE_BASE);
  code(20)(a);
  a.finish();
  m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
  m.run(CODE_CACHE_BASE);
  t.is(m.getReg(v0), 21n);
  t.not(kept(), undefined);
  t.is(kept()!.fn, undefined);
  m.run(CODE_CACHE_BASE); // the third run in all: over compileThreshold
  t.not(kept()!.fn, undefined);
  t.is(m.getReg(v0), 21n);
  t.is(m.counters.insns, 3 * 4);
});

// A kept block's memory, times every block a large program keeps (python3 -c 'print(1)': 58,000):
// one plain array of its slots' data, no typed array (each an ArrayBuffer object and a malloc'd store).
test('a kept block keeps its slots in one plain array and no typed array', (t) => {
  const m = load({ engine: 'compiled', compileThreshold: 8 }, (a) => {
    a.li(v0, 7);
    a.addiu(v0, v0, 1);
    a.jr(ra);
    a.nop();
  });
  for (let i = 0; i < 3; i++) m.run(CODE_CACHE_BASE);
  t.is(m.counters.insns, 3 * 4);
  const b = (m as unknown as { blocks: Map<number, object> }).blocks.get(CODE_CACHE_BASE)!;
  const values = Object.values(b);
  t.is(values.filter((v) => ArrayBuffer.isView(v)).length, 0);
  const arrays = values.filter((v) => Array.isArray(v)) as unknown[][];
  t.is(arrays.length, 1);
  t.true(arrays[0].every((v) => typeof v === 'number' || (typeof v === 'object' && !Array.isArray(v))), 'decoded forms, then numbers');
});

test('a straight line of 200 instructions (blocks end at MAX_BLOCK_INSNS) counts as the interpreter\'s in every engine, run after run', (t) => {
  const body = (a: Assembler): void => {
    for (let i = 0; i < 200; i++) a.addiu(v0, v0, 1);
    a.jr(ra);
    a.nop();
  };
  const runs = (mode: Mode): object[] => {
    const m = load(mode, body);
    return [1, 2, 3, 4].map(() => {
      m.run(CODE_CACHE_BASE);
      return { v0: m.getReg(v0), ...snapshot(m) };
    });
  };
  const ref = runs(ENGINES[0]);
  t.is((ref[3] as { v0: bigint }).v0, 800n);
  for (const mode of ENGINES.slice(1)) t.deepEqual(runs(mode), ref);
});

test('register accessors', (t) => {
  const m = new MipsMachine();
  m.setReg(v0, -1n);
  t.is(m.getReg32(v0), -1);
  m.setReg32(v1, 0x80000000);
  t.is(m.getReg(v1), -0x80000000n);
  m.setReg(t0, 2n ** 53n);
  t.throws(() => m.getRegNumber(t0), { instanceOf: RangeError });
  m.setReg(0, 5n);
  t.is(m.getReg(0), 0n);
  for (const v of [(1n << 63n) - 1n, -(1n << 63n), -(2n ** 53n) + 1n, 2n ** 53n - 1n, 0x1_0000_0000n, -0x1_0000_0001n]) {
    m.setReg(t0, v);
    t.is(m.getReg(t0), v);
  }
  t.is(m.getRegNumber(t0), -0x1_0000_0001);
  t.throws(() => m.writeCode(CODE_CACHE_BASE + 2, [0], [0]), { instanceOf: RangeError });
  t.throws(() => m.writeCode(CODE_CACHE_BASE, [0], [9]), { instanceOf: RangeError });
});

test('addresses carry and borrow across a 4 GiB boundary (base + displacement)', (t) => {
  const below = GUEST_BASE - 0x1000;
  // the pages a lost borrow / carry would name, in the TLB (read and write) with other contents
  const noBorrow = 2 * GUEST_BASE - 0x1000, noCarry = 0;
  const m = runBoth((a) => {
    for (const page of [noBorrow, noCarry]) {
      a.li(t0, page);
      a.sd(t0, 0xff8, t0);
      a.ld(t0, 0xff8, t0);
      a.sd(t0, 0, t0);
      a.ld(t0, 0, t0);
    }
    a.li(a0, GUEST_BASE);
    a.li(a1, 0x11223344);
    a.sw(a1, -4, a0); // 0xfffffffc: borrow into the high word
    a.li(t0, GUEST_BASE - 4);
    a.lw(v0, -4, a0);
    a.sd(a1, 4, t0); // GUEST_BASE: carry out of the low word
    a.ld(v1, 4, t0);
  }, (mm) => {
    mm.mem.map(below, 0x1000, PROT_READ | PROT_WRITE);
    mm.mem.map(GUEST_BASE, 0x1000, PROT_READ | PROT_WRITE);
    mm.mem.map(noBorrow, 0x1000, PROT_READ | PROT_WRITE);
    mm.mem.map(noCarry, 0x1000, PROT_READ | PROT_WRITE);
  });
  t.is(m.mem.read32(noBorrow + 0xffc), 1); // the high word of noBorrow, stored by the sd above
  t.is(m.mem.read32(noCarry), 0);
  t.is(m.getReg(v0), 0x11223344n);
  t.is(m.getReg(v1), 0x11223344n);
  t.is(m.mem.read32(GUEST_BASE - 4), 0x11223344);
  t.is(m.mem.read32(GUEST_BASE), 0x11223344);
});

test('an x86-64 guest window: pages above 2^47 (page numbers beyond int32) load and store in every engine', (t) => {
  // Linux's stack top and PIE base for an x86-64 process, and the window's last page
  const pages = [GUEST64_BASE + 0x7fff_fffd_e000, GUEST64_BASE + 0x5555_5555_4000, GUEST64_BASE + GUEST64_SIZE - 0x1000];
  const m = runBoth((a) => {
    pages.forEach((page, i) => {
      a.li(t0, page);
      a.li(a1, 0x1000 + i);
      a.sd(a1, 0xff8, t0);
      a.sw(a1, 0, t0);
    });
    a.li(t0, pages[0]);
    a.ld(v0, 0xff8, t0);
    a.li(t0, pages[2]);
    a.lw(v1, 0, t0);
  }, (mm) => {
    for (const page of pages) mm.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
  });
  t.is(m.getReg(v0), 0x1000n);
  t.is(m.getReg(v1), 0x1002n);
  pages.forEach((page, i) => {
    t.is(m.mem.read32(page), 0x1000 + i);
    t.is(m.mem.read32(page + 0xff8), 0x1000 + i);
    // the page 2^32 below (the same low word) was never touched
    t.false(m.mem.isMapped(page - 2 ** 32));
  });
  // beyond the window: unmapped, a fault with the exact address
  for (const mode of ENGINES) {
    const mm = load(mode, (a) => {
      a.li(t0, GUEST64_BASE + GUEST64_SIZE);
      a.lw(v0, 0, t0);
    });
    const err = t.throws(() => mm.run(CODE_CACHE_BASE), { instanceOf: MachineFault });
    t.is(err.memoryFault?.addr, GUEST64_BASE + GUEST64_SIZE);
  }
});

test('patching a j (chain slot) redirects the next run in every mode', (t) => {
  for (const mode of ENGINES) {
    const m = newMachine(mode);
    const a = new Assembler(CODE_CACHE_BASE);
    const x = CODE_CACHE_BASE + 4 * 8, y = CODE_CACHE_BASE + 4 * 12;
    a.addiu(t0, t0, 1); // 0
    a.j(x); // 1: the chain slot
    a.nop(); // 2
    while (a.offset < 8) a.break();
    a.li(v0, 1); // 8: x
    a.jr(ra);
    a.nop();
    a.break();
    a.li(v0, 2); // 12: y
    a.jr(ra);
    a.nop();
    m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
    for (let i = 0; i < 20; i++) m.run(CODE_CACHE_BASE); // warm: compiled, successor cached
    t.is(m.getReg(v0), 1n);
    m.writeCode(CODE_CACHE_BASE + 4, [encodeJ('j', CODE_CACHE_BASE + 4, y)], [REGION.chain]);
    m.run(CODE_CACHE_BASE);
    t.is(m.getReg(v0), 2n);
    t.is(m.getReg(t0), 21n);
    t.is(m.counters.byRegion[REGION.chain], 1);
  }
});

/**
 * A loop over several blocks (a conditional skip, a jr through a register, a helper call, TB
 * starts) with interrupts due at TB starts, until a load walks off its page in a member that
 * is not the head: every mode (regions included) agrees on the interrupt points, the fault
 * and all counts. Then a writeCode into the loop must drop the region holding it.
 */
test('regions: exits, interrupts at TB starts, faults in a member, invalidation', (t) => {
  const page = GUEST_BASE + 0x10000;
  const results = ENGINES.map((mode) => {
    const m = newMachine(mode);
    const helper = m.registerHelper('twice', (mm) => mm.setReg32(v0, 2 * mm.getReg32(a0)));
    const a = new Assembler(CODE_CACHE_BASE);
    const loop = a.newLabel(), skip = a.newLabel();
    a.li(a1, page);
    a.beq(0, 0, loop);
    a.nop();
    const midPc = a.pc;
    a.lw(REG.s1, 0, a1);
    a.daddiu(a1, a1, 8);
    a.andi(t0, v1, 15);
    a.bne(t0, 0, loop);
    a.nop();
    a.li(t0, helper);
    a.jalr(REG.s2, t0);
    a.move(a0, v1);
    a.beq(0, 0, loop);
    a.addu(REG.s3, REG.s3, v0);
    a.bind(loop);
    const loopPc = a.pc;
    a.addiu(v1, v1, 1);
    a.andi(t0, v1, 3);
    a.beq(t0, 0, skip);
    a.nop();
    a.addiu(REG.s0, REG.s0, 5);
    a.bind(skip);
    a.li(t9, midPc);
    a.jr(t9);
    a.nop();
    a.finish();
    const tags = a.regions.slice();
    tags[(loopPc - CODE_CACHE_BASE) / 4] |= TAG_TB_START | (1 << TAG_INSN_SHIFT);
    tags[(midPc - CODE_CACHE_BASE) / 4] |= TAG_TB_START | (2 << TAG_INSN_SHIFT);
    m.writeCode(CODE_CACHE_BASE, a.words, tags);
    m.mem.map(page, 0x1000, PROT_READ | PROT_WRITE);
    const interrupts: number[][] = [];
    m.interruptAt = 500;
    m.onInterrupt = (pc) => {
      interrupts.push([pc - CODE_CACHE_BASE, m.counters.insns]);
      m.interruptAt = m.counters.insns + 333;
    };
    const err = t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault }) as MachineFault;
    t.is(err.kind, 'memory');
    t.is(err.hostPc, midPc);
    t.true(interrupts.length > 10);
    const first = m.getReg(v1);
    // `addiu v1, v1, 1` becomes `addiu v1, v1, 2`: the next run must execute the new word
    const patch = new Assembler(loopPc);
    patch.addiu(v1, v1, 2);
    m.writeCode(loopPc, patch.words, [tags[(loopPc - CODE_CACHE_BASE) / 4]]);
    m.interruptAt = Infinity;
    m.setReg(v1, 0n);
    m.setReg(a1, BigInt(page));
    t.throws(() => m.run(CODE_CACHE_BASE), { instanceOf: MachineFault });
    return { interrupts, first, v1: m.getReg(v1), s0: m.getReg(REG.s0), s3: m.getReg(REG.s3), counts: snapshot(m) };
  });
  for (const r of results) t.deepEqual(r, results[0]);
  // 512 loads of 8 bytes fit in the page: the 513th iteration faults
  t.is(results[0].first, 513n);
  t.is(results[0].v1, 2n * 513n);
});

test('a store through a TLB entry cached before a fork copies the page: the child keeps the bytes of the fork, in every engine', (t) => {
  const buf = GUEST_BASE + 0x1000;
  for (const mode of ENGINES) {
    const m = load(mode, (a) => {
      a.sw(a1, 0, a0);
      a.sb(a1, 5, a0);
      a.jr(ra);
      a.nop();
    });
    m.mem.map(buf, 0x1000, PROT_READ | PROT_WRITE);
    m.setRegNumber(a0, buf);
    m.setReg(a1, 0x01020304n);
    m.run(CODE_CACHE_BASE);
    const child = new MipsMachine();
    m.mem.copyPagesTo(child.mem, buf, buf + 0x1000);
    m.setReg(a1, 0x0a0b0c0dn);
    m.run(CODE_CACHE_BASE);
    t.is(m.mem.read32(buf), 0x0a0b0c0d, mode.engine);
    t.is(m.mem.read8(buf + 5), 0x0d);
    t.is(child.mem.read32(buf), 0x01020304);
    t.is(child.mem.read8(buf + 5), 0x04);
  }
});

test("inheritCode shares the code cache's words and tags copy-on-write: a writeCode on either side after it leaves the other's unchanged", (t) => {
  const parent = load(ENGINES[1], (a) => {
    a.li(v0, 7);
    a.jr(ra);
    a.nop();
  });
  const child = new MipsMachine();
  child.inheritCode(parent, CODE_CACHE_BASE, CODE_CACHE_END);
  const words = [0, 1, 2].map((i) => parent.wordAt(CODE_CACHE_BASE + 4 * i));
  t.deepEqual([0, 1, 2].map((i) => child.wordAt(CODE_CACHE_BASE + 4 * i)), words);
  t.is(child.tagAt(CODE_CACHE_BASE), parent.tagAt(CODE_CACHE_BASE));
  child.run(CODE_CACHE_BASE);
  t.is(child.getReg(v0), 7n);
  const a = new Assembler(CODE_CACHE_BASE);
  a.li(v0, 9);
  a.finish();
  parent.writeCode(CODE_CACHE_BASE, a.words, a.words.map(() => REGION.exit_stub));
  t.is(parent.tagAt(CODE_CACHE_BASE), REGION.exit_stub);
  t.not(child.tagAt(CODE_CACHE_BASE), REGION.exit_stub);
  t.is(child.wordAt(CODE_CACHE_BASE), words[0]);
  child.run(CODE_CACHE_BASE);
  t.is(child.getReg(v0), 7n);
  parent.run(CODE_CACHE_BASE);
  t.is(parent.getReg(v0), 9n);
});
