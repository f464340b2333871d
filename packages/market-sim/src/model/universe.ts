import { Prng } from './prng';

/**
 * The listed companies of the simulated market. Tickers, names, sectors and each stock's
 * character (price level, volatility, liquidity) come from a fixed internal stream, so a symbol
 * keeps its character whatever the market seed; the seed drives only prices over time and news.
 * Names are made up from syllables so they do not name real companies.
 */

export type Sector =
  | 'technology'
  | 'biotech'
  | 'financials'
  | 'energy'
  | 'consumer'
  | 'industrials'
  | 'communication'
  | 'materials'
  | 'utilities'
  | 'real_estate';

export type CapTier = 'large' | 'mid' | 'small';
export type ListingExchange = 'NASDAQ' | 'NYSE' | 'AMEX' | 'ARCA';

export interface Stock {
  symbol: string;
  name: string;
  /** The short form used in headlines ("Brinova"). */
  shortName: string;
  sector: Sector;
  tier: CapTier;
  exchange: ListingExchange;
  assetId: string;
  /** The long-run price level the random walk reverts to. */
  basePrice: number;
  /** Annualised volatility (0.3 = 30%). */
  annualVol: number;
  /** Average regular-session shares per day. */
  avgDailyVolume: number;
  /** Typical quoted spread, in basis points of price. */
  spreadBps: number;
  fractionable: boolean;
  shortable: boolean;
  easyToBorrow: boolean;
  /** Relative likelihood of news about this company. */
  newsWeight: number;
}

const SECTORS: ReadonlyArray<{ sector: Sector; share: number; suffixes: readonly string[]; volScale: number }> = [
  {
    sector: 'technology',
    share: 22,
    suffixes: ['Technologies', 'Systems', 'Software', 'Semiconductor', 'Networks', 'Data', 'Cloud', 'Robotics'],
    volScale: 1.1,
  },
  {
    sector: 'biotech',
    share: 18,
    suffixes: ['Therapeutics', 'Biosciences', 'Pharmaceuticals', 'Genomics', 'Biotherapeutics', 'Medical'],
    volScale: 1.35,
  },
  {
    sector: 'financials',
    share: 12,
    suffixes: ['Bancorp', 'Financial', 'Capital', 'Insurance Group', 'Payments'],
    volScale: 0.85,
  },
  { sector: 'energy', share: 8, suffixes: ['Energy', 'Petroleum', 'Resources', 'Solar', 'Midstream'], volScale: 1.15 },
  {
    sector: 'consumer',
    share: 12,
    suffixes: ['Brands', 'Foods', 'Retail', 'Apparel', 'Restaurants', 'Outfitters'],
    volScale: 0.95,
  },
  {
    sector: 'industrials',
    share: 10,
    suffixes: ['Industries', 'Aerospace', 'Logistics', 'Manufacturing', 'Machinery'],
    volScale: 0.9,
  },
  {
    sector: 'communication',
    share: 7,
    suffixes: ['Media', 'Communications', 'Entertainment', 'Interactive'],
    volScale: 1.0,
  },
  { sector: 'materials', share: 5, suffixes: ['Materials', 'Chemicals', 'Mining', 'Steel'], volScale: 1.05 },
  { sector: 'utilities', share: 3, suffixes: ['Power', 'Utilities', 'Water'], volScale: 0.6 },
  { sector: 'real_estate', share: 3, suffixes: ['Realty', 'Properties', 'Residential'], volScale: 0.8 },
];

const STARTS = [
  'Al',
  'Bri',
  'Cor',
  'Dal',
  'El',
  'Fen',
  'Gal',
  'Hal',
  'Iv',
  'Jor',
  'Kel',
  'Lum',
  'Mar',
  'Nor',
  'Or',
  'Pel',
  'Quin',
  'Ros',
  'Sel',
  'Tor',
  'Ul',
  'Val',
  'Wes',
  'Xan',
  'Yor',
  'Zel',
  'Ard',
  'Bel',
  'Cal',
  'Dor',
  'Ev',
  'Fal',
  'Gor',
  'Hes',
  'Isk',
  'Kor',
  'Lin',
  'Mer',
  'Nav',
  'Ost',
];
const ENDS = [
  'ova',
  'tis',
  'ron',
  'vex',
  'dyne',
  'gen',
  'lith',
  'mark',
  'sphere',
  'tek',
  'via',
  'nex',
  'ora',
  'quest',
  'wave',
  'stone',
  'field',
  'aris',
  'ion',
  'ex',
  'ium',
  'ant',
  'ella',
  'ano',
  'eon',
  'ix',
  'yra',
  'orum',
];

function makeTicker(name: string, length: number, taken: Set<string>, prng: Prng): string {
  const letters = name.toUpperCase().replace(/[^A-Z]/g, '');
  const consonants = letters.slice(1).replace(/[AEIOU]/g, '');
  const candidates = [
    letters[0]! + consonants.slice(0, length - 1),
    letters.slice(0, length),
    letters[0]! + letters.slice(2, length + 1),
  ];
  for (const c of candidates) if (c.length === length && !taken.has(c)) return c;
  for (;;) {
    let t = letters[0]!;
    while (t.length < length) t += String.fromCharCode(65 + prng.int(0, 25));
    if (!taken.has(t)) return t;
  }
}

function logUniform(prng: Prng, min: number, max: number): number {
  return Math.exp(prng.range(Math.log(min), Math.log(max)));
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

const universes = new Map<number, readonly Stock[]>();

/** The default universe: `count` companies (at most 400), the same on every run (and the same array within a process). */
export function defaultUniverse(count = 100): readonly Stock[] {
  const hit = universes.get(count);
  if (hit) return hit;
  const stocks = Object.freeze(buildUniverse(count));
  universes.set(count, stocks);
  return stocks;
}

function buildUniverse(count: number): Stock[] {
  if (!Number.isInteger(count) || count < 1 || count > 400)
    throw new Error(`universe size must be 1..400, got ${count}`);
  const prng = Prng.for('catalyst-market-sim-universe', 1);
  const totalShare = SECTORS.reduce((s, x) => s + x.share, 0);
  const takenNames = new Set<string>();
  const takenTickers = new Set<string>();
  const stocks: Stock[] = [];
  for (let i = 0; i < count; i++) {
    // Sectors in proportion to their share, interleaved so any prefix of the list is mixed.
    let slot = ((i * 37) % totalShare) + 0.5;
    let spec = SECTORS[0]!;
    for (const s of SECTORS) {
      if (slot < s.share) {
        spec = s;
        break;
      }
      slot -= s.share;
    }
    let shortName = '';
    do shortName = prng.pick(STARTS) + prng.pick(ENDS);
    while (takenNames.has(shortName));
    takenNames.add(shortName);
    const name = `${shortName} ${prng.pick(spec.suffixes)}`;
    const tier: CapTier = prng.weighted([
      ['large', spec.sector === 'biotech' ? 10 : 22],
      ['mid', 40],
      ['small', spec.sector === 'biotech' ? 50 : 38],
    ]);
    const exchange: ListingExchange =
      tier === 'small' && prng.chance(0.08) ? 'AMEX' : prng.chance(0.55) ? 'NASDAQ' : 'NYSE';
    const ticker = makeTicker(shortName, exchange === 'NASDAQ' ? 4 : prng.chance(0.2) ? 2 : 3, takenTickers, prng);
    takenTickers.add(ticker);
    const basePrice =
      tier === 'large'
        ? logUniform(prng, 60, 500)
        : tier === 'mid'
          ? logUniform(prng, 12, 160)
          : logUniform(prng, 2, 22);
    const tierVol =
      tier === 'large' ? prng.range(0.18, 0.34) : tier === 'mid' ? prng.range(0.28, 0.55) : prng.range(0.5, 1.1);
    const avgDailyVolume =
      tier === 'large'
        ? logUniform(prng, 4e6, 40e6)
        : tier === 'mid'
          ? logUniform(prng, 8e5, 8e6)
          : prng.chance(0.12)
            ? logUniform(prng, 8e4, 2e5)
            : logUniform(prng, 3e5, 6e6);
    const liquid = avgDailyVolume > 2e6;
    stocks.push({
      symbol: ticker,
      name,
      shortName,
      sector: spec.sector,
      tier,
      exchange,
      assetId: Prng.for('asset', ticker).uuid(),
      basePrice: round(basePrice, 2),
      annualVol: round(Math.min(1.6, tierVol * spec.volScale), 4),
      avgDailyVolume: Math.round(avgDailyVolume / 100) * 100,
      spreadBps: round(liquid ? prng.range(1, 4) : tier === 'small' ? prng.range(12, 45) : prng.range(4, 12), 2),
      fractionable: tier !== 'small' || basePrice > 5,
      shortable: tier !== 'small' || prng.chance(0.7),
      easyToBorrow: tier !== 'small' || prng.chance(0.5),
      newsWeight: (tier === 'small' ? 1.5 : tier === 'mid' ? 1.0 : 0.8) * (spec.sector === 'biotech' ? 1.5 : 1),
    });
  }
  return stocks;
}
