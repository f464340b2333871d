import { z } from 'zod';
import { defineRoute } from '../http/route';
import { idParam, isoTime, listOf, listQuery, symbolSchema } from './common';
import { barsSchema, timeframeSchema } from './bars';
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
  SubmittedOrder,
  OrderDetail,
  Account,
  HaltResult,
  HaltState,
  RiskView,
  PatternDetection,
  Position,
  Scan,
  Setting,
  Signal,
  SignalDetail,
  SymbolCatalysts,
  AttributionGroupReport,
  DailyReportDocument,
  EquityCurvePoint,
  PerformanceReport,
  SourceScoreboardReport,
  TradeDetail,
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
  startCycle: defineRoute({
    method: 'post',
    path: '/cycles',
    operationId: 'startCycle',
    summary: 'Start a cycle now (manual); 202 with its id, 409 cycle_running while another runs',
    description:
      'Only one cycle runs at a time across every replica (a lock with expiry and fencing). A request while one ' +
      'runs is refused with 409 cycle_running rather than queued: the schedule starts the next one anyway. With ' +
      '`symbol` the cycle skips the scan and analyses and trades that one symbol.',
    tags: ['cycles'],
    body: z.strictObject({ symbol: symbolSchema.optional() }).default({}),
    response: z.object({ id: z.uuid() }),
    status: 202,
  }),
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
  updateSettings: defineRoute({
    method: 'put',
    path: '/settings',
    operationId: 'updateSettings',
    summary: 'Replace the values of the keys given (validated together, audited, applied without a restart)',
    description:
      'The body maps setting keys to their new whole values. Every problem is answered at once as a 400 ' +
      'invalid_input with details [{ path, message }] and nothing is written; otherwise the changed keys are ' +
      'written in one transaction with one audit_log row each (actor from the X-Actor header, else `api`).',
    tags: ['settings'],
    body: z.record(z.string(), z.unknown()),
    response: z.object({ items: z.array(Setting), changed: z.array(z.string()) }),
    idempotent: true,
  }),
  getStatus: defineRoute({
    method: 'get',
    path: '/status',
    operationId: 'getStatus',
    summary: 'Market session, halted or not, the last cycles, and every service’s health and readiness',
    tags: ['status'],
    response: z.object({
      session: z.enum(['pre_market', 'regular', 'after_hours', 'closed']),
      /** The schedule at this moment: its mode and interval, and when the next scheduled cycle is due. */
      schedule: z.object({
        mode: z.enum(['aggressive', 'normal', 'light', 'off']),
        intervalSeconds: z.number().int().nullable(),
        nextCycleAt: isoTime.nullable(),
      }),
      halted: z.boolean(),
      approvalMode: z.boolean(),
      runningCycleId: z.uuid().nullable(),
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

const wholeNumber = (min: number, max: number) =>
  z
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` });

/** `POST /scan`: rank the universe now; `consider` are kept after the first pass, `limit` returned and stored. */
export const RunScan = z
  .strictObject({
    limit: wholeNumber(1, 50).default(5),
    consider: wholeNumber(1, 500).default(100),
    cycleId: z.uuid({ message: 'must be a UUID' }).optional(),
  })
  .refine((b) => b.limit <= b.consider, { message: 'must not be more than consider', path: ['limit'] });

export const scannerContract = {
  runScan: defineRoute({
    method: 'post',
    path: '/scan',
    operationId: 'runScan',
    summary: 'Scan the universe now and store the ranked candidates',
    description:
      'Ranks every active, tradable equity on the configured exchanges that passes the price, volume and catalyst filters; re-ranks the best `consider` with recent minute bars; stores and returns the best `limit`.',
    tags: ['scans'],
    body: RunScan.default({ limit: 5, consider: 100 }),
    response: Scan,
    status: 201,
  }),
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

/** The candlestick names of `POST /patterns`: TA-Lib's, lowercased (`cdlengulfing`), or `all`. */
const patternNames = z
  .array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be a lowercased TA-Lib name like cdlengulfing' }))
  .min(1, { message: 'name at least one pattern (or "all")' })
  .max(100);

const PatternResult = z.object({
  name: z.string(),
  /** TA-Lib's output, aligned with the bars: ±100 (±80, ±200) or 0; null during the lookback. */
  outputs: z.object({ integer: z.array(z.number().int().nullable()) }),
});

export const PATTERN_TIMEFRAMES_DEFAULT = ['1Min', '5Min', '15Min', '1Day'] as const;

const AnalyzedDetection = PatternDetection.extend({
  /** Stored detection's id (re-detecting the same bar updates the same row). */
  id: z.uuid(),
});

export const PatternAnalysis = z.object({
  symbol: z.string(),
  analyzedAt: isoTime,
  /** The strongest recent catalyst the news service knows for the symbol; null when none (or news was unreachable). */
  catalyst: z
    .object({
      id: z.uuid(),
      type: z.string(),
      direction: z.enum(['bullish', 'bearish', 'neutral']),
      score: z.string(),
      headline: z.string(),
    })
    .nullable(),
  /** `available`, or `unavailable` when the news service could not be asked (confidences then carry no news). */
  newsContext: z.enum(['available', 'unavailable']),
  detections: z.array(AnalyzedDetection),
  /** Support and resistance prices on the finest timeframe analyzed, nearest first. */
  levels: z.object({ support: z.array(z.number()), resistance: z.array(z.number()) }),
});

export const patternsContract = {
  detectPatterns: defineRoute({
    method: 'post',
    path: '/patterns',
    operationId: 'detectPatterns',
    summary: "TA-Lib candlestick patterns over the bars given (TA-Lib's output convention); nothing stored",
    tags: ['patterns'],
    body: z.object({ bars: barsSchema, patterns: patternNames }),
    response: z.object({ results: z.array(PatternResult) }),
    // Pure computation: repeating it is harmless.
    idempotent: true,
  }),
  analyze: defineRoute({
    method: 'post',
    path: '/analyze',
    operationId: 'analyzeSymbol',
    summary: "Candlestick and chart patterns on a symbol's recent bars, weighted by its news; detections stored",
    tags: ['patterns'],
    body: z.object({
      symbol: symbolSchema,
      timeframes: z
        .array(timeframeSchema)
        .min(1)
        .max(5)
        .refine((t) => new Set(t).size === t.length, { message: 'must not repeat a timeframe' })
        .default([...PATTERN_TIMEFRAMES_DEFAULT]),
      cycleId: z.uuid({ message: 'must be a UUID' }).optional(),
    }),
    response: PatternAnalysis,
    // Re-analysing upserts the same rows.
    idempotent: true,
  }),
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

/** One indicator of `POST /indicators`: TA-Lib's lowercased name and parameter names (`timeperiod` …). */
const IndicatorRequest = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { message: 'must be a lowercased TA-Lib name like rsi or bbands' }),
  params: z.record(z.string(), z.number({ message: 'must be a number' })).default({}),
});

const IndicatorResult = z.object({
  name: z.string(),
  /** Every parameter, defaults filled in. */
  params: z.record(z.string(), z.number()),
  /** Leading bars without a value. */
  lookback: z.number().int(),
  /** TA-Lib's output names (`real`, `macd`/`macdsignal`/`macdhist` …), aligned with the bars; null during warm-up. */
  outputs: z.record(z.string(), z.array(z.number().nullable())),
});

const SignalReason = z.object({
  factor: z.enum([
    'catalyst',
    'trend',
    'momentum',
    'volume',
    'vwap',
    'patterns',
    'volatility',
    'levels',
    'decision',
    'upstream',
  ]),
  /** Signed share of the score (bullish positive); 0 for checks. */
  contribution: z.number(),
  text: z.string(),
});

/** `POST /signals`: the decision as stored, with what it was built from. */
export const SignalDecisionResponse = z.object({
  id: z.uuid(),
  symbol: z.string(),
  action: z.enum(['BUY', 'SELL', 'HOLD']),
  confidence: z.number().min(0).max(1),
  /** Weighted score of the factors, −1 (bearish) .. 1 (bullish). */
  score: z.number().min(-1).max(1),
  entry: z.number().nullable(),
  stop: z.number().nullable(),
  target: z.number().nullable(),
  reasons: z.array(SignalReason),
  cycleId: z.uuid().nullable(),
  candidateId: z.uuid().nullable(),
  catalystId: z.uuid().nullable(),
  newsItemIds: z.array(z.uuid()),
  detectionIds: z.array(z.uuid()),
  /** Each directional factor before weighting, −1..1. */
  factors: z.record(z.string(), z.number()),
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'refused']),
  expiresAt: isoTime.nullable(),
  createdAt: isoTime,
});

export const technicalContract = {
  computeIndicators: defineRoute({
    method: 'post',
    path: '/indicators',
    operationId: 'computeIndicators',
    summary: 'TA-Lib indicators over the bars given, aligned with them (null during warm-up); nothing stored',
    description:
      'Bars oldest first, at most 50,000 per request. Unknown indicators or parameters, too few bars for an indicator, and bars out of order, with high below low, or with negative prices are 400s naming the problem.',
    tags: ['indicators'],
    body: z.strictObject({
      bars: barsSchema,
      /** Informational: what the bars are (some clients label requests with it). */
      timeframe: timeframeSchema.optional(),
      indicators: z.array(IndicatorRequest).min(1, { message: 'name at least one indicator' }).max(50),
    }),
    response: z.object({ results: z.array(IndicatorResult) }),
    // Pure computation: repeating it is harmless.
    idempotent: true,
  }),
  createSignal: defineRoute({
    method: 'post',
    path: '/signals',
    operationId: 'createSignal',
    summary: 'A trade signal for one symbol from its bars, patterns and catalyst; stored with links to what it used',
    description:
      'Reads bars of each timeframe from market data, the catalyst from the news service and the detections and levels from the patterns service, applies the signal rules (services/technical/README.md) and stores the signal as pending until it expires. An unreachable news or patterns service gives a stored HOLD that says so.',
    tags: ['signals'],
    body: z.strictObject({
      symbol: symbolSchema,
      cycleId: z.uuid({ message: 'must be a UUID' }).optional(),
      candidateId: z.uuid({ message: 'must be a UUID' }).optional(),
      timeframes: z
        .array(timeframeSchema)
        .min(1)
        .max(5)
        .refine((t) => new Set(t).size === t.length, { message: 'must not repeat a timeframe' })
        .optional(),
    }),
    response: SignalDecisionResponse,
    status: 201,
  }),
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
    summary: 'One signal, with the catalyst, news items and detections it was built from',
    tags: ['signals'],
    params: idParam,
    response: SignalDetail,
    idempotent: true,
  }),
};

/** A positive decimal as a string ("10", "9.05") or a number (read by its shortest form). */
const positiveDecimalInput = z
  .union([z.string().trim(), z.number().finite()])
  .transform((v) => String(v))
  .pipe(
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, { message: 'must be a positive decimal number' })
      .refine((v) => /[1-9]/.test(v), { message: 'must be greater than 0' }),
  );

/** POST /orders. Prices are rounded to Alpaca's tick by the service, in the direction that never makes an order more aggressive. */
export const SubmitOrderBody = z
  .object({
    symbol: symbolSchema,
    side: z.enum(['buy', 'sell']),
    /** Shares; omit on a signal's entry to let the risk engine size it. */
    qty: positiveDecimalInput.optional(),
    /** Dollars, for a market day order instead of qty. */
    notional: positiveDecimalInput.optional(),
    type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
    limitPrice: positiveDecimalInput.optional(),
    /** The trigger of a stop or stop-limit order. */
    stopPrice: positiveDecimalInput.optional(),
    /** The protective stop of an entry (a bracket's stop-loss leg). */
    stopLoss: positiveDecimalInput.optional(),
    /** The bracket's take-profit limit. */
    takeProfit: positiveDecimalInput.optional(),
    signalId: z.uuid({ message: 'must be a UUID' }).optional(),
    timeInForce: z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']).default('day'),
    extendedHours: z.boolean().default(false),
    trailPercent: positiveDecimalInput.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.qty !== undefined && b.notional !== undefined)
      ctx.addIssue({ code: 'custom', path: ['notional'], message: 'give qty or notional, not both' });
    if (b.qty === undefined && b.notional === undefined && b.signalId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['qty'],
        message: 'qty or notional is required (or a signalId to size it)',
      });
    if ((b.type === 'limit' || b.type === 'stop_limit') && b.limitPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: `a ${b.type} order needs limitPrice` });
    if ((b.type === 'stop' || b.type === 'stop_limit') && b.stopPrice === undefined)
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `a ${b.type} order needs stopPrice` });
    if (b.type === 'trailing_stop' && b.trailPercent === undefined)
      ctx.addIssue({ code: 'custom', path: ['trailPercent'], message: 'a trailing_stop order needs trailPercent' });
    if (b.takeProfit !== undefined && b.stopLoss === undefined)
      ctx.addIssue({ code: 'custom', path: ['stopLoss'], message: 'a takeProfit needs a stopLoss (bracket order)' });
  });

/**
 * PATCH /orders/:id (cancel and replace). Prices are rounded to Alpaca's tick by the order's side; a
 * stop-loss leg's stop may only be tightened unless allowLoosen is true.
 */
export const ReplaceOrderBody = z
  .object({
    qty: positiveDecimalInput.optional(),
    limitPrice: positiveDecimalInput.optional(),
    stopPrice: positiveDecimalInput.optional(),
    trailPercent: positiveDecimalInput.optional(),
    /** Let a protective stop move away from the market (more risk); refused without it. */
    allowLoosen: z.boolean().default(false),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.qty === undefined && b.limitPrice === undefined && b.stopPrice === undefined && b.trailPercent === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['qty'],
        message: 'give at least one of qty, limitPrice, stopPrice, trailPercent',
      });
  });

export const tradingContract = {
  submitOrder: defineRoute({
    method: 'post',
    path: '/orders',
    operationId: 'submitOrder',
    summary: 'Send an order (a bracket when stopLoss and takeProfit are given); needs an Idempotency-Key header',
    description:
      'The Idempotency-Key header (1..255 characters) is required. The same key with the same body answers 201 ' +
      'with the same order (header Idempotent-Replayed: true) and sends nothing; the same key with another body is ' +
      '409 idempotency_key_reused. Entries (orders that open or add to a position) pass the risk engine: a refusal ' +
      'is 422 risk_rejected with details { reason, checks }; while halted, 409 trading_halted; while reconciliation ' +
      'holds entries, 503 entries_blocked. Exits (sell-to-close, buy-to-cover) are never blocked by limits or the halt.',
    tags: ['orders'],
    body: SubmitOrderBody,
    response: SubmittedOrder,
    status: 201,
  }),
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
    summary: 'One order with its legs, status transitions and fills',
    tags: ['orders'],
    params: idParam,
    response: OrderDetail,
    idempotent: true,
  }),
  cancelOrder: defineRoute({
    method: 'delete',
    path: '/orders/:id',
    operationId: 'cancelOrder',
    summary: 'Cancel an order at the broker; answers the order as the broker then reports it',
    description: 'An order already final is 409 order_not_cancelable; one still being submitted is resolved first.',
    tags: ['orders'],
    params: idParam,
    response: Order,
  }),
  replaceOrder: defineRoute({
    method: 'patch',
    path: '/orders/:id',
    operationId: 'replaceOrder',
    summary: 'Cancel and replace a working order: a new order (new id) takes its place; answers the new order',
    description:
      'At least one of qty, limitPrice, stopPrice, trailPercent. The replacement has a deterministic ' +
      'client_order_id (<original>-r<n>), so the same change again answers the same new order (header ' +
      'Idempotent-Replayed: true) and sends nothing; another change to an order already replaced is 409 ' +
      'order_replaced. An order that is final or not yet at the broker is 409 order_not_replaceable. Moving a ' +
      "stop-loss leg's stop away from the market is 422 stop_loosened unless allowLoosen is true; a broker " +
      'refusal is 422 broker_rejected.',
    tags: ['orders'],
    params: idParam,
    body: ReplaceOrderBody,
    response: Order,
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
  closePosition: defineRoute({
    method: 'delete',
    path: '/positions/:symbol',
    operationId: 'closePosition',
    summary: 'Close a position at market (its protective legs are cancelled by the broker first)',
    tags: ['positions'],
    params: z.object({ symbol: symbolSchema }),
    response: Order,
  }),
  getAccount: defineRoute({
    method: 'get',
    path: '/account',
    operationId: 'getAccount',
    summary: 'The broker account: equity, cash, buying power, day P&L',
    tags: ['account'],
    response: Account,
    idempotent: true,
  }),
  getRisk: defineRoute({
    method: 'get',
    path: '/risk',
    operationId: 'getRisk',
    summary: 'Each risk limit, its value and how much of it is used; the halt switch and the entry gate',
    tags: ['risk'],
    response: RiskView,
    idempotent: true,
  }),
  getHalt: defineRoute({
    method: 'get',
    path: '/halt',
    operationId: 'getHalt',
    summary: 'The kill switch',
    tags: ['risk'],
    response: HaltState,
    idempotent: true,
  }),
  halt: defineRoute({
    method: 'post',
    path: '/halt',
    operationId: 'haltTrading',
    summary: 'Stop all new entries (persisted); optionally cancel open entry orders and flatten positions',
    description:
      'Audited with the caller named by the X-Actor header. Protective legs stay working until a position is flattened.',
    tags: ['risk'],
    body: z
      .object({
        cancelOpenOrders: z.boolean().default(false),
        flatten: z.boolean().default(false),
        reason: z.string().trim().max(500).optional(),
      })
      .strict()
      .default({ cancelOpenOrders: false, flatten: false }),
    response: HaltResult,
    idempotent: true,
  }),
  resume: defineRoute({
    method: 'post',
    path: '/resume',
    operationId: 'resumeTrading',
    summary: 'Lift the kill switch (audited)',
    tags: ['risk'],
    response: HaltState,
    idempotent: true,
  }),
};

/*
 * Reporting (5009). A range is `from`/`to`, each an ISO date (YYYY-MM-DD, a New York calendar day)
 * or a date-time with a zone; a `to` date includes that whole day. Absent: the 30 days to now. The
 * service checks that `to` is after `from` once both are resolved to instants (dates are New York
 * midnights, which zod alone cannot know), answering 400 naming both.
 */
const reportBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be an ISO-8601 date (YYYY-MM-DD) or a date-time with a zone (2026-11-02T14:30:00Z)',
});
const reportRange = z.object({
  from: reportBound
    .optional()
    .describe('Start (inclusive): a New York date or an ISO date-time. Default: to − 30 days.'),
  to: reportBound
    .optional()
    .describe('End: a New York date (that whole day included) or an exclusive ISO date-time. Default: now.'),
});
const attributionKey = z.enum(['catalyst', 'pattern', 'source', 'symbol', 'session']);
const rangeEcho = { from: isoTime, to: isoTime };

export const reportingContract = {
  listTrades: defineRoute({
    method: 'get',
    path: '/trades',
    operationId: 'listTrades',
    summary: 'Closed round trips, newest first, each with the news item, catalyst, signal and orders behind it',
    description:
      'Filtered by symbol and by closing time (`from`/`to` as in every report; no default range here: without them every trade is listed, page by page).',
    tags: ['trades'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), ...reportRange.shape }).strict(),
    response: listOf(TradeDetail),
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
  getPerformance: defineRoute({
    method: 'get',
    path: '/performance',
    operationId: 'getPerformance',
    summary: 'P&L, win rate, profit factor, expectancy, Sharpe, Sortino, max drawdown and exposure over a range',
    description:
      'Trades count when they closed in [from, to); unrealized P&L is of the positions open now. Definitions: packages/domain/src/performance/README.md.',
    tags: ['performance'],
    query: reportRange.strict(),
    response: PerformanceReport,
    idempotent: true,
  }),
  getEquity: defineRoute({
    method: 'get',
    path: '/equity',
    operationId: 'getEquity',
    summary: 'The equity curve and its drawdown from the running peak',
    description: '`resolution=daily` (default): each New York day’s last snapshot; `snapshot`: every snapshot.',
    tags: ['performance'],
    query: reportRange.extend({ resolution: z.enum(['daily', 'snapshot']).default('daily') }).strict(),
    response: z.object({ ...rangeEcho, resolution: z.enum(['daily', 'snapshot']), items: z.array(EquityCurvePoint) }),
    idempotent: true,
  }),
  getAttribution: defineRoute({
    method: 'get',
    path: '/attribution',
    operationId: 'getAttribution',
    summary: 'Net P&L, trades and win rate per catalyst type, pattern, news source, symbol or session',
    description: 'Trades closed in [from, to); trades without the attribute form the `(unknown)` group.',
    tags: ['performance'],
    query: reportRange.extend({ by: attributionKey.default('catalyst') }).strict(),
    response: z.object({ ...rangeEcho, by: attributionKey, groups: z.array(AttributionGroupReport) }),
    idempotent: true,
  }),
  getSourceScoreboard: defineRoute({
    method: 'get',
    path: '/sources/scoreboard',
    operationId: 'getSourceScoreboard',
    summary: 'Per news source: items, delay from publication to arrival, share of its catalysts that made money',
    description:
      'News items received in [from, to), the catalysts on them, and every trade on those catalysts (also one closed after `to`).',
    tags: ['performance'],
    query: reportRange.strict(),
    response: SourceScoreboardReport,
    idempotent: true,
  }),
  getDailyReport: defineRoute({
    method: 'get',
    path: '/reports/daily',
    operationId: 'getDailyReport',
    summary: 'One New York day’s report as JSON, CSV or a self-contained HTML page with charts',
    description:
      '`format=json|csv|html`, or by the Accept header (text/html, text/csv; JSON otherwise). CSV is the day’s figures, one row with a header (RFC 4180), as an attachment. `date` defaults to today in New York.',
    tags: ['reports'],
    query: z
      .object({
        date: z.iso.date({ error: 'must be a calendar date YYYY-MM-DD' }).optional(),
        format: z.enum(['json', 'csv', 'html']).optional(),
      })
      .strict(),
    response: DailyReportDocument,
    idempotent: true,
  }),
};
