import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to bind; 127.0.0.1 unless given. */
  host?: string;
}

export interface RunningServer {
  port: number;
  /** Base URL to reach the server from this machine, e.g. `http://127.0.0.1:5001`. */
  url: string;
  server: Server;
  /**
   * Stops accepting connections and lets in-flight requests finish; after `timeoutMs`
   * (10 s unless given) the remaining connections are cut. Safe to call more than once.
   */
  close(timeoutMs?: number): Promise<void>;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function listen(app: RequestListener, opts: ListenOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer(app);
  // nginx keeps upstream connections open for 60 s; a shorter idle timeout here would let
  // it reuse a socket the server is closing, which surfaces as sporadic 502s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  let closing: Promise<void> | undefined;
  const inFlight = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (closing) server.closeIdleConnections();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new Error(`Cannot listen on ${host}:${opts.port}: ${err.code ?? err.message}`, { cause: err }));
    };
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://${urlHost(host)}:${port}`,
    server,
    close(timeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve, reject) => {
        // Responses still to be written tell their client not to reuse the connection.
        for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close((err) => {
          clearTimeout(force);
          if (err) reject(err);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
