import { SENTIMENT_LEXICON } from './sentiment-lexicon';
import type { LexEntry, Lexicon } from './sentiment-lexicon';
import type { SentimentTokens } from './sentiment-tokens';

/** What the finance rules found in a text: the sum of positive and of negative evidence. */
export interface RuleScore {
  /** Sum of the positive contributions (≥ 0). */
  readonly positive: number;
  /** Sum of the negative contributions, as a magnitude (≥ 0). */
  readonly negative: number;
}

// How far (in tokens strictly between) a move looks for its quantity, a negator reaches, and an
// intensifier reaches: headlines are terse, so two words cover "raises full-year guidance".
const PAIR_GAP = 2;
const NEGATION_GAP = 2;
const INTENSITY_GAP = 1;
const SOURCE_GAP = 2;

interface Term {
  start: number;
  end: number;
  clause: number;
  entry: LexEntry;
  value: number;
  /** A quantity a move has taken: the pair's value sits on the move. */
  consumed: boolean;
}

function matchTerms(tokens: SentimentTokens, lexicon: Lexicon): Term[] {
  const { words, clauses } = tokens;
  const terms: Term[] = [];
  const n = words.length;
  let i = 0;
  while (i < n) {
    const word = words[i] as string;
    const clause = clauses[i] as number;
    let entry: LexEntry | undefined;
    let end = i + 1;
    const candidates = lexicon.phrases.get(word);
    if (candidates !== undefined) {
      for (const phrase of candidates) {
        const last = i + phrase.rest.length;
        if (last >= n || clauses[last] !== clause) continue;
        let ok = true;
        for (let j = 0; j < phrase.rest.length; j += 1) {
          if (words[i + 1 + j] !== phrase.rest[j]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          entry = phrase.entry;
          end = last + 1;
          break;
        }
      }
    }
    entry ??= lexicon.words.get(word);
    if (entry !== undefined) {
      terms.push({ start: i, end, clause, entry, value: 0, consumed: false });
    }
    i = end;
  }
  return terms;
}

function pairable(t: Term, self: Term): 'take' | 'skip' | 'stop' {
  if (t.clause !== self.clause || t.entry.barrier === true) return 'stop';
  if (t.entry.quantity !== undefined) return t.consumed ? 'skip' : 'take';
  // Another verb starts another statement ("shares fall as sales slump").
  return t.entry.move !== undefined ? 'stop' : 'skip';
}

function searchLeft(terms: Term[], at: number): Term | undefined {
  const self = terms[at] as Term;
  for (let j = at - 1; j >= 0; j -= 1) {
    const t = terms[j] as Term;
    if (self.start - t.end > PAIR_GAP) return undefined;
    const verdict = pairable(t, self);
    if (verdict === 'stop') return undefined;
    if (verdict === 'take') return t;
  }
  return undefined;
}

function searchRight(terms: Term[], at: number): Term | undefined {
  const self = terms[at] as Term;
  for (let j = at + 1; j < terms.length; j += 1) {
    const t = terms[j] as Term;
    if (t.start - self.end > PAIR_GAP) return undefined;
    const verdict = pairable(t, self);
    if (verdict === 'stop') return undefined;
    if (verdict === 'take') return t;
  }
  return undefined;
}

/**
 * The quantity a move moves: the subject on its left ("loss narrowed"), or for a transitive verb
 * the object on its right first ("cuts costs", "extends gains").
 */
function findQuantity(terms: Term[], at: number): Term | undefined {
  if ((terms[at] as Term).entry.objectFirst === true) return searchRight(terms, at) ?? searchLeft(terms, at);
  return searchLeft(terms, at) ?? searchRight(terms, at);
}

/**
 * Scores the finance rules over already tokenised text: moves paired with the quantities they
 * move, polar terms, then negation and intensity. Deterministic and linear in the token count.
 */
export function scoreRules(tokens: SentimentTokens, lexicon: Lexicon = SENTIMENT_LEXICON): RuleScore {
  const terms = matchTerms(tokens, lexicon);
  if (terms.length === 0) return { positive: 0, negative: 0 };

  for (let k = 0; k < terms.length; k += 1) {
    const t = terms[k] as Term;
    // A noun that is also a move ("gains") moves nothing once a verb has taken it ("extends gains").
    if (t.entry.move === undefined || t.consumed) continue;
    const q = findQuantity(terms, k);
    if (q === undefined) {
      t.value = t.entry.alone;
    } else {
      q.consumed = true;
      t.value = t.entry.move * (q.entry.quantity as number) * (t.entry.strength ?? 1);
    }
  }
  for (const t of terms) {
    if (t.entry.move === undefined && !t.consumed) t.value = t.entry.alone;
  }

  for (let k = 0; k < terms.length; k += 1) {
    const marker = terms[k] as Term;
    if (marker.entry.negator === true) {
      for (let j = k + 1; j < terms.length; j += 1) {
        const t = terms[j] as Term;
        if (t.clause !== marker.clause || t.start - marker.end > NEGATION_GAP) break;
        if (t.entry.negator !== true) t.value = -t.value;
      }
    } else if (marker.entry.concession !== undefined) {
      for (let j = k + 1; j < terms.length && (terms[j] as Term).clause === marker.clause; j += 1) {
        (terms[j] as Term).value *= marker.entry.concession;
      }
    } else if (marker.entry.source === true) {
      const t = terms[k + 1];
      if (t !== undefined && t.entry.level === true && t.clause === marker.clause && t.start - marker.end <= SOURCE_GAP)
        t.value = 0;
    }
  }

  for (let k = 0; k < terms.length; k += 1) {
    const amp = terms[k] as Term;
    const factor = amp.entry.intensity;
    if (factor === undefined) continue;
    const next = terms[k + 1];
    const nextInReach = next !== undefined && next.clause === amp.clause && next.start - amp.end <= INTENSITY_GAP;
    if (amp.value !== 0) {
      // "record" adds its own polarity unless it qualifies bad news ("record wipeout").
      if (nextInReach && next.value * amp.value < 0) {
        next.value *= factor;
        amp.value = 0;
      }
      continue;
    }
    const prev = terms[k - 1];
    if (nextInReach && next.value !== 0) {
      next.value *= factor;
    } else if (
      prev !== undefined &&
      prev.value !== 0 &&
      prev.clause === amp.clause &&
      amp.start - prev.end <= INTENSITY_GAP
    ) {
      prev.value *= factor;
    }
  }

  let positive = 0;
  let negative = 0;
  let whole = 1;
  for (const t of terms) {
    if (t.value > 0) positive += t.value;
    else negative -= t.value;
    if (t.entry.whole !== undefined) whole = t.entry.whole;
  }
  return { positive: positive * whole, negative: negative * whole };
}
