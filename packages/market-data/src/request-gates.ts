/**
 * The three guards every provider call passes: a single flight per identical request, a bound on
 * requests in flight, and a token bucket per provider. In-process by design: each service bounds
 * its own load; the per-key budget is divided between services by configuration.
 */

/** Concurrent callers with the same key share one promise; the next caller after it settles starts a new one. */
export class SingleFlight {
  private readonly flights = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.flights.get(key);
    if (existing) return existing as Promise<T>;
    const flight = (async () => {
      try {
        return await fn();
      } finally {
        this.flights.delete(key);
      }
    })();
    this.flights.set(key, flight);
    return flight;
  }

  get size(): number {
    return this.flights.size;
  }
}

/** At most `max` functions running at once; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer (got ${max})`);
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      if (next) next();
      else this.active -= 1;
    }
  }
}

export interface TokenBucketOptions {
  /** Sustained rate. */
  perMinute: number;
  /** Most tokens saved up for a burst. Default: a tenth of a minute's worth, at least 1. */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A provider's request budget: `take()` waits until a request may go out. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly ratePerMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Callers queue so that tokens go out in arrival order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(opts: TokenBucketOptions) {
    if (!(opts.perMinute > 0)) throw new RangeError(`perMinute must be positive (got ${opts.perMinute})`);
    this.ratePerMs = opts.perMinute / 60_000;
    this.capacity = Math.max(1, opts.burst ?? Math.ceil(opts.perMinute / 10));
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
    this.tokens = this.capacity;
    this.last = this.now();
  }

  /** The provider said "retry after": nobody takes a token before then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
    this.tokens = 0;
  }

  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.ratePerMs);
    this.last = t;
  }

  private async takeNow(): Promise<void> {
    for (;;) {
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        await this.sleep(pause);
        this.last = this.now();
        continue;
      }
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil((1 - this.tokens) / this.ratePerMs));
    }
  }
}

/**
 * A fetch that takes a token before every HTTP request (pages and retries included, which is
 * what a provider counts) and, on a 429, holds the bucket for the Retry-After the provider asked.
 */
export function rateLimitedFetch(bucket: TokenBucket, fetchImpl: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    await bucket.take();
    const res = await fetchImpl(input, init);
    if (res.status === 429) {
      const seconds = Number(res.headers.get('retry-after'));
      bucket.pauseFor(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000);
    }
    return res;
  };
}
