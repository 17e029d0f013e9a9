/**
 * MipsMachine: the simulated MIPS64r2 little-endian host. 32 GPRs + HI/LO held as two
 * Int32Arrays (low and high halves), a sparse HostMemory, a code cache written through
 * writeCode (each word tagged with a REGION), helpers in the helper range, exact Counters.
 *
 *   const m = new MipsMachine();
 *   m.writeCode(CODE_CACHE_BASE, asm.words, asm.regions);
 *   const h = m.registerHelper('add', (mm) => mm.setReg32(REG.v0, mm.getReg32(REG.a0) + 1));
 *   m.run(CODE_CACHE_BASE);                     // returns when code jumps to RUN_RETURN_ADDR
 *
 * Two engines execute the same semantics: 'compiled' (default: blocks of straight-line code,
 * decoded once and cached per start address, become JS functions once warm) and
 * 'interpreter' (one instruction at a time). Counts are identical whichever runs.
 */
import { ALU64, HI, LO } from './alu64';
import { Block, codeIndex, compileBlockFn, FALL_THROUGH, FAR_JUMP, formBlock, indexPc, interpretBlock } from './block-compiler';
import { compileRegionFn, regionMembers } from './region-compiler';
import { Counters, KIND, REGION_NAMES } from './counters';
import { disassemble } from './disas';
import { HostAccess } from './host-access';
import { interpret } from './interpreter';
import {
  CODE_CACHE_BASE, CODE_CACHE_END, ENV_BASE, ENV_SIZE, HELPER_BASE, HOST_STACK_BASE, HOST_STACK_SIZE,
  PAGE_SIZE, RUN_RETURN_ADDR, TAG_REGION_MASK,
} from './layout';
import { MachineFault, MachineTrap, type MachineFaultKind } from './machine-fault';
import { HostMemory, MemoryFault, Page, PROT_EXEC, PROT_READ, PROT_WRITE } from './memory';
import { REG } from './registers';

export type HelperFn = (m: MipsMachine) => void;
export type Engine = 'compiled' | 'interpreter';

const TWO32 = 4294967296;
const TWO_NEG32 = 1 / TWO32;
// run()'s $ra as halves, once (it is set at every code-cache entry)
const RA = REG.ra;
const RUN_RETURN_HI = Math.floor(RUN_RETURN_ADDR / TWO32);
const RUN_RETURN_LO = RUN_RETURN_ADDR - RUN_RETURN_HI * TWO32;
// a local, not the layout module's property (read at every entry)
const RUN_RETURN_PC = RUN_RETURN_ADDR;
const JMP_CACHE_SIZE = 4096;

export class MipsMachine {
  readonly mem: HostMemory;
  readonly counters = new Counters();
  /** Which engine run() uses. */
  engine: Engine = 'compiled';
  /**
   * Compiled engine: executions of a block (interpreting its decoded slots) before it is compiled.
   * 8192: a block compiled after a few hundred runs mostly ran on in V8's own interpreter (its
   * function rarely ran often enough for V8 to optimize it) at no better speed than ours, after
   * paying new Function, its code and its garbage. Start-up-heavy programs run many blocks a few
   * thousand times: python3 -S -c 'print(6*7)' (169,000 blocks) took 24 s process CPU at 256 and
   * 11-14 s at 8192 (sort of 20,000 lines and the compute workloads: the same or less).
   */
  compileThreshold = 8192;
  /**
   * Compiled engine: executions of a compiled block (after the one compiling it) after which it heads a region
   * (region-compiler.ts) of the compiled blocks it reaches; Infinity turns regions off. High, as a
   * ski rental: V8 spends tens of ms of CPU (TurboFan, on its background threads) on a region, about
   * what 100,000 executions of a block cost, so only a loop that already ran that long pays it.
   * (At 64, cold `dbtlab run` of sha256 and primes spent 20-30% more CPU, mostly compiling regions.)
   */
  regionThreshold = 100_000;
  /**
   * Compiled engine: [hotStart, hotEnd) holds code that runs at every code-cache entry (the
   * prologue and epilogue all TBs share, see hotCode): its blocks compile at their first
   * execution, not after compileThreshold interpreted ones.
   */
  private hotStart = 0;
  private hotEnd = 0;
  /**
   * Compiled engine: at most this many blocks in a region (up to MAX_REGION_BLOCKS). 1: only a
   * block that branches back to itself (a tight loop, as the benchmark's) becomes one. Larger
   * regions cost more than they save on real programs: TurboFan compiles a region of many blocks
   * again and again (their paths that had not run yet deoptimize it when they do), and the
   * region function runs unoptimized meanwhile. Debian sort of 100,000 lines in-process, CPU:
   * 18.3 s at 32 blocks, 11.5 s with no regions; sort of 20,000 lines: 9.0-9.9 s at 32,
   * 6.0-6.3 s at 4, 5.3 s at 1 and 5.1-5.4 s with none.
   */
  regionBlocks = 1;
  /** Set by a region function when it returns: the member whose successor is outside. @internal */
  regionExit = 0;
  /** Set by a block or region function returning FAR_JUMP: the address it jumps to. @internal */
  jumpTarget = RUN_RETURN_ADDR;
  /** Host pc of the instruction being executed when run() stopped or faulted. */
  pc = 0;
  /** Host pc of the last instruction that faulted, or of the jalr whose helper threw. */
  faultPc = 0;
  /**
   * QEMU's exit_request, checked where a TB starts: once counters.insns reaches this count,
   * onInterrupt(pc) is called before the next word tagged TAG_TB_START runs (it may throw to
   * unwind, or return to go on). The check itself executes no host instruction.
   */
  interruptAt = Infinity;
  onInterrupt: ((hostPc: number) => void) | undefined;

  /** Register halves (index 32 = LO, 33 = HI); the engines work on them directly. */
  readonly gprLo = new Int32Array(34);
  readonly gprHi = new Int32Array(34);
  /** Loads and stores with the TLB. */
  readonly access: HostAccess;

  private readonly helpers: { name: string; fn: HelperFn }[] = [];
  /**
   * Per code page: per word (Page.i32), 1 + its tag (REGION | marks, see layout.ts), or 0 when
   * never written; Pages for their copy-on-write between forked engines (inheritCode).
   */
  private readonly codeTags = new Map<number, Page>();
  private readonly blocks = new Map<number, Block>();
  private readonly blocksByPage = new Map<number, Set<Block>>();
  /**
   * Code indices where a block ran once without being kept (blockAt): most blocks run once and
   * never again (busybox `sh -c 'echo hi'`: 5,012 of 6,856), so a block is kept from its second run on.
   */
  private readonly ranOnce = new Set<number>();
  /** Direct-mapped cache of blocks by start address (entries checked for start and validity). */
  private readonly jmpCache = new Array<Block | undefined>(JMP_CACHE_SIZE).fill(undefined);
  private curBlock: Block | undefined;

  constructor(mem?: HostMemory) {
    this.mem = mem ?? new HostMemory();
    // Code pages are mapped as writeCode fills them (the whole cache would be 64 MiB of pages).
    this.mem.map(ENV_BASE, ENV_SIZE, PROT_READ | PROT_WRITE);
    this.mem.map(HOST_STACK_BASE, HOST_STACK_SIZE, PROT_READ | PROT_WRITE);
    this.access = new HostAccess(this.mem, this.gprLo, this.gprHi);
  }

  // ---- registers ----

  getReg(r: number): bigint {
    return (BigInt(this.gprHi[r]) << 32n) | BigInt(this.gprLo[r] >>> 0);
  }
  setReg(r: number, v: bigint): void {
    if (r === 0) return;
    const n = Number(v);
    if (Number.isSafeInteger(n)) this.setExact(r, n); // the common case, without BigInt arithmetic
    else {
      this.gprLo[r] = Number(BigInt.asIntN(32, v));
      this.gprHi[r] = Number(BigInt.asIntN(32, v >> 32n));
    }
  }
  /** r = n, an exact integer (|n| < 2^53): host addresses, without BigInt. */
  setRegNumber(r: number, n: number): void {
    if (r !== 0) this.setExact(r, n);
  }
  /** r = n, an exact integer (|n| < 2^53). */
  private setExact(r: number, n: number): void {
    // n | 0 and n >>> 0 are n's low 32 bits; what is left is an exact multiple of 2^32 (no
    // division: cpuTbExec sets a0 to a host address at every code-cache entry)
    this.gprLo[r] = n | 0;
    this.gprHi[r] = (n - (n >>> 0)) * TWO_NEG32;
  }
  getReg32(r: number): number {
    return this.gprLo[r];
  }
  /** Writes v's low 32 bits sign-extended, like a 32-bit operation's result. */
  setReg32(r: number, v: number): void {
    if (r === 0) return;
    this.gprLo[r] = v;
    this.gprHi[r] = this.gprLo[r] >> 31;
  }
  /** The register as an exact JS number (host addresses); throws if |value| >= 2^53. */
  getRegNumber(r: number): number {
    const v = this.gprHi[r] * TWO32 + (this.gprLo[r] >>> 0);
    if (!Number.isSafeInteger(v)) throw new RangeError(`register ${r} = ${this.getReg(r)} is not a safe JS integer`);
    return v;
  }
  get hi(): bigint {
    return this.getReg(HI);
  }
  set hi(v: bigint) {
    this.gprLo[HI] = Number(BigInt.asIntN(32, v));
    this.gprHi[HI] = Number(BigInt.asIntN(32, v >> 32n));
  }
  get lo(): bigint {
    return this.getReg(LO);
  }
  set lo(v: bigint) {
    this.gprLo[LO] = Number(BigInt.asIntN(32, v));
    this.gprHi[LO] = Number(BigInt.asIntN(32, v >> 32n));
  }

  // ---- code cache ----

  /**
   * Places words in the code cache with their tags (a REGION in the low bits, plus the
   * TAG_TB_START / guest-instruction marks of layout.ts) and drops every compiled block that
   * overlaps them (TB placement, and patching one chain slot).
   */
  writeCode(addr: number, words: ArrayLike<number>, regions: ArrayLike<number>): void {
    const n = words.length;
    if (regions.length !== n) throw new RangeError(`writeCode: ${n} words but ${regions.length} region tags`);
    if (addr % 4 !== 0 || addr < CODE_CACHE_BASE || addr + 4 * n > CODE_CACHE_END)
      throw new RangeError(`writeCode: [0x${addr.toString(16)}, +${4 * n}) is not word-aligned inside the code cache`);
    if (n === 0) return;
    for (let i = 0; i < n; i++) {
      const tag = regions[i];
      if (!Number.isInteger(tag) || tag < 0 || tag >= 2 ** 30 || (tag & TAG_REGION_MASK) >= REGION_NAMES.length)
        throw new RangeError(`writeCode: bad region tag ${tag}`);
    }
    const end = addr + 4 * n;
    // a chain patch, or a TB on pages earlier TBs mapped: the mapping is already what it would become
    if (!this.isCode(addr, end)) this.mem.map(addr, 4 * n, PROT_READ | PROT_EXEC);
    for (let a = addr, i = 0; a < end;) {
      const p = Math.floor(a / PAGE_SIZE);
      const page = this.mem.page(a)!;
      page.own();
      let tagPage = this.codeTags.get(p);
      if (!tagPage) this.codeTags.set(p, (tagPage = new Page(PROT_READ)));
      tagPage.own();
      const tags = tagPage.i32;
      for (const stop = Math.min(end, (p + 1) * PAGE_SIZE); a < stop; a += 4, i++) {
        const off = a % PAGE_SIZE;
        page.view.setUint32(off, words[i] >>> 0, true);
        tags[off / 4] = regions[i] + 1;
      }
    }
    this.invalidate(addr, addr + 4 * n);
  }

  /**
   * Drops the compiled blocks of dead code: [start, end) of the code cache will not run again
   * (an invalidated TB; its words stay until the cache is flushed and rewritten, as in QEMU).
   * Blocks are a cache, so counts do not change; without this, code translated again and again
   * (mmap, run, munmap in a loop) kept a block object per dead TB until the next flush.
   */
  forgetCode(start: number, end: number): void {
    this.invalidate(start, end);
  }

  /** Whether every page of [start, end) is mapped read+exec (as writeCode maps code). */
  private isCode(start: number, end: number): boolean {
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor((end - 1) / PAGE_SIZE); p++)
      if (this.mem.protAt(p * PAGE_SIZE) !== (PROT_READ | PROT_EXEC)) return false;
    return true;
  }

  private invalidate(start: number, end: number): void {
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor((end - 1) / PAGE_SIZE); p++) {
      const set = this.blocksByPage.get(p);
      if (!set) continue;
      for (const b of set) if (b.start < end && b.end > start) this.dropBlock(b);
    }
  }

  private dropBlock(b: Block): void {
    b.valid = false;
    // a region holding b is stale: its head runs block by block until it forms one again
    if (b.heads !== undefined) for (const h of b.heads) if (h.members?.includes(b)) this.dropRegion(h);
    if (b.members !== undefined) this.dropRegion(b);
    b.heads = undefined;
    if (this.blocks.get(b.start) === b) this.blocks.delete(b.start);
    for (let p = Math.floor(b.start / PAGE_SIZE); p <= Math.floor((b.end - 1) / PAGE_SIZE); p++) this.blocksByPage.get(p)?.delete(b);
  }

  /** Tag of the code word at pc (REGION | marks), or -1 if pc holds no written code. @internal */
  tagAt(pc: number): number {
    if (pc < CODE_CACHE_BASE || pc >= CODE_CACHE_END || pc % 4 !== 0) return -1;
    const tags = this.codeTags.get(Math.floor(pc / PAGE_SIZE));
    return tags ? tags.i32[(pc % PAGE_SIZE) / 4] - 1 : -1;
  }
  /** Code tags of page p (tag + 1 per word, 0 where unwritten), undefined if none was written. @internal */
  codeTagPage(p: number): Int32Array | undefined {
    return this.codeTags.get(p)?.i32;
  }

  /**
   * A forked engine's code cache: [start, end) of `from`'s, its words and their tags shared
   * copy-on-write (either side's next writeCode on a page copies it), as fork keeps the parent's
   * code cache. Compiled blocks of the range are dropped (each machine compiles its own).
   */
  inheritCode(from: MipsMachine, start: number, end: number): void {
    from.mem.copyPagesTo(this.mem, start, end);
    for (const [p, tags] of from.codeTags) {
      if (p < Math.floor(start / PAGE_SIZE) || p > Math.floor((end - 1) / PAGE_SIZE)) continue;
      this.codeTags.get(p)?.release();
      this.codeTags.set(p, tags.share());
    }
    this.invalidate(start, end);
  }
  /** The code word at pc (tagAt(pc) >= 0). @internal */
  wordAt(pc: number): number {
    return this.mem.page(pc)!.view.getUint32(pc % PAGE_SIZE, true);
  }

  /**
   * Marks [start, end) as code that runs at every code-cache entry: compiling its few blocks at
   * once costs less than interpreting them compileThreshold times each (x86tomips-style's loop
   * returns to the exec loop after every TB: its 4 warm-up blocks, two of them the shared ones,
   * were interpreted 33,000 times, a third of its CPU time in-process). One range; counts do not depend on it.
   */
  hotCode(start: number, end: number): void {
    this.hotStart = start;
    this.hotEnd = end;
  }

  // ---- helpers ----

  /** Registers a helper; a jalr/jal to the returned address calls fn (a0..a7 in, v0 out). */
  registerHelper(name: string, fn: HelperFn): number {
    this.helpers.push({ name, fn });
    return HELPER_BASE + 8 * this.helpers.length;
  }
  /** The name a helper was registered under, by its address (for traces and listings). */
  helperName(addr: number): string | undefined {
    return this.helperAt(addr)?.name;
  }
  private helperAt(addr: number): { name: string; fn: HelperFn } | undefined {
    const i = (addr - HELPER_BASE) / 8 - 1;
    return Number.isInteger(i) && i >= 0 ? this.helpers[i] : undefined;
  }

  // ---- execution ----

  /** Sets $ra = RUN_RETURN_ADDR, pc = entry; executes until control reaches RUN_RETURN_ADDR. */
  run(entry: number): void {
    this.gprLo[RA] = RUN_RETURN_LO;
    this.gprHi[RA] = RUN_RETURN_HI;
    this.pc = entry;
    if (this.engine === 'interpreter') interpret(this, entry);
    else this.runCompiled(entry);
    this.pc = RUN_RETURN_PC;
  }

  private runCompiled(entry: number): void {
    // locals, not imported bindings (each of those is a module-object property load)
    const L = this.gprLo, H = this.gprHi, A = this.access, C = this.counters, X = ALU64;
    const K = C.byKind, R = C.byRegion, FALL = FALL_THROUGH, FAR = FAR_JUMP, regionAt = this.regionThreshold, RET = RUN_RETURN_PC;
    // (no one-block cache of the entry block here: 5b81ee3's cost qemu-style calls about 4% of its
    // host-process instructions per run under cachegrind, far more than the lookup it saved)
    let b = this.blockAt(entry);
    for (;;) {
      // (most blocks do not start a TB: x86tomips-style runs 3 others per TB)
      if (b.tbStart && C.insns >= this.interruptAt) this.onInterrupt?.(b.start);
      this.curBlock = b;
      // where control goes: FALL_THROUGH, a code index, or FAR_JUMP (BlockFn)
      let t: number;
      if (b.region !== undefined) {
        t = b.region(this, L, H, A, X, C, K, R);
        b = b.members![this.regionExit];
      } else if (b.fn !== undefined) {
        t = b.fn(this, L, H, A, X, C, K, R);
        if (++b.runs === regionAt) this.formRegion(b);
      } else if (++b.runs > this.compileThreshold || (b.start < this.hotEnd && b.start >= this.hotStart)) {
        b.runs = 0; // from now on: compiled executions, towards regionThreshold
        t = (b.fn = compileBlockFn(b))(this, L, H, A, X, C, K, R);
      }
      else t = interpretBlock(this, b, L, H, A, C);
      if (t === FAR) {
        // RUN_RETURN_ADDR, or a helper (then on at the link address: the block's end), or a bad jump
        const target = this.jumpTarget;
        if (target === RET) return;
        let fn = target === b.helperAddr ? b.helper : undefined; // the helper this block called last
        if (fn === undefined) {
          fn = b.linking ? this.helperFn(target) : undefined;
          if (fn === undefined) throw this.badJump(target, b.branchPc, b.branchWord);
          b.helperAddr = target;
          b.helper = fn;
        }
        this.callHelper(fn, b.branchPc);
        t = FALL;
      }
      // Successor cache: a hit skips the lookups and the jump-target checks.
      const cached = b.next;
      const next = t === FALL ? b.endIdx : t;
      // (a jump may only land on written code: a fall-through successor may be an unwritten stop)
      // (nextIdx and next are set together: a matching nextIdx has its block)
      if (b.nextIdx === next && cached!.valid && (t === FALL || cached!.written)) {
        b = cached!;
        continue;
      }
      let nb: Block | undefined;
      if (t === FALL) nb = this.blockAt(b.end);
      else {
        // A jump to a code-cache word: a cached block starting on written code there is a valid
        // target (the jump cache, as QEMU's tb_jmp_cache); else the word must be written code.
        const j = this.jmpCache[t & (JMP_CACHE_SIZE - 1)];
        if (j !== undefined && j.startIdx === t && j.valid && j.written) nb = j;
        else {
          const pc = indexPc(t);
          if (this.tagAt(pc) < 0) throw this.badJump(pc, b.branchPc, b.branchWord);
          nb = this.blockAt(pc);
        }
      }
      if (nb.valid) {
        b.nextIdx = next;
        b.next = nb;
      }
      b = nb;
    }
  }

  /** Compiles the region headed by b, if it has one (it runs from b's next execution on). */
  private formRegion(b: Block): void {
    const members = regionMembers(b, (pc) => this.blocks.get(pc), this.regionBlocks);
    if (members === undefined) return;
    b.region = compileRegionFn(members);
    b.members = members;
    for (const s of members) (s.heads ??= []).push(b);
  }

  private dropRegion(h: Block): void {
    h.region = undefined;
    h.members = undefined;
    h.runs = 0; // it counts to regionThreshold again
  }

  private blockAt(pc: number): Block {
    const slot = codeIndex(pc) & (JMP_CACHE_SIZE - 1);
    let b = this.jmpCache[slot];
    if (b !== undefined && b.start === pc && b.valid) return b;
    b = this.blocks.get(pc);
    if (b === undefined) {
      // A first run that would be interpreted anyway runs a block no cache keeps (invalid from
      // the start, over formBlock's scratch arrays): it dies young, where a kept one was copied
      // by the scavenger and then promoted, with its map and page-set entries, before its
      // process ended.
      const warming = this.compileThreshold > 0 && !(pc < this.hotEnd && pc >= this.hotStart);
      const first = warming && !this.ranOnce.has(codeIndex(pc));
      b = formBlock(this, pc, first);
      if (first) {
        this.ranOnce.add(b.startIdx);
        b.valid = false;
        return b;
      }
      if (warming) b.runs = 1; // compiled after as many runs as a block kept from its first
      this.blocks.set(pc, b);
      for (let p = Math.floor(b.start / PAGE_SIZE); p <= Math.floor((b.end - 1) / PAGE_SIZE); p++) {
        let set = this.blocksByPage.get(p);
        if (!set) this.blocksByPage.set(p, (set = new Set()));
        set.add(b);
      }
    }
    this.jmpCache[slot] = b;
    return b;
  }

  /**
   * Where control goes after a taken jump to target: the next pc, or -1 when the run ends.
   * A linking jump into the helper range calls the helper (counted as kind helper) and
   * continues at the link address. @internal
   */
  afterJump(target: number, jumpPc: number, word: number, linking: boolean): number {
    if (target === RUN_RETURN_ADDR) return -1;
    if (this.tagAt(target) >= 0) return target;
    const fn = linking ? this.helperFn(target) : undefined;
    if (fn === undefined) throw this.badJump(target, jumpPc, word);
    this.callHelper(fn, jumpPc);
    return jumpPc + 8;
  }

  private badJump(target: number, jumpPc: number, word: number): MachineFault {
    return this.fault('bad-jump', jumpPc, word, false, `jump to 0x${target.toString(16)}, which is neither code nor a helper`);
  }

  /** The function of the helper at addr, or undefined. @internal */
  helperFn(addr: number): HelperFn | undefined {
    return this.helperAt(addr)?.fn;
  }

  /**
   * Calls a helper from the linking jump at jumpPc (counted as kind helper); control goes on
   * at its link address, jumpPc + 8. @internal
   */
  callHelper(fn: HelperFn, jumpPc: number): void {
    const K = this.counters.byKind;
    K[KIND.branch]--;
    K[KIND.helper]++;
    this.counters.helperCalls++;
    this.pc = this.faultPc = jumpPc;
    fn(this); // may throw (cpu_loop_exit): propagates unchanged
  }

  /** A MachineFault at hostPc, with pc/faultPc set. @internal */
  fault(kind: MachineFaultKind, hostPc: number, word: number, inDelaySlot: boolean, what: string, memoryFault?: MemoryFault): MachineFault {
    this.pc = this.faultPc = hostPc;
    const wordPc = inDelaySlot ? hostPc + 4 : hostPc;
    const where = `at 0x${wordPc.toString(16)}${inDelaySlot ? ` (delay slot of 0x${hostPc.toString(16)})` : ''}`;
    const text = `${what} ${where}: ${(word >>> 0).toString(16).padStart(8, '0')}  ${disassemble(word, wordPc)}`;
    return new MachineFault(kind, hostPc, word >>> 0, text, inDelaySlot, memoryFault);
  }

  /** Turns what an instruction threw into a MachineFault; anything else passes unchanged. @internal */
  convertFault(e: unknown, hostPc: number, word: number, inDelaySlot: boolean): unknown {
    if (e instanceof MemoryFault) return this.fault('memory', hostPc, word, inDelaySlot, e.message, e);
    if (e instanceof MachineTrap) return this.fault(e.kind, hostPc, word, inDelaySlot, e.message);
    return e;
  }

  /** Called by a compiled block when slot k faulted: count slots before k, convert. @internal */
  blockFault(e: unknown, k: number): unknown {
    const b = this.curBlock!;
    b.countPrefix(this.counters, k);
    const inSlot = b.branchAt >= 0 && k === b.branchAt + 1;
    return this.convertFault(e, inSlot ? b.branchPc : b.start + 4 * k, b.wordAt(k), inSlot);
  }

  /** Called by a region function when slot k of member i faulted. @internal */
  regionFault(e: unknown, i: number, k: number): unknown {
    this.curBlock = this.curBlock!.members![i];
    return this.blockFault(e, k);
  }

  /** Raised by a block reaching the word that cannot run (only a block's last one can be). @internal */
  stopBlock(): never {
    const stop = this.curBlock!.stop!;
    throw new MachineTrap(stop.kind, stop.message);
  }
}
