import { silentLogger } from '@catalyst/shared/testing';
import { describe, expect, it } from 'vitest';
import type { SourceState } from '../../src/data-access/sources.repository';
import { createNewsScheduler } from '../../src/scheduling/news-scheduler';
import { manualTime } from '../support/manual-time';

const T0 = Date.parse('2026-03-02T15:00:00Z');

function source(name: string, over: Partial<SourceState> = {}): SourceState {
  return {
    id: name,
    name,
    kind: 'rss',
    url: `https://${name}.example/rss`,
    enabled: true,
    pollIntervalSeconds: 60,
    rateLimitPerMinute: null,
    options: {},
    lastPolledAt: null,
    lastSuccessAt: null,
    lastErrorAt: null,
    lastError: null,
    consecutiveFailures: 0,
    circuitState: 'closed',
    circuitOpenedAt: null,
    nextPollAt: null,
    itemsTotal: 0,
    ...over,
  };
}

/** Sources kept in memory; a poll moves the source's next poll on by its interval, as the collector does. */
function world(time: ReturnType<typeof manualTime>, sources: SourceState[]) {
  const polls: Array<{ name: string; at: number }> = [];
  const byName = new Map(sources.map((s) => [s.name, s]));
  let release: (() => void) | undefined;
  let hold = false;
  const scheduler = createNewsScheduler({
    listSources: async () => [...byName.values()],
    pollable: (s) => s.enabled,
    poll: async (s, signal) => {
      polls.push({ name: s.name, at: time.now() });
      if (hold) {
        await new Promise<void>((resolve, reject) => {
          release = resolve;
          signal.addEventListener('abort', () => reject(signal.reason as Error));
        });
      }
      byName.set(s.name, { ...s, nextPollAt: time.now() + s.pollIntervalSeconds * 1000 });
    },
    clock: time.clock,
    timers: time.timers,
    log: silentLogger(),
    resyncMs: 300_000,
  });
  return {
    scheduler,
    polls,
    byName,
    holdPolls: () => {
      hold = true;
    },
    release: () => release?.(),
  };
}

describe('news scheduler', () => {
  it('polls due sources at start, then each on its own interval, sleeping until the earliest', async () => {
    const time = manualTime(T0);
    const w = world(time, [
      source('fast', { pollIntervalSeconds: 30 }),
      source('slow', { pollIntervalSeconds: 120 }),
      source('later', { nextPollAt: T0 + 45_000 }),
      source('off', { enabled: false }),
    ]);
    w.scheduler.start();
    time.advance(0);
    await w.scheduler.idle();
    expect(w.polls).toEqual([
      { name: 'fast', at: T0 },
      { name: 'slow', at: T0 },
    ]);
    expect(time.nextTimerAt()).toBe(T0 + 30_000);

    time.advance(30_000);
    await w.scheduler.idle();
    expect(time.nextTimerAt()).toBe(T0 + 45_000);
    time.advance(15_000);
    await w.scheduler.idle();
    time.advance(15_000);
    await w.scheduler.idle();
    time.advance(60_000);
    await w.scheduler.idle();
    expect(w.polls).toEqual([
      { name: 'fast', at: T0 },
      { name: 'slow', at: T0 },
      { name: 'fast', at: T0 + 30_000 },
      { name: 'later', at: T0 + 45_000 },
      { name: 'fast', at: T0 + 60_000 },
      // The clock jumped a minute: everything that fell due meanwhile runs at once, in one wake-up.
      { name: 'fast', at: T0 + 120_000 },
      { name: 'slow', at: T0 + 120_000 },
      { name: 'later', at: T0 + 120_000 },
    ]);
    expect(w.polls.some((p) => p.name === 'off')).toBe(false);
    await w.scheduler.stop();
  });

  it('picks up a source added between wake-ups when told, and at the latest at the resync', async () => {
    const time = manualTime(T0);
    const w = world(time, [source('a', { pollIntervalSeconds: 3_600 })]);
    w.scheduler.start();
    time.advance(0);
    await w.scheduler.idle();
    expect(time.nextTimerAt()).toBe(T0 + 300_000);
    w.byName.set('b', source('b'));
    await w.scheduler.tick();
    await w.scheduler.idle();
    expect(w.polls.map((p) => p.name)).toEqual(['a', 'b']);
    await w.scheduler.stop();
  });

  it('does not start a source again while its poll runs, nor spin on one another replica holds', async () => {
    const time = manualTime(T0);
    const w = world(time, [source('a')]);
    w.holdPolls();
    w.scheduler.start();
    time.advance(0);
    await w.scheduler.tick();
    await w.scheduler.tick();
    expect(w.polls).toHaveLength(1);
    w.release();
    await w.scheduler.idle();
    // A poll that did not move the schedule (skipped: another replica's lock) waits the minimum gap.
    w.byName.set('a', { ...w.byName.get('a')!, nextPollAt: T0 });
    await w.scheduler.tick();
    expect(w.polls).toHaveLength(1);
    expect(time.nextTimerAt()).toBe(T0 + 5_000);
    await w.scheduler.stop();
  });

  it('stops: no timer left armed, polls in flight aborted and awaited, no poll after', async () => {
    const time = manualTime(T0);
    const w = world(time, [source('a'), source('b')]);
    w.holdPolls();
    w.scheduler.start();
    time.advance(0);
    await w.scheduler.tick();
    expect(w.polls).toHaveLength(2);
    await w.scheduler.stop();
    expect(time.armed()).toBe(0);
    time.advance(3_600_000);
    await w.scheduler.tick();
    expect(w.polls).toHaveLength(2);
  });
});
