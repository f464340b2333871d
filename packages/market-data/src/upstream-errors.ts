import { AppError, InvalidInput, UpstreamUnavailable } from '@catalyst/shared';

/** A provider asked us to slow down (429, or Alpha Vantage's 200-with-a-Note). Retryable later. */
export class UpstreamRateLimited extends UpstreamUnavailable {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, details: Record<string, unknown> & { provider: string }, retryAfterSeconds?: number) {
    super(message, retryAfterSeconds === undefined ? details : { ...details, retryAfterSeconds });
    // Same class of failure as UNAVAILABLE (callers may retry later), with its own code for metrics and logs.
    (this as { code: string }).code = 'UPSTREAM.RATE_LIMITED';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Bad input is the caller's to fix: another provider would refuse it too, so it is never a reason to fall back. */
export function isCallerError(err: unknown): boolean {
  return err instanceof InvalidInput || (err instanceof AppError && err.status >= 400 && err.status < 500);
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
