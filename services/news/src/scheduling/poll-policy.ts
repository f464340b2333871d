/**
 * When a source is polled next, and what its circuit breaker does: the backoff after failures
 * (exponential from the source's interval, capped, never shorter than a provider's Retry-After),
 * the breaker opening after `circuitFailures` failures in a row, and one probe after the cool-down.
 */

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface PollPolicy {
  circuitFailures: number;
  circuitCooldownMs: number;
  maxBackoffMs: number;
}

export interface SourcePollState {
  circuitState: CircuitState;
  consecutiveFailures: number;
  circuitOpenedAt: number | null;
  nextPollAt: number | null;
}

export interface PollOutcome {
  circuitState: CircuitState;
  consecutiveFailures: number;
  circuitOpenedAt: number | null;
  nextPollAt: number;
}

export function afterSuccess(now: number, intervalMs: number): PollOutcome {
  return { circuitState: 'closed', consecutiveFailures: 0, circuitOpenedAt: null, nextPollAt: now + intervalMs };
}

/**
 * `random` in [0, 1) spreads retries ("equal jitter": half the delay fixed, half random) so
 * replicas and sources that failed together do not return together.
 */
export function afterFailure(
  state: SourcePollState,
  now: number,
  intervalMs: number,
  policy: PollPolicy,
  opts: { retryAfterMs?: number | undefined; random: () => number },
): PollOutcome {
  const failures = state.consecutiveFailures + 1;
  const opens = state.circuitState === 'half_open' || failures >= policy.circuitFailures;
  const backoff = Math.min(policy.maxBackoffMs, intervalMs * 2 ** Math.min(failures - 1, 30));
  const jittered = Math.round(backoff / 2 + (opens ? backoff / 2 : opts.random() * (backoff / 2)));
  const wait = Math.max(opens ? policy.circuitCooldownMs : jittered, opts.retryAfterMs ?? 0);
  return {
    circuitState: opens ? 'open' : 'closed',
    consecutiveFailures: failures,
    circuitOpenedAt: opens ? now : null,
    nextPollAt: now + wait,
  };
}

/** A poll skipped for a reason of our own (budget, rate limit): nothing about the source's health changes. */
export function afterDeferral(state: SourcePollState, until: number): PollOutcome {
  return {
    circuitState: state.circuitState,
    consecutiveFailures: state.consecutiveFailures,
    circuitOpenedAt: state.circuitOpenedAt,
    nextPollAt: until,
  };
}

/** Whether a scheduled poll may run now, and whether it is the breaker's probe. */
export function pollGate(state: SourcePollState, now: number, policy: PollPolicy): 'wait' | 'poll' | 'probe' {
  if (state.circuitState === 'open') {
    const opened = state.circuitOpenedAt ?? 0;
    return now >= opened + policy.circuitCooldownMs && (state.nextPollAt === null || now >= state.nextPollAt)
      ? 'probe'
      : 'wait';
  }
  if (state.nextPollAt !== null && now < state.nextPollAt) return 'wait';
  return state.circuitState === 'half_open' ? 'probe' : 'poll';
}
