/**
 * Catalyst classification: which kind of event a headline reports, which way it usually moves the
 * stock, and how strongly, from the phrases in `catalyst-rules.ts`.
 *
 * How a decision is made: every rule whose pattern matches yields a hit (headline hits count in
 * full, summary hits 0.75). A negation just before a polar phrase turns it around ("fails to beat"
 * is a miss) or drops it. Within a type, "override" hits (a probe closed, a reverse split) outrank
 * the rest; across types the strongest hit wins, the earlier one on a tie. The winner's strength
 * is then adjusted by the wording: unconfirmed (reportedly, said to, in talks) ×0.7, a question
 * ×0.7, an earnings preview ×0.5, a denial turns the direction around at ×0.5, law-firm notices
 * cap lawsuits and investigations at 0.15, opposite findings of the same kind (EPS beat, revenue
 * miss) ×0.7, intensifiers (record, massive, abruptly) +0.1, dampeners (slightly, in line) −0.1.
 * A neutral finding takes its direction from the sentiment when one is given and clear.
 */
import { CATALYST_RULES, type CatalystRule, type DealRole } from './catalyst-rules';
import { createPrefilter } from './catalyst-prefilter';
import type { CatalystClassification, CatalystType, Direction, Sentiment } from './types';

export type { DealRole } from './catalyst-rules';

export interface CatalystDetails {
  /** merger_acquisition: the role of the company named before the deal phrase. */
  dealRole?: DealRole;
  /** merger_acquisition, from `analyzeNews`: symbols on each side of the deal. */
  acquirers?: string[];
  targets?: string[];
  /** The wording is a rumour or a report of a report (said to, reportedly, in talks). */
  unconfirmed?: boolean;
  /** The item denies the event; the direction is that of the denial. */
  denied?: boolean;
  /** Opposite findings of the same kind (EPS beat and revenue miss). */
  mixed?: boolean;
}

/** A classification with what else could be told about it. */
export interface CatalystFinding extends CatalystClassification {
  details: CatalystDetails;
}

/** The text of a news item, as `classifyNewsCatalyst` reads it. */
export interface CatalystText {
  headline: string;
  summary?: string;
}

/** Where the deciding phrase sits, so callers can tell which mentioned company plays which role. */
export interface CatalystEvidence {
  finding: CatalystFinding;
  field: 'headline' | 'summary';
  /** Character offset of the deciding phrase in that field. */
  index: number;
  /** Character offset just past it. */
  end: number;
  /** merger_acquisition: every phrase that tells the sides, the deciding one first. */
  dealPhrases: DealPhrase[];
}

export interface DealPhrase {
  field: 'headline' | 'summary';
  index: number;
  end: number;
  /** The role of the company named before the phrase. */
  role: DealRole;
}

const SUMMARY_WEIGHT = 0.75;

interface Hit {
  rule: CatalystRule;
  type: CatalystType;
  direction: Direction;
  strength: number;
  term: string;
  field: 'headline' | 'summary';
  index: number;
  end: number;
  weight: number;
  order: number;
}

const OPPOSITE_TYPE: Partial<Record<CatalystType, CatalystType>> = {
  earnings_beat: 'earnings_miss',
  earnings_miss: 'earnings_beat',
  guidance_raise: 'guidance_cut',
  guidance_cut: 'guidance_raise',
  fda_approval: 'fda_rejection',
  fda_rejection: 'fda_approval',
  analyst_upgrade: 'analyst_downgrade',
  analyst_downgrade: 'analyst_upgrade',
};

const NEGATION =
  /(?:\bnot|\bno|\bnever|n't|\bfails? to|\bfailed to|\bwithout|\bunlikely to|\bcannot|\bcan not)\s+(?:[a-z]+\s+){0,2}$/;
const HEDGE =
  /\b(?:reportedly|said to|sources? (?:say|said|says)|people familiar|according to (?:people|sources|a report|reports)|rumou?rs?|rumou?red|chatter|speculat\w*|could|might|mulls?|mulling|in talks|expected to|poised to|likely to|whispers?|unconfirmed|buzz\w*|imminent|considering|weigh(?:s|ing)\b(?!\s+on)|explores|exploring)\b/;
const PREVIEW =
  /\b(?:preview|what to expect|ahead of (?:earnings|results|q[1-4]|the report)|earnings (?:scheduled|outlook|preview|calendar|insights|watch)|to report|set to report|gears up|what's in (?:store|the cards)|in store|expected to (?:beat|top|miss))\b/;
const DENIAL =
  /\b(?:denies|denied|deny|refutes|refuted|dismisses (?:reports?|rumou?rs?)|unfounded|not accurate|inaccurate|no truth|false reports?|baseless)\b/;
const LAW_FIRM =
  /\b(?:(?:shareholder|investor|stockholder)s?\s+(?:alert|notice|reminder)|law (?:firm|offices)|(?:reminds|encourages|alerts|invites)\s+(?:\S+\s+){0,2}(?:investors|shareholders|stockholders)|lead plaintiff|rosen|pomerantz|bronstein|levi (?:&|and) korsinsky|kessler topaz|glancy|faruqi|robbins geller|hagens berman|bernstein liebhard|schall|gross law|portnoy|kirby mcinerney|bragar eagel|block & leviton|johnson fistel|rigrodsky|halper sadeh|ademi|brodsky & smith|monteverde|wohl & fruchter)\b/;
const INTENSIFIER =
  /\b(?:record|blowout|massive|huge|sharply|significantly|substantially|crush(?:es|ed)?|smash(?:es|ed)?|soars?|soared|plunges?|plunged|skyrockets?|tanks?|tanked|collapses?|abruptly|effective immediately|unexpectedly|biggest|largest|dramatically|slash(?:es|ed)?)\b/;
const DAMPENER = /\b(?:slightly|modestly|narrowly|marginally|barely|in line|in-line|mixed|modest)\b/;
const DENIAL_FLIPS = new Set<CatalystType>(['lawsuit', 'investigation']);

/** Fragments without which each wording pattern cannot match: one automaton pass skips the rest. */
const WORDING_NEEDS = {
  hedge: [
    'reportedly',
    'said to',
    'source',
    'people familiar',
    'according to',
    'rumo',
    'chatter',
    'speculat',
    'could',
    'might',
    'mull',
    'in talks',
    'expected to',
    'poised to',
    'likely to',
    'whisper',
    'unconfirmed',
    'buzz',
    'imminent',
    'considering',
    'weigh',
    'explor',
  ],
  preview: [
    'preview',
    'what to expect',
    'ahead of',
    'earnings ',
    'to report',
    'gears up',
    "what's in",
    'in store',
    'expected to',
  ],
  denial: ['den', 'refute', 'dismisses', 'unfounded', 'accurate', 'no truth', 'false report', 'baseless'],
  intensifier: [
    'record',
    'blowout',
    'massive',
    'huge',
    'sharply',
    'significantly',
    'substantially',
    'crush',
    'smash',
    'soar',
    'plunge',
    'skyrocket',
    'tank',
    'collapse',
    'abruptly',
    'effective immediately',
    'unexpectedly',
    'biggest',
    'largest',
    'dramatically',
    'slash',
  ],
  dampener: ['slightly', 'modestly', 'narrowly', 'marginally', 'barely', 'in line', 'in-line', 'mixed', 'modest'],
} as const;
const WORDING = createPrefilter([
  WORDING_NEEDS.hedge,
  WORDING_NEEDS.preview,
  WORDING_NEEDS.denial,
  WORDING_NEEDS.intensifier,
  WORDING_NEEDS.dampener,
]);
const [HEDGE_GROUP, PREVIEW_GROUP, DENIAL_GROUP, INTENSIFIER_GROUP, DAMPENER_GROUP] = [0, 1, 2, 3, 4] as const;
const EARNINGS = new Set<CatalystType>(['earnings_beat', 'earnings_miss']);

/** Lowercase with typographic quotes and dashes made plain; same length as the input. */
function normalize(text: string): string {
  const lower = text.toLowerCase();
  return lower.replace(/[\u2018\u2019\u201c\u201d\u2013\u2014\u00a0]/g, (c) =>
    c === '\u2018' || c === '\u2019' ? "'" : c === '\u201c' || c === '\u201d' ? '"' : c === '\u00a0' ? ' ' : '-',
  );
}

function opposite(direction: Direction): Direction {
  return direction === 'bullish' ? 'bearish' : direction === 'bearish' ? 'bullish' : 'neutral';
}

const PREFILTER = createPrefilter(CATALYST_RULES.map((r) => r.needs));

function collect(text: string, field: 'headline' | 'summary', weight: number, hits: Hit[]): void {
  const stamp = PREFILTER.scan(text);
  for (let r = 0; r < CATALYST_RULES.length; r++) {
    if (!PREFILTER.has(r, stamp)) continue;
    const rule = CATALYST_RULES[r] as CatalystRule;
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(text); m !== null; m = rule.pattern.exec(text)) {
      if (m[0] === '') {
        rule.pattern.lastIndex++;
        continue;
      }
      let type = rule.type;
      let direction = rule.direction;
      let strength = rule.strength;
      if (rule.refine) {
        const refined = rule.refine(m[0]);
        if (refined === null) continue;
        direction = refined.direction;
        strength = refined.strength;
        if (rule.type === 'earnings_beat' && direction === 'bearish') type = 'earnings_miss';
      }
      if (rule.negated !== undefined && NEGATION.test(text.slice(Math.max(0, m.index - 30), m.index))) {
        if (rule.negated === null) continue;
        direction = opposite(direction);
        type = rule.negated;
      }
      hits.push({
        rule,
        type,
        direction,
        strength,
        term: m[0].trim(),
        field,
        index: m.index,
        end: m.index + m[0].length,
        weight,
        order: hits.length,
      });
    }
  }
}

/**
 * Drops hits lying inside a longer hit of another type: the same words read as a smaller phrase
 * ("sees revenue below expectations" is guidance, not an earnings miss on "below expectations").
 */
function withoutContained(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  return hits.filter(
    (h) =>
      !hits.some(
        (o) =>
          o !== h &&
          o.type !== h.type &&
          o.field === h.field &&
          o.index <= h.index &&
          o.end >= h.end &&
          o.end - o.index > h.end - h.index,
      ),
  );
}

function better(a: Hit, b: Hit): boolean {
  const sa = a.strength * a.weight;
  const sb = b.strength * b.weight;
  if (sa !== sb) return sa > sb;
  if (a.field !== b.field) return a.field === 'headline';
  return a.index < b.index;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function decide(
  hits: readonly Hit[],
  texts: { headline: string; summary: string },
  sentiment: Sentiment | undefined,
): CatalystEvidence | null {
  if (hits.length === 0) return null;
  const best = new Map<CatalystType, Hit>();
  const hasOverride = new Set<CatalystType>();
  for (const h of hits) if (h.rule.override === true) hasOverride.add(h.type);
  for (const h of hits) {
    if (hasOverride.has(h.type) && h.rule.override !== true) continue;
    const seen = best.get(h.type);
    if (seen === undefined || better(h, seen)) best.set(h.type, h);
  }
  let winner: Hit | undefined;
  for (const h of best.values()) if (winner === undefined || better(h, winner)) winner = h;
  if (winner === undefined) return null;

  const type = winner.type;
  let direction = winner.direction;
  let strength = winner.strength * winner.weight;
  const details: CatalystDetails = {};
  const terms: string[] = [];
  for (const h of hits) {
    if (h.type === type && h.direction === direction && !terms.includes(h.term) && terms.length < 5) terms.push(h.term);
  }
  if (!terms.includes(winner.term)) terms.unshift(winner.term);

  const text = winner.field === 'headline' ? texts.headline : texts.summary;
  const otherType = OPPOSITE_TYPE[type];
  // An opposite hit inside the winning phrase is the same words read twice ("FDA declines to approve").
  const overlaps = (h: Hit) => h.field === winner.field && h.index < winner.end && winner.index < h.end;
  if (otherType !== undefined && hits.some((h) => h.type === otherType && h.field === winner.field && !overlaps(h))) {
    details.mixed = true;
    strength *= 0.7;
  }
  const stamp = WORDING.scan(text);
  const hedge = WORDING.has(HEDGE_GROUP, stamp) ? HEDGE.exec(text) : null;
  if (hedge) {
    details.unconfirmed = true;
    strength *= 0.7;
    terms.push(hedge[0]);
  }
  if (EARNINGS.has(type)) {
    const preview = WORDING.has(PREVIEW_GROUP, stamp) ? PREVIEW.exec(text) : null;
    if (preview) {
      strength *= 0.5;
      terms.push(preview[0]);
    }
  }
  if (winner.field === 'headline' && texts.headline.trimEnd().endsWith('?')) strength *= 0.7;
  const denial = WORDING.has(DENIAL_GROUP, stamp) ? DENIAL.exec(text) : null;
  if (denial) {
    details.denied = true;
    terms.push(denial[0]);
    if (DENIAL_FLIPS.has(type)) strength *= 0.8;
    else {
      direction = opposite(direction);
      strength *= 0.5;
    }
  }
  if ((type === 'lawsuit' || type === 'investigation') && LAW_FIRM.test(text)) strength = Math.min(strength, 0.15);
  else {
    if (WORDING.has(INTENSIFIER_GROUP, stamp) && INTENSIFIER.test(text)) strength += 0.1;
    if (WORDING.has(DAMPENER_GROUP, stamp) && DAMPENER.test(text)) strength -= 0.1;
  }
  if (direction === 'neutral' && sentiment !== undefined && Math.abs(sentiment.score) >= 0.25) {
    direction = sentiment.score > 0 ? 'bullish' : 'bearish';
  }

  let evidence: Hit = winner;
  const dealPhrases: DealPhrase[] = [];
  if (type === 'merger_acquisition') {
    const rank = (h: Hit) =>
      (h.rule.describesTarget === true ? 0 : 4) + (h.field === winner.field ? 2 : 0) + (h === winner ? 1 : 0);
    const withRole = hits
      .filter((h) => h.type === 'merger_acquisition' && h.rule.dealRole !== undefined)
      .sort((a, b) => rank(b) - rank(a) || a.order - b.order);
    const own = winner.rule.dealRole !== undefined ? winner : withRole.find((h) => h.field === winner.field);
    if (own !== undefined) {
      details.dealRole = own.rule.dealRole as DealRole;
      evidence = own;
    }
    for (const h of withRole)
      dealPhrases.push({ field: h.field, index: h.index, end: h.end, role: h.rule.dealRole as DealRole });
  }

  return {
    finding: {
      type,
      direction,
      strength: round(Math.min(1, Math.max(0.05, strength))),
      terms,
      details,
    },
    field: evidence.field,
    index: evidence.index,
    end: evidence.end,
    dealPhrases,
  };
}

/**
 * The catalyst of a news item with where its deciding phrase sits: the headline counts in full,
 * the summary at 0.75. `null` when no catalyst phrase occurs.
 */
export function findCatalyst(input: CatalystText, sentiment?: Sentiment): CatalystEvidence | null {
  if (input === null || typeof input !== 'object') return null;
  const headline = typeof input.headline === 'string' ? normalize(input.headline) : '';
  const summary = typeof input.summary === 'string' ? normalize(input.summary) : '';
  const hits: Hit[] = [];
  if (headline !== '') collect(headline, 'headline', 1, hits);
  if (summary !== '') collect(summary, 'summary', SUMMARY_WEIGHT, hits);
  return decide(withoutContained(hits), { headline, summary }, sentiment);
}

/**
 * The catalyst a text reports (type, direction, strength 0..1, the deciding terms, details such as
 * a deal role), or `null` when it reports none ("Apple unveils new iPhone colors"). A sentiment,
 * when given, settles the direction of findings that are neutral by type (a trading halt, a new
 * CEO, trial data without an outcome).
 */
export function classifyCatalyst(text: string, sentiment?: Sentiment): CatalystFinding | null {
  return findCatalyst({ headline: text }, sentiment)?.finding ?? null;
}

/** `classifyCatalyst` over a headline and its summary (the summary counts 0.75). */
export function classifyNewsCatalyst(input: CatalystText, sentiment?: Sentiment): CatalystFinding | null {
  return findCatalyst(input, sentiment)?.finding ?? null;
}
