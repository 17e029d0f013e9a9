/**
 * Forms whose memory operand depends on a register the instruction itself changes, swept
 * over every addressing form that involves that register: pop/push/call through %esp (pop
 * computes its address after %esp moves, push and call before), enter at every nesting
 * level and leave, xchg/xadd/cmpxchg/cmpxchg8b whose register operands overlap each other
 * or the address, string moves over overlapping buffers, bit tests whose register offset
 * reaches outside the addressed dword.
 *
 * Stack forms run with %esp (and for enter/leave %ebp) inside `stk`, filled with a pattern
 * first; the record's mem[0] is a hash of `stk` afterwards and mem[1] the final %esp - stk.
 */
import type { Case, Form, Val } from './insn-program';
import { CC_FLAGS, CF, ZF } from '@dbtlab/x86-frontend';

/** Word i of stk = i * 0x9e3779b1 (pre); hash of stk into mem[0], %esp - stk into mem[1] (post). */
const FILL = 'movl $256, %ecx; 9: movl %ecx, %eax; imull $0x9e3779b1, %eax; movl %eax, stk-4(,%ecx,4); loop 9b';
const HASH = 'xorl %eax, %eax; movl $256, %ecx; 9: imull $31, %eax; xorl stk-4(,%ecx,4), %eax; loop 9b; movl %eax, sav+24; movl stkesp, %eax; subl $stk, %eax; movl %eax, sav+28';
/** Runs `insn` with %esp = stk+512 (and %ebp = stk+800 when asked), then restores both. */
const onStack = (insn: string, ebp = false): string =>
  [
    'movl %esp, savesp',
    ebp ? 'movl %ebp, saveebp; movl $stk+800, %ebp' : '',
    'movl $stk+512, %esp',
    insn,
    'movl %esp, stkesp',
    ebp ? 'subl $stk, %ebp; movl %ebp, %edi; movl saveebp, %ebp' : '',
    'movl savesp, %esp',
  ]
    .filter(Boolean)
    .join('; ');

/** Index register values (eax, ebx) and an alias of the stack pointer (esi). */
const INDEX_CASES: Case[] = [
  [0, 0],
  [4, -4],
  [-8, 12],
  [2, 1],
  [12, -16],
].map(([a, b]) => ({ regs: [a, b, 0x11111111, 0x22222222, 'stk+512', 0x33333333] as Val[], flags: 0 }));

/** Every memory operand form that involves %esp (as base, with an index, with a segment override) or an alias of it. */
function stackOperands(): string[] {
  const out = ['(%esp)'];
  for (const d of [-0x100, -0x40, -8, -4, -2, -1, 1, 2, 3, 4, 8, 0x40, 0x100]) out.push(`${d}(%esp)`);
  for (const s of [1, 2, 4, 8]) out.push(`(%esp,%eax,${s})`, `4(%esp,%ebx,${s})`);
  out.push('%ss:4(%esp)', '%ds:-4(%esp)', '(%esi)', '4(%esi)', '-4(%esi,%eax,2)');
  return out;
}

function stackForms(): Form[] {
  const forms: Form[] = [];
  const f = (name: string, insn: string, cases = INDEX_CASES, pre = FILL, ebp = false): Form => ({
    name,
    asm: onStack(insn, ebp),
    cases,
    flagMask: () => CC_FLAGS,
    pre,
    post: HASH,
  });
  for (const m of stackOperands()) {
    for (const op of ['popl', 'popw', 'pushl', 'pushw']) forms.push(f(`${op} ${m}`, `${op} ${m}`));
    // an 8-slot landing sled: the slot the target was read from shows in %edi
    const sled = 'movl $256, %ecx; 9: movl %ecx, %eax; andl $7, %eax; addl $6f, %eax; movl %eax, stk-4(,%ecx,4); loop 9b';
    const land = '6: incl %edi; incl %edi; incl %edi; incl %edi; incl %edi; incl %edi; incl %edi; incl %edi';
    // a target read across two slots would be no code address: whole slots only
    if (/^-?(0x)?[0-9a-f]*[048c]\(|^\(|^%ss:4|^%ds:-4/.test(m)) {
      const aligned = INDEX_CASES.filter((c) => c.regs.slice(0, 2).every((v) => (v as number) % 4 === 0));
      forms.push(f(`call *${m}`, `call *${m}; ${land}`, aligned, sled));
      forms.push(f(`jmp *${m}`, `jmp *${m}; ${land}`, aligned, sled));
    }
  }
  for (const insn of ['pushl %esp', 'popl %esp', 'pushw %sp', 'popw %sp', 'pushal', 'pushaw', 'pushl (%esp); popl 4(%esp)', 'xchgl %esp, %eax; xchgl %esp, %eax', 'xaddl %eax, (%esp)', 'btsl %eax, (%esp)'])
    forms.push(f(insn, insn));
  // popa loads %ebp too
  for (const insn of ['popal', 'popaw']) forms.push(f(insn, insn, INDEX_CASES, FILL, true));
  // enter at every nesting level, 32- and 16-bit, then leave
  for (const [sfx, bits] of [['l', 32], ['w', 16]] as const)
    for (let level = 0; level < 32; level++)
      for (const alloc of level % 4 === 0 ? [0, 6, 0x1234] : [8]) {
        const insn = `enter${sfx} $${alloc}, $${level}`;
        forms.push(f(insn, `${insn}; movl %esp, %eax; subl $stk, %eax; movl %ebp, %ebx; subl $stk, %ebx; leave${sfx}`, [INDEX_CASES[0]], FILL, true));
        if (bits === 32 && level === 31) forms.push(f(`${insn} (level & 31 of 63)`, `enter${sfx} $${alloc}, $63`, [INDEX_CASES[0]], FILL, true));
      }
  forms.push(f('leavel', 'leavel', INDEX_CASES, FILL, true), f('leavew', 'leavew', INDEX_CASES, FILL, true));
  return forms;
}

const REGS8 = ['%al', '%ah', '%bl', '%bh', '%cl'];
const REGS16 = ['%ax', '%bx', '%cx'];
const REGS32 = ['%eax', '%ebx', '%ecx'];

/** eax/ebx/ecx equal and unequal in every width, so cmpxchg takes both paths. */
function overlapCases(): Case[] {
  const cases: Case[] = [];
  for (const [a, b, c] of [
    [0x11223344, 0x11223344, 0x55667788],
    [0x11223344, 0x99aabbcc, 0x11223344],
    [0x4444, 0x4444, 0x4444],
    [0x7f7f, 0x1234, 0x80000000],
    [0xffffffff, 0, 0xffffffff],
    [0x8080, 0x80, 0x8000],
  ])
    for (const flags of [0, CC_FLAGS]) cases.push({ regs: [a, b, c, 0x5a5a5a5a, 0, 0], flags });
  return cases;
}

function overlapForms(): Form[] {
  const forms: Form[] = [];
  const mask = () => CC_FLAGS;
  for (const regs of [REGS8, REGS16, REGS32])
    for (const x of regs)
      for (const y of regs)
        for (const op of ['xchg', 'xadd', 'cmpxchg']) {
          const asm = `${op} ${x}, ${y}`;
          forms.push({ name: asm, asm, cases: overlapCases(), flagMask: mask });
        }
  // the register that addresses memory is also an operand (eax/ebx = memop; edx:eax for cmpxchg8b)
  const memCases = (mem0: Val): Case[] =>
    [0, CC_FLAGS].flatMap((flags) => [
      { regs: ['memop', 'memop', 0x12345678, 0, 0, 0] as Val[], mem: [mem0, 0x9abcdef0, 0x77], flags },
      { regs: ['memop', 'memop', 0x12345678, 0, 0, 0] as Val[], mem: [0xdeadbeef, 0x9abcdef0, 0x77], flags },
    ]);
  for (const asm of [
    'xchgl %eax, (%eax)', 'xchgw %ax, (%eax)', 'xchgb %al, (%eax)', 'xchgb %ah, 1(%eax)', 'xchgl (%ebx), %ebx',
    'xaddl %eax, (%eax)', 'xaddw %ax, 2(%eax)', 'xaddb %al, (%eax)', 'xaddl %ebx, (%eax)', 'xaddl %eax, (%ebx)',
    'cmpxchgl %eax, (%eax)', 'cmpxchgl %ebx, (%eax)', 'cmpxchgl %eax, (%ebx)', 'cmpxchgw %ax, (%ebx)', 'cmpxchgb %bl, (%eax)',
    'lock cmpxchgl %ecx, (%eax,%edx)', 'cmpxchgl %ecx, (%ebx)',
  ])
    forms.push({ name: asm, asm, cases: memCases('memop'), flagMask: mask });
  for (const [asm, addrReg] of [['cmpxchg8b (%eax)', 0], ['cmpxchg8b (%edx)', 3], ['cmpxchg8b (%ebx)', 1], ['cmpxchg8b (%ecx)', 2], ['cmpxchg8b -4(%eax,%edx)', -1]] as const) {
    const cases: Case[] = [];
    for (const same of [true, false]) {
      const regs: Val[] = [0x10, 0x01020304, 0x05060708, 0x20, 0, 0];
      if (addrReg >= 0) regs[addrReg] = 'memop';
      else {
        regs[0] = 'memop';
        regs[3] = 4;
      }
      const lo = regs[0];
      const hi = regs[3];
      cases.push({ regs, mem: same ? [lo, hi, 0x77] : [lo, 0x99, 0x77], flags: CC_FLAGS });
    }
    forms.push({ name: asm, asm, cases, flagMask: () => ZF });
  }
  return forms;
}

/** Bit tests with a register offset address the dword at offset >> 5 (signed), anywhere. */
function bitOffsetForms(): Form[] {
  const forms: Form[] = [];
  const cases: Case[] = [-2000, -100, -33, -32, -1, 0, 31, 32, 63, 100, 1500].map((b) => ({ regs: ['stk+512', b, 0, 0, 0, 0] as Val[], flags: CC_FLAGS }));
  for (const op of ['bt', 'bts', 'btr', 'btc'])
    for (const s of ['w', 'l']) {
      const r = s === 'w' ? '%bx' : '%ebx';
      for (const m of ['(%eax)', '3(%eax)']) {
        const asm = `${op}${s} ${r}, ${m}`;
        forms.push({ name: asm, asm: `movl %esp, stkesp; ${asm}`, cases, flagMask: () => CF | ZF, pre: FILL, post: `${HASH}; movl $0, sav+28` });
      }
    }
  return forms;
}

/** movs/stos/cmps over source and destination that overlap at every small distance, both directions. */
function overlapStringForms(): Form[] {
  const cases: Case[] = [];
  for (const dist of [-4, -3, -2, -1, 0, 1, 2, 3, 4, 5]) for (const down of [false, true]) cases.push({ regs: [0x41424344, 0, 9, 0, 'stk+400', `stk+${400 + dist}`], flags: down ? 0x400 : 0 });
  const forms: Form[] = [];
  for (const asm of ['rep movsb', 'rep movsw', 'rep movsl', 'repe cmpsb', 'repne cmpsl', 'movsl', 'rep stosw'])
    forms.push({ name: `${asm} (overlapping)`, asm: `movl %esp, stkesp; ${asm}; cld`, cases, flagMask: () => CC_FLAGS | 0x400, pre: FILL, post: `${HASH}; movl $0, sav+28; subl $stk, sav+16; subl $stk, sav+20` });
  return forms;
}

export function selfRefForms(): Form[] {
  return [...stackForms(), ...overlapForms(), ...bitOffsetForms(), ...overlapStringForms()];
}
