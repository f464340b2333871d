import { describe, expect, it } from 'vitest';
import { parseAlpacaNews } from '../../src/sources/alpaca.adapter';
import { parseAlphaVantage } from '../../src/sources/alphavantage.adapter';
import { parseNewsApi } from '../../src/sources/newsapi.adapter';
import { SourceFetchError } from '../../src/sources/upstream-fetch';
import { readSample, sampleBodies, samplesMissing, samplesPresent } from '../support/samples';

const NOW = Date.parse('2024-07-22T20:00:00Z');

function thrown(fn: () => unknown): SourceFetchError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SourceFetchError) return err;
    throw err;
  }
  throw new Error('expected a SourceFetchError');
}

describe.skipIf(!samplesPresent)(`recorded provider responses (${samplesPresent ? 'present' : samplesMissing})`, () => {
  describe('NewsAPI /v2/everything and /v2/top-headlines', () => {
    it('reads every article of the business query, outlet suffix removed, times in UTC', () => {
      const parsed = parseNewsApi(readSample('newsapi/v2-everything_india-telecom_2020-02-22.json'));
      expect(parsed.rejected).toBe(0);
      expect(parsed.items).toHaveLength(20);
      const first = parsed.items[0]!;
      expect(first).toEqual({
        providerId: null,
        url: 'https://timesofindia.indiatimes.com/business/india-business/govt-summons-urgent-meeting-on-telco-relief/articleshow/74262177.cms',
        title: 'Govt summons urgent meeting on telco relief',
        summary:
          'India Business News: The government has called an emergency meeting on Sunday, including key officials from the telecom and finance ministries and Niti Aayog, as efforts t',
        author: 'TNN',
        publisher: 'The Times of India',
        publishedAt: '2020-02-22T20:55:00.000Z',
        symbols: [],
        raw: expect.objectContaining({ url: first.url, publishedAt: '2020-02-22T20:55:00Z' }),
      });
      // "… - Economic Times" on a Times of India source names another outlet: it stays.
      expect(parsed.items.map((i) => i.title)).toContain(
        "Farm loan waivers add Rs 60,762 crore to state-run banks' bad loans in Q3 - Economic Times",
      );
      expect(parsed.items.filter((i) => i.title.endsWith(' - Times of India'))).toEqual([]);
    });

    it('keeps null source ids, null and empty authors, and drops the "[+N chars]" truncation marker', () => {
      const body = readSample<{
        articles: Array<{ author: string | null; content: string | null; description: string | null }>;
      }>('newsapi/v2-top-headlines_country-us_2019-05-07.json');
      const parsed = parseNewsApi(body);
      expect(parsed.items).toHaveLength(20);
      expect(parsed.items[0]).toMatchObject({
        title: "Witness testifies on secret society's 'sex slave' initiation",
        author: null,
        publisher: 'Fox News',
        publishedAt: '2019-05-08T00:22:40.000Z',
      });
      // source.id null, "Youtube.com": its "- Liverpool FC" suffix names someone else, so it stays.
      expect(parsed.items[2]).toMatchObject({
        title: "Liverpool's dressing room celebrations after incredible Barcelona comeback - Liverpool FC",
        publisher: 'Youtube.com',
      });
      // "TMZ" is how Tmz.com spells itself, "NPR" Npr.org; an empty author is no author.
      expect(parsed.items[4]).toMatchObject({
        title: "Jenelle Evans Fired from 'Teen Mom 2' In Wake of David Eason Killing Dog",
        author: 'TMZ Staff',
      });
      expect(body.articles[11]!.author).toBe('');
      expect(parsed.items[11]).toMatchObject({
        title: "Pompeo Flies To Baghdad After Cancelling Meeting With Germany's Merkel",
        publisher: 'Npr.org',
        author: null,
      });
      for (const item of parsed.items) expect(item.summary ?? '').not.toMatch(/\[\+\d+ chars\]/);
    });

    it('turns each quoted error body into a classified failure', () => {
      const cases = readSample<{ cases: Array<{ http: number; body: unknown }> }>('newsapi/errors_quoted.json').cases;
      const kinds = cases.map((c) => thrown(() => parseNewsApi(c.body)).kind);
      expect(kinds).toEqual(['provider_error', 'rate_limited', 'provider_error', 'auth']);
      expect(thrown(() => parseNewsApi(cases[0]!.body)).message).toMatch(
        /^NewsAPI: maximumResultsReached: You have requested too many results/,
      );
    });
  });

  describe('Alpha Vantage NEWS_SENTIMENT', () => {
    it('reads all 50 items: US/Eastern times to UTC, string scores, relevant tickers only', () => {
      const body = readSample<{ items: string }>('alphavantage/news_sentiment_tickers-AAPL_2024-07-22.json');
      expect(body.items).toBe('50');
      const parsed = parseAlphaVantage(body, NOW);
      expect(parsed.rejected).toBe(0);
      expect(parsed.items).toHaveLength(50);
      expect(parsed.items[0]).toEqual({
        providerId: null,
        url: 'https://www.benzinga.com/news/24/07/39886297/apple-adjusts-hollywood-approach-cuts-costs-on-original-shows-report',
        title:
          'Apple Adjusts Hollywood Approach, Cuts Costs on Original Shows: Report - Netflix ( NASDAQ:NFLX ) , Apple ( NASDAQ:AAPL )',
        summary: expect.stringMatching(/^Apple Inc AAPL is refining its strategy in Hollywood/),
        author: 'Anusuya Lahiri',
        publisher: 'Benzinga',
        // 20240722T145714 is 14:57:14 EDT (UTC-4).
        publishedAt: '2024-07-22T18:57:14.000Z',
        // NFLX 0.418 and AAPL 0.729 are what it is about; BCS at 0.109 is a passing mention.
        symbols: ['AAPL', 'NFLX'],
        raw: expect.objectContaining({ time_published: '20240722T145714', overall_sentiment_score: 0.189324 }),
      });
      expect(parsed.items[1]!.symbols).toEqual(['CRWD', 'MSFT']);
      expect(parsed.items[49]).toMatchObject({ publishedAt: '2024-07-18T21:34:37.000Z', symbols: ['AAPL', 'NFLX'] });
    });

    it('reads the HTTP-200 error bodies as failures: Note and daily Information are rate limits', () => {
      const cases = readSample<{ cases: Array<{ key: string; body: unknown }> }>(
        'alphavantage/errors_quoted.json',
      ).cases;
      const errors = cases.map((c) => thrown(() => parseAlphaVantage(c.body, NOW)));
      expect(errors.map((e) => e.kind)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'provider_error']);
      expect(errors[0]!.retryAfterMs).toBe(60_000);
      // The daily limit resets at the next UTC midnight: 4 hours after 20:00.
      expect(errors[1]!.retryAfterMs).toBe(4 * 3_600_000);
      expect(errors[3]!.message).toMatch(/^Alpha Vantage: Invalid API call/);
    });
  });

  describe('Alpaca /v1beta1/news', () => {
    it('reads a page without content: ids, symbols, source, HTML entities decoded', () => {
      const [body] = sampleBodies('alpaca/news_v1beta1_symbols-GOLD-SVM_2022-03-04.http.json');
      const parsed = parseAlpacaNews(body);
      expect(parsed.rejected).toBe(0);
      expect(parsed.items).toHaveLength(10);
      expect(parsed.items[0]).toEqual({
        providerId: '25764253',
        url: 'https://www.benzinga.com/markets/options/22/02/25764253/what-are-whales-doing-with-barrick-gold',
        title: 'What Are Whales Doing With Barrick Gold',
        summary:
          'Someone with a lot of money to spend has taken a bearish stance on Barrick Gold (NYSE:GOLD). And retail traders should know. We noticed this today when the big position showed up on publicly available options history that we track here at Benzinga.',
        author: 'Benzinga Insights',
        publisher: 'benzinga',
        publishedAt: '2022-02-22T20:33:00.000Z',
        symbols: ['GOLD'],
        raw: expect.objectContaining({ id: 25764253 }),
      });
      const many = parsed.items.find((i) => i.symbols.length > 100);
      expect(many?.symbols).toHaveLength(145);
      expect(parsed.nextPageToken).toBe('MTY0NDM2MTE2MjAwMDAwMDAwMHwyNTQ5NjAzMA==');
    });

    it('follows page tokens across two recorded pages', () => {
      const pages = sampleBodies('alpaca/news_v1beta1_GOLD-SVM_limit10_two-pages_2022-03-04.http.json').map(
        parseAlpacaNews,
      );
      expect(pages.map((p) => p.items.length)).toEqual([10, 10]);
      expect(pages[0]!.nextPageToken).toBe('MTY0NDM2MTE2MjAwMDAwMDAwMHwyNTQ5NjAzMA==');
      expect(pages[1]!.nextPageToken).toBe('MTYzODkwMjMxNjAwMDAwMDAwMHwyNDQ4Nzc0Mw==');
      const ids = pages.flatMap((p) => p.items.map((i) => i.providerId));
      expect(new Set(ids).size).toBe(20);
    });

    it('reads items that lack source and content, decoding &#39;', () => {
      const pages = sampleBodies('alpaca/news_v1beta1_2021-04-03_two-pages.json').map(parseAlpacaNews);
      expect(pages.map((p) => p.items.length)).toEqual([2, 1]);
      expect(pages[0]!.items[0]).toMatchObject({
        providerId: '20472678',
        title: 'CEO John Krafcik Leaves Waymo',
        summary: "Waymo's chief technology officer and its chief operating officer will serve as co-CEOs.",
        publisher: null,
        author: 'Bibhu Pattnaik',
        publishedAt: '2021-04-03T15:35:21.000Z',
        symbols: ['GOOG', 'GOOGL', 'TSLA'],
      });
      expect(pages[1]!.nextPageToken).toBeNull();
    });

    it('reads the market-wide page', () => {
      const [body] = sampleBodies('alpaca/news_v1beta1_all-symbols_2022-03-04.http.json');
      const parsed = parseAlpacaNews(body);
      expect(parsed.items).toHaveLength(10);
      expect(parsed.items[0]).toMatchObject({
        providerId: '25984411',
        title: 'Earnings Scheduled For March 4, 2022',
        publishedAt: '2022-03-04T09:02:56.000Z',
        symbols: ['CIFR', 'CLPS', 'ESI', 'FATH', 'HIBB', 'INTT', 'OFS', 'RCG', 'RPID', 'TUSK'],
      });
    });

    it('refuses the text/plain 404 body as not a news page', () => {
      const [body] = sampleBodies('alpaca/error_404_text-plain_wrong-path.http.json');
      expect(body).toBe('Not Found');
      expect(thrown(() => parseAlpacaNews(body)).kind).toBe('malformed');
    });
  });
});
