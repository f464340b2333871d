import type { EquityPoint, TradeRecord } from '../../src';

let seq = 0;

/** A closed trade with neutral defaults; override what the test is about. */
export function aTrade(overrides: Partial<TradeRecord> = {}): TradeRecord {
  seq += 1;
  return {
    id: `t${seq}`,
    symbol: 'ABC',
    side: 'long',
    qty: '100',
    entryPrice: '10',
    exitPrice: '10',
    openedAt: '2026-11-02T15:00:00.000Z',
    closedAt: '2026-11-02T15:30:00.000Z',
    realizedPnl: '0',
    fees: '0',
    ...overrides,
  };
}

/** Snapshots from [at, equity] pairs. */
export function snapshots(...pairs: Array<[string, string]>): EquityPoint[] {
  return pairs.map(([at, equity]) => ({ at, equity }));
}

/** One closing snapshot a day at 21:00 UTC (16:00 in New York in winter) from 2026-11-02 on, weekdays only. */
export function dailyCloses(...equities: string[]): EquityPoint[] {
  const out: EquityPoint[] = [];
  let day = Date.parse('2026-11-02T21:00:00Z');
  for (const equity of equities) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
    out.push({ at: new Date(day).toISOString(), equity });
    day += 86_400_000;
  }
  return out;
}
