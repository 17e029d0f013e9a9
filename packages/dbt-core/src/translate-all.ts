/**
 * tbGenCode (QEMU's translate-all.c): decode and translate a block at a guest pc into the
 * code cache and link it into the TB cache and page index; cpuRestoreState: the precise
 * guest state at a host pc inside a TB, from the TB's search table.
 */
import { ENV_BASE, PAGE_SIZE, PROT_EXEC } from '@dbtlab/mips-host';
import { AC, ENV, R_CS } from '@dbtlab/x86-frontend';
import { CC_DST_REG, CC_SRC2_REG, CC_SRC_REG, GUEST_REG_HOST, GUEST_REG_HOST_64, translateBlock, type GuestCodeReader, type SearchEntry } from '@dbtlab/mips-codegen';
import type { Dbt } from './dbt';
import { lookAfterTranslations } from './interrupt';
import type { SearchTable, TranslationBlock } from './tb';
import { tbFlush, tbLinkPage } from './tb-maint';
import type { PlacedBlock } from './translation-cache';

// module-level copies: each use of a CommonJS re-export is a getter call
const PAGE_BYTES = PAGE_SIZE, EXEC = PROT_EXEC;

/** Reads executable guest bytes, stopping where the executable range ends (a page at a time). */
function readCode(dbt: Dbt, addr: number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let n = 0;
  const base = dbt.guest.base;
  // eip wraps at 4 GiB; rip does not, and nothing outside the 47-bit user space is code
  const wrap = dbt.mode === 32 ? (v: number) => v >>> 0 : (v: number) => v;
  const end = dbt.mode === 32 ? Infinity : dbt.guest.size;
  for (let a = wrap(addr); n < len && a >= 0 && a < end;) {
    const page = dbt.mem.page(base + a);
    if (!page || (page.prot & EXEC) === 0) break;
    const off = a & (PAGE_BYTES - 1);
    const k = Math.min(len - n, PAGE_BYTES - off);
    out.set(page.data.subarray(off, off + k), n);
    n += k;
    a = wrap(a + k);
  }
  return n === len ? out : out.slice(0, n);
}

/** Room the largest TB could need: TB_MAX_INSNS x the longest expansion, with margin. */
const CODE_GEN_MAX_BYTES = 512 * 1024;

/** The code segment a TB at the current %cs is translated for (i386; x86-64's is flat). */
interface CodeSegment {
  base: number;
  bits16: boolean;
  /** %ss is a 16-bit stack segment (stack accesses use SP) */
  ss16: boolean;
  /** The highest offset that may be fetched (a limited %cs: an instruction past it is #GP when it runs). */
  limit: number;
}

function translate(dbt: Dbt, tbPc: number, maxInsns: number, hostAddr: number, index: number, read: GuestCodeReader, code: CodeSegment, alignCheck: boolean): PlacedBlock {
  const block = translateBlock(tbPc, read, hostAddr, {
    // a step TB jumps nowhere but the loop (QEMU's jmp_opt off under TF: rep leaves as ecx reaches 0)
    chaining: dbt.config.chaining && !dbt.singleStep,
    maxInsns,
    syscall: dbt.config.syscall,
    helpers: dbt.helpers,
    shared: dbt.shared,
    tbIndex: index,
    tbPc,
    cpu: dbt.cpuModel,
    mode: dbt.mode,
    // a based code segment's cs: overrides add its base (the other bases are 0 until segmentedCheck)
    segmented: dbt.segmented || code.base !== 0,
    segmentLimits: dbt.segmentLimits,
    alignCheck,
    code,
    fastSyscallReturn: dbt.os.fastSyscallReturn?.(),
  });
  const { pc, guestSize, guestPcs, words, regions, search, exits, segments } = block;
  // after mov/pop %ss the step traps one instruction later (tbFind steps on while TF is set)
  if (block.ssShadow) dbt.singleStep = false;
  // exits.slice(): the translator's array, pushed to, has room for 17 (kept for every TB, and by the cache)
  return { pc, guestSize, icount: guestPcs.length, words, regions, search: searchTable(search, pc), exits: exits.slice(), segments };
}

/** The translator's search entries as a TB keeps them (SearchTable). */
function searchTable(search: SearchEntry[], pc: number): SearchTable {
  const table = new Array<number>(3 * search.length);
  search.forEach((e, i) => {
    table[3 * i] = e.hostOffset;
    table[3 * i + 1] = e.guestPc - pc;
    table[3 * i + 2] = e.ccOp;
  });
  return table;
}

/** The block at tbPc from the tree's translation cache if it holds these bytes, else translated (and kept). */
function translateOrReuse(dbt: Dbt, tbPc: number, maxInsns: number, hostAddr: number, index: number, code: CodeSegment, alignCheck: boolean): PlacedBlock {
  const limited = dbt.mode === 32 && code.limit !== 0xffffffff;
  const read: GuestCodeReader = (a, n) => readCode(dbt, code.base ? (code.base + a) >>> 0 : a, limited ? Math.max(0, Math.min(n, code.limit - a + 1)) : n);
  const cache = dbt.config.translations;
  // the tree's cache holds flat translations only
  if (!cache || dbt.segmented || dbt.segmentLimits || alignCheck || dbt.singleStep || code.base !== 0 || code.bits16 || code.ss16) return translate(dbt, tbPc, maxInsns, hostAddr, index, read, code, alignCheck);
  const reused = cache.find(dbt, tbPc, maxInsns, read, hostAddr, index);
  if (reused) {
    if (cache.verify) checkReuse(reused, translate(dbt, tbPc, maxInsns, hostAddr, index, read, code, alignCheck));
    return reused;
  }
  // the bytes read, as one run from tbPc (reads start at instructions inside the readable run)
  let end = tbPc;
  let contiguous = true;
  const block = translate(dbt, tbPc, maxInsns, hostAddr, index, (a, n) => {
    if (a < tbPc) contiguous = false;
    end = Math.max(end, a + n);
    return read(a, n);
  }, code, alignCheck);
  if (contiguous && (dbt.mode === 64 || end <= 2 ** 32)) cache.add(dbt, tbPc, maxInsns, read(tbPc, end - tbPc), block, hostAddr, index);
  return block;
}

/** TranslationCache.verify: a reused block must be word for word what translation gives. */
function checkReuse(reused: PlacedBlock, fresh: PlacedBlock): void {
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => v === b[i]);
  if (
    !same(reused.words, fresh.words) ||
    !same(reused.regions, fresh.regions) ||
    reused.guestSize !== fresh.guestSize ||
    reused.icount !== fresh.icount ||
    JSON.stringify([reused.search, reused.exits]) !== JSON.stringify([fresh.search, fresh.exits])
  )
    throw new Error(`TranslationCache: the reused block at 0x${fresh.pc.toString(16)} differs from its translation`);
}

export function tbGenCode(dbt: Dbt, pc: number): TranslationBlock {
  // a TB limited by cflags_next_tb is used once: it stays out of the lookup caches
  const oneShot = dbt.cflagsNextTb !== 0;
  const maxInsns = oneShot ? dbt.cflagsNextTb : dbt.maxInsns;
  dbt.cflagsNextTb = 0;
  if (dbt.codePtr + CODE_GEN_MAX_BYTES > dbt.codeCacheEnd) tbFlush(dbt);
  const index = dbt.tbs.length;
  const hostAddr = dbt.codePtr;
  const tbPc = dbt.mode === 32 ? pc >>> 0 : pc;
  const code = dbt.mode === 32 ? { base: dbt.cpu.segBase(R_CS), bits16: dbt.cpu.code16, ss16: dbt.cpu.ss16, limit: dbt.cpu.segBounds(R_CS).hi } : { base: 0, bits16: false, ss16: false, limit: 0xffffffff };
  const alignCheck = (dbt.cpu.eflagsRest & AC) !== 0;
  const block = translateOrReuse(dbt, tbPc, maxInsns, hostAddr, index, code, alignCheck);
  dbt.segmentsUsed |= block.segments;
  dbt.machine.writeCode(hostAddr, block.words, block.regions);
  dbt.codePtr += 4 * block.words.length;
  lookAfterTranslations(dbt);
  const linear = code.base ? (code.base + block.pc) >>> 0 : block.pc;
  const firstPage = Math.floor(linear / PAGE_SIZE);
  const lastByte = linear + block.guestSize - 1;
  const lastPage = Math.floor((dbt.mode === 32 ? lastByte >>> 0 : lastByte) / PAGE_SIZE);
  const tb: TranslationBlock = {
    index,
    pc: block.pc,
    csBase: code.base,
    code16: code.bits16,
    ss16: code.ss16,
    csLimit: code.limit,
    alignCheck,
    guestSize: block.guestSize,
    icount: block.icount,
    hostAddr,
    hostWords: block.words.length,
    search: block.search,
    exits: block.exits,
    firstPage,
    lastPage,
  };
  dbt.tbs.push(tb);
  dbt.tbState.add(index);
  if (!oneShot) dbt.tbHash.set(tb.pc, tb);
  tbLinkPage(dbt, tb);
  dbt.stats.tbs_translated++;
  dbt.stats.translate_guest_insns += tb.icount;
  dbt.trace({ kind: 'translate', pc: tb.pc, detail: `${tb.icount} insns`, hostInsns: dbt.machine.counters.insns });
  return tb;
}

/**
 * Writes the precise guest state at hostPc (inside tb) to env: guest registers and lazy
 * flags from the host registers, eip and cc_op from the search table.
 */
export function cpuRestoreState(dbt: Dbt, tb: TranslationBlock, hostPc: number): void {
  const offset = (hostPc - tb.hostAddr) / 4;
  // the last entry at or before offset (the first if none is)
  const search = tb.search;
  let entry = 0;
  for (let i = 3; i < search.length && search[i] <= offset; i += 3) entry = i;
  const m = dbt.machine;
  const cpu = dbt.cpu;
  if (dbt.mode === 64) {
    // 64-bit mode: sixteen registers and the cc operands, whole
    for (let r = 0; r < 16; r++) cpu.setReg64(r, m.getReg(GUEST_REG_HOST_64[r]));
    const slots: Array<[number, number]> = [[ENV.ccSrc, CC_SRC_REG], [ENV.ccDst, CC_DST_REG], [ENV.ccSrc2, CC_SRC2_REG]];
    for (const [off, reg] of slots) {
      const v = BigInt.asUintN(64, m.getReg(reg));
      dbt.mem.write32(ENV_BASE + off, Number(v & 0xffffffffn));
      dbt.mem.write32(ENV_BASE + off + 4, Number(v >> 32n));
    }
  } else {
    for (let r = 0; r < 8; r++) cpu.setReg(r, m.getReg32(GUEST_REG_HOST[r]));
    cpu.ccSrc = m.getReg32(CC_SRC_REG);
    cpu.ccDst = m.getReg32(CC_DST_REG);
    cpu.ccSrc2 = m.getReg32(CC_SRC2_REG);
  }
  const ccOp = search[entry + 2];
  if (ccOp >= 0) cpu.ccOp = ccOp;
  cpu.eip = tb.pc + search[entry + 1];
}
