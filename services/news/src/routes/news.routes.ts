import { newsContract, type ServiceApp } from '@catalyst/shared';
import type { NewsRepository } from '../data-access/news.repository';
import type { Clock } from '../scheduling/clock';

const DAY_MS = 86_400_000;

/** GET /news, GET /news/:id, GET /catalysts. */
export function registerNewsRoutes(api: ServiceApp, deps: { news: NewsRepository; clock: Clock }): void {
  const { news, clock } = deps;

  api.route(newsContract.listNews, ({ query }) => news.list(query));

  api.route(newsContract.getNews, ({ params }) => news.get(params.id));

  api.route(newsContract.listCatalysts, async ({ query }) => {
    const until = query.until ?? new Date(clock.now()).toISOString();
    const since = query.since ?? new Date(Date.parse(until) - DAY_MS).toISOString();
    const items = await news.catalysts({
      since,
      until,
      symbol: query.symbol,
      type: query.type,
      minScore: query.minScore,
      limit: query.limit,
    });
    return { items, since: new Date(since).toISOString(), until: new Date(until).toISOString() };
  });
}
