import express, { type Request, type Response, type Router } from 'express';
import { DAY_MS, civilFromDays, toNewYork } from '../model/calendar';
import { NEWS_SOURCES, escapeHtml, newsSource, type NewsStory } from '../model/headlines';
import { Prng } from '../model/prng';
import type { MarketSim } from '../market-sim';
import { queryParam } from './request-params';

/**
 * The news providers' own shapes, carrying the simulator's stories from the moment they are
 * published: RSS 2.0 feeds (one per outlet, and one for all), a NewsAPI-shaped `/v2/everything`
 * (and `/v2/top-headlines`), and Alpha Vantage's `NEWS_SENTIMENT`.
 */

const NEWSAPI_IDS: Record<string, string | null> = {
  marketwire: 'market-wire',
  globalbusinesswire: 'global-business-newswire',
  streetpulse: 'streetpulse',
  tickertape: null,
  pennystockdaily: null,
  tradechatter: null,
};

function rfc822(ms: number): string {
  return new Date(ms).toUTCString();
}

function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function newsFeedRoutes(sim: MarketSim): Router {
  const router = express.Router();
  const { market } = sim;

  router.get('/rss/:feed', (req, res) => {
    const name = String(req.params.feed);
    const m = /^([a-z]+)\.xml$/.exec(name);
    const key = m?.[1];
    if (!key || (key !== 'all' && !NEWS_SOURCES.some((s) => s.key === key))) {
      res.status(404).type('text/plain; charset=utf-8').send('Not Found');
      return;
    }
    const t = sim.now();
    const limitText = queryParam(req, 'limit');
    const limit = limitText && /^\d+$/.test(limitText) ? Math.min(200, Math.max(1, Number(limitText))) : 50;
    const stories = market.stories(t - 7 * DAY_MS, t, {
      descending: true,
      limit,
      accept: (s) => key === 'all' || s.sourceKey === key,
    });
    const source = key === 'all' ? null : newsSource(key);
    const self = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`;
    const items = stories.map((s) => {
      const src = newsSource(s.sourceKey);
      return [
        '<item>',
        `<title>${escapeHtml(s.headline)}</title>`,
        `<link>${escapeHtml(s.url)}</link>`,
        `<guid isPermaLink="false">sim-${s.id}</guid>`,
        `<pubDate>${rfc822(s.createdAt)}</pubDate>`,
        `<dc:creator>${escapeHtml(s.author)}</dc:creator>`,
        ...s.symbols.map((sym) => `<category>${sym}</category>`),
        `<description>${cdata(s.summary)}</description>`,
        `<source url="https://www.${src.domain}/rss">${escapeHtml(src.name)}</source>`,
        '</item>',
      ].join('');
    });
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
      '<channel>',
      `<title>${escapeHtml(source ? `${source.name} - Latest Market News` : 'Simulated Market News - All Sources')}</title>`,
      `<link>${source ? `https://www.${source.domain}/` : escapeHtml(self)}</link>`,
      `<description>${escapeHtml(source ? `Latest stories from ${source.name}` : 'Every story from every simulated outlet')}</description>`,
      '<language>en-us</language>',
      `<lastBuildDate>${rfc822(t)}</lastBuildDate>`,
      `<atom:link href="${escapeHtml(self)}" rel="self" type="application/rss+xml"/>`,
      ...items,
      '</channel>',
      '</rss>',
    ].join('\n');
    res.status(200).type('application/rss+xml; charset=utf-8').send(xml);
  });

  const newsApiKey = (req: Request, res: Response): boolean => {
    const key =
      queryParam(req, 'apiKey') ?? req.get('x-api-key') ?? req.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (!key) {
      res.status(401).json({
        status: 'error',
        code: 'apiKeyMissing',
        message:
          'Your API key is missing. Append this to the URL with the apiKey param, or use the x-api-key HTTP header.',
      });
      return false;
    }
    return true;
  };

  const newsApiError = (res: Response, status: number, code: string, message: string): void => {
    res.status(status).json({ status: 'error', code, message });
  };

  const newsApi = (req: Request, res: Response, everything: boolean): void => {
    if (!newsApiKey(req, res)) return;
    const t = sim.now();
    const q = queryParam(req, 'q') ?? queryParam(req, 'qInTitle');
    const sourcesText = queryParam(req, 'sources');
    const domainsText = queryParam(req, 'domains');
    if (everything && !q && !sourcesText && !domainsText) {
      newsApiError(
        res,
        400,
        'parametersMissing',
        'Required parameters are missing, the scope of your search is too broad. Please set any of the following required parameters and try again: q, qInTitle, sources, domains.',
      );
      return;
    }
    const language = queryParam(req, 'language');
    if (language && language !== 'en') {
      res.json({ status: 'ok', totalResults: 0, articles: [] });
      return;
    }
    const pageSizeText = queryParam(req, 'pageSize');
    const pageText = queryParam(req, 'page');
    const pageSize = pageSizeText === undefined ? (everything ? 100 : 20) : Number(pageSizeText);
    const page = pageText === undefined ? 1 : Number(pageText);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      return newsApiError(res, 400, 'parameterInvalid', 'The pageSize parameter must be an integer between 1 and 100.');
    if (!Number.isInteger(page) || page < 1)
      return newsApiError(res, 400, 'parameterInvalid', 'The page parameter must be an integer greater than 0.');
    const fromText = queryParam(req, 'from');
    const toText = queryParam(req, 'to');
    const from = fromText ? Date.parse(fromText) : t - 30 * DAY_MS;
    const to = toText ? Math.min(t, Date.parse(toText) + (/^\d{4}-\d{2}-\d{2}$/.test(toText) ? DAY_MS - 1 : 0)) : t;
    if (!Number.isFinite(from) || !Number.isFinite(to))
      return newsApiError(
        res,
        400,
        'parameterInvalid',
        'The from and to parameters must be ISO 8601 dates or date-times.',
      );
    const sortBy = queryParam(req, 'sortBy') ?? 'publishedAt';
    if (!['publishedAt', 'relevancy', 'popularity'].includes(sortBy))
      return newsApiError(
        res,
        400,
        'parameterInvalid',
        'The sortBy parameter must be one of relevancy, popularity, publishedAt.',
      );
    const wantedSources = sourcesText ? new Set(sourcesText.split(',').map((s) => s.trim())) : null;
    const wantedDomains = domainsText ? domainsText.split(',').map((d) => d.trim().replace(/^www\./, '')) : null;
    const matchesQuery = queryMatcher(q);
    const stories = market.stories(Math.max(from, t - 30 * DAY_MS), to, {
      descending: true,
      limit: 1000,
      accept: (s) => {
        const src = newsSource(s.sourceKey);
        if (wantedSources && !wantedSources.has(NEWSAPI_IDS[s.sourceKey] ?? s.sourceKey)) return false;
        if (wantedDomains && !wantedDomains.includes(src.domain)) return false;
        return matchesQuery(`${s.headline} ${s.summary} ${s.symbols.join(' ')}`);
      },
    });
    if (!everything && page * pageSize > 100)
      return newsApiError(
        res,
        426,
        'maximumResultsReached',
        `You have requested too many results. Developer accounts are limited to a max of 100 results. You are trying to request results ${(page - 1) * pageSize} to ${page * pageSize}. Please upgrade to a paid plan if you need more results.`,
      );
    const slice = stories.slice((page - 1) * pageSize, page * pageSize);
    res.json({
      status: 'ok',
      totalResults: stories.length,
      articles: slice.map((s) => {
        const src = newsSource(s.sourceKey);
        const body = s.content
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim();
        const content = body.length > 200 ? `${body.slice(0, 200)}\u2026 [+${body.length - 200} chars]` : body;
        return {
          source: { id: NEWSAPI_IDS[s.sourceKey] ?? null, name: src.name },
          author: src.kind === 'social' ? null : s.author,
          title: `${s.headline} - ${src.name}`,
          description: s.summary,
          url: s.url,
          urlToImage: s.imageUrl,
          publishedAt: new Date(Math.floor(s.createdAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
          content,
        };
      }),
    });
  };

  router.get('/v2/everything', (req, res) => newsApi(req, res, true));
  router.get('/v2/top-headlines', (req, res) => newsApi(req, res, false));

  router.get('/query', (req, res) => {
    const fn = queryParam(req, 'function');
    const apikey = queryParam(req, 'apikey');
    if (!apikey) {
      res.json({
        'Error Message':
          'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
      });
      return;
    }
    if (fn !== 'NEWS_SENTIMENT') {
      res.json({ 'Error Message': `This API function (${fn ?? ''}) does not exist.` });
      return;
    }
    const t = sim.now();
    const tickersText = queryParam(req, 'tickers');
    const tickers = tickersText
      ? tickersText
          .split(',')
          .map((x) => x.trim().toUpperCase())
          .filter(Boolean)
      : null;
    const topicsText = queryParam(req, 'topics');
    const topicsWanted = topicsText ? topicsText.split(',').map((x) => x.trim().toLowerCase()) : null;
    const fromText = queryParam(req, 'time_from');
    const toText = queryParam(req, 'time_to');
    const from = fromText ? parseAvTime(fromText) : t - 3 * DAY_MS;
    const to = toText ? parseAvTime(toText) : t;
    if (from === null || to === null) {
      res.json({
        'Error Message':
          'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for NEWS_SENTIMENT.',
      });
      return;
    }
    const sort = queryParam(req, 'sort') ?? 'LATEST';
    const limitText = queryParam(req, 'limit');
    const limit = limitText && /^\d+$/.test(limitText) ? Math.min(1000, Math.max(1, Number(limitText))) : 50;
    let stories = market.stories(from, Math.min(to, t), {
      descending: sort !== 'EARLIEST',
      limit: sort === 'RELEVANCE' ? 1000 : limit,
      accept: (s) =>
        (!tickers || tickers.every((x) => s.symbols.includes(x))) &&
        (!topicsWanted || topicsOf(sim, s).some((tp) => topicsWanted.includes(avTopicKey(tp.topic)))),
    });
    if (sort === 'RELEVANCE')
      stories = [...stories]
        .sort((a, b) => Math.abs(b.sentiment) - Math.abs(a.sentiment) || b.createdAt - a.createdAt)
        .slice(0, limit);
    res.json({
      items: String(stories.length),
      sentiment_score_definition:
        'x <= -0.35: Bearish; -0.35 < x <= -0.15: Somewhat-Bearish; -0.15 < x < 0.15: Neutral; 0.15 <= x < 0.35: Somewhat_Bullish; x >= 0.35: Bullish',
      relevance_score_definition: '0 < x <= 1, with a higher score indicating higher relevance.',
      feed: stories.map((s) => alphaVantageItem(sim, s)),
    });
  });

  return router;
}

function queryMatcher(q: string | undefined): (text: string) => boolean {
  if (!q) return () => true;
  // NewsAPI's query language, in part: OR between alternatives, AND (or spaces) between terms, "phrases", -excluded.
  const alternatives = q.split(/\s+OR\s+/);
  const parsed = alternatives.map((alt) => {
    const terms = alt.match(/-?"[^"]+"|\S+/g) ?? [];
    return terms
      .filter((x) => x !== 'AND')
      .map((x) => ({ negate: x.startsWith('-'), text: x.replace(/^[-+]/, '').replace(/"/g, '').toLowerCase() }));
  });
  return (text: string) => {
    const lower = text.toLowerCase();
    return parsed.some((terms) => terms.every((term) => lower.includes(term.text) !== term.negate));
  };
}

function parseAvTime(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?$/.exec(text);
  if (!m) return null;
  // Alpha Vantage times are US/Eastern wall-clock times.
  const utcGuess = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? 0),
  );
  if (!Number.isFinite(utcGuess)) return null;
  const offset = toNewYork(utcGuess + 5 * 3_600_000).offsetMinutes;
  return utcGuess - offset * 60_000;
}

function avTime(ms: number): string {
  const ny = toNewYork(ms);
  const { y, m, d } = civilFromDays(ny.day);
  const p = (n: number) => String(n).padStart(2, '0');
  const secs = Math.floor(ny.msOfDay / 1000);
  return `${y}${p(m)}${p(d)}T${p(Math.floor(secs / 3600))}${p(Math.floor((secs % 3600) / 60))}${p(secs % 60)}`;
}

function label(score: number): string {
  if (score <= -0.35) return 'Bearish';
  if (score <= -0.15) return 'Somewhat-Bearish';
  if (score < 0.15) return 'Neutral';
  if (score < 0.35) return 'Somewhat-Bullish';
  return 'Bullish';
}

const SECTOR_TOPIC: Record<string, string> = {
  technology: 'Technology',
  biotech: 'Life Sciences',
  financials: 'Finance',
  energy: 'Energy & Transportation',
  consumer: 'Retail & Wholesale',
  industrials: 'Manufacturing',
  communication: 'Technology',
  materials: 'Manufacturing',
  utilities: 'Energy & Transportation',
  real_estate: 'Real Estate & Construction',
};

const CATALYST_TOPIC: Record<string, string> = {
  earnings_beat: 'Earnings',
  earnings_miss: 'Earnings',
  guidance_raise: 'Earnings',
  guidance_cut: 'Earnings',
  merger_acquisition: 'Mergers & Acquisitions',
  offering: 'IPO',
};

function avTopicKey(topic: string): string {
  return topic.toLowerCase().replace(/ & /g, '_').replace(/ - /g, '_').replace(/\s+/g, '_');
}

function topicsOf(sim: MarketSim, s: NewsStory): Array<{ topic: string; relevance_score: string }> {
  const stock = sim.market.stock(s.symbols[0]!)!;
  const prng = Prng.for(sim.seed, 'av-topics', s.id);
  const topics = [{ topic: 'Financial Markets', relevance_score: (0.2 + prng.next() * 0.6).toFixed(6) }];
  const catalyst = CATALYST_TOPIC[s.catalyst];
  if (catalyst) topics.push({ topic: catalyst, relevance_score: (0.5 + prng.next() * 0.5).toFixed(6) });
  topics.push({ topic: SECTOR_TOPIC[stock.sector] ?? 'Finance', relevance_score: '1.0' });
  return topics;
}

function alphaVantageItem(sim: MarketSim, s: NewsStory): Record<string, unknown> {
  const src = newsSource(s.sourceKey);
  const prng = Prng.for(sim.seed, 'av', s.id);
  const overall = Math.round((s.sentiment * 0.6 + (prng.next() - 0.5) * 0.1) * 1e6) / 1e6;
  return {
    title: s.headline,
    url: s.url,
    time_published: avTime(s.createdAt),
    authors: src.kind === 'social' ? [] : [s.author],
    summary: s.summary,
    banner_image: s.imageUrl,
    source: src.name,
    category_within_source: src.category,
    source_domain: `www.${src.domain}`,
    topics: topicsOf(sim, s),
    overall_sentiment_score: overall,
    overall_sentiment_label: label(overall),
    ticker_sentiment: s.symbols.map((ticker, i) => {
      const relevance = Math.min(1, (s.relevance[i] ?? 0.5) * (0.7 + prng.next() * 0.3));
      const score = Math.max(-1, Math.min(1, s.sentiment * (i === 0 ? 0.8 : -0.3) + (prng.next() - 0.5) * 0.1));
      return {
        ticker,
        relevance_score: relevance.toFixed(6),
        ticker_sentiment_score: score.toFixed(6),
        ticker_sentiment_label: label(score),
      };
    }),
  };
}
