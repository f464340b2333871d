import fs from 'node:fs';
import {
  compareDecisions,
  defaultBacktestConfig,
  DomainInputError,
  runBacktest,
  type DivergenceReport,
  type LiveSignal,
} from '@catalyst/domain';
import { marketCalendar } from '@catalyst/market-sim';
import { createProgress } from './progress';
import { buildReport, formatReport, renderHtml } from './report';
import { liveSignals, storedNews, withDatabase, withStoredNews } from './sources/db.source';
import { csvSource, InputFileError, jsonSource } from './sources/file.source';
import { simSource } from './sources/sim.source';
import type { BacktestData } from './sources/types';

export const USAGE = `Usage: pnpm backtest --from YYYY-MM-DD --to YYYY-MM-DD [options]

Replays historical bars and news through the live strategy, in process, and prints the
performance report. Dates are New York trading dates; --to is included.

  --from, --to        the range (ISO-8601 instants are accepted too; then --to is exclusive)
  --symbols A,B       only these symbols (default: all the source has)
  --source SRC        sim (default) | csv:<dir> | json:<file> | db
                        csv: bars.csv (t,symbol,o,h,l,c,v) and news.csv (received_at,symbol?,headline,summary?,source?)
                        db: the news stored in DATABASE_URL at their received times, over --bars,
                            and the divergence from what live trading decided and did
  --bars SRC          where the db source takes bars from: sim (default) | csv:<dir> | json:<file>
  --seed N            simulator seed (default 42, as SIM_SEED)
  --universe N        simulator universe size (default 100)
  --news-latency-ms N simulator: delay from publication to receipt (default 0)
  --equity N          starting equity (default 100000)
  --slippage-bps N    adverse slippage of every fill (default 2)
  --json FILE         also write the report as JSON
  --html FILE         also write a self-contained HTML report (inline SVG equity curve)
  --quiet             no progress bar
  --help              this text

Exit codes: 0 done, 1 the data or the database failed, 2 bad arguments.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

export interface CliOptions {
  from: number;
  to: number;
  symbols: string[] | undefined;
  source: string;
  bars: string;
  seed: number;
  universe: number;
  newsLatencyMs: number;
  equity: number;
  slippageBps: number;
  json: string | undefined;
  html: string | undefined;
  quiet: boolean;
}

const FLAGS = new Set([
  'from',
  'to',
  'symbols',
  'source',
  'bars',
  'seed',
  'universe',
  'news-latency-ms',
  'equity',
  'slippage-bps',
  'json',
  'html',
]);

/** A date (a New York trading date: its midnight, or the next one for the end) or an ISO instant. */
function parseWhen(flag: string, text: string, end: boolean): number {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const ms = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
      throw new UsageError(`--${flag} ${text} is not a date`);
    }
    return marketCalendar.newYorkMidnight(ms / 86_400_000 + (end ? 1 : 0));
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(
    `--${flag} ${JSON.stringify(text)} is not a date (YYYY-MM-DD) or an ISO-8601 instant with a zone`,
  );
}

function parseNumber(flag: string, text: string, min: number, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

function checkSource(flag: string, value: string, allowDb: boolean): string {
  if (value === 'sim' || (allowDb && value === 'db')) return value;
  if (/^(csv|json):.+/.test(value)) return value;
  throw new UsageError(
    `--${flag} must be sim${allowDb ? ', db' : ''}, csv:<dir> or json:<file>, got ${JSON.stringify(value)}`,
  );
}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  const values = new Map<string, string>();
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m || !FLAGS.has(m[1]!)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--')))
      throw new UsageError(`--${m[1]} needs a value`);
    if (values.has(m[1]!)) throw new UsageError(`--${m[1]} given twice`);
    values.set(m[1]!, value);
  }
  if (!values.has('from') || !values.has('to')) throw new UsageError('--from and --to are required');
  const from = parseWhen('from', values.get('from')!, false);
  const to = parseWhen('to', values.get('to')!, true);
  if (!(to > from)) {
    throw new UsageError(
      `the range is empty or inverted: --to ${values.get('to')} is before --from ${values.get('from')}`,
    );
  }
  if (to - from > 366 * 86_400_000) throw new UsageError('the range is longer than a year; split it');
  let symbols: string[] | undefined;
  if (values.has('symbols')) {
    symbols = values
      .get('symbols')!
      .split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const bad = symbols.filter((s) => !/^[A-Z][A-Z0-9.]{0,9}$/.test(s));
    if (symbols.length === 0 || bad.length)
      throw new UsageError(`--symbols: not tickers: ${bad.join(', ') || '(none given)'}`);
  }
  return {
    from,
    to,
    symbols,
    source: checkSource('source', values.get('source') ?? 'sim', true),
    bars: checkSource('bars', values.get('bars') ?? 'sim', false),
    seed: values.has('seed') ? parseNumber('seed', values.get('seed')!, 0, true) : 42,
    universe: values.has('universe') ? parseNumber('universe', values.get('universe')!, 1, true) : 100,
    newsLatencyMs: values.has('news-latency-ms')
      ? parseNumber('news-latency-ms', values.get('news-latency-ms')!, 0, true)
      : 0,
    equity: values.has('equity') ? parseNumber('equity', values.get('equity')!, 1, false) : 100_000,
    slippageBps: values.has('slippage-bps') ? parseNumber('slippage-bps', values.get('slippage-bps')!, 0, false) : 2,
    json: values.get('json'),
    html: values.get('html'),
    quiet,
  };
}

function loadSource(spec: string, o: CliOptions): BacktestData {
  if (spec === 'sim') {
    if (o.universe > 400) throw new UsageError('--universe must be at most 400');
    return simSource({
      seed: o.seed,
      from: o.from,
      to: o.to,
      universe: o.universe,
      symbols: o.symbols,
      newsLatencyMs: o.newsLatencyMs,
    });
  }
  if (spec.startsWith('csv:')) return filtered(csvSource(spec.slice(4)), o.symbols);
  return filtered(jsonSource(spec.slice(5)), o.symbols);
}

function filtered(data: BacktestData, symbols: readonly string[] | undefined): BacktestData {
  if (!symbols?.length) return data;
  const wanted = new Set(symbols);
  return {
    ...data,
    events: function* () {
      for (const e of data.events()) {
        if (e.kind === 'bar' ? wanted.has(e.symbol) : !e.symbols || e.symbols.some((s) => wanted.has(s))) yield e;
      }
    },
    estimatedEvents: undefined,
  };
}

/** Runs the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions | 'help';
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`backtest: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (options === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const o = options;
  try {
    let data: BacktestData;
    let live: LiveSignal[] | null = null;
    if (o.source === 'db') {
      const url = io.env.DATABASE_URL;
      if (!url) throw new UsageError('--source db needs DATABASE_URL');
      const bars = loadSource(o.bars, o);
      const stored = await withDatabase(url, async (db) => {
        const news = await storedNews(db, o.from, o.to, o.symbols);
        live = await liveSignals(db, o.from, o.to, o.symbols);
        return news;
      });
      data = withStoredNews(bars, stored);
    } else {
      data = loadSource(o.source, o);
    }
    const extent = data.estimatedEvents !== undefined ? { events: data.estimatedEvents } : { from: o.from, to: o.to };
    const progress = o.quiet ? null : createProgress(io.stderr, extent);
    const config = defaultBacktestConfig(o.from, o.to, {
      startingEquity: o.equity,
      slippageBps: o.slippageBps,
      warmup: data.warmup,
      assets: data.assets,
      sourceQuality: data.sourceQuality,
      ...(progress ? { onProgress: progress.update, progressEvery: 20_000 } : {}),
    });
    const result = runBacktest(data.events(), config);
    progress?.done(result.counts.events);
    let divergence: DivergenceReport | undefined;
    if (live !== null) divergence = compareDecisions(live, result);
    const report = buildReport(
      result,
      { source: data.description, from: o.from, to: o.to, symbols: o.symbols },
      divergence,
    );
    io.stdout(`${formatReport(report)}\n`);
    if (o.json) fs.writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
    if (o.html) fs.writeFileSync(o.html, renderHtml(report));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`backtest: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InputFileError || e instanceof DomainInputError) {
      io.stderr.write(`backtest: ${e.message}\n`);
      return 1;
    }
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ECONNREFUSED' || code === 'ENOTDIR') {
      io.stderr.write(`backtest: ${(e as Error).message}\n`);
      return 1;
    }
    if (e instanceof Error && /not in the simulator's universe/.test(e.message)) {
      io.stderr.write(`backtest: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
