import { UpstreamBadResponse, UpstreamUnavailable } from '@catalyst/shared';

/** What the risk engine needs of the market for one symbol. */
export interface MarketQuote {
  /** Last trade, as the data API sends it (a number, read by its shortest form). */
  price: number;
  /** Mean daily volume over the last completed sessions; null when there is no history. */
  avgVolume: number | null;
  /** The market's time of the last trade (the simulator's clock may differ from ours). */
  at: string;
}

export interface MarketQuotes {
  quote(symbol: string): Promise<MarketQuote | null>;
}

export interface MarketQuotesOptions {
  dataUrl: string;
  keyId?: string | undefined;
  secret?: string | undefined;
  /** Sessions averaged for the liquidity check. */
  avgVolumeDays?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * Alpaca's market data API (or the simulator's): the snapshot for the last trade, daily bars for
 * the average volume. Two GETs per entry; entries are rare enough that a cache would only add a
 * way to act on a stale price.
 */
export function createMarketQuotes(opts: MarketQuotesOptions): MarketQuotes {
  const days = opts.avgVolumeDays ?? 20;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const doFetch = opts.fetchImpl ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.keyId && opts.secret) {
    headers['APCA-API-KEY-ID'] = opts.keyId;
    headers['APCA-API-SECRET-KEY'] = opts.secret;
  }

  async function get(path: string): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(new URL(path, opts.dataUrl), { headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new UpstreamUnavailable(`market data did not answer ${path.split('?')[0]}`, undefined, { cause: err });
    }
    if (res.status === 404) return null;
    if (res.status === 429 || res.status >= 500) {
      throw new UpstreamUnavailable(`market data answered ${res.status}`, { status: res.status });
    }
    if (!res.ok) throw new UpstreamBadResponse(`market data answered ${res.status}`, { status: res.status });
    return res.json();
  }

  return {
    async quote(symbol) {
      const snap = (await get(`/v2/stocks/${encodeURIComponent(symbol)}/snapshot`)) as {
        latestTrade?: { p?: number; t?: string };
      } | null;
      const price = snap?.latestTrade?.p;
      const at = snap?.latestTrade?.t;
      if (typeof price !== 'number' || !(price > 0) || typeof at !== 'string') return null;
      const start = new Date(
        Date.parse(at.replace(/(\.\d{3})\d+/, '$1')) - (days * 7 * 86_400_000) / 5 - 7 * 86_400_000,
      );
      const bars = (await get(
        `/v2/stocks/${encodeURIComponent(symbol)}/bars?timeframe=1Day&start=${start.toISOString()}&limit=1000`,
      )) as { bars?: Array<{ t: string; v: number }> } | null;
      const today = at.slice(0, 10);
      const completed = (bars?.bars ?? []).filter((b) => b.t.slice(0, 10) < today).slice(-days);
      const avgVolume =
        completed.length === 0 ? null : Math.floor(completed.reduce((s, b) => s + b.v, 0) / completed.length);
      return { price, avgVolume, at };
    },
  };
}
