import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServer } from '../src/http/app-server';

const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function testApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(express.json({ type: () => true }));
  app.post('/things/:id', (req, res) => {
    res
      .status(201)
      .setHeader('X-Seen', String(req.get('x-key')))
      .json({ id: req.params.id, q: req.query.q, body: req.body as unknown, path: req.path });
  });
  app.use((err: { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res
      .status(err.status ?? 500)
      .type('text/plain')
      .send('bad body');
  });
  return app;
}

async function exchange(url: string, body: string) {
  const res = await fetch(`${url}/things/7?q=a`, { method: 'POST', headers: { 'x-key': 'k' }, body });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'));
  return { status: res.status, headers, text: await res.text() };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('the app server', () => {
  it('hands Express requests and responses that already have the app prototypes', async () => {
    const app = testApp();
    const server = createAppServer(app);
    const seen: boolean[] = [];
    server.prependListener('request', (req, res) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    });
    const url = await listen(server);
    expect((await exchange(url, '{"a":1}')).status).toBe(201);
    expect(seen).toEqual([true, true]);
  });

  it('answers exactly as the same app behind app.listen does', async () => {
    const viaListen = await listen(testApp().listen(0, '127.0.0.1'));
    const viaAppServer = await listen(createAppServer(testApp()));
    for (const body of ['{"a":[1,2]}', 'not json', '']) {
      const expected = await exchange(viaListen, body);
      const actual = await exchange(viaAppServer, body);
      expect(actual).toEqual(expected);
    }
    expect(await exchange(viaAppServer, '{"a":[1,2]}')).toMatchObject({
      status: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-seen': 'k' },
      text: '{"id":"7","q":"a","body":{"a":[1,2]},"path":"/things/7"}',
    });
  });
});
