import { ema, vwap } from '@catalyst/domain';
import type { ServiceApp } from '@catalyst/shared';
import type { z } from 'zod';
import type { SessionGuard } from '../auth/session-guard';
import type { MarketBars } from '../data-access/market-bars.client';
import { passThrough, type Upstreams } from '../data-access/upstreams.client';
import { dashboardContract as c, type Chart } from '../dashboard.contract';

const EMA_PERIODS = [9, 20];
type Marker = z.infer<typeof Chart>['markers'][number];

/** NaN (warm-up) travels as null, as every indicator does on the wire. */
const nullable = (values: Float64Array): (number | null)[] =>
  Array.from(values, (v) => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : null));

export function registerChartRoutes(
  api: ServiceApp,
  deps: { guard: SessionGuard; up: Upstreams; market: MarketBars },
): void {
  api.route(c.chart, async ({ params, query }, { req }) => {
    await deps.guard.require(req);
    const { symbol } = params;
    const bars = await deps.market.bars({ symbol, timeframe: query.timeframe, limit: query.limit });
    const first = bars[0]?.t;
    const [detections, trades, orders] = await Promise.all([
      first
        ? deps.up.patterns
            .listDetections({ query: { symbol, since: first, limit: 500 } })
            .then((p) => p.items.filter((d) => d.timeframe === query.timeframe))
            .catch(passThrough)
        : Promise.resolve([]),
      deps.up.reporting.listTrades({ query: { symbol, limit: 200 } }).catch(passThrough),
      deps.up.trading.listOrders({ query: { symbol, limit: 200 } }).catch(passThrough),
    ]);

    const t = Float64Array.from(bars, (b) => Date.parse(b.t));
    const h = Float64Array.from(bars, (b) => b.h);
    const l = Float64Array.from(bars, (b) => b.l);
    const cl = Float64Array.from(bars, (b) => b.c);
    const v = Float64Array.from(bars, (b) => b.v);

    // Round trips give entry and exit (and the story behind them); filled orders of a position
    // still open are entries without a trade yet.
    const markers: Marker[] = [];
    const inTrades = new Set<string>();
    for (const trade of trades.items) {
      for (const [kind, order] of [
        ['entry', trade.entryOrder],
        ['exit', trade.exitOrder],
      ] as const) {
        if (!order?.filledAt || !order.filledAvgPrice) continue;
        inTrades.add(order.id);
        markers.push({
          t: order.filledAt,
          kind,
          side: order.side,
          price: order.filledAvgPrice,
          qty: order.filledQty,
          orderId: order.id,
          tradeId: trade.id,
        });
      }
    }
    for (const order of orders.items) {
      if (inTrades.has(order.id) || !order.filledAt || !order.filledAvgPrice || order.parentOrderId) continue;
      markers.push({
        t: order.filledAt,
        kind: 'entry',
        side: order.side,
        price: order.filledAvgPrice,
        qty: order.filledQty,
        orderId: order.id,
        tradeId: null,
      });
    }
    const from = first ? Date.parse(first) : Infinity;
    const visible = markers.filter((m) => Date.parse(m.t) >= from).sort((a, b) => a.t.localeCompare(b.t));

    return {
      symbol,
      timeframe: query.timeframe,
      bars: bars.map((b) => ({ t: b.t, o: b.o, h: b.h, l: b.l, c: b.c, v: b.v })),
      vwap: bars.length ? nullable(vwap(t, h, l, cl, v)) : [],
      ema: EMA_PERIODS.map((period) => ({
        period,
        values: bars.length >= period ? nullable(ema(cl, period)) : bars.map(() => null),
      })),
      detections,
      markers: visible,
    };
  });
}
