import { redactText } from '../logger';

/** A dependency probe (database ping, Redis ping, an upstream's /health). Resolves when it answers. */
export type ReadinessCheck = () => Promise<unknown>;

export interface ReadinessResult {
  ok: boolean;
  /** `ok` or `error: <message>` per check. */
  checks: Record<string, string>;
}

function describe(reason: unknown): string {
  const message = reason instanceof Error ? reason.message : String(reason);
  // Driver errors can carry a connection string; the readiness body is public.
  return `error: ${redactText(message) || 'failed'}`;
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return 'ok';
  } catch (err) {
    return describe(err);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function runReadinessChecks(
  checks: ReadonlyMap<string, ReadinessCheck>,
  timeoutMs: number,
): Promise<ReadinessResult> {
  const entries = await Promise.all(
    [...checks].map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const),
  );
  return { ok: entries.every(([, state]) => state === 'ok'), checks: Object.fromEntries(entries) };
}
