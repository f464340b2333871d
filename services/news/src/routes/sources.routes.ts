import { newsContract, NotFound, type ServiceApp } from '@catalyst/shared';
import type { SourcesRepository } from '../data-access/sources.repository';
import type { Collector } from '../use-cases/collect-news.use-case';
import type { SourceManager } from '../use-cases/manage-sources.use-case';

/** Who asked, for the audit log: the caller may name the operator it acts for. */
function actorOf(headers: Record<string, string | string[] | undefined>): string {
  const named = headers['x-actor'];
  return typeof named === 'string' && /^[A-Za-z0-9._@:-]{1,64}$/.test(named) ? named : 'api';
}

/** GET/POST /sources, DELETE /sources/:name, POST /collect. */
export function registerSourceRoutes(
  api: ServiceApp,
  deps: { manager: SourceManager; sources: SourcesRepository; collector: Collector },
): void {
  const { manager, sources, collector } = deps;

  api.route(newsContract.listSources, async () => ({ items: await manager.list() }));

  api.route(newsContract.addSource, ({ body, headers }, ctx) =>
    manager.add(body, { actor: actorOf(headers), requestId: ctx.requestId }),
  );

  api.route(newsContract.removeSource, ({ params, headers }, ctx) =>
    manager.remove(params.name, { actor: actorOf(headers), requestId: ctx.requestId }),
  );

  api.route(newsContract.collect, async ({ body }) => {
    let targets = await sources.list();
    if (body.source !== undefined) {
      targets = targets.filter((s) => s.name === body.source);
      if (targets.length === 0) throw new NotFound(`No news source named ${body.source}`, { name: body.source });
    }
    const results = await Promise.all(targets.map((s) => collector.collect(s, 'manual')));
    return { results };
  });
}
