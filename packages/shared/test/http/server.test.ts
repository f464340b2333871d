import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRoute, listen, type RunningServer } from '../../src/http';
import { buildThingsApp, TOKEN } from './things.fixture';

const slowRoute = defineRoute({
  method: 'get',
  path: '/slow',
  operationId: 'slow',
  summary: 'Waits until released',
  response: z.object({ done: z.literal(true) }),
});

function gate(): { wait: Promise<void>; open: () => void; entered: Promise<void>; enter: () => void } {
  let open = (): void => {};
  let enter = (): void => {};
  const wait = new Promise<void>((r) => (open = r));
  const entered = new Promise<void>((r) => (enter = r));
  return { wait, open, entered, enter };
}

/** Resolves with the connect error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close(100);
  server = undefined;
});

describe('listen', () => {
  it('listens on a free port and reports its URL', async () => {
    server = await listen(buildThingsApp().svc.app, { port: 0 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('fails with the address when the port is taken', async () => {
    server = await listen(buildThingsApp().svc.app, { port: 0 });
    await expect(listen(buildThingsApp().svc.app, { port: server.port })).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${server.port}: EADDRINUSE`,
    );
  });
});

describe('close', () => {
  it('lets an in-flight request finish while refusing new connections', async () => {
    const slow = gate();
    const { svc } = buildThingsApp();
    svc.route(slowRoute, async () => {
      slow.enter();
      await slow.wait;
      return { done: true as const };
    });
    server = await listen(svc.app, { port: 0 });
    const { port, url } = server;

    const inFlight = fetch(`${url}/slow`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await slow.entered;

    let closed = false;
    const closing = server.close(5000).then(() => {
      closed = true;
    });
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);

    slow.open();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(closed).toBe(true);
  });

  it('cuts requests still running when the timeout passes', async () => {
    const { svc } = buildThingsApp();
    const hung = gate();
    svc.route(slowRoute, async () => {
      hung.enter();
      await new Promise(() => {});
      return { done: true as const };
    });
    server = await listen(svc.app, { port: 0 });
    const inFlight = fetch(`${server.url}/slow`, { headers: { authorization: `Bearer ${TOKEN}` } }).then(
      (r) => `status ${r.status}`,
      () => 'connection cut',
    );
    await hung.entered;
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(await inFlight).toBe('connection cut');
  });

  it('closes idle keep-alive connections at once and can be called twice', async () => {
    server = await listen(buildThingsApp().svc.app, { port: 0 });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const started = Date.now();
    const first = server.close(5000);
    expect(server.close(5000)).toBe(first);
    await first;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
