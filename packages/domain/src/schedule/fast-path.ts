import { scheduleAt } from './schedule-at';
import type { CoordinationSettings } from './settings';

/** The parts of a `news.catalyst` event the decision reads. */
export interface FastPathCatalyst {
  symbol: string;
  /** 0..1. */
  score: number;
}

export interface FastPathState {
  now: number;
  /** How long after a cycle for a symbol another fast-path cycle for it waits, in seconds. */
  cooldownSeconds: number;
  /** The latest cycle that was for this symbol (trading_cycles.symbol), if any. */
  lastSymbolCycle: { status: 'running' | 'completed' | 'failed'; startedAt: number } | null;
}

export type FastPathSkipReason = 'below_threshold' | 'halted' | 'session_off' | 'already_running' | 'cooldown';

export type FastPathDecision = { action: 'start' } | { action: 'skip'; reason: FastPathSkipReason; message: string };

/**
 * Whether a catalyst starts a one-symbol cycle at once. The score must reach fast_path_min_score;
 * a halt, a schedule that is off right now (nights and weekends by default) or a cycle for the
 * same symbol that is running or started within the cooldown each skip it, with the reason.
 */
export function shouldStartFastPath(
  catalyst: FastPathCatalyst,
  settings: Pick<CoordinationSettings, 'tradingHalted' | 'fastPathMinScore' | 'sessionSchedule'>,
  state: FastPathState,
): FastPathDecision {
  if (!Number.isFinite(catalyst.score)) throw new RangeError(`catalyst score is not a number: ${catalyst.score}`);
  if (!Number.isFinite(state.cooldownSeconds) || state.cooldownSeconds < 0) {
    throw new RangeError(`cooldown must be ≥ 0 seconds: ${state.cooldownSeconds}`);
  }
  if (catalyst.score < settings.fastPathMinScore) {
    return {
      action: 'skip',
      reason: 'below_threshold',
      message: `score ${catalyst.score} is below fast_path_min_score ${settings.fastPathMinScore}`,
    };
  }
  if (settings.tradingHalted) return { action: 'skip', reason: 'halted', message: 'trading is halted' };
  const slot = scheduleAt(settings.sessionSchedule, state.now);
  if (slot.mode === 'off') {
    return { action: 'skip', reason: 'session_off', message: `the schedule is off in the ${slot.session} session` };
  }
  const last = state.lastSymbolCycle;
  if (last?.status === 'running') {
    return { action: 'skip', reason: 'already_running', message: `a cycle for ${catalyst.symbol} is running` };
  }
  if (last && state.now - last.startedAt < state.cooldownSeconds * 1000) {
    const left = Math.ceil((last.startedAt + state.cooldownSeconds * 1000 - state.now) / 1000);
    return {
      action: 'skip',
      reason: 'cooldown',
      message: `a cycle for ${catalyst.symbol} ran ${Math.floor((state.now - last.startedAt) / 1000)} s ago (cooldown ${state.cooldownSeconds} s, ${left} s left)`,
    };
  }
  return { action: 'start' };
}
