/**
 * Which listed companies a news item is about. Explicit forms first (provider symbols, cashtags,
 * exchange forms), then company names matched against the broker's asset list. A bare word in
 * capitals is never a ticker on its own: headlines are full of A, IT, ON, ALL, CEO, AI, EV.
 */
import type { Asset, TickerLink, TickerMethod } from './types';
import { COMMON_NAME_WORDS, COMMON_TICKER_WORDS } from './tickers-common-words';

/** Confidence of each way of finding a symbol (before the summary discount). */
export const TICKER_CONFIDENCE = {
  provider: 0.95,
  exchange: 0.92,
  cashtag: 0.88,
  /** `Roper (ROP)`: capitals in parentheses naming a listed symbol. */
  parenthesised: 0.8,
  /** The name with its legal form: "Apple Inc.", "Tesla, Inc.". */
  legalName: 0.9,
  /** A multi-word name without the legal form: "Ford Motor", "Advanced Micro Devices". */
  fullName: 0.85,
  /** A one-word name that is no common word: "Microsoft", "Nvidia". */
  singleName: 0.75,
  /** The first two words of a longer name: "Apple Hospitality" for "Apple Hospitality REIT". */
  prefixName: 0.7,
  /** The first word of a multi-word name, unique in the list: "Ford" for "Ford Motor Company". */
  shortName: 0.6,
} as const;

/** Mentions found only in the summary count a little less: summaries name peers and acquirers. */
const SUMMARY_FACTOR = 0.9;
/**
 * Before an asset list is loaded (an empty index) explicit symbols cannot be checked; they are
 * still linked, at this fraction of their confidence, and names are not matched at all.
 */
export const UNVERIFIED_FACTOR = 0.7;

interface NameAlias {
  /** The first lowercase word. */
  first: string;
  /** The lowercase words after it. */
  rest: readonly string[];
  symbol: string;
  confidence: number;
}

/** A precomputed lookup over an asset list; build once, use for every item. */
export interface TickerIndex {
  /** Listed symbols (uppercase) to their assets. */
  readonly assets: ReadonlyMap<string, Asset>;
  /**
   * Name aliases by a hash of their first lowercase word (`wordHash`), longest first: an integer
   * key is looked up without building a string per word of every headline.
   */
  readonly names: ReadonlyMap<number, readonly NameAlias[]>;
}

export interface TickerInput {
  headline: string;
  summary?: string;
  /** Symbols the provider attached (Alpaca, Alpha Vantage). */
  providerSymbols?: readonly string[];
}

/** One sighting of a symbol, with where it was seen (the ticker links are their best per symbol). */
export interface TickerMention extends TickerLink {
  field: 'headline' | 'summary' | 'provider';
  /** Character offset of the mention in its field (0 for provider symbols). */
  index: number;
}

// Words are runs of letters and digits that may keep internal apostrophes, dots, ampersands and
// hyphens ("McDonald's", "Amazon.com", "AT&T", "Coca-Cola"); a lone "&" is a word too ("Johnson &
// Johnson"); a trailing possessive "'s" is dropped. Asset names and news text are cut the same way.
let wordStarts = new Int32Array(256);
let wordEnds = new Int32Array(256);

function isAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/** Lowercase with typographic apostrophes made plain, the same length as the input. */
function lowerText(text: string): string {
  let lower = text.toLowerCase();
  if (lower.length !== text.length) {
    // A few characters lowercase to two (İ); blank them so offsets keep pointing at the input.
    lower = text.replace(/[^\x00-\x7f]/g, (c) => (c.toLowerCase().length === 1 ? c.toLowerCase() : ' ')).toLowerCase();
  }
  return lower.indexOf('\u2019') === -1 ? lower : lower.replace(/\u2019/g, "'");
}

/** Cuts `lower` into words; their bounds are left in `wordStarts`/`wordEnds`; returns the count. */
function scanWords(lower: string): number {
  let n = 0;
  const len = lower.length;
  let i = 0;
  while (i < len) {
    const c = lower.charCodeAt(i);
    let start = -1;
    let end = -1;
    if (isAlnum(c)) {
      start = i++;
      while (i < len) {
        const d = lower.charCodeAt(i);
        if (isAlnum(d)) i++;
        else if ((d === 39 || d === 46 || d === 38 || d === 45) && i + 1 < len && isAlnum(lower.charCodeAt(i + 1)))
          i += 2;
        else break;
      }
      end = i;
      if (end - start >= 3 && lower.charCodeAt(end - 2) === 39 && lower.charCodeAt(end - 1) === 115) end -= 2;
    } else if (c === 38) {
      start = i++;
      end = i;
    } else {
      i++;
      continue;
    }
    if (n === wordStarts.length) {
      const grownStarts = new Int32Array(n * 2);
      const grownEnds = new Int32Array(n * 2);
      grownStarts.set(wordStarts);
      grownEnds.set(wordEnds);
      wordStarts = grownStarts;
      wordEnds = grownEnds;
    }
    wordStarts[n] = start;
    wordEnds[n] = end;
    n++;
  }
  return n;
}

/** FNV-1a over `text[start, end)`, kept to 30 bits so it stays a small integer. */
function wordHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h & 0x3fffffff;
}

function tokenize(text: string): string[] {
  const lower = lowerText(text);
  const n = scanWords(lower);
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = lower.slice(wordStarts[k], wordEnds[k]);
  return out;
}

/**
 * The part of a broker's asset name that describes the security, not the company: "Class A Common
 * Stock", "American Depositary Shares, each representing …", "Common Units representing limited
 * partner interests".
 */
const SECURITY_DESCRIPTION =
  /(?:\s*,)?\s+(?:(?:class\s+[a-c]|series\s+[a-c]|common|ordinary|capital|voting|non-voting|subordinate|registered|sponsored|unsponsored)\s+)*(?:stock|shares?|units?\s+representing\b.*|american\s+depositary\s+(?:shares?|receipts?)\b.*|depositary\s+(?:shares?|receipts?)\b.*|ads|adrs?)\s*$/i;
const TRAILING_CLASS = /(?:\s*,)?\s+(?:class|series)\s+[a-c]\s*$|\s+new\s*$/i;

/** Legal forms removed from the end of a name ("Inc.", "Corporation", "plc", "N.V." …). */
const LEGAL_WORDS = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'companies',
  'ltd',
  'limited',
  'plc',
  'llc',
  'lp',
  'l.p',
  'llp',
  'nv',
  'n.v',
  'sa',
  's.a',
  'ag',
  'se',
  'spa',
  's.p.a',
  'ab',
  'asa',
  'oyj',
  'bv',
  'b.v',
  'holdings',
  'holding',
  'group',
  'the',
  '&',
]);

/** Names of things that are not the company's common equity; their symbols still resolve. */
const SECONDARY_SECURITY =
  /\b(?:warrants?|rights?|preferred|pfd|notes?\s+due|debentures?|etns?|subordinated\s+notes|units?(?!\s+representing))\b|%/i;

/** `BRK-B`, `brk/b`, `BRK.B` → `BRK.B`; null for things that cannot be a symbol. */
function normalizeSymbol(raw: string): string | null {
  const s = raw.trim().toUpperCase().replace(/[-/]/g, '.');
  return /^[A-Z0-9]{1,6}(?:\.[A-Z0-9]{1,3})?$/.test(s) ? s : null;
}

function classRank(name: string): number {
  if (!/\bclass\b/i.test(name)) return 0;
  return /\bclass\s+a\b/i.test(name) ? 1 : 2;
}

/** Whether asset `a` should own a name both share (GOOGL over GOOG, the common over class C). */
function preferred(a: Asset, b: Asset): boolean {
  const ra = classRank(a.name);
  const rb = classRank(b.name);
  if (ra !== rb) return ra < rb;
  if (a.symbol.length !== b.symbol.length) return a.symbol.length < b.symbol.length;
  return a.symbol < b.symbol;
}

interface Candidate {
  tokens: string[];
  confidence: number;
  /** Shortened forms are dropped when another asset claims the same words. */
  shortened: boolean;
}

function candidatesFor(asset: Asset): Candidate[] {
  if (typeof asset.name !== 'string' || SECONDARY_SECURITY.test(asset.name)) return [];
  // Exchange listings write "Allstate Corporation (The)".
  let name = asset.name.replace(/\s*\(the\)/i, '');
  for (let i = 0; i < 3; i++) {
    const next = name.replace(SECURITY_DESCRIPTION, '').replace(TRAILING_CLASS, '');
    if (next === name) break;
    name = next;
  }
  let tokens = tokenize(name);
  if (tokens[0] === 'the' && tokens.length > 1) tokens = tokens.slice(1);
  const legal = tokens;
  let core = tokens;
  while (core.length > 1 && LEGAL_WORDS.has(core[core.length - 1] as string)) core = core.slice(0, -1);
  if (core.length === 0 || (core.length === 1 && LEGAL_WORDS.has(core[0] as string))) return [];

  const out: Candidate[] = [];
  const add = (t: string[], confidence: number, shortened: boolean) => {
    if (t.length > 0) out.push({ tokens: t, confidence, shortened });
  };
  if (legal.length > core.length) add(legal, TICKER_CONFIDENCE.legalName, false);
  if (core.length > 1) add(core, TICKER_CONFIDENCE.fullName, false);
  else {
    const word = core[0] as string;
    if (word.length >= 2 && !COMMON_NAME_WORDS.has(word)) add(core, TICKER_CONFIDENCE.singleName, false);
  }
  // "Amazon.com" is written "Amazon"; "Coca-Cola" also "Coca Cola".
  if (core.length === 1 && /\.(?:com|net|org|io|ai)$/.test(core[0] as string)) {
    const bare = (core[0] as string).replace(/\.(?:com|net|org|io|ai)$/, '');
    if (bare.length >= 3 && !COMMON_NAME_WORDS.has(bare)) add([bare], TICKER_CONFIDENCE.singleName, true);
  }
  if (core.some((t) => t.includes('-'))) {
    add(
      core.flatMap((t) => t.split('-')),
      core.length > 1 ? TICKER_CONFIDENCE.fullName : TICKER_CONFIDENCE.singleName,
      false,
    );
  }
  if (core.length >= 3) {
    const [first, second] = core as [string, string];
    if (!COMMON_NAME_WORDS.has(second) && second !== '&' && second !== 'of' && second !== 'and' && first !== '&')
      add([first, second], TICKER_CONFIDENCE.prefixName, true);
  }
  if (core.length >= 2) {
    const first = core[0] as string;
    if (first.length >= 4 && !COMMON_NAME_WORDS.has(first) && !/^\d/.test(first))
      add([first], TICKER_CONFIDENCE.shortName, true);
  }
  return out;
}

/**
 * Precomputes the symbol table and the name aliases of an asset list (10,000 assets take about
 * 0.2 s of CPU; build it when the list changes, not per item). Names are cut to the company: security words ("Class A Common Stock"), then legal
 * forms ("Inc.", "Corporation", "Holdings", "plc" …). Each asset gets its legal name, its full
 * name, a one-word name when it is no common word, and shortened forms (first word, first two
 * words) when no other asset claims the same words. Warrants, units, preferreds and notes resolve
 * by symbol but not by name.
 */
export function createTickerIndex(assets: readonly Asset[]): TickerIndex {
  const bySymbol = new Map<string, Asset>();
  for (const asset of assets) {
    if (asset === null || typeof asset !== 'object' || typeof asset.symbol !== 'string') continue;
    const symbol = normalizeSymbol(asset.symbol);
    if (symbol !== null && !bySymbol.has(symbol)) bySymbol.set(symbol, asset);
  }

  // Exact names: one owner per phrase (the preferred share class). Shortened forms: dropped when
  // two assets claim the same words, or when they equal another asset's exact name.
  const exact = new Map<string, { symbol: string; asset: Asset; confidence: number; tokens: string[] }>();
  const shortened = new Map<string, { symbol: string; confidence: number; tokens: string[] } | null>();
  for (const [symbol, asset] of bySymbol) {
    for (const c of candidatesFor(asset)) {
      const key = c.tokens.join(' ');
      if (c.shortened) {
        const seen = shortened.get(key);
        if (seen === undefined) shortened.set(key, { symbol, confidence: c.confidence, tokens: c.tokens });
        else if (seen !== null && seen.symbol !== symbol) shortened.set(key, null);
        continue;
      }
      const seen = exact.get(key);
      if (seen === undefined || (seen.symbol !== symbol && preferred(asset, seen.asset)))
        exact.set(key, { symbol, asset, confidence: c.confidence, tokens: c.tokens });
      else if (seen.symbol === symbol && c.confidence > seen.confidence) seen.confidence = c.confidence;
    }
  }

  const names = new Map<number, NameAlias[]>();
  const addAlias = (tokens: string[], symbol: string, confidence: number) => {
    const [first, ...rest] = tokens as [string, ...string[]];
    const key = wordHash(first, 0, first.length);
    let list = names.get(key);
    if (list === undefined) {
      list = [];
      names.set(key, list);
    }
    list.push({ first, rest, symbol, confidence });
  };
  for (const { tokens, symbol, confidence } of exact.values()) addAlias(tokens, symbol, confidence);
  for (const [key, entry] of shortened) {
    if (entry !== null && !exact.has(key)) addAlias(entry.tokens, entry.symbol, entry.confidence);
  }
  for (const list of names.values()) list.sort((a, b) => b.rest.length - a.rest.length || b.confidence - a.confidence);
  return { assets: bySymbol, names };
}

// "$TSLA", "$BRK.B": capitals only; "$5B" and "US$" are money.
const CASHTAG = /(?<![A-Za-z0-9$])\$([A-Z]{1,5}(?:\.[A-Z]{1,2})?)(?![A-Za-z0-9])/g;
// "(NASDAQ: ABC)", "NYSE:ABC", "NYSE American: ABC", "OTC: ABC", "Nasdaq GS:ABC" (US venues only).
const EXCHANGE =
  /\b(?:NASDAQ(?:\s*(?:GS|GM|CM))?|NYSE(?:\s*(?:American|Arca|MKT))?|NYSEAMERICAN|NYSEARCA|AMEX|ARCA|BATS|CBOE(?:\s*BZX)?|OTC(?:\s*(?:QX|QB|Markets|Pink|MKTS|BB))?|OTCMKTS|OTCQX|OTCQB|Pink\s*Sheets)\s*:\s*([A-Za-z]{1,5}(?:[.\-/][A-Za-z]{1,2})?)(?![A-Za-z0-9])/gi;
// "Roper (ROP)", "Netflix ( NFLX )": capitals alone in parentheses.
const PARENTHESISED = /\(\s*([A-Z]{1,5}(?:\.[A-Z])?)\s*\)/g;

function isUpper(text: string): boolean {
  return text === text.toUpperCase();
}

function findNames(index: TickerIndex, text: string, field: 'headline' | 'summary', out: TickerMention[]): void {
  if (index.names.size === 0) return;
  const lower = lowerText(text);
  const n = scanWords(lower);
  const factor = field === 'summary' ? SUMMARY_FACTOR : 1;
  for (let i = 0; i < n; i++) {
    const start = wordStarts[i] as number;
    const c = text.charCodeAt(start);
    // A name starts with a capital (or a digit: "3M"); "apple pie" is not Apple.
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) continue;
    const end = wordEnds[i] as number;
    const aliases = index.names.get(wordHash(lower, start, end));
    if (aliases === undefined) continue;
    for (const alias of aliases) {
      const more = alias.rest.length;
      if (i + more >= n || end - start !== alias.first.length || !lower.startsWith(alias.first, start)) continue;
      let ok = true;
      for (let k = 0; k < more; k++) {
        const word = alias.rest[k] as string;
        const at = wordStarts[i + 1 + k] as number;
        if ((wordEnds[i + 1 + k] as number) - at !== word.length || !lower.startsWith(word, at)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      out.push({ symbol: alias.symbol, confidence: alias.confidence * factor, method: 'name', field, index: start });
      i += more;
      break;
    }
  }
}

function findExplicit(index: TickerIndex, text: string, field: 'headline' | 'summary', out: TickerMention[]): void {
  const open = index.assets.size === 0;
  const factor = (field === 'summary' ? SUMMARY_FACTOR : 1) * (open ? UNVERIFIED_FACTOR : 1);
  const push = (raw: string, method: TickerMethod, confidence: number, at: number) => {
    const symbol = normalizeSymbol(raw);
    if (symbol !== null && (open || index.assets.has(symbol)))
      out.push({ symbol, confidence: confidence * factor, method, field, index: at });
  };
  if (text.indexOf('$') !== -1) {
    for (const m of text.matchAll(CASHTAG)) push(m[1] as string, 'cashtag', TICKER_CONFIDENCE.cashtag, m.index);
  }
  if (text.indexOf(':') !== -1) {
    for (const m of text.matchAll(EXCHANGE)) {
      const raw = m[1] as string;
      if (isUpper(raw)) push(raw, 'exchange', TICKER_CONFIDENCE.exchange, m.index);
    }
  }
  if (!open && text.indexOf('(') !== -1) {
    for (const m of text.matchAll(PARENTHESISED)) {
      const raw = m[1] as string;
      // A lone letter or a common word in parentheses ("(A)", "(AI)", "(CEO)") is not a ticker.
      if (raw.length < 2 || COMMON_TICKER_WORDS.has(raw.toLowerCase())) continue;
      push(raw, 'exchange', TICKER_CONFIDENCE.parenthesised, m.index);
    }
  }
}

/** Provider symbol confidence: tagging dozens of symbols (market wraps) says less about each. */
function providerConfidence(count: number): number {
  return count <= 3 ? TICKER_CONFIDENCE.provider : Math.max(0.5, TICKER_CONFIDENCE.provider - 0.05 * (count - 3));
}

/**
 * Every sighting of a listed symbol in a news item, in the order found: provider symbols, then
 * headline, then summary. Only symbols in the index's asset list are returned (with an empty
 * index: explicit symbols at `UNVERIFIED_FACTOR` of their confidence).
 */
export function findTickerMentions(index: TickerIndex, input: TickerInput): TickerMention[] {
  const out: TickerMention[] = [];
  if (input === null || typeof input !== 'object') return out;
  const provided = Array.isArray(input.providerSymbols) ? input.providerSymbols : [];
  const open = index.assets.size === 0;
  const seen = new Set<string>();
  for (const raw of provided) {
    if (typeof raw !== 'string') continue;
    const symbol = normalizeSymbol(raw);
    if (symbol !== null && (open || index.assets.has(symbol))) seen.add(symbol);
  }
  const providerConf = providerConfidence(seen.size) * (open ? UNVERIFIED_FACTOR : 1);
  for (const symbol of seen)
    out.push({ symbol, confidence: providerConf, method: 'provider', field: 'provider', index: 0 });
  for (const field of ['headline', 'summary'] as const) {
    const text = input[field];
    if (typeof text !== 'string' || text === '') continue;
    findExplicit(index, text, field, out);
    findNames(index, text, field, out);
  }
  return out;
}

/** The best mention of each symbol, most confident first (ties: the earlier mention). */
export function bestTickerLinks(mentions: readonly TickerMention[]): TickerLink[] {
  const best = new Map<string, { link: TickerLink; order: number }>();
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as TickerMention;
    const seen = best.get(m.symbol);
    if (seen === undefined || m.confidence > seen.link.confidence)
      best.set(m.symbol, {
        link: { symbol: m.symbol, confidence: Math.round(m.confidence * 1000) / 1000, method: m.method },
        order: seen?.order ?? i,
      });
  }
  return [...best.values()]
    .sort((a, b) => b.link.confidence - a.link.confidence || a.order - b.order)
    .map((e) => e.link);
}

/**
 * The listed companies a news item is about, one link per symbol with the confidence of its
 * strongest evidence: provider symbols (0.95, less when a provider tags many), exchange forms
 * "(NASDAQ: ABC)" (0.92), cashtags "$ABC" (0.88), capitals in parentheses "(ABC)" that are no
 * common word (0.8), company names (0.9 with legal form … 0.6 for a unique first word). Mentions
 * only in the summary count 0.9 of that. Symbols not in the index's asset list are ignored;
 * with an empty index (no asset list yet) explicit symbols are kept at 0.7 of their confidence.
 */
export function extractTickers(index: TickerIndex, input: TickerInput): TickerLink[] {
  return bestTickerLinks(findTickerMentions(index, input));
}
