import { dailyReport } from '@catalyst/domain';
import type { Logger } from '@catalyst/shared';
import { Gauge, type Registry } from 'prom-client';
import type { PerformanceRepository } from './data-access/performance.repository';
import { newYorkDateOf, newYorkMidnight, nextDate } from './use-cases/report-range';

/**
 * Two gauges refreshed when Prometheus scrapes, not on a timer: nothing runs while nobody looks.
 * Each scrape costs two indexed reads (the latest snapshot; today's closed trades), cheap at a
 * 15 s scrape interval. A failed read keeps the previous value and is logged, so /metrics still
 * answers while the database is away (readiness reports that).
 */
export function registerReportingMetrics(
  registry: Registry,
  repo: PerformanceRepository,
  now: () => number,
  log: Logger,
): void {
  new Gauge({
    name: 'reporting_equity_dollars',
    help: 'Account equity of the latest account snapshot, in dollars',
    registers: [registry],
    async collect() {
      try {
        const latest = await repo.latestSnapshot();
        if (latest) this.set(Number(latest.equity));
      } catch (err) {
        log.warn({ err }, 'reporting_equity_dollars: reading the latest snapshot failed');
      }
    },
  });
  new Gauge({
    name: 'reporting_day_net_pnl_dollars',
    help: 'Net P&L (after fees) of the trades closed today, New York date, in dollars',
    registers: [registry],
    async collect() {
      try {
        const date = newYorkDateOf(now());
        const trades = await repo.closedTrades(newYorkMidnight(date), newYorkMidnight(nextDate(date)));
        this.set(Number(dailyReport({ date, trades, equity: [] }).netPnl));
      } catch (err) {
        log.warn({ err }, 'reporting_day_net_pnl_dollars: reading today’s trades failed');
      }
    },
  });
}
