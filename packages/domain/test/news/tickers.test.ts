import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TICKER_CONFIDENCE,
  UNVERIFIED_FACTOR,
  createTickerIndex,
  extractTickers,
  findTickerMentions,
} from '../../src/news/tickers';
import type { Asset, TickerLink } from '../../src/news/types';

/** Names as the broker's asset list spells them. */
const ASSETS: Asset[] = [
  { symbol: 'AAPL', name: 'Apple Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'APLE', name: 'Apple Hospitality REIT, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'MSFT', name: 'Microsoft Corporation Common Stock', exchange: 'NASDAQ' },
  { symbol: 'F', name: 'Ford Motor Company Common Stock', exchange: 'NYSE' },
  { symbol: 'TSLA', name: 'Tesla, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'A', name: 'Agilent Technologies, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'IT', name: 'Gartner, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'ON', name: 'ON Semiconductor Corporation Common Stock', exchange: 'NASDAQ' },
  { symbol: 'ALL', name: 'Allstate Corporation (The) Common Stock', exchange: 'NYSE' },
  { symbol: 'NOW', name: 'ServiceNow, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'AI', name: 'C3.ai, Inc. Class A Common Stock', exchange: 'NYSE' },
  { symbol: 'EV', name: 'Eaton Vance Corp', exchange: 'NYSE' },
  { symbol: 'CEO', name: 'CNOOC Limited', exchange: 'NYSE' },
  { symbol: 'FOR', name: 'Forestar Group Inc Common Stock', exchange: 'NYSE' },
  { symbol: 'ARE', name: 'Alexandria Real Estate Equities, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'BIG', name: 'Big Lots, Inc. Common Stock', exchange: 'NYSE' },
  { symbol: 'CAN', name: 'Canaan Inc. American Depositary Shares', exchange: 'NASDAQ' },
  { symbol: 'GO', name: 'Grocery Outlet Holding Corp. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'SO', name: 'Southern Company (The) Common Stock', exchange: 'NYSE' },
  { symbol: 'HAS', name: 'Hasbro, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'REAL', name: 'The RealReal, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'FAST', name: 'Fastenal Company Common Stock', exchange: 'NASDAQ' },
  { symbol: 'LOVE', name: 'The Lovesac Company Common Stock', exchange: 'NASDAQ' },
  { symbol: 'GOOGL', name: 'Alphabet Inc. Class A Common Stock', exchange: 'NASDAQ' },
  { symbol: 'GOOG', name: 'Alphabet Inc. Class C Capital Stock', exchange: 'NASDAQ' },
  { symbol: 'TGT', name: 'Target Corporation Common Stock', exchange: 'NYSE' },
  { symbol: 'GAP', name: 'Gap, Inc. (The) Common Stock', exchange: 'NYSE' },
  { symbol: 'NWSA', name: 'News Corporation Class A Common Stock', exchange: 'NASDAQ' },
  { symbol: 'AMZN', name: 'Amazon.com, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'KO', name: 'Coca-Cola Company (The) Common Stock', exchange: 'NYSE' },
  { symbol: 'JNJ', name: 'Johnson & Johnson Common Stock', exchange: 'NYSE' },
  { symbol: 'MCD', name: "McDonald's Corporation Common Stock", exchange: 'NYSE' },
  {
    symbol: 'BABA',
    name: 'Alibaba Group Holding Limited American Depositary Shares each representing eight Ordinary share',
    exchange: 'NYSE',
  },
  { symbol: 'ET', name: 'Energy Transfer LP Common Units representing limited partner interests', exchange: 'NYSE' },
  { symbol: 'GM', name: 'General Motors Company Common Stock', exchange: 'NYSE' },
  { symbol: 'GE', name: 'General Electric Company Common Stock', exchange: 'NYSE' },
  { symbol: 'ROP', name: 'Roper Technologies, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'NFLX', name: 'Netflix, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'CRWD', name: 'CrowdStrike Holdings, Inc. Class A Common Stock', exchange: 'NASDAQ' },
  { symbol: 'BRK.B', name: 'Berkshire Hathaway Inc. New Common Stock', exchange: 'NYSE' },
  { symbol: 'AMD', name: 'Advanced Micro Devices, Inc. Common Stock', exchange: 'NASDAQ' },
  { symbol: 'GOLD', name: 'Barrick Gold Corporation Common Stock', exchange: 'NYSE' },
  { symbol: 'SVM', name: 'Silvercorp Metals Inc. Common Shares', exchange: 'AMEX' },
  { symbol: 'COIN', name: 'Coinbase Global, Inc. Class A Common Stock', exchange: 'NASDAQ' },
  { symbol: 'SONY', name: 'Sony Group Corporation American Depositary Shares', exchange: 'NYSE' },
  { symbol: 'HMC', name: 'Honda Motor Company, Ltd. Common Stock', exchange: 'NYSE' },
  {
    symbol: 'NIO',
    name: 'NIO Inc. American depositary shares, each  representing one Class A ordinary share',
    exchange: 'NYSE',
  },
  { symbol: 'ESLOY', name: 'EssilorLuxottica ADR', exchange: 'OTC' },
  { symbol: 'XLK', name: 'Technology Select Sector SPDR Fund', exchange: 'ARCA' },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF Trust', exchange: 'ARCA' },
  { symbol: 'GLD', name: 'SPDR Gold Trust, SPDR Gold Shares', exchange: 'ARCA' },
  { symbol: 'DKNG', name: 'DraftKings Inc. Class A Common Stock', exchange: 'NASDAQ' },
  { symbol: 'DKNG.WS', name: 'DraftKings Inc. Warrants', exchange: 'NASDAQ' },
  { symbol: 'BRNV', name: 'Brinova Therapeutics', exchange: 'NASDAQ' },
  { symbol: 'KRV', name: 'Korvex Industries', exchange: 'NYSE' },
];

const index = createTickerIndex(ASSETS);

const symbols = (links: TickerLink[]) => links.map((l) => l.symbol);
const link = (headline: string, summary?: string, providerSymbols?: string[]) =>
  extractTickers(index, {
    headline,
    ...(summary === undefined ? {} : { summary }),
    ...(providerSymbols === undefined ? {} : { providerSymbols }),
  });

describe('createTickerIndex', () => {
  it('knows every symbol, normalised to upper case with dotted share classes', () => {
    expect(index.assets.size).toBe(ASSETS.length);
    expect(index.assets.get('BRK.B')?.name).toBe('Berkshire Hathaway Inc. New Common Stock');
  });

  it('indexes 10,000 assets', () => {
    const many: Asset[] = [];
    for (let i = 0; i < 10_000; i++)
      many.push({ symbol: `Z${i.toString(36).toUpperCase()}`, name: `Zed${i} Widgets Inc.` });
    const big = createTickerIndex(many);
    expect(big.assets.size).toBe(10_000);
    expect(symbols(extractTickers(big, { headline: 'Zed42 Widgets raises guidance' }))).toEqual(['Z16']);
  });

  it('skips malformed entries instead of failing', () => {
    const odd = createTickerIndex([
      { symbol: 'OK', name: 'Okay Industries' },
      { symbol: '', name: 'Empty' },
      { symbol: 'bad symbol!', name: 'Bad' },
      null as unknown as Asset,
      { symbol: 'NONAME' } as unknown as Asset,
    ]);
    expect([...odd.assets.keys()]).toEqual(['OK', 'NONAME']);
  });
});

describe('extractTickers', () => {
  it('finds nothing in a headline of common words in capitals', () => {
    expect(link('A new CEO for IT firm')).toEqual([]);
    expect(link('ON IT ALL NOW AI EV CEO FOR ARE BIG CAN GO SO ANY HAS REAL FAST LOVE')).toEqual([]);
    expect(link('AI stocks are hot NOW: can EV makers GO BIG?')).toEqual([]);
  });

  it('links the exchange form "(NYSE: F)"', () => {
    expect(link('Ford (NYSE: F) beats estimates')).toEqual([
      { symbol: 'F', confidence: TICKER_CONFIDENCE.exchange, method: 'exchange' },
    ]);
  });

  it.each([
    ['(NASDAQ:AAPL)', 'AAPL'],
    ['(NYSE:ABC) with no such asset, then (Nasdaq: MSFT)', 'MSFT'],
    ['Silvercorp Metals (AMEX:SVM) reported', 'SVM'],
    ['listed on NYSE American: SVM today', 'SVM'],
    ['EssilorLuxottica  ( OTC:ESLOY )', 'ESLOY'],
    ['Berkshire (NYSE: BRK.B) buys', 'BRK.B'],
    ['Berkshire (NYSE: BRK-B) buys', 'BRK.B'],
    ['NASDAQ GS: AMD', 'AMD'],
  ])('exchange form in %j → %s', (text, symbol) => {
    const links = link(text);
    expect(links.find((l) => l.method === 'exchange')?.symbol).toBe(symbol);
  });

  it('ignores exchange forms outside the US and lower-case symbols', () => {
    expect(link('The miner (TSX: ABX) rose')).toEqual([]);
    expect(link('(NASDAQ: aapl)')).toEqual([]);
  });

  it('links cashtags, and only in capitals', () => {
    expect(link('$TSLA to the moon')).toEqual([
      { symbol: 'TSLA', confidence: TICKER_CONFIDENCE.cashtag, method: 'cashtag' },
    ]);
    expect(symbols(link('Watching $AI and $F today'))).toEqual(['AI', 'F']);
    expect(link('$tsla and $5B and US$AAPL')).toEqual([]);
  });

  it('matches company names against the asset list', () => {
    expect(link('Apple Inc. and Microsoft sign a cloud deal')).toEqual([
      { symbol: 'AAPL', confidence: TICKER_CONFIDENCE.legalName, method: 'name' },
      { symbol: 'MSFT', confidence: TICKER_CONFIDENCE.singleName, method: 'name' },
    ]);
  });

  it('prefers the longest name: Apple Hospitality is not Apple', () => {
    expect(symbols(link('Apple Hospitality REIT raises its dividend'))).toEqual(['APLE']);
    expect(symbols(link("Apple's iPhone sales slow"))).toEqual(['AAPL']);
  });

  it('understands possessives, typographic apostrophes, ampersands, hyphens and .com', () => {
    expect(
      symbols(link('McDonald\u2019s and Coca-Cola team up; Johnson & Johnson falls; Amazon gains')).sort(),
    ).toEqual(['AMZN', 'JNJ', 'KO', 'MCD']);
    expect(symbols(link('Coca Cola shares rise'))).toEqual(['KO']);
  });

  it('reads the legal form of names listed as "Allstate Corporation (The)"', () => {
    expect(link('Allstate Corporation raises dividend')).toEqual([
      { symbol: 'ALL', confidence: TICKER_CONFIDENCE.legalName, method: 'name' },
    ]);
  });

  it('cuts security descriptions and legal forms from asset names', () => {
    expect(symbols(link('Alibaba, Energy Transfer and General Motors report')).sort()).toEqual(['BABA', 'ET', 'GM']);
    expect(symbols(link('Sony and Honda Motor form a venture')).sort()).toEqual(['HMC', 'SONY']);
    expect(symbols(link('NIO deliveries jump'))).toEqual(['NIO']);
  });

  it('uses a unique first word of a longer name, at lower confidence', () => {
    expect(link('Ford recalls trucks')).toEqual([
      { symbol: 'F', confidence: TICKER_CONFIDENCE.shortName, method: 'name' },
    ]);
    expect(symbols(link('Brinova soars; Korvex dips'))).toEqual(['BRNV', 'KRV']);
  });

  it('does not use a first word two companies share or a common word', () => {
    // "General" starts General Motors and General Electric; "Target", "Gap", "News" are words.
    expect(link('General outlook improves')).toEqual([]);
    expect(link('Analysts Raise Price Target, See Gap Closing; News Flow Strong')).toEqual([]);
    expect(symbols(link('General Electric and General Motors'))).toEqual(['GE', 'GM']);
    expect(symbols(link('Target Corporation beats'))).toEqual(['TGT']);
  });

  it('needs a capital letter to start a name', () => {
    expect(link('an apple a day; microsoft word')).toEqual([]);
  });

  it('gives a shared name to the preferred share class', () => {
    expect(symbols(link('Alphabet earnings beat'))).toEqual(['GOOGL']);
  });

  it('never matches warrants by name, but still by symbol', () => {
    expect(symbols(link('DraftKings raises outlook'))).toEqual(['DKNG']);
    expect(symbols(link('$DKNG.WS jumps'))).toEqual(['DKNG.WS']);
  });

  it('links capitals in parentheses when they are a listed symbol and no common word', () => {
    expect(link('Roper  ( ROP )  Gears Up to Post Q2 Earnings')).toEqual([
      { symbol: 'ROP', confidence: TICKER_CONFIDENCE.parenthesised, method: 'exchange' },
    ]);
    expect(symbols(link('Should You Invest in the Technology Select Sector SPDR ETF  ( XLK ) ?'))).toEqual(['XLK']);
    expect(link('Buffett Has $135 Billion in 1 Artificial Intelligence  ( AI )  Stock')).toEqual([]);
    expect(link('Guidance (A) and (IT) costs (CEO)')).toEqual([]);
  });

  it('uses provider symbols from the asset list, less surely when a provider tags many', () => {
    expect(link('Markets wrap', undefined, ['AAPL', 'BTCUSD'])).toEqual([
      { symbol: 'AAPL', confidence: TICKER_CONFIDENCE.provider, method: 'provider' },
    ]);
    const many = link('Earnings Scheduled For March 4', undefined, [
      'AAPL',
      'MSFT',
      'TSLA',
      'AMZN',
      'NFLX',
      'GOOGL',
      'AMD',
    ]);
    expect(many).toHaveLength(7);
    for (const l of many) expect(l.confidence).toBeCloseTo(0.75, 10);
  });

  it('keeps one link per symbol, the most confident, most confident first', () => {
    const links = link('Ford (NYSE: F) beats; Ford Motor raises outlook', 'Ford Motor Company said …', ['F']);
    expect(links).toEqual([{ symbol: 'F', confidence: TICKER_CONFIDENCE.provider, method: 'provider' }]);
    const mixed = link('$TSLA rallies as Tesla, Inc. tops Ford');
    expect(mixed).toEqual([
      { symbol: 'TSLA', confidence: TICKER_CONFIDENCE.legalName, method: 'name' },
      { symbol: 'F', confidence: TICKER_CONFIDENCE.shortName, method: 'name' },
    ]);
  });

  it('counts a summary-only mention at 0.9', () => {
    const links = link('Automaker beats estimates', 'Ford Motor Company (NYSE: F) said profit rose.');
    expect(links).toEqual([{ symbol: 'F', confidence: 0.828, method: 'exchange' }]);
  });

  it('reads the real Benzinga and Alpha Vantage title forms', () => {
    expect(
      symbols(
        link(
          'Apple Adjusts Hollywood Approach, Cuts Costs on Original Shows: Report - Netflix  ( NASDAQ:NFLX ) , Apple  ( NASDAQ:AAPL ) ',
        ),
      ),
    ).toEqual(['NFLX', 'AAPL']);
    expect(
      symbols(
        link(
          'Why Coinbase Is Against Banning All Russians From Crypto Exchange',
          'Cryptocurrency exchange Coinbase Global Inc. (NASDAQ: COIN) has said it would not preemptively ban all Russian account holders',
          ['BTCUSD', 'COIN', 'DOGEUSD', 'ETHUSD'],
        ),
      ),
    ).toEqual(['COIN']);
    expect(
      symbols(link('Barrick Gold Earlier Raises Its Qtr. Dividend From $0.09 To $0.10/Share', undefined, ['GOLD'])),
    ).toEqual(['GOLD']);
  });

  it('before an asset list is loaded, keeps explicit symbols at reduced confidence and no names', () => {
    const empty = createTickerIndex([]);
    expect(
      extractTickers(empty, { headline: 'Ford (NYSE: F) and $TSLA; Apple Inc.', providerSymbols: ['AAPL'] }),
    ).toEqual([
      {
        symbol: 'AAPL',
        confidence: Math.round(TICKER_CONFIDENCE.provider * UNVERIFIED_FACTOR * 1000) / 1000,
        method: 'provider',
      },
      {
        symbol: 'F',
        confidence: Math.round(TICKER_CONFIDENCE.exchange * UNVERIFIED_FACTOR * 1000) / 1000,
        method: 'exchange',
      },
      {
        symbol: 'TSLA',
        confidence: Math.round(TICKER_CONFIDENCE.cashtag * UNVERIFIED_FACTOR * 1000) / 1000,
        method: 'cashtag',
      },
    ]);
  });

  it('reports where each mention is', () => {
    const mentions = findTickerMentions(index, {
      headline: 'Korvex to acquire Brinova',
      summary: 'Brinova (NASDAQ: BRNV) agreed.',
    });
    expect(mentions.map((m) => [m.symbol, m.field, m.index])).toEqual([
      ['KRV', 'headline', 0],
      ['BRNV', 'headline', 18],
      ['BRNV', 'summary', 9],
      ['BRNV', 'summary', 0],
    ]);
  });

  it('returns links with confidences in 0..1, one per symbol, for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 120 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 5 }),
        (text, provided) => {
          const links = extractTickers(index, { headline: text, summary: text, providerSymbols: provided });
          const seen = new Set<string>();
          for (const l of links) {
            expect(l.confidence).toBeGreaterThan(0);
            expect(l.confidence).toBeLessThanOrEqual(1);
            expect(index.assets.has(l.symbol)).toBe(true);
            expect(seen.has(l.symbol)).toBe(false);
            seen.add(l.symbol);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
