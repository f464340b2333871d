import { createHash } from 'node:crypto';
import {
  clientOrderId,
  dailyLossLimitReached,
  Decimal,
  DomainInputError,
  evaluateEntry,
  marketSession,
  riskLimitsFromParameters,
  riskLimitsFromSettings,
  type EntryDecision,
  type PendingEntry,
  type RiskCheck,
  type RiskLimits,
} from '@catalyst/domain';
import {
  AppError,
  Conflict,
  currentContext,
  InvalidInput,
  readAhead,
  Unprocessable,
  UpstreamBadResponse,
  type CacheBus,
  type Logger,
  type Order,
  type SubmitOrderBody,
} from '@catalyst/shared';
import type { z } from 'zod';
import { BrokerError, type Broker, type BrokerOrderRequest, type BrokerPosition } from '../broker/broker';
import { buildOrderRequest, type PositionEffect } from '../broker/order-request';
import type { StoredOrder } from '../data-access/order-store';
import type { OrdersRepository } from '../data-access/orders.repository';
import type { MarketQuote, MarketQuotes } from '../data-access/market-quote.client';
import type { PositionsRepository } from '../data-access/positions.repository';
import type { RiskDecisionsRepository } from '../data-access/risk-decisions.repository';
import type { SettingsRepository } from '../data-access/settings.repository';
import type { SignalContext, SignalsRepository } from '../data-access/signals.repository';
import type { TradingMetrics } from '../trading-metrics';
import { flattenCutoff, tradingDay } from './flatten-cutoff';
import { withLock } from './locks';

type OrderRecord = z.infer<typeof Order>;
export type SubmitOrderRequest = z.output<typeof SubmitOrderBody>;

/** The reconciliation side's gate (src/reconciliation/entry-gate.ts): consulted before any entry. */
export interface EntryGateCheck {
  check(): { open: true } | { open: false; reason: string };
}

export interface SubmitOrderDeps {
  broker: Broker;
  orders: OrdersRepository;
  settings: SettingsRepository;
  decisions: RiskDecisionsRepository;
  signals: SignalsRepository;
  positions: PositionsRepository;
  quotes: MarketQuotes;
  entryGate: EntryGateCheck;
  bus: Pick<CacheBus, 'acquireLock'>;
  metrics: TradingMetrics;
  log: Logger;
  /** The trading parameters from the environment (RISK_PER_TRADE_PCT …): the fallback of the settings rows. */
  parameters: Readonly<Record<string, unknown>>;
  /** Asked after a submission whose outcome stays unknown (reconciliation resolves it). */
  onAmbiguous?: (reason: string) => void;
  /** Tries of one submission after ambiguous failures (the same client_order_id each time). */
  submitAttempts?: number;
  /** Wait before looking an ambiguous submission up (the broker may still be writing it). */
  lookupDelayMs?: number;
  /** TRADING_FLATTEN_BEFORE_CLOSE_MINUTES: no new entries from that many minutes before the close (0: off). */
  flattenBeforeCloseMinutes?: number;
}

export interface SubmitOrderCommand {
  body: SubmitOrderRequest;
  idempotencyKey: string | undefined;
  actor: string;
  requestId?: string | undefined;
}

export interface SubmitOrderOutcome {
  order: OrderRecord;
  /** True when the key (or the signal) already had this order and nothing new was sent. */
  replayed: boolean;
  /**
   * When this request learned that the broker has the order (its answer to the submission, or a
   * lookup that found it), on this process's clock; null when nothing was sent or it is unknown.
   */
  acknowledgedAt: string | null;
}

/** Filled in by a submission when the broker is known to have the order. */
interface Acknowledgement {
  at: string | null;
}

export const IDEMPOTENCY_SCOPE = 'POST /orders';

export class RiskRejected extends AppError {
  constructor(reason: string, message: string, checks: RiskCheck[], extra: Record<string, unknown> = {}) {
    super('TRADING.RISK_REJECTED', 422, message, { reason, checks, ...extra });
  }
}

export class EntriesBlocked extends AppError {
  constructor(reason: string) {
    super('TRADING.ENTRIES_BLOCKED', 503, `new entries are held: ${reason}`, { reason });
  }
}

/** A stable hash of the request body: the same key with another body must not answer the first order. */
export function requestFingerprint(body: SubmitOrderRequest): string {
  const canonical = JSON.stringify(
    Object.keys(body)
      .sort()
      .map((k) => [k, (body as Record<string, unknown>)[k]])
      .filter(([, v]) => v !== undefined),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signedQty(positions: readonly BrokerPosition[], symbol: string): bigint {
  const p = positions.find((x) => x.symbol === symbol);
  return p ? Decimal.toFixed(p.qty) : 0n;
}

/**
 * Whether an order closes (part of) the position rather than opening or adding to one: a sell
 * while long, a buy while short, for no more than is held. Anything larger would reverse the
 * position, which is an entry.
 */
export function positionEffectOf(side: 'buy' | 'sell', held: bigint, qty: string | undefined): PositionEffect {
  const reducing = (side === 'sell' && held > 0n) || (side === 'buy' && held < 0n);
  if (!reducing) return 'open';
  if (qty === undefined) return 'close';
  const abs = held < 0n ? -held : held;
  return Decimal.toFixed(qty) <= abs ? 'close' : 'open';
}

function invalidOrder(err: DomainInputError): Unprocessable {
  return new Unprocessable(err.message, err.details, 'TRADING.INVALID_ORDER');
}

/**
 * POST /orders: one idempotent submission. The client_order_id is derived from the signal (or the
 * Idempotency-Key), the row is written pending_submit before the broker is called, an ambiguous
 * failure is resolved by looking the id up before anything is sent again, and a duplicate answer
 * adopts the order that is already there. Entries pass the halt switch, the entry gate and the
 * risk engine; exits pass neither, so flattening always works.
 */
export function createSubmitOrder(deps: SubmitOrderDeps) {
  const { broker, orders, settings, decisions, signals, metrics, log } = deps;
  const attempts = deps.submitAttempts ?? 3;
  const lookupDelayMs = deps.lookupDelayMs ?? 200;

  async function recordOf(order: StoredOrder): Promise<OrderRecord> {
    const record = await orders.record(order.id);
    if (!record) throw new Error(`order ${order.id} vanished`);
    return record;
  }

  /** An order the broker may or may not have: look it up by client_order_id, adopting what is found. */
  async function lookup(order: StoredOrder): Promise<StoredOrder | null> {
    const found = await broker.getOrderByClientId(order.clientOrderId);
    if (!found) return null;
    return orders.applyBrokerOrder(
      found,
      { source: 'submit', event: 'lookup', at: new Date().toISOString() },
      { adopt: true },
    );
  }

  /** Sends (or resolves) a pending order; counts it once the broker is known to have it. */
  async function submitPending(
    order: StoredOrder,
    request: BrokerOrderRequest,
    ack: Acknowledgement = { at: null },
  ): Promise<StoredOrder> {
    const after = await resolveOrSend(order, request, ack);
    if (order.brokerOrderId === null && after.brokerOrderId !== null) {
      metrics.ordersSubmitted.inc({ side: request.side, type: request.type });
    }
    return after;
  }

  /** Never sends under a new id; resends under the same one only after a lookup missed. */
  async function resolveOrSend(
    order: StoredOrder,
    request: BrokerOrderRequest,
    ack: Acknowledgement,
  ): Promise<StoredOrder> {
    const started = process.hrtime.bigint();
    const observe = (outcome: string) =>
      metrics.submitSeconds.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    let current = order;
    // A row left pending by an earlier try may already be at the broker.
    if (order.error !== null) {
      try {
        const found = await lookup(order);
        if (found) {
          ack.at = new Date().toISOString();
          observe('found');
          return found;
        }
      } catch (err) {
        log.warn({ err, clientOrderId: order.clientOrderId }, 'lookup before resubmission failed');
        deps.onAmbiguous?.(`lookup of ${order.clientOrderId} failed`);
        return order;
      }
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const view = await broker.submitOrder(request);
        ack.at = new Date().toISOString();
        const applied = await orders.applyBrokerOrder(view, { source: 'submit', event: 'submitted', at: ack.at });
        observe('accepted');
        return applied ?? current;
      } catch (err) {
        const kind = err instanceof BrokerError ? err.kind : 'ambiguous';
        const message = err instanceof Error ? err.message : String(err);
        if (kind === 'duplicate_client_order_id') {
          const found = await lookup(current).catch(() => null);
          if (found) {
            ack.at = new Date().toISOString();
            observe('duplicate');
            return found;
          }
          current = await orders.markSubmitFailed(current.id, message, false, meta('submit_duplicate'));
          continue;
        }
        if (kind === 'rejected' || kind === 'auth' || kind === 'not_found') {
          current = await orders.markSubmitFailed(current.id, message, true, meta('submit_refused'));
          observe('rejected');
          if (kind === 'auth') throw new UpstreamBadResponse(`the broker refused our credentials: ${message}`);
          throw new Unprocessable(
            `the broker refused the order: ${message}`,
            { orderId: current.id },
            'TRADING.BROKER_REJECTED',
          );
        }
        // Ambiguous (timeout, dropped connection, 5xx) or rate limited: the order may exist.
        current = await orders.markSubmitFailed(current.id, message, false, meta('submit_unknown'));
        log.warn({ err, clientOrderId: current.clientOrderId, attempt }, 'submission outcome unknown; looking it up');
        const wait =
          err instanceof BrokerError && err.details.retryAfterMs !== undefined
            ? Math.min(err.details.retryAfterMs, 5_000)
            : lookupDelayMs * attempt;
        await sleep(wait);
        try {
          const found = await lookup(current);
          if (found) {
            ack.at = new Date().toISOString();
            observe('found');
            return found;
          }
        } catch (lookupErr) {
          // The broker cannot be read: sending again blind is still safe (same id), but stop here
          // and leave the row to reconciliation rather than hammer a broker that is down.
          log.warn(
            { err: lookupErr, clientOrderId: current.clientOrderId },
            'lookup after an ambiguous failure failed',
          );
          break;
        }
      }
    }
    observe('unknown');
    deps.onAmbiguous?.(`submission of ${current.clientOrderId} is unresolved`);
    return current;
  }

  function meta(event: string) {
    return { source: 'submit' as const, event, at: new Date().toISOString() };
  }

  async function riskLimits(all: Record<string, unknown>): Promise<RiskLimits> {
    return riskLimitsFromSettings(all, riskLimitsFromParameters(deps.parameters));
  }

  async function pendingEntries(
    positions: readonly BrokerPosition[],
    quote: (s: string) => Promise<MarketQuote | null>,
  ) {
    const open = await orders.openEntries();
    const entries: PendingEntry[] = [];
    for (const o of open) {
      const held = signedQty(positions, o.symbol);
      const remaining = Decimal.toFixed(o.qty) - Decimal.toFixed(o.filledQty);
      if (remaining <= 0n) continue;
      if (positionEffectOf(o.side, held, Decimal.fixedToString(remaining)) === 'close') continue;
      let price = o.limitPrice ?? o.stopPrice;
      if (price === null) price = String((await quote(o.symbol))?.price ?? '0');
      entries.push({
        symbol: o.symbol,
        side: o.side === 'buy' ? 'long' : 'short',
        notional: Decimal.fixedToString(Decimal.mulFixed(remaining, Decimal.toFixed(price), 'ceil')),
      });
    }
    return entries;
  }

  async function refuse(
    cmd: SubmitOrderCommand,
    signal: SignalContext | null,
    reason: string,
    message: string,
    checks: RiskCheck[],
    extra: Record<string, unknown> = {},
  ): Promise<never> {
    const refusal = { reasonCode: reason.toUpperCase(), message, details: { checks, ...extra } };
    if (signal) await decisions.refuseSignal(signal.id, refusal);
    else {
      await decisions.refuseManual(cmd.body.symbol, refusal, {
        actor: cmd.actor,
        requestId: cmd.requestId,
        request: { ...cmd.body },
      });
    }
    metrics.riskRejections.inc({ reason });
    throw new RiskRejected(reason, message, checks, { ...extra, recordedIn: signal ? 'risk_decisions' : 'audit_log' });
  }

  /**
   * The cycle that caused this request (the `x-cycle-id` header the coordination service's client
   * forwards), when it names a cycle that exists; anything else is logged and left out.
   */
  /** The request's cycle (X-Cycle-Id), read when the request starts; used when its order is written. */
  const cycleReads = new WeakMap<SubmitOrderCommand, Promise<string | null>>();

  async function cycleOfRequest(): Promise<string | null> {
    const id = currentContext().cycleId;
    if (id === undefined) return null;
    if (UUID.test(id) && (await orders.cycleExists(id))) return id;
    log.warn({ cycleId: id }, 'x-cycle-id names no known trading cycle; the order is stored without one');
    return null;
  }

  /**
   * A signal whose own levels cannot make a valid order (the market crossed its bracket, it has no
   * stop, its symbol is not tradable) ends as a recorded refusal, like a risk refusal: the signal
   * must end as one order or one refusal. A manual order gets the plain 4xx instead.
   */
  function refuseSignalInput(
    cmd: SubmitOrderCommand,
    signal: SignalContext,
    reason: string,
    message: string,
    details: unknown,
  ): Promise<never> {
    return refuse(cmd, signal, reason, message, [], { problems: details ?? null });
  }

  async function execute(cmd: SubmitOrderCommand, fingerprint: string): Promise<SubmitOrderOutcome> {
    const { body } = cmd;
    const symbol = body.symbol;

    // The reads this request needs whatever it turns out to be, started together; each is awaited
    // where the checks reach it, in the same order and with the same answers as one by one.
    const signalRead = body.signalId !== undefined ? readAhead(signals.context(body.signalId)) : null;
    const positionsRead = readAhead(broker.listPositions());
    const assetRead = readAhead(broker.getAsset(symbol));
    const settingsRead = readAhead(settings.all());
    // A limit price is checked against the market whatever the position: its quote is needed too.
    const quoteRead = body.limitPrice !== undefined ? readAhead(deps.quotes.quote(symbol)) : null;
    cycleReads.set(cmd, readAhead(cycleOfRequest()));

    let signal: SignalContext | null = null;
    if (signalRead) {
      signal = await signalRead;
      if (!signal) {
        throw new Unprocessable(
          `signal ${body.signalId} does not exist`,
          [{ path: 'body.signalId', message: 'unknown signal' }],
          'TRADING.UNKNOWN_SIGNAL',
        );
      }
      if (signal.symbol !== symbol) {
        throw new Unprocessable(
          `signal ${signal.id} is for ${signal.symbol}, not ${symbol}`,
          [{ path: 'body.symbol', message: 'does not match the signal' }],
          'TRADING.SIGNAL_MISMATCH',
        );
      }
      if (signal.action !== body.side) {
        throw new Unprocessable(
          `signal ${signal.id} says ${signal.action}, not ${body.side}`,
          [{ path: 'body.side', message: 'does not match the signal' }],
          'TRADING.SIGNAL_MISMATCH',
        );
      }
    }

    const positions = await positionsRead;
    const held = signedQty(positions, symbol);
    const effect = positionEffectOf(body.side, held, body.qty);
    const cid = signal
      ? clientOrderId({ signalId: signal.id, intent: effect === 'close' ? 'exit' : 'entry' })
      : clientOrderId({ idempotencyKey: cmd.idempotencyKey!, scope: IDEMPOTENCY_SCOPE });

    const existing = await orders.byClientOrderId(cid);
    if (existing) return replay(cmd, existing, fingerprint, signal, effect);

    if (signal) {
      if (signal.status === 'refused') {
        const last = await decisions.lastRefusal(signal.id);
        const checks = (last?.details.checks as RiskCheck[] | undefined) ?? [];
        throw new RiskRejected(
          last?.reasonCode.toLowerCase() ?? 'refused',
          last?.message ?? 'the signal was refused',
          checks,
          { replayed: true },
        );
      }
      if (signal.status === 'executed') {
        throw new Conflict(
          `signal ${signal.id} already has its order`,
          { signalId: signal.id },
          'TRADING.SIGNAL_ALREADY_EXECUTED',
        );
      }
      if (signal.status === 'rejected' || signal.status === 'expired') {
        throw new Unprocessable(
          `signal ${signal.id} is ${signal.status}`,
          { signalId: signal.id },
          'TRADING.SIGNAL_NOT_ACTIONABLE',
        );
      }
    }

    // Bad input is answered before anything is sent: the symbol, the quantity, the prices.
    const asset = await assetRead;
    if (signal && (!asset || asset.status !== 'active' || !asset.tradable)) {
      const why = !asset || asset.status !== 'active' ? 'the broker has no such asset' : 'not tradable at the broker';
      return refuseSignalInput(
        cmd,
        signal,
        !asset || asset.status !== 'active' ? 'unknown_symbol' : 'not_tradable',
        `${symbol}: ${why}`,
        [{ path: 'body.symbol', message: why }],
      );
    }
    if (!asset || asset.status !== 'active') {
      throw new Unprocessable(
        `unknown symbol ${symbol}`,
        [{ path: 'body.symbol', message: 'the broker has no such asset' }],
        'TRADING.UNKNOWN_SYMBOL',
      );
    }
    if (!asset.tradable) {
      throw new Unprocessable(
        `${symbol} is not tradable`,
        [{ path: 'body.symbol', message: 'not tradable at the broker' }],
        'TRADING.NOT_TRADABLE',
      );
    }
    if (body.qty !== undefined && Decimal.toFixed(body.qty) % Decimal.ONE !== 0n && !asset.fractionable) {
      throw new Unprocessable(
        `${symbol} is not fractionable: qty must be whole shares`,
        [{ path: 'body.qty', message: 'fractional quantity not allowed' }],
        'TRADING.INVALID_ORDER',
      );
    }
    const all = await settingsRead;
    const limits = await riskLimits(all);
    const needsQuote = effect === 'open' || body.limitPrice !== undefined;
    const quote = quoteRead ? await quoteRead : needsQuote ? await deps.quotes.quote(symbol) : null;
    if (needsQuote && !quote) {
      throw new Unprocessable(
        `no market price for ${symbol}`,
        [{ path: 'body.symbol', message: 'no last trade' }],
        'TRADING.NO_MARKET_PRICE',
      );
    }

    const stopLoss = body.stopLoss ?? (effect === 'open' ? (signal?.stopPrice ?? undefined) : undefined);
    const takeProfit =
      body.takeProfit ??
      (effect === 'open' && body.stopLoss === undefined ? (signal?.targetPrice ?? undefined) : undefined);
    const buildRequest = (qty: { qty?: string; notional?: string }): BrokerOrderRequest => {
      try {
        return buildRawRequest(qty);
      } catch (err) {
        if (err instanceof DomainInputError) throw invalidOrder(err);
        throw err;
      }
    };
    const buildRawRequest = (qty: { qty?: string; notional?: string }): BrokerOrderRequest =>
      buildOrderRequest({
        clientOrderId: cid,
        symbol,
        side: body.side,
        positionEffect: effect,
        ...qty,
        ...(body.type === 'trailing_stop' ? {} : { type: body.type }),
        ...(body.limitPrice !== undefined ? { limitPrice: body.limitPrice } : {}),
        ...(body.stopPrice !== undefined ? { stopPrice: body.stopPrice } : {}),
        ...(effect === 'open' && stopLoss !== undefined ? { stopLoss } : {}),
        ...(effect === 'open' && takeProfit !== undefined ? { takeProfit } : {}),
        ...(body.trailPercent !== undefined ? { trailingStop: { percent: body.trailPercent } } : {}),
        timeInForce: body.timeInForce,
        extendedHours: body.extendedHours,
        ...(quote ? { marketPrice: quote.price } : {}),
        maxLimitDistancePct: limits.maxLimitDistancePct,
      });
    if (effect === 'close' && (body.stopLoss !== undefined || body.takeProfit !== undefined)) {
      throw new Unprocessable(
        'an order that closes a position cannot carry stopLoss or takeProfit',
        [{ path: 'body.stopLoss', message: 'not on an exit' }],
        'TRADING.INVALID_ORDER',
      );
    }
    // Validates everything but the size (a signal's entry is sized below).
    try {
      buildRawRequest(body.notional !== undefined ? { notional: body.notional } : { qty: body.qty ?? '1' });
    } catch (err) {
      if (!(err instanceof DomainInputError)) throw err;
      if (signal && err.code === 'INVALID_BRACKET') {
        return refuseSignalInput(
          cmd,
          signal,
          'invalid_bracket',
          err.message,
          (err.details as { problems?: unknown })?.problems,
        );
      }
      throw invalidOrder(err);
    }

    if (effect === 'close') {
      const qty =
        body.notional !== undefined
          ? { notional: body.notional }
          : { qty: body.qty ?? Decimal.fixedToString(held < 0n ? -held : held) };
      const request = buildRequest(qty);
      return send(cmd, cid, request, fingerprint, null);
    }

    // An entry: one at a time across replicas, so two entries cannot both pass a limit that only
    // one of them fits in (the pending row written under the lock counts for the next one).
    return withLock(deps.bus, 'trading:entries', () =>
      enter(cmd, {
        signal,
        symbol,
        cid,
        fingerprint,
        positions,
        asset,
        all,
        limits,
        quote,
        stopLoss,
        takeProfit,
        buildRequest,
      }),
    );
  }

  async function enter(
    cmd: SubmitOrderCommand,
    ctx: {
      signal: SignalContext | null;
      symbol: string;
      cid: string;
      fingerprint: string;
      positions: BrokerPosition[];
      asset: { fractionable: boolean };
      all: Record<string, unknown>;
      limits: RiskLimits;
      quote: MarketQuote | null;
      stopLoss: string | undefined;
      takeProfit: string | undefined;
      buildRequest: (qty: { qty?: string; notional?: string }) => BrokerOrderRequest;
    },
  ): Promise<SubmitOrderOutcome> {
    const { body } = cmd;
    const {
      signal,
      symbol,
      cid,
      fingerprint,
      positions,
      asset,
      all,
      limits,
      quote,
      stopLoss,
      takeProfit,
      buildRequest,
    } = ctx;
    // Another request may have sent this very order while this one waited for the lock.
    const haltRead = readAhead(settings.halt());
    const raced = await orders.byClientOrderId(cid);
    if (raced) return replay(cmd, raced, fingerprint, signal, 'open');
    const halt = await haltRead;
    if (halt.halted) {
      throw new Conflict(
        'trading is halted: no new entries (exits are still accepted)',
        { haltedBy: halt.updatedBy, since: halt.updatedAt },
        'TRADING.TRADING_HALTED',
      );
    }
    const gate = deps.entryGate.check();
    if (!gate.open) throw new EntriesBlocked(gate.reason);
    if (stopLoss === undefined && signal) {
      return refuseSignalInput(
        cmd,
        signal,
        'stop_loss_required',
        `signal ${signal.id} has no stop: an entry needs one (the risk per trade is measured to it)`,
        [{ path: 'body.stopLoss', message: 'required for an entry' }],
      );
    }
    if (stopLoss === undefined) {
      throw new Unprocessable(
        'an entry needs a stopLoss: the risk per trade is measured to it',
        [{ path: 'body.stopLoss', message: 'required for an entry' }],
        'TRADING.STOP_LOSS_REQUIRED',
      );
    }
    if (body.type === 'trailing_stop') {
      throw new Unprocessable(
        'a trailing stop cannot open a position here (it cannot carry a protective stop)',
        [{ path: 'body.type', message: 'not for an entry' }],
        'TRADING.INVALID_ORDER',
      );
    }
    if (approvalNeeded(all) && signal && signal.status !== 'approved') {
      throw new Unprocessable(
        `signal ${signal.id} waits for an operator's approval`,
        { signalId: signal.id },
        'TRADING.SIGNAL_NOT_APPROVED',
      );
    }

    const quoteCache = new Map<string, Promise<MarketQuote | null>>([[symbol, Promise.resolve(quote)]]);
    const quoteOf = (s: string) => {
      let q = quoteCache.get(s);
      if (!q) quoteCache.set(s, (q = deps.quotes.quote(s)));
      return q;
    };
    const [account, clock, realized, lastExits, pending] = await Promise.all([
      broker.getAccount(),
      broker.getClock(),
      deps.positions.realizedPnlToday(),
      deps.positions.lastExits(),
      pendingEntries(positions, quoteOf),
    ]);
    const now = clock.timestamp;
    const marketNow = Date.parse(now.replace(/(\.\d{3})\d+/, '$1'));
    const latchDay = newYorkDate(marketNow);
    if (signal?.expiresAt && Date.parse(signal.expiresAt) <= marketNow) {
      return refuse(cmd, signal, 'signal_expired', `signal ${signal.id} expired at ${signal.expiresAt}`, []);
    }
    const flattenAt = flattenCutoff(clock, deps.flattenBeforeCloseMinutes ?? 0, all.flatten_before_close_latch);
    if (flattenAt !== null) {
      return refuse(
        cmd,
        signal,
        'after_flatten_time',
        `no new entries after ${flattenAt} today: positions are flattened before the close`,
        [],
        { flattenAt },
      );
    }
    const portfolio = {
      equity: account.equity,
      buyingPower: account.buying_power,
      dayStartEquity: account.last_equity,
      realizedPnlToday: realized,
      dailyLossLimitHit: all.daily_loss_latch === latchDay,
      positions: positions.map((p) => ({
        symbol: p.symbol,
        side: p.side,
        qty: p.qty,
        avgPrice: p.avg_entry_price,
        currentPrice: p.current_price ?? p.avg_entry_price,
      })),
      pendingEntries: pending,
      lastExitAt: lastExits,
    };
    // The latch holds for the rest of the trading day once the loss is reached, whatever else refuses.
    if (!portfolio.dailyLossLimitHit && dailyLossLimitReached(portfolio, limits).reached) {
      await settings.latchDailyLoss(latchDay);
    }
    const orderType = body.type === 'market' ? 'market' : 'limit';
    const entry = body.limitPrice ?? body.stopPrice ?? String(quote!.price);
    const decision: EntryDecision = evaluateEntry(
      {
        symbol,
        side: body.side === 'buy' ? 'long' : 'short',
        orderType,
        entry,
        stop: stopLoss,
        target: takeProfit ?? null,
        price: quote!.price,
        avgVolume: quote!.avgVolume ?? 0,
        // A manual order is the operator's own decision, made now, without news: the signal and news
        // checks pass by construction for it; every other limit applies.
        signalAt: signal?.createdAt ?? now,
        catalyst: signal
          ? signal.catalyst
          : { publishedAt: now, sources: [{ name: 'manual', circuitState: 'closed' }] },
        fractionable: asset.fractionable,
      },
      portfolio,
      limits,
      { now, session: marketSession(marketNow), halted: account.trading_blocked },
    );
    if (!decision.approved) {
      if (decision.reason === 'daily_loss_limit') await settings.latchDailyLoss(latchDay);
      return refuse(cmd, signal, decision.reason, decision.message, decision.checks, { sizing: decision.sizing });
    }

    // The engine's size is the most this entry may be; a caller may ask for less, never more.
    let size: { qty?: string; notional?: string };
    if (body.qty !== undefined) {
      if (Decimal.toFixed(body.qty) > Decimal.toFixed(decision.qty)) {
        return refuse(
          cmd,
          signal,
          'size_above_limit',
          `qty ${body.qty} is above the ${decision.qty} the limits allow (${decision.sizing.binding} binds)`,
          decision.checks,
          { sizing: decision.sizing },
        );
      }
      size = { qty: body.qty };
    } else if (body.notional !== undefined) {
      if (Decimal.toFixed(body.notional) > Decimal.toFixed(decision.cost)) {
        return refuse(
          cmd,
          signal,
          'size_above_limit',
          `notional ${body.notional} is above the ${decision.cost} the limits allow (${decision.sizing.binding} binds)`,
          decision.checks,
          { sizing: decision.sizing },
        );
      }
      size = { notional: body.notional };
    } else {
      size = { qty: decision.qty };
    }
    const request = buildRequest(size);
    return send(cmd, cid, request, fingerprint, signal ? { signalId: signal.id, decision } : null);
  }

  async function send(
    cmd: SubmitOrderCommand,
    cid: string,
    request: BrokerOrderRequest,
    fingerprint: string,
    approval: { signalId: string; decision: Extract<EntryDecision, { approved: true }> } | null,
  ): Promise<SubmitOrderOutcome> {
    const provisionalQty =
      request.qty ??
      // A notional order's quantity is unknown until it fills; the row holds notional ÷ price meanwhile.
      Decimal.fixedToString(
        Decimal.divFixed(
          Decimal.toFixed(request.notional!),
          Decimal.toFixed(request.limit_price ?? String((await deps.quotes.quote(request.symbol))?.price ?? '1')),
          'ceil',
        ),
      );
    const pending = {
      clientOrderId: cid,
      signalId: approval?.signalId ?? cmd.body.signalId ?? null,
      cycleId: await (cycleReads.get(cmd) ?? cycleOfRequest()),
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      timeInForce: request.time_in_force,
      orderClass: request.order_class ?? 'simple',
      qty: provisionalQty,
      limitPrice: request.limit_price ?? null,
      stopPrice: request.stop_price ?? null,
      trailPrice: request.trail_price ?? null,
      trailPercent: request.trail_percent ?? null,
      extendedHours: request.extended_hours ?? false,
      takeProfitPrice: request.take_profit?.limit_price ?? null,
      stopLossPrice: request.stop_loss?.stop_price ?? null,
      requestFingerprint: fingerprint,
      brokerRequest: request,
    };
    const { order, created } = approval
      ? await orders.insertPendingWithDecision(pending, {
          signalId: approval.signalId,
          qty: request.qty ?? approval.decision.qty,
          details: {
            request: { ...cmd.body },
            sizing: approval.decision.sizing,
            prices: approval.decision.prices,
            checks: approval.decision.checks,
          },
        })
      : await orders.insertPending(pending);
    if (!created) return replay(cmd, order, fingerprint, null, 'open');
    const ack: Acknowledgement = { at: null };
    const after = await submitPending(order, request, ack);
    return { order: await recordOf(after), replayed: false, acknowledgedAt: ack.at };
  }

  async function replay(
    cmd: SubmitOrderCommand,
    existing: StoredOrder,
    fingerprint: string,
    _signal: SignalContext | null,
    _effect: PositionEffect,
  ): Promise<SubmitOrderOutcome> {
    const stored = await orders.fingerprintOf(existing.clientOrderId);
    if (stored !== null && stored !== fingerprint) {
      throw new Conflict(
        cmd.body.signalId !== undefined
          ? `signal ${cmd.body.signalId} already has an order from a different request`
          : `Idempotency-Key ${JSON.stringify(cmd.idempotencyKey)} was already used with a different request body`,
        { clientOrderId: existing.clientOrderId, orderId: existing.id },
        'TRADING.IDEMPOTENCY_KEY_REUSED',
      );
    }
    let order = existing;
    const ack: Acknowledgement = { at: null };
    if (existing.status === 'pending_submit' && existing.error !== null) {
      // An earlier try ended without knowing; the same request may resolve it (lookup, then resend under the same id).
      const request = await rebuild(cmd, existing);
      if (request) order = await submitPending(existing, request, ack);
    }
    if (order.status === 'rejected' && order.brokerOrderId === null) {
      throw new Unprocessable(
        `the broker refused the order: ${order.error ?? 'rejected'}`,
        { orderId: order.id },
        'TRADING.BROKER_REJECTED',
      );
    }
    return { order: await recordOf(order), replayed: true, acknowledgedAt: ack.at };
  }

  /** The broker request of a row still pending: exactly what was decided and sent then, not a new decision. */
  async function rebuild(_cmd: SubmitOrderCommand, row: StoredOrder): Promise<BrokerOrderRequest | null> {
    return orders.sentRequest(row.id);
  }

  return {
    async submit(cmd: SubmitOrderCommand): Promise<SubmitOrderOutcome> {
      const key = cmd.idempotencyKey;
      if (key === undefined || key.length === 0 || key.length > 255) {
        throw new InvalidInput('the Idempotency-Key header is required (1..255 characters)', [
          { path: 'headers.idempotency-key', message: key === undefined ? 'required' : 'must be 1..255 characters' },
        ]);
      }
      const fingerprint = requestFingerprint(cmd.body);
      // One request per key (or signal) at a time: a concurrent twin waits, then finds the order.
      const lockKey =
        cmd.body.signalId !== undefined
          ? `signal:${cmd.body.signalId}`
          : `key:${clientOrderId({ idempotencyKey: key, scope: IDEMPOTENCY_SCOPE })}`;
      return withLock(deps.bus, `trading:submit:${lockKey}`, () => execute(cmd, fingerprint));
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function approvalNeeded(all: Record<string, unknown>): boolean {
  return all.approval_mode === true;
}

/** The trading day (New York date) of an instant, for the daily loss latch. */
export function newYorkDate(epochMs: number): string {
  return tradingDay(epochMs);
}

export type SubmitOrder = ReturnType<typeof createSubmitOrder>;
