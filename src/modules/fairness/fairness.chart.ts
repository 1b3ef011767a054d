// Geometry of the received-vs-expected bar chart, computed here so the template
// only prints numbers: one row per lawyer, a solid bar for the cases received and
// a thinner one for the cases expected, on a shared scale with tick marks.

export interface ChartRow {
  name: string;
  received: number;
  expected: number;
}

export interface ChartBar {
  y: number;
  label: string;
  labelY: number;
  receivedWidth: number;
  expectedWidth: number;
  expectedY: number;
  received: number;
  expected: string;
}

export interface Chart {
  width: number;
  height: number;
  plotX: number;
  plotWidth: number;
  axisY: number;
  bars: ChartBar[];
  ticks: { x: number; value: number }[];
}

const LABEL_WIDTH = 130;
const PLOT_WIDTH = 460;
const ROW = 24;
const TOP = 8;
const AXIS = 24;

/** A round step for about five ticks. */
function tickStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function chartOf(rows: readonly ChartRow[]): Chart {
  const top = Math.max(1, ...rows.map((r) => Math.max(r.received, r.expected)));
  const step = Math.max(1, tickStep(top));
  const scaleMax = Math.ceil(top / step) * step;
  const x = (v: number) => round1((v / scaleMax) * PLOT_WIDTH);
  const bars = rows.map((r, i) => {
    const y = TOP + i * ROW;
    return {
      y: y + 3,
      label: r.name.length > 10 ? `${r.name.slice(0, 9)}…` : r.name,
      labelY: y + 15,
      receivedWidth: x(r.received),
      expectedWidth: x(r.expected),
      expectedY: y + 14,
      received: r.received,
      expected: r.expected.toFixed(1),
    };
  });
  const axisY = TOP + rows.length * ROW + 2;
  const ticks: { x: number; value: number }[] = [];
  for (let v = 0; v <= scaleMax; v += step) ticks.push({ x: LABEL_WIDTH + x(v), value: v });
  return { width: LABEL_WIDTH + PLOT_WIDTH + 20, height: axisY + AXIS, plotX: LABEL_WIDTH, plotWidth: PLOT_WIDTH, axisY, bars, ticks };
}
