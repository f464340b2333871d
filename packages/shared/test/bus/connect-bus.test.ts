import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { connectBus } from '../../src/bus';
import { ConfigError, ServiceUnavailable } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { deleteKeysWithPrefix, redisTestTarget } from './redis-test-target';

const target = await redisTestTarget();
const silent = pino({ level: 'silent' });
afterAll(() => deleteKeysWithPrefix(target.url, target.prefix));

describe('connectBus', () => {
  it('runs in process when no Redis URL is set', async () => {
    for (const url of [undefined, '', '  ']) {
      const bus = await connectBus(url, silent);
      expect(bus.kind).toBe('memory');
      await bus.set('k', 1);
      expect(await bus.get('k')).toBe(1);
      await bus.close();
    }
  });

  it.skipIf(target.skipReason !== undefined)(
    'connects to Redis when the URL is set, under the given prefix',
    async () => {
      const bus = await connectBus(target.url, silent, { prefix: target.prefix });
      expect(bus.kind).toBe('redis');
      await bus.set('connected', true);
      expect(await bus.get('connected')).toBe(true);
      await bus.close();
    },
  );

  it('fails fast with one clear error, without the password, when Redis does not answer', async () => {
    const lines: string[] = [];
    const log = createLogger({
      service: 'bus-test',
      level: 'debug',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const started = Date.now();
    const err = await connectBus('redis://catalyst:hunter2-secret@127.0.0.1:1/0', log).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(ServiceUnavailable);
    const message = (err as Error).message;
    expect(message).toMatch(/^Redis at redis:\/\/catalyst:\[Redacted\]@127\.0\.0\.1:1\/0 did not answer PING: /);
    expect(message).not.toContain('hunter2-secret');
    expect(lines.join('')).not.toContain('hunter2-secret');
  });

  it('gives up after timeoutMs when Redis neither answers nor refuses', async () => {
    const started = Date.now();
    // Reconnect attempts never run out here, so only the timeout ends the wait.
    const err = await connectBus('redis://127.0.0.1:1', silent, {
      timeoutMs: 300,
      redis: { maxRetriesPerRequest: 1_000 },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServiceUnavailable);
    expect((err as Error).message).toContain('no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a URL that is not a Redis URL', async () => {
    await expect(connectBus('postgres://127.0.0.1:5432/db', silent)).rejects.toBeInstanceOf(ConfigError);
  });
});
