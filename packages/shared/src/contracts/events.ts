import { z } from 'zod';
import { NewsCatalystEvent } from './records';

/**
 * Payloads of the events services publish on the bus for others to act on (notifications, the
 * dashboard's live view). One schema per event type; `EVENT_CATALOGUE` says on which topic each
 * travels. Publishers parse their payload with the schema before `bus.publish(topic, type, data)`;
 * consumers parse what they receive with the same schema. Money, prices and quantities are
 * decimal strings, as at the broker boundary.
 */
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, { message: 'must be a decimal string' });
const time = z.string();
const symbol = z.string();

/** An entry order filled: a position opened (trading service, topic `trading`). */
export const TradeOpenedEvent = z.object({
  orderId: z.uuid(),
  positionId: z.uuid().nullable(),
  signalId: z.uuid().nullable(),
  symbol,
  side: z.enum(['long', 'short']),
  qty: decimal,
  entryPrice: decimal,
  stopPrice: decimal.nullable(),
  targetPrice: decimal.nullable(),
  /** The catalyst type behind the signal, when known (`earnings_beat`, `fda_approval` …). */
  catalystType: z.string().nullable(),
  openedAt: time,
});

/** A position closed: one round trip with its result (trading service, topic `trading`). */
export const TradeClosedEvent = z.object({
  tradeId: z.uuid(),
  symbol,
  side: z.enum(['long', 'short']),
  qty: decimal,
  entryPrice: decimal,
  exitPrice: decimal,
  realizedPnl: decimal,
  returnPct: decimal.nullable(),
  /** `target`, `stop`, `manual`, `halt` … */
  exitReason: z.string().nullable(),
  openedAt: time,
  closedAt: time,
});

/** The kill switch was set (trading service, topic `trading`). */
export const TradingHaltedEvent = z.object({
  /** Who set it: an operator's name, `risk` for an automatic halt (daily loss limit) … */
  actor: z.string(),
  reason: z.string().nullable(),
  /** Entry orders cancelled at the broker. */
  canceledOrders: z.number().int().nonnegative(),
  /** Symbols whose positions were sent a closing order. */
  closedPositions: z.array(symbol),
  /** What could not be done (the switch itself is set even then). */
  failures: z.array(z.object({ target: z.string(), message: z.string() })),
  haltedAt: time,
});

/** The kill switch was cleared (trading service, topic `trading`). */
export const TradingResumedEvent = z.object({
  actor: z.string(),
  reason: z.string().nullable(),
  resumedAt: time,
});

/**
 * One reconciliation run found PostgreSQL and the broker disagreeing and corrected it (trading
 * service, topic `trading`): one event per run that found any, listing what it found.
 */
export const ReconciliationDiscrepancyEvent = z.object({
  /** `broker_sync`, `reconciliation` … */
  source: z.string(),
  discrepancies: z
    .array(
      z.object({
        /** `unknown_order`, `pending_failed`, `position_qty`, `position_closed_unexplained` … */
        kind: z.string(),
        entityType: z.enum(['order', 'position']),
        entityId: z.string(),
        symbol: symbol.nullable(),
        /** One line for a person: what differed and what was done. */
        summary: z.string(),
      }),
    )
    .min(1),
  detectedAt: time,
});

/** A trading cycle ended in failure (coordination service, topic `coordination`). */
export const CycleFailedEvent = z.object({
  cycleId: z.uuid(),
  trigger: z.enum(['schedule', 'manual', 'fast_path']),
  symbol: symbol.nullable(),
  /** The step that failed (`scan`, `patterns`, `signals`, `orders` …), null when it failed before any. */
  step: z.string().nullable(),
  error: z.string(),
  startedAt: time,
  failedAt: time,
});

/** The day's performance, once after the close (reporting service, topic `reporting`). */
export const DailyReportEvent = z.object({
  /** The trading day, YYYY-MM-DD (America/New_York). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-01-02' }),
  equityOpen: decimal,
  equityClose: decimal.nullable(),
  realizedPnl: decimal,
  unrealizedPnl: decimal,
  fees: decimal,
  trades: z.number().int().nonnegative(),
  wins: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
  maxDrawdownPct: decimal,
  /** Where an operator reads the full report, when the dashboard's address is known. */
  reportUrl: z.string().nullable(),
});

/** A signal was stored (technical service, topic `signals`): the dashboard's feed and approval queue. */
export const SignalCreatedEvent = z.object({
  id: z.uuid(),
  symbol,
  action: z.enum(['BUY', 'SELL', 'HOLD']),
  confidence: z.number(),
  status: z.string(),
  expiresAt: time.nullable(),
  cycleId: z.uuid().nullable(),
  createdAt: time,
});

/** An operator approved or rejected a pending signal on the dashboard (topic `signals`). */
export const ApprovalDecidedEvent = z.object({
  signalId: z.uuid(),
  decision: z.enum(['approved', 'rejected']),
  actor: z.string(),
});

/** An order's status or filled quantity changed (trading service, topic `trading`). */
export const OrderUpdatedEvent = z.object({
  orderId: z.uuid(),
  symbol,
  side: z.enum(['buy', 'sell']),
  status: z.string(),
  filledQty: decimal,
  filledAvgPrice: decimal.nullable(),
  at: time,
});

/** One fill of an order (trading service, topic `trading`): `qty` and `price` of this fill. */
export const FillEvent = OrderUpdatedEvent.extend({ qty: decimal, price: decimal });

/** One step of a cycle ended (coordination service, topic `coordination`). */
export const CycleStepEvent = z.object({
  cycleId: z.uuid(),
  step: z.string(),
  seq: z.number().int(),
  status: z.enum(['completed', 'skipped', 'failed']),
  durationMs: z.number().int(),
  error: z.string().nullable(),
});

/** A cycle ended (coordination service, topic `coordination`). */
export const CycleFinishedEvent = z.object({
  cycleId: z.uuid(),
  status: z.enum(['completed', 'failed']),
  error: z.string().nullable(),
  durationMs: z.number().int(),
});

/** A scan stored its candidates (scanner service, topic `scanner`). */
export const ScanCompletedEvent = z.object({
  scanId: z.uuid(),
  cycleId: z.uuid().nullable(),
  candidates: z.number().int(),
  symbols: z.array(symbol),
});

/**
 * Events published only for the dashboard's live view (SSE), too frequent to notify anyone about,
 * so they are kept out of EVENT_CATALOGUE (the notifier's list).
 */
export const LIVE_EVENT_CATALOGUE = {
  'signal.created': { topic: 'signals', schema: SignalCreatedEvent },
  'approval.decided': { topic: 'signals', schema: ApprovalDecidedEvent },
  'order.updated': { topic: 'trading', schema: OrderUpdatedEvent },
  fill: { topic: 'trading', schema: FillEvent },
  'cycle.step': { topic: 'coordination', schema: CycleStepEvent },
  'cycle.finished': { topic: 'coordination', schema: CycleFinishedEvent },
  'scan.completed': { topic: 'scanner', schema: ScanCompletedEvent },
} as const;

/** Every event type, its topic and its payload schema. */
export const EVENT_CATALOGUE = {
  'news.catalyst': { topic: 'news', schema: NewsCatalystEvent },
  'trade.opened': { topic: 'trading', schema: TradeOpenedEvent },
  'trade.closed': { topic: 'trading', schema: TradeClosedEvent },
  'trading.halted': { topic: 'trading', schema: TradingHaltedEvent },
  'trading.resumed': { topic: 'trading', schema: TradingResumedEvent },
  'reconciliation.discrepancy': { topic: 'trading', schema: ReconciliationDiscrepancyEvent },
  'cycle.failed': { topic: 'coordination', schema: CycleFailedEvent },
  'report.daily': { topic: 'reporting', schema: DailyReportEvent },
} as const;

export type CatalogueEventType = keyof typeof EVENT_CATALOGUE;
export const CATALOGUE_EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as CatalogueEventType[];
export type CatalogueEventPayload<K extends CatalogueEventType> = z.infer<(typeof EVENT_CATALOGUE)[K]['schema']>;

/** One catalogued event with its payload, typed by its `type`. */
export type CatalogueEvent = {
  [K in CatalogueEventType]: { type: K; data: CatalogueEventPayload<K> };
}[CatalogueEventType];

export function isCatalogueEventType(type: string): type is CatalogueEventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}
