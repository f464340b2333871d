import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '@catalyst/shared/testing';
import { start } from '../../src/main';
import { login, PASSWORD, USER, type Browser } from './fleet';
import { openStream } from './sse-client';

describe('dashboard live events (SSE)', () => {
  let svc: TestService;
  let browser: Browser;
  beforeAll(async () => {
    svc = await startTestService(start, { DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD });
    browser = await login(svc);
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('streams with the right headers and delivers a published event within a second', async () => {
    const stream = await openStream(svc, browser);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.res.headers.get('x-accel-buffering')).toBe('no');
    const published = await svc.bus.publish('news', 'news.catalyst', { symbol: 'ABC', title: '<b>bold</b>' });
    const started = Date.now();
    const msg = await stream.waitFor((m) => m.id === published.id, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(msg.event).toBe('news.catalyst');
    expect(JSON.parse(msg.data!)).toEqual({
      id: published.id,
      topic: 'news',
      type: 'news.catalyst',
      at: published.at,
      data: { symbol: 'ABC', title: '<b>bold</b>' },
    });
    stream.close();
  });

  it('every open page gets every event (no consumer group)', async () => {
    const a = await openStream(svc, browser);
    const b = await openStream(svc, browser);
    const event = await svc.bus.publish('trading', 'order.updated', { orderId: 'x', status: 'filled' });
    await a.waitFor((m) => m.id === event.id);
    await b.waitFor((m) => m.id === event.id);
    a.close();
    b.close();
  });

  it('replays what was missed after a reconnect with Last-Event-ID, across topics, once each', async () => {
    const first = await openStream(svc, browser);
    const seen = await svc.bus.publish('signals', 'signal.created', { id: 's1' });
    await first.waitFor((m) => m.id === seen.id);
    first.close();

    const missed1 = await svc.bus.publish('coordination', 'cycle.step', { step: 'scan' });
    const missed2 = await svc.bus.publish('trading', 'fill', { orderId: 'o1' });
    const again = await openStream(svc, browser, seen.id);
    await again.waitFor((m) => m.id === missed2.id);
    const live = await svc.bus.publish('scanner', 'scan.completed', { scanId: 'x' });
    await again.waitFor((m) => m.id === live.id);
    const ids = again.messages.map((m) => m.id);
    expect(ids).not.toContain(seen.id);
    expect(ids.filter((id) => id === missed1.id)).toHaveLength(1);
    expect(ids.filter((id) => id === missed2.id)).toHaveLength(1);
    expect(ids.indexOf(missed1.id)).toBeLessThan(ids.indexOf(live.id));
    again.close();
  });

  it('ends the stream with session.ended on logout, and refuses a stream without a session', async () => {
    const other = await login(svc);
    const stream = await openStream(svc, other);
    await new Promise((r) => setTimeout(r, 50));
    expect((await other.call('/api/logout', { method: 'POST' })).status).toBe(204);
    await stream.waitFor((m) => m.event === 'session.ended');
    expect(await stream.waitEnded()).toBe(true);

    const anonymous = await fetch(new URL('/api/events', svc.url));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/application\/json/);
  });
});
