import { createTickerIndex, type Asset, type TickerIndex } from '@catalyst/domain';
import { httpRequest, type CacheBus, type Logger } from '@catalyst/shared';
import { z } from 'zod';
import type { Clock, TimerHandle, Timers } from '../scheduling/clock';

const AssetList = z.array(
  z.object({
    symbol: z.string(),
    name: z.string().nullable().optional(),
    exchange: z.string().nullable().optional(),
  }),
);

const CACHE_KEY = 'news:assets';
const RETRY_MS = 15 * 60_000;

export interface AssetDirectoryOptions {
  /** The broker's trading API (`ALPACA_BASE_URL`); without keys no list is fetched. */
  baseUrl: string;
  keyId: string | undefined;
  secretKey: string | undefined;
  refreshMs: number;
  timeoutMs: number;
  bus: CacheBus;
  log: Logger;
  clock: Clock;
  timers: Timers;
}

/**
 * The broker's list of active US equities, as the ticker index names are matched against:
 * fetched at start, refreshed daily, shared through the cache so a restarted replica starts
 * warm. A failed refresh keeps the last good list (and tries again sooner).
 */
export function createAssetDirectory(opts: AssetDirectoryOptions) {
  let index: TickerIndex = createTickerIndex([]);
  let assetCount = 0;
  let loadedAt: number | null = null;
  let timer: TimerHandle | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  const configured = Boolean(opts.keyId && opts.secretKey);

  function use(assets: Asset[], at: number): void {
    index = createTickerIndex(assets);
    assetCount = assets.length;
    loadedAt = at;
  }

  async function fetchAssets(): Promise<Asset[]> {
    const url = new URL('/v2/assets', opts.baseUrl);
    url.searchParams.set('status', 'active');
    url.searchParams.set('asset_class', 'us_equity');
    const res = await httpRequest({
      method: 'GET',
      url: url.toString(),
      headers: { 'APCA-API-KEY-ID': opts.keyId ?? '', 'APCA-API-SECRET-KEY': opts.secretKey ?? '' },
      timeoutMs: Math.max(opts.timeoutMs, 30_000),
      idempotent: true,
      service: 'alpaca',
      operation: 'listAssets',
      log: opts.log,
      schema: AssetList,
    });
    return res.body.map((a) => ({
      symbol: a.symbol,
      name: a.name ?? '',
      ...(a.exchange ? { exchange: a.exchange } : {}),
    }));
  }

  function schedule(ms: number): void {
    timer?.cancel();
    if (stopped) return;
    timer = opts.timers.setTimeout(() => void refresh(), ms);
  }

  async function load(): Promise<void> {
    try {
      const assets = await fetchAssets();
      use(assets, opts.clock.now());
      await opts.bus.set(CACHE_KEY, assets, 2 * opts.refreshMs).catch((err: unknown) => {
        opts.log.warn({ err }, 'caching the asset list failed');
      });
      opts.log.info({ assets: assets.length }, 'asset list loaded');
      schedule(opts.refreshMs);
    } catch (err) {
      opts.log.warn({ err, keptAssets: assetCount }, 'loading the asset list failed; keeping the last good list');
      schedule(RETRY_MS);
    }
  }

  function refresh(): Promise<void> {
    if (!configured) return Promise.resolve();
    inFlight ??= load().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  }

  return {
    /** Warms from the cache, then fetches the list in the background. */
    async start(): Promise<void> {
      if (!configured) {
        opts.log.info('no Alpaca keys: tickers are matched without the broker asset list');
        return;
      }
      const cached = await opts.bus.get<Asset[]>(CACHE_KEY).catch(() => undefined);
      if (Array.isArray(cached) && cached.length > 0) use(cached, opts.clock.now());
      void refresh();
    },
    refresh,
    /** The current index; waits for the first load when none has finished yet. */
    async ready(): Promise<TickerIndex> {
      if (loadedAt === null && inFlight) await inFlight;
      return index;
    },
    index(): TickerIndex {
      return index;
    },
    status(): { assets: number; loadedAt: number | null } {
      return { assets: assetCount, loadedAt };
    },
    stop(): void {
      stopped = true;
      timer?.cancel();
    },
  };
}

export type AssetDirectory = ReturnType<typeof createAssetDirectory>;
