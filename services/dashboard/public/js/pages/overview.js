import { describeError, get, post } from '../api.js';
import { h, replace, table } from '../dom.js';
import { duration, num, sessionLabel, signedUsd, time, tone, usd } from '../format.js';
import {
  actionButton,
  closePositionColumn,
  cycleColumns,
  debounce,
  newsRow,
  positionColumns,
  section,
  stat,
  statusBadge,
} from '../widgets.js';

const MAX_NEWS = 30;
const MAX_ACTIVITY = 40;

function activityText(type, d) {
  switch (type) {
    case 'news.catalyst':
      return `Catalyst ${String(d.type).replaceAll('_', ' ')} on ${d.symbol} (score ${Number(d.score).toFixed(2)}): ${d.headline}`;
    case 'signal.created':
      return `Signal ${String(d.action).toUpperCase()} ${d.symbol} (confidence ${Number(d.confidence).toFixed(2)}, ${d.status})`;
    case 'order.updated':
      return `Order ${String(d.side).toUpperCase()} ${d.symbol}: ${d.status}${num(d.filledQty) ? ` (${d.filledQty} filled)` : ''}`;
    case 'fill':
      return `Fill ${String(d.side).toUpperCase()} ${d.qty} ${d.symbol} at ${usd(d.price)}`;
    case 'trade.opened':
      return `Position opened: ${d.side} ${d.qty} ${d.symbol} at ${usd(d.entryPrice)}`;
    case 'trade.closed':
      return `Position closed: ${d.symbol}, ${signedUsd(d.realizedPnl)} (${d.exitReason ?? 'exit'})`;
    case 'trading.halted':
      return `Trading halted by ${d.actor}${d.reason ? `: ${d.reason}` : ''}`;
    case 'trading.resumed':
      return `Trading resumed by ${d.actor}`;
    case 'cycle.finished':
      return `Cycle ${d.status} in ${duration(d.durationMs)}`;
    case 'cycle.failed':
      return `Cycle failed${d.step ? ` at ${d.step}` : ''}: ${d.error}`;
    case 'scan.completed':
      return `Scan found ${d.candidates} candidate(s)${d.symbols && d.symbols.length ? `: ${d.symbols.slice(0, 8).join(', ')}` : ''}`;
    case 'approval.decided':
      return `Signal ${d.decision} by ${d.actor}`;
    default:
      return null;
  }
}

export default {
  title: 'Overview',
  async render(main, ctx) {
    const stats = h('div.stats', { id: 'overview-stats' });
    const positions = h('div', { id: 'positions' });
    const services = h('div', { id: 'services' });
    const cycles = h('div', { id: 'last-cycles' });
    const newsList = h('ul.news-list', { id: 'live-news', 'aria-live': 'polite' });
    const activity = h('ol.activity', { id: 'activity', 'aria-live': 'polite' });
    const errors = h('div', { id: 'overview-errors' });
    const symbolInput = h('input', {
      id: 'cycle-symbol',
      name: 'symbol',
      placeholder: 'all',
      maxlength: 12,
      autocomplete: 'off',
      'aria-label': 'Symbol for the cycle (optional)',
    });
    const startCycle = actionButton(
      'Start a cycle',
      async () => {
        const symbol = symbolInput.value.trim().toUpperCase();
        if (symbol && !/^[A-Z][A-Z0-9.\-]{0,11}$/.test(symbol)) {
          ctx.flash('A symbol is 1–12 letters, digits, dots or dashes, starting with a letter.');
          return;
        }
        const r = await post('/api/cycles', symbol ? { symbol } : {});
        ctx.flash(`Cycle started (${r.id.slice(0, 8)}).`, 'info');
      },
      { kind: 'primary', onError: (e) => ctx.flash(describeError(e)) },
    );

    replace(
      main,
      h(
        'div.page-head',
        h('h1', 'Overview'),
        h('div.inline-form', h('label', { for: 'cycle-symbol' }, 'Symbol'), symbolInput, startCycle),
      ),
      errors,
      stats,
      h(
        'div.grid-2',
        section('Open positions', positions),
        section(
          'Activity',
          h('p.muted.small', 'Live: catalysts, signals, orders, fills and positions as they happen.'),
          activity,
        ),
      ),
      h(
        'div.grid-2',
        section('Live news', newsList),
        h('div', section('Services', services), section('Last cycles', cycles)),
      ),
    );

    const pushActivity = (type, d, at) => {
      const text = activityText(type, d);
      if (!text) return;
      activity.prepend(
        h(
          'li',
          { dataset: { type } },
          h('time', { datetime: at ?? '' }, time(at ?? new Date().toISOString())),
          ' ',
          text,
        ),
      );
      while (activity.children.length > MAX_ACTIVITY) activity.lastElementChild.remove();
    };

    const drawPositions = (items) => {
      replace(
        positions,
        table(
          [
            ...['symbol', 'side', 'qty', 'entry', 'price', 'unrealized'].map((name) => positionColumns[name]),
            closePositionColumn(ctx, refresh),
          ],
          items,
          { empty: 'No open positions.', rowAttrs: (p) => ({ dataset: { symbol: p.symbol } }) },
        ),
      );
    };

    const draw = (o) => {
      const a = o.account;
      replace(
        stats,
        stat('Equity', a ? usd(a.equity) : '—', { id: 'stat-equity' }),
        stat(
          'Day P&L',
          a
            ? `${signedUsd(a.dayPnl)}${a.dayPnlPct !== null ? ` (${num(a.dayPnlPct) > 0 ? '+' : ''}${Number(a.dayPnlPct).toFixed(2)} %)` : ''}`
            : '—',
          {
            tone: a ? tone(a.dayPnl) : '',
            id: 'stat-day-pnl',
          },
        ),
        stat('Open positions', String(o.positions.length), { id: 'stat-positions' }),
        stat('Market session', sessionLabel(o.session), { id: 'stat-session' }),
        stat('Trading', o.halted ? 'Halted' : 'On', { tone: o.halted ? 'down' : 'up', id: 'stat-trading' }),
        stat('Approval queue', o.approvalMode ? `${o.pendingApprovals} waiting` : 'off (automatic)', {
          id: 'stat-approvals',
        }),
        a ? stat('Buying power', usd(a.buyingPower)) : null,
        o.schedule
          ? stat(
              'Next cycle',
              o.schedule.nextCycleAt
                ? time(o.schedule.nextCycleAt)
                : o.runningCycleId
                  ? 'running now'
                  : o.schedule.mode,
            )
          : null,
      );
      replace(
        errors,
        o.errors.map((e) => h('p.flash.warn', { role: 'status' }, `${e.source}: ${e.message}`)),
      );
      drawPositions(o.positions);
      replace(
        services,
        table(
          [
            { label: 'Service', cell: (s) => s.service },
            { label: 'Health', cell: (s) => statusBadge(s.health) },
            { label: 'Ready', cell: (s) => statusBadge(s.ready) },
            {
              label: 'Latency',
              cell: (s) => (s.latencyMs === null ? '—' : `${Math.round(s.latencyMs)} ms`),
              class: 'num',
            },
          ],
          o.services,
          { empty: 'No service status.' },
        ),
      );
      replace(cycles, table([...cycleColumns], o.lastCycles, { empty: 'No cycles yet.' }));
      replace(newsList, o.news.slice(0, MAX_NEWS).map(newsRow));
      if (!o.news.length) newsList.append(h('li.empty', 'No news yet.'));
    };

    const refresh = debounce(async () => {
      try {
        draw(await get('/api/overview'));
      } catch (err) {
        if (err.status !== 401) ctx.flash(`Overview: ${describeError(err)}`);
      }
    }, 150);
    ctx.onCleanup(refresh.cancel);

    ctx.live((type, d, env) => {
      pushActivity(type, d, env.at);
      if (type === 'news.catalyst') {
        const empty = newsList.querySelector('.empty');
        if (empty) empty.remove();
        newsList.prepend(newsRow({ ...d, id: d.newsItemId }));
        while (newsList.children.length > MAX_NEWS) newsList.lastElementChild.remove();
      }
      if (
        [
          'trade.opened',
          'trade.closed',
          'fill',
          'order.updated',
          'trading.halted',
          'trading.resumed',
          'cycle.finished',
          'cycle.failed',
          'signal.created',
          'approval.decided',
        ].includes(type)
      )
        refresh();
    });

    draw(await get('/api/overview'));
  },
};
