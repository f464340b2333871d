import {
  bootService,
  isMainModule,
  runMain,
  type Env,
  type RunningService,
  type ServiceOverrides,
} from '@catalyst/shared';
import { createApp } from './app';
import { createAlpacaBroker } from './broker/alpaca-broker';
import type { Broker } from './broker/broker';
import { tradingConfig } from './config';
import type { MarketQuotes } from './data-access/market-quote.client';
import { createEntryGate, type EntryGate } from './reconciliation/entry-gate';
import { startReconciler, type Reconciler } from './reconciliation/reconciler';
import { startOrderSync, type OrderSync } from './sync/order-sync';

/** What tests (and the fault-injection run) may put in place of the real parts. */
export interface TradingStartOptions {
  broker?: Broker;
  entryGate?: EntryGate;
  quotes?: MarketQuotes;
  /** Run reconciliation and the order/position sync in the background (default true). */
  background?: boolean;
}

/** Composition root: read config, build dependencies, start; `stop()` drains and closes. */
export function start(
  env?: Env,
  overrides?: ServiceOverrides,
  options: TradingStartOptions = {},
): Promise<RunningService> {
  return bootService({
    service: 'trading',
    schema: tradingConfig,
    upstreams: [],
    ...(env ? { env } : {}),
    ...(overrides ? { overrides } : {}),
    register: async (deps) => {
      const { config, log, db, api } = deps;
      const broker =
        options.broker ??
        createAlpacaBroker({
          baseUrl: config.ALPACA_BASE_URL,
          // Without keys the broker answers 401 and /ready says so; demo mode passes the simulator's pair.
          keyId: config.ALPACA_API_KEY ?? 'unset',
          secret: config.ALPACA_SECRET_KEY ?? 'unset',
          timeoutMs: config.TRADING_BROKER_TIMEOUT_MS,
          log,
        });
      // Closed until reconciliation has read the broker once: never assume the account is flat.
      const gate = options.entryGate ?? createEntryGate({ registry: api.registry });
      const background = options.background ?? true;
      let reconciler: Reconciler | null = null;
      let orderSync: OrderSync | null = null;
      const { orders, flattenBeforeClose } = createApp(deps, {
        broker,
        entryGate: gate,
        ...(options.quotes ? { quotes: options.quotes } : {}),
        onAmbiguous: (reason: string) => reconciler?.trigger(reason),
      });
      // A pending row the broker does not know is failed by the sync only after every send this
      // process may still make of it: each attempt is a send and a lookup (which the adapter itself
      // retries) at the broker deadline, plus Retry-After waits of up to 5 s between them.
      const submitWindowMs =
        config.TRADING_BROKER_TIMEOUT_MS * 2 * (config.TRADING_SUBMIT_ATTEMPTS + 1) +
        5_000 * config.TRADING_SUBMIT_ATTEMPTS +
        10_000;
      if (background) {
        // The one OrderStore is shared, so every change of order state goes through one writer.
        reconciler = startReconciler({
          broker,
          orders,
          db,
          log,
          registry: api.registry,
          gate,
          intervalMs: config.TRADING_RECONCILE_INTERVAL_SECONDS * 1000,
          submitWindowMs,
        });
        orderSync = startOrderSync({
          broker,
          orders,
          db,
          log,
          registry: api.registry,
          gate,
          intervalMs: config.TRADING_SYNC_INTERVAL_SECONDS * 1000,
          submitWindowMs,
          ...(config.TRADING_FLATTEN_BEFORE_CLOSE_MINUTES > 0 ? { afterPass: () => flattenBeforeClose.runOnce() } : {}),
        });
      }
      api.addReadinessCheck('broker', () => broker.getClock());
      return async () => {
        await orderSync?.stop();
        await reconciler?.stop();
      };
    },
  });
}

if (isMainModule(import.meta.url)) runMain('trading', () => start());
