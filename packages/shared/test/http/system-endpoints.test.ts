import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, startThingsApp, type Started } from './things.fixture';

let running: Started | undefined;
afterEach(async () => {
  await running?.server.close(1000);
  running = undefined;
});

describe('GET /health', () => {
  it('answers without a token with the service, its version and uptime', async () => {
    running = await startThingsApp();
    const res = await fetch(`${running.url}/health`);
    expect(res.status).toBe(200);
    const body = (await jsonOf(res)) as Record<string, unknown>;
    expect(body).toEqual({ status: 'ok', service: 'scanner', version: '1.2.3', uptimeSeconds: expect.any(Number) });
    expect(Number.isInteger(body.uptimeSeconds)).toBe(true);
  });
});

describe('GET /ready', () => {
  it('is 503 naming the failing check while it throws, then 200 once it answers', async () => {
    let databaseUp = false;
    running = await startThingsApp({
      readiness: {
        database: async () => {
          if (!databaseUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
        redis: async () => 'PONG',
      },
    });

    const down = await fetch(`${running.url}/ready`);
    expect(down.status).toBe(503);
    expect(await jsonOf(down)).toEqual({
      status: 'not_ready',
      checks: { database: 'error: connect ECONNREFUSED 127.0.0.1:5432', redis: 'ok' },
    });

    databaseUp = true;
    const up = await fetch(`${running.url}/ready`);
    expect(up.status).toBe(200);
    expect(await jsonOf(up)).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('bounds each check by the timeout and runs the checks in parallel', async () => {
    running = await startThingsApp({
      readinessTimeoutMs: 150,
      readiness: {
        hung: () => new Promise(() => {}),
        alsoHung: () => new Promise(() => {}),
      },
    });
    const started = Date.now();
    const res = await fetch(`${running.url}/ready`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(await jsonOf(res)).toEqual({
      status: 'not_ready',
      checks: { hung: 'error: timed out after 150 ms', alsoHung: 'error: timed out after 150 ms' },
    });
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(290);
  });

  it('never shows a password from a failing check', async () => {
    running = await startThingsApp({
      readiness: {
        database: async () => {
          throw new Error('cannot reach postgres://catalyst:hunter2@db:5432/catalyst');
        },
      },
    });
    const res = await fetch(`${running.url}/ready`);
    expect(await jsonOf(res)).toEqual({
      status: 'not_ready',
      checks: { database: 'error: cannot reach postgres://catalyst:[Redacted]@db:5432/catalyst' },
    });
  });

  it('is 503 after setReady(false) even when every check passes, and 200 after setReady(true)', async () => {
    running = await startThingsApp({ readiness: { database: async () => undefined } });
    running.svc.setReady(false);
    const res = await fetch(`${running.url}/ready`);
    expect(res.status).toBe(503);
    expect(await jsonOf(res)).toEqual({ status: 'not_ready', checks: {}, reason: 'marked not ready (shutting down)' });
    running.svc.setReady(true);
    expect((await fetch(`${running.url}/ready`)).status).toBe(200);
  });

  it('runs checks added after creation', async () => {
    running = await startThingsApp();
    running.svc.addReadinessCheck('news', async () => {
      throw new Error('news answered 502');
    });
    const res = await fetch(`${running.url}/ready`);
    expect(res.status).toBe(503);
    expect(await jsonOf(res)).toEqual({ status: 'not_ready', checks: { news: 'error: news answered 502' } });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with the request histogram labelled by route template, never the raw URL', async () => {
    running = await startThingsApp();
    expect((await running.authed('/things/42')).status).toBe(200);
    expect((await running.authed('/things/43')).status).toBe(200);
    expect((await running.authed('/nowhere/at/all')).status).toBe(404);

    const res = await fetch(`${running.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain(
      'http_request_duration_seconds_count{service="scanner",method="GET",route="/things/:id",status="200"} 2',
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{service="scanner",method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).not.toContain('/things/42');
    expect(text).not.toContain('/nowhere');
    expect(text).toContain('http_errors_total{code="not_found",service="scanner"} 1');
    expect(text).toContain('app_unhandled_errors_total{service="scanner"} 0');
    // Default process metrics are collected on the app's own registry.
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="scanner"\} \d/m);
  });

  it('gives every app its own registry, so many apps can live in one process', async () => {
    running = await startThingsApp();
    const other = await startThingsApp();
    try {
      await running.authed('/things/1');
      const text = await (await fetch(`${other.url}/metrics`)).text();
      expect(text).not.toContain('route="/things/:id"');
      expect(other.svc.registry).not.toBe(running.svc.registry);
    } finally {
      await other.server.close(1000);
    }
  });
});

describe('GET /openapi.json', () => {
  it('lists the registered routes with their parameters and body schema, without a token', async () => {
    running = await startThingsApp();
    const res = await fetch(`${running.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await jsonOf(res)) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { operationId: string; parameters?: unknown[]; requestBody?: unknown; security?: unknown[] }>
      >;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/broken',
      '/echo-context',
      '/health',
      '/limited',
      '/metrics',
      '/openapi.json',
      '/ping',
      '/ready',
      '/things',
      '/things/{id}',
    ]);
    const getThing = doc.paths['/things/{id}']?.get;
    expect(getThing?.operationId).toBe('getThing');
    expect(getThing?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } },
    ]);
    expect(doc.paths['/things']?.get?.parameters).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
      },
      { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
    ]);
    expect(doc.paths['/things']?.post?.requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { name: { type: 'string', minLength: 1 }, limit: { type: 'integer', minimum: 1, maximum: 10 } },
            required: ['name', 'limit'],
          },
        },
      },
    });
    expect(doc.paths['/ping']?.get?.security).toEqual([]);
    expect(doc.paths['/health']?.get?.security).toEqual([]);
  });
});

describe('response headers', () => {
  it('sends nosniff and no-store and never X-Powered-By', async () => {
    running = await startThingsApp();
    for (const res of [
      await running.authed('/things/1'),
      await fetch(`${running.url}/health`),
      await fetch(`${running.url}/things/1`),
    ]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});
