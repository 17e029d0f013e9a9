/**
 * Regions: a hot block and the warm blocks it reaches, compiled into one JavaScript function
 * (superblocks), so that control moving between them (a loop's back edge, a TB's exit stub
 * and its chained successor, a fall-through) stays inside one function instead of returning
 * to the dispatcher each time. Members are found from each member's static successors (the
 * fall-through, a rel/abs branch target) and the successor the dispatcher last saw (jr
 * targets), keeping only blocks already compiled: the paths that actually ran.
 *
 * The function loops over a switch on the member index. Each member runs its compiled body,
 * counts its execution, and picks the next member from the pc control goes to; a pc outside the
 * region, or a member starting a TB while an interrupt is due (the dispatcher's check, made
 * at the same points), returns that pc as the member's own function would have, with
 * m.regionExit = that member: the dispatcher continues as if the member had just run. So
 * counts, faults (m.regionFault) and interrupt points are those of block-by-block execution.
 */
import { Block, blockBody, completeBlock, countsSumCode, FALL_THROUGH, indexPc, localRegisters, sharedFunction, type BlockFn } from './block-compiler';
import { branchTarget, jumpTarget } from './decode';

/** At most this many members and this many instructions (compile time grows with the text). */
export const MAX_REGION_BLOCKS = 32;
const MAX_REGION_INSNS = 512;

/** Whether the branch never falls through (j, jal, jr, jalr). */
const unconditional = (b: Block): boolean => b.branchAt >= 0 && b.ds[b.branchAt]!.insn.branch !== 'rel';

/** The branch target known from the word (rel/abs), else undefined. */
function staticTarget(b: Block): number | undefined {
  if (b.branchAt < 0) return undefined;
  const s = b.slot(b.branchAt);
  const kind = s.d!.insn.branch;
  return kind === 'rel' ? branchTarget(s.pc, s.word) : kind === 'abs' ? jumpTarget(s.pc, s.word) : undefined;
}

/** Whether a block may be a member: compiled, and every word runnable. */
const eligible = (b: Block | undefined): b is Block => b !== undefined && b.valid && b.fn !== undefined && completeBlock(b);

/**
 * The members of a region headed by head, breadth first over successors that `lookup` finds
 * compiled, at most maxBlocks (<= MAX_REGION_BLOCKS); undefined when the region would be just
 * the head without a back edge to itself.
 */
export function regionMembers(head: Block, lookup: (pc: number) => Block | undefined, maxBlocks: number): Block[] | undefined {
  if (!eligible(head)) return undefined;
  const members = [head];
  const seen = new Set([head.start]);
  let insns = head.length;
  let selfLoop = false;
  for (let q = 0; q < members.length; q++) {
    const b = members[q];
    const next = [staticTarget(b), unconditional(b) ? undefined : b.end, b.next?.valid ? indexPc(b.nextIdx) : undefined];
    for (const pc of next) {
      if (pc === undefined) continue;
      if (pc === head.start) selfLoop = true;
      if (seen.has(pc) || members.length >= Math.min(maxBlocks, MAX_REGION_BLOCKS)) continue;
      const s = lookup(pc);
      if (!eligible(s) || insns + s.length > MAX_REGION_INSNS) continue;
      seen.add(pc);
      members.push(s);
      insns += s.length;
    }
  }
  return members.length > 1 || selfLoop ? members : undefined;
}

/** The region function of these members (member 0 is the head). */
export function compileRegionFn(members: readonly Block[]): BlockFn {
  const index = new Map(members.map((b, i) => [b.start, i]));
  // member j entered from another: -1 (exit) when it starts a TB and an interrupt is due
  const enter = (pc: number): string => {
    const j = index.get(pc);
    if (j === undefined) return '-1';
    return members[j].tbStart ? `(C.insns+n>=m.interruptAt?-1:${j})` : String(j);
  };
  // executions of member i in c<i>, host instructions so far in n: added to the counters on
  // the way out (return or fault), so a member's run costs two local increments
  const counters = members.map((_, i) => `c${i}=0`).join(',');
  const flush = countsSumCode(members.map((b, i) => ({ slots: b.slots, times: `c${i}` })));
  const lines: string[] = [];
  members.forEach((b, i) => {
    lines.push(`case ${i}:{`, ...blockBody(b), `c${i}++;n+=${b.length};`);
    const target = staticTarget(b);
    const fall = unconditional(b) ? '-1' : enter(b.end);
    if (b.branchAt < 0) lines.push(`j=${fall};`);
    else if (target !== undefined) lines.push(`j=T===${FALL_THROUGH}?${fall}:${enter(target)};`);
    else {
      const cases = members.map((s) => `case ${s.startIdx}:j=${enter(s.start)};break;`).join('');
      lines.push(`if(T===${FALL_THROUGH})j=${fall};else switch(T){${cases}default:j=-1;}`);
    }
    lines.push('break;}');
  });
  // registers live in locals across members and loop iterations (localRegisters)
  const { decl, body, writeBack } = localRegisters(lines.join('\n'));
  return sharedFunction([
    `let i=0,j=0,k=0,T=-1,n=0,${counters};`, decl, 'try{for(;;){k=0;T=-1;switch(i){', body, '}',
    `if(j<0){${flush}${writeBack}m.regionExit=i;return T;}`, 'i=j;', `}}catch(e){${flush}${writeBack}throw m.regionFault(e,i,k);}`,
  ].join('\n'));
}
