import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvSource, InputFileError, jsonSource, parseCsv } from '../src';

const dirs: string[] = [];
function dir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'backtest-csv-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
  return d;
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputFileError);
    return (e as InputFileError).problems;
  }
  throw new Error('expected an InputFileError');
}

const BARS = `t,symbol,o,h,l,c,v
2026-03-02T14:30:00Z,ACME,10,10.1,9.9,10.05,1200
2026-03-02T14:31:00Z,ACME,10.05,10.2,10,10.1,900
`;

describe('CSV source', () => {
  it('reads bars and news (quoted fields, several tickers) into events in replay order: a bar when it completes, news when received', () => {
    const d = dir({
      'bars.csv': BARS,
      'news.csv':
        'received_at,symbol,headline,summary,source\n' +
        '2026-03-02T14:31:30Z,ACME;BETA,"Acme beats, ""record"" quarter",,Market Wire\n',
    });
    const events = [...csvSource(d).events()];
    // The 14:31 bar is complete at 14:32, after the news received at 14:31:30.
    expect(events.map((e) => e.kind)).toEqual(['bar', 'news', 'bar']);
    expect(events[1]).toMatchObject({
      kind: 'news',
      headline: 'Acme beats, "record" quarter',
      symbols: ['ACME', 'BETA'],
      source: 'Market Wire',
      receivedAt: Date.parse('2026-03-02T14:31:30Z'),
    });
  });

  it('names the file, line and column of every bad value, and reports them all at once', () => {
    const d = dir({
      'bars.csv':
        'symbol,t,o,h,l,c,v\n' +
        'ACME,2026-03-02T14:30:00Z,10,10.1,9.9,10.05,1200\n' +
        'ACME,yesterday,10,10.1,9.9,10.05,1200\n' +
        'ACME,2026-03-02T14:32:00Z,abc,10.1,9.9,10.05,-5\n' +
        'acme!,2026-03-02T14:33:00Z,10,9,9.9,10.05,1\n' +
        'ACME,2026-03-02T14:34:00Z,10,10.1,9.9,10.05\n',
    });
    expect(problems(() => csvSource(d))).toEqual(['bars.csv line 6: 6 fields, the header has 7']);
    fs.writeFileSync(
      path.join(d, 'bars.csv'),
      fs.readFileSync(path.join(d, 'bars.csv'), 'utf8').split('\n').slice(0, 5).join('\n'),
    );
    expect(problems(() => csvSource(d))).toEqual([
      'bars.csv line 3, column t: "yesterday" is not a time (ISO-8601 with a zone, or epoch ms)',
      'bars.csv line 4, column o: "abc" is not a positive number',
      'bars.csv line 4, column v: "-5" is not a number',
      'bars.csv line 5, column symbol: "acme!" is not a ticker',
      'bars.csv line 5, column h: high 9 is below the open, close or low',
    ]);
  });

  it('refuses a missing column, a missing bars.csv, duplicate bars, an unclosed quote and a news row without a headline', () => {
    expect(problems(() => csvSource(dir({ 'bars.csv': 't,symbol,o,h,l,c\n' })))).toEqual([
      'bars.csv line 1: missing column v',
    ]);
    expect(problems(() => csvSource(dir({}))).join()).toMatch(/bars\.csv: not found/);
    expect(problems(() => csvSource(dir({ 'bars.csv': BARS + BARS.split('\n')[1] + '\n' })))).toEqual([
      'two bars for ACME at 2026-03-02T14:30:00.000Z',
    ]);
    expect(problems(() => parseCsv('a,b\n"x,1\n', 'x.csv'))).toEqual(['x.csv line 2: a quoted field is never closed']);
    expect(
      problems(() => csvSource(dir({ 'bars.csv': BARS, 'news.csv': 'received_at,headline\n2026-03-02T14:31:30Z,\n' }))),
    ).toEqual(['news.csv line 2, column headline: missing']);
  });

  it('reads a bar that starts off the minute as an error, not a shifted bar', () => {
    const d = dir({ 'bars.csv': 't,symbol,o,h,l,c,v\n2026-03-02T14:30:30Z,ACME,10,10.1,9.9,10,1\n' });
    expect(problems(() => csvSource(d))).toEqual([
      'bars.csv line 2, column t: a minute bar must start on a whole minute',
    ]);
  });
});

describe('JSON source', () => {
  it('reads the same fields, with the array index in each problem', () => {
    const d = dir({
      'ok.json': JSON.stringify({
        bars: [{ t: '2026-03-02T14:30:00Z', symbol: 'ACME', o: 10, h: 10.1, l: 9.9, c: 10, v: 100 }],
        news: [{ id: 'x1', received_at: '2026-03-02T14:30:30Z', headline: 'Acme beats', symbol: 'ACME' }],
      }),
      'bad.json': JSON.stringify({ bars: [{ t: 1, symbol: 'ACME', o: 'ten', h: 1, l: 1, c: 1, v: 1 }], news: {} }),
      'broken.json': '{"bars": [',
    });
    expect([...jsonSource(path.join(d, 'ok.json')).events()].map((e) => e.kind)).toEqual(['news', 'bar']);
    expect(problems(() => jsonSource(path.join(d, 'bad.json')))).toEqual([
      'bad.json bars[0].o: "ten" is not a positive number',
      'bad.json: "news" must be an array',
    ]);
    expect(problems(() => jsonSource(path.join(d, 'broken.json')))[0]).toMatch(/broken\.json: /);
  });
});
