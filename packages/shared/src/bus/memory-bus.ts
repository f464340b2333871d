import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Logger } from '../logger';
import {
  busClosed,
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
import { compareStreamIds, formatStreamId, nextStreamId, requireStreamId, type StreamId, ZERO_ID } from './stream-id';
import type { BusEvent, CacheBus, EventHandler, Lock, PublishOptions, SubscribeOptions, Subscription } from './types';

export interface MemoryBusOptions {
  log?: Logger;
  /** How often expired keys and locks are swept out (reads also expire them lazily). Default 1 000. */
  sweepIntervalMs?: number;
}

interface Entry {
  id: StreamId;
  idText: string;
  type: string;
  at: string;
  /** JSON text: every handler parses its own copy, as it would from Redis. */
  data: string;
}

interface Stored {
  value: string;
  expiresAt: number | undefined;
}

interface HeldLock {
  owner: string;
  token: number;
  expiresAt: number;
}

function toEvent<T>(topic: string, entry: Entry): BusEvent<T> {
  return { id: entry.idText, topic, type: entry.type, at: entry.at, data: JSON.parse(entry.data) as T };
}

/** Runs a handler outside the caller's stack and reports its failure as a value. */
async function invoke<T>(
  handler: EventHandler<T>,
  event: BusEvent<T>,
): Promise<{ failed: false } | { failed: true; err: unknown }> {
  await Promise.resolve();
  try {
    await handler(event);
    return { failed: false };
  } catch (err) {
    return { failed: true, err };
  }
}

class Topic {
  readonly entries: Entry[] = [];
  last: StreamId = ZERO_ID;
  readonly groups = new Map<string, Group>();
  readonly readers = new Set<FanoutReader>();

  constructor(readonly name: string) {}

  /** Index of the first entry whose id is above `id`. */
  indexAfter(id: StreamId): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStreamIds(this.entries[mid]!.id, id) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  entryAfter(id: StreamId): Entry | undefined {
    return this.entries[this.indexAfter(id)];
  }

  find(id: StreamId): Entry | undefined {
    const candidate = this.entries[this.indexAfter(id) - 1];
    return candidate && compareStreamIds(candidate.id, id) === 0 ? candidate : undefined;
  }

  pump(): void {
    for (const reader of this.readers) reader.pump();
    for (const group of this.groups.values()) group.pump();
  }
}

/** A fan-out subscription: its own cursor over the topic, one event at a time. */
class FanoutReader {
  private busy = false;
  private closed = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly topic: Topic,
    private cursor: StreamId,
    private readonly handler: EventHandler<unknown>,
    private readonly log: Logger,
  ) {}

  pump(): void {
    if (this.busy || this.closed) return;
    const entry = this.topic.entryAfter(this.cursor);
    if (!entry) return;
    this.cursor = entry.id;
    this.busy = true;
    const event = toEvent(this.topic.name, entry);
    this.inFlight = invoke(this.handler, event)
      .then((outcome) => {
        if (outcome.failed) this.log.error({ err: outcome.err, ...eventLogFields(event) }, 'event handler failed');
      })
      .finally(() => {
        this.busy = false;
        this.inFlight = undefined;
        this.pump();
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.topic.readers.delete(this);
    await this.inFlight;
  }
}

interface Retry {
  id: StreamId;
  deliveries: number;
}

/** A consumer group: a shared cursor, events handed round-robin to idle consumers, failures retried. */
class Group {
  readonly consumers: GroupConsumer[] = [];
  private nextConsumer = 0;
  private readonly retries: Retry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly topic: Topic,
    readonly name: string,
    private lastDelivered: StreamId,
  ) {}

  pump(): void {
    for (;;) {
      const index = this.idleConsumerIndex();
      if (index === undefined) return;
      const work = this.takeWork();
      if (!work) return;
      this.nextConsumer = (index + 1) % this.consumers.length;
      this.consumers[index]!.deliver(work.entry, work.deliveries);
    }
  }

  retryLater(id: StreamId, deliveries: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.retries.push({ id, deliveries });
      this.pump();
    }, delayMs);
    this.timers.add(timer);
  }

  remove(consumer: GroupConsumer): void {
    const index = this.consumers.indexOf(consumer);
    if (index < 0) return;
    this.consumers.splice(index, 1);
    if (this.nextConsumer > index) this.nextConsumer -= 1;
    if (this.nextConsumer >= this.consumers.length) this.nextConsumer = 0;
  }

  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private idleConsumerIndex(): number | undefined {
    const count = this.consumers.length;
    for (let i = 0; i < count; i += 1) {
      const index = (this.nextConsumer + i) % count;
      if (this.consumers[index]!.idle) return index;
    }
    return undefined;
  }

  private takeWork(): { entry: Entry; deliveries: number } | undefined {
    for (let retry = this.retries.shift(); retry; retry = this.retries.shift()) {
      // An entry trimmed away while it waited is gone, as XAUTOCLAIM drops deleted entries.
      const entry = this.topic.find(retry.id);
      if (entry) return { entry, deliveries: retry.deliveries + 1 };
    }
    const entry = this.topic.entryAfter(this.lastDelivered);
    if (!entry) return undefined;
    this.lastDelivered = entry.id;
    return { entry, deliveries: 1 };
  }
}

class GroupConsumer {
  private busy = false;
  private closed = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly group: Group,
    readonly name: string,
    private readonly handler: EventHandler<unknown>,
    private readonly settings: GroupSettings,
    private readonly log: Logger,
  ) {}

  get idle(): boolean {
    return !this.busy && !this.closed;
  }

  deliver(entry: Entry, deliveries: number): void {
    this.busy = true;
    const event = toEvent(this.group.topic.name, entry);
    const fields = eventLogFields(event, { group: this.group.name, consumer: this.name, deliveries });
    this.inFlight = invoke(this.handler, event)
      .then((outcome) => {
        if (!outcome.failed) return;
        if (deliveries >= this.settings.maxDeliveries) {
          this.log.error({ err: outcome.err, ...fields }, 'event handler failed too many times; event dropped');
        } else {
          this.log.error({ err: outcome.err, ...fields }, 'event handler failed; event will be redelivered');
          this.group.retryLater(entry.id, deliveries, this.settings.claimIdleMs);
        }
      })
      .finally(() => {
        this.busy = false;
        this.inFlight = undefined;
        this.group.pump();
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.group.remove(this);
    await this.inFlight;
    this.group.pump();
  }
}

/**
 * The in-process cache and event bus for the single-process demo: the same semantics as the
 * Redis bus (JSON values with TTL, stream ids `<ms>-<seq>`, consumer groups, locks with
 * fencing), held in this process's memory.
 */
export function createMemoryBus(opts: MemoryBusOptions = {}): CacheBus {
  const log = opts.log ?? pino({ level: 'silent' });
  const sweepIntervalMs =
    opts.sweepIntervalMs === undefined ? 1_000 : requireTtl(opts.sweepIntervalMs, 'sweepIntervalMs');
  const values = new Map<string, Stored>();
  const locks = new Map<string, HeldLock>();
  const fences = new Map<string, number>();
  const topics = new Map<string, Topic>();
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let closing: Promise<void> | undefined;

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, stored] of values)
      if (stored.expiresAt !== undefined && stored.expiresAt <= now) values.delete(key);
    for (const [key, held] of locks) if (held.expiresAt <= now) locks.delete(key);
  }, sweepIntervalMs);
  sweep.unref();

  function ensureOpen(): void {
    if (closed) throw busClosed();
  }

  function liveValue(key: string): Stored | undefined {
    const stored = values.get(key);
    if (stored?.expiresAt !== undefined && stored.expiresAt <= Date.now()) {
      values.delete(key);
      return undefined;
    }
    return stored;
  }

  function liveLock(key: string): HeldLock | undefined {
    const held = locks.get(key);
    if (held && held.expiresAt <= Date.now()) {
      locks.delete(key);
      return undefined;
    }
    return held;
  }

  function topicFor(name: string): Topic {
    let topic = topics.get(name);
    if (!topic) {
      topic = new Topic(name);
      topics.set(name, topic);
    }
    return topic;
  }

  function startId(topic: Topic, fromId: string | undefined): StreamId {
    return fromId === undefined || fromId === '$' ? topic.last : requireStreamId(fromId, 'fromId');
  }

  function track(close: () => Promise<void>): Subscription {
    let ending: Promise<void> | undefined;
    const subscription: Subscription = {
      close: () => {
        ending ??= close().finally(() => subscriptions.delete(subscription));
        return ending;
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  function makeLock(key: string, owner: string, token: number): Lock {
    return {
      key,
      fencingToken: token,
      extend: async (ttlMs) => {
        const ttl = requireTtl(ttlMs);
        ensureOpen();
        const held = liveLock(key);
        if (held?.owner !== owner) return false;
        held.expiresAt = Date.now() + ttl;
        return true;
      },
      release: async () => {
        ensureOpen();
        const held = liveLock(key);
        if (held?.owner !== owner) return false;
        locks.delete(key);
        return true;
      },
    };
  }

  return {
    kind: 'memory',

    async get<T>(key: string): Promise<T | undefined> {
      requireName(key, 'key');
      ensureOpen();
      const stored = liveValue(key);
      return stored === undefined ? undefined : (JSON.parse(stored.value) as T);
    },

    async set(key, value, ttlMs) {
      requireName(key, 'key');
      const ttl = optionalTtl(ttlMs);
      const text = encodeJson(value, 'value');
      ensureOpen();
      values.set(key, { value: text, expiresAt: ttl === undefined ? undefined : Date.now() + ttl });
    },

    async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
      for (const key of keys) requireName(key, 'key');
      ensureOpen();
      return keys.map((key) => {
        const stored = liveValue(key);
        return stored === undefined ? undefined : (JSON.parse(stored.value) as T);
      });
    },

    async setMany(entries) {
      const prepared = entries.map((e) => ({
        key: requireName(e.key, 'key'),
        ttl: optionalTtl(e.ttlMs),
        text: encodeJson(e.value, 'value'),
      }));
      ensureOpen();
      const now = Date.now();
      for (const e of prepared)
        values.set(e.key, { value: e.text, expiresAt: e.ttl === undefined ? undefined : now + e.ttl });
    },

    async setIfAbsent(key, value, ttlMs) {
      requireName(key, 'key');
      const ttl = optionalTtl(ttlMs);
      const text = encodeJson(value, 'value');
      ensureOpen();
      if (liveValue(key)) return false;
      values.set(key, { value: text, expiresAt: ttl === undefined ? undefined : Date.now() + ttl });
      return true;
    },

    async del(key) {
      requireName(key, 'key');
      ensureOpen();
      values.delete(key);
    },

    async incr(key, ttlMs) {
      requireName(key, 'key');
      const ttl = optionalTtl(ttlMs);
      ensureOpen();
      const stored = liveValue(key);
      if (!stored) {
        values.set(key, { value: '1', expiresAt: ttl === undefined ? undefined : Date.now() + ttl });
        return 1;
      }
      const current = /^-?\d+$/.test(stored.value) ? Number(stored.value) : Number.NaN;
      if (!Number.isSafeInteger(current + 1)) throw notACounter(key);
      stored.value = String(current + 1);
      return current + 1;
    },

    async publish<T>(topicName: string, type: string, data: T, opts?: PublishOptions): Promise<BusEvent<T>> {
      requireName(topicName, 'topic');
      requireName(type, 'type');
      const maxLen = opts?.maxLen === undefined ? DEFAULT_MAX_LEN : requirePositiveInt(opts.maxLen, 'maxLen');
      const text = encodeJson(data, 'data');
      ensureOpen();
      const topic = topicFor(topicName);
      const now = Date.now();
      const id = nextStreamId(topic.last, now);
      topic.last = id;
      const entry: Entry = { id, idText: formatStreamId(id), type, at: new Date(now).toISOString(), data: text };
      topic.entries.push(entry);
      if (topic.entries.length > maxLen) topic.entries.splice(0, topic.entries.length - maxLen);
      // Handlers never run inside publish's call stack.
      queueMicrotask(() => topic.pump());
      return { id: entry.idText, topic: topicName, type, at: entry.at, data };
    },

    async subscribe<T>(
      topicName: string,
      handler: EventHandler<T>,
      opts: SubscribeOptions = {},
    ): Promise<Subscription> {
      requireName(topicName, 'topic');
      const settings = opts.group === undefined ? undefined : groupSettings({ ...opts, group: opts.group });
      if (opts.fromId !== undefined && opts.fromId !== '$') requireStreamId(opts.fromId, 'fromId');
      ensureOpen();
      const topic = topicFor(topicName);
      const anyHandler = handler as EventHandler<unknown>;

      if (!settings) {
        const reader = new FanoutReader(topic, startId(topic, opts.fromId), anyHandler, log);
        topic.readers.add(reader);
        queueMicrotask(() => reader.pump());
        return track(() => reader.close());
      }

      let group = topic.groups.get(settings.group);
      if (!group) {
        group = new Group(topic, settings.group, startId(topic, opts.fromId));
        topic.groups.set(settings.group, group);
      }
      const consumer = new GroupConsumer(
        group,
        settings.consumer ?? `consumer-${randomUUID()}`,
        anyHandler,
        settings,
        log,
      );
      group.consumers.push(consumer);
      const joined = group;
      queueMicrotask(() => joined.pump());
      return track(() => consumer.close());
    },

    async readSince<T>(topicName: string, afterId: string, limit = DEFAULT_READ_LIMIT): Promise<BusEvent<T>[]> {
      requireName(topicName, 'topic');
      const after = requireStreamId(afterId, 'afterId');
      requirePositiveInt(limit, 'limit');
      ensureOpen();
      const topic = topics.get(topicName);
      if (!topic) return [];
      const start = topic.indexAfter(after);
      return topic.entries.slice(start, start + limit).map((entry) => toEvent<T>(topicName, entry));
    },

    async acquireLock(key, ttlMs) {
      requireName(key, 'key');
      const ttl = requireTtl(ttlMs);
      ensureOpen();
      if (liveLock(key)) return undefined;
      const token = (fences.get(key) ?? 0) + 1;
      fences.set(key, token);
      const owner = randomUUID();
      locks.set(key, { owner, token, expiresAt: Date.now() + ttl });
      return makeLock(key, owner, token);
    },

    async ping() {
      ensureOpen();
    },

    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(sweep);
        await Promise.all([...subscriptions].map((subscription) => subscription.close()));
        for (const topic of topics.values()) for (const group of topic.groups.values()) group.stopTimers();
        topics.clear();
        values.clear();
        locks.clear();
      })();
      return closing;
    },
  };
}
