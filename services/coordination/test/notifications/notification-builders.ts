import {
  createLogger,
  createMemoryBus,
  loadConfig,
  type CacheBus,
  type CatalogueEventPayload,
  type Logger,
} from '@catalyst/shared';
import { Registry } from 'prom-client';
import { notificationConfigSchema, startNotifier, type Notifier } from '../../src/notifications';

export const AT = '2026-03-02T15:04:05.000Z';

export function aTradeClosed(
  over: Partial<CatalogueEventPayload<'trade.closed'>> = {},
): CatalogueEventPayload<'trade.closed'> {
  return {
    tradeId: '6f1c7a52-3c1e-4f57-9d8e-0c6a1b2d3e4f',
    symbol: 'AAPL',
    side: 'long',
    qty: '10',
    entryPrice: '100.00',
    exitPrice: '112.3455',
    realizedPnl: '123.455',
    returnPct: '12.3455',
    exitReason: 'target',
    openedAt: '2026-03-02T14:35:00.000Z',
    closedAt: AT,
    ...over,
  };
}

export function aHalt(
  over: Partial<CatalogueEventPayload<'trading.halted'>> = {},
): CatalogueEventPayload<'trading.halted'> {
  return {
    actor: 'ops',
    reason: 'broker <outage> & @everyone',
    canceledOrders: 2,
    closedPositions: ['AAPL', 'MSFT'],
    failures: [],
    haltedAt: AT,
    ...over,
  };
}

export function aCycleFailure(
  over: Partial<CatalogueEventPayload<'cycle.failed'>> = {},
): CatalogueEventPayload<'cycle.failed'> {
  return {
    cycleId: '0b7f2d1e-9a3c-4e5f-8a7b-1c2d3e4f5a6b',
    trigger: 'schedule',
    symbol: null,
    step: 'scan',
    error: 'scanner answered 503',
    startedAt: '2026-03-02T15:00:00.000Z',
    failedAt: AT,
    ...over,
  };
}

export function aDailyReport(
  over: Partial<CatalogueEventPayload<'report.daily'>> = {},
): CatalogueEventPayload<'report.daily'> {
  return {
    date: '2026-03-02',
    equityOpen: '100000.00',
    equityClose: '100412.50',
    realizedPnl: '380.125',
    unrealizedPnl: '32.375',
    fees: '1.2',
    trades: 3,
    wins: 2,
    losses: 1,
    maxDrawdownPct: '0.42',
    reportUrl: 'http://dashboard.local/reports/2026-03-02',
    ...over,
  };
}

export interface Captured {
  log: Logger;
  lines: string[];
}

/** A logger as the services build it, writing into memory. */
export function capturedLogger(): Captured {
  const lines: string[] = [];
  const log = createLogger({
    service: 'coordination',
    level: 'debug',
    destination: { write: (l: string) => void lines.push(l) },
  });
  return { log, lines };
}

export interface TestNotifier {
  notifier: Notifier;
  registry: Registry;
  bus: CacheBus;
  /** The sum of a counter's series that carry these labels (0 when never incremented). */
  count(metric: string, labels: Record<string, string>): Promise<number>;
}

export async function startTestNotifier(
  env: Record<string, string>,
  opts: { log?: Logger; bus?: CacheBus } = {},
): Promise<TestNotifier> {
  const registry = new Registry();
  const bus = opts.bus ?? createMemoryBus();
  const config = loadConfig(notificationConfigSchema, env);
  const notifier = await startNotifier({
    bus,
    config,
    log: opts.log ?? createLogger({ service: 'test', level: 'silent' }),
    registry,
  });
  return {
    notifier,
    registry,
    bus,
    async count(metric, labels) {
      const m = registry.getSingleMetric(metric);
      if (!m) return 0;
      const { values } = await m.get();
      return values
        .filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val))
        .reduce((sum, v) => sum + v.value, 0);
    },
  };
}

/** Polls until `fn` is true (events and deliveries are asynchronous by design). */
export async function eventually(fn: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
