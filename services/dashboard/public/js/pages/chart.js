import { describeError, get } from '../api.js';
import { h, replace, table } from '../dom.js';
import { fixed, qty, signedUsd, time, tone, usd } from '../format.js';
import { catalystBadge, debounce, keyValues, newsLinks, reasonsList, section, statusBadge } from '../widgets.js';

const TIMEFRAMES = ['1Min', '5Min', '15Min', '1Hour', '1Day'];
const toSec = (iso) => Math.floor(Date.parse(iso) / 1000);

/** The most confident detection of each bar and side, with how many there were. */
function strongestPerBar(detections, timeOf) {
  const best = new Map();
  for (const d of detections) {
    const t = timeOf(d);
    const key = `${t}:${d.direction === 'bearish' ? 'a' : 'b'}`;
    const cur = best.get(key);
    if (!cur) best.set(key, { d, t, count: 1 });
    else {
      cur.count += 1;
      if (Number(d.confidence) > Number(cur.d.confidence)) cur.d = d;
    }
  }
  return [...best.values()];
}

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** The whole story of one trade, in a dialog: news, catalyst, patterns, indicators, risk. */
async function openStory(tradeId, ctx) {
  let story;
  try {
    story = await get(`/api/trades/${encodeURIComponent(tradeId)}/story`);
  } catch (err) {
    ctx.flash(describeError(err));
    return;
  }
  const t = story.trade;
  const close = h('button.ghost', { type: 'button', 'aria-label': 'Close the trade story' }, 'Close');
  const risk = story.riskDecision;
  const dlg = h(
    'dialog.story',
    { 'aria-labelledby': 'story-title' },
    h(
      'div.story-body',
      h(
        'div.page-head',
        h(
          'h2',
          { id: 'story-title' },
          `${t.side} ${qty(t.qty)} ${t.symbol}: ${usd(t.entryPrice)} → ${usd(t.exitPrice)}`,
        ),
        close,
      ),
      h(
        'p',
        h(`strong.${tone(t.realizedPnl) || 'flat'}`, signedUsd(t.realizedPnl)),
        ` · ${time(t.openedAt)} → ${time(t.closedAt)} · exit: ${t.exitReason ?? '—'}`,
        t.newsToOrderMs !== null ? ` · news to order ${t.newsToOrderMs} ms` : '',
      ),
      h('h3', 'News'),
      newsLinks(story.news.map((n) => ({ ...n }))),
      h('h3', 'Catalyst'),
      story.catalyst
        ? h(
            'p',
            catalystBadge(story.catalyst),
            ' ',
            h('span', `score ${fixed(story.catalyst.score, 3)}`),
            story.catalyst.terms.length ? h('span.muted', ` · terms: ${story.catalyst.terms.join(', ')}`) : null,
          )
        : h('p.muted', 'No catalyst recorded.'),
      h('h3', 'Patterns'),
      table(
        [
          { label: 'Pattern', cell: (d) => d.name },
          { label: 'Timeframe', cell: (d) => d.timeframe },
          { label: 'Direction', cell: (d) => statusBadge(d.direction) },
          { label: 'Confidence', cell: (d) => fixed(d.confidence, 2), class: 'num' },
          { label: 'Bar', cell: (d) => time(d.barTime) },
        ],
        story.detections,
        { empty: 'No pattern detections.' },
      ),
      h('h3', 'Signal'),
      story.signal
        ? [
            h(
              'p',
              `${story.signal.action.toUpperCase()} · confidence ${fixed(story.signal.confidence, 2)} · entry ${usd(story.signal.entryPrice)} · stop ${usd(story.signal.stopPrice)} · target ${usd(story.signal.targetPrice)}`,
            ),
            reasonsList(story.signal.reasons),
            h('h3', 'Indicator values'),
            keyValues(story.signal.indicators),
          ]
        : h('p.muted', 'No signal recorded.'),
      h('h3', 'Risk decision'),
      risk
        ? [
            h(
              'p',
              statusBadge(risk.approved ? 'approved' : 'rejected'),
              ` ${risk.reasonCode ?? ''} · qty ${risk.qty ?? '—'} · ${time(risk.decidedAt)}`,
            ),
            keyValues(risk.details),
          ]
        : h('p.muted', 'No risk decision recorded.'),
    ),
  );
  close.addEventListener('click', () => dlg.close());
  dlg.addEventListener('close', () => dlg.remove());
  document.body.append(dlg);
  dlg.showModal();
}

export default {
  title: 'Chart',
  async render(main, ctx) {
    const initial = (ctx.params[0] ?? ctx.query.get('symbol') ?? '').toUpperCase();
    const symbol = h('input', {
      id: 'c-symbol',
      name: 'symbol',
      maxlength: 12,
      autocomplete: 'off',
      value: initial,
      placeholder: 'e.g. ACME',
    });
    const tf = h(
      'select',
      { id: 'c-timeframe', name: 'timeframe' },
      TIMEFRAMES.map((t) => h('option', { value: t }, t)),
    );
    tf.value = TIMEFRAMES.includes(ctx.query.get('timeframe')) ? ctx.query.get('timeframe') : '5Min';
    const form = h(
      'form.filters',
      { 'aria-label': 'Chart symbol' },
      h('label', { for: 'c-symbol' }, 'Symbol'),
      symbol,
      h('label', { for: 'c-timeframe' }, 'Timeframe'),
      tf,
      h('button', { type: 'submit' }, 'Show'),
    );
    const holder = h('div.chart-holder', {
      id: 'market-chart',
      role: 'img',
      'aria-label': 'Candles, volume, VWAP and EMA with pattern and trade markers',
    });
    const legend = h(
      'p.legend.small',
      h('span.key.vwap', 'VWAP'),
      h('span.key.ema9', 'EMA 9'),
      h('span.key.ema20', 'EMA 20'),
      h('span.key.entry', '▲ entry'),
      h('span.key.exit', '▼ exit'),
      h('span.key.pattern', '● pattern'),
    );
    const trades = h('div', { id: 'chart-trades' });
    const patterns = h('div', { id: 'chart-patterns' });
    const status = h('p.muted.small', { role: 'status' });
    replace(
      main,
      h('div.page-head', h('h1', 'Market chart')),
      form,
      status,
      h('section.card', holder, legend),
      h('div.grid-2', section('Entries and exits', trades), section('Patterns', patterns)),
    );

    let chart = null;
    let current = null;
    const LC = window.LightweightCharts;
    ctx.onCleanup(() => chart && chart.remove());

    const draw = async () => {
      const s = symbol.value.trim().toUpperCase();
      if (!s) {
        status.textContent = 'Type a symbol to see its chart.';
        return;
      }
      if (!/^[A-Z][A-Z0-9.\-]{0,11}$/.test(s)) {
        status.textContent = 'A symbol is 1–12 letters, digits, dots or dashes, starting with a letter.';
        return;
      }
      status.textContent = '';
      history.replaceState(null, '', `/chart/${encodeURIComponent(s)}?timeframe=${tf.value}`);
      const c = await get(`/api/chart/${encodeURIComponent(s)}`, { timeframe: tf.value, limit: 300 });
      current = c;
      if (chart) chart.remove();
      holder.replaceChildren();
      if (!LC) {
        status.textContent = 'The chart library did not load.';
        return;
      }
      if (!c.bars.length) status.textContent = `No bars for ${s} at ${tf.value}.`;
      const up = cssVar('--up', '#15803d');
      const down = cssVar('--down', '#b91c1c');
      chart = LC.createChart(holder, {
        autoSize: true,
        layout: {
          background: { color: cssVar('--card', '#ffffff') },
          textColor: cssVar('--text', '#111827'),
          attributionLogo: false,
        },
        grid: { vertLines: { color: cssVar('--grid', '#eef0f3') }, horzLines: { color: cssVar('--grid', '#eef0f3') } },
        timeScale: { timeVisible: true, secondsVisible: false },
        rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.28 } },
      });
      const candles = chart.addSeries(LC.CandlestickSeries, {
        upColor: up,
        downColor: down,
        wickUpColor: up,
        wickDownColor: down,
        borderVisible: false,
      });
      candles.setData(c.bars.map((b) => ({ time: toSec(b.t), open: +b.o, high: +b.h, low: +b.l, close: +b.c })));
      const volume = chart.addSeries(LC.HistogramSeries, {
        priceScaleId: 'vol',
        priceFormat: { type: 'volume' },
        lastValueVisible: false,
        priceLineVisible: false,
      });
      chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
      volume.setData(
        c.bars.map((b) => ({ time: toSec(b.t), value: +b.v, color: +b.c >= +b.o ? `${up}66` : `${down}66` })),
      );
      const line = (values, color) => {
        const series = chart.addSeries(LC.LineSeries, {
          color,
          lineWidth: 2,
          lastValueVisible: false,
          priceLineVisible: false,
          crosshairMarkerVisible: false,
        });
        series.setData(
          c.bars.flatMap((b, i) =>
            values[i] === null || values[i] === undefined ? [] : [{ time: toSec(b.t), value: values[i] }],
          ),
        );
      };
      line(c.vwap, cssVar('--vwap', '#7c3aed'));
      const emaColors = [cssVar('--ema9', '#f59e0b'), cssVar('--ema20', '#0ea5e9')];
      c.ema.forEach((e, i) => line(e.values, emaColors[i % emaColors.length]));

      const first = c.bars.length ? toSec(c.bars[0].t) : 0;
      const inRange = (sec) => c.bars.length && sec >= first;
      // A marker sits on the bar that contains its time: the last bar that starts at or before it.
      const snap = (sec) => {
        let lo = 0;
        let hi = c.bars.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (toSec(c.bars[mid].t) <= sec) lo = mid;
          else hi = mid - 1;
        }
        return toSec(c.bars[lo].t);
      };
      const markers = [
        // One marker per bar and side, named after its strongest pattern (the table lists them all).
        ...strongestPerBar(
          c.detections.filter((d) => inRange(toSec(d.barTime))),
          (d) => snap(toSec(d.barTime)),
        ).map(({ d, t, count }) => ({
          time: t,
          position: d.direction === 'bearish' ? 'aboveBar' : 'belowBar',
          color: cssVar('--pattern', '#64748b'),
          shape: 'circle',
          text: count > 1 ? `${d.name} +${count - 1}` : d.name,
          id: `p:${d.id}`,
        })),
        ...c.markers
          .filter((m) => inRange(toSec(m.t)))
          .map((m) => ({
            time: snap(toSec(m.t)),
            position: m.side === 'buy' ? 'belowBar' : 'aboveBar',
            color: m.kind === 'entry' ? up : down,
            shape: m.side === 'buy' ? 'arrowUp' : 'arrowDown',
            text: `${m.kind} ${m.qty} @ ${Number(m.price).toFixed(2)}`,
            id: m.tradeId ? `t:${m.tradeId}` : `o:${m.orderId}`,
          })),
      ].sort((a, b) => a.time - b.time);
      LC.createSeriesMarkers(candles, markers);
      chart.subscribeClick((param) => {
        let id = typeof param.hoveredObjectId === 'string' ? param.hoveredObjectId : null;
        if (!id && param.time !== undefined) {
          const m = markers.find((x) => x.time === param.time && x.id.startsWith('t:'));
          id = m ? m.id : null;
        }
        if (id && id.startsWith('t:')) openStory(id.slice(2), ctx);
      });
      chart.timeScale().fitContent();

      replace(
        trades,
        table(
          [
            { label: 'At', cell: (m) => time(m.t) },
            { label: 'Kind', cell: (m) => statusBadge(m.kind === 'entry' ? 'open' : 'closed') },
            { label: 'Side', cell: (m) => m.side },
            { label: 'Qty', cell: (m) => qty(m.qty), class: 'num' },
            { label: 'Price', cell: (m) => usd(m.price), class: 'num' },
            {
              label: 'Story',
              cell: (m) => {
                if (!m.tradeId) return h('span.muted', 'open trade');
                const b = h(
                  'button.ghost',
                  { type: 'button', 'aria-label': `Open the story of the ${m.kind} at ${time(m.t)}` },
                  'Story',
                );
                b.addEventListener('click', () => openStory(m.tradeId, ctx));
                return b;
              },
            },
          ],
          c.markers,
          { empty: 'No trades in this symbol yet.' },
        ),
      );
      replace(
        patterns,
        table(
          [
            { label: 'Bar', cell: (d) => time(d.barTime) },
            { label: 'Pattern', cell: (d) => d.name },
            { label: 'Direction', cell: (d) => statusBadge(d.direction) },
            { label: 'Confidence', cell: (d) => fixed(d.confidence, 2), class: 'num' },
          ],
          c.detections,
          { empty: 'No patterns detected.' },
        ),
      );
    };

    const report = (err) => {
      if (err.status !== 401) ctx.flash(describeError(err));
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      draw().catch(report);
    });
    tf.addEventListener('change', () => draw().catch(report));
    const refresh = debounce(() => draw().catch(report), 500);
    ctx.onCleanup(refresh.cancel);
    ctx.live((t, d) => {
      if (current && (t === 'fill' || t === 'trade.opened' || t === 'trade.closed') && d.symbol === current.symbol)
        refresh();
    });
    if (!initial) {
      // Start on a symbol worth looking at: an open position, else the latest catalyst's.
      try {
        const o = await get('/api/overview');
        const pick =
          (o.positions[0] && o.positions[0].symbol) || (o.news.find((n) => n.tickers.length)?.tickers[0].symbol ?? '');
        symbol.value = pick;
      } catch (err) {
        report(err);
      }
    }
    await draw();
  },
};
