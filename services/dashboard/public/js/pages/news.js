import { describeError, get } from '../api.js';
import { h, replace } from '../dom.js';
import { catalystLabel, num } from '../format.js';
import { newsRow } from '../widgets.js';

// The news service's catalyst vocabulary (packages/domain/src/news/types.ts).
const TYPES = [
  'earnings_beat',
  'earnings_miss',
  'guidance_raise',
  'guidance_cut',
  'fda_approval',
  'fda_rejection',
  'trial_result',
  'merger_acquisition',
  'analyst_upgrade',
  'analyst_downgrade',
  'analyst_initiation',
  'price_target',
  'offering',
  'buyback',
  'dividend_change',
  'lawsuit',
  'investigation',
  'recall',
  'contract_win',
  'partnership',
  'executive_change',
  'bankruptcy',
  'halt',
  'other',
];

export default {
  title: 'News',
  async render(main, ctx) {
    const symbol = h('input', {
      id: 'f-symbol',
      name: 'symbol',
      maxlength: 12,
      autocomplete: 'off',
      value: ctx.query.get('symbol') ?? '',
    });
    const type = h(
      'select',
      { id: 'f-type', name: 'type' },
      h('option', { value: '' }, 'Any'),
      TYPES.map((t) => h('option', { value: t }, catalystLabel(t))),
    );
    type.value = ctx.query.get('type') ?? '';
    const minScore = h('input', {
      id: 'f-score',
      name: 'minScore',
      type: 'number',
      min: 0,
      max: 1,
      step: 0.05,
      value: ctx.query.get('minScore') ?? '',
    });
    const form = h(
      'form.filters',
      { 'aria-label': 'Filter news' },
      h('label', { for: 'f-symbol' }, 'Symbol'),
      symbol,
      h('label', { for: 'f-type' }, 'Catalyst'),
      type,
      h('label', { for: 'f-score' }, 'Min. score'),
      minScore,
      h('button', { type: 'submit' }, 'Filter'),
    );
    const list = h('ul.news-list', { id: 'news-list', 'aria-live': 'polite' });
    const more = h('button.ghost', { type: 'button' }, 'Load more');
    const status = h('p.muted.small', { role: 'status' });
    replace(main, h('div.page-head', h('h1', 'News')), form, status, h('section.card', list, more));

    let cursor = null;
    let filters = {};

    const load = async (append) => {
      const page = await get('/api/news', { ...filters, limit: 50, cursor: append ? cursor : undefined });
      if (!append) list.replaceChildren();
      list.append(...page.items.map(newsRow));
      if (!list.children.length) list.append(h('li.empty', 'No news matches.'));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    };

    const apply = async () => {
      const s = symbol.value.trim().toUpperCase();
      const m = minScore.value.trim();
      if (s && !/^[A-Z][A-Z0-9.\-]{0,11}$/.test(s)) {
        status.textContent = 'A symbol is 1–12 letters, digits, dots or dashes.';
        return;
      }
      if (m && (num(m) === null || num(m) < 0 || num(m) > 1)) {
        status.textContent = 'The minimum score is a number from 0 to 1.';
        return;
      }
      filters = { symbol: s || undefined, type: type.value || undefined, minScore: m || undefined };
      status.textContent = '';
      const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined));
      history.replaceState(null, '', `/news${q.toString() ? `?${q}` : ''}`);
      try {
        await load(false);
      } catch (err) {
        ctx.flash(describeError(err));
      }
    };

    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      apply();
    });
    more.addEventListener('click', () => load(true).catch((err) => ctx.flash(describeError(err))));

    ctx.live((t, d) => {
      if (t !== 'news.catalyst') return;
      if (filters.symbol && d.symbol !== filters.symbol) return;
      if (filters.type && d.type !== filters.type) return;
      if (filters.minScore && d.score < Number(filters.minScore)) return;
      const empty = list.querySelector('.empty');
      if (empty) empty.remove();
      if (list.querySelector(`[data-id="${CSS.escape(d.newsItemId)}"]`)) return;
      list.prepend(newsRow({ ...d, id: d.newsItemId }));
    });

    await apply();
  },
};
