import type { Logger } from '@catalyst/shared';
import type { SourceState } from '../data-access/sources.repository';
import type { Clock, TimerHandle, Timers } from './clock';

export interface NewsSchedulerOptions {
  listSources(): Promise<SourceState[]>;
  /** Whether a source is polled at all (enabled, key configured). */
  pollable(source: SourceState): boolean;
  poll(source: SourceState, signal: AbortSignal): Promise<unknown>;
  clock: Clock;
  timers: Timers;
  log: Logger;
  /** The longest sleep between looks at news_sources (new sources, other replicas' polls). */
  resyncMs?: number;
  /**
   * The shortest time between two starts of one source's poll: a poll skipped because another
   * replica holds the source leaves it due, and this keeps the scheduler from spinning on it.
   */
  minGapMs?: number;
}

/**
 * Polls every source on its own schedule. One timer sleeps until the earliest `next_poll_at`
 * (or the resync interval); on waking it starts every due source that is not already being
 * polled, and each poll that ends wakes it again to read the new schedule. The schedule lives
 * in news_sources, so replicas share it (and a per-source lock keeps them from polling at once).
 */
export function createNewsScheduler(opts: NewsSchedulerOptions) {
  const resyncMs = opts.resyncMs ?? 60_000;
  const minGapMs = opts.minGapMs ?? 5_000;
  const lastStart = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  const aborts = new Map<string, AbortController>();
  let timer: TimerHandle | undefined;
  let ticking: Promise<void> | undefined;
  let again = false;
  let running = false;

  function arm(ms: number): void {
    timer?.cancel();
    if (!running) return;
    timer = opts.timers.setTimeout(() => void tick(), Math.max(0, ms));
  }

  function launch(source: SourceState): void {
    const controller = new AbortController();
    aborts.set(source.name, controller);
    lastStart.set(source.name, opts.clock.now());
    const run = opts
      .poll(source, controller.signal)
      .then(
        () => undefined,
        (err: unknown) => {
          if (!controller.signal.aborted) opts.log.error({ err, source: source.name }, 'a scheduled poll failed');
        },
      )
      .finally(() => {
        inFlight.delete(source.name);
        aborts.delete(source.name);
        if (running) void tick();
      });
    inFlight.set(source.name, run);
  }

  async function runTick(): Promise<void> {
    const now = opts.clock.now();
    let sources: SourceState[];
    try {
      sources = await opts.listSources();
    } catch (err) {
      opts.log.error({ err }, 'reading the news sources failed');
      arm(Math.min(resyncMs, 10_000));
      return;
    }
    let wake = now + resyncMs;
    for (const source of sources) {
      if (!opts.pollable(source) || inFlight.has(source.name)) continue;
      const started = lastStart.get(source.name);
      const due = Math.max(source.nextPollAt ?? now, started === undefined ? now : started + minGapMs);
      if (due <= now) launch(source);
      else wake = Math.min(wake, due);
    }
    arm(wake - now);
  }

  /** Looks at the schedule now: starts what is due, sleeps until the next. Concurrent calls coalesce. */
  function tick(): Promise<void> {
    if (!running) return Promise.resolve();
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = runTick().finally(() => {
      ticking = undefined;
      if (again && running) {
        again = false;
        void tick();
      }
    });
    return ticking;
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      arm(0);
    },
    tick,
    /** Resolves when no tick and no poll is running (tests step the clock, then wait for this). */
    async idle(): Promise<void> {
      while (ticking || inFlight.size > 0) {
        await ticking;
        await Promise.all([...inFlight.values()]);
      }
    },
    /** Stops the timer, aborts polls in flight and waits for them to end. */
    async stop(): Promise<void> {
      running = false;
      timer?.cancel();
      for (const controller of aborts.values()) controller.abort(new Error('news scheduler stopped'));
      await ticking;
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

export type NewsScheduler = ReturnType<typeof createNewsScheduler>;
