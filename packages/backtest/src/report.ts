import {
  attribute,
  equitySeries,
  type AttributionGroup,
  type BacktestResult,
  type DivergenceReport,
  type EquitySeriesPoint,
  type PerformanceSummary,
} from '@catalyst/domain';

/** What the CLI prints and saves: the run's parameters, the domain's figures, and the decision log. */
export interface BacktestReport {
  source: string;
  from: string;
  to: string;
  symbols: string[] | 'all';
  summary: PerformanceSummary;
  attribution: { catalyst: AttributionGroup[]; source: AttributionGroup[]; symbol: AttributionGroup[] };
  equityCurve: EquitySeriesPoint[];
  counts: BacktestResult['counts'];
  trades: BacktestResult['trades'];
  openPositions: BacktestResult['openPositions'];
  decisions: Array<Omit<BacktestResult['decisions'][number], 'at'> & { at: string }>;
  cancelledEntries: Array<{ at: string; symbol: string; reason: string }>;
  divergence?: DivergenceReport | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function buildReport(
  result: BacktestResult,
  meta: { source: string; from: number; to: number; symbols?: readonly string[] | undefined },
  divergence?: DivergenceReport,
): BacktestReport {
  return {
    source: meta.source,
    from: iso(meta.from),
    to: iso(meta.to),
    symbols: meta.symbols?.length ? [...meta.symbols] : 'all',
    summary: result.summary,
    attribution: {
      catalyst: attribute(result.trades, 'catalyst'),
      source: attribute(result.trades, 'source'),
      symbol: attribute(result.trades, 'symbol'),
    },
    equityCurve: equitySeries(result.equity, { resolution: 'snapshot' }),
    counts: result.counts,
    trades: result.trades,
    openPositions: result.openPositions,
    decisions: result.decisions.filter((d) => d.action !== 'HOLD').map((d) => ({ ...d, at: iso(d.at) })),
    cancelledEntries: result.cancelledEntries.map((c) => ({ ...c, at: iso(c.at) })),
    ...(divergence ? { divergence } : {}),
  };
}

const pct = (x: number | null, digits = 2): string => (x === null ? '—' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));
const usd = (x: string | null): string => (x === null ? '—' : `$${x}`);

/** The performance report as text: the same figures as the reporting service's. */
export function formatReport(r: BacktestReport): string {
  const s = r.summary;
  const lines = [
    `Backtest ${r.from} → ${r.to}  (${r.source}; symbols: ${r.symbols === 'all' ? 'all' : r.symbols.join(', ')})`,
    `  bars ${r.counts.bars}, news ${r.counts.news}, cycles ${r.counts.cycles}, signals ${r.counts.signals}, BUY/SELL ${r.decisions.length}`,
    '',
    `  net P&L        ${usd(s.netPnl)}   (realized ${usd(s.realizedPnl)}, fees ${usd(s.fees)}, unrealized ${usd(s.unrealizedPnl)})`,
    `  return         ${pct(s.totalReturn)}   (equity ${usd(s.startEquity)} → ${usd(s.endEquity)})`,
    `  trades         ${s.trades}   (wins ${s.wins}, losses ${s.losses}, breakeven ${s.breakeven}; win rate ${pct(s.winRate, 1)})`,
    `  profit factor  ${num(s.profitFactor)}   expectancy ${usd(s.expectancy)}   avg win ${usd(s.averageWin)}   avg loss ${usd(s.averageLoss)}`,
    `  Sharpe         ${num(s.sharpe)}   Sortino ${num(s.sortino)}   (${s.dailyReturnCount} daily returns)`,
    `  max drawdown   ${pct(s.maxDrawdown.fraction)} (${usd(s.maxDrawdown.amount)})   exposure ${pct(s.exposure, 1)}`,
  ];
  if (r.attribution.catalyst.length) {
    lines.push('', '  by catalyst');
    for (const g of r.attribution.catalyst) {
      lines.push(
        `    ${g.key.padEnd(20)} ${String(g.trades).padStart(4)} trades  ${usd(g.pnl).padStart(12)}  win ${pct(g.winRate, 0)}`,
      );
    }
  }
  if (r.openPositions.length) {
    lines.push('', `  open at the end: ${r.openPositions.map((p) => `${p.symbol} ${p.side} ${p.qty}`).join(', ')}`);
  }
  if (r.divergence) lines.push('', ...formatDivergence(r.divergence));
  return lines.join('\n');
}

export function formatDivergence(d: DivergenceReport): string[] {
  const lines = [
    `  divergence from live: ${d.matched} matched (${d.differing} with differences), ${d.missing} missing in the replay, ${d.extra} extra`,
  ];
  for (const row of d.rows) {
    if (row.status === 'matched' && row.reasons.length === 0) continue;
    const at = iso((row.liveAt ?? row.replayAt)!).slice(11, 19);
    lines.push(
      `    ${at} ${row.symbol.padEnd(6)} ${row.action.padEnd(4)} ${row.status.padEnd(7)} ${row.reasons.join('; ')}`,
    );
  }
  return lines;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** An inline SVG of the equity curve (no script, no external file). */
export function equitySvg(points: readonly EquitySeriesPoint[], width = 800, height = 240): string {
  if (points.length === 0) return '<p>No equity snapshots.</p>';
  const xs = points.map((p) => Date.parse(p.at));
  const ys = points.map((p) => Number(p.equity));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y1 === y0) {
    y0 -= 1;
    y1 += 1;
  }
  const pad = 30;
  const sx = (x: number) => pad + ((x - x0) / (x1 - x0 || 1)) * (width - 2 * pad);
  const sy = (y: number) => height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
  const path = points.map((_, i) => `${i ? 'L' : 'M'}${sx(xs[i]!).toFixed(1)},${sy(ys[i]!).toFixed(1)}`).join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="Equity curve">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<text x="${pad}" y="18" font-size="12">${escapeHtml(`$${y1.toFixed(2)}`)}</text>` +
    `<text x="${pad}" y="${height - 8}" font-size="12">${escapeHtml(`$${y0.toFixed(2)}`)}</text>` +
    `<path d="${path}" fill="none" stroke="#2563eb" stroke-width="1.5"/></svg>`
  );
}

/** A self-contained HTML page: the figures, the equity curve (inline SVG), the trades. */
export function renderHtml(r: BacktestReport): string {
  const s = r.summary;
  const rows: Array<[string, string]> = [
    ['Net P&L', usd(s.netPnl)],
    ['Return', pct(s.totalReturn)],
    ['Trades', `${s.trades} (win rate ${pct(s.winRate, 1)})`],
    ['Profit factor', num(s.profitFactor)],
    ['Expectancy', usd(s.expectancy)],
    ['Sharpe / Sortino', `${num(s.sharpe)} / ${num(s.sortino)}`],
    ['Max drawdown', `${pct(s.maxDrawdown.fraction)} (${usd(s.maxDrawdown.amount)})`],
    ['Exposure', pct(s.exposure, 1)],
  ];
  const trades = r.trades
    .map(
      (t) =>
        `<tr><td>${escapeHtml(String(t.openedAt))}</td><td>${escapeHtml(t.symbol)}</td><td>${t.side}</td><td>${t.qty}</td>` +
        `<td>${t.entryPrice}</td><td>${t.exitPrice}</td><td>${escapeHtml(t.exitReason ?? '')}</td><td>${t.realizedPnl}</td>` +
        `<td>${escapeHtml(t.catalystType ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest ${escapeHtml(r.from)} – ${escapeHtml(r.to)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>Backtest ${escapeHtml(r.from)} → ${escapeHtml(r.to)}</h1>
<p>${escapeHtml(r.source)}; symbols: ${escapeHtml(r.symbols === 'all' ? 'all' : r.symbols.join(', '))}; ${r.counts.bars} bars, ${r.counts.news} news items, ${r.counts.signals} signals.</p>
<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
<h2>Equity</h2>
${equitySvg(r.equityCurve)}
<h2>Trades</h2>
<table><tr><th>opened</th><th>symbol</th><th>side</th><th>qty</th><th>entry</th><th>exit</th><th>exit reason</th><th>P&amp;L</th><th>catalyst</th></tr>
${trades}
</table>
${r.divergence ? `<h2>Divergence from live</h2><pre>${escapeHtml(formatDivergence(r.divergence).join('\n'))}</pre>` : ''}
</body></html>
`;
}
