import { NotFound, type ServiceApp } from '@catalyst/shared';
import type { z } from 'zod';
import type { SessionGuard } from '../auth/session-guard';
import type { ApprovalsRepository } from '../data-access/approvals.repository';
import { describeFailure, passThrough, type Upstreams } from '../data-access/upstreams.client';
import { dashboardContract as c, type Overview } from '../dashboard.contract';

/** Optional query fields left out when absent (the clients' exactOptionalPropertyTypes). */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

export function registerReadRoutes(
  api: ServiceApp,
  deps: { guard: SessionGuard; up: Upstreams; approvals: ApprovalsRepository },
): void {
  const { guard, up, approvals } = deps;

  api.route(c.overview, async (_input, { req }) => {
    await guard.require(req);
    const errors: { source: string; message: string }[] = [];
    const soft = <T>(source: string, p: Promise<T>): Promise<T | undefined> =>
      p.catch((err: unknown) => {
        errors.push({ source, message: describeFailure(err) });
        return undefined;
      });
    const [account, positions, status, news, pending] = await Promise.all([
      soft('trading', up.trading.getAccount()),
      soft('trading', up.trading.listPositions()),
      soft('coordination', up.coordination.getStatus()),
      soft('news', up.news.listNews({ query: { limit: 20 } })),
      soft('database', approvals.countPending()),
    ]);
    const overview: z.infer<typeof Overview> = {
      account: account ?? null,
      halted: status?.halted ?? account?.halted ?? false,
      approvalMode: status?.approvalMode ?? false,
      session: status?.session ?? null,
      schedule: status?.schedule ?? null,
      runningCycleId: status?.runningCycleId ?? null,
      positions: positions?.items ?? [],
      services: (status?.services ?? []).map((s) => ({
        service: s.service,
        url: s.url,
        health: s.health,
        ready: s.ready,
        latencyMs: s.latencyMs,
      })),
      lastCycles: (status?.lastCycles ?? []).slice(0, 10),
      news: news?.items ?? [],
      pendingApprovals: pending ?? 0,
      errors,
      generatedAt: new Date().toISOString(),
    };
    return overview;
  });

  api.route(c.news, async ({ query }, { req }) => {
    await guard.require(req);
    return up.news.listNews({ query: defined(query) }).catch(passThrough);
  });
  api.route(c.newsItem, async ({ params }, { req }) => {
    await guard.require(req);
    return up.news.getNews({ params }).catch(passThrough);
  });

  api.route(c.candidates, async (_input, { req }) => {
    await guard.require(req);
    try {
      return { scan: await up.scanner.latestScan() };
    } catch (err) {
      // Before the first scan the scanner answers 404: that is "no scan yet", not an error.
      const status = (err as { details?: { status?: number } }).details?.status;
      if (status === 404) return { scan: null };
      return passThrough(err);
    }
  });

  /** The news items and catalyst behind a signal, briefly (for lists). */
  const newsBehind = async (signalId: string) => {
    const detail = await up.technical.getSignal({ params: { id: signalId } });
    const items = (
      await Promise.all(
        detail.newsItemIds.slice(0, 5).map((id) => up.news.getNews({ params: { id } }).catch(() => undefined)),
      )
    ).filter((n) => n !== undefined);
    const catalyst =
      items.flatMap((n) => n.catalysts).find((k) => k.id === detail.catalystId) ??
      items.flatMap((n) => n.catalysts).find((k) => k.symbol === detail.symbol) ??
      null;
    return {
      detail,
      items,
      news: items.map((n) => ({
        id: n.id,
        title: n.title,
        url: n.url,
        source: n.source,
        publishedAt: n.publishedAt,
        receivedAt: n.receivedAt,
        sentimentLabel: n.sentimentLabel,
      })),
      catalyst: catalyst
        ? {
            id: catalyst.id,
            type: catalyst.type,
            direction: catalyst.direction,
            score: catalyst.score,
            terms: catalyst.terms,
          }
        : null,
    };
  };

  api.route(c.signals, async ({ query }, { req }) => {
    await guard.require(req);
    const page = await up.technical.listSignals({ query: defined(query) }).catch(passThrough);
    const items = await Promise.all(
      page.items.map(async (signal) => {
        const behind = await newsBehind(signal.id).catch(() => ({ news: [], catalyst: null }));
        return { ...signal, news: behind.news, catalyst: behind.catalyst };
      }),
    );
    return { items, nextCursor: page.nextCursor };
  });

  api.route(c.signal, async ({ params }, { req }) => {
    await guard.require(req);
    const signal = await up.technical.getSignal({ params }).catch(passThrough);
    const [news, detections] = await Promise.all([
      Promise.all(signal.newsItemIds.map((id) => up.news.getNews({ params: { id } }).catch(() => undefined))),
      up.patterns
        .listDetections({ query: { symbol: signal.symbol, limit: 100 } })
        .then((p) => p.items.filter((d) => signal.detectionIds.includes(d.id)))
        .catch(() => []),
    ]);
    return { signal, news: news.filter((n) => n !== undefined), detections };
  });

  api.route(c.orders, async ({ query }, { req }) => {
    await guard.require(req);
    return up.trading.listOrders({ query: defined(query) }).catch(passThrough);
  });
  api.route(c.order, async ({ params }, { req }) => {
    await guard.require(req);
    return up.trading.getOrder({ params }).catch(passThrough);
  });
  api.route(c.positions, async (_input, { req }) => {
    await guard.require(req);
    return up.trading.listPositions().catch(passThrough);
  });
  api.route(c.account, async (_input, { req }) => {
    await guard.require(req);
    return up.trading.getAccount().catch(passThrough);
  });
  api.route(c.risk, async (_input, { req }) => {
    await guard.require(req);
    return up.trading.getRisk().catch(passThrough);
  });
  api.route(c.trades, async ({ query }, { req }) => {
    await guard.require(req);
    return up.reporting.listTrades({ query: defined(query) }).catch(passThrough);
  });

  api.route(c.tradeStory, async ({ params }, { req }) => {
    await guard.require(req);
    // Reporting has no single-trade endpoint yet, so the trade is looked up in its list.
    const trade = await findTrade(up, params.id);
    const signal = trade.signal
      ? await up.technical.getSignal({ params: { id: trade.signal.id } }).catch(() => null)
      : null;
    const newsIds = new Set<string>([...(signal?.newsItemIds ?? []), ...(trade.newsItem ? [trade.newsItem.id] : [])]);
    const [news, detections, riskDecision] = await Promise.all([
      Promise.all([...newsIds].map((id) => up.news.getNews({ params: { id } }).catch(() => undefined))),
      signal && signal.detectionIds.length > 0
        ? up.patterns
            .listDetections({ query: { symbol: trade.symbol, limit: 200 } })
            .then((p) => p.items.filter((d) => signal.detectionIds.includes(d.id)))
            .catch(() => [])
        : Promise.resolve([]),
      signal ? approvals.riskDecision(signal.id) : Promise.resolve(null),
    ]);
    const found = news.filter((n) => n !== undefined);
    const catalystId = signal?.catalystId ?? trade.catalyst?.id;
    const catalyst = found.flatMap((n) => n.catalysts).find((k) => k.id === catalystId) ?? null;
    return { trade, news: found, catalyst, signal, detections, riskDecision };
  });

  api.route(c.performance, async ({ query }, { req }) => {
    await guard.require(req);
    const range = defined(query);
    const [performance, equity, byCatalyst, byPattern] = await Promise.all([
      up.reporting.getPerformance({ query: range }),
      up.reporting.getEquity({ query: range }),
      up.reporting.getAttribution({ query: { ...range, by: 'catalyst' } }),
      up.reporting.getAttribution({ query: { ...range, by: 'pattern' } }),
    ]).catch(passThrough);
    return { performance, equity: equity.items, byCatalyst: byCatalyst.groups, byPattern: byPattern.groups };
  });

  api.route(c.cycles, async ({ query }, { req }) => {
    await guard.require(req);
    return up.coordination.listCycles({ query: defined(query) }).catch(passThrough);
  });
  api.route(c.cycle, async ({ params }, { req }) => {
    await guard.require(req);
    return up.coordination.getCycle({ params }).catch(passThrough);
  });
  api.route(c.settings, async (_input, { req }) => {
    await guard.require(req);
    return up.coordination.listSettings().catch(passThrough);
  });

  api.route(c.approvals, async (_input, { req }) => {
    await guard.require(req);
    const [status, page] = await Promise.all([
      up.coordination.getStatus().catch(() => undefined),
      up.technical.listSignals({ query: { status: 'pending', limit: 100 } }).catch(passThrough),
    ]);
    const now = Date.now();
    const items = await Promise.all(
      page.items
        .filter((s) => s.action !== 'hold')
        .map(async (signal) => {
          const behind = await newsBehind(signal.id).catch(() => ({ news: [], catalyst: null }));
          const expired = signal.expiresAt !== null && Date.parse(signal.expiresAt) <= now;
          return {
            signal,
            state: expired ? ('expired' as const) : ('pending' as const),
            ...{ news: behind.news, catalyst: behind.catalyst },
          };
        }),
    );
    return { approvalMode: status?.approvalMode ?? false, items };
  });
}

async function findTrade(up: Upstreams, id: string) {
  let cursor: string | undefined;
  // At most 20 pages of 500: a story is opened from a chart or a list of recent trades.
  for (let page = 0; page < 20; page++) {
    const res = await up.reporting
      .listTrades({ query: { limit: 500, ...(cursor ? { cursor } : {}) } })
      .catch(passThrough);
    const trade = res.items.find((t) => t.id === id);
    if (trade) return trade;
    if (!res.nextCursor) break;
    cursor = res.nextCursor;
  }
  throw new NotFound(`No trade ${id}`);
}
