import type { Clock, TimerHandle, Timers } from '../../src/scheduling/clock';

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when the test says so, and timers that fire when it passes them. */
export function manualTime(start: number) {
  let now = start;
  let seq = 0;
  const pending = new Set<Pending>();
  const clock: Clock = { now: () => now };
  const timers: Timers = {
    setTimeout(fn, ms): TimerHandle {
      const entry = { at: now + Math.max(0, ms), seq: seq++, fn };
      pending.add(entry);
      return { cancel: () => pending.delete(entry) };
    },
  };
  return {
    clock,
    timers,
    now: () => now,
    /** Moves the clock and fires, in order, every timer that came due. */
    advance(ms: number): void {
      now += ms;
      const due = [...pending].filter((p) => p.at <= now).sort((a, b) => a.at - b.at || a.seq - b.seq);
      for (const p of due) {
        pending.delete(p);
        p.fn();
      }
    },
    /** When the earliest armed timer fires, or undefined when none is armed. */
    nextTimerAt(): number | undefined {
      let next: number | undefined;
      for (const p of pending) if (next === undefined || p.at < next) next = p.at;
      return next;
    },
    armed(): number {
      return pending.size;
    },
  };
}
