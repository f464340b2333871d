import {
  DEFAULT_SCAN_NORMALISATION,
  DomainInputError,
  EXCLUSION_REASONS,
  marketSession,
  rankCandidates,
  regularSessionFraction,
  type ExclusionReason,
  type RankedCandidate,
  type ScanCatalyst,
  type ScanFilters,
  type ScanInput,
  type ScanNormalisation,
} from '@catalyst/domain';
import type { Bar, MarketDataProvider, Snapshot } from '@catalyst/market-data';
import { isPgError, PG_ERROR, Unprocessable, UpstreamBadResponse, type Logger } from '@catalyst/shared';
import type { ScanSettings } from '../config';
import type { CatalystSource, SymbolCatalystsRecord } from '../data-access/catalysts.client';
import type { NewScan, ScanCatalystRecord, ScanRecord, ScansRepository } from '../data-access/scans.repository';
import type { ScannerMetrics } from '../scanner-metrics';

export interface RunScanRequest {
  limit: number;
  consider: number;
  cycleId?: string | undefined;
}

export interface RunScanDeps {
  marketData: MarketDataProvider;
  catalysts: CatalystSource;
  scans: Pick<ScansRepository, 'insert' | 'get' | 'cycleExists'>;
  settings: ScanSettings;
  metrics: ScannerMetrics;
  clock: { now(): number };
  log: Logger;
}

/** The news service's /catalysts answers at most this many symbols (strongest first). */
const CATALYST_SYMBOLS_LIMIT = 500;

interface RankedCatalyst extends ScanCatalyst {
  newsItemId: string | null;
  headline: string;
  detectedAt: string;
  publishedAt: number | null;
}

/** A computed scan before it is stored: what the benchmark times without the database. */
export interface ComputedScan {
  scan: Omit<NewScan, 'candidates' | 'finishedAt'>;
  candidates: Array<RankedCandidate<RankedCatalyst>>;
}

function toCatalyst(c: SymbolCatalystsRecord): RankedCatalyst {
  const s = c.strongest;
  return {
    id: s.catalystId,
    newsItemId: s.newsItemId,
    type: s.type,
    direction: s.direction,
    score: Number(s.score),
    at: Date.parse(s.detectedAt),
    headline: s.headline,
    detectedAt: s.detectedAt,
    publishedAt: s.publishedAt === null ? null : Date.parse(s.publishedAt),
  };
}

/** Mean volume of the last `days` complete sessions (today's bar, when present, is not complete). */
export function averageDailyVolume(bars: readonly Bar[] | undefined, today: Bar | null, days: number): number | null {
  if (!bars || bars.length === 0) return null;
  let end = bars.length;
  const todayDate = today?.t.slice(0, 10);
  if (todayDate !== undefined && bars[end - 1]!.t.slice(0, 10) === todayDate) end -= 1;
  const start = Math.max(0, end - days);
  if (end <= start) return null;
  let sum = 0;
  for (let i = start; i < end; i++) sum += bars[i]!.v;
  return sum / (end - start);
}

/** Change over the last `minutes` minute bars; null with fewer than two. */
export function recentMomentum(bars: readonly Bar[] | undefined, minutes: number): number | null {
  if (!bars || bars.length < 2) return null;
  const last = bars[bars.length - 1]!;
  const first = bars[Math.max(0, bars.length - 1 - minutes)]!;
  return first.c > 0 ? last.c / first.c - 1 : null;
}

function toInput(
  symbol: string,
  exchange: string,
  snap: Snapshot | undefined,
  avgDailyVolume: number | null,
  catalyst: RankedCatalyst | null,
): ScanInput<RankedCatalyst> {
  return {
    symbol,
    exchange,
    price: snap ? snap.price : null,
    prevClose: snap?.prevClose ?? null,
    dayOpen: snap?.day?.o ?? null,
    dayVolume: snap?.day?.v ?? null,
    avgDailyVolume,
    bid: snap?.bid ?? null,
    ask: snap?.ask ?? null,
    catalyst,
  };
}

const unknownCycle = () =>
  new Unprocessable(
    'cycleId names no trading cycle',
    [{ path: 'body.cycleId', message: 'no trading cycle has this id' }],
    'SCANNER.UNKNOWN_CYCLE',
  );

const round = (x: number, digits = 6): number => Number(x.toFixed(digits));

/** The figures stored with a candidate: what the ranking saw and each factor's share. */
function candidateMetrics(c: RankedCandidate<RankedCatalyst>): Record<string, unknown> {
  const m = c.metrics;
  // `15min` when the minute bars gave the momentum, `since_open` when the symbol had none.
  const momentumSource = m.momentumMinutes === null ? 'since_open' : `${m.momentumMinutes}min`;
  return {
    price: m.price,
    prevClose: m.prevClose,
    gapPct: round(m.gap * 100, 4),
    momentumPct: round(m.momentum * 100, 4),
    momentumSource,
    relativeVolume: round(m.relativeVolume, 4),
    spreadPct: m.spread === null ? null : round(m.spread * 100, 4),
    avgDailyVolume: Math.round(m.avgDailyVolume),
    dayVolume: m.dayVolume,
    catalystAgeMinutes: m.catalystAgeMinutes === null ? null : round(m.catalystAgeMinutes, 2),
    factors: Object.fromEntries(
      Object.entries(c.factors).map(([k, f]) => [k, { value: round(f.value), contribution: round(f.contribution) }]),
    ),
  };
}

/**
 * One scan: the universe from the broker's asset list, the catalysts from the news service, the
 * market picture from snapshots and daily bars; a first ranking of everything, a second of the
 * best `consider` with momentum from recent minute bars; the best `limit` stored and returned.
 */
export function createRunScan(deps: RunScanDeps) {
  const { marketData, catalysts, scans, settings, metrics, clock, log } = deps;
  const normalisation: ScanNormalisation = {
    ...DEFAULT_SCAN_NORMALISATION,
    catalystHalfLifeMinutes: settings.catalystHalfLifeMinutes,
  };
  const filters: ScanFilters = {
    minPrice: settings.minPrice,
    maxPrice: settings.maxPrice,
    minAvgVolume: settings.minAvgVolume,
    exchanges: settings.exchanges,
    requireCatalyst: settings.requireCatalyst,
    maxCatalystAgeMinutes: settings.catalystMaxAgeMinutes,
  };
  const exchanges = new Set(settings.exchanges);

  function rank(inputs: Array<ScanInput<RankedCatalyst>>, now: number, sessionFraction: number, top: number) {
    try {
      return rankCandidates(inputs, settings.weights, filters, now, { sessionFraction, top, normalisation });
    } catch (err) {
      // Corrupt data can only have come from the market data provider or the news service.
      if (err instanceof DomainInputError) {
        throw new UpstreamBadResponse(`Market data cannot be ranked: ${err.message}`, err.details, { cause: err });
      }
      throw err;
    }
  }

  /** Everything up to the ranked candidates, without writing anything. */
  async function compute(req: RunScanRequest, startedAt: number): Promise<ComputedScan> {
    const since = new Date(startedAt - settings.catalystMaxAgeMinutes * 60_000).toISOString();
    const [assets, found] = await Promise.all([marketData.assets(), catalysts.recent(since, CATALYST_SYMBOLS_LIMIT)]);

    const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, 0])) as Record<ExclusionReason, number>;
    const universe = assets.filter((a) => a.tradable && a.status === 'active');
    const onExchanges = universe.filter((a) => exchanges.has(a.exchange));
    excluded.exchange = universe.length - onExchanges.length;

    const bySymbol = new Map<string, RankedCatalyst>();
    for (const c of found) bySymbol.set(c.symbol, toCatalyst(c));
    // With a catalyst required, a symbol without one is out before any market data is asked for it.
    const wanted = settings.requireCatalyst ? onExchanges.filter((a) => bySymbol.has(a.symbol)) : onExchanges;
    excluded.no_catalyst = onExchanges.length - wanted.length;
    const symbols = wanted.map((a) => a.symbol);

    const [snapshots, daily] = await Promise.all([
      symbols.length > 0 ? marketData.snapshots(symbols) : new Map<string, Snapshot>(),
      symbols.length > 0
        ? marketData.barsMany(symbols, { timeframe: '1Day', limit: settings.avgVolumeDays + 1 })
        : new Map<string, Bar[]>(),
    ]);

    // The market's clock is the snapshots' (the simulator's may run at another time than ours).
    let marketTime = Number.NEGATIVE_INFINITY;
    for (const s of snapshots.values()) {
      const t = Date.parse(s.asOf);
      if (t > marketTime) marketTime = t;
    }
    if (!Number.isFinite(marketTime)) marketTime = startedAt;
    const sessionFraction = regularSessionFraction(marketTime);

    const inputs = wanted.map((a) => {
      const snap = snapshots.get(a.symbol);
      const avg = averageDailyVolume(daily.get(a.symbol), snap?.day ?? null, settings.avgVolumeDays);
      return toInput(a.symbol, a.exchange, snap, avg, bySymbol.get(a.symbol) ?? null);
    });
    const first = rank(inputs, startedAt, sessionFraction, req.consider);
    for (const r of EXCLUSION_REASONS) excluded[r] += first.excluded[r];

    // Second pass: the best `consider` again, with momentum over the last minutes instead of since the open.
    const considered = first.candidates.map((c) => c.symbol);
    const minute =
      considered.length > 0
        ? await marketData.barsMany(considered, { timeframe: '1Min', limit: settings.momentumMinutes + 1 })
        : new Map<string, Bar[]>();
    const inputBySymbol = new Map(inputs.map((i) => [i.symbol, i]));
    const refined = considered.map((symbol) => {
      const input = inputBySymbol.get(symbol)!;
      const momentum = recentMomentum(minute.get(symbol), settings.momentumMinutes);
      return { ...input, momentum, momentumMinutes: settings.momentumMinutes };
    });
    const second = rank(refined, startedAt, sessionFraction, req.limit);

    return {
      scan: {
        cycleId: req.cycleId ?? null,
        session: marketSession(marketTime),
        startedAt: new Date(startedAt),
        universeSize: onExchanges.length,
        parameters: {
          limit: req.limit,
          consider: req.consider,
          weights: settings.weights,
          filters: { ...filters, catalystHalfLifeMinutes: settings.catalystHalfLifeMinutes },
          marketTime: new Date(marketTime).toISOString(),
          sessionFraction: round(sessionFraction, 4),
          counts: {
            assets: assets.length,
            tradable: universe.length,
            universe: onExchanges.length,
            withCatalyst: found.length,
            requested: symbols.length,
            eligible: first.eligible,
            considered: considered.length,
            returned: second.candidates.length,
          },
          excluded,
        },
      },
      candidates: second.candidates,
    };
  }

  function toNewScan(computed: ComputedScan, finishedAt: number): NewScan {
    return {
      ...computed.scan,
      finishedAt: new Date(Math.max(finishedAt, computed.scan.startedAt.getTime())),
      candidates: computed.candidates.map((c) => {
        const k = c.catalyst;
        const catalyst: ScanCatalystRecord | null = k
          ? {
              id: k.id,
              newsItemId: k.newsItemId,
              type: k.type as ScanCatalystRecord['type'],
              direction: k.direction,
              score: String(k.score),
              headline: k.headline,
              detectedAt: k.detectedAt,
              publishedAt: k.publishedAt === null ? null : new Date(k.publishedAt).toISOString(),
            }
          : null;
        return {
          symbol: c.symbol,
          rank: c.rank,
          score: c.score.toFixed(6),
          reasons: c.reasons,
          catalyst,
          price: String(c.metrics.price),
          metrics: candidateMetrics(c),
        };
      }),
    };
  }

  async function run(req: RunScanRequest): Promise<ScanRecord> {
    const stopTimer = metrics.startTimer();
    try {
      if (req.cycleId !== undefined && !(await scans.cycleExists(req.cycleId))) {
        throw unknownCycle();
      }
      const startedAt = clock.now();
      const computed = await compute(req, startedAt);
      const scan = toNewScan(computed, clock.now());
      const id = await scans.insert(scan).catch((err: unknown) => {
        // The cycle was checked above; this is one deleted meanwhile.
        if (isPgError(err, PG_ERROR.foreignKeyViolation, 'scans_cycle_id_fkey')) throw unknownCycle();
        throw err;
      });
      const stored = await scans.get(id);
      if (!stored) throw new Error(`scan ${id} vanished right after it was stored`);
      const excluded = computed.scan.parameters.excluded as Record<ExclusionReason, number>;
      metrics.completed(scan.universeSize, scan.candidates.length, excluded);
      log.info(
        { scanId: id, universe: scan.universeSize, candidates: scan.candidates.length, excluded },
        'scan completed',
      );
      return stored;
    } catch (err) {
      metrics.failed();
      throw err;
    } finally {
      stopTimer();
    }
  }

  return { run, compute, toNewScan };
}

export type RunScan = ReturnType<typeof createRunScan>;
