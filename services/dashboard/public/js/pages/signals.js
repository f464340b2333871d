import { describeError, get, post } from '../api.js';
import { h, replace, table } from '../dom.js';
import { fixed, reasonText, time, usd } from '../format.js';
import {
  actionButton,
  catalystBadge,
  debounce,
  newsLinks,
  reasonsList,
  section,
  statusBadge,
  tickerLinks,
} from '../widgets.js';

function signalCard(s, { news, catalyst }, actions) {
  return h(
    'article.signal',
    { dataset: { id: s.id, status: s.status }, 'aria-label': `${s.action} signal for ${s.symbol}` },
    h(
      'header',
      h(`span.action.${s.action}`, s.action.toUpperCase()),
      tickerLinks([s.symbol]),
      statusBadge(s.status),
      h('span.muted', `confidence ${fixed(s.confidence, 2)}`),
      h('time.muted', { datetime: s.createdAt }, time(s.createdAt)),
    ),
    h(
      'p.levels',
      `entry ${usd(s.entryPrice)} · stop ${usd(s.stopPrice)} · target ${usd(s.targetPrice)}`,
      s.expiresAt && s.status === 'pending' ? ` · expires ${time(s.expiresAt)}` : '',
    ),
    s.statusReason ? h('p.muted', s.statusReason) : null,
    catalyst
      ? h(
          'p',
          catalystBadge(catalyst),
          catalyst.terms && catalyst.terms.length ? h('span.muted', ` terms: ${catalyst.terms.join(', ')}`) : null,
        )
      : null,
    h(
      'details',
      { open: actions ? true : undefined },
      h('summary', 'Reasons and news'),
      reasonsList(s.reasons),
      newsLinks(news),
    ),
    actions ? h('div.actions', actions) : null,
  );
}

export default {
  title: 'Signals',
  async render(main, ctx) {
    const queue = h('div', { id: 'approval-queue' });
    const candidates = h('div', { id: 'candidates' });
    const signals = h('div.signal-list', { id: 'signals' });
    replace(
      main,
      h('div.page-head', h('h1', 'Candidates and signals')),
      section('Approval queue', queue),
      section('Signals', signals),
      section('Candidates (latest scan)', candidates),
    );

    const drawQueue = async () => {
      const a = await get('/api/approvals');
      if (!a.approvalMode && !a.items.length) {
        replace(queue, h('p.muted', 'Approval mode is off: signals go straight to trading. Turn it on in Settings.'));
        return;
      }
      if (!a.items.length) {
        replace(queue, h('p.empty', 'No signal is waiting.'));
        return;
      }
      replace(
        queue,
        a.items.map((it) =>
          signalCard(
            { ...it.signal, status: it.state === 'expired' ? 'expired' : it.signal.status },
            it,
            it.state === 'expired'
              ? null
              : [
                  actionButton(
                    'Approve',
                    async () => {
                      const r = await post(`/api/approvals/${it.signal.id}/approve`, {});
                      ctx.flash(`Approved: order ${r.order.side} ${r.order.qty} ${r.order.symbol} sent.`, 'info');
                      refresh();
                    },
                    {
                      kind: 'primary',
                      ariaLabel: `Approve ${it.signal.action} ${it.signal.symbol}`,
                      onError: (e) => ctx.flash(describeError(e)),
                    },
                  ),
                  actionButton(
                    'Reject',
                    async () => {
                      await post(`/api/approvals/${it.signal.id}/reject`, {});
                      ctx.flash(`Rejected the ${it.signal.symbol} signal.`, 'info');
                      refresh();
                    },
                    {
                      kind: 'danger',
                      ariaLabel: `Reject ${it.signal.action} ${it.signal.symbol}`,
                      onError: (e) => ctx.flash(describeError(e)),
                    },
                  ),
                ],
          ),
        ),
      );
    };

    const drawSignals = async () => {
      const page = await get('/api/signals', { limit: 30 });
      replace(
        signals,
        page.items.length ? page.items.map((s) => signalCard(s, s, null)) : h('p.empty', 'No signals yet.'),
      );
    };

    const drawCandidates = async () => {
      const { scan } = await get('/api/candidates');
      if (!scan) {
        replace(candidates, h('p.empty', 'No scan yet.'));
        return;
      }
      replace(
        candidates,
        h(
          'p.muted.small',
          `Scan at ${time(scan.startedAt)} · ${scan.candidates.length} candidate(s)${scan.universeSize ? ` of ${scan.universeSize}` : ''}`,
        ),
        table(
          [
            { label: '#', cell: (c) => String(c.rank), class: 'num' },
            { label: 'Symbol', cell: (c) => tickerLinks([c.symbol]) },
            { label: 'Score', cell: (c) => fixed(c.score, 3), class: 'num' },
            { label: 'Price', cell: (c) => usd(c.price), class: 'num' },
            {
              label: 'Catalyst',
              cell: (c) => (c.catalyst ? [catalystBadge(c.catalyst), ' ', h('span.small', c.catalyst.headline)] : '—'),
            },
            {
              label: 'Reasons',
              cell: (c) =>
                h(
                  'ul.reasons.compact',
                  c.reasons.map((r) => h('li', reasonText(r))),
                ),
            },
          ],
          scan.candidates,
          { empty: 'The scan found no candidate.' },
        ),
      );
    };

    const report = (err) => {
      if (err.status !== 401) ctx.flash(describeError(err));
    };
    const refresh = debounce(() => Promise.all([drawQueue(), drawSignals()]).catch(report), 150);
    const refreshCandidates = debounce(() => drawCandidates().catch(report), 150);
    ctx.onCleanup(refresh.cancel);
    ctx.onCleanup(refreshCandidates.cancel);
    ctx.live((t) => {
      if (t === 'signal.created' || t === 'approval.decided' || t === 'order.updated') refresh();
      if (t === 'scan.completed') refreshCandidates();
    });
    await Promise.all([drawQueue(), drawSignals(), drawCandidates()]);
  },
};
