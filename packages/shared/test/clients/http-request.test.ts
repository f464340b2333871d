import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpRequest, upstreamDetails, type UpstreamErrorDetails } from '../../src/clients';
import { AppError, UpstreamBadResponse, UpstreamUnavailable } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { closedPort, startScriptedServer, type ScriptedServer } from './scripted-server';

let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
});

/** Records the waits between attempts instead of waiting. */
function recordingSleep(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms) => {
      waits.push(ms);
    },
  };
}

function captureLog(): { lines: Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ service: 'test', level: 'debug', destination }) };
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<{ error: unknown; details: UpstreamErrorDetails | undefined }> {
  try {
    await promise;
  } catch (error) {
    return { error, details: upstreamDetails(error) };
  }
  throw new Error('expected the call to fail');
}

describe('httpRequest', () => {
  it('parses a JSON answer and sends a JSON body with its content type', async () => {
    server.script({ status: 201, json: { id: 7, ok: true }, headers: { 'x-upstream': 'yes' } });

    const res = await httpRequest({
      method: 'POST',
      url: `${server.baseUrl}/orders`,
      json: { symbol: 'ABC', qty: '10' },
    });

    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 7, ok: true });
    expect(res.headers.get('x-upstream')).toBe('yes');
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/orders', body: '{"symbol":"ABC","qty":"10"}' });
    expect(server.seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('returns text as text when the content type is not JSON, and sends a raw body as is', async () => {
    server.script({ status: 200, text: '<rss><channel/></rss>', headers: { 'content-type': 'application/rss+xml' } });

    const res = await httpRequest({
      method: 'post',
      url: `${server.baseUrl}/feed`,
      body: 'a=1&b=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

    expect(res.body).toBe('<rss><channel/></rss>');
    expect(server.seen[0]!.body).toBe('a=1&b=2');
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('gives the body typed and validated by the schema it is given', async () => {
    server.script({ status: 200, json: { price: '12.50', extra: 1 } });

    const res = await httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/quote`,
      schema: z.object({ price: z.string() }),
    });

    const price: string = res.body.price;
    expect(price).toBe('12.50');
    expect(res.body).toEqual({ price: '12.50' });
  });

  it('when an idempotent call meets 503 twice, then it succeeds on the third attempt after jittered waits, logging each retry', async () => {
    server.script(
      { status: 503, json: { error: { code: 'unavailable', message: 'warming up' } } },
      { status: 503, text: 'busy' },
      { status: 200, json: { ok: true } },
    );
    const { waits, sleep } = recordingSleep();
    const { lines, log } = captureLog();

    const res = await httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/scan`,
      idempotent: true,
      sleep,
      random: () => 0.5,
      log,
      service: 'scanner',
    });

    expect(res.body).toEqual({ ok: true });
    expect(server.seen).toHaveLength(3);
    // Full jitter: random() * min(cap, base * 2^(attempt-1)).
    expect(waits).toEqual([50, 100]);
    expect(lines.map((l) => [l.level, l.attempt, l.maxAttempts, l.delayMs, l.status, l.service])).toEqual([
      ['warn', 1, 3, 50, 503, 'scanner'],
      ['warn', 2, 3, 100, 503, 'scanner'],
    ]);
    expect(lines[0]!.upstreamCode).toBe('unavailable');
  });

  it('caps the backoff at 2 s', async () => {
    server.script({ status: 500, text: 'boom' });
    const { waits, sleep } = recordingSleep();

    const { error, details } = await failureOf(
      httpRequest({
        method: 'GET',
        url: `${server.baseUrl}/x`,
        idempotent: true,
        retries: 6,
        sleep,
        random: () => 0.999999,
      }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(waits).toEqual([99, 199, 399, 799, 1599, 1999]);
    expect(details).toMatchObject({ reason: 'status', status: 500, attempts: 7 });
    expect(server.seen).toHaveLength(7);
  });

  it('when retries run out, then it throws UpstreamUnavailable with the last status and the upstream error', async () => {
    server.script({ status: 503, json: { error: { code: 'db_down', message: 'database is down' } } });
    const { sleep } = recordingSleep();

    const { error, details } = await failureOf(
      httpRequest({
        method: 'GET',
        url: `${server.baseUrl}/scan`,
        idempotent: true,
        sleep,
        service: 'scanner',
        operation: 'latestScan',
      }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect((error as AppError).code).toBe('UPSTREAM.UNAVAILABLE');
    expect((error as AppError).message).toBe(
      `scanner GET ${server.baseUrl}/scan: answered 503 (db_down: database is down)`,
    );
    expect(details).toEqual({
      service: 'scanner',
      operation: 'latestScan',
      method: 'GET',
      url: `${server.baseUrl}/scan`,
      reason: 'status',
      status: 503,
      attempts: 3,
      upstream: { status: 503, code: 'db_down', message: 'database is down' },
    });
    expect(server.seen).toHaveLength(3);
  });

  it('when a call that is not idempotent meets 503, then it is not retried', async () => {
    server.script({ status: 503, text: 'busy' }, { status: 200, json: {} });
    const { waits, sleep } = recordingSleep();

    const { error, details } = await failureOf(
      httpRequest({ method: 'POST', url: `${server.baseUrl}/orders`, json: {}, sleep }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(details).toMatchObject({ status: 503, attempts: 1 });
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('when a 429 says Retry-After: 1, then it waits 1 s before the next attempt', async () => {
    server.script({ status: 429, headers: { 'retry-after': '1' }, text: '' }, { status: 200, json: { ok: 1 } });
    const { waits, sleep } = recordingSleep();

    const res = await httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/bars`,
      idempotent: true,
      sleep,
      random: () => 0,
    });

    expect(res.body).toEqual({ ok: 1 });
    expect(waits).toEqual([1000]);
    expect(server.seen).toHaveLength(2);
  });

  it('honours a Retry-After HTTP-date on 503 against the injected clock', async () => {
    const now = Date.parse('2025-03-03T14:30:00Z');
    server.script(
      { status: 503, headers: { 'retry-after': new Date(now + 3000).toUTCString() } },
      { status: 200, json: { ok: 1 } },
    );
    const { waits, sleep } = recordingSleep();

    await httpRequest({ method: 'GET', url: `${server.baseUrl}/bars`, idempotent: true, sleep, now: () => now });

    expect(waits).toEqual([3000]);
  });

  it('caps a long Retry-After at maxRetryAfterMs', async () => {
    server.script({ status: 429, headers: { 'retry-after': '3600' } }, { status: 200, json: {} });
    const { waits, sleep } = recordingSleep();

    await httpRequest({ method: 'GET', url: `${server.baseUrl}/bars`, idempotent: true, sleep, maxRetryAfterMs: 4000 });

    expect(waits).toEqual([4000]);
  });

  it('ignores Retry-After on statuses other than 429 and 503', async () => {
    server.script({ status: 500, headers: { 'retry-after': '30' } }, { status: 200, json: {} });
    const { waits, sleep } = recordingSleep();

    await httpRequest({ method: 'GET', url: `${server.baseUrl}/bars`, idempotent: true, sleep, random: () => 0.5 });

    expect(waits).toEqual([50]);
  });

  it('when the upstream does not answer in time, then it throws UpstreamUnavailable and the upstream did see the request', async () => {
    server.script('hang');

    const started = Date.now();
    const { error, details } = await failureOf(
      httpRequest({ method: 'POST', url: `${server.baseUrl}/slow`, json: {}, timeoutMs: 150 }),
    );

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(details).toMatchObject({ reason: 'timeout', attempts: 1 });
    expect(details!.status).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.seen).toHaveLength(1);
  });

  it('retries an idempotent call that timed out', async () => {
    server.script('hang', { status: 200, json: { late: false } });
    const { sleep } = recordingSleep();

    const res = await httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/slow`,
      timeoutMs: 150,
      idempotent: true,
      sleep,
    });

    expect(res.body).toEqual({ late: false });
    expect(server.seen).toHaveLength(2);
  });

  it('when nothing listens on the port, then it throws UpstreamUnavailable naming ECONNREFUSED', async () => {
    const port = await closedPort();

    const { error, details } = await failureOf(httpRequest({ method: 'GET', url: `http://127.0.0.1:${port}/health` }));

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(details).toMatchObject({ reason: 'connection', cause: 'ECONNREFUSED', attempts: 1 });
  });

  it('when the upstream drops the connection, then it throws UpstreamUnavailable', async () => {
    server.script('destroy');

    const { error, details } = await failureOf(httpRequest({ method: 'GET', url: `${server.baseUrl}/drop` }));

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(details).toMatchObject({ reason: 'connection', attempts: 1 });
  });

  it('when the upstream answers 400 with a JSON error, then it throws UpstreamBadResponse with the upstream code and does not retry', async () => {
    server.script({
      status: 400,
      json: { error: { code: 'invalid_input', message: 'limit must be at most 100', requestId: 'r-1' } },
    });
    const { waits, sleep } = recordingSleep();

    const { error, details } = await failureOf(
      httpRequest({ method: 'GET', url: `${server.baseUrl}/scans?limit=500`, idempotent: true, sleep }),
    );

    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect((error as AppError).code).toBe('UPSTREAM.BAD_RESPONSE');
    expect(details).toMatchObject({
      reason: 'status',
      status: 400,
      attempts: 1,
      upstream: { status: 400, code: 'invalid_input', message: 'limit must be at most 100' },
    });
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('reads the error code and message of provider error shapes', async () => {
    server.script(
      { status: 404, json: { code: 40410000, message: 'position does not exist' } },
      { status: 401, json: { status: 'error', code: 'apiKeyInvalid', message: 'Your API key is invalid' } },
    );

    const alpaca = await failureOf(httpRequest({ method: 'GET', url: `${server.baseUrl}/v2/positions/ABC` }));
    const newsapi = await failureOf(httpRequest({ method: 'GET', url: `${server.baseUrl}/v2/everything` }));

    expect(alpaca.details!.upstream).toEqual({ status: 404, code: '40410000', message: 'position does not exist' });
    expect(newsapi.details!.upstream).toEqual({
      status: 401,
      code: 'apiKeyInvalid',
      message: 'Your API key is invalid',
    });
  });

  it('when a JSON answer does not parse, then it throws UpstreamBadResponse without retrying', async () => {
    server.script({ status: 200, text: '{"items": [', headers: { 'content-type': 'application/json' } });
    const { sleep } = recordingSleep();

    const { error, details } = await failureOf(
      httpRequest({ method: 'GET', url: `${server.baseUrl}/items`, idempotent: true, sleep }),
    );

    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect(details).toMatchObject({ reason: 'invalid_json', status: 200, attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it('refuses a body declared larger than maxBytes before reading it, and does not retry', async () => {
    server.script({
      status: 200,
      text: 'x'.repeat(5_000),
      headers: { 'content-type': 'text/plain', 'content-length': '5000' },
    });
    const { error, details } = await failureOf(
      httpRequest({ method: 'GET', url: `${server.baseUrl}/feed`, idempotent: true, maxBytes: 1_000 }),
    );
    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect(details).toMatchObject({ reason: 'too_large', status: 200, attempts: 1 });
    expect((error as Error).message).toMatch(/answered 5000 bytes, more than the 1000 allowed$/);
    expect(server.seen).toHaveLength(1);
  });

  it('cuts off a body without a length once it grows past maxBytes, and takes one that fits', async () => {
    const chunked = { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' };
    server.script({ status: 200, text: 'é'.repeat(3_000), headers: chunked });
    const { details } = await failureOf(httpRequest({ method: 'GET', url: `${server.baseUrl}/feed`, maxBytes: 1_000 }));
    expect(details).toMatchObject({ reason: 'too_large', status: 200 });

    server.script({ status: 200, text: 'é'.repeat(400), headers: chunked });
    const ok = await httpRequest({ method: 'GET', url: `${server.baseUrl}/feed`, maxBytes: 1_000 });
    expect(ok.body).toBe('é'.repeat(400));
  });

  it('when the answer does not match the schema, then it throws UpstreamBadResponse listing where', async () => {
    server.script({ status: 200, json: { items: [{ symbol: 'ABC', score: 'high' }] } });

    const { error, details } = await failureOf(
      httpRequest({
        method: 'GET',
        url: `${server.baseUrl}/items`,
        idempotent: true,
        schema: z.object({ items: z.array(z.object({ symbol: z.string(), score: z.number() })) }),
      }),
    );

    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect(details).toMatchObject({ reason: 'schema', status: 200, attempts: 1 });
    expect(details!.issues).toHaveLength(1);
    expect(details!.issues![0]!.path).toBe('items.0.score');
    expect(server.seen).toHaveLength(1);
  });

  it('keeps secrets in the query string out of the error and the retry log', async () => {
    server.script({ status: 503, text: '' });
    const { sleep } = recordingSleep();
    const { lines, log } = captureLog();
    const url = `${server.baseUrl}/v2/everything?q=earnings&apikey=s3cr3t-key&pageSize=5`;

    const { error, details } = await failureOf(
      httpRequest({ method: 'GET', url, idempotent: true, retries: 1, sleep, log }),
    );

    const redacted = `${server.baseUrl}/v2/everything?q=earnings&apikey=[Redacted]&pageSize=5`;
    expect(details!.url).toBe(redacted);
    expect((error as Error).message).toBe(`127.0.0.1:${server.baseUrl.split(':')[2]} GET ${redacted}: answered 503`);
    expect(JSON.stringify(lines)).not.toContain('s3cr3t-key');
    expect(lines[0]!.url).toBe(redacted);
    // The upstream itself still gets the key.
    expect(server.seen[0]!.url).toBe('/v2/everything?q=earnings&apikey=s3cr3t-key&pageSize=5');
  });

  it('when the caller aborts, then the abort reason is thrown and nothing is retried', async () => {
    server.script('hang');
    const controller = new AbortController();
    const reason = new Error('cycle cancelled');
    setTimeout(() => controller.abort(reason), 50);

    const call = httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/slow`,
      idempotent: true,
      signal: controller.signal,
    });

    await expect(call).rejects.toBe(reason);
    expect(server.seen).toHaveLength(1);
  });

  it('when the caller aborts during the wait between attempts, then it stops there', async () => {
    server.script({ status: 503, text: '' });
    const controller = new AbortController();
    const reason = new Error('shutting down');

    const call = httpRequest({
      method: 'GET',
      url: `${server.baseUrl}/x`,
      idempotent: true,
      signal: controller.signal,
      sleep: async () => {
        controller.abort(reason);
        throw new Error('sleep interrupted');
      },
    });

    await expect(call).rejects.toBe(reason);
    expect(server.seen).toHaveLength(1);
  });

  it('rejects a URL that is not http(s) with a typed error', async () => {
    await expect(httpRequest({ method: 'GET', url: 'not a url' })).rejects.toMatchObject({
      code: 'UPSTREAM.INVALID_URL',
    });
    const err = await httpRequest({ method: 'GET', url: 'file:///etc/passwd' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UPSTREAM.INVALID_URL');
  });

  it('upstreamDetails is undefined for other errors', () => {
    expect(upstreamDetails(new Error('x'))).toBeUndefined();
    expect(upstreamDetails(new UpstreamUnavailable('x'))).toBeUndefined();
  });
});
