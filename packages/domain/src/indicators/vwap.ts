import { DomainInputError } from '../errors';
import type { Series, SeriesInput } from '../series';
import { commonLength, takeHlcv, takeT } from './input-checks';
import { NewYorkClock, REGULAR_SESSION_OPEN_MINUTE, sessionDay } from './new-york-time';
import { checkOutput, intParam, nothingToReplace } from './support';
import type { IndicatorDef, IndicatorStream, StreamInput } from './types';

/*
 * Session-anchored VWAP (not in TA-Lib). For each bar:
 *   VWAP = Σ tp·v / Σ v over the bars of its session so far, tp = (high + low + close) / 3,
 * where a session starts at `anchor_minute` minutes after midnight New York time (default 570, the 09:30
 * US regular open) on each weekday and runs to the next one. Bar times are epoch milliseconds of the
 * bar's start; New York time comes from the US daylight-saving rules (see new-york-time.ts), so the reset
 * stays at 09:30 local across clock changes. Bars before the open (pre-market) still belong to the
 * previous session, as anchoring at the open implies (a Monday 08:00 bar to Friday's); pass an earlier
 * anchor, e.g. 240 (04:00), to start each day's VWAP with its pre-market. While a session has traded no volume yet the VWAP is the bar's typical
 * price. Lookback 0: every bar has a value.
 */

export function vwapLookback(): number {
  return 0;
}

function checkAnchor(anchorMinute: number): void {
  if (!Number.isInteger(anchorMinute) || anchorMinute < 0 || anchorMinute > 1439) {
    throw new DomainInputError('invalid_param', `anchor_minute must be an integer in [0, 1439], got ${anchorMinute}`, {
      param: 'anchor_minute',
      value: anchorMinute,
    });
  }
}

export function vwap(
  t: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  anchorMinute = REGULAR_SESSION_OPEN_MINUTE,
  out?: Float64Array,
): Float64Array {
  checkAnchor(anchorMinute);
  const n = commonLength(t, high, low, close, volume);
  const o = checkOutput(out, n);
  const clock = new NewYorkClock();
  let session = NaN;
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    const day = sessionDay(clock, t[i], anchorMinute);
    if (day !== session) {
      session = day;
      pv = 0;
      vol = 0;
    }
    const tp = (high[i] + low[i] + close[i]) / 3;
    const v = volume[i];
    pv += tp * v;
    vol += v;
    o[i] = vol > 0 ? pv / vol : tp;
  }
  return o;
}

/** VWAP one bar at a time; gives exactly the batch values. */
export class VwapStream implements IndicatorStream {
  private readonly anchorMinute: number;
  private readonly clock = new NewYorkClock();
  private readonly io = new Float64Array(5);
  private count = 0;
  private sSession = NaN;
  private sPv = NaN;
  private sVol = NaN;
  private cSession = NaN;
  private cPv = NaN;
  private cVol = NaN;
  private readonly result = { real: NaN };

  constructor(anchorMinute = REGULAR_SESSION_OPEN_MINUTE) {
    checkAnchor(anchorMinute);
    this.anchorMinute = anchorMinute;
  }

  push(t: number, high: number, low: number, close: number, volume: number): number {
    this.sSession = this.cSession;
    this.sPv = this.cPv;
    this.sVol = this.cVol;
    this.count++;
    return this.apply(t, high, low, close, volume);
  }

  revise(t: number, high: number, low: number, close: number, volume: number): number {
    if (this.count === 0) throw nothingToReplace();
    return this.apply(t, high, low, close, volume);
  }

  /** Reads `t` (epoch ms) besides high, low, close and volume. */
  next(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeT(bar, io);
    takeHlcv(bar, io, 1);
    this.result.real = this.push(io[0], io[1], io[2], io[3], io[4]);
    return this.result;
  }

  replaceLast(bar: StreamInput): Readonly<Record<string, number>> {
    const io = this.io;
    takeT(bar, io);
    takeHlcv(bar, io, 1);
    this.result.real = this.revise(io[0], io[1], io[2], io[3], io[4]);
    return this.result;
  }

  private apply(t: number, high: number, low: number, close: number, volume: number): number {
    const day = sessionDay(this.clock, t, this.anchorMinute);
    let pv = this.sPv;
    let vol = this.sVol;
    if (day !== this.sSession) {
      pv = 0;
      vol = 0;
    }
    const tp = (high + low + close) / 3;
    pv += tp * volume;
    vol += volume;
    this.cSession = day;
    this.cPv = pv;
    this.cVol = vol;
    return vol > 0 ? pv / vol : tp;
  }
}

/**
 * The bar times of a registry call. `t` is not one of the price inputs an IndicatorDef can name, so the
 * session-anchored indicators read it from the series the registry passes (a Series carries `t`).
 */
export function seriesTimes(inputs: Readonly<Record<SeriesInput, Float64Array>>, indicator: string): Float64Array {
  const t = (inputs as Readonly<Partial<Pick<Series, 't'>>>).t;
  if (!(t instanceof Float64Array)) {
    throw new DomainInputError('invalid_input', `${indicator} needs the bar times (t, epoch milliseconds)`, {
      indicator,
      input: 't',
    });
  }
  return t;
}

export const vwapDef: IndicatorDef = {
  name: 'vwap',
  // Also reads the bar times, `t`; see seriesTimes.
  inputs: ['high', 'low', 'close', 'volume'],
  params: { anchor_minute: intParam(REGULAR_SESSION_OPEN_MINUTE, 0, 1439) },
  outputs: ['real'],
  lookback: () => 0,
  batch: (inputs, p, out) => ({
    real: vwap(
      seriesTimes(inputs, 'vwap'),
      inputs.high,
      inputs.low,
      inputs.close,
      inputs.volume,
      p.anchor_minute,
      out?.real,
    ),
  }),
  stream: (p) => new VwapStream(p.anchor_minute),
};
