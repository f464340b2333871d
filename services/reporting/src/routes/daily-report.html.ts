import type { DailyReportDoc } from '../use-cases/reports.use-case';

/*
 * The daily report as one self-contained HTML page: inline CSS and inline SVG, no script and no
 * external resource, so it reads the same in a mail client, offline, or with JavaScript off. The
 * figures printed are the domain's strings as they are; numbers are parsed only to place points.
 */

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 12, bottom: 28, left: 72 };

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const pct = (x: number | null, digits = 2) => (x === null ? '—' : `${(x * 100).toFixed(digits)} %`);
const num = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
const dollars = (x: string) => (x.startsWith('-') ? `−$${x.slice(1)}` : `$${x}`);
const money = (x: string | null) => (x === null ? '—' : dollars(x));

function scale(min: number, max: number, from: number, to: number) {
  const span = max - min || 1;
  return (v: number) => from + ((v - min) / span) * (to - from);
}

function emptyChart(title: string, message: string): string {
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="empty">${escapeHtml(message)}</p></figure>`;
}

function axisLabels(minLabel: string, maxLabel: string, first: string, last: string): string {
  const bottom = HEIGHT - PAD.bottom;
  return [
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${escapeHtml(maxLabel)}</text>`,
    `<text x="${PAD.left - 6}" y="${bottom}" text-anchor="end">${escapeHtml(minLabel)}</text>`,
    `<text x="${PAD.left}" y="${HEIGHT - 8}">${escapeHtml(first)}</text>`,
    `<text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end">${escapeHtml(last)}</text>`,
    `<line x1="${PAD.left}" y1="${bottom}" x2="${WIDTH - PAD.right}" y2="${bottom}" class="axis"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" class="axis"/>`,
  ].join('');
}

/** A line (equity) or a filled area hanging from the top (drawdown) over the points' dates. */
function seriesChart(
  title: string,
  points: ReadonlyArray<{ date: string; value: number; label: string }>,
  kind: 'line' | 'drawdown',
  format: (v: number) => string,
): string {
  if (points.length === 0) return emptyChart(title, 'No account snapshots in this period.');
  const values = points.map((p) => p.value);
  const min = kind === 'drawdown' ? 0 : Math.min(...values);
  const max = Math.max(...values);
  const x = scale(0, Math.max(points.length - 1, 1), PAD.left, WIDTH - PAD.right);
  // Drawdown grows downwards from the top axis, the way a fall reads.
  const y =
    kind === 'drawdown'
      ? scale(min, max || 1, PAD.top, HEIGHT - PAD.bottom)
      : scale(min, max, HEIGHT - PAD.bottom, PAD.top);
  const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  const shape =
    kind === 'drawdown'
      ? `<polygon class="dd" points="${PAD.left},${PAD.top} ${coords.join(' ')} ${x(points.length - 1).toFixed(1)},${PAD.top}"/>`
      : `<polyline class="eq" points="${coords.join(' ')}"/>`;
  const dots = points
    .map(
      (p, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5"><title>${escapeHtml(`${p.date}: ${p.label}`)}</title></circle>`,
    )
    .join('');
  const [minLabel, maxLabel] = kind === 'drawdown' ? [format(max), format(0)] : [format(min), format(max)];
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">${axisLabels(minLabel, maxLabel, points[0]!.date, points[points.length - 1]!.date)}${shape}${dots}</svg></figure>`;
}

/** Horizontal bars around a zero line: green right for profit, red left for loss. */
function barChart(title: string, bars: ReadonlyArray<{ key: string; value: number; label: string }>): string {
  if (bars.length === 0) return emptyChart(title, 'No trades closed on this day.');
  const rowHeight = 24;
  const height = PAD.top + bars.length * rowHeight + 8;
  const labelWidth = 160;
  const left = labelWidth + 8;
  const right = WIDTH - 90;
  const extent = Math.max(...bars.map((b) => Math.abs(b.value)), 1e-9);
  const hasLoss = bars.some((b) => b.value < 0);
  const hasProfit = bars.some((b) => b.value > 0);
  const zero = hasLoss && hasProfit ? (left + right) / 2 : hasLoss ? right : left;
  const half = hasLoss && hasProfit ? (right - left) / 2 : right - left;
  const rows = bars
    .map((b, i) => {
      const y = PAD.top + i * rowHeight;
      const w = (Math.abs(b.value) / extent) * half;
      const x0 = b.value < 0 ? zero - w : zero;
      return [
        `<text x="${labelWidth}" y="${y + 15}" text-anchor="end">${escapeHtml(b.key)}</text>`,
        `<rect class="${b.value < 0 ? 'loss' : 'win'}" x="${x0.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 1).toFixed(1)}" height="${rowHeight - 8}"><title>${escapeHtml(`${b.key}: ${b.label}`)}</title></rect>`,
        `<text x="${WIDTH - 4}" y="${y + 15}" text-anchor="end">${escapeHtml(b.label)}</text>`,
      ].join('');
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(title)}"><line x1="${zero}" y1="${PAD.top}" x2="${zero}" y2="${height - 6}" class="axis"/>${rows}</svg></figure>`;
}

function row(label: string, value: string): string {
  return `<tr><th scope="row">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:720px;color:#1d2330;padding:0 1rem}
h1{font-size:1.4rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}th,td{padding:.25rem .5rem;border-bottom:1px solid #e3e6ec;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.2rem 0}figcaption{font-weight:600;margin-bottom:.3rem}svg{width:100%;height:auto;font-size:11px;fill:#4a5263}
.axis{stroke:#9aa2b1;stroke-width:1}.eq{fill:none;stroke:#2f6fde;stroke-width:2}.dd{fill:#e0525233;stroke:#e05252;stroke-width:1.5}
circle{fill:#2f6fde}rect.win{fill:#2e9e5b}rect.loss{fill:#e05252}.empty{color:#6b7385;font-style:italic}
.pos{color:#2e9e5b}.neg{color:#e05252}
`;

/** The daily report page. */
export function renderDailyReportHtml(doc: DailyReportDoc): string {
  const s = doc.summary;
  const sign = (x: string) => (x.startsWith('-') ? 'neg' : x === '0.00' || x === '0' ? '' : 'pos');
  const equityPoints = doc.equity.map((p) => ({ date: p.date, value: Number(p.equity), label: dollars(p.equity) }));
  const drawdownPoints = doc.equity.map((p) => ({
    date: p.date,
    value: p.drawdownPct,
    label: `${pct(p.drawdownPct)} (${dollars(p.drawdown)})`,
  }));
  const bars = doc.byCatalyst.map((g) => ({
    key: g.key,
    value: Number(g.pnl),
    label: `${dollars(g.pnl)} · ${g.trades} trade${g.trades === 1 ? '' : 's'}`,
  }));
  const trades = doc.trades
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.symbol)}</td><td>${escapeHtml(t.side)}</td><td class="n">${escapeHtml(t.qty)}</td><td class="n">${escapeHtml(t.entryPrice)}</td><td class="n">${escapeHtml(t.exitPrice)}</td><td class="n ${sign(t.realizedPnl)}">${escapeHtml(t.realizedPnl)}</td><td>${escapeHtml(t.catalystType ?? '')}</td><td>${escapeHtml(t.source ?? '')}</td><td>${escapeHtml(t.exitReason ?? '')}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Catalyst daily report ${escapeHtml(doc.date)}</title><style>${STYLE}</style></head>
<body>
<h1>Daily report — ${escapeHtml(doc.date)}</h1>
<p>New York trading day. Net P&amp;L <strong class="${sign(s.netPnl)}">${escapeHtml(money(s.netPnl))}</strong> over ${s.trades} trade${s.trades === 1 ? '' : 's'}.</p>
<h2>Figures</h2>
<table><tbody>
${row('Equity open', money(s.equityOpen))}
${row('Equity close', money(s.equityClose))}
${row('Day return', pct(s.dayReturn))}
${row('Realized P&L (before fees)', money(s.realizedPnl))}
${row('Fees', money(s.fees))}
${row('Net P&L', money(s.netPnl))}
${row('Unrealized P&L', money(s.unrealizedPnl))}
${row('Trades (wins / losses / breakeven)', `${s.trades} (${s.wins} / ${s.losses} / ${s.breakeven})`)}
${row('Win rate', pct(s.winRate, 1))}
${row('Gross profit / gross loss', `${money(s.grossProfit)} / ${money(s.grossLoss)}`)}
${row('Largest win / largest loss', `${money(s.largestWin)} / ${money(s.largestLoss)}`)}
${row('Profit factor', num(s.profitFactor))}
${row('Max drawdown (intraday)', `${s.maxDrawdownPct} %`)}
${row('Snapshots', String(s.snapshots))}
</tbody></table>
<h2>Charts</h2>
${seriesChart(`Equity, ${doc.equity.length} trading day${doc.equity.length === 1 ? '' : 's'} to ${doc.date}`, equityPoints, 'line', (v) => `$${v.toFixed(0)}`)}
${seriesChart('Drawdown from the running peak', drawdownPoints, 'drawdown', (v) => pct(v, 1))}
${barChart('Net P&L by catalyst', bars)}
<h2>Trades</h2>
${
  doc.trades.length === 0
    ? '<p class="empty">No trades closed on this day.</p>'
    : `<table><thead><tr><th>Symbol</th><th>Side</th><th class="n">Qty</th><th class="n">Entry</th><th class="n">Exit</th><th class="n">P&amp;L</th><th>Catalyst</th><th>Source</th><th>Exit</th></tr></thead><tbody>${trades}</tbody></table>`
}
</body></html>
`;
}
