import { z } from 'zod';
import { defineRoute } from '../http/route';
import { idParam, isoTime, listOf, listQuery, symbolSchema } from './common';
import {
  CatalystTypeSchema,
  CollectResult,
  Cycle,
  CycleSummary,
  DailyPerformance,
  HeadlineAnalysis,
  NewsItem,
  NewsItemDetail,
  NewsSource,
  Order,
  PatternDetection,
  Position,
  Scan,
  Setting,
  Signal,
  SymbolCatalysts,
  Trade,
} from './records';

/**
 * The contracts of every service's API: the server validates with them, the clients are typed
 * by them, and /openapi.json is generated from them. Each service's later work adds its routes here.
 */

const ServiceHealth = z.object({
  service: z.string(),
  url: z.string(),
  health: z.enum(['ok', 'down']),
  ready: z.enum(['ready', 'not_ready', 'down']),
  checks: z.record(z.string(), z.string()).optional(),
  latencyMs: z.number().nullable(),
});

export const coordinationContract = {
  listCycles: defineRoute({
    method: 'get',
    path: '/cycles',
    operationId: 'listCycles',
    summary: 'Trading cycles, newest first',
    tags: ['cycles'],
    query: listQuery.extend({ status: z.enum(['running', 'completed', 'failed']).optional() }),
    response: listOf(CycleSummary),
    idempotent: true,
  }),
  getCycle: defineRoute({
    method: 'get',
    path: '/cycles/:id',
    operationId: 'getCycle',
    summary: 'One cycle with its steps',
    tags: ['cycles'],
    params: idParam,
    response: Cycle,
    idempotent: true,
  }),
  listSettings: defineRoute({
    method: 'get',
    path: '/settings',
    operationId: 'listSettings',
    summary: 'The trading parameters and schedule an operator edits',
    tags: ['settings'],
    response: z.object({ items: z.array(Setting) }),
    idempotent: true,
  }),
  getStatus: defineRoute({
    method: 'get',
    path: '/status',
    operationId: 'getStatus',
    summary: 'Halted or not, the last cycles, and every service’s health and readiness',
    tags: ['status'],
    response: z.object({
      halted: z.boolean(),
      approvalMode: z.boolean(),
      lastCycles: z.array(CycleSummary),
      services: z.array(ServiceHealth),
    }),
    idempotent: true,
  }),
};

const newsSourceName = z.string().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, {
  message: 'must be 1-64 characters: a-z, 0-9 and _ . : - (starting with a letter or digit)',
});
const httpUrl = z
  .string()
  .max(2048)
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http or https URL without credentials' },
  );
const score01 = z.coerce
  .number({ message: 'must be a number from 0 to 1' })
  .min(0, { message: 'must be a number from 0 to 1' })
  .max(1, { message: 'must be a number from 0 to 1' });
const sinceBeforeUntil = (q: { since?: string | undefined; until?: string | undefined }) =>
  !q.since || !q.until || Date.parse(q.since) <= Date.parse(q.until);
const pollIntervalSeconds = z.number().int().min(10).max(86_400);
const rateLimitPerMinute = z.number().int().min(1).max(6_000);
const sourceCommon = {
  pollIntervalSeconds: pollIntervalSeconds.optional(),
  rateLimitPerMinute: rateLimitPerMinute.optional(),
  enabled: z.boolean().optional(),
};
const symbolList = z.array(symbolSchema).min(1).max(50);

/** `POST /sources`: add an RSS/Atom feed, or enable (and tune) a provider whose key is configured. */
export const AddNewsSource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('rss'),
    name: newsSourceName,
    url: httpUrl,
    ...sourceCommon,
    options: z
      .strictObject({
        /** Sent instead of NEWS_USER_AGENT (SEC EDGAR wants a contact). */
        userAgent: z.string().min(1).max(200).optional(),
        /** The outlet to credit when an item names none (instead of the feed's title). */
        publisher: z.string().min(1).max(200).optional(),
        /** 0..1: how far the outlet is trusted, instead of the service's estimate. */
        quality: z.number().min(0).max(1).optional(),
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('newsapi'),
    name: newsSourceName.optional(),
    ...sourceCommon,
    options: z.strictObject({ query: z.string().min(1).max(500).optional() }).optional(),
  }),
  z.strictObject({
    kind: z.literal('alphavantage'),
    name: newsSourceName.optional(),
    ...sourceCommon,
    options: z
      .strictObject({
        tickers: symbolList.optional(),
        topics: z
          .array(z.string().regex(/^[a-z_]{1,40}$/))
          .max(10)
          .optional(),
      })
      .optional(),
  }),
  z.strictObject({
    kind: z.literal('alpaca'),
    name: newsSourceName.optional(),
    ...sourceCommon,
    options: z.strictObject({ symbols: symbolList.optional() }).optional(),
  }),
]);

export const newsContract = {
  listNews: defineRoute({
    method: 'get',
    path: '/news',
    operationId: 'listNews',
    summary: 'News items, newest received first',
    description:
      'Filters: items about `symbol`, received in [`since`, `until`], carrying a catalyst of `type` and/or with a score of at least `minScore`.',
    tags: ['news'],
    query: listQuery
      .extend({
        symbol: symbolSchema.optional(),
        since: isoTime.optional(),
        until: isoTime.optional(),
        type: CatalystTypeSchema.optional(),
        minScore: score01.optional(),
      })
      .refine(sinceBeforeUntil, { message: 'since must not be after until', path: ['since'] }),
    response: listOf(NewsItem),
    idempotent: true,
  }),
  getNews: defineRoute({
    method: 'get',
    path: '/news/:id',
    operationId: 'getNews',
    summary: 'One news item with its tickers, catalysts and story (with the outlets that told it)',
    tags: ['news'],
    params: idParam,
    response: NewsItemDetail,
    idempotent: true,
  }),
  listCatalysts: defineRoute({
    method: 'get',
    path: '/catalysts',
    operationId: 'listCatalysts',
    summary: 'Catalysts per symbol over a window (default: the last 24 hours), strongest first',
    tags: ['catalysts'],
    query: z
      .object({
        symbol: symbolSchema.optional(),
        type: CatalystTypeSchema.optional(),
        minScore: score01.optional(),
        since: isoTime.optional(),
        until: isoTime.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      })
      .refine(sinceBeforeUntil, { message: 'since must not be after until', path: ['since'] }),
    response: z.object({ items: z.array(SymbolCatalysts), since: isoTime, until: isoTime }),
    idempotent: true,
  }),
  collect: defineRoute({
    method: 'post',
    path: '/collect',
    operationId: 'collectNews',
    summary: 'Collect now from every enabled source, or from one',
    description:
      'Daily budgets and rate limits still apply; a manual collection ignores the backoff wait and acts as the circuit breaker probe.',
    tags: ['sources'],
    body: z.strictObject({ source: newsSourceName.optional() }).default({}),
    response: z.object({ results: z.array(CollectResult) }),
  }),
  analyze: defineRoute({
    method: 'post',
    path: '/analyze',
    operationId: 'analyzeHeadline',
    summary: 'Tickers, sentiment and catalyst of a headline (nothing is stored)',
    tags: ['news'],
    body: z.strictObject({ headline: z.string().trim().min(1).max(1_000), summary: z.string().max(20_000).optional() }),
    response: HeadlineAnalysis,
    idempotent: true,
  }),
  listSources: defineRoute({
    method: 'get',
    path: '/sources',
    operationId: 'listSources',
    summary: 'News sources and their status',
    tags: ['sources'],
    response: z.object({ items: z.array(NewsSource) }),
    idempotent: true,
  }),
  addSource: defineRoute({
    method: 'post',
    path: '/sources',
    operationId: 'addSource',
    summary: 'Add an RSS/Atom feed, or enable a provider (its key must be configured)',
    tags: ['sources'],
    body: AddNewsSource,
    response: NewsSource,
    status: 201,
  }),
  removeSource: defineRoute({
    method: 'delete',
    path: '/sources/:name',
    operationId: 'removeSource',
    summary: 'Remove a feed, or disable it when items already cite it; providers are disabled',
    tags: ['sources'],
    params: z.object({ name: newsSourceName }),
    response: z.object({ outcome: z.enum(['removed', 'disabled']), source: NewsSource }),
    idempotent: true,
  }),
};

export const scannerContract = {
  latestScan: defineRoute({
    method: 'get',
    path: '/scans/latest',
    operationId: 'latestScan',
    summary: 'The most recent scan with its candidates',
    tags: ['scans'],
    response: Scan,
    idempotent: true,
  }),
  getScan: defineRoute({
    method: 'get',
    path: '/scans/:id',
    operationId: 'getScan',
    summary: 'One scan with its candidates',
    tags: ['scans'],
    params: idParam,
    response: Scan,
    idempotent: true,
  }),
};

export const patternsContract = {
  listDetections: defineRoute({
    method: 'get',
    path: '/detections',
    operationId: 'listDetections',
    summary: 'Stored pattern detections, newest bar first',
    tags: ['detections'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), since: isoTime.optional() }),
    response: listOf(PatternDetection),
    idempotent: true,
  }),
};

export const technicalContract = {
  listSignals: defineRoute({
    method: 'get',
    path: '/signals',
    operationId: 'listSignals',
    summary: 'Trade signals, newest first',
    tags: ['signals'],
    query: listQuery.extend({
      symbol: symbolSchema.optional(),
      status: z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'refused']).optional(),
    }),
    response: listOf(Signal),
    idempotent: true,
  }),
  getSignal: defineRoute({
    method: 'get',
    path: '/signals/:id',
    operationId: 'getSignal',
    summary: 'One signal',
    tags: ['signals'],
    params: idParam,
    response: Signal,
    idempotent: true,
  }),
};

export const tradingContract = {
  listOrders: defineRoute({
    method: 'get',
    path: '/orders',
    operationId: 'listOrders',
    summary: 'Orders, newest first',
    tags: ['orders'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), status: z.string().max(32).optional() }),
    response: listOf(Order),
    idempotent: true,
  }),
  getOrder: defineRoute({
    method: 'get',
    path: '/orders/:id',
    operationId: 'getOrder',
    summary: 'One order',
    tags: ['orders'],
    params: idParam,
    response: Order,
    idempotent: true,
  }),
  listPositions: defineRoute({
    method: 'get',
    path: '/positions',
    operationId: 'listPositions',
    summary: 'Open positions',
    tags: ['positions'],
    response: z.object({ items: z.array(Position) }),
    idempotent: true,
  }),
};

export const reportingContract = {
  listTrades: defineRoute({
    method: 'get',
    path: '/trades',
    operationId: 'listTrades',
    summary: 'Closed round-trip trades, newest first',
    tags: ['trades'],
    query: listQuery.extend({ symbol: symbolSchema.optional() }),
    response: listOf(Trade),
    idempotent: true,
  }),
  dailyPerformance: defineRoute({
    method: 'get',
    path: '/performance/daily',
    operationId: 'dailyPerformance',
    summary: 'Daily performance rows in a date range',
    tags: ['performance'],
    query: z
      .object({
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
      })
      .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
    response: z.object({ items: z.array(DailyPerformance) }),
    idempotent: true,
  }),
};
