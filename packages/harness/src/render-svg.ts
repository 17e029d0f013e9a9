/**
 * vega-lite spec -> SVG text, headless: compile with vega-lite, run a vega View with no
 * renderer and serialise it with toSVG(). No canvas is involved (text widths are vega's
 * estimates), so the same spec always gives byte-identical SVG. Strict: anything vega-lite
 * or vega would only warn about (an unknown channel, an invalid scale) is an error here,
 * because a chart drawn from a misread spec is a silently wrong result.
 */
import { View, parse, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

export class ChartRenderError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ChartRenderError';
  }
}

/** A vega logger that records errors and warnings instead of printing them. */
function collectingLogger(problems: string[]): LoggerInterface {
  let level = 2; // vega's Warn
  const record = (kind: string) => (...args: readonly unknown[]) => {
    problems.push(`${kind}: ${args.map(String).join(' ')}`);
    return logger;
  };
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: record('error'),
    warn: record('warning'),
    info: () => logger,
    debug: () => logger,
  } as LoggerInterface;
  return logger;
}

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const problems: string[] = [];
  const logger = collectingLogger(problems);
  let view: View;
  try {
    view = new View(parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  } catch (e) {
    throw new ChartRenderError(`invalid vega-lite spec: ${(e as Error).message}`, [(e as Error).message]);
  }
  try {
    const svg = await view.toSVG();
    if (problems.length > 0) {
      throw new ChartRenderError(`vega-lite spec has problems:\n  ${problems.join('\n  ')}`, problems);
    }
    return svg;
  } finally {
    view.finalize();
  }
}
