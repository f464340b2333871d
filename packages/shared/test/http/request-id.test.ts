import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startThingsApp, TOKEN, type Started } from './things.fixture';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app: Started;
beforeAll(async () => {
  app = await startThingsApp();
});
afterAll(async () => {
  await app.server.close(1000);
});

const requestLines = (requestId: string) => app.logs.lines.filter((l) => l.requestId === requestId);

/** The access log line is written when the response finishes, which can be just after fetch resolves. */
async function accessLine(requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const line = requestLines(requestId).find((l) => l.msg === 'request');
    if (line) return line;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no access log line for ${requestId}`);
}

describe('request id', () => {
  it('keeps a sane incoming x-request-id and logs the request with it', async () => {
    const res = await app.authed('/things/42', { headers: { 'x-request-id': 'edge-42.a:b_c-1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('edge-42.a:b_c-1');
    const line = await accessLine('edge-42.a:b_c-1');
    expect(line).toEqual({
      level: 'info',
      time: expect.any(String),
      service: 'scanner',
      requestId: 'edge-42.a:b_c-1',
      method: 'GET',
      route: '/things/:id',
      path: '/things/42',
      status: 200,
      durationMs: expect.any(Number),
      msg: 'request',
    });
  });

  it('generates a UUID when none is sent', async () => {
    const res = await app.authed('/things/1');
    const id = res.headers.get('x-request-id') ?? '';
    expect(id).toMatch(UUID);
    expect((await accessLine(id)).route).toBe('/things/:id');
  });

  it('replaces an incoming id that is too long or has odd characters', async () => {
    for (const sent of ['x'.repeat(129), 'has space', 'semi;colon', 'ünï', '']) {
      const res = await app.authed('/things/1', { headers: { 'x-request-id': sent } });
      const id = res.headers.get('x-request-id') ?? '';
      expect(id).toMatch(UUID);
    }
    const longest = 'y'.repeat(128);
    const res = await app.authed('/things/1', { headers: { 'x-request-id': longest } });
    expect(res.headers.get('x-request-id')).toBe(longest);
  });

  it('puts the id in error bodies and the error code in the access line', async () => {
    const res = await app.authed('/things/404', { headers: { 'x-request-id': 'req-404' } });
    const body = (await jsonOf(res)) as { error: { requestId: string } };
    expect(body.error.requestId).toBe('req-404');
    const line = await accessLine('req-404');
    expect(line).toMatchObject({ status: 404, route: '/things/:id', error: 'not_found' });
  });

  it('carries request and cycle ids into the handler across body parsing, and into its log lines', async () => {
    const res = await app.authed('/echo-context', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-ctx', 'x-cycle-id': 'cycle-9' },
      body: JSON.stringify({ note: 'hello' }),
    });
    expect(await jsonOf(res)).toEqual({ requestId: 'req-ctx', cycleId: 'cycle-9', note: 'hello' });
    await accessLine('req-ctx');
    const inside = requestLines('req-ctx').find((l) => l.msg === 'inside handler');
    expect(inside).toMatchObject({ requestId: 'req-ctx', cycleId: 'cycle-9', note: 'hello' });
    // The handler's child logger is bound to the id; the line must not repeat the key.
    const raw = app.logs.raw.find((l) => l.includes('"inside handler"')) ?? '';
    expect(raw.match(/"requestId"/g)).toHaveLength(1);
  });

  it('keeps the context when the body arrives in pieces', async () => {
    const url = new URL(app.url);
    const body = JSON.stringify({ note: 'slow' });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: '/echo-context',
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'x-request-id': 'req-slow-body',
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      setTimeout(() => req.end(body.slice(5)), 50);
    });
    expect(JSON.parse(answer)).toEqual({ requestId: 'req-slow-body', note: 'slow' });
  });

  it('ignores an insane x-cycle-id', async () => {
    const res = await app.authed('/echo-context', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-bad-cycle',
        'x-cycle-id': 'no spaces allowed',
      },
      body: JSON.stringify({ note: 'n' }),
    });
    expect(await jsonOf(res)).toEqual({ requestId: 'req-bad-cycle', note: 'n' });
  });

  it('logs one line per request and never the token', async () => {
    const before = app.logs.raw.length;
    await app.authed('/things/5', { headers: { 'x-request-id': 'req-one-line' } });
    await accessLine('req-one-line');
    expect(requestLines('req-one-line').filter((l) => l.msg === 'request')).toHaveLength(1);
    expect(app.logs.raw.slice(before).join('')).not.toContain(TOKEN);
  });

  it('logs the template for rejected requests on known routes and unmatched for unknown ones', async () => {
    await fetch(`${app.url}/things/5`, { headers: { 'x-request-id': 'req-no-token' } });
    await app.authed('/does/not/exist', { headers: { 'x-request-id': 'req-unknown' } });
    expect(await accessLine('req-no-token')).toMatchObject({
      route: '/things/:id',
      status: 401,
      error: 'unauthorized',
    });
    expect(await accessLine('req-unknown')).toMatchObject({ route: 'unmatched', path: '/does/not/exist', status: 404 });
  });
});
