/**
 * The integer forms of the differential suite, with their operands and the EFLAGS bits the
 * SDM defines after each (undefined bits are masked; flags an instruction leaves alone are
 * compared, since preserving them is defined behaviour).
 */
import { prng, type Case, type Form, type Val } from './insn-program';
import { AF, CC_FLAGS, CF, DF, OF, PF, SF, ZF } from '@dbtlab/x86-frontend';
import { ALL, BINARY_OPS, CONDS, divFaults, FLAG_COMBOS, flagSetsFor, shiftMask } from './int-rules';

const rnd = prng(0x5eed1);
/** Edge values: 0, 1, -1, signed and unsigned limits of every size, sign boundaries; then random values. */
const EDGES = [0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
const VALUES = [...EDGES, ...Array.from({ length: 6 }, rnd)];
const COUNTS = [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 0xff];
const SIZES = [8, 16, 32] as const;
const REGS: Record<number, [string, string, string, string]> = {
  8: ['%al', '%bl', '%cl', '%dl'],
  16: ['%ax', '%bx', '%cx', '%dx'],
  32: ['%eax', '%ebx', '%ecx', '%edx'],
};
const SUFFIX: Record<number, string> = { 8: 'b', 16: 'w', 32: 'l' };

function pairs(flagSets: number[]): Case[] {
  const cases: Case[] = [];
  let k = 0;
  for (const a of VALUES)
    for (const b of VALUES) {
      if (flagSets.length === 1 || flagSets.length > 2) {
        for (const f of flagSets) cases.push({ regs: [a, b, rnd(), rnd()], flags: f, mem: [b, rnd(), 0] });
      } else cases.push({ regs: [a, b, rnd(), rnd()], flags: flagSets[k++ & 1], mem: [b, rnd(), 0] });
    }
  return cases;
}

function binary(): Form[] {
  const forms: Form[] = [];
  for (const [op, mask, readsCf] of BINARY_OPS) {
    const flags = flagSetsFor(readsCf);
    for (const bits of SIZES) {
      const [a, b] = REGS[bits];
      const s = SUFFIX[bits];
      forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs(flags), flagMask: () => mask });
      forms.push({ name: `${op}${s} ${a},mem`, asm: `${op}${s} ${a}, memop`, cases: pairs([0, CC_FLAGS]), flagMask: () => mask });
      forms.push({ name: `${op}${s} mem,${a}`, asm: `${op}${s} memop, ${a}`, cases: pairs([CC_FLAGS]), flagMask: () => mask });
      for (const imm of [0, 1, 0x7f, -1, -128, bits === 8 ? 0x80 : 0x1234]) {
        forms.push({ name: `${op}${s} $${imm},${a}`, asm: `${op}${s} $${imm}, ${a}`, cases: column(flags), flagMask: () => mask });
      }
    }
  }
  // high-byte registers
  forms.push({ name: 'addb %bh,%ah', asm: 'addb %bh, %ah', cases: pairs([0]), flagMask: ALL });
  forms.push({ name: 'subb %ch,%dl', asm: 'subb %ch, %dl', cases: pairs([CC_FLAGS]), flagMask: ALL });
  return forms;
}

/** One operand varying over VALUES (in eax and memory), each flag set. */
function column(flagSets: number[]): Case[] {
  const cases: Case[] = [];
  for (const a of VALUES) for (const f of flagSets) cases.push({ regs: [a, rnd(), rnd(), rnd()], flags: f, mem: [a, rnd(), 0] });
  return cases;
}

function unary(): Form[] {
  const forms: Form[] = [];
  for (const op of ['inc', 'dec', 'neg', 'not'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      forms.push({ name: `${op}${s} ${REGS[bits][0]}`, asm: `${op}${s} ${REGS[bits][0]}`, cases: column([0, CC_FLAGS]), flagMask: ALL });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop`, cases: column([CF, CC_FLAGS & ~CF]), flagMask: ALL });
    }
  return forms;
}

function shifts(): Form[] {
  const forms: Form[] = [];
  for (const op of ['shl', 'shr', 'sar', 'rol', 'ror', 'rcl', 'rcr'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      const a = REGS[bits][0];
      const flags = flagSetsFor(op.startsWith('rc'));
      const byCl: Case[] = [];
      for (const v of VALUES) for (const n of COUNTS) for (const f of flags) byCl.push({ regs: [v, rnd(), n, rnd()], flags: f, mem: [v, 0, 0] });
      forms.push({ name: `${op}${s} %cl,${a}`, asm: `${op}${s} %cl, ${a}`, cases: byCl, flagMask: (c) => shiftMask(op, bits, c.regs[2] as number) });
      forms.push({ name: `${op}${s} %cl,mem`, asm: `${op}${s} %cl, memop`, cases: byCl.filter((_, i) => i % 3 === 0), flagMask: (c) => shiftMask(op, bits, c.regs[2] as number) });
      for (const n of [1, 4, bits - 1, bits, 31]) {
        const imm = n === 1 ? `${op}${s} ${a}` : `${op}${s} $${n}, ${a}`;
        forms.push({ name: imm, asm: imm, cases: column(flags), flagMask: () => shiftMask(op, bits, n) });
      }
    }
  for (const op of ['shld', 'shrd'])
    for (const bits of [16, 32]) {
      const s = SUFFIX[bits];
      const [a, b] = REGS[bits];
      const cases: Case[] = [];
      for (const v of VALUES) for (const w of [0, 0xffffffff, 0x12345678, 0x80000001]) for (const n of COUNTS) cases.push({ regs: [v, w, n, 0], flags: CC_FLAGS & ~CF, mem: [v, 0, 0] });
      forms.push({ name: `${op}${s} %cl,${b},${a}`, asm: `${op}${s} %cl, ${b}, ${a}`, cases, flagMask: (c) => shiftMask(op, bits, c.regs[2] as number) });
      for (const n of [1, 5, bits - 1]) {
        forms.push({ name: `${op}${s} $${n},${b},mem`, asm: `${op}${s} $${n}, ${b}, memop`, cases: cases.filter((c) => c.regs[2] === 0), flagMask: () => shiftMask(op, bits, n) });
      }
    }
  return forms;
}

function muldiv(): Form[] {
  const forms: Form[] = [];
  for (const op of ['mul', 'imul'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      forms.push({ name: `${op}${s} ${REGS[bits][1]}`, asm: `${op}${s} ${REGS[bits][1]}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF | OF });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop`, cases: pairs([CC_FLAGS]), flagMask: () => CF | OF });
    }
  for (const bits of [16, 32]) {
    const [a, b] = REGS[bits];
    const s = SUFFIX[bits];
    forms.push({ name: `imul${s} ${b},${a}`, asm: `imul${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF | OF });
    forms.push({ name: `imul${s} $-3,${b},${a}`, asm: `imul${s} $-3, ${b}, ${a}`, cases: pairs([0]), flagMask: () => CF | OF });
    forms.push({ name: `imul${s} $0x1234,mem,${a}`, asm: `imul${s} $0x1234, memop, ${a}`, cases: pairs([CC_FLAGS]), flagMask: () => CF | OF });
  }
  for (const op of ['div', 'idiv'])
    for (const bits of SIZES) {
      const s = SUFFIX[bits];
      const cases: Case[] = [];
      for (const hi of [0, 1, 0x7f, 0xffffffff, 0x80000000]) for (const lo of VALUES) for (const d of VALUES) {
        const c: Case = { regs: [lo, d, rnd(), hi], flags: 0, mem: [d, 0, 0] };
        if (!divFaults(op === 'idiv', bits, BigInt(lo >>> 0), BigInt(hi >>> 0), BigInt(d >>> 0))) cases.push(c);
      }
      forms.push({ name: `${op}${s} ${REGS[bits][1]}`, asm: `${op}${s} ${REGS[bits][1]}`, cases, flagMask: () => 0 });
      forms.push({ name: `${op}${s} mem`, asm: `${op}${s} memop`, cases: cases.filter((_, i) => i % 4 === 0), flagMask: () => 0 });
    }
  return forms;
}

function bitOps(): Form[] {
  const forms: Form[] = [];
  for (const op of ['bt', 'bts', 'btr', 'btc'])
    for (const bits of [16, 32]) {
      const [a, b] = REGS[bits];
      const s = SUFFIX[bits];
      forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => CF | ZF });
      const inWord = pairs([CC_FLAGS]).filter((c) => (c.regs[1] as number) < 64);
      forms.push({ name: `${op}${s} ${b},mem`, asm: `${op}${s} ${b}, memop`, cases: inWord, flagMask: () => CF | ZF });
      for (const n of [0, 7, bits - 1]) forms.push({ name: `${op}${s} $${n},${a}`, asm: `${op}${s} $${n}, ${a}`, cases: column([0, CC_FLAGS]), flagMask: () => CF | ZF });
    }
  for (const op of ['bsf', 'bsr'])
    for (const bits of [16, 32]) {
      const [a, b] = REGS[bits];
      const s = SUFFIX[bits];
      const zeroSrc = (c: Case) => (((c.regs[1] as number) & (bits === 16 ? 0xffff : 0xffffffff)) === 0 ? [0] : []);
      forms.push({ name: `${op}${s} ${b},${a}`, asm: `${op}${s} ${b}, ${a}`, cases: pairs([0, CC_FLAGS]), flagMask: () => ZF, undefRegs: zeroSrc });
    }
  for (const cc of CONDS) {
    forms.push({ name: `set${cc} %al`, asm: `set${cc} %al`, cases: flagCombos(), flagMask: ALL });
    forms.push({ name: `cmov${cc}l %ebx,%eax`, asm: `cmov${cc}l %ebx, %eax`, cases: flagCombos(), flagMask: ALL });
    forms.push({ name: `cmov${cc}w mem,%ax`, asm: `cmov${cc}w memop, %ax`, cases: flagCombos(), flagMask: ALL });
    forms.push({ name: `j${cc}`, asm: `movl $1, %eax; j${cc} 5f; movl $2, %eax; 5:`, cases: flagCombos(), flagMask: ALL });
  }
  return forms;
}

/** Every combination of the flags conditions read, with fixed register values. */
function flagCombos(): Case[] {
  return FLAG_COMBOS.map((f) => ({ regs: [0x11223344, 0xaabbccdd, 0, 0], flags: f, mem: [0x5566, 0, 0] }));
}

function moves(): Form[] {
  const f = (name: string, asm: string, cases = column([0, CC_FLAGS]), mask = ALL): Form => ({ name, asm, cases, flagMask: mask });
  return [
    f('cbw', 'cbtw'), f('cwde', 'cwtl'), f('cwd', 'cwtd'), f('cdq', 'cltd'),
    f('movzbl', 'movzbl %al, %ebx'), f('movzwl', 'movzwl memop, %ebx'), f('movzbw', 'movzbw %ah, %bx'),
    f('movsbl', 'movsbl memop, %ebx'), f('movswl', 'movswl %ax, %ebx'), f('movsbw', 'movsbw %al, %bx'),
    f('bswap', 'bswap %eax'), f('lea', 'leal -0x80(%eax,%ebx,4), %ecx', pairs([0])), f('leaw', 'leaw 7(%eax,%ebx), %cx', pairs([0])),
    f('xchgl', 'xchgl %eax, %ebx', pairs([0])), f('xchgb mem', 'xchgb %al, memop', pairs([0])),
    f('xaddl', 'xaddl %ebx, %eax', pairs([0, CC_FLAGS])), f('xaddw mem', 'xaddw %bx, memop', pairs([0, CC_FLAGS])),
    f('xaddb', 'lock xaddb %bl, memop', pairs([CC_FLAGS])),
    f('cmpxchgl', 'cmpxchgl %ecx, %ebx', cmpxchgCases()), f('cmpxchgw mem', 'lock cmpxchgw %cx, memop', cmpxchgCases()),
    f('cmpxchgb', 'cmpxchgb %cl, %bl', cmpxchgCases()),
    f('cmpxchg8b', 'lock cmpxchg8b memop', cmpxchg8bCases()),
    f('lahf', 'lahf', flagCombos().map((c) => ({ ...c, flags: c.flags | AF }))), f('sahf', 'sahf', column([0, CC_FLAGS])),
    f('clc', 'clc', flagCombos()), f('stc', 'stc', flagCombos()), f('cmc', 'cmc', flagCombos()),
    f('std/cld', 'std; pushfl; popl %ebx; cld', flagCombos(), () => CC_FLAGS | DF),
    f('pushl/popl', 'pushl %ebx; popl %eax; pushw %ax; popw %cx'),
    f('pushfl', 'pushfl; popl %ebx; andl $0x8d5, %ebx', flagCombos()),
    f('popfl', 'pushl %ebx; popfl', column([0]).map((c) => ({ ...c, regs: [0, (c.regs[0] as number) & (CC_FLAGS | DF), 0, 0] })), () => CC_FLAGS | DF),
    f('pushal/popal', 'pushal; movl $1, %eax; movl $2, %ebx; movl $3, %esi; popal', pairs([0])),
    f('pushal frame', 'pushal; movl 28(%esp), %ecx; movl 12(%esp), %edx; subl %esp, %edx; movl %ecx, memop; movl %edx, memop+4; popal', pairs([0])),
    f('enter/leave', 'pushl %ebp; movl %esp, %ebp; enter $12, $0; movl %ebp, %ecx; subl %esp, %ecx; leave; movl %ebp, %edx; subl %esp, %edx; popl %ebp', pairs([0])),
    f('call/ret $n', 'pushl $7; call 6f; jmp 7f; 6: ret $4; 7: movl $5, %ecx', column([0])),
    f('call *reg', 'movl $6f, %ecx; call *%ecx; jmp 7f; 6: movl $9, %eax; ret; 7:', column([0])),
    f('jmp *mem', 'movl $6f, memop; jmp *memop; movl $1, %eax; 6: movl $2, %ebx', column([0])),
    f('loop', 'xorl %eax, %eax; 8: addl $3, %eax; loop 8b', loopCases()),
    f('loope', 'xorl %eax, %eax; 8: incl %eax; cmpl %edx, %eax; loope 8b', loopCases()),
    f('loopne', 'xorl %eax, %eax; 8: incl %eax; cmpl %edx, %eax; loopne 8b', loopCases()),
    f('jecxz', 'movl $1, %eax; jecxz 8f; movl $2, %eax; 8:', loopCases([0, 0x10000])),
    f('jcxz', 'movl $1, %eax; jcxz 8f; movl $2, %eax; 8:', loopCases([0, 0x10000, 0xffff0000])),
    f('xlat', 'movl $xtab, %ebx; xlat; subl $xtab, %ebx'),
    f('nops', 'nop; nopw 0(%eax,%eax,1); nopl 0(%eax); xchgw %ax, %ax; fnop; pause'),
  ];
}

function cmpxchgCases(): Case[] {
  const cases: Case[] = [];
  for (const a of VALUES.slice(0, 12)) for (const b of [a, 0, 0x80, 0xffffffff]) cases.push({ regs: [a, b, rnd(), 0], flags: CC_FLAGS & ~ZF, mem: [b, 0, 0] });
  return cases;
}

function cmpxchg8bCases(): Case[] {
  const cases: Case[] = [];
  for (const lo of [0, 1, 0xffffffff]) for (const hi of [0, 0x80000000]) for (const same of [true, false]) {
    cases.push({ regs: [lo, 0x11111111, 0x22222222, hi], flags: 0, mem: [same ? lo : lo ^ 1, hi, 0] });
  }
  return cases;
}

/** Counts for the loop forms (ecx = 0 would loop 2^32 times; jecxz/jcxz add their zero cases). */
function loopCases(extra: number[] = []): Case[] {
  return [1, 2, 3, 5, 8, 0x10001, ...extra].flatMap((n) => [0, 2, 4, 100].map((d) => ({ regs: [0, 0, n, d] as Val[], flags: 0 })));
}

/** BCD adjustments: every AL value with AF/CF in and out. */
function bcd(): Form[] {
  const alCases = (hiAh: number): Case[] => {
    const cases: Case[] = [];
    for (let al = 0; al < 256; al += 3) for (const f of [0, CF, AF, CF | AF]) cases.push({ regs: [(hiAh << 8) | al, 0, 0, 0], flags: f });
    return cases;
  };
  return [
    { name: 'daa', asm: 'daa', cases: alCases(0x12), flagMask: () => CC_FLAGS & ~OF },
    { name: 'das', asm: 'das', cases: alCases(0x34), flagMask: () => CC_FLAGS & ~OF },
    { name: 'aaa', asm: 'aaa', cases: alCases(0x56), flagMask: () => CF | AF },
    { name: 'aas', asm: 'aas', cases: alCases(0x78), flagMask: () => CF | AF },
    { name: 'aam', asm: 'aam', cases: alCases(0x9a), flagMask: () => SF | ZF | PF },
    { name: 'aam $16', asm: 'aam $16', cases: alCases(0), flagMask: () => SF | ZF | PF },
    { name: 'aad', asm: 'aad', cases: alCases(0x09), flagMask: () => SF | ZF | PF },
    { name: 'aad $7', asm: 'aad $7', cases: alCases(0xfe), flagMask: () => SF | ZF | PF },
  ];
}

/** String instructions with and without rep prefixes, both directions, on buffer `buf`. */
function strings(): Form[] {
  const pre = 'movl $64, %ecx; movl $buf, %edi; 9: movl %ecx, %eax; imull $0x9e3779b1, %eax; movl %eax, -4(%edi,%ecx,4); loop 9b';
  // record a hash of the buffer in mem[0..1]
  const post = 'xorl %eax, %eax; movl $64, %ecx; 9: imull $31, %eax; xorl buf-4(,%ecx,4), %eax; loop 9b; movl %eax, sav+24';
  const cases: Case[] = [];
  for (const n of [0, 1, 3, 8]) for (const down of [false, true]) for (const [s, d] of [[48, 120], [130, 60]]) {
    cases.push({ regs: [0x41424344, 0, n, 0, `buf+${s}`, `buf+${d}`], flags: (down ? DF : 0) | (n & 1 ? ZF : 0) });
  }
  const forms: Form[] = [];
  for (const op of ['movs', 'stos', 'lods', 'cmps', 'scas'])
    for (const s of ['b', 'w', 'l'])
      for (const rep of op === 'cmps' || op === 'scas' ? ['', 'repe ', 'repne '] : ['', 'rep ']) {
        const asm = `${rep}${op}${s}`;
        // esi/edi are compared as offsets into buf
        forms.push({ name: asm, asm, cases, flagMask: () => CC_FLAGS | DF, pre, post: `${post}; subl $buf, sav+16; subl $buf, sav+20` });
      }
  // 16-bit addressing reaches memory only through a segment base: %fs = buf (set_thread_area,
  // the descriptor built in memop); SI and CX count, the upper halves of ESI and ECX stay
  const fsPre = `${pre}; cmpl $0, fsel; jne 7f; movl $-1, memop; movl $buf, memop+4; movl $0xfffff, memop+8; movl $0x51, memop+12; ` +
    'movl $243, %eax; movl $memop, %ebx; int $0x80; movl memop, %eax; shll $3, %eax; orl $3, %eax; movl %eax, fsel; 7: movw fsel, %fs';
  const cases16: Case[] = [];
  for (const n of [0, 1, 3]) for (const down of [false, true]) cases16.push({ regs: [0x41424344, 0, 0x55550000 + n, 0, 0xabcd0080, 0], flags: down ? DF : 0 });
  for (const asm of ['addr16 lodsb %fs:(%si)', 'addr16 lodsl %fs:(%si)', 'addr16 rep lodsw %fs:(%si)', 'addr16 rep lodsb %fs:(%si)']) {
    forms.push({ name: asm, asm, cases: cases16, flagMask: () => CC_FLAGS | DF, pre: fsPre });
  }
  return forms;
}

/** Less common encodings: 16-bit stack ops, enter with nesting, 16-bit addressing, locked and memory forms. */
function misc(): Form[] {
  const cases = [0, CF, CC_FLAGS, CC_FLAGS & ~CF].map((f) => ({ regs: [0x12345678, 0x8d5, 3, 4] as Val[], flags: f, mem: [0x80000001, 0x7fff, 0xff] }));
  const f = (name: string, asm: string, mask = CC_FLAGS): Form => ({ name, asm, cases, flagMask: () => mask });
  return [
    f('pushfw/popfw', 'pushfw; popw %ax; pushw %bx; popfw', CC_FLAGS | DF),
    f('pushw/popw', 'pushw $-2; popw %ax; pushw %bx; pushw $7; popl %ecx; pushw %bx; popw %dx'),
    f('enter level 1', 'pushl %ebp; movl %esp, %ebp; enter $8, $1; movl %ebp, %ecx; subl %esp, %ecx; movl -4(%ebp), %edx; subl %ebp, %edx; movl (%ebp), %esi; subl %ebp, %esi; leave; popl %ebp'),
    f('enter level 3', 'pushl %ebp; movl %esp, %ebp; pushl %ebp; movl %esp, %ebp; enter $4, $3; movl %ebp, %ecx; subl %esp, %ecx; leave; leave; popl %ebp'),
    f('loop with cx', 'xorl %eax, %eax; 8: incl %eax; addr16 loop 8b'),
    f('16-bit addressing lea', 'addr16 leal 0x10(%bx,%si), %eax; addr16 leaw -2(%bp,%di), %dx'),
    f('setcc memory', 'cmpl %ebx, %eax; setl memop; setbe memop+1'),
    f('segment register moves', 'movw %ds, %ax; movw %ax, %es; movl %es, %ecx'),
    f('locked read-modify-write', 'lock addl %ebx, memop; lock incl memop+4; lock btsl $3, memop+8; lock xchgl %ecx, memop'),
    f('push/pop memory', 'pushl memop; popl memop+4; pushw memop; popw memop+8'),
    f('sahf then lahf', 'movb $0xd5, %ah; sahf; lahf'),
    f('xchg memory', 'xchgw %bx, memop; xchgb %ch, memop+5'),
    f('cmpxchg equal', 'movl memop, %eax; cmpxchgl %ebx, memop'),
    f('imul immediate', 'imull $-7, %ebx, %eax; imulw $100, %bx, %cx', CF | OF),
    f('shifts by one in memory', 'shll memop; sarw memop+4; rorb memop+8; rcll memop', CC_FLAGS & ~AF),
    f('cmov memory', 'cmpl %ebx, %eax; cmovgl memop, %ecx; cmovbw memop, %dx'),
    f('movsx/movzx memory', 'movsbw memop, %ax; movswl memop+2, %ecx; movzbw memop+1, %dx'),
  ];
}

export function integerForms(): Form[] {
  return [...binary(), ...unary(), ...shifts(), ...muldiv(), ...bitOps(), ...moves(), ...misc(), ...bcd(), ...strings()];
}
