import { ConfigError } from '@catalyst/shared';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { z } from 'zod';
import type { Logger } from '@catalyst/shared';
import { MarketSim, type MarketSimOptions, type MarketSimSnapshot } from './market-sim';
import { createMarketSimApp } from './http/app';
import { createAppServer } from './http/app-server';

export interface StartMarketSimOptions extends MarketSimOptions {
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  log?: Logger;
}

export interface RunningMarketSim {
  /** `http://host:port`: the base URL for Alpaca trading, Alpaca data and the news feeds alike. */
  url: string;
  port: number;
  sim: MarketSim;
  stop(): Promise<void>;
  snapshot(): MarketSimSnapshot;
  restore(snapshot: MarketSimSnapshot): void;
  /**
   * Settles once the background computation of daily history (`prewarmDays`) is done, at once
   * when there is none; never rejects.
   */
  warmed: Promise<{ bars: number; ms: number }>;
}

/** Starts the simulator's HTTP server; resolves once it listens. */
export async function startMarketSim(options: StartMarketSimOptions = {}): Promise<RunningMarketSim> {
  const sim = new MarketSim(options);
  const app = createMarketSimApp(sim, options.log ? { log: options.log } : {});
  const host = options.host ?? '127.0.0.1';
  const server: Server = createAppServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 30_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.log?.info(
    { url, seed: sim.seed, speed: sim.clock.speed, time: new Date(sim.now()).toISOString() },
    'market simulator listening',
  );
  const warming = new AbortController();
  const days = options.prewarmDays ?? 0;
  const started = performance.now();
  const warmed =
    days > 0
      ? sim.market.prewarmDailyBars(sim.now(), days, { signal: warming.signal }).then(
          (bars) => {
            const ms = Math.round(performance.now() - started);
            if (!warming.signal.aborted) options.log?.info({ bars, days, ms }, 'market simulator: daily history ready');
            return { bars, ms };
          },
          (err: unknown) => {
            options.log?.warn({ err }, 'market simulator: computing daily history failed; it is computed on demand');
            return { bars: 0, ms: Math.round(performance.now() - started) };
          },
        )
      : Promise.resolve({ bars: 0, ms: 0 });
  let stopped: Promise<void> | null = null;
  return {
    url,
    port,
    sim,
    warmed,
    snapshot: () => sim.snapshot(),
    restore: (snapshot) => sim.restore(snapshot),
    stop: () => {
      warming.abort();
      stopped ??= new Promise<void>((resolve) => {
        sim.faults.releaseHeld();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

const envSchema = z.object({
  SIM_SEED: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).optional(),
  SIM_SPEED: z.coerce
    .number({ message: 'must be a number >= 0' })
    .min(0, { message: 'must be a number >= 0' })
    .optional(),
  SIM_START: z
    .string()
    .refine((v) => Number.isFinite(Date.parse(v)), { message: 'must be an ISO-8601 timestamp' })
    .optional(),
  SIM_PREWARM_DAYS: z.coerce
    .number({ message: 'must be an integer from 0 to 5000' })
    .int({ message: 'must be an integer from 0 to 5000' })
    .min(0, { message: 'must be an integer from 0 to 5000' })
    .max(5000, { message: 'must be an integer from 0 to 5000' })
    .optional(),
});

/**
 * The simulator's settings from the environment: `SIM_SEED` (integer), `SIM_SPEED` (number >= 0;
 * 0 freezes the clock), `SIM_START` (ISO-8601 start instant; default now), `SIM_PREWARM_DAYS`
 * (trading days of daily history computed in the background at start; default 0). Empty values count as
 * unset. Throws one error naming every bad variable.
 */
export function marketSimOptionsFromEnv(env: Record<string, string | undefined>): MarketSimOptions {
  const clean = Object.fromEntries(
    ['SIM_SEED', 'SIM_SPEED', 'SIM_START', 'SIM_PREWARM_DAYS']
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = envSchema.safeParse(clean);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.')}: ${i.message} (got "${String(clean[String(i.path[0])])}")`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const out: MarketSimOptions = {};
  if (parsed.data.SIM_SEED !== undefined) out.seed = parsed.data.SIM_SEED;
  if (parsed.data.SIM_SPEED !== undefined) out.speed = parsed.data.SIM_SPEED;
  if (parsed.data.SIM_START !== undefined) out.startTime = parsed.data.SIM_START;
  if (parsed.data.SIM_PREWARM_DAYS !== undefined) out.prewarmDays = parsed.data.SIM_PREWARM_DAYS;
  return out;
}
