import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The execution path's metrics (reconciliation registers its own). */
export interface TradingMetrics {
  ordersSubmitted: Counter<'side' | 'type'>;
  ordersFinal: Counter<'side' | 'status'>;
  submitSeconds: Histogram<'outcome'>;
  riskRejections: Counter<'reason'>;
  openPositions: Gauge;
  accountEquity: Gauge;
  dayPnl: Gauge;
  tradingHalted: Gauge;
}

/** What the gauges read at each scrape: the database every replica shares, never the broker. */
export interface GaugeSource {
  read(): Promise<{ openPositions: number; equity: number | null; halted: boolean }>;
}

export function createTradingMetrics(registry: Registry, source?: GaugeSource): TradingMetrics {
  const registers = [registry];
  let openPositions: Gauge | undefined;
  let accountEquity: Gauge | undefined;
  // One read per scrape sets all three; a failed read keeps the last values (and is not fatal to /metrics).
  async function refresh(this: Gauge) {
    if (!source) return;
    try {
      const now = await source.read();
      this.set(now.halted ? 1 : 0);
      openPositions!.set(now.openPositions);
      if (now.equity !== null) accountEquity!.set(now.equity);
    } catch {
      // the database is down: /ready says so; the gauges keep what they last knew
    }
  }
  return {
    ordersSubmitted: new Counter({
      name: 'orders_submitted_total',
      help: 'Orders the broker has from a submission (once per client_order_id, whether its answer or a lookup told)',
      labelNames: ['side', 'type'],
      registers,
    }),
    ordersFinal: new Counter({
      name: 'orders_final_total',
      help: 'Orders seen reaching a final status by this process (filled, canceled, expired, replaced, rejected)',
      labelNames: ['side', 'status'],
      registers,
    }),
    submitSeconds: new Histogram({
      name: 'order_submit_seconds',
      help: 'From the pending row to the broker answer (lookups after an ambiguous failure included)',
      labelNames: ['outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    riskRejections: new Counter({
      name: 'risk_rejections_total',
      help: 'Entries refused by the risk engine, by reason',
      labelNames: ['reason'],
      registers,
    }),
    openPositions: (openPositions = new Gauge({
      name: 'open_positions',
      help: 'Open positions (the positions table, kept equal to the broker by the sync)',
      registers,
    })),
    accountEquity: (accountEquity = new Gauge({
      name: 'account_equity',
      help: 'Account equity in dollars (latest account snapshot, or the last account read)',
      registers,
    })),
    dayPnl: new Gauge({
      name: 'day_pnl',
      help: "Equity minus the previous close's equity, dollars, at the last account read (GET /account, /risk)",
      registers,
    }),
    tradingHalted: new Gauge({
      name: 'trading_halted',
      help: 'The kill switch (settings.trading_halted): 1 halted, 0 trading',
      registers,
      collect: refresh,
    }),
  };
}
