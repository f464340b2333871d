import type { CatalogueEvent, CatalogueEventType } from '@catalyst/shared';

/** An event on its way to the webhooks: what happened, and when and where it was published. */
export type NotificationEvent = CatalogueEvent & {
  /** ISO-8601 UTC: when it was published (the bus's time), or when `notify()` was called. */
  at: string;
  /** The bus entry id; absent for an in-process `notify()`. */
  id?: string;
  topic: string;
};

export type Severity = 'info' | 'good' | 'warning' | 'critical';

/** The message one event becomes, before each kind of webhook gives it its own shape. */
export interface NotificationMessage {
  type: CatalogueEventType;
  title: string;
  severity: Severity;
  /** Plain text lines; each renderer escapes them for its markup. */
  lines: string[];
  fields: { name: string; value: string }[];
  link: string | null;
  at: string;
}

const MAX_LISTED = 10;

/**
 * A decimal string rounded half-up to `places`, in BigInt so money never passes through a float.
 * Anything that is not a plain decimal is returned as it came.
 */
export function roundDecimal(value: string, places = 2): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) return value;
  const [, sign, whole, frac = ''] = match;
  const scale = 10n ** BigInt(places);
  const digits = BigInt(whole! + frac.padEnd(places + 1, '0').slice(0, places + 1));
  const rounded = (digits + 5n) / 10n;
  const intPart = rounded / scale;
  const fracPart = (rounded % scale).toString().padStart(places, '0');
  const negative = sign === '-' && rounded !== 0n;
  return `${negative ? '-' : ''}${intPart}${places > 0 ? `.${fracPart}` : ''}`;
}

function signed(value: string, places = 2): string {
  const r = roundDecimal(value, places);
  return r.startsWith('-') ? `−${r.slice(1)}` : `+${r}`;
}

function isNegative(value: string): boolean {
  return roundDecimal(value).startsWith('-');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What each event says to an operator. Pure: the same event always reads the same. */
export function describeEvent(event: NotificationEvent): NotificationMessage {
  const base = { type: event.type, at: event.at, link: null, fields: [], lines: [] };
  switch (event.type) {
    case 'trade.opened': {
      const d = event.data;
      const fields = [
        { name: 'Entry', value: d.entryPrice },
        { name: 'Stop', value: d.stopPrice ?? '—' },
        { name: 'Target', value: d.targetPrice ?? '—' },
      ];
      if (d.catalystType) fields.push({ name: 'Catalyst', value: d.catalystType });
      return {
        ...base,
        title: `Opened ${d.side} ${d.qty} ${d.symbol} @ ${d.entryPrice}`,
        severity: 'info',
        fields,
      };
    }
    case 'trade.closed': {
      const d = event.data;
      const pct = d.returnPct === null ? '' : ` (${signed(d.returnPct)}%)`;
      return {
        ...base,
        title: `Closed ${d.side} ${d.symbol}: ${signed(d.realizedPnl)}${pct}`,
        severity: isNegative(d.realizedPnl) ? 'warning' : 'good',
        fields: [
          { name: 'Qty', value: d.qty },
          { name: 'Entry → exit', value: `${d.entryPrice} → ${d.exitPrice}` },
          { name: 'Exit reason', value: d.exitReason ?? '—' },
        ],
      };
    }
    case 'trading.halted': {
      const d = event.data;
      const lines = [`Reason: ${d.reason ?? 'none given'}`];
      lines.push(`Cancelled ${plural(d.canceledOrders, 'entry order')}`);
      if (d.closedPositions.length > 0) lines.push(`Closing positions: ${d.closedPositions.join(', ')}`);
      for (const f of d.failures.slice(0, MAX_LISTED)) lines.push(`Failed: ${f.target}: ${f.message}`);
      if (d.failures.length > MAX_LISTED) lines.push(`… and ${d.failures.length - MAX_LISTED} more failures`);
      return { ...base, title: `Trading halted by ${d.actor}`, severity: 'critical', lines };
    }
    case 'trading.resumed': {
      const d = event.data;
      return {
        ...base,
        title: `Trading resumed by ${d.actor}`,
        severity: 'info',
        lines: d.reason ? [`Reason: ${d.reason}`] : [],
      };
    }
    case 'reconciliation.discrepancy': {
      const d = event.data;
      const lines = d.discrepancies
        .slice(0, MAX_LISTED)
        .map((x) => `${x.kind} (${x.entityType} ${x.symbol ?? x.entityId}): ${x.summary}`);
      if (d.discrepancies.length > MAX_LISTED) lines.push(`… and ${d.discrepancies.length - MAX_LISTED} more`);
      return {
        ...base,
        title: `Reconciliation corrected ${plural(d.discrepancies.length, 'discrepancy', 'discrepancies')} (${d.source})`,
        severity: 'warning',
        lines,
      };
    }
    case 'cycle.failed': {
      const d = event.data;
      return {
        ...base,
        title: `Cycle failed${d.step ? ` at ${d.step}` : ''}`,
        severity: 'critical',
        lines: [d.error],
        fields: [
          { name: 'Trigger', value: d.trigger },
          { name: 'Symbol', value: d.symbol ?? 'all' },
          { name: 'Cycle', value: d.cycleId },
        ],
      };
    }
    case 'report.daily': {
      const d = event.data;
      const decided = d.wins + d.losses;
      const winRate = decided === 0 ? '—' : `${roundDecimal(String((d.wins * 100) / decided), 1)}%`;
      return {
        ...base,
        title: `Daily report ${d.date}: ${signed(d.realizedPnl)} realized`,
        severity: isNegative(d.realizedPnl) ? 'warning' : 'good',
        link: d.reportUrl,
        fields: [
          { name: 'Trades', value: `${d.trades} (${d.wins} won, ${d.losses} lost)` },
          { name: 'Win rate', value: winRate },
          { name: 'Unrealized', value: signed(d.unrealizedPnl) },
          { name: 'Fees', value: roundDecimal(d.fees) },
          {
            name: 'Equity',
            value: `${roundDecimal(d.equityOpen)} → ${d.equityClose === null ? '—' : roundDecimal(d.equityClose)}`,
          },
          { name: 'Max drawdown', value: `${roundDecimal(d.maxDrawdownPct)}%` },
        ],
      };
    }
    case 'news.catalyst': {
      const d = event.data;
      return {
        ...base,
        title: `${d.symbol}: ${d.type} (${d.direction}, score ${d.score.toFixed(2)})`,
        severity: 'info',
        lines: [d.headline],
      };
    }
  }
}
