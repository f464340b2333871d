import { canonicalUrl, normalizeTime, stripHtml, type NormalizeTimeOptions } from '@catalyst/domain';
import { z } from 'zod';

/** A symbol as the database stores it (news_item_tickers.symbol, catalysts.symbol). */
export const STORED_SYMBOL = /^[A-Z0-9][A-Z0-9._/-]{0,31}$/;

/**
 * One news item as every adapter hands it on, whatever the provider: text without HTML, a
 * canonical URL (or a provider URN when the provider gave no link), UTC time, and the symbols
 * the provider attached. An item that does not fit is rejected alone; the rest of its batch goes on.
 */
export const SourceItem = z.object({
  providerId: z.string().min(1).max(256).nullable(),
  url: z.string().min(1).max(2048),
  title: z.string().min(1).max(1_000),
  summary: z.string().min(1).max(20_000).nullable(),
  author: z.string().min(1).max(500).nullable(),
  publisher: z.string().min(1).max(200).nullable(),
  /** ISO-8601 UTC, or null when the provider gave no usable time. */
  publishedAt: z.iso.datetime().nullable(),
  symbols: z.array(z.string().regex(STORED_SYMBOL)).max(500),
  /** The provider's original record, kept for audit (news_items.raw). */
  raw: z.record(z.string(), z.unknown()),
});
export type SourceItem = z.infer<typeof SourceItem>;

export interface ParseResult {
  items: SourceItem[];
  /** Items dropped because a field was missing or wrong. */
  rejected: number;
  /** Why, for the first few rejected items (logged, never thrown). */
  issues: string[];
}

const MAX_ISSUES = 5;

/** Collects items and rejections for one response. */
export class ParseCollector {
  readonly items: SourceItem[] = [];
  rejected = 0;
  readonly issues: string[] = [];

  add(candidate: unknown, label: string): void {
    const parsed = SourceItem.safeParse(candidate);
    if (parsed.success) {
      this.items.push(parsed.data);
      return;
    }
    this.reject(
      label,
      parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
        .join('; '),
    );
  }

  reject(label: string, why: string): void {
    this.rejected += 1;
    if (this.issues.length < MAX_ISSUES) this.issues.push(`${label}: ${why}`);
  }

  result(): ParseResult {
    return { items: this.items, rejected: this.rejected, issues: this.issues };
  }
}

/** Plain text, or null when nothing is left (or the value is not text). */
export function plainText(value: unknown, max = 20_000): string | null {
  if (typeof value !== 'string') return null;
  // PostgreSQL text cannot hold NUL; a feed that sends one has nothing to say with it.
  const text = stripHtml(value.replace(/\u0000/g, ''));
  if (text === '') return null;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The canonical form of an http(s) link, or null. */
export function canonicalLink(value: unknown): string | null {
  return typeof value === 'string' ? canonicalUrl(value) : null;
}

/** ISO-8601 UTC, or null for a missing or unusable time. */
export function utcTime(value: unknown, opts?: NormalizeTimeOptions): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return normalizeTime(value, opts);
}

/** Upper-cased symbols the database accepts, first occurrence kept. */
export function cleanSymbols(values: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const symbol = value.trim().toUpperCase();
    if (STORED_SYMBOL.test(symbol)) out.add(symbol);
  }
  return [...out];
}
