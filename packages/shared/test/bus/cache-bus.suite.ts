import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  compareStreamIds,
  parseStreamId,
  type BusEvent,
  type CacheBus,
  type EventHandler,
  type SubscribeOptions,
  type Subscription,
} from '../../src/bus';
import { AppError, InvalidInput, ServiceUnavailable } from '../../src/errors';

export type CacheBusFactory = () => CacheBus | Promise<CacheBus>;

export interface CacheBusSuiteOptions {
  /** When set, the whole suite is skipped and its title says why. */
  skipReason?: string | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

const run = randomBytes(3).toString('hex');
let sequence = 0;
/** A key or topic no other test (or earlier run) uses. */
function unique(name: string): string {
  sequence += 1;
  return `${name}-${run}-${sequence}`;
}

function idOf(event: BusEvent): string {
  return event.id;
}

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i += 1) {
    const previous = parseStreamId(ids[i - 1]!);
    const current = parseStreamId(ids[i]!);
    expect(previous).toBeDefined();
    expect(current).toBeDefined();
    expect(compareStreamIds(previous!, current!), `${ids[i - 1]} < ${ids[i]}`).toBeLessThan(0);
  }
}

async function expectAppError(
  promise: Promise<unknown>,
  type: new (...args: never[]) => AppError,
  code?: string,
): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  if (code !== undefined) expect((err as AppError).code).toBe(code);
}

/**
 * The behaviour every CacheBus must have, run against each implementation. Timings are short
 * (TTLs of 60–400 ms) so the whole suite stays within a few seconds.
 */
export function describeCacheBus(name: string, factory: CacheBusFactory, opts: CacheBusSuiteOptions = {}): void {
  const title = opts.skipReason === undefined ? name : `${name} (skipped: ${opts.skipReason})`;

  describe.skipIf(opts.skipReason !== undefined)(title, () => {
    let bus: CacheBus;
    let subscriptions: Subscription[] = [];

    beforeEach(async () => {
      bus = await factory();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
      subscriptions = [];
      await bus.close();
    });

    async function subscribe<T>(
      topic: string,
      handler: EventHandler<T>,
      options?: SubscribeOptions,
    ): Promise<Subscription> {
      const subscription = await bus.subscribe(topic, handler, options);
      subscriptions.push(subscription);
      return subscription;
    }

    /** Subscribes and collects every event it is handed. */
    async function collect<T = unknown>(
      topic: string,
      options?: SubscribeOptions,
    ): Promise<{ events: BusEvent<T>[]; subscription: Subscription }> {
      const events: BusEvent<T>[] = [];
      const subscription = await subscribe<T>(topic, (event) => void events.push(event), options);
      return { events, subscription };
    }

    async function publishMany(topic: string, count: number, maxLen?: number): Promise<BusEvent<{ n: number }>[]> {
      const published: BusEvent<{ n: number }>[] = [];
      for (let n = 0; n < count; n += 1) {
        published.push(await bus.publish(topic, 'test.counted', { n }, maxLen === undefined ? undefined : { maxLen }));
      }
      return published;
    }

    it('answers ping', async () => {
      await expect(bus.ping()).resolves.toBeUndefined();
    });

    describe('cache', () => {
      it('returns values as JSON round-trips them, null included, and undefined for a missing key', async () => {
        const key = unique('json');
        const value = {
          symbol: 'ABC',
          price: '12.34',
          qty: 3,
          tags: ['fda', 'ünïcødé ✓'],
          nested: { ok: true, none: null },
        };
        await bus.set(key, value);
        expect(await bus.get(key)).toEqual(value);

        await bus.set(key, { at: new Date('2024-05-01T13:30:00.000Z') });
        expect(await bus.get(key)).toEqual({ at: '2024-05-01T13:30:00.000Z' });

        const nullKey = unique('null');
        await bus.set(nullKey, null);
        expect(await bus.get(nullKey)).toBeNull();
        expect(await bus.get(unique('missing'))).toBeUndefined();
      });

      it('forgets a value once its TTL has passed and keeps one without a TTL', async () => {
        const [short, lasting] = [unique('ttl'), unique('no-ttl')];
        await bus.set(short, 'soon gone', 150);
        await bus.set(lasting, 'stays');
        expect(await bus.get(short)).toBe('soon gone');
        await sleep(250);
        expect(await bus.get(short)).toBeUndefined();
        expect(await bus.get(lasting)).toBe('stays');
      });

      it('set without a TTL clears an earlier TTL, and del removes the value', async () => {
        const key = unique('persist');
        await bus.set(key, 1, 60);
        await bus.set(key, 2);
        await sleep(120);
        expect(await bus.get(key)).toBe(2);
        await bus.del(key);
        expect(await bus.get(key)).toBeUndefined();
        await expect(bus.del(key)).resolves.toBeUndefined();
      });

      it('setIfAbsent: of many concurrent callers exactly one wins, and its value is the one kept', async () => {
        const key = unique('race');
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => bus.setIfAbsent(key, { winner: i }, 5_000)),
        );
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect(await bus.get(key)).toEqual({ winner: winners[0] });
      });

      it('setIfAbsent succeeds again once the earlier value has expired', async () => {
        const key = unique('nx-ttl');
        expect(await bus.setIfAbsent(key, 'first', 150)).toBe(true);
        expect(await bus.setIfAbsent(key, 'second', 150)).toBe(false);
        expect(await bus.get(key)).toBe('first');
        await sleep(250);
        expect(await bus.setIfAbsent(key, 'third')).toBe(true);
        expect(await bus.get(key)).toBe('third');
      });

      it('incr counts atomically and sets the TTL on the first increment only', async () => {
        const key = unique('counter');
        const counts = await Promise.all(Array.from({ length: 20 }, () => bus.incr(key, 400)));
        expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        await sleep(150);
        // A later increment must not push the window's end out.
        expect(await bus.incr(key, 400)).toBe(21);
        await sleep(300);
        expect(await bus.incr(key, 400)).toBe(1);
      });

      it('incr without a TTL keeps counting, and get reads the counter as a number', async () => {
        const key = unique('plain-counter');
        expect(await bus.incr(key)).toBe(1);
        expect(await bus.incr(key)).toBe(2);
        expect(await bus.incr(key)).toBe(3);
        expect(await bus.get(key)).toBe(3);
        await bus.set(key, 41);
        expect(await bus.incr(key)).toBe(42);
      });

      it('getMany reads many keys in order, undefined where absent, and setMany writes each with its own TTL', async () => {
        const keys = Array.from({ length: 2_500 }, (_, i) => unique(`many-${i}`));
        const missing = unique('many-missing');
        expect(await bus.getMany([])).toEqual([]);
        await bus.setMany([]);
        await bus.setMany(keys.map((key, i) => ({ key, value: { i, tag: key }, ...(i === 0 ? { ttlMs: 150 } : {}) })));
        const read = await bus.getMany<{ i: number; tag: string }>([keys[1]!, missing, ...keys]);
        expect(read[0]).toEqual({ i: 1, tag: keys[1] });
        expect(read[1]).toBeUndefined();
        expect(read.slice(2)).toEqual(keys.map((key, i) => ({ i, tag: key })));
        expect(await bus.get(keys[2_499]!)).toEqual({ i: 2_499, tag: keys[2_499] });
        await sleep(250);
        const later = await bus.getMany([keys[0]!, keys[1]!]);
        expect(later).toEqual([undefined, { i: 1, tag: keys[1] }]);
        // Thousands of keys would crowd a one-pass SCAN elsewhere in the suite: tidy up at once.
        await Promise.all(keys.map((key) => bus.del(key)));
        expect((await bus.getMany(keys)).every((v) => v === undefined)).toBe(true);
      });

      it('getMany and setMany refuse bad keys, TTLs and values with InvalidInput and store nothing', async () => {
        const key = unique('many-bad');
        await expectAppError(bus.getMany([key, '']), InvalidInput);
        await expectAppError(
          bus.setMany([
            { key, value: 1 },
            { key: '', value: 2 },
          ]),
          InvalidInput,
        );
        await expectAppError(
          bus.setMany([
            { key, value: 1 },
            { key: unique('x'), value: 2, ttlMs: 0 },
          ]),
          InvalidInput,
        );
        await expectAppError(
          bus.setMany([
            { key, value: 1 },
            { key: unique('x'), value: undefined },
          ]),
          InvalidInput,
        );
        expect(await bus.get(key)).toBeUndefined();
      });

      it('incr on a value that is not a counter is a typed conflict', async () => {
        const key = unique('not-counter');
        await bus.set(key, 'text');
        await expectAppError(bus.incr(key), AppError, 'BUS.NOT_A_COUNTER');
        expect(await bus.get(key)).toBe('text');
      });
    });

    describe('bad input', () => {
      it('is refused with InvalidInput before anything is stored', async () => {
        const key = unique('bad');
        const topic = unique('bad-topic');
        await expectAppError(bus.set(key, 1, 0), InvalidInput);
        await expectAppError(bus.set(key, 1, -5), InvalidInput);
        await expectAppError(bus.set(key, 1, Number.NaN), InvalidInput);
        await expectAppError(bus.set(key, undefined), InvalidInput);
        await expectAppError(bus.set(key, { big: 10n }), InvalidInput);
        await expectAppError(bus.set('', 1), InvalidInput);
        await expectAppError(bus.setIfAbsent(key, 1, Number.POSITIVE_INFINITY), InvalidInput);
        await expectAppError(bus.incr(key, 0), InvalidInput);
        await expectAppError(bus.publish(topic, 'x', 1, { maxLen: 0 }), InvalidInput);
        await expectAppError(bus.publish('', 'x', 1), InvalidInput);
        await expectAppError(bus.publish(topic, 'x', undefined), InvalidInput);
        await expectAppError(bus.readSince(topic, 'yesterday'), InvalidInput);
        await expectAppError(bus.readSince(topic, '0', 0), InvalidInput);
        await expectAppError(
          bus.subscribe(topic, () => undefined, { fromId: 'latest' }),
          InvalidInput,
        );
        await expectAppError(
          bus.subscribe(topic, () => undefined, { group: 'g', claimIdleMs: -1 }),
          InvalidInput,
        );
        await expectAppError(
          bus.subscribe(topic, () => undefined, { group: 'g', maxDeliveries: 0 }),
          InvalidInput,
        );
        await expectAppError(bus.acquireLock(key, 0), InvalidInput);
        expect(await bus.get(key)).toBeUndefined();
        expect(await bus.readSince(topic, '0')).toEqual([]);
      });
    });

    describe('events', () => {
      it('delivers events in publish order, with the ids, times and payloads publish returned', async () => {
        const topic = unique('order');
        const fanout = await collect<{ n: number }>(topic);
        const grouped = await collect<{ n: number }>(topic, { group: 'g' });
        const published = await publishMany(topic, 20);
        await waitFor(
          () => fanout.events.length === 20 && grouped.events.length === 20,
          '20 events on both subscriptions',
        );
        expect(fanout.events).toEqual(published);
        expect(grouped.events).toEqual(published);
        expectStrictlyIncreasing(published.map(idOf));
        for (const event of published) {
          expect(event.id).toMatch(/^\d+-\d+$/);
          expect(event.topic).toBe(topic);
          expect(event.type).toBe('test.counted');
          expect(new Date(event.at).toISOString()).toBe(event.at);
        }
      });

      it('gives strictly increasing ids to events published at the same moment', async () => {
        const topic = unique('burst');
        const published = await Promise.all(Array.from({ length: 50 }, (_, n) => bus.publish(topic, 'burst', n)));
        expect(new Set(published.map(idOf)).size).toBe(50);
        expectStrictlyIncreasing(published.map(idOf));
        expect((await bus.readSince(topic, '0')).map((event) => event.data)).toEqual(
          Array.from({ length: 50 }, (_, n) => n),
        );
      });

      it('never runs a handler inside publish', async () => {
        const topic = unique('async');
        let publishing = false;
        const seenWhilePublishing: boolean[] = [];
        await subscribe(topic, () => void seenWhilePublishing.push(publishing));
        await subscribe(topic, () => void seenWhilePublishing.push(publishing), { group: 'g' });
        publishing = true;
        const pending = bus.publish(topic, 'x', 1);
        publishing = false;
        await pending;
        await waitFor(() => seenWhilePublishing.length === 2, 'both handlers');
        expect(seenWhilePublishing).toEqual([false, false]);
      });

      it('fan-out: every subscriber gets every event', async () => {
        const topic = unique('fanout');
        const first = await collect(topic);
        const second = await collect(topic);
        const published = await publishMany(topic, 10);
        await waitFor(() => first.events.length === 10 && second.events.length === 10, 'ten events each');
        expect(first.events.map(idOf)).toEqual(published.map(idOf));
        expect(second.events.map(idOf)).toEqual(published.map(idOf));
      });

      it('a subscriber from 0 sees the history, one from $ (the default) only what follows, one from an id what comes after it', async () => {
        const topic = unique('from');
        const history = await publishMany(topic, 3);
        const fromStart = await collect(topic, { fromId: '0' });
        const fromNow = await collect(topic);
        const fromSecond = await collect(topic, { fromId: history[1]!.id });
        const later = await publishMany(topic, 2);
        await waitFor(
          () => fromStart.events.length === 5 && fromNow.events.length === 2 && fromSecond.events.length === 3,
          'all three subscribers',
        );
        await sleep(50);
        expect(fromStart.events.map(idOf)).toEqual([...history, ...later].map(idOf));
        expect(fromNow.events.map(idOf)).toEqual(later.map(idOf));
        expect(fromSecond.events.map(idOf)).toEqual([history[2]!, ...later].map(idOf));
      });

      it('two consumers in one group split the events: none delivered twice, none lost', async () => {
        const topic = unique('split');
        const seen = new Map<string, string[]>([
          ['c1', []],
          ['c2', []],
        ]);
        for (const consumer of ['c1', 'c2']) {
          await subscribe(
            topic,
            async (event) => {
              seen.get(consumer)!.push(event.id);
              await sleep(3);
            },
            { group: 'workers', consumer },
          );
        }
        const published = await publishMany(topic, 30);
        const total = (): number => seen.get('c1')!.length + seen.get('c2')!.length;
        await waitFor(() => total() >= 30, 'thirty deliveries');
        await sleep(100);
        const all = [...seen.get('c1')!, ...seen.get('c2')!];
        expect(all).toHaveLength(30);
        expect([...all].sort()).toEqual(published.map(idOf).sort());
        expect(seen.get('c1')!.length).toBeGreaterThan(0);
        expect(seen.get('c2')!.length).toBeGreaterThan(0);
      });

      it('two groups each get every event', async () => {
        const topic = unique('groups');
        const audit = await collect(topic, { group: 'audit' });
        const trading = await collect(topic, { group: 'trading' });
        const published = await publishMany(topic, 10);
        await waitFor(() => audit.events.length === 10 && trading.events.length === 10, 'ten events per group');
        expect(audit.events.map(idOf)).toEqual(published.map(idOf));
        expect(trading.events.map(idOf)).toEqual(published.map(idOf));
      });

      it('a group created from 0 reads the history; later consumers of the group resume where it left off', async () => {
        const topic = unique('resume-group');
        const history = await publishMany(topic, 3);
        const first = await collect(topic, { group: 'g', consumer: 'c1', fromId: '0' });
        await waitFor(() => first.events.length === 3, 'the history');
        await first.subscription.close();
        const whileAway = await publishMany(topic, 2);
        const second = await collect(topic, { group: 'g', consumer: 'c2', fromId: '0' });
        await waitFor(() => second.events.length === 2, 'what was published while nobody listened');
        await sleep(50);
        expect(first.events.map(idOf)).toEqual(history.map(idOf));
        expect(second.events.map(idOf)).toEqual(whileAway.map(idOf));
      });

      it('an event whose handler throws is delivered again, and acknowledged once it succeeds', async () => {
        const topic = unique('retry');
        const attempts = new Map<number, number>();
        await subscribe<{ n: number }>(
          topic,
          (event) => {
            const count = (attempts.get(event.data.n) ?? 0) + 1;
            attempts.set(event.data.n, count);
            if (event.data.n === 1 && count === 1) throw new Error('transient failure');
          },
          { group: 'g', claimIdleMs: 100 },
        );
        await publishMany(topic, 3);
        await waitFor(() => attempts.get(1) === 2, 'the second attempt at event 1');
        await sleep(300);
        expect([...attempts.entries()].sort(([a], [b]) => a - b)).toEqual([
          [0, 1],
          [1, 2],
          [2, 1],
        ]);
      });

      it('an event that keeps failing is dropped after maxDeliveries attempts', async () => {
        const topic = unique('poison');
        let poisonAttempts = 0;
        const good: number[] = [];
        await subscribe<{ poison: boolean; n: number }>(
          topic,
          (event) => {
            if (event.data.poison) {
              poisonAttempts += 1;
              throw new Error('always fails');
            }
            good.push(event.data.n);
          },
          { group: 'g', claimIdleMs: 50, maxDeliveries: 3 },
        );
        await bus.publish(topic, 'x', { poison: true, n: 0 });
        await bus.publish(topic, 'x', { poison: false, n: 1 });
        await waitFor(() => poisonAttempts === 3 && good.length === 1, 'three attempts at the poison event');
        await sleep(300);
        expect(poisonAttempts).toBe(3);
        expect(good).toEqual([1]);
      });

      it('a fan-out handler that throws does not stop its subscription, and the event is not repeated', async () => {
        const topic = unique('fanout-error');
        const seen: number[] = [];
        await subscribe<{ n: number }>(topic, (event) => {
          seen.push(event.data.n);
          if (event.data.n === 0) throw new Error('handler bug');
        });
        await publishMany(topic, 3);
        await waitFor(() => seen.length === 3, 'three events');
        await sleep(100);
        expect(seen).toEqual([0, 1, 2]);
      });

      it('a slow handler does not hold up other subscribers', async () => {
        const topic = unique('slow');
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        const slow: number[] = [];
        await subscribe<{ n: number }>(
          topic,
          async (event) => {
            slow.push(event.data.n);
            await gate;
          },
          { group: 'slow' },
        );
        const fast = await collect<{ n: number }>(topic);
        const fastGroup = await collect<{ n: number }>(topic, { group: 'fast' });
        await publishMany(topic, 5);
        await waitFor(() => fast.events.length === 5 && fastGroup.events.length === 5, 'the fast subscribers');
        expect(slow).toEqual([0]);
        release();
        await waitFor(() => slow.length === 5, 'the slow subscriber to catch up');
        expect(slow).toEqual([0, 1, 2, 3, 4]);
      });

      it('readSince returns the events after an id, oldest first, at most limit of them', async () => {
        const topic = unique('since');
        const published = await publishMany(topic, 5);
        expect(await bus.readSince(topic, '0')).toEqual(published);
        expect(await bus.readSince(topic, published[1]!.id)).toEqual(published.slice(2));
        expect(await bus.readSince(topic, published[1]!.id, 2)).toEqual(published.slice(2, 4));
        expect(await bus.readSince(topic, published[4]!.id)).toEqual([]);
        expect(await bus.readSince(unique('never-published'), '0')).toEqual([]);
      });

      it('maxLen trims a topic to its most recent events', async () => {
        const topic = unique('trim');
        const published = await Promise.all(
          Array.from({ length: 300 }, (_, n) => bus.publish(topic, 'x', { n }, { maxLen: 10 })),
        );
        const kept = await bus.readSince(topic, '0', 1_000);
        // Trimming is approximate (Redis drops whole nodes of 100 entries), never below maxLen.
        expect(kept.length).toBeGreaterThanOrEqual(10);
        expect(kept.length).toBeLessThan(300);
        expect(kept.map(idOf)).toEqual(published.slice(-kept.length).map(idOf));
      });

      it('closing a subscription ends it promptly, and it receives nothing afterwards', async () => {
        const topic = unique('close-sub');
        const grouped = await collect(topic, { group: 'g' });
        const fanout = await collect(topic);
        await sleep(50);
        const started = Date.now();
        await Promise.all([grouped.subscription.close(), fanout.subscription.close()]);
        expect(Date.now() - started).toBeLessThan(500);
        await bus.publish(topic, 'x', 1);
        await sleep(150);
        expect(grouped.events).toEqual([]);
        expect(fanout.events).toEqual([]);
      });

      it('closing the bus ends its subscriptions promptly and refuses later calls', async () => {
        const topic = unique('close-bus');
        await collect(topic, { group: 'g' });
        await collect(topic);
        await sleep(50);
        const started = Date.now();
        await bus.close();
        expect(Date.now() - started).toBeLessThan(1_000);
        await expectAppError(bus.get(unique('after-close')), ServiceUnavailable);
        await expectAppError(bus.publish(topic, 'x', 1), ServiceUnavailable);
      });
    });

    describe('locks', () => {
      it('lets one of many contenders hold the lock at a time, with fencing tokens that only go up', async () => {
        const key = unique('mutex');
        const contenders = 8;
        let holders = 0;
        let mostHolders = 0;
        const tokens: number[] = [];
        const deadline = Date.now() + 5_000;
        await Promise.all(
          Array.from({ length: contenders }, async () => {
            for (;;) {
              if (Date.now() > deadline) throw new Error('a contender never got the lock');
              const lock = await bus.acquireLock(key, 2_000);
              if (!lock) {
                await sleep(2);
                continue;
              }
              holders += 1;
              mostHolders = Math.max(mostHolders, holders);
              tokens.push(lock.fencingToken);
              await sleep(5);
              holders -= 1;
              expect(await lock.release()).toBe(true);
              return;
            }
          }),
        );
        expect(mostHolders).toBe(1);
        expect(tokens).toHaveLength(contenders);
        expect([...tokens].sort((a, b) => a - b)).toEqual(tokens);
        expect(new Set(tokens).size).toBe(contenders);
      });

      it('after expiry another holder gets the lock with a higher token, and the stale holder can neither release nor extend it', async () => {
        const key = unique('expiry');
        const stale = await bus.acquireLock(key, 150);
        expect(stale).toBeDefined();
        expect(await bus.acquireLock(key, 1_000)).toBeUndefined();
        await sleep(250);
        const current = await bus.acquireLock(key, 1_000);
        expect(current).toBeDefined();
        expect(current!.fencingToken).toBeGreaterThan(stale!.fencingToken);
        expect(await stale!.release()).toBe(false);
        expect(await stale!.extend(1_000)).toBe(false);
        expect(await bus.acquireLock(key, 1_000)).toBeUndefined();
        expect(await current!.release()).toBe(true);
        const next = await bus.acquireLock(key, 1_000);
        expect(next!.fencingToken).toBeGreaterThan(current!.fencingToken);
        await next!.release();
      });

      it('extend keeps a lock held past its first expiry', async () => {
        const key = unique('extend');
        const lock = await bus.acquireLock(key, 200);
        await sleep(60);
        expect(await lock!.extend(500)).toBe(true);
        await sleep(250);
        expect(await bus.acquireLock(key, 1_000)).toBeUndefined();
        expect(await lock!.release()).toBe(true);
        expect(await lock!.release()).toBe(false);
        expect(await lock!.extend(300)).toBe(false);
      });

      it('keeps locks and fencing tokens per key, and a lock key does not collide with a cache key', async () => {
        const [a, b] = [unique('lock-a'), unique('lock-b')];
        const lockA = await bus.acquireLock(a, 1_000);
        const lockB = await bus.acquireLock(b, 1_000);
        expect(lockA).toMatchObject({ key: a, fencingToken: 1 });
        expect(lockB).toMatchObject({ key: b, fencingToken: 1 });
        await bus.set(a, 'cached');
        expect(await bus.get(a)).toBe('cached');
        expect(await bus.acquireLock(a, 1_000)).toBeUndefined();
        await lockA!.release();
        await lockB!.release();
      });
    });
  });
}
