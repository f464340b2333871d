import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, type BusEvent, type CacheBus } from '../../src/bus';
import { ConfigError, UpstreamUnavailable } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { describeCacheBus } from './cache-bus.suite';
import { deleteKeysWithPrefix, redisTestTarget } from './redis-test-target';

const target = await redisTestTarget();
const silent = pino({ level: 'silent' });
afterAll(() => deleteKeysWithPrefix(target.url, target.prefix));

describeCacheBus('redis bus', () => createRedisBus({ url: target.url, prefix: target.prefix, log: silent }), {
  skipReason: target.skipReason,
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

function captureLog(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({
    service: 'bus-test',
    level: 'debug',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { log, lines };
}

describe('redis bus without a server', () => {
  it('fails commands fast with a typed error and keeps the password out of logs and errors', async () => {
    const { log, lines } = captureLog();
    // Port 1 on the loopback refuses connections.
    const bus = createRedisBus({ url: 'redis://:s3cret-pass@127.0.0.1:1', log, maxRetriesPerRequest: 1 });
    const started = Date.now();
    const err = await bus.ping().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UpstreamUnavailable);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(String((err as Error).message)).not.toContain('s3cret-pass');
    await bus.close();
    const logged = lines.join('');
    expect(logged).toContain('redis connection error');
    expect(logged).not.toContain('s3cret-pass');
  });

  it('refuses a URL that is not redis:// or rediss://', () => {
    expect(() => createRedisBus({ url: 'http://127.0.0.1:6379', log: silent })).toThrow(ConfigError);
    expect(() => createRedisBus({ url: 'not a url', log: silent })).toThrow(ConfigError);
  });
});

describe.skipIf(target.skipReason !== undefined)('redis bus on the server', () => {
  let raw: Redis;
  let bus: CacheBus;
  let prefix: string;
  let clientName: string;

  beforeAll(() => {
    raw = new Redis(target.url);
  });
  afterAll(async () => {
    await raw.quit();
  });
  afterEach(async () => {
    await bus.close();
  });

  function openBus(): CacheBus {
    const id = randomBytes(4).toString('hex');
    prefix = `${target.prefix}${id}:`;
    clientName = `bus-test-${id}`;
    bus = createRedisBus({ url: target.url, prefix, clientName, log: silent });
    return bus;
  }

  it('writes every key under its prefix, in the documented layout', async () => {
    openBus();
    await bus.set('quote', { p: '1.00' });
    await bus.incr('hits', 1_000);
    const event = await bus.publish('news', 'news.catalyst', { symbol: 'ABC' });
    const lock = await bus.acquireLock('cycle', 1_000);
    const [, keys] = await raw.scan('0', 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    expect(keys.sort()).toEqual(
      [
        `${prefix}cache:quote`,
        `${prefix}cache:hits`,
        `${prefix}stream:news`,
        `${prefix}lock:cycle`,
        `${prefix}lock:cycle:fence`,
      ].sort(),
    );
    expect(await raw.pttl(`${prefix}cache:hits`)).toBeGreaterThan(0);
    expect(await raw.get(`${prefix}lock:cycle`)).toMatch(new RegExp(`^[0-9a-f-]{36}:${lock!.fencingToken}$`));
    expect(await raw.get(`${prefix}lock:cycle:fence`)).toBe(String(lock!.fencingToken));
    expect(await raw.xrange(`${prefix}stream:news`, '-', '+')).toEqual([
      [event.id, ['type', 'news.catalyst', 'at', event.at, 'data', '{"symbol":"ABC"}']],
    ]);
  });

  it('serves commands while subscriptions sit in blocking reads on their own connections', async () => {
    openBus();
    await bus.subscribe('quiet', () => undefined, { group: 'g' });
    await bus.subscribe('quiet', () => undefined);
    await sleep(50);
    const started = Date.now();
    await bus.set('k', 1);
    expect(await bus.get('k')).toBe(1);
    expect(Date.now() - started).toBeLessThan(200);
    const clients = await raw.client('LIST');
    const names = String(clients)
      .split('\n')
      .map((line) => /name=(\S+)/.exec(line)?.[1])
      .filter((name) => name?.startsWith(clientName))
      .sort();
    expect(names).toEqual([`${clientName}-consumer`, `${clientName}-reader`, `${clientName}-shared`]);
  });

  it('hands the events a dead consumer held to a live one once they have been idle for claimIdleMs', async () => {
    openBus();
    const key = `${prefix}stream:orders`;
    await raw.xgroup('CREATE', key, 'fills', '$', 'MKSTREAM');
    const published = [await bus.publish('orders', 'order.filled', 1), await bus.publish('orders', 'order.filled', 2)];
    await raw.xreadgroup('GROUP', 'fills', 'dead-consumer', 'COUNT', 10, 'STREAMS', key, '>');
    const got: BusEvent[] = [];
    await bus.subscribe('orders', (event) => void got.push(event), {
      group: 'fills',
      consumer: 'alive',
      claimIdleMs: 150,
    });
    await waitFor(() => got.length === 2, 'the claimed events');
    expect(got.map((event) => event.id)).toEqual(published.map((event) => event.id));
    await sleep(50);
    expect(await raw.xpending(key, 'fills')).toEqual([0, null, null, null]);
  });

  it('a restarted consumer first gets the events it held but had not acknowledged', async () => {
    openBus();
    const key = `${prefix}stream:signals`;
    await raw.xgroup('CREATE', key, 'trading', '$', 'MKSTREAM');
    const held = await bus.publish('signals', 'signal', 'held');
    await raw.xreadgroup('GROUP', 'trading', 'worker-1', 'COUNT', 10, 'STREAMS', key, '>');
    const got: string[] = [];
    const started = Date.now();
    // A long claimIdleMs: only the consumer's own pending list can deliver it this soon.
    await bus.subscribe<string>('signals', (event) => void got.push(event.id), {
      group: 'trading',
      consumer: 'worker-1',
      claimIdleMs: 60_000,
    });
    await waitFor(() => got.length === 1, 'the held event');
    expect(Date.now() - started).toBeLessThan(1_000);
    const fresh = await bus.publish('signals', 'signal', 'fresh');
    await waitFor(() => got.length === 2, 'the fresh event');
    expect(got).toEqual([held.id, fresh.id]);
  });

  it('recreates its group and keeps delivering when the stream is deleted under it', async () => {
    openBus();
    const got: unknown[] = [];
    await bus.subscribe('alerts', (event) => void got.push(event.data), { group: 'g' });
    await bus.publish('alerts', 'alert', 'before');
    await waitFor(() => got.length === 1, 'the first event');
    await raw.del(`${prefix}stream:alerts`);
    await bus.publish('alerts', 'alert', 'after');
    await waitFor(() => got.length === 2, 'the event after the deletion');
    expect(got).toEqual(['before', 'after']);
  });

  it('keeps delivering after the server drops a subscription connection', async () => {
    openBus();
    const got: unknown[] = [];
    await bus.subscribe('prices', (event) => void got.push(event.data), { group: 'g' });
    await bus.publish('prices', 'tick', 1);
    await waitFor(() => got.length === 1, 'the first event');
    const list = String(await raw.client('LIST'));
    const consumerLine = list.split('\n').find((line) => line.includes(`name=${clientName}-consumer `));
    const consumerId = /\bid=(\d+)/.exec(consumerLine ?? '')?.[1];
    expect(consumerId).toBeDefined();
    await raw.client('KILL', 'ID', consumerId!);
    await bus.publish('prices', 'tick', 2);
    await waitFor(() => got.length === 2, 'the event after the reconnect', 5_000);
    expect(got).toEqual([1, 2]);
  });
});
