/**
 * Story identity across outlets: the same event rewritten by another outlet ("Pfizer to acquire
 * Seagen for $43 billion" / "Pfizer agrees to buy Seagen in $43B deal - Reuters") reduces to the
 * same or nearly the same set of content tokens, while two events about one company ("Apple beats
 * Q3 estimates" / "Apple misses Q3 estimates") do not.
 */
import { decodeEntities } from './normalize-html';

/** Words that carry no identity of a story. */
const STOP_WORDS = new Set(
  (
    'a an the and or but nor of to in on at by for from with without into onto over under about as than then ' +
    'is are was were be been being am has have had do does did will would shall should can could may might must ' +
    "it its it's this that these those there here their them they he she his her we our you your i me my " +
    'not no yes so if while after before amid amidst during since until via per vs versus also just now new ' +
    'says said say report reports reported reportedly according announce announces announced announcing ' +
    'update updated breaking exclusive live watch video photos opinion analysis factbox explainer ' +
    'what why how when who which where here heres whats ' +
    'stock stocks share shares company companies inc corp co ltd plc llc group holdings ' +
    'agree agrees agreed deal deals move moves today week year'
  ).split(' '),
);

/** Words folded into one concept so rewordings meet. */
const SYNONYMS: Record<string, string> = {
  acquire: 'acquire',
  merge: 'merge',
  beat: 'beat',
  miss: 'miss',
  raise: 'raise',
  cut: 'cut',
  outlook: 'outlook',
  estimate: 'estimate',
  approve: 'approve',
  upgrade: 'upgrade',
  downgrade: 'downgrade',
  quarter: 'quarter',
  sales: 'sales',
  profit: 'profit',
  chief: 'chief',
  reject: 'reject',
  rejects: 'reject',
  rejected: 'reject',
  rejection: 'reject',
  declines: 'reject',
  rise: 'rise',
  rises: 'rise',
  rose: 'rise',
  fall: 'fall',
  falls: 'fall',
  fell: 'fall',
  gain: 'gain',
  gains: 'gain',
  loss: 'loss',
  losses: 'loss',
  buy: 'acquire',
  buys: 'acquire',
  bought: 'acquire',
  buying: 'acquire',
  purchase: 'acquire',
  purchases: 'acquire',
  acquires: 'acquire',
  acquired: 'acquire',
  acquiring: 'acquire',
  acquisition: 'acquire',
  takeover: 'acquire',
  buyout: 'acquire',
  merger: 'merge',
  merges: 'merge',
  merged: 'merge',
  tops: 'beat',
  top: 'beat',
  topped: 'beat',
  beats: 'beat',
  surpasses: 'beat',
  surpassed: 'beat',
  exceeds: 'beat',
  exceeded: 'beat',
  misses: 'miss',
  missed: 'miss',
  lifts: 'raise',
  lifted: 'raise',
  boosts: 'raise',
  boosted: 'raise',
  hikes: 'raise',
  hiked: 'raise',
  raises: 'raise',
  raised: 'raise',
  ups: 'raise',
  lowers: 'cut',
  lowered: 'cut',
  cuts: 'cut',
  slashes: 'cut',
  slashed: 'cut',
  trims: 'cut',
  trimmed: 'cut',
  reduces: 'cut',
  reduced: 'cut',
  guidance: 'outlook',
  forecast: 'outlook',
  forecasts: 'outlook',
  view: 'outlook',
  estimates: 'estimate',
  expectations: 'estimate',
  expected: 'estimate',
  consensus: 'estimate',
  views: 'estimate',
  approves: 'approve',
  approved: 'approve',
  approval: 'approve',
  clears: 'approve',
  nod: 'approve',
  upgrades: 'upgrade',
  upgraded: 'upgrade',
  downgrades: 'downgrade',
  downgraded: 'downgrade',
  first: 'q1',
  second: 'q2',
  third: 'q3',
  fourth: 'q4',
  quarterly: 'quarter',
  qtr: 'quarter',
  revenue: 'sales',
  revenues: 'sales',
  earnings: 'profit',
  eps: 'profit',
  billion: 'b',
  bn: 'b',
  bln: 'b',
  million: 'm',
  mln: 'm',
  mn: 'm',
  percent: '%',
  pct: '%',
  ceo: 'chief',
  executive: 'chief',
};

/** Pairs of concepts that make two otherwise similar titles different events. */
const OPPOSITES: ReadonlyArray<readonly [string, string]> = [
  ['beat', 'miss'],
  ['raise', 'cut'],
  ['upgrade', 'downgrade'],
  ['approve', 'reject'],
  ['rise', 'fall'],
  ['gain', 'loss'],
];

/** Trailing " - Reuters", " | Benzinga", " — Apple (NASDAQ:AAPL)": an outlet or ticker tag, not the story. */
const OUTLET_SUFFIX = /\s+[-|\u2013\u2014]\s+(?:[^-|\u2013\u2014]{1,40}|.*\(\s*[A-Za-z]+\s*:\s*[A-Za-z.]+\s*\).*)$/;
/** Leading "UPDATE 2-", "BREAKING:", "EXCLUSIVE-" wire markers. */
const WIRE_PREFIX =
  /^(?:(?:update\s*\d*|breaking(?:\s+news)?|exclusive|corrected|refile|urgent|flash|alert|watch|live)\s*[-:\u2013\u2014]\s*)+/i;
const TOKEN = /[a-z0-9$%]+(?:[.,][0-9]+)*(?:['&][a-z]+)?/g;
const NUMBER_WITH_UNIT = /^\$?(\d+(?:\.\d+)?)(b|bn|m|mn|k|%)?$/;

function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("'s")) word = word.slice(0, -2);
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  if (word.endsWith('e') && word.length > 4) return word.slice(0, -1);
  return word;
}

/** The title without outlet suffixes and wire prefixes, lowercased, entities decoded. */
function cleanTitle(title: string): string {
  let text = decodeEntities(title)
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  // Repeated because syndicated titles stack them: "… - Apple (NASDAQ:AAPL) - Benzinga".
  for (let i = 0; i < 3; i++) {
    const next = text.replace(OUTLET_SUFFIX, '');
    if (next === text || next.length < 12) break;
    text = next;
  }
  return text.replace(WIRE_PREFIX, '').toLowerCase();
}

/**
 * The content tokens of a title: lowercased, stop words dropped, synonyms folded, light suffix
 * stemming, numbers kept with their units ("$43 billion" and "$43B" both become `43b`,
 * "120,000" becomes `120000`). Sorted and unique.
 */
export function storyTokens(title: string): string[] {
  if (typeof title !== 'string') return [];
  const raw = cleanTitle(title).match(TOKEN) ?? [];
  const out = new Set<string>();
  for (let i = 0; i < raw.length; i++) {
    let word = (raw[i] as string).replace(/^\$/, '');
    if (word === '') continue;
    const num = NUMBER_WITH_UNIT.exec(word.replace(/,(?=\d{3}\b)/g, ''));
    if (num) {
      let unit = num[2] ?? '';
      const next = raw[i + 1];
      if (unit === '' && next !== undefined) {
        const folded = SYNONYMS[next];
        if (folded === 'b' || folded === 'm' || folded === '%' || next === 'b' || next === 'm') {
          unit = folded ?? next;
          i++;
        }
      }
      if (unit === 'bn') unit = 'b';
      if (unit === 'mn') unit = 'm';
      out.add(`${Number(num[1])}${unit}`);
      continue;
    }
    word = word.replace(/,/g, '');
    if (STOP_WORDS.has(word)) continue;
    const folded = SYNONYMS[word] ?? stem(word);
    if (folded.length < 2 && !/\d/.test(folded)) continue;
    if (STOP_WORDS.has(folded)) continue;
    out.add(folded);
  }
  return [...out].sort();
}

/**
 * A key that collides for the same story from different outlets: the sorted content tokens of
 * the title joined by spaces (readable, and stable under reordering, outlet suffixes, wire
 * prefixes, stop words and the usual synonyms). Use `sameStory` for near matches.
 */
export function storyFingerprint(title: string): string {
  return storyTokens(title).join(' ');
}

/** Jaccard similarity of the token sets of two titles, 0..1. */
export function storySimilarity(a: string, b: string): number {
  return jaccard(storyTokens(a), storyTokens(b));
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 0;
  const setB = new Set(b);
  let shared = 0;
  for (const t of a) if (setB.has(t)) shared++;
  return shared / (a.length + b.length - shared);
}

function isNumberToken(t: string): boolean {
  return t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57;
}

/** Default threshold for `sameStory`: 0.6 keeps rewordings together and separates distinct events. */
export const SAME_STORY_THRESHOLD = 0.6;

/**
 * Whether two titles tell the same story: Jaccard similarity of their content tokens at or above
 * the threshold, unless they disagree on direction (beat vs miss, upgrade vs downgrade …) or both
 * carry figures and share none (a $2B deal and a $5B deal are different deals).
 */
export function sameStory(a: string, b: string, threshold = SAME_STORY_THRESHOLD): boolean {
  const ta = storyTokens(a);
  const tb = storyTokens(b);
  if (ta.length === 0 || tb.length === 0) return false;
  const setA = new Set(ta);
  const setB = new Set(tb);
  for (const [x, y] of OPPOSITES) {
    const aOnlyX = setA.has(x) && !setA.has(y);
    const aOnlyY = setA.has(y) && !setA.has(x);
    const bOnlyX = setB.has(x) && !setB.has(y);
    const bOnlyY = setB.has(y) && !setB.has(x);
    if ((aOnlyX && bOnlyY) || (aOnlyY && bOnlyX)) return false;
  }
  const numsA = ta.filter(isNumberToken);
  const numsB = tb.filter(isNumberToken);
  if (numsA.length > 0 && numsB.length > 0 && !numsA.some((n) => setB.has(n))) return false;
  return jaccard(ta, tb) >= threshold;
}
