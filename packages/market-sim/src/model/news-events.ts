import { Prng } from './prng';
import type { Stock } from './universe';

/**
 * Market-moving events. Each has a size (a log-return), a shape in time (an immediate jump, a
 * drift to the full move, a partial retrace) and a volume burst that decays. A fake (a rumour
 * from a low-quality source) moves the stock the same way at first and then reverses fully.
 */

export const CATALYST_TYPES = [
  'earnings_beat',
  'earnings_miss',
  'guidance_raise',
  'guidance_cut',
  'fda_approval',
  'fda_rejection',
  'merger_acquisition',
  'analyst_upgrade',
  'analyst_downgrade',
  'offering',
  'buyback',
  'lawsuit',
  'contract_win',
  'executive_change',
] as const;

export type CatalystType = (typeof CATALYST_TYPES)[number];

interface CatalystSpec {
  /** Range of |log return| for a mid-cap; the sign is the direction. */
  size: readonly [number, number];
  direction: 1 | -1 | 0;
  /** Relative frequency among events. */
  frequency: number;
  /** Probability that such a story is a fake that reverses. */
  fakeRate: number;
}

export const CATALYST_SPECS: Record<CatalystType, CatalystSpec> = {
  earnings_beat: { size: [0.03, 0.14], direction: 1, frequency: 14, fakeRate: 0.02 },
  earnings_miss: { size: [0.04, 0.18], direction: -1, frequency: 11, fakeRate: 0.02 },
  guidance_raise: { size: [0.03, 0.1], direction: 1, frequency: 6, fakeRate: 0.05 },
  guidance_cut: { size: [0.05, 0.2], direction: -1, frequency: 5, fakeRate: 0.05 },
  fda_approval: { size: [0.1, 0.45], direction: 1, frequency: 5, fakeRate: 0.22 },
  fda_rejection: { size: [0.2, 0.6], direction: -1, frequency: 3, fakeRate: 0.05 },
  merger_acquisition: { size: [0.12, 0.38], direction: 1, frequency: 5, fakeRate: 0.3 },
  analyst_upgrade: { size: [0.01, 0.06], direction: 1, frequency: 12, fakeRate: 0.04 },
  analyst_downgrade: { size: [0.015, 0.07], direction: -1, frequency: 10, fakeRate: 0.04 },
  offering: { size: [0.05, 0.18], direction: -1, frequency: 5, fakeRate: 0.03 },
  buyback: { size: [0.01, 0.05], direction: 1, frequency: 5, fakeRate: 0.05 },
  lawsuit: { size: [0.02, 0.09], direction: -1, frequency: 5, fakeRate: 0.1 },
  contract_win: { size: [0.02, 0.12], direction: 1, frequency: 7, fakeRate: 0.18 },
  executive_change: { size: [0.01, 0.06], direction: 0, frequency: 5, fakeRate: 0.06 },
};

export interface MarketEvent {
  /** Unique and stable for a seed: `${day}-${n}`. */
  key: string;
  day: number;
  /** Minutes after 04:00 ET (the start of the simulated trading day). */
  minute: number;
  /** Exact instant of the first story. */
  utcMs: number;
  symbolIndex: number;
  type: CatalystType;
  /** Signed log-return the event is worth when it fully plays out. */
  magnitude: number;
  fake: boolean;
  jumpFraction: number;
  driftMinutes: number;
  retraceFraction: number;
  retraceMinutes: number;
  /** For fakes: minutes after the event at which the reversal starts, and its speed. */
  reverseAfterMinutes: number;
  reverseMinutes: number;
  volumeBoost: number;
  volumeMinutes: number;
  /** The other party in a merger (an index into the universe, or -1 for a private buyer). */
  counterpartyIndex: number;
  /** A linked move of the counterparty (acquirer dips), applied as its own event. */
  linkedTo: string | null;
}

/** Price effect (log return) of an event `dt` minutes after it happened. */
export function eventEffect(e: MarketEvent, dt: number): number {
  if (dt < 0) return 0;
  const built = e.jumpFraction + (1 - e.jumpFraction) * (1 - Math.exp(-dt / e.driftMinutes));
  let effect = e.magnitude * built * (1 - e.retraceFraction * (1 - Math.exp(-dt / e.retraceMinutes)));
  if (e.fake && dt > e.reverseAfterMinutes) effect *= Math.exp(-(dt - e.reverseAfterMinutes) / e.reverseMinutes);
  return effect;
}

/** Volume multiplier of an event `dt` minutes after it happened (1 = no effect). */
export function eventVolumeMultiplier(e: MarketEvent, dt: number): number {
  if (dt < 0) return 1;
  let boost = e.volumeBoost * Math.exp(-dt / e.volumeMinutes);
  if (e.fake && dt > e.reverseAfterMinutes)
    boost += 0.6 * e.volumeBoost * Math.exp(-(dt - e.reverseAfterMinutes) / e.volumeMinutes);
  return 1 + boost;
}

const FIRMS = [
  'Halvorsen & Co',
  'Brightline Securities',
  'Kestrel Research',
  'Northgate Capital Markets',
  'Pemberton Partners',
  'Larchmont Securities',
  'Ashford Equity Research',
  'Whitcombe Brothers',
];
const DRUG_PREFIX = ['Zel', 'Vor', 'Tri', 'Cal', 'Imo', 'Rava', 'Oxa', 'Lum', 'Neb', 'Tes'];
const DRUG_SUFFIX = ['imab', 'tinib', 'vastat', 'parin', 'ciclib', 'zumab', 'lisib', 'dronate'];
const INDICATIONS = [
  'relapsed multiple myeloma',
  'moderate-to-severe plaque psoriasis',
  'non-small cell lung cancer',
  'treatment-resistant depression',
  'rare pediatric epilepsy',
  'chronic kidney disease',
  'hereditary angioedema',
  'type 2 diabetes',
];
const CUSTOMERS = [
  'the U.S. Department of Defense',
  'a Fortune 100 retailer',
  'the U.S. Army',
  'a major European carrier',
  'NASA',
  'a leading hyperscale cloud provider',
  'the Department of Energy',
  'a top-five global automaker',
];
const LAWSUIT_TOPICS = [
  'misleading growth disclosures',
  'alleged patent infringement',
  'data privacy practices',
  'accounting irregularities',
  'product safety claims',
];
const PEOPLE = [
  'Dana Whitfield',
  'Marcus Okafor',
  'Elena Varga',
  'Samuel Ishikawa',
  'Priya Raman',
  'Thomas Brandt',
  'Olivia Castellanos',
  'Jonah Feldman',
];
const PRIVATE_BUYERS = [
  'Stonebridge Capital Partners',
  'Harrowgate Private Equity',
  'Bellweather Holdings',
  'Crestmoor Group',
];

const money = (value: number) => value.toFixed(2);

/**
 * Numbers and names the headlines quote (EPS, price target, deal value …). Drawn from the event's
 * own stream, so every story of the event quotes the same ones and the daily pass never pays
 * for them.
 */
export function eventFacts(
  event: MarketEvent,
  stocks: readonly Stock[],
  price: number,
  seed: number,
): Record<string, string> {
  const prng = Prng.for(seed, 'facts', event.key);
  const stock = stocks[event.symbolIndex]!;
  const counterparty =
    event.counterpartyIndex >= 0
      ? stocks[event.counterpartyIndex]!.name
      : PRIVATE_BUYERS[prng.int(0, PRIVATE_BUYERS.length - 1)]!;
  return factsFor(event.type, stock, price, event.magnitude, prng, event.day, counterparty);
}

function factsFor(
  type: CatalystType,
  stock: Stock,
  price: number,
  magnitude: number,
  prng: Prng,
  day: number,
  counterparty: string,
): Record<string, string> {
  const year = 1970 + Math.floor(day / 365.2425);
  const facts: Record<string, string> = { quarter: String(prng.int(1, 4)), fiscalYear: String(year) };
  switch (type) {
    case 'earnings_beat':
    case 'earnings_miss': {
      const est = Math.max(0.02, price * prng.range(0.005, 0.025));
      const beat = type === 'earnings_beat';
      const eps = beat ? est * (1 + prng.range(0.05, 0.4)) : est * (1 - prng.range(0.08, 0.6));
      const revEst = Math.round((stock.avgDailyVolume * price * prng.range(0.02, 0.08)) / 1e6 + 20);
      const rev = Math.round(revEst * (beat ? 1 + prng.range(0.01, 0.12) : 1 - prng.range(0.01, 0.1)));
      Object.assign(facts, {
        eps: money(eps),
        epsEstimate: money(est),
        revenue: String(rev),
        revenueEstimate: String(revEst),
        growth: String(prng.int(beat ? 8 : -12, beat ? 45 : 6)),
      });
      break;
    }
    case 'guidance_raise':
    case 'guidance_cut': {
      const est = Math.round((stock.avgDailyVolume * price * prng.range(0.08, 0.3)) / 1e6 + 80);
      const mid = type === 'guidance_raise' ? est * (1 + prng.range(0.03, 0.12)) : est * (1 - prng.range(0.05, 0.2));
      Object.assign(facts, {
        low: String(Math.round(mid * 0.98)),
        high: String(Math.round(mid * 1.02)),
        estimate: String(est),
      });
      break;
    }
    case 'fda_approval':
    case 'fda_rejection':
      Object.assign(facts, {
        drug: prng.pick(DRUG_PREFIX) + prng.pick(DRUG_SUFFIX),
        indication: prng.pick(INDICATIONS),
      });
      break;
    case 'merger_acquisition': {
      const premium = Math.exp(Math.abs(magnitude)) * prng.range(1.02, 1.1);
      const perShare = price * premium;
      Object.assign(facts, {
        acquirer: counterparty,
        perShare: money(perShare),
        dealValue: ((perShare * stock.avgDailyVolume * prng.range(40, 160)) / 1e9).toFixed(1),
      });
      break;
    }
    case 'analyst_upgrade':
    case 'analyst_downgrade': {
      const up = type === 'analyst_upgrade';
      Object.assign(facts, {
        firm: prng.pick(FIRMS),
        rating: up
          ? prng.pick(['Buy', 'Outperform', 'Overweight'])
          : prng.pick(['Sell', 'Underperform', 'Neutral', 'Underweight']),
        fromRating: up
          ? prng.pick(['Neutral', 'Hold', 'Equal-Weight'])
          : prng.pick(['Buy', 'Outperform', 'Overweight']),
        target: String(Math.max(1, Math.round(price * (up ? prng.range(1.15, 1.5) : prng.range(0.6, 0.9))))),
      });
      break;
    }
    case 'offering': {
      const offerPrice = price * (1 - prng.range(0.04, 0.15));
      Object.assign(facts, {
        amount: String(Math.round(Math.max(10, (stock.avgDailyVolume * price * prng.range(0.05, 0.4)) / 1e6))),
        offerPrice: money(offerPrice),
      });
      break;
    }
    case 'buyback':
      Object.assign(facts, {
        amount: String(Math.round(Math.max(20, (stock.avgDailyVolume * price * prng.range(0.5, 3)) / 1e6) / 5) * 5),
      });
      break;
    case 'lawsuit':
      Object.assign(facts, { topic: prng.pick(LAWSUIT_TOPICS) });
      break;
    case 'contract_win':
      Object.assign(facts, {
        amount: String(Math.round(Math.max(5, (stock.avgDailyVolume * price * prng.range(0.01, 0.2)) / 1e6))),
        customer: prng.pick(CUSTOMERS),
        years: String(prng.int(2, 7)),
      });
      break;
    case 'executive_change':
      Object.assign(facts, { person: prng.pick(PEOPLE), departure: magnitude < 0 ? 'yes' : 'no' });
      break;
  }
  return facts;
}

function pickSymbol(prng: Prng, stocks: readonly Stock[], totalWeight: number): number {
  let r = prng.next() * totalWeight;
  for (let i = 0; i < stocks.length; i++) {
    r -= stocks[i]!.newsWeight;
    if (r < 0) return i;
  }
  return stocks.length - 1;
}

const TYPE_WEIGHTS = CATALYST_TYPES.map((t) => [t, CATALYST_SPECS[t].frequency] as const);
const totalWeights = new WeakMap<readonly Stock[], number>();

export interface DayEventInput {
  seed: number;
  day: number;
  /** Minutes in the simulated day (960, or 780 on an early-close day). */
  dayMinutes: number;
  regularOpenMinute: number;
  regularCloseMinute: number;
  dayStartUtc: number;
  stocks: readonly Stock[];
  eventsPerDay: number;
}

/** The events of one trading day across the universe, in time order. */
export function generateDayEvents(input: DayEventInput): MarketEvent[] {
  const { seed, day, stocks } = input;
  const prng = Prng.for(seed, 'events', day);
  const count = prng.poisson(input.eventsPerDay);
  let totalWeight = totalWeights.get(stocks);
  if (totalWeight === undefined) {
    totalWeight = stocks.reduce((s, x) => s + x.newsWeight, 0);
    totalWeights.set(stocks, totalWeight);
  }
  const types = TYPE_WEIGHTS;
  const events: MarketEvent[] = [];
  const used: number[] = [];
  for (let n = 0; n < count; n++) {
    let symbolIndex = pickSymbol(prng, stocks, totalWeight);
    // One catalyst per company per day keeps stories readable.
    for (let tries = 0; used.includes(symbolIndex) && tries < 5; tries++)
      symbolIndex = pickSymbol(prng, stocks, totalWeight);
    if (used.includes(symbolIndex)) continue;
    used.push(symbolIndex);
    const stock = stocks[symbolIndex]!;
    let type = prng.weighted(types);
    if ((type === 'fda_approval' || type === 'fda_rejection') && stock.sector !== 'biotech')
      type = prng.chance(0.5) ? 'contract_win' : 'analyst_upgrade';
    const spec = CATALYST_SPECS[type];
    const tierScale = stock.tier === 'small' ? 1.5 : stock.tier === 'large' ? 0.6 : 1;
    const direction = spec.direction === 0 ? (prng.chance(0.6) ? -1 : 1) : spec.direction;
    const magnitude = direction * prng.range(spec.size[0], spec.size[1]) * tierScale;
    const fake = prng.chance(spec.fakeRate);
    const minute = eventMinute(prng, type, input.regularOpenMinute, input.regularCloseMinute, input.dayMinutes);
    const utcMs = input.dayStartUtc + minute * 60_000 + prng.int(0, 59) * 1000;
    let counterpartyIndex = -1;
    if (type === 'merger_acquisition' && prng.chance(0.55)) {
      const start = prng.int(0, stocks.length - 1);
      for (let j = 0; j < stocks.length; j++) {
        const i = (start + j) % stocks.length;
        const other = stocks[i]!;
        if (i !== symbolIndex && other.tier !== 'small' && other.sector === stock.sector) {
          counterpartyIndex = i;
          break;
        }
      }
    }
    const event: MarketEvent = {
      key: `${day}-${n}`,
      day,
      minute,
      utcMs,
      symbolIndex,
      type,
      magnitude,
      fake,
      jumpFraction: prng.range(0.35, 0.8),
      driftMinutes: prng.range(5, 45),
      retraceFraction: fake ? 0 : prng.range(0, 0.35),
      retraceMinutes: prng.range(60, 400),
      reverseAfterMinutes: prng.range(15, 120),
      reverseMinutes: prng.range(8, 45),
      volumeBoost: Math.min(40, (3 + 70 * Math.abs(magnitude)) * (stock.tier === 'small' ? 1.5 : 1)),
      volumeMinutes: prng.range(25, 150),
      counterpartyIndex,
      linkedTo: null,
    };
    events.push(event);
    if (counterpartyIndex >= 0 && !used.includes(counterpartyIndex)) {
      used.push(counterpartyIndex);
      events.push({
        ...event,
        key: `${day}-${n}a`,
        utcMs: event.utcMs + 1000,
        symbolIndex: counterpartyIndex,
        magnitude: (fake ? 0.5 : -1) * prng.range(0.01, 0.05),
        volumeBoost: event.volumeBoost / 3,
        counterpartyIndex: symbolIndex,
        linkedTo: event.key,
      });
    }
  }
  return events.sort(byTime);
}

function byTime(a: MarketEvent, b: MarketEvent): number {
  return a.utcMs - b.utcMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function within(prng: Prng, from: number, to: number, dayMinutes: number): number {
  return Math.min(dayMinutes - 2, Math.max(0, prng.int(from, to)));
}

function eventMinute(prng: Prng, type: CatalystType, open: number, close: number, dayMinutes: number): number {
  const earningsLike =
    type === 'earnings_beat' || type === 'earnings_miss' || type === 'guidance_raise' || type === 'guidance_cut';
  if (earningsLike)
    return prng.chance(0.7)
      ? within(prng, 180, open - 15, dayMinutes)
      : within(prng, close + 5, close + 90, dayMinutes);
  const r = prng.next();
  if (r < 0.15) return within(prng, 120, open - 1, dayMinutes);
  if (r < 0.9) return within(prng, open, close - 5, dayMinutes);
  return within(prng, close + 1, dayMinutes - 20, dayMinutes);
}
