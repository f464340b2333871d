/**
 * The cache and event bus every service uses. Two implementations stand behind it: Redis
 * (ioredis: values with TTL, Redis Streams with consumer groups, a lock with expiry and a
 * fencing token) and in-process (the single-process demo). One shared test suite runs
 * against both.
 */

export interface BusEvent<T = unknown> {
  /** Stream entry id, monotonically increasing within a topic (`<ms>-<seq>`). */
  id: string;
  topic: string;
  /** Event type, e.g. `news.catalyst`, `order.filled`. */
  type: string;
  /** ISO-8601 UTC time the event was published. */
  at: string;
  data: T;
}

export interface PublishOptions {
  /** Trim the topic to about this many entries (approximate, as Redis MAXLEN ~). Default 10 000. */
  maxLen?: number;
}

export interface SubscribeOptions {
  /**
   * Consumer group: every group sees every event once; within a group each event goes to one
   * consumer. Without a group, a subscription is a plain fan-out listener.
   */
  group?: string;
  /**
   * This consumer's name inside the group. A stable name lets a restarted process pick up the
   * events it had received but not yet acknowledged. Default: a name unique to this subscription.
   */
  consumer?: string;
  /**
   * Start after this id (`$` = only new events, `0` = from the beginning). Default `$`. For a
   * group it applies only when the group is created; an existing group resumes where it was.
   */
  fromId?: string;
  /**
   * Group only: an event delivered but not acknowledged for this long (its handler threw, or its
   * consumer died) is delivered again to a consumer of the group. Default 60 000.
   */
  claimIdleMs?: number;
  /**
   * Group only: an event whose handler has failed this many times is logged and dropped, so one
   * poison event cannot circulate forever. Default 5.
   */
  maxDeliveries?: number;
}

/**
 * Called once per event, one event at a time per subscription, never inside `publish`. In a group
 * the event is acknowledged when the returned promise resolves; a throw leaves it pending for
 * redelivery (at-least-once: handlers should be idempotent).
 */
export type EventHandler<T = unknown> = (event: BusEvent<T>) => void | Promise<void>;

export interface Subscription {
  /** Stop delivering; resolves when the reader loop has ended (after a handler in flight returns). */
  close(): Promise<void>;
}

export interface Lock {
  key: string;
  /** Strictly increasing per key across all holders: writes carry it so a stale holder is refused. */
  fencingToken: number;
  /** Extend the expiry; false if the lock was lost (expired and taken by someone else). */
  extend(ttlMs: number): Promise<boolean>;
  /** Release if still held by us; false if it was no longer ours. */
  release(): Promise<boolean>;
}

export interface CacheBus {
  readonly kind: 'redis' | 'memory';

  // Cache: JSON values with TTL.
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /** Many values in one round trip (Redis MGET), in the order of `keys`; undefined where absent. */
  getMany<T = unknown>(keys: readonly string[]): Promise<(T | undefined)[]>;
  /** Many values in one round trip (a Redis pipeline), each with its own optional TTL. */
  setMany(entries: ReadonlyArray<{ key: string; value: unknown; ttlMs?: number }>): Promise<void>;
  /** Set only if absent; true when this call set it. */
  setIfAbsent(key: string, value: unknown, ttlMs?: number): Promise<boolean>;
  del(key: string): Promise<void>;
  /** Atomic counter with optional TTL set on first increment (rate limits). */
  incr(key: string, ttlMs?: number): Promise<number>;

  // Events: append-only topics (Redis Streams).
  publish<T>(topic: string, type: string, data: T, opts?: PublishOptions): Promise<BusEvent<T>>;
  subscribe<T = unknown>(topic: string, handler: EventHandler<T>, opts?: SubscribeOptions): Promise<Subscription>;
  /** Events after `afterId` (exclusive), oldest first, at most `limit` (SSE resume with Last-Event-ID). */
  readSince<T = unknown>(topic: string, afterId: string, limit?: number): Promise<BusEvent<T>[]>;

  // Locks: mutual exclusion with expiry and fencing.
  /** The lock if it was free, undefined if someone else holds it (no waiting). */
  acquireLock(key: string, ttlMs: number): Promise<Lock | undefined>;

  /** Round trip to the backend (readiness). */
  ping(): Promise<void>;
  /** Ends every subscription, then the connections; later calls reject. */
  close(): Promise<void>;
}
