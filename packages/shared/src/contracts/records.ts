import { CATALYST_TYPES } from '@catalyst/domain';
import { z } from 'zod';

/**
 * Wire shapes of the records services store. Money, prices and quantities are decimal strings
 * (as PostgreSQL numeric and the broker send them), never floats.
 */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, { message: 'must be a decimal string' });
const time = z.string();
const symbol = z.string();

export const CycleStep = z.object({
  name: z.string(),
  seq: z.number().int(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped']),
  startedAt: time.nullable(),
  finishedAt: time.nullable(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  input: z.unknown(),
  output: z.unknown(),
});

export const CycleSummary = z.object({
  id: z.uuid(),
  trigger: z.enum(['schedule', 'manual', 'fast_path']),
  symbol: symbol.nullable(),
  session: z.enum(['pre_market', 'regular', 'after_hours', 'closed']).nullable(),
  status: z.enum(['running', 'completed', 'failed']),
  error: z.string().nullable(),
  startedAt: time,
  finishedAt: time.nullable(),
});

export const Cycle = CycleSummary.extend({ steps: z.array(CycleStep), summary: z.record(z.string(), z.unknown()) });

export const Setting = z.object({
  key: z.string(),
  value: z.unknown(),
  description: z.string().nullable(),
  updatedAt: time,
  updatedBy: z.string(),
});

/** Every catalyst type the news service classifies: the domain's vocabulary, one list. */
export const CATALYST_TYPE_VALUES = CATALYST_TYPES;
export const CatalystTypeSchema = z.enum(CATALYST_TYPE_VALUES);
const direction = z.enum(['bullish', 'bearish', 'neutral']);
const sentimentLabel = z.enum(['positive', 'negative', 'neutral']);
const tickerMethod = z.enum(['provider', 'cashtag', 'exchange', 'name']);

/** One catalyst found in one item for one symbol, with its score (0..1). */
export const Catalyst = z.object({
  id: z.uuid(),
  newsItemId: z.uuid().nullable(),
  storyId: z.uuid().nullable(),
  symbol,
  type: CatalystTypeSchema,
  direction,
  score: decimal,
  terms: z.array(z.string()),
  detectedAt: time,
});

export const NewsItem = z.object({
  id: z.uuid(),
  source: z.string(),
  storyId: z.uuid().nullable(),
  url: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  author: z.string().nullable(),
  publisher: z.string().nullable(),
  publishedAt: time.nullable(),
  receivedAt: time,
  sentimentScore: decimal.nullable(),
  sentimentLabel: sentimentLabel.nullable(),
  tickers: z.array(z.object({ symbol, confidence: decimal, method: tickerMethod })),
  catalysts: z.array(Catalyst),
});

/** One event told by several items; `sources` are the distinct outlets that told it. */
export const Story = z.object({
  id: z.uuid(),
  title: z.string(),
  firstSeenAt: time,
  lastSeenAt: time,
  itemCount: z.number().int(),
  sourceCount: z.number().int(),
  sources: z.array(z.string()),
  items: z.array(
    z.object({
      id: z.uuid(),
      source: z.string(),
      publisher: z.string().nullable(),
      title: z.string(),
      url: z.string(),
      publishedAt: time.nullable(),
      receivedAt: time,
    }),
  ),
});

export const NewsItemDetail = NewsItem.extend({ providerId: z.string().nullable(), story: Story.nullable() });

export const NEWS_SOURCE_KINDS = ['rss', 'newsapi', 'alphavantage', 'alpaca', 'sim'] as const;

export const NewsSource = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(NEWS_SOURCE_KINDS),
  url: z.string().nullable(),
  enabled: z.boolean(),
  /**
   * What the source is doing: polling (`active`), switched off (`disabled`), off because its
   * provider key is not configured (`missing_key`), refused after repeated failures
   * (`circuit_open`), or waiting out a failure or a provider's Retry-After (`backing_off`).
   */
  status: z.enum(['active', 'disabled', 'missing_key', 'circuit_open', 'backing_off']),
  statusMessage: z.string(),
  pollIntervalSeconds: z.number().int(),
  rateLimitPerMinute: z.number().int().nullable(),
  /** Requests a day the provider's plan allows (one budget per provider, shared by every replica); null when unlimited. */
  dailyBudget: z.number().int().nullable(),
  /** Requests spent from that budget today (UTC). */
  budgetUsed: z.number().int().nullable(),
  circuitState: z.enum(['closed', 'open', 'half_open']),
  consecutiveFailures: z.number().int(),
  lastPolledAt: time.nullable(),
  lastSuccessAt: time.nullable(),
  lastErrorAt: time.nullable(),
  lastError: z.string().nullable(),
  nextPollAt: time.nullable(),
  itemsTotal: z.number().int(),
  options: z.record(z.string(), z.unknown()),
});

/**
 * The `news.catalyst` event on bus topic `news`: published by the news service right after it
 * stores a catalyst whose score reaches its threshold (once per story, symbol and type).
 */
export const NewsCatalystEvent = z.object({
  catalystId: z.uuid(),
  newsItemId: z.uuid(),
  storyId: z.uuid(),
  symbol,
  type: CatalystTypeSchema,
  direction,
  /** 0..1, as a number (the stored catalyst has the same value as a decimal string). */
  score: z.number().min(0).max(1),
  headline: z.string(),
  /** When the news service received the item (ISO-8601 UTC). */
  receivedAt: time,
});

/** What one collection from one source did. */
export const CollectResult = z.object({
  source: z.string(),
  kind: z.enum(NEWS_SOURCE_KINDS),
  outcome: z.enum(['ok', 'error', 'skipped']),
  fetched: z.number().int(),
  inserted: z.number().int(),
  duplicate: z.number().int(),
  /** Items the provider sent that failed validation (each one dropped, the rest kept). */
  rejected: z.number().int(),
  errors: z.number().int(),
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  durationMs: z.number().int(),
});

/** The catalysts of one symbol over a window. */
export const SymbolCatalysts = z.object({
  symbol,
  /** The strongest catalyst's score. */
  score: decimal,
  count: z.number().int(),
  types: z.array(CatalystTypeSchema),
  strongest: z.object({
    catalystId: z.uuid(),
    newsItemId: z.uuid().nullable(),
    headline: z.string(),
    type: CatalystTypeSchema,
    direction,
    score: decimal,
    detectedAt: time,
    /** When the news item was published (null where the source gave no time). */
    publishedAt: time.nullable(),
  }),
  /** Mean sentiment of the symbol's items with a catalyst in the window. */
  sentiment: z.object({ label: sentimentLabel, score: decimal }),
  firstAt: time,
  lastAt: time,
});

/** `POST /analyze`: what the news service reads in a headline, nothing stored. */
export const HeadlineAnalysis = z.object({
  tickers: z.array(z.object({ symbol, confidence: z.number(), method: tickerMethod })),
  sentiment: z.object({ label: sentimentLabel, score: z.number() }),
  catalyst: z
    .object({ type: CatalystTypeSchema, direction, strength: z.number(), terms: z.array(z.string()) })
    .nullable(),
});

/** The catalyst a scan candidate was ranked on, as the news service reported it at scan time. */
export const ScanCatalyst = z.object({
  id: z.uuid(),
  newsItemId: z.uuid().nullable(),
  type: CatalystTypeSchema,
  direction,
  score: decimal,
  headline: z.string(),
  /** When the news service found it: the catalyst's age in the score counts from here. */
  detectedAt: time,
  /** The news item's publication time, where the outlet gave one. */
  publishedAt: time.nullable(),
});

export const ScanCandidate = z.object({
  symbol,
  rank: z.number().int(),
  /** 0..1, the weighted score (services/scanner/README.md). */
  score: decimal,
  /** Human-readable, the largest contribution first: "relative volume 4.1×", "gap +6.3%". */
  reasons: z.array(z.unknown()),
  catalystId: z.uuid().nullable(),
  catalyst: ScanCatalyst.nullable(),
  price: decimal.nullable(),
  /** The figures the ranking used (gap, momentum, relative volume, spread …) and each factor's contribution. */
  metrics: z.record(z.string(), z.unknown()),
});

export const Scan = z.object({
  id: z.uuid(),
  cycleId: z.uuid().nullable(),
  session: z.enum(['pre_market', 'regular', 'after_hours', 'closed']).nullable(),
  startedAt: time,
  finishedAt: time.nullable(),
  universeSize: z.number().int().nullable(),
  /** Limit, weights, filters, and how many symbols each filter excluded. */
  parameters: z.record(z.string(), z.unknown()),
  candidates: z.array(ScanCandidate),
});

export const PatternDetection = z.object({
  id: z.uuid(),
  symbol,
  timeframe: z.string(),
  name: z.string(),
  direction: z.enum(['bullish', 'bearish', 'neutral']),
  confidence: decimal,
  barTime: time,
  value: decimal.nullable(),
  /** What the detector measured: levels, gap size, pole and flag, the news adjustment. */
  details: z.record(z.string(), z.unknown()),
  cycleId: z.uuid().nullable(),
  detectedAt: time,
});

export const Signal = z.object({
  id: z.uuid(),
  cycleId: z.uuid().nullable(),
  symbol,
  action: z.enum(['buy', 'sell', 'hold']),
  confidence: decimal,
  entryPrice: decimal.nullable(),
  stopPrice: decimal.nullable(),
  targetPrice: decimal.nullable(),
  reasons: z.array(z.unknown()),
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'refused']),
  statusReason: z.string().nullable(),
  expiresAt: time.nullable(),
  createdAt: time,
});

/** One signal with what it was built from: the catalyst, its news items and the pattern detections. */
export const SignalDetail = Signal.extend({
  candidateId: z.uuid().nullable(),
  catalystId: z.uuid().nullable(),
  newsItemIds: z.array(z.uuid()),
  detectionIds: z.array(z.uuid()),
  /** The indicator readings and factor values the decision saw. */
  indicators: z.record(z.string(), z.unknown()),
});

export const Order = z.object({
  id: z.uuid(),
  clientOrderId: z.string(),
  brokerOrderId: z.string().nullable(),
  parentOrderId: z.uuid().nullable(),
  leg: z.enum(['take_profit', 'stop_loss']).nullable(),
  signalId: z.uuid().nullable(),
  symbol,
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit', 'stop', 'stop_limit', 'trailing_stop']),
  timeInForce: z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']),
  orderClass: z.enum(['simple', 'bracket', 'oco', 'oto']),
  qty: decimal,
  limitPrice: decimal.nullable(),
  stopPrice: decimal.nullable(),
  status: z.string(),
  filledQty: decimal,
  filledAvgPrice: decimal.nullable(),
  submittedAt: time.nullable(),
  filledAt: time.nullable(),
  createdAt: time,
  updatedAt: time,
});

/** The answer to a submission: the order, and when the broker was known to have it. */
export const SubmittedOrder = Order.extend({
  /**
   * When the trading service learned that the broker has the order (its answer to the submission,
   * or a lookup that found it), on the service's clock; null when this request sent nothing (a
   * replay of an order already at the broker) or the outcome is not known yet.
   */
  acknowledgedAt: time.nullable(),
});

export const Position = z.object({
  id: z.uuid(),
  symbol,
  side: z.enum(['long', 'short']),
  qty: decimal,
  avgEntryPrice: decimal,
  currentPrice: decimal.nullable(),
  marketValue: decimal.nullable(),
  unrealizedPnl: decimal.nullable(),
  stopPrice: decimal.nullable(),
  targetPrice: decimal.nullable(),
  openedAt: time,
  updatedAt: time,
});

/** One row of an order's state machine history (order_status_transitions). */
export const OrderTransitionRecord = z.object({
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  event: z.string().nullable(),
  source: z.string().nullable(),
  filledQty: decimal.nullable(),
  details: z.record(z.string(), z.unknown()),
  at: time,
});

export const FillRecord = z.object({
  id: z.uuid(),
  brokerFillId: z.string(),
  qty: decimal,
  price: decimal,
  fee: decimal,
  filledAt: time,
});

/** One order with its bracket legs, every status change and its fills. */
export const OrderDetail = Order.extend({
  error: z.string().nullable(),
  legs: z.array(Order),
  transitions: z.array(OrderTransitionRecord),
  fills: z.array(FillRecord),
});

/** The broker account, with the day's P&L against the previous close's equity. */
export const Account = z.object({
  status: z.string(),
  equity: decimal,
  lastEquity: decimal,
  cash: decimal,
  buyingPower: decimal,
  longMarketValue: decimal,
  shortMarketValue: decimal,
  dayPnl: decimal,
  /** Percent of lastEquity; null when lastEquity is 0. */
  dayPnlPct: decimal.nullable(),
  tradingBlocked: z.boolean(),
  patternDayTrader: z.boolean(),
  halted: z.boolean(),
});

/** The kill switch (settings.trading_halted) and who set it last. */
export const HaltState = z.object({
  halted: z.boolean(),
  updatedAt: time,
  updatedBy: z.string(),
});

export const HaltResult = HaltState.extend({
  /** Entry orders cancelled at the broker (ids of our rows). */
  canceledOrders: z.array(z.uuid()),
  /** Symbols whose positions were sent a closing market order. */
  closedPositions: z.array(symbol),
  /** What could not be done (the switch itself is set even then). */
  failures: z.array(z.object({ target: z.string(), message: z.string() })),
});

/** One risk limit, its value and how much of it is used now. */
export const RiskLimitUsage = z.object({
  name: z.string(),
  setting: z.string(),
  value: z.union([z.number(), z.boolean(), z.array(z.string())]),
  unit: z.string(),
  /** The figure the limit is measured against now (dollars, count, percent); null where nothing is used. */
  used: decimal.nullable(),
  /** What remains before the limit refuses, in the same unit; null where it is not a budget. */
  remaining: decimal.nullable(),
  breached: z.boolean(),
});

export const RiskView = z.object({
  halted: z.boolean(),
  entryGate: z.object({ open: z.boolean(), reason: z.string().nullable() }),
  session: z.enum(['pre_market', 'regular', 'after_hours', 'closed']),
  equity: decimal,
  dailyLossLimitHit: z.boolean(),
  limits: z.array(RiskLimitUsage),
});

export const Trade = z.object({
  id: z.uuid(),
  symbol,
  side: z.enum(['long', 'short']),
  qty: decimal,
  entryPrice: decimal,
  exitPrice: decimal,
  openedAt: time,
  closedAt: time,
  realizedPnl: decimal,
  fees: decimal,
  returnPct: decimal.nullable(),
  exitReason: z.string().nullable(),
  catalystType: z.string().nullable(),
  pattern: z.string().nullable(),
  source: z.string().nullable(),
});

export const DailyPerformance = z.object({
  date: z.string(),
  equityOpen: decimal,
  equityClose: decimal.nullable(),
  realizedPnl: decimal,
  unrealizedPnl: decimal,
  fees: decimal,
  trades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  maxDrawdownPct: decimal,
});

/*
 * Reporting (5009): the figures of packages/domain/src/performance as they go over the wire.
 * Money is a decimal string, ratios are numbers, an undefined ratio is null (never NaN or Infinity).
 */
const ratioOrNull = z.number().nullable();
const timeOrNull = time.nullable();

export const MaxDrawdownReport = z.object({
  fraction: z.number().min(0).max(1),
  amount: decimal,
  peakEquity: decimal.nullable(),
  troughEquity: decimal.nullable(),
  peakAt: timeOrNull,
  peakDate: z.string().nullable(),
  troughAt: timeOrNull,
  troughDate: z.string().nullable(),
  recoveredAt: timeOrNull,
  recoveryDate: z.string().nullable(),
});

export const PerformanceReport = z.object({
  from: time,
  to: time,
  realizedPnl: decimal,
  fees: decimal,
  netPnl: decimal,
  unrealizedPnl: decimal,
  trades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  breakeven: z.number().int(),
  winRate: ratioOrNull,
  grossProfit: decimal,
  grossLoss: decimal,
  averageWin: decimal.nullable(),
  averageLoss: decimal.nullable(),
  largestWin: decimal.nullable(),
  largestLoss: decimal.nullable(),
  profitFactor: ratioOrNull,
  expectancy: decimal.nullable(),
  averageHoldingMs: ratioOrNull,
  startEquity: decimal.nullable(),
  endEquity: decimal.nullable(),
  totalReturn: ratioOrNull,
  tradingDays: z.number().int(),
  dailyReturnCount: z.number().int(),
  sharpe: ratioOrNull,
  sortino: ratioOrNull,
  maxDrawdown: MaxDrawdownReport,
  exposure: z.number().min(0).max(1),
});

export const EquityCurvePoint = z.object({
  date: z.string(),
  at: time,
  equity: decimal,
  peak: decimal,
  drawdown: decimal,
  drawdownPct: z.number().min(0).max(1),
});

export const AttributionGroupReport = z.object({
  key: z.string(),
  unknown: z.boolean(),
  pnl: decimal,
  trades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  winRate: z.number(),
  averagePnl: decimal,
  profitFactor: ratioOrNull,
});

export const SourceScoreReport = z.object({
  source: z.string(),
  items: z.number().int(),
  medianDelayMs: ratioOrNull,
  p90DelayMs: ratioOrNull,
  delaySkipped: z.number().int(),
  catalysts: z.number().int(),
  tradedCatalysts: z.number().int(),
  profitableCatalysts: z.number().int(),
  profitableShare: ratioOrNull,
  pnl: decimal,
});

export const SourceScoreboardReport = z.object({
  from: time,
  to: time,
  sources: z.array(SourceScoreReport),
  unattributedCatalysts: z.number().int(),
  unmatchedTrades: z.number().int(),
});

const TradeOrderRef = z.object({
  id: z.uuid(),
  clientOrderId: z.string(),
  brokerOrderId: z.string().nullable(),
  side: z.enum(['buy', 'sell']),
  type: z.string(),
  qty: decimal,
  filledQty: decimal,
  filledAvgPrice: decimal.nullable(),
  status: z.string(),
  submittedAt: timeOrNull,
  filledAt: timeOrNull,
});

/** A round trip with what caused it: the news item, its catalyst, the signal and both orders. */
export const TradeDetail = Trade.extend({
  newsToOrderMs: z.number().int().nullable(),
  newsItem: z
    .object({
      id: z.uuid(),
      headline: z.string(),
      url: z.string(),
      source: z.string(),
      publishedAt: timeOrNull,
      receivedAt: time,
    })
    .nullable(),
  catalyst: z.object({ id: z.uuid(), type: z.string(), direction: z.string(), score: decimal }).nullable(),
  signal: z
    .object({
      id: z.uuid(),
      action: z.enum(['buy', 'sell', 'hold']),
      confidence: decimal,
      reasons: z.array(z.unknown()),
      entryPrice: decimal.nullable(),
      stopPrice: decimal.nullable(),
      targetPrice: decimal.nullable(),
      createdAt: time,
    })
    .nullable(),
  entryOrder: TradeOrderRef.nullable(),
  exitOrder: TradeOrderRef.nullable(),
});

export const DailyReportSummary = z.object({
  date: z.string(),
  equityOpen: decimal,
  equityClose: decimal.nullable(),
  realizedPnl: decimal,
  unrealizedPnl: decimal,
  fees: decimal,
  trades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  maxDrawdownPct: decimal,
  netPnl: decimal,
  breakeven: z.number().int(),
  winRate: ratioOrNull,
  grossProfit: decimal,
  grossLoss: decimal,
  largestWin: decimal.nullable(),
  largestLoss: decimal.nullable(),
  profitFactor: ratioOrNull,
  dayReturn: ratioOrNull,
  snapshots: z.number().int(),
});

/** The daily report: the day's figures, the equity curve of the 30 days to it, P&L by catalyst, its trades. */
export const DailyReportDocument = z.object({
  date: z.string(),
  summary: DailyReportSummary,
  equity: z.array(EquityCurvePoint),
  byCatalyst: z.array(AttributionGroupReport),
  trades: z.array(Trade),
});
