import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createServiceClient, upstreamDetails, type ServiceClient } from '../../src/clients';
import { InvalidInput, UpstreamBadResponse, UpstreamUnavailable } from '../../src/errors';
import { defineRoute } from '../../src/http/route';
import { runWithContext } from '../../src/logger';
import { closedPort, startScriptedServer, type ScriptedServer } from './scripted-server';

const candidate = z.object({ symbol: z.string(), score: z.number(), reasons: z.array(z.string()).default([]) });

const scannerContract = {
  scanCandidates: defineRoute({
    method: 'get',
    path: '/scans/:scanId/candidates',
    operationId: 'scanCandidates',
    summary: 'Candidates of one scan',
    params: z.object({ scanId: z.string() }),
    query: z.object({
      limit: z.coerce.number().int().optional(),
      symbol: z.array(z.string()).optional(),
      cursor: z.string().optional(),
    }),
    response: z.object({ items: z.array(candidate), nextCursor: z.string().nullable() }),
  }),
  latestScan: defineRoute({
    method: 'get',
    path: '/scans/latest',
    operationId: 'latestScan',
    summary: 'The latest scan',
    response: z.object({ id: z.string(), at: z.iso.datetime() }),
  }),
  startScan: defineRoute({
    method: 'post',
    path: '/scans',
    operationId: 'startScan',
    summary: 'Start a scan',
    body: z.object({ symbols: z.array(z.string()), reason: z.string().optional() }),
    response: z.object({ id: z.string() }),
    status: 202,
  }),
  replaceWatchlist: defineRoute({
    method: 'post',
    path: '/watchlist',
    operationId: 'replaceWatchlist',
    summary: 'Replace the watchlist',
    body: z.object({ symbols: z.array(z.string()) }),
    response: z.object({ count: z.number() }),
    idempotent: true,
  }),
  nextEvent: defineRoute({
    method: 'get',
    path: '/events/next',
    operationId: 'nextEvent',
    summary: 'Consumes the next event',
    response: z.object({ id: z.string() }),
    idempotent: false,
  }),
};

let server: ScriptedServer;
let waits: number[];
let client: ServiceClient<typeof scannerContract>;

beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.seen.length = 0;
  waits = [];
  client = createServiceClient(scannerContract, {
    baseUrl: server.baseUrl,
    token: 'tok-123',
    service: 'scanner',
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
});

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('createServiceClient', () => {
  it('sends params, query, bearer token and the context ids, and returns the parsed answer', async () => {
    server.script({ status: 200, json: { items: [{ symbol: 'ABC', score: 0.9 }], nextCursor: null } });

    const page = await runWithContext({ requestId: 'req-42', cycleId: 'cyc-7' }, () =>
      client.scanCandidates({
        params: { scanId: 'scan 1/2' },
        query: { limit: 5, symbol: ['ABC', 'XYZ'], cursor: undefined },
      }),
    );

    expectTypeOf(page).toEqualTypeOf<{
      items: { symbol: string; score: number; reasons: string[] }[];
      nextCursor: string | null;
    }>();
    // The schema's default is applied on the way in.
    expect(page).toEqual({ items: [{ symbol: 'ABC', score: 0.9, reasons: [] }], nextCursor: null });
    expect(server.seen).toHaveLength(1);
    const seen = server.seen[0]!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/scans/scan%201%2F2/candidates?limit=5&symbol=ABC&symbol=XYZ');
    expect(seen.headers.authorization).toBe('Bearer tok-123');
    expect(seen.headers['x-request-id']).toBe('req-42');
    expect(seen.headers['x-cycle-id']).toBe('cyc-7');
    expect(seen.headers.accept).toBe('application/json');
  });

  it('sends a JSON body and accepts the route status', async () => {
    server.script({ status: 202, json: { id: 'scan-9' } });

    const started = await client.startScan({ body: { symbols: ['ABC'] }, headers: { 'X-Extra': 'on' } });

    expectTypeOf(started).toEqualTypeOf<{ id: string }>();
    expect(started).toEqual({ id: 'scan-9' });
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/scans', body: '{"symbols":["ABC"]}' });
    expect(server.seen[0]!.headers['content-type']).toBe('application/json');
    expect(server.seen[0]!.headers['x-extra']).toBe('on');
  });

  it('generates a request id when there is no context, and sends no cycle id', async () => {
    server.script({ status: 200, json: { id: 's1', at: '2025-03-03T14:30:00Z' } });

    const latest = await client.latestScan();

    expect(latest).toEqual({ id: 's1', at: '2025-03-03T14:30:00Z' });
    expect(server.seen[0]!.headers['x-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(server.seen[0]!.headers['x-cycle-id']).toBeUndefined();
  });

  it('keeps a path prefix of the base URL and drops its trailing slash', async () => {
    server.script({ status: 200, json: { id: 's1', at: '2025-03-03T14:30:00Z' } });
    const prefixed = createServiceClient(scannerContract, { baseUrl: `${server.baseUrl}/scanner/`, token: 't' });

    await prefixed.latestScan();

    expect(server.seen[0]!.url).toBe('/scanner/scans/latest');
  });

  it('when the answer has the wrong shape, then it throws UpstreamBadResponse', async () => {
    server.script({ status: 200, json: { id: 's1', at: 'yesterday' } });

    const error = await failureOf(client.latestScan());

    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect(upstreamDetails(error)).toMatchObject({
      service: 'scanner',
      operation: 'latestScan',
      reason: 'schema',
      status: 200,
      attempts: 1,
      issues: [{ path: 'at' }],
    });
    expect(server.seen).toHaveLength(1);
  });

  it('when a GET meets 503 twice, then it succeeds after two retries with the same request id', async () => {
    server.script(
      { status: 503, text: '' },
      { status: 503, text: '' },
      { status: 200, json: { id: 's2', at: '2025-03-03T14:30:00Z' } },
    );

    const latest = await runWithContext({ requestId: 'req-retry' }, () => client.latestScan());

    expect(latest.id).toBe('s2');
    expect(server.seen).toHaveLength(3);
    expect(server.seen.map((s) => s.headers['x-request-id'])).toEqual(['req-retry', 'req-retry', 'req-retry']);
    expect(waits).toEqual([50, 100]);
  });

  it('when a POST meets 503, then it is not retried', async () => {
    server.script({ status: 503, text: '' }, { status: 202, json: { id: 'never' } });

    const error = await failureOf(client.startScan({ body: { symbols: ['ABC'] } }));

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(upstreamDetails(error)).toMatchObject({ status: 503, attempts: 1 });
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('when a POST carries an Idempotency-Key, then it is retried', async () => {
    server.script({ status: 503, text: '' }, { status: 202, json: { id: 'scan-3' } });

    const started = await client.startScan({ body: { symbols: ['ABC'] }, headers: { 'Idempotency-Key': 'k-1' } });

    expect(started).toEqual({ id: 'scan-3' });
    expect(server.seen).toHaveLength(2);
    expect(server.seen.map((s) => s.headers['idempotency-key'])).toEqual(['k-1', 'k-1']);
  });

  it('follows the route: an idempotent POST is retried, a GET marked not idempotent is not', async () => {
    server.script({ status: 503, text: '' }, { status: 200, json: { count: 2 } });
    await expect(client.replaceWatchlist({ body: { symbols: ['A', 'B'] } })).resolves.toEqual({ count: 2 });
    expect(server.seen).toHaveLength(2);

    server.seen.length = 0;
    server.script({ status: 503, text: '' }, { status: 200, json: { id: 'e1' } });
    await expect(client.nextEvent()).rejects.toBeInstanceOf(UpstreamUnavailable);
    expect(server.seen).toHaveLength(1);
  });

  it('when the upstream answers 400 with its JSON error, then it throws UpstreamBadResponse carrying the upstream status and code', async () => {
    server.script({
      status: 400,
      json: { error: { code: 'invalid_input', message: 'limit: too big', requestId: 'req-1', details: [] } },
    });

    const error = await failureOf(client.scanCandidates({ params: { scanId: 's1' }, query: { limit: 1000 } }));

    expect(error).toBeInstanceOf(UpstreamBadResponse);
    expect(upstreamDetails(error)).toMatchObject({
      service: 'scanner',
      operation: 'scanCandidates',
      status: 400,
      attempts: 1,
      upstream: { status: 400, code: 'invalid_input', message: 'limit: too big' },
    });
    expect(server.seen).toHaveLength(1);
  });

  it('when a 429 says Retry-After: 1, then the next attempt waits 1 s', async () => {
    server.script(
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, json: { id: 's1', at: '2025-03-03T14:30:00Z' } },
    );

    await client.latestScan();

    expect(waits).toEqual([1000]);
    expect(server.seen).toHaveLength(2);
  });

  it('when the service does not answer in time, then it throws UpstreamUnavailable after the server saw the request', async () => {
    server.script('hang');
    const slow = createServiceClient(scannerContract, {
      baseUrl: server.baseUrl,
      token: 't',
      timeoutMs: 100,
      retries: 0,
    });

    const error = await failureOf(slow.latestScan());

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(upstreamDetails(error)).toMatchObject({ reason: 'timeout', attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it('when the service is down, then it throws UpstreamUnavailable after the retries', async () => {
    const port = await closedPort();
    const down = createServiceClient(scannerContract, {
      baseUrl: `http://127.0.0.1:${port}`,
      token: 't',
      sleep: async (ms) => {
        waits.push(ms);
      },
      random: () => 0,
    });

    const error = await failureOf(down.latestScan());

    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect(upstreamDetails(error)).toMatchObject({ reason: 'connection', cause: 'ECONNREFUSED', attempts: 3 });
    expect(waits).toEqual([0, 0]);
  });

  it('when a path parameter is missing at run time, then it throws InvalidInput before any request', async () => {
    const args = { params: {} } as unknown as Parameters<typeof client.scanCandidates>[0];

    const error = await failureOf(client.scanCandidates(args));

    expect(error).toBeInstanceOf(InvalidInput);
    expect(server.seen).toHaveLength(0);
  });

  it('types each call from its route', () => {
    expectTypeOf(client.latestScan).parameters.toEqualTypeOf<[args?: Parameters<typeof client.latestScan>[0]]>();
    expectTypeOf<Parameters<typeof client.scanCandidates>[0]['params']>().toEqualTypeOf<{ scanId: string }>();
    expectTypeOf<Parameters<typeof client.startScan>[0]['body']>().toEqualTypeOf<{
      symbols: string[];
      reason?: string | undefined;
    }>();
    // @ts-expect-error params are required
    void (() => client.scanCandidates({ query: { limit: 1 } }));
    // @ts-expect-error this route takes no body
    void (() => client.latestScan({ body: {} }));
    // @ts-expect-error a body is required
    void (() => client.startScan());
  });
});
