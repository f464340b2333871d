import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainInputError } from '../../src/errors';
import { classifyCatalyst, classifyNewsCatalyst, findCatalyst } from '../../src/news/catalyst';
import { CATALYST_RULES } from '../../src/news/catalyst-rules';
import { DEFAULT_HALF_LIFE_MINUTES, catalystScore, type CatalystScoreInput } from '../../src/news/catalyst-score';
import { CATALYST_TYPES, type CatalystClassification, type CatalystType, type Direction } from '../../src/news/types';

/** Headlines as outlets and wires write them, by the catalyst they report and its direction. */
const CASES: Record<Exclude<CatalystType, never>, Array<[string, Direction]>> = {
  earnings_beat: [
    ['Barrick Gold Earlier Reported Q4 EPS $0.35 Beats $0.31 Estimate, Sales $3.31B Beat $3.18B Estimate', 'bullish'],
    ['Netflix  ( NFLX )  Q2 Earnings Beat, Revenues Rise Y/Y on User Gain', 'bullish'],
    ['Microsoft tops Wall Street estimates as cloud growth accelerates', 'bullish'],
    ['JPMorgan profit surpasses expectations on strong trading revenue', 'bullish'],
    ['Nike shares jump after better-than-expected quarterly results', 'bullish'],
    ['Alphabet Q1 earnings crush estimates, announces first dividend', 'bullish'],
    ["Costco quarterly revenue above analysts' estimates", 'bullish'],
    ['Delta Air Lines beats on earnings and revenue', 'bullish'],
    ['Company X reports Q2 EPS $1.35 vs $1.25 est.', 'bullish'],
    ['Meta smashes revenue expectations, stock soars', 'bullish'],
    ['Nvidia posts record quarterly revenue of $26 billion', 'bullish'],
  ],
  earnings_miss: [
    ['Silvercorp Metals Q3 EPS $0.02 Misses $0.04 Estimate, Sales $50M Miss $55M Estimate', 'bearish'],
    ['Intel misses revenue estimates as PC demand slumps', 'bearish'],
    ['Target quarterly profit falls short of Wall Street expectations', 'bearish'],
    ['Snap shares plunge after results disappoint', 'bearish'],
    ['Walgreens posts worse-than-expected quarterly results', 'bearish'],
    ['Apple fails to beat estimates for the first time in years', 'bearish'],
    ['Company X reports Q2 EPS $(0.12) vs $0.05 est.', 'bearish'],
    ['Boeing swings to a loss on 737 MAX charges', 'bearish'],
    ['Peloton loss widens as subscriptions fall', 'bearish'],
    ['Lululemon earnings miss sends shares lower', 'bearish'],
    ["Papa John's swings to a loss as fallout from spat with founder weighs on profits - CNBC", 'bearish'],
  ],
  guidance_raise: [
    ['Nvidia raises full-year revenue forecast on AI demand', 'bullish'],
    ['Eli Lilly lifts 2024 outlook as Mounjaro sales soar', 'bullish'],
    ['Caterpillar boosts annual profit guidance', 'bullish'],
    ['Chipotle hikes same-store sales forecast', 'bullish'],
    ['Uber guidance raised after strong bookings', 'bullish'],
    ['Salesforce sees FY revenue above consensus estimates', 'bullish'],
    ['Broadcom issues upbeat outlook for AI chip sales', 'bullish'],
    ['Apple Hospitality REIT upped its FY2024 guidance', 'bullish'],
  ],
  guidance_cut: [
    ['FedEx cuts full-year profit forecast as demand weakens', 'bearish'],
    ['Nike lowers annual sales outlook, shares tumble', 'bearish'],
    ['3M slashes guidance amid litigation costs', 'bearish'],
    ['UPS withdraws 2024 forecast', 'bearish'],
    ['Tesla issues weak outlook for vehicle deliveries', 'bearish'],
    ["Adobe sees Q3 revenue below analysts' expectations", 'bearish'],
    ['Micron warns on revenue as memory prices fall', 'bearish'],
    ['Carnival issues profit warning', 'bearish'],
    ['Intel guides below consensus for Q4', 'bearish'],
  ],
  fda_approval: [
    ['FDA approves Eli Lilly Alzheimer drug donanemab', 'bullish'],
    ['Vertex wins FDA approval for non-opioid painkiller', 'bullish'],
    ['Moderna RSV vaccine approved by the FDA', 'bullish'],
    ['Biogen receives FDA clearance for new dosing regimen', 'bullish'],
    ['U.S. FDA grants accelerated approval to Company X lung cancer therapy', 'bullish'],
    ['Company X Announces FDA Approval of Zelvitra for Migraine', 'bullish'],
    ['European Commission approves Novo Nordisk obesity drug', 'bullish'],
    ['Company X stock soars on FDA nod for gene therapy', 'bullish'],
    ['FDA advisory panel votes in favor of Company X drug', 'bullish'],
  ],
  fda_rejection: [
    ['Company X Receives Complete Response Letter From FDA for Zelvitra', 'bearish'],
    ['FDA rejects Company X migraine drug, shares plunge', 'bearish'],
    ['FDA Declines to Approve Company X Drug for Migraine', 'bearish'],
    ['Company X gets CRL from FDA over manufacturing issues', 'bearish'],
    ['FDA places clinical hold on Company X gene therapy trial', 'bearish'],
    ['Company X fails to win FDA approval for lupus drug', 'bearish'],
    ['FDA advisory committee votes against Company X drug', 'bearish'],
  ],
  trial_result: [
    ['Company X phase 3 trial meets primary endpoint', 'bullish'],
    ['Company X reports positive topline results from Phase 2b study', 'bullish'],
    ['Company X drug fails to meet primary endpoint in late-stage trial', 'bearish'],
    ['Company X halts Phase 3 trial after futility analysis', 'bearish'],
    ['Company X discontinues development of lead program', 'bearish'],
    ['Company X pivotal study succeeded, company says', 'bullish'],
    ['Company X to present Phase 2 data at ASCO', 'neutral'],
  ],
  merger_acquisition: [
    ['Pfizer to acquire Seagen for $43 billion', 'bullish'],
    ['Company X to be acquired by Company Y for $12 per share', 'bullish'],
    ['Company X Agrees to $3.2B Takeover by Company Y', 'bullish'],
    ['Company X surges on $45-a-share buyout deal', 'bullish'],
    ['Company X receives unsolicited takeover offer', 'bullish'],
    ['Company X explores sale after takeover interest', 'bullish'],
    ['Microsoft completes acquisition of Activision Blizzard', 'bullish'],
    ['Chevron agrees to buy Hess in $53 billion all-stock deal', 'bullish'],
    ['Company X and Company Y to merge in all-stock deal', 'bullish'],
    ['Broadcom makes takeover bid for Company X', 'bullish'],
  ],
  analyst_upgrade: [
    ['Goldman Sachs upgrades Apple to Buy', 'bullish'],
    ['Tesla upgraded to Outperform at Baird', 'bullish'],
    ['Nvidia gets upgrade from Morgan Stanley', 'bullish'],
    ['Analyst upgrades: Ford, Pfizer, Netflix', 'bullish'],
    ['Bank of America upgrades Boeing to Neutral from Underperform', 'bullish'],
    ['Ford shares rise after Jefferies upgrade', 'bullish'],
  ],
  analyst_downgrade: [
    ['Morgan Stanley downgrades Apple to Equal Weight', 'bearish'],
    ['Intel downgraded to Sell at Goldman Sachs', 'bearish'],
    ['CrowdStrike Faces Downgrades Amid Concerns Over Pricing', 'bearish'],
    ["Moody's downgrades Company X credit rating to junk", 'bearish'],
    ['Company X falls after Citi downgrade', 'bearish'],
  ],
  analyst_initiation: [
    ['JPMorgan initiates coverage of Company X with Overweight rating', 'bullish'],
    ['Goldman starts coverage on Company X at Sell', 'bearish'],
    ['Barclays initiates Company X at Equal Weight', 'neutral'],
    ['Wedbush resumes coverage of Tesla', 'neutral'],
  ],
  price_target: [
    ['Wedbush raises Tesla price target to $300', 'bullish'],
    ['Citi lowers Apple price target to $200, keeps Buy', 'bearish'],
    ['Apple price target cut to $180 at Barclays', 'bearish'],
    ['Nvidia price target raised to $1,200 at Bank of America', 'bullish'],
    ['Jefferies maintains Hold on Ford, price target $12', 'neutral'],
  ],
  offering: [
    ['Company X Prices $100M Public Offering of Common Stock at $12 Per Share', 'bearish'],
    ['Company X Announces Proposed $50 Million Underwritten Offering', 'bearish'],
    ['Company X Drops on Dilutive $100M Share Sale', 'bearish'],
    ['Company X announces $25 million registered direct offering', 'bearish'],
    ['Company X enters into at-the-market offering program', 'bearish'],
    ['Company X to sell $500 million of new shares', 'bearish'],
    ['Company X prices $300 million convertible senior notes offering', 'bearish'],
    ['Company X Said to Weigh Stock Sale', 'bearish'],
    ['Company X announces $40 million private placement', 'bearish'],
    ["Uber IPO: Will Uber drivers profit from tech company's initial public offering? - CBS News", 'neutral'],
  ],
  buyback: [
    ['Apple announces record $110 billion share buyback', 'bullish'],
    ['Company X Board Authorizes $500M Share Repurchase Program', 'bullish'],
    ['Barrick Announces Share Buyback Program of Up to $1B', 'bullish'],
    ['Company X expands buyback authorization by $2 billion', 'bullish'],
    ['Company X to repurchase up to 10% of its shares', 'bullish'],
    ['Company X suspends share buyback to preserve cash', 'bearish'],
  ],
  dividend_change: [
    ['Barrick Gold Earlier Raises Its Qtr. Dividend From $0.09 To $0.10/Share', 'bullish'],
    ['Company X hikes quarterly dividend by 10%', 'bullish'],
    ['Company X declares special cash dividend of $1.00', 'bullish'],
    ['Company X initiates first-ever quarterly dividend', 'bullish'],
    ['Company X slashes dividend by 50% to conserve cash', 'bearish'],
    ['Company X suspends dividend amid losses', 'bearish'],
    ['Company X declares regular quarterly dividend of $0.25', 'neutral'],
  ],
  lawsuit: [
    ['Company X Faces Class Action Lawsuit Over Misleading Statements', 'bearish'],
    ['Investors Sue Company X Over Data Breach', 'bearish'],
    ['Justice Department sues Apple over smartphone monopoly', 'bearish'],
    ['Company X hit with $1 billion patent infringement suit', 'bearish'],
    ['Jury orders Company X to pay $2 billion in patent case', 'bearish'],
    ['Judge dismisses lawsuit against Company X', 'bullish'],
    ['Company X settles shareholder lawsuit for $50 million', 'neutral'],
    [
      'SHAREHOLDER ALERT: Rosen Law Firm reminds investors of lead plaintiff deadline in Company X class action',
      'bearish',
    ],
  ],
  investigation: [
    ['SEC opens probe into Company X accounting', 'bearish'],
    ['Company X Reportedly Facing Federal Probe Over Billing Practices', 'bearish'],
    ['Company X receives subpoena from Department of Justice', 'bearish'],
    ['EU launches antitrust investigation into Company X', 'bearish'],
    ['Company X to restate financial statements after accounting review', 'bearish'],
    ['SEC closes investigation into Company X without action', 'bullish'],
  ],
  recall: [
    ['Tesla recalls 2 million vehicles over Autopilot concerns', 'bearish'],
    ['Company X issues voluntary recall of infant formula', 'bearish'],
    ['Ford recalls 1.9 million Explorer SUVs', 'bearish'],
    ['FDA announces Class I recall of Company X heart pumps', 'bearish'],
    ['Company X expands recall of contaminated products', 'bearish'],
  ],
  contract_win: [
    ['Company X Awarded $250M Contract by U.S. Army', 'bullish'],
    ['Company X Wins 5-Year $250M Deal With Department of Energy', 'bullish'],
    ['Lockheed Martin lands $7.8 billion Pentagon contract', 'bullish'],
    ['Company X secures multi-year supply agreement with Tesla', 'bullish'],
    ['Company X receives $40 million order from major utility', 'bullish'],
    ['Company X Rises on $250M Contract Award', 'bullish'],
    ['Company X loses key government contract', 'bearish'],
  ],
  partnership: [
    ['Sony To Establish Joint Venture With Honda To Make Electric Vehicles', 'bullish'],
    ['Company X partners with Microsoft on AI cloud services', 'bullish'],
    ['Company X and Company Y announce strategic collaboration', 'bullish'],
    ['Company X teams up with Nvidia for autonomous driving', 'bullish'],
    ['Company X signs licensing agreement with Roche', 'bullish'],
  ],
  executive_change: [
    ['Company X Announces CEO John Smith to Step Down Effective Immediately', 'bearish'],
    ['Company X CEO John Smith Departs Abruptly', 'bearish'],
    ['Company X CFO resigns amid accounting review', 'bearish'],
    ['Company X board ousts chief executive', 'bearish'],
    ['Company X Appoints Jane Doe as CEO', 'neutral'],
    ['Company X names new chief financial officer', 'neutral'],
    ['Company X Announces Leadership Transition: Jane Doe Named Chief Executive Officer', 'neutral'],
    ['Company X CEO to retire at year end', 'neutral'],
  ],
  bankruptcy: [
    ['Company X files for Chapter 11 bankruptcy protection', 'bearish'],
    ['WeWork files for bankruptcy', 'bearish'],
    ['Company X warns of going concern doubt', 'bearish'],
    ['Company X misses interest payment on bonds', 'bearish'],
    ['Company X emerges from Chapter 11', 'bullish'],
  ],
  halt: [
    ['Trading halted in Company X pending news', 'neutral'],
    ['Nasdaq halts trading in Company X shares', 'neutral'],
    ['Company X shares halted for volatility', 'neutral'],
    ['SEC suspends trading in Company X over questions about its disclosures', 'bearish'],
  ],
  other: [
    ['Nvidia announces 10-for-1 stock split', 'bullish'],
    ['Company X announces 1-for-20 reverse stock split', 'bearish'],
    ['Company X to join S&P 500', 'bullish'],
    ['Company X receives Nasdaq delisting notice', 'bearish'],
    ['Hindenburg Research discloses short position in Company X', 'bearish'],
  ],
};

const NOT_CATALYSTS = [
  'Apple unveils new iPhone colors',
  'Earnings Scheduled For March 4, 2022',
  'Economic Data Scheduled For Friday',
  'Stock Market Game Plan For Investors After Biden Withdraws',
  'Check Out What Whales Are Doing With AAPL',
  'How Much Apple Stock Does Billionaire Warren Buffett Own?',
  "Apple Stock Soars to New Peak. Here's Why I'm Doubling Down.",
  'iPhone upgrade cycle to lift Apple sales',
  'Warren Buffett buys more Apple shares',
  'Time to buy Apple stock?',
  'Microsoft upgrades Windows to add AI features',
  'Apple upgraded its iPhone camera',
  'Roper  ( ROP )  Gears Up to Post Q2 Earnings: Is a Beat in Store?',
  '3 Semiconductor Stocks That Could Go Parabolic',
  'Fed raises interest rates by a quarter point',
  'Oil prices rise as OPEC signals output restraint',
  "What's Going On With Arm Stock On Friday?",
  'The Best Dividend Stock ETF to Invest $1,000 in Right Now',
  'Tesla unveils Cybercab robotaxi at Hollywood event',
  'Amazon Prime Day sales hit new record',
  'CEO recalls early days of the company in interview',
  'Disney CEO Bob Iger says streaming will be profitable',
  'Company X to present at investor conference',
  'Company X to report fourth-quarter results on February 20',
  'Shares of Company X trade higher in premarket',
];

describe('classifyCatalyst', () => {
  it('has examples of every catalyst type', () => {
    expect(Object.keys(CASES).sort()).toEqual([...CATALYST_TYPES].sort());
  });

  for (const [type, list] of Object.entries(CASES)) {
    describe(type, () => {
      it.each(list)('%j → %s', (headline, direction) => {
        const found = classifyCatalyst(headline);
        expect(found?.type).toBe(type);
        expect(found?.direction).toBe(direction);
        expect(found?.terms.length).toBeGreaterThan(0);
      });
    });
  }

  it.each(NOT_CATALYSTS)('no catalyst in %j', (headline) => {
    const found = classifyCatalyst(headline);
    if (found !== null) {
      expect(found.type).toBe('other');
      expect(found.strength).toBeLessThanOrEqual(0.3);
    }
  });

  it('returns exactly null for a product headline', () => {
    expect(classifyCatalyst('Apple unveils new iPhone colors')).toBeNull();
  });

  it('names the phrases that decided it', () => {
    expect(classifyCatalyst('Brinova Lifts Full-Year Outlook on Strong Demand')).toEqual({
      type: 'guidance_raise',
      direction: 'bullish',
      strength: 0.75,
      terms: ['lifts full-year outlook'],
      details: {},
    });
  });

  describe('wording', () => {
    it('turns a negated beat into a miss and drops a negated cut', () => {
      expect(classifyCatalyst('Apple does not beat estimates')).toMatchObject({
        type: 'earnings_miss',
        direction: 'bearish',
      });
      expect(classifyCatalyst('Apple fails to beat estimates')).toMatchObject({
        type: 'earnings_miss',
        direction: 'bearish',
      });
      expect(classifyCatalyst('Company X has no plans to cut its dividend')).toBeNull();
      expect(classifyCatalyst('Company X did not meet primary endpoint')).toMatchObject({
        type: 'trial_result',
        direction: 'bearish',
      });
    });

    it('does not take "weighs on" for a rumour', () => {
      expect(classifyCatalyst("Papa John's swings to a loss as fallout weighs on profits")?.details).toEqual({});
    });

    it('discounts unconfirmed reports and says so', () => {
      const plain = classifyCatalyst('Apple beats estimates');
      const rumour = classifyCatalyst('Apple reportedly beats estimates');
      expect(plain?.strength).toBe(0.7);
      expect(rumour?.strength).toBe(0.49);
      expect(rumour?.details).toEqual({ unconfirmed: true });
      expect(rumour?.terms).toContain('reportedly');
    });

    it('discounts questions and earnings previews', () => {
      expect(classifyCatalyst('Will Apple beat estimates?')?.strength).toBe(0.49);
      expect(classifyCatalyst('Earnings preview: Apple expected to beat estimates')?.strength).toBe(0.245);
    });

    it('turns a denied event around', () => {
      expect(classifyCatalyst('Company X denies report it will be acquired by Company Y')).toMatchObject({
        type: 'merger_acquisition',
        direction: 'bearish',
        strength: 0.425,
        details: { denied: true, dealRole: 'target' },
      });
      // Denying wrongdoing does not end a probe.
      expect(classifyCatalyst('Company X denies wrongdoing in SEC probe')).toMatchObject({
        type: 'investigation',
        direction: 'bearish',
      });
    });

    it('marks opposite findings of one kind as mixed and weaker', () => {
      expect(classifyCatalyst('Company X EPS beats estimates but revenue misses')).toMatchObject({
        type: 'earnings_beat',
        strength: 0.49,
        details: { mixed: true },
      });
    });

    it('moves strength with intensifiers and dampeners', () => {
      expect(classifyCatalyst('Company X slightly beats estimates')?.strength).toBe(0.6);
      expect(classifyCatalyst('Company X posts record profit, crushes estimates')?.strength).toBe(0.8);
    });

    it('caps law-firm notices', () => {
      expect(
        classifyCatalyst(
          'Rosen Law Firm announces investigation of securities claims against Company X on behalf of investors',
        ),
      ).toMatchObject({ type: 'investigation', strength: 0.15 });
    });

    it('lets guidance outrank the earnings result in the same headline', () => {
      expect(classifyCatalyst('Ford beats quarterly profit estimates, raises full-year outlook')?.type).toBe(
        'guidance_raise',
      );
      expect(classifyCatalyst("Adobe sees Q3 revenue below analysts' expectations")?.type).toBe('guidance_cut');
    });

    it('does not read the company UPS as a verb', () => {
      expect(classifyCatalyst('UPS withdraws 2024 forecast')).toMatchObject({
        type: 'guidance_cut',
        direction: 'bearish',
      });
    });
  });

  describe('deal roles', () => {
    it.each([
      ['Korvex Industries to Acquire Brinova Therapeutics for $45 Per Share in Cash', 'acquirer'],
      ['Brinova Agrees to $3.2B Takeover by Korvex Industries', 'target'],
      ['BRNV Surges on $45-a-Share Buyout Deal', 'target'],
      ['Company X receives unsolicited takeover offer', 'target'],
      ['Rumor: Korvex in Talks to Buy Brinova (BRNV)', 'acquirer'],
    ])('%j: the company named first is the %s', (headline, role) => {
      const found = classifyCatalyst(headline);
      expect(found?.type).toBe('merger_acquisition');
      expect(found?.details.dealRole).toBe(role);
    });
  });

  describe('sentiment', () => {
    it('settles the direction of findings that are neutral by type', () => {
      expect(classifyCatalyst('Trading halted in Company X', { label: 'negative', score: -0.6 })?.direction).toBe(
        'bearish',
      );
      expect(classifyCatalyst('Company X names new CEO', { label: 'positive', score: 0.5 })?.direction).toBe('bullish');
      expect(classifyCatalyst('Company X names new CEO', { label: 'neutral', score: 0.1 })?.direction).toBe('neutral');
    });

    it('never overrides a direction the words give', () => {
      expect(classifyCatalyst('FDA rejects Company X drug', { label: 'positive', score: 0.9 })?.direction).toBe(
        'bearish',
      );
    });
  });

  describe('headline and summary', () => {
    it('counts a summary-only catalyst at 0.75', () => {
      expect(
        classifyNewsCatalyst({
          headline: 'Company X shares jump',
          summary: 'Company X beat analyst estimates for the quarter.',
        }),
      ).toMatchObject({ type: 'earnings_beat', strength: 0.525 });
    });

    it('prefers the headline', () => {
      expect(
        classifyNewsCatalyst({
          headline: 'Company X upgraded to Buy at Citi',
          summary: 'The company also raised its dividend.',
        })?.type,
      ).toBe('analyst_upgrade');
    });

    it('tells where the deciding phrase is', () => {
      const found = findCatalyst({ headline: 'Korvex to acquire Brinova' });
      expect(found).toMatchObject({ field: 'headline', index: 7, end: 17 });
    });
  });

  it('answers null for input that is not text', () => {
    expect(classifyCatalyst(undefined as unknown as string)).toBeNull();
    expect(findCatalyst(null as unknown as { headline: string })).toBeNull();
  });

  it('handles any text without throwing, within bounds', () => {
    const words = fc.constantFrom(
      'beats',
      'misses',
      'estimates',
      'raises',
      'cuts',
      'guidance',
      'FDA',
      'approves',
      'not',
      'upgrade',
      'to',
      'Buy',
      'acquire',
      'offering',
      'buyback',
      'dividend',
      'CEO',
      'resigns',
      'halted',
      'trading',
      'recall',
      'probe',
      '?',
      'reportedly',
      'denies',
      'record',
      'Company',
      'X',
      '$45',
      'per',
      'share',
      'in',
      'cash',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.array(words, { maxLength: 20 }).map((w) => w.join(' ')),
        ),
        (text) => {
          const found = classifyCatalyst(text);
          if (found === null) return;
          expect(CATALYST_TYPES).toContain(found.type);
          expect(['bullish', 'bearish', 'neutral']).toContain(found.direction);
          expect(found.strength).toBeGreaterThanOrEqual(0.05);
          expect(found.strength).toBeLessThanOrEqual(1);
          expect(found.terms.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('lists for every rule fragments that really occur in what it matches', () => {
    const samples = Object.values(CASES).flatMap((list) => list.map(([h]) => h.toLowerCase()));
    for (const rule of CATALYST_RULES) {
      for (const text of samples) {
        rule.pattern.lastIndex = 0;
        const m = rule.pattern.exec(text);
        if (m === null) continue;
        // The match with one character either side: fragments may include the spaces around a word.
        const around = ` ${text} `.slice(m.index, m.index + m[0].length + 2);
        expect(
          rule.needs.some((need) => around.includes(need)),
          `${rule.pattern.source.slice(0, 60)} on ${text}`,
        ).toBe(true);
      }
    }
  });
});

describe('catalystScore', () => {
  const approval: CatalystClassification = {
    type: 'fda_approval',
    direction: 'bullish',
    strength: 0.9,
    terms: ['fda approves'],
  };
  const base: CatalystScoreInput = {
    classification: approval,
    sentiment: { label: 'positive', score: 0.7 },
    sourceQuality: 0.95,
    publishedAt: '2024-07-22T14:00:00Z',
    now: '2024-07-22T14:00:00Z',
    independentSources: 1,
  };

  it('combines strength, recency, quality, confirmation and agreement', () => {
    expect(catalystScore(base)).toEqual({
      score: 0.7347,
      components: {
        strength: 0.9,
        recency: 1,
        sourceQuality: 0.95,
        confirmation: 0.5,
        sentimentAgreement: 0.85,
        ageMinutes: 0,
        halfLifeMinutes: DEFAULT_HALF_LIFE_MINUTES,
      },
    });
  });

  it('halves with each half-life of age', () => {
    const fresh = catalystScore(base).score;
    const hour = catalystScore({ ...base, now: '2024-07-22T15:00:00Z' });
    expect(hour.components.recency).toBe(0.5);
    expect(hour.components.ageMinutes).toBe(60);
    expect(hour.score).toBeCloseTo(fresh / 2, 3);
    expect(catalystScore({ ...base, now: '2024-07-22T15:00:00Z', halfLifeMinutes: 30 }).components.recency).toBe(0.25);
  });

  it('treats a time in the future as fresh', () => {
    expect(catalystScore({ ...base, now: '2024-07-22T13:00:00Z' }).components.recency).toBe(1);
  });

  it('adds less with every further source', () => {
    const scores = [0, 1, 2, 3, 4].map((n) => catalystScore({ ...base, independentSources: n }).score);
    const gains = scores.slice(1).map((s, i) => s - (scores[i] as number));
    for (let i = 1; i < gains.length; i++) expect(gains[i]).toBeLessThan(gains[i - 1] as number);
    expect(catalystScore({ ...base, independentSources: 3 }).components.confirmation).toBe(0.875);
  });

  it('ranks a rumour on a promotional site well below the same news on a wire', () => {
    const rumour = catalystScore({
      ...base,
      classification: { ...approval, strength: 0.63 },
      sourceQuality: 0.25,
      independentSources: 2,
    }).score;
    expect(rumour).toBeLessThan(catalystScore(base).score / 2);
  });

  it('counts sentiment that contradicts the catalyst against it', () => {
    const against = catalystScore({ ...base, sentiment: { label: 'negative', score: -0.7 } });
    expect(against.components.sentimentAgreement).toBeCloseTo(0.15, 10);
    expect(against.score).toBeLessThan(catalystScore(base).score);
  });

  it('is zero without a catalyst', () => {
    expect(catalystScore({ ...base, classification: null }).score).toBe(0);
  });

  it('accepts epoch milliseconds and the time forms normalizeTime reads', () => {
    const ms = Date.UTC(2024, 6, 22, 14);
    expect(catalystScore({ ...base, publishedAt: ms, now: ms + 30 * 60_000 }).components.ageMinutes).toBe(30);
    expect(catalystScore({ ...base, publishedAt: 'Mon, 22 Jul 2024 10:00:00 -0400' }).components.ageMinutes).toBe(0);
  });

  it.each<[Partial<CatalystScoreInput>, string]>([
    [{ publishedAt: 'yesterday' }, 'NEWS.INVALID_TIME'],
    [{ now: Number.NaN }, 'NEWS.INVALID_TIME'],
    [{ sourceQuality: Number.NaN }, 'NEWS.INVALID_SCORE_INPUT'],
    [{ independentSources: Number.NaN }, 'NEWS.INVALID_SCORE_INPUT'],
    [{ halfLifeMinutes: 0 }, 'NEWS.INVALID_SCORE_INPUT'],
    [{ halfLifeMinutes: -5 }, 'NEWS.INVALID_SCORE_INPUT'],
    [
      { classification: { type: 'buyback', direction: 'bullish', strength: Number.NaN, terms: [] } },
      'NEWS.INVALID_SCORE_INPUT',
    ],
    [{ sentiment: { label: 'positive', score: Number.NaN } }, 'NEWS.INVALID_SCORE_INPUT'],
  ])('refuses %j with %s', (patch, code) => {
    expect(() => catalystScore({ ...base, ...patch })).toThrow(DomainInputError);
    try {
      catalystScore({ ...base, ...patch });
    } catch (e) {
      expect((e as DomainInputError).code).toBe(code);
    }
  });

  const anyInput = fc.record({
    type: fc.constantFrom(...CATALYST_TYPES),
    direction: fc.constantFrom<Direction>('bullish', 'bearish', 'neutral'),
    strength: fc.double({ min: -0.5, max: 1.5, noNaN: true }),
    sentiment: fc.double({ min: -1, max: 1, noNaN: true }),
    quality: fc.double({ min: -1, max: 2, noNaN: true }),
    ageMinutes: fc.double({ min: 0, max: 100_000, noNaN: true }),
    sources: fc.integer({ min: 0, max: 50 }),
    halfLife: fc.double({ min: 1, max: 10_000, noNaN: true }),
  });
  const inputOf = (
    r: typeof anyInput extends fc.Arbitrary<infer T> ? T : never,
    extra: Partial<CatalystScoreInput> = {},
  ) => ({
    classification: { type: r.type, direction: r.direction, strength: r.strength, terms: [] },
    sentiment: { label: 'neutral' as const, score: r.sentiment },
    sourceQuality: r.quality,
    publishedAt: 0,
    now: r.ageMinutes * 60_000,
    independentSources: r.sources,
    halfLifeMinutes: r.halfLife,
    ...extra,
  });

  it('stays within [0, 1]', () => {
    fc.assert(
      fc.property(anyInput, (r) => {
        const { score } = catalystScore(inputOf(r));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('never falls with more independent sources', () => {
    fc.assert(
      fc.property(anyInput, fc.integer({ min: 1, max: 10 }), (r, more) => {
        const fewer = catalystScore(inputOf(r)).score;
        const more_ = catalystScore(inputOf(r, { independentSources: r.sources + more })).score;
        expect(more_).toBeGreaterThanOrEqual(fewer);
      }),
      { numRuns: 1000 },
    );
  });

  it('never rises as the news ages', () => {
    fc.assert(
      fc.property(anyInput, fc.double({ min: 0, max: 10_000, noNaN: true }), (r, later) => {
        const now = catalystScore(inputOf(r)).score;
        const afterwards = catalystScore(inputOf(r, { now: (r.ageMinutes + later) * 60_000 })).score;
        expect(afterwards).toBeLessThanOrEqual(now);
      }),
      { numRuns: 1000 },
    );
  });
});
