// Benchmark (not a timed test): the host's cost of translation, in this process.
//  1. Translation proper: CPU time inside tbGenCode per guest instruction translated, over the first
//     (cold: the translator's own code not yet optimized) and a second run of one program, and the
//     part of it in translateBlock (decode, IR, MIPS emission; the rest is reading guest code,
//     writing the code cache, the TB index).
//  0. translateBlock alone over the text of the sysroot's i386 libc.so.6, block after block,
//     three passes (the translator warm from part 1, unless BENCH_PARTS=0): CPU per guest instruction.
//  2. Sharing translations between the processes of a run (TranslationCache): a multi-process
//     command line with each engine translating on its own, then sharing, alternately; this
//     thread's CPU seconds (/proc/thread-self: V8's compiler and GC threads are not counted) and
//     time in tbGenCode. Counts are the same either way (the processes test checks that).
// Run: pnpm --filter @dbtlab/harness bench:translate [program args...]  (busybox start-up:
// .cache/debian-i386/bin/busybox sh -c 'echo hi'; default: the Debian i386
// sort --version under /tmp/dbtlab-i386-sysroot if present, else /usr/bin/sort --version;
// BENCH_PIPELINE=0: parts 0 and 1 only; BENCH_PARTS=0: part 0 only)
import * as translateAll from '@dbtlab/dbt-core/dist/translate-all';
import * as translator from '@dbtlab/mips-codegen/dist/translator';
import { Dbt, TranslationCache } from '@dbtlab/dbt-core';
import { readElfSections } from '@dbtlab/linux-user';
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { createScheme } from '../src/runtimes';
import { runGuest } from '../src/run-guest';

const SYSROOT = '/tmp/dbtlab-i386-sysroot';
const single = process.argv.length > 2 ? process.argv.slice(2) : existsSync(`${SYSROOT}/usr/bin/sort`) ? [`${SYSROOT}/usr/bin/sort`, '--version'] : ['/usr/bin/sort', '--version'];
const sysroot = single[0].startsWith(SYSROOT) ? SYSROOT : undefined;
const PIPELINE = ['/bin/dash', '-c', 'ls /usr/bin | sort -r | head -5 | tr a-z A-Z; echo $(seq 1 5 | paste -sd,)'];

const statFd = openSync('/proc/thread-self/schedstat', 'r');
const statBuf = Buffer.alloc(128);
/** CPU seconds of this thread so far (the scheduler's runtime in ns: a call's own time, not a sampled 10 ms tick). */
function threadCpu(): number {
  const n = readSync(statFd, statBuf, 0, statBuf.length, 0);
  return Number(statBuf.toString('latin1', 0, n).split(' ')[0]) / 1e9;
}

// every caller reaches tbGenCode through the module object (CommonJS): the ticks that fall
// inside its calls sample this thread's CPU time in translation (the machine's load does not
// inflate it as it does wall time)
let inTranslation = 0;
let inTranslateBlock = 0;
const gen = translateAll.tbGenCode;
(translateAll as { tbGenCode: typeof gen }).tbGenCode = (dbt, pc) => {
  const t0 = threadCpu();
  try {
    return gen(dbt, pc);
  } finally {
    inTranslation += 1000 * (threadCpu() - t0);
  }
};
// (part 0 calls it unwrapped: its timing is per pass)
const translateBlockFn = translator.translateBlock;
(translator as { translateBlock: typeof translateBlockFn }).translateBlock = (...args) => {
  const t0 = threadCpu();
  try {
    return translateBlockFn(...args);
  } finally {
    inTranslateBlock += 1000 * (threadCpu() - t0);
  }
};

function run(argv: string[], translations: TranslationCache | null, root?: string) {
  const out = openSync('/dev/null', 'w');
  inTranslation = inTranslateBlock = 0;
  const cpu0 = threadCpu();
  const r = runGuest(createScheme('qemu-style'), { elf: argv[0], argv, envp: ['PATH=/usr/bin:/bin', 'LC_ALL=C'], sysroot: root, stdout: out, stderr: out, deterministicClock: true, translations });
  closeSync(out);
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: status ${r.status} ${r.error ?? ''}`);
  return { cpu: threadCpu() - cpu0, translateMs: inTranslation, translateBlockMs: inTranslateBlock, insns: r.stats.translate_guest_insns, tbs: r.stats.tbs_translated };
}

for (const label of process.env.BENCH_PARTS === '0' ? [] : ['cold', 'warm']) {
  const r = run(single, null, sysroot);
  console.log(`${label} ${single.join(' ')}: ${r.tbs} TBs, ${r.insns} guest insns translated; tbGenCode ${r.translateMs.toFixed(0)} ms = ${((1000 * r.translateMs) / r.insns).toFixed(1)} µs/insn (translateBlock ${((1000 * r.translateBlockMs) / r.insns).toFixed(1)}); thread CPU ${r.cpu.toFixed(2)} s = ${((1e6 * r.cpu) / r.insns).toFixed(0)} µs/insn all-inclusive`);
}
const LIBC = `${SYSROOT}/lib/i386-linux-gnu/libc.so.6`;
if (existsSync(LIBC)) {
  const file = readFileSync(LIBC);
  const text = readElfSections(file).find((sec) => sec.name === '.text')!;
  const code = file.subarray(text.offset, text.offset + text.size);
  const scheme = createScheme('qemu-style');
  const fail = (): never => {
    throw new Error('the sweep makes no system call');
  };
  const dbt = new Dbt({ runtime: scheme.name, chaining: true, syscall: scheme.syscall, os: { doSyscall: fail, deliverSignal: fail, segmentBase: () => 0 } });
  const read = (a: number, n: number): Uint8Array => code.subarray(Math.max(0, a - text.addr), Math.max(0, Math.min(code.length, a - text.addr + n)));
  const LIMIT = 150_000;
  for (let pass = 1; pass <= 3; pass++) {
    const cpu0 = threadCpu();
    let insns = 0;
    for (let pc = text.addr, index = 0; insns < LIMIT && pc < text.addr + code.length; index++) {
      try {
        const opts = { chaining: true, maxInsns: 512, syscall: scheme.syscall, helpers: dbt.helpers, shared: dbt.shared, tbIndex: index, tbPc: pc, cpu: dbt.cpuModel, mode: 32 as const };
        const block = translateBlockFn(pc, read, dbt.codeStart, opts);
        insns += block.guestPcs.length;
        pc += block.guestSize;
      } catch {
        pc++; // an instruction dbtlab has no translation for (it would exit 125 there)
      }
    }
    const cpu = threadCpu() - cpu0;
    console.log(`translateBlock pass ${pass} over ${LIBC} .text: ${insns} guest insns, thread CPU ${cpu.toFixed(2)} s = ${((1e6 * cpu) / insns).toFixed(1)} µs/insn`);
  }
}

if (existsSync(PIPELINE[0]) && process.env.BENCH_PIPELINE !== '0' && process.env.BENCH_PARTS !== '0') {
  for (let i = 0; i < 2; i++) {
    for (const shared of [false, true]) {
      const cache = shared ? new TranslationCache() : null;
      const r = run(PIPELINE, cache);
      const reuse = cache ? `, ${cache.hits} of ${cache.hits + cache.misses} TBs reused` : '';
      console.log(`${shared ? 'shared ' : 'private'} ${PIPELINE.join(' ')}: thread CPU ${r.cpu.toFixed(2)} s, tbGenCode ${r.translateMs.toFixed(0)} ms (${r.tbs} TBs${reuse})`);
    }
  }
}
