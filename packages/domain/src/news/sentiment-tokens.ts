/**
 * The single tokenising pass the sentiment scorer runs over a text: lower-cased word tokens, each
 * with a 32-bit FNV-1a hash (for the hashed n-gram model) and the clause it belongs to (so rules
 * such as "loss narrowed" or "not approved" never reach across a comma, colon or dash).
 *
 * Normalised tokens: `<num>` (numbers and money), `<num+>` / `<num->` (signed ones such as
 * "-$0.30"), `<pct>` (a bare percentage), `<pct+>` / `<pct->` (a signed one such as "+18%"),
 * `<tkr>` (a cashtag such as "$ABC"), `<q>` (a question mark). URLs are skipped; apostrophes inside
 * words are dropped ("doesn't" → "doesnt") and a possessive "'s" goes ("Apple's" → "apple").
 */

export const NUM_TOKEN = '<num>';
export const PCT_TOKEN = '<pct>';
export const PCT_UP_TOKEN = '<pct+>';
export const PCT_DOWN_TOKEN = '<pct->';
/** Signed amounts ("EPS of -$0.30", "+120 points"). */
export const NUM_UP_TOKEN = '<num+>';
export const NUM_DOWN_TOKEN = '<num->';
export const TICKER_TOKEN = '<tkr>';
/** A question mark: "Is Acme a buy?" asks, it does not tell. */
export const QUESTION_TOKEN = '<q>';

/** Texts longer than this are cut: a headline plus summary fits many times over, a pasted page does not. */
export const MAX_SENTIMENT_TEXT_CHARS = 4_000;

export interface SentimentTokens {
  readonly words: string[];
  readonly hashes: number[];
  readonly clauses: number[];
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units; the model's buckets are derived from it, so it must never change. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) {
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

const NUM_HASH = fnv1a(NUM_TOKEN);
const PCT_HASH = fnv1a(PCT_TOKEN);
const PCT_UP_HASH = fnv1a(PCT_UP_TOKEN);
const PCT_DOWN_HASH = fnv1a(PCT_DOWN_TOKEN);
const NUM_UP_HASH = fnv1a(NUM_UP_TOKEN);
const NUM_DOWN_HASH = fnv1a(NUM_DOWN_TOKEN);
const TICKER_HASH = fnv1a(TICKER_TOKEN);
const QUESTION_HASH = fnv1a(QUESTION_TOKEN);
const QUESTION = 0x3f;

// Character classes, indexed by UTF-16 code unit below 0x250; anything above is a separator
// except the few punctuation marks that end a clause.
const SEPARATOR = 0;
const LETTER = 1;
const DIGIT = 2;
const BOUNDARY = 3;

const CLASS = new Uint8Array(0x250);
for (let c = 0x61; c <= 0x7a; c += 1) CLASS[c] = LETTER;
for (let c = 0x30; c <= 0x39; c += 1) CLASS[c] = DIGIT;
for (let c = 0xc0; c < 0x250; c += 1) CLASS[c] = c === 0xd7 || c === 0xf7 ? SEPARATOR : LETTER;
for (const ch of ',;:!?|()[]{}') CLASS[ch.charCodeAt(0)] = BOUNDARY;

const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
const PERIOD = 0x2e;
const COMMA = 0x2c;
const HYPHEN = 0x2d;
const PLUS = 0x2b;
const PERCENT = 0x25;
const DOLLAR = 0x24;
const SPACE = 0x20;
const LOWER_S = 0x73;

function classOf(c: number): number {
  if (c < 0x250) return CLASS[c] as number;
  // En dash, em dash, ellipsis and the bullet end a clause like a comma does.
  if (c === 0x2013 || c === 0x2014 || c === 0x2026 || c === 0x2022) return BOUNDARY;
  return SEPARATOR;
}

function isLetterOrDigit(c: number): boolean {
  const k = classOf(c);
  return k === LETTER || k === DIGIT;
}

function isApostrophe(c: number): boolean {
  return c === APOSTROPHE || c === RIGHT_QUOTE;
}

/** True when `text` starts a URL at `i` ("http://", "https://", "www."). */
function urlAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x68) return text.startsWith('http://', i) || text.startsWith('https://', i);
  if (c === 0x77) return text.startsWith('www.', i);
  return false;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
}

/**
 * Tokenises `text` in one left-to-right pass. Pure and allocation-light: the three arrays are the
 * only output.
 */
export function tokenizeForSentiment(text: string): SentimentTokens {
  const lower = (text.length > MAX_SENTIMENT_TEXT_CHARS ? text.slice(0, MAX_SENTIMENT_TEXT_CHARS) : text).toLowerCase();
  const n = lower.length;
  const words: string[] = [];
  const hashes: number[] = [];
  const clauses: number[] = [];
  let clause = 0;
  let lastClause = -1;
  let i = 0;

  const push = (word: string, hash: number): void => {
    words.push(word);
    hashes.push(hash);
    clauses.push(clause);
    lastClause = clause;
  };
  // Punctuation opens a new clause only after a word, so ", -- ..." in a row opens one, not three.
  const boundary = (): void => {
    if (lastClause === clause) clause += 1;
  };

  while (i < n) {
    const c = lower.charCodeAt(i);
    const k = classOf(c);

    if (k === LETTER) {
      if (urlAt(lower, i)) {
        while (i < n && !isSpace(lower.charCodeAt(i))) i += 1;
        continue;
      }
      let h = FNV_OFFSET;
      let start = i;
      let word = '';
      for (;;) {
        while (i < n && isLetterOrDigit(lower.charCodeAt(i))) {
          h = Math.imul(h ^ lower.charCodeAt(i), FNV_PRIME);
          i += 1;
        }
        if (i + 1 < n && isApostrophe(lower.charCodeAt(i)) && classOf(lower.charCodeAt(i + 1)) === LETTER) {
          // A possessive 's ends the word; any other apostrophe joins its halves ("doesn't").
          if (lower.charCodeAt(i + 1) === LOWER_S && (i + 2 >= n || !isLetterOrDigit(lower.charCodeAt(i + 2)))) {
            word += lower.slice(start, i);
            i += 2;
            break;
          }
          word += lower.slice(start, i);
          i += 1;
          start = i;
          continue;
        }
        word += lower.slice(start, i);
        break;
      }
      push(word, h >>> 0);
      continue;
    }

    if (
      k === DIGIT ||
      ((c === PLUS || c === HYPHEN || c === DOLLAR) && i + 1 < n && classOf(lower.charCodeAt(i + 1)) === DIGIT) ||
      ((c === PLUS || c === HYPHEN) &&
        lower.charCodeAt(i + 1) === DOLLAR &&
        i + 2 < n &&
        classOf(lower.charCodeAt(i + 2)) === DIGIT)
    ) {
      const prev = i > 0 ? lower.charCodeAt(i - 1) : SPACE;
      // "-3%" is a signed number only when the sign does not join two words ("covid-19").
      const sign = (c === PLUS || c === HYPHEN) && !isLetterOrDigit(prev) ? (c === PLUS ? 1 : -1) : 0;
      if (k !== DIGIT) i += 1;
      if (lower.charCodeAt(i) === DOLLAR) i += 1;
      while (i < n) {
        const d = lower.charCodeAt(i);
        if (classOf(d) === DIGIT) i += 1;
        else if ((d === PERIOD || d === COMMA) && i + 1 < n && classOf(lower.charCodeAt(i + 1)) === DIGIT) i += 2;
        else break;
      }
      if (i < n && lower.charCodeAt(i) === PERCENT) {
        i += 1;
        if (sign > 0) push(PCT_UP_TOKEN, PCT_UP_HASH);
        else if (sign < 0) push(PCT_DOWN_TOKEN, PCT_DOWN_HASH);
        else push(PCT_TOKEN, PCT_HASH);
        continue;
      }
      // Units glued to the number ("35.8m", "4q", "1st") belong to it.
      while (i < n && isLetterOrDigit(lower.charCodeAt(i))) i += 1;
      if (sign > 0) push(NUM_UP_TOKEN, NUM_UP_HASH);
      else if (sign < 0) push(NUM_DOWN_TOKEN, NUM_DOWN_HASH);
      else push(NUM_TOKEN, NUM_HASH);
      continue;
    }

    if (c === DOLLAR && i + 1 < n && classOf(lower.charCodeAt(i + 1)) === LETTER) {
      i += 1;
      while (
        i < n &&
        (isLetterOrDigit(lower.charCodeAt(i)) ||
          (lower.charCodeAt(i) === PERIOD && i + 1 < n && classOf(lower.charCodeAt(i + 1)) === LETTER))
      ) {
        i += 1;
      }
      push(TICKER_TOKEN, TICKER_HASH);
      continue;
    }

    if (k === BOUNDARY) {
      if (c === QUESTION) push(QUESTION_TOKEN, QUESTION_HASH);
      boundary();
    } else if (c === PERIOD) {
      // "U.S." and "3.5" keep going; a period before a space or the end closes the clause.
      if (i + 1 >= n || isSpace(lower.charCodeAt(i + 1))) boundary();
    } else if (c === HYPHEN) {
      // A dash between spaces ("$ABC - Acme cut at ...") separates clauses; "pre-market" does not.
      if (i > 0 && isSpace(lower.charCodeAt(i - 1)) && (i + 1 >= n || isSpace(lower.charCodeAt(i + 1)))) boundary();
    }
    i += 1;
  }
  return { words, hashes, clauses };
}
