import Parser from 'rss-parser';
import type { FetchContext, FetchResult, SourceAdapter, SourceTarget } from './source-adapter';
import { canonicalLink, cleanSymbols, ParseCollector, plainText, utcTime, type ParseResult } from './source-item';
import { fetchUpstream, SourceFetchError } from './upstream-fetch';

type FeedItem = Record<string, unknown>;

/**
 * A parser per document: rss-parser keeps one xml2js parser per instance, and after some errors
 * that parser accepts the next malformed document (an undefined entity parses as text).
 */
function feedParser(): Parser<Record<string, unknown>, FeedItem> {
  return new Parser<Record<string, unknown>, FeedItem>({
    customFields: {
      item: [
        ['dc:creator', 'creator'],
        ['source', 'source'],
        ['updated', 'updated'],
        ['published', 'published'],
      ],
    },
  });
}

/** `<?xml … encoding="ISO-8859-1"?>` */
const XML_DECLARED_ENCODING = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
const HTML_START = /^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])/i;
/** Categories that name a listing: `ABC`, `BRK.B`, `NASDAQ:ABC`, `NYSE: ABC`. */
const CATEGORY_SYMBOL =
  /^(?:(?:NYSE|NASDAQ|NYSEAMERICAN|NYSE AMERICAN|AMEX|NYSEARCA|OTC|OTCQX|OTCQB|TSX)\s*:\s*)?([A-Z]{1,5}(?:\.[A-Z])?)$/;

function isUtf8Label(label: string): boolean {
  return /^utf-?8$/i.test(label);
}

/**
 * The feed as text. Bytes are decoded with the encoding the XML declaration names (ISO-8859-1,
 * windows-1252 …). Text is what the HTTP client already decoded as UTF-8: a feed that declares
 * another encoding and carried bytes that are not UTF-8 can no longer be read correctly, and is
 * refused rather than stored with replacement characters.
 */
export function decodeFeed(body: string | Uint8Array): string {
  if (typeof body !== 'string') {
    const head = new TextDecoder('latin1').decode(body.subarray(0, 200));
    const label = XML_DECLARED_ENCODING.exec(head)?.[1] ?? 'utf-8';
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(label);
    } catch {
      throw new SourceFetchError('encoding', `the feed declares an unknown encoding "${label}"`);
    }
    return decoder.decode(body);
  }
  const label = XML_DECLARED_ENCODING.exec(body)?.[1];
  if (label !== undefined && !isUtf8Label(label) && body.includes('\ufffd')) {
    throw new SourceFetchError(
      'encoding',
      `the feed declares ${label} and sent bytes that are not UTF-8; they cannot be decoded over this client`,
    );
  }
  return body;
}

function textOf(value: unknown): unknown {
  // xml2js gives `{ _: text, $: attributes }` for an element with attributes.
  if (typeof value === 'object' && value !== null && '_' in value) return (value as { _: unknown })._;
  if (Array.isArray(value)) return textOf(value[0]);
  return value;
}

function linkOf(item: FeedItem): string | null {
  const direct = canonicalLink(textOf(item.link));
  if (direct) return direct;
  // A permalink guid (RSS) or an http id (Atom) is the article's address too.
  return canonicalLink(textOf(item.guid)) ?? canonicalLink(textOf(item.id));
}

function categorySymbols(categories: unknown): string[] {
  if (!Array.isArray(categories)) return [];
  const out: string[] = [];
  for (const raw of categories) {
    const text = textOf(raw);
    if (typeof text !== 'string') continue;
    const m = CATEGORY_SYMBOL.exec(text.trim());
    if (m?.[1]) out.push(m[1]);
  }
  return cleanSymbols(out);
}

function providerId(item: FeedItem): string | null {
  const id = textOf(item.guid) ?? textOf(item.id);
  if (typeof id !== 'string') return null;
  const trimmed = id.replace(/\u0000/g, '').trim();
  return trimmed === '' || trimmed.length > 256 ? null : trimmed;
}

function rawOf(item: FeedItem): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of [
    'title',
    'link',
    'guid',
    'id',
    'pubDate',
    'published',
    'updated',
    'creator',
    'source',
    'categories',
  ]) {
    if (item[key] !== undefined) raw[key] = item[key];
  }
  return raw;
}

/**
 * Parses an RSS 0.9x/1.0/2.0 or Atom document into items. A document that is not a feed
 * (malformed XML, HTML, empty) is a `SourceFetchError` of kind `malformed`/`empty`; an entry that
 * lacks a title or link is rejected alone. An item's publisher is its `<source>`, else
 * `feedPublisher`, else the feed's title.
 */
export async function parseFeed(body: string | Uint8Array, feedPublisher: string | null = null): Promise<ParseResult> {
  const xml = decodeFeed(body);
  if (xml.trim() === '') throw new SourceFetchError('empty', 'the feed is empty');
  if (HTML_START.test(xml)) throw new SourceFetchError('malformed', 'answered an HTML page, not a feed');
  let feed: Parser.Output<FeedItem>;
  try {
    feed = await feedParser().parseString(xml);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    throw new SourceFetchError('malformed', `not a valid RSS or Atom feed: ${reason}`, { cause: err });
  }
  const publisher = feedPublisher ?? plainText(textOf(feed.title), 200);
  const out = new ParseCollector();
  const items = Array.isArray(feed.items) ? feed.items : [];
  items.forEach((item, index) => {
    if (typeof item !== 'object' || item === null) {
      out.reject(`item ${index}`, 'not an element');
      return;
    }
    const published = textOf(item.pubDate) ?? textOf(item.published) ?? textOf(item.updated) ?? textOf(item.isoDate);
    out.add(
      {
        providerId: providerId(item),
        url: linkOf(item),
        title: plainText(textOf(item.title), 1_000),
        summary: plainText(textOf(item.content) ?? textOf(item.summary) ?? textOf(item.contentSnippet)),
        author: plainText(textOf(item.creator) ?? textOf(item.author), 500),
        publisher: plainText(textOf(item.source), 200) ?? publisher,
        publishedAt: utcTime(published),
        symbols: categorySymbols(item.categories),
        raw: rawOf(item),
      },
      `item ${index}`,
    );
  });
  return out.result();
}

/** RSS and Atom feeds, fetched through the shared HTTP client. */
export function createRssAdapter(): SourceAdapter {
  return {
    async fetch(target: SourceTarget, ctx: FetchContext): Promise<FetchResult> {
      if (!target.url) throw new SourceFetchError('client_error', 'the source has no feed URL');
      await ctx.beforeRequest();
      const agent = typeof target.options.userAgent === 'string' ? target.options.userAgent : ctx.userAgent;
      const res = await fetchUpstream({
        url: target.url,
        headers: {
          'user-agent': agent,
          accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
        },
        timeoutMs: ctx.timeoutMs,
        maxBytes: ctx.maxBytes,
        service: target.name,
        operation: 'feed',
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
      if (res.body === undefined) throw new SourceFetchError('empty', 'the feed is empty', { status: res.status });
      if (typeof res.body !== 'string') throw new SourceFetchError('malformed', 'answered JSON, not a feed');
      const publisher = typeof target.options.publisher === 'string' ? target.options.publisher : null;
      const parsed = await parseFeed(res.body, publisher);
      return { ...parsed, requests: 1 };
    },
  };
}
