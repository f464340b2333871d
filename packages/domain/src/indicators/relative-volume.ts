import { DomainInputError } from '../errors';
import { commonLength, takeT, takeV } from './input-checks';
import { minuteOfDay, NewYorkClock } from './new-york-time';
import { SmaStream, smaInto } from './sma';
import { checkOutput, fillNaN, intParam, nothingToReplace } from './support';
import type { IndicatorDef, IndicatorStream, StreamInput } from './types';
import { seriesTimes } from './vwap';

/*
 * Relative volume (not in TA-Lib), two definitions:
 *
 * `rvol` — by time of day (the one the strategy uses for intraday bars): a bar's volume divided by the
 * mean volume of the previous `timeperiod` bars (default 10) that started at the same New York minute of
 * the day, i.e. the same time of day in the previous 10 sessions that had a bar then. So the 09:31 bar
 * is compared with earlier 09:31 bars, not with the quiet midday; New York time keeps the comparison
 * aligned across daylight-saving changes. Each minute of the day warms up on its own: a bar has no value
 * (NaN) until its minute has `timeperiod` earlier bars, so the lookback, `timeperiod`, is a minimum that
 * holds exactly when every bar falls at the same New York time (daily bars stamped at New York midnight:
 * volume over the mean of the previous `timeperiod` days). Meant for bars of one minute or longer; bars
 * within the same minute share a slot.
 *
 * `rvol_sma` — the simple variant, for daily bars or where no time-of-day history exists: volume divided
 * by the simple moving average of the previous `timeperiod` bars' volume (the current bar excluded, so
 * a spike does not dilute itself). Lookback `timeperiod`.
 *
 * Both give NaN where the reference average is 0 (relative volume is undefined there).
 */

const MINUTES_PER_DAY = 1440;
/** A year of sessions; the time-of-day history holds 1440 × timeperiod volumes. */
const MAX_SESSIONS = 260;

function checkSessions(timeperiod: number): void {
  if (!Number.isInteger(timeperiod) || timeperiod < 1 || timeperiod > MAX_SESSIONS) {
    throw new DomainInputError(
      'invalid_param',
      `timeperiod must be an integer in [1, ${MAX_SESSIONS}], got ${timeperiod}`,
      {
        param: 'timeperiod',
        value: timeperiod,
      },
    );
  }
}

export function rvolLookback(timeperiod = 10): number {
  checkSessions(timeperiod);
  return timeperiod;
}

export function rvolSmaLookback(timeperiod = 10): number {
  checkSessions(timeperiod);
  return timeperiod;
}

/** The last `sessions` volumes seen at each minute of the day, with one step of undo for replaceLast. */
class TimeOfDayVolumes {
  private readonly sessions: number;
  private readonly volumes: Float64Array;
  /** Per minute: how many volumes are stored (up to `sessions`) and where the next one goes. */
  private readonly stored: Int32Array;
  private readonly head: Int32Array;
  private undoMinute = -1;
  private undoStored = 0;
  private undoHead = 0;
  private undoValue = NaN;

  constructor(sessions: number) {
    this.sessions = sessions;
    this.volumes = new Float64Array(MINUTES_PER_DAY * sessions);
    this.stored = new Int32Array(MINUTES_PER_DAY);
    this.head = new Int32Array(MINUTES_PER_DAY);
  }

  /** Mean of the stored volumes of a minute, or NaN while it has fewer than `sessions`. */
  mean(minute: number): number {
    const sessions = this.sessions;
    if (this.stored[minute] < sessions) return NaN;
    const volumes = this.volumes;
    const base = minute * sessions;
    let sum = 0;
    for (let j = 0; j < sessions; j++) sum += volumes[base + j];
    return sum / sessions;
  }

  add(minute: number, volume: number): void {
    const sessions = this.sessions;
    const head = this.head[minute];
    const stored = this.stored[minute];
    const pos = minute * sessions + head;
    this.undoMinute = minute;
    this.undoStored = stored;
    this.undoHead = head;
    this.undoValue = this.volumes[pos];
    this.volumes[pos] = volume;
    this.head[minute] = head + 1 === sessions ? 0 : head + 1;
    if (stored < sessions) this.stored[minute] = stored + 1;
  }

  /** Takes back the last `add`. */
  undo(): void {
    const minute = this.undoMinute;
    if (minute < 0) return;
    const head = this.undoHead;
    this.volumes[minute * this.sessions + head] = this.undoValue;
    this.head[minute] = head;
    this.stored[minute] = this.undoStored;
    this.undoMinute = -1;
  }
}

export function rvol(t: Float64Array, volume: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  checkSessions(timeperiod);
  const n = commonLength(t, volume);
  const o = checkOutput(out, n);
  const clock = new NewYorkClock();
  const history = new TimeOfDayVolumes(timeperiod);
  for (let i = 0; i < n; i++) {
    const minute = minuteOfDay(clock, t[i]);
    const v = volume[i];
    const mean = history.mean(minute);
    o[i] = mean > 0 ? v / mean : NaN;
    history.add(minute, v);
  }
  return o;
}

export function rvolSma(volume: Float64Array, timeperiod = 10, out?: Float64Array): Float64Array {
  checkSessions(timeperiod);
  const n = volume.length;
  const o = checkOutput(out, n);
  // SMA of volume including each bar, then (from the end, so the previous SMA is still there) the ratio.
  smaInto(volume, timeperiod, o);
  for (let i = n - 1; i >= timeperiod; i--) {
    const mean = o[i - 1];
    o[i] = mean > 0 ? volume[i] / mean : NaN;
  }
  fillNaN(o, 0, timeperiod);
  return o;
}

/** RVOL (time of day) one bar at a time; gives exactly the batch values. Reads `t` and `volume`. */
export class RvolStream implements IndicatorStream {
  private readonly clock = new NewYorkClock();
  private readonly history: TimeOfDayVolumes;
  private readonly io = new Float64Array(2);
  private count = 0;
  /** The bar being added. */
  private minute = 0;
  private volume = NaN;
  private readonly result = { real: NaN };

  constructor(timeperiod = 10) {
    checkSessions(timeperiod);
    this.history = new TimeOfDayVolumes(timeperiod);
  }

  push(t: number, volume: number): number {
    this.count++;
    this.minute = minuteOfDay(this.clock, t);
    this.volume = volume;
    this.step();
    return this.result.real;
  }

  revise(t: number, volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.history.undo();
    this.minute = minuteOfDay(this.clock, t);
    this.volume = volume;
    this.step();
    return this.result.real;
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeT(bar, io);
    takeV(bar, io, 1);
    this.push(io[0], io[1]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeT(bar, io);
    takeV(bar, io, 1);
    this.revise(io[0], io[1]);
    return this.result;
  }

  /** The last bar's value (no floating-point arguments: nothing to box on a call). */
  private step(): void {
    const volume = this.volume;
    const mean = this.history.mean(this.minute);
    this.history.add(this.minute, volume);
    this.result.real = mean > 0 ? volume / mean : NaN;
  }
}

/** RVOL_SMA one bar at a time; gives exactly the batch values. */
export class RvolSmaStream implements IndicatorStream {
  private readonly sma: SmaStream;
  private readonly io = new Float64Array(1);
  private count = 0;
  private sMean = NaN;
  private cMean = NaN;
  private readonly result = { real: NaN };

  constructor(timeperiod = 10) {
    checkSessions(timeperiod);
    this.sma = new SmaStream(timeperiod);
  }

  push(volume: number): number {
    this.sMean = this.cMean;
    this.count++;
    this.cMean = this.sma.next(volume);
    return this.sMean > 0 ? volume / this.sMean : NaN;
  }

  revise(volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    this.cMean = this.sma.replaceLast(volume);
    return this.sMean > 0 ? volume / this.sMean : NaN;
  }

  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeV(bar, io);
    this.result.real = this.push(io[0]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeV(bar, io);
    this.result.real = this.revise(io[0]);
    return this.result;
  }
}

const sessionsParam = { timeperiod: intParam(10, 1, MAX_SESSIONS) };

export const rvolDef: IndicatorDef = {
  name: 'rvol',
  // Also reads the bar times, `t`; see seriesTimes.
  inputs: ['volume'],
  params: sessionsParam,
  outputs: ['real'],
  lookback: (p) => rvolLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: rvol(seriesTimes(inputs, 'rvol'), inputs.volume, p.timeperiod, out?.real) }),
  stream: (p) => new RvolStream(p.timeperiod),
};

export const rvolSmaDef: IndicatorDef = {
  name: 'rvol_sma',
  inputs: ['volume'],
  params: sessionsParam,
  outputs: ['real'],
  lookback: (p) => rvolSmaLookback(p.timeperiod),
  batch: (inputs, p, out) => ({ real: rvolSma(inputs.volume, p.timeperiod, out?.real) }),
  stream: (p) => new RvolSmaStream(p.timeperiod),
};
