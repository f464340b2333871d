import type { ServiceDeps } from '@catalyst/shared';
import type { Broker } from './broker/broker';
import type { TradingConfig } from './config';
import { createMarketQuotes, type MarketQuotes } from './data-access/market-quote.client';
import { createOrdersRepository, type OrdersRepository } from './data-access/orders.repository';
import { createPositionsRepository } from './data-access/positions.repository';
import { createRiskDecisionsRepository } from './data-access/risk-decisions.repository';
import { createSettingsRepository } from './data-access/settings.repository';
import { createSignalsRepository } from './data-access/signals.repository';
import { registerHaltRoutes } from './routes/halt.routes';
import { registerOrderRoutes } from './routes/orders.routes';
import { registerPositionRoutes } from './routes/positions.routes';
import { createTradingMetrics, type TradingMetrics } from './trading-metrics';
import { createAccountView } from './use-cases/account.use-case';
import { createCancelOrder } from './use-cases/cancel-order.use-case';
import { createClosePosition } from './use-cases/close-position.use-case';
import { createFlattenBeforeClose, type FlattenBeforeClose } from './use-cases/flatten-before-close.use-case';
import { createHalt } from './use-cases/halt.use-case';
import { createReplaceOrder } from './use-cases/replace-order.use-case';
import { createRiskView } from './use-cases/risk-view.use-case';
import { createSubmitOrder, type EntryGateCheck } from './use-cases/submit-order.use-case';

/** What the trading routes need beyond the common service dependencies. */
export interface TradingDeps {
  broker: Broker;
  /** Consulted before every entry (reconciliation's gate; fail closed). */
  entryGate: EntryGateCheck;
  quotes?: MarketQuotes;
  /** Asked after a submission whose outcome stays unknown. */
  onAmbiguous?: (reason: string) => void;
}

export interface TradingApp {
  orders: OrdersRepository;
  metrics: TradingMetrics;
  /** The once-a-day flatten before the close (a no-op when TRADING_FLATTEN_BEFORE_CLOSE_MINUTES is 0). */
  flattenBeforeClose: FlattenBeforeClose;
}

/** The trading service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<TradingConfig>, trading: TradingDeps): TradingApp {
  const { api, db, config, log, bus } = deps;
  const { broker, entryGate } = trading;
  const metrics = createTradingMetrics(api.registry, {
    async read() {
      const { rows } = await db.query<{ open_positions: number; equity: string | null; halted: unknown }>(
        `SELECT (SELECT count(*) FROM positions WHERE closed_at IS NULL)::int AS open_positions,
                (SELECT equity::text FROM account_snapshots ORDER BY at DESC LIMIT 1) AS equity,
                (SELECT value FROM settings WHERE key = 'trading_halted') AS halted`,
      );
      const r = rows[0]!;
      // A missing switch reads as halted, as the entry path reads it.
      return {
        openPositions: r.open_positions,
        equity: r.equity === null ? null : Number(r.equity),
        halted: r.halted !== false,
      };
    },
  });
  const orders = createOrdersRepository(db, {
    onFinal: (side, status) => metrics.ordersFinal.inc({ side, status }),
    // The dashboard's live feed: never awaited, and a failure is only logged (told inside the
    // transaction, like onFinal: a rolled-back change may have been announced).
    onChange: ({ kind, order, fill }) =>
      void deps.bus
        .publish('trading', kind, {
          orderId: order.id,
          symbol: order.symbol,
          side: order.side,
          status: order.status,
          filledQty: String(order.filled_qty),
          filledAvgPrice: order.filled_avg_price === null ? null : String(order.filled_avg_price),
          ...(fill ? { qty: fill.qty, price: fill.price } : {}),
          at: new Date().toISOString(),
        })
        .catch((err: unknown) => log.warn({ err, orderId: order.id }, `publishing ${kind} failed`)),
  });
  const settings = createSettingsRepository(db);
  const positions = createPositionsRepository(db);
  const quotes =
    trading.quotes ??
    createMarketQuotes({
      dataUrl: config.ALPACA_DATA_URL,
      keyId: config.ALPACA_API_KEY,
      secret: config.ALPACA_SECRET_KEY,
      avgVolumeDays: config.TRADING_AVG_VOLUME_DAYS,
      timeoutMs: config.TRADING_BROKER_TIMEOUT_MS,
    });

  const submitOrder = createSubmitOrder({
    broker,
    orders,
    settings,
    decisions: createRiskDecisionsRepository(db),
    signals: createSignalsRepository(db),
    positions,
    quotes,
    entryGate,
    bus,
    metrics,
    log,
    parameters: config,
    submitAttempts: config.TRADING_SUBMIT_ATTEMPTS,
    flattenBeforeCloseMinutes: config.TRADING_FLATTEN_BEFORE_CLOSE_MINUTES,
    ...(trading.onAmbiguous ? { onAmbiguous: trading.onAmbiguous } : {}),
  });
  const cancelOrder = createCancelOrder({ broker, orders, db, log });
  const closePosition = createClosePosition({ broker, orders, db });
  const halt = createHalt({ broker, orders, settings, metrics, cancelOrder, closePosition });
  const replaceOrder = createReplaceOrder({
    broker,
    orders,
    db,
    bus,
    metrics,
    log,
    submitAttempts: config.TRADING_SUBMIT_ATTEMPTS,
    ...(trading.onAmbiguous ? { onAmbiguous: trading.onAmbiguous } : {}),
  });
  const flattenBeforeClose = createFlattenBeforeClose({
    broker,
    orders,
    settings,
    db,
    log,
    cancelOrder,
    closePosition,
    minutes: config.TRADING_FLATTEN_BEFORE_CLOSE_MINUTES,
  });

  registerOrderRoutes(api, { orders, submitOrder, cancelOrder, replaceOrder });
  registerPositionRoutes(api, {
    positions,
    closePosition,
    account: createAccountView({ broker, settings, metrics }),
    risk: createRiskView({ broker, orders, settings, positions, entryGate, metrics, parameters: config }),
  });
  registerHaltRoutes(api, { halt });

  return { orders, metrics, flattenBeforeClose };
}
