import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '@catalyst/shared';
import { AlpacaError } from '../broker/alpaca-error';
import type { MarketSim } from '../market-sim';
import { adminRoutes } from './admin.routes';
import { marketDataRoutes } from './market-data.routes';
import { alphaVantageSeriesRoutes } from './alphavantage-series.routes';
import { newsFeedRoutes } from './news-feeds.routes';
import { tradingRoutes } from './trading.routes';

/**
 * The simulator's HTTP face: Alpaca's trading and market-data APIs, the news providers' feeds
 * and the simulator's own control routes, on one port. It is not built on the services' app
 * factory on purpose: it must answer exactly as Alpaca does (its `{code, message}` errors and
 * statuses), not in the project's error envelope.
 */

const DATA_PATH = /^\/(v1beta\d|v1beta1|v2\/stocks|v2\/crypto|v1beta3)(\/|$)/;

/** Alpaca's body for an error status sent by a fault rule. */
export function alpacaErrorBody(status: number): { body: unknown; text: boolean } {
  if (status === 429) return { body: 'rate limit exceeded', text: true };
  if (status === 404) return { body: 'Not Found', text: true };
  const codes: Record<number, [number, string]> = {
    400: [40010000, 'bad request'],
    401: [40110000, 'request is not authorized'],
    403: [40310000, 'forbidden'],
    422: [42210000, 'unprocessable entity'],
    500: [50010000, 'internal server error'],
    502: [50210000, 'bad gateway'],
    503: [50310000, 'service unavailable'],
    504: [50410000, 'gateway timeout'],
  };
  const [code, message] = codes[status] ?? [status * 100_000, 'error'];
  return { body: { code, message }, text: false };
}

export function createMarketSimApp(sim: MarketSim, options: { log?: Logger } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  let requestCounter = 0;
  const windows = new Map<string, { start: number; count: number }>();

  app.use((req, res, next) => {
    requestCounter++;
    res.setHeader('X-Request-ID', `${sim.seed.toString(16)}${requestCounter.toString(16).padStart(12, '0')}`);
    if (options.log?.isLevelEnabled('debug')) {
      const started = performance.now();
      res.on('finish', () =>
        options.log?.debug(
          { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started) },
          'market-sim request',
        ),
      );
    }
    next();
  });

  app.use(sim.faults.middleware(alpacaErrorBody));
  app.use(express.json({ limit: '1mb', type: () => true }));
  app.use(adminRoutes(sim));
  app.use(alphaVantageSeriesRoutes(sim));
  app.use(newsFeedRoutes(sim));

  // Alpaca authentication: both headers present and non-empty; any such pair is accepted.
  app.use((req, res, next) => {
    const keyId = req.get('apca-api-key-id');
    const secret = req.get('apca-api-secret-key');
    if (!keyId || !secret) {
      res.status(401).json({ code: 40110000, message: 'request is not authorized' });
      return;
    }
    // X-RateLimit-* on every Alpaca response; enforced only when a limit is configured.
    const limit = sim.rateLimitPerMinute ?? 10_000;
    const now = Date.now();
    let window = windows.get(keyId);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0 };
      windows.set(keyId, window);
    }
    window.count++;
    const reset = Math.ceil((window.start + 60_000) / 1000);
    res.setHeader('X-RateLimit-Limit', String(limit));
    res.setHeader('X-RateLimit-Remaining', String(Math.max(0, limit - window.count)));
    res.setHeader('X-RateLimit-Reset', String(reset));
    if (sim.rateLimitPerMinute !== null && window.count > limit) {
      res.setHeader('Retry-After', String(Math.max(1, reset - Math.floor(now / 1000))));
      res.status(429).type('text/plain; charset=utf-8').send('rate limit exceeded');
      return;
    }
    next();
  });

  app.use(marketDataRoutes(sim));
  app.use(tradingRoutes(sim));

  app.use((req, res) => {
    if (DATA_PATH.test(req.path)) res.status(404).type('text/plain; charset=utf-8').send('Not Found');
    else res.status(404).json({ code: 40410000, message: 'endpoint not found' });
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof AlpacaError) {
      if (err.plainText) res.status(err.status).type('text/plain; charset=utf-8').send(err.message);
      else res.status(err.status).json(err.body());
      return;
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.parse.failed' || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      res.status(400).json({ code: 40010000, message: 'request body format is invalid' });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ code: 41310000, message: 'request entity too large' });
      return;
    }
    options.log?.error({ err, method: req.method, path: req.path }, 'market-sim internal error');
    res.status(500).json({ code: 50010000, message: 'internal server error' });
  });

  return app;
}
