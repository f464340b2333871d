import {
  AppError,
  coordinationContract,
  createServiceClient,
  newsContract,
  patternsContract,
  reportingContract,
  scannerContract,
  technicalContract,
  tradingContract,
  upstreamDetails,
  UpstreamUnavailable,
  type Logger,
} from '@catalyst/shared';
import type { DashboardConfig } from '../config';

/** Typed clients for every service the pages show, all with the fleet's API token. */
export function createUpstreams(config: DashboardConfig, log: Logger) {
  const opts = (service: string, baseUrl: string) => ({
    baseUrl,
    token: config.CATALYST_API_TOKEN,
    service,
    timeoutMs: 5_000,
    retries: 1,
    log,
  });
  return {
    coordination: createServiceClient(coordinationContract, opts('coordination', config.COORDINATION_URL)),
    news: createServiceClient(newsContract, opts('news', config.NEWS_URL)),
    scanner: createServiceClient(scannerContract, opts('scanner', config.SCANNER_URL)),
    patterns: createServiceClient(patternsContract, opts('patterns', config.PATTERNS_URL)),
    technical: createServiceClient(technicalContract, opts('technical', config.TECHNICAL_URL)),
    trading: createServiceClient(tradingContract, opts('trading', config.TRADING_URL)),
    reporting: createServiceClient(reportingContract, opts('reporting', config.REPORTING_URL)),
    /** A change forwarded as is, so the upstream's refusal (status, code, details) reaches the page unchanged. */
    forward: createForwarder(config),
  };
}

export type Upstreams = ReturnType<typeof createUpstreams>;

export interface ForwardOptions {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  actor: string;
  idempotencyKey?: string;
}

function createForwarder(config: DashboardConfig) {
  const bases = {
    coordination: config.COORDINATION_URL,
    trading: config.TRADING_URL,
  } as const;
  return async function forward(service: keyof typeof bases, opts: ForwardOptions): Promise<unknown> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${config.CATALYST_API_TOKEN}`,
      'x-actor': opts.actor,
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    let res: Response;
    try {
      res = await fetch(new URL(opts.path, bases[service]), {
        method: opts.method,
        headers,
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new UpstreamUnavailable(`${service} could not be reached`, { service }, { cause: err });
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (res.ok) return body;
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
    const code = typeof error?.code === 'string' ? error.code : `upstream_${res.status}`;
    const message = typeof error?.message === 'string' ? error.message : `${service} answered ${res.status}`;
    const status = res.status >= 500 ? 502 : res.status;
    throw new AppError(code, status, message, error?.details ?? { upstream: { service, status: res.status } });
  };
}

/** An upstream's error (from a typed client) as the same status and code, for reads the page asked for. */
export function passThrough(err: unknown): never {
  const details = upstreamDetails(err);
  if (details?.status !== undefined && details.status >= 400 && details.status < 500 && details.upstream) {
    throw new AppError(
      details.upstream.code ?? `upstream_${details.status}`,
      details.status,
      details.upstream.message ?? `${details.service ?? 'upstream'} answered ${details.status}`,
      { upstream: details.service },
    );
  }
  throw err;
}

/** A short reason for the overview's `errors` list. */
export function describeFailure(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
