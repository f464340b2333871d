import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
  at: number;
}

/** How the fixture answers the n-th request (0-based): a status and headers, or 'hang' (never). */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A local webhook receiver: records every request's JSON body and answers as the test scripts it
 * (default 200). Requests left hanging are ended when the fixture closes.
 */
export interface WebhookFixture {
  /** `http://127.0.0.1:<port>` */
  base: string;
  requests: CapturedRequest[];
  answer(fn: (index: number, req: CapturedRequest) => Answer): void;
  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookFixture(): Promise<WebhookFixture> {
  const requests: CapturedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let answerFn: (index: number, req: CapturedRequest) => Answer = () => ({ status: 200 });

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        // kept as text
      }
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body,
        at: Date.now(),
      };
      const index = requests.length;
      requests.push(captured);
      const answer = answerFn(index, captured);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? (answer.status < 300 ? 'ok' : 'error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    answer(fn) {
      answerFn = fn;
    },
    async waitForRequests(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${requests.length}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
