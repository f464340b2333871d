import { describeError, get } from '../api.js';
import { h, replace } from '../dom.js';
import { catalystLabel, duration, fixed, num, pct, signedUsd, tone, usd } from '../format.js';
import { debounce, section, stat } from '../widgets.js';
import { barChart, lineChart } from '../svg-chart.js';

export default {
  title: 'Performance',
  async render(main, ctx) {
    // Empty dates leave the period to the server's default (the last 30 days).
    const from = h('input', { id: 'p-from', name: 'from', type: 'date' });
    const to = h('input', { id: 'p-to', name: 'to', type: 'date' });
    const period = h('p.muted.small', { id: 'perf-period', role: 'status' });
    const form = h(
      'form.filters',
      { 'aria-label': 'Period' },
      h('label', { for: 'p-from' }, 'From'),
      from,
      h('label', { for: 'p-to' }, 'To'),
      to,
      h('button', { type: 'submit' }, 'Show'),
    );
    const stats = h('div.stats', { id: 'perf-stats' });
    const equity = h('div', { id: 'equity-chart' });
    const drawdown = h('div', { id: 'drawdown-chart' });
    const byCatalyst = h('div', { id: 'by-catalyst' });
    const byPattern = h('div', { id: 'by-pattern' });
    replace(
      main,
      h('div.page-head', h('h1', 'Performance')),
      form,
      period,
      stats,
      h('div.grid-2', section('Equity', equity), section('Drawdown', drawdown)),
      h('div.grid-2', section('P&L by catalyst type', byCatalyst), section('P&L by pattern', byPattern)),
    );

    const draw = async () => {
      if (from.value && to.value && from.value > to.value) {
        ctx.flash('The start of the period must be before its end.');
        return;
      }
      const r = await get('/api/performance', { from: from.value || undefined, to: to.value || undefined });
      const p = r.performance;
      period.textContent = `From ${new Date(p.from).toLocaleDateString()} to ${new Date(p.to).toLocaleDateString()}`;
      replace(
        stats,
        stat('Net P&L', signedUsd(p.netPnl), { tone: tone(p.netPnl) }),
        stat('Trades', `${p.trades} (${p.wins} won, ${p.losses} lost)`),
        stat('Win rate', pct(p.winRate, 1)),
        stat('Profit factor', p.profitFactor === null ? '—' : fixed(p.profitFactor, 2)),
        stat('Expectancy', usd(p.expectancy)),
        stat('Max drawdown', `${pct(p.maxDrawdown.fraction, 2)} (${usd(p.maxDrawdown.amount)})`, {
          tone: p.maxDrawdown.fraction > 0 ? 'down' : '',
        }),
        stat('Sharpe', p.sharpe === null ? '—' : fixed(p.sharpe, 2)),
        stat('Avg. holding', p.averageHoldingMs === null ? '—' : duration(p.averageHoldingMs)),
      );
      replace(
        equity,
        lineChart(
          r.equity.map((e) => ({ x: e.at, y: num(e.equity) })),
          { label: 'Equity over time', area: true, kind: 'line-equity', format: (v) => usd(v).replace('.00', '') },
        ),
      );
      replace(
        drawdown,
        lineChart(
          r.equity.map((e) => ({ x: e.at, y: e.drawdownPct * 100 })),
          {
            label: 'Drawdown from the peak, percent',
            area: true,
            kind: 'line-drawdown',
            invert: true,
            format: (v) => `${v.toFixed(1)} %`,
          },
        ),
      );
      const bars = (groups, label) =>
        barChart(
          groups.map((g) => ({ label: `${catalystLabel(g.key)} (${g.trades})`, value: num(g.pnl) ?? 0 })),
          { label, format: (v) => signedUsd(v) },
        );
      replace(byCatalyst, bars(r.byCatalyst, 'Net P&L by catalyst type'));
      replace(byPattern, bars(r.byPattern, 'Net P&L by pattern'));
    };

    const report = (err) => {
      if (err.status !== 401) ctx.flash(describeError(err));
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      draw().catch(report);
    });
    const refresh = debounce(() => draw().catch(report), 1000);
    ctx.onCleanup(refresh.cancel);
    ctx.live((t) => {
      if (t === 'trade.closed') refresh();
    });
    await draw();
  },
};
