import { Prng } from './prng';
import { eventFacts, type CatalystType, type MarketEvent } from './news-events';
import type { Stock } from './universe';

/**
 * Stories about events, as news sources publish them: a first report, the same story picked up
 * by other outlets minutes later under their own headlines, rumours from low-quality outlets, and
 * for a fake the denial that ends it. Every string comes from templates and the event's facts,
 * so a seed gives the same headlines byte for byte.
 */

export type SourceKind = 'wire' | 'press_release' | 'news' | 'blog' | 'promo' | 'social';

export interface NewsSource {
  key: string;
  name: string;
  domain: string;
  /** 0..1: how far a reader should trust it. */
  quality: number;
  kind: SourceKind;
  authors: readonly string[];
  /** Alpha Vantage's `category_within_source`. */
  category: string;
}

export const NEWS_SOURCES: readonly NewsSource[] = [
  {
    key: 'marketwire',
    name: 'Market Wire',
    domain: 'marketwire.example',
    quality: 0.95,
    kind: 'wire',
    authors: ['Market Wire Newsdesk', 'Helen Marsh', 'David Crane'],
    category: 'News',
  },
  {
    key: 'globalbusinesswire',
    name: 'Global Business Newswire',
    domain: 'globalbusinesswire.example',
    quality: 0.9,
    kind: 'press_release',
    authors: ['Global Business Newswire'],
    category: 'Press Releases',
  },
  {
    key: 'streetpulse',
    name: 'StreetPulse',
    domain: 'streetpulse.example',
    quality: 0.75,
    kind: 'news',
    authors: ['StreetPulse Insights', 'Rachel Ng', 'Victor Salgado'],
    category: 'Markets',
  },
  {
    key: 'tickertape',
    name: 'The Ticker Tape',
    domain: 'tickertape.example',
    quality: 0.6,
    kind: 'blog',
    authors: ['Chris Dalton', 'Maya Patel'],
    category: 'Trading',
  },
  {
    key: 'pennystockdaily',
    name: 'Penny Stock Daily',
    domain: 'pennystockdaily.example',
    quality: 0.25,
    kind: 'promo',
    authors: ['PSD Staff'],
    category: 'Alerts',
  },
  {
    key: 'tradechatter',
    name: 'TradeChatter',
    domain: 'tradechatter.example',
    quality: 0.15,
    kind: 'social',
    authors: ['tc_momentum', 'bullrun_trader'],
    category: 'Community',
  },
];

const sourceByKey = new Map(NEWS_SOURCES.map((s) => [s.key, s]));
export function newsSource(key: string): NewsSource {
  const s = sourceByKey.get(key);
  if (!s) throw new Error(`unknown news source ${key}`);
  return s;
}

export interface NewsStory {
  /** Stable id, increasing with time (Alpaca-style int64). */
  id: number;
  eventKey: string;
  catalyst: CatalystType;
  /** A rumour that will be denied, or a denial. */
  role: 'report' | 'duplicate' | 'rumor' | 'denial';
  sourceKey: string;
  headline: string;
  summary: string;
  /** HTML body. */
  content: string;
  author: string;
  url: string;
  imageUrl: string;
  symbols: string[];
  createdAt: number;
  updatedAt: number;
  /** -1..1 from the story's point of view (a denial of good news is negative). */
  sentiment: number;
  /** Relevance 0..1 of each symbol, same order as `symbols`. */
  relevance: number[];
}

type Ctx = Record<string, string>;

const fill = (template: string, ctx: Ctx) => template.replace(/\{(\w+)\}/g, (_, k: string) => ctx[k] ?? `{${k}}`);

const REPORTS: Record<CatalystType, readonly string[]> = {
  earnings_beat: [
    '{name} ({exch}:{ticker}) Q{quarter} EPS ${eps} Beats ${epsEstimate} Estimate, Sales ${revenue}M Beat ${revenueEstimate}M Estimate',
    '{short} Tops Q{quarter} Estimates as Revenue Grows {growth}%',
    '{ticker} Shares Jump After {short} Reports Better-Than-Expected Quarter',
  ],
  earnings_miss: [
    '{name} ({exch}:{ticker}) Q{quarter} EPS ${eps} Misses ${epsEstimate} Estimate, Sales ${revenue}M Miss ${revenueEstimate}M Estimate',
    '{short} Falls Short of Q{quarter} Expectations',
    '{ticker} Slides as {short} Misses on Earnings and Revenue',
  ],
  guidance_raise: [
    '{name} Raises FY{fiscalYear} Revenue Guidance to ${low}M-${high}M vs ${estimate}M Estimate',
    '{short} Lifts Full-Year Outlook on Strong Demand',
    '{ticker} Climbs After {short} Boosts FY{fiscalYear} Forecast',
  ],
  guidance_cut: [
    '{name} Cuts FY{fiscalYear} Outlook, Sees Revenue ${low}M-${high}M vs ${estimate}M Estimate',
    '{short} Slashes Guidance, Citing Weaker Demand',
    '{ticker} Sinks as {short} Lowers FY{fiscalYear} Forecast',
  ],
  fda_approval: [
    '{name} Announces FDA Approval of {drug} for {indication}',
    'FDA Approves {short} Drug {drug} for {indication}',
    '{ticker} Soars After FDA Nod for {drug}',
  ],
  fda_rejection: [
    '{name} Receives Complete Response Letter From FDA for {drug}',
    'FDA Declines to Approve {short} Drug {drug} for {indication}',
    '{ticker} Plunges After FDA Rejects {drug}',
  ],
  merger_acquisition: [
    '{acquirer} to Acquire {name} for ${perShare} Per Share in Cash',
    '{short} Agrees to ${dealValue}B Takeover by {acquirer}',
    '{ticker} Surges on ${perShare}-a-Share Buyout Deal',
  ],
  analyst_upgrade: [
    '{firm} Upgrades {name} to {rating}, Raises Price Target to ${target}',
    '{short} Upgraded to {rating} From {fromRating} at {firm}',
    '{ticker} Gains After {firm} Upgrade',
  ],
  analyst_downgrade: [
    '{firm} Downgrades {name} to {rating}, Lowers Price Target to ${target}',
    '{short} Downgraded to {rating} From {fromRating} at {firm}',
    '{ticker} Falls After {firm} Downgrade',
  ],
  offering: [
    '{name} Prices ${amount}M Public Offering of Common Stock at ${offerPrice} Per Share',
    '{short} Announces Proposed ${amount}M Stock Offering',
    '{ticker} Drops on Dilutive ${amount}M Share Sale',
  ],
  buyback: [
    '{name} Board Authorizes ${amount}M Share Repurchase Program',
    '{short} Unveils ${amount}M Buyback',
    '{ticker} Edges Higher on New ${amount}M Repurchase Plan',
  ],
  lawsuit: [
    '{name} Faces Class Action Lawsuit Over {topic}',
    '{short} Hit With Lawsuit Alleging {topic}',
    'Investors Sue {short} ({ticker}) Over {topic}',
  ],
  contract_win: [
    '{name} Awarded ${amount}M Contract by {customer}',
    '{short} Wins {years}-Year ${amount}M Deal With {customer}',
    '{ticker} Rises on ${amount}M Contract Award',
  ],
  executive_change: [
    '{name} Announces Leadership Transition: {person} Named Chief Executive Officer',
    '{short} Appoints {person} as CEO',
    '{ticker} Moves as {short} Names New CEO {person}',
  ],
};

const DEPARTURES = [
  '{name} Announces CEO {person} to Step Down Effective Immediately',
  '{short} CEO {person} Departs Abruptly',
  '{ticker} Falls as {short} Chief Executive {person} Resigns',
];

const RUMORS: Record<CatalystType, readonly string[]> = {
  earnings_beat: ['{ticker} Whisper Numbers Point to Blowout Quarter for {short}, Traders Say'],
  earnings_miss: ['{ticker} Said to Be Tracking Well Below Estimates, Channel Checks Show'],
  guidance_raise: ['{short} ({ticker}) Expected to Raise Outlook, Sources Say'],
  guidance_cut: ['{short} ({ticker}) Could Cut Guidance, Chatter Suggests'],
  fda_approval: [
    'BREAKING: {short} ({ticker}) FDA Approval for {drug} Imminent, Insiders Say',
    '{ticker} Ready to Explode? {drug} Approval Reportedly Days Away',
  ],
  fda_rejection: ['{short} ({ticker}) {drug} Trial Data Said to Disappoint Regulators'],
  merger_acquisition: [
    '{short} ({ticker}) Said to Explore Sale, Drawing Interest From {acquirer} - Sources',
    'Rumor: {acquirer} in Talks to Buy {short} ({ticker})',
  ],
  analyst_upgrade: ['{ticker} Upgrade Chatter Lifts {short}'],
  analyst_downgrade: ['{ticker} Downgrade Rumored as {short} Slips'],
  offering: ['{short} ({ticker}) Said to Weigh Stock Sale'],
  buyback: ['{short} ({ticker}) Reportedly Mulling Big Buyback'],
  lawsuit: ['{short} ({ticker}) Reportedly Facing Federal Probe Over {topic}'],
  contract_win: ['{ticker} to the Moon? {short} Reportedly Lands ${amount}M Deal With {customer}'],
  executive_change: ['{short} ({ticker}) CEO {person} Said to Be on the Way Out'],
};

const DENIALS = [
  '{name} Comments on Market Rumors, Says Reports Are Unfounded',
  '{short} Denies Report; Shares Give Up Gains',
  '{ticker} Reverses After {short} Calls Report Inaccurate',
];

const SUMMARIES: Record<CatalystType, string> = {
  earnings_beat:
    '{name} ({exch}: {ticker}) reported quarterly earnings of ${eps} per share, ahead of the consensus estimate of ${epsEstimate}, on revenue of ${revenue} million versus ${revenueEstimate} million expected.',
  earnings_miss:
    '{name} ({exch}: {ticker}) reported quarterly earnings of ${eps} per share, below the consensus estimate of ${epsEstimate}, on revenue of ${revenue} million versus ${revenueEstimate} million expected.',
  guidance_raise:
    '{name} ({exch}: {ticker}) raised its fiscal {fiscalYear} revenue outlook to ${low} million to ${high} million, above the ${estimate} million analysts expected.',
  guidance_cut:
    '{name} ({exch}: {ticker}) lowered its fiscal {fiscalYear} revenue outlook to ${low} million to ${high} million, below the ${estimate} million analysts expected.',
  fda_approval:
    '{name} ({exch}: {ticker}) said the U.S. Food and Drug Administration approved {drug} for the treatment of {indication}.',
  fda_rejection:
    '{name} ({exch}: {ticker}) said the U.S. Food and Drug Administration issued a complete response letter for {drug} in {indication}.',
  merger_acquisition:
    '{acquirer} agreed to acquire {name} ({exch}: {ticker}) for ${perShare} per share in cash, valuing the company at about ${dealValue} billion.',
  analyst_upgrade:
    '{firm} upgraded {name} ({exch}: {ticker}) to {rating} from {fromRating} and set a price target of ${target}.',
  analyst_downgrade:
    '{firm} downgraded {name} ({exch}: {ticker}) to {rating} from {fromRating} and set a price target of ${target}.',
  offering:
    '{name} ({exch}: {ticker}) priced an underwritten public offering of ${amount} million of common stock at ${offerPrice} per share.',
  buyback:
    'The board of {name} ({exch}: {ticker}) authorized the repurchase of up to ${amount} million of the company\u2019s common stock.',
  lawsuit:
    'A class action lawsuit was filed against {name} ({exch}: {ticker}) on behalf of investors, alleging {topic}.',
  contract_win: '{name} ({exch}: {ticker}) was awarded a {years}-year contract worth ${amount} million by {customer}.',
  executive_change:
    '{name} ({exch}: {ticker}) announced that {person} will lead the company as chief executive officer.',
};

const SENTIMENT: Record<CatalystType, number> = {
  earnings_beat: 0.55,
  earnings_miss: -0.5,
  guidance_raise: 0.5,
  guidance_cut: -0.55,
  fda_approval: 0.7,
  fda_rejection: -0.7,
  merger_acquisition: 0.6,
  analyst_upgrade: 0.4,
  analyst_downgrade: -0.4,
  offering: -0.35,
  buyback: 0.35,
  lawsuit: -0.4,
  contract_win: 0.45,
  executive_change: 0.1,
};

const PRIMARY_SOURCE: Record<CatalystType, string> = {
  earnings_beat: 'globalbusinesswire',
  earnings_miss: 'globalbusinesswire',
  guidance_raise: 'globalbusinesswire',
  guidance_cut: 'globalbusinesswire',
  fda_approval: 'globalbusinesswire',
  fda_rejection: 'marketwire',
  merger_acquisition: 'marketwire',
  analyst_upgrade: 'streetpulse',
  analyst_downgrade: 'streetpulse',
  offering: 'globalbusinesswire',
  buyback: 'globalbusinesswire',
  lawsuit: 'marketwire',
  contract_win: 'globalbusinesswire',
  executive_change: 'marketwire',
};

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

function contextFor(event: MarketEvent, stocks: readonly Stock[], price: number, seed: number): Ctx {
  const stock = stocks[event.symbolIndex]!;
  return {
    ...eventFacts(event, stocks, price, seed),
    name: stock.name,
    short: stock.shortName,
    ticker: stock.symbol,
    exch: stock.exchange,
  };
}

interface Draft {
  role: NewsStory['role'];
  sourceKey: string;
  headline: string;
  summary: string;
  at: number;
  sentiment: number;
}

/**
 * The stories of one event. Linked events (an acquirer's dip) have none of their own: the
 * target's stories carry both tickers.
 */
export function storiesForEvent(event: MarketEvent, stocks: readonly Stock[], seed: number, price: number): Draft[] {
  if (event.linkedTo !== null) return [];
  const prng = Prng.for(seed, 'stories', event.key);
  const ctx = contextFor(event, stocks, price, seed);
  const departure = event.type === 'executive_change' && event.magnitude < 0;
  const reports = departure ? DEPARTURES : REPORTS[event.type];
  const summary = departure
    ? fill(
        '{name} ({exch}: {ticker}) said chief executive {person} is stepping down; the board has begun a search for a successor.',
        ctx,
      )
    : fill(SUMMARIES[event.type], ctx);
  const sentiment = departure ? -0.45 : SENTIMENT[event.type];
  const drafts: Draft[] = [];
  if (event.fake) {
    const rumorSource = prng.pick(['pennystockdaily', 'tradechatter', 'tickertape']);
    drafts.push({
      role: 'rumor',
      sourceKey: rumorSource,
      headline: fill(prng.pick(RUMORS[event.type]), ctx),
      summary: `Unconfirmed: ${summary}`,
      at: event.utcMs,
      sentiment,
    });
    // Low-quality outlets echo each other before anyone checks.
    if (prng.chance(0.6)) {
      const echo = rumorSource === 'tradechatter' ? 'pennystockdaily' : 'tradechatter';
      const prefix = prng.pick(['Unconfirmed:', 'Chatter:', 'Traders Buzzing:']);
      drafts.push({
        role: 'duplicate',
        sourceKey: echo,
        headline: `${prefix} ${fill(prng.pick(RUMORS[event.type]), ctx)}${prng.chance(0.5) ? ' \u{1F680}' : ''}`,
        summary: `Traders are buzzing: ${summary}`,
        at: event.utcMs + prng.int(1, 8) * 60_000 + prng.int(0, 59) * 1000,
        sentiment,
      });
    }
    const denialAt = event.utcMs + Math.round(event.reverseAfterMinutes * 60_000) + prng.int(0, 59) * 1000;
    drafts.push({
      role: 'denial',
      sourceKey: prng.chance(0.5) ? 'marketwire' : 'globalbusinesswire',
      headline: fill(prng.pick(DENIALS), ctx),
      summary: fill(
        '{name} ({exch}: {ticker}) said it does not comment on market rumors and that recent reports are not accurate.',
        ctx,
      ),
      at: denialAt,
      sentiment: -sentiment * 0.8,
    });
    return drafts;
  }
  const primary = PRIMARY_SOURCE[event.type];
  const order = [0, 1, 2];
  drafts.push({
    role: 'report',
    sourceKey: primary,
    headline: fill(reports[0]!, ctx),
    summary,
    at: event.utcMs,
    sentiment,
  });
  const others = NEWS_SOURCES.filter((s) => s.key !== primary && s.kind !== 'press_release');
  const copies = prng.weighted([
    [0, 2],
    [1, 4],
    [2, 3],
    [3, 1],
  ] as const);
  let at = event.utcMs;
  for (let i = 0; i < copies; i++) {
    const source = others[prng.int(0, others.length - 1)]!;
    if (drafts.some((d) => d.sourceKey === source.key)) continue;
    at += prng.int(1, 12) * 60_000 + prng.int(0, 59) * 1000;
    const template = reports[order[1 + (i % 2)]!]!;
    drafts.push({
      role: 'duplicate',
      sourceKey: source.key,
      headline: fill(template, ctx),
      summary,
      at,
      sentiment: sentiment * (source.quality > 0.5 ? 1 : 1.3),
    });
  }
  return drafts;
}

/** Turns drafts into stories, ids increasing with time within the day. */
export function finishStories(
  drafts: Array<Draft & { event: MarketEvent }>,
  stocks: readonly Stock[],
  dayIdBase: number,
): NewsStory[] {
  drafts.sort(
    (a, b) => a.at - b.at || a.event.key.localeCompare(b.event.key) || a.sourceKey.localeCompare(b.sourceKey),
  );
  return drafts.map((d, i) => {
    const source = newsSource(d.sourceKey);
    const id = dayIdBase + i;
    const stock = stocks[d.event.symbolIndex]!;
    const symbols = [stock.symbol];
    const relevance = [1];
    if (d.event.counterpartyIndex >= 0) {
      symbols.push(stocks[d.event.counterpartyIndex]!.symbol);
      relevance.push(0.45);
    }
    const date = new Date(d.at);
    const yy = String(date.getUTCFullYear()).slice(2);
    const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
    const author = source.authors[id % source.authors.length]!;
    return {
      id,
      eventKey: d.event.key,
      catalyst: d.event.type,
      role: d.role,
      sourceKey: source.key,
      headline: d.headline,
      summary: d.summary,
      content: `<p>${escapeHtml(d.summary)}</p><p>${escapeHtml(closingLine(d.role, stock, d.event.fake))}</p>`,
      author,
      url: `https://www.${source.domain}/news/${yy}/${mm}/${id}/${slug(d.headline)}`,
      imageUrl: `https://cdn.${source.domain}/images/${d.event.type}/${id % 7}.jpeg`,
      symbols,
      createdAt: d.at,
      updatedAt: d.at,
      sentiment: Math.max(-1, Math.min(1, d.sentiment)),
      relevance,
    };
  });
}

function closingLine(role: NewsStory['role'], stock: Stock, fake: boolean): string {
  if (role === 'rumor' || (role === 'duplicate' && fake))
    return `Shares of ${stock.shortName} were active on the news. This report could not be independently confirmed.`;
  if (role === 'denial') return `Shares of ${stock.shortName} gave back their earlier gains after the statement.`;
  return `${stock.name} is listed on the ${stock.exchange} under the symbol ${stock.symbol}.`;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
