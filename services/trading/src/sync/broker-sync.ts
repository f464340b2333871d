import { Decimal, type UpdateMeta } from '@catalyst/domain';
import type { Db, Logger } from '@catalyst/shared';
import { BrokerError, type Broker, type BrokerOrderView, type BrokerPosition } from '../broker/broker';
import type { OrderStore, StoredOrder } from '../data-access/order-store';
import type { Discrepancy } from '../reconciliation/discrepancies';
import {
  createPositionsRepository,
  type PositionFields,
  type PositionRow,
  type TradeOrderRow,
} from './position-book.repository';
import { exitReasonOf, tradeResult } from './trade-result';

export interface BrokerSyncDeps {
  broker: Broker;
  orders: OrderStore;
  db: Db;
  log: Logger;
  now?: () => Date;
  /** A pending_submit row younger than this is left to the request that is submitting it. */
  pendingLookupAfterMs?: number;
  /**
   * A pending_submit row the broker does not know after this long is failed for good. It must be
   * longer than any submission can still be in flight (the adapter's timeout plus its retries),
   * or a late-arriving order would meet a row already failed.
   */
  submitWindowMs?: number;
  /** How many of the broker's recently closed orders each pass reads. */
  closedOrdersLimit?: number;
}

export const DEFAULT_PENDING_LOOKUP_AFTER_MS = 5_000;
export const DEFAULT_SUBMIT_WINDOW_MS = 60_000;

/** Thrown when the broker's state cannot be read: the caller must not assume anything (fail closed). */
export class BrokerStateUnreadable extends Error {
  constructor(
    readonly what: string,
    readonly underlying: unknown,
  ) {
    super(
      `could not read ${what} from the broker: ${underlying instanceof Error ? underlying.message : String(underlying)}`,
    );
    this.name = 'BrokerStateUnreadable';
  }
}

// The order sync and the reconciler both write positions and trades; one pass at a time per database
// keeps them from opening the same position twice or racing on a trade.
const locks = new WeakMap<Db, Promise<unknown>>();
export function withSyncLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(db) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  locks.set(
    db,
    run.catch(() => undefined),
  );
  return run;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads are idempotent: a 429 or an ambiguous failure is retried a few times before giving up. */
async function read<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      const retryable = err instanceof BrokerError ? err.kind === 'rate_limited' || err.kind === 'ambiguous' : true;
      if (!retryable) break;
      const wait =
        err instanceof BrokerError && err.details.retryAfterMs ? err.details.retryAfterMs : 150 * 2 ** attempt;
      await sleep(Math.min(wait, 2_000));
    }
  }
  throw new BrokerStateUnreadable(what, last);
}

/**
 * Keeps PostgreSQL equal to the broker: orders (through `OrderStore.applyBrokerOrder`, the one
 * writer of order state), positions and their trades, and account snapshots. Used by the short
 * poll loop and by reconciliation; both report what they had to correct as discrepancies.
 */
export function createBrokerSync(deps: BrokerSyncDeps) {
  const { broker, orders, db, log } = deps;
  const now = deps.now ?? (() => new Date());
  const pendingLookupAfterMs = deps.pendingLookupAfterMs ?? DEFAULT_PENDING_LOOKUP_AFTER_MS;
  const submitWindowMs = deps.submitWindowMs ?? DEFAULT_SUBMIT_WINDOW_MS;
  const positions = createPositionsRepository(db);

  const meta = (source: UpdateMeta['source'], event?: string): UpdateMeta => ({
    source,
    at: now().toISOString(),
    ...(event ? { event } : {}),
  });

  async function apply(
    o: BrokerOrderView,
    source: UpdateMeta['source'],
    found: Discrepancy[],
  ): Promise<StoredOrder | null> {
    // Unchanged since the store (this pass, an earlier one, a submission) last applied it: no write.
    if (orders.holds(o)) return null;
    const local = await orders.byClientOrderId(o.client_order_id);
    const after = await orders.applyBrokerOrder(o, meta(source), { adopt: true });
    if (local?.status === 'pending_submit' && now().getTime() - Date.parse(local.createdAt) >= pendingLookupAfterMs) {
      // An ambiguous submission that the listing settled before a lookup did.
      found.push({
        kind: 'pending_resolved',
        entityType: 'order',
        entityId: local.id,
        before: { status: local.status, error: local.error },
        after: { status: after?.status ?? o.status, brokerOrderId: o.id },
      });
    }
    if (!local) {
      found.push({
        kind: 'unknown_order',
        entityType: 'order',
        entityId: after?.id ?? o.client_order_id,
        before: null,
        after: {
          brokerOrderId: o.id,
          clientOrderId: o.client_order_id,
          symbol: o.symbol,
          side: o.side,
          status: o.status,
          qty: o.qty,
        },
      });
    }
    return after;
  }

  /** Orders: the broker's open and recently closed ones, then every local open order it did not list. */
  async function syncOrders(source: 'poll' | 'reconcile'): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    const [open, closed] = [
      await read('open orders', () => broker.listOrders({ status: 'open', limit: 500 })),
      await read('closed orders', () => broker.listOrders({ status: 'closed', limit: deps.closedOrdersLimit ?? 200 })),
    ];
    const seen = new Set<string>();
    const mark = (o: BrokerOrderView) => {
      seen.add(o.client_order_id);
      for (const leg of o.legs ?? []) mark(leg);
    };
    // Closed first: a parent's nested legs create the child rows before a leg listed on its own
    // (its parent filled and closed) is looked at.
    for (const o of [...closed].reverse()) {
      mark(o);
      await apply(o, source, found);
    }
    for (const o of [...open].reverse()) {
      mark(o);
      await apply(o, source, found);
    }

    for (const local of await orders.listOpen()) {
      if (seen.has(local.clientOrderId)) continue;
      const ageMs = now().getTime() - Date.parse(local.createdAt);
      if (local.status === 'pending_submit') {
        if (ageMs < pendingLookupAfterMs) continue;
        const there = await read('an order by client_order_id', () => broker.getOrderByClientId(local.clientOrderId));
        if (there) {
          const after = await orders.applyBrokerOrder(there, meta(source, 'lookup'), { adopt: false });
          found.push({
            kind: 'pending_resolved',
            entityType: 'order',
            entityId: local.id,
            before: { status: local.status, error: local.error },
            after: { status: after?.status ?? there.status, brokerOrderId: there.id },
          });
        } else if (ageMs >= submitWindowMs) {
          const after = await orders.markSubmitFailed(
            local.id,
            `not at the broker ${Math.round(ageMs / 1000)} s after the submission began`,
            true,
            meta(source, 'lookup_not_found'),
          );
          log.warn(
            { orderId: local.id, clientOrderId: local.clientOrderId, ageMs },
            'submission never reached the broker: failed',
          );
          found.push({
            kind: 'pending_failed',
            entityType: 'order',
            entityId: local.id,
            before: { status: local.status, error: local.error },
            after: { status: after.status, error: after.error },
          });
        }
        continue;
      }
      const there = local.brokerOrderId
        ? await read('an order', () => broker.getOrder(local.brokerOrderId as string))
        : await read('an order by client_order_id', () => broker.getOrderByClientId(local.clientOrderId));
      if (there) {
        await orders.applyBrokerOrder(there, meta(source), { adopt: false });
      } else {
        found.push({
          kind: 'order_missing',
          entityType: 'order',
          entityId: local.id,
          before: { status: local.status, brokerOrderId: local.brokerOrderId },
          after: null,
        });
      }
    }
    return found;
  }

  async function entryOf(
    row: PositionRow | null,
    p: { symbol: string; side: 'long' | 'short' },
  ): Promise<TradeOrderRow | null> {
    const recorded = row?.entryOrderId ? await positions.orderById(row.entryOrderId) : null;
    return recorded ?? positions.entryOrderFor(p.symbol, p.side);
  }

  async function fieldsOf(p: BrokerPosition, row: PositionRow | null): Promise<PositionFields> {
    const qty = Decimal.absFixed(Decimal.toFixed(p.qty, 'position qty'));
    const entry = await entryOf(row, p);
    const levels = entry ? await positions.protectiveLevels(entry.id) : { stopPrice: null, targetPrice: null };
    const positive = (v: string | null) => (v !== null && Decimal.toFixed(v) > Decimal.ZERO ? v : null);
    return {
      symbol: p.symbol,
      side: p.side,
      qty: Decimal.fixedToString(qty),
      avgEntryPrice: p.avg_entry_price,
      currentPrice: positive(p.current_price),
      marketValue: p.market_value,
      costBasis: p.cost_basis,
      unrealizedPnl: p.unrealized_pl,
      unrealizedPnlPct: p.unrealized_plpc,
      stopPrice: levels.stopPrice,
      targetPrice: levels.targetPrice,
      entryOrderId: entry?.id ?? null,
      signalId: entry?.signalId ?? null,
      openedAt: entry?.filledAt ?? now().toISOString(),
    };
  }

  async function closeRow(row: PositionRow, found: Discrepancy[], source: 'poll' | 'reconcile'): Promise<void> {
    const entry = await entryOf(row, row);
    const exit = await positions.exitOrderFor(row.symbol, row.side, entry);
    if (!exit?.filledAvgPrice) {
      await positions.close(row.id, null);
      found.push({
        kind: 'position_closed_unexplained',
        entityType: 'position',
        entityId: row.id,
        before: { symbol: row.symbol, side: row.side, qty: row.qty },
        after: null,
      });
      return;
    }
    const qty = Decimal.minFixed(Decimal.toFixed(row.qty), Decimal.toFixed(exit.filledQty));
    const result = tradeResult({
      side: row.side,
      qty: Decimal.fixedToString(qty),
      entryPrice: entry?.filledAvgPrice ?? row.avgEntryPrice,
      exitPrice: exit.filledAvgPrice,
    });
    await positions.close(row.id, {
      symbol: row.symbol,
      side: row.side,
      qty: result.qty,
      entryOrderId: entry?.id ?? row.entryOrderId,
      exitOrderId: exit.id,
      entryPrice: result.entryPrice,
      exitPrice: result.exitPrice,
      openedAt: entry?.filledAt ?? row.openedAt,
      closedAt: exit.filledAt,
      realizedPnl: result.realizedPnl,
      returnPct: result.returnPct,
      exitReason: exitReasonOf(exit),
      signalId: entry?.signalId ?? row.signalId,
      cycleId: entry?.cycleId ?? null,
    });
    // A position closed by one of our own exit orders is the normal course of a trade, not a
    // difference: the exit order itself was applied (or adopted, which was recorded).
    void source;
  }

  /** Positions: open, update and close rows until they equal the broker's. */
  async function syncPositions(source: 'poll' | 'reconcile', theirs: BrokerPosition[]): Promise<Discrepancy[]> {
    const found: Discrepancy[] = [];
    const ours = new Map((await positions.openPositions()).map((r) => [r.symbol, r]));
    for (const p of theirs) {
      if (Decimal.toFixed(p.qty) === Decimal.ZERO) continue;
      let row = ours.get(p.symbol) ?? null;
      ours.delete(p.symbol);
      if (row && row.side !== p.side) {
        await closeRow(row, found, source);
        row = null;
      }
      const fields = await fieldsOf(p, row);
      if (!row) {
        const opened = await positions.open(fields);
        // A position one of our filled orders explains only lagged behind the sync; one no order
        // of ours explains is a real difference.
        if (opened && source === 'reconcile' && fields.entryOrderId === null) {
          found.push({
            kind: 'position_unknown',
            entityType: 'position',
            entityId: p.symbol,
            before: null,
            after: fields,
          });
        }
        continue;
      }
      const differs =
        Decimal.toFixed(row.qty) !== Decimal.toFixed(fields.qty) ||
        Decimal.toFixed(row.avgEntryPrice) !== Decimal.toFixed(fields.avgEntryPrice);
      // A fill recorded after the row was last written explains the difference (the sync had not
      // got to it yet); a row written after every fill and still different was wrong.
      const lagging = differs && (await positions.fillRecordedSince(p.symbol, row.updatedAt));
      await positions.update(row.id, fields);
      if (differs && !lagging && source === 'reconcile') {
        found.push({
          kind: 'position_qty',
          entityType: 'position',
          entityId: row.id,
          before: { qty: row.qty, avgEntryPrice: row.avgEntryPrice },
          after: { qty: fields.qty, avgEntryPrice: fields.avgEntryPrice },
        });
      }
    }
    for (const row of ours.values()) await closeRow(row, found, source);

    // Round trips that opened and closed between two passes never showed as an open row.
    for (const { symbol, entry, exit } of await positions.finishedBracketsWithoutTrade()) {
      if (!entry.filledAvgPrice || !exit.filledAvgPrice) continue;
      const side = entry.side === 'buy' ? 'long' : 'short';
      const result = tradeResult({
        side,
        qty: exit.filledQty,
        entryPrice: entry.filledAvgPrice,
        exitPrice: exit.filledAvgPrice,
      });
      await positions.insertTrade({
        symbol,
        side,
        qty: result.qty,
        entryOrderId: entry.id,
        exitOrderId: exit.id,
        entryPrice: result.entryPrice,
        exitPrice: result.exitPrice,
        openedAt: entry.filledAt,
        closedAt: exit.filledAt,
        realizedPnl: result.realizedPnl,
        returnPct: result.returnPct,
        exitReason: exitReasonOf(exit),
        signalId: entry.signalId,
        cycleId: entry.cycleId,
      });
    }
    return found;
  }

  async function snapshotAccount(): Promise<void> {
    const a = await read('the account', () => broker.getAccount());
    await positions.snapshotAccount({
      at: now().toISOString(),
      equity: a.equity,
      cash: a.cash,
      buyingPower: a.buying_power,
      longMarketValue: a.long_market_value,
      shortMarketValue: a.short_market_value,
    });
  }

  return {
    /** One full pass (orders, then positions) under the sync lock. */
    pass(source: 'poll' | 'reconcile'): Promise<Discrepancy[]> {
      return withSyncLock(db, async () => {
        // Positions are read before orders: a fill that changed a position before this read is
        // then in the orders read after it, so a closed position always finds its exit order. (The
        // other way round, an exit filling between the two reads looked like a close no order explained.)
        const theirs = await read('positions', () => broker.listPositions());
        const found = await syncOrders(source);
        found.push(...(await syncPositions(source, theirs)));
        return found;
      });
    },
    snapshotAccount,
  };
}

export type BrokerSync = ReturnType<typeof createBrokerSync>;
