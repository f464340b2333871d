import { DomainInputError } from '../errors';
import { DEFAULT_SIGNAL_RULES, type SignalRules } from './rules';
import type { SignalAction, SignalDecision, SignalInput, SignalReason, TimeframeSummary } from './types';

type FactorName = keyof SignalDecision['factors'];
const FACTORS: readonly FactorName[] = ['catalyst', 'trend', 'momentum', 'volume', 'vwap', 'patterns'];

const clamp = (x: number, lo = -1, hi = 1): number => (x < lo ? lo : x > hi ? hi : x);
const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const cmp = (a: number, b: number): number => sign(a - b);
const fmt = (x: number, digits = 2): string => x.toFixed(digits);
const DIRECTION_SIGN = { bullish: 1, bearish: -1, neutral: 0 } as const;

/** Weighted mean over the timeframes that have a reading; `null` when none has. */
function acrossTimeframes(
  summaries: readonly TimeframeSummary[],
  rules: SignalRules,
  read: (s: TimeframeSummary) => number | null,
): { value: number; parts: string[] } | null {
  let sum = 0;
  let weights = 0;
  const parts: string[] = [];
  for (const s of summaries) {
    const w = rules.timeframeWeights[s.timeframe] ?? 0;
    if (w <= 0) continue;
    const v = read(s);
    if (v === null || !Number.isFinite(v)) continue;
    sum += w * v;
    weights += w;
    parts.push(`${s.timeframe} ${v >= 0 ? '+' : ''}${fmt(v)}`);
  }
  return weights > 0 ? { value: clamp(sum / weights), parts } : null;
}

function trendOf(s: TimeframeSummary, rules: SignalRules): number | null {
  if (s.ema9 === null || s.ema20 === null) return null;
  const steps = [cmp(s.close, s.ema9), cmp(s.ema9, s.ema20)];
  if (s.ema50 !== null) steps.push(cmp(s.ema20, s.ema50));
  const aligned = steps.reduce((a, b) => a + b, 0) / steps.length;
  // A weak ADX means the averages are crossing in a range, not trending.
  return s.adx !== null && s.adx < rules.trend.adxWeak ? aligned * 0.5 : aligned;
}

function momentumOf(s: TimeframeSummary, rules: SignalRules): number | null {
  const parts: number[] = [];
  if (s.rsi !== null) {
    let r = clamp((s.rsi - 50) / rules.momentum.rsiScale);
    // Stretched RSI is exhaustion, not fuel: it stops adding in its own direction.
    if ((s.rsi > rules.momentum.rsiOverbought && r > 0) || (s.rsi < rules.momentum.rsiOversold && r < 0)) r = 0;
    parts.push(r);
  }
  if (s.macdHist !== null && s.atr !== null && s.atr > 0) {
    parts.push(clamp(s.macdHist / (rules.momentum.macdScaleAtr * s.atr)));
  }
  return parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : null;
}

function volumeOf(s: TimeframeSummary, rules: SignalRules): number | null {
  if (s.rvol === null || s.obvSlope === null) return null;
  // Volume has no direction of its own: heavy volume confirms the way OBV is moving.
  const strength = clamp((s.rvol - 1) / (rules.volume.highRvol - 1), 0, 1);
  return strength * clamp(s.obvSlope * 2);
}

function vwapOf(s: TimeframeSummary, rules: SignalRules): number | null {
  if (s.vwap === null || s.atr === null || s.atr <= 0) return null;
  return clamp((s.close - s.vwap) / (rules.vwap.scaleAtr * s.atr));
}

function checkInput(input: SignalInput): void {
  if (!(Number.isFinite(input.price) && input.price > 0)) {
    throw new DomainInputError('invalid_input', `price must be a positive number, got ${input.price}`, {
      field: 'price',
    });
  }
  const c = input.catalyst;
  if (c !== null) {
    if (!(c.score >= 0 && c.score <= 1)) {
      throw new DomainInputError('invalid_input', `catalyst score must be in [0, 1], got ${c.score}`, {
        field: 'catalyst.score',
      });
    }
    if (!(c.ageMinutes >= 0 && Number.isFinite(c.ageMinutes))) {
      throw new DomainInputError('invalid_input', `catalyst age must be a non-negative number of minutes`, {
        field: 'catalyst.ageMinutes',
      });
    }
  }
}

/** Price increment the levels are rounded to: cents, or 1/100 cent below $1 (US equities' tick sizes). */
function tickOf(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

const atTick = (ticks: number, tick: number): number => Number((ticks * tick).toFixed(tick < 0.01 ? 4 : 2));

/**
 * Turns the evidence into BUY, SELL or HOLD with entry, stop, target and the reasons (pure and
 * deterministic). The rules are documented in services/technical/README.md ("Signal rules"):
 * a weighted score of catalyst, trend, momentum, volume, VWAP and patterns; an entry needs the score
 * past `entryThreshold`, a catalyst in its direction (default rules), no conflict between the catalyst
 * and the technical picture, bearable volatility, and a stop that fits; otherwise HOLD, with why.
 */
export function decideSignal(input: SignalInput, rules: SignalRules = DEFAULT_SIGNAL_RULES): SignalDecision {
  checkInput(input);
  const reasons: SignalReason[] = [];
  const used: SignalDecision['used'] = { catalystId: null, newsItemIds: [], detectionIds: [] };
  const factors: SignalDecision['factors'] = { catalyst: 0, trend: 0, momentum: 0, volume: 0, vwap: 0, patterns: 0 };
  const totalWeight = FACTORS.reduce((a, f) => a + rules.weights[f], 0);
  const weight = (f: FactorName): number => rules.weights[f] / totalWeight;
  const summaries = input.timeframes.filter((s) => s.bars > 0);

  // Catalyst: direction × score, halving every halfLifeMinutes.
  const c = input.catalyst;
  let catalystEffective = 0;
  let catalystSign = 0;
  if (c === null) {
    reasons.push({ factor: 'catalyst', contribution: 0, text: 'no catalyst for this symbol' });
  } else if (c.ageMinutes > rules.catalyst.maxAgeMinutes) {
    reasons.push({
      factor: 'catalyst',
      contribution: 0,
      text: `catalyst ${c.type} is ${Math.round(c.ageMinutes)} min old, past the ${rules.catalyst.maxAgeMinutes} min limit`,
    });
  } else {
    catalystSign = DIRECTION_SIGN[c.direction];
    catalystEffective = c.score * 0.5 ** (c.ageMinutes / rules.catalyst.halfLifeMinutes);
    factors.catalyst = catalystSign * catalystEffective;
    used.catalystId = c.id;
    used.newsItemIds = [...c.newsItemIds];
    reasons.push({
      factor: 'catalyst',
      contribution: weight('catalyst') * factors.catalyst,
      text: `${c.direction} catalyst ${c.type}, score ${fmt(c.score)}, ${Math.round(c.ageMinutes)} min old (weight now ${fmt(catalystEffective)})${c.headline ? `: ${c.headline}` : ''}`,
    });
  }

  const perTimeframe: Array<[FactorName, (s: TimeframeSummary) => number | null, string]> = [
    ['trend', (s) => trendOf(s, rules), 'EMA 9/20/50 alignment, halved under ADX ' + rules.trend.adxWeak],
    ['momentum', (s) => momentumOf(s, rules), 'RSI 14 and MACD histogram'],
    ['volume', (s) => volumeOf(s, rules), 'relative volume behind the OBV slope'],
    ['vwap', (s) => vwapOf(s, rules), 'price against session VWAP, in ATRs'],
  ];
  for (const [factor, read, what] of perTimeframe) {
    const result = acrossTimeframes(summaries, rules, read);
    if (result === null) {
      reasons.push({ factor, contribution: 0, text: `${factor}: no reading (too few bars)` });
      continue;
    }
    factors[factor] = result.value;
    reasons.push({
      factor,
      contribution: weight(factor) * result.value,
      text: `${factor} ${result.value >= 0 ? '+' : ''}${fmt(result.value)} (${what}: ${result.parts.join(', ')})`,
    });
  }

  // Patterns: recent, confident, directional detections, fading with age, weighted by timeframe.
  const present = new Set(summaries.map((s) => s.timeframe));
  let tfTotal = 0;
  for (const tf of present) tfTotal += rules.timeframeWeights[tf] ?? 0;
  let patternSum = 0;
  const patternNames: string[] = [];
  for (const d of input.detections) {
    const tfWeight = rules.timeframeWeights[d.timeframe] ?? 0;
    if (!present.has(d.timeframe) || tfWeight <= 0 || tfTotal <= 0) continue;
    if (d.direction === 'neutral' || d.confidence < rules.patterns.minConfidence) continue;
    if (d.barsAgo < 0 || d.barsAgo > rules.patterns.maxAgeBars) continue;
    const fade = 1 - d.barsAgo / (rules.patterns.maxAgeBars + 1);
    patternSum += DIRECTION_SIGN[d.direction] * Math.min(1, d.confidence) * fade * (tfWeight / tfTotal);
    used.detectionIds.push(d.id);
    patternNames.push(`${d.name} ${d.direction} ${d.timeframe}`);
  }
  factors.patterns = clamp(patternSum);
  reasons.push({
    factor: 'patterns',
    contribution: weight('patterns') * factors.patterns,
    text: patternNames.length
      ? `patterns ${factors.patterns >= 0 ? '+' : ''}${fmt(factors.patterns)}: ${patternNames.slice(0, 8).join(', ')}${patternNames.length > 8 ? ` and ${patternNames.length - 8} more` : ''}`
      : 'no recent directional pattern',
  });

  let score = 0;
  for (const f of FACTORS) score += weight(f) * factors[f];
  score = clamp(score);
  const technical = score - weight('catalyst') * factors.catalyst;

  const primary =
    summaries.find((s) => s.timeframe === rules.primaryTimeframe && s.atr !== null) ??
    summaries.find((s) => s.atr !== null);
  const strength = Math.min(1, Math.abs(score) / rules.fullConfidenceScore);

  const hold = (text: string, factor: SignalReason['factor'] = 'decision', confidence = 1 - strength) => {
    reasons.push({ factor, contribution: 0, text });
    return {
      symbol: input.symbol,
      action: 'HOLD' as SignalAction,
      confidence: clamp(confidence, 0, 1),
      score,
      entry: null,
      stop: null,
      target: null,
      reasons,
      used,
      factors,
    };
  };

  if (summaries.length === 0) return hold('HOLD: no bars to judge', 'decision', 0);
  if (catalystSign !== 0 && sign(technical) === -catalystSign && Math.abs(technical) >= rules.conflictThreshold) {
    return hold(`HOLD: the technical picture (${fmt(technical)}) contradicts the ${c!.direction} catalyst`, 'decision');
  }
  if (Math.abs(score) < rules.entryThreshold) {
    return hold(`HOLD: score ${fmt(score)} is inside ±${fmt(rules.entryThreshold)}`);
  }
  const side = score > 0 ? 1 : -1;
  const action: SignalAction = side > 0 ? 'BUY' : 'SELL';
  if (side < 0 && !rules.allowSell) return hold(`HOLD: score ${fmt(score)} is bearish and SELL signals are off`);
  if (catalystSign === -side) {
    return hold(`HOLD: ${action} would go against the ${c!.direction} catalyst`, 'catalyst');
  }
  if (rules.catalyst.requireForEntry && (catalystSign !== side || catalystEffective < rules.catalyst.minScore)) {
    return hold(
      `HOLD: ${action} needs a ${side > 0 ? 'bullish' : 'bearish'} catalyst scoring at least ${fmt(rules.catalyst.minScore)} after ageing`,
      'catalyst',
    );
  }
  if (!primary || primary.atr === null || !(primary.atr > 0))
    return hold('HOLD: no ATR to set a stop (too few bars)', 'volatility');
  if (primary.natr !== null && primary.natr > rules.volatility.maxNatrPct) {
    return hold(
      `HOLD: ATR is ${fmt(primary.natr)}% of the price on ${primary.timeframe}, above ${fmt(rules.volatility.maxNatrPct)}%`,
      'volatility',
    );
  }

  // Stop: the tighter of the ATR stop and just beyond the nearest structure, never closer than the minimum risk.
  const price = input.price;
  const atr = primary.atr;
  const st = rules.stops;
  const atrStop = price - side * st.atrMultiple * atr;
  const structure: number[] = [];
  const swing = side > 0 ? primary.swingLow : primary.swingHigh;
  if (swing !== null && Number.isFinite(swing)) structure.push(swing);
  for (const level of (side > 0 ? input.levels?.support : input.levels?.resistance) ?? []) {
    if (Number.isFinite(level) && level > 0) structure.push(level);
  }
  const beyond = structure.filter((l) => side * (price - l) > 0);
  let stop = atrStop;
  let stopWhy = `${fmt(st.atrMultiple, 1)} ATR (${fmt(atr, 4)})`;
  if (beyond.length) {
    const nearest = side > 0 ? Math.max(...beyond) : Math.min(...beyond);
    const structureStop = nearest - side * st.structureBufferAtr * atr;
    if (side * (structureStop - atrStop) > 0) {
      stop = structureStop;
      stopWhy = `just beyond ${side > 0 ? 'support' : 'resistance'} ${fmt(nearest, 4)}`;
    }
  }
  const minRisk = Math.max(st.minRiskAtr * atr, (st.minRiskPct / 100) * price);
  if (side * (price - stop) < minRisk) {
    stop = price - side * minRisk;
    stopWhy += `, widened to the minimum risk ${fmt(minRisk, 4)}`;
  }
  const tick = tickOf(price);
  const entryTicks = Math.round(price / tick);
  // Round the stop and target away from the entry, so rounding never shrinks the bracket to nothing.
  let stopTicks = side > 0 ? Math.floor(stop / tick + 1e-9) : Math.ceil(stop / tick - 1e-9);
  if (side * (entryTicks - stopTicks) < 1) stopTicks = entryTicks - side;
  const riskTicks = side * (entryTicks - stopTicks);
  const targetTicks = entryTicks + side * Math.max(1, Math.ceil(st.rewardRisk * riskTicks - 1e-9));
  if (stopTicks < 1 || targetTicks < 1) return hold('HOLD: the stop or target would be at or below zero', 'levels');
  const entry = atTick(entryTicks, tick);
  const stopPrice = atTick(stopTicks, tick);
  const target = atTick(targetTicks, tick);
  const riskPct = (Math.abs(entry - stopPrice) / entry) * 100;
  if (riskPct > st.maxRiskPct) {
    return hold(`HOLD: the stop is ${fmt(riskPct)}% away, above ${fmt(st.maxRiskPct)}%`, 'levels');
  }
  reasons.push({
    factor: 'volatility',
    contribution: 0,
    text: `ATR ${fmt(primary.natr ?? 0)}% of price on ${primary.timeframe}${primary.bbWidth !== null ? `, Bollinger width ${fmt(primary.bbWidth * 100)}%` : ''}`,
  });
  const obstacle = ((side > 0 ? input.levels?.resistance : input.levels?.support) ?? []).filter(
    (l) => side * (l - entry) > 0 && side * (target - l) > 0,
  );
  reasons.push({
    factor: 'levels',
    contribution: 0,
    text:
      `stop ${stopPrice} (${stopWhy}), target ${target} at ${fmt(st.rewardRisk, 1)}× the risk` +
      (obstacle.length
        ? `; ${side > 0 ? 'resistance' : 'support'} at ${obstacle.map((l) => fmt(l, 2)).join(', ')} before the target`
        : ''),
  });
  reasons.push({
    factor: 'decision',
    contribution: 0,
    text: `${action}: score ${fmt(score)} past ±${fmt(rules.entryThreshold)}`,
  });
  return {
    symbol: input.symbol,
    action,
    confidence: strength,
    score,
    entry,
    stop: stopPrice,
    target,
    reasons,
    used,
    factors,
  };
}
