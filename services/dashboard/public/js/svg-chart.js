/**
 * Small charts drawn as inline SVG: a line/area over time and horizontal bars. Colours come from
 * CSS classes (the CSP forbids style attributes).
 */
import { h, svg } from './dom.js';

const W = 640;
const PAD = { l: 86, r: 12, t: 12, b: 28 };

function ticks(min, max, n = 4) {
  if (min === max) return [min];
  const step = (max - min) / n;
  return Array.from({ length: n + 1 }, (_, i) => min + step * i);
}

/**
 * points: [{ x: Date|string, y: number }]; opts: { label, height, format(y), area, kind }
 * `kind` is a CSS class (line-equity, line-drawdown).
 */
export function lineChart(
  points,
  { label, height = 220, format = (v) => v.toFixed(2), area = false, kind = 'line-equity', invert = false } = {},
) {
  if (!points.length) return h('p.empty', 'No data for this period yet.');
  const xs = points.map((p) => new Date(p.x).getTime());
  const ys = points.map((p) => p.y);
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMin === yMax) {
    yMin -= 1;
    yMax += 1;
  }
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const X = (x) =>
    PAD.l + (xMax === xMin ? (W - PAD.l - PAD.r) / 2 : ((x - xMin) / (xMax - xMin)) * (W - PAD.l - PAD.r));
  const Y = (y) => {
    const f = (y - yMin) / (yMax - yMin);
    return PAD.t + (invert ? f : 1 - f) * (height - PAD.t - PAD.b);
  };
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${X(xs[i]).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' ');
  const base = invert ? PAD.t : height - PAD.b;
  const areaD = `${d} L${X(xs[xs.length - 1]).toFixed(1)},${base} L${X(xs[0]).toFixed(1)},${base} Z`;
  const grid = ticks(yMin, yMax).map((t) => [
    svg('line', { x1: PAD.l, x2: W - PAD.r, y1: Y(t), y2: Y(t), class: 'grid' }),
    svg('text', { x: PAD.l - 6, y: Y(t) + 4, 'text-anchor': 'end', class: 'axis' }, format(t)),
  ]);
  const fmtDate = (ms) => new Date(ms).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  const xLabels = [
    svg('text', { x: PAD.l, y: height - 8, class: 'axis' }, fmtDate(xMin)),
    svg('text', { x: W - PAD.r, y: height - 8, 'text-anchor': 'end', class: 'axis' }, fmtDate(xMax)),
  ];
  const last = points[points.length - 1];
  return svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${height}`,
      class: `chart ${kind}`,
      role: 'img',
      'aria-label': `${label}: ${points.length} points, last ${format(last.y)}`,
    },
    svg('title', {}, label),
    grid,
    area ? svg('path', { d: areaD, class: 'area' }) : null,
    svg('path', { d, class: 'line' }),
    points.length === 1 ? svg('circle', { cx: X(xs[0]), cy: Y(last.y), r: 3, class: 'dot' }) : null,
    xLabels,
  );
}

/** bars: [{ label, value }]; positive and negative values around a zero line. */
export function barChart(bars, { label, format = (v) => v.toFixed(2) } = {}) {
  if (!bars.length) return h('p.empty', 'No trades to attribute yet.');
  const row = 26;
  const labelW = 150;
  const height = bars.length * row + 16;
  const max = Math.max(...bars.map((b) => Math.abs(b.value)), 1e-9);
  const hasNeg = bars.some((b) => b.value < 0);
  const plotL = labelW;
  const plotR = W - 80;
  const zero = hasNeg ? (plotL + plotR) / 2 : plotL;
  const scale = (hasNeg ? (plotR - plotL) / 2 : plotR - plotL) / max;
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${height}`, class: 'chart bars', role: 'img', 'aria-label': label },
    svg('title', {}, label),
    svg('line', { x1: zero, x2: zero, y1: 4, y2: height - 8, class: 'grid' }),
    bars.map((b, i) => {
      const y = 8 + i * row;
      const w = Math.abs(b.value) * scale;
      const x = b.value >= 0 ? zero : zero - w;
      return [
        svg('text', { x: labelW - 8, y: y + 15, 'text-anchor': 'end', class: 'axis label' }, b.label),
        svg('rect', {
          x,
          y: y + 3,
          width: Math.max(w, 1),
          height: row - 8,
          class: b.value >= 0 ? 'bar up' : 'bar down',
        }),
        svg(
          'text',
          {
            x: b.value >= 0 ? x + w + 6 : x - 6,
            y: y + 15,
            'text-anchor': b.value >= 0 ? 'start' : 'end',
            class: 'axis',
          },
          format(b.value),
        ),
      ];
    }),
  );
}
