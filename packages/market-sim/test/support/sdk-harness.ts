import { Alpaca } from '@alpacahq/alpaca-trade-api';
import { startMarketSim, type RunningMarketSim, type StartMarketSimOptions } from '../../src/index';
import { marketDataSpec, tradingSpec } from './contracts';
import type { OpenApiValidator } from './openapi-validator';

export interface Exchange {
  method: string;
  path: string;
  status: number;
  contentType: string;
  body: unknown;
}

const DATA_PATH = /^\/(v1beta1|v2\/stocks)\b/;

/**
 * The official SDK pointed at a fresh simulator. Every response the SDK receives is recorded
 * and checked against Alpaca's OpenAPI specification (the trading one, or the market-data one
 * for data paths); `problems` collects every mismatch.
 */
export async function sdkAgainstSimulator(options: StartMarketSimOptions): Promise<{
  running: RunningMarketSim;
  alpaca: Alpaca;
  exchanges: Exchange[];
  problems: string[];
  raw: (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
}> {
  const running = await startMarketSim(options);
  const exchanges: Exchange[] = [];
  const problems: string[] = [];
  const record = async (method: string, url: string, res: Response) => {
    const u = new URL(url);
    const contentType = res.headers.get('content-type') ?? '';
    const text = await res.clone().text();
    const body: unknown = contentType.includes('json') && text ? JSON.parse(text) : text;
    exchanges.push({ method, path: u.pathname, status: res.status, contentType, body });
    problems.push(...checkAgainstSpec(method, u.pathname, u.searchParams, res.status, body, contentType));
  };
  const fetchApi = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input).replace(/^https:\/\/[^/]+/, running.url);
    const res = await fetch(url, init);
    await record(init?.method ?? 'GET', url, res);
    return res;
  };
  const alpaca = new Alpaca({ keyId: 'demo', secret: 'demo', fetchApi, retry: false, rateLimit: false });
  const raw = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'APCA-API-KEY-ID': 'demo', 'APCA-API-SECRET-KEY': 'demo' },
  ) => {
    const res = await fetch(running.url + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    await record(method, running.url + path, res);
    const text = await res.clone().text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text bodies stay text
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
  return { running, alpaca, exchanges, problems, raw };
}

/** Validates one response against the right spec; returns the problems found. */
export function checkAgainstSpec(
  method: string,
  path: string,
  query: URLSearchParams,
  status: number,
  body: unknown,
  contentType: string,
): string[] {
  if (path.startsWith('/_sim/')) return [];
  const data = DATA_PATH.test(path);
  const spec: OpenApiValidator = data ? marketDataSpec() : tradingSpec();
  const where = `${method} ${path} → ${status}`;
  if (status >= 400) {
    // Plain-text errors are what Alpaca sends for 404 on data paths and for 429.
    if (!contentType.includes('json'))
      return status === 404 || status === 429 ? [] : [`${where}: error without a JSON body`];
    return spec === tradingSpec() || (body as { code?: unknown }).code !== undefined
      ? tradingSpec().validate(tradingSpec().schema('Error'), body, where)
      : [];
  }
  const found = spec.responseSchema(method, path, status);
  if (!found) return [`${where}: no such operation in the specification`];
  if (!found.schema) return status === 204 ? [] : [`${where}: the specification declares no body for this status`];
  const schema = found.schema;
  if (found.template === '/v1beta1/news' && query.get('include_content') !== 'true') {
    // CONTRACT-NOTES: recorded responses omit `content` unless asked for it; treat it as optional.
    return spec.validate(newsWithoutContent(spec), body, where);
  }
  return spec.validate(schema, body, where);
}

function newsWithoutContent(spec: OpenApiValidator): Record<string, unknown> {
  const news = spec.schema('news');
  const required = (news.required as string[]).filter((r) => r !== 'content');
  return {
    type: 'object',
    required: ['news', 'next_page_token'],
    properties: {
      news: { type: 'array', items: { ...news, required } },
      next_page_token: { type: 'string', nullable: true },
    },
  };
}
