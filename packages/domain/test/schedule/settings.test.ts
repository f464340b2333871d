import { describe, expect, it } from 'vitest';
import {
  coordinationSettings,
  DEFAULT_SESSION_SCHEDULE,
  RISK_LIMIT_SOURCES,
  SETTING_KEYS,
  validateSettingsPatch,
  type SettingsProblem,
} from '../../src';

/** The settings as init_database.sql seeds them (the schedule already in its current shape). */
const STORED: Readonly<Record<string, unknown>> = Object.freeze({
  risk_per_trade_pct: 1,
  max_position_pct: 10,
  max_positions: 5,
  max_gross_exposure_pct: 50,
  daily_loss_limit_pct: 2,
  min_price: 2,
  max_price: 500,
  min_avg_volume: 200_000,
  symbol_cooldown_minutes: 30,
  fast_path_min_score: 0.8,
  approval_mode: false,
  trading_halted: false,
  session_schedule: DEFAULT_SESSION_SCHEDULE,
});

function problemsOf(patch: unknown, current: Readonly<Record<string, unknown>> = STORED): SettingsProblem[] {
  const result = validateSettingsPatch(current, patch);
  if (result.ok) throw new Error('expected the patch to be refused');
  return result.problems;
}

describe('validateSettingsPatch', () => {
  it('knows the coordination keys and every risk key of RISK_LIMIT_SOURCES', () => {
    for (const s of Object.values(RISK_LIMIT_SOURCES)) expect(SETTING_KEYS).toHaveProperty(s.setting);
    for (const key of Object.keys(STORED)) expect(SETTING_KEYS[key]?.proposed).toBeUndefined();
    expect(SETTING_KEYS.signal_rules).toEqual({ proposed: true });
    expect(SETTING_KEYS.entry_sessions).toEqual({ proposed: true });
  });

  it('returns the whole new map and the keys that changed, leaving the current map alone', () => {
    const current = structuredClone(STORED);
    const result = validateSettingsPatch(current, { risk_per_trade_pct: 0.5, trading_halted: false, max_price: 750 });
    expect(result).toEqual({
      ok: true,
      settings: { ...STORED, risk_per_trade_pct: 0.5, max_price: 750 },
      changed: ['risk_per_trade_pct', 'max_price'],
    });
    expect(current).toEqual(STORED);
  });

  it('accepts an empty patch as no change', () => {
    expect(validateSettingsPatch(STORED, {})).toEqual({ ok: true, settings: { ...STORED }, changed: [] });
  });

  it('stores a valid schedule normalised (windows in time order)', () => {
    const reversed = { ...DEFAULT_SESSION_SCHEDULE, windows: [...DEFAULT_SESSION_SCHEDULE.windows].reverse() };
    const result = validateSettingsPatch(STORED, { session_schedule: reversed });
    expect(result).toEqual({ ok: true, settings: { ...STORED }, changed: [] });
  });

  it('accepts the proposed keys: entry sessions, shorting, signal rule overrides', () => {
    const patch = {
      entry_sessions: ['regular', 'pre_market'],
      allow_short: true,
      max_gross_exposure_pct: 400,
      signal_rules: { stops: { atrMultiple: 1.5 }, entryThreshold: 0.4 },
    };
    const result = validateSettingsPatch(STORED, patch);
    expect(result.ok && result.changed).toEqual(Object.keys(patch));
  });

  it('refuses what is not an object', () => {
    for (const patch of [null, [], 'x']) {
      expect(problemsOf(patch)).toEqual([{ key: '', path: '', message: 'must be an object of setting key → value' }]);
    }
  });

  it('refuses an unknown key', () => {
    expect(problemsOf({ risk_per_trade: 1 })).toEqual([
      { key: 'risk_per_trade', path: 'risk_per_trade', message: 'is not a setting' },
    ]);
  });

  it('refuses negative or zero risk, and percentages out of range, naming the key', () => {
    expect(
      problemsOf({
        risk_per_trade_pct: -1,
        daily_loss_limit_pct: 0,
        max_position_pct: 150,
        max_gross_exposure_pct: 401,
      }),
    ).toEqual([
      { key: 'risk_per_trade_pct', path: 'risk_per_trade_pct', message: 'must be a positive number' },
      { key: 'daily_loss_limit_pct', path: 'daily_loss_limit_pct', message: 'must be a positive number' },
      { key: 'max_position_pct', path: 'max_position_pct', message: 'must be a percentage from above 0 to 100' },
      {
        key: 'max_gross_exposure_pct',
        path: 'max_gross_exposure_pct',
        message: 'must be a percentage from above 0 to 400',
      },
    ]);
  });

  it('refuses values of the wrong type or kind for the other risk keys', () => {
    expect(
      problemsOf({
        max_positions: 2.5,
        min_avg_volume: -1,
        symbol_cooldown_minutes: '30',
        entry_sessions: ['regular', 'overnight'],
        allow_short: 'yes',
        qty_decimals: 10,
        min_price: null,
      }),
    ).toEqual([
      { key: 'max_positions', path: 'max_positions', message: 'must be an integer ≥ 0' },
      { key: 'min_avg_volume', path: 'min_avg_volume', message: 'must be a number ≥ 0' },
      { key: 'symbol_cooldown_minutes', path: 'symbol_cooldown_minutes', message: 'must be a number ≥ 0' },
      {
        key: 'entry_sessions',
        path: 'entry_sessions',
        message: 'must be a list of pre_market, regular, after_hours, closed',
      },
      { key: 'allow_short', path: 'allow_short', message: 'must be true or false' },
      { key: 'qty_decimals', path: 'qty_decimals', message: 'must be an integer in 0..9' },
      { key: 'min_price', path: 'min_price', message: 'must be a positive number' },
    ]);
  });

  it('refuses a max price at or below the min price, against the stored value or the same patch', () => {
    expect(problemsOf({ max_price: 2 })).toEqual([
      { key: 'max_price', path: 'max_price', message: 'max_price (2) must be above min_price (2)' },
    ]);
    expect(problemsOf({ min_price: 600 })).toEqual([
      { key: 'min_price', path: 'min_price', message: 'max_price (500) must be above min_price (600)' },
    ]);
    expect(problemsOf({ min_price: 50, max_price: 40 })).toEqual([
      { key: 'max_price', path: 'max_price', message: 'max_price (40) must be above min_price (50)' },
    ]);
    // Moving the band in one patch is fine.
    expect(validateSettingsPatch(STORED, { min_price: 600, max_price: 900 }).ok).toBe(true);
    // With no stored prices the defaults (2 … 500) stand in.
    expect(problemsOf({ max_price: 1 }, {})).toEqual([
      { key: 'max_price', path: 'max_price', message: 'max_price (1) must be above min_price (2)' },
    ]);
  });

  it('refuses a fast-path score outside 0..1 and flags that are not booleans', () => {
    expect(problemsOf({ fast_path_min_score: 1.2, trading_halted: 'true', approval_mode: 1 })).toEqual([
      { key: 'fast_path_min_score', path: 'fast_path_min_score', message: 'must be a number from 0 to 1' },
      { key: 'trading_halted', path: 'trading_halted', message: 'must be true or false' },
      { key: 'approval_mode', path: 'approval_mode', message: 'must be true or false' },
    ]);
    for (const score of [-0.01, '0.8', Number.NaN, null]) {
      expect(problemsOf({ fast_path_min_score: score })).toHaveLength(1);
    }
    expect(validateSettingsPatch(STORED, { fast_path_min_score: 0 }).ok).toBe(true);
    expect(validateSettingsPatch(STORED, { fast_path_min_score: 1 }).ok).toBe(true);
  });

  it('refuses a stop multiple of zero and every other bad signal rule, each with its path', () => {
    expect(
      problemsOf({ signal_rules: { stops: { atrMultiple: 0, rewardRisk: -1 }, nope: 1, allowSell: 'no', trend: 3 } }),
    ).toEqual([
      { key: 'signal_rules', path: 'signal_rules.stops.atrMultiple', message: 'must be a number in [0.1, 20]' },
      { key: 'signal_rules', path: 'signal_rules.stops.rewardRisk', message: 'must be a number in [0.1, 20]' },
      { key: 'signal_rules', path: 'signal_rules.nope', message: 'is not a rule' },
      { key: 'signal_rules', path: 'signal_rules.allowSell', message: 'must be true or false' },
      { key: 'signal_rules', path: 'signal_rules.trend', message: 'must be an object' },
    ]);
    expect(problemsOf({ signal_rules: { momentum: { rsiOversold: 50, rsiOverbought: 50 } } })).toEqual([
      {
        key: 'signal_rules',
        path: 'signal_rules.momentum.rsiOversold',
        message: 'must be below momentum.rsiOverbought',
      },
    ]);
    expect(problemsOf({ signal_rules: [] })).toEqual([
      { key: 'signal_rules', path: 'signal_rules', message: 'must be an object of signal rule overrides' },
    ]);
  });

  it('refuses overlapping session windows, with the path inside the schedule', () => {
    const schedule = {
      ...DEFAULT_SESSION_SCHEDULE,
      windows: [
        ...DEFAULT_SESSION_SCHEDULE.windows,
        { session: 'regular', start: '10:00', end: '10:45', mode: 'aggressive', intervalSeconds: 30 },
      ],
    };
    expect(problemsOf({ session_schedule: schedule })).toEqual([
      {
        key: 'session_schedule',
        path: 'session_schedule.windows.3',
        message: 'overlaps windows.0 (09:30–10:30 with 10:00–10:45)',
      },
      {
        key: 'session_schedule',
        path: 'session_schedule.windows.3',
        message: 'overlaps windows.1 (10:30–15:30 with 10:00–10:45)',
      },
    ]);
    expect(problemsOf({ session_schedule: 'aggressive' })).toEqual([
      { key: 'session_schedule', path: 'session_schedule', message: 'must be an object with windows and defaults' },
    ]);
  });

  it('returns every problem of a patch at once, and no settings', () => {
    const result = validateSettingsPatch(STORED, {
      risk_per_trade_pct: -2,
      fast_path_min_score: 3,
      bogus: true,
      min_price: 10,
      max_price: 5,
      trading_halted: true,
    });
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('settings');
    expect(!result.ok && result.problems.map((p) => p.key)).toEqual([
      'risk_per_trade_pct',
      'fast_path_min_score',
      'bogus',
      'max_price',
    ]);
  });
});

describe('coordinationSettings', () => {
  it('reads the stored map', () => {
    expect(coordinationSettings({ ...STORED, trading_halted: true, fast_path_min_score: 0.9 })).toEqual({
      settings: {
        tradingHalted: true,
        approvalMode: false,
        fastPathMinScore: 0.9,
        sessionSchedule: DEFAULT_SESSION_SCHEDULE,
      },
      problems: [],
    });
  });

  it('takes the defaults for missing keys', () => {
    expect(coordinationSettings({})).toEqual({
      settings: {
        tradingHalted: false,
        approvalMode: false,
        fastPathMinScore: 0.8,
        sessionSchedule: DEFAULT_SESSION_SCHEDULE,
      },
      problems: [],
    });
  });

  it('fails safe on unreadable values: halted, approval on, and lists why', () => {
    const read = coordinationSettings({ trading_halted: 'no', approval_mode: null, fast_path_min_score: 7 });
    expect(read.settings).toEqual({
      tradingHalted: true,
      approvalMode: true,
      fastPathMinScore: 0.8,
      sessionSchedule: DEFAULT_SESSION_SCHEDULE,
    });
    expect(read.problems.map((p) => p.key)).toEqual(['trading_halted', 'approval_mode', 'fast_path_min_score']);
  });
});
