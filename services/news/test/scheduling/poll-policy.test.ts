import { describe, expect, it } from 'vitest';
import {
  afterDeferral,
  afterFailure,
  afterSuccess,
  pollGate,
  type SourcePollState,
} from '../../src/scheduling/poll-policy';

const policy = { circuitFailures: 3, circuitCooldownMs: 600_000, maxBackoffMs: 3_600_000 };
const T = 1_000_000_000_000;
const closed: SourcePollState = {
  circuitState: 'closed',
  consecutiveFailures: 0,
  circuitOpenedAt: null,
  nextPollAt: null,
};

describe('poll policy', () => {
  it('polls again one interval after a success, with the breaker closed', () => {
    expect(afterSuccess(T, 60_000)).toEqual({
      circuitState: 'closed',
      consecutiveFailures: 0,
      circuitOpenedAt: null,
      nextPollAt: T + 60_000,
    });
  });

  it('backs off exponentially from the interval, half fixed and half jittered', () => {
    const at = (failures: number, random: number) =>
      afterFailure({ ...closed, consecutiveFailures: failures }, T, 60_000, policy, { random: () => random })
        .nextPollAt - T;
    expect([at(0, 0), at(0, 0.999999)]).toEqual([30_000, 60_000]);
    expect(at(1, 0.5)).toBe(90_000);
    expect(
      afterFailure(closed, T, 60_000, { ...policy, circuitFailures: 99 }, { random: () => 0 }).consecutiveFailures,
    ).toBe(1);
    // The cap holds however many failures came before.
    expect(
      afterFailure(
        { ...closed, consecutiveFailures: 40 },
        T,
        60_000,
        { ...policy, circuitFailures: 99 },
        { random: () => 1 },
      ).nextPollAt - T,
    ).toBe(3_600_000);
  });

  it("never comes back sooner than the provider's Retry-After", () => {
    const out = afterFailure(closed, T, 60_000, policy, { retryAfterMs: 120_000, random: () => 0 });
    expect(out.nextPollAt).toBe(T + 120_000);
    expect(afterFailure(closed, T, 60_000, policy, { retryAfterMs: 1_000, random: () => 0 }).nextPollAt).toBe(
      T + 30_000,
    );
  });

  it('opens the breaker after N failures in a row and waits out the cool-down', () => {
    const two = { ...closed, consecutiveFailures: 2 };
    const out = afterFailure(two, T, 60_000, policy, { random: () => 0 });
    expect(out).toEqual({ circuitState: 'open', consecutiveFailures: 3, circuitOpenedAt: T, nextPollAt: T + 600_000 });
    expect(pollGate(out, T + 599_999, policy)).toBe('wait');
    expect(pollGate(out, T + 600_000, policy)).toBe('probe');
  });

  it('reopens at once when the half-open probe fails', () => {
    const probing: SourcePollState = {
      circuitState: 'half_open',
      consecutiveFailures: 3,
      circuitOpenedAt: T - 600_000,
      nextPollAt: T,
    };
    expect(pollGate(probing, T, policy)).toBe('probe');
    expect(afterFailure(probing, T, 60_000, policy, { random: () => 0 })).toMatchObject({
      circuitState: 'open',
      consecutiveFailures: 4,
      circuitOpenedAt: T,
    });
  });

  it('leaves health untouched when a poll is only deferred (budget, local rate limit)', () => {
    const state: SourcePollState = {
      circuitState: 'closed',
      consecutiveFailures: 2,
      circuitOpenedAt: null,
      nextPollAt: T,
    };
    expect(afterDeferral(state, T + 5_000)).toEqual({ ...state, nextPollAt: T + 5_000 });
    expect(pollGate({ ...closed, nextPollAt: T + 1 }, T, policy)).toBe('wait');
    expect(pollGate(closed, T, policy)).toBe('poll');
  });
});
