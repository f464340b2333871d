import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startThingsApp, TOKEN, type Started } from './things.fixture';

let app: Started;
beforeAll(async () => {
  app = await startThingsApp({ bodyLimit: '1kb' });
});
afterAll(async () => {
  await app.server.close(1000);
});

interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

async function expectError(res: Response, status: number, code: string): Promise<ErrorBody['error']> {
  expect(res.status).toBe(status);
  const body = (await jsonOf(res)) as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  expect(Object.keys(body)).toEqual(['error']);
  return body.error;
}

const postJson = (path: string, body: string, contentType = 'application/json') =>
  app.authed(path, { method: 'POST', headers: { 'content-type': contentType }, body });

describe('request bodies', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const error = await expectError(await postJson('/things', '{"name": "a", "limit":'), 400, 'invalid_json');
    expect(error.message).toBe('Request body is not valid JSON');
  });

  it('answers a body that is not application/json with 415 unsupported_media_type', async () => {
    await expectError(
      await postJson('/things', 'name=a&limit=1', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
    await expectError(await postJson('/things', '{"name":"a","limit":1}', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset', async () => {
    const res = await postJson('/things', '{"name":"a","limit":1}', 'application/json; charset=utf-8');
    expect(res.status).toBe(201);
    expect(await jsonOf(res)).toEqual({ id: '7', name: 'a' });
  });

  it('answers a body above the limit with 413 payload_too_large', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2048), limit: 1 });
    const error = await expectError(await postJson('/things', big), 413, 'payload_too_large');
    expect(error.details).toEqual({ limitBytes: 1024 });
  });

  it('answers a missing body on a route that needs one with 400 invalid_input at path body', async () => {
    const error = await expectError(await app.authed('/things', { method: 'POST' }), 400, 'invalid_input');
    expect(error.details).toEqual([{ path: 'body', message: 'Invalid input: expected object, received undefined' }]);
  });
});

describe('validation', () => {
  it('reports every invalid body field with its path', async () => {
    const error = await expectError(
      await postJson('/things', JSON.stringify({ name: '', limit: 50 })),
      400,
      'invalid_input',
    );
    expect(error.message).toBe('Request input is invalid');
    expect(error.details).toEqual([
      { path: 'body.name', message: 'Too small: expected string to have >=1 characters' },
      { path: 'body.limit', message: 'Too big: expected number to be <=10' },
    ]);
  });

  it('reports an invalid query value with its path and coerces valid ones', async () => {
    const error = await expectError(await app.authed('/things?limit=0'), 400, 'invalid_input');
    expect(error.details).toEqual([{ path: 'query.limit', message: 'Too small: expected number to be >=1' }]);

    const ok = await app.authed('/things?limit=5&cursor=abc');
    expect(await jsonOf(ok)).toEqual({ items: [], nextCursor: 'abc', limit: 5 });
    const defaults = await app.authed('/things');
    expect(await jsonOf(defaults)).toEqual({ items: [], nextCursor: null, limit: 20 });
  });

  it('reports an invalid path parameter with its path', async () => {
    const error = await expectError(await app.authed('/things/abc'), 400, 'invalid_input');
    expect(error.details).toEqual([{ path: 'params.id', message: 'Invalid string: must match pattern /^\\d+$/' }]);
  });

  it('answers a path that cannot be decoded with 400, not 500', async () => {
    await expectError(await app.authed('/things/%E0%A4%A'), 400, 'bad_request');
  });
});

describe('routing', () => {
  it('answers an unknown route with 404 not_found', async () => {
    const error = await expectError(await app.authed('/no/such/thing'), 404, 'not_found');
    expect(error.message).toBe('No route for GET /no/such/thing');
  });

  it('asks for the token before saying whether an unknown route exists', async () => {
    const res = await fetch(`${app.url}/no/such/thing`);
    await expectError(res, 401, 'unauthorized');
  });

  it('answers a wrong method on a known path with 405 and an Allow header', async () => {
    const res = await app.authed('/things/1', { method: 'DELETE' });
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    const error = await expectError(res, 405, 'method_not_allowed');
    expect(error.details).toEqual({ allow: ['GET', 'HEAD'] });

    const put = await app.authed('/things', { method: 'PUT' });
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    await expectError(put, 405, 'method_not_allowed');
  });

  it('answers a wrong method on a public endpoint with 405 without a token', async () => {
    const res = await fetch(`${app.url}/health`, { method: 'POST' });
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await expectError(res, 405, 'method_not_allowed');
  });

  it('answers OPTIONS on a known path with 204 and the allowed methods', async () => {
    const res = await fetch(`${app.url}/things`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});

describe('authentication', () => {
  it('answers a request without a token with 401 and WWW-Authenticate: Bearer', async () => {
    const res = await fetch(`${app.url}/things/1`);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const error = await expectError(res, 401, 'unauthorized');
    expect(error.message).toBe('A valid bearer token is required');
  });

  it('answers a wrong token with 401, whatever its length or scheme', async () => {
    for (const authorization of [
      `Bearer ${TOKEN.slice(0, -1)}x`,
      'Bearer short',
      `Bearer ${TOKEN}${TOKEN}`,
      `Basic ${TOKEN}`,
      `Bearer`,
      TOKEN,
    ]) {
      const res = await fetch(`${app.url}/things/1`, { headers: { authorization } });
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      await expectError(res, 401, 'unauthorized');
    }
  });

  it('checks the token before reading the body', async () => {
    const res = await fetch(`${app.url}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    await expectError(res, 401, 'unauthorized');
  });

  it('lets a public route through without a token', async () => {
    const res = await fetch(`${app.url}/ping`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ pong: true });
  });
});

describe('handler failures', () => {
  it('answers a plain Error with a generic 500, logs the stack, counts it and keeps serving', async () => {
    const before = app.logs.lines.length;
    const res = await app.authed('/things/500');
    expect(res.status).toBe(500);
    const requestId = res.headers.get('x-request-id');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'Internal server error', requestId } });
    expect(text).not.toContain('exploded');
    expect(text).not.toContain('at ');

    const logged = app.logs.lines.slice(before).find((l) => l.msg === 'unhandled error');
    expect(logged?.requestId).toBe(requestId);
    expect(logged?.level).toBe('error');
    const err = logged?.err as { message: string; stack: string };
    expect(err.message).toBe('db exploded at postgres://app:[Redacted]@db/catalyst');
    expect(err.stack).toContain('things.fixture.ts');

    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/^app_unhandled_errors_total\{service="scanner"\} [1-9]/m);
    expect(metrics).toMatch(/^http_errors_total\{code="internal",service="scanner"\} [1-9]/m);

    const next = await app.authed('/things/1');
    expect(next.status).toBe(200);
  });

  it('answers NotFound from a handler with 404, its message and details', async () => {
    const error = await expectError(await app.authed('/things/404'), 404, 'not_found');
    expect(error.message).toBe('Thing 404 not found');
    expect(error.details).toEqual({ id: '404' });
  });

  it('leaves details out when the error has none', async () => {
    const res = await app.authed('/limited');
    expect(res.headers.get('retry-after')).toBe('7');
    const error = await expectError(res, 429, 'rate_limited');
    expect(error).toEqual({
      code: 'rate_limited',
      message: 'Slow down',
      requestId: res.headers.get('x-request-id'),
      details: { retryAfterSeconds: 7 },
    });

    const unauthorized = await fetch(`${app.url}/things/1`);
    const body = (await unauthorized.json()) as ErrorBody;
    expect('details' in body.error).toBe(false);
  });

  it('treats a response that breaks its schema as a programming error: 500 and a log line naming it', async () => {
    const before = app.logs.lines.length;
    await expectError(await app.authed('/broken'), 500, 'internal');
    const logged = app.logs.lines.slice(before).find((l) => l.msg === 'unhandled error');
    expect((logged?.err as { message: string }).message).toBe(
      'Response of broken does not match its schema: id: Invalid input: expected string, received number; name: Invalid input: expected string, received undefined',
    );
  });

  it('sends the response unchecked when validation is off (production)', async () => {
    const prod = await startThingsApp({ validateResponses: false });
    try {
      const res = await prod.authed('/broken');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: 1 });
    } finally {
      await prod.server.close(1000);
    }
  });
});

describe('error pages', () => {
  it('never answers an error with anything but JSON, even for requests Express itself rejects', async () => {
    const cases: Array<Promise<Response>> = [
      app.authed('/things/%E0%A4%A'),
      app.authed('/nope'),
      fetch(`${app.url}/nope`),
      app.authed('/things/1', { method: 'PATCH' }),
      postJson('/things', '{'),
      postJson('/things', '[1,', 'application/json'),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await res.json()) as ErrorBody).error.code).toMatch(/^[a-z_]+$/);
    }
  });
});
