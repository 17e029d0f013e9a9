/**
 * The CPU's answer for the instruction-level suites. Where the kernel runs i386 programs, the
 * i386 program runs natively and that is the answer. Where it does not (tools/i386-binfmt.sh
 * hands i386 programs to qemu-i386, whose x87 has no denormal flag, no C1 rounding bit and no
 * #MF trap, and whose locked ALU forms compute AF differently), the same forms run in an x86-64
 * program on the CPU: every form that means the same in 64-bit mode. The rest (stack, segment
 * and frame forms, and what 64-bit mode does not encode: the assembler refuses them) still run
 * in the i386 program, through qemu-i386; the suites report how many cases each oracle judged.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProgram, parseRecords, type Form } from './insn-program';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };

export type Oracle = 'cpu (i386)' | 'cpu (x86-64 build)' | 'qemu-i386';

/**
 * Forms whose meaning changes in 64-bit mode although they assemble: the stack pointer is
 * %rsp (pushes are 8 bytes, %esp-based addresses are truncated), %ebp holds the case pointer,
 * indirect jumps take 8-byte targets, segment registers are flat, and the fxsave image holds
 * the instruction pointer (the two programs' code lies at different addresses).
 */
const MODE_DEPENDENT = /%(e?sp|e?bp|[c-gs]s)\b|\b((push|pop)[af]?|l?ret|iret|l?call|enter|leave)[lwdq]?\b|\bl?jmp[lwq]?\s+\*|\b(fxsave|fxrstor|stk)/;

/** A form that runs the same in both builds: no mode-dependent text, and no case that puts an address (a symbol) in a register or memory. */
function modeIndependent(f: Form): boolean {
  const addressOperand = f.cases.some((c) => [...c.regs, ...(c.mem ?? [])].some((v) => typeof v === 'string'));
  return !addressOperand && !MODE_DEPENDENT.test(`${f.pre ?? ''}\n${f.asm}\n${f.post ?? ''}`);
}

/** Builds the x86-64 program of `forms`, dropping the forms the assembler refuses; returns it and the kept forms. */
function buildX8664(dir: string, name: string, forms: Form[]): { prog: string; kept: Form[] } {
  let kept = forms;
  for (;;) {
    try {
      return { prog: buildProgram(dir, `${name}-x86-64`, kept, 'x86-64'), kept };
    } catch (e) {
      const stderr = String((e as { stderr?: Buffer }).stderr ?? '');
      const bad = refusedForms(join(dir, `${name}-x86-64.S`), stderr);
      if (bad.size === 0) throw e;
      kept = kept.filter((_, k) => !bad.has(k));
    }
  }
}

/** Indexes (into the program's form list) of the forms on the lines gas reported errors for. */
function refusedForms(src: string, stderr: string): Set<number> {
  const text = readFileSync(src, 'utf8').split('\n');
  const bad = new Set<number>();
  for (const m of stderr.matchAll(/\.S:(\d+): Error/g)) {
    for (let l = Number(m[1]) - 1; l >= 0; l--) {
      const marker = /^# form (\d+):/.exec(text[l]);
      if (marker) {
        bad.add(Number(marker[1]));
        break;
      }
    }
  }
  return bad;
}

export interface CpuAnswer {
  /** One record per case of `forms`, in order. */
  records: Uint32Array[];
  /** Cases judged by each oracle. */
  casesBy: Map<Oracle, number>;
}

/** Runs every case of `forms` on the best oracle this machine has. */
export function cpuAnswer(dir: string, name: string, forms: Form[]): CpuAnswer {
  const run = (prog: string): Uint32Array[] => parseRecords(execFileSync(prog, { maxBuffer: 1 << 30 }));
  const count = (fs: Form[]): number => fs.reduce((n, f) => n + f.cases.length, 0);
  if (i386RunsNatively()) {
    return { records: run(buildProgram(dir, `${name}-native`, forms)), casesBy: new Map([['cpu (i386)', count(forms)]]) };
  }
  const { prog, kept } = buildX8664(dir, name, forms.filter(modeIndependent));
  const onCpu = new Set(kept);
  const rest = forms.filter((f) => !onCpu.has(f));
  const cpuRecs = run(prog);
  // the whole i386 program, as dbtlab runs it: forms that see code or data addresses see the same ones
  const qemuRecs = rest.length ? run(buildProgram(dir, `${name}-qemu`, forms)) : [];
  const records: Uint32Array[] = [];
  let c = 0;
  let q = 0;
  for (const f of forms)
    for (let i = 0; i < f.cases.length; i++, q++) records.push(onCpu.has(f) ? cpuRecs[c++] : qemuRecs[q]);
  return {
    records,
    casesBy: new Map<Oracle, number>([
      ['cpu (x86-64 build)', count(kept)],
      ['qemu-i386', count(rest)],
    ]),
  };
}

/**
 * The signal a one-instruction program ends with on the CPU (empty when it exits normally),
 * with the oracle that answered: an x86-64 build where i386 does not run natively and the
 * body means the same there; else the i386 build itself.
 */
export function faultSignal(dir: string, name: string, body: string, i386Prog: string): { signal: string; oracle: Oracle } {
  if (i386RunsNatively()) return { signal: spawnSync(i386Prog).signal ?? '', oracle: 'cpu (i386)' };
  if (!MODE_DEPENDENT.test(body)) {
    const src = join(dir, `${name}-x86-64.S`);
    writeFileSync(src, `  .text\n  .globl _start\n_start:\n  ${body}\n  movl $60, %eax; movl $7, %edi; syscall\n  .data\nbuf: .long 0, 0\n`);
    const out = src.slice(0, -2);
    const cc = spawnSync('gcc', ['-m64', '-static', '-nostdlib', '-fno-pie', '-no-pie', '-o', out, src]);
    if (cc.status === 0) return { signal: spawnSync(out).signal ?? '', oracle: 'cpu (x86-64 build)' };
  }
  return { signal: spawnSync(i386Prog).signal ?? '', oracle: 'qemu-i386' };
}
