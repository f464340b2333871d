import { DomainInputError } from '../errors';
import { DEFAULT_RISK_LIMITS, RISK_LIMIT_SOURCES, validateRiskLimits } from '../risk/limits';
import type { RiskLimits } from '../risk/types';
import { resolveSignalRules } from '../signals/rules';
import { DEFAULT_SESSION_SCHEDULE, validateSessionSchedule, type SessionSchedule } from './session-schedule';

/**
 * The `settings` keys the coordination service stores and serves at GET/PUT /settings. Those
 * marked `proposed` have no row in init_database.sql yet (and no reader yet, see README.md).
 */
export const SETTING_KEYS: Readonly<Record<string, { proposed?: true }>> = {
  trading_halted: {},
  approval_mode: {},
  session_schedule: {},
  fast_path_min_score: {},
  ...Object.fromEntries(
    Object.values(RISK_LIMIT_SOURCES).map((s) => [s.setting, s.proposed ? { proposed: true as const } : {}]),
  ),
  signal_rules: { proposed: true },
};

export const DEFAULT_FAST_PATH_MIN_SCORE = 0.8;

export interface SettingsProblem {
  /** The setting the problem is about. */
  key: string;
  /** From the key down: `session_schedule.windows.2.start`, `signal_rules.stops.atrMultiple`. */
  path: string;
  message: string;
}

export type SettingsPatchResult =
  { ok: true; settings: Record<string, unknown>; changed: string[] } | { ok: false; problems: SettingsProblem[] };

const RISK_FIELD_BY_SETTING: Readonly<Record<string, keyof RiskLimits>> = Object.fromEntries(
  Object.entries(RISK_LIMIT_SOURCES).map(([field, s]) => [s.setting, field as keyof RiskLimits]),
);

/**
 * Upper bounds of the percentage limits (validateRiskLimits checks only that they are positive).
 * Gross exposure may reach 400 %: a margin account's intraday buying power is four times equity.
 */
const PERCENT_MAX: Partial<Record<keyof RiskLimits, number>> = {
  riskPerTradePct: 100,
  maxPositionPct: 100,
  maxGrossExposurePct: 400,
  dailyLossLimitPct: 100,
  marketOrderBufferPct: 100,
  maxLimitDistancePct: 100,
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The reason of a DomainInputError without the prefix that names the thing (the path says it). */
function reasonOf(err: DomainInputError, prefix: string): string {
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

function checkRiskValue(key: string, field: keyof RiskLimits, value: unknown): SettingsProblem[] {
  // Every other limit takes a value known to pass, so whatever validateRiskLimits refuses is this
  // one; the price band is opened wide so that its cross-check waits for both prices (below).
  const probe = {
    ...DEFAULT_RISK_LIMITS,
    minPrice: Number.MIN_VALUE,
    maxPrice: Number.MAX_VALUE,
    [field]: value,
  } as RiskLimits;
  try {
    validateRiskLimits(probe);
  } catch (err) {
    if (!(err instanceof DomainInputError)) throw err;
    return [{ key, path: key, message: reasonOf(err, `risk limit ${field} `) }];
  }
  const max = PERCENT_MAX[field];
  if (max !== undefined && (value as number) > max) {
    return [{ key, path: key, message: `must be a percentage from above 0 to ${max}` }];
  }
  return [];
}

function checkSignalRules(key: string, value: unknown): SettingsProblem[] {
  if (!isRecord(value)) return [{ key, path: key, message: 'must be an object of signal rule overrides' }];
  const problems: SettingsProblem[] = [];
  const attempt = (overrides: Record<string, unknown>) => {
    try {
      resolveSignalRules(overrides);
      return true;
    } catch (err) {
      if (!(err instanceof DomainInputError)) throw err;
      const path = (err.details as { path?: string } | undefined)?.path ?? '';
      problems.push({ key, path: path ? `${key}.${path}` : key, message: reasonOf(err, `signal rules: ${path} `) });
      return false;
    }
  };
  // resolveSignalRules stops at the first bad value: try each override alone to name every one.
  for (const [name, given] of Object.entries(value)) {
    const singles =
      isRecord(given) && name !== 'weights' && name !== 'timeframeWeights'
        ? Object.entries(given).map(([k, v]) => ({ [name]: { [k]: v } }))
        : [{ [name]: given }];
    for (const single of singles) attempt(single);
  }
  // Then together, for the rules that depend on each other (oversold below overbought).
  if (problems.length === 0) attempt(value);
  return problems;
}

function checkValue(key: string, value: unknown): SettingsProblem[] {
  switch (key) {
    case 'trading_halted':
    case 'approval_mode':
      return typeof value === 'boolean' ? [] : [{ key, path: key, message: 'must be true or false' }];
    case 'fast_path_min_score':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
        ? []
        : [{ key, path: key, message: 'must be a number from 0 to 1' }];
    case 'session_schedule': {
      const result = validateSessionSchedule(value);
      if (result.ok) return [];
      return result.problems.map((p) => ({ key, path: p.path ? `${key}.${p.path}` : key, message: p.message }));
    }
    case 'signal_rules':
      return checkSignalRules(key, value);
    default: {
      const field = RISK_FIELD_BY_SETTING[key];
      return field ? checkRiskValue(key, field, value) : [{ key, path: key, message: 'is not a setting' }];
    }
  }
}

/**
 * The settings after `patch` (each given key's whole value replaced), or every problem with it.
 * `current` is the stored map (key → parsed jsonb value). Nothing is applied unless everything is
 * valid, so the caller answers 400 with `problems` and leaves the table as it was. A valid
 * session_schedule is stored normalised (windows in time order).
 */
export function validateSettingsPatch(current: Readonly<Record<string, unknown>>, patch: unknown): SettingsPatchResult {
  if (!isRecord(patch)) {
    return { ok: false, problems: [{ key: '', path: '', message: 'must be an object of setting key → value' }] };
  }
  const problems: SettingsProblem[] = [];
  for (const [key, value] of Object.entries(patch)) {
    problems.push(
      ...(Object.hasOwn(SETTING_KEYS, key)
        ? checkValue(key, value)
        : [{ key, path: key, message: 'is not a setting' }]),
    );
  }

  // The price band, over the values the patch would leave in place.
  const band = (key: 'min_price' | 'max_price', fallback: number): unknown =>
    Object.hasOwn(patch, key) ? patch[key] : Object.hasOwn(current, key) ? current[key] : fallback;
  const minPrice = band('min_price', DEFAULT_RISK_LIMITS.minPrice);
  const maxPrice = band('max_price', DEFAULT_RISK_LIMITS.maxPrice);
  const bandTouched = Object.hasOwn(patch, 'min_price') || Object.hasOwn(patch, 'max_price');
  const bandValid = !problems.some((p) => p.key === 'min_price' || p.key === 'max_price');
  if (
    bandTouched &&
    bandValid &&
    typeof minPrice === 'number' &&
    typeof maxPrice === 'number' &&
    maxPrice <= minPrice
  ) {
    const key = Object.hasOwn(patch, 'max_price') ? 'max_price' : 'min_price';
    problems.push({
      key,
      path: key,
      message: `max_price (${maxPrice}) must be above min_price (${minPrice})`,
    });
  }

  if (problems.length > 0) return { ok: false, problems };
  const settings: Record<string, unknown> = { ...current };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const next =
      key === 'session_schedule' ? (validateSessionSchedule(value) as { schedule: SessionSchedule }).schedule : value;
    if (JSON.stringify(settings[key]) !== JSON.stringify(next)) changed.push(key);
    settings[key] = next;
  }
  return { ok: true, settings, changed };
}

/** What the coordination service decides with, read from the stored settings map. */
export interface CoordinationSettings {
  tradingHalted: boolean;
  approvalMode: boolean;
  fastPathMinScore: number;
  sessionSchedule: SessionSchedule;
}

/**
 * The coordination settings from the stored map. A missing key takes its default; an invalid one
 * (say, a row written before the schedule had modes) takes a safe value and is listed in
 * `problems` for the service to log: halted and approval on when unreadable, the default schedule.
 */
export function coordinationSettings(stored: Readonly<Record<string, unknown>>): {
  settings: CoordinationSettings;
  problems: SettingsProblem[];
} {
  const problems: SettingsProblem[] = [];
  const read = <T>(key: string, absent: T, unreadable: T, accept: (v: unknown) => T | undefined): T => {
    if (!Object.hasOwn(stored, key)) return absent;
    const found = checkValue(key, stored[key]);
    if (found.length === 0) {
      const value = accept(stored[key]);
      if (value !== undefined) return value;
    }
    problems.push(...found);
    return unreadable;
  };
  return {
    settings: {
      tradingHalted: read('trading_halted', false, true, (v) => v as boolean),
      approvalMode: read('approval_mode', false, true, (v) => v as boolean),
      fastPathMinScore: read(
        'fast_path_min_score',
        DEFAULT_FAST_PATH_MIN_SCORE,
        DEFAULT_FAST_PATH_MIN_SCORE,
        (v) => v as number,
      ),
      sessionSchedule: read('session_schedule', DEFAULT_SESSION_SCHEDULE, DEFAULT_SESSION_SCHEDULE, (v) => {
        const r = validateSessionSchedule(v);
        return r.ok ? r.schedule : undefined;
      }),
    },
    problems,
  };
}
