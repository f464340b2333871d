import { errors as sdkErrors, trading } from '@alpacahq/alpaca-trade-api';
import { Decimal, isOnTick } from '@catalyst/domain';
import type { Logger } from '@catalyst/shared';
import {
  BrokerError,
  type Broker,
  type BrokerAccount,
  type BrokerAsset,
  type BrokerClock,
  type BrokerOrderRequest,
  type BrokerOrderView,
  type BrokerPosition,
  type OrderSide,
  type OrderType,
  type TimeInForce,
} from './broker';

export interface AlpacaBrokerOptions {
  /** ALPACA_BASE_URL: Alpaca's trading host, or the simulator's URL. */
  baseUrl: string;
  keyId: string;
  secret: string;
  /** Deadline of one HTTP attempt, body included. Default 10 s. */
  timeoutMs?: number;
  log?: Logger;
  /** Retries of a GET after a transient failure (5xx, timeout, dropped connection, 429). Default 2. */
  getRetries?: number;
  /** Base of the exponential backoff between GET retries. Default 200 ms. */
  retryBaseMs?: number;
  /** Longest wait before a GET retry; a 429 asking for longer is passed to the caller. Default 5 s. */
  maxRetryDelayMs?: number;
  /** The fetch the SDK uses (tests wrap it to see what went on the wire). */
  fetchApi?: typeof fetch;
}

/** The trading service's ALPACA_* settings, as `createAlpacaBroker` takes them. */
export function alpacaBrokerOptions(
  config: { ALPACA_BASE_URL: string; ALPACA_API_KEY?: string | undefined; ALPACA_SECRET_KEY?: string | undefined },
  log?: Logger,
): AlpacaBrokerOptions {
  // Demo mode has no keys; the simulator takes any non-empty pair, and Alpaca itself would answer 401.
  return {
    baseUrl: config.ALPACA_BASE_URL,
    keyId: config.ALPACA_API_KEY ?? 'demo',
    secret: config.ALPACA_SECRET_KEY ?? 'demo',
    ...(log ? { log } : {}),
  };
}

type Json = Record<string, unknown>;
type Attempt = (init: RequestInit) => Promise<Response>;

/** Alpaca's cap on `GET /v2/orders?limit=`. */
const MAX_LIST_LIMIT = 500;
/** What a 429 without Retry-After or X-RateLimit-Reset is assumed to ask for. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;
const FINAL_STATUSES = new Set(['filled', 'canceled', 'expired', 'replaced', 'rejected']);

/**
 * The `Broker` on Alpaca's Trading API v2 (or the simulator speaking it), through the official SDK's
 * raw `trading.*Api` classes: they take a `basePath` (the `Alpaca` facade ignores one) and have the
 * SDK's own retries and rate limiting off, so retrying is decided here, once. Responses are read from
 * the wire JSON, not the SDK's camelCase models, which turn timestamps into `Date`s (losing Alpaca's
 * nanoseconds) and drop unknown fields; the original object is kept in `raw`.
 *
 * Failures become `BrokerError`s. Only GETs are retried; an order POST, a PATCH or a DELETE is sent
 * exactly once, because a request that reached Alpaca may have taken effect even when its answer was
 * lost.
 */
export function createAlpacaBroker(options: AlpacaBrokerOptions): Broker {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const getRetries = options.getRetries ?? 2;
  const retryBaseMs = options.retryBaseMs ?? 200;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  const log = options.log;
  const configuration = new trading.Configuration({
    basePath: options.baseUrl.replace(/\/+$/, ''),
    keyId: options.keyId,
    secret: options.secret,
    // The deadline is the per-call AbortSignal below; the SDK's own timer would only duplicate it.
    timeoutMs: 0,
    ...(options.fetchApi ? { fetchApi: options.fetchApi } : {}),
  });
  const orders = new trading.OrdersApi(configuration);
  const positions = new trading.PositionsApi(configuration);
  const accounts = new trading.AccountsApi(configuration);
  const assets = new trading.AssetsApi(configuration);
  const clock = new trading.ClockApi(configuration);

  /** One attempt: the call, its body read as JSON, both under one deadline. */
  async function once(operation: string, attempt: Attempt): Promise<unknown> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await attempt({ signal });
      if (response.status === 204) {
        await response.body?.cancel().catch(() => {});
        return null;
      }
      const text = await response.text();
      if (text === '') return null;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new BrokerError('ambiguous', `Alpaca ${operation}: the answer is not JSON (HTTP ${response.status})`, {
          status: response.status,
          body: text.slice(0, 200),
        });
      }
    } catch (err) {
      throw await toBrokerError(err, operation, signal);
    }
  }

  /** A read: retried, bounded and jittered, after a failure that may pass (5xx, timeout, 429). */
  async function read(operation: string, attempt: Attempt): Promise<unknown> {
    for (let n = 0; ; n++) {
      try {
        return await once(operation, attempt);
      } catch (err) {
        if (!(err instanceof BrokerError) || n >= getRetries) throw err;
        let delay: number;
        if (err.kind === 'rate_limited') {
          delay = (err.details.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS) + Math.random() * 100;
          if (delay > maxRetryDelayMs) throw err;
        } else if (err.kind === 'ambiguous') {
          delay = Math.min(retryBaseMs * 2 ** n, maxRetryDelayMs) * (0.5 + Math.random());
        } else {
          throw err;
        }
        log?.warn(
          { operation, attempt: n + 1, kind: err.kind, delayMs: Math.round(delay), err: err.message },
          'broker read retried',
        );
        await sleep(delay);
      }
    }
  }

  /** A write: sent once. An ambiguous failure is logged here; the caller resolves it by lookup. */
  async function write(operation: string, attempt: Attempt): Promise<unknown> {
    try {
      return await once(operation, attempt);
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'ambiguous') {
        log?.warn({ operation, err: err.message, status: err.details.status }, 'broker write outcome unknown');
      }
      throw err;
    }
  }

  const nullOn404 = async <T>(p: Promise<T>): Promise<T | null> => {
    try {
      return await p;
    } catch (err) {
      if (err instanceof BrokerError && err.kind === 'not_found') return null;
      throw err;
    }
  };

  async function getOrder(brokerOrderId: string): Promise<BrokerOrderView | null> {
    return nullOn404(
      read(`order ${brokerOrderId}`, async (init) => {
        const res = await orders.getOrderByOrderIDRaw({ orderId: brokerOrderId, nested: true }, init);
        return res.raw;
      }).then((body) => orderView(body, 'order')),
    );
  }

  return {
    getOrder,

    async submitOrder(req) {
      checkOrderRequest(req);
      const body = await write(`submit order ${req.client_order_id}`, async (init) => {
        const res = await orders.postOrderRaw({ postOrderRequest: toPostOrderRequest(req) }, init);
        return res.raw;
      });
      return orderView(body, 'submit order');
    },

    async getOrderByClientId(clientOrderId) {
      return nullOn404(
        read(`order by client_order_id ${clientOrderId}`, async (init) => {
          const res = await orders.getOrderByClientOrderIdRaw({ clientOrderId }, init);
          return res.raw;
        }).then((body) => orderView(body, 'order by client_order_id')),
      );
    },

    async listOrders(q) {
      const limit = Math.min(q.limit ?? MAX_LIST_LIMIT, MAX_LIST_LIMIT);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new RangeError(`listOrders: limit must be an integer ≥ 1, got ${q.limit}`);
      }
      const body = await read(`list ${q.status} orders`, async (init) => {
        const res = await orders.getAllOrdersRaw(
          { status: q.status, limit, direction: 'desc', nested: true, ...(q.after ? { after: q.after } : {}) },
          init,
        );
        return res.raw;
      });
      if (!Array.isArray(body)) throw unreadable('list orders', 'not an array');
      if (body.length === MAX_LIST_LIMIT && (q.limit === undefined || q.limit > MAX_LIST_LIMIT)) {
        log?.warn({ status: q.status, after: q.after }, `broker order list hit Alpaca's cap of ${MAX_LIST_LIMIT}`);
      }
      return body.map((o) => orderView(o, 'list orders'));
    },

    async cancelOrder(brokerOrderId) {
      try {
        await write(`cancel order ${brokerOrderId}`, async (init) => {
          const res = await orders.deleteOrderByOrderIDRaw({ orderId: brokerOrderId }, init);
          return res.raw;
        });
      } catch (err) {
        // 422 "order is not cancelable": fine when the order already reached a final state.
        if (err instanceof BrokerError && err.kind === 'rejected' && err.details.status === 422) {
          const order = await getOrder(brokerOrderId);
          if (order && FINAL_STATUSES.has(order.status)) return;
        }
        throw err;
      }
    },

    async replaceOrder(brokerOrderId, change) {
      for (const field of ['limit_price', 'stop_price'] as const) {
        const price = change[field];
        if (price !== undefined) checkPrice(field, price);
      }
      if (change.qty !== undefined) checkDecimal('qty', change.qty);
      if (change.trail !== undefined) checkDecimal('trail', change.trail);
      const body = await write(`replace order ${brokerOrderId}`, async (init) => {
        const res = await orders.patchOrderByOrderIdRaw(
          {
            orderId: brokerOrderId,
            patchOrderRequest: {
              ...(change.qty !== undefined ? { qty: change.qty } : {}),
              ...(change.limit_price !== undefined ? { limitPrice: change.limit_price } : {}),
              ...(change.stop_price !== undefined ? { stopPrice: change.stop_price } : {}),
              ...(change.trail !== undefined ? { trail: change.trail } : {}),
              ...(change.client_order_id !== undefined ? { clientOrderId: change.client_order_id } : {}),
            },
          },
          init,
        );
        return res.raw;
      });
      return orderView(body, 'replace order');
    },

    async listPositions() {
      const body = await read('list positions', async (init) => (await positions.getAllOpenPositionsRaw(init)).raw);
      if (!Array.isArray(body)) throw unreadable('list positions', 'not an array');
      return body.map((p) => positionView(p));
    },

    async closePosition(symbol, opts) {
      if (opts?.qty !== undefined) checkDecimal('qty', opts.qty);
      const body = await write(`close position ${symbol}`, async (init) => {
        const res = await positions.deleteOpenPositionRaw(
          {
            symbolOrAssetId: symbol,
            // The SDK types qty as a number but only writes it into the query string; the decimal
            // string goes there unchanged, so 0.123456789 cannot become a float artefact.
            ...(opts?.qty !== undefined ? { qty: opts.qty as unknown as number } : {}),
          },
          init,
        );
        return res.raw;
      });
      return orderView(body, 'close position');
    },

    async getAccount() {
      const body = await read('account', async (init) => (await accounts.getAccountRaw(init)).raw);
      return accountView(body);
    },

    async getAsset(symbol) {
      return nullOn404(
        read(`asset ${symbol}`, async (init) => {
          const res = await assets.getV2AssetsSymbolOrAssetIdRaw({ symbolOrAssetId: symbol }, init);
          return res.raw;
        }).then((body) => assetView(body)),
      );
    },

    async getClock() {
      const body = await read('clock', async (init) => (await clock.legacyClockRaw(init)).raw);
      return clockView(body);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whatever a call threw, as a `BrokerError`; programming errors pass through unchanged. */
async function toBrokerError(err: unknown, operation: string, signal: AbortSignal): Promise<unknown> {
  if (err instanceof BrokerError) return err;
  if (err instanceof sdkErrors.ApiError) {
    const status = err.status;
    const code = typeof err.code === 'number' ? err.code : err.code === undefined ? undefined : Number(err.code);
    const body = await errorBody(err);
    const details = { status, ...(code !== undefined && !Number.isNaN(code) ? { code } : {}), body };
    const what = `Alpaca ${operation}: HTTP ${status}${code !== undefined ? ` ${code}` : ''} ${err.message}`;
    if (status === 422 && /client_order_id must be unique/i.test(err.message)) {
      return new BrokerError('duplicate_client_order_id', what, details);
    }
    if (status === 401) return new BrokerError('auth', what, details);
    if (status === 404) return new BrokerError('not_found', what, details);
    if (status === 429) {
      return new BrokerError('rate_limited', what, {
        ...details,
        retryAfterMs: err.retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS,
      });
    }
    // 408/425: the server gave up on the request, which may still have been acted on.
    if (status >= 500 || status === 408 || status === 425) return new BrokerError('ambiguous', what, details);
    // 400, 403 (insufficient buying power or qty; 40310000 also means "rejected by user request"), 422 …
    return new BrokerError('rejected', what, details);
  }
  if (err instanceof sdkErrors.FetchError || isAbort(err)) {
    const cause = err instanceof sdkErrors.FetchError ? err.cause : err;
    const timedOut = signal.aborted || isAbort(cause);
    const reason = timedOut ? 'timed out' : `connection failed (${networkReason(cause)})`;
    return new BrokerError('ambiguous', `Alpaca ${operation}: ${reason}; the outcome is unknown`, {});
  }
  if (err instanceof SyntaxError || (err instanceof TypeError && /body|stream|terminated/i.test(err.message))) {
    return new BrokerError('ambiguous', `Alpaca ${operation}: the answer could not be read (${err.message})`, {});
  }
  return err;
}

function isAbort(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
}

function networkReason(cause: unknown): string {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (inner && typeof inner.code === 'string') return inner.code;
  if (cause instanceof Error) return cause.message;
  return String(cause);
}

/** Alpaca's error body (e.g. the 403's buying_power and cost_basis), when it can still be read. */
async function errorBody(err: sdkErrors.ApiError): Promise<unknown> {
  const fallback = { code: err.code, message: err.message, requestId: err.requestId };
  try {
    const text = await Promise.race([
      err.response.text(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('slow body')), 500).unref()),
    ]);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return { message: text };
    }
  } catch {
    return fallback;
  }
}

function unreadable(operation: string, why: string): BrokerError {
  return new BrokerError('ambiguous', `Alpaca ${operation}: unexpected answer (${why})`);
}

// --- Requests -----------------------------------------------------------------------------------

const DECIMAL = /^\d+(\.\d+)?$/;

/** Refuses, before anything is sent, an amount that is not a plain positive decimal string. */
function checkDecimal(field: string, value: string): void {
  if (!DECIMAL.test(value) || Decimal.toFixed(value) <= 0n) {
    throw new BrokerError('rejected', `not sent: ${field} "${value}" is not a positive decimal string`);
  }
}

/** …and a price that is not on Alpaca's tick, which Alpaca would refuse as sub-penny anyway. */
function checkPrice(field: string, value: string): void {
  checkDecimal(field, value);
  if (!isOnTick(Decimal.toFixed(value))) {
    throw new BrokerError('rejected', `not sent: ${field} ${value} is not on Alpaca's price tick`);
  }
}

function checkOrderRequest(req: BrokerOrderRequest): void {
  if (req.qty !== undefined) checkDecimal('qty', req.qty);
  if (req.notional !== undefined) checkDecimal('notional', req.notional);
  if (req.limit_price !== undefined) checkPrice('limit_price', req.limit_price);
  if (req.stop_price !== undefined) checkPrice('stop_price', req.stop_price);
  if (req.trail_price !== undefined) checkDecimal('trail_price', req.trail_price);
  if (req.trail_percent !== undefined) checkDecimal('trail_percent', req.trail_percent);
  if (req.take_profit) checkPrice('take_profit.limit_price', req.take_profit.limit_price);
  if (req.stop_loss) {
    checkPrice('stop_loss.stop_price', req.stop_loss.stop_price);
    if (req.stop_loss.limit_price !== undefined) checkPrice('stop_loss.limit_price', req.stop_loss.limit_price);
  }
}

function toPostOrderRequest(req: BrokerOrderRequest): trading.PostOrderRequest {
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    timeInForce: req.time_in_force,
    clientOrderId: req.client_order_id,
    ...(req.qty !== undefined ? { qty: req.qty } : {}),
    ...(req.notional !== undefined ? { notional: req.notional } : {}),
    ...(req.limit_price !== undefined ? { limitPrice: req.limit_price } : {}),
    ...(req.stop_price !== undefined ? { stopPrice: req.stop_price } : {}),
    ...(req.trail_price !== undefined ? { trailPrice: req.trail_price } : {}),
    ...(req.trail_percent !== undefined ? { trailPercent: req.trail_percent } : {}),
    ...(req.extended_hours !== undefined ? { extendedHours: req.extended_hours } : {}),
    ...(req.order_class !== undefined ? { orderClass: req.order_class } : {}),
    ...(req.take_profit ? { takeProfit: { limitPrice: req.take_profit.limit_price } } : {}),
    ...(req.stop_loss
      ? {
          stopLoss: {
            stopPrice: req.stop_loss.stop_price,
            ...(req.stop_loss.limit_price !== undefined ? { limitPrice: req.stop_loss.limit_price } : {}),
          },
        }
      : {}),
  };
}

// --- Responses ----------------------------------------------------------------------------------

function asObject(value: unknown, operation: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unreadable(operation, 'not an object');
  return value as Json;
}

/** A string field; numbers are accepted as their text (Alpaca sends strings, a proxy might not). */
function str(o: Json, field: string): string | null {
  const v = o[field];
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function req(o: Json, field: string, operation: string): string {
  const v = str(o, field);
  if (v === null || v === '') throw unreadable(operation, `${field} missing`);
  return v;
}

function bool(o: Json, field: string): boolean {
  return o[field] === true;
}

export function orderView(value: unknown, operation = 'order'): BrokerOrderView {
  const o = asObject(value, operation);
  const legs = Array.isArray(o.legs) ? o.legs.map((leg) => orderView(leg, operation)) : null;
  return {
    id: req(o, 'id', operation),
    client_order_id: req(o, 'client_order_id', operation),
    symbol: req(o, 'symbol', operation),
    side: req(o, 'side', operation) as OrderSide,
    type: (str(o, 'type') ?? str(o, 'order_type') ?? 'market') as OrderType,
    time_in_force: (str(o, 'time_in_force') ?? 'day') as TimeInForce,
    // Alpaca sends "" for a simple order.
    order_class: str(o, 'order_class') || 'simple',
    status: req(o, 'status', operation),
    qty: str(o, 'qty'),
    notional: str(o, 'notional'),
    filled_qty: str(o, 'filled_qty') ?? '0',
    filled_avg_price: str(o, 'filled_avg_price'),
    limit_price: str(o, 'limit_price'),
    stop_price: str(o, 'stop_price'),
    submitted_at: str(o, 'submitted_at'),
    filled_at: str(o, 'filled_at'),
    canceled_at: str(o, 'canceled_at'),
    expired_at: str(o, 'expired_at'),
    failed_at: str(o, 'failed_at'),
    replaced_at: str(o, 'replaced_at'),
    replaced_by: str(o, 'replaced_by'),
    replaces: str(o, 'replaces'),
    updated_at: str(o, 'updated_at'),
    created_at: req(o, 'created_at', operation),
    legs,
    raw: o,
  };
}

function positionView(value: unknown): BrokerPosition {
  const o = asObject(value, 'position');
  const qty = req(o, 'qty', 'position');
  const side = str(o, 'side');
  return {
    symbol: req(o, 'symbol', 'position'),
    side: side === 'short' || (side === null && qty.startsWith('-')) ? 'short' : 'long',
    qty,
    avg_entry_price: req(o, 'avg_entry_price', 'position'),
    current_price: str(o, 'current_price'),
    market_value: str(o, 'market_value'),
    cost_basis: str(o, 'cost_basis'),
    unrealized_pl: str(o, 'unrealized_pl'),
    unrealized_plpc: str(o, 'unrealized_plpc'),
  };
}

function accountView(value: unknown): BrokerAccount {
  const o = asObject(value, 'account');
  return {
    id: req(o, 'id', 'account'),
    status: req(o, 'status', 'account'),
    equity: req(o, 'equity', 'account'),
    last_equity: str(o, 'last_equity') ?? req(o, 'equity', 'account'),
    cash: req(o, 'cash', 'account'),
    buying_power: req(o, 'buying_power', 'account'),
    long_market_value: str(o, 'long_market_value') ?? '0',
    short_market_value: str(o, 'short_market_value') ?? '0',
    trading_blocked: bool(o, 'trading_blocked'),
    pattern_day_trader: bool(o, 'pattern_day_trader'),
  };
}

function assetView(value: unknown): BrokerAsset {
  const o = asObject(value, 'asset');
  return {
    symbol: req(o, 'symbol', 'asset'),
    tradable: bool(o, 'tradable'),
    fractionable: bool(o, 'fractionable'),
    shortable: bool(o, 'shortable'),
    easy_to_borrow: bool(o, 'easy_to_borrow'),
    status: str(o, 'status') ?? 'inactive',
  };
}

function clockView(value: unknown): BrokerClock {
  const o = asObject(value, 'clock');
  if (typeof o.is_open !== 'boolean') throw unreadable('clock', 'is_open missing');
  return {
    timestamp: req(o, 'timestamp', 'clock'),
    is_open: o.is_open,
    next_open: req(o, 'next_open', 'clock'),
    next_close: req(o, 'next_close', 'clock'),
  };
}
