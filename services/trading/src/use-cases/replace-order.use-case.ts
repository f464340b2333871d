import { createHash } from 'node:crypto';
import { decideReplace, Decimal, DomainInputError, replacementClientOrderId } from '@catalyst/domain';
import {
  AppError,
  Conflict,
  NotFound,
  Unprocessable,
  UpstreamBadResponse,
  type CacheBus,
  type Db,
  type Logger,
  type Order,
  type ReplaceOrderBody,
} from '@catalyst/shared';
import type { z } from 'zod';
import { BrokerError, type Broker } from '../broker/broker';
import { buildReplaceRequest } from '../broker/order-request';
import type { StoredOrder } from '../data-access/order-store';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { TradingMetrics } from '../trading-metrics';
import { withLock } from './locks';

type OrderRecord = z.infer<typeof Order>;
export type ReplaceOrderRequest = z.output<typeof ReplaceOrderBody>;
type ReplaceChange = ReturnType<typeof buildReplaceRequest>;

export interface ReplaceOrderDeps {
  broker: Broker;
  orders: OrdersRepository;
  db: Db;
  bus: Pick<CacheBus, 'acquireLock'>;
  metrics: Pick<TradingMetrics, 'ordersSubmitted'>;
  log: Logger;
  /** Sends of one replacement (same client_order_id) after ambiguous failures. */
  submitAttempts?: number;
  /** Wait before looking an ambiguous replacement up. */
  lookupDelayMs?: number;
  /** Asked when a replacement's outcome stays unknown (reconciliation resolves the pending row). */
  onAmbiguous?: (reason: string) => void;
}

export interface ReplaceOrderOutcome {
  order: OrderRecord;
  /** True when this change had already been made (or refused) and nothing was sent. */
  replayed: boolean;
}

export class StopLoosened extends AppError {
  constructor(message: string, details: Record<string, unknown>) {
    super('TRADING.STOP_LOOSENED', 422, message, details);
  }
}

interface Audit {
  actor: string;
  requestId?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The replacement number of an order's own client_order_id (`…-r<n>`), 0 for an original. */
function replacementNumber(clientOrderId: string): number {
  const m = /-r(\d+)$/.exec(clientOrderId);
  return m ? Number(m[1]) : 0;
}

/** A hash of the change as it goes to the broker, without its id: the same change gives the same hash. */
function changeFingerprint(change: ReplaceChange): string {
  const { client_order_id: _id, ...rest } = change;
  const canonical = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(`replace|${canonical}`).digest('hex');
}

/**
 * Whether moving a protective stop to `next` loosens it: a long's stop-loss leg is a sell stop, so a
 * lower stop risks more; a short's is a buy stop, so a higher one does.
 */
export function loosensStop(legSide: 'buy' | 'sell', current: string, next: string): boolean {
  const a = Decimal.toFixed(current);
  const b = Decimal.toFixed(next);
  return legSide === 'sell' ? b < a : b > a;
}

/**
 * PATCH /orders/:id: cancel and replace. The domain decides whether the order can be replaced; the
 * replacement gets the deterministic id `replacementClientOrderId(original, n)` (n = the old order's
 * own number + 1, then + 1 for each earlier attempt the broker refused outright), and its row is
 * written pending_submit with `replaces` before the broker is called. The same change again answers
 * the same new order and sends nothing. After an ambiguous failure the replacement is looked up by
 * its client_order_id before anything is sent again (under the same id: a duplicate comes back as
 * such). The old row turns `replaced` when the broker says so (read right after the replace, and by
 * the sync).
 */
export function createReplaceOrder(deps: ReplaceOrderDeps) {
  const { broker, orders, log } = deps;
  const attempts = deps.submitAttempts ?? 3;
  const lookupDelayMs = deps.lookupDelayMs ?? 200;
  const meta = (event: string) => ({ source: 'submit' as const, event, at: new Date().toISOString() });

  async function recordOf(order: StoredOrder): Promise<OrderRecord> {
    const record = await orders.record(order.id);
    if (!record) throw new Error(`order ${order.id} vanished`);
    return record;
  }

  /** The old order as the broker reports it now (its `replaced` transition), and the legs moved over. */
  async function settle(old: StoredOrder, next: StoredOrder, hadLegs: boolean): Promise<void> {
    if (hadLegs) await orders.relinkLegs(old.id, next.id);
    try {
      const view = old.brokerOrderId ? await broker.getOrder(old.brokerOrderId) : null;
      if (view) await orders.applyBrokerOrder(view, meta('replaced'));
    } catch (err) {
      // The sync applies it on its next pass; the replacement itself is already recorded.
      log.warn({ err, orderId: old.id }, 'could not read the replaced order back');
    }
  }

  async function lookup(pending: StoredOrder): Promise<StoredOrder | null> {
    const found = await broker.getOrderByClientId(pending.clientOrderId);
    if (!found) return null;
    return orders.applyBrokerOrder(found, meta('lookup'));
  }

  /** Sends (or resolves) the pending replacement; never under another id. */
  async function send(old: StoredOrder, pending: StoredOrder, change: ReplaceChange): Promise<StoredOrder> {
    let current = pending;
    if (pending.error !== null) {
      const found = await lookup(pending).catch((err: unknown) => {
        log.warn({ err, clientOrderId: pending.clientOrderId }, 'lookup before resending a replacement failed');
        return undefined;
      });
      if (found) return found;
      if (found === undefined) {
        deps.onAmbiguous?.(`lookup of replacement ${pending.clientOrderId} failed`);
        return pending;
      }
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const view = await broker.replaceOrder(old.brokerOrderId!, change);
        const applied = (await orders.applyBrokerOrder(view, meta('replace'))) ?? current;
        deps.metrics.ordersSubmitted.inc({ side: applied.side, type: applied.type });
        await settle(old, applied, (view.legs ?? []).length > 0);
        return applied;
      } catch (err) {
        const kind = err instanceof BrokerError ? err.kind : 'ambiguous';
        const message = err instanceof Error ? err.message : String(err);
        if (kind === 'duplicate_client_order_id') {
          const found = await lookup(current).catch(() => null);
          if (found) {
            await settle(old, found, false);
            return found;
          }
          current = await orders.markSubmitFailed(current.id, message, false, meta('replace_duplicate'));
          continue;
        }
        if (kind === 'rejected' || kind === 'auth' || kind === 'not_found') {
          current = await orders.markSubmitFailed(current.id, message, true, meta('replace_refused'));
          if (kind === 'auth') throw new UpstreamBadResponse(`the broker refused our credentials: ${message}`);
          throw new Unprocessable(
            `the broker refused the replacement: ${message}`,
            { orderId: old.id, replacementId: current.id },
            'TRADING.BROKER_REJECTED',
          );
        }
        current = await orders.markSubmitFailed(current.id, message, false, meta('replace_unknown'));
        log.warn({ err, clientOrderId: current.clientOrderId, attempt }, 'replacement outcome unknown; looking it up');
        const wait =
          err instanceof BrokerError && err.details.retryAfterMs !== undefined
            ? Math.min(err.details.retryAfterMs, 5_000)
            : lookupDelayMs * attempt;
        await sleep(wait);
        try {
          const found = await lookup(current);
          if (found) {
            await settle(old, found, false);
            return found;
          }
        } catch (lookupErr) {
          log.warn({ err: lookupErr, clientOrderId: current.clientOrderId }, 'lookup of a replacement failed');
          break;
        }
      }
    }
    deps.onAmbiguous?.(`replacement ${current.clientOrderId} is unresolved`);
    return current;
  }

  /** The change in the broker's terms, validated against what the order is; no broker call on a refusal. */
  async function changeFor(old: StoredOrder, body: ReplaceOrderRequest, clientOrderId: string): Promise<ReplaceChange> {
    const wrong = (field: string, message: string) =>
      new Unprocessable(message, [{ path: `body.${field}`, message }], 'TRADING.INVALID_ORDER');
    if (body.limitPrice !== undefined && old.type !== 'limit' && old.type !== 'stop_limit')
      throw wrong('limitPrice', `a ${old.type} order has no limit price to replace`);
    if (body.stopPrice !== undefined && old.type !== 'stop' && old.type !== 'stop_limit')
      throw wrong('stopPrice', `a ${old.type} order has no stop price to replace`);
    if (body.trailPercent !== undefined) {
      if (old.type !== 'trailing_stop') throw wrong('trailPercent', `a ${old.type} order has no trail to replace`);
      if ((await orders.trailOf(old.id)).trailPercent === null)
        throw wrong('trailPercent', 'this trailing stop trails by a price, not a percent');
    }
    if (body.qty !== undefined && Decimal.toFixed(body.qty) <= Decimal.toFixed(old.filledQty))
      throw wrong('qty', `qty must be above what has already filled (${old.filledQty})`);
    try {
      return buildReplaceRequest(old, {
        ...(body.qty !== undefined ? { qty: body.qty } : {}),
        ...(body.limitPrice !== undefined ? { limitPrice: body.limitPrice } : {}),
        ...(body.stopPrice !== undefined ? { stopPrice: body.stopPrice } : {}),
        ...(body.trailPercent !== undefined ? { trail: body.trailPercent } : {}),
        clientOrderId,
      });
    } catch (err) {
      if (err instanceof DomainInputError) throw new Unprocessable(err.message, err.details, 'TRADING.INVALID_ORDER');
      throw err;
    }
  }

  async function audited(old: StoredOrder, after: StoredOrder, audit: Audit): Promise<void> {
    await deps.db.query(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
       VALUES ($1, 'order.replace', 'order', $2, $3, $4, $5)`,
      [
        audit.actor,
        old.id,
        JSON.stringify({ status: old.status, qty: old.qty, limitPrice: old.limitPrice, stopPrice: old.stopPrice }),
        JSON.stringify({
          replacementId: after.id,
          clientOrderId: after.clientOrderId,
          status: after.status,
          qty: after.qty,
          limitPrice: after.limitPrice,
          stopPrice: after.stopPrice,
        }),
        audit.requestId ?? null,
      ],
    );
  }

  async function replace(id: string, body: ReplaceOrderRequest, audit: Audit): Promise<ReplaceOrderOutcome> {
    const old = await orders.byId(id);
    if (!old) throw new NotFound(`Order ${id} not found`, undefined, 'TRADING.ORDER_NOT_FOUND');

    const earlier = old.brokerOrderId ? await orders.replacementsOf(old.brokerOrderId) : [];
    // Attempts the broker refused outright never reached it: their ids are spent here, not there.
    const refused = earlier.filter((o) => o.status === 'rejected' && o.brokerOrderId === null);
    const live = earlier.find((o) => !refused.includes(o));
    const n = replacementNumber(old.clientOrderId) + 1 + refused.length;
    const change = await changeFor(old, body, replacementClientOrderId(old.clientOrderId, n));
    const fingerprint = changeFingerprint(change);

    if (live) {
      if ((await orders.fingerprintOf(live.clientOrderId)) !== fingerprint) {
        throw new Conflict(
          `order ${id} was already replaced by order ${live.id}; change that one instead`,
          { orderId: id, replacementId: live.id },
          'TRADING.ORDER_REPLACED',
        );
      }
      const order =
        live.status === 'pending_submit'
          ? await send(old, live, { ...change, client_order_id: live.clientOrderId })
          : live;
      return { order: await recordOf(order), replayed: true };
    }
    const lastRefused = refused.at(-1);
    if (lastRefused && (await orders.fingerprintOf(lastRefused.clientOrderId)) === fingerprint) {
      throw new Unprocessable(
        `the broker refused the replacement: ${lastRefused.error ?? 'rejected'}`,
        { orderId: id, replacementId: lastRefused.id, replayed: true },
        'TRADING.BROKER_REJECTED',
      );
    }

    const decision = decideReplace({ ...old, brokerUpdatedAt: null });
    if (decision.action === 'none') {
      throw new Conflict(
        `order ${id} cannot be replaced: ${decision.reason}`,
        { status: old.status },
        'TRADING.ORDER_NOT_REPLACEABLE',
      );
    }
    if (old.leg === 'stop_loss' && change.stop_price !== undefined && old.stopPrice !== null && !body.allowLoosen) {
      if (loosensStop(old.side, old.stopPrice, change.stop_price)) {
        throw new StopLoosened(
          `moving the protective stop from ${old.stopPrice} to ${change.stop_price} loosens it (more risk); ` +
            'send allowLoosen: true to do it anyway',
          { orderId: id, stopPrice: old.stopPrice, requested: change.stop_price },
        );
      }
    }

    const remaining = Decimal.fixedToString(Decimal.toFixed(old.qty) - Decimal.toFixed(old.filledQty));
    const trail = old.type === 'trailing_stop' ? await orders.trailOf(old.id) : null;
    const { order: pending, created } = await orders.insertPendingReplacement(
      {
        clientOrderId: change.client_order_id!,
        signalId: old.signalId,
        cycleId: old.cycleId,
        symbol: old.symbol,
        side: old.side,
        type: old.type,
        timeInForce: old.timeInForce,
        orderClass: old.orderClass,
        qty: change.qty ?? remaining,
        limitPrice: change.limit_price ?? old.limitPrice,
        stopPrice: change.stop_price ?? old.stopPrice,
        trailPrice: trail?.trailPrice ?? null,
        trailPercent: change.trail ?? trail?.trailPercent ?? null,
        extendedHours: false,
        requestFingerprint: fingerprint,
      },
      { replaces: decision.brokerOrderId, parentOrderId: old.parentOrderId, leg: old.leg },
    );
    if (!created) {
      throw new Conflict(
        `client_order_id ${change.client_order_id} is already taken by another order`,
        { orderId: pending.id },
        'TRADING.ORDER_REPLACED',
      );
    }
    const after = await send(old, pending, change);
    await audited(old, after, audit);
    return { order: await recordOf(after), replayed: false };
  }

  return {
    /** One replacement at a time per order: a concurrent twin waits, then finds the first one's result. */
    replace(id: string, body: ReplaceOrderRequest, audit: Audit): Promise<ReplaceOrderOutcome> {
      return withLock(deps.bus, `trading:replace:${id}`, () => replace(id, body, audit));
    },
  };
}

export type ReplaceOrder = ReturnType<typeof createReplaceOrder>;
