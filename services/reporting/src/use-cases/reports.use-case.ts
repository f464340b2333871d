import {
  attribute,
  dailyReport,
  equitySeries,
  sourceScoreboard,
  summarizePerformance,
  type AttributionKey,
} from '@catalyst/domain';
import type { DailyReportDocument } from '@catalyst/shared';
import type { z } from 'zod';
import type { PerformanceRepository } from '../data-access/performance.repository';
import { newYorkDateOf, newYorkMidnight, nextDate, shiftDate, type ReportRange } from './report-range';

export type DailyReportDoc = z.infer<typeof DailyReportDocument>;

/** Days of equity curve the daily report shows up to its date. */
export const DAILY_REPORT_CURVE_DAYS = 30;

/**
 * The reports: rows from the repository in, the domain's figures out. Nothing here computes a
 * figure itself; it chooses which rows each figure is over.
 */
export function createReports(repo: PerformanceRepository, nowMs: () => number) {
  return {
    async performance(range: ReportRange) {
      const [trades, equity, openPositions] = await Promise.all([
        repo.overlappingTrades(range.fromMs, range.toMs),
        repo.snapshots(range.fromMs, range.toMs),
        repo.openPositions(),
      ]);
      return summarizePerformance({ trades, equity, openPositions, from: range.fromMs, to: range.toMs });
    },

    async equity(range: ReportRange, resolution: 'daily' | 'snapshot') {
      const points = await repo.snapshots(range.fromMs, range.toMs);
      return { from: range.from, to: range.to, resolution, items: equitySeries(points, { resolution }) };
    },

    async attribution(range: ReportRange, by: AttributionKey) {
      const trades = await repo.closedTrades(range.fromMs, range.toMs);
      return { from: range.from, to: range.to, by, groups: attribute(trades, by) };
    },

    async scoreboard(range: ReportRange) {
      const [items, catalysts] = await Promise.all([
        repo.newsItems(range.fromMs, range.toMs),
        repo.catalysts(range.fromMs, range.toMs),
      ]);
      const trades = await repo.tradesOn(
        catalysts.map((c) => c.id),
        items.map((i) => i.id),
      );
      return { from: range.from, to: range.to, ...sourceScoreboard(items, catalysts, trades) };
    },

    /** Today in New York, the default day of the daily report. */
    today(): string {
      return newYorkDateOf(nowMs());
    },

    /**
     * One New York day. Unrealized P&L is of the positions open now, so only today's report carries
     * it; a past day's shows 0 (the positions table keeps no history of prices).
     */
    async daily(date: string): Promise<DailyReportDoc> {
      const dayStart = newYorkMidnight(date);
      const dayEnd = newYorkMidnight(nextDate(date));
      const curveStart = newYorkMidnight(shiftDate(date, 1 - DAILY_REPORT_CURVE_DAYS));
      const isToday = date === newYorkDateOf(nowMs());
      const [domainTrades, wireTrades, daySnapshots, curveSnapshots, previousClose, openPositions] = await Promise.all([
        repo.closedTrades(dayStart, dayEnd),
        repo.wireTrades(dayStart, dayEnd),
        repo.snapshots(dayStart, dayEnd),
        repo.snapshots(curveStart, dayEnd),
        repo.equityBefore(dayStart),
        isToday ? repo.openPositions() : Promise.resolve([]),
      ]);
      return {
        date,
        summary: dailyReport({ date, trades: domainTrades, equity: daySnapshots, openPositions, previousClose }),
        equity: equitySeries(curveSnapshots, { resolution: 'daily' }),
        byCatalyst: attribute(domainTrades, 'catalyst'),
        trades: wireTrades,
      };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
