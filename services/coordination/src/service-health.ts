import { SERVICE_NAMES, serviceUrlVar, type ServiceName } from '@catalyst/shared';

export interface ServiceHealth {
  service: string;
  url: string;
  health: 'ok' | 'down';
  ready: 'ready' | 'not_ready' | 'down';
  checks?: Record<string, string>;
  latencyMs: number | null;
}

async function getJson(url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body: unknown = await res.json().catch(() => undefined);
  return { status: res.status, body };
}

function checksOf(body: unknown): Record<string, string> | undefined {
  if (!body || typeof body !== 'object' || !('checks' in body)) return undefined;
  const checks = (body as { checks: unknown }).checks;
  if (!checks || typeof checks !== 'object') return undefined;
  return Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, String(v)]));
}

/**
 * Asks every service for /health and /ready at once. A probe is a status read, not an upstream
 * call that feeds a decision, so it is never retried: a service that does not answer is "down".
 */
export async function probeServices(urls: Record<string, unknown>, timeoutMs = 1500): Promise<ServiceHealth[]> {
  return Promise.all(
    SERVICE_NAMES.map(async (service: ServiceName): Promise<ServiceHealth> => {
      const url = String(urls[serviceUrlVar(service)]);
      const started = performance.now();
      try {
        const health = await getJson(new URL('/health', url).toString(), timeoutMs);
        const latencyMs = Math.round(performance.now() - started);
        if (health.status !== 200) return { service, url, health: 'down', ready: 'down', latencyMs };
        const ready = await getJson(new URL('/ready', url).toString(), timeoutMs).catch(() => undefined);
        const checks = checksOf(ready?.body);
        return {
          service,
          url,
          health: 'ok',
          ready: ready === undefined ? 'down' : ready.status === 200 ? 'ready' : 'not_ready',
          ...(checks ? { checks } : {}),
          latencyMs,
        };
      } catch {
        return { service, url, health: 'down', ready: 'down', latencyMs: null };
      }
    }),
  );
}
