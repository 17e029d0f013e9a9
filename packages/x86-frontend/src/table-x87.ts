/**
 * x87 rows (D8-DF): memory forms by ModRM.reg with their operand sizes, register forms
 * by ModRM.reg (st(i) = ModRM.rm) or by the whole ModRM byte.
 * AT&T quirk kept as objdump prints it: in DC/DE register forms the sub/subr and div/divr
 * mnemonics are swapped relative to the Intel operation (DE E9 = Intel FSUBP = AT&T fsubrp).
 */
import type { InsnRowDef } from './insn-row';
import type { X86Op } from './op-info';
import type { OperandSpec } from './operand-types';
import { row } from './table-integer';

const rows: InsnRowDef[] = [];

type MemForm = readonly [X86Op, OperandSpec, string] | undefined;
/** Memory forms by opcode, then ModRM.reg: [op, operand, AT&T mnemonic]. */
const MEM_FORMS: Record<number, readonly MemForm[]> = {
  0xd8: [['FADD', 'Md', 'fadds'], ['FMUL', 'Md', 'fmuls'], ['FCOM', 'Md', 'fcoms'], ['FCOMP', 'Md', 'fcomps'],
    ['FSUB', 'Md', 'fsubs'], ['FSUBR', 'Md', 'fsubrs'], ['FDIV', 'Md', 'fdivs'], ['FDIVR', 'Md', 'fdivrs']],
  0xd9: [['FLD', 'Md', 'flds'], undefined, ['FST', 'Md', 'fsts'], ['FSTP', 'Md', 'fstps'],
    ['FLDENV', 'M0', 'fldenv'], ['FLDCW', 'Mw', 'fldcw'], ['FNSTENV', 'M0', 'fnstenv'], ['FNSTCW', 'Mw', 'fnstcw']],
  0xda: [['FIADD', 'Md', 'fiaddl'], ['FIMUL', 'Md', 'fimull'], ['FICOM', 'Md', 'ficoml'], ['FICOMP', 'Md', 'ficompl'],
    ['FISUB', 'Md', 'fisubl'], ['FISUBR', 'Md', 'fisubrl'], ['FIDIV', 'Md', 'fidivl'], ['FIDIVR', 'Md', 'fidivrl']],
  0xdb: [['FILD', 'Md', 'fildl'], ['FISTTP', 'Md', 'fisttpl'], ['FIST', 'Md', 'fistl'], ['FISTP', 'Md', 'fistpl'],
    undefined, ['FLD', 'Mt', 'fldt'], undefined, ['FSTP', 'Mt', 'fstpt']],
  0xdc: [['FADD', 'Mq', 'faddl'], ['FMUL', 'Mq', 'fmull'], ['FCOM', 'Mq', 'fcoml'], ['FCOMP', 'Mq', 'fcompl'],
    ['FSUB', 'Mq', 'fsubl'], ['FSUBR', 'Mq', 'fsubrl'], ['FDIV', 'Mq', 'fdivl'], ['FDIVR', 'Mq', 'fdivrl']],
  0xdd: [['FLD', 'Mq', 'fldl'], ['FISTTP', 'Mq', 'fisttpll'], ['FST', 'Mq', 'fstl'], ['FSTP', 'Mq', 'fstpl'],
    ['FRSTOR', 'M0', 'frstor'], undefined, ['FNSAVE', 'M0', 'fnsave'], ['FNSTSW', 'Mw', 'fnstsw']],
  0xde: [['FIADD', 'Mw', 'fiadds'], ['FIMUL', 'Mw', 'fimuls'], ['FICOM', 'Mw', 'ficoms'], ['FICOMP', 'Mw', 'ficomps'],
    ['FISUB', 'Mw', 'fisubs'], ['FISUBR', 'Mw', 'fisubrs'], ['FIDIV', 'Mw', 'fidivs'], ['FIDIVR', 'Mw', 'fidivrs']],
  0xdf: [['FILD', 'Mw', 'filds'], ['FISTTP', 'Mw', 'fisttps'], ['FIST', 'Mw', 'fists'], ['FISTP', 'Mw', 'fistps'],
    ['FBLD', 'Mt', 'fbld'], ['FILD', 'Mq', 'fildll'], ['FBSTP', 'Mt', 'fbstp'], ['FISTP', 'Mq', 'fistpll']],
};
for (const [opc, forms] of Object.entries(MEM_FORMS)) {
  forms.forEach((f, reg) => {
    if (f) rows.push(row('one', Number(opc), f[0], [f[1]], f[2], { reg, mod: 'mem' }));
  });
}

type RegForm = readonly [X86Op, readonly OperandSpec[], string, number?] | undefined;
/** Register forms with st(i) = ModRM.rm, by opcode then ModRM.reg: [op, operands, AT&T, cond]. */
const STI_FORMS: Record<number, readonly RegForm[]> = {
  0xd8: [['FADD', ['ST0', 'Ft'], 'fadd'], ['FMUL', ['ST0', 'Ft'], 'fmul'], ['FCOM', ['Ft'], 'fcom'],
    ['FCOMP', ['Ft'], 'fcomp'], ['FSUB', ['ST0', 'Ft'], 'fsub'], ['FSUBR', ['ST0', 'Ft'], 'fsubr'],
    ['FDIV', ['ST0', 'Ft'], 'fdiv'], ['FDIVR', ['ST0', 'Ft'], 'fdivr']],
  0xd9: [['FLD', ['Ft'], 'fld'], ['FXCH', ['Ft'], 'fxch']],
  0xda: [['FCMOVCC', ['ST0', 'Ft'], 'fcmovb', 2], ['FCMOVCC', ['ST0', 'Ft'], 'fcmove', 4],
    ['FCMOVCC', ['ST0', 'Ft'], 'fcmovbe', 6], ['FCMOVCC', ['ST0', 'Ft'], 'fcmovu', 10]],
  0xdb: [['FCMOVCC', ['ST0', 'Ft'], 'fcmovnb', 3], ['FCMOVCC', ['ST0', 'Ft'], 'fcmovne', 5],
    ['FCMOVCC', ['ST0', 'Ft'], 'fcmovnbe', 7], ['FCMOVCC', ['ST0', 'Ft'], 'fcmovnu', 11], undefined,
    ['FUCOMI', ['ST0', 'Ft'], 'fucomi'], ['FCOMI', ['ST0', 'Ft'], 'fcomi']],
  0xdc: [['FADD', ['Ft', 'ST0'], 'fadd'], ['FMUL', ['Ft', 'ST0'], 'fmul'], undefined, undefined,
    ['FSUBR', ['Ft', 'ST0'], 'fsub'], ['FSUB', ['Ft', 'ST0'], 'fsubr'],
    ['FDIVR', ['Ft', 'ST0'], 'fdiv'], ['FDIV', ['Ft', 'ST0'], 'fdivr']],
  0xdd: [['FFREE', ['Ft'], 'ffree'], undefined, ['FST', ['Ft'], 'fst'], ['FSTP', ['Ft'], 'fstp'],
    ['FUCOM', ['Ft'], 'fucom'], ['FUCOMP', ['Ft'], 'fucomp']],
  0xde: [['FADDP', ['Ft', 'ST0'], 'faddp'], ['FMULP', ['Ft', 'ST0'], 'fmulp'], undefined, undefined,
    ['FSUBRP', ['Ft', 'ST0'], 'fsubp'], ['FSUBP', ['Ft', 'ST0'], 'fsubrp'],
    ['FDIVRP', ['Ft', 'ST0'], 'fdivp'], ['FDIVP', ['Ft', 'ST0'], 'fdivrp']],
  0xdf: [['FFREEP', ['Ft'], 'ffreep'], undefined, undefined, undefined, undefined,
    ['FUCOMIP', ['ST0', 'Ft'], 'fucomip'], ['FCOMIP', ['ST0', 'Ft'], 'fcomip']],
};
for (const [opc, forms] of Object.entries(STI_FORMS)) {
  forms.forEach((f, reg) => {
    if (f) rows.push(row('one', Number(opc), f[0], f[1], f[2], { reg, mod: 'reg', cond: f[3] }));
  });
}

/** Register forms fixed by the whole ModRM byte: [opcode, modrm, op, operands, AT&T]. */
const FIXED_FORMS: readonly (readonly [number, number, X86Op, readonly OperandSpec[], string])[] = [
  [0xd9, 0xd0, 'FNOP', [], 'fnop'], [0xd9, 0xe0, 'FCHS', [], 'fchs'], [0xd9, 0xe1, 'FABS', [], 'fabs'],
  [0xd9, 0xe4, 'FTST', [], 'ftst'], [0xd9, 0xe5, 'FXAM', [], 'fxam'], [0xd9, 0xe8, 'FLD1', [], 'fld1'],
  [0xd9, 0xe9, 'FLDL2T', [], 'fldl2t'], [0xd9, 0xea, 'FLDL2E', [], 'fldl2e'], [0xd9, 0xeb, 'FLDPI', [], 'fldpi'],
  [0xd9, 0xec, 'FLDLG2', [], 'fldlg2'], [0xd9, 0xed, 'FLDLN2', [], 'fldln2'], [0xd9, 0xee, 'FLDZ', [], 'fldz'],
  [0xd9, 0xf0, 'F2XM1', [], 'f2xm1'], [0xd9, 0xf1, 'FYL2X', [], 'fyl2x'], [0xd9, 0xf2, 'FPTAN', [], 'fptan'],
  [0xd9, 0xf3, 'FPATAN', [], 'fpatan'], [0xd9, 0xf4, 'FXTRACT', [], 'fxtract'], [0xd9, 0xf5, 'FPREM1', [], 'fprem1'],
  [0xd9, 0xf6, 'FDECSTP', [], 'fdecstp'], [0xd9, 0xf7, 'FINCSTP', [], 'fincstp'], [0xd9, 0xf8, 'FPREM', [], 'fprem'],
  [0xd9, 0xf9, 'FYL2XP1', [], 'fyl2xp1'], [0xd9, 0xfa, 'FSQRT', [], 'fsqrt'], [0xd9, 0xfb, 'FSINCOS', [], 'fsincos'],
  [0xd9, 0xfc, 'FRNDINT', [], 'frndint'], [0xd9, 0xfd, 'FSCALE', [], 'fscale'], [0xd9, 0xfe, 'FSIN', [], 'fsin'],
  [0xd9, 0xff, 'FCOS', [], 'fcos'], [0xda, 0xe9, 'FUCOMPP', [], 'fucompp'], [0xdb, 0xe2, 'FNCLEX', [], 'fnclex'],
  [0xdb, 0xe3, 'FNINIT', [], 'fninit'], [0xde, 0xd9, 'FCOMPP', [], 'fcompp'], [0xdf, 0xe0, 'FNSTSW', ['AX'], 'fnstsw'],
];
for (const [opc, modrm, op, operands, att] of FIXED_FORMS) {
  rows.push(row('one', opc, op, operands, att, { mod: 'reg', reg: (modrm >> 3) & 7, rm: modrm & 7 }));
}

/** The waiting forms of the control ops (9B then the no-wait encoding). */
const WAIT_FORMS: readonly (readonly [number, X86Op, readonly OperandSpec[], string, Partial<InsnRowDef>])[] = [
  [0xd9, 'FSTENV', ['M0'], 'fstenv', { reg: 6, mod: 'mem' }], [0xd9, 'FSTCW', ['Mw'], 'fstcw', { reg: 7, mod: 'mem' }],
  [0xdb, 'FCLEX', [], 'fclex', { reg: 4, rm: 2, mod: 'reg' }], [0xdb, 'FINIT', [], 'finit', { reg: 4, rm: 3, mod: 'reg' }],
  [0xdd, 'FSAVE', ['M0'], 'fsave', { reg: 6, mod: 'mem' }], [0xdd, 'FSTSW', ['Mw'], 'fstsw', { reg: 7, mod: 'mem' }],
  [0xdf, 'FSTSW', ['AX'], 'fstsw', { reg: 4, rm: 0, mod: 'reg' }],
];
for (const [opc, op, operands, att, extra] of WAIT_FORMS) rows.push(row('wait', opc, op, operands, att, extra));

export const X87_ROWS: readonly InsnRowDef[] = rows;
