import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FixtureHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/**
 * A local HTTP server whose answer per path the test sets and changes: feeds in odd encodings,
 * HTML where XML belongs, empty or huge bodies, slow answers. Only listens on 127.0.0.1.
 */
export async function startFixtureServer() {
  const routes = new Map<string, FixtureHandler>();
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set(path: string, handler: FixtureHandler): void {
      routes.set(path, handler);
    },
    hits(path: string): number {
      return hits.get(path) ?? 0;
    },
    async stop(): Promise<void> {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FixtureServer = Awaited<ReturnType<typeof startFixtureServer>>;

/** An answer with this status, content type and body. */
export function answer(
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): FixtureHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': contentType, ...headers }).end(body);
  };
}

/** A small RSS 2.0 feed of the given items. */
export function rssFeed(
  title: string,
  items: Array<{ title: string; link: string; pubDate?: string; description?: string; guid?: string }>,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0"><channel>',
    `<title>${esc(title)}</title>`,
    ...items.map(
      (i) =>
        `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link>${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}${
          i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ''
        }${i.description ? `<description>${esc(i.description)}</description>` : ''}</item>`,
    ),
    '</channel></rss>',
  ].join('\n');
}
