/**
 * Compiled engine: a block is a straight-line run of code-cache words (up to and including a
 * branch and its delay slot, at most MAX_BLOCK_INSNS), decoded once. Its first executions
 * interpret the decoded slots (interpretBlock); once it has run `compileThreshold` times it
 * becomes one JavaScript function built from the rows' semantic bodies with the fields as
 * literals (compileBlockFn), since new Function costs about as much as tens of interpreted
 * runs. The function bumps the counters once, at its end, by the block's totals; when an
 * instruction faults, the catch handler adds the counts of the instructions before it, so
 * counts stay exact (and equal the interpreter's) on either path.
 *
 * Both paths return where control goes (see BlockFn), always a small integer: V8 returns it
 * as a Smi, where a host address (>= 2^32) was a HeapNumber allocated per taken jump.
 * Blocks are cached per start address by the machine and dropped by writeCode over them.
 */
import { ALU64, HI, LO } from './alu64';
import { Counters, KIND, KIND_NAMES, REGION_NAMES, countWord } from './counters';
import { branchTarget, jumpTarget } from './decode';
import { tlbLookupCode, type HostAccess } from './host-access';
import { CODE_CACHE_BASE, CODE_CACHE_END, CODE_CACHE_SIZE, PAGE_SIZE, TAG_INSN_SHIFT, TAG_REGION_MASK, TAG_TB_START } from './layout';
import { branch, execute, predecode, type Predecoded } from './interpreter';
import type { MachineFaultKind } from './machine-fault';
import type { MipsMachine } from './machine';
import type { MipsInsn, MipsInsnName } from './mips-insn-table';
import { SEMANTICS } from './semantics';

export const MAX_BLOCK_INSNS = 64;

/**
 * A block's (or region's) function: returns FALL_THROUGH (control goes on at the block's end),
 * a code-cache word index >= 0 (a jump to CODE_CACHE_BASE + 4 * index, aligned), or
 * FAR_JUMP (a jump anywhere else: a helper, RUN_RETURN_ADDR, a bad target) with the address in
 * m.jumpTarget.
 */
export type BlockFn = (
  m: MipsMachine, L: Int32Array, H: Int32Array, A: HostAccess, X: typeof ALU64,
  C: Counters, K: Float64Array, R: Float64Array,
) => number;
export const FALL_THROUGH = -1;
export const FAR_JUMP = -2;

/** The code-cache word index of pc (exact for any pc; an integer >= 0 only inside the cache). */
export const codeIndex = (pc: number): number => (pc - CODE_CACHE_BASE) / 4;
/** The pc of a code-cache word index. */
export const indexPc = (i: number): number => CODE_CACHE_BASE + 4 * i;

// The generated test for an in-cache target reads the halves of a register: the cache must lie
// in one 4 GiB-aligned window, at its start, a power of two in size.
const CODE_HI = CODE_CACHE_BASE / 2 ** 32;
if (!Number.isInteger(CODE_HI) || CODE_CACHE_SIZE > 2 ** 30 || (CODE_CACHE_SIZE & (CODE_CACHE_SIZE - 1)) !== 0)
  throw new Error('block-compiler: the code cache layout does not fit the jump-index test');
/** Bits of a register's low half that must be clear for an aligned in-cache address. */
const OUTSIDE_CACHE = ~(CODE_CACHE_SIZE - 4) | 0;

/** What a block returns for a taken jump to pc: its word index, or FAR_JUMP with m.jumpTarget = pc. */
export function jumpResult(m: MipsMachine, pc: number): number {
  if (pc % 4 === 0 && pc >= CODE_CACHE_BASE && pc < CODE_CACHE_END) return codeIndex(pc);
  m.jumpTarget = pc;
  return FAR_JUMP;
}

/** jumpResult as code: for a target known when compiling, and for a register's value. */
const staticJumpCode = (pc: number): string =>
  pc % 4 === 0 && pc >= CODE_CACHE_BASE && pc < CODE_CACHE_END ? String(codeIndex(pc)) : `(m.jumpTarget=${pc},${FAR_JUMP})`;
const registerJumpCode = (r: number): string =>
  `(H[${r}]===${CODE_HI}&&(L[${r}]&${OUTSIDE_CACHE})===0?L[${r}]>>2:(m.jumpTarget=H[${r}]*4294967296+(L[${r}]>>>0),${FAR_JUMP}))`;

/** A word that cannot run: the block stops there and raises this fault when it is reached. */
interface Stop {
  readonly kind: MachineFaultKind;
  readonly message: string;
}

interface Slot {
  readonly pc: number;
  readonly word: number;
  readonly insn: MipsInsn | undefined;
  readonly d: Predecoded | undefined;
  /** The word's code tag (REGION | marks), -1 if unwritten. */
  readonly tag: number;
  /** Always present (undefined when the word runs): one object shape for every slot. */
  readonly stop: Stop | undefined;
}

/** Where Block.summary adds up a block (a Counters each, two typed arrays, was ~130 MB of garbage in a 60-process busybox loop). */
const SUMMARY_SCRATCH = new Counters();

export class Block {
  valid = true;
  /** Successor cache for the dispatcher: the code index control went to last, and its block. */
  nextIdx = -1;
  next: Block | undefined = undefined;
  /** codeIndex of start and end. */
  readonly startIdx: number;
  readonly endIdx: number;
  /** Whether the first word is written code (a jump may land here) and whether it starts a TB. */
  readonly written: boolean;
  readonly tbStart: boolean;
  /** The compiled function, once the block is warm. */
  fn: BlockFn | undefined = undefined;
  /** Executions through the dispatcher: interpreted ones, then (reset) compiled ones. */
  runs = 0;
  /** A region headed by this block (region-compiler.ts): its function and members (0 = this). */
  region: BlockFn | undefined = undefined;
  members: readonly Block[] | undefined = undefined;
  /** Heads of the regions this block is a member of (dropped with it), once it is in one: few blocks ever are. */
  heads: Block[] | undefined = undefined;
  /** The helper this block's linking jump called last (its address, -1 if none), for the dispatcher. */
  helperAddr = -1;
  helper: ((m: MipsMachine) => void) | undefined = undefined;

  /** Number of slots (words). */
  readonly length: number;
  /**
   * All the block keeps of its slots, in one plain array (Block.data): an Int32Array of words
   * and tags, a decoded-forms array and a totals array per block were ~600 bytes of
   * python3 -c 'print(1)''s ~850 a block, mostly ArrayBuffer objects, malloc'd stores and
   * array headers around a few dozen bytes of data. ds[i] (i < length) is slot i's decoded form.
   */
  readonly ds: readonly (Predecoded | undefined)[];
  /** ds[codeAt + 2i] is word i (as int32), ds[codeAt + 2i + 1] its tag (-1: unwritten); the totals (countAll) follow. */
  private readonly codeAt: number;
  /** Why the last slot cannot run, if it cannot (a block ends at the first such word). */
  readonly stop: Stop | undefined;

  constructor(
    readonly start: number,
    /** Block.data: decoded forms, words and tags, and (-1: none) where the totals start. */
    data: readonly (Predecoded | number | undefined)[],
    codeAt: number,
    /** Number of slots: data's forms, or less over formBlock's scratch. */
    length: number,
    /** Index of the branch in slots, or -1. */
    readonly branchAt: number,
    stop: Stop | undefined,
  ) {
    this.startIdx = codeIndex(start);
    this.endIdx = this.startIdx + length;
    const tag0 = data[codeAt + 1] as number;
    this.written = tag0 >= 0;
    this.tbStart = (tag0 & TAG_TB_START) !== 0; // (an unwritten word, tag -1, too: the check is on the tag bit)
    this.length = length;
    this.ds = data as readonly (Predecoded | undefined)[];
    this.codeAt = codeAt;
    this.stop = stop;
  }

  /** Address after the last word (fall-through pc). */
  get end(): number {
    return this.start + 4 * this.length;
  }
  /** The block's data as formBlock laid it out (see ds). */
  private get data(): readonly (Predecoded | number | undefined)[] {
    return this.ds;
  }
  private tagAt(i: number): number {
    return this.data[this.codeAt + 2 * i + 1] as number;
  }

  /** Slot i as formBlock read it. */
  slot(i: number): Slot {
    const d = this.ds[i];
    return { pc: this.start + 4 * i, word: this.wordAt(i), insn: d?.insn, d, tag: this.tagAt(i), stop: i === this.length - 1 ? this.stop : undefined };
  }
  /** Every slot (for the compilers: a new array each time). */
  get slots(): Slot[] {
    return Array.from({ length: this.length }, (_, i) => this.slot(i));
  }
  wordAt(i: number): number {
    return (this.data[this.codeAt + 2 * i] as number) >>> 0;
  }

  get branchPc(): number {
    return this.start + 4 * this.branchAt;
  }
  get branchWord(): number {
    return this.wordAt(this.branchAt);
  }
  get linking(): boolean {
    return this.ds[this.branchAt]!.insn.link !== undefined;
  }

  /** Adds the counts of slots [0, k) (the instructions completed before slot k faulted). */
  countPrefix(C: Counters, k: number): void {
    for (let i = 0; i < k; i++) countWord(C, KIND[this.ds[i]!.insn.kind], this.tagAt(i));
  }

  /**
   * Adds the counts of every slot: countPrefix(C, length), from the totals formBlock summed
   * (kept blocks only): insns, tbStarts, guestInsns, the number of byKind pairs, then (kind,
   * count) and (region, count) pairs of the nonzero entries.
   */
  countAll(C: Counters): void {
    const t = this.data as readonly number[];
    const at = this.codeAt + 2 * this.length;
    C.insns += t[at];
    C.tbStarts += t[at + 1];
    C.guestInsns += t[at + 2];
    const regions = at + 4 + 2 * t[at + 3];
    for (let i = at + 4; i < regions; i += 2) C.byKind[t[i]] += t[i + 1];
    for (let i = regions; i < t.length; i += 2) C.byRegion[t[i]] += t[i + 1];
  }
}

/**
 * Sums the counts of the block whose data lies in data (decoded forms at [0, length), words and
 * tags from codeAt) into TOTALS, as countAll reads them; returns how many numbers it wrote.
 */
function summarize(data: readonly (Predecoded | number | undefined)[], codeAt: number, length: number): number {
  const c = SUMMARY_SCRATCH;
  c.reset();
  for (let i = 0; i < length; i++) countWord(c, KIND[(data[i] as Predecoded).insn.kind], data[codeAt + 2 * i + 1] as number);
  const t = TOTALS;
  t[0] = c.insns;
  t[1] = c.tbStarts;
  t[2] = c.guestInsns;
  let at = 4, kinds = 0;
  for (const counts of [c.byKind, c.byRegion])
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] === 0) continue;
      if (counts === c.byKind) kinds++;
      t[at++] = i;
      t[at++] = counts[i];
    }
  t[3] = kinds;
  return at;
}

/**
 * Reads a block's words for formBlock: one code-tag page and one memory page lookup per page
 * of code, not per word (formBlock runs for every block of every TB translated).
 */
class CodeReader {
  private pageNo = -1;
  private tags: Int32Array | undefined = undefined;
  private words: Int32Array | undefined = undefined;
  /** What the last read found: the word's tag (-1: no written code) and the word (0 then). */
  tag = -1;
  word = 0;
  constructor(private readonly m: MipsMachine) {}

  /** As m.tagAt(pc) then m.wordAt(pc), into tag and word. */
  read(pc: number): void {
    let tag = -1, word = 0;
    if (pc % 4 === 0 && pc >= CODE_CACHE_BASE && pc < CODE_CACHE_END) {
      const p = Math.floor(pc / PAGE_SIZE);
      if (p !== this.pageNo) {
        this.pageNo = p;
        this.tags = this.m.codeTagPage(p);
        this.words = this.tags && this.m.mem.page(pc)!.i32;
      }
      if (this.tags !== undefined) {
        const i = (pc % PAGE_SIZE) >> 2;
        tag = this.tags[i] - 1;
        if (tag >= 0) word = this.words![i];
      }
    }
    this.tag = tag;
    this.word = word;
  }
}

/**
 * Bit-field rows whose field lies in the low word, with their fields known: plain int32
 * operations instead of X.extract / X.insert's general 64-bit case (the codegen's dext of
 * every guest address, ext/ins of every 8/16-bit register access). Same results.
 */
function bitFieldInLowWord(d: Predecoded): string | undefined {
  const { rs, rt, pos, size } = d;
  if (pos + size > 32) return undefined;
  const mask = size === 32 ? -1 : ((1 << size) - 1) << pos;
  const field = size === 32 ? `L[${rs}]` : `((L[${rs}]>>>${pos})&${(1 << size) - 1})`;
  const inserted = `(L[${rt}]&${~mask})|((L[${rs}]<<${pos})&${mask})`;
  switch (d.insn.name) {
    case 'ext': return `L[${rt}]=${field};H[${rt}]=L[${rt}]>>31;`;
    case 'dext': return `L[${rt}]=${field};H[${rt}]=0;`;
    case 'ins': return `L[${rt}]=${inserted};H[${rt}]=L[${rt}]>>31;`;
    case 'dins': return `L[${rt}]=${inserted};`;
    default: return undefined;
  }
}

/**
 * dsll/dsrl/dsra (and their 32 forms) by a constant: the halves' int32 expressions for that
 * shift amount instead of a call to ALU64's general case (the same results; both halves are
 * read before either is written).
 */
function constantShift(d: Predecoded): string | undefined {
  const name = d.insn.name;
  const kind = name.startsWith('dsll') ? 'l' : name.startsWith('dsrl') ? 'r' : name.startsWith('dsra') ? 'a' : undefined;
  if (kind === undefined || name.endsWith('v')) return undefined;
  const n = d.sa + (name.endsWith('32') ? 32 : 0);
  const lo = `L[${d.rt}]`, hi = `H[${d.rt}]`;
  let l = lo, h = hi;
  if (n > 0 && n < 32) {
    if (kind === 'l') [l, h] = [`${lo}<<${n}`, `(${hi}<<${n})|(${lo}>>>${32 - n})`];
    else [l, h] = [`(${lo}>>>${n})|(${hi}<<${32 - n})`, kind === 'r' ? `${hi}>>>${n}` : `${hi}>>${n}`];
  } else if (n >= 32) {
    if (kind === 'l') [l, h] = ['0', `${lo}<<${n - 32}`];
    else [l, h] = kind === 'r' ? [`${hi}>>>${n - 32}`, '0'] : [`${hi}>>${n - 32}`, `${hi}>>31`];
  }
  return `{const l=(${l})|0,h=(${h})|0;L[${d.rd}]=l;H[${d.rd}]=h;}`;
}

/**
 * Loads and stores with the TLB hit inlined (tlbLookupCode), the accessor called on a miss,
 * a misaligned address or a page without the access: same results, same faults.
 */
function inlineAccess(d: Predecoded): string | undefined {
  const { rs: b, rt: t, imm } = d;
  const w = 'g.i32[(o&4095)>>2]', w1 = 'g.i32[((o&4095)>>2)+1]';
  const load = (align: number, value: string, high: string, call: string): string =>
    `{${tlbLookupCode(b, imm, 'r', align)}{L[${t}]=${value};${high}}else{${arrayForm(call, [b, t], [t])}}}`;
  const store = (align: number | string, write: string, call: string): string =>
    `{${tlbLookupCode(b, imm, 'w', align)}{${write}}else{${arrayForm(call, [b, t], [])}}}`;
  const sext = `H[${t}]=L[${t}]>>31;`;
  switch (d.insn.name) {
    case 'lw': return load(3, w, sext, `L[${t}]=A.lw(${b},${imm});${sext}`);
    case 'lwu': return load(3, w, `H[${t}]=0;`, `L[${t}]=A.lw(${b},${imm});H[${t}]=0;`);
    case 'ld': return load(7, w, `H[${t}]=${w1};`, `A.ld(${b},${imm},${t});`);
    case 'lbu': return load(0, 'g.data[o&4095]', `H[${t}]=0;`, `L[${t}]=A.lbu(${b},${imm});H[${t}]=0;`);
    case 'lb': return load(0, '(g.data[o&4095]<<24)>>24', sext, `L[${t}]=A.lb(${b},${imm});${sext}`);
    case 'sw': return store(3, `${w}=L[${t}];`, `A.sw(${b},${imm},L[${t}]);`);
    case 'sd': return store(7, `${w}=L[${t}];${w1}=H[${t}];`, `A.sd(${b},${imm},${t});`);
    // a page's first and last byte go through A.sb (sbPageEdge: a crossing 16-bit store is all-or-nothing)
    case 'sb': return store('((o+1)&4095)>1', `g.data[o&4095]=L[${t}];`, `A.sb(${b},${imm},L[${t}]);`);
    default: return undefined;
  }
}

/**
 * The body of one decoded instruction with its fields as literals. `inline` false: accesses
 * call their accessor (an access run's one-by-one path, taken only when its check failed:
 * a second inlined TLB lookup per access there would only add text for V8 to compile).
 */
function instantiate(d: Predecoded, inline = true): string {
  const insn = d.insn;
  if (insn.name === 'sll' && d.rd === 0) return ''; // nop (and ssnop, ehb): writes only $zero
  const special = bitFieldInLowWord(d) ?? (inline ? inlineAccess(d) : undefined);
  if (special !== undefined) return d.rt === 0 ? `${special}L[0]=0;H[0]=0;` : special;
  const fields: Record<string, number> = {
    rs: d.rs, rt: d.rt, rd: d.rd, sa: d.sa, imm: d.imm, uimm: d.uimm, pos: d.pos, size: d.size,
  };
  let body = constantShift(d) ?? SEMANTICS[insn.name as MipsInsnName].replace(/\b(rs|rt|rd|sa|imm|uimm|pos|size)\b/g, (f) => `(${fields[f]})`);
  const dest = insn.dest === 'd' ? d.rd : insn.dest === 't' ? d.rt : -1;
  if (dest === 0) body += 'L[0]=0;H[0]=0;';
  // $zero reads as 0 (the body writes only its dest): a typed-array load less for V8 to compile per use
  else body = body.replace(ZERO_READ, '0');
  // a body calling A/X works on the arrays: the instruction's registers are synced around it
  if (!CALLS.test(body)) return body;
  const writes = dest >= 0 ? [dest] : insn.kind === 'muldiv' ? [LO, HI] : [];
  return arrayForm(body, [d.rs, d.rt, ...writes], writes);
}

const CALLS = /\b[AX]\./;

/**
 * Registers in JS locals: a compiled block (or region) reads the registers it uses into locals
 * `L5`/`H5` once on entry and writes the ones it assigns back on every exit, return or fault,
 * so V8 keeps them in machine registers instead of loading and storing typed-array elements
 * for every instruction. Code calling an accessor or ALU64 function (which work on the
 * arrays) is an array-form section: the locals of the registers it touches are stored before
 * it and reloaded after it (and at each RELOAD inside it). A call that throws has had no
 * effect (accessors check before writing, ALU64 traps before writing), so on a fault every
 * local holds the register's value at the faulting instruction and writing them all back
 * keeps faults precise.
 */
function arrayForm(code: string, regs: readonly number[], writes: readonly number[]): string {
  // $zero is never written (a write to it is undone at once): no need to sync it
  const list = (rs: readonly number[]): string => [...new Set(rs)].filter((r) => r !== 0).join(',');
  return `${SECTION_OPEN}${list(regs)}${SECTION_WRITES}${list(writes)}${SECTION_BODY}${code}${SECTION_CLOSE}`;
}
const SECTION_OPEN = '\uE001', SECTION_WRITES = '\uE005', SECTION_BODY = '\uE002', SECTION_CLOSE = '\uE003';
/** Inside an array-form section: reload its registers' locals here. */
const RELOAD = '\uE004';
const SECTION = /\uE001([\d,]*)\uE005([\d,]*)\uE002([^\uE003]*)\uE003/g;
const ARRAY_REG = /\b([LH])\[\(?(\d+)\)?\]/g;
/** `L[5]=value;` (a register assignment: the value has no `;`). */
const ARRAY_ASSIGN = /(\b[LH]\[\(?\d+\)?\])=(?!=)([^;]*);/g;
const LOCAL_WRITE = /\b[LH](\d+)=(?!=)/g;

/** A body with registers in locals (see arrayForm): the declarations, the body, the write-back. */
export function localRegisters(body: string): { decl: string; body: string; writeBack: string } {
  const used = new Set<number>(), written = new Set<number>();
  // a local holds what the Int32Array would: an assignment converts its value ToInt32 as the store did
  const localize = (code: string): string => code.replace(ARRAY_ASSIGN, '$1=($2)|0;').replace(ARRAY_REG, (_, half: string, r: string) => {
    used.add(+r);
    return half + r;
  });
  const sync = (regs: number[], store: boolean): string =>
    regs.map((r) => (store ? `L[${r}]=L${r};H[${r}]=H${r};` : `L${r}=L[${r}];H${r}=H[${r}];`)).join('');
  let out = '';
  let at = 0;
  for (const m of body.matchAll(SECTION)) {
    out += localize(body.slice(at, m.index));
    at = m.index! + m[0].length;
    const regs = m[1] === '' ? [] : m[1].split(',').map(Number);
    const writes = m[2] === '' ? [] : m[2].split(',').map(Number);
    for (const r of regs) used.add(r);
    // only what the call writes is reloaded and counts as assigned (written back on exit)
    for (const r of writes) written.add(r);
    out += sync(regs, true) + m[3].replaceAll(RELOAD, sync(writes, false)) + sync(writes, false);
  }
  out += localize(body.slice(at));
  for (const m of out.matchAll(LOCAL_WRITE)) written.add(+m[1]);
  const regs = [...used].sort((a, b) => a - b);
  return {
    decl: regs.length ? `let ${regs.map((r) => `L${r}=L[${r}],H${r}=H[${r}]`).join(',')};` : '',
    body: out,
    writeBack: sync([...written].filter((r) => used.has(r)).sort((a, b) => a - b), true),
  };
}

/** A read of $zero in a row's body with its fields substituted. */
const ZERO_READ = /\b[LH]\[\(0\)\]/g;

const mayThrow = (insn: MipsInsn): boolean => /\b[AX]\.(l|s|add|trap)/.test(SEMANTICS[insn.name as MipsInsnName]);

export function countsCode(slots: readonly Slot[]): string {
  return countsSumCode([{ slots }]);
}

/**
 * Code adding to the counters the counts of each part's slots times the part's `times`
 * (a JS expression; once when absent): a region adds its members' executions at its exit.
 */
export function countsSumCode(parts: readonly { slots: readonly Slot[]; times?: string }[]): string {
  const targets: string[] = ['C.insns', ...KIND_NAMES.map((_, i) => `K[${i}]`), ...REGION_NAMES.map((_, i) => `R[${i}]`), 'C.tbStarts', 'C.guestInsns'];
  const terms = targets.map(() => [] as string[]);
  for (const { slots, times } of parts) {
    const n = new Array<number>(targets.length).fill(0);
    for (const s of slots) {
      n[0]++;
      n[1 + KIND[s.insn!.kind]]++;
      n[1 + KIND_NAMES.length + (s.tag & TAG_REGION_MASK)]++;
      if ((s.tag & TAG_TB_START) !== 0) n[targets.length - 2]++;
      n[targets.length - 1] += s.tag >>> TAG_INSN_SHIFT;
    }
    n.forEach((x, k) => { if (x) terms[k].push(times === undefined ? String(x) : `${times}*${x}`); });
  }
  return targets.map((t, k) => (terms[k].length ? `${t}+=${terms[k].join('+')};` : '')).join('');
}

/**
 * formBlock's scratch, laid out as Block keeps its data: decoded forms at [0, FORM_CODE_AT), the
 * words and tags after. Of fixed length: emptied and pushed to, it was a new backing store, grown
 * twice, per block formed.
 */
const FORM_CODE_AT = MAX_BLOCK_INSNS + 1;
const FORM_DATA = new Array<Predecoded | number | undefined>(3 * FORM_CODE_AT).fill(0);
/** A kept block's totals: 4 numbers, and a pair per kind and per region at most. */
const TOTALS = new Array<number>(4 + 2 * (KIND_NAMES.length + REGION_NAMES.length)).fill(0);

/**
 * Decodes the block starting at pc, straight into the Block's flat arrays: a Slot object per
 * word was ~400 MB of the 1.95 GB a bash-static pipeline allocated (blocks formed again in
 * every forked process). `once`: a block for one run, not kept (MipsMachine.blockAt), over the
 * scratch arrays themselves: its slots are valid until the next formBlock.
 */
export function formBlock(m: MipsMachine, start: number, once = false): Block {
  const code = new CodeReader(m);
  let branchAt = -1;
  let stop: Stop | undefined;
  let pc = start;
  let length = 0;
  for (let n = 0; n < MAX_BLOCK_INSNS || branchAt === n - 1; n++) {
    code.read(pc);
    const { tag, word } = code;
    const d = tag >= 0 ? predecode(word) : undefined;
    FORM_DATA[n] = d;
    FORM_DATA[FORM_CODE_AT + 2 * n] = word;
    FORM_DATA[FORM_CODE_AT + 2 * n + 1] = tag;
    length = n + 1;
    pc += 4;
    if (tag < 0) stop = { kind: 'bad-jump', message: `no code at 0x${(pc - 4).toString(16)}` };
    else if (!d) stop = { kind: 'reserved-instruction', message: 'reserved instruction' };
    else if (branchAt >= 0 && d.insn.branch) stop = { kind: 'reserved-instruction', message: 'branch in a delay slot' };
    if (stop || branchAt >= 0) break;
    if (d!.insn.branch) branchAt = n;
  }
  if (once) return new Block(start, FORM_DATA, FORM_CODE_AT, length, branchAt, stop);
  // a kept block runs interpreted next (or is compiled at once, hot code: then the totals go unused)
  const totals = stop === undefined ? summarize(FORM_DATA, FORM_CODE_AT, length) : 0;
  const data = new Array<Predecoded | number | undefined>(3 * length + totals);
  for (let i = 0; i < length; i++) {
    data[i] = FORM_DATA[i];
    data[length + 2 * i] = FORM_DATA[FORM_CODE_AT + 2 * i];
    data[length + 2 * i + 1] = FORM_DATA[FORM_CODE_AT + 2 * i + 1];
  }
  for (let i = 0; i < totals; i++) data[3 * length + i] = TOTALS[i];
  return new Block(start, data, length, length, branchAt, stop);
}

/**
 * Runs a block from its decoded slots, with the compiled function's contract: same result,
 * same counts, same faults (through m.blockFault).
 */
export function interpretBlock(m: MipsMachine, b: Block, L: Int32Array, H: Int32Array, A: HostAccess, C: Counters): number {
  const ds = b.ds, n = b.length, stopAt = b.stop ? n - 1 : n, branchAt = b.branchAt;
  let target = -1;
  let k = 0;
  try {
    // the straight-line slots without a test each; then the branch, and its delay slot or the stop
    // (a block ends at its first stop, so a branch comes before it)
    for (const straight = branchAt >= 0 ? branchAt : stopAt; k < straight; k++) execute(ds[k]!, L, H, A);
    if (k === branchAt) {
      target = branch(ds[k]!, b.start + 4 * k, b.wordAt(k), L, H, A);
      k++;
    }
    for (; k < n; k++) {
      if (k === stopAt) m.stopBlock();
      execute(ds[k]!, L, H, A);
    }
  } catch (e) {
    throw m.blockFault(e, k);
  }
  // (a block not kept, run once: no totals to keep, see MipsMachine.blockAt)
  if (b.valid) b.countAll(C);
  else b.countPrefix(C, n);
  return target === -1 ? FALL_THROUGH : jumpResult(m, target);
}

/**
 * The codegen's unaligned-safe 32-bit guest access is a pair on one base register:
 * `lwr t, off(a); lwl t, off+3(a)` (or swr/swl). Compiled as one access when its four bytes
 * lie in one page (A.lwPair / A.swPair return false otherwise, and the pair runs as two).
 * The result equals the two instructions', and a fault in the one page is the first
 * instruction's, as it would be.
 */
function pairedAccess(slots: readonly Slot[], i: number): string | undefined {
  const a = slots[i], b = slots[i + 1];
  if (a?.d === undefined || b?.d === undefined || a.stop || b.stop) return undefined;
  const first = a.d.insn.name, second = b.d.insn.name;
  const load = first === 'lwr' && second === 'lwl';
  if (!load && !(first === 'swr' && second === 'swl')) return undefined;
  const { rs: base, rt: t, imm: off } = a.d;
  if (b.d.rs !== base || b.d.rt !== t || b.d.imm !== off + 3 || t === 0 || (load && t === base)) return undefined;
  const op = load ? 'l' : 's';
  // RELOAD after lwr: lwr completes before lwl may fault (see arrayForm)
  const call = arrayForm(`if(!A.${op}wPair(${base},${off},${t})){A.${op}wr(${base},${off},${t});${RELOAD}k=${i + 1};A.${op}wl(${base},${off + 3},${t});}`, [base, t], load ? [t] : []);
  // the TLB hit inlined (tlbLookupCode), the pair's call otherwise
  const at = 'o&4095';
  const hit = load ? `{const v=(o&3)===0?g.i32[(${at})>>2]:g.view.getInt32(${at},true);L[${t}]=v;H[${t}]=v>>31;}`
    : `if((o&3)===0)g.i32[(${at})>>2]=L[${t}];else g.view.setInt32(${at},L[${t}],true);`;
  return `k=${i};{${tlbLookupCode(base, off, load ? 'r' : 'w', `(${at})<=4092`)}${hit}else{${call}}}`;
}

/** Word and doubleword accesses a run can make straight on the page's words (see accessRun). */
const RUN_ACCESS: Partial<Record<MipsInsnName, { size: 4 | 8; store: boolean }>> = {
  lw: { size: 4, store: false }, lwu: { size: 4, store: false }, sw: { size: 4, store: true },
  ld: { size: 8, store: false }, sd: { size: 8, store: true },
};

/**
 * An instruction a run of accesses may carry between two of them: it cannot fault, does not
 * touch memory and does not write the run's base (an ALU or HI/LO operation), so checking
 * every access of the run before the first one runs decides the same as checking each in turn.
 */
function passive(s: Slot, base: number): boolean {
  const d = s.d;
  if (d === undefined || s.stop || d.insn.branch || mayThrow(d.insn) || (d.insn.kind !== 'alu' && d.insn.kind !== 'muldiv')) return false;
  return (d.insn.dest === 'd' ? d.rd : d.insn.dest === 't' ? d.rt : -1) !== base;
}

/** A run of accesses [from, to) on one base register that accessRun compiles as one page lookup. */
interface AccessRun {
  readonly to: number;
  readonly code: string;
}

/**
 * The context switch is a run of sw/sd (or lw/ld) on one base register: env, or the host
 * stack for the callee-saved registers. Such a run, with the base unchanged until its last
 * access (and passive instructions between accesses allowed), becomes one check (aligned, in one page, page in the TLB with the access
 * it needs) and then plain reads and writes of the page's words; when the check fails the
 * same slots run one by one, faulting as they would. Same results, same counts.
 */
function accessRun(slots: readonly Slot[], from: number, limit: number): AccessRun | undefined {
  const first = slots[from].d;
  if (first === undefined || slots[from].stop || RUN_ACCESS[first.insn.name as MipsInsnName] === undefined) return undefined;
  const base = first.rs;
  const isAccess = (s: Slot): boolean => s.d !== undefined && !s.stop && s.d.rs === base && RUN_ACCESS[s.d.insn.name as MipsInsnName] !== undefined;
  let to = from, end = from;
  while (to < limit) {
    const s = slots[to];
    if (!isAccess(s)) {
      if (!passive(s, base)) break;
      to++;
      continue;
    }
    end = ++to;
    if (!RUN_ACCESS[s.d!.insn.name as MipsInsnName]!.store && s.d!.rt === base) break; // the base changes: the run ends with this load
  }
  to = end;
  const members = slots.slice(from, to).filter(isAccess).map((s) => ({ d: s.d!, ...RUN_ACCESS[s.d!.insn.name as MipsInsnName]! }));
  if (members.length < 2) return undefined;
  const low = Math.min(...members.map((x) => x.d.imm));
  const span = Math.max(...members.map((x) => x.d.imm + x.size)) - low;
  const wide = members.some((x) => x.size === 8);
  // one alignment check of the lowest address covers every member
  if (span > 4096 || members.some((x) => (x.d.imm - low) % x.size !== 0)) return undefined;
  const read = members.some((x) => !x.store), write = members.some((x) => x.store);
  const body = slots.slice(from, to).map((s) => {
    if (!isAccess(s)) return instantiate(s.d!); // an instruction between accesses (passive)
    const d = s.d!, { size, store } = RUN_ACCESS[d.insn.name as MipsInsnName]!;
    const w = `P[W+${(d.imm - low) / 4}]`, w1 = `P[W+${(d.imm - low) / 4 + 1}]`;
    if (store) return size === 4 ? `${w}=L[${d.rt}];` : `${w}=L[${d.rt}];${w1}=H[${d.rt}];`;
    if (d.rt === 0) return '';
    if (size === 8) return `L[${d.rt}]=${w};H[${d.rt}]=${w1};`;
    return d.insn.name === 'lwu' ? `L[${d.rt}]=${w};H[${d.rt}]=0;` : `L[${d.rt}]=${w};H[${d.rt}]=L[${d.rt}]>>31;`;
  }).join('');
  return {
    to,
    code: `{${tlbLookupCode(base, low, read && write ? 'rw' : read ? 'r' : 'w', `(o&${wide ? 7 : 3})===0&&(o&4095)+${span}<=4096`)}`
      + `{const P=g.i32,W=(o&4095)>>2;${body}}else{`,
  };
}

/**
 * The statements of a block's slots (not its counts): `k` is set to the slot index before
 * each instruction that may throw, and a branch assigns the taken target (or -1) to `T`.
 * Shared by compileBlockFn and the region compiler.
 */
export function blockBody(b: Block): string[] {
  const { slots, branchAt } = b;
  const lines: string[] = [];
  // straight-line slots end before the branch (the branch and its delay slot are compiled alone)
  const straightEnd = branchAt >= 0 ? branchAt : slots.length;
  let paired = -1;
  let runEnd = -1;
  slots.forEach((s, i) => {
    if (i === runEnd) lines.push('}}');
    if (i === paired) return;
    if (i >= runEnd) {
      const run = accessRun(slots, i, straightEnd);
      if (run !== undefined) {
        lines.push(run.code);
        runEnd = run.to;
      }
    }
    const pair = i >= straightEnd ? undefined : pairedAccess(slots, i);
    if (pair !== undefined) {
      lines.push(pair);
      paired = i + 1;
      return;
    }
    if (s.stop) {
      lines.push(`k=${i};m.stopBlock();`);
      return;
    }
    const d = s.d!, insn = d.insn;
    if (i === branchAt) {
      const target = insn.branch === 'rel' ? staticJumpCode(branchTarget(s.pc, s.word))
        : insn.branch === 'abs' ? staticJumpCode(jumpTarget(s.pc, s.word))
        : registerJumpCode(d.rs);
      // as branch() in interpreter.ts: target read before the link is written
      lines.push(`T=(${instantiate(d)})?${target}:${FALL_THROUGH};`);
      const link = insn.link === 'ra' ? 31 : insn.link === 'rd' ? d.rd : 0;
      if (link !== 0) lines.push(`L[${link}]=${(s.pc + 8) % 4294967296 | 0};H[${link}]=${Math.floor((s.pc + 8) / 4294967296)};`);
      return;
    }
    if (mayThrow(insn)) lines.push(`k=${i};`);
    lines.push(instantiate(d, i >= runEnd));
  });
  if (runEnd === slots.length) lines.push('}}');
  return lines;
}

/** Whether every slot of the block can run (no stop). */
export const completeBlock = (b: Block): boolean => b.stop === undefined;

/** Builds the block's JavaScript function. */
export function compileBlockFn(b: Block): BlockFn {
  const { decl, body, writeBack } = localRegisters(blockBody(b).join('\n'));
  const lines: string[] = ['let k=0,T=-1;', decl, 'try{', body, `}catch(e){${writeBack}throw m.blockFault(e,k);}`];
  if (!completeBlock(b)) return sharedFunction([...lines, `return ${FALL_THROUGH};`].join('\n'));
  lines.push(writeBack, countsCode(b.slots));
  // a linking jump through a register may call a helper: called from here, as the dispatcher
  // would (outside the try: what the helper throws leaves unchanged), then on at the link address
  const d = b.ds[b.branchAt];
  if (b.branchAt >= 0 && d!.insn.link !== undefined && d!.insn.branch === 'reg')
    lines.push(`if(T===${FAR_JUMP}){const f=m.helperFn(m.jumpTarget);if(f!==undefined){m.callHelper(f,${b.branchPc});return ${FALL_THROUGH};}}`);
  lines.push('return T;');
  return sharedFunction(lines.join('\n'));
}

/** The function of this source text, made once (see COMPILED). */
export function sharedFunction(source: string): BlockFn {
  let fn = COMPILED.get(source);
  if (fn === undefined) {
    if (COMPILED.size >= COMPILED_MAX) COMPILED.clear(); // as QEMU's tb_flush when its buffer is full
    COMPILED.set(source, (fn = new Function('m', 'L', 'H', 'A', 'X', 'C', 'K', 'R', source) as BlockFn));
  }
  return fn;
}

/**
 * Compiled functions by source text, shared by every block and machine whose code compiles
 * to the same text: a function closes over nothing (it gets the machine's state as arguments),
 * so the same text is the same behaviour. A run that translates the same code again (each
 * configuration of an experiment grid, each repetition of a benchmark, a re-translated TB)
 * reuses the function and V8's optimized code for it instead of compiling both again.
 */
const COMPILED = new Map<string, BlockFn>();
const COMPILED_MAX = 8192;
