import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src';

describe('toCsv', () => {
  it('header from the keys in first-seen order, CRLF line ends', () => {
    expect(
      toCsv([
        { a: 1, b: 'x' },
        { b: 'y', c: true },
      ]),
    ).toBe('a,b,c\r\n1,x,\r\n,y,true\r\n');
  });

  it('quotes commas, quotes, line breaks and edge spaces; doubles quotes', () => {
    const csv = toCsv([{ v: 'a,b' }, { v: 'say "hi"' }, { v: 'two\nlines' }, { v: ' padded' }, { v: 'plain' }]);
    expect(csv).toBe('v\r\n"a,b"\r\n"say ""hi"""\r\n"two\nlines"\r\n" padded"\r\nplain\r\n');
  });

  it('null and undefined are empty fields; objects are JSON', () => {
    expect(toCsv([{ a: null, b: undefined, c: { k: [1, 2] } }])).toBe('a,b,c\r\n,,"{""k"":[1,2]}"\r\n');
  });

  it('keeps a spreadsheet from running a cell as a formula, but leaves negative numbers alone', () => {
    const csv = toCsv([{ v: '=HYPERLINK("x","y")' }, { v: '@SUM(A1)' }, { v: '-12.50' }, { v: -3 }, { v: '+1e3' }]);
    expect(csv).toBe('v\r\n"\'=HYPERLINK(""x"",""y"")"\r\n\'@SUM(A1)\r\n-12.50\r\n-3\r\n+1e3\r\n');
  });

  it('columns pick and order the fields; no rows is a header alone', () => {
    expect(toCsv([{ a: 1, b: 2, c: 3 }], ['c', 'a'])).toBe('c,a\r\n3,1\r\n');
    expect(toCsv([], ['date', 'pnl'])).toBe('date,pnl\r\n');
  });
});
