import type { SignalAction } from '../signals/types';
import type { BacktestCatalyst, BacktestDecision, BacktestFill } from './types';

/** One signal the live system generated (a `signals` row with its risk decision and order, joined). */
export interface LiveSignal {
  symbol: string;
  at: number;
  action: SignalAction;
  entry?: number | null | undefined;
  /** The decision's reason (why HOLD), where stored. */
  reason?: string | null | undefined;
  /** The news item behind it and when Catalyst received it. */
  newsItemId?: string | null | undefined;
  newsReceivedAt?: number | null | undefined;
  /** The risk engine's answer; null when the signal never reached it. */
  risk?: { approved: boolean; reason?: string | null | undefined } | null | undefined;
  /** The entry order's fill, when it filled. */
  fill?: { at: number; price: number; qty: string } | null | undefined;
}

export interface ReplaySide {
  decisions: readonly BacktestDecision[];
  fills: readonly BacktestFill[];
  catalysts: readonly BacktestCatalyst[];
}

export type DivergenceStatus = 'matched' | 'missing' | 'extra';

export interface DivergenceRow {
  symbol: string;
  action: SignalAction;
  status: DivergenceStatus;
  liveAt: number | null;
  replayAt: number | null;
  /** Empty when the two agree in everything compared. */
  reasons: string[];
}

export interface DivergenceReport {
  rows: DivergenceRow[];
  matched: number;
  /** Matched rows whose details differ (risk, fill, timing). */
  differing: number;
  /** Live acted, the replay did not. */
  missing: number;
  /** The replay acted, live did not. */
  extra: number;
}

export interface DivergenceOptions {
  /** Decisions this far apart for the same symbol and action are the same decision (default 5 min). */
  toleranceMs?: number;
  /** Fill prices closer than this fraction count as equal (default 0.0005 = 5 bp). */
  priceTolerance?: number;
}

const seconds = (ms: number): string => `${Math.round(Math.abs(ms) / 1000)} s`;

function riskText(risk: BacktestDecision['risk'] | LiveSignal['risk']): string {
  if (!risk) return 'not sent to risk';
  return risk.approved ? 'approved' : `refused: ${risk.reason ?? 'unknown'}`;
}

/**
 * Compares what the replay decided with what live trading did on the same day: each live BUY/SELL
 * signal is matched with the replay's decision for the same symbol and action nearest in time within
 * the tolerance; what is left over is missing (live only) or extra (replay only). Every row says why
 * the two differ: the risk engine's answers, the fill prices, the news timing, or the other side's
 * HOLD reason.
 */
export function compareDecisions(
  live: readonly LiveSignal[],
  replay: ReplaySide,
  options: DivergenceOptions = {},
): DivergenceReport {
  const tolerance = options.toleranceMs ?? 5 * 60_000;
  const priceTolerance = options.priceTolerance ?? 0.0005;
  const liveActs = live.filter((s) => s.action !== 'HOLD').sort((a, b) => a.at - b.at || cmp(a.symbol, b.symbol));
  const replayActs = replay.decisions
    .filter((d) => d.action !== 'HOLD')
    .sort((a, b) => a.at - b.at || cmp(a.symbol, b.symbol));
  const used = new Set<BacktestDecision>();
  const rows: DivergenceRow[] = [];

  const entryFill = (d: BacktestDecision): BacktestFill | undefined =>
    replay.fills.find((f) => f.symbol === d.symbol && f.role === 'entry' && f.at >= d.at);
  const catalystOf = (d: BacktestDecision): BacktestCatalyst | undefined =>
    replay.catalysts.find((c) => c.id === d.catalystId);

  for (const l of liveActs) {
    let best: BacktestDecision | null = null;
    for (const d of replayActs) {
      if (used.has(d) || d.symbol !== l.symbol || d.action !== l.action) continue;
      if (Math.abs(d.at - l.at) > tolerance) continue;
      if (!best || Math.abs(d.at - l.at) < Math.abs(best.at - l.at)) best = d;
    }
    if (best) {
      used.add(best);
      rows.push({
        symbol: l.symbol,
        action: l.action,
        status: 'matched',
        liveAt: l.at,
        replayAt: best.at,
        reasons: matchedReasons(l, best, entryFill(best), catalystOf(best), priceTolerance),
      });
      continue;
    }
    rows.push({
      symbol: l.symbol,
      action: l.action,
      status: 'missing',
      liveAt: l.at,
      replayAt: null,
      reasons: [missingReason(l, replay, tolerance)],
    });
  }
  for (const d of replayActs) {
    if (used.has(d)) continue;
    const near = live
      .filter((s) => s.symbol === d.symbol && Math.abs(s.at - d.at) <= tolerance)
      .sort((a, b) => Math.abs(a.at - d.at) - Math.abs(b.at - d.at))[0];
    let reason: string;
    if (!near) reason = `live made no signal for ${d.symbol} within ${seconds(tolerance)}`;
    else if (near.action === 'HOLD') reason = `live held${near.reason ? `: ${near.reason}` : ''}`;
    else reason = `live decided ${near.action} instead`;
    if (d.risk && !d.risk.approved) reason += ` (the replay's risk check also refused: ${d.risk.reason})`;
    rows.push({ symbol: d.symbol, action: d.action, status: 'extra', liveAt: null, replayAt: d.at, reasons: [reason] });
  }
  rows.sort((a, b) => (a.liveAt ?? a.replayAt!) - (b.liveAt ?? b.replayAt!) || cmp(a.symbol, b.symbol));
  const matchedRows = rows.filter((r) => r.status === 'matched');
  return {
    rows,
    matched: matchedRows.length,
    differing: matchedRows.filter((r) => r.reasons.length > 0).length,
    missing: rows.filter((r) => r.status === 'missing').length,
    extra: rows.filter((r) => r.status === 'extra').length,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchedReasons(
  l: LiveSignal,
  d: BacktestDecision,
  fill: BacktestFill | undefined,
  catalyst: BacktestCatalyst | undefined,
  priceTolerance: number,
): string[] {
  const reasons: string[] = [];
  const dt = d.at - l.at;
  if (dt !== 0) reasons.push(`replay decided ${seconds(dt)} ${dt > 0 ? 'later' : 'earlier'}`);
  if (l.newsItemId && catalyst && l.newsItemId !== catalyst.newsItemId) {
    reasons.push(`decided on different news (live ${l.newsItemId}, replay ${catalyst.newsItemId})`);
  } else if (l.newsReceivedAt != null && catalyst && catalyst.at !== l.newsReceivedAt) {
    const lag = catalyst.at - l.newsReceivedAt;
    reasons.push(`replay saw the news ${seconds(lag)} ${lag > 0 ? 'later' : 'earlier'}`);
  }
  const liveRisk = l.risk ?? null;
  if (liveRisk && d.risk && liveRisk.approved !== d.risk.approved) {
    reasons.push(
      liveRisk.approved
        ? `replay refused: ${d.risk.approved ? '' : d.risk.reason} (live approved)`
        : `live refused: ${liveRisk.reason ?? 'unknown'} (replay ${riskText(d.risk)})`,
    );
  } else if (liveRisk && d.risk && !liveRisk.approved && !d.risk.approved && liveRisk.reason !== d.risk.reason) {
    reasons.push(`both refused, for different reasons: live ${liveRisk.reason ?? 'unknown'}, replay ${d.risk.reason}`);
  }
  if (l.fill && fill) {
    const diff = Number(fill.price) - l.fill.price;
    if (Math.abs(diff) > priceTolerance * l.fill.price) {
      reasons.push(
        `fill price differed by ${diff >= 0 ? '+' : '−'}${Math.abs(diff).toFixed(4)} (live ${l.fill.price}, replay ${fill.price})`,
      );
    }
    if (l.fill.qty !== fill.qty) reasons.push(`quantity differed (live ${l.fill.qty}, replay ${fill.qty})`);
  } else if (l.fill && !fill) {
    reasons.push('live filled, the replay did not');
  } else if (!l.fill && fill) {
    reasons.push('the replay filled, live did not');
  }
  if (l.entry != null && d.entry !== null && Math.abs(l.entry - d.entry) > priceTolerance * l.entry) {
    reasons.push(`entry differed (live ${l.entry}, replay ${d.entry})`);
  }
  return reasons;
}

function missingReason(l: LiveSignal, replay: ReplaySide, tolerance: number): string {
  const near = replay.decisions
    .filter((d) => d.symbol === l.symbol && Math.abs(d.at - l.at) <= tolerance)
    .sort((a, b) => Math.abs(a.at - l.at) - Math.abs(b.at - l.at))[0];
  if (near && near.action === 'HOLD') return `replay held: ${near.reason}`;
  if (near) return `replay decided ${near.action} instead`;
  const catalyst = l.newsItemId ? replay.catalysts.find((c) => c.newsItemId === l.newsItemId) : undefined;
  if (catalyst && l.newsReceivedAt != null && catalyst.at > l.at) {
    return `replay saw news ${seconds(catalyst.at - l.newsReceivedAt)} later, after live had decided`;
  }
  if (!replay.catalysts.some((c) => c.symbol === l.symbol && c.at <= l.at)) {
    return `replay had no catalyst for ${l.symbol} by then`;
  }
  return `replay made no decision for ${l.symbol} within ${seconds(tolerance)} (not among the cycle's candidates)`;
}
