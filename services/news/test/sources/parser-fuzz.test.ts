import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlpacaNews } from '../../src/sources/alpaca.adapter';
import { parseAlphaVantage } from '../../src/sources/alphavantage.adapter';
import { parseNewsApi } from '../../src/sources/newsapi.adapter';
import { parseFeed } from '../../src/sources/rss.adapter';
import { SourceItem, type ParseResult } from '../../src/sources/source-item';
import { SourceFetchError } from '../../src/sources/upstream-fetch';

const NOW = Date.parse('2024-07-22T20:00:00Z');

/** The adapter contract: a parse result of whole, valid items, or a classified failure. Nothing else escapes. */
function checkOutcome(run: () => ParseResult, itemsIn?: number): void {
  let result: ParseResult;
  try {
    result = run();
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFetchError);
    return;
  }
  for (const item of result.items) expect(SourceItem.safeParse(item).success).toBe(true);
  if (itemsIn !== undefined) expect(result.items.length + result.rejected).toBe(itemsIn);
}

async function checkFeed(body: string | Uint8Array): Promise<void> {
  let result: ParseResult;
  try {
    result = await parseFeed(body);
  } catch (err) {
    expect(err).toBeInstanceOf(SourceFetchError);
    return;
  }
  for (const item of result.items) expect(SourceItem.safeParse(item).success).toBe(true);
}

/** Values shaped like what providers send, right and wrong: strings, numbers, nulls, dates, URLs. */
const fieldValue = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '\u0000', 'https://x.example/a?utm_source=t', 'javascript:alert(1)', '2024-07-22T14:57:14Z'),
  fc.constantFrom(
    '20240722T145714',
    'Mon, 22 Jul 2024 14:57:14 GMT',
    '9999-99-99',
    'yesterday',
    '0001-01-01T00:00:00Z',
  ),
  fc.constantFrom('<p>a &amp; b</p>', '&#0;', '\ud800', 'A'.repeat(30_000)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
);

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const newsApiArticle = fc.record({
  source: maybe(fc.oneof(fc.record({ id: maybe(fieldValue), name: maybe(fieldValue) }), fieldValue)),
  author: maybe(fieldValue),
  title: maybe(fieldValue),
  description: maybe(fieldValue),
  url: maybe(fieldValue),
  publishedAt: maybe(fieldValue),
  content: maybe(fieldValue),
});

const avItem = fc.record({
  title: maybe(fieldValue),
  url: maybe(fieldValue),
  time_published: maybe(fieldValue),
  authors: maybe(fc.oneof(fc.array(fieldValue, { maxLength: 3 }), fieldValue)),
  summary: maybe(fieldValue),
  source: maybe(fieldValue),
  overall_sentiment_score: maybe(fieldValue),
  ticker_sentiment: maybe(
    fc.array(fc.record({ ticker: maybe(fieldValue), relevance_score: maybe(fieldValue) }), { maxLength: 4 }),
  ),
});

const alpacaItem = fc.record({
  id: maybe(fieldValue),
  headline: maybe(fieldValue),
  author: maybe(fieldValue),
  created_at: maybe(fieldValue),
  summary: maybe(fieldValue),
  content: maybe(fieldValue),
  url: maybe(fieldValue),
  symbols: maybe(fc.oneof(fc.array(fieldValue, { maxLength: 5 }), fieldValue)),
  source: maybe(fieldValue),
});

const xmlFragment = fc.oneof(
  fc.constantFrom(
    '<?xml version="1.0"?>',
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    '<rss version="2.0">',
    '</rss>',
    '<channel>',
    '</channel>',
    '<item>',
    '</item>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    '</feed>',
    '<entry>',
    '</entry>',
    '<title>',
    '</title>',
    '<link>https://f.example/a</link>',
    '<link href="https://f.example/b"/>',
    '<guid>g</guid>',
    '<pubDate>Mon, 22 Jul 2024 14:57:14 GMT</pubDate>',
    '<![CDATA[<b>x</b>]]>',
    '&amp;',
    '&bogus;',
    '&#xD800;',
    '<!-- c -->',
    '<!DOCTYPE html>',
    '<html>',
    '\u0000',
    '\ufffd',
  ),
  fc.string({ maxLength: 20 }),
);

describe('parser boundary fuzz', () => {
  it('NewsAPI: any JSON gives whole items or a classified failure', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => checkOutcome(() => parseNewsApi(body))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(newsApiArticle, { maxLength: 8 }), (articles) =>
        checkOutcome(() => parseNewsApi({ status: 'ok', totalResults: articles.length, articles }), articles.length),
      ),
      { numRuns: 300 },
    );
  });

  it('Alpha Vantage: any JSON gives whole items or a classified failure', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => checkOutcome(() => parseAlphaVantage(body, NOW))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(avItem, { maxLength: 8 }), (feed) =>
        checkOutcome(() => parseAlphaVantage({ items: String(feed.length), feed }, NOW), feed.length),
      ),
      { numRuns: 300 },
    );
  });

  it('Alpaca: any JSON gives whole items or a classified failure', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => checkOutcome(() => parseAlpacaNews(body))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(alpacaItem, { maxLength: 8 }), (news) =>
        checkOutcome(() => parseAlpacaNews({ news, next_page_token: null }), news.length),
      ),
      { numRuns: 300 },
    );
  });

  it('RSS/Atom: random bytes never escape the adapter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), (bytes) => checkFeed(bytes)),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 400 }), (text) => checkFeed(text)),
      { numRuns: 300 },
    );
  });

  it('RSS/Atom: random XML fragments never escape the adapter', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(xmlFragment, { maxLength: 40 }), (parts) => checkFeed(parts.join(''))),
      { numRuns: 500 },
    );
  });
});
