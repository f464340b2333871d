/**
 * The phrases that make a headline a catalyst. Each rule is a precompiled pattern over lowercased
 * text with the catalyst type, the direction and the usual strength of that wording, and `needs`:
 * literal fragments one of which must occur for the pattern to match at all, so a headline only
 * runs the few patterns whose words it contains.
 *
 * Strengths are priors for how much that kind of news usually moves a stock, 0..1: FDA decisions
 * and bankruptcies near the top, guidance and earnings surprises next, analyst actions and
 * partnerships lower, routine dividends and law-firm notices near zero.
 */
import type { CatalystType, Direction } from './types';

export type DealRole = 'target' | 'acquirer';

export interface CatalystRule {
  type: CatalystType;
  direction: Direction;
  strength: number;
  pattern: RegExp;
  /** At least one of these must occur in the lowercased text for the pattern to be tried. */
  needs: readonly string[];
  /** Negation ("fails to beat", "did not meet") turns the finding into this type, or drops it (null). */
  negated?: CatalystType | null;
  /** A matching override rule outranks every other rule of its type ("closes probe" over "probe"). */
  override?: boolean;
  /** merger_acquisition: the role of the company named before the phrase. */
  dealRole?: DealRole;
  /**
   * The phrase describes the target ("$45 a share in cash", "buyout deal") without separating the
   * sides: "A to acquire B for $45 per share" names both companies before it.
   */
  describesTarget?: boolean;
  /** Direction from the words of the match (trial outcomes, initiation ratings, EPS figures). */
  refine?: (matched: string) => { direction: Direction; strength: number } | null;
}

/** Up to n words between two parts of a phrase, never across punctuation that ends a clause. */
const gap = (n: number) => `(?:[^\\s,;:!?()]+\\s+){0,${n}}`;

const ESTIMATES = String.raw`(?:estimates?|expectations?|consensus|forecasts?|views?|projections|street|wall street)`;
const GUIDANCE = String.raw`(?:guidance|outlook|forecasts?|view|projections?|(?:revenue|sales|earnings|profit|margin|financial|growth|production|delivery|deliveries)\s+targets?)`;
const FDA = String.raw`(?:fda|u\.s\. food and drug administration|food and drug administration)`;
const RATING = String.raw`(?:strong buy|buy|outperform|overweight|accumulate|positive|market outperform|sector outperform|top pick|conviction buy|neutral|hold|market perform|sector perform|peer perform|equal[- ]weight|in-line|in line|sector weight|market weight|underperform|underweight|sell|strong sell|negative|market underperform|sector underperform)`;
const ROLE = String.raw`(?:ceo|chief executive(?: officer)?|cfo|chief financial officer|coo|chief operating officer|cto|president|chairman|chairwoman|chair|founder)`;
const MONEY = String.raw`\$[\d.,]+\s*(?:m|mn|mln|million|b|bn|bln|billion|k)?`;
const TRIAL_WORDS = String.raw`(?:topline|top-line|interim|phase\s*(?:[1-4]|i{1,3}|iv)[ab]?(?:\/(?:[1-4]|i{1,3}))?|pivotal|late-stage|mid-stage|clinical|trial|study)`;
const INDEX_NAMES = String.raw`(?:s&p\s*500|s&p\s*400|s&p\s*600|s&p midcap|s&p smallcap|nasdaq-?100|dow jones|dow|russell\s*(?:1000|2000|3000)?)`;

const BULLISH_RATING = /\b(?:strong buy|buy|outperform|overweight|accumulate|positive|top pick|conviction buy)\b/;
const BEARISH_RATING = /\b(?:underperform|underweight|sell|strong sell|negative)\b/;

function re(source: string): RegExp {
  return new RegExp(source, 'g');
}

/** Initiations take their direction from the rating they start at. */
function initiationDirection(matched: string): { direction: Direction; strength: number } {
  if (BEARISH_RATING.test(matched)) return { direction: 'bearish', strength: 0.4 };
  if (BULLISH_RATING.test(matched)) return { direction: 'bullish', strength: 0.4 };
  return { direction: 'neutral', strength: 0.25 };
}

const EPS_FIGURES = /\$?\(?(-?\d+(?:\.\d+)?)\)?[^\d$(]+\$?\(?(-?\d+(?:\.\d+)?)\)?/;

/** "EPS $1.20 vs $1.15 est": a beat or a miss by the figures; in line is no catalyst. */
function epsComparison(matched: string): { direction: Direction; strength: number } | null {
  const m = EPS_FIGURES.exec(matched.slice(matched.indexOf('eps') + 3));
  if (!m) return null;
  const negative = (s: string, raw: string) =>
    raw.includes(`(${s.replace('-', '')}`) ? -Math.abs(Number(s)) : Number(s);
  const actual = negative(m[1] as string, m[0]);
  const estimate = Number(m[2]);
  if (!Number.isFinite(actual) || !Number.isFinite(estimate) || actual === estimate) return null;
  return actual > estimate ? { direction: 'bullish', strength: 0.7 } : { direction: 'bearish', strength: 0.7 };
}

export const CATALYST_RULES: readonly CatalystRule[] = [
  // Earnings against expectations.
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.7,
    negated: 'earnings_miss',
    needs: ['beat', 'top', 'surpass', 'exceed', 'outpac', 'crush', 'smash', 'trounce', 'blow', 'blew'],
    pattern: re(
      String.raw`\b(?:beats?|beating|tops?|topped|topping|surpass(?:es|ed)?|exceed(?:s|ed)?|outpaces?|outpaced|crush(?:es|ed)?|smash(?:es|ed)?|trounces?|blows? past|blew past)\s+${gap(4)}${ESTIMATES}\b`,
    ),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.7,
    negated: 'earnings_miss',
    needs: ['beat', 'top', 'surpass', 'exceed'],
    pattern: re(
      String.raw`\b(?:earnings|eps|profits?|results|revenues?|sales|quarter|q[1-4])\s+${gap(2)}(?:beat|beats|top|tops|topped|surpass(?:es|ed)?|exceed(?:s|ed)?)\b`,
    ),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.65,
    negated: 'earnings_miss',
    needs: ['better'],
    pattern: re(String.raw`\bbetter[- ]than[- ](?:expected|estimated|forecast)\b`),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.6,
    negated: 'earnings_miss',
    needs: ['above', 'ahead', 'higher than'],
    pattern: re(
      String.raw`\b(?:earnings|eps|profits?|results|revenues?|sales)\s+${gap(3)}(?:above|ahead of|higher than)\s+(?:the\s+)?(?:analysts'?\s+)?(?:estimates?|expectations|consensus|forecasts?)\b`,
    ),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.45,
    needs: ['record', 'blowout', 'stellar', 'strong', 'robust', 'upbeat'],
    pattern: re(
      String.raw`\b(?:record|blowout|stellar|strong|robust|upbeat)\s+${gap(2)}(?:quarter|quarterly results|results|earnings|profits?|revenues?|sales)\b`,
    ),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.7,
    needs: ['eps'],
    refine: epsComparison,
    pattern: re(
      String.raw`\beps\s+(?:of\s+)?\$?\(?-?\d+(?:\.\d+)?\)?\s+(?:vs\.?|versus|compared (?:with|to)|against)\s+(?:(?:the\s+)?(?:consensus|estimates?|est\.?|expectations?|street)\s+(?:of\s+)?)?\$?\(?-?\d+(?:\.\d+)?\)?`,
    ),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.7,
    negated: 'earnings_beat',
    needs: ['miss', 'trail', 'lag', 'short of', 'below', 'undershoot', 'disappoint'],
    pattern: re(
      String.raw`\b(?:miss(?:es|ed)?|missing|trails?|trailed|lags?|lagged|falls? short of|fell short of|short of|below|undershoots?|disappoints?)\s+${gap(4)}${ESTIMATES}\b`,
    ),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.7,
    negated: 'earnings_beat',
    needs: ['miss', 'disappoint', 'short', 'trail', 'lag'],
    pattern: re(
      String.raw`\b(?:earnings|eps|profits?|results|revenues?|sales|quarter|q[1-4])\s+${gap(2)}(?:miss|misses|missed|disappoint(?:s|ed)?|falls? short|fell short|trails?|lags?)\b`,
    ),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.7,
    negated: 'earnings_beat',
    needs: ['miss'],
    pattern: re(String.raw`\bmiss(?:es|ed)?\s+on\s+${gap(2)}(?:earnings|revenues?|sales|profits?|eps|top|bottom)\b`),
  },
  {
    type: 'earnings_beat',
    direction: 'bullish',
    strength: 0.7,
    negated: 'earnings_miss',
    needs: ['beat', 'top'],
    pattern: re(
      String.raw`\b(?:beats?|beat|tops?|topped)\s+on\s+${gap(2)}(?:earnings|revenues?|sales|profits?|eps|top|bottom)\b`,
    ),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.65,
    negated: 'earnings_beat',
    needs: ['worse'],
    pattern: re(String.raw`\bworse[- ]than[- ](?:expected|estimated|forecast)\b`),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.45,
    needs: ['disappointing', 'weak', 'soft', 'dismal', 'lackluster'],
    pattern: re(
      String.raw`\b(?:disappointing|weak|soft|dismal|lackluster)\s+${gap(2)}(?:quarter|quarterly results|results|earnings|profits?|revenues?|sales)\b`,
    ),
  },
  {
    type: 'earnings_miss',
    direction: 'bearish',
    strength: 0.5,
    needs: ['loss'],
    pattern: re(
      String.raw`\b(?:swings?|swung|slumps?|slumped|plunges?|plunged|sinks?|sank)\s+to\s+(?:a\s+)?${gap(2)}loss\b|\b(?:wider|widening|widens|widened)\s+${gap(2)}loss(?:es)?\b|\bloss(?:es)?\s+widen(?:s|ed)?\b`,
    ),
  },

  // Guidance.
  {
    type: 'guidance_raise',
    direction: 'bullish',
    strength: 0.75,
    negated: null,
    needs: ['rais', 'lift', 'boost', 'upped', 'hike', 'increas', 'improv', 'bump', 'ratchet'],
    pattern: re(
      String.raw`\b(?:raises?|raised|raising|lifts?|lifted|lifting|boosts?|boosted|boosting|upped|hikes?|hiked|increases?|increased|improves?|improved|bumps? up|ratchets? up)\s+${gap(5)}${GUIDANCE}\b`,
    ),
  },
  {
    type: 'guidance_raise',
    direction: 'bullish',
    strength: 0.75,
    negated: null,
    needs: ['guidance', 'outlook', 'forecast', 'view'],
    pattern: re(
      String.raw`\b(?:guidance|outlook|forecast|view)\s+${gap(2)}(?:raised|lifted|boosted|increased|hiked|upgraded)\b`,
    ),
  },
  {
    type: 'guidance_raise',
    direction: 'bullish',
    strength: 0.6,
    needs: ['guidance', 'outlook', 'forecast', 'view'],
    pattern: re(
      String.raw`\b(?:upbeat|strong|bullish|rosy|optimistic|better-than-expected|above-consensus|solid|raised|higher)\s+${gap(2)}(?:guidance|outlook|forecast|view)\b`,
    ),
  },
  {
    type: 'guidance_raise',
    direction: 'bullish',
    strength: 0.65,
    needs: ['sees', 'expects', 'forecasts', 'projects', 'guides', 'predicts'],
    pattern: re(
      String.raw`\b(?:sees|expects|forecasts|projects|guides|predicts)\s+${gap(6)}(?:above|ahead of|higher than|better than|exceeding|tops?)\s+${gap(2)}(?:estimates?|expectations|consensus|views?)\b`,
    ),
  },
  {
    type: 'guidance_raise',
    direction: 'bullish',
    strength: 0.6,
    needs: ['guide'],
    pattern: re(
      String.raw`\bguides?\s+${gap(3)}(?:above|higher)\b(?:\s+${gap(2)}(?:estimates?|expectations|consensus|views?)\b)?`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.8,
    negated: null,
    needs: ['cut', 'lower', 'slash', 'reduc', 'trim', 'withdr', 'pull', 'suspend', 'scrap', 'ratchet'],
    pattern: re(
      String.raw`\b(?:cuts?|cutting|lowers?|lowered|lowering|slash(?:es|ed|ing)?|reduces?|reduced|reducing|trims?|trimmed|trimming|withdraws?|withdrew|withdrawn|pulls?|pulled|suspends?|suspended|scraps?|scrapped|ratchets? down)\s+${gap(5)}${GUIDANCE}\b`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.8,
    negated: null,
    needs: ['guidance', 'outlook', 'forecast', 'view'],
    pattern: re(
      String.raw`\b(?:guidance|outlook|forecast|view)\s+${gap(2)}(?:cut|lowered|reduced|slashed|trimmed|withdrawn|suspended)\b`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.6,
    needs: ['guidance', 'outlook', 'forecast', 'view'],
    pattern: re(
      String.raw`\b(?:weak|soft|downbeat|gloomy|bleak|disappointing|cautious|lower|dismal|tepid|below-consensus|weaker-than-expected)\s+${gap(2)}(?:guidance|outlook|forecast|view)\b`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.65,
    needs: ['sees', 'expects', 'forecasts', 'projects', 'guides', 'predicts'],
    pattern: re(
      String.raw`\b(?:sees|expects|forecasts|projects|guides|predicts)\s+${gap(6)}(?:below|short of|lower than|worse than|under)\s+${gap(2)}(?:estimates?|expectations|consensus|views?)\b`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.7,
    needs: ['warn'],
    pattern: re(
      String.raw`\bprofit warning\b|\bwarns?\s+${gap(3)}(?:on|of)\s+${gap(2)}(?:profits?|earnings|revenues?|sales|results|demand|margins?)\b`,
    ),
  },
  {
    type: 'guidance_cut',
    direction: 'bearish',
    strength: 0.6,
    needs: ['guide'],
    pattern: re(
      String.raw`\bguides?\s+${gap(3)}(?:below|lower)\b(?:\s+${gap(2)}(?:estimates?|expectations|consensus|views?)\b)?`,
    ),
  },

  // Regulators and trials.
  {
    type: 'fda_rejection',
    direction: 'bearish',
    strength: 0.9,
    needs: ['complete response', 'crl'],
    pattern: re(String.raw`\bcomplete response letters?\b|\bcrls?\b`),
  },
  {
    type: 'fda_rejection',
    direction: 'bearish',
    strength: 0.9,
    needs: ['fda', 'food and drug'],
    pattern: re(
      String.raw`\b${FDA}\s+${gap(2)}(?:rejects?|rejected|rejection|declines? to approve|declined to approve|denies|denied|refuses? to (?:approve|file|review)|refused to (?:approve|file|review)|turns? down|spurns?|snubs?)\b`,
    ),
  },
  {
    type: 'fda_rejection',
    direction: 'bearish',
    strength: 0.75,
    needs: ['refusal to file', 'rtf', 'clinical hold', 'not approvable'],
    pattern: re(String.raw`\brefusal to file\b|\brtf letter\b|\bclinical hold\b|\bnot approvable\b`),
  },
  {
    type: 'fda_rejection',
    direction: 'bearish',
    strength: 0.8,
    needs: ['against'],
    pattern: re(String.raw`\b(?:fda|advisory)\s+${gap(2)}(?:panel|committee|adcom)\s+${gap(2)}vote[sd]? against\b`),
  },
  {
    type: 'fda_rejection',
    direction: 'bearish',
    strength: 0.85,
    needs: ['fail'],
    pattern: re(
      String.raw`\bfail(?:s|ed)? to (?:win|get|gain|secure|receive|obtain)\s+${gap(2)}(?:fda\s+)?(?:approval|clearance)\b`,
    ),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.9,
    negated: 'fda_rejection',
    needs: ['fda', 'food and drug'],
    pattern: re(
      String.raw`\b${FDA}\s+${gap(2)}(?:approves?|approved|approval|clears?|cleared|clearance|grants?\s+${gap(2)}approval|nod|green ?lights?|authori[sz](?:es|ed|ation)|oks|okays)\b`,
    ),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.9,
    negated: 'fda_rejection',
    needs: ['approval', 'clearance', 'nod', 'authori'],
    pattern: re(
      String.raw`\b(?:receives?|received|wins?|won|gets?|got|secures?|secured|obtains?|obtained|earns?|granted|announces?)\s+${gap(3)}(?:fda|u\.s\.|regulatory|marketing)\s+${gap(1)}(?:approval|clearance|nod|authori[sz]ation)\b`,
    ),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.9,
    negated: 'fda_rejection',
    needs: ['approved by'],
    pattern: re(String.raw`\bapproved by (?:the\s+)?${FDA}\b`),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.6,
    needs: ['in favo', 'back', 'recommend'],
    pattern: re(
      String.raw`\b(?:fda|advisory)\s+${gap(2)}(?:panel|committee|adcom)\s+${gap(2)}(?:vote[sd]? in favou?r|backs?|backed|recommends?)\b`,
    ),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.7,
    negated: 'fda_rejection',
    needs: ['european commission', ' ema ', 'chmp', 'health canada', 'mhra', 'pmda', 'nmpa'],
    pattern: re(
      String.raw`\b(?:european commission|ema|chmp|health canada|mhra|pmda|nmpa)\s+${gap(2)}(?:approv\w*|positive opinion|recommends? approval|clears?|authori[sz]\w*)`,
    ),
  },
  {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.45,
    needs: [
      'breakthrough',
      'fast track',
      'orphan',
      'priority review',
      'rare pediatric',
      '510(k)',
      'de novo',
      'emergency use',
    ],
    pattern: re(
      String.raw`\b(?:breakthrough therapy|breakthrough device|fast track|orphan drug|priority review|rare pediatric disease)\s+(?:designation|status|voucher)\b|\b510\(k\)|\bde novo (?:clearance|authori[sz]ation)\b|\bemergency use authori[sz]ation\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bullish',
    strength: 0.8,
    negated: 'trial_result',
    needs: ['endpoint', 'end point', 'goal', 'objective'],
    pattern: re(
      String.raw`\b(?:meets?|met|achieves?|achieved|hits?|reach(?:es|ed)?)\s+${gap(3)}(?:primary|secondary|main|key|co-primary)\s+${gap(1)}(?:end ?points?|goals?|objectives?)\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bearish',
    strength: 0.85,
    needs: ['endpoint', 'end point', 'goal'],
    pattern: re(
      String.raw`\b(?:fails?|failed|failing|misses?|missed|did not meet|didn't meet|does not meet|not meet|falls? short on)\s+${gap(3)}(?:end ?points?|goals?)\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bullish',
    strength: 0.7,
    needs: ['topline', 'top-line', 'interim', 'phase', 'pivotal', 'stage', 'clinical', 'trial', 'study'],
    pattern: re(
      String.raw`\b(?:positive|encouraging|promising|strong|robust|statistically significant|successful|favou?rable)\s+${gap(3)}${TRIAL_WORDS}\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bearish',
    strength: 0.8,
    needs: [
      'topline',
      'top-line',
      'interim',
      'phase',
      'pivotal',
      'stage',
      'clinical',
      'trial',
      'study',
      'program',
      'development',
    ],
    pattern: re(
      String.raw`\b(?:negative|disappointing|inconclusive|failed|unsuccessful|halts?|halted|discontinu(?:es|ed|ing|e)|stops?|stopped|terminates?|terminated|pauses?|paused|abandons?|abandoned)\s+${gap(3)}(?:${TRIAL_WORDS}|program|development)\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bearish',
    strength: 0.8,
    needs: ['trial', 'study', 'data', 'results', 'futility'],
    pattern: re(
      String.raw`\b(?:trial|study)\s+${gap(3)}(?:failed|fails|failure|flops?|flopped|misses|missed|halted|stopped|discontinued|terminated)\b|\b(?:trial|study|clinical|topline|top-line|interim)\s+(?:data|results)\s+${gap(3)}disappoint\w*|\bfutility\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'bullish',
    strength: 0.75,
    needs: ['trial', 'study'],
    pattern: re(
      String.raw`\b(?:trial|study)\s+${gap(3)}(?:succeeds|succeeded|success|met|meets|shows? (?:benefit|efficacy)|showed (?:benefit|efficacy))\b`,
    ),
  },
  {
    type: 'trial_result',
    direction: 'neutral',
    strength: 0.5,
    needs: ['topline', 'top-line', 'interim', 'phase'],
    pattern: re(
      String.raw`\b(?:topline|top-line|interim)\s+${gap(2)}(?:data|results|readout)\b|\bphase\s*(?:[1-4]|i{1,3}|iv)[ab]?(?:\/(?:[1-4]|i{1,3}))?\s+${gap(3)}(?:data|results|readout|trial|study)\b`,
    ),
  },

  // Deals.
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.85,
    dealRole: 'target',
    negated: null,
    needs: ['acquired', 'bought', 'purchased', 'taken private', ' by'],
    pattern: re(
      String.raw`\b(?:to be (?:acquired|bought|taken private|purchased)|agrees? to be (?:acquired|bought|purchased|taken private)|agreed to be (?:acquired|bought|purchased|taken private)|(?:acquired|bought|purchased) by|(?:takeover|buyout|acquisition|purchase|sale) by)\b`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.75,
    dealRole: 'target',
    needs: ['offer', 'bid', 'proposal', 'approach'],
    pattern: re(
      String.raw`\b(?:receives?|received|gets?|got|rejects?|rejected|rebuffs?|rebuffed|considers?|considering|weighs?|evaluat(?:es|ing)|reviews?|accepts?|accepted|backs?|spurns?)\s+${gap(4)}(?:takeover|buyout|acquisition|merger|purchase|tender|go-private|take-private|cash)\s+(?:offer|bid|proposal|approach)\b`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.6,
    dealRole: 'target',
    needs: ['sale', 'strategic alternatives', 'strategic options'],
    pattern: re(
      String.raw`\b(?:explor(?:es|ing|e)|weighs?|weighing|consider(?:s|ing)?|review(?:s|ing)?|launch(?:es)?|mulls?|mulling|puts? itself up for|evaluat(?:es|ing))\s+(?:a\s+|potential\s+|possible\s+)*(?:sale|strategic (?:alternatives|options))\b`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.8,
    dealRole: 'target',
    describesTarget: true,
    needs: ['a-share', 'a share', 'per share', 'per-share'],
    pattern: re(
      String.raw`\$\d+(?:\.\d+)?(?:[- ]a[- ]share|[- ]per[- ]share)\s+${gap(2)}(?:in cash|cash|offer|bid|deal|buyout|takeover|all-cash|acquisition)\b`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.7,
    dealRole: 'target',
    describesTarget: true,
    needs: ['takeover', 'buyout', 'go-private', 'take-private'],
    pattern: re(String.raw`\b(?:takeover|buyout|go-private|take-private)\s+(?:deal|target|premium|interest)\b`),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.8,
    dealRole: 'acquirer',
    negated: null,
    needs: [
      'acqui',
      'to buy',
      'purchase',
      'merg',
      'combin',
      'bid',
      'take',
      'near',
      'offer',
      'proposal',
      'approach',
      'all-',
    ],
    pattern: re(
      String.raw`\b(?:to acquire|acquires|agrees? to (?:acquire|buy|purchase)|agreed to (?:acquire|buy|purchase)|(?:plans?|seeks?|offers?|moves?|bids?|deal|talks|set|aims?) to (?:acquire|buy|purchase)|to purchase|announces? (?:the\s+)?acquisition of|in (?:advanced\s+)?talks to (?:buy|acquire)|nears? (?:a\s+)?deal (?:to|for)|(?:makes?|made|launches?|launched|submits?|submitted|sweetens?|sweetened|raises?|raised)\s+${gap(4)}(?:takeover|buyout|acquisition|merger|tender|hostile)\s+(?:offer|bid|proposal|approach)|bids? for|to take\s+${gap(2)}private|to merge with|merges? with|merging with|to combine with|combines? with|all-stock deal|all-cash deal)\b(?!\s+${gap(3)}(?:stake|shares|stock|more|back|calls|puts|options|bonds|bitcoin)\b)`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.8,
    dealRole: 'acquirer',
    needs: ['buy', 'bought', 'acquired', 'purchas'],
    pattern: re(
      String.raw`\b(?:buys?|bought|acquired|purchases|purchased)\s+${gap(4)}(?:for|in)\s+(?:an?\s+)?(?:\$|deal)`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.5,
    dealRole: 'acquirer',
    needs: ['acquisition', 'purchase', 'takeover', 'merger'],
    override: false,
    pattern: re(
      String.raw`\b(?:complet(?:es|ed|ing)|clos(?:es|ed|ing)|finaliz(?:es|ed|ing))\s+(?:the\s+|its\s+)?${gap(3)}(?:acquisition|purchase|takeover|merger)\b`,
    ),
  },
  {
    type: 'merger_acquisition',
    direction: 'bullish',
    strength: 0.5,
    needs: ['merger', 'acquisition', 'takeover', 'buyout', 'm&a'],
    pattern: re(String.raw`\b(?:merger|acquisition|takeover|buyout|m&a)\b`),
  },

  // Analysts.
  {
    type: 'analyst_upgrade',
    direction: 'bullish',
    strength: 0.55,
    needs: ['upgrad'],
    pattern: re(String.raw`\bupgrad(?:es|ed|ing|e)\s+${gap(6)}(?:to|from)\s+${RATING}\b`),
  },
  {
    type: 'analyst_upgrade',
    direction: 'bullish',
    strength: 0.5,
    needs: ['upgrad'],
    pattern: re(
      String.raw`\bupgraded\s+(?:at|by)\b|\b(?:analyst|rating|broker|brokerage|wall street|stock|credit)\s+upgrades?\b|\b(?:after|on|following|gets|receives|earns|wins|sees|with|amid)\s+(?:an?\s+)?${gap(3)}upgrades?\b(?!\s+(?:cycle|program|path|plan|kit|project|work|of|to (?:its|the|their)))|\bupgrades\s+${gap(3)}(?:stock|shares)\b`,
    ),
  },
  {
    type: 'analyst_upgrade',
    direction: 'bullish',
    strength: 0.45,
    needs: ['upgraded'],
    pattern: re(
      String.raw`\bupgraded\b(?!\s+(?:its|the|their|his|her|our|a|an|to version|version|model|software|systems?|network|facility|facilities|plant|equipment|infrastructure|with|for|in)\b)`,
    ),
  },
  {
    type: 'analyst_downgrade',
    direction: 'bearish',
    strength: 0.55,
    needs: ['downgrad'],
    pattern: re(String.raw`\bdowngrad(?:es|ed|ing|e)\s+${gap(6)}(?:to|from)\s+${RATING}\b`),
  },
  {
    type: 'analyst_downgrade',
    direction: 'bearish',
    strength: 0.5,
    needs: ['downgrad'],
    pattern: re(String.raw`\bdowngrad(?:es|ed|ing|e)\b`),
  },
  {
    type: 'analyst_initiation',
    direction: 'neutral',
    strength: 0.3,
    needs: ['coverage', 'initiat'],
    refine: initiationDirection,
    pattern: re(
      String.raw`\b(?:initiat(?:es|ed|ing|e)|starts?|started|launch(?:es|ed)?|begins?|assumes?|assumed|resumes?|resumed|reinstates?|reinstated|picks? up)\s+${gap(4)}coverage\b(?:\s+${gap(4)}(?:at|with)\s+(?:an?\s+)?${RATING}\b)?|\bcoverage\s+${gap(2)}(?:initiated|started|launched|assumed|resumed)\b(?:\s+${gap(2)}(?:at|with)\s+(?:an?\s+)?${RATING}\b)?|\binitiat(?:es|ed|ing)\s+${gap(4)}(?:at|with)\s+(?:an?\s+)?${RATING}\b`,
    ),
  },
  {
    type: 'price_target',
    direction: 'bullish',
    strength: 0.35,
    negated: null,
    needs: ['target', 'objective', 'pt'],
    pattern: re(
      String.raw`\b(?:raises?|raised|raising|lifts?|lifted|lifting|boosts?|boosted|upped|hikes?|hiked|increases?|increased|bumps?\s+up|bumped up)\s+${gap(4)}(?:price target|target price|price objective|pt)\b|\b(?:price target|target price|pt)\s+${gap(2)}(?:raised|lifted|boosted|increased|hiked|upped|bumped)\b`,
    ),
  },
  {
    type: 'price_target',
    direction: 'bearish',
    strength: 0.35,
    negated: null,
    needs: ['target', 'objective', 'pt'],
    pattern: re(
      String.raw`\b(?:cuts?|cutting|lowers?|lowered|lowering|slash(?:es|ed)?|reduces?|reduced|trims?|trimmed)\s+${gap(4)}(?:price target|target price|price objective|pt)\b|\b(?:price target|target price|pt)\s+${gap(2)}(?:cut|lowered|reduced|slashed|trimmed)\b`,
    ),
  },
  {
    type: 'price_target',
    direction: 'neutral',
    strength: 0.15,
    needs: ['price target', 'target price'],
    pattern: re(String.raw`\b(?:price target|target price)\b`),
  },

  // Capital: offerings, buybacks, dividends.
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.6,
    negated: null,
    needs: ['offering'],
    pattern: re(
      String.raw`(?<!initial )\b(?:public|secondary|follow-on|follow on|underwritten|registered direct|at-the-market|atm|common stock|stock|share|equity|proposed|overnight|bought deal|marketed|dilutive)\s+${gap(2)}offerings?\b|\bprices?\s+${gap(4)}offering\b`,
    ),
  },
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.5,
    negated: null,
    needs: ['sale', 'sell', 'sold', 'issu'],
    pattern: re(
      String.raw`\b(?:share|stock|equity)\s+sales?\b|\b(?:sells?|selling|sold|issues?|issuing|to sell|to issue)\s+${gap(3)}${MONEY}\s+${gap(1)}(?:of\s+)?(?:new\s+)?(?:shares|stock|common stock|equity)\b`,
    ),
  },
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.5,
    needs: ['private placement', 'pipe', 'registered direct', 'dilut', 'shelf', 'equity raise', 'raise'],
    pattern: re(
      String.raw`\bprivate placement\b|\bpipe (?:financing|deal|investment)\b|\bregistered direct\b|\bdilut(?:ive|ion)\b|\bequity raise\b|\braises?\s+${MONEY}\s+(?:in|via|through)\s+${gap(2)}(?:offering|placement|share sale|stock sale)\b`,
    ),
  },
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.3,
    needs: ['shelf'],
    pattern: re(String.raw`\bshelf (?:registration|offering)\b`),
  },
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.45,
    needs: ['convertible'],
    pattern: re(String.raw`\bconvertible\s+(?:senior\s+)?(?:notes|debentures|bonds|offering|preferred)\b`),
  },
  {
    type: 'offering',
    direction: 'bearish',
    strength: 0.2,
    needs: ['note', 'debt offering', 'bond'],
    pattern: re(
      String.raw`\bsenior\s+(?:unsecured\s+|secured\s+)?notes?\s+offering\b|\bdebt offering\b|\bbond (?:sale|offering)\b`,
    ),
  },
  {
    type: 'offering',
    direction: 'neutral',
    strength: 0.3,
    needs: ['ipo', 'initial public offering'],
    pattern: re(String.raw`\b(?:ipo|initial public offering)\b`),
  },
  {
    type: 'buyback',
    direction: 'bearish',
    strength: 0.45,
    override: true,
    needs: ['buyback', 'buy-back', 'repurchase'],
    pattern: re(
      String.raw`\b(?:suspends?|suspended|halts?|halted|pauses?|paused|ends?|ended|cancels?|cancell?ed|scraps?|scrapped|terminates?|terminated)\s+${gap(3)}(?:buy-?backs?|repurchases?)\b`,
    ),
  },
  {
    type: 'buyback',
    direction: 'bullish',
    strength: 0.5,
    negated: null,
    needs: ['buyback', 'buy-back', 'buy back', 'bought back', 'repurchase', 'buys back', 'buying back'],
    pattern: re(
      String.raw`\b(?:share|stock)\s+(?:re-?purchases?|buy-?backs?|buy backs?)\b|\bbuy-?backs?\b|\bbuy(?:s|ing)? back\b|\bbought back\b|\brepurchase (?:program|plan|authori[sz]ation|agreement)\b|\b(?:authori[sz]es?|authori[sz]ed|approves?|approved|announces?|unveils?|launches?|boosts?|expands?|increases?|adds)\s+${gap(4)}(?:re-?purchase|buy-?back)\b|\bto repurchase\b|\baccelerated (?:share )?repurchase\b`,
    ),
  },
  {
    type: 'dividend_change',
    direction: 'bearish',
    strength: 0.65,
    negated: null,
    needs: ['dividend', 'payout', 'distribution'],
    pattern: re(
      String.raw`\b(?:cuts?|cutting|slash(?:es|ed)?|reduces?|reduced|lowers?|lowered|suspends?|suspended|eliminates?|eliminated|halts?|halted|omits?|omitted|scraps?|scrapped|pauses?|paused|skips?|skipped|axes|axed)\s+${gap(4)}(?:dividends?|payouts?|distributions?)\b|\b(?:dividend|payout|distribution)\s+${gap(1)}(?:cut|suspension|reduction|elimination|omission)\b`,
    ),
  },
  {
    type: 'dividend_change',
    direction: 'bullish',
    strength: 0.45,
    negated: null,
    needs: ['dividend', 'payout', 'distribution'],
    pattern: re(
      String.raw`\b(?:raises?|raised|increases?|increased|hikes?|hiked|boosts?|boosted|lifts?|lifted|upped|grows?|bumps?)\s+${gap(4)}(?:dividends?|payouts?|distributions?)\b|\b(?:dividend|payout|distribution)\s+${gap(1)}(?:increase|hike|raise|boost|growth)\b`,
    ),
  },
  {
    type: 'dividend_change',
    direction: 'bullish',
    strength: 0.45,
    needs: ['dividend'],
    pattern: re(
      String.raw`\b(?:special|one-time|extra|supplemental)\s+(?:cash\s+)?dividend\b|\b(?:initiates?|initiated|reinstates?|reinstated|resumes?|resumed|restores?|restored|declares first|first[- ]ever)\s+${gap(3)}dividends?\b`,
    ),
  },
  {
    type: 'dividend_change',
    direction: 'neutral',
    strength: 0.1,
    needs: ['dividend'],
    pattern: re(
      String.raw`\b(?:declares?|declared|maintains?|maintained|affirms?|reaffirms?|announces?|sets?|approves?|pays?)\s+${gap(4)}dividends?\b`,
    ),
  },

  // Legal and regulatory trouble.
  {
    type: 'lawsuit',
    direction: 'bearish',
    strength: 0.55,
    override: true,
    needs: ['pay', 'lose', 'lost', 'verdict', 'liable', 'jury', 'court'],
    pattern: re(
      String.raw`\b(?:ordered to pay|loses?|lost)\s+${gap(3)}(?:lawsuit|suit|case|trial|appeal|verdict|ruling)\b|\bverdict against\b|\b(?:jury|court)\s+${gap(3)}(?:awards?|orders?|rules? against|finds?\s+${gap(1)}liable)\b`,
    ),
  },
  {
    type: 'lawsuit',
    direction: 'bullish',
    strength: 0.4,
    override: true,
    needs: ['win', 'won', 'prevail', 'dismiss', 'thrown out', 'toss'],
    pattern: re(
      String.raw`\b(?:wins?|won|prevails?|prevailed)\s+${gap(3)}(?:lawsuit|suit|case|trial|appeal|verdict|ruling|dismissal)\b|\b(?:lawsuit|suit|case|charges?|complaint)\s+${gap(2)}(?:dismissed|thrown out|tossed)\b|\b(?:dismisses|tosses|throws out)\s+${gap(3)}(?:lawsuit|suit|case|complaint)\b`,
    ),
  },
  {
    type: 'lawsuit',
    direction: 'neutral',
    strength: 0.35,
    override: true,
    needs: ['settle'],
    pattern: re(
      String.raw`\bsettles?\s+${gap(4)}(?:lawsuit|suit|case|litigation|claims|charges)\b|\b(?:lawsuit|litigation|legal)\s+settlement\b`,
    ),
  },
  {
    type: 'lawsuit',
    direction: 'bearish',
    strength: 0.5,
    needs: ['sue', 'suing', 'lawsuit', 'suit', 'class action', 'class-action', 'complaint', 'litigation', 'case'],
    pattern: re(
      String.raw`\b(?:sues|sued|suing|sue|to sue|countersues)\b|\b(?:class[- ]action|securities fraud|shareholder|derivative|antitrust|patent(?: infringement)?|whistleblower|wrongful death)\s+${gap(1)}(?:lawsuits?|suits?|complaints?|litigation|cases?)\b|\b(?:faces?|facing|files?|filed|hit with|slapped with|hits?)\s+${gap(3)}(?:lawsuits?|suit|class action|complaint|litigation)\b`,
    ),
  },
  {
    type: 'lawsuit',
    direction: 'bearish',
    strength: 0.4,
    needs: ['lawsuit', 'litigation', 'class action'],
    pattern: re(String.raw`\blawsuits?\b|\blitigation\b|\bclass action\b`),
  },
  {
    type: 'investigation',
    direction: 'bullish',
    strength: 0.35,
    override: true,
    needs: ['probe', 'investigation', 'inquiry'],
    pattern: re(
      String.raw`\b(?:ends?|ended|closes?|closed|drops?|dropped|concludes?|concluded|settles?|settled)\s+${gap(3)}(?:probe|investigation|inquiry)\b`,
    ),
  },
  {
    type: 'investigation',
    direction: 'bearish',
    strength: 0.6,
    needs: ['probe', 'investigat', 'inquir', 'subpoena', 'scrutiny', 'charge'],
    pattern: re(
      String.raw`\b(?:sec|doj|ftc|fbi|cftc|finra|justice department|department of justice|federal|antitrust|regulators?|regulatory|attorneys? general|prosecutors?|eu|european commission|congressional|senate|criminal|fraud|accounting)\s+${gap(2)}(?:probes?|investigations?|inquiry|inquiries|subpoenas?|scrutiny|charges?)\b`,
    ),
  },
  {
    type: 'investigation',
    direction: 'bearish',
    strength: 0.55,
    needs: ['probe', 'investigation', 'inquiry', 'subpoena', 'wells notice'],
    pattern: re(
      String.raw`\b(?:probe|investigation|inquiry)\s+(?:into|of)\b|\b(?:under|faces?|facing|opens?|opened|launches?|launched|widens?|widened|expands?|expanded)\s+${gap(2)}(?:probe|investigation|inquiry)\b|\bsubpoena(?:s|ed)?\b|\bwells notice\b`,
    ),
  },
  {
    type: 'investigation',
    direction: 'bearish',
    strength: 0.6,
    needs: ['accounting', 'financial', 'restat'],
    pattern: re(
      String.raw`\b(?:accounting|financial)\s+(?:irregularit\w+|restatement|misstatement|fraud)\b|\brestat(?:e|es|ed|ement|ing)\s+${gap(3)}(?:results|financials|earnings|financial statements)\b`,
    ),
  },
  {
    type: 'recall',
    direction: 'bearish',
    strength: 0.45,
    needs: ['recall'],
    pattern: re(
      String.raw`\brecall(?:s|ed|ing)?\s+${gap(4)}(?:vehicles?|cars?|trucks?|suvs?|evs?|units?|products?|devices?|lots?|batch(?:es)?|models?|pounds|bottles|packages|cans|bags|jars|boxes|doses|pumps|implants|monitors|ventilators|airbags|batteries|pacemakers|laptops|phones|chargers|toys|cribs|food|meat|beef|chicken|medications?|tablets|capsules|drugs?|inhalers?|kits?|tests?)\b|\b(?:voluntary|voluntarily|product|safety|nationwide|massive|expanded|expands?|global|worldwide|class i|class 1|fda|nhtsa)\s+${gap(1)}recalls?\b|\brecall of\b|\bissues?\s+(?:a\s+)?recall\b`,
    ),
  },

  // Business wins.
  {
    type: 'contract_win',
    direction: 'bearish',
    strength: 0.5,
    override: true,
    needs: ['contract', 'order', 'deal'],
    pattern: re(
      String.raw`\b(?:loses?|lost|cancels?|cancell?ed|terminates?|terminated|scraps?|scrapped)\s+${gap(3)}(?:contract|orders?|deal)\b`,
    ),
  },
  {
    type: 'contract_win',
    direction: 'bullish',
    strength: 0.55,
    negated: null,
    needs: ['contract', 'order', 'award', 'deal', 'tender'],
    pattern: re(
      String.raw`\b(?:wins?|won|awarded|secures?|secured|lands?|landed|receives?|received|inks?|inked|signs?|signed|books?|booked|clinches?|clinched|nabs?|nabbed|captures?|captured|bags?|bagged|snags?|snagged|gets?|obtains?|obtained)\s+${gap(6)}(?:contracts?|task orders?|purchase orders?|orders?|awards?|deals?|tenders?)\b`,
    ),
  },
  {
    type: 'contract_win',
    direction: 'bullish',
    strength: 0.55,
    needs: ['contract', 'order', 'award', 'agreement', 'deal'],
    pattern: re(
      String.raw`\bcontract (?:award|win)\b|\b(?:pentagon|army|navy|air force|dod|department of defense|nasa|government|federal|defense)\s+${gap(2)}(?:contracts?|orders?|awards?)\b|${MONEY}\s+${gap(2)}(?:contract|order|award)s?\b|\b(?:supply|purchase|services?|master services|offtake|procurement|multi-year|multiyear|long-term)\s+(?:agreement|contract|deal)\b`,
    ),
  },
  {
    type: 'partnership',
    direction: 'bullish',
    strength: 0.4,
    needs: ['joint venture', 'jv'],
    pattern: re(String.raw`\bjoint venture\b|\bjv\b`),
  },
  {
    type: 'partnership',
    direction: 'bullish',
    strength: 0.35,
    needs: [
      'partner',
      'team',
      'collaborat',
      'alliance',
      'agreement',
      'deal',
      'pact',
      'memorandum',
      'mou',
      'integrat',
      'tie',
    ],
    pattern: re(
      String.raw`\bpartner(?:s|ed|ing)?\s+with\b|\bpartnerships?\b|\bteams?\s+up\s+with\b|\bteamed up\b|\bcollaborat(?:es|ed|ing|ion)\s+with\b|\b(?:strategic|global|commercial|research|development)\s+${gap(1)}(?:alliance|collaboration|agreement)\b|\balliance with\b|\b(?:licensing|license|licence|distribution|co-development|co-promotion|co-marketing|commercialization|research)\s+${gap(1)}(?:agreement|deal|pact)\b|\bmemorandum of understanding\b|\bmou\b|\bintegrat(?:es|ion)\s+with\b|\bties up with\b|\btie-up\b`,
    ),
  },

  // People.
  {
    type: 'executive_change',
    direction: 'bearish',
    strength: 0.5,
    needs: ['ceo', 'chief', 'cfo', 'coo', 'cto', 'president', 'chair', 'founder'],
    pattern: re(
      String.raw`\b${ROLE}\s+${gap(4)}(?:to step down|steps down|stepping down|stepped down|resigns|resigned|resigning|to resign|departs|departed|departing|to depart|to leave|leaves|leaving|exits|to exit|exiting|is out|out as|ousted|fired|terminated|dismissed|removed|replaced|quits|to quit|on (?:the )?way out|departure|resignation|exit|ouster)\b|\b(?:ousts?|ousted|fires?|fired|removes?|removed|replaces?|replaced)\s+${gap(2)}${ROLE}\b|\b(?:resignation|departure|ouster|exit)\s+of\s+${gap(3)}${ROLE}\b`,
    ),
  },
  {
    type: 'executive_change',
    direction: 'neutral',
    strength: 0.25,
    needs: ['retire'],
    pattern: re(String.raw`\b${ROLE}\s+${gap(4)}(?:to retire|retires|retiring|retirement)\b`),
  },
  {
    type: 'executive_change',
    direction: 'neutral',
    strength: 0.3,
    needs: [
      'ceo',
      'chief',
      'cfo',
      'coo',
      'cto',
      'president',
      'chair',
      'founder',
      'leadership',
      'management',
      'succession',
      'executive',
    ],
    pattern: re(
      String.raw`\b(?:names?|named|appoints?|appointed|hires?|hired|taps?|tapped|promotes?|promoted|elevates?|elevated|elects?|elected|selects?|selected|picks?)\s+${gap(5)}(?:as\s+)?(?:(?:new|interim|next|permanent|its)\s+)?${ROLE}\b|\bnew\s+${ROLE}\b|\b(?:leadership|management|executive|ceo)\s+(?:transition|change|shake-?up|succession|overhaul)\b|\bsuccession plan\b`,
    ),
  },

  // Distress and market structure.
  {
    type: 'bankruptcy',
    direction: 'bullish',
    strength: 0.4,
    override: true,
    needs: ['bankruptcy', 'chapter 11'],
    pattern: re(
      String.raw`\b(?:emerges?|emerged|exits?|exited) from (?:chapter 11|bankruptcy)\b|\bavoids? bankruptcy\b`,
    ),
  },
  {
    type: 'bankruptcy',
    direction: 'bearish',
    strength: 0.95,
    needs: ['chapter', 'bankrupt', 'insolven', 'receivership', 'creditor protection', 'liquidation', 'prepackaged'],
    pattern: re(
      String.raw`\bchapter (?:11|7|15)\b|\bbankrupt(?:cy)?\b|\binsolven(?:t|cy)\b|\breceivership\b|\bcreditor protection\b|\bliquidation\b|\bprepackaged (?:plan|bankruptcy|filing)\b`,
    ),
  },
  {
    type: 'bankruptcy',
    direction: 'bearish',
    strength: 0.7,
    needs: ['default', 'payment', 'going concern', 'going-concern', 'substantial doubt'],
    pattern: re(
      String.raw`\b(?:misses?|missed|skips?|skipped|fails? to make|failed to make)\s+${gap(2)}(?:interest|debt|bond|coupon|loan)\s+payments?\b|\bdefault(?:s|ed)? on\b|\bdebt default\b|\bgoing[- ]concern\b|\bsubstantial doubt\b`,
    ),
  },
  {
    type: 'halt',
    direction: 'bearish',
    strength: 0.7,
    override: true,
    needs: [' sec '],
    pattern: re(String.raw`\bsec\s+${gap(2)}(?:suspends|suspended|suspension of)\s+${gap(1)}trading\b`),
  },
  {
    type: 'halt',
    direction: 'neutral',
    strength: 0.6,
    needs: ['halt', 'paus', 'suspen', 'circuit', 'luld'],
    pattern: re(
      String.raw`\b(?:trading|shares|stock)\s+${gap(2)}(?:halted|halt|halts|paused|pause|suspended|suspension)\b|\b(?:halts?|halted|suspends?|suspended|pauses?|paused)\s+${gap(2)}(?:trading|shares|stock)\b|\bhalted\s+(?:pending|for)\b|\b(?:luld|volatility|circuit[- ]breaker|news pending|t1|t12)\s+(?:halt|pause|trading halt)\b`,
    ),
  },
  {
    type: 'other',
    direction: 'bearish',
    strength: 0.45,
    override: true,
    needs: ['reverse', '1-for', '1 for'],
    pattern: re(String.raw`\breverse\s+(?:stock\s+|share\s+)?split\b|\b1[- ]for[- ]\d+\s+${gap(2)}split\b`),
  },
  {
    type: 'other',
    direction: 'bullish',
    strength: 0.35,
    needs: ['split'],
    pattern: re(
      String.raw`\b\d+[- ]for[- ]1\s+(?:forward\s+)?(?:stock\s+|share\s+)?split\b|\b(?:stock|share)\s+split\b`,
    ),
  },
  {
    type: 'other',
    direction: 'bullish',
    strength: 0.5,
    needs: ['join', 'added', 'inclusion', 'enter'],
    pattern: re(
      String.raw`\b(?:joins?|added to|to join|to be added to|inclusion in|enters?|set to join)\s+(?:the\s+)?${INDEX_NAMES}`,
    ),
  },
  {
    type: 'other',
    direction: 'bearish',
    strength: 0.4,
    needs: ['removed', 'dropped', 'deleted', 'exit', 'leave'],
    pattern: re(
      String.raw`\b(?:removed from|dropped from|to be removed from|to be dropped from|to exit|exits|deleted from|leaves|to leave)\s+(?:the\s+)?${INDEX_NAMES}`,
    ),
  },
  {
    type: 'other',
    direction: 'bearish',
    strength: 0.5,
    needs: ['delist', 'compliance', 'deficiency'],
    pattern: re(String.raw`\bdelist(?:ing|ed|s)?\b|\bnon-?compliance\b|\bdeficiency (?:letter|notice)\b`),
  },
  {
    type: 'other',
    direction: 'bearish',
    strength: 0.55,
    needs: ['short', 'hindenburg', 'muddy waters', 'citron', 'spruce point', 'grizzly', 'culper', 'iceberg'],
    pattern: re(
      String.raw`\bshort[- ]sellers?\b|\bshort (?:report|attack|seller report)\b|\b(?:hindenburg|muddy waters|citron|spruce point|grizzly research|culper|iceberg research)\b`,
    ),
  },
  {
    type: 'other',
    direction: 'neutral',
    strength: 0.25,
    needs: ['lay', 'job', 'workforce', 'staff', 'headcount', 'worker', 'position'],
    pattern: re(
      String.raw`\blays? off\b|\blaid off\b|\blayoffs?\b|\bjob cuts\b|\b(?:to cut|cuts?|cutting|slash(?:es|ing)?|eliminat(?:es|ing))\s+${gap(2)}(?:jobs|workers|staff|positions|workforce|headcount)\b`,
    ),
  },
];
