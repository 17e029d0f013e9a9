import test from 'ava';
import { ChartRenderError, renderSvg, type VegaLiteSpec } from '../src/render-svg';

const BARS: VegaLiteSpec = {
  data: {
    values: [
      { tb: 'alpha', insns: 3 },
      { tb: 'beta', insns: 5 },
    ],
  },
  mark: 'bar',
  height: 200,
  encoding: {
    x: { field: 'tb', type: 'nominal' },
    y: { field: 'insns', type: 'quantitative', scale: { domain: [0, 5] } },
  },
};

/** Bar heights from the SVG paths vega draws for rect marks ("M x,y h w v H h -w Z"). */
function barHeights(svg: string): Map<string, number> {
  const bars = new Map<string, number>();
  for (const m of svg.matchAll(/aria-label="tb: (\w+); insns: \d+"[^>]* d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)h/g)) {
    bars.set(m[1], Number(m[2]));
  }
  return bars;
}

test('renders bars whose heights follow the data, with the axis labels', async (t) => {
  const svg = await renderSvg(BARS);
  t.true(svg.startsWith('<svg'));
  t.true(svg.trimEnd().endsWith('</svg>'));
  t.deepEqual(barHeights(svg), new Map([
    ['alpha', 120],
    ['beta', 200],
  ]));
  for (const label of ['alpha', 'beta', '>tb<', '>insns<']) t.true(svg.includes(label), label);
});

test('the same spec renders byte-identical SVG; other data renders differently', async (t) => {
  const [a, b] = await Promise.all([renderSvg(BARS), renderSvg(structuredClone(BARS))]);
  t.is(a, b);
  const other = structuredClone(BARS);
  (other.data as { values: { insns: number }[] }).values[0].insns = 4;
  t.not(await renderSvg(other), a);
});

test('an invalid spec is a ChartRenderError, including what vega-lite only warns about', async (t) => {
  await t.throwsAsync(renderSvg({ ...BARS, mark: 'nonsense' } as unknown as VegaLiteSpec), {
    instanceOf: ChartRenderError,
    message: /invalid vega-lite spec/,
  });
  const badAggregate = structuredClone(BARS) as unknown as { encoding: { y: Record<string, unknown> } };
  badAggregate.encoding.y.aggregate = 'nonsense';
  const e = await t.throwsAsync(renderSvg(badAggregate as unknown as VegaLiteSpec), { instanceOf: ChartRenderError });
  t.regex(e?.problems.join('\n') ?? '', /Invalid aggregation operator "nonsense"/);
});
