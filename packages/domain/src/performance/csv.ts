export type CsvCell = string | number | boolean | bigint | null | undefined | object;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') {
    // A spreadsheet runs a cell starting with = + - @ as a formula; a leading ' keeps it text.
    // Numbers ("-12.50") are left alone so they stay numbers.
    text = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  } else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as RFC 4180 CSV: a header line, CRLF line ends, a field quoted when it holds a comma, a
 * quote, a line break or edge whitespace, quotes doubled inside. `columns` picks and orders the
 * fields; by default every key in the order first seen. null and undefined are empty fields;
 * objects and arrays are written as JSON.
 */
export function toCsv(rows: readonly Record<string, CsvCell>[], columns?: readonly string[]): string {
  let cols = columns;
  if (!cols) {
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    cols = [...seen];
  }
  const lines = [cols.map((c) => cell(c)).join(',')];
  for (const r of rows) lines.push(cols.map((c) => cell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
