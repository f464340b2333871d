import { createRedisBus, EVENT_CATALOGUE, type CacheBus } from '@catalyst/shared';
import { testRedis, uniquePrefix } from '@catalyst/shared/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_GROUP } from '../../src/notifications';
import { aCycleFailure, aDailyReport, aHalt, aTradeClosed, startTestNotifier } from './notification-builders';
import { startWebhookFixture } from './webhook-fixture';

const redis = testRedis();
const silent = pino({ level: 'silent' });
const prefixes: string[] = [];

afterAll(async () => {
  if (!redis || prefixes.length === 0) return;
  const conn = new Redis(redis.url);
  for (const prefix of prefixes) {
    const keys = await conn.keys(`${prefix}*`);
    if (keys.length > 0) await conn.del(...keys);
  }
  conn.disconnect();
});

describe.skipIf(!redis)(
  `notifications from the Redis bus${redis ? '' : ' (skipped: no Redis answered at 127.0.0.1:6379)'}`,
  () => {
    it('with two notifier replicas in one consumer group, each published event is delivered once', async () => {
      const prefix = `${redis!.prefix}${uniquePrefix('notify')}:`;
      prefixes.push(prefix);
      const buses: CacheBus[] = [0, 1, 2].map(() => createRedisBus({ url: redis!.url, prefix, log: silent }));
      const [publisher, busA, busB] = buses as [CacheBus, CacheBus, CacheBus];
      const hook = await startWebhookFixture();
      try {
        const env = { NOTIFY_WEBHOOKS: `generic=${hook.base}/events` };
        const a = await startTestNotifier(env, { bus: busA });
        const b = await startTestNotifier(env, { bus: busB });

        const published: string[] = [];
        for (let i = 0; i < 6; i++) {
          const e = await publisher.publish('trading', 'trade.closed', aTradeClosed({ symbol: `SYM${i}` }));
          published.push(e.id);
        }
        published.push((await publisher.publish('trading', 'trading.halted', aHalt())).id);
        published.push((await publisher.publish('coordination', 'cycle.failed', aCycleFailure())).id);
        published.push((await publisher.publish('reporting', 'report.daily', aDailyReport())).id);
        // Not notified: off by default, not in the catalogue, or breaking its contract.
        await publisher.publish('news', 'news.catalyst', { symbol: 'AAPL' });
        await publisher.publish('trading', 'order.filled', { id: 'x' });
        await publisher.publish('trading', 'trade.opened', { symbol: 'AAPL' });

        await hook.waitForRequests(published.length, 10_000);
        // Stopping leaves the group after the handlers in flight and drains the queues: nothing can arrive later.
        await a.notifier.stop();
        await b.notifier.stop();

        const received = hook.requests.map((r) => r.body as { id: string; topic: string; type: string; data: unknown });
        expect(received.map((r) => r.id).sort()).toEqual([...published].sort());
        const halted = received.find((r) => r.type === 'trading.halted');
        expect(halted).toMatchObject({ topic: 'trading', data: aHalt() });
        expect(received.find((r) => r.type === 'report.daily')).toMatchObject({
          topic: 'reporting',
          data: aDailyReport(),
        });

        const invalid =
          (await a.count('notifications_invalid_events_total', { event: 'trade.opened' })) +
          (await b.count('notifications_invalid_events_total', { event: 'trade.opened' }));
        expect(invalid).toBe(1);
        const sent =
          (await a.count('notifications_sent_total', { outcome: 'sent' })) +
          (await b.count('notifications_sent_total', { outcome: 'sent' }));
        expect(sent).toBe(published.length);

        // Both replicas read through the one group on every topic they notify.
        const conn = new Redis(redis!.url);
        try {
          for (const topic of ['trading', 'coordination', 'reporting']) {
            const groups = (await conn.call('XINFO', 'GROUPS', `${prefix}stream:${topic}`)) as unknown[][];
            expect(groups.map((g) => g[1])).toEqual([NOTIFICATION_GROUP]);
          }
          expect(await conn.exists(`${prefix}stream:news`)).toBe(1);
          expect(((await conn.call('XINFO', 'GROUPS', `${prefix}stream:news`)) as unknown[]).length).toBe(0);
        } finally {
          conn.disconnect();
        }
        expect(EVENT_CATALOGUE['cycle.failed'].topic).toBe('coordination');
      } finally {
        await hook.close();
        await Promise.all(buses.map((bus) => bus.close()));
      }
    });
  },
);
