import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHART_PATTERN_NAMES, detectChartPatterns, supportResistance } from '../../src/chart-patterns';
import { seriesFrom, type Row } from './builders';

const OPEN_MS = Date.parse('2026-06-15T13:30:00Z');

/** A random walk of valid bars: each bar opens at the previous close. */
const walk = fc
  .array(
    fc.record({
      move: fc.double({ min: -0.04, max: 0.04, noNaN: true }),
      up: fc.double({ min: 0, max: 0.02, noNaN: true }),
      down: fc.double({ min: 0, max: 0.02, noNaN: true }),
      v: fc.integer({ min: 0, max: 100_000 }),
    }),
    { minLength: 2, maxLength: 120 },
  )
  .map((steps) => {
    const rows: Row[] = [];
    let price = 10;
    for (const s of steps) {
      const close = Math.max(0.5, price * (1 + s.move));
      const high = Math.max(price, close) * (1 + s.up);
      const low = Math.min(price, close) * (1 - s.down);
      rows.push([price, high, low, close, s.v]);
      price = close;
    }
    return rows;
  });

const START = '2026-06-15T12:00:00Z';

describe('chart pattern properties', () => {
  it('gives confidences in [0, 1] on known names, on bars that exist, the same every time', () => {
    fc.assert(
      fc.property(walk, fc.double({ min: 5, max: 15, noNaN: true }), (rows, previousClose) => {
        const s = seriesFrom(START, 1, rows);
        const opts = { session: { regularOpen: OPEN_MS, previousClose } };
        const found = detectChartPatterns(s, opts);
        for (const d of found) {
          expect(d.confidence).toBeGreaterThanOrEqual(0);
          expect(d.confidence).toBeLessThanOrEqual(1);
          expect(CHART_PATTERN_NAMES).toContain(d.name);
          expect(d.barIndex).toBeGreaterThanOrEqual(0);
          expect(d.barIndex).toBeLessThan(rows.length);
          expect(d.barTime).toBe(s.t[d.barIndex]);
        }
        expect(detectChartPatterns(seriesFrom(START, 1, rows), opts)).toEqual(found);
      }),
      { numRuns: 150 },
    );
  });

  it('reports only bars from fromIndex on, and the same ones a full run reports there', () => {
    fc.assert(
      fc.property(walk, fc.nat(), (rows, k) => {
        const s = seriesFrom(START, 1, rows);
        const from = k % rows.length;
        const opts = { session: { regularOpen: OPEN_MS, previousClose: 10 } };
        const tail = detectChartPatterns(s, { ...opts, fromIndex: from });
        expect(tail).toEqual(detectChartPatterns(s, opts).filter((d) => d.barIndex >= from));
      }),
      { numRuns: 100 },
    );
  });

  it('finds nothing, and no levels, in flat bars', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.integer({ min: 2, max: 300 }), (price, n) => {
        const rows: Row[] = Array.from({ length: n }, () => [price, price, price, price, 1000]);
        const s = seriesFrom(START, 1, rows);
        expect(detectChartPatterns(s, { session: { regularOpen: OPEN_MS, previousClose: price } })).toEqual([]);
        expect(supportResistance(s)).toMatchObject({ support: [], resistance: [] });
      }),
      { numRuns: 50 },
    );
  });
});
