import { describeError, get } from '../api.js';
import { h, replace, table } from '../dom.js';
import { qty, time, usd } from '../format.js';
import {
  actionButton,
  closePositionColumn,
  debounce,
  positionColumns,
  section,
  statusBadge,
  tickerLinks,
} from '../widgets.js';

export default {
  title: 'Orders and positions',
  async render(main, ctx) {
    const positions = h('div', { id: 'positions' });
    const orders = h('div', { id: 'orders' });
    const detail = h('div', { id: 'order-detail' });
    replace(
      main,
      h('div.page-head', h('h1', 'Orders and positions')),
      section('Open positions', positions),
      section('Orders', orders, detail),
    );

    const showDetail = async (id) => {
      const o = await get(`/api/orders/${encodeURIComponent(id)}`);
      replace(
        detail,
        h(
          'div.detail',
          h('h3', `${o.side.toUpperCase()} ${o.qty} ${o.symbol} · ${o.type} · ${o.orderClass}`),
          o.error ? h('p.flash.error', o.error) : null,
          h('h4', 'Status history'),
          table(
            [
              { label: 'At', cell: (t) => time(t.at) },
              { label: 'From', cell: (t) => t.fromStatus ?? '—' },
              { label: 'To', cell: (t) => statusBadge(t.toStatus) },
              { label: 'Event', cell: (t) => t.event ?? '—' },
              { label: 'Source', cell: (t) => t.source ?? '—' },
            ],
            o.transitions,
            { empty: 'No transitions recorded.' },
          ),
          h('h4', 'Fills'),
          table(
            [
              { label: 'At', cell: (f) => time(f.filledAt) },
              { label: 'Qty', cell: (f) => qty(f.qty), class: 'num' },
              { label: 'Price', cell: (f) => usd(f.price), class: 'num' },
              { label: 'Fee', cell: (f) => usd(f.fee), class: 'num' },
            ],
            o.fills,
            { empty: 'No fills.' },
          ),
          o.legs.length
            ? [
                h('h4', 'Bracket legs'),
                table(
                  [
                    { label: 'Leg', cell: (l) => l.leg ?? '—' },
                    { label: 'Type', cell: (l) => l.type },
                    { label: 'Stop', cell: (l) => usd(l.stopPrice), class: 'num' },
                    { label: 'Limit', cell: (l) => usd(l.limitPrice), class: 'num' },
                    { label: 'Status', cell: (l) => statusBadge(l.status) },
                  ],
                  o.legs,
                ),
              ]
            : null,
        ),
      );
      detail.scrollIntoView({ block: 'nearest' });
    };

    const draw = async () => {
      const [pos, ord] = await Promise.all([get('/api/positions'), get('/api/orders', { limit: 50 })]);
      replace(
        positions,
        table(
          [
            ...['symbol', 'side', 'qty', 'entry', 'price', 'stop', 'target', 'unrealized', 'opened'].map(
              (name) => positionColumns[name],
            ),
            closePositionColumn(ctx, refresh),
          ],
          pos.items,
          { empty: 'No open positions.', rowAttrs: (p) => ({ dataset: { symbol: p.symbol } }) },
        ),
      );
      replace(
        orders,
        table(
          [
            { label: 'Created', cell: (o) => time(o.createdAt) },
            { label: 'Symbol', cell: (o) => tickerLinks([o.symbol]) },
            { label: 'Side', cell: (o) => o.side },
            { label: 'Type', cell: (o) => `${o.type}${o.leg ? ` (${o.leg.replace('_', ' ')})` : ''}` },
            { label: 'Qty', cell: (o) => `${qty(o.filledQty)} / ${qty(o.qty)}`, class: 'num' },
            { label: 'Avg price', cell: (o) => usd(o.filledAvgPrice), class: 'num' },
            { label: 'Status', cell: (o) => statusBadge(o.status) },
            {
              label: 'Detail',
              cell: (o) =>
                actionButton('Show', () => showDetail(o.id), {
                  kind: 'ghost',
                  ariaLabel: `Show order ${o.side} ${o.symbol} ${time(o.createdAt)}`,
                  onError: (e) => ctx.flash(describeError(e)),
                }),
            },
          ],
          ord.items,
          { empty: 'No orders yet.', rowAttrs: (o) => ({ dataset: { id: o.id } }) },
        ),
      );
    };

    const refresh = debounce(() => draw().catch((err) => err.status !== 401 && ctx.flash(describeError(err))), 150);
    ctx.onCleanup(refresh.cancel);
    ctx.live((t) => {
      if (['order.updated', 'fill', 'trade.opened', 'trade.closed', 'trading.halted'].includes(t)) refresh();
    });
    await draw();
  },
};
