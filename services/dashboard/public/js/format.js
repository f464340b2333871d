/** Figures for people: money with two decimals, percents, times in the viewer's zone. */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function num(v) {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

export function usd(v) {
  const n = num(v);
  return n === null ? '—' : money.format(n);
}

export function signedUsd(v) {
  const n = num(v);
  if (n === null) return '—';
  return `${n > 0 ? '+' : ''}${money.format(n)}`;
}

/** A fraction (0.0123) as a percent (1.23 %). */
export function pct(fraction, digits = 2) {
  const n = num(fraction);
  return n === null ? '—' : `${(n * 100).toFixed(digits)} %`;
}

/** A value already in percent (1.23) with its sign. */
export function signedPct(percent, digits = 2) {
  const n = num(percent);
  return n === null ? '—' : `${n > 0 ? '+' : ''}${n.toFixed(digits)} %`;
}

export function fixed(v, digits = 2) {
  const n = num(v);
  return n === null ? '—' : n.toFixed(digits);
}

export function qty(v) {
  const n = num(v);
  return n === null ? '—' : String(n);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : d.toLocaleString(undefined, {
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
}

export function duration(ms) {
  const n = num(ms);
  if (n === null) return '—';
  if (n < 1000) return `${Math.round(n)} ms`;
  if (n < 60_000) return `${(n / 1000).toFixed(1)} s`;
  return `${Math.floor(n / 60_000)} min ${Math.round((n % 60_000) / 1000)} s`;
}

/** A signal's or candidate's reasons are strings or small objects: one readable line each. */
export function reasonText(r) {
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object') {
    if (typeof r.text === 'string') return r.text;
    if (typeof r.message === 'string') return r.message;
    if (typeof r.reason === 'string') return r.reason;
    return Object.entries(r)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return String(r);
}

export function sessionLabel(s) {
  return (
    { pre_market: 'Pre-market', regular: 'Regular session', after_hours: 'After hours', closed: 'Closed' }[s] ??
    s ??
    '—'
  );
}

export function catalystLabel(t) {
  return String(t ?? '').replaceAll('_', ' ');
}

/** CSS class for a positive/negative figure. */
export function tone(v) {
  const n = num(v);
  if (n === null || n === 0) return '';
  return n > 0 ? 'up' : 'down';
}
