/**
 * What each table row does, as one JavaScript statement list per row name. Both engines use
 * these bodies: the interpreter wraps each in a function taking the fields as arguments, the
 * block compiler splices them into one function per block with the fields as literals.
 *
 * In scope: L, H (Int32Array low/high register halves; 32 = LO, 33 = HI), A (HostAccess:
 * loads/stores), X (ALU64), and the fields rs rt rd sa imm (sign-extended) uimm, plus pos and
 * size for bit-field rows. 32-bit results are sign-extended (H = L >> 31), as the architecture
 * says. Where the ISA leaves a 32-bit operation on an input that is not sign-extended
 * UNPREDICTABLE, we do what QEMU does (held against qemu-mips64el): most read only the low
 * half; sra/srav shift the whole register; addu/subu with a $zero operand copy the other. A write to $zero is undone by the
 * engine. Branch rows give their condition (evaluated before the delay slot runs).
 */
import type { MipsInsnName } from './mips-insn-table';

/** Memory operands: base register and offset (HostAccess forms the address, so no double crosses a call). */
const EA = 'rs,imm';
const SEXT = (r: string): string => `H[${r}]=L[${r}]>>31;`;

export const SEMANTICS = {
  add: 'X.add32Trap(L,H,rd,L[rs],L[rt]);',
  // With $zero as one operand QEMU moves the other register whole (no sign extension).
  addu: `if(rs===0||rt===0){L[rd]=L[rs]|L[rt];H[rd]=H[rs]|H[rt];}else{L[rd]=L[rs]+L[rt];${SEXT('rd')}}`,
  sub: 'X.add32Trap(L,H,rd,L[rs],-L[rt]);',
  subu: `if(rt===0){L[rd]=L[rs];H[rd]=H[rs];}else{L[rd]=L[rs]-L[rt];${SEXT('rd')}}`,
  and: 'L[rd]=L[rs]&L[rt];H[rd]=H[rs]&H[rt];',
  or: 'L[rd]=L[rs]|L[rt];H[rd]=H[rs]|H[rt];',
  xor: 'L[rd]=L[rs]^L[rt];H[rd]=H[rs]^H[rt];',
  nor: 'L[rd]=~(L[rs]|L[rt]);H[rd]=~(H[rs]|H[rt]);',
  slt: 'L[rd]=H[rs]<H[rt]||(H[rs]===H[rt]&&(L[rs]>>>0)<(L[rt]>>>0))?1:0;H[rd]=0;',
  sltu: 'L[rd]=(H[rs]>>>0)<(H[rt]>>>0)||(H[rs]===H[rt]&&(L[rs]>>>0)<(L[rt]>>>0))?1:0;H[rd]=0;',
  dadd: 'X.add64Trap(L,H,rd,X.reg64(L,H,rs),X.reg64(L,H,rt));',
  daddu: '{const s=(L[rs]>>>0)+(L[rt]>>>0);H[rd]=H[rs]+H[rt]+(s>4294967295?1:0);L[rd]=s;}',
  dsub: 'X.add64Trap(L,H,rd,X.reg64(L,H,rs),-X.reg64(L,H,rt));',
  dsubu: '{const s=(L[rs]>>>0)-(L[rt]>>>0);H[rd]=H[rs]-H[rt]-(s<0?1:0);L[rd]=s;}',
  movz: 'if(L[rt]===0&&H[rt]===0){L[rd]=L[rs];H[rd]=H[rs];}',
  movn: 'if(L[rt]!==0||H[rt]!==0){L[rd]=L[rs];H[rd]=H[rs];}',

  addi: 'X.add32Trap(L,H,rt,L[rs],imm);',
  addiu: `L[rt]=L[rs]+imm;${SEXT('rt')}`,
  slti: 'L[rt]=H[rs]<(imm>>31)||(H[rs]===(imm>>31)&&(L[rs]>>>0)<(imm>>>0))?1:0;H[rt]=0;',
  sltiu: 'L[rt]=(H[rs]>>>0)<((imm>>31)>>>0)||(H[rs]===(imm>>31)&&(L[rs]>>>0)<(imm>>>0))?1:0;H[rt]=0;',
  andi: 'L[rt]=L[rs]&uimm;H[rt]=0;',
  ori: 'L[rt]=L[rs]|uimm;H[rt]=H[rs];',
  xori: 'L[rt]=L[rs]^uimm;H[rt]=H[rs];',
  lui: `L[rt]=uimm<<16;${SEXT('rt')}`,
  daddi: 'X.add64Trap(L,H,rt,X.reg64(L,H,rs),BigInt(imm));',
  daddiu: '{const s=(L[rs]>>>0)+(imm>>>0);H[rt]=H[rs]+(imm>>31)+(s>4294967295?1:0);L[rt]=s;}',

  sll: `L[rd]=L[rt]<<sa;${SEXT('rd')}`,
  srl: `L[rd]=L[rt]>>>sa;${SEXT('rd')}`,
  rotr: `L[rd]=(L[rt]>>>sa)|(L[rt]<<(32-sa));${SEXT('rd')}`,
  // sra/srav shift the whole register: equal to the ISA's result on a sign-extended input,
  // and what QEMU computes on others (ISA: UNPREDICTABLE).
  sra: 'X.dsra(L,H,rd,rt,sa);',
  sllv: `L[rd]=L[rt]<<(L[rs]&31);${SEXT('rd')}`,
  srlv: `L[rd]=L[rt]>>>(L[rs]&31);${SEXT('rd')}`,
  rotrv: `{const n=L[rs]&31;L[rd]=(L[rt]>>>n)|(L[rt]<<(32-n));}${SEXT('rd')}`,
  srav: 'X.dsra(L,H,rd,rt,L[rs]&31);',
  dsllv: 'X.dsll(L,H,rd,rt,L[rs]&63);',
  dsrlv: 'X.dsrl(L,H,rd,rt,L[rs]&63);',
  drotrv: 'X.drotr(L,H,rd,rt,L[rs]&63);',
  dsrav: 'X.dsra(L,H,rd,rt,L[rs]&63);',
  dsll: 'X.dsll(L,H,rd,rt,sa);',
  dsrl: 'X.dsrl(L,H,rd,rt,sa);',
  drotr: 'X.drotr(L,H,rd,rt,sa);',
  dsra: 'X.dsra(L,H,rd,rt,sa);',
  dsll32: 'X.dsll(L,H,rd,rt,sa+32);',
  dsrl32: 'X.dsrl(L,H,rd,rt,sa+32);',
  drotr32: 'X.drotr(L,H,rd,rt,sa+32);',
  dsra32: 'X.dsra(L,H,rd,rt,sa+32);',

  mfhi: 'L[rd]=L[33];H[rd]=H[33];',
  mthi: 'L[33]=L[rs];H[33]=H[rs];',
  mflo: 'L[rd]=L[32];H[rd]=H[32];',
  mtlo: 'L[32]=L[rs];H[32]=H[rs];',
  mult: 'X.mult(L,H,rs,rt);',
  multu: 'X.multu(L,H,rs,rt);',
  div: 'X.div(L,H,rs,rt);',
  divu: 'X.divu(L,H,rs,rt);',
  dmult: 'X.dmult(L,H,rs,rt);',
  dmultu: 'X.dmultu(L,H,rs,rt);',
  ddiv: 'X.ddiv(L,H,rs,rt);',
  ddivu: 'X.ddivu(L,H,rs,rt);',
  mul: `L[rd]=Math.imul(L[rs],L[rt]);${SEXT('rd')}`,

  clz: 'L[rd]=Math.clz32(L[rs]);H[rd]=0;',
  dclz: 'L[rd]=H[rs]!==0?Math.clz32(H[rs]):32+Math.clz32(L[rs]);H[rd]=0;',
  seb: `L[rd]=(L[rt]<<24)>>24;${SEXT('rd')}`,
  seh: `L[rd]=(L[rt]<<16)>>16;${SEXT('rd')}`,
  wsbh: `{const x=L[rt];L[rd]=((x&0x00ff00ff)<<8)|((x>>>8)&0x00ff00ff);}${SEXT('rd')}`,
  dsbh: '{const x=L[rt],y=H[rt];L[rd]=((x&0x00ff00ff)<<8)|((x>>>8)&0x00ff00ff);H[rd]=((y&0x00ff00ff)<<8)|((y>>>8)&0x00ff00ff);}',
  dshd: '{const x=L[rt],y=H[rt];L[rd]=(y<<16)|(y>>>16);H[rd]=(x<<16)|(x>>>16);}',
  ext: 'X.extract(L,H,rt,rs,pos,size,32);',
  dextm: 'X.extract(L,H,rt,rs,pos,size,64);',
  dextu: 'X.extract(L,H,rt,rs,pos,size,64);',
  dext: 'X.extract(L,H,rt,rs,pos,size,64);',
  ins: 'X.insert(L,H,rt,rs,pos,size,32);',
  dinsm: 'X.insert(L,H,rt,rs,pos,size,64);',
  dinsu: 'X.insert(L,H,rt,rs,pos,size,64);',
  dins: 'X.insert(L,H,rt,rs,pos,size,64);',

  sync: '',
  syscall: "X.trap('trap','syscall in host code');",
  break: "X.trap('trap','break');",
  teq: "if(L[rs]===L[rt]&&H[rs]===H[rt])X.trap('trap','teq: trap if equal');",
  tne: "if(L[rs]!==L[rt]||H[rs]!==H[rt])X.trap('trap','tne: trap if not equal');",

  lb: `L[rt]=A.lb(${EA});${SEXT('rt')}`,
  lh: `L[rt]=A.lh(${EA});${SEXT('rt')}`,
  lwl: `A.lwl(${EA},rt);`,
  lw: `L[rt]=A.lw(${EA});${SEXT('rt')}`,
  lbu: `L[rt]=A.lbu(${EA});H[rt]=0;`,
  lhu: `L[rt]=A.lhu(${EA});H[rt]=0;`,
  lwr: `A.lwr(${EA},rt);`,
  lwu: `L[rt]=A.lw(${EA});H[rt]=0;`,
  ldl: `A.ldl(${EA},rt);`,
  ldr: `A.ldr(${EA},rt);`,
  ld: `A.ld(${EA},rt);`,
  sb: `A.sb(${EA},L[rt]);`,
  sh: `A.sh(${EA},L[rt]);`,
  swl: `A.swl(${EA},rt);`,
  sw: `A.sw(${EA},L[rt]);`,
  sdl: `A.sdl(${EA},rt);`,
  sdr: `A.sdr(${EA},rt);`,
  swr: `A.swr(${EA},rt);`,
  sd: `A.sd(${EA},rt);`,

  beq: 'L[rs]===L[rt]&&H[rs]===H[rt]',
  bne: 'L[rs]!==L[rt]||H[rs]!==H[rt]',
  blez: 'H[rs]<0||(H[rs]===0&&L[rs]===0)',
  bgtz: 'H[rs]>0||(H[rs]===0&&L[rs]!==0)',
  bltz: 'H[rs]<0',
  bgez: 'H[rs]>=0',
  bltzal: 'H[rs]<0',
  bgezal: 'H[rs]>=0',
  j: 'true',
  jal: 'true',
  jr: 'true',
  jalr: 'true',
} satisfies Record<MipsInsnName, string>;

/** Names a semantic body uses: the state (L, H, A, X), then the fields. */
export const SEMANTIC_PARAMS = ['L', 'H', 'A', 'X', 'rs', 'rt', 'rd', 'sa', 'imm', 'uimm', 'pos', 'size'] as const;
