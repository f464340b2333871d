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

export const NewsItem = z.object({
  id: z.uuid(),
  source: z.string(),
  storyId: z.uuid().nullable(),
  url: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  publisher: z.string().nullable(),
  publishedAt: time.nullable(),
  receivedAt: time,
  sentimentScore: decimal.nullable(),
  sentimentLabel: z.enum(['positive', 'negative', 'neutral']).nullable(),
  tickers: z.array(
    z.object({ symbol, confidence: decimal, method: z.enum(['provider', 'cashtag', 'exchange', 'name']) }),
  ),
});

export const NewsSource = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(['rss', 'newsapi', 'alphavantage', 'alpaca', 'sim']),
  url: z.string().nullable(),
  enabled: z.boolean(),
  pollIntervalSeconds: z.number().int(),
  circuitState: z.enum(['closed', 'open', 'half_open']),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: time.nullable(),
  lastErrorAt: time.nullable(),
  lastError: z.string().nullable(),
  itemsTotal: z.number().int(),
});

export const ScanCandidate = z.object({
  symbol,
  rank: z.number().int(),
  score: decimal,
  reasons: z.array(z.unknown()),
  catalystId: z.uuid().nullable(),
  price: decimal.nullable(),
  metrics: z.record(z.string(), z.unknown()),
});

export const Scan = z.object({
  id: z.uuid(),
  cycleId: z.uuid().nullable(),
  startedAt: time,
  finishedAt: time.nullable(),
  universeSize: z.number().int().nullable(),
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
