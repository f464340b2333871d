/** The time and timers the scheduler runs on; tests pass a manual clock and step it. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Timers {
  /** Runs `fn` once after `ms`; the handle cancels it. Must not keep the process alive on its own. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    // setTimeout's ceiling is 2^31-1 ms; a later wake-up simply re-arms.
    const timer = setTimeout(fn, Math.min(Math.max(0, ms), 2_147_483_647));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
