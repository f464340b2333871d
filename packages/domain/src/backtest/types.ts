import type { Direction } from '../news/types';
import type { PerformanceSummary, EquityPoint, OpenPositionRecord, TradeRecord } from '../performance';
import type { RiskLimits, RiskRefusalCode } from '../risk/types';
import type { ScanFilters, ScanWeights } from '../scanning';
import type { ScheduleMode, SessionSchedule } from '../schedule/session-schedule';
import type { SignalRules } from '../signals/rules';
import type { SignalAction } from '../signals/types';

/** One minute bar of one symbol; `t` is the bar's start, epoch milliseconds. */
export interface BacktestBar {
  kind: 'bar';
  symbol: string;
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/**
 * One news item as Catalyst received it. `receivedAt` orders the replay (what live trading saw and
 * when); `publishedAt` is the provider's time, used only where the live path uses it (the catalyst's
 * recency and the risk engine's news age).
 */
export interface BacktestNews {
  kind: 'news';
  id: string;
  receivedAt: number;
  publishedAt?: number | null | undefined;
  headline: string;
  summary?: string | undefined;
  /** The news source's name (news_sources.name). */
  source: string;
  /** 0..1; the source's quality where known (`config.sourceQuality` or 0.5 otherwise). */
  sourceQuality?: number | undefined;
  /** Symbols the provider attached (Alpaca news); tickers are also found in the text. */
  symbols?: readonly string[] | undefined;
}

export type BacktestEvent = BacktestBar | BacktestNews;

/** Bars before the replay's start that warm the indicators up (what the live service would fetch). */
export interface WarmupBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export type BacktestTimeframe = '1Min' | '5Min' | '15Min' | '1Hour' | '1Day';

export interface BacktestConfig {
  /** The replay's range, [from, to), epoch milliseconds: the report covers it. */
  from: number;
  to: number;
  startingEquity: number;
  /** Buying power = multiplier × equity − gross exposure (Alpaca's margin account: 2). */
  buyingPowerMultiplier: number;
  /** Adverse slippage of every simulated fill, basis points of the price. */
  slippageBps: number;
  /** A working entry not filled within this many minutes is cancelled (the signal's time to live). */
  entryTimeoutMinutes: number;
  /** Timeframes the signal reads, as the technical service (TECHNICAL_TIMEFRAMES). */
  timeframes: readonly BacktestTimeframe[];
  /** Bars kept per timeframe (TECHNICAL_INTRADAY_BARS, TECHNICAL_DAILY_BARS). */
  intradayBars: number;
  dailyBars: number;
  rules: SignalRules;
  limits: RiskLimits;
  scanWeights: ScanWeights;
  scanFilters: ScanFilters;
  /** Candidates a scheduled cycle carries through to signals, by the schedule's mode (the coordination service's sizes). */
  cycleSize: Readonly<Record<ScheduleMode, number>>;
  /** Minutes of the scanner's momentum figure (SCANNER_MOMENTUM_MINUTES). */
  momentumMinutes: number;
  /** Days of the average daily volume (SCANNER_AVG_VOLUME_DAYS). */
  avgVolumeDays: number;
  schedule: SessionSchedule;
  /** A catalyst scoring at least this starts a one-symbol cycle at once (FAST_PATH_MIN_SCORE). */
  fastPathMinScore: number;
  /** Catalysts below this score are not published, so nothing acts on them (NEWS_PUBLISH_MIN_SCORE). */
  catalystMinScore: number;
  /** Ticker links below this confidence are ignored. */
  minTickerConfidence: number;
  /** Company names for ticker extraction; symbols seen in bars are always known. */
  assets?: ReadonlyArray<{ symbol: string; name: string; exchange?: string }> | undefined;
  /** Quality of each source by name, 0..1. */
  sourceQuality?: Readonly<Record<string, number>> | undefined;
  /** Bars before `from`, per symbol and timeframe, oldest first. */
  warmup?: Readonly<Record<string, Partial<Record<BacktestTimeframe, readonly WarmupBar[]>>>> | undefined;
  /** Called every `progressEvery` events with the count so far and the replay's time (the CLI's progress bar). */
  onProgress?: ((eventsDone: number, at: number) => void) | undefined;
  progressEvery?: number | undefined;
}

/** The catalyst a news item gave one symbol. */
export interface BacktestCatalyst {
  id: string;
  symbol: string;
  newsItemId: string;
  type: string;
  direction: Direction;
  score: number;
  /** When Catalyst received the news (the catalyst's detection time). */
  at: number;
  publishedAt: number;
  source: string;
  headline: string;
}

/** One decision of the replay, for the log and the divergence report. */
export interface BacktestDecision {
  at: number;
  symbol: string;
  /** 'schedule' or 'fast_path'. */
  trigger: 'schedule' | 'fast_path';
  action: SignalAction;
  score: number;
  confidence: number;
  entry: number | null;
  stop: number | null;
  target: number | null;
  catalystId: string | null;
  newsItemId: string | null;
  /** The decision's last reason (why HOLD, or the entry). */
  reason: string;
  /** Risk's answer for BUY/SELL: the order's quantity, or the refusal. */
  risk: { approved: true; qty: string } | { approved: false; reason: RiskRefusalCode; message: string } | null;
}

/** One simulated order: an entry, or an exit leg that filled. */
export interface BacktestFill {
  at: number;
  symbol: string;
  side: 'buy' | 'sell';
  role: 'entry' | 'stop' | 'target' | 'end';
  qty: string;
  price: string;
}

export interface BacktestResult {
  summary: PerformanceSummary;
  trades: TradeRecord[];
  equity: EquityPoint[];
  openPositions: OpenPositionRecord[];
  decisions: BacktestDecision[];
  fills: BacktestFill[];
  catalysts: BacktestCatalyst[];
  /** Entries that never filled (timed out) and why. */
  cancelledEntries: Array<{ at: number; symbol: string; reason: string }>;
  counts: { events: number; bars: number; news: number; cycles: number; signals: number };
}
