import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { AppError, ConfigError, UpstreamUnavailable } from '../errors';
import { redactText, type Logger } from '../logger';
import {
  busClosed,
  decodeJson,
  DEFAULT_MAX_LEN,
  DEFAULT_READ_LIMIT,
  encodeJson,
  eventLogFields,
  groupSettings,
  type GroupSettings,
  notACounter,
  optionalTtl,
  requireName,
  requirePositiveInt,
  requireTtl,
} from './bus-input';
import { formatStreamId, requireStreamId } from './stream-id';
import type { BusEvent, CacheBus, EventHandler, Lock, PublishOptions, SubscribeOptions, Subscription } from './types';

/** Keys per MGET inside the one pipeline of a getMany. */
const MGET_CHUNK = 1_000;

export interface RedisBusOptions {
  /** `redis://` or `rediss://` (TLS), with credentials if the server needs them. */
  url: string;
  /** Put before every key, so deployments and test runs sharing one server never collide. Default `catalyst:`. */
  prefix?: string;
  log: Logger;
  /** Shown in CLIENT LIST as `<clientName>-shared`, `-reader`, `-consumer`. Default `catalyst-bus`. */
  clientName?: string;
  /** Longest wait of one blocking stream read; close() does not wait for it. Default 5 000. */
  blockMs?: number;
  /** Time allowed to open a TCP connection. Default 5 000. */
  connectTimeoutMs?: number;
  /**
   * Reconnection attempts a command waits through while the connection is down before it fails.
   * Default 3 (about a second when the server refuses connections).
   */
  maxRetriesPerRequest?: number;
}

const GROUP_BATCH = 10;
const FANOUT_BATCH = 100;
const MAX_BACKOFF_MS = 3_000;
const QUIT_TIMEOUT_MS = 1_000;

/** Exponential backoff with jitter, capped at a few seconds, for reconnects and failed reads. */
function backoffMs(attempt: number): number {
  const ceiling = Math.min(100 * 2 ** Math.min(attempt - 1, 10), MAX_BACKOFF_MS);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function messageOf(err: unknown): string {
  return redactText(err instanceof Error ? err.message : String(err));
}

function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}

function requireRedisUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ConfigError('The Redis URL is not a valid URL (expected redis://host:port or rediss://host:port)');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new ConfigError(`The Redis URL must start with redis:// or rediss://, not ${protocol}//`);
  }
}

/** A Lua script run by its SHA, sent in full only when the server does not have it cached. */
class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(conn: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await conn.call('EVALSHA', [this.sha, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!isReplyError(err) || !err.message.startsWith('NOSCRIPT')) throw err;
      return conn.call('EVAL', [this.source, keys.length, ...keys, ...args]);
    }
  }
}

// The EXISTS check makes acquisition atomic without spending a fencing token on a failed attempt.
const ACQUIRE_LOCK = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. token, 'NX', 'PX', ARGV[2])
return token`);

const RELEASE_LOCK = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

const EXTEND_LOCK = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`);

const INCR_WITH_TTL = new LuaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 and ARGV[1] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`);

/** XGROUP CREATE with MKSTREAM; a group that already exists is left as it is. */
async function createGroup(conn: Redis, key: string, group: string, startId: string): Promise<void> {
  try {
    await conn.call('XGROUP', ['CREATE', key, group, startId, 'MKSTREAM']);
  } catch (err) {
    if (!(isReplyError(err) && err.message.startsWith('BUSYGROUP'))) throw err;
  }
}

type RawEntry = [id: string, fields: string[] | null];

function toRawEntries(value: unknown): RawEntry[] {
  if (!Array.isArray(value)) return [];
  const entries: RawEntry[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || typeof item[0] !== 'string') continue;
    const fields = Array.isArray(item[1]) ? item[1].map(String) : null;
    entries.push([item[0], fields]);
  }
  return entries;
}

/** The entries of the one stream in an XREAD / XREADGROUP reply (null when the block timed out). */
function streamReplyEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first: unknown = reply[0];
  return Array.isArray(first) ? toRawEntries(first[1]) : [];
}

function toEvent<T>(topic: string, [id, fields]: RawEntry): BusEvent<T> | undefined {
  if (!fields) return undefined;
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  const type = map.get('type');
  const at = map.get('at');
  const data = map.get('data');
  if (type === undefined || at === undefined || data === undefined) return undefined;
  try {
    return { id, topic, type, at, data: JSON.parse(data) as T };
  } catch {
    return undefined;
  }
}

/** A loop of blocking reads on its own connection, so it never stalls the shared one. */
abstract class StreamReader {
  protected closed = false;
  private readonly stop = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    protected readonly conn: Redis,
    protected readonly log: Logger,
    protected readonly topic: string,
    protected readonly key: string,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  /** Called after a failed read, before the next attempt. */
  protected onReadFailure(_err: unknown): void {}

  protected abstract readOnce(): Promise<void>;

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        await this.readOnce();
        failures = 0;
      } catch (err) {
        if (this.closed) break;
        failures += 1;
        this.onReadFailure(err);
        const fields = { topic: this.topic, attempt: failures, error: messageOf(err) };
        if (failures === 1) this.log.warn(fields, 'event stream read failed; retrying');
        else this.log.debug(fields, 'event stream read failed again');
        await delay(backoffMs(failures), undefined, { signal: this.stop.signal }).catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.stop.abort();
      // Ends a blocking read at once: its promise rejects and the loop sees `closed`.
      this.conn.disconnect();
    }
    await this.loop;
  }
}

class FanoutReader extends StreamReader {
  constructor(
    conn: Redis,
    log: Logger,
    topic: string,
    key: string,
    private readonly handler: EventHandler<unknown>,
    private cursor: string,
    private readonly blockMs: number,
  ) {
    super(conn, log, topic, key);
  }

  protected async readOnce(): Promise<void> {
    const reply = await this.conn.call('XREAD', [
      'COUNT',
      FANOUT_BATCH,
      'BLOCK',
      this.blockMs,
      'STREAMS',
      this.key,
      this.cursor,
    ]);
    for (const raw of streamReplyEntries(reply)) {
      if (this.closed) return;
      this.cursor = raw[0];
      const event = toEvent(this.topic, raw);
      if (!event) {
        this.log.warn({ topic: this.topic, eventId: raw[0] }, 'malformed stream entry skipped');
        continue;
      }
      try {
        await this.handler(event);
      } catch (err) {
        this.log.error({ err, ...eventLogFields(event) }, 'event handler failed');
      }
    }
  }
}

class GroupReader extends StreamReader {
  /** Cursor over this consumer's own pending entries; undefined once they have all been read. */
  private pendingCursor: string | undefined = '0-0';
  private claimCursor = '0-0';
  private nextClaimAt = 0;
  private groupLost = false;
  private readonly claimEveryMs: number;

  constructor(
    conn: Redis,
    private readonly shared: Redis,
    log: Logger,
    topic: string,
    key: string,
    private readonly handler: EventHandler<unknown>,
    private readonly settings: GroupSettings & { consumer: string },
    private readonly blockMs: number,
  ) {
    super(conn, log, topic, key);
    this.claimEveryMs = Math.max(10, Math.min(Math.floor(settings.claimIdleMs / 2), 10_000));
  }

  protected override onReadFailure(err: unknown): void {
    // After an outage, go over what this consumer holds before taking new entries.
    this.pendingCursor = '0-0';
    if (isReplyError(err) && err.message.startsWith('NOGROUP')) this.groupLost = true;
  }

  protected async readOnce(): Promise<void> {
    const { group, consumer, claimIdleMs } = this.settings;
    if (this.groupLost) {
      // The stream was deleted under us: start the group again from the stream's beginning.
      await createGroup(this.shared, this.key, group, '0');
      this.groupLost = false;
    }
    if (this.pendingCursor !== undefined) {
      const reply = await this.conn.call('XREADGROUP', [
        'GROUP',
        group,
        consumer,
        'COUNT',
        GROUP_BATCH,
        'STREAMS',
        this.key,
        this.pendingCursor,
      ]);
      const entries = streamReplyEntries(reply);
      this.pendingCursor = entries.at(-1)?.[0];
      await this.handleRedelivered(entries);
      return;
    }
    if (Date.now() >= this.nextClaimAt) {
      const reply = await this.conn.call('XAUTOCLAIM', [
        this.key,
        group,
        consumer,
        claimIdleMs,
        this.claimCursor,
        'COUNT',
        GROUP_BATCH,
      ]);
      const next = Array.isArray(reply) && typeof reply[0] === 'string' ? reply[0] : '0-0';
      this.claimCursor = next;
      if (next === '0-0') this.nextClaimAt = Date.now() + this.claimEveryMs;
      await this.handleRedelivered(Array.isArray(reply) ? toRawEntries(reply[1]) : []);
      return;
    }
    const blockMs = Math.max(1, Math.min(this.blockMs, this.nextClaimAt - Date.now()));
    const reply = await this.conn.call('XREADGROUP', [
      'GROUP',
      group,
      consumer,
      'COUNT',
      GROUP_BATCH,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.key,
      '>',
    ]);
    for (const raw of streamReplyEntries(reply)) {
      if (this.closed) return;
      await this.handle(raw, 1);
    }
  }

  /** Entries read again (own pending, or claimed): their delivery counts decide whether to give up. */
  private async handleRedelivered(entries: RawEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const counts = await this.deliveryCounts(entries[0]![0], entries.at(-1)![0]);
    for (const raw of entries) {
      if (this.closed) return;
      await this.handle(raw, counts.get(raw[0]) ?? 1);
    }
  }

  private async deliveryCounts(first: string, last: string): Promise<Map<string, number>> {
    const { group, consumer } = this.settings;
    const reply = await this.conn.call('XPENDING', [this.key, group, first, last, GROUP_BATCH * 10, consumer]);
    const counts = new Map<string, number>();
    if (Array.isArray(reply)) {
      for (const row of reply) if (Array.isArray(row) && typeof row[0] === 'string') counts.set(row[0], Number(row[3]));
    }
    return counts;
  }

  private async handle(raw: RawEntry, deliveries: number): Promise<void> {
    const [id, fields] = raw;
    const { group, consumer, maxDeliveries } = this.settings;
    const event = toEvent(this.topic, raw);
    if (!event) {
      // A null body is an entry trimmed away while it was pending: nothing left to deliver.
      if (fields)
        this.log.warn({ topic: this.topic, eventId: id, group }, 'malformed stream entry acknowledged and skipped');
      await this.ack(id);
      return;
    }
    const logFields = eventLogFields(event, { group, consumer, deliveries });
    if (deliveries > maxDeliveries) {
      this.log.error(logFields, 'event delivered too many times; event dropped');
      await this.ack(id);
      return;
    }
    try {
      await this.handler(event);
    } catch (err) {
      if (deliveries >= maxDeliveries) {
        this.log.error({ err, ...logFields }, 'event handler failed too many times; event dropped');
        await this.ack(id);
      } else {
        this.log.error({ err, ...logFields }, 'event handler failed; event will be redelivered');
      }
      return;
    }
    await this.ack(id);
  }

  private async ack(id: string): Promise<void> {
    await this.shared.call('XACK', [this.key, this.settings.group, id]);
  }
}

/**
 * The cache and event bus on Redis: JSON values with TTL, events on Redis Streams with consumer
 * groups, locks with expiry and fencing tokens. One shared connection serves commands; each
 * subscription reads on a dedicated one.
 */
export function createRedisBus(opts: RedisBusOptions): CacheBus {
  requireRedisUrl(opts.url);
  const { url, log } = opts;
  const prefix = opts.prefix ?? 'catalyst:';
  const clientName = opts.clientName ?? 'catalyst-bus';
  if (!/^[\w.:-]+$/.test(clientName))
    throw new ConfigError(`The Redis client name may hold only letters, digits and . _ : - (got "${clientName}")`);
  const blockMs = opts.blockMs === undefined ? 5_000 : requireTtl(opts.blockMs, 'blockMs');
  const connectTimeout = opts.connectTimeoutMs ?? 5_000;
  const maxRetriesPerRequest = opts.maxRetriesPerRequest ?? 3;
  const safeUrl = redactText(url);
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let closing: Promise<void> | undefined;

  function connect(role: string): Redis {
    const conn = new Redis(url, {
      connectionName: `${clientName}-${role}`,
      connectTimeout,
      maxRetriesPerRequest,
      retryStrategy: backoffMs,
      enableReadyCheck: true,
    });
    let down = false;
    // Without an 'error' listener ioredis prints every failed reconnect; one line per outage is enough.
    conn.on('error', (err: unknown) => {
      const fields = { role, url: safeUrl, error: messageOf(err) };
      if (down) {
        log.debug(fields, 'redis connection still failing');
      } else {
        down = true;
        log.error(fields, 'redis connection error');
      }
    });
    conn.on('ready', () => {
      if (!down) return;
      down = false;
      log.info({ role, url: safeUrl }, 'redis connection restored');
    });
    return conn;
  }

  const shared = connect('shared');

  const cacheKey = (key: string): string => `${prefix}cache:${requireName(key, 'key')}`;
  const streamKey = (topic: string): string => `${prefix}stream:${requireName(topic, 'topic')}`;
  const lockKey = (key: string): string => `${prefix}lock:${requireName(key, 'key')}`;

  /** Runs one command; a lost connection becomes a typed, retryable error without the password. */
  async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (closed) throw busClosed();
    try {
      return await fn();
    } catch (err) {
      if (err instanceof AppError || isReplyError(err)) throw err;
      throw new UpstreamUnavailable(`Redis ${what} failed: ${messageOf(err)}`, undefined, { cause: err });
    }
  }

  function track(reader: StreamReader): Subscription {
    if (closed) {
      void reader.close();
      throw busClosed();
    }
    reader.start();
    const subscription: Subscription = {
      close: async () => {
        await reader.close();
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  function makeLock(key: string, token: number, value: string): Lock {
    const redisKey = lockKey(key);
    return {
      key,
      fencingToken: token,
      extend: async (ttlMs) => {
        const ttl = requireTtl(ttlMs);
        return guard('lock extend', async () => Number(await EXTEND_LOCK.run(shared, [redisKey], [value, ttl])) === 1);
      },
      release: () =>
        guard('lock release', async () => Number(await RELEASE_LOCK.run(shared, [redisKey], [value])) === 1),
    };
  }

  return {
    kind: 'redis',

    async get<T>(key: string): Promise<T | undefined> {
      const redisKey = cacheKey(key);
      const text = await guard('get', () => shared.get(redisKey));
      return text === null ? undefined : decodeJson<T>(text, key);
    },

    async set(key, value, ttlMs) {
      const redisKey = cacheKey(key);
      const ttl = optionalTtl(ttlMs);
      const text = encodeJson(value, 'value');
      await guard('set', () =>
        ttl === undefined ? shared.set(redisKey, text) : shared.set(redisKey, text, 'PX', ttl),
      );
    },

    async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
      if (keys.length === 0) return [];
      const redisKeys = keys.map(cacheKey);
      // Chunks keep each reply moderate; one pipeline keeps it one round trip.
      const texts = await guard('mget', async () => {
        const pipeline = shared.pipeline();
        for (let i = 0; i < redisKeys.length; i += MGET_CHUNK) pipeline.mget(redisKeys.slice(i, i + MGET_CHUNK));
        const replies = (await pipeline.exec()) ?? [];
        const out: (string | null)[] = [];
        for (const [err, reply] of replies) {
          if (err) throw err;
          out.push(...(reply as (string | null)[]));
        }
        return out;
      });
      return texts.map((text, i) => (text === null ? undefined : decodeJson<T>(text, keys[i]!)));
    },

    async setMany(entries) {
      if (entries.length === 0) return;
      const prepared = entries.map((e) => ({
        key: cacheKey(e.key),
        ttl: optionalTtl(e.ttlMs),
        text: encodeJson(e.value, 'value'),
      }));
      await guard('set', async () => {
        const pipeline = shared.pipeline();
        for (const e of prepared) {
          if (e.ttl === undefined) pipeline.set(e.key, e.text);
          else pipeline.set(e.key, e.text, 'PX', e.ttl);
        }
        const replies = (await pipeline.exec()) ?? [];
        for (const [err] of replies) if (err) throw err;
      });
    },

    async setIfAbsent(key, value, ttlMs) {
      const redisKey = cacheKey(key);
      const ttl = optionalTtl(ttlMs);
      const text = encodeJson(value, 'value');
      const reply = await guard('set', () =>
        ttl === undefined ? shared.set(redisKey, text, 'NX') : shared.set(redisKey, text, 'PX', ttl, 'NX'),
      );
      return reply === 'OK';
    },

    async del(key) {
      const redisKey = cacheKey(key);
      await guard('del', () => shared.del(redisKey));
    },

    async incr(key, ttlMs) {
      const redisKey = cacheKey(key);
      const ttl = optionalTtl(ttlMs);
      try {
        return Number(await guard('incr', () => INCR_WITH_TTL.run(shared, [redisKey], [ttl ?? ''])));
      } catch (err) {
        if (isReplyError(err) && err.message.includes('not an integer')) throw notACounter(key);
        throw err;
      }
    },

    async publish<T>(topic: string, type: string, data: T, publishOpts?: PublishOptions): Promise<BusEvent<T>> {
      const key = streamKey(topic);
      requireName(type, 'type');
      const maxLen =
        publishOpts?.maxLen === undefined ? DEFAULT_MAX_LEN : requirePositiveInt(publishOpts.maxLen, 'maxLen');
      const text = encodeJson(data, 'data');
      const at = new Date().toISOString();
      const id = await guard('publish', () =>
        shared.call('XADD', [key, 'MAXLEN', '~', maxLen, '*', 'type', type, 'at', at, 'data', text]),
      );
      return { id: String(id), topic, type, at, data };
    },

    async subscribe<T>(
      topic: string,
      handler: EventHandler<T>,
      subscribeOpts: SubscribeOptions = {},
    ): Promise<Subscription> {
      if (closed) throw busClosed();
      const key = streamKey(topic);
      const settings =
        subscribeOpts.group === undefined ? undefined : groupSettings({ ...subscribeOpts, group: subscribeOpts.group });
      const fromId =
        subscribeOpts.fromId === undefined || subscribeOpts.fromId === '$'
          ? '$'
          : formatStreamId(requireStreamId(subscribeOpts.fromId, 'fromId'));
      const anyHandler = handler as EventHandler<unknown>;

      if (!settings) {
        // XREAD with `$` on every round would miss what arrives between rounds: pin the start once.
        let cursor = fromId;
        if (cursor === '$') {
          const last = toRawEntries(
            await guard('subscribe', () => shared.call('XREVRANGE', [key, '+', '-', 'COUNT', 1])),
          );
          cursor = last[0]?.[0] ?? '0-0';
        }
        return track(new FanoutReader(connect('reader'), log, topic, key, anyHandler, cursor, blockMs));
      }

      await guard('subscribe', () => createGroup(shared, key, settings.group, fromId));
      const consumer = settings.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
      return track(
        new GroupReader(connect('consumer'), shared, log, topic, key, anyHandler, { ...settings, consumer }, blockMs),
      );
    },

    async readSince<T>(topic: string, afterId: string, limit = DEFAULT_READ_LIMIT): Promise<BusEvent<T>[]> {
      const key = streamKey(topic);
      const after = formatStreamId(requireStreamId(afterId, 'afterId'));
      requirePositiveInt(limit, 'limit');
      const reply = await guard('readSince', () => shared.call('XRANGE', [key, `(${after}`, '+', 'COUNT', limit]));
      const events: BusEvent<T>[] = [];
      for (const raw of toRawEntries(reply)) {
        const event = toEvent<T>(topic, raw);
        if (event) events.push(event);
      }
      return events;
    },

    async acquireLock(key, ttlMs) {
      const redisKey = lockKey(key);
      const ttl = requireTtl(ttlMs);
      const owner = randomUUID();
      const reply = await guard('lock acquire', () =>
        ACQUIRE_LOCK.run(shared, [redisKey, `${redisKey}:fence`], [owner, ttl]),
      );
      if (reply === null) return undefined;
      const token = Number(reply);
      return makeLock(key, token, `${owner}:${token}`);
    },

    async ping() {
      await guard('ping', () => shared.ping());
    },

    close() {
      closing ??= (async () => {
        closed = true;
        await Promise.all([...subscriptions].map((subscription) => subscription.close()));
        // QUIT lets replies in flight arrive; on a connection that is down it would only wait.
        if (shared.status === 'ready') {
          await Promise.race([shared.quit().catch(() => undefined), delay(QUIT_TIMEOUT_MS, undefined, { ref: false })]);
        }
        shared.disconnect();
      })();
      return closing;
    },
  };
}
