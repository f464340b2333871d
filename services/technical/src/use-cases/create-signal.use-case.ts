import {
  DomainInputError,
  signalFromSeries,
  toSeries,
  type Series,
  type SignalCatalyst,
  type SignalDetection,
  type SignalRules,
} from '@catalyst/domain';
import type { MarketDataProvider, Timeframe } from '@catalyst/market-data';
import { AppError, NotFound, readAhead, UpstreamBadResponse, type Logger } from '@catalyst/shared';
import type { createSignalsRepository } from '../data-access/signals.repository';
import type { UpstreamClients } from '../data-access/upstreams.client';
import type { TechnicalMetrics } from '../technical-metrics';

export interface CreateSignalDeps {
  /** With `snapshots`, bars end at the market's latest trade, as the patterns service reads them. */
  marketData: Pick<MarketDataProvider, 'bars'> & Partial<Pick<MarketDataProvider, 'snapshots'>>;
  upstreams: UpstreamClients;
  signals: ReturnType<typeof createSignalsRepository>;
  rules: SignalRules;
  metrics: TechnicalMetrics;
  timeframes: readonly Timeframe[];
  intradayBars: number;
  dailyBars: number;
  ttlMinutes: number;
  now?: () => number;
}

export interface CreateSignalRequest {
  symbol: string;
  cycleId?: string | undefined;
  candidateId?: string | undefined;
  timeframes?: readonly Timeframe[] | undefined;
}

interface UpstreamReason {
  factor: 'upstream';
  contribution: 0;
  text: string;
}

function failureText(service: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof AppError ? ` (${err.code})` : '';
  return `HOLD: the ${service} service could not be used${code}: ${message}`;
}

/** Bars of one timeframe after `barTime`: how old a detection is in its own timeframe; null when unknown. */
function barsAgo(series: Series | undefined, barTime: string): number | null {
  if (!series) return null;
  const t = Date.parse(barTime);
  const n = series.t.length;
  let i = n - 1;
  while (i >= 0 && series.t[i]! > t) i -= 1;
  return i >= 0 && series.t[i] === t ? n - 1 - i : null;
}

/**
 * One signal for one symbol: bars of each timeframe, then the detections and levels (patterns,
 * which reuses those bars), with the catalyst (news) fetched alongside; the domain decides; the signal and its links are stored
 * in one transaction. A news or patterns failure does not fail the request: the signal is a HOLD
 * that names the failure (stored, so the cycle's record shows it). Market data is indispensable:
 * its failure is the request's (503), and a symbol without bars is a 404.
 */
export async function createSignal(deps: CreateSignalDeps, request: CreateSignalRequest, log: Logger) {
  const started = process.hrtime.bigint();
  const now = deps.now ?? Date.now;
  const { symbol } = request;
  const timeframes = request.timeframes ?? deps.timeframes;
  // Started together; a bad reference is still the answer (422) whatever else happens.
  const references = readAhead(deps.signals.assertReferences(request.cycleId ?? null, request.candidateId ?? null));

  const barsWanted = (tf: Timeframe) => (tf === '1Day' ? deps.dailyBars : deps.intradayBars);
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, err }),
    );
  const news = settle(deps.upstreams.news.listCatalysts({ query: { symbol, limit: 1 } }));
  // The bars end where the patterns service's do, at the market's own "now" (its latest trade),
  // and are read first: the patterns service then finds them in the shared cache instead of
  // fetching and parsing the same bars again.
  const barsRead = readAhead(
    (async () => {
      const snapshot = deps.marketData.snapshots ? (await deps.marketData.snapshots([symbol])).get(symbol) : undefined;
      const end = snapshot?.asOf;
      return Promise.all(
        timeframes.map((timeframe) =>
          deps.marketData.bars({ symbol, timeframe, limit: barsWanted(timeframe), ...(end ? { end } : {}) }),
        ),
      );
    })(),
  );
  await references;
  const barsByTf = await barsRead;
  if (barsByTf.every((bars) => bars.length === 0)) {
    throw new NotFound(
      `No bars for ${symbol} in ${timeframes.join(', ')}: unknown symbol or nothing traded`,
      { symbol },
      'TECHNICAL.UNKNOWN_SYMBOL',
    );
  }
  const analysis = settle(
    deps.upstreams.patterns.analyze({
      body: { symbol, timeframes: [...timeframes], ...(request.cycleId ? { cycleId: request.cycleId } : {}) },
    }),
  );

  const series: Record<string, Series> = {};
  let price: number | undefined;
  let latest = -Infinity;
  timeframes.forEach((tf, i) => {
    const bars = barsByTf[i]!;
    if (bars.length === 0) return;
    try {
      series[tf] = toSeries(bars);
    } catch (err) {
      // The provider's data, not the caller's: corrupt bars are an upstream fault.
      if (err instanceof DomainInputError) {
        throw new UpstreamBadResponse(`Market data for ${symbol} ${tf} is unusable: ${err.message}`, {
          symbol,
          timeframe: tf,
        });
      }
      throw err;
    }
    const last = series[tf].t[series[tf].t.length - 1]!;
    // The entry is the most recent close among the timeframes (minute bars when they are read).
    if (last > latest || (last === latest && tf !== '1Day')) {
      latest = last;
      price = bars[bars.length - 1]!.c;
    }
  });

  const patterns = await analysis;
  const upstreamReasons: UpstreamReason[] = [];
  let catalyst: SignalCatalyst | null = null;
  const newsResult = await news;
  if (newsResult.ok) {
    const strongest = newsResult.value.items[0]?.strongest;
    if (strongest) {
      catalyst = {
        id: strongest.catalystId,
        newsItemIds: strongest.newsItemId ? [strongest.newsItemId] : [],
        type: strongest.type,
        direction: strongest.direction,
        score: Math.min(1, Math.max(0, Number(strongest.score))),
        ageMinutes: Math.max(0, (now() - Date.parse(strongest.detectedAt)) / 60_000),
        headline: strongest.headline,
      };
    }
  } else {
    deps.metrics.upstreamFailures.labels('news').inc();
    log.warn({ err: newsResult.err, symbol }, 'news service failed; the signal holds');
    upstreamReasons.push({ factor: 'upstream', contribution: 0, text: failureText('news', newsResult.err) });
  }

  let detections: SignalDetection[] = [];
  let levels: { support: number[]; resistance: number[] } | undefined;
  if (patterns.ok) {
    levels = patterns.value.levels;
    for (const d of patterns.value.detections) {
      const age = barsAgo(series[d.timeframe], d.barTime);
      if (age === null) continue;
      detections.push({
        id: d.id,
        timeframe: d.timeframe,
        name: d.name,
        direction: d.direction,
        confidence: Number(d.confidence),
        barsAgo: age,
      });
    }
  } else {
    deps.metrics.upstreamFailures.labels('patterns').inc();
    log.warn({ err: patterns.err, symbol }, 'patterns service failed; the signal holds');
    upstreamReasons.push({ factor: 'upstream', contribution: 0, text: failureText('patterns', patterns.err) });
    detections = [];
  }

  const decideStarted = process.hrtime.bigint();
  const { decision, summaries } = signalFromSeries(
    { symbol, series, catalyst, detections, ...(levels ? { levels } : {}), ...(price !== undefined ? { price } : {}) },
    deps.rules,
  );
  deps.metrics.decideSeconds.observe(Number(process.hrtime.bigint() - decideStarted) / 1e9);

  // Without its news or patterns the rule set has not seen the whole case: hold, and say why.
  const held = upstreamReasons.length > 0;
  const action = held ? 'HOLD' : decision.action;
  const reasons = held ? [...decision.reasons, ...upstreamReasons] : decision.reasons;
  const confidence = held ? 0 : Math.round(decision.confidence * 10_000) / 10_000;
  const entry = action === 'HOLD' ? null : decision.entry;
  const stop = action === 'HOLD' ? null : decision.stop;
  const target = action === 'HOLD' ? null : decision.target;

  const stored = await deps.signals.create({
    symbol,
    cycleId: request.cycleId ?? null,
    candidateId: request.candidateId ?? null,
    catalystId: decision.used.catalystId,
    action: action.toLowerCase() as 'buy' | 'sell' | 'hold',
    confidence,
    entry,
    stop,
    target,
    reasons,
    indicators: {
      score: decision.score,
      factors: decision.factors,
      ...(held ? { decidedAction: decision.action } : {}),
      timeframes: Object.fromEntries(
        summaries.map((s) => [s.timeframe, { ...s, lastTime: new Date(s.lastTime).toISOString() }]),
      ),
      detectionsSeen: detections.length,
    },
    ttlMinutes: deps.ttlMinutes,
    newsItemIds: decision.used.newsItemIds,
    detectionIds: decision.used.detectionIds,
  });
  deps.metrics.signals.labels(action).inc();
  deps.metrics.signalSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  log.info({ symbol, signalId: stored.id, action, confidence, score: decision.score }, 'signal');

  return {
    id: stored.id,
    symbol,
    action,
    confidence,
    score: decision.score,
    entry,
    stop,
    target,
    reasons,
    cycleId: stored.cycleId,
    candidateId: stored.candidateId,
    catalystId: stored.catalystId,
    newsItemIds: stored.newsItemIds,
    detectionIds: stored.detectionIds,
    factors: decision.factors,
    status: stored.status,
    expiresAt: stored.expiresAt,
    createdAt: stored.createdAt,
  };
}
