import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/news/normalize-url';
import { decodeEntities, stripHtml } from '../../src/news/normalize-html';
import { easternOffsetMinutes, normalizeTime } from '../../src/news/normalize-time';
import { sameStory, storyFingerprint, storySimilarity, storyTokens } from '../../src/news/normalize-story';

describe('canonicalUrl', () => {
  it.each([
    ['https://WWW.Example.COM/news/story', 'https://www.example.com/news/story'],
    ['https://example.com/a/b/', 'https://example.com/a/b'],
    ['https://example.com/a/b///', 'https://example.com/a/b'],
    ['https://example.com/', 'https://example.com/'],
    ['https://example.com', 'https://example.com/'],
    ['https://example.com:443/x', 'https://example.com/x'],
    ['http://example.com:80/x', 'http://example.com/x'],
    ['http://example.com:8080/x', 'http://example.com:8080/x'],
    ['https://example.com/x#comments', 'https://example.com/x'],
    ['https://user:pw@example.com/x', 'https://example.com/x'],
    [
      'https://www.reuters.com/markets/deals/pfizer-seagen-2023-03-13/?utm_source=twitter&utm_medium=social&utm_campaign=x',
      'https://www.reuters.com/markets/deals/pfizer-seagen-2023-03-13',
    ],
    ['https://example.com/s?id=42&fbclid=IwAR0abc&gclid=xyz', 'https://example.com/s?id=42'],
    ['https://example.com/s?mc_cid=1&mc_eid=2&ref=home&cmpid=rss&ncid=a&sr_share=b&ocid=c', 'https://example.com/s'],
    ['https://example.com/s?UTM_Source=x&b=2&a=1', 'https://example.com/s?a=1&b=2'],
    ['https://example.com/s?b=2&a=3&a=1', 'https://example.com/s?a=1&a=3&b=2'],
    ['https://example.com/s?', 'https://example.com/s'],
    ['  https://example.com/x  ', 'https://example.com/x'],
    [
      'https://www.benzinga.com/news/24/07/39886297/apple-adjusts-hollywood-approach?utm_source=benzinga_taxonomy&utm_medium=rss_feed_free',
      'https://www.benzinga.com/news/24/07/39886297/apple-adjusts-hollywood-approach',
    ],
  ])('%s → %s', (input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it.each([
    'ftp://example.com/x',
    'mailto:ir@example.com',
    'javascript:alert(1)',
    '/relative/path',
    'not a url',
    '',
    'https://',
  ])('refuses %j', (input) => {
    expect(canonicalUrl(input)).toBeNull();
  });

  it('gives the same key for the same page reached through different links', () => {
    const a = canonicalUrl('https://News.Example.com/story/123/?utm_source=newsletter#top');
    const b = canonicalUrl('https://news.example.com/story/123?fbclid=abc');
    expect(a).toBe('https://news.example.com/story/123');
    expect(b).toBe(a);
  });

  it('returns null instead of throwing on values that are not strings', () => {
    expect(canonicalUrl(undefined as unknown as string)).toBeNull();
    expect(canonicalUrl(42 as unknown as string)).toBeNull();
  });

  it('is idempotent', () => {
    const param = fc.tuple(
      fc.constantFrom('id', 'page', 'utm_source', 'fbclid', 'ref', 'q', 'a b', 'x%', '', 'Sort'),
      fc.string({ maxLength: 8 }),
    );
    const url = fc
      .tuple(
        fc.webUrl({ withFragments: true, withQueryParameters: true }),
        fc.array(param, { maxLength: 5 }),
        fc.boolean(),
      )
      .map(([base, params, slash]) => {
        const u = new URL(base);
        for (const [k, v] of params) u.searchParams.append(k, v);
        if (slash && !u.pathname.endsWith('/')) u.pathname += '/';
        return u.href;
      });
    fc.assert(
      fc.property(url, (u) => {
        const once = canonicalUrl(u);
        expect(once).not.toBeNull();
        expect(canonicalUrl(once as string)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const out = canonicalUrl(s);
        expect(out === null || typeof out === 'string').toBe(true);
      }),
    );
  });
});

describe('stripHtml', () => {
  it.each([
    ['<p>Apple beats <b>estimates</b>.</p>', 'Apple beats estimates.'],
    ['Apple<br/>beats', 'Apple beats'],
    ['<div>Q3</div><div>results</div>', 'Q3 results'],
    ['McDonald&#39;s Corp. (NYSE: MCD)', "McDonald's Corp. (NYSE: MCD)"],
    ['McDonald&#x27;s &amp; Wendy&rsquo;s', "McDonald's & Wendy\u2019s"],
    ['AT&amp;T&nbsp;Inc.', 'AT&T Inc.'],
    ['&ldquo;Strong&rdquo; quarter &mdash; CEO', '\u201cStrong\u201d quarter \u2014 CEO'],
    ['<script>var x = "<b>bold</b>";</script>Real text', 'Real text'],
    ['<style>.a { color: red }</style><p>Body</p>', 'Body'],
    ['<!-- tracking pixel --><p>Shown</p>', 'Shown'],
    ['<a href="https://x.example/?a=1&amp;b=2" title="a > b">Link</a> text', 'Link text'],
    ['  many   \n\t spaces  ', 'many spaces'],
    ['Truncated summary with a cut tag <a href="https://exa', 'Truncated summary with a cut tag'],
    ['1 < 2 and 3 > 2', '1 < 2 and 3 > 2'],
    ['Plain text headline', 'Plain text headline'],
    ['&lt;b&gt;escaped&lt;/b&gt; tags', 'escaped tags'],
    ['Price &euro;5 &unknown; &#0; end', 'Price \u20ac5 &unknown; \ufffd end'],
    ['<![CDATA[Inside CDATA]]>', 'Inside CDATA'],
    ['zero\u200bwidth', 'zerowidth'],
  ])('%j → %j', (input, expected) => {
    expect(stripHtml(input)).toBe(expected);
  });

  it('never joins the halves of removed markup into a new tag', () => {
    expect(stripHtml('<<b>i>')).toBe('< i>');
    expect(stripHtml('<x<y>>')).toBe('>');
    expect(stripHtml('<<!-- c -->b>')).toBe('< b>');
    expect(stripHtml('<![CDATA[<b>bold</b> title]]>')).toBe('bold title');
  });

  it('stays linear on hostile input', () => {
    expect(stripHtml('<a '.repeat(100_000))).toBe('');
    expect(stripHtml('<a title="'.repeat(50_000))).toBe('');
    expect(stripHtml('<script>'.repeat(50_000))).toBe('');
    expect(stripHtml(`ok ${'<'.repeat(100_000)}`)).toBe(`ok ${'<'.repeat(100_000)}`);
    expect(stripHtml('<p>Apple &amp; Co.</p>'.repeat(20_000))).toBe(Array(20_000).fill('Apple & Co.').join(' '));
  });

  it('decodes an entity once, as a browser would', () => {
    expect(decodeEntities('&amp;#39;')).toBe('&#39;');
    expect(decodeEntities('&#8217;&#x2019;')).toBe('\u2019\u2019');
  });

  it('gives an empty string for values that are not strings', () => {
    expect(stripHtml(null as unknown as string)).toBe('');
  });

  it('never leaves a tag, whatever the input', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom(
        '<',
        '>',
        '<b>',
        '</p>',
        '<br/>',
        '&lt;',
        '&gt;',
        '<script>',
        '</script>',
        '"',
        "'",
        '<a href="',
        '<!--',
        '-->',
        '&#60;',
        'i',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const out = stripHtml(pieces.join(''));
        expect(out).not.toMatch(/<\/?[A-Za-z][^<>]*>/);
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(/\s{2}/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('normalizeTime', () => {
  it.each<[string | number, string | null]>([
    // RFC 822 / 2822 (RSS)
    ['Mon, 22 Jul 2024 14:57:14 GMT', '2024-07-22T14:57:14.000Z'],
    ['Mon, 22 Jul 2024 14:57:14 -0400', '2024-07-22T18:57:14.000Z'],
    ['Mon, 22 Jul 2024 14:57:14 +0530', '2024-07-22T09:27:14.000Z'],
    ['22 Jul 2024 14:57 EDT', '2024-07-22T18:57:00.000Z'],
    ['Tue, 05 Mar 2024 09:00:00 EST', '2024-03-05T14:00:00.000Z'],
    ['Tue, 5 Mar 2024 09:00:00 PST', '2024-03-05T17:00:00.000Z'],
    ['Wed, 02 Oct 02 13:00:00 GMT', '2002-10-02T13:00:00.000Z'],
    ['Monday, 22 July 2024 14:57:14 +0000', '2024-07-22T14:57:14.000Z'],
    ['22 Sept 2024 08:00:00 Z', '2024-09-22T08:00:00.000Z'],
    ['Sun, 31 Dec 2023 23:59:60 GMT', '2023-12-31T23:59:59.000Z'],
    // ISO 8601 (Atom, NewsAPI, Alpaca)
    ['2022-03-04T09:02:56Z', '2022-03-04T09:02:56.000Z'],
    ['2024-07-22T14:57:14+02:00', '2024-07-22T12:57:14.000Z'],
    ['2024-07-22T14:57:14.123456-0500', '2024-07-22T19:57:14.123Z'],
    ['2024-07-22 14:57:14', '2024-07-22T14:57:14.000Z'],
    ['2024-07-22T14:57:14 UTC', '2024-07-22T14:57:14.000Z'],
    ['2024-07-22', '2024-07-22T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2024-12-31T24:00:00Z', '2025-01-01T00:00:00.000Z'],
    // Alpha Vantage, US/Eastern
    ['20240722T145714', '2024-07-22T18:57:14.000Z'],
    ['20240115T093000', '2024-01-15T14:30:00.000Z'],
    ['20240722T1457', '2024-07-22T18:57:00.000Z'],
    // JavaScript's Date#toString
    ['Mon Jul 22 2024 14:57:14 GMT-0400 (Eastern Daylight Time)', '2024-07-22T18:57:14.000Z'],
    // epoch numbers and digit strings
    [1721660234, '2024-07-22T14:57:14.000Z'],
    [1721660234000, '2024-07-22T14:57:14.000Z'],
    ['1721660234', '2024-07-22T14:57:14.000Z'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeTime(input)).toBe(expected);
  });

  it.each<[string | number]>([
    ['not a date'],
    [''],
    ['2024-02-30T00:00:00Z'],
    ['2023-02-29'],
    ['2024-13-01'],
    ['2024-07-22T25:00:00Z'],
    ['2024-07-22T12:60:00Z'],
    ['Mon, 32 Jul 2024 10:00:00 GMT'],
    ['22 Jux 2024 14:57:14 GMT'],
    ['22 Jul 2024 14:57:14 XYZ'],
    ['0001-01-01T00:00:00Z'],
    ['20241301T000000'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [-5],
    ['x'.repeat(100)],
  ])('refuses %j', (input) => {
    expect(normalizeTime(input)).toBeNull();
  });

  it('reads zoneless wall-clock times in the zone it is told', () => {
    expect(normalizeTime('2024-07-22T14:57:14', { zone: 'us-eastern' })).toBe('2024-07-22T18:57:14.000Z');
    expect(normalizeTime('20240722T145714', { zone: 'utc' })).toBe('2024-07-22T14:57:14.000Z');
    expect(normalizeTime('Mon, 22 Jul 2024 14:57:14 GMT', { zone: 'us-eastern' })).toBe('2024-07-22T14:57:14.000Z');
  });

  it('takes the unit of numbers from the options when given', () => {
    expect(normalizeTime(1721660234, { unit: 'ms' })).toBe('1970-01-20T22:14:20.234Z');
    expect(normalizeTime(1721660234.5, { unit: 's' })).toBe('2024-07-22T14:57:14.500Z');
  });

  describe('US/Eastern daylight saving time, by the rule in force each year', () => {
    it.each([
      // 2024: daylight time from 10 March 02:00 to 3 November 02:00
      ['20240310T015959', '2024-03-10T06:59:59.000Z', 'last standard second before the spring change'],
      ['20240310T020000', '2024-03-10T07:00:00.000Z', 'skipped hour read as standard time'],
      ['20240310T023000', '2024-03-10T07:30:00.000Z', 'skipped hour read as standard time'],
      ['20240310T030000', '2024-03-10T07:00:00.000Z', 'first daylight wall time'],
      ['20240309T120000', '2024-03-09T17:00:00.000Z', 'day before: standard'],
      ['20241103T005959', '2024-11-03T04:59:59.000Z', 'before the repeated hour: daylight'],
      ['20241103T013000', '2024-11-03T05:30:00.000Z', 'repeated hour read as its daylight occurrence'],
      ['20241103T015959', '2024-11-03T05:59:59.000Z', 'repeated hour read as its daylight occurrence'],
      ['20241103T020000', '2024-11-03T07:00:00.000Z', 'standard again'],
      // 2023: 12 March and 5 November
      ['20230312T030000', '2023-03-12T07:00:00.000Z', '2023 spring'],
      ['20231105T020000', '2023-11-05T07:00:00.000Z', '2023 autumn'],
      // 2006 (old rule): 2 April to 29 October
      ['20060315T120000', '2006-03-15T17:00:00.000Z', 'mid-March 2006 is still standard'],
      ['20060402T030000', '2006-04-02T07:00:00.000Z', 'first Sunday of April 2006'],
      ['20061029T013000', '2006-10-29T05:30:00.000Z', 'last Sunday of October 2006, repeated hour'],
      ['20061101T120000', '2006-11-01T17:00:00.000Z', 'early November 2006 is standard'],
    ])('%s → %s (%s)', (input, expected) => {
      expect(normalizeTime(input)).toBe(expected);
    });

    it('gives -240 in summer and -300 in winter', () => {
      expect(easternOffsetMinutes(Date.UTC(2025, 6, 1, 12))).toBe(-240);
      expect(easternOffsetMinutes(Date.UTC(2025, 0, 15, 12))).toBe(-300);
    });
  });

  it('never throws and always returns an ISO UTC string or null', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.integer()), (v) => {
        const out = normalizeTime(v);
        if (out !== null) expect(out).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips every valid ISO time', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(0), max: new Date(Date.UTC(9999, 0, 1)), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(normalizeTime(iso)).toBe(iso);
        expect(normalizeTime(d.getTime(), { unit: 'ms' })).toBe(iso);
      }),
    );
  });
});

describe('storyFingerprint and sameStory', () => {
  it('reduces a title to its sorted content tokens, numbers kept', () => {
    expect(storyTokens('Pfizer to acquire Seagen for $43 billion')).toEqual(['43b', 'acquire', 'pfizer', 'seagen']);
    expect(storyFingerprint('Tesla recalls 120,000 Model S cars')).toBe('120000 car model recall tesla');
  });

  it('ignores outlet suffixes, wire prefixes, case and word order', () => {
    const base = storyFingerprint('Nvidia raises revenue forecast on AI chip demand');
    expect(storyFingerprint('UPDATE 2-Nvidia raises revenue forecast on AI chip demand')).toBe(base);
    expect(storyFingerprint('Nvidia Raises Revenue Forecast On AI Chip Demand - Reuters')).toBe(base);
    expect(storyFingerprint('NVIDIA RAISES REVENUE FORECAST ON AI CHIP DEMAND | Benzinga')).toBe(base);
    expect(storyFingerprint('On AI chip demand, Nvidia raises revenue forecast')).toBe(base);
  });

  it('drops ticker tags syndicated titles carry', () => {
    expect(
      storyFingerprint(
        'Apple Adjusts Hollywood Approach, Cuts Costs on Original Shows: Report - Netflix  ( NASDAQ:NFLX ) , Apple  ( NASDAQ:AAPL ) ',
      ),
    ).toBe(storyFingerprint('Apple adjusts Hollywood approach, cuts costs on original shows'));
  });

  it.each([
    ['Pfizer to acquire Seagen for $43 billion', 'Pfizer agrees to buy Seagen in $43B deal - Reuters'],
    [
      'Tesla recalls 2 million vehicles over Autopilot concerns',
      'Tesla Recalls 2M Vehicles Over Autopilot Safety Concerns | Benzinga',
    ],
    [
      'UPDATE 2-Nvidia raises revenue forecast on AI chip demand',
      'Nvidia lifts revenue outlook as AI chip demand surges',
    ],
    ['Ford beats quarterly profit estimates', 'Ford Q2 earnings top expectations - CNBC'],
    ['FDA approves Eli Lilly Alzheimer drug donanemab', "Eli Lilly's Alzheimer's drug donanemab wins FDA approval"],
    ['Goldman Sachs upgrades Apple to Buy', 'Apple upgraded to Buy at Goldman Sachs'],
    ['Boeing CEO Dave Calhoun to step down', 'Boeing Chief Executive Calhoun To Step Down At Year End - WSJ'],
    [
      'Brinova Therapeutics Receives Complete Response Letter From FDA',
      'BREAKING: Brinova Therapeutics receives complete response letter from FDA',
    ],
  ])('same story: %j / %j', (a, b) => {
    expect(sameStory(a, b)).toBe(true);
    expect(sameStory(b, a)).toBe(true);
  });

  it.each([
    ['Apple beats Q3 estimates', 'Apple misses Q3 estimates'],
    [
      'Tesla recalls 2 million vehicles over Autopilot concerns',
      'Tesla recalls 120,000 Model S cars over seat belt issue',
    ],
    ['Ford beats quarterly profit estimates', 'Ford to cut 3,000 jobs in restructuring'],
    ['Goldman Sachs upgrades Apple to Buy', 'Morgan Stanley downgrades Apple to Equal Weight'],
    ['Microsoft to buy Activision Blizzard for $68.7 billion', 'Microsoft to buy Nuance for $19.7 billion'],
    ['Nvidia raises full-year revenue forecast', 'Nvidia cuts full-year revenue forecast'],
    ['Apple Q2 revenue rises 5%', 'Apple Q2 revenue falls 5%'],
    ['Pfizer to acquire Seagen for $43 billion', 'Pfizer to acquire Seagen for $50 billion'],
  ])('different stories: %j / %j', (a, b) => {
    expect(sameStory(a, b)).toBe(false);
    expect(sameStory(b, a)).toBe(false);
  });

  it('never matches empty or stop-word-only titles', () => {
    expect(sameStory('', '')).toBe(false);
    expect(sameStory('The and of', 'the and of')).toBe(false);
    expect(storyFingerprint('')).toBe('');
  });

  it('measures Jaccard similarity of the token sets', () => {
    expect(storySimilarity('Apple beats Q3 estimates', 'Apple misses Q3 estimates')).toBeCloseTo(3 / 5, 10);
    expect(storySimilarity('Apple beats estimates', 'Apple beats estimates')).toBe(1);
  });

  it('is symmetric and reflexive', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (a, b) => {
        expect(sameStory(a, b)).toBe(sameStory(b, a));
        if (storyTokens(a).length > 0) expect(sameStory(a, a)).toBe(true);
      }),
    );
  });
});
