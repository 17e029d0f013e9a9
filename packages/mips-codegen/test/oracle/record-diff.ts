/**
 * What the instruction-level suites of both modes (insn-diff, insn64-diff) do with their forms:
 * sample the cases in CI, run the program through both runtimes, and compare each runtime's
 * record stream with the CPU's, case by case, naming the form, the inputs and both outputs.
 */
import { RUNTIMES, runDbtlabAsync } from './probe-program';

/** What every form table's entries have: a name and a table of cases, one record each. */
export interface FormCases<C> {
  name: string;
  cases: C[];
}

/**
 * CI mode: every form, with every `stride`-th of its cases, starting at a different case for
 * consecutive forms (so the sample spreads over the operand table); the full table otherwise.
 */
export function ciSample<C, F extends FormCases<C>>(forms: F[], stride: number): F[] {
  if (process.env.CI !== 'true') return forms;
  return forms.map((f, k) => ({ ...f, cases: f.cases.filter((_, i) => i % stride === k % stride || f.cases.length <= stride) }));
}

/** The program's stdout through both runtimes (--cpu max), run at once. */
export async function runBothRuntimes(prog: string): Promise<Buffer[]> {
  return (await Promise.all(RUNTIMES.map((r) => runDbtlabAsync(r, prog, [], 'max')))).map((s) => Buffer.from(s, 'latin1'));
}

export interface Comparison {
  /** case runs compared (cases times runtimes) */
  cases: number;
  mismatches: number;
  /** the first `shown` mismatches of each form, in each runtime: runtime: form | inputs | differences */
  lines: string[];
  /** per runtime, the forms with a mismatch */
  formsMismatching: Map<string, string[]>;
}

/**
 * Compares each runtime's records (`runs`, in RUNTIMES order) with the CPU's (`native`), one per
 * case of `forms` in order; `diff` says how two records of a case differ ('' when they do not).
 */
export function compareRecords<C, F extends FormCases<C>, R>(
  forms: F[],
  native: R[],
  runs: R[][],
  diff: (f: F, c: C, want: R, got: R) => string,
  caseText: (c: C) => string,
  shown: number,
): Comparison {
  const r: Comparison = { cases: 0, mismatches: 0, lines: [], formsMismatching: new Map() };
  RUNTIMES.forEach((runtime, k) => {
    const got = runs[k];
    let i = 0;
    const perForm = new Map<string, number>();
    for (const f of forms)
      for (const c of f.cases) {
        r.cases++;
        const d = got[i] ? diff(f, c, native[i], got[i]) : 'no record';
        i++;
        if (!d) continue;
        r.mismatches++;
        const n = (perForm.get(f.name) ?? 0) + 1;
        perForm.set(f.name, n);
        if (n <= shown) r.lines.push(`${runtime}: ${f.name} | ${caseText(c)} | ${d}`);
      }
    if (perForm.size) r.formsMismatching.set(runtime, [...perForm.keys()]);
  });
  return r;
}
