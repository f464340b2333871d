import { DomainInputError } from '../errors';
import type { Series } from '../series';
import { decideSignal } from './decide';
import { DEFAULT_SIGNAL_RULES, type SignalRules } from './rules';
import { candlestickEvidence, summarizeTimeframe } from './summarize';
import type { SignalCatalyst, SignalDetection, SignalLevels, SignalDecision, TimeframeSummary } from './types';

export interface SeriesSignalInput {
  symbol: string;
  /** Checked bars per timeframe (`toSeries`), oldest first. */
  series: Readonly<Record<string, Series>>;
  catalyst: SignalCatalyst | null;
  /** Detections from elsewhere (the patterns service); without them all 61 candlestick patterns are run here. */
  detections?: readonly SignalDetection[];
  levels?: SignalLevels;
  /** Last price; the primary timeframe's last close when absent. */
  price?: number;
}

export interface SeriesSignal {
  decision: SignalDecision;
  summaries: TimeframeSummary[];
  detections: readonly SignalDetection[];
}

/**
 * The whole pure path for one symbol: bars of each timeframe → indicator summaries (+ candlestick
 * detections when none are given) → decision. The live service and a backtest make the same call.
 */
export function signalFromSeries(input: SeriesSignalInput, rules: SignalRules = DEFAULT_SIGNAL_RULES): SeriesSignal {
  const summaries: TimeframeSummary[] = [];
  const detections: SignalDetection[] = input.detections ? [...input.detections] : [];
  for (const [timeframe, series] of Object.entries(input.series)) {
    summaries.push(summarizeTimeframe(timeframe, series));
    if (!input.detections) detections.push(...candlestickEvidence(timeframe, series, rules.patterns.maxAgeBars));
  }
  let price = input.price;
  if (price === undefined) {
    const primary =
      summaries.find((s) => s.timeframe === rules.primaryTimeframe && s.bars > 0) ?? summaries.find((s) => s.bars > 0);
    if (!primary) throw new DomainInputError('too_few_bars', 'no bars in any timeframe to price the signal', {});
    price = primary.close;
  }
  const decision = decideSignal(
    {
      symbol: input.symbol,
      price,
      timeframes: summaries,
      detections,
      catalyst: input.catalyst,
      ...(input.levels ? { levels: input.levels } : {}),
    },
    rules,
  );
  return { decision, summaries, detections };
}
