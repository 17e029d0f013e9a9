/**
 * Dbt: the engine of one guest address space (QEMU's CPUState + TCGContext): the simulated
 * host, guest memory and env, the TB cache, the code cache, the page->TB index and the
 * statistics. The stage files (tb-lookup, translate-all, tb-maint, page-protect,
 * cpu-exec-common) operate on it; the runtimes drive it; it reaches the guest OS only
 * through the GuestOs it is built with. Threads of one process share one Dbt (the OS swaps
 * their CPU states in env); each process has its own.
 *
 *   const dbt = new Dbt({ runtime: 'qemu-style', chaining: true, syscall: strategy, os });
 *   const tb = tbFind(dbt, dbt.cpu.eip); const exit = cpuTbExec(dbt, tb);
 */
import { CODE_CACHE_BASE, CODE_CACHE_SIZE, ENV_BASE, GuestMemory, HOST_STACK_TOP, HostMemory, MipsMachine, REG } from '@dbtlab/mips-host';
import { emitSharedCode, type HelperAddrs, type SharedCodeBlock, type SyscallStrategy } from '@dbtlab/mips-codegen';
import { cpuModel, DEFAULT_CPU_MODEL, type CpuModel } from '@dbtlab/x86-semantics';
import * as x86 from '@dbtlab/x86-frontend';
import { CpuState } from '@dbtlab/x86-frontend';
import type { GuestOs } from './guest-os';
import { installInterrupts } from './interrupt';
import { emptyStats, type Stats } from './stats';
import type { TranslationBlock } from './tb';
import { TbState } from './tb-state';
import { registerHelpers } from './helpers';
import type { TraceEvent } from './trace';
import { tbInvalidatePhysRange } from './tb-maint';
import type { TranslationCache } from './translation-cache';

// module-level copies: each read through a CommonJS re-export is a getter call (segmentChecksNeeded
// runs at every code-cache entry of an i386 process, whose null %fs/%gs keep segmentState non-zero)
const { SEG_LIMITS, SEG_NULL_SHIFT } = x86;

/** QEMU's TCG_MAX_INSNS. */
export const TB_MAX_INSNS = 512;

export interface DbtConfig {
  runtime: string;
  chaining: boolean;
  syscall: SyscallStrategy;
  maxInsns?: number;
  /** Record the event sequence (dbtlab trace); off by default, it costs memory. */
  trace?: boolean;
  /** Where traced events go as they happen (dbtlab run -d in_asm,exec); default: `events`. */
  traceSink?: (event: TraceEvent) => void;
  /** The CPU model cpuid reports and the translator accepts (default DEFAULT_CPU_MODEL). */
  cpu?: CpuModel;
  /** The guest OS: system calls, signal delivery, segment bases. */
  os: GuestOs;
  /** Guest memory the OS already set up (its host memory becomes this engine's); default: empty. */
  guest?: GuestMemory;
  /** Guest width (the program's ELF class): 32 = i386, 64 = x86-64 (default 32). */
  mode?: 32 | 64;
  /** Helpers of the runtime's own scheme (X86toMips's interpret_int), registered after the engine's. */
  schemeHelpers?: (dbt: Dbt) => Partial<HelperAddrs>;
  /** Translations shared with the other engines of the process tree (see TranslationCache). */
  translations?: TranslationCache;
}

export class Dbt {
  readonly guest: GuestMemory;
  readonly mem: HostMemory;
  readonly machine: MipsMachine;
  readonly cpu: CpuState;
  readonly os: GuestOs;
  readonly stats: Stats;
  /**
   * Code-cache entries by the number of TBs they ran, below 64 (collectStats writes them into
   * stats.tbs_per_entry): a typed-array slot per entry is cheaper than a keyed property.
   */
  readonly entriesByTbs = new Float64Array(64);
  readonly shared: SharedCodeBlock;
  readonly helpers: HelperAddrs;
  readonly maxInsns: number;
  readonly cpuModel: CpuModel;
  readonly mode: 32 | 64;

  readonly tbs: TranslationBlock[] = [];
  /** Validity and chains of tbs, by index (a forked engine gets a copy: dbtFork). */
  tbState = TbState.empty();
  readonly tbHash = new Map<number, TranslationBlock>();
  /** Direct-mapped cache in front of tbHash (tb_jmp_cache). */
  readonly jumpCache: (TranslationBlock | undefined)[] = new Array(4096);
  /** Guest page number -> TBs with code on it (the page's TB list). */
  readonly pageTbs = new Map<number, Set<TranslationBlock>>();
  /** First code-cache address after the shared code, and the next free one. */
  readonly codeStart: number;
  codePtr: number;
  /** Instruction limit for the next TB only (QEMU's cflags_next_tb): 1 after an SMC restart. */
  cflagsNextTb = 0;
  /**
   * The TB being run is a single-step one (TF was set when tbFind made it): its end raises the
   * debug trap, unless a system call ran in it (int $0x80/syscall clear TF; the return reloads it).
   */
  singleStep = false;
  /**
   * i386: translated code adds every segment's base (see tbFind); set for good the first time
   * %es, %ss or %ds has a base, when the flat TBs are flushed.
   */
  segmented = false;
  /** The process has had a second thread (RuntimeScheme.onFirstThread ran): kept for good, as QEMU's CF_PARALLEL. */
  parallel = false;
  /**
   * i386: %cs has held a code segment other than the flat 32-bit one (a base or a clear D bit);
   * from then on every TB lookup compares the TB's code segment with %cs's (tbLookup).
   */
  codeSegments = false;
  /**
   * i386: a segment register has held a segment with a limit, expand-down or read-only (not
   * flat), or a null selector that a TB accesses through: from then on every TB checks its data
   * accesses against the segments' bounds (TranslateOptions.segmentLimits), as a mode the process
   * keeps, like `segmented`.
   */
  segmentLimits = false;
  /**
   * i386, before segmentLimits: the segment registers the TBs translated so far access data
   * through (1 << seg each), so that a null selector loaded into one of them turns the checks on.
   */
  segmentsUsed = 0;
  /**
   * A far transfer loaded a %cs that needs the checks (segmentLimits still off): its lookup_tb_ptr
   * leaves to the loop instead of chaining, and the loop's tbFind turns them on.
   */
  segmentChecksPending = false;
  /**
   * EFLAGS.AC has been set (popf, iret, sigreturn: each ends its TB): from then on a TB lookup
   * matches AC as well (tbLookup), TBs made with it set checking alignment.
   */
  alignChecks = false;
  /**
   * i386: the segment registers' bounds need the checks that are off (segmentLimits): some
   * segment is limited, or a TB accesses through one holding a null selector.
   */
  segmentChecksNeeded(): boolean {
    return this.segmentChecksNeededIn(this.cpu.segmentState());
  }
  /** segmentChecksNeeded, given the cpu's segmentState(). */
  segmentChecksNeededIn(s: number): boolean {
    if (this.segmentLimits || this.mode !== 32) return false;
    return (s & SEG_LIMITS) !== 0 || ((s >>> SEG_NULL_SHIFT) & this.segmentsUsed) !== 0;
  }
  /** The TB the exec loop entered last (chained successors are not tracked). */
  currentTb: TranslationBlock | undefined;
  /** si_code of the pending x87 error (EXCP.MF), set by the x87 helper. */
  fpeCode = 0;
  /** The pending exception's error code (QEMU's env->error_code): int n's, a segment load's selector. */
  errorCode = 0;
  /** The pending EXCP.SYSCALL came from int $0x80 (the i386 table), not x86-64's `syscall`. */
  syscallInt80 = true;
  /**
   * QEMU's exit_request: the OS wants the exec loop to return (the running guest thread
   * blocked, exited or used its quantum); the loops check it between TBs and after traps.
   */
  exitRequest = false;
  /** TBs translated since the translator last asked for a look at asynchronous events (interrupt.ts). */
  translationsSinceLook = 0;
  readonly events: TraceEvent[] = [];

  constructor(readonly config: DbtConfig) {
    this.os = config.os;
    this.guest = config.guest ?? new GuestMemory(new HostMemory(), config.mode ?? 32);
    this.mem = this.guest.host;
    this.machine = new MipsMachine(this.mem);
    this.cpu = new CpuState(this.mem, ENV_BASE, this.guest.bits);
    this.stats = emptyStats(config.runtime);
    this.maxInsns = config.maxInsns ?? TB_MAX_INSNS;
    this.cpuModel = config.cpu ?? cpuModel(DEFAULT_CPU_MODEL);
    this.mode = config.mode ?? 32;
    this.shared = emitSharedCode(CODE_CACHE_BASE, this.mode);
    this.machine.writeCode(CODE_CACHE_BASE, this.shared.words, this.shared.regions);
    this.machine.hotCode(CODE_CACHE_BASE, CODE_CACHE_BASE + 4 * this.shared.words.length);
    this.codeStart = CODE_CACHE_BASE + 4 * this.shared.words.length;
    this.codePtr = this.codeStart;
    this.helpers = { ...registerHelpers(this), ...config.schemeHelpers?.(this) };
    // the host thread's stack, on which the code-cache prologue saves its caller's registers
    this.machine.setReg(REG.sp, BigInt(HOST_STACK_TOP));
    this.cpu.df = 1;
    installInterrupts(this);
    // a system call writing over translated code, a store through another mapping of shared
    // bytes, or a mapping that goes invalidates it first (QEMU: page_unprotect, tb_invalidate_phys_range)
    this.mem.onCodeWrite = (hostAddr, len) => {
      tbInvalidatePhysRange(this, this.guest.guestAddress(hostAddr), len);
    };
  }

  trace(event: TraceEvent): void {
    if (this.config.trace) (this.config.traceSink ?? ((e) => this.events.push(e)))(event);
  }

  get codeCacheEnd(): number {
    return CODE_CACHE_BASE + CODE_CACHE_SIZE;
  }
}
