import { DomainInputError } from '../errors';
import { divFixed, divRound, fixedToString, mulFixed, toFixed, ZERO, type Fixed } from './decimal';

/**
 * The order state machine. Statuses are exactly those allowed by the CHECK constraints of
 * `orders.status` and `order_status_transitions.{from,to}_status` in init_database.sql: Alpaca's
 * OrderStatus enum plus our own `pending_submit`, the state of a row written before the broker is
 * called. A submission whose outcome is unknown (timeout, 5xx, dropped connection) stays in
 * `pending_submit` with its error recorded; it is resolved by looking the client_order_id up, never
 * by sending a second order under a new id.
 */
export const BROKER_ORDER_STATUSES = [
  'new',
  'partially_filled',
  'filled',
  'done_for_day',
  'canceled',
  'expired',
  'replaced',
  'pending_cancel',
  'pending_replace',
  'accepted',
  'pending_new',
  'accepted_for_bidding',
  'stopped',
  'rejected',
  'suspended',
  'calculated',
  'held',
] as const;
export type BrokerOrderStatus = (typeof BROKER_ORDER_STATUSES)[number];
export const ORDER_STATUSES = ['pending_submit', ...BROKER_ORDER_STATUSES] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** No update follows these (Alpaca: cancelable until filled, canceled or expired; replaced and rejected are final too). */
export const TERMINAL_STATUSES: ReadonlySet<OrderStatus> = new Set([
  'filled',
  'canceled',
  'expired',
  'replaced',
  'rejected',
]);

export function isTerminalStatus(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Statuses in which an order may still be working at the broker (counts toward exposure). */
export function isOpenStatus(status: OrderStatus): boolean {
  return !TERMINAL_STATUSES.has(status);
}

// Before any fill: the broker may move between these in any order (accepted → pending_new → new,
// held → new when a bracket leg activates, a suspended order resumes).
const EARLY: readonly OrderStatus[] = ['pending_new', 'accepted', 'accepted_for_bidding', 'new', 'held', 'suspended'];
const ENDINGS: readonly OrderStatus[] = ['filled', 'canceled', 'expired', 'replaced'];
const WORKING: readonly OrderStatus[] = [
  'partially_filled',
  'pending_cancel',
  'pending_replace',
  'done_for_day',
  'stopped',
  'calculated',
];

/**
 * Legal transitions. The pending_* statuses may go back (a refused cancel or replace returns the
 * order to what it was); nothing leaves a terminal status; nothing returns to pending_submit. An
 * update outside this table is still applied (the broker is the source of truth) but flagged as
 * irregular so it shows in the transition's details.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_submit: BROKER_ORDER_STATUSES,
  pending_new: [...EARLY, ...WORKING, ...ENDINGS, 'rejected'],
  accepted: [...EARLY, ...WORKING, ...ENDINGS, 'rejected'],
  accepted_for_bidding: [...EARLY, ...WORKING, ...ENDINGS, 'rejected'],
  new: [...EARLY, ...WORKING, ...ENDINGS, 'rejected'],
  held: [...EARLY, ...WORKING, ...ENDINGS, 'rejected'],
  suspended: [...EARLY, ...WORKING, ...ENDINGS],
  partially_filled: [...WORKING, ...ENDINGS, 'suspended'],
  pending_cancel: [...EARLY, 'partially_filled', 'done_for_day', ...ENDINGS],
  pending_replace: [...EARLY, 'partially_filled', 'pending_cancel', 'done_for_day', ...ENDINGS],
  done_for_day: ['new', 'accepted', ...WORKING, ...ENDINGS],
  stopped: ['partially_filled', 'done_for_day', 'calculated', ...ENDINGS],
  calculated: ['partially_filled', 'done_for_day', ...ENDINGS],
  filled: [],
  canceled: [],
  expired: [],
  replaced: [],
  rejected: [],
};

export function isLegalTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Our row of an order, as the state machine needs it. Quantities and prices are decimal strings. */
export interface LocalOrder {
  clientOrderId: string;
  brokerOrderId: string | null;
  status: OrderStatus;
  qty: string;
  filledQty: string;
  filledAvgPrice: string | null;
  /** The broker's `updated_at` of the last update applied (orders out of order are dropped). */
  brokerUpdatedAt: string | null;
  replacedBy?: string | null;
  error?: string | null;
}

/** The fields of Alpaca's `Order` (the wire shape, snake_case, amounts as strings) this uses. */
export interface BrokerOrder {
  id: string;
  client_order_id: string;
  status: string;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  updated_at: string | null;
  replaced_by?: string | null;
}

export type UpdateSource = 'submit' | 'stream' | 'poll' | 'reconcile' | 'local';

export interface UpdateMeta {
  source: UpdateSource;
  /** The trade_updates event (fill, partial_fill, canceled …) or the local action. */
  event?: string;
  /** When it was learned (ISO-8601), for the transition row. */
  at: string;
}

/** One row of `order_status_transitions`. */
export interface OrderTransition {
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus;
  event: string | null;
  source: UpdateSource;
  filledQty: string;
  at: string;
  details: Record<string, unknown>;
}

export interface OrderUpdate {
  /**
   * applied: `order` changed, persist it and `transitions` in one transaction; unchanged: nothing
   * new; stale: an older snapshot than the one applied (a poll overtaken by the stream), ignored;
   * conflict: the broker reports something else for an order already final at the broker — not
   * applied, to be looked at (alert).
   */
  outcome: 'applied' | 'unchanged' | 'stale' | 'conflict';
  order: LocalOrder;
  transitions: OrderTransition[];
  /** Why the update was stale, conflicting or irregular. */
  note?: string;
}

export function parseBrokerStatus(status: string): BrokerOrderStatus {
  if ((BROKER_ORDER_STATUSES as readonly string[]).includes(status)) return status as BrokerOrderStatus;
  throw new DomainInputError('UNKNOWN_ORDER_STATUS', `unknown broker order status "${status}"`, { status });
}

/**
 * Folds one broker snapshot of an order (from the submit answer, the trade_updates stream, a poll
 * or a reconciliation) into our row and says which transitions to persist. Decimal strings in,
 * decimal strings out; the filled quantity never goes down.
 */
export function applyBrokerUpdate(local: LocalOrder, broker: BrokerOrder, meta: UpdateMeta): OrderUpdate {
  if (broker.client_order_id !== local.clientOrderId) {
    throw new DomainInputError(
      'ORDER_MISMATCH',
      `broker order ${broker.id} has client_order_id ${broker.client_order_id}, not ${local.clientOrderId}`,
    );
  }
  if (local.brokerOrderId !== null && broker.id !== local.brokerOrderId) {
    throw new DomainInputError('ORDER_MISMATCH', `broker order id ${broker.id} is not ${local.brokerOrderId}`);
  }
  const to = parseBrokerStatus(broker.status);
  const brokerFilled = toFixed(broker.filled_qty, 'filled_qty');
  const localFilled = toFixed(local.filledQty, 'filledQty');
  const qty = broker.qty === null ? toFixed(local.qty, 'qty') : toFixed(broker.qty, 'qty');
  if (brokerFilled < ZERO || brokerFilled > qty) {
    throw new DomainInputError(
      'INVALID_FILLED_QTY',
      `filled_qty ${broker.filled_qty} is outside 0..${fixedToString(qty)}`,
    );
  }

  if (local.brokerUpdatedAt !== null && broker.updated_at !== null) {
    if (instantNanos(broker.updated_at) < instantNanos(local.brokerUpdatedAt)) {
      return {
        outcome: 'stale',
        order: local,
        transitions: [],
        note: `updated_at ${broker.updated_at} is older than ${local.brokerUpdatedAt}`,
      };
    }
  }
  if (brokerFilled < localFilled) {
    return {
      outcome: 'stale',
      order: local,
      transitions: [],
      note: `filled_qty ${broker.filled_qty} is below the ${local.filledQty} already seen`,
    };
  }
  if (isTerminalStatus(local.status) && local.brokerOrderId !== null && to !== local.status) {
    return {
      outcome: 'conflict',
      order: local,
      transitions: [],
      note: `order is ${local.status} at the broker already; a later snapshot says ${to}`,
    };
  }

  const next: LocalOrder = {
    ...local,
    brokerOrderId: broker.id,
    status: to,
    qty: fixedToString(qty),
    filledQty: fixedToString(brokerFilled),
    filledAvgPrice: brokerFilled > ZERO ? (broker.filled_avg_price ?? local.filledAvgPrice) : local.filledAvgPrice,
    brokerUpdatedAt: broker.updated_at ?? local.brokerUpdatedAt,
    replacedBy: broker.replaced_by ?? local.replacedBy ?? null,
  };
  if (brokerFilled > ZERO && next.filledAvgPrice === null) {
    throw new DomainInputError(
      'MISSING_FILL_PRICE',
      `order ${broker.id} has filled_qty ${broker.filled_qty} but no filled_avg_price`,
    );
  }
  const statusChanged = to !== local.status;
  const fillChanged = brokerFilled !== localFilled;
  if (!statusChanged && !fillChanged && local.brokerOrderId !== null) {
    return { outcome: 'unchanged', order: next, transitions: [] };
  }
  const details: Record<string, unknown> = { brokerOrderId: broker.id };
  let note: string | undefined;
  if (statusChanged && !isLegalTransition(local.status, to)) {
    note = `irregular transition ${local.status} → ${to}`;
    details.irregular = note;
  }
  if (fillChanged) {
    details.filledQtyBefore = local.filledQty;
    details.filledAvgPrice = next.filledAvgPrice;
  }
  if (to === 'filled' && brokerFilled !== qty)
    details.irregular = `filled with filled_qty ${next.filledQty} of ${next.qty}`;
  const transition: OrderTransition = {
    fromStatus: local.status,
    toStatus: to,
    event: meta.event ?? null,
    source: meta.source,
    filledQty: next.filledQty,
    at: meta.at,
    details,
  };
  return { outcome: 'applied', order: next, transitions: [transition], ...(note ? { note } : {}) };
}

/** A timestamp (ISO-8601, nanoseconds allowed, any offset) as nanoseconds since the epoch. */
export function instantNanos(iso: string): bigint {
  const m = /\.(\d+)/.exec(iso);
  const withoutFraction = m ? iso.replace(m[0], '') : iso;
  const ms = Date.parse(withoutFraction);
  if (Number.isNaN(ms)) throw new DomainInputError('INVALID_TIME', `not a timestamp: "${iso}"`);
  const frac = m ? (m[1] ?? '').slice(0, 9).padEnd(9, '0') : '000000000';
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

// Submission ---------------------------------------------------------------------------------

/** What came back from POST /v2/orders. */
export type SubmitResult =
  | { kind: 'ok'; order: BrokerOrder }
  /** An HTTP error answer. */
  | { kind: 'http_error'; status: number; code?: number; message: string }
  /** No answer: timeout, connection reset, DNS … the order may or may not exist. */
  | { kind: 'no_response'; message: string };

export type SubmitNext =
  /** The broker has the order; follow it through updates. */
  | 'track'
  /** The broker refused it for good (rejected); nothing else to do. */
  | 'done'
  /** Unknown whether it exists: GET /v2/orders:by_client_order_id, then resubmit with the SAME id if absent. */
  | 'lookup_by_client_order_id';

export interface SubmitUpdate extends OrderUpdate {
  next: SubmitNext;
}

/**
 * Folds the answer to a submission into the row. Because the client_order_id is deterministic and
 * Alpaca refuses a duplicate, a resubmission under the same id can never create a second order:
 * a duplicate answer means the first one landed, so it is looked up. 408, 425, 429, 5xx and no
 * answer at all leave the order in pending_submit; 400/401/403/404/422 are final refusals.
 */
export function applySubmitResult(local: LocalOrder, result: SubmitResult, meta: UpdateMeta): SubmitUpdate {
  if (result.kind === 'ok') return { ...applyBrokerUpdate(local, result.order, meta), next: 'track' };
  if (local.status !== 'pending_submit') {
    return {
      outcome: 'unchanged',
      order: local,
      transitions: [],
      next: 'track',
      note: `order is already ${local.status}`,
    };
  }
  const duplicate = result.kind === 'http_error' && /client_order_id must be unique/i.test(result.message);
  const ambiguous =
    result.kind === 'no_response' || duplicate || [408, 409, 425, 429].includes(result.status) || result.status >= 500;
  const message = result.kind === 'http_error' ? `${result.status} ${result.message}` : result.message;
  if (ambiguous) {
    return {
      outcome: 'applied',
      order: { ...local, error: message },
      transitions: [
        {
          fromStatus: 'pending_submit',
          toStatus: 'pending_submit',
          event: duplicate ? 'submit_duplicate' : 'submit_unknown',
          source: meta.source,
          filledQty: local.filledQty,
          at: meta.at,
          details: { error: message },
        },
      ],
      next: 'lookup_by_client_order_id',
    };
  }
  return {
    outcome: 'applied',
    order: { ...local, status: 'rejected', error: message },
    transitions: [
      {
        fromStatus: 'pending_submit',
        toStatus: 'rejected',
        event: 'submit_refused',
        source: meta.source,
        filledQty: local.filledQty,
        at: meta.at,
        details: {
          error: message,
          ...(result.kind === 'http_error' && result.code !== undefined ? { code: result.code } : {}),
        },
      },
    ],
    next: 'done',
  };
}

// Cancel and replace -----------------------------------------------------------------------------

export type CancelDecision =
  | { action: 'cancel'; brokerOrderId: string }
  /** Not known at the broker yet: resolve the submission first (a cancel by id is impossible). */
  | { action: 'resolve_submission_first' }
  | { action: 'none'; reason: string };

export function decideCancel(order: LocalOrder): CancelDecision {
  if (isTerminalStatus(order.status)) return { action: 'none', reason: `order is ${order.status}` };
  if (order.status === 'pending_cancel') return { action: 'none', reason: 'a cancel is already pending' };
  if (order.brokerOrderId === null) return { action: 'resolve_submission_first' };
  return { action: 'cancel', brokerOrderId: order.brokerOrderId };
}

const REPLACEABLE: ReadonlySet<OrderStatus> = new Set(['new', 'accepted', 'partially_filled', 'held', 'done_for_day']);

export type ReplaceDecision = { action: 'replace'; brokerOrderId: string } | { action: 'none'; reason: string };

/**
 * Whether an order may be replaced (PATCH). A 200 does not mean it happened: the replacement
 * is a new order with a new id, and if the old one fills first the new one is rejected, so the old
 * row is only marked replaced when an update says so.
 */
export function decideReplace(order: LocalOrder): ReplaceDecision {
  if (order.brokerOrderId === null) return { action: 'none', reason: 'order is not known at the broker yet' };
  if (!REPLACEABLE.has(order.status))
    return { action: 'none', reason: `an order that is ${order.status} cannot be replaced` };
  return { action: 'replace', brokerOrderId: order.brokerOrderId };
}

// Fills ------------------------------------------------------------------------------------------

export interface FillLike {
  qty: string;
  price: string;
}

export interface FillSummary {
  filledQty: string;
  /** Σ qty × price, exact. */
  notional: string;
  /** notional ÷ filledQty, rounded half-even to 9 decimals; null before any fill. */
  avgPrice: string | null;
}

/**
 * The filled quantity and average price of an order from all its fills (the `fills` rows, one per
 * execution_id). Summing every fill each time keeps the average exact: folding a rounded average
 * into the next fill would drift.
 */
export function summarizeFills(fills: readonly FillLike[]): FillSummary {
  let qty: Fixed = ZERO;
  let notional: Fixed = ZERO;
  for (const f of fills) {
    const q = toFixed(f.qty, 'fill qty');
    const p = toFixed(f.price, 'fill price');
    if (q <= ZERO || p <= ZERO)
      throw new DomainInputError('INVALID_FILL', `fill qty and price must be positive (${f.qty} @ ${f.price})`);
    qty += q;
    // 9-decimal qty × 4-decimal price has 13 decimals: exact at 18.
    notional += mulFixed(q, p, 'half_even');
  }
  if (qty === ZERO) return { filledQty: '0', notional: '0', avgPrice: null };
  const avg = divFixed(notional, qty, 'half_even');
  const avg9 = divRound(avg, 1_000_000_000n, 'half_even') * 1_000_000_000n;
  return { filledQty: fixedToString(qty), notional: fixedToString(notional), avgPrice: fixedToString(avg9) };
}

/**
 * A fill recorded locally (e.g. from a trade_updates fill event that carries no order snapshot):
 * the order's new filled quantity and average from all its fills, and the transition to persist.
 */
export function applyFills(local: LocalOrder, fills: readonly FillLike[], meta: UpdateMeta): OrderUpdate {
  const summary = summarizeFills(fills);
  const filled = toFixed(summary.filledQty);
  const qty = toFixed(local.qty, 'qty');
  if (filled > qty) {
    throw new DomainInputError('OVERFILL', `fills total ${summary.filledQty}, more than the order's ${local.qty}`);
  }
  if (filled <= toFixed(local.filledQty)) return { outcome: 'unchanged', order: local, transitions: [] };
  // A fill that raced a cancel or replace keeps the order's status (the broker's next snapshot
  // settles it); otherwise the quantity decides.
  const to: OrderStatus = isTerminalStatus(local.status)
    ? local.status
    : filled === qty
      ? 'filled'
      : local.status === 'pending_cancel' || local.status === 'pending_replace'
        ? local.status
        : 'partially_filled';
  const next: LocalOrder = { ...local, status: to, filledQty: summary.filledQty, filledAvgPrice: summary.avgPrice };
  return {
    outcome: 'applied',
    order: next,
    transitions: [
      {
        fromStatus: local.status,
        toStatus: to,
        event: meta.event ?? (to === 'filled' ? 'fill' : 'partial_fill'),
        source: meta.source,
        filledQty: summary.filledQty,
        at: meta.at,
        details: { filledQtyBefore: local.filledQty, filledAvgPrice: summary.avgPrice, notional: summary.notional },
      },
    ],
  };
}
