import {
  applyBrokerUpdate,
  Decimal,
  isTerminalStatus,
  type BrokerOrder,
  type LocalOrder,
  type OrderStatus,
  type OrderTransition,
  type UpdateMeta,
} from '@catalyst/domain';
import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoOrNull,
  pageOf,
  trimDecimal,
  type Db,
  type DbTx,
  type Order,
  type OrderDetail,
} from '@catalyst/shared';
import type { z } from 'zod';
import type {
  BrokerOrderRequest,
  BrokerOrderView,
  OrderClass,
  OrderSide,
  OrderType,
  TimeInForce,
} from '../broker/broker';
import { brokerStateKey, type NewOrder, type OrderStore, type StoredOrder } from './order-store';

type OrderRecord = z.infer<typeof Order>;
type OrderDetailRecord = z.infer<typeof OrderDetail>;

interface OrderRow {
  id: string;
  client_order_id: string;
  broker_order_id: string | null;
  parent_order_id: string | null;
  leg: 'take_profit' | 'stop_loss' | null;
  signal_id: string | null;
  cycle_id: string | null;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  time_in_force: TimeInForce;
  order_class: OrderClass;
  qty: string;
  limit_price: string | null;
  stop_price: string | null;
  status: OrderStatus;
  filled_qty: string;
  filled_avg_price: string | null;
  error: string | null;
  request_fingerprint: string | null;
  broker_updated_at: string | null;
  replaced_by: string | null;
  submitted_at: Date | null;
  filled_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toOrder(r: OrderRow): OrderRecord {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    parentOrderId: r.parent_order_id,
    leg: r.leg,
    signalId: r.signal_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    orderClass: r.order_class,
    qty: trimDecimal(r.qty),
    limitPrice: decimalOrNull(r.limit_price),
    stopPrice: decimalOrNull(r.stop_price),
    status: r.status,
    filledQty: trimDecimal(r.filled_qty),
    filledAvgPrice: decimalOrNull(r.filled_avg_price),
    submittedAt: isoOrNull(r.submitted_at),
    filledAt: isoOrNull(r.filled_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function toStored(r: OrderRow): StoredOrder {
  return {
    id: r.id,
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    parentOrderId: r.parent_order_id,
    leg: r.leg,
    signalId: r.signal_id,
    cycleId: r.cycle_id,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    timeInForce: r.time_in_force,
    orderClass: r.order_class,
    qty: trimDecimal(r.qty),
    limitPrice: decimalOrNull(r.limit_price),
    stopPrice: decimalOrNull(r.stop_price),
    status: r.status,
    filledQty: trimDecimal(r.filled_qty),
    filledAvgPrice: decimalOrNull(r.filled_avg_price),
    error: r.error,
    submittedAt: isoOrNull(r.submitted_at),
    updatedAt: iso(r.updated_at),
    createdAt: iso(r.created_at),
  };
}

function toLocal(r: OrderRow): LocalOrder {
  return {
    clientOrderId: r.client_order_id,
    brokerOrderId: r.broker_order_id,
    status: r.status,
    qty: trimDecimal(r.qty),
    filledQty: trimDecimal(r.filled_qty),
    filledAvgPrice: decimalOrNull(r.filled_avg_price),
    brokerUpdatedAt: r.broker_updated_at,
    replacedBy: r.replaced_by,
    error: r.error,
  };
}

export interface OrderFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  status?: string | undefined;
}

/** What the risk decision of a signal's entry writes, in the same transaction as the pending order. */
export interface ApprovedEntryDecision {
  signalId: string;
  qty: string;
  details: Record<string, unknown>;
}

/** An entry order still working: what the risk engine holds against buying power and exposure. */
export interface OpenEntry {
  symbol: string;
  side: OrderSide;
  qty: string;
  filledQty: string;
  limitPrice: string | null;
  stopPrice: string | null;
}

export interface OrdersRepository extends OrderStore {
  /** Open orders that are not bracket legs, with only what sizing needs (read on every entry). */
  openEntries(): Promise<OpenEntry[]>;
  list(filter: OrderFilter): Promise<{ items: OrderRecord[]; nextCursor: string | null }>;
  /** The order as the API shows it, with its transitions, fills and bracket legs. */
  detail(id: string): Promise<OrderDetailRecord | null>;
  /** The order as the API lists it. */
  record(id: string): Promise<OrderRecord | null>;
  /** The broker request stored when the order was written (to resend it unchanged), or null. */
  sentRequest(id: string): Promise<BrokerOrderRequest | null>;
  /** The request fingerprint stored with the order (null when it did not come through POST /orders). */
  fingerprintOf(clientOrderId: string): Promise<string | null>;
  /**
   * insertPending for a signal's entry, together with the approved risk decision and the signal's
   * `executed` status: one transaction, so a signal can never be marked executed without its order.
   */
  insertPendingWithDecision(
    order: NewOrder,
    decision: ApprovedEntryDecision,
  ): Promise<{ order: StoredOrder; created: boolean }>;
  /**
   * insertPending for the replacement (PATCH) of an order: the row carries `replaces` (the old
   * order's broker id) and, for a bracket leg, the old leg's parent and role.
   */
  insertPendingReplacement(order: NewOrder, link: ReplacementLink): Promise<{ order: StoredOrder; created: boolean }>;
  /** Every replacement row written for the order with this broker id (oldest first). */
  replacementsOf(brokerOrderId: string): Promise<StoredOrder[]>;
  /** Moves the bracket legs of a replaced parent to its replacement (the broker keeps the group). */
  relinkLegs(fromOrderId: string, toOrderId: string): Promise<void>;
  /** The trailing stop's trail of an order: percent or price, as it was placed. */
  trailOf(id: string): Promise<{ trailPercent: string | null; trailPrice: string | null }>;
  /** Whether a trading cycle with this id exists (orders.cycle_id references it). */
  cycleExists(cycleId: string): Promise<boolean>;
}

export interface ReplacementLink {
  /** The broker id of the order replaced (orders.replaces). */
  replaces: string;
  parentOrderId: string | null;
  leg: 'take_profit' | 'stop_loss' | null;
}

const PENDING_INSERT = `
  INSERT INTO orders (client_order_id, signal_id, cycle_id, symbol, side, type, time_in_force, order_class,
                      qty, limit_price, stop_price, trail_price, trail_percent, extended_hours, status,
                      request_fingerprint, replaces, parent_order_id, leg)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'pending_submit', $15, $16, $17, $18)
  ON CONFLICT (client_order_id) DO NOTHING
  RETURNING *`;

/** $1..$18 of PENDING_INSERT. */
function pendingParams(o: NewOrder, link: ReplacementLink | null = null): unknown[] {
  return [
    o.clientOrderId,
    o.signalId,
    o.cycleId,
    o.symbol,
    o.side,
    o.type,
    o.timeInForce,
    o.orderClass,
    o.qty,
    o.limitPrice,
    o.stopPrice,
    o.trailPrice ?? null,
    o.trailPercent ?? null,
    o.extendedHours,
    o.requestFingerprint ?? null,
    link?.replaces ?? null,
    link?.parentOrderId ?? null,
    link?.leg ?? null,
  ];
}

/** The details of a pending row's first transition: the bracket and the request as decided. */
function pendingDetails(o: NewOrder): Record<string, unknown> {
  return {
    takeProfit: o.takeProfitPrice ?? null,
    stopLoss: o.stopLossPrice ?? null,
    ...(o.brokerRequest ? { request: o.brokerRequest } : {}),
  };
}

async function insertPendingTx(
  tx: DbTx,
  o: NewOrder,
  link: ReplacementLink | null = null,
): Promise<{ order: StoredOrder; created: boolean }> {
  const inserted = await tx.query<OrderRow>(PENDING_INSERT, pendingParams(o, link));
  const row = inserted.rows[0];
  if (row) {
    await tx.query(
      `INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source, filled_qty, details)
       VALUES ($1, NULL, 'pending_submit', 'insert', 'local', 0, $2)`,
      [row.id, JSON.stringify(pendingDetails(o))],
    );
    return { order: toStored(row), created: true };
  }
  const existing = await tx.query<OrderRow>('SELECT * FROM orders WHERE client_order_id = $1', [o.clientOrderId]);
  return { order: toStored(existing.rows[0]!), created: false };
}

async function insertTransitions(tx: DbTx, orderId: string, transitions: readonly OrderTransition[]): Promise<void> {
  for (const t of transitions) {
    await tx.query(
      `INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source, filled_qty, details, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [orderId, t.fromStatus, t.toStatus, t.event, t.source, t.filledQty, JSON.stringify(t.details), t.at],
    );
  }
}

/** The fill behind an increase of filled_qty: its quantity and price from the two cumulative averages. */
function fillDelta(
  before: { qty: string; avg: string | null },
  after: { qty: string; avg: string },
): { qty: string; price: string } {
  const { toFixed, mulFixed, divFixed, fixedToString } = Decimal;
  const q0 = toFixed(before.qty);
  const q1 = toFixed(after.qty);
  const dq = q1 - q0;
  const n0 = before.avg === null ? 0n : mulFixed(q0, toFixed(before.avg), 'half_even');
  const n1 = mulFixed(q1, toFixed(after.avg), 'half_even');
  let price = divFixed(n1 - n0, dq, 'half_even');
  // Averages rounded by the broker can make a tiny increment's implied price meaningless; the
  // order's average is then the best figure there is.
  if (price <= 0n) price = toFixed(after.avg);
  const rounded = Decimal.divRound(price, 1_000_000_000n, 'half_even') * 1_000_000_000n;
  return { qty: fixedToString(dq), price: fixedToString(rounded > 0n ? rounded : price) };
}

function legOf(view: BrokerOrderView): 'take_profit' | 'stop_loss' {
  return view.type === 'limit' ? 'take_profit' : 'stop_loss';
}

function asBrokerOrder(view: BrokerOrderView, local: LocalOrder): BrokerOrder {
  // A notional order has no qty until it fills; the row keeps its provisional qty until then.
  let qty = view.qty;
  if (qty === null) {
    qty = Decimal.toFixed(view.filled_qty) > Decimal.toFixed(local.qty) ? view.filled_qty : local.qty;
  }
  return {
    id: view.id,
    client_order_id: view.client_order_id,
    status: view.status,
    qty,
    filled_qty: view.filled_qty,
    filled_avg_price: view.filled_avg_price,
    updated_at: view.updated_at,
    replaced_by: view.replaced_by,
  };
}

export interface OrdersRepositoryOptions {
  /** Told once per order that reaches a final status through this store (orders_final_total). */
  onFinal?: (side: OrderSide, status: OrderStatus) => void;
  /** Told of each applied status or fill change and each fill (the dashboard's live feed); must not throw. */
  onChange?: (change: {
    kind: 'order.updated' | 'fill';
    order: OrderRow;
    fill?: { qty: string; price: string };
  }) => void;
}

export function createOrdersRepository(db: Db, opts: OrdersRepositoryOptions = {}): OrdersRepository {
  // The last broker state applied per broker order id (and per nested leg): the sync skips an
  // order listed unchanged since, whoever applied it (a submission, a cancel, an earlier pass).
  // Lost on restart, when the first pass applies everything once (idempotent).
  const appliedStates = new Map<string, string>();
  const remember = (broker: BrokerOrderView) => {
    // Bounded: forgetting only costs one idempotent re-apply.
    if (appliedStates.size > 20_000) appliedStates.clear();
    appliedStates.set(broker.id, brokerStateKey(broker));
    for (const leg of broker.legs ?? []) remember(leg);
  };
  async function one(sql: string, params: unknown[]): Promise<StoredOrder | null> {
    const { rows } = await db.query<OrderRow>(sql, params);
    return rows[0] ? toStored(rows[0]) : null;
  }

  /** Folds one broker snapshot into the row locked in `tx` (or adopts it); returns the row after. */
  async function applyInTx(
    tx: DbTx,
    view: BrokerOrderView,
    meta: UpdateMeta,
    adopt: boolean,
    parent: { id: string } | null,
  ): Promise<OrderRow | null> {
    const found = await tx.query<OrderRow>('SELECT * FROM orders WHERE client_order_id = $1 FOR UPDATE', [
      view.client_order_id,
    ]);
    let row = found.rows[0];
    if (!row) {
      if (!adopt) return null;
      const created = await tx.query<OrderRow>(
        `INSERT INTO orders (client_order_id, parent_order_id, leg, symbol, side, type, time_in_force, order_class,
                             qty, limit_price, stop_price, trail_price, trail_percent, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending_submit')
         ON CONFLICT (client_order_id) DO NOTHING
         RETURNING *`,
        [
          view.client_order_id,
          parent?.id ?? null,
          parent ? legOf(view) : null,
          view.symbol,
          view.side,
          view.type,
          view.time_in_force,
          ['simple', 'bracket', 'oco', 'oto'].includes(view.order_class) ? view.order_class : 'simple',
          view.qty ?? (Decimal.toFixed(view.filled_qty) > 0n ? view.filled_qty : null) ?? '0',
          view.limit_price,
          view.stop_price,
          (view.raw.trail_price as string | null | undefined) ?? null,
          (view.raw.trail_percent as string | null | undefined) ?? null,
        ],
      );
      row =
        created.rows[0] ??
        (await tx.query<OrderRow>('SELECT * FROM orders WHERE client_order_id = $1 FOR UPDATE', [view.client_order_id]))
          .rows[0]!;
      await tx.query(
        `INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source, filled_qty, details, at)
         VALUES ($1, NULL, 'pending_submit', 'adopt', $2, 0, $3, $4)`,
        [row.id, meta.source, JSON.stringify({ brokerOrderId: view.id }), meta.at],
      );
    }
    const local = toLocal(row);
    const update = applyBrokerUpdate(local, asBrokerOrder(view, local), meta);
    if (update.outcome === 'applied') {
      const next = update.order;
      const raw = view.raw;
      const updated = await tx.query<OrderRow>(
        `UPDATE orders SET broker_order_id = $2, status = $3, qty = $4, filled_qty = $5, filled_avg_price = $6,
                broker_updated_at = $7, replaced_by = $8, raw = $9,
                limit_price = COALESCE($10, limit_price), stop_price = COALESCE($11, stop_price),
                submitted_at = COALESCE($12, submitted_at), filled_at = COALESCE($13, filled_at),
                canceled_at = COALESCE($14, canceled_at), expired_at = COALESCE($15, expired_at),
                failed_at = COALESCE($16, failed_at), replaced_at = COALESCE($17, replaced_at),
                replaces = COALESCE($18, replaces), error = NULL, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          row.id,
          next.brokerOrderId,
          next.status,
          next.qty,
          next.filledQty,
          next.filledAvgPrice,
          next.brokerUpdatedAt,
          next.replacedBy ?? null,
          JSON.stringify(raw),
          view.limit_price,
          view.stop_price,
          view.submitted_at,
          view.filled_at,
          view.canceled_at,
          view.expired_at,
          view.failed_at,
          view.replaced_at,
          view.replaces,
        ],
      );
      await insertTransitions(tx, row.id, update.transitions);
      if (next.status !== local.status || next.filledQty !== local.filledQty)
        opts.onChange?.({ kind: 'order.updated', order: updated.rows[0]! });
      if (isTerminalStatus(next.status) && !isTerminalStatus(local.status)) {
        // Counted after the commit would be more exact; a rolled-back transaction here is a crash
        // anyway, and the next apply counts it again only if the row is still not final.
        opts.onFinal?.(row.side, next.status);
      }
      if (next.filledQty !== local.filledQty && next.filledAvgPrice !== null) {
        const fill = fillDelta(
          { qty: local.filledQty, avg: local.filledAvgPrice },
          { qty: next.filledQty, avg: next.filledAvgPrice },
        );
        await tx.query(
          `INSERT INTO fills (order_id, broker_fill_id, symbol, side, qty, price, filled_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (broker_fill_id) DO NOTHING`,
          [
            row.id,
            `${view.id}:${next.filledQty}`,
            row.symbol,
            row.side,
            fill.qty,
            fill.price,
            view.filled_at ?? meta.at,
          ],
        );
        opts.onChange?.({ kind: 'fill', order: updated.rows[0]!, fill: { qty: fill.qty, price: fill.price } });
      }
      row = updated.rows[0]!;
    } else if (update.outcome === 'conflict' || update.outcome === 'stale') {
      // Nothing to persist; the note travels in a transition row only when it is a conflict, so an
      // operator can see that the broker contradicted a final status.
      if (update.outcome === 'conflict') {
        await tx.query(
          `INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source, filled_qty, details, at)
           VALUES ($1, $2, $2, 'conflict', $3, $4, $5, $6)`,
          [
            row.id,
            row.status,
            meta.source,
            row.filled_qty,
            JSON.stringify({ note: update.note, brokerStatus: view.status }),
            meta.at,
          ],
        );
      }
    }
    for (const leg of view.legs ?? []) {
      // A leg as it was last applied (most polls: the parent moved, its resting legs did not) has
      // nothing to write.
      if (appliedStates.get(leg.id) === brokerStateKey(leg)) continue;
      await applyInTx(tx, leg, meta, true, { id: row.id });
    }
    return row;
  }

  return {
    async insertPending(order) {
      return db.transaction((tx) => insertPendingTx(tx, order));
    },

    async insertPendingWithDecision(o, decision) {
      // The pending row, its first transition, the approval and the signal's new status in one
      // statement (one round trip, atomic on its own): this sits between the decision and the
      // broker on every entry. A row already there (a retry) writes nothing and is returned.
      const { rows } = await db.query<OrderRow>(
        `WITH ins AS (${PENDING_INSERT}),
         transition AS (
           INSERT INTO order_status_transitions (order_id, from_status, to_status, event, source, filled_qty, details)
           SELECT ins.id, NULL, 'pending_submit', 'insert', 'local', 0, $19::jsonb FROM ins
         ), approval AS (
           INSERT INTO risk_decisions (signal_id, approved, qty, details)
           SELECT $20, true, $21, $22::jsonb || jsonb_build_object('orderId', ins.id) FROM ins
         ), executed AS (
           UPDATE signals SET status = 'executed', status_reason = 'order ' || ins.client_order_id,
                  decided_by = 'trading', decided_at = now(), updated_at = now()
             FROM ins WHERE signals.id = $20
         )
         SELECT * FROM ins`,
        [
          ...pendingParams(o),
          JSON.stringify(pendingDetails(o)),
          decision.signalId,
          decision.qty,
          JSON.stringify(decision.details),
        ],
      );
      const row = rows[0];
      if (row) return { order: toStored(row), created: true };
      const existing = await db.query<OrderRow>('SELECT * FROM orders WHERE client_order_id = $1', [o.clientOrderId]);
      return { order: toStored(existing.rows[0]!), created: false };
    },

    async insertPendingReplacement(order, link) {
      return db.transaction((tx) => insertPendingTx(tx, order, link));
    },

    async replacementsOf(brokerOrderId) {
      const { rows } = await db.query<OrderRow>('SELECT * FROM orders WHERE replaces = $1 ORDER BY created_at, id', [
        brokerOrderId,
      ]);
      return rows.map(toStored);
    },

    async relinkLegs(fromOrderId, toOrderId) {
      await db.query('UPDATE orders SET parent_order_id = $2, updated_at = now() WHERE parent_order_id = $1', [
        fromOrderId,
        toOrderId,
      ]);
    },

    async trailOf(id) {
      const { rows } = await db.query<{ trail_percent: string | null; trail_price: string | null }>(
        'SELECT trail_percent::text, trail_price::text FROM orders WHERE id = $1',
        [id],
      );
      return { trailPercent: rows[0]?.trail_percent ?? null, trailPrice: rows[0]?.trail_price ?? null };
    },

    async cycleExists(cycleId) {
      const { rows } = await db.query('SELECT 1 FROM trading_cycles WHERE id = $1', [cycleId]);
      return rows.length > 0;
    },

    byId: (id) => one('SELECT * FROM orders WHERE id = $1', [id]),
    byClientOrderId: (clientOrderId) => one('SELECT * FROM orders WHERE client_order_id = $1', [clientOrderId]),
    byBrokerOrderId: (brokerOrderId) => one('SELECT * FROM orders WHERE broker_order_id = $1', [brokerOrderId]),

    async openEntries() {
      const { rows } = await db.query<{
        symbol: string;
        side: OrderSide;
        qty: string;
        filled_qty: string;
        limit_price: string | null;
        stop_price: string | null;
      }>(
        `SELECT symbol, side, qty, filled_qty, limit_price, stop_price FROM orders
          WHERE parent_order_id IS NULL
            AND status NOT IN ('filled', 'canceled', 'expired', 'replaced', 'rejected')
          ORDER BY created_at, id`,
      );
      return rows.map((r) => ({
        symbol: r.symbol,
        side: r.side,
        qty: trimDecimal(r.qty),
        filledQty: trimDecimal(r.filled_qty),
        limitPrice: decimalOrNull(r.limit_price),
        stopPrice: decimalOrNull(r.stop_price),
      }));
    },

    async listOpen() {
      const { rows } = await db.query<OrderRow>(
        `SELECT * FROM orders WHERE status NOT IN ('filled', 'canceled', 'expired', 'replaced', 'rejected')
          ORDER BY created_at, id`,
      );
      return rows.map(toStored);
    },

    async applyBrokerOrder(broker, meta, opts = {}) {
      const row = await db.transaction((tx) => applyInTx(tx, broker, meta, opts.adopt === true, null));
      if (row) remember(broker);
      return row ? toStored(row) : null;
    },

    holds: (broker) => appliedStates.get(broker.id) === brokerStateKey(broker),

    async markSubmitFailed(id, error, definite, meta) {
      return db.transaction(async (tx) => {
        const found = await tx.query<OrderRow>('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [id]);
        const row = found.rows[0];
        if (!row) throw new Error(`order ${id} does not exist`);
        // Only a submission still unresolved can fail; an order the broker already has keeps its state.
        if (row.status !== 'pending_submit') return toStored(row);
        const to: OrderStatus = definite ? 'rejected' : 'pending_submit';
        const updated = await tx.query<OrderRow>(
          `UPDATE orders SET status = $2, error = $3, failed_at = CASE WHEN $4 THEN now() ELSE failed_at END,
                  updated_at = now()
            WHERE id = $1 RETURNING *`,
          [id, to, error, definite],
        );
        if (definite) opts.onFinal?.(row.side, 'rejected');
        await insertTransitions(tx, id, [
          {
            fromStatus: 'pending_submit',
            toStatus: to,
            event: definite ? 'submit_refused' : 'submit_unknown',
            source: meta.source,
            filledQty: row.filled_qty,
            at: meta.at,
            details: { error },
          },
        ]);
        return toStored(updated.rows[0]!);
      });
    },

    async record(id) {
      const { rows } = await db.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [id]);
      return rows[0] ? toOrder(rows[0]) : null;
    },

    async sentRequest(id) {
      const { rows } = await db.query<{ details: { request?: BrokerOrderRequest } }>(
        `SELECT details FROM order_status_transitions WHERE order_id = $1 AND event = 'insert' ORDER BY id LIMIT 1`,
        [id],
      );
      return rows[0]?.details.request ?? null;
    },

    async fingerprintOf(clientOrderId) {
      const { rows } = await db.query<{ request_fingerprint: string | null }>(
        'SELECT request_fingerprint FROM orders WHERE client_order_id = $1',
        [clientOrderId],
      );
      return rows[0]?.request_fingerprint ?? null;
    },

    async list(filter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<OrderRow>(
        `SELECT * FROM orders
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.status ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      return pageOf(rows.map(toOrder), filter.limit, (o) => ({ at: o.createdAt, id: o.id }));
    },

    async detail(id) {
      const { rows } = await db.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [id]);
      const row = rows[0];
      if (!row) return null;
      const [transitions, fills, legs] = await Promise.all([
        db.query<{
          from_status: string | null;
          to_status: string;
          event: string | null;
          source: string | null;
          filled_qty: string | null;
          details: Record<string, unknown>;
          at: Date;
        }>(
          `SELECT from_status, to_status, event, source, filled_qty, details, at
             FROM order_status_transitions WHERE order_id = $1 ORDER BY at, id`,
          [id],
        ),
        db.query<{ id: string; broker_fill_id: string; qty: string; price: string; fee: string; filled_at: Date }>(
          'SELECT id, broker_fill_id, qty, price, fee, filled_at FROM fills WHERE order_id = $1 ORDER BY filled_at, id',
          [id],
        ),
        db.query<OrderRow>('SELECT * FROM orders WHERE parent_order_id = $1 ORDER BY created_at, id', [id]),
      ]);
      return {
        ...toOrder(row),
        error: row.error,
        legs: legs.rows.map(toOrder),
        transitions: transitions.rows.map((t) => ({
          fromStatus: t.from_status,
          toStatus: t.to_status,
          event: t.event,
          source: t.source,
          filledQty: decimalOrNull(t.filled_qty),
          details: t.details,
          at: iso(t.at),
        })),
        fills: fills.rows.map((f) => ({
          id: f.id,
          brokerFillId: f.broker_fill_id,
          qty: trimDecimal(f.qty),
          price: trimDecimal(f.price),
          fee: trimDecimal(f.fee),
          filledAt: iso(f.filled_at),
        })),
      };
    },
  };
}

/** True while the order may still be working at the broker. */
export function isOpenOrder(order: Pick<StoredOrder, 'status'>): boolean {
  return !isTerminalStatus(order.status);
}
