import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDay, sessionOf } from '../src/model/calendar';
import { MarketModel } from '../src/model/market-model';
import { eventEffect, type MarketEvent } from '../src/model/news-events';
import { Prng } from '../src/model/prng';
import { defaultUniverse } from '../src/model/universe';

const DAY = parseDay('2025-03-14')!;

function fingerprint(model: MarketModel, dayIndex: number): string {
  const hash = createHash('sha256');
  for (let s = 0; s < model.stocks.length; s++) {
    const d = model.intraday(s, dayIndex);
    for (let i = 0; i < d.minutes; i++)
      hash.update(`${d.o[i]},${d.h[i]},${d.l[i]},${d.c[i]},${d.v[i]},${d.n[i]},${d.vw[i]};`);
  }
  for (const story of model.storiesOfDay(dayIndex))
    hash.update(
      `${story.id}|${story.createdAt}|${story.sourceKey}|${story.headline}|${story.summary}|${story.symbols.join(',')}\n`,
    );
  return hash.digest('hex');
}

describe('the seeded generator', () => {
  it('repeats itself for a seed and differs across seeds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const c = new Prng(8);
    const sa = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(sa);
  });

  it('draws normals with mean 0 and variance 1', () => {
    const p = new Prng(1);
    let sum = 0;
    let sq = 0;
    let fastSum = 0;
    let fastSq = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const x = p.normal();
      const y = p.fastNormal();
      sum += x;
      sq += x * x;
      fastSum += y;
      fastSq += y * y;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(fastSum / n)).toBeLessThan(0.01);
    expect(Math.abs(fastSq / n - 1)).toBeLessThan(0.02);
  });
});

describe('the universe', () => {
  it('has 100 distinct symbols with prices from $2 to $500 and a mix of sectors and liquidity', () => {
    const stocks = defaultUniverse(100);
    expect(stocks).toHaveLength(100);
    expect(new Set(stocks.map((s) => s.symbol)).size).toBe(100);
    expect(new Set(stocks.map((s) => s.name)).size).toBe(100);
    for (const s of stocks) {
      expect(s.basePrice).toBeGreaterThanOrEqual(2);
      expect(s.basePrice).toBeLessThanOrEqual(500);
      expect(s.symbol).toMatch(/^[A-Z]{2,4}$/);
    }
    expect(new Set(stocks.map((s) => s.sector)).size).toBe(10);
    expect(stocks.filter((s) => s.sector === 'biotech').length).toBeGreaterThanOrEqual(15);
    expect(Math.min(...stocks.map((s) => s.annualVol))).toBeLessThan(0.3);
    expect(Math.max(...stocks.map((s) => s.annualVol))).toBeGreaterThan(0.8);
    expect(stocks.some((s) => s.avgDailyVolume < 200_000)).toBe(true);
    expect(stocks.some((s) => s.avgDailyVolume > 10_000_000)).toBe(true);
    expect(defaultUniverse(100)).toBe(stocks);
  });
});

describe('the market model', () => {
  const model = new MarketModel({ seed: 42, stocks: defaultUniverse(100) });
  const index = model.dayIndex(DAY)!;

  it('gives byte-identical bars and headlines for the same seed, and different ones for another seed', () => {
    const again = new MarketModel({ seed: 42, stocks: defaultUniverse(100) });
    const other = new MarketModel({ seed: 43, stocks: defaultUniverse(100) });
    const first = fingerprint(model, index);
    expect(fingerprint(again, again.dayIndex(DAY)!)).toBe(first);
    expect(fingerprint(other, other.dayIndex(DAY)!)).not.toBe(first);
    // Regenerating a day on its own (no cache, any order) gives the same bytes.
    const fresh = new MarketModel({ seed: 42, stocks: defaultUniverse(100) });
    fresh.intraday(5, fresh.dayIndex(DAY)!);
    expect(fingerprint(fresh, fresh.dayIndex(DAY)!)).toBe(first);
  });

  it('prewarms daily bars equal to the ones computed on demand, only completed days, and stops when aborted', async () => {
    const stocks = defaultUniverse(100).slice(0, 6);
    const warm = new MarketModel({ seed: 9, stocks });
    const cold = new MarketModel({ seed: 9, stocks });
    const asOf = sessionOf(DAY).open + 60 * 60_000; // 2025-03-14 is trading: its bar is partial
    expect(await warm.prewarmDailyBars(asOf, 20)).toBe(6 * 20);
    // A second pass finds them all done.
    expect(await warm.prewarmDailyBars(asOf, 20)).toBe(0);
    const first = DAY - 40;
    for (let s = 0; s < stocks.length; s++)
      expect(warm.dailyBars(s, first, DAY, asOf)).toEqual(cold.dailyBars(s, first, DAY, asOf));
    const aborted = new AbortController();
    aborted.abort();
    const other = new MarketModel({ seed: 9, stocks });
    expect(await other.prewarmDailyBars(asOf, 20, { signal: aborted.signal })).toBe(0);
    expect(await other.prewarmDailyBars(asOf, 0)).toBe(0);
  });

  it('keeps every bar consistent: low <= open, close, vwap <= high, positive volume and trade count', () => {
    const problems: string[] = [];
    let bars = 0;
    for (let s = 0; s < 100; s++) {
      const d = model.intraday(s, index);
      for (let i = 0; i < d.minutes; i++) {
        if (d.v[i] === 0) continue;
        bars++;
        const ok =
          d.l[i]! <= Math.min(d.o[i]!, d.c[i]!, d.vw[i]!) &&
          d.h[i]! >= Math.max(d.o[i]!, d.c[i]!, d.vw[i]!) &&
          d.v[i]! > 0 &&
          d.n[i]! > 0 &&
          Number.isInteger(d.v[i]!) &&
          d.l[i]! > 0;
        if (!ok) problems.push(`${model.stocks[s]!.symbol} minute ${i}`);
      }
    }
    expect(problems).toEqual([]);
    expect(bars).toBeGreaterThan(40_000);
  });

  it('trades a U-shaped volume over the regular session and little outside it', () => {
    let open = 0;
    let lunch = 0;
    let close = 0;
    let pre = 0;
    let regular = 0;
    for (let s = 0; s < 100; s++) {
      const d = model.intraday(s, index);
      for (let i = 0; i < d.minutes; i++) {
        const v = d.v[i]!;
        if (i < d.regularStart) pre += v;
        else if (i < d.regularEnd) regular += v;
        const m = i - d.regularStart;
        if (m >= 0 && m < 30) open += v;
        if (m >= 150 && m < 180) lunch += v;
        if (m >= 360 && m < 390) close += v;
      }
    }
    expect(open).toBeGreaterThan(2 * lunch);
    expect(close).toBeGreaterThan(1.5 * lunch);
    expect(pre).toBeLessThan(regular * 0.1);
  });

  it('gaps overnight: the open is not the previous close', () => {
    let gaps = 0;
    for (let s = 0; s < 100; s++) {
      const today = model.dailyBar(s, index)!;
      const before = model.dailyBar(s, index - 1)!;
      if (today.o !== before.c) gaps++;
    }
    expect(gaps).toBeGreaterThan(80);
  });

  it('aggregates the daily bar from the regular-session minutes and stamps it at New York midnight', () => {
    const d = model.intraday(0, index);
    const bar = model.dailyBar(0, index)!;
    let v = 0;
    let h = 0;
    for (let i = d.regularStart; i < d.regularEnd; i++) {
      v += d.v[i]!;
      if (d.v[i]! > 0) h = Math.max(h, d.h[i]!);
    }
    expect(bar.v).toBe(v);
    expect(bar.h).toBe(h);
    expect(new Date(bar.t).toISOString()).toBe('2025-03-14T04:00:00.000Z');
  });

  it('moves a stock on its news: the move after a real catalyst points the way of the news', () => {
    let agree = 0;
    let total = 0;
    for (let k = index - 40; k <= index; k++) {
      for (const e of model.eventsOfDay(k)) {
        if (e.fake || e.linkedTo || Math.abs(e.magnitude) < 0.05) continue;
        const d = model.intraday(e.symbolIndex, k);
        const at = Math.floor((e.utcMs - d.startUtc) / 60_000);
        const later = Math.min(d.minutes, at + 30);
        const move = Math.log(d.path[later]! / d.path[at]!);
        total++;
        if (Math.sign(move) === Math.sign(e.magnitude)) agree++;
      }
    }
    expect(total).toBeGreaterThan(50);
    expect(agree / total).toBeGreaterThan(0.9);
  });

  it('reverses a fake: the effect builds, then fades back to nothing', () => {
    const fake: MarketEvent = {
      key: 'x',
      day: DAY,
      minute: 100,
      utcMs: 0,
      symbolIndex: 0,
      type: 'fda_approval',
      magnitude: 0.3,
      fake: true,
      jumpFraction: 0.5,
      driftMinutes: 10,
      retraceFraction: 0,
      retraceMinutes: 100,
      reverseAfterMinutes: 60,
      reverseMinutes: 15,
      volumeBoost: 10,
      volumeMinutes: 30,
      counterpartyIndex: -1,
      linkedTo: null,
    };
    expect(eventEffect(fake, -1)).toBe(0);
    expect(eventEffect(fake, 0)).toBeCloseTo(0.15, 10);
    expect(eventEffect(fake, 59)).toBeGreaterThan(0.29);
    expect(eventEffect(fake, 200)).toBeLessThan(0.001);
    expect(eventEffect({ ...fake, fake: false }, 200)).toBeGreaterThan(0.29);
  });

  it('publishes several stories per event across sources of different quality, fakes from the low end', () => {
    const stories = model.storiesOfDay(index);
    const byEvent = new Map<string, number>();
    for (const s of stories) byEvent.set(s.eventKey, (byEvent.get(s.eventKey) ?? 0) + 1);
    expect([...byEvent.values()].some((n) => n > 1)).toBe(true);
    expect(new Set(stories.map((s) => s.sourceKey)).size).toBeGreaterThanOrEqual(3);
    const ids = stories.map((s) => s.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    let rumors = 0;
    for (let k = index - 30; k <= index; k++) {
      for (const s of model.storiesOfDay(k)) {
        if (s.role === 'rumor') {
          rumors++;
          expect(['pennystockdaily', 'tradechatter', 'tickertape']).toContain(s.sourceKey);
        }
      }
    }
    expect(rumors).toBeGreaterThan(0);
    for (const s of stories) {
      expect(s.headline.length).toBeGreaterThan(10);
      expect(s.headline).not.toMatch(/\{\w+\}/);
      expect(s.summary).not.toMatch(/\{\w+\}/);
    }
  });

  it('stays within a sane price range over years of simulated trading', () => {
    let min = Infinity;
    let max = 0;
    for (let k = 0; k <= index; k += 20) {
      for (let s = 0; s < 100; s++) {
        const p = model.lastPrice(s, sessionOf(model.tradingDayNumber(k)).postClose)!;
        min = Math.min(min, p);
        max = Math.max(max, p);
      }
    }
    expect(min).toBeGreaterThan(0.5);
    expect(max).toBeLessThan(2000);
  });
});
