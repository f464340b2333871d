import { newsContract, type ServiceDeps } from '@catalyst/shared';
import type { NewsConfig } from './config';
import { createNewsRepository } from './data-access/news.repository';

/** The news service's routes, wired to its dependencies. */
export function createApp(deps: ServiceDeps<NewsConfig>) {
  const { api, db } = deps;
  const news = createNewsRepository(db);

  api.route(newsContract.listNews, ({ query }) => news.list(query));
  api.route(newsContract.listSources, async () => ({ items: await news.sources() }));

  return api.app;
}
