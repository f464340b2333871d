import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeIndicator, toSeries, type Bar } from '@catalyst/domain';
import { technicalContract } from '@catalyst/shared';
import { startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { syntheticBars } from '../support/bars';

const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/talib');
const FIXTURE_FILES = ['orcl-daily.json', 'futures-1min.json'];
const fixturesPresent = FIXTURE_FILES.every((f) => existsSync(path.join(FIXTURES_DIR, f)));
if (!fixturesPresent) console.log(`TA-Lib fixtures not found at ${FIXTURES_DIR}: the TA-Lib agreement test is skipped`);

describe('POST /indicators', () => {
  let svc: TestService;
  const post = (body: unknown) =>
    svc.call('/indicators', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    // No market data is read here; the simulator is not needed.
    svc = await startTestService(start, {
      ALPACA_DATA_URL: 'http://127.0.0.1:9',
      ALPACA_BASE_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it("takes 20,000 bars and answers the domain's values, aligned with the bars and null during warm-up", async () => {
    const bars = syntheticBars(20_000, 7);
    const indicators = [
      { name: 'rsi', params: { timeperiod: 14 } },
      { name: 'macd' },
      { name: 'bbands', params: { timeperiod: 20, nbdevup: 2, nbdevdn: 2 } },
      { name: 'atr' },
      { name: 'vwap' },
      { name: 'rvol', params: { timeperiod: 5 } },
      { name: 'obv' },
    ];
    const res = await post({ bars, timeframe: '1Min', indicators });
    expect(res.status).toBe(200);
    expect(technicalContract.computeIndicators.response.safeParse(res.body).success).toBe(true);
    const series = toSeries(bars);
    expect(res.body.results).toHaveLength(indicators.length);
    for (const [i, req] of indicators.entries()) {
      const expected = computeIndicator(req.name, series, req.params ?? {});
      const got = res.body.results[i];
      expect(got.name).toBe(req.name);
      expect(got.params).toEqual(expected.params);
      expect(got.lookback).toBe(expected.lookback);
      expect(Object.keys(got.outputs).sort()).toEqual(Object.keys(expected.outputs).sort());
      for (const [key, values] of Object.entries(expected.outputs)) {
        const out = got.outputs[key] as Array<number | null>;
        expect(out).toHaveLength(20_000);
        expect(out.slice(0, expected.lookback).every((v) => v === null)).toBe(true);
        expect(out).toEqual(Array.from(values, (v) => (Number.isFinite(v) ? v : null)));
      }
    }
    const metrics = await svc.call('/metrics', { auth: false });
    expect(metrics.body).toMatch(/technical_indicator_request_bars_bucket\{le="20000"[^}]*\} 1/);
  });

  it.skipIf(!fixturesPresent)("agrees with TA-Lib 0.6.0's outputs on the reference fixtures", async () => {
    for (const file of FIXTURE_FILES) {
      const fixture = JSON.parse(readFileSync(path.join(FIXTURES_DIR, file), 'utf8')) as {
        bars: Bar[];
        indicators: Array<{
          name: string;
          params: Record<string, number>;
          outputs: Record<string, Array<number | null>>;
        }>;
      };
      const res = await post({
        bars: fixture.bars,
        indicators: fixture.indicators.map(({ name, params }) => ({ name, params })),
      });
      expect(res.status).toBe(200);
      fixture.indicators.forEach((run, i) => {
        const got = res.body.results[i].outputs as Record<string, Array<number | null>>;
        const tolerance = ['obv', 'ad', 'adosc'].includes(run.name) ? 1e-7 : 1e-9;
        for (const [key, expected] of Object.entries(run.outputs)) {
          const actual = got[key]!;
          expect(actual, `${file} ${run.name} ${key}`).toHaveLength(expected.length);
          for (let k = 0; k < expected.length; k++) {
            const e = expected[k]!;
            const a = actual[k]!;
            if (e === null || a === null) {
              expect(a, `${file} ${run.name} ${key}[${k}]`).toBe(e);
            } else if (Math.abs(a - e) > tolerance * Math.max(1, Math.abs(e))) {
              expect.fail(`${file} ${run.name}(${JSON.stringify(run.params)}) ${key}[${k}]: ${a} vs TA-Lib ${e}`);
            }
          }
        }
      });
    }
  });

  describe('refuses bad input with a 400 that names the problem', () => {
    const bars = syntheticBars(60, 3);
    const cases: Array<[string, () => unknown, string, RegExp | string]> = [
      [
        'an unknown indicator',
        () => ({ bars, indicators: [{ name: 'rsi' }, { name: 'magic' }] }),
        'unknown_indicator',
        /magic/,
      ],
      [
        'an unknown parameter',
        () => ({ bars, indicators: [{ name: 'rsi', params: { period: 14 } }] }),
        'invalid_param',
        /rsi has no parameter period/,
      ],
      [
        'a parameter out of range',
        () => ({ bars, indicators: [{ name: 'rsi', params: { timeperiod: 1 } }] }),
        'invalid_param',
        /timeperiod must be in \[2, 100000\]/,
      ],
      [
        'too few bars for an indicator',
        () => ({ bars: bars.slice(0, 20), indicators: [{ name: 'ema', params: { timeperiod: 50 } }] }),
        'too_few_bars',
        /ema needs at least 50 bars, got 20/,
      ],
      [
        'bars out of order',
        () => ({ bars: [bars[1], bars[0], ...bars.slice(2)], indicators: [{ name: 'sma' }] }),
        'bars_out_of_order',
        /bar 1/,
      ],
      [
        'a high below the low',
        () => ({ bars: bars.map((b, i) => (i === 5 ? { ...b, h: b.l - 1 } : b)), indicators: [{ name: 'sma' }] }),
        'invalid_bar',
        /bar 5: high/,
      ],
      [
        'a negative price',
        () => ({ bars: bars.map((b, i) => (i === 2 ? { ...b, l: -1 } : b)), indicators: [{ name: 'sma' }] }),
        'invalid_input',
        'body.bars.2.l',
      ],
      [
        'a NaN price',
        () => ({ bars: bars.map((b, i) => (i === 3 ? { ...b, c: 'NaN' } : b)), indicators: [{ name: 'sma' }] }),
        'invalid_input',
        'body.bars.3.c',
      ],
      [
        'a bad timeframe',
        () => ({ bars, timeframe: '2Min', indicators: [{ name: 'sma' }] }),
        'invalid_input',
        'body.timeframe',
      ],
      ['no indicators', () => ({ bars, indicators: [] }), 'invalid_input', 'body.indicators'],
    ];
    it.each(cases)('%s', async (_label, body, code, naming) => {
      const res = await post(body());
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(code);
      const text = JSON.stringify(res.body.error);
      if (typeof naming === 'string') expect(text).toContain(naming);
      else expect(text).toMatch(naming);
    });

    it('points at the bad indicator by its place in the request', async () => {
      const res = await post({ bars, indicators: [{ name: 'sma' }, { name: 'rsi', params: { timeperiod: 0 } }] });
      expect(res.body.error.details).toMatchObject({
        path: 'body.indicators.1',
        indicator: 'rsi',
        param: 'timeperiod',
      });
    });
  });
});
