/** Row helpers for repositories: pg returns timestamptz as Date and numeric as string. */

export function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function isoOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : iso(value);
}

/** A `date` column as YYYY-MM-DD (pg's default parser turns it into a local-midnight Date). */
export function isoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Normalise a numeric string from PostgreSQL (`"10.5000"` stays exact; only trailing zeros go). */
export function decimalOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : trimDecimal(value);
}

export function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}
