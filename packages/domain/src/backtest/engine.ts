import { DomainInputError } from '../errors';
import { analyzeNews } from '../news/analyze';
import { catalystScore } from '../news/catalyst-score';
import { createTickerIndex, type TickerIndex } from '../news/tickers';
import { fixedToString, mulFixed, toFixed, type Fixed } from '../orders/decimal';
import type { EquityPoint, OpenPositionRecord, TradeRecord } from '../performance';
import { summarizePerformance } from '../performance/summary';
import { evaluateEntry } from '../risk/evaluate-entry';
import type { PortfolioSnapshot } from '../risk/types';
import { marketSession, regularSessionFraction } from '../scanning/market-session';
import { rankCandidates, type ScanInput } from '../scanning/rank-candidates';
import { shouldStartFastPath } from '../schedule/fast-path';
import { newYorkMoment } from '../schedule/new-york-time';
import { nextCycleAt, scheduleAt } from '../schedule/schedule-at';
import { decideSignal } from '../signals/decide';
import type { SignalDetection, TimeframeSummary } from '../signals/types';
import { entryFillPrice, exitFill, type Side } from './fills';
import { TimeframeBook } from './timeframe-book';
import type {
  BacktestBar,
  BacktestCatalyst,
  BacktestConfig,
  BacktestDecision,
  BacktestEvent,
  BacktestFill,
  BacktestNews,
  BacktestResult,
  BacktestTimeframe,
} from './types';

const MINUTE_MS = 60_000;
/** How far back another outlet carrying the same catalyst counts as confirmation (NEWS_STORY_WINDOW_HOURS). */
const STORY_WINDOW_MS = 48 * 60 * MINUTE_MS;
/** A fast-path cycle for a symbol waits this long after the last one for it (the coordination service's cooldown). */
const FAST_PATH_COOLDOWN_SECONDS = 300;

/** When an event happens: a bar when it is complete (its start + 1 minute), news when Catalyst received it. */
export function eventTime(e: BacktestEvent): number {
  return e.kind === 'bar' ? e.t + MINUTE_MS : e.receivedAt;
}

/**
 * Puts events in replay order: by `eventTime`, bars before news at the same instant (a bar that
 * completes as the news arrives was already on the screen), then by symbol and id, so the order is
 * the same whatever order the source read them in.
 */
export function sortEvents(events: BacktestEvent[]): BacktestEvent[] {
  return events.sort((a, b) => {
    const d = eventTime(a) - eventTime(b);
    if (d !== 0) return d;
    if (a.kind !== b.kind) return a.kind === 'bar' ? -1 : 1;
    if (a.kind === 'bar' && b.kind === 'bar') return a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0;
    const x = (a as BacktestNews).id;
    const y = (b as BacktestNews).id;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

interface Pending {
  symbol: string;
  side: Side;
  qty: string;
  qtyFixed: Fixed;
  limit: number;
  stop: number;
  target: number;
  placedAt: number;
  catalyst: BacktestCatalyst;
}

interface Position {
  symbol: string;
  side: Side;
  qty: string;
  qtyFixed: Fixed;
  entryPrice: number;
  stop: number;
  target: number;
  openedAt: number;
  catalyst: BacktestCatalyst;
  /** The bar whose open filled the entry: its exits are checked on that same bar. */
  filledOnBar: number;
}

interface SymbolState {
  symbol: string;
  /** The signal's timeframes, in the configured order. */
  books: TimeframeBook[];
  minute: TimeframeBook;
  day: TimeframeBook;
  lastPrice: number;
  catalysts: BacktestCatalyst[];
  pending: Pending | null;
  position: Position | null;
  lastCycleAt: number | null;
}

const money = (x: Fixed): string => fixedToString(x, 2);
const signOf = (side: Side): bigint => (side === 'long' ? 1n : -1n);

/**
 * Replays bars and news through the live decisions, in process: news → `analyzeNews` and
 * `catalystScore` (a catalyst per linked symbol) → the scheduled cycles (`nextCycleAt`) and the fast
 * path (`shouldStartFastPath`) → `rankCandidates` → `decideSignal` over streaming indicator summaries
 * (equal to `signalFromSeries` on the same bars) → `evaluateEntry` → a simulated bracket (fills.ts)
 * → trades → `summarizePerformance`. Pure and deterministic: the same events and config give the
 * same result. Events must be in `sortEvents` order; anything else throws.
 */
export function runBacktest(events: Iterable<BacktestEvent>, config: BacktestConfig): BacktestResult {
  if (!(config.to > config.from)) {
    throw new DomainInputError('BACKTEST.INVALID_RANGE', '`to` must be after `from`', {
      from: config.from,
      to: config.to,
    });
  }
  if (!(config.startingEquity > 0)) throw new DomainInputError('BACKTEST.INVALID_CONFIG', 'startingEquity must be > 0');
  const rules = config.rules;
  const limits = config.limits;
  const slip = config.slippageBps;
  const timeframes = config.timeframes;
  const symbols = new Map<string, SymbolState>();
  const assetNames = new Map((config.assets ?? []).map((a) => [a.symbol, a]));
  let tickerIndex: TickerIndex | null = null;
  let indexedSymbols = -1;

  const trades: TradeRecord[] = [];
  const equity: EquityPoint[] = [];
  const decisions: BacktestDecision[] = [];
  const fills: BacktestFill[] = [];
  const catalysts: BacktestCatalyst[] = [];
  const cancelledEntries: BacktestResult['cancelledEntries'] = [];
  const counts = { events: 0, bars: 0, news: 0, cycles: 0, signals: 0 };
  /** Recent catalysts by symbol and type, with their sources, for confirmation. */
  const recentBySymbolType = new Map<string, Array<{ at: number; source: string }>>();

  let cash: Fixed = toFixed(config.startingEquity);
  let realizedToday: Fixed = 0n;
  let dayStartEquity = '';
  let dailyLossLimitHit = false;
  let currentDay = Number.NaN;
  const lastExitAt: Record<string, number> = {};
  let lastTime = -Infinity;
  let lastCycleStarted: number | null = null;
  let nextCycle: number | null = null;
  let catalystSeq = 0;

  const intradayCap = Math.max(config.intradayBars, config.momentumMinutes + 1, 64);
  const dailyCap = Math.max(config.dailyBars, config.avgVolumeDays + 2);

  function symbolState(symbol: string): SymbolState {
    let s = symbols.get(symbol);
    if (s) return s;
    const books: TimeframeBook[] = [];
    let minute: TimeframeBook | null = null;
    let day: TimeframeBook | null = null;
    for (const tf of timeframes) {
      const book = new TimeframeBook(tf, tf === '1Day' ? dailyCap : intradayCap);
      books.push(book);
      if (tf === '1Min') minute = book;
      if (tf === '1Day') day = book;
    }
    minute ??= new TimeframeBook('1Min', intradayCap);
    day ??= new TimeframeBook('1Day', dailyCap);
    s = {
      symbol,
      books,
      minute,
      day,
      lastPrice: NaN,
      catalysts: [],
      pending: null,
      position: null,
      lastCycleAt: null,
    };
    const warm = config.warmup?.[symbol];
    if (warm) {
      const seeded = new Set<TimeframeBook>();
      for (const book of [...books, minute, day]) {
        if (seeded.has(book)) continue;
        seeded.add(book);
        const bars = warm[book.timeframe as BacktestTimeframe];
        if (!bars) continue;
        for (const b of bars) book.seed(b.t, b.o, b.h, b.l, b.c, b.v);
        if (bars.length) s.lastPrice = bars[bars.length - 1]!.c;
      }
    }
    symbols.set(symbol, s);
    return s;
  }

  // Symbols of the warm-up are known from the start (their names serve ticker extraction).
  for (const symbol of Object.keys(config.warmup ?? {})) symbolState(symbol);
  for (const a of config.assets ?? []) symbolState(a.symbol);

  function equityNow(): Fixed {
    let e = cash;
    for (const s of symbols.values()) {
      const p = s.position;
      if (!p) continue;
      e += signOf(p.side) * mulFixed(p.qtyFixed, toFixed(s.lastPrice), 'half_even');
    }
    return e;
  }

  function grossExposure(): Fixed {
    let g = 0n;
    for (const s of symbols.values()) {
      if (s.position) g += mulFixed(s.position.qtyFixed, toFixed(s.lastPrice), 'half_even');
    }
    return g;
  }

  function snapshot(at: number): void {
    const e = money(equityNow());
    const last = equity[equity.length - 1];
    if (last && last.at === new Date(at).toISOString()) last.equity = e;
    else equity.push({ at: new Date(at).toISOString(), equity: e });
  }

  function newDay(at: number): void {
    const day = newYorkMoment(at).day;
    if (day === currentDay) return;
    currentDay = day;
    realizedToday = 0n;
    dailyLossLimitHit = false;
    dayStartEquity = money(equityNow());
  }

  function closePosition(s: SymbolState, at: number, price: number, role: 'stop' | 'target' | 'end'): void {
    const p = s.position!;
    const exit = toFixed(price);
    const entry = toFixed(p.entryPrice);
    const pnl = signOf(p.side) * mulFixed(exit - entry, p.qtyFixed, 'half_even');
    cash += signOf(p.side) * mulFixed(exit, p.qtyFixed, 'half_even');
    realizedToday += pnl;
    fills.push({
      at,
      symbol: s.symbol,
      side: p.side === 'long' ? 'sell' : 'buy',
      role,
      qty: p.qty,
      price: String(price),
    });
    trades.push({
      id: `bt-${trades.length + 1}`,
      symbol: s.symbol,
      side: p.side,
      qty: p.qty,
      entryPrice: String(p.entryPrice),
      exitPrice: String(price),
      openedAt: new Date(p.openedAt).toISOString(),
      closedAt: new Date(at).toISOString(),
      realizedPnl: fixedToString(pnl, 2),
      fees: '0',
      exitReason: role,
      catalystId: p.catalyst.id,
      catalystType: p.catalyst.type,
      source: p.catalyst.source,
      newsItemId: p.catalyst.newsItemId,
      newsToOrderMs: p.openedAt - p.catalyst.at,
    });
    lastExitAt[s.symbol] = at;
    s.position = null;
    snapshot(at);
  }

  function onBar(bar: BacktestBar, at: number): void {
    const s = symbolState(bar.symbol);
    counts.bars++;
    const pending = s.pending;
    if (pending && pending.placedAt <= bar.t) {
      const price = entryFillPrice(pending.side, pending.limit, bar, slip);
      if (price !== null) {
        const px = toFixed(price);
        cash -= signOf(pending.side) * mulFixed(px, pending.qtyFixed, 'half_even');
        s.position = {
          symbol: s.symbol,
          side: pending.side,
          qty: pending.qty,
          qtyFixed: pending.qtyFixed,
          entryPrice: price,
          stop: pending.stop,
          target: pending.target,
          openedAt: bar.t,
          catalyst: pending.catalyst,
          filledOnBar: bar.t,
        };
        s.pending = null;
        fills.push({
          at: bar.t,
          symbol: s.symbol,
          side: pending.side === 'long' ? 'buy' : 'sell',
          role: 'entry',
          qty: pending.qty,
          price: String(price),
        });
      } else if (at - pending.placedAt >= config.entryTimeoutMinutes * MINUTE_MS) {
        cancelledEntries.push({
          at,
          symbol: s.symbol,
          reason: `limit ${pending.limit} not reached in ${config.entryTimeoutMinutes} min`,
        });
        s.pending = null;
      }
    }
    const p = s.position;
    if (p) {
      // On the fill bar only the part after the open remains, and the entry took the open.
      const exitBar = p.filledOnBar === bar.t ? { o: p.entryPrice, h: bar.h, l: bar.l } : bar;
      const exit = exitFill(p.side, p.stop, p.target, exitBar, slip);
      if (exit) {
        s.lastPrice = bar.c;
        closePosition(s, at, exit.price, exit.role);
      }
    }
    s.lastPrice = bar.c;
    const books = s.books;
    for (let i = 0; i < books.length; i++) books[i]!.addMinute(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
    if (!books.includes(s.minute)) s.minute.addMinute(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
    if (!books.includes(s.day)) s.day.addMinute(bar.t, bar.o, bar.h, bar.l, bar.c, bar.v);
  }

  function ensureTickerIndex(): TickerIndex {
    if (tickerIndex && indexedSymbols === symbols.size) return tickerIndex;
    const assets = [...symbols.keys()].map((symbol) => {
      const a = assetNames.get(symbol);
      return { symbol, name: a?.name ?? symbol, ...(a?.exchange ? { exchange: a.exchange } : {}) };
    });
    tickerIndex = createTickerIndex(assets);
    indexedSymbols = symbols.size;
    return tickerIndex;
  }

  function onNews(news: BacktestNews, at: number): void {
    counts.news++;
    const analysis = analyzeNews(ensureTickerIndex(), {
      headline: news.headline,
      ...(news.summary ? { summary: news.summary } : {}),
      ...(news.symbols ? { providerSymbols: news.symbols } : {}),
    });
    const c = analysis.catalyst;
    if (!c || c.direction === 'neutral') return;
    const acquirers = new Set(c.details.acquirers ?? []);
    const publishedAt = news.publishedAt ?? news.receivedAt;
    const quality = news.sourceQuality ?? config.sourceQuality?.[news.source] ?? 0.5;
    for (const link of analysis.tickers) {
      if (link.confidence < config.minTickerConfidence || acquirers.has(link.symbol)) continue;
      const s = symbols.get(link.symbol);
      if (!s) continue;
      const key = `${link.symbol}|${c.type}`;
      const recent = (recentBySymbolType.get(key) ?? []).filter((r) => r.at > at - STORY_WINDOW_MS);
      recent.push({ at, source: news.source });
      recentBySymbolType.set(key, recent);
      const independentSources = new Set(recent.map((r) => r.source)).size;
      const { score } = catalystScore({
        classification: c,
        sentiment: analysis.sentiment,
        sourceQuality: quality,
        publishedAt,
        now: at,
        independentSources,
      });
      if (score < config.catalystMinScore) continue;
      const catalyst: BacktestCatalyst = {
        id: `cat-${++catalystSeq}`,
        symbol: link.symbol,
        newsItemId: news.id,
        type: c.type,
        direction: c.direction,
        score,
        at,
        publishedAt,
        source: news.source,
        headline: news.headline,
      };
      catalysts.push(catalyst);
      s.catalysts.push(catalyst);
      for (const book of s.books) book.startStreaming();
      const fast = shouldStartFastPath(
        { symbol: s.symbol, score },
        { tradingHalted: false, fastPathMinScore: config.fastPathMinScore, sessionSchedule: config.schedule },
        {
          now: at,
          cooldownSeconds: FAST_PATH_COOLDOWN_SECONDS,
          lastSymbolCycle: s.lastCycleAt === null ? null : { status: 'completed', startedAt: s.lastCycleAt },
        },
      );
      if (fast.action === 'start' && at >= config.from) runCycle(at, 'fast_path', [s]);
    }
  }

  /** The symbol's strongest catalyst still inside the scanner's window, and drops the older ones. */
  function freshCatalyst(s: SymbolState, at: number): BacktestCatalyst | null {
    const horizon = at - config.scanFilters.maxCatalystAgeMinutes * MINUTE_MS;
    while (s.catalysts.length && s.catalysts[0]!.at < horizon) s.catalysts.shift();
    let best: BacktestCatalyst | null = null;
    for (const c of s.catalysts) if (!best || c.score >= best.score) best = c;
    return best;
  }

  function scanInput(s: SymbolState, catalyst: BacktestCatalyst): ScanInput<BacktestCatalyst & { at: number }> {
    const today = s.day.back(0);
    const yesterday = s.day.back(1);
    let volumeSum = 0;
    let days = 0;
    for (let k = 1; k <= config.avgVolumeDays; k++) {
      const d = s.day.back(k);
      if (!d) break;
      volumeSum += d.v;
      days++;
    }
    const ago = s.minute.back(config.momentumMinutes);
    const price = Number.isFinite(s.lastPrice) && s.lastPrice > 0 ? s.lastPrice : null;
    return {
      symbol: s.symbol,
      ...(assetNames.get(s.symbol)?.exchange ? { exchange: assetNames.get(s.symbol)!.exchange! } : {}),
      price,
      prevClose: yesterday?.c ?? null,
      dayOpen: today?.o ?? null,
      dayVolume: today?.v ?? null,
      avgDailyVolume: days ? volumeSum / days : null,
      momentum: price !== null && ago ? price / ago.c - 1 : null,
      momentumMinutes: config.momentumMinutes,
      bid: null,
      ask: null,
      catalyst,
    };
  }

  function portfolio(): PortfolioSnapshot {
    const e = equityNow();
    const positions = [];
    const pendingEntries = [];
    for (const s of symbols.values()) {
      if (s.position) {
        positions.push({
          symbol: s.symbol,
          side: s.position.side,
          qty: s.position.qty,
          avgPrice: String(s.position.entryPrice),
          currentPrice: String(s.lastPrice),
        });
      }
      if (s.pending) {
        pendingEntries.push({
          symbol: s.symbol,
          side: s.pending.side,
          notional: fixedToString(mulFixed(toFixed(s.pending.limit), s.pending.qtyFixed, 'half_even')),
        });
      }
    }
    const buyingPower = mulFixed(e, toFixed(config.buyingPowerMultiplier), 'floor') - grossExposure();
    return {
      equity: money(e),
      buyingPower: money(buyingPower > 0n ? buyingPower : 0n),
      dayStartEquity: dayStartEquity || money(e),
      realizedPnlToday: money(realizedToday),
      dailyLossLimitHit,
      positions,
      pendingEntries,
      lastExitAt,
    };
  }

  function signal(s: SymbolState, catalyst: BacktestCatalyst, at: number, trigger: BacktestDecision['trigger']): void {
    const summaries: TimeframeSummary[] = [];
    const detections: SignalDetection[] = [];
    for (const book of s.books) {
      book.startStreaming();
      summaries.push(book.summary());
      detections.push(...book.detections(rules.patterns.maxAgeBars));
    }
    const primary =
      summaries.find((x) => x.timeframe === rules.primaryTimeframe && x.bars > 0) ?? summaries.find((x) => x.bars > 0);
    if (!primary) return;
    counts.signals++;
    const decision = decideSignal(
      {
        symbol: s.symbol,
        price: primary.close,
        timeframes: summaries,
        detections,
        catalyst: {
          id: catalyst.id,
          newsItemIds: [catalyst.newsItemId],
          type: catalyst.type,
          direction: catalyst.direction,
          score: catalyst.score,
          ageMinutes: Math.max(0, (at - catalyst.at) / MINUTE_MS),
          headline: catalyst.headline,
        },
      },
      rules,
    );
    const record: BacktestDecision = {
      at,
      symbol: s.symbol,
      trigger,
      action: decision.action,
      score: decision.score,
      confidence: decision.confidence,
      entry: decision.entry,
      stop: decision.stop,
      target: decision.target,
      catalystId: catalyst.id,
      newsItemId: catalyst.newsItemId,
      reason: decision.reasons[decision.reasons.length - 1]?.text ?? '',
      risk: null,
    };
    decisions.push(record);
    if (decision.action === 'HOLD') return;
    const side: Side = decision.action === 'BUY' ? 'long' : 'short';
    const verdict = evaluateEntry(
      {
        symbol: s.symbol,
        side,
        entry: decision.entry!,
        stop: decision.stop!,
        target: decision.target,
        price: s.lastPrice,
        avgVolume: scanInput(s, catalyst).avgDailyVolume ?? 0,
        signalAt: at,
        catalyst: { publishedAt: catalyst.publishedAt, sources: [{ name: catalyst.source, circuitState: 'closed' }] },
      },
      portfolio(),
      limits,
      { now: at, session: marketSession(at), halted: false },
    );
    if (!verdict.approved) {
      record.risk = { approved: false, reason: verdict.reason, message: verdict.message };
      if (verdict.reason === 'daily_loss_limit') dailyLossLimitHit = true;
      return;
    }
    record.risk = { approved: true, qty: verdict.qty };
    s.pending = {
      symbol: s.symbol,
      side,
      qty: verdict.qty,
      qtyFixed: toFixed(verdict.qty),
      limit: Number(verdict.prices.entry),
      stop: Number(verdict.prices.stop),
      target: Number(verdict.prices.takeProfit ?? decision.target),
      placedAt: at,
      catalyst,
    };
  }

  function runCycle(at: number, trigger: BacktestDecision['trigger'], only?: SymbolState[]): void {
    counts.cycles++;
    const inputs: Array<ScanInput<BacktestCatalyst & { at: number }>> = [];
    for (const s of only ?? symbols.values()) {
      const c = freshCatalyst(s, at);
      if (!c) {
        if (!only) for (const book of s.books) if (book.streaming) book.stopStreaming();
        continue;
      }
      inputs.push(scanInput(s, c));
    }
    if (inputs.length === 0) return;
    const ranked = rankCandidates(inputs, config.scanWeights, config.scanFilters, at, {
      sessionFraction: regularSessionFraction(at),
      top: only ? only.length : config.cycleSize[scheduleAt(config.schedule, at).mode],
    });
    for (const candidate of ranked.candidates) {
      const s = symbols.get(candidate.symbol)!;
      s.lastCycleAt = at;
      signal(s, candidate.catalyst!, at, trigger);
    }
    snapshot(at);
  }

  function runDueCycles(until: number): void {
    nextCycle ??= nextCycleAt(config.schedule, lastCycleStarted, Math.max(config.from, lastTime));
    while (nextCycle !== null && nextCycle <= until && nextCycle < config.to) {
      const at = nextCycle;
      newDay(at);
      runCycle(at, 'schedule');
      lastCycleStarted = at;
      nextCycle = nextCycleAt(config.schedule, lastCycleStarted, at + 1);
    }
  }

  const every = config.progressEvery ?? 100_000;
  for (const event of events) {
    const at = eventTime(event);
    if (!(at >= lastTime)) {
      throw new DomainInputError('BACKTEST.OUT_OF_ORDER', `events out of order at ${new Date(at).toISOString()}`, {
        at,
        previous: lastTime,
      });
    }
    if (at >= config.to) break;
    if (at >= config.from) runDueCycles(at);
    lastTime = at;
    counts.events++;
    if (config.onProgress && counts.events % every === 0) config.onProgress(counts.events, at);
    if (event.kind === 'bar') {
      if (!(event.o > 0 && event.h >= event.l && event.c > 0 && event.v >= 0)) {
        throw new DomainInputError(
          'BACKTEST.BAD_BAR',
          `bad bar for ${event.symbol} at ${new Date(event.t).toISOString()}`,
          {
            bar: event,
          },
        );
      }
      if (at >= config.from) newDay(at);
      onBar(event, at);
    } else if (at >= config.from) {
      newDay(at);
      onNews(event, at);
    } else {
      // News before the range still counts as a catalyst that may be fresh at the start.
      onNews(event, at);
    }
  }
  runDueCycles(config.to - 1);
  if (config.onProgress) config.onProgress(counts.events, config.to);

  // Working entries lapse at the end; open positions are reported open, at their last price.
  const openPositions: OpenPositionRecord[] = [];
  for (const s of symbols.values()) {
    const p = s.position;
    if (!p) continue;
    const unrealized = signOf(p.side) * mulFixed(toFixed(s.lastPrice) - toFixed(p.entryPrice), p.qtyFixed, 'half_even');
    openPositions.push({
      symbol: s.symbol,
      side: p.side,
      qty: p.qty,
      avgEntryPrice: String(p.entryPrice),
      currentPrice: String(s.lastPrice),
      unrealizedPnl: money(unrealized),
      openedAt: new Date(p.openedAt).toISOString(),
    });
  }
  const endAt = Math.min(Math.max(lastTime, config.from), config.to - 1);
  if (equity.length === 0)
    equity.push({ at: new Date(config.from).toISOString(), equity: money(toFixed(config.startingEquity)) });
  snapshot(endAt);
  const summary = summarizePerformance({
    trades,
    equity,
    openPositions,
    from: config.from,
    to: config.to,
  });
  return { summary, trades, equity, openPositions, decisions, fills, catalysts, cancelledEntries, counts };
}
