/**
 * The 64-bit integer forms of insn64-diff: every family at every operand size (b, w, l, q),
 * with registers that need REX (sil, r8b..., r8-r9) and the high-byte registers that exclude
 * it, register, memory, immediate and RIP-relative operands, over edge and random 64-bit
 * values. Undefined flags (SDM) are masked; registers are compared whole, so each 32-bit
 * write is checked to zero-extend and each 8/16-bit write to keep the rest.
 */
import { prng } from './insn-program';
import type { Case64, Form64, Val64 } from './insn64-program';
import { AF, CC_FLAGS, CF, DF, OF, SF, ZF } from '@dbtlab/x86-frontend';
import { ALL, BINARY_OPS, CONDS, divFaults, FLAG_COMBOS, flagSetsFor, shiftMask } from './int-rules';

const rnd = prng(0x64bead);
const r64 = (): bigint => (BigInt(rnd()) << 32n) | BigInt(rnd());
const EDGES = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x7fffn, 0x8000n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn];
/** Edge values, random values with random upper halves, random small values. */
const VALUES = [...EDGES, ...Array.from({ length: 5 }, r64), ...Array.from({ length: 2 }, () => BigInt(rnd() & 0xffff))];
/** Fewer values where two operands or a count vary together. */
const FEW = [0n, 1n, 0x7fn, 0x80n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, ...VALUES.slice(EDGES.length, EDGES.length + 3)];
const COUNTS = [0n, 1n, 2n, 7n, 8n, 9n, 15n, 16n, 17n, 31n, 32n, 33n, 63n, 64n, 65n, 0xffn];
const SIZES = [8, 16, 32, 64] as const;
type Size = (typeof SIZES)[number];
const SUFFIX: Record<Size, string> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };
/** Register pairs per size: [a, b] where a holds case reg 0 or 6, b case reg 1 or 7. */
const PAIRS: Record<Size, [string, string][]> = {
  8: [['%al', '%bl'], ['%ah', '%bh'], ['%sil', '%r9b'], ['%r8b', '%dil']],
  16: [['%ax', '%bx'], ['%r8w', '%si']],
  32: [['%eax', '%ebx'], ['%r8d', '%r9d']],
  64: [['%rax', '%rbx'], ['%r8', '%r9']],
};
/** r9 (case register 7) at each size. */
const R9: Record<Size, string> = { 8: '%r9b', 16: '%r9w', 32: '%r9d', 64: '%r9' };
const rest = (): bigint[] => [r64(), r64(), r64(), r64()];

/** a in rax and r8 (and memory), b in rbx and r9 (and mem[0]), the other registers random. */
function pairs(flagSets: number[], values = FEW): Case64[] {
  const cases: Case64[] = [];
  let k = 0;
  for (const a of values)
    for (const b of values) {
      const [c, d, s, i] = rest();
      cases.push({ regs: [a, b, c, d, s, i, a, b], flags: flagSets[k++ % flagSets.length], mem: [b, r64(), r64()] });
    }
  return cases;
}

function column(flagSets: number[], values = VALUES): Case64[] {
  const cases: Case64[] = [];
  for (const a of values) for (const f of flagSets) {
    const [c, d, s, i] = rest();
    cases.push({ regs: [a, r64(), c, d, s, i, a, r64()], flags: f, mem: [a, r64(), r64()] });
  }
  return cases;
}

function binary(): Form64[] {
  const forms: Form64[] = [];
  for (const [op, mask, readsCf] of BINARY_OPS) {
    const flags = flagSetsFor(readsCf);
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      for (const [a, b] of PAIRS[bits]) forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs(flags), flagMask: () => mask });
      const [a] = PAIRS[bits][bits === 8 ? 2 : 1];
      forms.push({ name: `${op}${s} ${a},mem`, asm: `${op}${s} ${a}, memop`, cases: pairs(flags), flagMask: () => mask });
      forms.push({ name: `${op}${s} mem(rip),${a}`, asm: `${op}${s} memop(%rip), ${a}`, cases: pairs(flags), flagMask: () => mask });
      for (const imm of [0, 1, 0x7f, -1, -128, bits === 8 ? 0x80 : -0x12345678 & (bits === 16 ? 0x7fff : -1)]) {
        forms.push({ name: `${op}${s} $${imm},${a}`, asm: `${op}${s} $${imm}, ${a}`, cases: column(flags), flagMask: () => mask });
      }
      forms.push({ name: `${op}${s} $7,mem+8(rip)`, asm: `${op}${s} $7, memop+8(%rip)`, cases: column(flags), flagMask: () => mask });
    }
  }
  return forms;
}

function unary(): Form64[] {
  const forms: Form64[] = [];
  for (const op of ['inc', 'dec', 'neg', 'not'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      for (const [a] of PAIRS[bits]) forms.push({ name: `${op}${s} ${a}`, asm: `${op}${s} ${a}`, cases: column([0, CC_FLAGS]), flagMask: ALL });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop+8`, cases: column([CF, CC_FLAGS & ~CF]), flagMask: ALL });
    }
  return forms;
}

function shifts(): Form64[] {
  const forms: Form64[] = [];
  for (const op of ['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      const flags = flagSetsFor(op.startsWith('rc'));
      const byCl: Case64[] = [];
      for (const v of FEW.slice(0, 10)) for (const n of COUNTS) {
        const [d, si, di] = rest();
        byCl.push({ regs: [v, r64(), (r64() & ~0xffn) | n, d, si, di, v, r64()], flags: flags[byCl.length % flags.length], mem: [v, r64(), r64()] });
      }
      const cnt = (c: Case64) => Number((c.regs[2] as bigint) & 0xffn);
      for (const [a] of PAIRS[bits].slice(0, bits === 8 ? 3 : 2)) forms.push({ name: `${op}${s} %cl,${a}`, asm: `${op}${s} %cl, ${a}`, cases: byCl, flagMask: (c) => shiftMask(op, bits, cnt(c)) });
      forms.push({ name: `${op}${s} %cl,mem`, asm: `${op}${s} %cl, memop`, cases: byCl.filter((_, i) => i % 2 === 0), flagMask: (c) => shiftMask(op, bits, cnt(c)) });
      const a = PAIRS[bits][1][0];
      for (const n of [1, 4, bits - 1, bits, 31, 63]) {
        const asm = n === 1 ? `${op}${s} ${a}` : `${op}${s} $${n}, ${a}`;
        forms.push({ name: asm, asm, cases: column(flags), flagMask: () => shiftMask(op, bits, n) });
      }
      forms.push({ name: `${op}${s} $3,mem(rip)`, asm: `${op}${s} $3, memop(%rip)`, cases: column(flags), flagMask: () => shiftMask(op, bits, 3) });
    }
  for (const op of ['shld', 'shrd'])
    for (const bits of [16, 32, 64] as const) {
      const s = SUFFIX[bits];
      const [a, b] = PAIRS[bits][1];
      const cases: Case64[] = [];
      for (const v of FEW.slice(0, 8)) for (const w of [0n, 0xffffffffffffffffn, 0x123456789abcdef0n, 0x8000000000000001n]) for (const n of COUNTS) {
        cases.push({ regs: [v, w, n, r64(), r64(), r64(), v, w], flags: CC_FLAGS & ~CF, mem: [v, r64(), r64()] });
      }
      // every count 0-63, so OF (the result's or CF's neighbouring bits) meets each bit position;
      // the alternating source gives shrd's result differing top bits at every count
      for (let n = 0n; n < 64n; n++) for (const w of [r64(), r64(), 0x5555555555555555n]) {
        const v = r64();
        cases.push({ regs: [v, w, n, r64(), r64(), r64(), v, w], flags: CC_FLAGS & ~CF, mem: [v, r64(), r64()] });
      }
      const cnt = (c: Case64) => Number((c.regs[2] as bigint) & 0xffn);
      // a 16-bit count above 16 has this CPU's result and flags (modelled)
      forms.push({ name: `${op}${s} %cl,${b},${a}`, asm: `${op}${s} %cl, ${b}, ${a}`, cases, flagMask: (c) => shiftMask(op, bits, cnt(c)) });
      forms.push({ name: `${op}${s} %cl,${b},mem`, asm: `${op}${s} %cl, ${b}, memop`, cases, flagMask: (c) => shiftMask(op, bits, cnt(c)) });
      for (const n of [1, 5, bits - 1]) {
        forms.push({ name: `${op}${s} $${n},${b},${a}`, asm: `${op}${s} $${n}, ${b}, ${a}`, cases: cases.filter((c) => c.regs[2] === 0n), flagMask: () => shiftMask(op, bits, n) });
      }
    }
  return forms;
}

function muldiv(): Form64[] {
  const forms: Form64[] = [];
  for (const op of ['mul', 'imul'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      const src = R9[bits];
      forms.push({ name: `${op}${s} ${src}`, asm: `${op}${s} ${src}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF | OF });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop`, cases: pairs([CC_FLAGS]), flagMask: () => CF | OF });
    }
  for (const bits of [16, 32, 64] as const) {
    const s = SUFFIX[bits];
    for (const [a, b] of PAIRS[bits]) {
      forms.push({ name: `imul${s} ${b},${a}`, asm: `imul${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF | OF });
      forms.push({ name: `imul${s} $-3,${b},${a}`, asm: `imul${s} $-3, ${b}, ${a}`, cases: pairs([0]), flagMask: () => CF | OF });
    }
    const a = PAIRS[bits][1][0];
    forms.push({ name: `imul${s} $0x1234,mem,${a}`, asm: `imul${s} $0x1234, memop, ${a}`, cases: pairs([CC_FLAGS]), flagMask: () => CF | OF });
    forms.push({ name: `imul${s} mem(rip),${a}`, asm: `imul${s} memop(%rip), ${a}`, cases: pairs([CC_FLAGS]), flagMask: () => CF | OF });
  }
  for (const op of ['div', 'idiv'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      const cases: Case64[] = [];
      for (const hi of [0n, 1n, 0x7fn, 0xffffffffn, 0xffffffffffffffffn, 0x123456789n]) for (const lo of FEW) for (const d of FEW) {
        if (!divFaults(op === 'idiv', bits, lo, hi, d)) cases.push({ regs: [lo, d, r64(), hi, r64(), r64(), r64(), d], flags: 0, mem: [d, r64(), r64()] });
      }
      const src = R9[bits];
      forms.push({ name: `${op}${s} ${src}`, asm: `${op}${s} ${src}`, cases, flagMask: () => 0 });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop`, cases: cases.filter((_, i) => i % 3 === 0), flagMask: () => 0 });
    }
  return forms;
}

/** Instructions leaving each kind of lazy flags: SUB and ADD at 64 and 32 bits, LOGIC, INC, a shift by one. */
const LAZY_SETTERS = ['cmpq %rbx, %rax', 'cmpl %r9d, %r8d', 'addq %rbx, %rax', 'addl %ebx, %eax', 'subw %bx, %ax', 'testq %rbx, %rax', 'incl %r8d', 'shlq $1, %rax'];

function flagCombos(): Case64[] {
  return FLAG_COMBOS.map((f) => ({ regs: [0x1122334455667788n, 0xaabbccddeeff0011n, r64(), r64(), r64(), r64(), 0xffffffff00000000n, 0x8000000080000000n], flags: f, mem: [0x5566778899n, r64(), r64()] }));
}

function bitOps(): Form64[] {
  const forms: Form64[] = [];
  for (const op of ['bt', 'bts', 'btr', 'btc'])
    for (const bits of [16, 32, 64] as const) {
      const s = SUFFIX[bits];
      for (const [a, b] of PAIRS[bits]) forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF });
      // a register bit offset reaches beyond the operand: offsets inside memop's 192 bits, and just below it
      const offs: bigint[] = [0n, 1n, 15n, 16n, 31n, 32n, 63n, 64n, 100n, 127n, 128n, 191n, BigInt.asUintN(64, -1n), BigInt.asUintN(64, -16n), BigInt.asUintN(64, -64n)];
      const inMem = offs.flatMap((o) => VALUES.slice(0, 8).map((v) => ({ regs: [v, o, r64(), r64(), r64(), r64(), v, o], flags: CC_FLAGS, mem: [v, r64(), r64()] }) as Case64));
      forms.push({ name: `${op}${s} ${R9[bits]},mem`, asm: `${op}${s} ${R9[bits]}, memop`, cases: inMem, flagMask: () => CF });
      const a = PAIRS[bits][1][0];
      for (const n of [0, 7, bits - 1]) {
        forms.push({ name: `${op}${s} $${n},${a}`, asm: `${op}${s} $${n}, ${a}`, cases: column([0, CC_FLAGS]), flagMask: () => CF });
        forms.push({ name: `${op}${s} $${n},mem`, asm: `${op}${s} $${n}, memop+8`, cases: column([CC_FLAGS]), flagMask: () => CF });
      }
    }
  for (const op of ['bsf', 'bsr'])
    for (const bits of [16, 32, 64] as const) {
      const s = SUFFIX[bits];
      for (const [a, b] of PAIRS[bits]) forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => ZF });
      forms.push({ name: `${op}${s} mem,${PAIRS[bits][1][0]}`, asm: `${op}${s} memop, ${PAIRS[bits][1][0]}`, cases: pairs([CC_FLAGS]), flagMask: () => ZF });
    }
  for (const cc of CONDS) {
    forms.push({ name: `set${cc} %al,%r8b,%ah,mem`, asm: `set${cc} %al; set${cc} %r8b; set${cc} %ah; set${cc} memop+1`, cases: flagCombos(), flagMask: ALL });
    forms.push({ name: `cmov${cc}q/l/w`, asm: `cmov${cc}q %rbx, %rax; cmov${cc}l %r9d, %r8d; cmov${cc}w memop, %cx; cmov${cc}l memop, %edx`, cases: flagCombos(), flagMask: ALL });
    // the condition read from the lazy flags an arithmetic instruction left in the same TB
    for (const setter of LAZY_SETTERS)
      forms.push({
        name: `${setter}; cmov${cc}/set${cc} mem`,
        asm: `${setter}; cmov${cc}l memop, %edx; cmov${cc}q memop+8, %rcx; cmov${cc}w memop+16, %si; set${cc} memop+1; set${cc} %dil`,
        cases: pairs([0, CC_FLAGS]).filter((_, i) => i % 2 === 0),
        flagMask: () => CC_FLAGS & ~AF,
      });
  }
  return forms;
}

function moves(): Form64[] {
  const f = (name: string, asm: string, cases = column([0, CC_FLAGS]), mask = ALL): Form64 => ({ name, asm, cases, flagMask: mask });
  const cmpxchgCases = (): Case64[] => {
    const cases: Case64[] = [];
    for (const a of VALUES) for (const b of [a, 0n, 0x80n, 0xffffffffn, a ^ 0x100000000n, r64()]) cases.push({ regs: [a, b, r64(), r64(), r64(), r64(), r64(), b], flags: CC_FLAGS & ~ZF, mem: [b, r64(), r64()] });
    return cases;
  };
  return [
    f('cbw/cwde/cdqe', 'cbtw; movq %rax, %rbx; cwtl; movq %rax, %rcx; cltq'),
    f('cwd/cdq/cqo', 'cwtd; movq %rdx, %rbx; cltd; movq %rdx, %rcx; cqto'),
    f('movzx to 64', 'movzbq %al, %rbx; movzwq %r8w, %rcx; movzbq memop, %rdx; movzwq memop+2, %rsi; movzbl %ah, %edi'),
    f('movsx to 64', 'movsbq %al, %rbx; movswq %r8w, %rcx; movsbq memop, %rdx; movswq memop+2, %rsi; movslq %eax, %rdi; movslq memop+4, %r9'),
    f('movsx/movzx 16/32', 'movsbw %r8b, %bx; movzbw %ah, %cx; movsbl %sil, %edx; movzwl %ax, %r9d; movsbl memop+1, %edi'),
    f('32-bit writes zero-extend', 'movl %eax, %ebx; movl $5, %ecx; xchgl %eax, %r8d; leal 1(%rax), %edx; notl %esi; movl memop, %edi; bswapl %r9d'),
    f('8/16-bit writes keep the rest', 'movb %al, %bh; movw %ax, %cx; movb $1, %dl; movb %r8b, %sil; xchgb %al, %dil; movw memop, %r9w'),
    f('bswap', 'bswapq %rax; bswapl %ebx; bswapq %r8'),
    f('lea', 'leaq -0x80(%rax,%rbx,4), %rcx; leal 7(%rax,%rbx,8), %edx; leaw 3(%r8,%r9), %si; leaq memop(%rip), %rdi; addr32 leaq 5(%eax,%ebx), %r9', pairs([0])),
    f('mov imm', 'movabsq $0x123456789abcdef0, %rax; movq $-5, %rbx; movl $0xfffffffe, %ecx; movw $-1, %dx; movb $0x80, %ah; movq $-1, memop; movl $7, memop+8'),
    f('mov rip-relative', 'movq xtab+8(%rip), %rax; movl xtab+4(%rip), %ebx; movq %rcx, memop+8(%rip); movb xtab+3(%rip), %dh; movabsq xtab, %rax'),
    f('xchg', 'xchgq %rax, %rbx; xchgl %ecx, %edx; xchgw %si, %di; xchgb %ah, %bl; xchgb %r8b, %sil; xchgq %r9, memop; xchgl %eax, %eax', pairs([0])),
    f('xadd', 'xaddq %rbx, %rax; xaddl %r9d, %r8d', pairs([0, CC_FLAGS])),
    f('xadd mem', 'lock xaddq %rbx, memop', pairs([CC_FLAGS])),
    f('xaddw/b mem', 'xaddw %bx, memop; xaddb %r9b, memop+8', pairs([CC_FLAGS])),
    f('cmpxchgq', 'cmpxchgq %rcx, %rbx', cmpxchgCases()),
    f('cmpxchgl (zero-extends rax/dest)', 'cmpxchgl %ecx, %r9d', cmpxchgCases()),
    f('cmpxchgl into its own accumulator', 'cmpxchgl %ecx, %eax; cmpxchgl %r9d, %ebx', cmpxchgCases()),
    f('cmpxchgq mem', 'lock cmpxchgq %rcx, memop', cmpxchgCases()),
    f('cmpxchgw/b', 'cmpxchgw %cx, %bx', cmpxchgCases()),
    f('cmpxchgb mem', 'cmpxchgb %cl, memop', cmpxchgCases()),
    f('lahf/sahf', 'lahf; movq %rax, %rbx; movb $0xd5, %ah; sahf; lahf', flagCombos().map((c) => ({ ...c, flags: c.flags | AF }))),
    f('clc/stc/cmc', 'clc; setc %bl; stc; setc %bh; cmc; setc %cl', flagCombos()),
    f('pushfq/popq', 'pushfq; popq %rbx; andl $0x8d5, %ebx', flagCombos()),
    f('popfq', 'andl $0x200cd5, %ebx; pushq %rbx; popfq', column([0]).map((c) => ({ ...c, regs: [0n, c.regs[0], 0n, 0n, 0n, 0n, 0n, 0n] as Val64[] })), () => CC_FLAGS | DF),
    f('pushfw/popfw', 'pushfw; popw %ax; andl $0xcd5, %ebx; pushw %bx; popfw; pushfq; popq %rcx', column([0, CC_FLAGS]), () => CC_FLAGS | DF),
    f('std/cld', 'std; pushfq; popq %rbx; cld; pushfq; popq %rcx', flagCombos(), () => CC_FLAGS | DF),
    f('push/pop', 'pushq %rax; pushq $-7; pushw %bx; pushq memop; popq %rcx; popw %dx; popq %rsi; popq %r9; pushq $0x12345678; popq memop+8'),
    f('push/pop %fs,%gs', 'pushq %fs; popq %rbx; pushw %gs; popw %cx; pushq %gs; popq %gs; movl %gs, %edx'),
    f('enter/leave', 'movq %rsp, savesp; leaq stktop, %rsp; movq %rbx, %rbp; enter $24, $0; movq %rbp, %rcx; movq %rsp, %rdx; leave; movq %rsp, %rsi; movq %rbp, %rdi; movq savesp, %rsp', pairs([0]).slice(0, 40)),
    f('enter nesting', 'movq %rsp, savesp; leaq stktop, %rsp; leaq stk+512, %rbp; movq %rax, -8(%rbp); movq %rbx, -16(%rbp); movq %r8, -24(%rbp); enter $8, $3; movq %rbp, %rcx; movq %rsp, %rdx; movq (%rsp), %rsi; movq 8(%rsp), %rdi; movq 16(%rsp), %r9; movq 24(%rsp), %r8; leave; movq %rsp, %rbx; movq savesp, %rsp', pairs([0]).slice(0, 40)),
    f('enterw/leavew', 'movq %rsp, savesp; leaq stktop, %rsp; leaq stk+512, %rbp; movw %bx, -2(%rbp); enterw $6, $2; movq %rbp, %rcx; movq %rsp, %rdx; movq (%rsp), %rsi; leavew; movq %rsp, %rdi; movq %rbp, %r9; movq savesp, %rsp', pairs([0]).slice(0, 40)),
    f('call/ret', 'pushq $7; call 6f; jmp 7f; 6: ret $8; 7: movl $5, %ecx; leaq 8f(%rip), %rdx; call *%rdx; jmp 9f; 8: movq (%rsp), %rsi; ret; 9:', column([0])),
    f('loop/jrcxz', 'andl $7, %ecx; xorl %eax, %eax; jrcxz 6f; 5: addl $3, %eax; loop 5b; 6: movl %ecx, %ebx; movl $3, %ecx; 7: incl %eax; cmpl $7, %eax; loopne 7b; jrcxz 8f; movl $9, %edx; 8:', column([0])),
    // 0x67: ECX counts and is written zero-extended; RCX's upper half is set to show it
    f('loopl/jecxz', 'movabsq $0x500000000, %rdx; andl $7, %ecx; orq %rdx, %rcx; xorl %eax, %eax; jecxz 6f; 5: addl $3, %eax; loopl 5b; 6: movq %rcx, %rbx; movabsq $0x300000003, %rcx; 7: incl %eax; cmpl $7, %eax; loopnel 7b; movq %rcx, %rsi; orq %rdx, %rcx; jecxz 8f; movl $9, %edx; 8: movabsq $0x700000002, %rcx; 9: incl %eax; cmpl $5, %eax; loopel 9b', column([0, ZF])),
  ];
}

/** String instructions with and without rep, both directions, bytes to quadwords, over memop and xtab. */
function strings(): Form64[] {
  const cases: Case64[] = [];
  for (const n of [0n, 1n, 2n, 3n]) for (const down of [false, true]) for (const k of [0, 1, 2]) {
    const [src, dst] = down ? ['xtab+64', 'memop+16'] : ['xtab+8', 'memop'];
    const a = k === 0 ? 0x4142434445464748n : k === 1 ? 0x1e150e07n : r64();
    cases.push({ regs: [a, r64(), (r64() & ~0xffffffffn) * 0n + n, r64(), src, dst, r64(), r64()], flags: (down ? DF : 0) | (k & 1 ? ZF : 0), mem: [0x1e150e07n, 0x817a736c655e5750n, r64()] });
  }
  const forms: Form64[] = [];
  for (const op of ['movs', 'stos', 'lods', 'cmps', 'scas'])
    for (const s of ['b', 'w', 'l', 'q'])
      for (const rep of op === 'cmps' || op === 'scas' ? ['', 'repe ', 'repne '] : ['', 'rep ']) {
        const asm = `${rep}${op}${s}`;
        forms.push({ name: asm, asm, cases, flagMask: () => CC_FLAGS | DF });
      }
  forms.push({ name: 'movsb %fs:', asm: 'movsb %fs:(%rsi), %es:(%rdi)', cases, flagMask: () => CC_FLAGS | DF });
  // 0x67: ESI, EDI and ECX; the upper halves of RSI, RDI and RCX are ignored and cleared
  const high = (v: Val64): Val64 => (typeof v === 'bigint' ? v | 0xabc00000000n : `${v}+0x500000000`);
  const cases32 = cases.map((c) => ({ ...c, regs: c.regs.map((v, i) => (i === 2 || i === 4 || i === 5 ? high(v) : v)) }));
  for (const op of ['movs', 'stos', 'lods', 'cmps', 'scas'])
    for (const s of ['b', 'q'])
      for (const rep of op === 'cmps' || op === 'scas' ? ['', 'repe ', 'repne '] : ['', 'rep ']) {
        const asm = `addr32 ${rep}${op}${s}`;
        forms.push({ name: asm, asm, cases: cases32, flagMask: () => CC_FLAGS | DF });
      }
  forms.push({ name: 'addr32 rep movsl %fs:', asm: 'addr32 rep movsl %fs:(%esi), %es:(%edi)', cases: cases32, flagMask: () => CC_FLAGS | DF });
  return forms;
}

/** BMI1, BMI2, ADX, MOVBE at 32 and 64 bits (VEX.W0/W1), register and memory sources; crc32. */
function bmi(): Form64[] {
  const forms: Form64[] = [];
  const controls = [0x0804n, 0x2010n, 0x4000n, 0x0140n, 0xff00n, 0x00ffn, 0x3f01n, 0x2020n, 0x1f3fn, 0x0420n];
  const ctlCases = pairs([0, CC_FLAGS]).concat(controls.flatMap((k) => FEW.map((a) => ({ regs: [a, k, r64(), r64(), r64(), r64(), a, k], flags: CC_FLAGS, mem: [a, r64(), r64()] }) as Case64)));
  const SZF = CF | ZF | SF | OF;
  for (const bits of [32, 64] as const) {
    const [ax, bx, cx, r8, r9] = bits === 64 ? ['%rax', '%rbx', '%rcx', '%r8', '%r9'] : ['%eax', '%ebx', '%ecx', '%r8d', '%r9d'];
    const f = (name: string, asm: string, mask: number, cases = pairs([0, CC_FLAGS])): Form64 => ({ name: `${name} (${bits})`, asm, cases, flagMask: () => mask });
    forms.push(
      f('andn', `andn ${r9}, ${bx}, ${cx}; andn memop, ${r8}, ${ax}`, SZF),
      f('blsi', `blsi ${bx}, ${cx}`, SZF), f('blsi mem', `blsi memop, ${cx}`, SZF),
      f('blsmsk', `blsmsk ${r9}, ${cx}`, SZF), f('blsmsk mem', `blsmsk memop, ${r8}`, SZF),
      f('blsr', `blsr ${bx}, ${r8}`, SZF), f('blsr mem', `blsr memop, ${cx}`, SZF),
      f('bzhi', `bzhi ${bx}, ${ax}, ${cx}`, SZF, ctlCases), f('bzhi mem', `bzhi ${r9}, memop, ${r8}`, SZF, ctlCases),
      f('bextr', `bextr ${bx}, ${ax}, ${cx}`, CF | ZF | OF, ctlCases), f('bextr mem', `bextr ${r9}, memop, ${r8}`, CF | ZF | OF, ctlCases),
      f('mulx', `movq %rbx, %rdx; mulx ${ax}, ${cx}, ${r8}; mulx memop, ${r9}, ${r9}`, CC_FLAGS),
      f('rorx', `rorx $${bits - 3}, ${ax}, ${cx}; rorx $1, memop, ${r8}; rorx $${bits === 64 ? 40 : 20}, ${bx}, ${r9}`, CC_FLAGS),
      f('shlx/shrx/sarx', `shlx ${bx}, ${ax}, ${cx}; shrx ${bx}, ${r8}, ${r9}; sarx ${bx}, memop, ${r8}`, CC_FLAGS),
      f('sarx', `sarx ${bx}, ${ax}, ${cx}; shrx ${r9}, memop, ${ax}`, CC_FLAGS),
      f('adcx/adox', `adcx ${bx}, ${ax}; adox ${r9}, ${r8}; adcx memop, ${cx}; adox memop, ${r9}`, CC_FLAGS, pairs([0, CF, OF, CF | OF])),
      f('movbe', `movbe memop, ${ax}; movbe ${bx}, memop+8; movbe memop+3, ${r8}`, CC_FLAGS),
    );
    forms.push(f('pdep/pext', `pdep ${bx}, ${ax}, ${cx}; pext ${r9}, ${r8}, ${bits === 64 ? '%rdx' : '%edx'}`, CC_FLAGS, ctlCases.concat(pairs([0]))));
    forms.push(f('pdep/pext mem', `pdep memop, ${ax}, ${bits === 64 ? '%rsi' : '%esi'}; pext memop, ${bx}, ${bits === 64 ? '%rdi' : '%edi'}`, CC_FLAGS));
  }
  // crc32 (SSE4.2): every source width, register and memory, into a 32- or 64-bit destination
  forms.push(
    { name: 'crc32 reg', asm: 'crc32b %bl, %eax; crc32w %r9w, %ecx; crc32l %r8d, %r8d; crc32q %rbx, %r9; crc32q %rax, %rax; crc32b %r8b, %rbx', cases: pairs([0, CC_FLAGS]), flagMask: ALL },
    { name: 'crc32 mem', asm: 'crc32b memop, %eax; crc32w memop+2, %ecx; crc32b memop+5, %rcx; crc32l memop+1, %r8d; crc32q memop+3, %r9; crc32q memop, %rbx', cases: pairs([0]), flagMask: ALL },
  );
  forms.push({ name: 'movbe (16)', asm: 'movbe memop, %ax; movbe %bx, memop+8; movbe memop+5, %r8w', cases: pairs([0]), flagMask: ALL });
  return forms;
}

export function integer64Forms(): Form64[] {
  return [...binary(), ...unary(), ...shifts(), ...muldiv(), ...bitOps(), ...moves(), ...strings(), ...bmi()];
}
