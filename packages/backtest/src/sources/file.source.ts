import fs from 'node:fs';
import path from 'node:path';
import { sortEvents, type BacktestBar, type BacktestEvent, type BacktestNews } from '@catalyst/domain';
import type { BacktestData } from './types';

/** Bad input in a user's file: every problem found, each naming the file, line and column. */
export class InputFileError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]!
        : `${problems.length} problems in the input:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`,
    );
    this.name = 'InputFileError';
  }
}

/** Splits CSV text into rows of fields (RFC 4180: quoted fields, doubled quotes, CRLF), with each row's line number. */
export function parseCsv(text: string, file: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (quoted) throw new InputFileError([`${file} line ${rowLine}: a quoted field is never closed`]);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

/** A time as epoch ms: ISO-8601 with a zone, or epoch milliseconds / seconds as digits. */
export function parseTime(text: string): number | null {
  const s = text.trim();
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,13}$/.test(s)) return Number(s);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
}

type Row = Record<string, string | number | null | undefined>;
type Where = (column: string) => string;

function num(row: Row, column: string, where: Where, problems: string[], min = 0, strictlyPositive = false): number {
  const raw = row[column];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(value) || value < min || (strictlyPositive && value <= 0)) {
    problems.push(
      `${where(column)}: ${JSON.stringify(raw ?? '')} is not a ${strictlyPositive ? 'positive ' : ''}number`,
    );
    return NaN;
  }
  return value;
}

function time(row: Row, column: string, where: Where, problems: string[]): number {
  const raw = row[column];
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseTime(raw) : null;
  if (value === null || !Number.isFinite(value)) {
    problems.push(`${where(column)}: ${JSON.stringify(raw ?? '')} is not a time (ISO-8601 with a zone, or epoch ms)`);
    return NaN;
  }
  return value;
}

function text(row: Row, column: string, where: Where, problems: string[], required: boolean): string | undefined {
  const raw = row[column];
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    if (required) problems.push(`${where(column)}: missing`);
    return undefined;
  }
  if (typeof raw !== 'string') {
    problems.push(`${where(column)}: must be text`);
    return undefined;
  }
  return raw.trim();
}

const SYMBOL_RE = /^[A-Z][A-Z0-9.]{0,9}$/;

/** One bar from a CSV row or a JSON object; problems are appended, a bad row gives null. */
export function readBar(row: Row, where: Where, problems: string[]): BacktestBar | null {
  const before = problems.length;
  const t = time(row, 't', where, problems);
  const symbol = text(row, 'symbol', where, problems, true);
  if (symbol !== undefined && !SYMBOL_RE.test(symbol))
    problems.push(`${where('symbol')}: ${JSON.stringify(symbol)} is not a ticker`);
  const o = num(row, 'o', where, problems, 0, true);
  const h = num(row, 'h', where, problems, 0, true);
  const l = num(row, 'l', where, problems, 0, true);
  const c = num(row, 'c', where, problems, 0, true);
  const v = num(row, 'v', where, problems, 0);
  if ([o, h, l, c].every(Number.isFinite)) {
    if (h < Math.max(o, c, l)) problems.push(`${where('h')}: high ${h} is below the open, close or low`);
    else if (l > Math.min(o, c)) problems.push(`${where('l')}: low ${l} is above the open or close`);
    else if (Number.isFinite(t) && t % 60_000 !== 0)
      problems.push(`${where('t')}: a minute bar must start on a whole minute`);
  }
  if (problems.length !== before) return null;
  return { kind: 'bar', symbol: symbol!, t, o, h, l, c, v };
}

/** One news item from a CSV row or a JSON object. */
export function readNews(row: Row, id: string, where: Where, problems: string[]): BacktestNews | null {
  const before = problems.length;
  const receivedAt = time(row, 'received_at', where, problems);
  const headline = text(row, 'headline', where, problems, true);
  const summary = text(row, 'summary', where, problems, false);
  const source = text(row, 'source', where, problems, false) ?? 'file';
  const symbolText = text(row, 'symbol', where, problems, false);
  const symbols = symbolText?.split(/[\s;|]+/).filter(Boolean);
  for (const s of symbols ?? []) {
    if (!SYMBOL_RE.test(s)) problems.push(`${where('symbol')}: ${JSON.stringify(s)} is not a ticker`);
  }
  let publishedAt: number | undefined;
  if (row.published_at !== undefined && row.published_at !== '' && row.published_at !== null) {
    publishedAt = time(row, 'published_at', where, problems);
  }
  if (problems.length !== before) return null;
  return {
    kind: 'news',
    id,
    receivedAt,
    ...(publishedAt !== undefined ? { publishedAt } : {}),
    headline: headline!,
    ...(summary ? { summary } : {}),
    source,
    ...(symbols?.length ? { symbols } : {}),
  };
}

const BAR_COLUMNS = ['t', 'symbol', 'o', 'h', 'l', 'c', 'v'];
const NEWS_COLUMNS = ['received_at', 'headline'];

function csvRows(file: string, required: readonly string[]): Array<{ line: number; row: Row }> {
  const name = path.basename(file);
  const rows = parseCsv(fs.readFileSync(file, 'utf8'), name);
  if (rows.length === 0) throw new InputFileError([`${name}: empty (the first line must name the columns)`]);
  const header = rows[0]!.fields.map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new InputFileError([`${name} line 1: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`]);
  }
  const problems: string[] = [];
  const out: Array<{ line: number; row: Row }> = [];
  for (const { line, fields } of rows.slice(1)) {
    if (fields.length !== header.length) {
      problems.push(`${name} line ${line}: ${fields.length} fields, the header has ${header.length}`);
      continue;
    }
    out.push({ line, row: Object.fromEntries(header.map((h, i) => [h, fields[i]])) });
  }
  if (problems.length) throw new InputFileError(problems);
  return out;
}

function finish(bars: BacktestBar[], news: BacktestNews[], problems: string[], description: string): BacktestData {
  if (problems.length) throw new InputFileError(problems);
  const seen = new Set<string>();
  for (const b of bars) {
    const key = `${b.symbol}@${b.t}`;
    if (seen.has(key)) problems.push(`two bars for ${b.symbol} at ${new Date(b.t).toISOString()}`);
    seen.add(key);
  }
  if (problems.length) throw new InputFileError(problems);
  const events = sortEvents([...bars, ...news] as BacktestEvent[]);
  return { description, events: () => events, estimatedEvents: events.length };
}

/**
 * A directory of CSV files: `bars.csv` (`t,symbol,o,h,l,c,v`, one-minute bars, `t` the bar's start)
 * and optionally `news.csv` (`received_at,symbol?,headline,summary?,source?,published_at?`; `symbol`
 * may list several tickers separated by spaces or `;`). Every row is checked; all problems are
 * reported together, each with its file, line and column.
 */
export function csvSource(dir: string): BacktestData {
  const barsFile = path.join(dir, 'bars.csv');
  if (!fs.existsSync(barsFile)) throw new InputFileError([`${barsFile}: not found (a csv source needs bars.csv)`]);
  const problems: string[] = [];
  const bars: BacktestBar[] = [];
  for (const { line, row } of csvRows(barsFile, BAR_COLUMNS)) {
    const bar = readBar(row, (column) => `bars.csv line ${line}, column ${column}`, problems);
    if (bar) bars.push(bar);
  }
  const news: BacktestNews[] = [];
  const newsFile = path.join(dir, 'news.csv');
  if (fs.existsSync(newsFile)) {
    for (const { line, row } of csvRows(newsFile, NEWS_COLUMNS)) {
      const item = readNews(row, `news.csv:${line}`, (column) => `news.csv line ${line}, column ${column}`, problems);
      if (item) news.push(item);
    }
  }
  return finish(bars, news, problems, `CSV files in ${dir}`);
}

/** A JSON file `{ "bars": [{t,symbol,o,h,l,c,v}…], "news": [{received_at,headline,…}…] }`, checked like the CSV. */
export function jsonSource(file: string): BacktestData {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputFileError([`${file}: ${(e as Error).message}`]);
  }
  const name = path.basename(file);
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { bars?: unknown }).bars)) {
    throw new InputFileError([`${name}: must be an object with a "bars" array (and optionally "news")`]);
  }
  const d = doc as { bars: unknown[]; news?: unknown };
  const problems: string[] = [];
  const bars: BacktestBar[] = [];
  d.bars.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) return void problems.push(`${name} bars[${i}]: not an object`);
    const bar = readBar(raw as Row, (column) => `${name} bars[${i}].${column}`, problems);
    if (bar) bars.push(bar);
  });
  const news: BacktestNews[] = [];
  if (d.news !== undefined && !Array.isArray(d.news)) problems.push(`${name}: "news" must be an array`);
  (Array.isArray(d.news) ? d.news : []).forEach((raw: unknown, i: number) => {
    if (typeof raw !== 'object' || raw === null) return void problems.push(`${name} news[${i}]: not an object`);
    const r = raw as Row;
    const id = typeof r.id === 'string' && r.id ? r.id : `news[${i}]`;
    const item = readNews(r, id, (column) => `${name} news[${i}].${column}`, problems);
    if (item) news.push(item);
  });
  return finish(bars, news, problems, `JSON file ${file}`);
}
