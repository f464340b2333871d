import { describeError, get } from '../api.js';
import { h, replace, svg, table } from '../dom.js';
import { duration, time } from '../format.js';
import { cycleColumns, debounce, section, statusBadge } from '../widgets.js';

/** The steps of one cycle on a time axis: where each started and how long it took. */
function timeline(cycle) {
  const steps = cycle.steps.filter((s) => s.startedAt);
  if (!steps.length) return h('p.empty', 'No step has started.');
  const t0 = Date.parse(cycle.startedAt);
  const end = Math.max(...steps.map((s) => (s.finishedAt ? Date.parse(s.finishedAt) : Date.now())), t0 + 1);
  const span = end - t0;
  const W = 640;
  const L = 120;
  const R = 70;
  const row = 24;
  const H = steps.length * row + 24;
  const X = (ms) => L + ((ms - t0) / span) * (W - L - R);
  return svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'chart timeline',
      role: 'img',
      'aria-label': `Steps of the cycle over ${duration(span)}`,
    },
    svg('title', {}, 'Cycle steps over time'),
    steps.map((s, i) => {
      const a = Date.parse(s.startedAt);
      const b = s.finishedAt ? Date.parse(s.finishedAt) : end;
      const y = 6 + i * row;
      return [
        svg('text', { x: L - 8, y: y + 14, 'text-anchor': 'end', class: 'axis label' }, s.name),
        svg('rect', { x: X(a), y: y + 3, width: Math.max(X(b) - X(a), 2), height: row - 8, class: `step ${s.status}` }),
        svg('text', { x: Math.min(X(b) + 6, W - R + 6), y: y + 14, class: 'axis' }, duration(s.durationMs ?? b - a)),
      ];
    }),
    svg('text', { x: L, y: H - 4, class: 'axis' }, '0'),
    svg('text', { x: W - R, y: H - 4, 'text-anchor': 'end', class: 'axis' }, duration(span)),
  );
}

export default {
  title: 'Cycles',
  async render(main, ctx) {
    const list = h('div', { id: 'cycles' });
    const detail = h('div', { id: 'cycle-detail' });
    replace(
      main,
      h('div.page-head', h('h1', 'Cycles')),
      h('div.grid-2', section('Recent cycles', list), section('Timeline', detail)),
    );
    let selected = null;

    const show = async (id) => {
      selected = id;
      const c = await get(`/api/cycles/${encodeURIComponent(id)}`);
      replace(
        detail,
        h(
          'p',
          statusBadge(c.status),
          ` ${c.trigger.replace('_', ' ')}${c.symbol ? ` ${c.symbol}` : ''} · ${time(c.startedAt)}`,
        ),
        c.error ? h('p.flash.error', c.error) : null,
        timeline(c),
        table(
          [
            { label: 'Step', cell: (s) => s.name },
            { label: 'Status', cell: (s) => statusBadge(s.status) },
            { label: 'Took', cell: (s) => duration(s.durationMs), class: 'num' },
            {
              label: 'Note',
              cell: (s) =>
                s.error ??
                (s.output && typeof s.output === 'object' && typeof s.output.reason === 'string'
                  ? s.output.reason
                  : ''),
            },
          ],
          c.steps,
          { empty: 'No steps.' },
        ),
      );
    };

    const draw = async () => {
      const page = await get('/api/cycles', { limit: 30 });
      replace(
        list,
        table(
          [
            ...cycleColumns,
            {
              label: 'Steps',
              cell: (c) => {
                const b = h(
                  'button.ghost',
                  { type: 'button', 'aria-label': `Show the steps of the cycle started ${time(c.startedAt)}` },
                  'Show',
                );
                b.addEventListener('click', () => show(c.id).catch(report));
                return b;
              },
            },
          ],
          page.items,
          { empty: 'No cycles yet.' },
        ),
      );
      if (!selected && page.items.length) await show(page.items[0].id);
      else if (!page.items.length) replace(detail, h('p.empty', 'No cycles yet.'));
    };

    const report = (err) => {
      if (err.status !== 401) ctx.flash(describeError(err));
    };
    const refresh = debounce(
      () =>
        draw()
          .then(() => selected && show(selected))
          .catch(report),
      200,
    );
    ctx.onCleanup(refresh.cancel);
    ctx.live((t) => {
      if (t === 'cycle.step' || t === 'cycle.finished' || t === 'cycle.failed') refresh();
    });
    await draw();
  },
};
