/** Pieces several pages share: badges, stat tiles, a news row, a signal's reasons. */
import { del, describeError } from './api.js';
import { h } from './dom.js';
import { catalystLabel, duration, fixed, num, qty, reasonText, signedUsd, time, tone, usd } from './format.js';

export function badge(text, kind = '') {
  return h(`span.badge${kind ? `.${kind}` : ''}`, text);
}

export function catalystBadge(c) {
  const dir = c.direction === 'bullish' ? 'up' : c.direction === 'bearish' ? 'down' : 'neutral';
  const score = num(c.score);
  return h(
    `span.badge.catalyst.${dir}`,
    { title: `${c.direction ?? ''} catalyst${score !== null ? `, score ${score.toFixed(2)}` : ''}` },
    catalystLabel(c.type),
    score !== null ? h('span.score', score.toFixed(2)) : null,
  );
}

export function sentimentBadge(label, score) {
  if (!label) return null;
  const kind = label === 'positive' ? 'up' : label === 'negative' ? 'down' : 'neutral';
  return badge(`${label}${num(score) !== null ? ` ${fixed(score, 2)}` : ''}`, kind);
}

export function statusBadge(status) {
  const good = ['filled', 'completed', 'executed', 'approved', 'ok', 'ready', 'open', 'long'];
  const bad = ['failed', 'rejected', 'refused', 'canceled', 'cancelled', 'expired', 'down', 'not_ready', 'short'];
  const kind = good.includes(status) ? 'up' : bad.includes(status) ? 'down' : 'neutral';
  return badge(String(status).replaceAll('_', ' '), kind);
}

export function stat(label, value, { tone = '', id } = {}) {
  return h(
    'div.stat',
    id ? { id } : null,
    h('div.stat-label', label),
    h(`div.stat-value${tone ? `.${tone}` : ''}`, value),
  );
}

export function section(title, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section.card', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function tickerLinks(symbols) {
  return h(
    'span.tickers',
    symbols.map((s) => h('a.ticker', { href: `/chart/${encodeURIComponent(s)}`, 'aria-label': `Chart of ${s}` }, s)),
  );
}

/** A NewsItem (or a news.catalyst event) as one row of a feed. */
export function newsRow(item) {
  const symbols = item.tickers ? item.tickers.map((t) => t.symbol) : item.symbol ? [item.symbol] : [];
  const catalysts =
    item.catalysts ?? (item.type ? [{ type: item.type, direction: item.direction, score: item.score }] : []);
  const title = item.title ?? item.headline ?? '';
  const safeUrl = typeof item.url === 'string' && /^https?:\/\//i.test(item.url) ? item.url : null;
  return h(
    'li.news-item',
    { dataset: { id: item.id ?? item.newsItemId ?? '' } },
    h(
      'div.news-head',
      safeUrl
        ? h('a.news-title', { href: safeUrl, target: '_blank', rel: 'noopener noreferrer' }, title)
        : h('span.news-title', title),
    ),
    h(
      'div.news-meta',
      h('time', { datetime: item.publishedAt ?? item.receivedAt ?? '' }, time(item.publishedAt ?? item.receivedAt)),
      item.source ? h('span.muted', item.publisher ?? item.source) : null,
      tickerLinks(symbols),
      catalysts.map(catalystBadge),
      sentimentBadge(item.sentimentLabel, item.sentimentScore),
    ),
  );
}

export function reasonsList(reasons) {
  if (!reasons || !reasons.length) return h('p.muted', 'No reasons recorded.');
  return h(
    'ul.reasons',
    reasons.map((r) => h('li', reasonText(r))),
  );
}

/** The news items behind a signal: title links and times. */
export function newsLinks(news) {
  if (!news || !news.length) return h('p.muted', 'No news behind it.');
  return h(
    'ul.news-links',
    news.map((n) => {
      const url = typeof n.url === 'string' && /^https?:\/\//i.test(n.url) ? n.url : null;
      return h(
        'li',
        url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, n.title) : n.title,
        ' ',
        h('span.muted', `${n.source ?? ''} · ${time(n.publishedAt ?? n.receivedAt)}`),
        n.sentimentLabel ? [' ', sentimentBadge(n.sentimentLabel)] : null,
      );
    }),
  );
}

/** A value for people: numbers to four decimals, lists and objects as nested lists. */
function valueNode(v, depth) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return String(Number(v.toFixed(4)));
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (!v.length) return '—';
    if (v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => valueNode(x, depth)).join(', ');
    return h(
      'ul.plain',
      v.map((x) =>
        // A check ({ passed, message }) reads as one line with its outcome.
        x && typeof x === 'object' && typeof x.message === 'string'
          ? h('li', 'passed' in x ? h(`span.${x.passed ? 'up' : 'down'}`, x.passed ? '✓ ' : '✗ ') : null, x.message)
          : h('li', valueNode(x, depth + 1)),
      ),
    );
  }
  return depth >= 3 ? JSON.stringify(v) : keyValues(v, depth + 1);
}

export function keyValues(obj, depth = 0) {
  const entries = Object.entries(obj ?? {});
  if (!entries.length) return h('p.muted', 'None recorded.');
  return h(
    `dl.kv${depth ? '.nested' : ''}`,
    entries.map(([k, v]) => [h('dt', k), h('dd', valueNode(v, depth))]),
  );
}

/** A button that runs an async action once at a time, reporting failure through `onError`. */
export function actionButton(label, action, { kind = '', ariaLabel, onError } = {}) {
  const b = h(`button${kind ? `.${kind}` : ''}`, { type: 'button', 'aria-label': ariaLabel }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await action();
    } catch (err) {
      if (onError) onError(err);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

/** Calls fn at most once per `ms`, at the end: many events, one refresh. */
export function debounce(fn, ms = 250) {
  let t = null;
  const d = () => {
    clearTimeout(t);
    t = setTimeout(fn, ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** Columns of a positions table, by name: each page shows the ones it needs. */
export const positionColumns = {
  symbol: { label: 'Symbol', cell: (p) => tickerLinks([p.symbol]) },
  side: { label: 'Side', cell: (p) => statusBadge(p.side) },
  qty: { label: 'Qty', cell: (p) => qty(p.qty), class: 'num' },
  entry: { label: 'Entry', cell: (p) => usd(p.avgEntryPrice), class: 'num' },
  price: { label: 'Price', cell: (p) => usd(p.currentPrice), class: 'num' },
  stop: { label: 'Stop', cell: (p) => usd(p.stopPrice), class: 'num' },
  target: { label: 'Target', cell: (p) => usd(p.targetPrice), class: 'num' },
  unrealized: {
    label: 'Unrealized',
    cell: (p) => h(`span.${tone(p.unrealizedPnl) || 'flat'}`, signedUsd(p.unrealizedPnl)),
    class: 'num',
  },
  opened: { label: 'Opened', cell: (p) => time(p.openedAt) },
};

/** A positions table's Close column: confirms, sends the closing order, then refreshes. */
export function closePositionColumn(ctx, refresh) {
  return {
    label: 'Action',
    cell: (p) =>
      actionButton(
        'Close',
        async () => {
          if (!window.confirm(`Close the ${p.symbol} position at market?`)) return;
          await del(`/api/positions/${encodeURIComponent(p.symbol)}`);
          ctx.flash(`Closing order sent for ${p.symbol}.`, 'info');
          refresh();
        },
        { ariaLabel: `Close position ${p.symbol}`, onError: (e) => ctx.flash(describeError(e)) },
      ),
  };
}

/** The columns every cycles table starts with: when, what started it, how it ended, how long. */
export const cycleColumns = [
  { label: 'Started', cell: (c) => time(c.startedAt) },
  { label: 'Trigger', cell: (c) => `${c.trigger.replace('_', ' ')}${c.symbol ? ` ${c.symbol}` : ''}` },
  { label: 'Status', cell: (c) => statusBadge(c.status) },
  {
    label: 'Took',
    cell: (c) => (c.finishedAt ? duration(Date.parse(c.finishedAt) - Date.parse(c.startedAt)) : '…'),
    class: 'num',
  },
];
